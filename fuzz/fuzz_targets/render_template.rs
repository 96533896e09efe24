//! Fuzzes the template engine with arbitrary templates and data: loading and rendering must
//! give a document or a German error, never a panic, and every document returned must pass the
//! package checks.
#![no_main]

use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;
use ratsflow::docx::{DocxTemplate, validate_package};

const BASE: &[u8] = include_bytes!("../../templates/beschlussvorlage.docx");

/// The base template with `word/document.xml` replaced.
fn with_document(document: &[u8]) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(BASE)).ok()?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).ok()?;
        let name = file.name().to_string();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).ok()?;
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .ok()?;
        out.write_all(if name == "word/document.xml" {
            document
        } else {
            &bytes
        })
        .ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

fuzz_target!(|input: &[u8]| {
    let Some((&mode, rest)) = input.split_first() else {
        return;
    };
    // The rest is "template | data", split at the first 0xFF byte.
    let split = rest.iter().position(|&b| b == 0xFF).unwrap_or(rest.len());
    let (template, data) = (&rest[..split], rest.get(split + 1..).unwrap_or_default());
    let bytes = match mode % 3 {
        0 => template.to_vec(),
        1 => {
            let body = String::from_utf8_lossy(template);
            let xml = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{body}</w:t></w:r></w:p></w:body></w:document>"
            );
            match with_document(xml.as_bytes()) {
                Some(bytes) => bytes,
                None => return,
            }
        }
        _ => match with_document(template) {
            Some(bytes) => bytes,
            None => return,
        },
    };
    let Ok(loaded) = DocxTemplate::load("fuzz.docx", &bytes) else {
        return;
    };
    let json: serde_json::Value = serde_json::from_slice(data).unwrap_or(serde_json::Value::Null);
    let value = minijinja::Value::from_serialize(&json);
    if let Ok(document) = loaded.render(&value) {
        assert!(
            validate_package(&document).is_ok(),
            "a rendered document failed the package checks"
        );
    }
});
