//! No input file can stop the tool (issue 8 §2, loader part): deep nesting, byte-order marks,
//! floods of problems and huge files each become a located problem of that one file, and every
//! command keeps working on the other papers.

mod support;

use support::Project;

/// The first `n` lines of a text.
fn head(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// `check` on a fixture with one extra paper: (exit code, stderr).
fn check_with_paper(name: &str, text: &str) -> (Project, i32, String) {
    let project = Project::fixture("kreis");
    project.write(&format!("papers/{name}"), text);
    let out = project.run(&["check"]);
    (project, out.code, out.stderr)
}

#[test]
fn deep_block_nesting_is_located_and_the_other_papers_still_work() {
    let (project, code, stderr) =
        check_with_paper("tief.yaml", &format!("{}v\n", "- ".repeat(5000)));
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        head(&stderr, 2),
        "Fehler: die Daten sind zu tief verschachtelt (mehr als 64 Ebenen)\n  --> papers/tief.yaml:1:129"
    );
    assert!(stderr.ends_with(
        "   = Hinweis: ratsflow-Dateien brauchen nur wenige Ebenen; prüfen Sie die Einrückung und die Klammern „[“ und „{“\n1 Fehler\n"
    ));

    let status = project.run(&["status", "042/19"]);
    assert_eq!(status.code, 0, "{}", status.all());
    let sign = project.run(&[
        "--now",
        "2019-05-06",
        "sign",
        "042/19",
        "--as",
        "fb-soziales",
    ]);
    assert_eq!(sign.code, 0, "{}", sign.all());
    assert!(
        sign.stdout
            .starts_with("Fatma Şahin hat „042/19“ in der Stufe „Mitzeichnung“ unterschrieben.")
    );
}

#[test]
fn deep_indented_mappings_point_at_the_key_that_is_too_deep() {
    let text: String = (0..70).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
    let (_project, code, stderr) =
        check_with_paper("tief.yaml", &format!("{text}{}v\n", " ".repeat(70)));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "Fehler: die Daten sind zu tief verschachtelt (mehr als 64 Ebenen)
  --> papers/tief.yaml:65:65
   |
65 | {}a:
   | {}^
   = Hinweis: ratsflow-Dateien brauchen nur wenige Ebenen; prüfen Sie die Einrückung und die Klammern „[“ und „{{“
1 Fehler
",
            " ".repeat(64),
            " ".repeat(64)
        )
    );
}

#[test]
fn deep_flow_nesting_is_located() {
    for (text, column) in [
        (format!("{}{}\n", "[".repeat(5000), "]".repeat(5000)), 256),
        (
            format!("{}v{}\n", "{a: ".repeat(5000), "}".repeat(5000)),
            1021,
        ),
    ] {
        let (project, code, stderr) = check_with_paper("tief.yaml", &text);
        assert_eq!(code, 1);
        assert_eq!(
            head(&stderr, 2),
            format!(
                "Fehler: die Daten sind zu tief verschachtelt (mehr als 64 Ebenen)\n  --> papers/tief.yaml:1:{column}"
            )
        );
        assert_eq!(project.run(&["status"]).code, 0);
    }
}

/// Puts a UTF-8 byte-order mark before a file of the fixture.
fn add_bom(project: &Project, file: &str) {
    let text = project.read(file);
    project.write(file, &format!("\u{feff}{text}"));
}

#[test]
fn byte_order_marks_are_accepted_in_every_kind_of_file() {
    let project = Project::fixture("kreis");
    for file in [
        "ratsflow.yaml",
        "workflows/directory.yaml",
        "workflows/kreistag.yaml",
        "workflows/antrag.yaml",
        "papers/2019-042.yaml",
        "papers/2019-042-1.yaml",
    ] {
        add_bom(&project, file);
    }
    let out = project.run(&["check"]);
    assert_eq!((out.code, out.stderr.as_str()), (0, "keine Probleme\n"));
    assert_eq!(project.run(&["status", "042/19"]).code, 0);
}

#[test]
fn positions_after_a_byte_order_mark_stay_right() {
    let project = Project::fixture("kreis");
    project.edit("papers/2019-042.yaml", "kind:", "knd:");
    add_bom(&project, "papers/2019-042.yaml");
    project.edit("workflows/kreistag.yaml", "name:", "nme:");
    add_bom(&project, "workflows/kreistag.yaml");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: unbekannter Schlüssel „knd“
  --> papers/2019-042.yaml:1:1
   |
 1 | knd: Beschlussvorlage
   | ^^^
   = Hinweis: meinten Sie „kind“?
Fehler: unbekannter Schlüssel „nme“
  --> workflows/kreistag.yaml:1:1
   |
 1 | nme: Beschlussvorlage an den Kreistag
   | ^^^
   = Hinweis: meinten Sie „name“?
2 Fehler
"
    );
}

