//! Decisions as a Niederschrift records them, end to end through the binary: results per point
//! and per Ziffer with votes from a decision file, referrals that open consultations at other
//! bodies, the motion's state derived per Ziffer, located mistakes in decision files.

mod support;

use support::{Project, docx_text};

const MOTION: &str = r#"kind: Änderungsantrag
workflow: antrag
reference: "042/19-2"
title: Beteiligung der Gemeinden
date: 2019-06-10
amends: 2019-042
by: gruene
body: kreistag
changes:
  - replace: 2
    text: Die Verwaltung wird beauftragt, Fördermittel bei Land und Bund zu beantragen.
  - append: Der Kreis richtet einen Beirat für Integration ein.
  - append: Die Gemeinden werden an der Umsetzung beteiligt.
  - replace: 1
    text: Der Kreistag beschließt das Rahmenkonzept.
reasons: Die Gemeinden kennen die Menschen vor Ort.
"#;

const DECISION: &str = r#"points:
  1: beschlossen
  2: { result: beschlossen, votes: einstimmig }
  3: { result: beschlossen, votes: "40:5:3" }
motions:
  "042/19-2":
    1: { result: abgelehnt, votes: "10:35:3" }
    2: { result: verwiesen, to: ausschuss }
    3: { result: verwiesen, to: bgm-dv }
    4: { result: geändert beschlossen, text: "Der Kreistag beschließt das Rahmenkonzept in der Fassung der Sitzung.", votes: "30:15:3:1" }
"#;

fn ok(project: &Project, now: &str, args: &[&str]) -> String {
    let mut all = vec!["--now", now];
    all.extend_from_slice(args);
    let out = project.run(&all);
    assert_eq!(out.code, 0, "{args:?}\n{}", out.all());
    out.stdout
}

/// The Kreis fixture with a motion of four Ziffern, 042/19 at the Kreistag.
pub fn at_the_kreistag() -> Project {
    let project = Project::fixture("kreis");
    project.write("papers/2019-042-2.yaml", MOTION);
    project.write("beschluss.yaml", DECISION);
    ok(
        &project,
        "2019-05-02T10:00:00+02:00",
        &["sign", "2019-042", "--as", "fb-soziales"],
    );
    ok(
        &project,
        "2019-05-02T11:00:00+02:00",
        &["sign", "2019-042", "--as", "kaemmerei"],
    );
    ok(
        &project,
        "2019-05-03T10:00:00+02:00",
        &["sign", "2019-042", "--as", "landrat"],
    );
    ok(
        &project,
        "2019-06-04T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--result",
            "empfohlen",
            "--votes",
            "9:2:0",
        ],
    );
    ok(
        &project,
        "2019-06-13T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "bgm-dv",
            "--as",
            "sitzungsdienst",
            "--result",
            "zur-kenntnis-genommen",
            "--meeting",
            "2019-06-12",
        ],
    );
    ok(
        &project,
        "2019-06-14T10:00:00+02:00",
        &["sign", "2019-042-2", "--as", "vorsitz-gruene"],
    );
    project
}

