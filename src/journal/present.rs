//! Which journals and outboxes exist, from one listing of `state/` and `state/outbox/`.
//!
//! In a project of 10,000 papers most papers have no journal yet (nothing signed) and no outbox
//! (nothing sent). Asking the file system for each missing file costs several system calls per
//! paper; one listing of each folder answers the same question for all papers at once. A file
//! that is listed is still checked and read as before (its type, a named pipe, permissions):
//! the listing only skips files that are not there.
//!
//! A listing is a snapshot for one step (loading, or reading the journals of one pass), never
//! kept across passes: a journal created after it was taken is read by the next pass, exactly as
//! if it had been created a moment later.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io;
use std::path::Path;

use crate::project::Folders;

/// The file names in `state/` and `state/outbox/`, or "unknown" where a folder could not be
/// listed or was not (then every file is asked for, as without a listing).
#[derive(Debug, Default)]
pub struct Present {
    journals: Option<HashSet<OsString>>,
    outboxes: Option<HashSet<OsString>>,
}

impl Present {
    /// Lists both folders of `folders`. A missing folder holds no file.
    pub fn list(folders: &Folders) -> Self {
        Present {
            journals: names(&folders.state),
            outboxes: names(&folders.state.join("outbox")),
        }
    }

    /// A listing when `papers` papers are to be asked about: listing a folder of 10,000 files
    /// for a handful of papers (the watcher after one change) would cost more than it saves.
    pub fn for_papers(folders: &Folders, papers: usize) -> Self {
        if papers > 32 {
            Present::list(folders)
        } else {
            Present::default()
        }
    }

    /// Whether the audit journal of `id` may exist (false only when surely missing).
    pub fn journal(&self, id: &str) -> bool {
        listed(&self.journals, id)
    }

    /// Whether the outbox of `id` may exist (false only when surely missing).
    pub fn outbox(&self, id: &str) -> bool {
        listed(&self.outboxes, id)
    }
}

fn listed(names: &Option<HashSet<OsString>>, id: &str) -> bool {
    names
        .as_ref()
        .is_none_or(|names| names.contains(std::ffi::OsStr::new(&format!("{id}.jsonl"))))
}

fn names(folder: &Path) -> Option<HashSet<OsString>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Some(HashSet::new()),
        Err(_) => return None,
    };
    let mut names = HashSet::new();
    for entry in entries {
        // An entry that cannot be read makes the listing incomplete: ask per file instead.
        names.insert(entry.ok()?.file_name());
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_that_are_listed_may_exist() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default_for(dir.path());
        assert!(
            !Present::list(&folders).journal("2026-001"),
            "no state folder: nothing exists"
        );
        std::fs::create_dir_all(folders.state.join("outbox")).unwrap();
        std::fs::write(folders.journal("2026-001"), "").unwrap();
        std::fs::write(crate::journal::lock::outbox(&folders, "2026-002"), "").unwrap();
        let present = Present::list(&folders);
        assert!(present.journal("2026-001"));
        assert!(!present.outbox("2026-001"));
        assert!(present.outbox("2026-002"));
        assert!(!present.journal("2026-002"));
    }

    #[test]
    fn an_unlistable_folder_makes_every_file_possible() {
        let present = Present {
            journals: None,
            outboxes: None,
        };
        assert!(present.journal("2026-001") && present.outbox("2026-001"));
    }
}
