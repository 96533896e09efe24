//! Checks a DOCX package before anyone opens it.
//!
//! Word answers a broken package with its repair prompt, LibreOffice sometimes with silence.
//! So every package is checked: each XML part well-formed (quick-xml, including attributes,
//! entity references and the characters XML allows), every table cell holds a paragraph,
//! bookmark and drawing ids are unique within their part, every internal relationship target
//! exists, and `[Content_Types].xml` is there. The per-part check is one streaming pass; it
//! also notes what [`crate::docx::repair`] can fix in a freshly rendered part.

use std::ops::Range;

use quick_xml::events::{BytesStart, Event};

use crate::docx::escape::is_xml_char;
use crate::docx::german::xml_error;
use crate::docx::structure::Tracker;
use crate::docx::xml_reader::PartReader;
use crate::docx::{package, relationships};

/// Checks a whole DOCX package; returns every problem found (German).
pub fn validate_package(bytes: &[u8]) -> Result<(), Vec<String>> {
    let entries = package::read_entries(bytes).map_err(|error| vec![error.to_string()])?;
    let mut problems = Vec::new();
    if !entries.iter().any(|e| e.name == "[Content_Types].xml") {
        problems.push("„[Content_Types].xml“ fehlt im Paket".to_owned());
    }
    for entry in &entries {
        if !is_xml_part(&entry.name) {
            continue;
        }
        match std::str::from_utf8(&entry.data) {
            Ok(text) => problems.extend(check_part(&entry.name, text).problems),
            Err(_) => problems.push(format!("Teil „{}“ ist nicht UTF-8-kodiert", entry.name)),
        }
    }
    problems.extend(relationships::check_relationships(&entries));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Whether a part is XML by its name.
pub(crate) fn is_xml_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

/// The result of checking one part.
#[derive(Debug, Default)]
pub(crate) struct PartReport {
    /// The part's name.
    pub part: String,
    /// Every problem, German, prefixed with the part.
    pub problems: Vec<String>,
    /// Replacements that would fix the repairable problems (sorted, disjoint).
    pub repairs: Vec<(Range<usize>, String)>,
    /// Whether some problem cannot be repaired.
    pub fatal: bool,
}

impl PartReport {
    /// Adds a problem (prefixed with the part); `fatal` if it cannot be repaired.
    pub(crate) fn add(&mut self, message: String, fatal: bool) {
        self.problems
            .push(format!("Teil „{}“: {message}", self.part));
        self.fatal |= fatal;
    }
}

/// How much of a part's markup must be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Everything, including every attribute.
    Full,
    /// A rendered part whose start tags all come from the checked template or from this
    /// engine (no value was printed raw): attributes are read only where ids are checked.
    Rendered,
}

/// Checks one XML part in a single pass.
pub(crate) fn check_part(name: &str, text: &str) -> PartReport {
    check(name, text, Scope::Full)
}

