//! Invitations: on the morning of the Ladungsfrist every member of the body gets one
//! invitation with the agenda attached (written as .eml without a mail server); setting it
//! fixes the agenda; papers added later go out once as a Nachtrag.

mod support;

use support::Project;

/// A Ladungsfrist of 7 calendar days and two members of the Kreistag.
fn with_members() -> Project {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}ladungsfrist: {{ days: 7, unit: calendar }}\n"),
    );
    project.edit(
        "workflows/directory.yaml",
        "  kreistag:\n    name: Kreistag\n    kind: rat\n",
        "  kreistag:\n    name: Kreistag\n    kind: rat\n    members: [dezernent, personalrat]\n",
    );
    project
}

/// The .eml files written so far, as text.
fn mails(project: &Project) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(project.file("out/mail")) else {
        return Vec::new();
    };
    let mut all: Vec<String> = dir
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    all.sort();
    all
}

/// The mail with quoted-printable undone (soft line breaks, =XX bytes).
fn decoded(mail: &str) -> String {
    let joined = mail.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

fn subject(mail: &str) -> &str {
    mail.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
}

#[test]
fn members_are_invited_once_on_the_day_of_the_ladungsfrist_with_the_agenda() {
    let project = with_members();
    // 7 days before Thursday 27.06.2019 is Fronleichnam (a holiday in NW): the 19th.
    let out = project.run(&["--now", "2019-06-18T09:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let invitations = |project: &Project| {
        mails(project)
            .into_iter()
            .filter(|m| subject(m).starts_with("Einladung: Sitzung"))
            .collect::<Vec<_>>()
    };
    assert!(invitations(&project).is_empty());
    let out = project.run(&["--now", "2019-06-19T09:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let sent = invitations(&project);
    assert_eq!(sent.len(), 2, "{sent:#?}");
    for mail in &sent {
        assert!(
            mail.contains("filename*0=\"Tagesordnung_kreistag_2019-06-27.docx\""),
            "{mail}"
        );
        let text = decoded(mail);
        assert!(
            text.contains(
                "hiermit lade ich Sie zur Sitzung „Kreistag“ am 27.06.2019 ein. Die Tagesordnung:\n\n\
                 Öffentlicher Teil:\n\
                 TOP 1 Eröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit\n\
                 TOP 2 Genehmigung der Niederschrift über die letzte Sitzung\n\
                 TOP 3 Kommunales Integrationsmanagement; Rahmenkonzept (Drucksache 042/19)\n\
                 TOP 4 Mitteilungen und Anfragen\n\n\
                 Nichtöffentlicher Teil:\n\
                 TOP 5 Mitteilungen und Anfragen\n\n\
                 Die Tagesordnung ist als Dokument beigefügt."
            ),
            "{text}"
        );
    }
    assert!(sent.iter().any(|m| {
        m.contains("To: =?utf-8?b?SsO2cmcgw5xiZXJhbGw=?= <dezernent@kreis-musterland.example>")
    }));
    // The invitation set the agenda.
    let agenda = project.run(&[
        "--now",
        "2019-06-19T10:00",
        "meeting",
        "kreistag",
        "2019-06-27",
    ]);
    assert!(
        agenda.stdout.starts_with(
            "Tagesordnung: Kreistag, Sitzung am 27.06.2019\nStand: festgelegt\n\
             Ladungsfrist: Einladung an die Mitglieder am 19.06.2019\n\n"
        ),
        "{}",
        agenda.stdout
    );
    // Sent once: a second pass sends nothing.
    let out = project.run(&["--now", "2019-06-20T09:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(invitations(&project).len(), 2);
}

#[test]
fn a_paper_added_after_the_invitation_goes_out_as_a_nachtrag() {
    let project = with_members();
    let out = project.run(&["--now", "2019-06-19T09:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    project.write(
        "papers/2019-050.yaml",
        "kind: Beschlussvorlage
workflow: kreistag
reference: \"050/19\"
title: Grundstücksangelegenheit Gewerbegebiet Nord
date: 2019-06-20
public: false
meetings:
  kreistag: 2019-06-27
proposal:
  - Der Kreistag stimmt dem Verkauf zu.
",
    );
    for now in ["2019-06-24T09:00", "2019-06-25T09:00"] {
        let out = project.run(&["--now", now, "run"]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let supplements: Vec<String> = mails(&project)
        .into_iter()
        .filter(|m| subject(m).starts_with("Nachtrag zur Tagesordnung"))
        .collect();
    assert_eq!(supplements.len(), 2, "{supplements:#?}");
    let text = decoded(&supplements[0]);
    assert!(
        text.contains(
            "die Tagesordnung der Sitzung „Kreistag“ am 27.06.2019 wird ergänzt um:\n\n\
             TOP 4a Grundstücksangelegenheit Gewerbegebiet Nord (Drucksache 050/19)\n"
        ),
        "{text}"
    );
    let agenda = project.run(&[
        "--now",
        "2019-06-25T10:00",
        "meeting",
        "kreistag",
        "2019-06-27",
    ]);
    assert!(
        agenda.stdout.contains("Nachtrag: TOP 4a\n"),
        "{}",
        agenda.stdout
    );
}
