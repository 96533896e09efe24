//! The meeting: `ratsflow meeting BODY DATE` shows the agenda, `--set` fixes it; papers added
//! afterwards form the Nachtrag, a motion after the Antragsfrist is marked, and a fixed meeting
//! moves neither with `--now` nor with an edit of the calendar.

mod support;

use support::Project;

const LATE_MOTION: &str = "kind: Änderungsantrag
workflow: antrag
reference: \"042/19-2\"
title: Halbjährlicher Bericht an den Kreistag
date: 2019-06-24
amends: 2019-042
by: gruene
body: kreistag
meetings:
  entscheidung: 2019-06-27
changes:
  - append: Die Verwaltung berichtet dem Kreistag halbjährlich.
reasons: |
  Der Bericht ist eilig.
";

const NON_PUBLIC: &str = "kind: Beschlussvorlage
workflow: kreistag
reference: \"050/19\"
title: Grundstücksangelegenheit Gewerbegebiet Nord
date: 2019-06-20
public: false
meetings:
  kreistag: 2019-06-27
proposal:
  - Der Kreistag stimmt dem Verkauf zu.
";

#[test]
fn the_agenda_numbers_motions_as_sub_items_and_adds_a_supplement_after_it_was_set() {
    let project = Project::fixture("kreis");
    let out = project.run(&[
        "--now",
        "2019-06-01",
        "meeting",
        "kreistag",
        "2019-06-27",
        "--set",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .starts_with("2 Drucksachen auf die Tagesordnung gesetzt.\n"),
        "{}",
        out.stdout
    );
    project.write("papers/2019-042-2.yaml", LATE_MOTION);
    project.write("papers/2019-050.yaml", NON_PUBLIC);
    let out = project.run(&["--now", "2019-06-25", "meeting", "kreistag", "27.06.2019"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.ends_with(
            "Noch nicht eingetragen: „ratsflow meeting kreistag 2019-06-27 --set“ setzt sie als \
             Nachtrag auf die Tagesordnung.\n"
        ),
        "{}",
        out.stdout
    );
    let out = project.run(&[
        "--now",
        "2019-06-25",
        "meeting",
        "kreistag",
        "2019-06-27",
        "--set",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let expected = format!(
        "2 Drucksachen als Nachtrag auf die Tagesordnung gesetzt.
Tagesordnung: Kreistag, Sitzung am 27.06.2019
Stand: festgelegt
Nachtrag: TOP 3.2, 4a

Öffentlicher Teil
  TOP  Drucksache  {:<75}Art                             Hinweis
  1                Eröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit
  2                Genehmigung der Niederschrift über die letzte Sitzung
  3    042/19      Kommunales Integrationsmanagement; Rahmenkonzept                           Beschlussvorlage, Entscheidung  Vorlage noch in Mitzeichnung
  3.1  042/19-1    Stärkere Einbindung der freien Wohlfahrtsverbände                          Ergänzungsantrag, Entscheidung  Vorlage noch in Mitzeichnung
  3.2  042/19-2    Halbjährlicher Bericht an den Kreistag                                     Änderungsantrag, Entscheidung   Nachtrag; Vorlage noch in Mitzeichnung; Dringlichkeitsantrag (nach der Antragsfrist 17.06.2019 eingereicht)
  4                Mitteilungen und Anfragen

Nichtöffentlicher Teil
  TOP  Drucksache  Betreff                                      Art                             Hinweis
  4a   050/19      Grundstücksangelegenheit Gewerbegebiet Nord  Beschlussvorlage, Entscheidung  Nachtrag; Vorlage noch in Mitzeichnung
  5                Mitteilungen und Anfragen
",
        "Betreff"
    );
    assert_eq!(out.stdout, expected);
    // Set once: a second --set records nothing.
    let again = project.run(&[
        "--now",
        "2019-06-26",
        "meeting",
        "kreistag",
        "2019-06-27",
        "--set",
    ]);
    assert!(
        again
            .stdout
            .starts_with("Die Tagesordnung ist schon festgelegt; nichts Neues eingetragen.\n"),
        "{}",
        again.stdout
    );
}

#[test]
fn the_agenda_document_has_both_parts_and_the_supplement() {
    let project = Project::fixture("kreis");
    let set = ["meeting", "kreistag", "2019-06-27", "--set"];
    let out = project.run(&[&["--now", "2019-06-01"][..], &set].concat());
    assert_eq!(out.code, 0, "{}", out.all());
    project.write("papers/2019-042-2.yaml", LATE_MOTION);
    project.write("papers/2019-050.yaml", NON_PUBLIC);
    let out = project.run(&[&["--now", "2019-06-25"][..], &set].concat());
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&["--now", "2019-06-25", "render"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let texts = project.document_paragraphs("out/kreistag/Tagesordnung_kreistag_2019-06-27.docx");
    assert_eq!(
        texts,
        [
            "Tagesordnung",
            "Kreistag",
            "Sitzung am:\tDonnerstag, 27.06.2019",
            "Stand:\tEinladung mit Nachtrag",
            "Nachtrag zur Tagesordnung: TOP 3.2, 4a",
            "Öffentlicher Teil",
            "TOP 1\tEröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit",
            "TOP 2\tGenehmigung der Niederschrift über die letzte Sitzung",
            "TOP 3\tKommunales Integrationsmanagement; Rahmenkonzept",
            "Drucksache 042/19 · Beschlussvorlage · Entscheidung · Vorlage noch in Mitzeichnung",
            "TOP 3.1\tStärkere Einbindung der freien Wohlfahrtsverbände",
            "Drucksache 042/19-1 · Ergänzungsantrag · Entscheidung · Vorlage noch in Mitzeichnung",
            "TOP 3.2\tHalbjährlicher Bericht an den Kreistag",
            "Drucksache 042/19-2 · Änderungsantrag · Entscheidung · Nachtrag · Vorlage noch in Mitzeichnung · \
             Dringlichkeitsantrag (nach der Antragsfrist 17.06.2019 eingereicht)",
            "TOP 4\tMitteilungen und Anfragen",
            "Nichtöffentlicher Teil",
            "TOP 4a\tGrundstücksangelegenheit Gewerbegebiet Nord",
            "Drucksache 050/19 · Beschlussvorlage · Entscheidung · Nachtrag · Vorlage noch in Mitzeichnung",
            "TOP 5\tMitteilungen und Anfragen",
        ]
    );
}

#[test]
fn a_scheduled_meeting_moves_neither_with_now_nor_with_the_calendar() {
    let project = Project::fixture("kreis");
    // Without a named meeting the calendar picks the committee's next one.
    project.edit(
        "papers/2019-042.yaml",
        "meetings:\n  ausschuss: 2019-06-03\n  kreistag: 2019-06-27\n",
        "",
    );
    let before = project.run(&["--now", "2019-05-25", "status", "042/19"]);
    assert!(
        before
            .stdout
            .contains("Fachausschuss (Vorberatung)                offen  Sitzung 16.09.2019 (aus dem Sitzungskalender)"),
        "{}",
        before.stdout
    );
    let out = project.run(&[
        "--now",
        "2019-05-01",
        "meeting",
        "ausschuss",
        "2019-06-03",
        "--set",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let fixed = "Fachausschuss (Vorberatung)                offen  Sitzung 03.06.2019 (Tagesordnung festgelegt)";
    let later = project.run(&["--now", "2019-05-25", "status", "042/19"]);
    assert!(later.stdout.contains(fixed), "{}", later.stdout);
    assert!(
        later
            .stdout
            .contains("01.05.2019 12:00  auf der Tagesordnung vom 03.06.2019"),
        "{}",
        later.stdout
    );
    project.edit(
        "workflows/directory.yaml",
        "meetings: [2019-04-09, 2019-06-03, 2019-09-16]",
        "meetings: [2019-04-09, 2019-09-16]",
    );
    let edited = project.run(&["--now", "2019-05-25", "status", "042/19"]);
    assert!(edited.stdout.contains(fixed), "{}", edited.stdout);
}

#[test]
fn an_unknown_body_is_refused_with_a_suggestion() {
    let project = Project::fixture("kreis");
    let out = project.run(&["meeting", "kreistg", "2019-06-27"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: es gibt kein Gremium „kreistg“; meinten Sie „kreistag“?\n"
    );
}

#[test]
fn a_motion_after_the_antragsfrist_is_marked_in_status_and_in_its_document() {
    let project = Project::fixture("kreis");
    project.write("papers/2019-042-2.yaml", LATE_MOTION);
    let out = project.run(&["--now", "2019-06-25", "status", "042/19-2"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout.contains(
            "Antragsfrist: 17.06.2019 (Kreistag, Sitzung am 27.06.2019) — nach der Antragsfrist \
             eingereicht: Dringlichkeitsantrag / Tischvorlage\n"
        ),
        "{}",
        out.stdout
    );
    // A motion in time shows its Antragsfrist only.
    let out = project.run(&["--now", "2019-05-13", "status", "042/19-1"]);
    assert!(
        out.stdout
            .contains("Antragsfrist: 17.06.2019 (Kreistag, Sitzung am 27.06.2019)\n"),
        "{}",
        out.stdout
    );
    let out = project.run(&["--now", "2019-06-25", "render", "042/19-2"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let texts = project.document_paragraphs("out/2019-042-2/Aenderungsantrag_042-19-2.docx");
    assert!(
        texts.iter().any(|t| t
            == "Dringlichkeitsantrag / Tischvorlage: eingereicht nach der Antragsfrist 17.06.2019 \
                (Kreistag, Sitzung am 27.06.2019)"),
        "{texts:#?}"
    );
}
