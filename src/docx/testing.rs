//! Helpers for tests of code that renders documents: build a `.docx` from a folder of XML
//! parts (fixtures are kept unzipped so that diffs stay readable) and read the text back.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Zips the files below `dir` into a `.docx` (`[Content_Types].xml` first, then by path).
///
/// # Panics
///
/// When the folder cannot be read: this is a test helper, a missing fixture is a failed test.
pub fn zip_dir(dir: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    let name_of = |path: &PathBuf| {
        path.strip_prefix(dir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    };
    let mut names: Vec<(String, PathBuf)> = files.iter().map(|p| (name_of(p), p.clone())).collect();
    names.sort_by_key(|(name, _)| (name != "[Content_Types].xml", name.clone()));
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, path) in names {
        let data = std::fs::read(&path)
            .unwrap_or_else(|err| panic!("fixture {} not readable: {err}", path.display()));
        writer
            .start_file(name, options)
            .and_then(|()| writer.write_all(&data).map_err(Into::into))
            .unwrap_or_else(|err| panic!("cannot zip {}: {err}", path.display()));
    }
    writer
        .finish()
        .unwrap_or_else(|err| panic!("cannot finish zip: {err}"))
        .into_inner()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("fixture folder {} not readable: {err}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}

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
