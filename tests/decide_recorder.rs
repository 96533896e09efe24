//! `decide` records who entered the decision: `--as PERSON` is required, only the office of
//! the deciding body (its Sitzungsdienst) may use it, and `status PAPER` shows the name.

mod support;

use support::Project;

/// The kreis fixture with both sign stages of 042/19 signed: the Fachausschuss is next.
fn at_the_committee() -> Project {
    let project = Project::fixture("kreis");
    for (who, day) in [
        ("fb-soziales", "2019-05-06"),
        ("kaemmerei", "2019-05-07"),
        ("landrat", "2019-05-08"),
    ] {
        let out = project.run(&["--now", day, "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    project
}

fn decide_as(project: &Project, who: &str) -> support::Output {
    project.run(&[
        "--now",
        "2019-06-03T18:00:00+02:00",
        "decide",
        "042/19",
        "--body",
        "ausschuss",
        "--as",
        who,
        "--result",
        "beschlossen",
    ])
}

#[test]
fn the_office_of_the_body_records_the_decision_and_status_names_it() {
    let project = at_the_committee();
    let out = decide_as(&project, "sitzungsdienst");
    assert_eq!(out.code, 0, "{}", out.all());
    let journal = project.read("state/2019-042.jsonl");
    let last = journal.lines().last().unwrap_or_default();
    assert!(
        last.contains("\"event\":\"decided\"") && last.contains("\"who\":\"sitzungsdienst\""),
        "{last}"
    );
    let status = project.run(&["--now", "2019-06-04", "status", "042/19"]);
    let line = status
        .stdout
        .lines()
        .find(|l| l.contains("03.06.2019 18:00"))
        .unwrap_or_default();
    assert!(
        line.contains("beschlossen") && line.contains("Sitzungsdienst"),
        "{}",
        status.stdout
    );
}

#[test]
fn someone_outside_the_office_is_refused_and_nothing_is_recorded() {
    let project = at_the_committee();
    let before = project.read("state/2019-042.jsonl");
    let out = decide_as(&project, "landrat");
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: Petra Landwehr („landrat“) darf keine Beschlüsse des Gremiums „Ausschuss für Soziales, Gleichstellung und Integration“ eintragen; das tut seine Geschäftsstelle: sitzungsdienst (Sitzungsdienst)\n"
    );
    let out = decide_as(&project, "sitzungsdinest");
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: „sitzungsdinest“ steht nicht im Verzeichnis; meinten Sie „sitzungsdienst“?\n"
    );
    assert_eq!(project.read("state/2019-042.jsonl"), before);
}

#[test]
fn a_decision_without_as_is_refused_by_the_command_line() {
    let project = at_the_committee();
    let out = project.run(&[
        "decide",
        "042/19",
        "--body",
        "ausschuss",
        "--result",
        "beschlossen",
    ]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr
            .starts_with("Fehler: es fehlt die Pflichtangabe „--as <PERSON>“\n"),
        "{}",
        out.stderr
    );
}
