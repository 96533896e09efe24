//! A Vorlage still in Mitzeichnung on a meeting's agenda: the Sitzungsdienst sees it on the
//! draft agenda marked „Vorlage noch in Mitzeichnung“, `meeting --set` fixes it only with a
//! warning, and the mark goes once the Vorlage is released (signed through).

mod support;

use support::Project;

fn row_of<'a>(stdout: &'a str, reference: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.contains(reference))
        .unwrap_or_else(|| panic!("no row for {reference} in:\n{stdout}"))
}

#[test]
fn a_paper_in_mitzeichnung_is_marked_and_setting_the_agenda_warns() {
    let project = Project::fixture("kreis");
    let draft = project.run(&["--now", "2019-05-02", "meeting", "ausschuss", "2019-06-03"]);
    assert_eq!(draft.code, 0, "{}", draft.all());
    assert!(
        row_of(&draft.stdout, "042/19 ").ends_with("Vorlage noch in Mitzeichnung"),
        "{}",
        draft.stdout
    );
    let set = project.run(&[
        "--now",
        "2019-05-02",
        "meeting",
        "ausschuss",
        "2019-06-03",
        "--set",
    ]);
    assert_eq!(set.code, 0, "{}", set.all());
    assert_eq!(
        set.stderr,
        "Warnung: noch in Mitzeichnung, trotzdem auf die Tagesordnung gesetzt: 042/19; dort steht „Vorlage noch in Mitzeichnung“, bis die Vorlage freigegeben ist\n"
    );
    assert!(
        set.stdout
            .starts_with("1 Drucksache auf die Tagesordnung gesetzt.\n"),
        "{}",
        set.stdout
    );
    // Signed through (two Mitzeichnungen, the Landrat): released, the mark is gone.
    for who in ["fb-soziales", "kaemmerei", "landrat"] {
        let out = project.run(&["--now", "2019-05-06", "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let released = project.run(&["--now", "2019-05-07", "meeting", "ausschuss", "2019-06-03"]);
    assert_eq!(released.code, 0, "{}", released.all());
    assert!(
        !row_of(&released.stdout, "042/19 ").contains("Mitzeichnung"),
        "{}",
        released.stdout
    );
}
