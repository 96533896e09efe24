//! Anlagen that name a file under the project: a missing file or one outside the project is a
//! located error in `check`; an existing one goes with the notice mails.

mod support;

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
