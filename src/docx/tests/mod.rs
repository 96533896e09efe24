//! Tests of the whole engine on the Word-made fixture template and on small hand-made ones.

mod errors;
mod hostile_packages;
mod limits;
mod package_checks;
mod perf;
mod render;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use minijinja::value::Value;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

use crate::docx::testing::zip_dir;
use crate::docx::text::paragraph_texts;
use crate::docx::{DocxTemplate, TemplateError, validate_package};

/// The Word-made fixture folder.
pub(super) fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx/word_split")
}

/// The fixture's parts, by name, to change before zipping.
pub(super) fn fixture_parts() -> BTreeMap<String, String> {
    let bytes = zip_dir(&fixture_dir());
    crate::docx::package::read_entries(&bytes)
        .unwrap()
        .into_iter()
        .map(|e| (e.name, String::from_utf8(e.data).unwrap()))
        .collect()
}

/// Zips parts, `[Content_Types].xml` first.
pub(super) fn zip_parts(parts: &BTreeMap<String, String>) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let mut names: Vec<&String> = parts.keys().collect();
    names.sort_by_key(|n| (n.as_str() != "[Content_Types].xml", n.as_str()));
    for name in names {
        writer
            .start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        writer.write_all(parts[name].as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The fixture with `word/document.xml` changed by `change`.
pub(super) fn fixture_with(change: impl Fn(&str) -> String) -> Vec<u8> {
    let mut parts = fixture_parts();
    let document = change(&parts["word/document.xml"]);
    parts.insert("word/document.xml".to_owned(), document);
    zip_parts(&parts)
}

/// A minimal package whose body is `body` (paragraphs, tables).
pub(super) fn package_with_body(body: &str) -> Vec<u8> {
    let mut parts = BTreeMap::new();
    parts.insert(
        "[Content_Types].xml".to_owned(),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned(),
    );
    parts.insert(
        "_rels/.rels".to_owned(),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_owned(),
    );
    parts.insert(
        "word/document.xml".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        ),
    );
    zip_parts(&parts)
}

/// A paragraph with one run per piece of text.
pub(super) fn para(runs: &[&str]) -> String {
    let runs: String = runs
        .iter()
        .map(|t| format!("<w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r>"))
        .collect();
    format!("<w:p>{runs}</w:p>")
}

/// Sample data in the shape ratsflow passes to templates.
pub(super) fn sample_data() -> Value {
    let long = "Die Sozialplanung verknüpft Daten, Ziele und Maßnahmen der Ämter. ".repeat(160);
    let long: String = long.chars().take(10_000).collect();
    let facts = format!(
        "## Ausgangslage\n\nDer Kreistag hat **am 19.12.2016** die Verwaltung *beauftragt*.\n\n\
         - Punkt A & B\n- Punkt <C>\n  - Unterpunkt\n\n1. Erstens\n2. Zweitens\n\n\
         | Jahr | Kosten |\n|---|---|\n| 2026 | 33.000 € |\n\n{long}"
    );
    Value::from_serialize(serde_json::json!({
        "org": { "name": "Kreis & Stadt <Verwaltung>", "letterhead": ["Kreisverwaltung", "Kaiser-Wilhelm-Platz 1"] },
        "paper": {
            "id": "2026-042",
            "reference": "042/26",
            "kind": "Beschlussvorlage",
            "title": "Sozialplanung „Zukunft“ – Sachstand 😀",
            "date": "2026-11-21",
            "lead_office": "50.2 – Grundsatz- und Planungsaufgaben",
            "file_number": "50.2-01\u{0007}/26",
            "public": true,
            "consultations": [
                { "body": "Ausschuss für Soziales, Gleichstellung und Integration", "date": "2019-06-03", "role": "Kenntnisnahme" },
                { "body": "Kreisausschuss", "date": "2019-06-17", "role": "Vorberatung" },
                { "body": "Kreistag", "date": "2019-07-01", "role": "Entscheidung" }
            ],
            "preliminary": "Erster Satz.\n\nZweiter Absatz mit **Betonung**.",
            "facts": facts,
            "proposal": ["Der Ausschuss nimmt Kenntnis.", "Die Verwaltung berichtet „jährlich“."],
            "financing": "Haushaltsstelle 1.31.01\nBetrag:\t33.000 €",
            "attachments": ["Anlage 1: Konzept", "Anlage 2: Zeitplan"],
            "signatures": []
        },
        "today": "2026-11-21"
    }))
}

/// The fixture template.
pub(super) fn fixture_template() -> DocxTemplate {
    DocxTemplate::load("beschlussvorlage.docx", &zip_dir(&fixture_dir())).unwrap()
}

/// Renders, validates, and returns the paragraphs of `word/document.xml`.
pub(super) fn render_texts(template: &DocxTemplate, data: &Value) -> Vec<String> {
    let bytes = template.render(data).unwrap();
    validate_package(&bytes).unwrap();
    paragraph_texts(&bytes, "word/document.xml").unwrap()
}

/// Loads a template from bytes and renders it with the sample data.
#[allow(clippy::result_large_err)] // the public error type
pub(super) fn try_render(bytes: &[u8]) -> Result<Vec<u8>, TemplateError> {
    DocxTemplate::load("vorlage.docx", bytes)?.render(&sample_data())
}