#[test]
fn forty_thousand_unknown_keys_show_twenty_and_sum_up_the_rest() {
    // A paper of its own number, so that the unknown keys are its only problems.
    let base = Project::fixture("kreis")
        .read("papers/2019-042.yaml")
        .replace("reference: \"042/19\"", "reference: \"099/19\"");
    let keys: String = (0..40_000)
        .map(|i| format!("unbekannt_{i}: wert\n"))
        .collect();
    let (_project, code, stderr) = check_with_paper("viel.yaml", &format!("{base}{keys}"));
    assert_eq!(code, 1);
    assert_eq!(stderr.matches("Fehler: unbekannter Schlüssel").count(), 20);
    let first = base.lines().count() + 1;
    assert!(stderr.ends_with(&format!(
        "Fehler: … und 39.980 weitere Probleme in dieser Datei
  --> papers/viel.yaml:{line}:1
   |
{line} | unbekannt_20: wert
   | ^^^^^^^^^^^^
   = Hinweis: das erste davon steht hier; beheben Sie die gezeigten Probleme und prüfen Sie erneut mit „ratsflow check“
21 Fehler
",
        line = first + 20
    )));
}

#[test]
fn a_file_over_ten_megabytes_is_refused_before_parsing() {
    let line = "# eine Kommentarzeile, die sich wiederholt\n";
    let text = line.repeat(11 * 1024 * 1024 / line.len());
    let (project, code, stderr) = check_with_paper("riesig.yaml", &text);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "Fehler: die Datei ist zu groß (10,9 MB); erlaubt sind höchstens 10 MB
  --> papers/riesig.yaml
   = Hinweis: eine Drucksache gehört in eine Datei von wenigen Kilobyte; Anlagen stehen unter „attachments“
1 Fehler
"
    );
    assert_eq!(project.run(&["status", "042/19"]).code, 0);
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let project = Project::fixture("kreis");
    let path = project.file("papers/latin1.yaml");
    std::fs::write(path, b"kind: Antrag\ntitle: Gr\xfc\xdfe\n").unwrap();
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: die Datei ist nicht in UTF-8 gespeichert
  --> papers/latin1.yaml:2:10
   = Hinweis: speichern Sie die Datei im Editor mit der Kodierung „UTF-8“
1 Fehler
"
    );
}

#[test]
fn a_folder_in_place_of_the_directory_file_is_reported() {
    let project = Project::fixture("kreis");
    std::fs::remove_file(project.file("workflows/directory.yaml")).unwrap();
    std::fs::create_dir(project.file("workflows/directory.yaml")).unwrap();
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "Fehler: das ist keine gewöhnliche Datei (sondern ein Ordner oder eine Gerätedatei)
  --> workflows/directory.yaml
   = Hinweis: ersetzen Sie sie durch eine YAML-Datei oder entfernen Sie sie
"
        ),
        "{}",
        out.stderr
    );
}
