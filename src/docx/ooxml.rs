//! Writes rich text as WordprocessingML paragraphs and tables in the template's styles.
//!
//! This is what `{{p value }}` prints in place of its paragraph. Headings, lists, quotes and
//! tables use the template's styles ("heading 2", "List Bullet", "Table Grid", …, found by
//! name); when a style is missing the `{{p …}}` paragraph's own properties are used, list
//! items get a „• “ or „1. “ and an indentation, and tables get explicit borders. Plain
//! paragraphs keep the `{{p …}}` paragraph's properties and its run's font.

use crate::docx::escape;
use crate::docx::plan::BlockBase;
use crate::docx::props::{PPR_ORDER, Props, RPR_ORDER};
use crate::docx::rich_text::{Block, Emphasis, Inline, ParaKind, RichText, bullet};
use crate::docx::styles::StyleSheet;

/// Width of a generated table in twentieths of a point (16 cm).
const TABLE_WIDTH: usize = 9072;
/// Indentation per list level in twentieths of a point (0.63 cm).
const INDENT: usize = 357;

/// The parsed properties of a `{{p …}}` paragraph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Base {
    /// Paragraph properties without section break and change tracking.
    pub ppr: Props,
    /// Paragraph properties as written (may end a section).
    pub full_ppr: Props,
    pub rpr: Props,
    pub in_cell: bool,
}

impl Base {
    pub(crate) fn from_block(block: &BlockBase) -> Base {
        let full_ppr = Props::parse(&block.ppr);
        let mut ppr = full_ppr.clone();
        ppr.remove("sectPr");
        ppr.remove("pPrChange");
        let mut rpr = Props::parse(&block.rpr);
        rpr.remove("rPrChange");
        Base {
            ppr,
            full_ppr,
            rpr,
            in_cell: block.in_cell,
        }
    }
}

/// Writes a rich text in place of the `{{p …}}` paragraph.
pub(crate) fn write_rich(out: &mut String, rich: &RichText, styles: &StyleSheet, base: &Base) {
    let blocks = &rich.blocks;
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Para(kind, inlines) => write_para(out, *kind, inlines, styles, base),
            Block::Table { rows, header } => {
                write_table(out, rows, *header, styles, base);
                // Word needs a paragraph after a table at the end of a cell or before
                // another table (two tables in a row would merge).
                if !matches!(blocks.get(i + 1), Some(Block::Para(..))) {
                    empty_para(out, &base.ppr);
                }
            }
        }
    }
    finish(out, blocks.is_empty(), base);
}

/// Writes a plain value (text with line breaks) as one paragraph.
pub(crate) fn write_plain(out: &mut String, text: &str, styles: &StyleSheet, base: &Base) {
    if !text.is_empty() {
        let inline = Inline::Text(text.to_owned(), Emphasis::default());
        write_para(out, ParaKind::Normal, &[inline], styles, base);
    }
    finish(out, text.is_empty(), base);
}

/// Keeps a section break of the replaced paragraph, and a cell's required paragraph.
fn finish(out: &mut String, empty: bool, base: &Base) {
    if base.full_ppr.has("sectPr") {
        empty_para(out, &base.full_ppr);
    } else if empty && base.in_cell {
        empty_para(out, &base.ppr);
    }
}

fn empty_para(out: &mut String, ppr: &Props) {
    out.push_str("<w:p>");
    ppr.write(out, "w:pPr");
    out.push_str("</w:p>");
}

fn style_xml(id: &str) -> String {
    let mut xml = String::from("<w:pStyle w:val=\"");
    escape::push_attr(&mut xml, id);
    xml.push_str("\"/>");
    xml
}

fn indent_xml(depth: u8, hanging: bool) -> String {
    let left = INDENT * (usize::from(depth.min(8)) + 1);
    if hanging {
        format!("<w:ind w:left=\"{left}\" w:hanging=\"{INDENT}\"/>")
    } else {
        format!("<w:ind w:left=\"{left}\"/>")
    }
}

