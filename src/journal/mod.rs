//! The append-only audit trail: one JSON Lines file per paper under `state/`.
//!
//! This is the only code that writes below `state/`. Lines are appended under an exclusive file
//! lock and fsync'd before the call returns, so two processes writing at once never interleave
//! or lose a line. Nothing here ever rewrites a line. An append is whole or not at all: when the
//! disk is full (or a file-size limit is hit) after part of it was written, the file is cut back
//! to its length before the append ([`File::set_len`]) and the error returned, so no fragment
//! stays behind. A torn last line left by a crash (power loss, SIGKILL mid-write) is kept as it
//! is, reported by [`read`], and the next append starts on a fresh line.
//!
//! A journal is opened only if it is a regular file: a directory or a named pipe (FIFO) in its
//! place is refused with a German reason ([`check_openable`]) instead of blocking forever or
//! failing every command; files are opened non-blocking, and their type is checked again on
//! the open handle.

mod entry;
pub mod lock;
pub mod present;
mod wire;

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use entry::{Consultation, Entry, Extra};

use crate::model::DecisionResult;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A signatory signed the paper at a stage.
    Signed,
    /// A signatory returned the paper, with a comment.
    Returned,
    /// A body decided on the paper.
    Decided,
    /// The paper was put on the agenda of a body's meeting (`stage`, `body`, `meeting`): from
    /// now on that consultation takes place at that meeting, whatever the calendar says.
    Scheduled,
    /// A notice was queued for sending (recorded before the attempt).
    NoticeQueued,
    /// A notice was accepted by the mail transport.
    NoticeSent,
    /// A notice failed; `comment` holds the reason.
    NoticeFailed,
    /// A queued or failing notice that is no longer due (the paper changed or moved on); its
    /// successor, if any, has a key of its own.
    NoticeSuperseded,
    /// A referral created a consultation at `body`, at its meeting `meeting`, for the points
    /// and Ziffern in `items` (all of the paper when empty).
    Referred,
    /// The paper (or motion) was withdrawn by `who`.
    Withdrawn,
    /// An editorial correction of a decided paper: `hash` is the corrected content.
    Corrected,
}

impl Event {
    /// Whether this is part of the audit trail (a signature, a return, a decision, a place on an
    /// agenda), as opposed
    /// to notice bookkeeping (which older versions kept in the same file).
    pub fn is_record(self) -> bool {
        matches!(
            self,
            Event::Signed
                | Event::Returned
                | Event::Decided
                | Event::Referred
                | Event::Withdrawn
                | Event::Corrected
                | Event::Scheduled
        )
    }
}

/// The time of the latest signature, return or decision: a new one must not stand before it.
pub fn latest_record(entries: &[Entry]) -> Option<DateTime<FixedOffset>> {
    entries
        .iter()
        .filter(|e| e.event.is_record())
        .map(|e| e.time)
        .max()
}

/// How a body voted on one amendment while deciding on its base paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentVote {
    pub paper: String,
    pub adopted: bool,
}

/// How a body voted: einstimmig, or the counts as the Niederschrift gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Votes {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub einstimmig: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ja: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nein: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enthaltungen: Option<u32>,
    /// Members who did not vote for Befangenheit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub befangen: Option<u32>,
}

impl Votes {
    /// As printed: „einstimmig“ or „Ja 23, Nein 4, Enthaltungen 2“ (and „befangen 1“).
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if self.einstimmig {
            parts.push("einstimmig".to_string());
        } else {
            parts.push(format!("Ja {}", self.ja.unwrap_or(0)));
            parts.push(format!("Nein {}", self.nein.unwrap_or(0)));
            parts.push(format!("Enthaltungen {}", self.enthaltungen.unwrap_or(0)));
        }
        if let Some(n) = self.befangen.filter(|n| *n > 0) {
            parts.push(format!("befangen {n}"));
        }
        parts.join(", ")
    }
}

/// The decision on one point of the paper's proposal or one Ziffer of a motion to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDecision {
    /// The motion's paper id when this is one of its Ziffern; else a point of the paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion: Option<String>,
    /// 1-based: the point as printed, or the Ziffer's position in the motion's `changes:`.
    pub number: usize,
    pub result: DecisionResult,
    /// The text as changed in the meeting (geändert beschlossen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The body it was referred to (verwiesen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<Votes>,
}

/// A line that could not be read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    /// German description.
    pub message: String,
}

/// A journal as read from disk.
#[derive(Clone, Debug, Default)]
pub struct Journal {
    pub entries: Vec<Entry>,
    /// Lines that are not valid entries: reported, never dropped from the file.
    pub bad_lines: Vec<BadLine>,
    /// The 1-based line number of each entry.
    pub lines: Vec<usize>,
}

