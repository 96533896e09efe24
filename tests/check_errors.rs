//! `ratsflow check` on broken inputs: every problem class, with its German message, position,
//! source line, caret and hint pinned word for word.

mod support;

use support::Project;

/// Applies one edit to the fixture, runs `check`, and returns (exit code, stderr).
fn check_with(file: &str, from: &str, to: &str) -> (i32, String) {
    let project = Project::fixture("kreis");
    project.edit(file, from, to);
    let out = project.run(&["check"]);
    assert_eq!(out.stdout, "", "check prints problems to stderr only");
    (out.code, out.stderr)
}

fn assert_check(file: &str, from: &str, to: &str, expected: &str) {
    let (code, stderr) = check_with(file, from, to);
    assert_eq!(stderr, expected, "\n--- got:\n{stderr}");
    let expected_code = if expected.contains("Fehler:") { 1 } else { 0 };
    assert_eq!(code, expected_code);
}

#[test]
fn yaml_syntax_error() {
    assert_check(
        "papers/2019-042.yaml",
        "title: Kommunales",
        "title: \"Kommunales",
        "Fehler: YAML-Syntaxfehler: Anführungszeichen wird nicht geschlossen
  --> papers/2019-042.yaml:4:8
   |
 4 | title: \"Kommunales Integrationsmanagement; Rahmenkonzept
   |        ^
   = Hinweis: jedes öffnende „\"“ oder „'“ braucht ein schließendes; Folgezeilen müssen eingerückt sein
1 Fehler
",
    );
}

#[test]
fn unknown_key_with_did_you_mean() {
    assert_check(
        "papers/2019-042.yaml",
        "financing:",
        "finanzing:",
        "Fehler: unbekannter Schlüssel „finanzing“
  --> papers/2019-042.yaml:17:1
   |
17 | finanzing: Landesmittel
   | ^^^^^^^^^
   = Hinweis: meinten Sie „financing“?
1 Fehler
",
    );
}

#[test]
fn wrong_type() {
    assert_check(
        "papers/2019-042.yaml",
        "financing: Landesmittel",
        "attachments: Rahmenkonzept.pdf",
        "Fehler: falscher Typ: Text „Rahmenkonzept.pdf“, erwartet wird eine Liste
  --> papers/2019-042.yaml:17:14
   |
17 | attachments: Rahmenkonzept.pdf
   |              ^^^^^^^^^^^^^^^^^
1 Fehler
",
    );
}

#[test]
fn unknown_stage() {
    assert_check(
        "workflows/kreistag.yaml",
        "on_return: mitzeichnung",
        "on_return: mitzeichnug",
        "Fehler: unbekannte Stufe „mitzeichnug“
  --> workflows/kreistag.yaml:12:16
   |
12 |     on_return: mitzeichnug
   |                ^^^^^^^^^^^
   = Hinweis: meinten Sie „mitzeichnung“?
1 Fehler
",
    );
}

#[test]
fn unknown_person() {
    assert_check(
        "workflows/kreistag.yaml",
        "all: [landrat]",
        "all: [landrath]",
        "Fehler: unbekannte Person „landrath“
  --> workflows/kreistag.yaml:11:19
   |
11 |     sign: { all: [landrath], role: Schlusszeichnung }
   |                   ^^^^^^^^
   = Hinweis: meinten Sie „landrat“?
1 Fehler
",
    );
}

#[test]
fn unknown_body() {
    assert_check(
        "workflows/kreistag.yaml",
        "body: kreistag,",
        "body: kreistagg,",
        "Fehler: unbekanntes Gremium „kreistagg“
  --> workflows/kreistag.yaml:23:22
   |
23 |     consult: { body: kreistagg, role: Entscheidung }
   |                      ^^^^^^^^^
   = Hinweis: meinten Sie „kreistag“?
1 Fehler
",
    );
}

