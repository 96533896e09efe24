//! The journals a process has read, per paper: the audit journal (`state/<id>.jsonl`) and the
//! outbox (`state/outbox/<id>.jsonl`). A paper's state is computed only from journals that were
//! actually read: asking for one that was not is a [`NotLoaded`] error, never an empty replay
//! (which would make a paper look new and send its first notices again).
//!
//! A journal that cannot be read (a directory or a named pipe in its place, no permission)
//! stops only its own paper: the loader skips such papers already, and one that turns bad
//! later is remembered with its reason, so asking for it is a [`NotLoaded`] that says why,
//! while the other papers are read and evaluated as usual.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::shared_reads::{self, Version};
use crate::journal::present::Present;
use crate::journal::{self, Entry, Journal, JournalError, lock};
use crate::project::Folders;

/// A journal was asked for that this process has not read: a fault of the program, or a
/// journal that could not be read (then `reason` says why, in German).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotLoaded(pub String, pub Option<String>);

impl std::fmt::Display for NotLoaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.1 {
            Some(reason) => write!(
                f,
                "{reason}; ohne das Journal lässt sich „{}“ nicht auswerten",
                self.0
            ),
            None => write!(
                f,
                "das Journal von „{}“ wurde nicht gelesen; ohne es lässt sich die Drucksache nicht auswerten (Fehler im Programm)",
                self.0
            ),
        }
    }
}

impl std::error::Error for NotLoaded {}

/// One paper's journal and outbox, each with the version it was read at. Each is shared (see
/// [`super::shared_reads`]), so a copy of a whole set (the board's snapshot) costs pointers,
/// and a file that grew is read again without touching the other.
#[derive(Clone, Debug)]
struct Read {
    journal: Arc<Journal>,
    outbox: Arc<Journal>,
    journal_version: Option<Version>,
    outbox_version: Option<Version>,
}
/// The journals read so far.
#[derive(Clone, Debug, Default)]
pub struct Journals {
    papers: BTreeMap<String, Read>,
    /// Papers whose journal or outbox could not be read, with the error.
    failed: BTreeMap<String, String>,
}

impl Journals {
    /// Reads the journal and outbox of each paper not read yet. A journal that cannot be read
    /// is remembered for its paper (see [`Journals::failed`]); the others are read all the same.
    pub fn load<'a>(
        &mut self,
        folders: &Folders,
        ids: impl IntoIterator<Item = &'a String>,
    ) -> Result<(), JournalError> {
        let unread: Vec<&String> = ids
            .into_iter()
            .filter(|id| !self.papers.contains_key(*id))
            .collect();
        let present = Present::for_papers(folders, unread.len());
        for id in unread {
            self.read_into(folders, &present, id);
        }
        Ok(())
    }

    fn read_into(&mut self, folders: &Folders, present: &Present, id: &str) {
        let held = self.papers.get(id);
        match read(folders, present, id, held) {
            Ok(read) => {
                self.failed.remove(id);
                self.papers.insert(id.to_string(), read);
            }
            Err(error) => {
                self.papers.remove(id);
                self.failed.insert(id.to_string(), error.to_string());
            }
        }
    }

    /// The papers whose journal or outbox could not be read, with the German reason.
    pub fn failed(&self) -> impl Iterator<Item = (&String, &String)> {
        self.failed.iter()
    }

    /// Reads again, of the given papers, what changed on disk since it was read (a different
    /// size or modification time; both files only grow). For a pass that holds the pass lock
    /// and must decide on what others recorded meanwhile.
    pub fn refresh<'a>(
        &mut self,
        folders: &Folders,
        ids: impl IntoIterator<Item = &'a String>,
    ) -> Result<(), JournalError> {
        let ids: Vec<&String> = ids.into_iter().collect();
        let present = Present::for_papers(folders, ids.len());
        for id in ids {
            let stale = match self.papers.get(id) {
                None => true,
                Some(read) => {
                    Version::of(present.journal(id), &folders.journal(id)) != read.journal_version
                        || Version::of(present.outbox(id), &lock::outbox(folders, id))
                            != read.outbox_version
                }
            };
            if stale {
                self.read_into(folders, &present, id);
            }
        }
        Ok(())
    }

    /// Forgets what was read of a paper (after it was written, or changed on disk).
    pub fn forget(&mut self, id: &str) {
        self.papers.remove(id);
        self.failed.remove(id);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.papers.clear();
        self.failed.clear();
    }

    /// The error for a journal that was not read: with the reason if reading failed.
    fn not_loaded(&self, id: &str) -> NotLoaded {
        NotLoaded(id.to_string(), self.failed.get(id).cloned())
    }

    /// The audit journal of a paper, if read.
    pub fn get(&self, id: &str) -> Option<&Journal> {
        self.papers.get(id).map(|r| &*r.journal)
    }

    /// The audit journal of a paper; an error if it was not read.
    pub fn require(&self, id: &str) -> Result<&Journal, NotLoaded> {
        self.get(id).ok_or_else(|| self.not_loaded(id))
    }

    /// The outbox of a paper; an error if it was not read.
    pub fn outbox(&self, id: &str) -> Result<&Journal, NotLoaded> {
        self.papers
            .get(id)
            .map(|r| &*r.outbox)
            .ok_or_else(|| self.not_loaded(id))
    }

    /// The notice lines of a paper in the order they were written: those an older version
    /// kept in the audit journal, then the outbox.
    pub fn notice_lines(&self, id: &str) -> Result<Vec<&Entry>, NotLoaded> {
        let journal = self.require(id)?;
        let outbox = self.outbox(id)?;
        Ok(journal
            .entries
            .iter()
            .filter(|e| !e.event.is_record())
            .chain(&outbox.entries)
            .collect())
    }

    /// Everything that happened to a paper, journal and outbox merged by time (each file's own
    /// order kept): the history `status` shows.
    pub fn history(&self, id: &str) -> Result<Vec<&Entry>, NotLoaded> {
        let journal = &self.require(id)?.entries;
        let outbox = &self.outbox(id)?.entries;
        let (mut a, mut b) = (0, 0);
        let mut all = Vec::with_capacity(journal.len() + outbox.len());
        while a < journal.len() || b < outbox.len() {
            let take_journal =
                b >= outbox.len() || (a < journal.len() && journal[a].time <= outbox[b].time);
            if take_journal {
                all.push(&journal[a]);
                a += 1;
            } else {
                all.push(&outbox[b]);
                b += 1;
            }
        }
        Ok(all)
    }

    /// Every read paper with its audit journal.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Journal)> {
        self.papers.iter().map(|(id, r)| (id, &*r.journal))
    }

    /// Every read paper with its outbox.
    pub fn outboxes(&self) -> impl Iterator<Item = (&String, &Journal)> {
        self.papers.iter().map(|(id, r)| (id, &*r.outbox))
    }

    /// Every read audit journal.
    pub fn values(&self) -> impl Iterator<Item = &Journal> {
        self.papers.values().map(|r| &*r.journal)
    }
}