#[test]
fn a_motion_decided_differently_per_ziffer() {
    let project = at_the_kreistag();
    let file = project.file("beschluss.yaml");
    let said = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    assert!(said.starts_with(
        "Kreistag hat am 27.06.2019 über „042/19“ entschieden: geändert beschlossen.\n\
         Verwiesen an Ausschuss für Soziales, Gleichstellung und Integration: Beratung in der Sitzung am 16.09.2019.\n\
         Verwiesen an Bürgermeisterdienstversammlung: Beratung in der Sitzung am 25.09.2019.\n"
    ), "{said}");
    ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &["render", "2019-042"],
    );
    let text = docx_text(&project.file("out/2019-042/Beschluss_ASGI_2019-06-03_042-19.docx"));
    // The usual case: a Vorlage recommended unchanged has its Beschlussauszug too.
    assert!(
        text.contains(&"Ergebnis:empfohlen".to_string()),
        "{text:#?}"
    );
    assert!(
        text.contains(&"Abstimmung:Ja 9, Nein 2, Enthaltungen 0".to_string()),
        "{text:#?}"
    );
    // The decided text in Word numbering, as Word prints it (no number is typed).
    let text: Vec<String> = support::word::numbered_text(
        &project.file("out/2019-042/Beschluss_Kreistag_2019-06-27_042-19.docx"),
    )
    .into_iter()
    .filter(|p| !p.trim().is_empty())
    .collect();
    assert_eq!(
        text,
        [
            "Beschlussauszug",
            "Drucksache 042/19: Kommunales Integrationsmanagement; Rahmenkonzept",
            "Gremium:\tKreistag",
            "Sitzung am:\t27.06.2019",
            "Öffentlichkeit:\töffentlich",
            "Ergebnis:\tgeändert beschlossen",
            "Beschluss:",
            "1.\tDer Kreistag beschließt das Rahmenkonzept in der Fassung der Sitzung.",
            "(geändert durch Änderungsantrag 042/19-2 der Fraktion GRÜNE im Kreistag)",
            "2.\tDie Verwaltung wird beauftragt, Fördermittel zu beantragen.",
            "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
            "Abstimmung je Punkt und Ziffer:",
            "Punkt 1: beschlossen",
            "Punkt 2: beschlossen (einstimmig)",
            "Punkt 3: beschlossen (Ja 40, Nein 5, Enthaltungen 3)",
            "Antrag 042/19-2 Ziffer 1: abgelehnt (Ja 10, Nein 35, Enthaltungen 3)",
            "Antrag 042/19-2 Ziffer 2: verwiesen an Ausschuss für Soziales, Gleichstellung und Integration",
            "Antrag 042/19-2 Ziffer 3: verwiesen an Bürgermeisterdienstversammlung",
            "Antrag 042/19-2 Ziffer 4: geändert beschlossen (Ja 30, Nein 15, Enthaltungen 3, befangen 1)",
            "Verweisungen:",
            "Antrag 042/19-2 Ziffer 2: verwiesen an Ausschuss für Soziales, Gleichstellung und Integration (Sitzung am 16.09.2019)",
            "Antrag 042/19-2 Ziffer 3: verwiesen an Bürgermeisterdienstversammlung (Sitzung am 25.09.2019)",
            "Kreistag, Sitzung am 27.06.2019",
        ]
    );
    // The Beschlussentwurf follows the result: only the adopted Ziffer 4 is applied.
    let draft = docx_text(&project.file("out/2019-042/Beschlussentwurf_042-19.docx"));
    assert_eq!(draft[0], "Beschluss (geändert beschlossen)", "{draft:#?}");
    assert!(
        draft.contains(&"Stand:geändert beschlossen (Kreistag, Sitzung am 27.06.2019)".to_string()),
        "{draft:#?}"
    );
    assert!(
        !draft
            .iter()
            .any(|l| l.contains("Beirat") || l.contains("Bund")),
        "{draft:#?}"
    );
    let status = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &["status", "2019-042-2"],
    );
    assert!(
        status.contains("Ergebnis des Antrags 042/19-2: teilweise abgelehnt, teilweise verwiesen, teilweise geändert angenommen\n"),
        "{status}"
    );
    let status = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &["status", "2019-042"],
    );
    let rows: Vec<&str> = status
        .lines()
        .filter(|l| l.contains("(Verweisung"))
        .collect();
    assert_eq!(rows.len(), 2, "{status}");
    assert!(rows[0].contains("Ausschuss für Soziales, Gleichstellung und Integration (Verweisung: Antrag 042/19-2 Ziffer 2)"));
    assert!(rows[0].contains("offen") && rows[0].contains("Sitzung 16.09.2019"));
    assert!(
        rows[1].contains("Bürgermeisterdienstversammlung (Verweisung: Antrag 042/19-2 Ziffer 3)")
    );
    assert!(rows[1].contains("Sitzung 25.09.2019"));
    assert!(
        status.contains("Antrag 042/19-2 Ziffer 1: abgelehnt (Ja 10, Nein 35, Enthaltungen 3)")
    );
    assert!(status.contains(
        "Antrag 042/19-2 Ziffer 4: geändert beschlossen (Ja 30, Nein 15, Enthaltungen 3, befangen 1)"
    ));

    // The Ausschuss decides the Ziffer referred to it: that consultation is done.
    project.write(
        "ausschuss.yaml",
        "motions:\n  \"042/19-2\":\n    2: { result: beschlossen, votes: \"9:2:0\" }\n",
    );
    let file = project.file("ausschuss.yaml");
    ok(
        &project,
        "2019-09-17T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    let status = ok(
        &project,
        "2019-09-17T10:00:00+02:00",
        &["status", "2019-042"],
    );
    let row = status.lines().find(|l| l.contains("Ziffer 2)")).unwrap();
    assert!(row.contains("✓") && row.contains("beschlossen"), "{row}");
    assert!(status.contains(
        "Ergebnis des Antrags 042/19-2: teilweise abgelehnt, teilweise angenommen, teilweise verwiesen, teilweise geändert angenommen\n"
    ), "{status}");
}

