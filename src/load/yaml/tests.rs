//! Tests of positions, decoding and German messages.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use super::decode::yaml_path_display;
use super::*;
use crate::diagnostic::{RenderStyle, render};
use serde::de::DeserializeOwned;

#[derive(Debug, Deserialize, PartialEq)]
struct Paper {
    title: String,
    #[serde(default)]
    proposal: Vec<String>,
    #[serde(default)]
    meetings: BTreeMap<String, NaiveDate>,
    workflow: String,
}

#[derive(Debug, Deserialize)]
struct Workflow {
    name: String,
    stages: Vec<Stage>,
}

#[derive(Debug, Deserialize)]
struct Stage {
    id: String,
    #[serde(default)]
    consult: Option<Consult>,
    #[serde(default)]
    sign: Option<Sign>,
}

#[derive(Debug, Deserialize)]
struct Consult {
    body: String,
    role: Role,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Role {
    Vorberatung,
    Beratung,
    Entscheidung,
}

#[derive(Debug, Deserialize)]
struct Sign {
    #[serde(default)]
    all: Option<Vec<String>>,
    #[serde(default)]
    n: Option<u32>,
}

/// A date with a German error, like the real crate's `model::dates::Date`.
#[derive(Debug)]
struct GermanDate(#[allow(dead_code)] NaiveDate);

impl<'de> Deserialize<'de> for GermanDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(GermanDate)
            .map_err(|_| de::Error::custom(format!("das Datum „{text}“ gibt es nicht")))
    }
}

#[derive(Debug, Deserialize)]
struct Body {
    #[allow(dead_code)]
    meetings: Vec<GermanDate>,
}

#[derive(Debug, Deserialize, Default, PartialEq)]
struct AllOptional {
    #[serde(default)]
    a: Option<String>,
}

fn source(text: &str) -> YamlSource {
    match YamlSource::parse(Path::new("papers/p.yaml"), text) {
        Ok(source) => source,
        Err(d) => panic!("unexpected syntax error: {d:?}"),
    }
}

/// Each diagnostic as `line:column/width message | hint`.
fn show(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let at = d.location.map_or("-".to_string(), |l| {
                format!("{}:{}/{}", l.line, l.column, d.width)
            });
            match &d.hint {
                Some(hint) => format!("{at} {} | {hint}", d.message),
                None => format!("{at} {}", d.message),
            }
        })
        .collect()
}

fn run<T: DeserializeOwned>(text: &str, vocabulary: &[&str]) -> (Option<T>, Vec<String>) {
    let (value, diagnostics) = decode::<T>(&source(text), vocabulary);
    (value, show(&diagnostics))
}

const PAPER: &str = "\
title: Kommunale Sozialarbeit
workflow: standard
proposal:
  - Der Kreistag beschließt.
  - \"Punkt zwei\"
meetings: { ausschuss: 2026-03-04, kreistag: 2026-03-20 }
";

#[test]
fn decodes_a_valid_paper() {
    let (paper, diagnostics) = run::<Paper>(PAPER, &[]);
    assert_eq!(diagnostics, Vec::<String>::new());
    let paper = paper.expect("decoded");
    assert_eq!(paper.proposal.len(), 2);
    assert_eq!(
        paper.meetings.get("kreistag"),
        NaiveDate::from_ymd_opt(2026, 3, 20).as_ref()
    );
}

#[test]
fn decodes_a_nested_workflow() {
    let text = "name: Standard\nstages:\n  - id: a\n    sign: { all: [x, y], n: 2 }\n  - id: b\n    consult:\n      body: jha\n      role: beratung\n";
    let (workflow, diagnostics) = run::<Workflow>(text, &[]);
    assert!(diagnostics.is_empty());
    let workflow = workflow.expect("decoded");
    assert_eq!(workflow.name, "Standard");
    assert_eq!(workflow.stages[0].id, "a");
    let sign = workflow.stages[0].sign.as_ref().expect("sign");
    assert_eq!(
        (sign.all.as_ref().map(Vec::len), sign.n),
        (Some(2), Some(2))
    );
    let consult = workflow.stages[1].consult.as_ref().expect("consult");
    assert_eq!(
        (consult.body.as_str(), &consult.role),
        ("jha", &Role::Beratung)
    );
}

