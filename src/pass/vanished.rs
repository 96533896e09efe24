//! A journal that vanished is noticed. A deleted `state/<id>.jsonl` (or a deleted `state/`)
//! makes a signed paper look new: its signatures gone, its first requests due again. Nothing
//! in the journal itself can tell, so each paper keeps a *mark* of the history it had: how
//! many records (signatures, returns, decisions) its journal held and when the latest was
//! written. The mark is kept twice, where a lost journal does not take it along:
//!
//! - `state/outbox/<id>.mark` (next to the notice bookkeeping, ignored by git), and
//! - `out/<id>/.journal.mark` (next to the documents rendered from that history),
//!
//! so deleting the journal, or all of `state/`, still leaves one. Marks only grow: a pass and
//! the record path raise them; a journal with fewer records than its mark has lost lines.
//! A mark file is a line per raise (`<records> <latest>`), appended, and the largest line
//! counts: appending costs no new file, where replacing the file cost the filesystem a new
//! inode per signature — under load more than the rest of the signature. A file grown past
//! [`COMPACT_BYTES`] is replaced by its largest line; a torn line (a crash while appending)
//! is skipped.
//! Such a paper is reported by `check` (an error naming what is missing) and held by every
//! pass: no document is rewritten (the old ones are evidence) and no notice is sent, until the
//! journal is restored (e.g. from git) or the operator accepts the loss with
//! `ratsflow outbox confirm PAPER`, which sets the marks to what the journal holds now.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};

use crate::atomic;
use crate::journal::{Entry, lock};
use crate::project::Folders;

/// The history a journal had: its number of records and the time of the latest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub records: usize,
    pub latest: Option<DateTime<FixedOffset>>,
}

impl Mark {
    /// The mark of a journal's entries.
    pub fn of(entries: &[Entry]) -> Mark {
        let records = entries.iter().filter(|e| e.event.is_record()).count();
        Mark {
            records,
            latest: crate::journal::latest_record(entries),
        }
    }

    fn text(&self) -> String {
        match self.latest {
            Some(latest) => format!("{} {}\n", self.records, latest.to_rfc3339()),
            None => format!("{}\n", self.records),
        }
    }

    fn parse(text: &str) -> Option<Mark> {
        let mut words = text.split_whitespace();
        let records = words.next()?.parse().ok()?;
        let latest = words
            .next()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
        Some(Mark { records, latest })
    }
}

/// Length past which a mark file is replaced by its largest line (about a hundred raises).
const COMPACT_BYTES: u64 = 4096;

/// The largest mark in a mark file's text; lines that do not parse (torn) are skipped.
fn largest(text: &str) -> Option<Mark> {
    text.lines()
        .filter_map(Mark::parse)
        .max_by_key(|mark| mark.records)
}

/// Where a paper's marks are kept.
fn places(folders: &Folders, id: &str) -> [PathBuf; 2] {
    let outbox = lock::outbox(folders, id);
    [
        outbox.with_extension("mark"),
        folders.out.join(id).join(".journal.mark"),
    ]
}

/// The larger of a paper's marks, if it has one.
pub fn read(folders: &Folders, id: &str) -> Option<Mark> {
    places(folders, id)
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .filter_map(|text| largest(&text))
        .max_by_key(|mark| mark.records)
}

/// A journal that holds fewer records than its paper's mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vanished {
    pub paper: String,
    pub had: Mark,
    pub has: usize,
}

impl Vanished {
    /// German description for `check` and the pass.
    pub fn message(&self, reference: &str) -> String {
        let latest = self
            .had
            .latest
            .map(|t| format!(", der letzte vom {}", t.format("%d.%m.%Y %H:%M")))
            .unwrap_or_default();
        let has = match self.has {
            0 => "jetzt keinen".to_string(),
            1 => "jetzt nur einen".to_string(),
            n => format!("jetzt nur {n}"),
        };
        let had = if self.had.records == 1 {
            "einen Eintrag".to_string()
        } else {
            format!("{} Einträge", self.had.records)
        };
        format!(
            "das Journal von „{reference}“ fehlt oder wurde gekürzt: es hatte {had}{latest}, {has}. \
             Bis es wiederhergestellt ist (z. B. aus git) oder der Verlust bestätigt wird \
             (ratsflow outbox confirm {reference}), werden für diese Drucksache keine Nachrichten \
             gesendet und keine Dokumente geschrieben."
        )
    }
}

/// Whether the journal `entries` of paper `id` lost records against its mark.
pub fn check(folders: &Folders, id: &str, entries: &[Entry]) -> Option<Vanished> {
    let had = read(folders, id)?;
    let mut has = Mark::of(entries).records;
    if has < had.records {
        // `entries` may have been read before a concurrent `sign` appended and raised the mark.
        // The mark is raised only after the append, so the journal as it is now, read after
        // the mark, holds every record the mark counts — unless records were really lost.
        if let Ok(now) = crate::journal::read(&folders.journal(id)) {
            has = has.max(Mark::of(&now.entries).records);
        }
    }
    (has < had.records).then(|| Vanished {
        paper: id.to_string(),
        had,
        has,
    })
}

/// Raises the marks of paper `id` to its journal (never lowers them). Best effort: a mark that
/// cannot be written only weakens the check, it stops nothing.
pub fn raise(folders: &Folders, id: &str, entries: &[Entry]) {
    let now = Mark::of(entries);
    if now.records == 0 {
        return;
    }
    for path in places(folders, id) {
        let old = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| largest(&t));
        if old.is_none_or(|old| old.records < now.records) {
            append(folders, &path, &now);
        }
    }
}

