//! The size of what one rendering makes is bounded: a value over 1 MB, a part over 50 MB and
//! Markdown that would blow up into gigabytes of XML end in a German error, quickly.

use std::time::Instant;

use minijinja::value::Value;

use super::{package_with_body, para};
use crate::docx::DocxTemplate;
use crate::docx::limits::{MAX_DOCUMENT_BYTES, MAX_VALUE_BYTES};

fn render(body: &str, value: String) -> Result<Vec<u8>, String> {
    let template =
        DocxTemplate::load("vorlage.docx", &package_with_body(body)).map_err(|e| e.to_string())?;
    template
        .render(&Value::from_serialize(serde_json::json!({ "v": value })))
        .map_err(|e| e.to_string())
}

#[test]
fn a_value_over_one_megabyte_is_refused_in_every_way_it_is_printed() {
    let big = "Text ".repeat(MAX_VALUE_BYTES / 5 + 1);
    for tag in ["{{ v }}", "{{p v }}", "{{p v|md }}", "{{ v|md }}"] {
        let error = render(&para(&[tag]), big.clone()).unwrap_err();
        assert!(
            error.ends_with("der Text ist zu groß für ein Dokument (1,1 MB; höchstens 1 MB)"),
            "{tag}: {error}"
        );
    }
    let fits = "Text ".repeat(MAX_VALUE_BYTES / 5 - 1);
    assert!(render(&para(&["{{ v }}"]), fits).is_ok());
}

#[test]
fn markdown_that_multiplies_into_xml_stays_bounded() {
    // A table of one-character cells: every input byte becomes some hundred bytes of XML.
    let row = format!("|{}\n", "a|".repeat(200));
    let separator = format!("|{}\n", "-|".repeat(200));
    let rows = (MAX_VALUE_BYTES - 1000) / row.len();
    let table = format!("{row}{separator}{}", row.repeat(rows));
    assert!(table.len() <= MAX_VALUE_BYTES);
    let start = Instant::now();
    let result = render(&para(&["{{p v|md }}"]), table);
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    match result {
        Ok(bytes) => assert!(bytes.len() <= MAX_DOCUMENT_BYTES),
        Err(error) => assert!(error.contains("zu groß"), "{error}"),
    }
}

#[test]
fn a_loop_that_prints_a_large_value_many_times_stops_at_the_part_limit() {
    let value = "x".repeat(MAX_VALUE_BYTES);
    let start = Instant::now();
    let error = render(
        &para(&["{% for i in range(100) %}{{ v }}{% endfor %}"]),
        value,
    )
    .unwrap_err();
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    assert!(
        error.ends_with("das erzeugte Dokument würde zu groß (mehr als 50 MB)"),
        "{error}"
    );
}

#[test]
fn a_huge_string_made_in_the_template_is_refused() {
    let start = Instant::now();
    let error = render(
        &para(&["{{p (\"**fett** \" * 1000000)|md }}"]),
        String::new(),
    )
    .unwrap_err();
    assert!(start.elapsed().as_secs() < 30, "took {:?}", start.elapsed());
    assert!(error.contains("zu groß"), "{error}");
}