#[test]
fn mistakes_in_a_decision_file_are_located_and_nothing_is_recorded() {
    let project = at_the_kreistag();
    project.write(
        "falsch.yaml",
        "points:\n  4: beschlossen\n  2: beschlosen\nmotions:\n  \"042/19-2\":\n    5: abgelehnt\n    4: geändert beschlossen\n    2: { result: verwiesen }\n",
    );
    let before = project.read("state/2019-042.jsonl");
    let out = project.run(&[
        "--now",
        "2019-06-28T10:00:00+02:00",
        "decide",
        "2019-042",
        "--body",
        "kreistag",
        "--as",
        "sitzungsdienst",
        "--file",
        project.file("falsch.yaml").to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(project.read("state/2019-042.jsonl"), before);
    for expected in [
        "Fehler: Punkt „4“ gibt es nicht: der Beschlussvorschlag hat 3 Punkte\n  --> [PROJECT]/falsch.yaml:2:3",
        "Fehler: unbekanntes Ergebnis „beschlosen“; möglich sind: beschlossen, geändert-beschlossen, abgelehnt, vertagt, verwiesen, zur-kenntnis-genommen, zurückgezogen, empfohlen, nicht-empfohlen\n  --> [PROJECT]/falsch.yaml:3:6",
        "= Hinweis: meinten Sie „beschlossen“?",
        "Fehler: Ziffer „5“ gibt es nicht: der Antrag 042/19-2 hat 4 Ziffern\n  --> [PROJECT]/falsch.yaml:6:5",
        "Fehler: zu „geändert beschlossen“ fehlt der Text, wie ihn die Sitzung beschlossen hat (text: …)\n  --> [PROJECT]/falsch.yaml:7:8",
        "Fehler: zu „verwiesen“ fehlt das Gremium, an das verwiesen wurde (to: …)\n  --> [PROJECT]/falsch.yaml:8:18",
        "Fehler: die Beschlussdatei hat 5 Fehler; nichts wurde eingetragen",
    ] {
        assert!(
            out.stderr.contains(expected),
            "missing {expected:?} in\n{}",
            out.stderr
        );
    }
}

#[test]
fn a_whole_paper_referral_with_votes_waits_for_the_other_body() {
    let project = at_the_kreistag();
    let said = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--result",
            "verwiesen",
            "--to",
            "ausschuss",
            "--votes",
            "25:20:1",
        ],
    );
    assert!(said.contains("Verwiesen an Ausschuss für Soziales, Gleichstellung und Integration: Beratung in der Sitzung am 16.09.2019."), "{said}");
    let status = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &["status", "2019-042"],
    );
    assert!(status.contains("Stand: Kreistag"), "{status}");
    assert!(status.contains("Ja 25, Nein 20, Enthaltungen 1; an Ausschuss für Soziales, Gleichstellung und Integration"), "{status}");
    let out = project.run(&[
        "--now",
        "2019-06-28T10:00:00+02:00",
        "decide",
        "2019-042",
        "--body",
        "kreistag",
        "--as",
        "sitzungsdienst",
        "--result",
        "beschlosen",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("Fehler: unbekanntes Ergebnis „beschlosen“; möglich sind: beschlossen, geändert-beschlossen, abgelehnt, vertagt, verwiesen, zur-kenntnis-genommen, zurückgezogen, empfohlen, nicht-empfohlen; meinten Sie „beschlossen“?"), "{}", out.stderr);
}

