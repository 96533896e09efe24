//! `mail.attach`: a notice carries the paper's DOCX (default), its PDF, or both; a PDF only
//! while it is current, otherwise the DOCX. The PDF is made by a stand-in converter (a shell
//! script) so these tests run without LibreOffice.

mod support;

use std::os::unix::fs::PermissionsExt;

use mail_parser::MimeHeaders;
use support::Project;

/// "Converts" every DOCX it is given into a small whole PDF in `--outdir`.
const WORKING: &str = r#"#!/bin/sh
out=""
next=""
for arg in "$@"; do
  if [ "$next" = outdir ]; then out="$arg"; next=""; continue; fi
  case "$arg" in
    --outdir) next=outdir ;;
    *.docx) name=$(basename "$arg" .docx)
            printf '%%PDF-1.6\n%% stand-in\n%%%%EOF\n' > "$out/$name.pdf" ;;
  esac
done
"#;

fn project(attach: Option<&str>, converter: &str) -> Project {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    let attach = attach.map_or(String::new(), |a| format!("\n  attach: {a}"));
    project.write(
        "ratsflow.yaml",
        &format!(
            "{settings}\nmail:\n  from: {{ name: Sitzungsdienst, email: sitzungsdienst@kreis.example }}{attach}\npdf:\n  soffice: bin/soffice\n  timeout_seconds: 5\n"
        ),
    );
    project.write("bin/soffice", converter);
    std::fs::set_permissions(
        project.file("bin/soffice"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    project
}

/// The attachment names of every mail the pass wrote that carries the Vorlage 042/19.
fn attachments_of_vorlage_mails(project: &Project) -> Vec<Vec<String>> {
    let run = project.run(&["--now", "2019-05-06", "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let mut found = Vec::new();
    for entry in std::fs::read_dir(project.file("out/mail")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        let names: Vec<String> = parsed
            .attachments()
            .filter_map(|a| a.attachment_name().map(str::to_owned))
            .collect();
        if names
            .iter()
            .any(|n| n.starts_with("Beschlussvorlage_042-19"))
        {
            found.push(names);
        }
    }
    assert!(!found.is_empty(), "no notice about 042/19: {}", run.all());
    found
}

#[test]
fn by_default_notices_carry_the_docx() {
    for names in attachments_of_vorlage_mails(&project(None, WORKING)) {
        assert_eq!(names, ["Beschlussvorlage_042-19.docx"]);
    }
}

#[test]
fn attach_pdf_sends_the_pdf_instead() {
    for names in attachments_of_vorlage_mails(&project(Some("pdf"), WORKING)) {
        assert_eq!(names, ["Beschlussvorlage_042-19.pdf"]);
    }
}

#[test]
fn attach_both_sends_docx_and_pdf() {
    for names in attachments_of_vorlage_mails(&project(Some("both"), WORKING)) {
        assert_eq!(
            names,
            [
                "Beschlussvorlage_042-19.docx",
                "Beschlussvorlage_042-19.pdf"
            ]
        );
    }
}

#[test]
fn without_a_current_pdf_attach_pdf_falls_back_to_the_docx() {
    let project = project(Some("pdf"), "#!/bin/sh\nexit 1\n");
    for names in attachments_of_vorlage_mails(&project) {
        assert_eq!(names, ["Beschlussvorlage_042-19.docx"]);
    }
}

#[test]
fn an_unknown_attach_word_is_an_error_at_its_line() {
    let project = project(Some("odt"), WORKING);
    let check = project.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(check.stderr.contains("ratsflow.yaml:"), "{}", check.all());
    assert!(check.stderr.contains("odt"), "{}", check.all());
}