/// Sets the marks of paper `id` to what its journal holds now: the operator accepts the loss.
pub fn confirm(folders: &Folders, id: &str, entries: &[Entry]) -> std::io::Result<()> {
    let now = Mark::of(entries);
    for path in places(folders, id) {
        if now.records == 0 {
            match std::fs::remove_file(&path) {
                Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err),
                _ => {}
            }
        } else {
            store(folders, &path, &now, atomic::Durability::Synced)?;
        }
    }
    Ok(())
}

/// Appends `mark` to a mark file, and replaces the file by it once it grew past
/// [`COMPACT_BYTES`] (`mark` is the largest: only a larger mark is appended).
fn append(folders: &Folders, path: &std::path::Path, mark: &Mark) {
    let line = mark.text();
    let appended = if path.starts_with(&folders.out) {
        crate::output::append_mark(path, &line)
    } else {
        crate::journal::append_mark(path, &line)
    };
    if appended.is_ok_and(|len| len > COMPACT_BYTES) {
        let _ = store(folders, path, mark, atomic::Durability::Relaxed);
    }
}

/// The mark beside the documents goes through `output`, the one in the outbox through `journal`
/// (the only writers below `out/` and `state/`).
fn store(
    folders: &Folders,
    path: &std::path::Path,
    mark: &Mark,
    durability: atomic::Durability,
) -> std::io::Result<()> {
    if path.starts_with(&folders.out) {
        crate::output::write_file(path, mark.text().as_bytes(), durability)
    } else {
        crate::journal::write_mark(path, mark.text().as_bytes(), durability)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Event;

    fn signed(at: &str) -> Entry {
        Entry {
            who: Some("landrat".into()),
            ..Entry::new(DateTime::parse_from_rfc3339(at).unwrap(), Event::Signed)
        }
    }

    #[test]
    fn marks_grow_and_a_shorter_journal_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default_for(dir.path());
        let two = [
            signed("2019-05-06T12:00:00+02:00"),
            signed("2019-05-07T12:00:00+02:00"),
        ];
        assert_eq!(check(&folders, "p", &[]), None, "no mark, nothing to say");
        raise(&folders, "p", &two);
        raise(&folders, "p", &two[..1]);
        assert_eq!(read(&folders, "p").map(|m| m.records), Some(2));
        let lost = check(&folders, "p", &[]).unwrap();
        assert_eq!(lost.has, 0);
        assert_eq!(
            lost.message("042/19"),
            "das Journal von „042/19“ fehlt oder wurde gekürzt: es hatte 2 Einträge, der letzte vom 07.05.2019 12:00, jetzt keinen. Bis es wiederhergestellt ist (z. B. aus git) oder der Verlust bestätigt wird (ratsflow outbox confirm 042/19), werden für diese Drucksache keine Nachrichten gesendet und keine Dokumente geschrieben."
        );
        // One of the two places is enough.
        std::fs::remove_dir_all(dir.path().join("state")).unwrap();
        assert!(check(&folders, "p", &two[..1]).is_some());
        confirm(&folders, "p", &two[..1]).unwrap();
        assert_eq!(check(&folders, "p", &two[..1]), None);
        assert_eq!(check(&folders, "p", &two), None);
    }

    #[test]
    fn records_appended_since_the_journal_was_read_are_no_loss() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default_for(dir.path());
        let two = [
            signed("2019-05-06T12:00:00+02:00"),
            signed("2019-05-07T12:00:00+02:00"),
        ];
        // A pass read the journal with one record; then a `sign` appended and raised the mark.
        let path = folders.journal("p");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        crate::journal::append(&path, &two).unwrap();
        raise(&folders, "p", &two);
        assert_eq!(check(&folders, "p", &two[..1]), None);
        // A journal that really lost a record is still noticed.
        std::fs::write(&path, "").unwrap();
        crate::journal::append(&path, &two[..1]).unwrap();
        assert_eq!(check(&folders, "p", &two[..1]).map(|v| v.has), Some(1));
    }

    #[test]
    fn mark_files_grow_by_lines_skip_torn_ones_and_are_compacted() {
        let dir = tempfile::tempdir().unwrap();
        let folders = Folders::default_for(dir.path());
        let mut journal = Vec::new();
        for day in 1..=3 {
            journal.push(signed(&format!("2019-05-0{day}T12:00:00+02:00")));
            raise(&folders, "p", &journal);
        }
        let [outbox_mark, out_mark] = places(&folders, "p");
        let text = std::fs::read_to_string(&outbox_mark).unwrap();
        assert_eq!(
            text,
            "1 2019-05-01T12:00:00+02:00\n2 2019-05-02T12:00:00+02:00\n3 2019-05-03T12:00:00+02:00\n"
        );
        // A crash while appending left a torn line (a prefix of „13 …“, then zeros) in one
        // file and garbage in the other: skipped, the largest line counts.
        std::fs::write(&out_mark, format!("{text}1\0\0\0")).unwrap();
        std::fs::write(&outbox_mark, "x\n").unwrap();
        assert_eq!(read(&folders, "p").map(|m| m.records), Some(3));
        assert!(check(&folders, "p", &journal[..2]).is_some());
        // Past COMPACT_BYTES a file is replaced by its largest line.
        for day in 4..=200 {
            journal.push(signed(&format!(
                "2019-06-{:02}T12:00:00+02:00",
                day % 28 + 1
            )));
            raise(&folders, "p", &journal);
        }
        for path in [&outbox_mark, &out_mark] {
            let len = std::fs::metadata(path).unwrap().len();
            assert!(len <= COMPACT_BYTES, "{} has {len} bytes", path.display());
        }
        assert_eq!(read(&folders, "p").map(|m| m.records), Some(200));
        assert!(check(&folders, "p", &journal[..199]).is_some());
        assert_eq!(check(&folders, "p", &journal), None);
    }
}
