//! The core document properties (`docProps/core.xml`: title, author, dates, language) of a
//! rendered document, taken from the data.
//!
//! A Word template carries the properties of the file it was made from: the clerk who drew
//! it as author, the day it was drawn as date. A rendered paper must carry its own, since
//! document management systems and Word's „Eigenschaften“ file and show it by them. When the
//! data has a `document` map (`title`, `author`, `date` as `YYYY-MM-DD`, `language`), render
//! writes these into the template's core properties part (a paper without a date gets none,
//! not the template's), keeps every other property (revision, keywords, …) and leaves a template without such a part as it is. The values are
//! data, so the same data gives the same bytes: no clock is read.

use minijinja::value::Value;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::docx::escape::push_text;

/// The name of the part in the package.
pub(crate) const PART: &str = "docProps/core.xml";

const DC: &str = "http://purl.org/dc/elements/1.1/";
const CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The properties render sets; `None` leaves the template's value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CoreProps {
    pub title: Option<String>,
    pub author: Option<String>,
    /// `YYYY-MM-DD`: created and modified.
    pub date: Option<String>,
    pub language: Option<String>,
}

impl CoreProps {
    /// The `document` map of the data, if there is one.
    pub(crate) fn from_data(data: &Value) -> Option<CoreProps> {
        let document = data.get_attr("document").ok()?;
        if document.is_undefined() || document.is_none() {
            return None;
        }
        let text = |key: &str| {
            document
                .get_attr(key)
                .ok()
                .and_then(|v| v.as_str().map(str::trim).map(str::to_owned))
                .filter(|s| !s.is_empty())
        };
        let date = text("date").filter(|d| is_iso_date(d));
        Some(CoreProps {
            title: text("title"),
            author: text("author"),
            date,
            language: text("language"),
        })
    }

    /// The core properties part with these properties in place of the template's.
    pub(crate) fn fill(&self, xml: &str) -> Option<String> {
        let (root_end, close_start) = root_bounds(xml)?;
        let replaced: &[&str] = &[
            "title",
            "creator",
            "lastModifiedBy",
            "created",
            "modified",
            "language",
        ];
        let keep = |name: &str| {
            let set = match name {
                "title" => self.title.is_some(),
                "creator" | "lastModifiedBy" => self.author.is_some(),
                // A template's dates are never a paper's: without a date of its own, none.
                "created" | "modified" => true,
                "language" => self.language.is_some(),
                _ => false,
            };
            !(set && replaced.contains(&name))
        };
        let mut out = String::with_capacity(xml.len() + 512);
        out.push_str(&xml[..root_end]);
        for (name, child) in children(&xml[root_end..close_start]) {
            if keep(&name) {
                out.push_str(child);
            }
        }
        let element = |out: &mut String, prefix: &str, ns: &str, name: &str, value: &str| {
            out.push_str(&format!("<{prefix}:{name} xmlns:{prefix}=\"{ns}\">"));
            push_text(out, value);
            out.push_str(&format!("</{prefix}:{name}>"));
        };
        if let Some(title) = &self.title {
            element(&mut out, "dc", DC, "title", title);
        }
        if let Some(author) = &self.author {
            element(&mut out, "dc", DC, "creator", author);
            element(&mut out, "cp", CP, "lastModifiedBy", author);
        }
        if let Some(date) = &self.date {
            for name in ["created", "modified"] {
                out.push_str(&format!(
                    "<dcterms:{name} xmlns:dcterms=\"{DCTERMS}\" xmlns:xsi=\"{XSI}\" \
                     xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:{name}>"
                ));
            }
        }
        if let Some(language) = &self.language {
            element(&mut out, "dc", DC, "language", language);
        }
        out.push_str(&xml[close_start..]);
        Some(out)
    }
}

fn is_iso_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

