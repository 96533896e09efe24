//! Reads one WordprocessingML part into what tag processing needs: byte spans.
//!
//! The part is parsed once with quick-xml (namespace-aware). Nothing is rebuilt from a tree:
//! the result is the byte span of every element plus, for each paragraph, its `w:t` nodes with
//! their decoded text, so that later steps can splice the original bytes and keep everything
//! they do not touch exactly as Word wrote it (field codes, drawings, rsids, bookmarks).

use std::ops::Range;

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::docx::xml_reader::W_NAMESPACES;

/// The elements tag processing cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Paragraph,
    Run,
    Text,
    Table,
    Row,
    Cell,
    ParagraphProps,
    RunProps,
    /// `w:tab`, `w:br`, `w:cr`: white space in a run (or tab stops elsewhere).
    Spacing,
    Other,
}

/// One element of the part.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    pub kind: Kind,
    /// From `<` of the start tag to just past `>` of the end tag.
    pub span: Range<usize>,
    pub parent: Option<usize>,
    /// The direct `w:pPr` of a paragraph or `w:rPr` of a run.
    pub props: Option<usize>,
    /// Just past the start tag (content starts here).
    pub content_start: usize,
    /// Where the end tag starts (content ends here); equals `span.end` for empty elements.
    pub content_end: usize,
}

/// A `w:t` node of a paragraph.
#[derive(Debug, Clone)]
pub(crate) struct TextNode {
    pub element: usize,
    /// The qualified name as written (`w:t`).
    pub qname: String,
    pub text: String,
    /// Index of its paragraph.
    pub paragraph: usize,
}

/// A paragraph with its text nodes, in document order.
#[derive(Debug, Clone)]
pub(crate) struct Paragraph {
    pub element: usize,
    /// Indices into [`PartModel::texts`].
    pub texts: Vec<usize>,
    /// The text as a reader sees it (tabs and breaks as spaces), for error excerpts.
    pub display: String,
    /// Innermost enclosing table row and cell.
    pub row: Option<usize>,
    pub cell: Option<usize>,
}

/// The scanned part.
#[derive(Debug, Default)]
pub(crate) struct PartModel {
    pub elements: Vec<Element>,
    pub paragraphs: Vec<Paragraph>,
    pub texts: Vec<TextNode>,
}

/// A part that is not well-formed, with a German message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanError(pub String);

