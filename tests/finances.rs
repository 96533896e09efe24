//! `finances:` is data, checked like every input: the box always says ja or nein, and the words
//! are the council's own.

mod support;

use support::Project;

fn check_with(to: &str) -> (i32, String) {
    let project = Project::fixture("kreis");
    project.edit("papers/2019-042.yaml", "financing: Landesmittel", to);
    let out = project.run(&["check"]);
    (out.code, out.stderr)
}

#[test]
fn finances_without_impact_is_a_located_error() {
    let (code, stderr) = check_with("finances:\n  recurrence: jährlich\n  expense: 1000");
    assert_eq!(
        stderr,
        "Fehler: die Finanziellen Auswirkungen brauchen „impact: ja“ oder „impact: nein“
  --> papers/2019-042.yaml:18:3
   |
18 |   recurrence: jährlich
   |   ^
   = Hinweis: „impact: nein“, wenn der Beschluss nichts kostet und nichts einbringt
1 Fehler
"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_unknown_word_names_the_allowed_ones() {
    let (code, stderr) = check_with("finances:\n  impact: vielleicht\n  recurrence: monatlich");
    assert_eq!(
        stderr,
        "Fehler: unbekannter Wert „vielleicht“
  --> papers/2019-042.yaml:18:11
   |
18 |   impact: vielleicht
   |           ^^^^^^^^^^
   = Hinweis: erlaubt sind: ja, nein
Fehler: unbekannter Wert „monatlich“
  --> papers/2019-042.yaml:19:15
   |
19 |   recurrence: monatlich
   |               ^^^^^^^^^
   = Hinweis: erlaubt sind: einmalig, jährlich
2 Fehler
"
    );
    assert_eq!(code, 1);
}

#[test]
fn complete_finances_are_clean() {
    let (code, stderr) = check_with(
        "finances:\n  impact: ja\n  recurrence: einmalig\n  expense: 12000\n  income: 0\n  \
         budget_line: Produkt 05.01\n  text: Landesmittel",
    );
    assert_eq!(stderr, "keine Probleme\n");
    assert_eq!(code, 0);
}