#[test]
fn unknown_workflow() {
    assert_check(
        "papers/2019-042.yaml",
        "workflow: kreistag",
        "workflow: kreistak",
        "Fehler: unbekannter Ablauf „kreistak“
  --> papers/2019-042.yaml:2:11
   |
 2 | workflow: kreistak
   |           ^^^^^^^^
   = Hinweis: meinten Sie „kreistag“?
1 Fehler
",
    );
}

#[test]
fn unknown_paper() {
    assert_check(
        "papers/2019-042-1.yaml",
        "amends: 2019-042",
        "amends: 2019-024",
        "Fehler: unbekannte Drucksache „2019-024“
  --> papers/2019-042-1.yaml:6:9
   |
 6 | amends: 2019-024
   |         ^^^^^^^^
   = Hinweis: meinten Sie „2019-042“?
1 Fehler
",
    );
}

#[test]
fn stage_no_path_reaches() {
    assert_check(
        "workflows/kreistag.yaml",
        "    on_return: mitzeichnung",
        "    on_return: mitzeichnung\n    next: kreistag",
        "Fehler: die Stufe „ausschuss“ wird von keinem Weg erreicht
  --> workflows/kreistag.yaml:15:9
   |
15 |   - id: ausschuss
   |         ^^^^^^^^^
   = Hinweis: eine vorherige Stufe springt mit „next“ über sie hinweg
Fehler: die Stufe „bgm-dv“ wird von keinem Weg erreicht
  --> workflows/kreistag.yaml:18:9
   |
18 |   - id: bgm-dv
   |         ^^^^^^
   = Hinweis: eine vorherige Stufe springt mit „next“ über sie hinweg
2 Fehler
",
    );
}

#[test]
fn cycle_other_than_on_return() {
    assert_check(
        "workflows/kreistag.yaml",
        "    consult: { body: kreistag, role: Entscheidung }",
        "    consult: { body: kreistag, role: Entscheidung }\n    next: ausschuss",
        "Fehler: Kreislauf im Ablauf: ausschuss → bgm-dv → kreistag → ausschuss
  --> workflows/kreistag.yaml:24:11
   |
24 |     next: ausschuss
   |           ^^^^^^^^^
   = Hinweis: Rückwege gehören in „on_return“, nicht in „next“
1 Fehler
",
    );
}

#[test]
fn quorum_larger_than_its_list() {
    assert_check(
        "workflows/kreistag.yaml",
        "n: 2, of",
        "n: 4, of",
        "Fehler: das Quorum 4 ist größer als die Liste (3 Personen)
  --> workflows/kreistag.yaml:5:16
   |
 5 |     sign: { n: 4, of: [fb-soziales, kaemmerei, personalrat], role: Mitzeichnung }
   |                ^
   = Hinweis: höchstens 3 Unterschriften sind möglich
1 Fehler
",
    );
}

#[test]
fn duplicate_reference_number() {
    assert_check(
        "papers/2019-042-1.yaml",
        "reference: \"042/19-1\"",
        "reference: \"042/19\"",
        "Fehler: die Drucksachen-Nummer „042/19“ hat schon „2019-042-1“
  --> papers/2019-042.yaml:3:12
   |
 3 | reference: \"042/19\"
   |            ^^^^^^^^
   = Hinweis: jede Drucksache braucht eine eigene Nummer; ratsflow new vergibt die nächste freie
1 Fehler
",
    );
}

#[test]
fn amendment_to_a_point_that_does_not_exist() {
    assert_check(
        "papers/2019-042-1.yaml",
        "replace: 3",
        "replace: 5",
        "Fehler: die Drucksache „2019-042“ hat keinen Punkt 5
  --> papers/2019-042-1.yaml:10:14
   |
10 |   - replace: 5
   |              ^
   = Hinweis: der Beschlussvorschlag hat die Punkte 1 bis 3
1 Fehler
",
    );
}

#[test]
fn date_that_does_not_exist() {
    assert_check(
        "papers/2019-042.yaml",
        "kreistag: 2019-06-27",
        "kreistag: 2019-02-30",
        "Fehler: das Datum „2019-02-30“ gibt es nicht
  --> papers/2019-042.yaml:10:13
   |
10 |   kreistag: 2019-02-30
   |             ^^^^^^^^^^
1 Fehler
",
    );
}

