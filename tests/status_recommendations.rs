//! `ratsflow status` of a motion and of its base paper shows the administration's
//! recommendation per Ziffer once a Stellungnahme answers the motion.

mod support;

use support::Project;

const STELLUNGNAHME: &str = r#"kind: Stellungnahme der Verwaltung
workflow: stellungnahme
reference: "042/19-1 S"
title: Stellungnahme zum Ergänzungsantrag
date: 2019-05-20
answers: 2019-042-1
author: sachbearbeitung
recommendations:
  - ziffer: 1
    recommend: zustimmen
    reasons: Die Verbände sind ohnehin beteiligt.
  - ziffer: 2
    recommend: verweisen
    to: ausschuss
"#;

const WORKFLOW: &str = r#"name: Stellungnahme
stages:
  - id: zeichnung
    title: Zeichnung
    sign: { all: [paper.author] }
"#;

fn answered() -> Project {
    let project = Project::fixture("kreis");
    project.write("papers/2019-042-1-s.yaml", STELLUNGNAHME);
    project.write("workflows/stellungnahme.yaml", WORKFLOW);
    project
}

#[test]
fn status_of_the_motion_shows_the_recommendation_per_ziffer() {
    let project = answered();
    let status = project.run(&["--now", "2019-05-21", "status", "042/19-1"]);
    assert_eq!(status.code, 0, "{}", status.all());
    assert!(
        status.stdout.contains(
            "\nEmpfehlung der Verwaltung (Stellungnahme 042/19-1 S):\n  \
             Ziffer 1 (ersetzt Punkt 3 des Beschlussvorschlags): Zustimmung\n  \
             Ziffer 2 (ergänzt den Beschlussvorschlag um einen neuen Punkt): \
             Verweisung an: Ausschuss für Soziales, Gleichstellung und Integration\n"
        ),
        "{}",
        status.stdout
    );
}

#[test]
fn status_of_the_base_paper_names_the_motion_and_its_recommendations() {
    let project = answered();
    let status = project.run(&["--now", "2019-05-21", "status", "042/19"]);
    assert_eq!(status.code, 0, "{}", status.all());
    assert!(
        status.stdout.contains(
            "\nEmpfehlung der Verwaltung zum Ergänzungsantrag 042/19-1 (Stellungnahme 042/19-1 S):\n  \
             Ziffer 1 (ersetzt Punkt 3 des Beschlussvorschlags): Zustimmung\n"
        ),
        "{}",
        status.stdout
    );
}

#[test]
fn without_a_stellungnahme_status_shows_no_recommendation() {
    let project = Project::fixture("kreis");
    let status = project.run(&["--now", "2019-05-21", "status", "042/19-1"]);
    assert_eq!(status.code, 0, "{}", status.all());
    assert!(!status.stdout.contains("Empfehlung"), "{}", status.stdout);
}