impl<'a> IntoIterator for &'a Journals {
    type Item = (&'a String, &'a Journal);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Journal)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// Reads the journal and outbox of `id`, each only if it changed since `held` was read.
fn read(
    folders: &Folders,
    present: &Present,
    id: &str,
    held: Option<&Read>,
) -> Result<Read, JournalError> {
    // Versions first: a line appended between the two steps is read now and again next time,
    // never missed.
    let journal_path = folders.journal(id);
    let outbox_path = lock::outbox(folders, id);
    let journal_version = Version::of(present.journal(id), &journal_path);
    let outbox_version = Version::of(present.outbox(id), &outbox_path);
    let journal = match held {
        Some(held) if held.journal_version == journal_version => Arc::clone(&held.journal),
        _ => shared_reads::read(&journal_path, journal_version, journal::read)?,
    };
    let outbox = match held {
        Some(held) if held.outbox_version == outbox_version => Arc::clone(&held.outbox),
        _ => shared_reads::read(&outbox_path, outbox_version, journal::read)?,
    };
    Ok(Read {
        journal,
        outbox,
        journal_version,
        outbox_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_not_read_is_an_error_not_an_empty_one() {
        let journals = Journals::default();
        assert_eq!(
            journals.require("2019-042").unwrap_err().to_string(),
            "das Journal von „2019-042“ wurde nicht gelesen; ohne es lässt sich die Drucksache nicht auswerten (Fehler im Programm)"
        );
        assert!(journals.outbox("2019-042").is_err());
    }

    #[test]
    fn an_unreadable_journal_stops_only_its_paper_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default_for(dir.path());
        std::fs::create_dir_all(folders.journal("kaputt")).unwrap();
        let ids = ["kaputt".to_string(), "gut".to_string()];
        let mut journals = Journals::default();
        journals.load(&folders, &ids).unwrap();
        assert!(journals.require("gut").is_ok());
        assert_eq!(
            journals.require("kaputt").unwrap_err().to_string(),
            format!(
                "Journal {}: an seiner Stelle steht ein Ordner; ohne das Journal lässt sich „kaputt“ nicht auswerten",
                folders.journal("kaputt").display()
            )
        );
        assert_eq!(journals.failed().count(), 1);
        std::fs::remove_dir(folders.journal("kaputt")).unwrap();
        journals.refresh(&folders, &ids).unwrap();
        assert!(journals.require("kaputt").is_ok());
        assert_eq!(journals.failed().count(), 0);
    }
}