#[test]
fn meeting_outside_the_calendar_is_only_a_warning() {
    assert_check(
        "papers/2019-042.yaml",
        "kreistag: 2019-06-27",
        "kreistag: 2019-06-28",
        "Warnung: am 28.06.2019 tagt „Kreistag“ laut Sitzungskalender nicht
  --> papers/2019-042.yaml:10:13
   |
10 |   kreistag: 2019-06-28
   |             ^^^^^^^^^^
   = Hinweis: für eine Sondersitzung ist das in Ordnung; sonst den Termin prüfen
1 Warnung
",
    );
}

#[test]
fn all_problems_of_all_files_at_once() {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/kreistag.yaml",
        "all: [landrat]",
        "all: [landrath]",
    );
    project.edit("papers/2019-042-1.yaml", "replace: 3", "replce: 3");
    project.edit("papers/2019-042-1.yaml", "reasons:", "reason:");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    let positions: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("  --> "))
        .collect();
    assert_eq!(
        positions,
        [
            "  --> papers/2019-042-1.yaml:10:5",
            "  --> papers/2019-042-1.yaml:13:1",
            "  --> workflows/kreistag.yaml:11:19",
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("meinten Sie „replace“?"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("meinten Sie „reasons“?"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.ends_with("3 Fehler\n"), "{}", out.stderr);
    // The paper whose workflow is broken is not reported again as "unknown workflow".
    assert!(!out.stderr.contains("unbekannter Ablauf"), "{}", out.stderr);
}

#[test]
fn several_problems_in_one_file() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "financing: Landesmittel",
        "attachments: Konzept.pdf\nunused: 1",
    );
    project.edit(
        "papers/2019-042.yaml",
        "date: 2019-04-29",
        "date: 2019-04-31",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    let messages: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("Fehler: "))
        .collect();
    assert_eq!(
        messages,
        [
            "Fehler: das Datum „2019-04-31“ gibt es nicht",
            "Fehler: falscher Typ: Text „Konzept.pdf“, erwartet wird eine Liste",
            "Fehler: unbekannter Schlüssel „unused“",
        ]
    );
}

#[test]
fn when_naming_an_unknown_field() {
    assert_check(
        "workflows/kreistag.yaml",
        "when: affects_municipalities",
        "when: affects_municipalitys",
        "Fehler: „when“ nennt das unbekannte Feld „affects_municipalitys“
  --> workflows/kreistag.yaml:19:11
   |
19 |     when: affects_municipalitys
   |           ^^^^^^^^^^^^^^^^^^^^^
   = Hinweis: meinten Sie „affects_municipalities“?
1 Fehler
",
    );
}

#[test]
fn when_naming_a_field_declared_by_the_project() {
    let project = support::Project::fixture("kreis");
    project.edit(
        "workflows/kreistag.yaml",
        "when: affects_municipalities",
        "when: eilbeduerftig",
    );
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}fields:\n  eilbeduerftig: Eilentscheidung nötig\n"),
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn structured_proposal_with_an_empty_point_and_too_deep() {
    assert_check(
        "papers/2019-042.yaml",
        "  - Der Kreistag nimmt das Rahmenkonzept zur Kenntnis.
  - Die Verwaltung wird beauftragt, Fördermittel zu beantragen.
  - Der Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
        "  intro: \"Der Kreistag beschließt:\"
  style: a)
  points:
    - text: \"\"
      points: [x]
    - y
    - text: z
      points:
        - text: w
          points:
            - text: v
              points: [tief]",
        "Fehler: der Punkt hat keinen Text
  --> papers/2019-042.yaml:17:13
   |
17 |     - text: \"\"
   |             ^^
Fehler: ein Beschlussvorschlag hat höchstens 3 Ebenen (z. B. 1., a), aa))
  --> papers/2019-042.yaml:25:23
   |
