//! `ratsflow oparl` on a copy of the example project: every object validates against the
//! OParl 1.1 JSON schemas (copied to `tests/oparl-1.1/`), the lists page through everything,
//! and the export carries a paper with its motion, meetings with agenda items and a decided
//! consultation.

mod oparl_common;

use std::collections::BTreeMap;

use oparl_common::{Example, oparl_objects};
use serde_json::Value;

fn schemas() -> BTreeMap<String, jsonschema::Validator> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oparl-1.1/schema");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        out.insert(name, validator);
    }
    out
}

#[test]
fn every_object_of_the_example_export_validates_against_the_oparl_schemas() {
    let example = Example::exported();
    let schemas = schemas();
    // The schemas bite: a wrong type URL and a date-time that is none are refused.
    let paper = &schemas["Paper"];
    assert!(!paper.is_valid(&serde_json::json!({"id": "https://x.example/p.json", "type": "https://schema.oparl.org/1.0/Paper"})));
    assert!(!paper.is_valid(&serde_json::json!({"id": "https://x.example/p.json", "type": "https://schema.oparl.org/1.1/Paper", "created": "gestern"})));
    assert!(paper.is_valid(&serde_json::json!({"id": "https://x.example/p.json", "type": "https://schema.oparl.org/1.1/Paper", "created": "2021-02-01T10:00:00+01:00"})));
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (file, value) in example.json_files() {
        for object in oparl_objects(&value) {
            let kind = object["type"]
                .as_str()
                .unwrap()
                .trim_start_matches("https://schema.oparl.org/1.1/")
                .to_string();
            let Some(validator) = schemas.get(&kind) else {
                problems.push(format!("{file}: unknown type {kind}"));
                continue;
            };
            for error in validator.iter_errors(object) {
                problems.push(format!("{file}: {kind} {}: {error}", error.instance_path));
            }
            *counts.entry(kind).or_default() += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for kind in [
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "LegislativeTerm",
    ] {
        assert!(
            counts.get(kind).is_some_and(|n| *n > 0),
            "no {kind}: {counts:?}"
        );
    }
}

#[test]
fn every_object_is_served_at_its_id_and_the_lists_page_through_all_of_them() {
    let example = Example::exported();
    let files = example.json_files();
    let base = "https://ris.kreis-gross-gerau.example/oparl/";
    let get = |url: &str| -> &Value {
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("foreign URL {url}"));
        files
            .get(rel)
            .unwrap_or_else(|| panic!("{url} has no file"))
    };
    for value in files.values() {
        for object in oparl_objects(value) {
            let id = object["id"].as_str().unwrap();
            assert_eq!(get(id)["id"], object["id"]);
        }
    }
    let system = get(&format!("{base}system.json"));
    assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");
    let bodies = get(system["body"].as_str().unwrap());
    let bodies = bodies["data"].as_array().unwrap();
    assert_eq!(
        bodies.len(),
        5,
        "one Body per organisation of the directory"
    );
    let mut papers = 0;
    for body in bodies {
        for list in ["paper", "meeting", "person", "organization", "file"] {
            let mut next = body[list].as_str().map(str::to_string);
            let mut seen = 0;
            let mut total = None;
            while let Some(url) = next {
                let page = get(&url);
                seen += page["data"].as_array().unwrap().len();
                total = page["pagination"]["totalElements"].as_u64();
                next = page["links"]["next"].as_str().map(str::to_string);
            }
            assert_eq!(Some(seen as u64), total, "{list} of {}", body["id"]);
            if list == "paper" {
                papers += seen;
            }
        }
    }
    assert_eq!(papers, 6, "the six submitted papers of the example");
}

#[test]
fn the_example_has_a_paper_with_its_motion_a_meeting_with_agenda_items_and_a_decided_consultation()
{
    let example = Example::copy();
    example.run_ok(&["render"]);
    let said = example.run_ok(&["oparl"]);
    assert!(
        said.starts_with(
            "OParl 1.1: 6 Drucksachen, 51 Sitzungen, 4 Personen und 14 Dokumente nach "
        ),
        "{said}"
    );
    assert!(
        said.ends_with("/out/oparl geschrieben (208 Dateien); Einstieg: https://ris.kreis-gross-gerau.example/oparl/system.json\n"),
        "{said}"
    );
    let files = example.json_files();
    let paper = &files["paper/2021-042.json"];
    assert_eq!(paper["reference"], "042/21");
    assert_eq!(paper["paperType"], "Beschlussvorlage");
    assert_eq!(
        paper["relatedPaper"],
        serde_json::json!(["https://ris.kreis-gross-gerau.example/oparl/paper/2021-042-1.json"])
    );
    let motion = &files["paper/2021-042-1.json"];
    assert_eq!(motion["paperType"], "Ergänzungsantrag");
    assert_eq!(
        motion["originatorOrganization"][0],
        "https://ris.kreis-gross-gerau.example/oparl/organization/fraktion-gruene-unna.json"
    );
    assert_eq!(
        paper["mainFile"]["fileName"], "Beschlussvorlage_042-21.docx",
        "the DOCX when no PDF is beside it"
    );
    let consultation = &files["consultation/2021-042/kreistag.json"];
    assert_eq!(consultation["authoritative"], true);
    assert_eq!(consultation["role"], "Entscheidung");
    let item = &files[consultation["agendaItem"]
        .as_str()
        .unwrap()
        .trim_start_matches("https://ris.kreis-gross-gerau.example/oparl/")];
    assert_eq!(item["result"], "geändert beschlossen");
    assert_eq!(item["number"], "3");
    assert_eq!(
        item["resolutionFile"]["name"],
        "Beschlussauszug 042/21, Kreistag Unna, 23.03.2021"
    );
    let meeting = &files["meeting/kreistag-unna/2021-03-23.json"];
    assert_eq!(meeting["name"], "Kreistag Unna – Sitzung am 23.03.2021");
    assert_eq!(meeting["meetingState"], "durchgeführt");
    let titles: Vec<(&str, &str)> = meeting["agendaItem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["number"].as_str().unwrap(), i["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        titles,
        vec![
            (
                "1",
                "Eröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit"
            ),
            ("2", "Genehmigung der Niederschrift über die letzte Sitzung"),
            (
                "3",
                "Kommunales Integrationsmanagement in NRW; Rahmenkonzept zur Umsetzung im Kreis Unna"
            ),
            (
                "3.1",
                "Stärkere Einbindung der freien Wohlfahrtsverbände gefordert"
            ),
            ("4", "Mitteilungen und Anfragen"),
        ]
    );
    assert_eq!(meeting["agendaItem"][3]["result"], "angenommen");
    // created/modified come from the journal: the first and the last record.
    assert_eq!(paper["created"], "2021-02-01T10:00:00+01:00");
    assert_eq!(paper["modified"], "2021-03-24T09:30:00+01:00");
    // The document itself is in the tree, where accessUrl points.
    let url = paper["mainFile"]["accessUrl"].as_str().unwrap();
    let rel = url.trim_start_matches("https://ris.kreis-gross-gerau.example/oparl/");
    let bytes = std::fs::read(example.tree().join(rel)).unwrap();
    assert_eq!(paper["mainFile"]["size"], bytes.len());
}

#[test]
fn a_pdf_beside_the_docx_is_the_file_clients_get() {
    let example = Example::copy();
    example.run_ok(&["render"]);
    std::fs::write(
        example
            .path()
            .join("out/2021-042/Beschlussvorlage_042-21.pdf"),
        b"%PDF-1.7 test",
    )
    .unwrap();
    example.run_ok(&["oparl"]);
    let files = example.json_files();
    let file = &files["paper/2021-042.json"]["mainFile"];
    assert_eq!(file["mimeType"], "application/pdf");
    assert_eq!(file["fileName"], "Beschlussvorlage_042-21.pdf");
    assert_eq!(
        file["accessUrl"],
        "https://ris.kreis-gross-gerau.example/oparl/files/2021-042/Beschlussvorlage_042-21.pdf"
    );
    assert_eq!(file["size"], 13);
}

#[test]
fn every_consultation_an_agenda_item_links_to_is_in_the_tree() {
    // A motion addressed to two bodies (042/21-1: Kreisausschuss, then Kreistag) has a
    // consultation per body; the agenda of each meeting links to its own.
    let example = Example::copy();
    example.run_ok(&["render"]);
    example.run_ok(&["oparl"]);
    let files = example.json_files();
    let base = "https://ris.kreis-gross-gerau.example/oparl/";
    let mut linked = 0;
    for (path, object) in &files {
        if !path.starts_with("agendaitem/") {
            continue;
        }
        if let Some(url) = object["consultation"].as_str() {
            linked += 1;
            let rel = url.trim_start_matches(base);
            assert!(
                files.contains_key(rel),
                "{path} links to {url}, which is not in the tree"
            );
        }
    }
    assert!(linked > 0, "no agenda item links a consultation");
    assert!(files.contains_key("consultation/2021-042-1/kreisausschuss-unna.json"));
}
