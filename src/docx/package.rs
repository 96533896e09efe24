//! Reads and writes the ZIP container of a DOCX.
//!
//! A template is read once: every entry decompressed into memory (with limits, since templates
//! come from users and the engine is fuzzed). Writing a rendered document copies every part
//! that was not rendered as its original compressed bytes (`raw_copy_file`), in the template's
//! order, and deflates only the rendered parts with the fastest level (parts under 2 KiB are
//! stored); timestamps are fixed so that the same data gives the same bytes.

use std::collections::HashSet;
use std::io::{Cursor, Read, Write};
use std::sync::Arc;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Most entries a template may have.
const MAX_ENTRIES: usize = 10_000;
/// Most bytes all entries of a template may decompress to.
const MAX_TOTAL: u64 = 512 * 1024 * 1024;

/// Rendered parts smaller than this are stored, not deflated.
const SMALL_PART: usize = 2048;

/// One entry of a package, decompressed.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub name: String,
    pub data: Vec<u8>,
}

/// The archive a template was read from, shared between renderings.
pub(crate) type Archive = ZipArchive<Cursor<Arc<[u8]>>>;

/// Opens an archive; the error is German.
pub(crate) fn open(bytes: Arc<[u8]>) -> Result<Archive, String> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        "Die Datei ist kein gültiges Word-Dokument (kein lesbares ZIP-Archiv)".to_owned()
    })
}

/// Reads every entry of a package.
pub(crate) fn read_entries(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut archive = open(Arc::from(bytes))?;
    read_all(&mut archive)
}

/// Reads every entry of an opened archive, in archive order.
pub(crate) fn read_all(archive: &mut Archive) -> Result<Vec<Entry>, String> {
    if archive.len() > MAX_ENTRIES {
        return Err(format!("Das Dokument hat mehr als {MAX_ENTRIES} Teile"));
    }
    let mut entries = Vec::with_capacity(archive.len());
    let mut budget = MAX_TOTAL;
    let mut seen = HashSet::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|_| {
            format!(
                "Teil Nr. {} des Dokuments lässt sich nicht lesen",
                index + 1
            )
        })?;
        let name = file.name().to_owned();
        let mut data = Vec::new();
        let read = file
            .by_ref()
            .take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|_| format!("Teil „{name}“ lässt sich nicht entpacken"))?;
        let read = u64::try_from(read).unwrap_or(u64::MAX);
        if read > budget {
            return Err("Das Dokument ist entpackt zu groß (mehr als 512 MiB)".to_owned());
        }
        budget -= read;
        if !seen.insert(name.clone()) {
            return Err(format!("Teil „{name}“ kommt im Dokument doppelt vor"));
        }
        entries.push(Entry { name, data });
    }
    Ok(entries)
}

/// Writes a package: entry `i` is `rendered(i)` if that gives text, else copied raw.
pub(crate) fn write<'a>(
    archive: &Archive,
    count: usize,
    size_hint: usize,
    rendered: impl Fn(usize) -> Option<(&'a str, &'a str)>,
) -> Result<Vec<u8>, String> {
    let mut source = archive.clone();
    let mut writer = ZipWriter::new(Cursor::new(Vec::with_capacity(size_hint)));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
        .last_modified_time(DateTime::default());
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default());
    let failed = |_| "Das Dokument ließ sich nicht schreiben".to_owned();
    for index in 0..count {
        match rendered(index) {
            Some((name, text)) => {
                // Setting up deflate costs more than it saves on a small header or footer.
                let options = if text.len() < SMALL_PART {
                    stored
                } else {
                    options
                };
                writer.start_file(name, options).map_err(failed)?;
                writer
                    .write_all(text.as_bytes())
                    .map_err(|_| "Das Dokument ließ sich nicht schreiben".to_owned())?;
            }
            None => {
                let file = source.by_index_raw(index).map_err(failed)?;
                writer.raw_copy_file(file).map_err(failed)?;
            }
        }
    }
    let cursor = writer.finish().map_err(failed)?;
    Ok(cursor.into_inner())
}