#[test]
fn indexes_block_and_flow_positions() {
    let src = source(PAPER);
    let at = |path: &[Seg]| src.value_location(path).map(|(l, w)| (l.line, l.column, w));
    let key = |path: &[Seg]| src.key_location(path).map(|(l, w)| (l.line, l.column, w));
    assert_eq!(at(&[]), Some((1, 1, 1)));
    assert_eq!(key(&yaml_path!["title"]), Some((1, 1, 5)));
    assert_eq!(at(&yaml_path!["title"]), Some((1, 8, 22)));
    assert_eq!(at(&yaml_path!["proposal"]), Some((4, 3, 1)));
    assert_eq!(at(&yaml_path!["proposal", 0]), Some((4, 5, 24)));
    assert_eq!(at(&yaml_path!["proposal", 1]), Some((5, 5, 12)));
    assert_eq!(at(&yaml_path!["proposal", 2]), None);
    assert_eq!(at(&yaml_path!["meetings"]), Some((6, 11, 1)));
    assert_eq!(key(&yaml_path!["meetings", "kreistag"]), Some((6, 36, 8)));
    assert_eq!(at(&yaml_path!["meetings", "kreistag"]), Some((6, 46, 10)));
    assert_eq!(key(&[]), None);
    assert_eq!(src.file(), Path::new("papers/p.yaml"));
    assert_eq!(src.text(), PAPER);
}

#[test]
fn columns_count_characters() {
    let src = source("ä: &x \"größe\" # c\nü:\n  - 'it''s' \n  - *x\n");
    let at = |path: &[Seg]| src.value_location(path).map(|(l, w)| (l.line, l.column, w));
    assert_eq!(at(&yaml_path!["ä"]), Some((1, 7, 7)));
    assert_eq!(at(&yaml_path!["ü", 0]), Some((3, 5, 7)));
    assert_eq!(at(&yaml_path!["ü", 1]), Some((4, 5, 2)));
}

#[test]
fn empty_values_point_after_the_key() {
    let src = source("title:\nworkflow: x\n");
    assert_eq!(
        src.value_location(&yaml_path!["title"]),
        Some((Location::new(1, 7), 1))
    );
}

#[test]
fn locate_falls_back_to_an_ancestor() {
    let src = source("stages:\n  - id: a\n    sign:\n      all: [x]\n");
    let path = yaml_path!["stages", 0, "sign", "any"];
    assert_eq!(src.value_location(&path), None);
    assert_eq!(src.locate(&path), (Location::new(4, 7), 1));
    assert_eq!(
        src.locate(&yaml_path!["stages", 5, "id"]),
        (Location::new(2, 3), 1)
    );
    assert_eq!(
        src.locate(&yaml_path!["stages", 0, "sign", "all", 0]),
        (Location::new(4, 13), 1)
    );
    let d = src.error_at(&path, "unbekannte Person „u-cramr“");
    assert_eq!(d.location, Some(Location::new(4, 7)));
    assert!(d.is_error());
    assert!(!src.warning_at(&path, "w").is_error());
    let empty = source("");
    assert_eq!(empty.locate(&path), (Location::START, 1));
}

#[test]
fn reports_all_unknown_keys() {
    let text = "\
name: Standard
stages:
  - id: zeichnung
    sing:
      all: [a]
  - id: ausschuss
    consult: { body: jhA, rolle: beratung, role: beratung }
flavour: x
";
    let vocabulary = [
        "name", "stages", "id", "consult", "sign", "body", "role", "all", "n",
    ];
    let (workflow, diagnostics) = run::<Workflow>(text, &vocabulary);
    assert!(workflow.is_some());
    assert_eq!(
        diagnostics,
        [
            "4:5/4 unbekannter Schlüssel „sing“ | meinten Sie „sign“?",
            "7:27/5 unbekannter Schlüssel „rolle“ | meinten Sie „role“?",
            "8:1/7 unbekannter Schlüssel „flavour“ | erlaubt sind: name, stages",
        ]
    );
}