/// The end of the root's start tag and the start of its end tag; `None` for an empty root.
fn root_bounds(xml: &str) -> Option<(usize, usize)> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut root_end = None;
    loop {
        let before = usize::try_from(reader.buffer_position()).ok()?;
        match reader.read_event().ok()? {
            Event::Start(_) => {
                if depth == 0 {
                    root_end = Some(usize::try_from(reader.buffer_position()).ok()?);
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((root_end?, before));
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The top-level children of a fragment: local name and XML as written (text between them is
/// dropped; whitespace only in a properties part).
fn children(inner: &str) -> Vec<(String, &str)> {
    let mut reader = Reader::from_str(inner);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(String, usize)> = None;
    while let Ok(start) = usize::try_from(reader.buffer_position()) {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        let Ok(end) = usize::try_from(reader.buffer_position()) else {
            break;
        };
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
                    out.push((name, xml));
                }
            }
            Event::Empty(e) if depth == 0 => {
                if let Some(xml) = inner.get(start..end) {
                    out.push((local(e.name().as_ref()), xml));
                }
            }
            _ => {}
        }
    }
    out
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

    const WORD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Vorlage</dc:title><dc:creator>Max Muster</dc:creator><cp:keywords>Rat</cp:keywords><cp:lastModifiedBy>Max Muster</cp:lastModifiedBy><cp:revision>7</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2015-03-01T09:12:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2016-01-01T10:00:00Z</dcterms:modified></cp:coreProperties>"#;

    fn props() -> CoreProps {
        CoreProps {
            title: Some("Pakt für Integration & „Hemmingen“ <2017>".to_owned()),
            author: Some("Bürgermeister".to_owned()),
            date: Some("2017-07-10".to_owned()),
            language: Some("de-DE".to_owned()),
        }
    }

    #[test]
    fn replaces_title_author_dates_and_keeps_the_rest() {
        let out = props().fill(WORD).unwrap();
        assert!(
            !out.contains("Max Muster") && !out.contains("2015-03-01"),
            "{out}"
        );
        assert!(out.contains("<cp:keywords>Rat</cp:keywords><cp:revision>7</cp:revision>"));
        assert!(out.contains(
            "<dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Pakt für Integration &amp; „Hemmingen“ &lt;2017&gt;</dc:title>"
        ));
        assert!(out.contains(">Bürgermeister</dc:creator>"));
        assert!(out.contains(">Bürgermeister</cp:lastModifiedBy>"));
        assert!(out.contains(">2017-07-10T00:00:00Z</dcterms:created>"));
        assert!(out.contains(">2017-07-10T00:00:00Z</dcterms:modified>"));
        assert!(out.contains(">de-DE</dc:language></cp:coreProperties>"));
        // Well-formed: every element closes.
        let mut reader = Reader::from_str(&out);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{err}: {out}"),
            }
        }
    }

    #[test]
    fn without_a_date_the_template_dates_go() {
        let props = CoreProps {
            date: None,
            ..props()
        };
        let out = props.fill(WORD).unwrap();
        assert!(
            !out.contains("dcterms:created") && !out.contains("dcterms:modified"),
            "{out}"
        );
        assert!(out.contains("<cp:revision>7</cp:revision>"));
    }

    #[test]
    fn reads_the_document_map_of_the_data() {
        let data = minijinja::context! {
            document => minijinja::context! {
                title => "Betreff", author => " Hauptamt ", date => "2019-06-03", language => "de-DE"
            }
        };
        assert_eq!(
            CoreProps::from_data(&data),
            Some(CoreProps {
                title: Some("Betreff".to_owned()),
                author: Some("Hauptamt".to_owned()),
                date: Some("2019-06-03".to_owned()),
                language: Some("de-DE".to_owned()),
            })
        );
        let bad_date =
            minijinja::context! { document => minijinja::context! { date => "03.06.2019" } };
        assert_eq!(CoreProps::from_data(&bad_date).unwrap().date, None);
        assert_eq!(
            CoreProps::from_data(&minijinja::context! { paper => 1 }),
            None
        );
    }
}
