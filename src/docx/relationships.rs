//! Checks that every internal relationship of a package points at a part that exists.
//!
//! A relationship (`word/_rels/document.xml.rels` → `media/image1.png`) whose target is missing
//! makes Word offer to repair the document. Targets are resolved the way OPC does: relative to
//! the folder of the source part, `..` allowed, absolute from the package root,
//! percent-decoded, compared without regard to case; external targets are not checked.

use std::collections::HashSet;

use quick_xml::events::Event;
use quick_xml::reader::NsReader;

use crate::docx::package;
use crate::docx::validate::attribute;

/// Checks that every internal relationship target exists in the package.
pub(crate) fn check_relationships(entries: &[package::Entry]) -> Vec<String> {
    let names: HashSet<String> = entries.iter().map(|e| e.name.to_lowercase()).collect();
    let mut problems = Vec::new();
    for entry in entries
        .iter()
        .filter(|e| e.name.to_lowercase().ends_with(".rels"))
    {
        let Ok(text) = std::str::from_utf8(&entry.data) else {
            continue;
        };
        let base = match entry.name.rsplit_once("_rels/") {
            Some((dir, _)) => dir,
            None => "",
        };
        let mut reader = NsReader::from_str(text);
        while let Ok((_, event)) = reader.read_resolved_event() {
            let e = match event {
                Event::Start(e) | Event::Empty(e) => e,
                Event::Eof => break,
                _ => continue,
            };
            if e.local_name().as_ref() != b"Relationship"
                || attribute(&e, b"TargetMode").eq_ignore_ascii_case("external")
            {
                continue;
            }
            let target = attribute(&e, b"Target");
            let resolved = resolve(base, &target);
            if !names.contains(&resolved.to_lowercase()) {
                problems.push(format!(
                    "Teil „{}“: Beziehung „{}“ verweist auf „{resolved}“, das im Paket fehlt",
                    entry.name,
                    attribute(&e, b"Id")
                ));
            }
        }
    }
    problems
}

/// Resolves a relationship target against the folder of its source part.
fn resolve(base: &str, target: &str) -> String {
    let target = percent_decode(target);
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{base}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relationship_targets() {
        assert_eq!(
            resolve("word/", "media/image%201.png"),
            "word/media/image 1.png"
        );
        assert_eq!(
            resolve("word/", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("", "/word/document.xml"), "word/document.xml");
    }
}
