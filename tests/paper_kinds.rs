//! Kinds of paper: resolved once, with their template, number series and German grammar; an
//! unknown kind is a located error; `ratsflow new` scaffolds motions and Stellungnahmen.

mod support;

use support::Project;

#[test]
fn an_unknown_kind_is_a_located_error_with_a_suggestion() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "kind: Beschlussvorlage",
        "kind: Beschlusvorlage",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: unbekannte Vorlagenart „Beschlusvorlage“\n  --> papers/2019-042.yaml:1:7\n"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("  = Hinweis: meinten Sie „Beschlussvorlage“?\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn new_refuses_an_unknown_kind() {
    let project = Project::fixture("kreis");
    let out = project.run(&[
        "--now",
        "2019-07-01",
        "new",
        "Beschlusvorlage",
        "--workflow",
        "kreistag",
        "--title",
        "X",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: unbekannte Vorlagenart „Beschlusvorlage“; meinten Sie „Beschlussvorlage“?\n"
    );
    assert!(!project.file("papers/2019-043.yaml").exists());
}

#[test]
fn new_scaffolds_a_motion_that_passes_check() {
    let project = Project::fixture("kreis");
    let out = project.run(&[
        "--now",
        "2019-05-20",
        "new",
        "Ergänzungsantrag",
        "--amends",
        "042/19",
        "--by",
        "gruene",
        "--title",
        "Mehr Stellen für die Wohlfahrtsverbände",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Ergänzungsantrag A 001/19 angelegt: papers/2019-a001.yaml\n"
    );
    let text = project.read("papers/2019-a001.yaml");
    for line in [
        "kind: \"Ergänzungsantrag\"\n",
        "workflow: \"antrag\"\n",
        "amends: \"2019-042\"\n",
        "by: \"gruene\"\n",
        "body: \"kreistag\"\n",
        "  - replace: 1\n",
    ] {
        assert!(text.contains(line), "{line:?} missing in\n{text}");
    }
    let out = project.run(&["--now", "2019-05-20", "check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn new_asks_a_motion_for_its_fraktion_and_its_base_paper() {
    let project = Project::fixture("kreis");
    let base = [
        "--now",
        "2019-05-20",
        "new",
        "Ergänzungsantrag",
        "--title",
        "X",
    ];
    let out = project.run(&base);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: der Ergänzungsantrag braucht --amends DRUCKSACHE: die Vorlage, deren Beschlussvorschlag er ändert\n"
    );
    let out = project.run(&[&base[..], &["--amends", "2019-042"]].concat());
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: einen Ergänzungsantrag stellt eine Fraktion: --by FRAKTION angeben\n"
    );
    let out = project.run(&[&base[..], &["--amends", "2019-042", "--by", "kreistag"]].concat());
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: „kreistag“ ist keine Fraktion (kind: fraktion im Verzeichnis)\n"
    );
}

#[test]
fn amends_belongs_to_amending_kinds_only() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042-1.yaml",
        "kind: Ergänzungsantrag",
        "kind: Anfrage",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: „amends“ gibt es nur bei Änderungs- und Ergänzungsanträgen, nicht bei „Anfrage“"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_project_declares_its_own_kind() {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}kinds:\n  Sitzungsvorlage: {{ article: die, template: beschlussvorlage.docx, series: SV }}\n"),
    );
    let out = project.run(&[
        "--now",
        "2019-07-01",
        "new",
        "sitzungsvorlage",
        "--workflow",
        "kreistag",
        "--title",
        "Haushalt",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Sitzungsvorlage SV 001/19 angelegt: papers/2019-sv001.yaml\n"
    );
    let out = project.run(&["--now", "2019-07-01", "check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn a_field_the_kinds_template_never_prints_is_a_warning() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "kind: Beschlussvorlage",
        "kind: Mitteilungsvorlage",
    );
    assert!(
        project
            .read("papers/2019-042.yaml")
            .contains("\nfinancing: ")
    );
    let out = project.run(&["check"]);
    assert!(
        out.stderr.contains(
            "Warnung: „financing“ ist ausgefüllt, aber die Vorlage „mitteilungsvorlage.docx“ druckt das Feld nicht\n  --> papers/2019-042.yaml:"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "= Hinweis: im Dokument fehlt dieser Text; die Vorlage ergänzen oder das Feld entfernen"
        ),
        "{}",
        out.stderr
    );
}
