//! `validate_package` on broken packages, and robustness against arbitrary input.

use std::collections::BTreeMap;

use minijinja::value::Value;

use super::{fixture_parts, package_with_body, para, sample_data, zip_parts};
use crate::docx::{DocxTemplate, validate_package};

fn problems(parts: &BTreeMap<String, String>) -> Vec<String> {
    validate_package(&zip_parts(parts)).unwrap_err()
}

fn with_document(body: &str) -> BTreeMap<String, String> {
    let mut parts = fixture_parts();
    let document = parts["word/document.xml"].replace("<w:body>", &format!("<w:body>{body}"));
    parts.insert("word/document.xml".to_owned(), document);
    parts
}

#[test]
fn the_fixture_itself_is_valid() {
    validate_package(&zip_parts(&fixture_parts())).unwrap();
}

#[test]
fn rejects_a_cell_without_paragraph() {
    let parts = with_document("<w:tbl><w:tr><w:tc><w:tcPr/></w:tc></w:tr></w:tbl>");
    let found = problems(&parts);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("Teil „word/document.xml“: Tabellenzelle ohne Absatz bei Byte "));
}

#[test]
fn rejects_duplicate_bookmark_ids() {
    let parts = with_document(
        "<w:p><w:bookmarkStart w:id=\"0\" w:name=\"zwei\"/><w:bookmarkEnd w:id=\"0\"/></w:p>",
    );
    assert_eq!(
        problems(&parts),
        ["Teil „word/document.xml“: Lesezeichen-ID „0“ kommt doppelt vor"]
    );
}

#[test]
fn rejects_a_missing_relationship_target() {
    let mut parts = fixture_parts();
    parts.remove("word/numbering.xml");
    assert_eq!(
        problems(&parts),
        [
            "Teil „word/_rels/document.xml.rels“: Beziehung „rId1“ verweist auf „word/numbering.xml“, das im Paket fehlt"
        ]
    );
}

#[test]
fn rejects_malformed_xml_and_missing_content_types() {
    let mut parts = fixture_parts();
    let styles = parts["word/styles.xml"].replace("</w:style></w:styles>", "</w:style></w:stiles>");
    parts.insert("word/styles.xml".to_owned(), styles);
    parts.remove("[Content_Types].xml");
    let found = problems(&parts);
    assert_eq!(found[0], "„[Content_Types].xml“ fehlt im Paket");
    assert!(
        found[1].starts_with("Teil „word/styles.xml“: kein wohlgeformtes XML bei Byte "),
        "{found:?}"
    );
    assert!(
        found[1].ends_with(": „</w:stiles>“ statt „</w:styles>“"),
        "{found:?}"
    );
    let mut parts = fixture_parts();
    let styles = parts["word/styles.xml"].replace("</w:styles>", "");
    parts.insert("word/styles.xml".to_owned(), styles);
    assert_eq!(
        problems(&parts),
        ["Teil „word/styles.xml“: ein Element wird nicht geschlossen (der Teil endet vorher)"]
    );
    assert_eq!(
        validate_package(b"PK?"),
        Err(vec![
            "Die Datei ist kein gültiges Word-Dokument (kein lesbares ZIP-Archiv)".to_owned()
        ])
    );
}

/// A small deterministic generator for the robustness tests.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{%p ",
    "{%tr ",
    "{%tc ",
    "{{p ",
    "if ",
    "for ",
    "endif",
    "endfor",
    "else",
    " x ",
    " in ",
    "paper.title",
    "paper.facts|md",
    "|datum",
    "|eur",
    "„",
    "“",
    "'",
    "\"",
    "(",
    ")",
    "[",
    "]",
    "raw",
    "endraw",
    "set ",
    "=",
    "macro m()",
    "endmacro",
    "-",
    "range(99)",
    "loop.index",
    "&amp;",
    "&lt;",
    " ",
    "\u{A0}",
    "ä",
    "😀",
    "include",
    "}",
    "{",
];

#[test]
fn arbitrary_tag_soup_never_panics_and_never_yields_a_broken_document() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let data = sample_data();
    for _ in 0..400 {
        let mut body = String::new();
        for _ in 0..(1 + rng.next() % 4) {
            let runs: Vec<String> = (0..(1 + rng.next() % 6))
                .map(|_| {
                    (0..(1 + rng.next() % 5))
                        .map(|_| rng.pick(PIECES))
                        .collect()
                })
                .collect();
            let runs: Vec<&str> = runs.iter().map(String::as_str).collect();
            let paragraph = para(&runs);
            if rng.next().is_multiple_of(3) {
                body.push_str(&format!(
                    "<w:tbl><w:tr><w:tc>{paragraph}</w:tc></w:tr></w:tbl>"
                ));
            } else {
                body.push_str(&paragraph);
            }
        }
        let bytes = package_with_body(&body);
        if let Ok(template) = DocxTemplate::load("t.docx", &bytes)
            && let Ok(out) = template.render(&data)
        {
            assert_eq!(validate_package(&out), Ok(()), "{body}");
        }
    }
}

#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = Rng(42);
    let good = package_with_body(&para(&["{{ paper.title }}"]));
    for round in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..(1 + round % 8) {
            let at = (rng.next() % bytes.len() as u64) as usize;
            bytes[at] = rng.next() as u8;
        }
        if let Ok(template) = DocxTemplate::load("t.docx", &bytes) {
            let _ = template.render(&sample_data());
            let _ = template.render(&Value::from(42));
        }
        let _ = validate_package(&bytes);
    }
    let _ = DocxTemplate::load("t.docx", &[]);
}
