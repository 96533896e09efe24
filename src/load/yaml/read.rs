//! Reading one input file safely: size, kind and encoding are checked before anything parses.
//!
//! Every YAML file of a project passes through [`read_file`]. A FIFO or a folder where a file
//! should be would block or fail late, a file of hundreds of megabytes would be read whole and
//! then parsed, and a text that is not UTF-8 would only give the operating system's English
//! message. Here each of them becomes a German diagnostic for that one file, and the text is
//! read once, into the shared buffer the rest of the loader keeps.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::strip_bom;
use crate::diagnostic::{Diagnostic, Location};

/// The largest input file ratsflow reads: 10 MB. A paper of that size is already far beyond
/// anything a council writes by hand.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads the text of `path` (shown to the user as `shown`): a regular file of at most
/// [`MAX_FILE_BYTES`], in UTF-8, without a leading byte-order mark.
pub fn read_file(path: &Path, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    read_limited(path, shown, MAX_FILE_BYTES)
}

/// [`read_file`] with a given limit (for tests).
pub(super) fn read_limited(path: &Path, shown: &Path, limit: u64) -> Result<Arc<str>, Diagnostic> {
    let unreadable = |err: std::io::Error| {
        Diagnostic::error(shown, format!("Datei kann nicht gelesen werden: {err}"))
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(
            shown,
            "das ist keine gewöhnliche Datei (sondern ein Ordner oder eine Gerätedatei)",
        )
        .with_hint("ersetzen Sie sie durch eine YAML-Datei oder entfernen Sie sie"));
    }
    if metadata.len() > limit {
        return Err(too_large(shown, metadata.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The file may grow after the size check: never read more than the limit allows.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(shown, bytes.len() as u64, limit));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => return Err(not_utf8(shown, err.as_bytes(), err.utf8_error())),
    };
    if strip_bom(&text).len() != text.len() {
        return Ok(Arc::from(strip_bom(&text)));
    }
    Ok(Arc::from(text))
}

fn too_large(shown: &Path, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        shown,
        format!(
            "die Datei ist zu groß ({}); erlaubt sind höchstens {}",
            megabytes(size),
            megabytes(limit)
        ),
    )
    .with_hint("eine Drucksache gehört in eine Datei von wenigen Kilobyte; Anlagen stehen unter „attachments“")
}

/// `size` in MB with one decimal (German comma) unless it is whole.
fn megabytes(size: u64) -> String {
    let tenths = size.saturating_mul(10) / (1024 * 1024);
    if tenths.is_multiple_of(10) {
        format!("{} MB", tenths / 10)
    } else {
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// A located error at the first byte that is not UTF-8.
fn not_utf8(shown: &Path, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let valid = &bytes[..error.valid_up_to()];
    // The prefix is valid UTF-8 by definition of `valid_up_to`.
    let before = std::str::from_utf8(valid).unwrap_or("");
    let before = strip_bom(before);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::error(shown, "die Datei ist nicht in UTF-8 gespeichert")
        .at(Location::new(line, column), 1)
        .with_hint("speichern Sie die Datei im Editor mit der Kodierung „UTF-8“")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], limit: u64) -> Result<Arc<str>, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, bytes).unwrap();
        read_limited(&path, Path::new("papers/p.yaml"), limit)
    }

    #[test]
    fn drops_the_byte_order_mark() {
        let text = read(b"\xef\xbb\xbfkind: x\n", 100).unwrap();
        assert_eq!(&*text, "kind: x\n");
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let d = read(&[b'a'; 101], 100).unwrap_err();
        assert_eq!(
            d.message,
            "die Datei ist zu groß (0 MB); erlaubt sind höchstens 0 MB"
        );
        assert_eq!(megabytes(12 * 1024 * 1024 + 600 * 1024), "12,5 MB");
        assert_eq!(megabytes(MAX_FILE_BYTES), "10 MB");
    }

    #[test]
    fn locates_the_first_byte_that_is_not_utf8() {
        let d = read(b"kind: x\ntitle: Gr\xfc\xdfe\n", 100).unwrap_err();
        assert_eq!(d.message, "die Datei ist nicht in UTF-8 gespeichert");
        assert_eq!(d.location, Some(Location::new(2, 10)));
    }

    #[test]
    fn refuses_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = read_limited(dir.path(), Path::new("papers/p.yaml"), 100).unwrap_err();
        assert_eq!(
            d.message,
            "das ist keine gewöhnliche Datei (sondern ein Ordner oder eine Gerätedatei)"
        );
    }
}