impl Journal {
    /// Signatures, returns and decisions that stand before an earlier one, or repeat one word
    /// for word: German warnings located by line. Appends keep a journal in time order and the
    /// record path refuses a second identical entry, so these point to a hand edit, a merge, or
    /// a version of ratsflow without those guarantees.
    pub fn irregular_lines(&self) -> Vec<BadLine> {
        let mut found = Vec::new();
        let mut latest: Option<(usize, &Entry)> = None;
        let mut seen: Vec<(usize, &Entry)> = Vec::new();
        for (entry, &line) in self.entries.iter().zip(&self.lines) {
            if !entry.event.is_record() {
                continue;
            }
            if let Some((first, _)) = seen.iter().find(|(_, e)| *e == entry) {
                found.push(BadLine {
                    line,
                    message: format!(
                        "die Zeile wiederholt Zeile {first} Wort für Wort (doppelt eingetragen?)"
                    ),
                });
            } else if let Some((at, before)) = latest.filter(|(_, e)| e.time > entry.time) {
                found.push(BadLine {
                    line,
                    message: format!(
                        "der Eintrag vom {} steht nach einem späteren (Zeile {at}, {}); die Einträge eines Journals stehen in zeitlicher Reihenfolge",
                        entry.time.format("%d.%m.%Y %H:%M"),
                        before.time.format("%d.%m.%Y %H:%M")
                    ),
                });
            }
            seen.push((line, entry));
            if latest.is_none_or(|(_, e)| entry.time >= e.time) {
                latest = Some((line, entry));
            }
        }
        found
    }
}

/// An I/O error with the path it happened on.
#[derive(Debug)]
pub struct JournalError {
    pub path: PathBuf,
    pub source: io::Error,
}

impl JournalError {
    /// Why the journal could not be used, in German, without the path.
    pub fn reason(&self) -> String {
        match self.source.kind() {
            io::ErrorKind::StorageFull => "kein Platz mehr auf dem Datenträger".to_string(),
            io::ErrorKind::FileTooLarge => {
                "die Datei hat die erlaubte Größe erreicht (Grenze für Dateigrößen)".to_string()
            }
            io::ErrorKind::QuotaExceeded => "das Speicherkontingent ist erschöpft".to_string(),
            io::ErrorKind::InvalidFilename => {
                "der Dateiname ist zu lang für das Dateisystem".to_string()
            }
            io::ErrorKind::PermissionDenied => "keine Berechtigung".to_string(),
            _ => self.source.to_string(),
        }
    }
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Journal {}: {}", self.path.display(), self.reason())
    }
}

impl std::error::Error for JournalError {}

fn at(path: &Path) -> impl FnOnce(io::Error) -> JournalError + '_ {
    move |source| JournalError {
        path: path.to_path_buf(),
        source,
    }
}

/// The German reason why something other than a regular file cannot be a journal.
fn not_a_file(file_type: std::fs::FileType) -> io::Error {
    let what = if file_type.is_dir() {
        "an seiner Stelle steht ein Ordner"
    } else {
        "an seiner Stelle steht keine gewöhnliche Datei (sondern eine Pipe oder Gerätedatei)"
    };
    io::Error::other(what)
}

/// Whether a journal can be opened without blocking: it is missing (an empty journal) or a
/// regular file. Checks the file type only, opens nothing: a named pipe is never touched.
pub fn check_openable(path: &Path) -> Result<(), JournalError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) => Err(at(path)(not_a_file(meta.file_type()))),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(at(path)(err)),
    }
}

/// Opens a journal with `options`, refusing anything but a regular file: the type is checked
/// before opening (a named pipe would block the open) and again on the handle, and the file
/// is opened non-blocking, so a pipe that appears in between cannot block either.
pub(crate) fn open_regular(options: &mut OpenOptions, path: &Path) -> io::Result<File> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(not_a_file(meta.file_type())),
        _ => {}
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_file(meta.file_type()));
    }
    Ok(file)
}

/// `O_NONBLOCK`: opening a named pipe returns at once instead of waiting for a writer. No
/// effect on regular files.
#[cfg(all(unix, any(target_os = "linux", target_os = "android")))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
const O_NONBLOCK: i32 = 0x0004;

/// Reads a journal; a missing file is an empty journal.
pub fn read(path: &Path) -> Result<Journal, JournalError> {
    let mut file = match open_regular(OpenOptions::new().read(true), path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(err) => return Err(at(path)(err)),
    };
    file.lock_shared().map_err(at(path))?;
    let mut bytes = Vec::new();
    let read = file.read_to_end(&mut bytes);
    let _ = file.unlock();
    read.map_err(at(path))?;
    Ok(parse(&bytes))
}

