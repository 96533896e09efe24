//! The mails a council member reads, word for word: the right article for each kind, a
//! salutation from the directory, the rule of the stage, the meeting the paper goes to, no
//! command to type; `Reply-To` and `Auto-Submitted` on every message. Run with the real binary
//! on the fixture project; messages are read back from `out/mail/` with mail-parser.

mod support;

use mail_parser::MessageParser;
use support::Project;

/// One message as a recipient sees it.
#[derive(Debug)]
struct Mail {
    to: String,
    reply_to: Vec<String>,
    auto_submitted: Option<String>,
    subject: String,
    body: String,
}

/// Every message written to `out/mail/`.
fn mails(project: &Project) -> Vec<Mail> {
    let dir = project.file("out/mail");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut mails: Vec<Mail> = entries
        .map(|entry| {
            let raw = std::fs::read(entry.expect("entry").path()).expect("eml");
            let parsed = MessageParser::default().parse(&raw).expect("parses");
            let address = |a: &mail_parser::Addr<'_>| a.address().unwrap_or_default().to_string();
            Mail {
                to: parsed
                    .to()
                    .and_then(|to| to.first())
                    .map(address)
                    .unwrap_or_default(),
                reply_to: parsed
                    .reply_to()
                    .map(|list| list.iter().map(address).collect())
                    .unwrap_or_default(),
                auto_submitted: parsed
                    .header("Auto-Submitted")
                    .and_then(|v| v.as_text())
                    .map(str::to_string),
                subject: parsed.subject().unwrap_or_default().to_string(),
                // The transfer encoding may add a line end at the end; the text ends with one.
                body: format!(
                    "{}\n",
                    parsed
                        .body_text(0)
                        .unwrap_or_default()
                        .replace("\r\n", "\n")
                        .trim_end_matches('\n')
                ),
            }
        })
        .collect();
    mails.sort_by(|a, b| (&a.to, &a.subject).cmp(&(&b.to, &b.subject)));
    mails
}

/// The one message to `to` whose subject starts with `subject`.
fn mail_to<'a>(mails: &'a [Mail], to: &str, subject: &str) -> &'a Mail {
    let found: Vec<&Mail> = mails
        .iter()
        .filter(|m| m.to == to && m.subject.starts_with(subject))
        .collect();
    assert_eq!(found.len(), 1, "to {to}, „{subject}…“ in {mails:#?}");
    found[0]
}

fn run(project: &Project, now: &str, args: &[&str]) -> support::Output {
    let mut all = vec!["--now", now];
    all.extend_from_slice(args);
    project.run(&all)
}

/// The fixture with salutations for the Landrätin and the Fraktion's chair.
fn kreis() -> Project {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "    name: Petra Landwehr\n",
        "    name: Petra Landwehr\n    salutation: Sehr geehrte Frau Landwehr\n",
    );
    project.edit(
        "workflows/directory.yaml",
        "    name: Herbert Goldmann\n",
        "    name: Herbert Goldmann\n    salutation: Sehr geehrter Herr Goldmann\n",
    );
    project
}

const CRAMER: &str = "u.cramer@kreis-musterland.example";
const SITZUNGSDIENST: &str = "sitzungsdienst@kreis-musterland.example";