/// Paragraph properties, run properties and a text marker for a kind of paragraph.
fn layout(kind: ParaKind, styles: &StyleSheet, base: &Base) -> (Props, Props, Option<String>) {
    let styled = |name: &str| {
        styles.paragraph(name).map(|id| {
            let mut ppr = Props::default();
            ppr.set(PPR_ORDER, "pStyle", style_xml(id));
            ppr
        })
    };
    let leveled = |name: &str, depth: u8| {
        let specific = if depth == 0 {
            None
        } else {
            styled(&format!("{name} {}", usize::from(depth) + 1))
        };
        specific.or_else(|| {
            styled(name).map(|mut ppr| {
                if depth > 0 {
                    ppr.set(PPR_ORDER, "ind", indent_xml(depth, true));
                }
                ppr
            })
        })
    };
    let fallback = |extra: Option<(&str, String)>| {
        let mut ppr = base.ppr.clone();
        if let Some((name, xml)) = extra {
            ppr.set(PPR_ORDER, name, xml);
        }
        ppr
    };
    match kind {
        ParaKind::Normal => (base.ppr.clone(), base.rpr.clone(), None),
        ParaKind::Heading(level) => match styled(&format!("heading {level}")) {
            Some(ppr) => (ppr, Props::default(), None),
            None => {
                let mut rpr = base.rpr.clone();
                rpr.set(RPR_ORDER, "b", "<w:b/>".to_owned());
                let size = match level {
                    1 => 32,
                    2 => 28,
                    _ => 24,
                };
                rpr.set(RPR_ORDER, "sz", format!("<w:sz w:val=\"{size}\"/>"));
                let keep = Some(("keepNext", "<w:keepNext/>".to_owned()));
                (fallback(keep), rpr, None)
            }
        },
        ParaKind::Bullet(depth) => match leveled("List Bullet", depth) {
            Some(ppr) => (ppr, base.rpr.clone(), None),
            None => (
                fallback(Some(("ind", indent_xml(depth, true)))),
                base.rpr.clone(),
                Some(format!("{}\t", bullet(depth))),
            ),
        },
        ParaKind::Numbered(depth, number) => match leveled("List Number", depth) {
            Some(ppr) => (ppr, base.rpr.clone(), None),
            None => (
                fallback(Some(("ind", indent_xml(depth, true)))),
                base.rpr.clone(),
                Some(format!("{number}.\t")),
            ),
        },
        ParaKind::Continuation(depth) => (
            fallback(Some(("ind", indent_xml(depth, false)))),
            base.rpr.clone(),
            None,
        ),
        ParaKind::Quote => match styled("Quote") {
            Some(ppr) => (ppr, base.rpr.clone(), None),
            None => (
                fallback(Some(("ind", indent_xml(0, false)))),
                base.rpr.clone(),
                None,
            ),
        },
        ParaKind::Code => (base.ppr.clone(), base.rpr.clone(), None),
    }
}

fn write_para(
    out: &mut String,
    kind: ParaKind,
    inlines: &[Inline],
    styles: &StyleSheet,
    base: &Base,
) {
    let (ppr, rpr, marker) = layout(kind, styles, base);
    out.push_str("<w:p>");
    ppr.write(out, "w:pPr");
    if let Some(marker) = marker {
        write_run(out, &marker, Emphasis::default(), &rpr);
    }
    write_inlines(out, inlines, &rpr);
    out.push_str("</w:p>");
}

fn write_inlines(out: &mut String, inlines: &[Inline], rpr: &Props) {
    for inline in inlines {
        match inline {
            Inline::Text(text, emphasis) => write_run(out, text, *emphasis, rpr),
            Inline::Break => {
                out.push_str("<w:r>");
                rpr.write(out, "w:rPr");
                out.push_str("<w:br/></w:r>");
            }
        }
    }
}

