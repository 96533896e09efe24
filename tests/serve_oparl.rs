//! `ratsflow serve` answers OParl 1.1 under `/oparl/`: the same objects as the static export,
//! with the list filters of the specification, and nothing that is not public.

mod serve_support;

use serve_support::Example;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_service_serves_the_export_with_filters_and_only_what_is_public() {
    let example = Example::new();
    let server = example.serve();
    let base = "https://ris.kreis-gross-gerau.example/oparl/";

    let system = server.get("/oparl/system.json");
    assert_eq!(system.status, 200, "{}", system.text());
    assert_eq!(
        system.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let system = json(&system.text());
    assert_eq!(system["id"], format!("{base}system.json"));

    // The served objects are the static export's.
    let (code, _, stderr) = example.ratsflow(&["oparl"]);
    assert_eq!(code, 0, "{stderr}");
    let paper_path = "paper/2021-042.json";
    let served = json(&server.get(&format!("/oparl/{paper_path}")).text());
    let written = json(&example.read(&format!("out/oparl/{paper_path}")));
    assert_eq!(served["name"], written["name"]);
    assert_eq!(served["reference"], "042/21");

    // Filters: everything modified since 2021 is there, nothing modified after 2099.
    let list = "/oparl/body/kreis-unna/paper.json";
    let all = json(&server.get(list).text());
    let since = json(
        &server
            .get(&format!(
                "{list}?modified_since=2021-01-01T00:00:00%2B01:00"
            ))
            .text(),
    );
    assert!(!since["data"].as_array().unwrap().is_empty());
    let future = json(
        &server
            .get(&format!("{list}?created_since=2099-01-01T00:00:00%2B01:00"))
            .text(),
    );
    assert_eq!(future["data"].as_array().unwrap().len(), 0, "{future}");
    assert_eq!(future["pagination"]["totalElements"], 0);
    let omitted = json(
        &server
            .get(&format!(
                "{list}?omit_internal=true&modified_since=2000-01-01T00:00:00Z"
            ))
            .text(),
    );
    assert!(
        omitted["data"][0]
            .get("consultation")
            .is_none_or(|c| c.as_array().is_none_or(|a| a.iter().all(|v| v.is_string()))),
        "{omitted}"
    );
    assert!(all["data"].as_array().unwrap().len() >= since["data"].as_array().unwrap().len());

    let bad = server.get(&format!("{list}?created_until=gestern"));
    assert_eq!(bad.status, 400);
    assert!(
        bad.text()
            .contains("created_until ist kein Zeitpunkt nach RFC 3339"),
        "{}",
        bad.text()
    );

    // Nothing non-public: the draft motion A 017/26-1 and 017/26 in Mitzeichnung are not served.
    for path in [
        "/oparl/paper/2026-017-1.json",
        "/oparl/paper/2026-017.json",
        "/oparl/../ratsflow.yaml",
    ] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
}