#[test]
fn unknown_key_hint_uses_the_vocabulary_when_fields_do_not_match() {
    let text = "title: x\nworkflow: y\nworkflwo: z\n";
    let (_, diagnostics) = run::<Paper>(text, &["title", "workflow"]);
    assert_eq!(
        diagnostics,
        ["3:1/8 unbekannter Schlüssel „workflwo“ | meinten Sie „workflow“?"]
    );
}

#[test]
fn unknown_keys_render_like_the_spec() {
    let text = "kind: Beschlussvorlage\nworkflow: standard\ntitel: Kommunale Sozialarbeit\n";
    let src = source(text);
    let (_, diagnostics) = decode::<Paper>(&src, &["title", "workflow"]);
    let unknown = diagnostics
        .iter()
        .find(|d| d.message.contains("titel"))
        .expect("unknown key reported");
    assert_eq!(
        render(unknown, Some(text), RenderStyle::default()),
        "Fehler: unbekannter Schlüssel „titel“\n  --> papers/p.yaml:3:1\n   |\n 3 | titel: Kommunale Sozialarbeit\n   | ^^^^^\n   = Hinweis: meinten Sie „title“?"
    );
}

#[test]
fn wrong_type_is_translated_and_located() {
    let text = "title: x\nworkflow: y\nproposal: nur ein Punkt\n";
    let (paper, diagnostics) = run::<Paper>(text, &[]);
    assert!(paper.is_none());
    assert_eq!(
        diagnostics,
        ["3:11/13 falscher Typ: Text „nur ein Punkt“, erwartet wird eine Liste"]
    );
    let text = "name: x\nstages:\n  - id: a\n    sign: { n: viele }\n";
    let (_, diagnostics) = run::<Workflow>(text, &[]);
    assert_eq!(
        diagnostics,
        ["4:16/5 falscher Typ: Text „viele“, erwartet wird eine ganze Zahl"]
    );
}

#[test]
fn several_value_errors_in_one_file() {
    let text = "\
title: x
workflow: y
meetings:
  ausschuss: 2026-02-30
  rat: kein Datum
proposal: einzeln
tilte: z
";
    let (paper, diagnostics) = run::<Paper>(text, &[]);
    assert!(paper.is_none());
    assert_eq!(
        diagnostics,
        [
            "4:14/10 das Datum „2026-02-30“ gibt es nicht",
            "5:8/10 „kein Datum“ ist kein gültiges Datum (ungültige Zeichen) | Datumsangaben schreiben Sie als JJJJ-MM-TT, z. B. 2026-12-03",
            "6:11/7 falscher Typ: Text „einzeln“, erwartet wird eine Liste",
            "7:1/5 unbekannter Schlüssel „tilte“ | meinten Sie „title“?",
        ]
    );
}

#[test]
fn several_errors_across_list_items() {
    let text = "\
name: x
stages:
  - di: a
  - id: b
    consult: { body: jha, role: beratng }
  - id: c
    consult:
      role: beratung
  - id: d
    sing: {}
";
    let (workflow, diagnostics) = run::<Workflow>(text, &[]);
    assert!(workflow.is_none());
    assert_eq!(
        diagnostics,
        [
            "3:5/2 unbekannter Schlüssel „di“ | meinten Sie „id“?",
            "5:33/7 unbekannter Wert „beratng“ | meinten Sie „beratung“?",
            "8:7/1 Pflichtfeld „body“ fehlt | ergänzen Sie „body: …“",
            "10:5/4 unbekannter Schlüssel „sing“ | meinten Sie „sign“?",
        ]
    );
}