fn write_run(out: &mut String, text: &str, emphasis: Emphasis, base: &Props) {
    out.push_str("<w:r>");
    if emphasis == Emphasis::default() {
        base.write(out, "w:rPr");
    } else {
        let mut rpr = base.clone();
        if emphasis.bold {
            rpr.set(RPR_ORDER, "b", "<w:b/>".to_owned());
        }
        if emphasis.italic {
            rpr.set(RPR_ORDER, "i", "<w:i/>".to_owned());
        }
        if emphasis.strike {
            rpr.set(RPR_ORDER, "strike", "<w:strike/>".to_owned());
        }
        if emphasis.code {
            rpr.set(
                RPR_ORDER,
                "rFonts",
                "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" \
                 w:cs=\"Courier New\"/>"
                    .to_owned(),
            );
        }
        rpr.write(out, "w:rPr");
    }
    out.push_str("<w:t xml:space=\"preserve\">");
    escape::push_value(out, text);
    out.push_str("</w:t></w:r>");
}

const BORDERS: &str = "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" \
w:color=\"auto\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:bottom \
w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"4\" \
w:space=\"0\" w:color=\"auto\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" \
w:color=\"auto\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
</w:tblBorders>";

fn write_table(
    out: &mut String,
    rows: &[Vec<Vec<Inline>>],
    header: usize,
    styles: &StyleSheet,
    base: &Base,
) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let width = TABLE_WIDTH / columns;
    out.push_str("<w:tbl><w:tblPr>");
    let style = styles.table("Table Grid");
    if let Some(id) = style {
        out.push_str("<w:tblStyle w:val=\"");
        escape::push_attr(out, id);
        out.push_str("\"/>");
    }
    out.push_str("<w:tblW w:w=\"0\" w:type=\"auto\"/>");
    if style.is_none() {
        out.push_str(BORDERS);
    }
    out.push_str(
        "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" \
         w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
    );
    for _ in 0..columns {
        out.push_str(&format!("<w:gridCol w:w=\"{width}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    let mut bold = base.rpr.clone();
    bold.set(RPR_ORDER, "b", "<w:b/>".to_owned());
    for (r, row) in rows.iter().enumerate() {
        out.push_str("<w:tr>");
        if r < header {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        let rpr = if r < header { &bold } else { &base.rpr };
        for c in 0..columns {
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p>"
            ));
            if let Some(cell) = row.get(c) {
                write_inlines(out, cell, rpr);
            }
            out.push_str("</w:p></w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::markdown::parse;

    fn base() -> Base {
        Base::from_block(&BlockBase {
            ppr: r#"<w:spacing w:after="120"/>"#.to_owned(),
            rpr: r#"<w:rFonts w:ascii="Arial"/>"#.to_owned(),
            in_cell: false,
        })
    }

    #[test]
    fn uses_styles_by_name() {
        let styles = StyleSheet::parse(
            r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="Aufzhlungszeichen"><w:name w:val="List Bullet"/></w:style></w:styles>"#,
        );
        let mut out = String::new();
        write_rich(&mut out, &parse("## Titel\n\n- a & b"), &styles, &base());
        assert_eq!(
            out,
            "<w:p><w:pPr><w:pStyle w:val=\"berschrift2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Titel</w:t></w:r></w:p>\
             <w:p><w:pPr><w:pStyle w:val=\"Aufzhlungszeichen\"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii=\"Arial\"/></w:rPr><w:t xml:space=\"preserve\">a &amp; b</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn falls_back_without_styles() {
        let mut out = String::new();
        write_rich(
            &mut out,
            &parse("1. eins\n\n| a |\n|---|\n| b |"),
            &StyleSheet::default(),
            &base(),
        );
        assert!(out.contains("<w:ind w:left=\"357\" w:hanging=\"357\"/>"));
        assert!(out.contains(">1.</w:t><w:tab/>"));
        assert!(out.contains("<w:tblBorders>"));
        assert!(out.ends_with("</w:tbl><w:p><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:p>"));
    }

    #[test]
    fn empty_text_in_a_cell_keeps_a_paragraph() {
        let mut base = base();
        base.in_cell = true;
        let mut out = String::new();
        write_plain(&mut out, "", &StyleSheet::default(), &base);
        assert_eq!(
            out,
            "<w:p><w:pPr><w:spacing w:after=\"120\"/></w:pPr></w:p>"
        );
    }
}
