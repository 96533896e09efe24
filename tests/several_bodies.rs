//! A motion addressed to several bodies in order (seed 003: Kreisausschuss, then Kreistag):
//! one row of the Beratungsfolge per body, the earlier ones a Vorberatung, the motion moving on
//! as each body decides; its document names both bodies and the meetings; located mistakes.

mod support;

use support::{Project, docx_text};

fn run(project: &Project, args: &[&str]) -> String {
    let out = project.run(args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    out.stdout
}

fn two_bodies() -> Project {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042-1.yaml",
        "body: kreistag\n",
        "body: [ausschuss, kreistag]\nmeetings: { ausschuss: 2019-06-03, entscheidung: 2019-06-27 }\n",
    );
    project
}

#[test]
fn the_motion_goes_through_each_body_in_order() {
    let project = two_bodies();
    run(
        &project,
        &[
            "--now",
            "2019-05-06",
            "sign",
            "042/19",
            "--as",
            "fb-soziales",
        ],
    );
    run(
        &project,
        &["--now", "2019-05-07", "sign", "042/19", "--as", "kaemmerei"],
    );
    run(
        &project,
        &["--now", "2019-05-08", "sign", "042/19", "--as", "landrat"],
    );
    run(
        &project,
        &[
            "--now",
            "2019-05-10",
            "sign",
            "042/19-1",
            "--as",
            "vorsitz-gruene",
        ],
    );
    let status = run(&project, &["--now", "2019-05-20", "status", "042/19-1"]);
    assert!(
        status.contains("Stand: Ausschuss für Soziales, Gleichstellung und Integration"),
        "{status}"
    );
    let rows: Vec<&str> = status
        .lines()
        .filter(|l| l.contains("(Vorberatung)") || l.contains("(Entscheidung)"))
        .map(|l| {
            l.split("  ")
                .find(|c| !c.trim().is_empty() && c.trim() != "▶" && c.trim() != "·")
                .unwrap_or_default()
                .trim()
        })
        .collect();
    assert_eq!(
        rows,
        [
            "Ausschuss für Soziales, Gleichstellung und Integration (Vorberatung)",
            "Beratung im Kreistag (Entscheidung)",
        ],
        "{status}"
    );
    // The committee deliberates the motion with its base paper: the motion moves on.
    run(
        &project,
        &[
            "--now",
            "2019-06-03T18:00:00+02:00",
            "decide",
            "042/19",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
            "--amendment",
            "042/19-1",
            "--adopted",
        ],
    );
    let status = run(&project, &["--now", "2019-06-04", "status", "042/19-1"]);
    assert!(status.contains("Stand: Beratung im Kreistag"), "{status}");
    // Its document names both bodies and the meetings, in one sentence.
    run(&project, &["--now", "2019-06-04", "render", "2019-042-1"]);
    let text = docx_text(&project.file("out/2019-042-1/Ergaenzungsantrag_042-19-1.docx"));
    assert!(
        text.contains(
            &"Die Fraktion GRÜNE im Kreistag richtet diesen Ergänzungsantrag zur Drucksache 042/19 an den ASGI und den Kreistag und bittet um Beratung und Abstimmung in den Sitzungen am 03.06.2019 (ASGI) und 27.06.2019 (Kreistag)."
                .to_string()
        ),
        "{text:#?}"
    );
}

#[test]
fn a_body_named_twice_or_unknown_is_a_located_error() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042-1.yaml",
        "body: kreistag\n",
        "body:\n  - kreistag\n  - kreistag\n  - kreistga\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    let all = out.all();
    assert!(
        all.contains(
            "Fehler: das Gremium „kreistag“ steht zweimal in „body“\n  --> papers/2019-042-1.yaml:10:5"
        ),
        "{all}"
    );
    assert!(
        all.contains("Fehler: unbekanntes Gremium „kreistga“\n  --> papers/2019-042-1.yaml:11:5"),
        "{all}"
    );
}