/// Parses journal bytes; every unreadable line is kept in `bad_lines`.
pub fn parse(bytes: &[u8]) -> Journal {
    let mut journal = Journal::default();
    let ends_with_newline = bytes.last().is_none_or(|&b| b == b'\n');
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let last = i + 1 == count;
        if line.is_empty() && last {
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => {
                journal.entries.push(entry);
                journal.lines.push(i + 1);
            }
            Err(err) => {
                let message = if last && !ends_with_newline {
                    "die letzte Zeile ist unvollständig (Absturz beim Schreiben?); sie wird nicht ausgewertet, bleibt aber erhalten".to_string()
                } else if err.is_eof() {
                    "die Zeile ist unvollständig (Absturz beim Schreiben?); sie wird nicht ausgewertet, bleibt aber erhalten".to_string()
                } else {
                    format!(
                        "die Zeile ist kein gültiger Eintrag ({err}); sie wird nicht ausgewertet, bleibt aber erhalten"
                    )
                };
                journal.bad_lines.push(BadLine {
                    line: i + 1,
                    message,
                });
            }
        }
    }
    // Held for long by the watcher and the board, for every paper: no spare capacity.
    journal.entries.shrink_to_fit();
    journal.lines.shrink_to_fit();
    journal
}

/// A journal held open under its exclusive lock, for a burst of appends with as little as
/// possible between an outside event (a mail server's "250 OK") and its record: one `write`.
/// Other writers wait until it is dropped.
pub struct Appender {
    path: PathBuf,
    file: File,
}

impl Appender {
    /// Opens (creating if needed) and locks a journal.
    pub fn open(path: &Path) -> Result<Appender, JournalError> {
        let created = !path.exists();
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(at(path))?;
        }
        let file = open_regular(
            OpenOptions::new().create(true).read(true).append(true),
            path,
        )
        .map_err(at(path))?;
        file.lock().map_err(at(path))?;
        if created && let Some(dir) = path.parent() {
            sync_dir(dir);
        }
        Ok(Appender {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Serialises entries into the bytes of their lines.
    pub fn lines(&self, entries: &[Entry]) -> Result<String, JournalError> {
        let mut text = String::new();
        for entry in entries {
            let line = serde_json::to_string(entry)
                .map_err(|err| at(&self.path)(io::Error::other(err)))?;
            text.push_str(&line);
            text.push('\n');
        }
        Ok(text)
    }

    /// Appends prepared lines and fsyncs.
    pub fn write_lines(&mut self, text: &str) -> Result<(), JournalError> {
        write_locked(&mut self.file, text).map_err(at(&self.path))
    }

    /// Appends prepared lines without fsync: one `write`, durable against a killed process
    /// (not against power loss until [`Appender::sync`]).
    pub fn write_lines_unsynced(&mut self, text: &str) -> Result<(), JournalError> {
        write_whole(&mut self.file, text, false).map_err(at(&self.path))
    }

    /// Makes everything written so far durable.
    pub fn sync(&mut self) -> Result<(), JournalError> {
        self.file.sync_data().map_err(at(&self.path))
    }

    /// Appends entries and fsyncs.
    pub fn append(&mut self, entries: &[Entry]) -> Result<(), JournalError> {
        let text = self.lines(entries)?;
        self.write_lines(&text)
    }
}

impl Drop for Appender {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Appends entries as one write under an exclusive lock, then fsyncs.
pub fn append(path: &Path, entries: &[Entry]) -> Result<(), JournalError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut text = String::new();
    for entry in entries {
        let line = serde_json::to_string(entry).map_err(|err| at(path)(io::Error::other(err)))?;
        text.push_str(&line);
        text.push('\n');
    }
    let created = !path.exists();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(at(path))?;
    }
    let mut file = open_regular(
        OpenOptions::new().create(true).read(true).append(true),
        path,
    )
    .map_err(at(path))?;
    file.lock().map_err(at(path))?;
    let result = write_locked(&mut file, &text);
    let _ = file.unlock();
    result.map_err(at(path))?;
    if created && let Some(dir) = path.parent() {
        sync_dir(dir);
    }
    Ok(())
}

fn write_locked(file: &mut File, text: &str) -> io::Result<()> {
    let len = file.seek(SeekFrom::End(0))?;
    let mut prefix = "";
    if len > 0 {
        file.seek(SeekFrom::End(-1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            // A torn line from a crash: keep it, start ours on a new line.
            prefix = "\n";
        }
    }
    let mut buffer = String::with_capacity(prefix.len() + text.len());
    buffer.push_str(prefix);
    buffer.push_str(text);
    write_whole(file, &buffer, true)
}

/// Appends `text` with one `write` call (more only when the system writes it in parts), then
/// fsyncs if asked. On any failure the file is cut back to its length before: an append is
/// whole or not at all, never a fragment that would be reported as a crash forever.
fn write_whole(file: &mut File, text: &str, sync: bool) -> io::Result<()> {
    let before = file.seek(SeekFrom::End(0))?;
    let result = file
        .write_all(text.as_bytes())
        .and_then(|()| if sync { file.sync_data() } else { Ok(()) });
    if let Err(err) = result {
        // Best effort: if even this fails, the fragment is reported as a torn line by `read`.
        if file.set_len(before).is_ok() {
            let _ = file.sync_data();
        }
        return Err(err);
    }
    Ok(())
}

/// Makes a new directory entry durable (best effort; not all platforms support it).
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Appends a line to a paper's history mark below `state/outbox/` (see
/// `crate::pass::vanished`); returns the mark file's length.
pub fn append_mark(path: &Path, line: &str) -> std::io::Result<u64> {
    crate::atomic::append_line(path, line)
}

/// Writes a paper's history mark below `state/outbox/` (see `crate::pass::vanished`): a small
/// file replaced as a whole, never a journal line.
pub fn write_mark(
    path: &Path,
    bytes: &[u8],
    durability: crate::atomic::Durability,
) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::atomic::write_with(path, bytes, durability)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(who: &str) -> Entry {
        let time = DateTime::parse_from_rfc3339("2018-10-25T09:00:00+02:00").unwrap();
        Entry {
            who: Some(who.into()),
            stage: Some("auftraggeber".into()),
            ..Entry::new(time, Event::Signed)
        }
    }

    #[test]
    fn appends_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/p.jsonl");
        append(&path, &[entry("landrat")]).unwrap();
        append(&path, &[entry("kb"), entry("yildiz")]).unwrap();
        let journal = read(&path).unwrap();
        let who: Vec<_> = journal
            .entries
            .iter()
            .map(|e| e.who.as_deref().unwrap())
            .collect();
        assert_eq!(who, ["landrat", "kb", "yildiz"]);
        assert!(journal.bad_lines.is_empty());
    }

