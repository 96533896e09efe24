//! What reaches a mail is checked with the inputs: a broken mail template is a located error
//! of `check` and its notices wait for the fix; names and addresses follow the sender's own
//! rules, so `check` and sending never disagree and nothing panics.

mod support;

use ratsflow::diagnostic::Location;
use ratsflow::load::{FileKind, check_text};
use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

fn journal(project: &Project) -> String {
    std::fs::read_to_string(project.file("state/2019-042.jsonl")).unwrap_or_default()
}

fn eml_count(project: &Project) -> usize {
    std::fs::read_dir(project.file("out/mail")).map_or(0, |entries| entries.count())
}

#[test]
fn a_broken_mail_template_is_a_located_german_error_of_check() {
    let project = Project::fixture("kreis");
    project.edit(
        "templates/mail/unterschrift.txt",
        "{% if due %}Bitte zeichnen Sie bis zum {{ due }}.",
        "{% if due %}Bitte zeichnen Sie bis zum {{ due | datum_lnag }}.",
    );
    project.edit(
        "templates/mail/erinnerung.txt",
        "{{ paper.title }}",
        "{{ paper.title }",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: unbekannter Filter „datum_lnag“\n  --> templates/mail/unterschrift.txt:8:60\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Fehler: Syntaxfehler: unerwartet: „}“, erwartet: „}}“\n  --> templates/mail/erinnerung.txt:5:100\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "  = Hinweis: bis die Vorlage korrigiert ist, warten die Nachrichten dieser Art\n"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("keine Probleme"), "{}", out.stderr);
    assert!(
        !out.stderr.contains("unknown"),
        "German only: {}",
        out.stderr
    );
}

#[test]
fn notices_wait_for_a_fixed_mail_template_and_go_out_without_retry() {
    let project = Project::fixture("kreis");
    let good = project.read("templates/mail/unterschrift.txt");
    project.write(
        "templates/mail/unterschrift.txt",
        "Bitte zeichnen: {{ paper.title | gross }}\n\n{{ salutation }}\n",
    );
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "fehlgeschlagen: 042/19 → Fatma Şahin (unterschrift): Mailvorlage \
             „mail/unterschrift.txt“, Zeile 1: unbekannter Filter „gross“ (die Nachricht \
             wartet, bis die Vorlage korrigiert ist)\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(eml_count(&project), 0);
    assert!(
        !journal(&project).contains("notice_"),
        "nothing recorded against the notice: {}",
        journal(&project)
    );

    project.write("templates/mail/unterschrift.txt", &good);
    let out = project.run(&["--now", "2019-05-06T09:05:00+02:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stderr.contains("Nachrichten: 3 als .eml-Dateien"),
        "{}",
        out.stderr
    );
    assert_eq!(eml_count(&project), 3);
    let outbox = project.run(&["--now", "2019-05-06T09:06:00+02:00", "outbox"]);
    assert!(
        outbox
            .stdout
            .contains("0 vorgemerkt, 0 fehlgeschlagen, 3 versandt"),
        "{}",
        outbox.stdout
    );
}

#[test]
fn a_line_break_in_a_name_is_located_by_check_and_never_panics_run() {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "    name: Fatma Şahin\n",
        "    name: \"Frau\\nŞahin\"\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: der Name enthält einen Zeilenumbruch\n  --> workflows/directory.yaml:17:11\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "  = Hinweis: der Name steht im Kopf jeder Mail an diese Person; bitte in eine Zeile schreiben\n"
        ),
        "{}",
        out.stderr
    );
    let out = project.run(&["--now", NOW, "run"]);
    assert_ne!(out.code, 101, "no panic: {}", out.all());
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let mails: Vec<String> = std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("eml"))
        .collect();
    assert_eq!(mails.len(), 3, "the others are not held up");
    let to_her = mails
        .iter()
        .find(|m| m.contains("soziales@kreis-musterland.example"))
        .expect("her mail, with the name flattened");
    let parsed = mail_parser::MessageParser::default()
        .parse(to_her.as_bytes())
        .expect("parses");
    let to = parsed.to().and_then(|to| to.first()).expect("To");
    assert_eq!(to.name(), Some("Frau Şahin"));
}

/// The directory with one person whose address is `email` (a YAML scalar as written).
fn directory_with(email: &str) -> String {
    format!(
        "organisations:\n  kreis: {{ name: Kreis, land: NW }}\npeople:\n  p:\n    name: Petra Landwehr\n    email: {email}\n"
    )
}

#[test]
fn addresses_are_checked_by_the_parser_that_sends() {
    let rejected = [
        "\"a@b@c.de\"",
        "\"a,b@c.de\"",
        "\"<x@y.de>\"",
        "\"Petra <x@y.de>\"",
        "\"x y@z.de\"",
        "\"x@\"",
        "\"@y.de\"",
        "landwehr",
    ];
    for email in rejected {
        let diagnostics = check_text(FileKind::Directory, &directory_with(email));
        let messages: Vec<(String, Option<Location>)> = diagnostics
            .iter()
            .map(|d| (d.message.clone(), d.location))
            .collect();
        let shown = email.trim_matches('"');
        assert_eq!(
            messages,
            [(
                format!("„{shown}“ ist keine E-Mail-Adresse, an die sich senden lässt"),
                Some(Location::new(6, 12))
            )],
            "{email}"
        );
    }
    let accepted = [
        "landwehr@kreis.example",
        "\"landwehr@kreis.example \"",
        "\" landwehr@kreis.example\"",
        "l.landwehr+rat@kreis-musterland.example",
        "j.mueller@städte.example",
    ];
    for email in accepted {
        let diagnostics = check_text(FileKind::Directory, &directory_with(email));
        assert!(diagnostics.is_empty(), "{email}: {diagnostics:?}");
    }
}

#[test]
fn an_address_with_a_trailing_space_passes_check_and_is_sent_trimmed() {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "email: soziales@kreis-musterland.example",
        "email: \"soziales@kreis-musterland.example \"",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let found = std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("eml"))
        .any(|m| m.contains("<soziales@kreis-musterland.example>"));
    assert!(found);
}

#[test]
fn the_sender_in_the_settings_follows_the_same_rules() {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!(
            "{settings}mail:\n  from: {{ name: \"Sitzungsdienst\\nKreis\", email: \"a,b@kreis.example\" }}\n"
        ),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: der Absendername enthält einen Zeilenumbruch\n  --> ratsflow.yaml:5:"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Fehler: „a,b@kreis.example“ ist keine E-Mail-Adresse, an die sich senden lässt\n  --> ratsflow.yaml:5:"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn smtp_settings_that_cannot_work_are_located_errors_of_check() {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!(
            "{settings}mail:\n  from: {{ name: Sitzungsdienst, email: sitzungsdienst@kreis.example }}\n  smtp:\n    host: mail.kreis.example\n    security: plain\n    user_env: SMTP_USER\n    password_env: SMTP_PASSWORD\n    timeout_seconds: 0\n"
        ),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: mail.smtp: Anmeldedaten dürfen nicht unverschlüsselt an mail.kreis.example \
             gehen. Für einen entfernten Server „security: starttls“ oder „security: tls“ angeben; \
             „plain“ mit Anmeldung ist nur für localhost erlaubt.\n  --> ratsflow.yaml:8:15\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Fehler: mail.smtp.timeout_seconds muss größer als 0 sein.\n  --> ratsflow.yaml:11:22\n"
        ),
        "{}",
        out.stderr
    );
}
