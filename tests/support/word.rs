//! The text of a DOCX as a reader sees it: paragraphs with the labels of Word numbering
//! („1.“, „a)“) printed as Word prints them, computed from `word/numbering.xml`.

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// The body paragraphs of the DOCX at `path`, each numbered one as „label, tab, text“.
pub fn numbered_text(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let entries = entries(&bytes);
    numbered_paragraphs(
        &part(&entries, "word/document.xml"),
        &Numbering::parse(&part(&entries, "word/numbering.xml")),
    )
}

pub fn entries(docx: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().to_owned(), data)
        })
        .collect()
}

pub fn part(entries: &[(String, Vec<u8>)], name: &str) -> Vec<u8> {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// Word numbering as Word prints it: numId -> levels (format, level text).
pub struct Numbering(std::collections::HashMap<String, Vec<(String, String)>>);

impl Numbering {
    pub fn parse(xml: &[u8]) -> Numbering {
        let mut reader = Reader::from_reader(xml);
        let mut abstracts: std::collections::HashMap<String, Vec<(String, String)>> =
            Default::default();
        let mut nums = Vec::new();
        let (mut current, mut num) = (None::<String>, None::<String>);
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).unwrap() {
                Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                    b"w:abstractNum" => current = attr(&e, b"w:abstractNumId"),
                    b"w:lvl" => {
                        if let Some(id) = &current {
                            abstracts
                                .entry(id.clone())
                                .or_default()
                                .push(Default::default());
                        }
                    }
                    b"w:numFmt" | b"w:lvlText" => {
                        if let Some(level) = current
                            .as_ref()
                            .and_then(|id| abstracts.get_mut(id))
                            .and_then(|l| l.last_mut())
                        {
                            let value = attr(&e, b"w:val").unwrap_or_default();
                            if e.name().as_ref() == b"w:numFmt" {
                                level.0 = value;
                            } else {
                                level.1 = value;
                            }
                        }
                    }
                    b"w:num" => num = attr(&e, b"w:numId"),
                    b"w:abstractNumId" => {
                        if let Some(n) = num.take() {
                            nums.push((n, attr(&e, b"w:val").unwrap_or_default()));
                        }
                    }
                    _ => {}
                },
                Event::End(e) if e.name().as_ref() == b"w:abstractNum" => current = None,
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Numbering(
            nums.into_iter()
                .filter_map(|(n, a)| abstracts.get(&a).map(|l| (n, l.clone())))
                .collect(),
        )
    }

    fn label(&self, num: &str, level: usize, counters: &[usize]) -> String {
        let Some(levels) = self.0.get(num) else {
            return String::new();
        };
        let (format, text) = &levels[level];
        let n = counters[level];
        let number = match format.as_str() {
            "lowerLetter" => {
                let letter = char::from(b'a' + ((n - 1) % 26) as u8);
                std::iter::repeat_n(letter, (n - 1) / 26 + 1).collect()
            }
            "lowerRoman" => [
                "", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
            ][n.min(10)]
            .to_string(),
            _ => n.to_string(),
        };
        text.replace(&format!("%{}", level + 1), &number)
    }
}

/// The text of each paragraph of the body, with the labels of Word numbering that the
/// paragraph itself carries (`w:numPr`) printed as Word does: „a)“, a tab, the text.
pub fn numbered_paragraphs(xml: &[u8], numbering: &Numbering) -> Vec<String> {
    let texts = paragraphs(xml);
    let mut reader = Reader::from_reader(xml);
    let mut marks: Vec<Option<(String, usize)>> = Vec::new();
    let mut open: Vec<Option<(String, usize)>> = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Start(e) if e.name().as_ref() == b"w:p" => open.push(None),
            Event::Empty(e) if e.name().as_ref() == b"w:p" => marks.push(None),
            Event::End(e) if e.name().as_ref() == b"w:p" => marks.push(open.pop().flatten()),
            Event::Empty(e) if e.name().as_ref() == b"w:ilvl" => {
                if let Some(slot) = open.last_mut() {
                    let level = attr(&e, b"w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let num = slot.take().map(|s| s.0).unwrap_or_default();
                    *slot = Some((num, level));
                }
            }
            Event::Empty(e) if e.name().as_ref() == b"w:numId" => {
                if let Some(slot) = open.last_mut() {
                    let level = slot.take().map(|s| s.1).unwrap_or(0);
                    *slot = Some((attr(&e, b"w:val").unwrap_or_default(), level));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut counters: std::collections::HashMap<String, Vec<usize>> = Default::default();
    texts
        .into_iter()
        .zip(marks)
        .map(|(text, mark)| match mark {
            Some((num, level)) if !num.is_empty() => {
                let c = counters.entry(num.clone()).or_insert_with(|| vec![0; 9]);
                c[level] += 1;
                c[level + 1..].iter_mut().for_each(|n| *n = 0);
                format!("{}\t{text}", numbering.label(&num, level, c))
            }
            _ => text,
        })
        .collect()
}

/// The text of each paragraph of a part: `w:t` joined, `w:tab` as a tab, `w:br` as a newline.
pub fn paragraphs(xml: &[u8]) -> Vec<String> {
    let mut reader = Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).unwrap();
        match &event {
            Event::Start(e) if e.name().as_ref() == b"w:p" => open.push(String::new()),
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                out.push(open.pop().unwrap_or_default())
            }
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => open
                .iter_mut()
                .last()
                .into_iter()
                .for_each(|p| p.push('\t')),
            Event::Empty(e) if e.name().as_ref() == b"w:br" => open
                .iter_mut()
                .last()
                .into_iter()
                .for_each(|p| p.push('\n')),
            Event::Text(t) if in_text => {
                let text = t.decode().unwrap().into_owned();
                if let Some(p) = open.last_mut() {
                    p.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let text = match &**r {
                    b"amp" => "&".to_owned(),
                    b"lt" => "<".to_owned(),
                    b"gt" => ">".to_owned(),
                    b"quot" => "\"".to_owned(),
                    b"apos" => "'".to_owned(),
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                if let Some(p) = open.last_mut() {
                    p.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}