25 |               points: [tief]
   |                       ^
   = Hinweis: die Unterpunkte dieser Ebene als Text des Punktes schreiben
2 Fehler
",
    );
}

#[test]
fn recommendations_name_real_ziffern_and_refer_to_a_body() {
    let project = Project::fixture("kreis");
    project.write(
        "papers/s.yaml",
        "kind: Stellungnahme der Verwaltung
workflow: antrag
title: S
answers: 2019-042-1
by: gruene
body: kreistag
recommendations:
  - { ziffer: 3, recommend: ablehnen }
  - { ziffer: 1, recommend: verweisen }
  - { ziffer: 2, recommend: zustimmen, to: kreistag }
",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: der Antrag „2019-042-1“ hat keine Ziffer 3
  --> papers/s.yaml:8:15
   |
 8 |   - { ziffer: 3, recommend: ablehnen }
   |               ^
   = Hinweis: der Antrag hat die Ziffern 1 bis 2
Fehler: „verweisen“ braucht das Gremium in „to“
  --> papers/s.yaml:9:5
   |
 9 |   - { ziffer: 1, recommend: verweisen }
   |     ^
   = Hinweis: z. B. to: sozialausschuss
Fehler: „to“ gibt es nur bei „recommend: verweisen“
  --> papers/s.yaml:10:44
   |
10 |   - { ziffer: 2, recommend: zustimmen, to: kreistag }
   |                                            ^^^^^^^^
3 Fehler
"
    );
}

#[test]
fn an_unknown_key_does_not_hide_an_unknown_person() {
    let project = support::Project::fixture("kreis");
    project.edit("papers/2019-042.yaml", "title:", "titel: Entwurf\ntitle:");
    project.edit(
        "papers/2019-042.yaml",
        "author: sachbearbeitung",
        "author: sachbearbeitug",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let messages: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("Fehler: "))
        .collect();
    assert_eq!(
        messages,
        [
            "Fehler: unbekannter Schlüssel „titel“",
            "Fehler: unbekannte Person „sachbearbeitug“",
        ],
        "{}",
        out.stderr
    );
}

/// The fixture with sub-points a) to c) under point 2 of its base proposal (2019-042).
fn with_sub_points() -> Project {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "  - Die Verwaltung wird beauftragt, Fördermittel zu beantragen.",
        "  - text: \"Die Verwaltung wird beauftragt,\"\n    points:\n      - Fördermittel zu beantragen,\n      - Stellen auszuschreiben,\n      - einen Beirat zu bilden.",
    );
    project
}

/// [`with_sub_points`], its motion's first Ziffer addressing `target` instead of point 3;
/// returns `check`'s exit code and stderr.
fn check_sub_point(target: &str) -> (i32, String) {
    let project = with_sub_points();
    project.edit("papers/2019-042-1.yaml", "replace: 3", target);
    let out = project.run(&["check"]);
    (out.code, out.stderr)
}

#[test]
fn amendment_to_a_sub_point_that_does_not_exist() {
    let (code, stderr) = check_sub_point("replace: 2.f");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Fehler: die Drucksache „2019-042“ hat keinen Punkt 2 f)
  --> papers/2019-042-1.yaml:10:14
   |
10 |   - replace: 2.f
   |              ^^^
   = Hinweis: Punkt 2 hat die Unterpunkte a) bis c)
1 Fehler
"
    );
    let (code, stderr) = check_sub_point("insert: 2.e");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "Fehler: die Drucksache „2019-042“ hat keinen Punkt 2 e)
  --> papers/2019-042-1.yaml:10:13
   |
10 |   - insert: 2.e
   |             ^^^
   = Hinweis: einfügen lässt sich vor Unterpunkt a) bis c) von Punkt 2 (2.a bis 2.c), mit 2.d als neuer letzter Unterpunkt
