//! One parsed copy of each journal file in a long-running process.
//!
//! `ratsflow serve` keeps several sets of journals at once: the watcher's (for its next pass),
//! the board's current snapshot, the snapshot being renewed, and those a page reads for one
//! paper. Each set refreshes on its own what grew on disk, so without sharing, a journal that
//! grew is parsed by each set and held once per set: with 10,000 papers that was most of the
//! service's memory under load.
//!
//! With sharing switched on ([`enable`]), a file is parsed once per version: readers that find
//! the same file with the same size and modification time get the copy another reader made, as
//! long as some set still holds it (the table keeps only weak references, so a version nobody
//! holds any more is freed at once). One-shot commands leave it off: they read each journal
//! once anyway, and the table would only cost memory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};
use std::time::SystemTime;

use crate::journal::{Journal, JournalError};

/// What identifies one version of an append-only file: its size and modification time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Version {
    pub len: u64,
    /// None where the file system could not say (then the copy is never shared).
    pub modified: Option<SystemTime>,
}

impl Version {
    /// The version of the file at `path`, or None for a missing one (without asking the file
    /// system when the caller knows it is missing: `present` false). A file whose metadata
    /// cannot be read has an unknown version, and reading it reports why.
    pub fn of(present: bool, path: &Path) -> Option<Self> {
        if !present {
            return None;
        }
        match std::fs::metadata(path) {
            Ok(m) => Some(Version {
                len: m.len(),
                modified: m.modified().ok(),
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(_) => Some(Version::default()),
        }
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The versions parsed so far, by path; weak, so they live only as long as a set holds them.
static TABLE: LazyLock<Mutex<Table>> = LazyLock::new(Mutex::default);

/// The empty journal every missing file shares.
static EMPTY: LazyLock<Arc<Journal>> = LazyLock::new(Arc::default);

#[derive(Default)]
struct Table {
    copies: HashMap<PathBuf, (Version, Weak<Journal>)>,
    /// Entries at the last sweep of dead ones: the next sweep comes when the table doubled.
    swept_at: usize,
}

/// Shares parsed journals between all readers of this process from now on (for `serve` and
/// `watch`, which hold journals across passes).
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// The journal at `path` as of `version` (taken just before, see [`Version::of`]; None for a
/// missing file): another reader's copy of that version if one is still held, otherwise read by
/// `read` (and offered to later readers when sharing is on). A line appended after `version`
/// was taken may be in the copy; the next refresh sees a newer version and reads again, so
/// nothing is missed.
pub fn read(
    path: &Path,
    version: Option<Version>,
    read: impl FnOnce(&Path) -> Result<Journal, JournalError>,
) -> Result<Arc<Journal>, JournalError> {
    let Some(version) = version else {
        return Ok(Arc::clone(&EMPTY));
    };
    if !ENABLED.load(Ordering::Relaxed) || version.modified.is_none() {
        return read(path).map(Arc::new);
    }
    if let Some(copy) = lookup(path, version) {
        return Ok(copy);
    }
    let fresh = Arc::new(read(path)?);
    let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
    // Another reader may have parsed the same version meanwhile: keep one copy.
    if let Some((held, weak)) = table.copies.get(path)
        && *held == version
        && let Some(copy) = weak.upgrade()
    {
        return Ok(copy);
    }
    table
        .copies
        .insert(path.to_path_buf(), (version, Arc::downgrade(&fresh)));
    if table.copies.len() > 2 * table.swept_at.max(512) {
        table.copies.retain(|_, (_, weak)| weak.strong_count() > 0);
        table.swept_at = table.copies.len();
    }
    Ok(fresh)
}

fn lookup(path: &Path, version: Version) -> Option<Arc<Journal>> {
    let table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
    let (held, weak) = table.copies.get(path)?;
    if *held == version {
        weak.upgrade()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(path: &Path) -> Result<Journal, JournalError> {
        crate::journal::read(path)
    }

    #[test]
    fn one_version_is_parsed_once_and_a_grown_file_again() {
        enable();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        let line = r#"{"time":"2026-11-03T09:00:00+01:00","event":"signed","who":"fb","stage":"s","hash":"sha256:x"}"#;
        std::fs::write(&path, format!("{line}\n")).unwrap();
        let first = read(&path, Version::of(true, &path), parse).unwrap();
        let mut calls = 0;
        let second = read(&path, Version::of(true, &path), |p| {
            calls += 1;
            parse(p)
        })
        .unwrap();
        assert_eq!(calls, 0, "the same version is not parsed twice");
        assert!(Arc::ptr_eq(&first, &second));

        std::fs::write(&path, format!("{line}\n{line}\n")).unwrap();
        let grown = read(&path, Version::of(true, &path), parse).unwrap();
        assert_eq!(grown.entries.len(), 2, "a grown file is read again");
        assert_eq!(first.entries.len(), 1, "the older copy is left as it was");
    }

    #[test]
    fn a_version_nobody_holds_is_read_again() {
        enable();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.jsonl");
        std::fs::write(&path, "kaputt\n").unwrap();
        let version = Version::of(true, &path);
        drop(read(&path, version, parse).unwrap());
        let mut calls = 0;
        read(&path, version, |p| {
            calls += 1;
            parse(p)
        })
        .unwrap();
        assert_eq!(calls, 1);
    }
}
