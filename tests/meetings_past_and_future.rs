//! Meetings in time: a decision recorded for a meeting that has not happened yet is kept but
//! questioned; a meeting that passed without a recorded result asks the office for it in
//! `status` (the notice itself is pinned in the engine tests).

mod support;

use support::Project;

fn at_the_committee(project: &Project) {
    for (who, now) in [
        ("fb-soziales", "2019-05-06"),
        ("kaemmerei", "2019-05-07"),
        ("landrat", "2019-05-08"),
    ] {
        let out = project.run(&["--now", now, "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
}

#[test]
fn a_decision_for_a_meeting_in_the_future_is_recorded_with_a_warning() {
    let project = Project::fixture("kreis");
    at_the_committee(&project);
    let out = project.run(&[
        "--now",
        "2019-05-20",
        "decide",
        "042/19",
        "--body",
        "ausschuss",
        "--as",
        "sitzungsdienst",
        "--result",
        "beschlossen",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Warnung: die Sitzung vom 03.06.2019 liegt in der Zukunft (heute ist der 20.05.2019); \
         eingetragen ist der Beschluss trotzdem — stimmt das Datum?\n"
    );
}

#[test]
fn a_passed_meeting_without_a_result_asks_for_it_in_status() {
    let project = Project::fixture("kreis");
    at_the_committee(&project);
    let out = project.run(&["--now", "2019-06-04", "status", "042/19"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stdout
            .contains("ASGI: Ergebnis der Sitzung vom 03.06.2019 eintragen"),
        "{}",
        out.stdout
    );
}
