//! The PDF step of a pass against converters that misbehave: missing, hanging, crashing, and a
//! stand-in that works. The stand-ins are real processes (shell scripts); the real LibreOffice
//! is tested in `pdf_libreoffice.rs`.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use support::Project;

const NOW: &str = "2019-05-20";

/// The kreis fixture with `pdf:` settings and `bin/soffice` as the given script.
fn project_with(script: Option<&str>, timeout: u64) -> Project {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}\npdf:\n  soffice: bin/soffice\n  timeout_seconds: {timeout}\n"),
    );
    if let Some(script) = script {
        converter(&project, script);
    }
    project
}

fn converter(project: &Project, script: &str) {
    project.write("bin/soffice", script);
    std::fs::set_permissions(
        project.file("bin/soffice"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

/// A stand-in that "converts" every DOCX it is given into a small whole PDF in `--outdir`,
/// and counts its starts in `starts.log` beside it.
const WORKING: &str = r#"#!/bin/sh
here=$(dirname "$0")
echo start >> "$here/starts.log"
out=""
next=""
for arg in "$@"; do
  if [ "$next" = outdir ]; then out="$arg"; next=""; continue; fi
  case "$arg" in
    --outdir) next=outdir ;;
    *.docx) name=$(basename "$arg" .docx)
            printf '%%PDF-1.6\n%% stand-in for %s\n%%%%EOF\n' "$arg" > "$out/$name.pdf" ;;
  esac
done
"#;

/// Every DOCX below `out/`, relative to the project.
fn documents(project: &Project) -> Vec<String> {
    let mut found = Vec::new();
    let out = project.file("out");
    for dir in std::fs::read_dir(&out).unwrap().flatten() {
        if !dir.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if name.ends_with(".docx") {
                found.push(format!("out/{}/{name}", dir.file_name().to_string_lossy()));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn without_libreoffice_the_documents_are_written_and_check_and_run_say_why() {
    let project = project_with(None, 5);
    let hint = "Hinweis: PDF-Erzeugung ist aus: LibreOffice wurde unter „bin/soffice“ (pdf.soffice in ratsflow.yaml) nicht gefunden; es werden nur DOCX-Dokumente geschrieben.\n";
    let check = project.run(&["--now", NOW, "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(check.stderr.contains(hint), "{}", check.all());
    let run = project.run(&["--now", NOW, "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains(hint), "{}", run.all());
    assert_eq!(
        run.stderr.matches("PDF-Erzeugung").count(),
        1,
        "{}",
        run.all()
    );
    let docs = documents(&project);
    assert!(docs.len() >= 3, "{docs:?}");
    for doc in docs {
        assert!(
            !project.file(&doc.replace(".docx", ".pdf")).exists(),
            "{doc}"
        );
    }
}

#[test]
fn pdfs_switched_off_say_so_once() {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}\npdf: {{ enabled: false }}\n"),
    );
    let run = project.run(&["--now", NOW, "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr.contains("Hinweis: PDF-Erzeugung ist aus: in ratsflow.yaml steht „pdf: enabled: false“; es werden nur DOCX-Dokumente geschrieben.\n"),
        "{}",
        run.all()
    );
}

#[test]
fn a_project_without_pdf_settings_is_silent_about_pdfs() {
    let project = Project::fixture("kreis");
    let run = project.run(&["--now", NOW, "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!run.stderr.contains("PDF"), "{}", run.all());
}

#[test]
fn a_zero_timeout_is_reported_at_its_line() {
    let project = project_with(Some(WORKING), 5);
    project.edit("ratsflow.yaml", "timeout_seconds: 5", "timeout_seconds: 0");
    let check = project.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(
        check
            .stderr
            .contains("pdf.timeout_seconds muss größer als 0 sein."),
        "{}",
        check.all()
    );
    assert!(check.stderr.contains("ratsflow.yaml:"), "{}", check.all());
}

#[test]
fn one_converter_per_pass_and_only_changed_documents_again() {
    let project = project_with(Some(WORKING), 10);
    let run = project.run(&["--now", NOW, "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let docs = documents(&project);
    assert!(
        run.stderr
            .contains(&format!("PDF: {} geschrieben, 0 unverändert\n", docs.len())),
        "{}",
        run.all()
    );
    for doc in &docs {
        let pdf = std::fs::read(project.file(&doc.replace(".docx", ".pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{doc}");
    }
    // The whole batch went to one process.
    assert_eq!(project.read("bin/starts.log"), "start\n");

    // Nothing changed: no converter at all.
    let again = project.run(&["--now", NOW, "run"]);
    assert!(
        again
            .stderr
            .contains(&format!("PDF: 0 geschrieben, {} unverändert\n", docs.len())),
        "{}",
        again.all()
    );
    assert_eq!(project.read("bin/starts.log"), "start\n");

    // A changed motion: its PDF is made again, the Vorlage's is left alone.
    let modified = |path: &str| {
        std::fs::metadata(project.file(path))
            .unwrap()
            .modified()
            .unwrap()
    };
    let motion = "out/2019-042-1/Ergaenzungsantrag_042-19-1.pdf";
    let vorlage = "out/2019-042/Beschlussvorlage_042-19.pdf";
    let (motion_before, vorlage_before) = (modified(motion), modified(vorlage));
    project.edit("papers/2019-042-1.yaml", "title: ", "title: Geändert – ");
    let changed = project.run(&["--now", NOW, "run"]);
    assert_eq!(changed.code, 0, "{}", changed.all());
    assert_eq!(project.read("bin/starts.log"), "start\nstart\n");
    assert_ne!(modified(motion), motion_before);
    assert_eq!(modified(vorlage), vorlage_before);

    // A deleted PDF is made again; the next pass finds it current.
    std::fs::remove_file(project.file(motion)).unwrap();
    let restored = project.run(&["--now", NOW, "run"]);
    assert!(
        restored.stderr.contains("PDF: 1 geschrieben, "),
        "{}",
        restored.all()
    );
    assert!(project.file(motion).exists());
}

#[test]
fn a_crashing_converter_is_reported_per_document_and_retried_next_pass() {
    let project = project_with(Some("#!/bin/sh\necho kaputt >&2\nexit 1\n"), 10);
    let run = project.run(&["--now", NOW, "run"]);
    // The pass goes on: documents written, notices handled, exit as without PDFs.
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(run.stderr.contains("Nachrichten: "), "{}", run.all());
    let docs = documents(&project);
    for doc in &docs {
        assert!(
            run.stderr
                .contains(&format!("Warnung: kein PDF zu {doc}: ")),
            "{doc}: {}",
            run.all()
        );
    }
    assert!(
        run.stderr.contains(
            ": LibreOffice ist mit Status 1 abgebrochen; neuer Versuch beim nächsten Durchlauf\n"
        ),
        "{}",
        run.all()
    );
    assert!(
        run.stderr.contains(&format!(
            "PDF: 0 geschrieben, 0 unverändert, {} fehlgeschlagen\n",
            docs.len()
        )),
        "{}",
        run.all()
    );
    // No half PDF and no work folder is left behind.
    for doc in &docs {
        assert!(!project.file(&doc.replace(".docx", ".pdf")).exists());
    }
    let leftovers: Vec<_> = std::fs::read_dir(project.file("out"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".ratsflow-pdf-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The converter works again: the next pass makes every PDF.
    converter(&project, WORKING);
    let next = project.run(&["--now", NOW, "run"]);
    assert!(
        next.stderr
            .contains(&format!("PDF: {} geschrieben, 0 unverändert\n", docs.len())),
        "{}",
        next.all()
    );
}

#[test]
fn a_hanging_converter_is_killed_with_everything_it_started() {
    // The script starts a child of its own (as soffice starts soffice.bin) and both hang.
    let script =
        "#!/bin/sh\nhere=$(dirname \"$0\")\nsleep 300 &\necho $! >> \"$here/children\"\nwait\n";
    let project = project_with(Some(script), 1);
    let started = Instant::now();
    let run = project.run(&["--now", NOW, "run"]);
    let took = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr.contains(": LibreOffice hat binnen 1 s kein PDF erzeugt und wurde beendet; neuer Versuch beim nächsten Durchlauf\n"),
        "{}",
        run.all()
    );
    assert!(
        run.stderr.contains("nicht umgewandelt: LibreOffice ist in diesem Durchlauf schon 3-mal gescheitert; neuer Versuch beim nächsten Durchlauf\n"),
        "{}",
        run.all()
    );
    assert!(run.stderr.contains("Nachrichten: "), "{}", run.all());
    // Three starts of at most a second each, not 300 s.
    assert!(took < Duration::from_secs(60), "{took:?}");
    let children = project.read("bin/children");
    assert_eq!(children.lines().count(), 3, "{children}");
    for pid in children.lines() {
        let alive = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.contains(") Z "));
        assert!(!alive, "the converter's child {pid} still runs");
    }
}