/// Checks one XML part in a single pass, to the given scope.
pub(crate) fn check(name: &str, text: &str, scope: Scope) -> PartReport {
    let mut report = PartReport {
        part: name.to_owned(),
        ..PartReport::default()
    };
    if let Some(bad) = forbidden_char(text) {
        let message = format!(
            "enthält das in XML verbotene Zeichen U+{:04X}",
            u32::from(bad)
        );
        report.add(message, true);
        return report;
    }
    let mut reader = match scope {
        Scope::Full => PartReader::resolving(text),
        Scope::Rendered => PartReader::prefixed(text),
    };
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut tracker = Tracker::default();
    loop {
        let start = reader.position();
        let (ns, event) = match reader.next() {
            Ok(next) => next,
            Err(err) => {
                let at = reader.error_position();
                let message = format!("kein wohlgeformtes XML bei Byte {at}: {}", xml_error(&err));
                report.add(message, true);
                return report;
            }
        };
        let end = reader.position();
        let (element, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = element {
            if depth == 0 {
                roots += 1;
            }
            let checked = scope == Scope::Full || has_ids(e.local_name().as_ref());
            let attributes = if checked { check_attributes(e) } else { Ok(()) };
            if let Err(message) = attributes {
                report.add(format!("{message} bei Byte {start}"), true);
                return report;
            }
            tracker.start(&mut report, ns, e, empty, start..end);
            if !empty {
                depth += 1;
            }
        }
        match event {
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                tracker.end(&mut report, ns, e.local_name().as_ref(), start..end);
            }
            Event::Text(t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                report.add("Text außerhalb des Wurzelelements".to_owned(), true);
            }
            Event::GeneralRef(r) => {
                let known = matches!(&*r, b"amp" | b"lt" | b"gt" | b"quot" | b"apos");
                let valid = match r.resolve_char_ref() {
                    Ok(Some(c)) => is_xml_char(c),
                    Ok(None) => known,
                    Err(_) => false,
                };
                if !valid {
                    let shown = String::from_utf8_lossy(r.as_ref()).into_owned();
                    report.add(
                        format!("ungültiger Verweis „&{shown};“ bei Byte {start}"),
                        true,
                    );
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth > 0 {
        report.add(
            "ein Element wird nicht geschlossen (der Teil endet vorher)".to_owned(),
            true,
        );
    }
    if roots != 1 {
        report.add(format!("hat {roots} Wurzelelemente statt einem"), true);
    }
    tracker.finish(&mut report, text);
    report
}

/// Elements whose attributes are read in any case.
fn has_ids(local: &[u8]) -> bool {
    matches!(local, b"bookmarkStart" | b"bookmarkEnd" | b"docPr")
}

/// The first character XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE, U+FFFF),
/// found bytewise: `&str` holds no surrogates, so these are all there can be.
fn forbidden_char(text: &str) -> Option<char> {
    let bytes = text.as_bytes();
    // Most parts have no suspicious byte at all: a branch-free pass the compiler vectorizes.
    let suspicious = bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        })
    });
    if !suspicious {
        return None;
    }
    let at = bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })?;
    text.get(at..)?.chars().next().filter(|c| !is_xml_char(*c))
}

fn check_attributes(e: &BytesStart<'_>) -> Result<(), String> {
    for attribute in e.attributes().with_checks(true) {
        let attribute = attribute.map_err(|_| "fehlerhaftes oder doppeltes Attribut".to_owned())?;
        if attribute.value.contains(&b'<') {
            return Err("„<“ in einem Attributwert".to_owned());
        }
    }
    Ok(())
}

pub(crate) fn attribute(e: &BytesStart<'_>, local: &[u8]) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn accepts_a_good_part() {
        let xml = format!(
            "<w:document {W}><w:body><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:bookmarkStart w:id=\"0\" w:name=\"a\"/><w:bookmarkEnd w:id=\"0\"/></w:body></w:document>"
        );
        let report = check_part("word/document.xml", &xml);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn reports_and_repairs_cells_and_bookmarks() {
        let xml = format!(
            "<w:document {W}><w:body><w:tbl><w:tr><w:tc><w:tcPr/></w:tc></w:tr></w:tbl><w:bookmarkStart w:id=\"0\" w:name=\"a\"/><w:bookmarkEnd w:id=\"0\"/><w:bookmarkStart w:id=\"0\" w:name=\"a\"/><w:bookmarkEnd w:id=\"0\"/></w:body></w:document>"
        );
        let report = check_part("word/document.xml", &xml);
        assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
        assert!(
            report.problems[0].starts_with("Teil „word/document.xml“: Tabellenzelle ohne Absatz")
        );
        assert_eq!(
            report.problems[1],
            "Teil „word/document.xml“: Lesezeichen-ID „0“ kommt doppelt vor"
        );
        assert!(!report.fatal);
        assert_eq!(report.repairs.len(), 3);
    }

    #[test]
    fn rejects_malformed_xml_and_forbidden_characters() {
        assert!(check_part("a.xml", "<a><b></a>").fatal);
        assert!(check_part("a.xml", "<a>\u{7}</a>").fatal);
        assert!(check_part("a.xml", "<a>&#1;</a>").fatal);
        assert!(check_part("a.xml", "<a x=\"1\" x=\"2\"/>").fatal);
        assert!(check_part("a.xml", "<a/><b/>").fatal);
    }
}
