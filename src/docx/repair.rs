//! Fixes what loops and conditions legitimately break in a rendered part.
//!
//! A `{%p if %}` can empty a table cell, a `{%tr for %}` over an empty list can leave a table
//! without rows, a repeated row repeats the ids of its bookmarks and pictures. That is the
//! template working as intended, so instead of failing, the fixes that
//! [`crate::docx::structure`] recorded during the check are applied and the part is checked
//! again. Everything else the check finds stays an error.

use crate::docx::validate::{PartReport, Scope, check};

/// Checks a rendered part and repairs what can be repaired; returns the final text or the
/// problems that remain.
pub(crate) fn check_and_repair(
    name: &str,
    mut text: String,
    scope: Scope,
) -> Result<String, Vec<String>> {
    // Removing an empty table can empty its cell: a few rounds settle everything.
    for _ in 0..ROUNDS {
        let report = check(name, &text, scope);
        if report.problems.is_empty() {
            return Ok(text);
        }
        if report.fatal || report.repairs.is_empty() {
            return Err(report.problems);
        }
        text = apply(&text, &report);
    }
    let report = check(name, &text, scope);
    if report.problems.is_empty() {
        Ok(text)
    } else {
        Err(report.problems)
    }
}

/// Most repair rounds for one part.
const ROUNDS: usize = 4;

/// Applies the report's replacements (sorted and disjoint; overlapping ones are skipped).
fn apply(text: &str, report: &PartReport) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (range, replacement) in &report.repairs {
        if range.start < pos {
            continue;
        }
        let (Some(before), true) = (text.get(pos..range.start), range.end <= text.len()) else {
            continue;
        };
        out.push_str(before);
        out.push_str(replacement);
        pos = range.end;
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                     xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"";

    #[test]
    fn repairs_empty_cells_repeated_bookmarks_and_drawings() {
        let body = "<w:tbl><w:tr><w:tc><w:tcPr/></w:tc><w:tc/></w:tr></w:tbl>\
            <w:bookmarkStart w:id=\"1\" w:name=\"x\"/><w:bookmarkEnd w:id=\"1\"/>\
            <w:bookmarkStart w:id=\"1\" w:name=\"x\"/><w:bookmarkEnd w:id=\"1\"/>\
            <w:p><w:r><wp:docPr id=\"3\" name=\"a\"/><wp:docPr id=\"3\" name=\"a\"/></w:r></w:p>";
        let xml = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        let fixed = check_and_repair("word/document.xml", xml, Scope::Full).unwrap();
        assert!(fixed.contains("<w:tc><w:tcPr/><w:p/></w:tc><w:tc><w:p/></w:tc>"));
        assert_eq!(fixed.matches("bookmarkStart").count(), 1);
        assert_eq!(fixed.matches("bookmarkEnd").count(), 1);
        assert!(fixed.contains("<wp:docPr id=\"4\" name=\"a\"/>"));
    }

    #[test]
    fn malformed_parts_stay_errors() {
        let problems = check_and_repair("word/document.xml", "<a><b></a>".to_owned(), Scope::Full)
            .unwrap_err();
        assert!(problems[0].starts_with("Teil „word/document.xml“: kein wohlgeformtes XML"));
    }
}
