//! Reads and writes the ZIP container of a DOCX.
//!
//! A template is read once: every entry decompressed into memory (with limits, since templates
//! come from users and the engine is fuzzed). Writing a rendered document copies every part
//! that was not rendered as its original compressed bytes (`raw_copy_file`), in the template's
//! order, and deflates only the rendered parts with the fastest level (parts under 2 KiB are
//! stored); timestamps are fixed so that the same data gives the same bytes.
//!
//! Entry names are checked before anything else: a name that appears twice (Word and
//! LibreOffice would each read a different one), or that could point outside the package when
//! unpacked (`..`, a leading `/`, a drive letter, backslashes, control characters), refuses
//! the template with the name of the entry.

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

/// Why a package cannot be used: the entry (empty for the whole package) and German text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageError {
    pub part: String,
    pub message: String,
}

impl PackageError {
    fn whole(message: impl Into<String>) -> Self {
        PackageError {
            part: String::new(),
            message: message.into(),
        }
    }

    fn of(part: &str, message: impl Into<String>) -> Self {
        PackageError {
            part: part.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.part.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "Teil „{}“: {}", self.part, self.message)
        }
    }
}

/// Opens an archive; the error is German.
pub(crate) fn open(bytes: Arc<[u8]>) -> Result<Archive, PackageError> {
    ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
        let duplicate =
            matches!(&err, zip::result::ZipError::InvalidArchive(why) if why.contains("uplicate"));
        PackageError::whole(if duplicate {
            "Das Dokument enthält einen Teil doppelt (zwei Einträge gleichen Namens im ZIP-Archiv)"
        } else {
            "Die Datei ist kein gültiges Word-Dokument (kein lesbares ZIP-Archiv)"
        })
    })
}

/// Reads every entry of a package.
pub(crate) fn read_entries(bytes: &[u8]) -> Result<Vec<Entry>, PackageError> {
    let mut archive = open(Arc::from(bytes))?;
    read_all(&mut archive)
}

/// The entry names as the archive's central directory lists them, duplicates included (the
/// zip reader keeps one entry per name). `None` where the directory cannot be walked here
/// (ZIP64 archives); the zip reader has checked the archive already.
fn listed_names(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    const END: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    const END_LEN: usize = 22;
    let u16_at = |at: usize| {
        Some(usize::from(u16::from_le_bytes([
            *bytes.get(at)?,
            *bytes.get(at + 1)?,
        ])))
    };
    let u32_at = |at: usize| {
        let b = bytes.get(at..at + 4)?;
        usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
    };
    let last = bytes.len().checked_sub(END_LEN)?;
    // The end record is followed only by its comment (at most 64 KiB).
    let end = (last.saturating_sub(usize::from(u16::MAX))..=last)
        .rev()
        .find(|&at| {
            bytes[at..at + 4] == END && u16_at(at + 20) == Some(bytes.len() - at - END_LEN)
        })?;
    let count = u16_at(end + 10)?;
    let mut at = u32_at(end + 16)?;
    if count == usize::from(u16::MAX) || at == u32::MAX as usize {
        return None;
    }
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if bytes.get(at..at + 4)? != ENTRY {
            return None;
        }
        let (name_len, extra, comment) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(bytes.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra + comment;
    }
    Some(names)
}

/// Why an entry name is not allowed in a package (German, after „der Name …“), or `None`.
/// Names in a DOCX are relative paths with `/` (ECMA-376 Part 2, 6.2.2).
fn name_problem(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if name.is_empty() {
        Some("ist leer")
    } else if name.starts_with('/') {
        Some("beginnt mit „/“ (ein absoluter Pfad)")
    } else if name.contains('\\') {
        Some("enthält einen umgekehrten Schrägstrich („\\“)")
    } else if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some("beginnt mit einem Laufwerksbuchstaben")
    } else if name.split('/').any(|segment| segment == "..") {
        Some("enthält „..“ (verweist aus dem Paket hinaus)")
    } else if name.chars().any(crate::sanitize::is_dangerous) {
        Some("enthält ein Steuerzeichen")
    } else {
        None
    }
}

/// Reads every entry of an opened archive, in archive order.
pub(crate) fn read_all(archive: &mut Archive) -> Result<Vec<Entry>, PackageError> {
    if archive.len() > MAX_ENTRIES {
        return Err(PackageError::whole(format!(
            "Das Dokument hat mehr als {MAX_ENTRIES} Teile"
        )));
    }
    // The zip reader keeps one entry per name, so two entries of one name are looked for in
    // the archive's own list: Word and LibreOffice would each pick a different one.
    let bytes = archive.clone().into_inner().into_inner();
    let mut listed = HashSet::new();
    for name in listed_names(&bytes).unwrap_or_default() {
        if !listed.insert(name) {
            return Err(PackageError::of(
                &String::from_utf8_lossy(name),
                "der Teil kommt im Dokument doppelt vor (zwei Einträge gleichen Namens); so ein Dokument wird nicht verwendet",
            ));
        }
    }
    let mut seen = HashSet::new();
    for name in archive.file_names() {
        if let Some(problem) = name_problem(name) {
            return Err(PackageError::of(
                name,
                format!("der Name des Teils {problem}; so ein Dokument wird nicht verwendet"),
            ));
        }
        // Names are compared as Word does: without regard to case.
        if !seen.insert(name.to_lowercase()) {
            return Err(PackageError::of(
                name,
                "der Teil kommt im Dokument doppelt vor",
            ));
        }
    }
    let mut entries = Vec::with_capacity(archive.len());
    let mut budget = MAX_TOTAL;
    let mut seen = HashSet::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).map_err(|_| {
            PackageError::whole(format!(
                "Teil Nr. {} des Dokuments lässt sich nicht lesen",
                index + 1
            ))
        })?;
        let name = file.name().to_owned();
        let mut data = Vec::new();
        let read = file
            .by_ref()
            .take(budget.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(|_| PackageError::of(&name, "der Teil lässt sich nicht entpacken"))?;
        let read = u64::try_from(read).unwrap_or(u64::MAX);
        if read > budget {
            return Err(PackageError::whole(
                "Das Dokument ist entpackt zu groß (mehr als 512 MiB)",
            ));
        }
        budget -= read;
        // The central directory may list a name once while two entries carry it.
        if !seen.insert(name.clone()) {
            return Err(PackageError::of(
                &name,
                "der Teil kommt im Dokument doppelt vor",
            ));
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
