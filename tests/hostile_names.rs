//! Hostile names (issue 8 §2): ids and references with a length limit and a safe character
//! set, journals that cannot be opened, and text that could steer a terminal or a mail client.
//! Each problem stays with its paper; every other paper and every command keeps working.

mod support;

use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

/// A title that retitles the terminal window, rings the bell and reverses the text after it.
const HOSTILE_TITLE: &str = r#"title: "Haushalt\e]0;pwned\a\u202e fertig""#;

/// The fixture with the hostile title in the first paper.
fn with_hostile_title() -> Project {
    let project = Project::fixture("kreis");
    let paper = project.read("papers/2019-042.yaml");
    let line = paper
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("title line");
    project.write(
        "papers/2019-042.yaml",
        &paper.replacen(line, HOSTILE_TITLE, 1),
    );
    project
}

fn assert_harmless(text: &str) {
    assert!(!text.contains('\u{1b}'), "ESC printed: {text:?}");
    assert!(!text.contains('\u{7}'), "BEL printed: {text:?}");
    assert!(
        !text.contains('\u{202e}'),
        "bidi override printed: {text:?}"
    );
}

#[test]
fn a_title_with_terminal_escapes_is_shown_visibly_in_status() {
    let project = with_hostile_title();
    let out = project.run(&["status"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stdout);
    assert!(
        out.stdout.contains("Haushalt␛]0;pwned␇� fertig"),
        "{}",
        out.stdout
    );
    let out = project.run(&["status", "042/19"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stdout);
    assert!(
        out.stdout.contains("Haushalt␛]0;pwned␇� fertig"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_title_with_terminal_escapes_reaches_no_mail() {
    let project = with_hostile_title();
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stderr);
    let mails: Vec<String> = std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("eml"))
        .collect();
    assert_eq!(mails.len(), 3);
    let mut about_it = 0;
    for mail in &mails {
        let parsed = mail_parser::MessageParser::default()
            .parse(mail.as_bytes())
            .expect("parses");
        let subject = parsed.subject().unwrap_or_default();
        let body = parsed.body_text(0).unwrap_or_default();
        assert_harmless(subject);
        assert_harmless(&body);
        if subject.contains("042/19 ") {
            about_it += 1;
            assert!(subject.contains("Haushalt ]0;pwned � fertig"), "{subject}");
            assert!(body.contains("„Haushalt␛]0;pwned␇� fertig“"), "{body}");
        }
    }
    assert!(about_it > 0, "no mail about the paper");
}

#[test]
fn a_diagnostic_quoting_hostile_input_is_harmless() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "workflow: kreistag",
        r#"workflow: "kreis\e[2Jtag""#,
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_harmless(&out.stderr);
    assert!(
        out.stderr
            .starts_with("Fehler: unbekannter Ablauf „kreis␛[2Jtag“\n  --> papers/2019-042.yaml:2:11\n   |\n 2 | workflow: \"kreis\\e[2Jtag\"\n"),
        "{}",
        out.stderr
    );
}
