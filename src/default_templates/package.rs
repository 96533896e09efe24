//! Turns a document built with docx-rs into the bytes of a `.docx` that Word and LibreOffice
//! open without complaint, the same bytes on every run.
//!
//! docx-rs 0.4 writes the parts we want but not quite as Word expects them: the children of
//! property elements (`w:pPr`, `w:rPr`, `w:sectPr`, `w:style`, …) come in its own order, while
//! the schema fixes a sequence (Word drops or "repairs" what is out of order); every paragraph
//! gets a `w14:paraId`, which a `{%p for %}` loop would duplicate; the default paragraph style
//! is not marked as default and nothing says the text is German. [`finish`] fixes exactly
//! these points on the XML that docx-rs produced and zips the parts itself: deflated, in a fixed
//! order, with fixed timestamps (docx-rs stores them uncompressed with the current time).

use std::io::{Cursor, Write};

use docx_rs::{Docx, XMLDocx};
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The schema order of the children of the elements docx-rs writes out of order (local names).
const ORDERS: &[(&str, &str)] = &[
    (
        "w:pPr",
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr \
         suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct \
         topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind \
         contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment \
         textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    ),
    (
        "w:rPr",
        "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike \
         outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern \
         position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang \
         eastAsianLayout specVanish oMath rPrChange",
    ),
    (
        "w:style",
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden \
         unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr \
         trPr tcPr tblStylePr",
    ),
    (
        "w:tblPr",
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc \
         tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption \
         tblDescription tblPrChange",
    ),
    (
        "w:tcPr",
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText \
         vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    ),
    (
        "w:sectPr",
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc \
         pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi \
         rtlGutter docGrid printerSettings sectPrChange",
    ),
    (
        "w:lvl",
        "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr",
    ),
    (
        "w:trPr",
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader \
         tblCellSpacing jc hidden ins del trPrChange",
    ),
    ("w:numPr", "ilvl numId numberingChange ins"),
    ("w:pBdr", "top left bottom right between bar"),
    ("w:tblCellMar", "top left start bottom right end"),
    (
        "w:tblBorders",
        "top left start bottom right end insideH insideV",
    ),
    (
        "w:settings",
        "writeProtection view zoom removePersonalInformation proofState attachedTemplate \
         defaultTabStop autoHyphenation hyphenationZone evenAndOddHeaders \
         characterSpacingControl updateFields footnotePr endnotePr compat docVars rsids \
         themeFontLang decimalSymbol listSeparator",
    ),
];

/// What the text of every template is written in.
const LANGUAGE: &str = "<w:lang w:val=\"de-DE\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>";

/// Builds `docx` and packs it: parts normalised (see the module), deflated, fixed order and times.
pub(crate) fn finish(docx: Docx) -> Vec<u8> {
    let xml = docx.build();
    let parts = parts(xml);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, data) in parts {
        let text = String::from_utf8(data).expect("docx-rs writes UTF-8");
        let text = normalise(&name, &text);
        writer
            .start_file(name, options)
            .expect("zip entry in memory");
        writer
            .write_all(text.as_bytes())
            .expect("zip write in memory");
    }
    writer.finish().expect("zip in memory").into_inner()
}

/// The parts docx-rs would pack, in its order (`[Content_Types].xml` first), without the folder
/// entries and without the media and extensions the templates do not use.
fn parts(xml: XMLDocx) -> Vec<(String, Vec<u8>)> {
    let mut parts = vec![
        ("[Content_Types].xml".to_owned(), xml.content_type),
        ("_rels/.rels".to_owned(), xml.rels),
        ("docProps/app.xml".to_owned(), xml.doc_props.app),
        ("docProps/core.xml".to_owned(), xml.doc_props.core),
        ("docProps/custom.xml".to_owned(), xml.doc_props.custom),
        ("word/_rels/document.xml.rels".to_owned(), xml.document_rels),
        ("word/document.xml".to_owned(), xml.document),
        ("word/styles.xml".to_owned(), xml.styles),
        ("word/settings.xml".to_owned(), xml.settings),
        ("word/fontTable.xml".to_owned(), xml.font_table),
        ("word/comments.xml".to_owned(), xml.comments),
        ("word/numbering.xml".to_owned(), xml.numberings),
        (
            "word/commentsExtended.xml".to_owned(),
            xml.comments_extended,
        ),
        ("word/footnotes.xml".to_owned(), xml.footnotes),
    ];
    for (i, header) in xml.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), header));
        if let Some(rels) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, footer) in xml.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), footer));
        if let Some(rels) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    parts
}