#[test]
fn top_level_not_a_mapping() {
    let (_, diagnostics) = run::<Paper>("- a\n- b\n", &[]);
    assert_eq!(
        diagnostics,
        ["1:1/1 falscher Typ: Liste, erwartet wird eine Zuordnung (Schlüssel: Wert)"]
    );
    let (_, diagnostics) = run::<Paper>("nur Text\n", &[]);
    assert_eq!(
        diagnostics,
        ["1:1/8 falscher Typ: Text „nur Text“, erwartet wird eine Zuordnung (Schlüssel: Wert)"]
    );
}

#[test]
fn missing_field_at_the_enclosing_mapping() {
    let (_, diagnostics) = run::<Paper>("# Kopf\ntitle: x\n", &[]);
    assert_eq!(
        diagnostics,
        ["2:1/1 Pflichtfeld „workflow“ fehlt | ergänzen Sie „workflow: …“"]
    );
    let text = "name: x\nstages:\n  - id: a\n  - id: b\n    consult:\n      role: beratung\n";
    let (_, diagnostics) = run::<Workflow>(text, &[]);
    assert_eq!(
        diagnostics,
        ["6:7/1 Pflichtfeld „body“ fehlt | ergänzen Sie „body: …“"]
    );
}

#[test]
fn unknown_variant_with_suggestion() {
    let text = "name: x\nstages:\n  - id: a\n    consult:\n      body: jha\n      role: beratng\n";
    let (_, diagnostics) = run::<Workflow>(text, &[]);
    assert_eq!(
        diagnostics,
        ["6:13/7 unbekannter Wert „beratng“ | meinten Sie „beratung“?"]
    );
    let text = "name: x\nstages:\n  - id: a\n    consult: {body: jha, role: anhörung}\n";
    let (_, diagnostics) = run::<Workflow>(text, &[]);
    assert_eq!(
        diagnostics,
        ["4:32/8 unbekannter Wert „anhörung“ | erlaubt sind: vorberatung, beratung, entscheidung"]
    );
}

#[test]
fn custom_messages_pass_through_at_the_value() {
    let text = "meetings:\n  - 2026-03-04\n  - 2026-02-30\n";
    let (_, diagnostics) = run::<Body>(text, &[]);
    assert_eq!(diagnostics, ["3:5/10 das Datum „2026-02-30“ gibt es nicht"]);
}

#[test]
fn impossible_chrono_date_is_located_and_translated() {
    let text =
        "title: x\nworkflow: y\nmeetings:\n  ausschuss: 2026-03-04\n  kreistag: 2026-02-30\n";
    let (_, diagnostics) = run::<Paper>(text, &[]);
    assert_eq!(
        diagnostics,
        ["5:13/10 das Datum „2026-02-30“ gibt es nicht"]
    );
    let text = "title: x\nworkflow: y\nmeetings:\n  ausschuss: \"4.3.2026\"\n";
    let (_, diagnostics) = run::<Paper>(text, &[]);
    assert_eq!(
        diagnostics,
        [
            "4:14/10 „4.3.2026“ ist kein Datum; erwartet wird JJJJ-MM-TT | Datumsangaben schreiben Sie als JJJJ-MM-TT, z. B. 2026-12-03"
        ]
    );
}

#[test]
fn duplicate_keys_are_reported_once_at_the_second() {
    let text = "title: a\nworkflow: w\ntitle: b\n";
    let (paper, diagnostics) = run::<Paper>(text, &[]);
    assert!(paper.is_none());
    assert_eq!(
        diagnostics,
        [
            "3:1/5 doppelter Schlüssel „title“ | „title“ steht schon in Zeile 1; jeder Schlüssel darf nur einmal vorkommen"
        ]
    );
    let text = "title: a\nworkflow: w\nmeetings:\n  rat: 2026-01-01\n  rat: 2026-01-02\n";
    let (_, diagnostics) = run::<Paper>(text, &[]);
    assert_eq!(
        diagnostics,
        [
            "5:3/3 doppelter Schlüssel „rat“ | „rat“ steht schon in Zeile 4; jeder Schlüssel darf nur einmal vorkommen"
        ]
    );
}

