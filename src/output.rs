//! The only writer of documents under `out/` (mail files come from the mail transport through
//! `atomic`): each written atomically, with a stamp of its inputs so unchanged documents are not
//! rewritten. Also the one place that makes file names ASCII.
//!
//! `out/` can be deleted at any time; everything in it is rebuilt on the next pass.

use std::io;
use std::path::{Path, PathBuf};

use crate::atomic;

/// ASCII file-name form of a text, `dokument` when nothing is left.
pub fn ascii_name(text: &str) -> String {
    ascii_name_or(text, "dokument")
}

/// ASCII file-name form of a text: umlauts and accents transliterated, white space as `_`,
/// slashes and dashes as `-`, anything else dropped; `fallback` when nothing is left.
pub fn ascii_name_or(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '.' | '_' | '-' => out.push(c),
            c if c.is_whitespace() => out.push('_'),
            '/' | '\\' | '–' | '—' | '‐' | '‑' | '−' => out.push('-'),
            c => out.push_str(transliterate(c)),
        }
    }
    // Collapse runs of underscores; "Vorlage  042" is "Vorlage_042".
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '_' && collapsed.ends_with('_') {
            continue;
        }
        collapsed.push(c);
    }
    let trimmed = collapsed
        .trim_start_matches(['.', '_', '-'])
        .trim_end_matches(['.', '_', '-']);
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// ASCII for letters that have an obvious one; everything else (quotes, symbols) is dropped.
fn transliterate(c: char) -> &'static str {
    match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'ẞ' => "SS",
        'à' | 'á' | 'â' | 'ã' | 'å' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Å' => "A",
        'æ' => "ae",
        'Æ' => "Ae",
        'ç' => "c",
        'Ç' => "C",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'È' | 'É' | 'Ê' | 'Ë' => "E",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' => "I",
        'ñ' => "n",
        'Ñ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ø' => "O",
        'œ' => "oe",
        'Œ' => "Oe",
        'ù' | 'ú' | 'û' => "u",
        'Ù' | 'Ú' | 'Û' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        '§' => "Par",
        '&' => "und",
        _ => "",
    }
}

fn stamp_path(out_dir: &Path, document: &Path) -> PathBuf {
    let name = document
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("dokument");
    let parent = document.parent().unwrap_or(Path::new(""));
    out_dir.join(parent).join(format!(".{name}.inputs"))
}

/// The input stamp a document was written with, if it has one.
pub fn stamp_of(out_dir: &Path, document: &Path) -> Option<String> {
    std::fs::read_to_string(stamp_path(out_dir, document)).ok()
}

/// Whether the document exists and was made from inputs with this stamp.
pub fn is_current(out_dir: &Path, document: &Path, stamp: &str) -> bool {
    out_dir.join(document).is_file()
        && std::fs::read_to_string(stamp_path(out_dir, document)).is_ok_and(|old| old == stamp)
}

/// Writes a document (durably) and then its stamp (atomically, not forced to disk: a lost
/// stamp only means the document is rendered once more). A crash between the two leaves a
/// complete document with an old stamp: it is simply rendered again.
pub fn write_document(
    out_dir: &Path,
    document: &Path,
    bytes: &[u8],
    stamp: &str,
) -> io::Result<()> {
    atomic::write(&out_dir.join(document), bytes)?;
    atomic::write_with(
        &stamp_path(out_dir, document),
        stamp.as_bytes(),
        atomic::Durability::Relaxed,
    )
}

/// Removes temporary files a killed process left behind (`.ratsflow-*.tmp`), anywhere below
/// `out_dir`. They are never a finished document: those only appear by rename.
pub fn remove_stale_temp_files(out_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            remove_stale_temp_files(&path);
        } else if name.starts_with(".ratsflow-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Appends a line to a paper's history mark below `out/` (see `crate::pass::vanished`);
/// returns the mark file's length.
pub fn append_mark(path: &Path, line: &str) -> std::io::Result<u64> {
    crate::atomic::append_line(path, line)
}

/// Writes one small file below `out/` that is not a document — a mail as `.eml` (the file
/// transport), a paper's history mark — completely or not at all, creating its folder.
pub fn write_file(
    path: &Path,
    bytes: &[u8],
    durability: crate::atomic::Durability,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::atomic::write_with(path, bytes, durability)
}

/// Writes one large file below `out/` that is not a document (a calendar feed) from what
/// `fill` writes, completely or not at all, creating its folder.
pub fn write_file_streamed(
    path: &Path,
    durability: crate::atomic::Durability,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::atomic::write_streamed(path, durability, fill)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names() {
        assert_eq!(ascii_name("042/21-1"), "042-21-1");
        assert_eq!(ascii_name("Ergänzungsantrag"), "Ergaenzungsantrag");
        assert_eq!(ascii_name("M 012/19"), "M_012-19");
        assert_eq!(ascii_name("„Groß“"), "Gross");
        assert_eq!(ascii_name("..."), "dokument");
    }

    #[test]
    fn stamps_decide_whether_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let doc = Path::new("p/Beschlussvorlage_1.docx");
        assert!(!is_current(dir.path(), doc, "a"));
        write_document(dir.path(), doc, b"x", "a").unwrap();
        assert!(is_current(dir.path(), doc, "a"));
        assert!(!is_current(dir.path(), doc, "b"));
        std::fs::remove_file(dir.path().join(doc)).unwrap();
        assert!(
            !is_current(dir.path(), doc, "a"),
            "a deleted document is rebuilt"
        );
    }
}