#[test]
fn a_request_to_co_sign_names_rule_deadline_and_meeting_and_greets_neutrally() {
    let project = kreis();
    let out = run(&project, "2019-05-06T09:00:00+02:00", &["run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let mails = mails(&project);
    let mail = mail_to(&mails, "soziales@kreis-musterland.example", "Bitte");
    assert_eq!(
        mail.subject,
        "Bitte mitzeichnen: Beschlussvorlage 042/19 – Kommunales Integrationsmanagement; Rahmenkonzept"
    );
    assert_eq!(
        mail.body,
        "Guten Tag Fatma Şahin,\n\
         \n\
         die Beschlussvorlage 042/19 „Kommunales Integrationsmanagement; Rahmenkonzept“ liegt \
         Ihnen zur Mitzeichnung vor (Stufe „Mitzeichnung“).\n\
         Nötig sind 2 von 3 Mitzeichnungen.\n\
         Bitte zeichnen Sie bis zum 13.05.2019.\n\
         Beratung: Ausschuss für Soziales, Gleichstellung und Integration, Sitzung am 03.06.2019.\n\
         \n\
         Das aktuelle Dokument ist beigefügt. Bitte zeichnen Sie die Drucksache mit oder geben \
         Sie sie mit einer Begründung zurück, am einfachsten mit einer Antwort auf diese \
         Nachricht (an Ulrike Cramer).\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    assert_eq!(mail.reply_to, [CRAMER], "replies go to the Sachbearbeitung");
    assert_eq!(mail.auto_submitted.as_deref(), Some("auto-generated"));
    assert!(
        mails.iter().all(|m| !m.body.contains("ratsflow")),
        "no mail asks anyone to run a command"
    );
    assert!(
        out.stderr.contains(
            "Nachrichten: 3 als .eml-Dateien nach out/mail/ geschrieben (kein Mailserver eingestellt)"
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("versandt"), "{}", out.stderr);
}

#[test]
fn a_request_to_sign_an_ergaenzungsantrag_uses_his_salutation_and_the_masculine_article() {
    let project = kreis();
    run(&project, "2019-05-13T09:00:00+02:00", &["run"]);
    let mails = mails(&project);
    let mail = mail_to(&mails, "goldmann@gruene-musterland.example", "Bitte");
    assert_eq!(
        mail.subject,
        "Bitte zeichnen: Ergänzungsantrag 042/19-1 – Stärkere Einbindung der freien Wohlfahrtsverbände"
    );
    assert_eq!(
        mail.body,
        "Sehr geehrter Herr Goldmann,\n\
         \n\
         der Ergänzungsantrag 042/19-1 „Stärkere Einbindung der freien Wohlfahrtsverbände“ liegt \
         Ihnen zur Zeichnung vor (Stufe „Unterzeichnung durch die Fraktion“).\n\
         Beratung: Kreistag, Sitzung am 27.06.2019.\n\
         Antragsfrist für diese Sitzung: 17.06.2019.\n\
         \n\
         Das aktuelle Dokument ist beigefügt. Bitte zeichnen Sie die Drucksache oder geben Sie \
         sie mit einer Begründung zurück, am einfachsten mit einer Antwort auf diese Nachricht \
         (an Sitzungsdienst).\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    assert_eq!(
        mail.reply_to,
        [SITZUNGSDIENST],
        "a motion without Sachbearbeitung: the office of the body it goes to"
    );
}

#[test]
fn the_landraetin_is_asked_with_her_salutation_and_released_co_signers_are_told_once() {
    let project = kreis();
    run(&project, "2019-05-06T09:00:00+02:00", &["run"]);
    for who in ["fb-soziales", "kaemmerei"] {
        let out = run(
            &project,
            "2019-05-07T10:00:00+02:00",
            &["sign", "2019-042", "--as", who],
        );
        assert_eq!(out.code, 0, "{}", out.all());
    }
    run(&project, "2019-05-07T11:00:00+02:00", &["run"]);
    let mails = mails(&project);
    let mail = mail_to(&mails, "landraetin@kreis-musterland.example", "Bitte");
    assert_eq!(
        mail.body,
        "Sehr geehrte Frau Landwehr,\n\
         \n\
         die Beschlussvorlage 042/19 „Kommunales Integrationsmanagement; Rahmenkonzept“ liegt \
         Ihnen zur Zeichnung vor (Stufe „Schlusszeichnung“).\n\
         Bitte zeichnen Sie bis zum 20.05.2019.\n\
         Beratung: Ausschuss für Soziales, Gleichstellung und Integration, Sitzung am 03.06.2019.\n\
         \n\
         Das aktuelle Dokument ist beigefügt. Bitte zeichnen Sie die Drucksache oder geben Sie \
         sie mit einer Begründung zurück, am einfachsten mit einer Antwort auf diese Nachricht \
         (an Ulrike Cramer).\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    let released = mail_to(
        &mails,
        "personalrat@kreis-musterland.example",
        "Mitzeichnung",
    );
    assert_eq!(
        released.subject,
        "Mitzeichnung nicht mehr nötig: Beschlussvorlage 042/19 – Kommunales Integrationsmanagement; Rahmenkonzept"
    );
    assert_eq!(
        released.body,
        "Guten Tag Dana Weiß,\n\
         \n\
         in der Stufe „Mitzeichnung“ der Beschlussvorlage 042/19 „Kommunales \
         Integrationsmanagement; Rahmenkonzept“ liegen inzwischen genug Mitzeichnungen vor. Ihre \
         Mitzeichnung ist nicht mehr nötig; Sie müssen nichts weiter tun.\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    assert!(
        mails
            .iter()
            .all(|m| !(m.subject.starts_with("Mitzeichnung nicht")
                && m.to != "personalrat@kreis-musterland.example")),
        "only the one who did not sign is released"
    );
    let out = run(&project, "2019-05-08T11:00:00+02:00", &["run"]);
    assert!(
        out.stderr.contains("Nachrichten: 0 als .eml-Dateien"),
        "sent once: {}",
        out.stderr
    );
}

#[test]
fn the_sitzungsdienst_mailbox_is_greeted_without_a_name() {
    let project = kreis();
    run(&project, "2019-05-06T09:00:00+02:00", &["run"]);
    for who in ["fb-soziales", "kaemmerei", "landrat"] {
        let out = run(
            &project,
            "2019-05-07T10:00:00+02:00",
            &["sign", "2019-042", "--as", who],
        );
        assert_eq!(out.code, 0, "{}", out.all());
    }
    run(&project, "2019-05-07T11:00:00+02:00", &["run"]);
    let mails = mails(&project);
    let mail = mail_to(&mails, SITZUNGSDIENST, "Eingereicht");
    assert_eq!(
        mail.body,
        "Guten Tag,\n\
         \n\
         die Beschlussvorlage 042/19 „Kommunales Integrationsmanagement; Rahmenkonzept“ ist zur \
         Beratung im Gremium „Ausschuss für Soziales, Gleichstellung und Integration“ in der \
         Sitzung am 03.06.2019 eingereicht.\n\
         \n\
         Das Dokument ist beigefügt.\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    assert_eq!(mail.reply_to, [CRAMER]);
}

#[test]
fn a_stellungnahme_der_verwaltung_keeps_its_feminine_article_in_a_reminder() {
    let project = kreis();
    project.write(
        "papers/2019-s001.yaml",
        "kind: Stellungnahme der Verwaltung\n\
         workflow: kreistag\n\
         reference: S 001/19\n\
         title: Stellungnahme zum Ergänzungsantrag\n\
         date: 2019-08-01\n\
         answers: 2019-042-1\n\
         author: sachbearbeitung\n\
         meetings: { ausschuss: 2019-09-16, kreistag: 2019-10-10 }\n\
         facts: Die Verwaltung nimmt Stellung.\n",
    );
    run(&project, "2019-08-05T09:00:00+02:00", &["run"]);
    let first = mails(&project);
    let request = mail_to(
        &first,
        "kaemmerei@kreis-musterland.example",
        "Bitte mitzeichnen: Stellungnahme",
    );
    assert_eq!(
        request.subject,
        "Bitte mitzeichnen: Stellungnahme der Verwaltung S 001/19 – Stellungnahme zum Ergänzungsantrag"
    );
    assert!(
        request.body.contains(
            "\ndie Stellungnahme der Verwaltung S 001/19 „Stellungnahme zum Ergänzungsantrag“ \
             liegt Ihnen zur Mitzeichnung vor (Stufe „Mitzeichnung“).\n"
        ),
        "{}",
        request.body
    );
    run(&project, "2019-08-23T09:00:00+02:00", &["run"]);
    let mails = mails(&project);
    let reminder = mail_to(
        &mails,
        "kaemmerei@kreis-musterland.example",
        "Erinnerung: Frist 26.08.2019",
    );
    assert_eq!(
        reminder.subject,
        "Erinnerung: Frist 26.08.2019 – Stellungnahme der Verwaltung S 001/19"
    );
    assert_eq!(
        reminder.body,
        "Guten Tag Klaus Groß,\n\
         \n\
         für die Stellungnahme der Verwaltung S 001/19 „Stellungnahme zum Ergänzungsantrag“ \
         fehlt noch Ihre Mitzeichnung (Stufe „Mitzeichnung“). Die Frist endet am 26. August \
         2019.\n\
         Nötig sind 2 von 3 Mitzeichnungen.\n\
         Beratung: Ausschuss für Soziales, Gleichstellung und Integration, Sitzung am 16.09.2019.\n\
         \n\
         Das aktuelle Dokument ist beigefügt. Bitte zeichnen Sie die Drucksache mit oder geben \
         Sie sie mit einer Begründung zurück, am einfachsten mit einer Antwort auf diese \
         Nachricht (an Ulrike Cramer).\n\
         \n\
         Mit freundlichen Grüßen\n\
         Kreis Musterland\n"
    );
    assert!(
        mails
            .iter()
            .all(|m| m.auto_submitted.as_deref() == Some("auto-generated")),
        "every message says it was sent automatically"
    );
}