#[test]
fn a_withdrawn_motion_is_recorded_and_its_body_office_told() {
    let project = Project::fixture("kreis");
    let now = "2019-05-20T10:00:00+02:00";
    let out = project.run(&["--now", now, "withdraw", "2019-042-1", "--as", "landrat"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: Petra Landwehr darf „042/19-1“ nicht zurückziehen: das dürfen nur die Verfasserin oder der Verfasser, die Unterzeichnenden der Fraktion und die Geschäftsstelle des Gremiums\n"
    );
    let said = ok(
        &project,
        now,
        &[
            "withdraw",
            "2019-042-1",
            "--as",
            "vorsitz-gruene",
            "--comment",
            "Erledigt durch Gespräch",
        ],
    );
    assert_eq!(
        said,
        "Herbert Goldmann hat „042/19-1“ zurückgezogen; die Beteiligten werden benachrichtigt.\n"
    );
    let status = ok(&project, now, &["status", "2019-042-1"]);
    assert!(status.contains("Stand: zurückgezogen\n"), "{status}");
    let line = status
        .lines()
        .find(|l| l.contains("Erledigt durch Gespräch"));
    assert!(
        line.is_some_and(|l| l.contains("zurückgezogen") && l.contains("Herbert Goldmann")),
        "{status}"
    );
    ok(&project, "2019-05-20T10:05:00+02:00", &["run"]);
    let outbox = ok(
        &project,
        "2019-05-20T10:05:00+02:00",
        &["--verbose", "outbox"],
    );
    let lines: Vec<&str> = outbox.lines().filter(|l| l.contains("Rücknahme")).collect();
    assert_eq!(lines.len(), 1, "{outbox}");
    assert!(
        lines[0].starts_with("042/19-1    Sitzungsdienst"),
        "{outbox}"
    );
    let again = project.run(&[
        "--now",
        now,
        "withdraw",
        "2019-042-1",
        "--as",
        "vorsitz-gruene",
    ]);
    assert_eq!(
        again.stderr,
        "Fehler: „042/19-1“ ist abgeschlossen (zurückgezogen) und kann nicht mehr zurückgezogen werden\n"
    );
}

#[test]
fn a_decided_paper_edited_afterwards_needs_an_editorial_correction() {
    let project = at_the_kreistag();
    let now = "2019-06-28T10:00:00+02:00";
    ok(
        &project,
        now,
        &[
            "decide",
            "2019-042",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
            "--einstimmig",
        ],
    );
    let out = project.run(&[
        "--now",
        now,
        "correct",
        "2019-042",
        "--as",
        "sachbearbeitung",
        "--comment",
        "Tippfehler",
    ]);
    assert_eq!(
        out.stderr,
        "Fehler: „042/19“ ist seit dem Beschluss unverändert; es gibt nichts zu korrigieren\n"
    );
    project.edit(
        "papers/2019-042.yaml",
        "Fördermittel zu beantragen",
        "Fördermittel zu beantragen und abzurufen",
    );
    let check = project.run(&["--now", now, "check"]);
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(check.stderr.contains(
        "Fehler: „042/19“ wurde am 27.06.2019 (Kreistag) beschlossen; Änderungen nur als redaktionelle Korrektur: ratsflow correct 2019-042 --as PERSON --comment \"…\"\n  --> papers/2019-042.yaml:13:1"
    ), "{}", check.stderr);
    // The signatures of the decided paper still count.
    let status = ok(&project, now, &["status", "2019-042"]);
    assert!(status.contains("Stand: beschlossen"), "{status}");
    let out = project.run(&[
        "--now",
        now,
        "correct",
        "2019-042",
        "--as",
        "vorsitz-gruene",
        "--comment",
        "Tippfehler",
    ]);
    assert_eq!(
        out.stderr,
        "Fehler: Herbert Goldmann darf „042/19“ nicht korrigieren: das dürfen nur die Verfasserin oder der Verfasser und die Geschäftsstelle des Gremiums\n"
    );
    let said = ok(
        &project,
        now,
        &[
            "correct",
            "2019-042",
            "--as",
            "sitzungsdienst",
            "--comment",
            "Wortlaut wie in der Niederschrift",
        ],
    );
    assert_eq!(
        said,
        "Sitzungsdienst hat „042/19“ redaktionell korrigiert; die neue Fassung gilt als die beschlossene.\n"
    );
    let check = project.run(&["--now", now, "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    let status = ok(&project, now, &["status", "2019-042"]);
    assert!(status.contains("redaktionell korrigiert"), "{status}");
    assert!(
        status.contains("Wortlaut wie in der Niederschrift; neue Fassung gilt als beschlossene"),
        "{status}"
    );
    assert!(!status.contains("gilt nicht mehr"), "{status}");
}

/// „wie Stellungnahme“: each Ziffer as the administration recommends in its Stellungnahme.
#[test]
fn a_motion_decided_as_the_stellungnahme_recommends() {
    let project = at_the_kreistag();
    project.write(
        "papers/2019-042-2-s.yaml",
        "kind: Stellungnahme der Verwaltung\nworkflow: antrag\nreference: \"042/19-2 S\"\nanswers: 2019-042-2\ntitle: Stellungnahme zum Änderungsantrag\ndate: 2019-06-20\nby: gruene\nbody: kreistag\nrecommendations:\n  - { ziffer: 1, recommend: ablehnen }\n  - { ziffer: 2, recommend: verweisen, to: ausschuss }\n  - { ziffer: 3, recommend: zustimmen }\n  - { ziffer: 4, recommend: zustimmen }\n",
    );
    project.write("wie.yaml", "motions:\n  \"042/19-2\": wie Stellungnahme\n");
    let file = project.file("wie.yaml");
    let said = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &[
            "decide",
            "2019-042",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    assert!(said.starts_with("Kreistag hat am 27.06.2019 über „042/19“ entschieden: geändert beschlossen.\nVerwiesen an Ausschuss für Soziales, Gleichstellung und Integration: Beratung in der Sitzung am 16.09.2019.\n"), "{said}");
    let status = ok(
        &project,
        "2019-06-28T10:00:00+02:00",
        &["status", "2019-042-2"],
    );
    assert!(status.contains(
        "Ergebnis des Antrags 042/19-2: teilweise abgelehnt, teilweise verwiesen, teilweise angenommen\n"
    ), "{status}");
}

#[test]
fn before_the_meeting_the_beschlussentwurf_lists_the_pending_motions() {
    let project = at_the_kreistag();
    ok(
        &project,
        "2019-06-20T10:00:00+02:00",
        &["render", "2019-042"],
    );
    let draft = docx_text(&project.file("out/2019-042/Beschlussentwurf_042-19.docx"));
    let at = |line: &str| draft.iter().position(|l| l == line);
    assert_eq!(draft[0], "Beschlussentwurf");
    let heading = at("Beschlussvorschlag:").expect("heading");
    let motions = at("Anträge zur Beratung:").expect("motions");
    assert!(heading < motions, "{draft:#?}");
    assert_eq!(
        draft[motions + 1..],
        [
            "Ergänzungsantrag 042/19-1 der Fraktion GRÜNE im Kreistag (Ziffer 1: Änderung des Beschlussvorschlages in Punkt 3; Ziffer 2: Neuer Punkt 4 zum Beschlussvorschlag)",
            "Änderungsantrag 042/19-2 der Fraktion GRÜNE im Kreistag (Ziffer 1: Änderung des Beschlussvorschlages in Punkt 2; Ziffer 2: Neuer Punkt 4 zum Beschlussvorschlag; Ziffer 3: Neuer Punkt 5 zum Beschlussvorschlag; Ziffer 4: Änderung des Beschlussvorschlages in Punkt 1)",
        ]
    );
}