/// Scans a part. Fails when it is not well-formed XML.
pub(crate) fn scan(src: &str) -> Result<PartModel, ScanError> {
    let mut reader = NsReader::from_str(src);
    reader.config_mut().check_end_names = true;
    let mut model = PartModel::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut paragraphs: Vec<usize> = Vec::new();
    let mut rows: Vec<usize> = Vec::new();
    let mut cells: Vec<usize> = Vec::new();
    let mut open_text: Option<usize> = None;
    loop {
        let start = position(&reader);
        let (kind, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => {
                let kind = match &event {
                    Event::Start(e) | Event::Empty(e) => classify(&ns, e.local_name().as_ref()),
                    _ => Kind::Other,
                };
                (kind, event)
            }
            Err(err) => {
                return Err(ScanError(format!(
                    "kein wohlgeformtes XML bei Byte {}: {}",
                    reader.error_position(),
                    crate::docx::german::xml_error(&err)
                )));
            }
        };
        let end = position(&reader);
        match event {
            Event::Start(e) => {
                let id = open_element(&mut model, kind, start, end, stack.last().copied());
                match kind {
                    Kind::Paragraph => {
                        paragraphs.push(model.paragraphs.len());
                        model.paragraphs.push(Paragraph {
                            element: id,
                            texts: Vec::new(),
                            display: String::new(),
                            row: rows.last().copied(),
                            cell: cells.last().copied(),
                        });
                    }
                    Kind::Row => rows.push(id),
                    Kind::Cell => cells.push(id),
                    Kind::Text if open_text.is_none() => {
                        if let Some(&p) = paragraphs.last() {
                            open_text = Some(model.texts.len());
                            model.paragraphs[p].texts.push(model.texts.len());
                            model.texts.push(TextNode {
                                element: id,
                                qname: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                                text: String::new(),
                                paragraph: p,
                            });
                        }
                    }
                    _ => {}
                }
                stack.push(id);
            }
            Event::Empty(_) => {
                let parent = stack.last().copied();
                let id = open_element(&mut model, kind, start, end, parent);
                if kind == Kind::Paragraph {
                    model.paragraphs.push(Paragraph {
                        element: id,
                        texts: Vec::new(),
                        display: String::new(),
                        row: rows.last().copied(),
                        cell: cells.last().copied(),
                    });
                }
                let in_run = parent.is_some_and(|p| model.elements[p].kind == Kind::Run);
                if kind == Kind::Spacing
                    && in_run
                    && let Some(&p) = paragraphs.last()
                {
                    model.paragraphs[p].display.push(' ');
                }
                close_element(&mut model, id, end, end);
            }
            Event::End(_) => {
                let Some(id) = stack.pop() else {
                    return Err(ScanError(format!("überzähliges End-Tag bei Byte {start}")));
                };
                close_element(&mut model, id, start, end);
                match model.elements[id].kind {
                    Kind::Paragraph => {
                        paragraphs.pop();
                    }
                    Kind::Row => {
                        rows.pop();
                    }
                    Kind::Cell => {
                        cells.pop();
                    }
                    Kind::Text if open_text.is_some_and(|t| model.texts[t].element == id) => {
                        open_text = None;
                    }
                    _ => {}
                }
            }
            Event::Text(text) => {
                if let Some(t) = direct_text(&model, open_text, &stack) {
                    let decoded = text
                        .decode()
                        .map_err(|_| ScanError("ungültige Zeichenkodierung".to_owned()))?;
                    push_text(&mut model, t, &decoded);
                }
            }
            Event::CData(text) => {
                if let Some(t) = direct_text(&model, open_text, &stack) {
                    push_text(&mut model, t, &String::from_utf8_lossy(&text.into_inner()));
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match &*reference {
                        b"amp" => Some('&'),
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                let Some(c) = resolved else {
                    return Err(ScanError(format!(
                        "unbekannter Verweis „&{};“ bei Byte {start}",
                        String::from_utf8_lossy(reference.as_ref())
                    )));
                };
                if let Some(t) = direct_text(&model, open_text, &stack) {
                    push_text(&mut model, t, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(ScanError(
            "Element wird nicht geschlossen (Datei endet vorher)".to_owned(),
        ));
    }
    Ok(model)
}

fn position(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn classify(ns: &ResolveResult<'_>, local: &[u8]) -> Kind {
    let ResolveResult::Bound(namespace) = ns else {
        return Kind::Other;
    };
    if !W_NAMESPACES.contains(&namespace.as_ref()) {
        return Kind::Other;
    }
    match local {
        b"p" => Kind::Paragraph,
        b"r" => Kind::Run,
        b"t" => Kind::Text,
        b"tbl" => Kind::Table,
        b"tr" => Kind::Row,
        b"tc" => Kind::Cell,
        b"pPr" => Kind::ParagraphProps,
        b"rPr" => Kind::RunProps,
        b"tab" | b"br" | b"cr" => Kind::Spacing,
        _ => Kind::Other,
    }
}

fn open_element(
    model: &mut PartModel,
    kind: Kind,
    start: usize,
    end: usize,
    parent: Option<usize>,
) -> usize {
    let id = model.elements.len();
    model.elements.push(Element {
        kind,
        span: start..end,
        parent,
        props: None,
        content_start: end,
        content_end: end,
    });
    if let Some(parent) = parent {
        let parent_kind = model.elements[parent].kind;
        let is_props = matches!(
            (parent_kind, kind),
            (Kind::Paragraph, Kind::ParagraphProps) | (Kind::Run, Kind::RunProps)
        );
        if is_props && model.elements[parent].props.is_none() {
            model.elements[parent].props = Some(id);
        }
    }
    id
}

fn close_element(model: &mut PartModel, id: usize, end_tag_start: usize, end: usize) {
    let element = &mut model.elements[id];
    element.span.end = end;
    element.content_end = end_tag_start;
}

/// Appends text to a text node and to its paragraph's display text.
fn push_text(model: &mut PartModel, t: usize, text: &str) {
    let node = &mut model.texts[t];
    node.text.push_str(text);
    let paragraph = node.paragraph;
    if let Some(p) = model.paragraphs.get_mut(paragraph) {
        p.display.push_str(text);
    }
}

/// The open text node, if the current element is that very `w:t`.
fn direct_text(model: &PartModel, open_text: Option<usize>, stack: &[usize]) -> Option<usize> {
    let t = open_text?;
    (stack.last() == Some(&model.texts[t].element)).then_some(t)
}

impl PartModel {
    /// The joined text of a paragraph and the start offset of each of its text nodes in it.
    pub(crate) fn joined_text(&self, paragraph: &Paragraph) -> (String, Vec<usize>) {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(paragraph.texts.len());
        for &t in &paragraph.texts {
            starts.push(text.len());
            text.push_str(&self.texts[t].text);
        }
        (text, starts)
    }

    /// The parent element of an element, if any.
    pub(crate) fn parent(&self, id: usize) -> Option<usize> {
        self.elements.get(id).and_then(|e| e.parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{{ pa</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">per.x }} &amp; &#x1F600;</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#;

    #[test]
    fn finds_paragraphs_texts_and_tables() {
        let model = scan(DOC).unwrap();
        assert_eq!(model.paragraphs.len(), 2);
        let (text, starts) = model.joined_text(&model.paragraphs[0]);
        assert_eq!(text, "{{ paper.x }} & 😀");
        assert_eq!(starts, [0, 5]);
        let first = &model.elements[model.paragraphs[0].element];
        assert_eq!(&DOC[first.span.clone()][..7], "<w:p><w");
        assert!(first.props.is_some());
        assert!(model.paragraphs[0].row.is_none());
        assert!(model.paragraphs[1].row.is_some());
        assert!(model.paragraphs[1].cell.is_some());
        let t = &model.elements[model.texts[0].element];
        assert_eq!(&DOC[t.content_start..t.content_end], "{{ pa");
    }

    #[test]
    fn rejects_broken_xml() {
        assert!(scan("<a><b></a>").is_err());
        assert!(scan("<a>").is_err());
        assert!(scan("<a>&bogus;</a>").is_err());
    }
}