"
        ),
        "{stderr}"
    );
    let (code, stderr) = check_sub_point("delete: 3.a");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(
            "Fehler: die Drucksache „2019-042“ hat keinen Punkt 3 a)
  --> papers/2019-042-1.yaml:10:13
   |
10 |   - delete: 3.a
   |             ^^^
   = Hinweis: Punkt 3 hat keine Unterpunkte; ändern lässt sich nur der ganze Punkt (3)
"
        ),
        "{stderr}"
    );
}

#[test]
fn amendment_to_a_sub_point_written_as_no_yaml_reads_it() {
    let (code, stderr) = check_sub_point("replace: 2.10");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Fehler: „2.10“ liest YAML als die Zahl 2,1
  --> papers/2019-042-1.yaml:10:14
   |
10 |   - replace: 2.10
   |              ^^^^
   = Hinweis: die Nummer des Unterpunktes in Anführungszeichen setzen: \"2.10\"
1 Fehler
"
    );
    let (code, stderr) = check_sub_point("replace: zwei b");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Fehler: „zwei b“ ist kein Punkt und kein Unterpunkt des Beschlussvorschlags
  --> papers/2019-042-1.yaml:10:14
   |
10 |   - replace: zwei b
   |              ^^^^^^
   = Hinweis: ein Punkt ist eine Zahl (2), ein Unterpunkt die Zahl seines Punktes, ein Punkt und sein Buchstabe oder seine Nummer (2.b oder 2.2)
1 Fehler
"
    );
    // Sub-points by letter or by number are fine.
    for fine in [
        "replace: 2.b",
        "replace: 2.2",
        "replace: \"2.3\"",
        "insert: 2.d",
    ] {
        assert_eq!(
            check_sub_point(fine),
            (0, "keine Probleme\n".to_string()),
            "{fine}"
        );
    }
}

/// The sub-point fixture with the motion's Ziffer 1 addressing `first` and its Ziffer 2 (an
/// append in the fixture) replaced by `second`; returns `check`'s exit code and stderr.
fn check_two_ziffern(first: &str, second: &str) -> (i32, String) {
    let project = with_sub_points();
    project.edit("papers/2019-042-1.yaml", "replace: 3", first);
    project.edit(
        "papers/2019-042-1.yaml",
        "  - append: Zwei der acht Stellen gehen an die freien Wohlfahrtsverbände.",
        second,
    );
    let out = project.run(&["check"]);
    (out.code, out.stderr)
}

#[test]
fn one_motion_changing_a_point_and_its_sub_point_is_an_error() {
    let (code, stderr) = check_two_ziffern("replace: 2.b", "  - delete: 2");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Fehler: Ziffer 2 und Ziffer 1 dieses Antrags ändern beide Punkt 2
  --> papers/2019-042-1.yaml:12:13
   |
12 |   - delete: 2
   |             ^
   = Hinweis: ein Antrag ändert einen Punkt entweder ganz oder in einzelnen Unterpunkten, und jeden nur einmal; was zusammengehört, in einer Ziffer fassen
1 Fehler
"
    );
    let (code, stderr) = check_two_ziffern("replace: 2.b", "  - delete: 2.2");
    assert_eq!(code, 1);
    assert!(
        stderr
            .starts_with("Fehler: Ziffer 2 und Ziffer 1 dieses Antrags ändern beide Punkt 2 b)\n"),
        "{stderr}"
    );
    let (code, stderr) = check_two_ziffern("replace: 2", "  - insert: 2.a\n    text: Neu");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("Fehler: Ziffer 2 und Ziffer 1 dieses Antrags ändern beide Punkt 2\n"),
        "{stderr}"
    );
    // Different sub-points, a new point before a changed one, and a sub-point inserted before
    // a replaced one are different places.
    for (first, second) in [
        ("replace: 2.a", "  - delete: 2.b"),
        ("replace: 2", "  - insert: 2\n    text: Neu"),
        ("replace: 2.b", "  - insert: 2.b\n    text: Neu"),
    ] {
        assert_eq!(
            check_two_ziffern(first, second),
            (0, "keine Probleme\n".to_string()),
            "{first} / {second}"
        );
    }
}
