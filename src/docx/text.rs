//! The text of a rendered document, paragraph by paragraph: what a signature covers
//! (`pass/document_text.rs` hashes it), what the motion form previews, and what tests compare.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// The text of each paragraph of a part of a `.docx`, in document order: the `w:t` of each
/// paragraph concatenated, `w:tab` as a tab and `w:br` as a line break.
pub fn paragraph_texts(docx: &[u8], part: &str) -> Result<Vec<String>, String> {
    let entries = crate::docx::package::read_entries(docx).map_err(|e| e.to_string())?;
    let entry = entries
        .iter()
        .find(|e| e.name == part)
        .ok_or_else(|| format!("Teil „{part}“ fehlt"))?;
    let xml = std::str::from_utf8(&entry.data).map_err(|e| e.to_string())?;
    xml_paragraph_texts(xml)
}

/// The text of each paragraph of a part's XML, as [`paragraph_texts`] gives it.
pub fn xml_paragraph_texts(xml: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut paragraphs = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) if e.name().as_ref() == b"w:p" => open.push(String::new()),
            Event::End(e) if e.name().as_ref() == b"w:p" => {
                paragraphs.push(open.pop().unwrap_or_default());
            }
            Event::Empty(e) if e.name().as_ref() == b"w:p" => paragraphs.push(String::new()),
            Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
            Event::Empty(e) if e.name().as_ref() == b"w:tab" => push(&mut open, "\t"),
            Event::Empty(e) if e.name().as_ref() == b"w:br" => push(&mut open, "\n"),
            Event::Text(t) if in_text => push(&mut open, &t.decode().map_err(|e| e.to_string())?),
            Event::GeneralRef(r) if in_text => {
                let c = match &*r {
                    b"amp" => "&",
                    b"lt" => "<",
                    b"gt" => ">",
                    b"quot" => "\"",
                    b"apos" => "'",
                    _ => "",
                };
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    push(&mut open, &ch.to_string());
                } else {
                    push(&mut open, c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(paragraphs)
}

fn push(open: &mut [String], text: &str) {
    if let Some(current) = open.last_mut() {
        current.push_str(text);
    }
}