/// An element of a part, kept as the text docx-rs wrote.
#[derive(Debug)]
enum Node {
    Element {
        name: String,
        start: String,
        children: Vec<Node>,
        /// `None` for an empty element (`<w:b />`).
        end: Option<String>,
    },
    Other(String),
}

/// Normalises one part (see the module); parts that are not WordprocessingML stay as they are.
fn normalise(name: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    if !text.starts_with("<?xml") {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
    }
    if !name.starts_with("word/") || name.ends_with(".rels") {
        out.push_str(text);
        return out;
    }
    let mut nodes = parse(text);
    for node in &mut nodes {
        fix(node, None);
    }
    for node in &nodes {
        write(&mut out, node);
    }
    out
}

fn parse(text: &str) -> Vec<Node> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = vec![Node::Element {
        name: String::new(),
        start: String::new(),
        children: Vec::new(),
        end: None,
    }];
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().expect("docx-rs writes well-formed XML");
        let after = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let raw = text.get(before..after).unwrap_or("").to_owned();
        let node = match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push(Node::Element {
                    name,
                    start: raw,
                    children: Vec::new(),
                    end: Some(String::new()),
                });
                continue;
            }
            Event::End(_) => {
                let mut element = stack.pop().expect("balanced XML");
                if let Node::Element { end, .. } = &mut element {
                    *end = Some(raw);
                }
                element
            }
            Event::Empty(e) => Node::Element {
                name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                start: raw,
                children: Vec::new(),
                end: None,
            },
            _ => Node::Other(raw),
        };
        if let Some(Node::Element { children, .. }) = stack.last_mut() {
            children.push(node);
        }
    }
    match stack.pop() {
        Some(Node::Element { children, .. }) => children,
        _ => Vec::new(),
    }
}

/// Applies the fixes to an element and its children; `parent` is the parent's name.
fn fix(node: &mut Node, parent: Option<&str>) {
    let Node::Element {
        name,
        start,
        children,
        end,
    } = node
    else {
        return;
    };
    if name == "w:p" {
        strip_attribute(start, "w14:paraId");
    }
    if name == "w:tbl" && is_grid_table(children) {
        mark_head_row(children);
    }
    if name == "w:gridCol" {
        strip_attribute(start, "w:type"); // not in the schema of a grid column
    }
    if name == "w:style"
        && start.contains("w:styleId=\"Normal\"")
        && start.contains("w:type=\"paragraph\"")
    {
        *start = start.replacen("<w:style ", "<w:style w:default=\"1\" ", 1);
    }
    if name == "w:rPr" && parent == Some("w:rPrDefault") {
        if end.is_none() {
            *start = "<w:rPr>".to_owned();
            *end = Some("</w:rPr>".to_owned());
        }
        children.push(Node::Other(LANGUAGE.to_owned()));
    }
    let own = name.clone();
    for child in children.iter_mut() {
        fix(child, Some(&own));
    }
    // Empty property elements say nothing; docx-rs writes one into every paragraph and run.
    let keep_empty = matches!(own.as_str(), "w:rPrDefault" | "w:pPrDefault");
    children.retain(|child| match child {
        Node::Element { name, children, .. } => {
            keep_empty
                || !(matches!(name.as_str(), "w:rPr" | "w:pPr" | "w:trPr" | "w:tcPr")
                    && children.is_empty())
        }
        Node::Other(_) => true,
    });
    if let Some((_, order)) = ORDERS.iter().find(|(n, _)| *n == own) {
        let rank = |local: &str| {
            order
                .split_whitespace()
                .position(|o| o == local)
                .unwrap_or(usize::MAX)
        };
        children.sort_by_key(|child| match child {
            Node::Element { name, .. } => {
                rank(name.split_once(':').map_or(name.as_str(), |(_, l)| l))
            }
            Node::Other(text) if text.starts_with("<w:lang") => rank("lang"),
            Node::Other(_) => usize::MAX,
        });
    }
}

