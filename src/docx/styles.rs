//! Finds the template's own styles by name.
//!
//! Word localises style ids but not the built-in names: in a German Word, "heading 2" has the
//! id `berschrift2` and "List Bullet" the id `Aufzhlungszeichen`. Rich text therefore looks a
//! style up by its name in `word/styles.xml` (also under its German display name, as
//! LibreOffice may write it) and references it by whatever id the template uses.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Paragraph and table styles of a template, by lower-case name.
#[derive(Debug, Clone, Default)]
pub(crate) struct StyleSheet {
    paragraph: HashMap<String, String>,
    table: HashMap<String, String>,
}

/// German display names of the built-in styles rich text uses.
const ALIASES: &[(&str, &str)] = &[
    ("normal", "standard"),
    ("list bullet", "aufzählungszeichen"),
    ("list number", "listennummer"),
    ("table grid", "tabellenraster"),
    ("quote", "zitat"),
];

impl StyleSheet {
    /// Reads `word/styles.xml`; what cannot be read is left out.
    pub(crate) fn parse(xml: &str) -> StyleSheet {
        let mut sheet = StyleSheet::default();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, String, Option<String>)> = None;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) if local(&e) == b"style" => {
                    current = Some((attr(&e, b"type"), attr(&e, b"styleId"), None));
                }
                Ok(Event::Empty(e)) if local(&e) == b"name" => {
                    if let Some((_, _, name)) = &mut current {
                        *name = Some(attr(&e, b"val").to_lowercase());
                    }
                }
                Ok(Event::End(e)) if e.local_name().as_ref() == b"style" => {
                    if let Some((kind, id, Some(name))) = current.take() {
                        let map = match kind.as_str() {
                            "paragraph" => &mut sheet.paragraph,
                            "table" => &mut sheet.table,
                            _ => continue,
                        };
                        if !id.is_empty() {
                            map.entry(name).or_insert(id);
                        }
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => {}
            }
        }
        sheet
    }

    /// The id of a paragraph style, by name (e.g. "heading 2", "List Bullet 2").
    pub(crate) fn paragraph(&self, name: &str) -> Option<&str> {
        lookup(&self.paragraph, name)
    }

    /// The id of a table style, by name (e.g. "Table Grid").
    pub(crate) fn table(&self, name: &str) -> Option<&str> {
        lookup(&self.table, name)
    }
}

fn lookup<'a>(map: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    let name = name.to_lowercase();
    if let Some(id) = map.get(&name) {
        return Some(id);
    }
    let german = if let Some(level) = name.strip_prefix("heading ") {
        format!("überschrift {level}")
    } else {
        let (base, suffix) = match name.rsplit_once(' ') {
            Some((base, n)) if n.bytes().all(|b| b.is_ascii_digit()) => (base, format!(" {n}")),
            _ => (name.as_str(), String::new()),
        };
        let alias = ALIASES.iter().find(|(english, _)| *english == base)?.1;
        format!("{alias}{suffix}")
    };
    map.get(&german).map(String::as_str)
}

fn local<'a>(e: &'a BytesStart<'_>) -> &'a [u8] {
    let name = e.name().into_inner();
    match name.iter().rposition(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart<'_>, wanted: &[u8]) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == wanted)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<w:styles xmlns:w="w"><w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="Aufzhlungszeichen"><w:name w:val="List Bullet"/></w:style><w:style w:type="paragraph" w:styleId="LOListe"><w:name w:val="Listennummer"/></w:style><w:style w:type="table" w:styleId="Tabellenraster"><w:name w:val="Table Grid"/></w:style></w:styles>"#;

    #[test]
    fn finds_localised_ids_by_name() {
        let sheet = StyleSheet::parse(STYLES);
        assert_eq!(sheet.paragraph("heading 2"), Some("berschrift2"));
        assert_eq!(sheet.paragraph("Heading 2"), Some("berschrift2"));
        assert_eq!(sheet.paragraph("List Bullet"), Some("Aufzhlungszeichen"));
        assert_eq!(sheet.paragraph("List Number"), Some("LOListe"));
        assert_eq!(sheet.paragraph("Normal"), Some("Standard"));
        assert_eq!(sheet.table("Table Grid"), Some("Tabellenraster"));
        assert_eq!(sheet.paragraph("heading 3"), None);
        assert_eq!(sheet.paragraph("List Bullet 2"), None);
    }
}