    #[test]
    fn torn_last_line_is_reported_kept_and_not_glued_to_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        append(&path, &[entry("landrat")]).unwrap();
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"time":"2018-11-06T10:00:00+01:00","event":"sig"#)
            .unwrap();
        drop(file);
        let journal = read(&path).unwrap();
        assert_eq!(journal.entries.len(), 1);
        assert_eq!(journal.bad_lines.len(), 1);
        assert_eq!(journal.bad_lines[0].line, 2);
        assert!(
            journal.bad_lines[0]
                .message
                .starts_with("die letzte Zeile ist unvollständig")
        );
        append(&path, &[entry("kb")]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 3, "torn line kept on its own line");
        let journal = read(&path).unwrap();
        assert_eq!(journal.entries.len(), 2);
        assert_eq!(journal.bad_lines[0].line, 2);
    }

    #[test]
    fn a_folder_in_place_of_a_journal_is_refused_in_german() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        std::fs::create_dir(&path).unwrap();
        let reason = "an seiner Stelle steht ein Ordner";
        assert_eq!(check_openable(&path).unwrap_err().reason(), reason);
        assert_eq!(read(&path).unwrap_err().reason(), reason);
        assert_eq!(append(&path, &[entry("kb")]).unwrap_err().reason(), reason);
        assert!(Appender::open(&path).is_err());
        assert!(check_openable(&dir.path().join("fehlt.jsonl")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_in_place_of_a_journal_never_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        let reason =
            "an seiner Stelle steht keine gewöhnliche Datei (sondern eine Pipe oder Gerätedatei)";
        assert_eq!(check_openable(&path).unwrap_err().reason(), reason);
        assert_eq!(read(&path).unwrap_err().reason(), reason);
        assert_eq!(append(&path, &[entry("kb")]).unwrap_err().reason(), reason);
        let mut options = OpenOptions::new();
        options.read(true);
        // Even past the first check (a pipe made in between), the open returns at once.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(O_NONBLOCK);
        }
        let file = options.open(&path).unwrap();
        assert!(!file.metadata().unwrap().is_file());
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.jsonl");
        std::thread::scope(|scope| {
            for t in 0..4 {
                let path = &path;
                scope.spawn(move || {
                    for i in 0..50 {
                        append(path, &[entry(&format!("w{t}-{i}"))]).unwrap();
                    }
                });
            }
        });
        let journal = read(&path).unwrap();
        assert_eq!(journal.entries.len(), 200);
        assert!(journal.bad_lines.is_empty());
    }
}