/// Whether a table's properties name the grid style: the default templates give that style
/// to exactly the tables that open with a head row (Beratungsfolge, signatures).
fn is_grid_table(children: &[Node]) -> bool {
    children.iter().any(|child| match child {
        Node::Element { name, children, .. } if name == "w:tblPr" => {
            children.iter().any(|c| match c {
                Node::Element { name, start, .. } => {
                    name == "w:tblStyle" && start.contains("w:val=\"TableGrid\"")
                }
                Node::Other(_) => false,
            })
        }
        _ => false,
    })
}

/// Marks the first row of a table as its head row (`w:tblHeader`): Word and LibreOffice repeat
/// it at the top of every page the table runs onto.
fn mark_head_row(children: &mut [Node]) {
    let Some(Node::Element {
        children: cells, ..
    }) = children
        .iter_mut()
        .find(|c| matches!(c, Node::Element { name, .. } if name == "w:tr"))
    else {
        return;
    };
    let head = Node::Element {
        name: "w:tblHeader".to_owned(),
        start: "<w:tblHeader />".to_owned(),
        children: Vec::new(),
        end: None,
    };
    match cells
        .iter_mut()
        .find(|c| matches!(c, Node::Element { name, .. } if name == "w:trPr"))
    {
        Some(Node::Element {
            start,
            children,
            end,
            ..
        }) => {
            if end.is_none() {
                *start = "<w:trPr>".to_owned();
                *end = Some("</w:trPr>".to_owned());
            }
            children.push(head);
        }
        _ => cells.insert(
            0,
            Node::Element {
                name: "w:trPr".to_owned(),
                start: "<w:trPr>".to_owned(),
                children: vec![head],
                end: Some("</w:trPr>".to_owned()),
            },
        ),
    }
}

/// Removes ` name="…"` from a start tag.
fn strip_attribute(start: &mut String, attribute: &str) {
    let needle = format!(" {attribute}=\"");
    if let Some(at) = start.find(&needle) {
        let value = at + needle.len();
        if let Some(close) = start[value..].find('"') {
            start.replace_range(at..value + close + 1, "");
        }
    }
}

fn write(out: &mut String, node: &Node) {
    match node {
        Node::Element {
            start,
            children,
            end,
            ..
        } => {
            out.push_str(start);
            for child in children {
                write(out, child);
            }
            if let Some(end) = end {
                out.push_str(end);
            }
        }
        Node::Other(text) => out.push_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_properties_and_drops_para_ids() {
        let xml = "<w:document xmlns:w=\"w\" xmlns:w14=\"x\"><w:body><w:p w14:paraId=\"00000001\"><w:pPr><w:rPr /><w:jc w:val=\"left\" /><w:pStyle w:val=\"Title\" /></w:pPr><w:r><w:rPr><w:sz w:val=\"20\" /><w:b /></w:rPr><w:t xml:space=\"preserve\">x</w:t></w:r></w:p></w:body></w:document>";
        let out = normalise("word/document.xml", xml);
        assert!(out.ends_with("<w:body><w:p><w:pPr><w:pStyle w:val=\"Title\" /><w:jc w:val=\"left\" /></w:pPr><w:r><w:rPr><w:b /><w:sz w:val=\"20\" /></w:rPr><w:t xml:space=\"preserve\">x</w:t></w:r></w:p></w:body></w:document>"), "{out}");
    }

    #[test]
    fn marks_normal_as_default_and_german() {
        let xml = "<w:styles xmlns:w=\"w\"><w:docDefaults><w:rPrDefault><w:rPr /></w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:styleId=\"Normal\"><w:rPr /><w:name w:val=\"Normal\" /></w:style></w:styles>";
        let out = normalise("word/styles.xml", xml);
        assert!(
            out.contains("<w:rPrDefault><w:rPr><w:lang w:val=\"de-DE\""),
            "{out}"
        );
        assert!(out.contains("<w:style w:default=\"1\" w:type=\"paragraph\" w:styleId=\"Normal\"><w:name w:val=\"Normal\" /></w:style>"), "{out}");
    }
}
