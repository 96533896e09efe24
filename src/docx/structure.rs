//! The structural rules of WordprocessingML that a rendered part can break legitimately.
//!
//! A `{%p if %}` can empty a table cell, a `{%tr for %}` over an empty list can leave a table
//! without rows, and a repeated row repeats the ids of its bookmarks and pictures. Word answers
//! each with its repair prompt. [`Tracker`] follows the elements of one part during the check
//! of [`crate::docx::validate`], reports these problems and records how to fix them: an empty
//! paragraph into an empty cell, empty rows and tables removed, repeated bookmarks dropped (the
//! first stays) and repeated drawing ids renumbered. [`crate::docx::repair`] applies the fixes.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use quick_xml::events::BytesStart;

use crate::docx::validate::{PartReport, attribute};
use crate::docx::xml_reader::Ns;

/// An open table, row or cell: where it starts and how many children that matter it has.
#[derive(Debug, Clone, Copy)]
struct Open {
    start: usize,
    children: usize,
}

/// Follows tables, cells, bookmarks and drawings through one part.
#[derive(Debug, Default)]
pub(crate) struct Tracker {
    tables: Vec<Open>,
    rows: Vec<Open>,
    cells: Vec<Open>,
    bookmarks: HashSet<String>,
    dropped: HashMap<String, usize>,
    drawings: Vec<Range<usize>>,
    drawing_ids: HashSet<u64>,
}

impl Tracker {
    /// A start tag (or an empty element) spanning `span`.
    pub(crate) fn start(
        &mut self,
        report: &mut PartReport,
        ns: Ns,
        e: &BytesStart<'_>,
        empty: bool,
        span: Range<usize>,
    ) {
        let open = Open {
            start: span.start,
            children: 0,
        };
        match (ns, e.local_name().as_ref()) {
            (Ns::W, b"tbl") if !empty => self.tables.push(open),
            (Ns::W, b"tr") => {
                count(&mut self.tables);
                if empty {
                    report.add(
                        format!("Tabellenzeile ohne Zelle bei Byte {}", span.start),
                        false,
                    );
                    report.repairs.push((span, String::new()));
                } else {
                    self.rows.push(open);
                }
            }
            (Ns::W, b"tc") => {
                count(&mut self.rows);
                if empty {
                    report.add(
                        format!("Tabellenzelle ohne Absatz bei Byte {}", span.start),
                        false,
                    );
                    report
                        .repairs
                        .push((span, "<w:tc><w:p/></w:tc>".to_owned()));
                } else {
                    self.cells.push(open);
                }
            }
            (Ns::W, b"p") => count(&mut self.cells),
            (Ns::W, b"bookmarkStart") => {
                let id = attribute(e, b"id");
                if !self.bookmarks.insert(id.clone()) {
                    report.add(format!("Lesezeichen-ID „{id}“ kommt doppelt vor"), !empty);
                    if empty {
                        report.repairs.push((span, String::new()));
                        *self.dropped.entry(id).or_default() += 1;
                    }
                }
            }
            (Ns::W, b"bookmarkEnd") if empty => {
                let id = attribute(e, b"id");
                if let Some(count) = self.dropped.get_mut(&id).filter(|c| **c > 0) {
                    *count -= 1;
                    report.repairs.push((span, String::new()));
                }
            }
            (Ns::Wp, b"docPr") => {
                let id = attribute(e, b"id").parse::<u64>().unwrap_or(0);
                if !self.drawing_ids.insert(id) {
                    report.add(format!("Zeichnungs-ID „{id}“ kommt doppelt vor"), false);
                    self.drawings.push(span);
                }
            }
            _ => {}
        }
    }

    /// An end tag spanning `span`.
    pub(crate) fn end(
        &mut self,
        report: &mut PartReport,
        ns: Ns,
        local: &[u8],
        span: Range<usize>,
    ) {
        if ns != Ns::W {
            return;
        }
        let (stack, message, repair) = match local {
            b"tbl" => (&mut self.tables, "Tabelle ohne Zeile", None),
            b"tr" => (&mut self.rows, "Tabellenzeile ohne Zelle", None),
            b"tc" => (&mut self.cells, "Tabellenzelle ohne Absatz", Some("<w:p/>")),
            _ => return,
        };
        let Some(open) = stack.pop().filter(|open| open.children == 0) else {
            return;
        };
        report.add(format!("{message} bei Byte {}", open.start), false);
        match repair {
            Some(insert) => report
                .repairs
                .push((span.start..span.start, insert.to_owned())),
            None => report.repairs.push((open.start..span.end, String::new())),
        }
    }

    /// After the last event: renumbers repeated drawing ids.
    pub(crate) fn finish(self, report: &mut PartReport, text: &str) {
        let first_free = self
            .drawing_ids
            .iter()
            .max()
            .copied()
            .unwrap_or(0)
            .saturating_add(1);
        for (next, span) in (first_free..).zip(self.drawings) {
            match text.get(span.clone()).and_then(|t| replace_id(t, next)) {
                Some(tag) => report.repairs.push((span, tag)),
                None => report.fatal = true,
            }
        }
    }
}

fn count(stack: &mut [Open]) {
    if let Some(open) = stack.last_mut() {
        open.children += 1;
    }
}

/// The start tag with its `id` attribute set to `id`.
fn replace_id(tag: &str, id: u64) -> Option<String> {
    let bytes = tag.as_bytes();
    let at = (1..bytes.len().saturating_sub(3))
        .find(|&i| bytes[i - 1].is_ascii_whitespace() && bytes.get(i..i + 3) == Some(b"id="))?;
    let quote = *bytes.get(at + 3)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = at + 4 + tag.get(at + 4..)?.find(char::from(quote))?;
    Some(format!("{}{id}{}", &tag[..at + 4], &tag[close..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::validate::check_part;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    #[test]
    fn replaces_drawing_ids() {
        assert_eq!(
            replace_id("<wp:docPr id=\"1\" name=\"Bild 1\"/>", 7).as_deref(),
            Some("<wp:docPr id=\"7\" name=\"Bild 1\"/>")
        );
    }

    #[test]
    fn reports_empty_tables_and_rows() {
        let xml = format!(
            "<w:document {W}><w:body><w:tbl><w:tblPr/></w:tbl><w:tbl><w:tr><w:trPr/></w:tr>\
             <w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:body></w:document>"
        );
        let report = check_part("word/document.xml", &xml);
        assert!(report.problems[0].starts_with("Teil „word/document.xml“: Tabelle ohne Zeile"));
        assert!(
            report.problems[1].starts_with("Teil „word/document.xml“: Tabellenzeile ohne Zelle")
        );
        assert_eq!(report.problems.len(), 2);
        assert!(!report.fatal);
    }
}
