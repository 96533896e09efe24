//! Templates that lie about what they are: a main part that is no Word document, two entries
//! of one name, entry names that point outside the package. Each is refused at load with the
//! template and the part named.

use super::{fixture_parts, zip_parts};
use crate::docx::{DocxTemplate, TemplateError};

/// Loads a template, expecting a refusal.
fn refusal(bytes: &[u8]) -> TemplateError {
    match DocxTemplate::load("vorlage.docx", bytes) {
        Ok(_) => panic!("the template was accepted"),
        Err(error) => error,
    }
}

/// The fixture zipped with one extra entry named `placeholder`, whose name is then replaced by
/// `name` in the bytes (local header and central directory): names the zip writer would not
/// write, or would not write twice.
fn with_entry_renamed(placeholder: &str, name: &str, data: &str) -> Vec<u8> {
    assert_eq!(placeholder.len(), name.len());
    let mut parts = fixture_parts();
    parts.insert(placeholder.to_owned(), data.to_owned());
    let mut bytes = zip_parts(&parts);
    let (from, to) = (placeholder.as_bytes(), name.as_bytes());
    let mut at = 0;
    let mut replaced = 0;
    while let Some(found) = bytes[at..].windows(from.len()).position(|w| w == from) {
        let start = at + found;
        bytes[start..start + to.len()].copy_from_slice(to);
        at = start + to.len();
        replaced += 1;
    }
    assert_eq!(replaced, 2, "local header and central directory");
    bytes
}

#[test]
fn a_main_part_that_is_not_a_word_document_is_refused() {
    let mut parts = fixture_parts();
    parts.insert(
        "word/document.xml".to_owned(),
        r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><text>{{ paper.title }}</text></svg>"#.to_owned(),
    );
    let error = refusal(&zip_parts(&parts));
    assert_eq!(error.part, "word/document.xml");
    assert_eq!(
        error.to_string(),
        "Vorlage „vorlage.docx“: „word/document.xml“ ist kein Word-Dokument: das äußerste Element ist „svg“ statt „w:document“ (im WordprocessingML-Namensraum)"
    );
}

#[test]
fn a_document_element_in_a_foreign_namespace_is_refused_but_any_prefix_is_fine() {
    let mut parts = fixture_parts();
    let document = parts["word/document.xml"].clone();
    let foreign = document.replacen(
        "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
        "xmlns:w=\"urn:nicht-word\"",
        1,
    );
    assert_ne!(foreign, document, "fixture declares the w namespace");
    parts.insert("word/document.xml".to_owned(), foreign);
    let error = refusal(&zip_parts(&parts));
    assert!(
        error.message.starts_with(
            "„word/document.xml“ ist kein Word-Dokument: das äußerste Element ist „w:document“"
        ),
        "{error}"
    );
}

#[test]
fn two_entries_of_the_same_name_are_refused() {
    let bytes = with_entry_renamed(
        "word/documenX.xml",
        "word/document.xml",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>anders</w:t></w:r></w:p></w:body></w:document>"#,
    );
    let error = refusal(&bytes);
    assert_eq!(error.part, "word/document.xml");
    assert_eq!(
        error.to_string(),
        "Vorlage „vorlage.docx“: „word/document.xml“: der Teil kommt im Dokument doppelt vor (zwei Einträge gleichen Namens); so ein Dokument wird nicht verwendet"
    );
}

#[test]
fn entry_names_that_leave_the_package_are_refused() {
    for (placeholder, name, problem) in [
        (
            "word/xx/evil.xml",
            "word/../evil.xml",
            "enthält „..“ (verweist aus dem Paket hinaus)",
        ),
        (
            "xetc/evil.xml",
            "/etc/evil.xml",
            "beginnt mit „/“ (ein absoluter Pfad)",
        ),
        (
            "Cx/evil.xml",
            "C:/evil.xml",
            "beginnt mit einem Laufwerksbuchstaben",
        ),
        (
            "wordxevil.xml",
            "word\\evil.xml",
            "enthält einen umgekehrten Schrägstrich („\\“)",
        ),
    ] {
        let bytes = with_entry_renamed(placeholder, name, "<a/>");
        let error = refusal(&bytes);
        assert_eq!(error.part, name);
        assert_eq!(
            error.to_string(),
            format!(
                "Vorlage „vorlage.docx“, Teil „{name}“: der Name des Teils {problem}; so ein Dokument wird nicht verwendet"
            )
        );
    }
}

#[test]
fn names_differing_only_in_case_count_as_one() {
    let bytes = with_entry_renamed("word/documenX.xml", "word/Document.xml", "<a/>");
    let error = refusal(&bytes);
    assert_eq!(
        error.to_string(),
        "Vorlage „vorlage.docx“: „word/document.xml“: der Teil kommt im Dokument doppelt vor"
    );
}
