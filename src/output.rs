//! The only writer under `out/`: generated documents (and, later, mail files), each written
//! atomically, with a stamp of its inputs so unchanged documents are not rewritten.
//!
//! `out/` can be deleted at any time; everything in it is rebuilt on the next pass.

use std::io;
use std::path::{Path, PathBuf};

use crate::atomic;

/// ASCII file-name form of a text: umlauts transliterated, `/` and spaces made safe.
pub fn ascii_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            '/' | '\\' | ':' => out.push('-'),
            ' ' => out.push('_'),
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' => out.push(c),
            _ => {}
        }
    }
    let trimmed = out.trim_matches('.').to_string();
    if trimmed.is_empty() {
        "dokument".into()
    } else {
        trimmed
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