#[test]
fn duplicate_keys_in_large_mappings() {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    text.push_str("k7: again\n");
    let src = source(&text);
    let (_, diagnostics) = decode::<BTreeMap<String, String>>(&src, &[]);
    assert_eq!(
        show(&diagnostics),
        [
            "41:1/2 doppelter Schlüssel „k7“ | „k7“ steht schon in Zeile 8; jeder Schlüssel darf nur einmal vorkommen"
        ]
    );
}

#[test]
fn empty_files() {
    for text in ["", "# nur ein Kommentar\n", "---\n"] {
        let (paper, diagnostics) = run::<Paper>(text, &[]);
        assert!(paper.is_none());
        assert_eq!(
            diagnostics,
            ["1:1/1 die Datei ist leer | die Datei braucht Einträge der Form „schlüssel: wert“"]
        );
        let (value, diagnostics) = run::<AllOptional>(text, &[]);
        assert_eq!(value, Some(AllOptional::default()));
        assert!(diagnostics.is_empty());
    }
}

#[test]
fn multiple_documents() {
    let Err(d) = YamlSource::parse(Path::new("p.yaml"), "title: a\n---\ntitle: b\n") else {
        panic!("two documents accepted");
    };
    assert_eq!(
        d.message,
        "mehrere YAML-Dokumente in einer Datei; ratsflow erwartet genau eines"
    );
    assert_eq!(d.location, Some(Location::new(2, 1)));
    assert!(YamlSource::parse(Path::new("p.yaml"), "---\ntitle: a\n").is_ok());
}

fn syntax(text: &str) -> Diagnostic {
    match YamlSource::parse(Path::new("papers/p.yaml"), text) {
        Ok(_) => panic!("no syntax error in {text:?}"),
        Err(d) => d,
    }
}

#[test]
fn syntax_error_tab_indentation() {
    let d = syntax("title: x\nmeetings:\n\trat: 2026-01-01\n");
    assert_eq!(
        d.message,
        "YAML-Syntaxfehler: Tabulatoren sind zur Einrückung nicht erlaubt"
    );
    assert_eq!(d.location, Some(Location::new(3, 1)));
    assert!(d.hint.is_some());
}

#[test]
fn syntax_error_unclosed_quote() {
    let d = syntax("title: \"Kommunale Sozialarbeit\nworkflow: x\n");
    assert_eq!(
        d.message,
        "YAML-Syntaxfehler: Anführungszeichen wird nicht geschlossen"
    );
    assert_eq!(d.location, Some(Location::new(1, 8)));
    let d = syntax("title: \"offen");
    assert_eq!(d.location.map(|l| l.line), Some(1));
}

#[test]
fn syntax_error_mapping_value_and_indentation() {
    let d = syntax("title: Antrag: Radweg\n");
    assert_eq!(
        d.message,
        "YAML-Syntaxfehler: hier ist kein „Schlüssel: Wert“ erlaubt"
    );
    assert_eq!(d.location, Some(Location::new(1, 14)));
    let d = syntax("meetings:\n  rat: 1\n kreistag: 2\n");
    assert!(
        d.message
            .starts_with("YAML-Syntaxfehler: falsche Einrückung")
    );
    assert_eq!(d.location.map(|l| l.line), Some(3));
}

#[test]
fn anchors_and_aliases_work() {
    let text = "title: &t Radweg\nworkflow: *t\n";
    let (paper, diagnostics) = run::<Paper>(text, &[]);
    assert!(diagnostics.is_empty());
    assert_eq!(paper.map(|p| p.workflow), Some("Radweg".to_string()));
}

