//! Vertretung: the directory names a deputy for a person with a date range. While it holds,
//! requests to sign go to the deputy, who signs „i. V.“: the signature counts for the person,
//! the journal records both, `status` and the printed signature block say so. Outside the
//! range the deputy may not sign, and a wrong entry is a located error.

mod support;

use mail_parser::MessageParser;
use support::Project;

/// The Kämmerei (Klaus Groß) is away from 01.05. to 31.05.2019; Dana Weiß signs for him.
fn with_deputy(until: &str) -> Project {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "    email: kaemmerei@kreis-musterland.example\n",
        &format!(
            "    email: kaemmerei@kreis-musterland.example\n    deputies: [{{ person: sachbearbeitung, from: 2019-05-01, until: {until} }}]\n"
        ),
    );
    project
}

/// (recipient address, body) of every message written to `out/mail/`.
fn mails(project: &Project) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(project.file("out/mail")) else {
        return Vec::new();
    };
    entries
        .map(|entry| {
            let raw = std::fs::read(entry.expect("entry").path()).expect("eml");
            let parsed = MessageParser::default().parse(&raw).expect("parses");
            let to = parsed
                .to()
                .and_then(|to| to.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string();
            (
                to,
                parsed
                    .body_text(0)
                    .unwrap_or_default()
                    .replace("\r\n", "\n"),
            )
        })
        .collect()
}

#[test]
fn the_request_goes_to_the_deputy_who_signs_for_the_person() {
    let project = with_deputy("2019-05-31");
    let check = project.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);

    let run = project.run(&["--now", "2019-05-06T09:00:00+02:00", "run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mails = mails(&project);
    assert!(
        !mails
            .iter()
            .any(|(to, _)| to == "kaemmerei@kreis-musterland.example"),
        "the person away gets no request: {mails:?}"
    );
    let (_, body) = mails
        .iter()
        .find(|(to, body)| {
            to == "u.cramer@kreis-musterland.example" && body.contains("zur Mitzeichnung")
        })
        .expect("the deputy is asked");
    assert!(
        body.contains("Sie zeichnen in Vertretung für Klaus Groß („i. V.“)."),
        "{body}"
    );

    let signed = project.run(&[
        "--now",
        "2019-05-07",
        "sign",
        "042/19",
        "--as",
        "sachbearbeitung",
    ]);
    assert_eq!(signed.code, 0, "{}{}", signed.stdout, signed.stderr);
    let journal = project.read("state/2019-042.jsonl");
    assert!(
        journal.contains(r#""who":"sachbearbeitung""#)
            && journal.contains(r#""on_behalf_of":"kaemmerei""#),
        "{journal}"
    );
    // The signature counts for the Kämmerei: with the Fachbereich's it completes the 2 of 3.
    let second = project.run(&[
        "--now",
        "2019-05-07",
        "sign",
        "042/19",
        "--as",
        "fb-soziales",
    ]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    let status = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert!(
        status.stdout.contains("Ulrike Cramer i. V. für Klaus Groß"),
        "{}",
        status.stdout
    );
    assert!(
        status.stdout.contains("Schlusszeichnung"),
        "{}",
        status.stdout
    );
    // The Kämmerei itself cannot sign a second time for what its deputy signed.
    let again = project.run(&["--now", "2019-05-07", "sign", "042/19", "--as", "kaemmerei"]);
    assert_ne!(again.code, 0, "{}", again.stdout);
}

#[test]
fn outside_the_range_the_deputy_may_not_sign_and_the_person_is_asked() {
    let project = with_deputy("2019-05-03");
    let run = project.run(&["--now", "2019-05-06T09:00:00+02:00", "run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        mails(&project)
            .iter()
            .any(|(to, _)| to == "kaemmerei@kreis-musterland.example"),
        "the Vertretung ended: the person is asked again"
    );
    let refused = project.run(&[
        "--now",
        "2019-05-06",
        "sign",
        "042/19",
        "--as",
        "sachbearbeitung",
    ]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains("Ulrike Cramer („sachbearbeitung“) ist in der Stufe „Mitzeichnung“ von „042/19“ nicht zur Unterschrift vorgesehen"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_wrong_vertretung_is_a_located_error() {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "    email: kaemmerei@kreis-musterland.example\n",
        "    email: kaemmerei@kreis-musterland.example\n    deputies:\n      - { person: sachbearbeitng, from: 2019-05-01, until: 2019-05-31 }\n      - { person: kaemmerei, from: 2019-05-01, until: 2019-05-31 }\n      - { person: landrat, from: 2019-05-31, until: 2019-05-01 }\n",
    );
    let check = project.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    for expected in [
        "Fehler: unbekannte Person „sachbearbeitng“\n  --> workflows/directory.yaml:25:19",
        "= Hinweis: meinten Sie „sachbearbeitung“?",
        "Fehler: „kaemmerei“ kann sich nicht selbst vertreten\n  --> workflows/directory.yaml:26:19",
        "Fehler: die Vertretung endet (01.05.2019) vor ihrem Beginn (31.05.2019)\n  --> workflows/directory.yaml:27:53",
    ] {
        assert!(
            check.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            check.stderr
        );
    }
}
