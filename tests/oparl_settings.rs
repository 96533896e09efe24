//! `oparl: { base_url }` and `publish:` are checked like every other input: a missing base
//! URL stops `ratsflow oparl` with a German message saying what to write, a wrong one is
//! reported by `check` at its position, and so is a `publish:` that is not ja/nein.

mod oparl_common;

use oparl_common::Example;

#[test]
fn the_export_needs_a_base_url_and_says_how_to_give_it() {
    let example = Example::copy();
    example.edit(
        "ratsflow.yaml",
        "oparl: { base_url: \"https://ris.kreis-gross-gerau.example/oparl/\" }",
        "",
    );
    let (code, stdout, stderr) = example.run(&["oparl"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert_eq!(
        stderr,
        "Fehler: in ratsflow.yaml fehlt die Adresse der OParl-Schnittstelle, z. B.\n  oparl: { base_url: \"https://ris.kreis-gross-gerau.de/oparl/\" }\n(unter dieser Adresse wird der Ordner out/oparl/ veröffentlicht)\n"
    );
    assert!(!example.tree().exists(), "nothing written");
}

#[test]
fn a_wrong_base_url_is_reported_at_its_position() {
    let example = Example::copy();
    example.edit(
        "ratsflow.yaml",
        "base_url: \"https://ris.kreis-gross-gerau.example/oparl/\"",
        "base_url: \"ris.kreis-gross-gerau.example/oparl\"",
    );
    let (code, _, stderr) = example.run(&["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "Fehler: „ris.kreis-gross-gerau.example/oparl“ ist keine Web-Adresse: sie muss mit https:// beginnen, z. B. https://ris.kreis-gross-gerau.de/oparl/\n  --> ratsflow.yaml:"
        ),
        "{stderr}"
    );
    let (code, _, _) = example.run(&["oparl"]);
    assert_eq!(code, 1);
    assert!(!example.tree().exists(), "nothing written");
}

#[test]
fn publish_takes_ja_or_nein_and_is_reported_at_its_line() {
    let example = Example::copy();
    example.edit(
        "workflows/directory.yaml",
        "    organisation: kreis-unna\n    publish: true\n",
        "    organisation: kreis-unna\n    publish: vielleicht\n",
    );
    let (code, _, stderr) = example.run(&["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "Fehler: falscher Typ: Text „vielleicht“, erwartet wird ja/nein (true/false)\n   --> workflows/directory.yaml:"
        ),
        "{stderr}"
    );
}
