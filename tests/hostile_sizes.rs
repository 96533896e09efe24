//! Sizes are bounded (issue 8 §2): a paper text over 1 MB is a located error of `check` and
//! its paper is skipped, and a document too large for a mail is not attached — the mail says
//! so. Inputs are generated here; each test takes a few seconds at most.

mod support;

use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

#[test]
fn a_paper_text_over_one_megabyte_is_located_and_the_paper_skipped() {
    let project = Project::fixture("kreis");
    let facts: String = "Sehr langer Sachverhalt. ".repeat(50_000);
    project.edit(
        "papers/2019-042-1.yaml",
        "title:",
        &format!("closing: \"{facts}\"\ntitle:"),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let line = project
        .read("papers/2019-042-1.yaml")
        .lines()
        .position(|l| l.starts_with("closing:"))
        .expect("closing")
        + 1;
    assert!(
        out.stderr.starts_with(&format!(
            "Fehler: „closing“: der Text ist zu groß für ein Dokument (1,2 MB; höchstens 1 MB)\n  --> papers/2019-042-1.yaml:{line}:10\n"
        )),
        "{}",
        &out.stderr[..out.stderr.len().min(600)]
    );
    assert!(out.stderr.contains(
        "   = Hinweis: kürzen Sie den Text oder legen Sie ihn als Anlage bei („attachments“)\n"
    ));
    let status = project.run(&["status", "042/19"]);
    assert_eq!(status.code, 0, "{}", status.all());
    let run = project.run(&["--now", NOW, "run"]);
    assert!(
        project
            .file("out/2019-042/Beschlussvorlage_042-19.docx")
            .is_file(),
        "{}",
        run.all()
    );
    assert!(!project.file("out/2019-042-1").exists(), "{}", run.all());
}

/// Every `.docx` below a folder.
fn documents(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(documents(&path));
        } else if path.extension().is_some_and(|e| e == "docx") {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_document_over_twenty_megabytes_is_not_attached_and_the_mail_says_so() {
    let project = Project::fixture("kreis");
    let render = project.run(&["--now", NOW, "render"]);
    assert_eq!(render.code, 0, "{}", render.all());
    let docs = documents(&project.file("out"));
    assert!(!docs.is_empty());
    for doc in &docs {
        let mut bytes = std::fs::read(doc).unwrap();
        bytes.resize(21 * 1024 * 1024, 0);
        std::fs::write(doc, bytes).unwrap();
    }
    let run = project.run(&["--now", NOW, "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let mails: Vec<Vec<u8>> = std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("eml"))
        .collect();
    assert!(!mails.is_empty());
    for mail in &mails {
        assert!(mail.len() < 1024 * 1024, "{} bytes", mail.len());
        let parsed = mail_parser::MessageParser::default()
            .parse(mail)
            .expect("parses");
        assert_eq!(parsed.attachment_count(), 0);
        let body = parsed.body_text(0).unwrap_or_default();
        assert!(
            body.contains("ist zu groß für den Versand per E-Mail (21 MB; höchstens 20 MB) und liegt dieser Nachricht nicht bei. Es liegt im Ordner „out“ des Projekts."),
            "{body}"
        );
    }
}
