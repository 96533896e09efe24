//! The Beratungsfolge: each row has its own Ö/N (paper, workflow stage, or the paper's meeting
//! entry), its role (built-in or the project's `roles:`), and its TOP once the agenda is set.

mod support;

use support::Project;

#[test]
fn each_row_has_its_part_its_role_and_its_top() {
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}roles:\n  Vorberatung und Empfehlung: vorberatung\n"),
    );
    project.edit(
        "workflows/kreistag.yaml",
        "consult: { body: ausschuss, role: Vorberatung }",
        "consult: { body: ausschuss, role: Vorberatung und Empfehlung, public: false }",
    );
    project.edit(
        "papers/2019-042.yaml",
        "  kreistag: 2019-06-27\n",
        "  kreistag: { date: 2019-06-27, public: true }\n",
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
    // Nichtöffentlich in the committee: the paper is in the second part of its agenda.
    assert!(
        out.stdout.contains(
            "Nichtöffentlicher Teil\n  TOP  Drucksache  Betreff                                           Art                                           Hinweis\n  4    042/19      Kommunales Integrationsmanagement; Rahmenkonzept  Beschlussvorlage, Vorberatung und Empfehlung  Vorlage noch in Mitzeichnung\n"
        ),
        "{}",
        out.stdout
    );
    let out = project.run(&["--now", "2019-05-01", "render", "042/19"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let texts = project.document_paragraphs("out/2019-042/Beschlussvorlage_042-19.docx");
    let start = texts.iter().position(|t| t == "Beratungsfolge").unwrap();
    assert_eq!(
        texts[start..start + 18],
        [
            "Beratungsfolge",
            "Gremium",
            "Datum",
            "Ö/N",
            "TOP",
            "Zuständigkeit",
            "Ausschuss für Soziales, Gleichstellung und Integration",
            "03.06.2019",
            "N",
            "4",
            "Vorberatung und Empfehlung",
            "Bürgermeisterdienstversammlung",
            "12.06.2019",
            "Ö",
            "Beratung",
            "Kreistag",
            "27.06.2019",
            "Ö",
        ]
    );
}

#[test]
fn an_unknown_role_is_a_located_error() {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/kreistag.yaml",
        "consult: { body: ausschuss, role: Vorberatung }",
        "consult: { body: ausschuss, role: Vorbereitung }",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr.contains(
            "Fehler: unbekannte Zuständigkeit (eigene unter „roles:“ in ratsflow.yaml) „Vorbereitung“"
        ),
        "{}",
        out.stderr
    );
}
