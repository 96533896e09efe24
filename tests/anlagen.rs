//! Anlagen that name a file under the project: a missing file or one outside the project is a
//! located error in `check`; an existing one goes with the notice mails.

mod support;

use mail_parser::MimeHeaders;
use support::Project;

fn check_with(from: &str, to: &str) -> (i32, String) {
    let project = Project::fixture("kreis");
    project.edit("papers/2019-042.yaml", from, to);
    let out = project.run(&["check"]);
    (out.code, out.stderr)
}

#[test]
fn a_named_file_that_does_not_exist_is_a_located_error() {
    let (code, stderr) = check_with(
        "financing: Landesmittel",
        "attachments:\n  - Übersicht.pdf\n  - { title: Rahmenkonzept, file: anlagen/fehlt.pdf }",
    );
    assert_eq!(
        stderr,
        "Fehler: Anlage 2: die Datei „anlagen/fehlt.pdf“ gibt es nicht
  --> papers/2019-042.yaml:19:35
   |
19 |   - { title: Rahmenkonzept, file: anlagen/fehlt.pdf }
   |                                   ^^^^^^^^^^^^^^^^^
   = Hinweis: der Pfad gilt relativ zum Projektordner, z. B. „anlagen/konzept.pdf“
1 Fehler
"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_file_outside_the_project_is_a_located_error() {
    let (code, stderr) = check_with(
        "financing: Landesmittel",
        "attachments:\n  - title: Passwörter\n    file: ../../etc/passwd",
    );
    assert_eq!(
        stderr,
        "Fehler: Anlage 1: „../../etc/passwd“ liegt nicht im Projektordner
  --> papers/2019-042.yaml:19:11
   |
19 |     file: ../../etc/passwd
   |           ^^^^^^^^^^^^^^^^
   = Hinweis: einen Pfad relativ zum Projektordner angeben, z. B. „anlagen/konzept.pdf“
1 Fehler
"
    );
    assert_eq!(code, 1);
}

#[test]
fn plain_titles_and_existing_files_are_clean() {
    let project = Project::fixture("kreis");
    project.write("anlagen/konzept.txt", "Konzept\n");
    project.edit(
        "papers/2019-042.yaml",
        "financing: Landesmittel",
        "attachments:\n  - Übersicht.pdf\n  - { title: Rahmenkonzept, file: anlagen/konzept.txt }",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!out.stderr.contains("Fehler"), "{}", out.stderr);
}

/// The fixture's Vorlage with an Anlage file and a plain Anlage title.
fn with_anlage(bytes: &[u8]) -> Project {
    let project = Project::fixture("kreis");
    std::fs::create_dir_all(project.file("anlagen")).unwrap();
    std::fs::write(project.file("anlagen/rahmenkonzept.pdf"), bytes).unwrap();
    project.edit(
        "papers/2019-042.yaml",
        "financing: Landesmittel",
        "attachments:\n  - Übersicht (liegt in der Sitzung aus)\n  - { title: Rahmenkonzept, file: anlagen/rahmenkonzept.pdf }",
    );
    project
}

/// Every message written to `out/mail/`, raw.
fn mails(project: &Project) -> Vec<Vec<u8>> {
    std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("eml"))
        .collect()
}

#[test]
fn the_anlage_file_goes_with_the_notice_mail() {
    const PDF: &[u8] = b"%PDF-1.4\n% Rahmenkonzept\n";
    let project = with_anlage(PDF);
    let run = project.run(&["--now", "2019-05-06", "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    let mails = mails(&project);
    assert!(!mails.is_empty());
    for mail in &mails {
        let parsed = mail_parser::MessageParser::default()
            .parse(mail)
            .expect("parses");
        let anlage = parsed
            .attachments()
            .find(|a| a.attachment_name() == Some("rahmenkonzept.pdf"))
            .expect("the Anlage is attached");
        assert_eq!(anlage.contents(), PDF);
        let content_type = anlage.content_type().expect("content type");
        assert_eq!(
            (content_type.ctype(), content_type.subtype()),
            ("application", Some("pdf"))
        );
        // The document goes first, then the Anlage; a plain title has no file to attach.
        let names: Vec<&str> = parsed
            .attachments()
            .filter_map(|a| a.attachment_name())
            .collect();
        assert_eq!(names.last(), Some(&"rahmenkonzept.pdf"), "{names:?}");
        assert!(names.iter().all(|n| !n.contains("Übersicht")), "{names:?}");
    }
}

#[test]
fn an_anlage_over_the_limit_stays_out_and_the_mail_says_so() {
    let project = with_anlage(&vec![b'x'; 21 * 1024 * 1024]);
    let run = project.run(&["--now", "2019-05-06", "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    for mail in &mails(&project) {
        assert!(mail.len() < 1024 * 1024, "{} bytes", mail.len());
        let parsed = mail_parser::MessageParser::default()
            .parse(mail)
            .expect("parses");
        assert!(
            parsed
                .attachments()
                .all(|a| a.attachment_name() != Some("rahmenkonzept.pdf"))
        );
        let body = parsed.body_text(0).unwrap_or_default();
        assert!(
            body.contains(
                "Anlage 2 „Rahmenkonzept“ ist zu groß für den Versand per E-Mail (21 MB; mit dem \
                 Dokument zusammen höchstens 20 MB) und liegt dieser Nachricht nicht bei. Sie liegt \
                 im Projekt unter „anlagen/rahmenkonzept.pdf“."
            ),
            "{body}"
        );
    }
}
