//! Paragraph and run properties (`w:pPr`, `w:rPr`) as ordered lists of child elements.
//!
//! Rich text copies the properties of the `{{p …}}` paragraph and adds to them (a style, bold,
//! an indentation). Word rejects property elements in the wrong order with its repair prompt,
//! so additions are inserted at their place in the schema sequence (ECMA-376 `CT_PPrBase`,
//! `CT_RPr`) and replace an existing element of the same name.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Schema order of the children of `w:pPr`.
pub(crate) const PPR_ORDER: &[&str] = &[
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
];

/// Schema order of the children of `w:rPr`.
pub(crate) const RPR_ORDER: &[&str] = &[
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
];

/// The children of a properties element: local name and XML as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Props {
    children: Vec<(String, String)>,
}

impl Props {
    /// Splits the inner XML of a properties element into its children. Text between them is
    /// dropped; a fragment that is not well-formed yields the children read so far.
    pub(crate) fn parse(inner: &str) -> Props {
        let mut reader = Reader::from_str(inner);
        let mut children = Vec::new();
        let mut depth = 0usize;
        let mut open: Option<(String, usize)> = None;
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(0);
            let event = match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                Ok(event) => event,
            };
            let end = usize::try_from(reader.buffer_position()).unwrap_or(0);
            match event {
                Event::Start(e) => {
                    if depth == 0 {
                        open = Some((local(e.name().as_ref()), start));
                    }
                    depth += 1;
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 0
                        && let Some((name, from)) = open.take()
                        && let Some(xml) = inner.get(from..end)
                    {
                        children.push((name, xml.to_owned()));
                    }
                }
                Event::Empty(e) if depth == 0 => {
                    if let Some(xml) = inner.get(start..end) {
                        children.push((local(e.name().as_ref()), xml.to_owned()));
                    }
                }
                _ => {}
            }
        }
        Props { children }
    }

    /// Whether a child of that local name exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.children.iter().any(|(n, _)| n == name)
    }

    /// Removes the children of that local name.
    pub(crate) fn remove(&mut self, name: &str) {
        self.children.retain(|(n, _)| n != name);
    }

    /// Sets a child: replaces one of the same name or inserts it at its schema place.
    pub(crate) fn set(&mut self, order: &[&str], name: &str, xml: String) {
        if let Some(existing) = self.children.iter_mut().find(|(n, _)| n == name) {
            existing.1 = xml;
            return;
        }
        let rank = |n: &str| order.iter().position(|o| *o == n).unwrap_or(usize::MAX);
        let own = rank(name);
        let at = self
            .children
            .iter()
            .position(|(n, _)| rank(n) > own)
            .unwrap_or(self.children.len());
        self.children.insert(at, (name.to_owned(), xml));
    }

    /// Writes `<tag>children</tag>`, or nothing when there are no children.
    pub(crate) fn write(&self, out: &mut String, tag: &str) {
        if self.children.is_empty() {
            return;
        }
        out.push('<');
        out.push_str(tag);
        out.push('>');
        for (_, xml) in &self.children {
            out.push_str(xml);
        }
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

fn local(qname: &[u8]) -> String {
    let name = String::from_utf8_lossy(qname);
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_in_schema_order() {
        let mut props =
            Props::parse(r#"<w:rFonts w:ascii="Arial"/><w:sz w:val="22"/><w:lang w:val="de-DE"/>"#);
        props.set(RPR_ORDER, "b", "<w:b/>".to_owned());
        props.set(RPR_ORDER, "i", "<w:i/>".to_owned());
        let mut out = String::new();
        props.write(&mut out, "w:rPr");
        assert_eq!(
            out,
            r#"<w:rPr><w:rFonts w:ascii="Arial"/><w:b/><w:i/><w:sz w:val="22"/><w:lang w:val="de-DE"/></w:rPr>"#
        );
    }

    #[test]
    fn keeps_nested_children_whole_and_replaces_by_name() {
        let mut props = Props::parse(
            r#"<w:pStyle w:val="Standard"/><w:spacing w:after="0"/><w:sectPr><w:pgSz w:w="11906"/></w:sectPr>"#,
        );
        assert!(props.has("sectPr"));
        props.remove("sectPr");
        props.set(
            PPR_ORDER,
            "pStyle",
            r#"<w:pStyle w:val="berschrift2"/>"#.to_owned(),
        );
        props.set(PPR_ORDER, "ind", r#"<w:ind w:left="360"/>"#.to_owned());
        let mut out = String::new();
        props.write(&mut out, "w:pPr");
        assert_eq!(
            out,
            r#"<w:pPr><w:pStyle w:val="berschrift2"/><w:spacing w:after="0"/><w:ind w:left="360"/></w:pPr>"#
        );
    }
}