#[test]
fn struct_fields_by_introspection() {
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Renamed {
        #[serde(rename = "Titel")]
        title: String,
        #[serde(alias = "w")]
        workflow: String,
    }
    assert_eq!(
        struct_fields::<Paper>(),
        ["title", "proposal", "meetings", "workflow"]
    );
    assert_eq!(struct_fields::<Renamed>()[0], "Titel");
    assert!(struct_fields::<Renamed>().contains(&"workflow"));
    assert_eq!(struct_fields::<String>(), &[] as &[&str]);
    assert_eq!(struct_fields::<Role>(), &[] as &[&str]);
    assert_eq!(struct_fields::<Vec<Paper>>(), &[] as &[&str]);
}

#[test]
fn path_helpers() {
    let path = yaml_path!["stages", 2, "sign"];
    assert_eq!(
        path,
        [Seg::key("stages"), Seg::Index(2), Seg::Key("sign".into())]
    );
    assert_eq!(yaml_path_display(&path), "stages[2].sign");
    assert_eq!(yaml_path_display(&[]), ".");
}

/// A tiny deterministic generator (xorshift), so the fuzz loop needs no extra crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_panic_on_mutated_input() {
    let seeds = [
        PAPER,
        "name: Standard\nstages:\n  - id: a\n    sign: { all: [x, y], n: 2 }\n  - id: b\n    consult:\n      body: jha\n      role: beratung\n",
        "title: &a \"x\\ty\"\nworkflow: *a\nproposal: [ 'a''b', >\n  gefaltet\n ]\n",
    ];
    let alphabet: &[u8] = b" \t\n:-#{}[],&*!|>'\"?%@`\\~0aZ\xc3\xa4";
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..3000 {
        let seed = seeds[round % seeds.len()].as_bytes();
        let mut bytes = seed.to_vec();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 if at < bytes.len() => {
                    bytes.remove(at);
                }
                1 if at < bytes.len() => bytes[at] = alphabet[rng.below(alphabet.len())],
                _ => bytes.insert(at, alphabet[rng.below(alphabet.len())]),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let file = Path::new("f.yaml");
        match YamlSource::parse(file, &text) {
            Err(d) => {
                let _ = render(&d, Some(&text), RenderStyle::default());
            }
            Ok(src) => {
                let (_, ds) = decode::<Paper>(&src, &["title"]);
                let (_, ws) = decode::<Workflow>(&src, &[]);
                let (_, vs) = decode::<serde_yaml::Value>(&src, &[]);
                for d in ds.iter().chain(&ws).chain(&vs) {
                    assert!(d.location.is_some(), "{d:?} in {text:?}");
                    let _ = render(d, Some(&text), RenderStyle::default());
                }
                let _ = src.locate(&yaml_path!["stages", 1, "consult", "role"]);
            }
        }
    }
}

#[test]
fn cap_keeps_the_first_problems_of_a_crowded_file_only() {
    let many: Vec<Diagnostic> = (1..=25)
        .rev()
        .map(|line| Diagnostic::warning("a.yaml", format!("w{line}")).at(Location::new(line, 1), 2))
        .chain([Diagnostic::error("a.yaml", "e30").at(Location::new(30, 1), 1)])
        .chain([Diagnostic::error("b.yaml", "b").at(Location::new(1, 1), 1)])
        .collect();
    let capped = super::cap_per_file(many);
    assert_eq!(capped.len(), 20 + 1 + 1);
    let summary = capped
        .iter()
        .find(|d| d.message.starts_with('…'))
        .expect("a summary");
    assert_eq!(summary.message, "… und 6 weitere Probleme in dieser Datei");
    assert_eq!(
        (summary.location, summary.width),
        (Some(Location::new(21, 1)), 2)
    );
    assert!(
        summary.is_error(),
        "an omitted error keeps the summary an error"
    );
    assert!(capped.iter().any(|d| d.message == "b"));
    assert!(!capped.iter().any(|d| d.message == "w21"));
    assert_eq!(super::german_number(39_990), "39.990");
    assert_eq!(super::german_number(1_234_567), "1.234.567");
    assert_eq!(super::german_number(999), "999");
}
