//! Locks with a bounded wait, and the places of everything below `state/` that is not the
//! audit trail (locks, the outbox).
//!
//! A lock is an OS file lock on a small file under `state/locks/` (ignored by git): released
//! when the process ends, however it ends, so a crash never leaves a stale lock. Its holder
//! writes who it is into the file (command, process id, host); a process that waits longer than
//! the bound gives up with [`Busy`], a German message naming that holder — never a silent hang.
//!
//! Two kinds of lock exist:
//! - one per paper ([`paper_lock`]): held by `sign`, `return` and `decide` while they re-read
//!   the paper's journal, check the refusals and append — check-and-append is one step. It is
//!   never held while talking to a mail server.
//! - one per project ([`pass_lock`]): held by a pass (`run`, a `watch` pass, `outbox retry`)
//!   while it renders and sends, so that passes run one after the other and each decides what
//!   to send from what the one before it recorded.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::project::Folders;

/// How long a write waits for a paper's lock.
pub const PAPER_WAIT: Duration = Duration::from_secs(10);

/// The lock file of a paper: `state/locks/papers/<id>.lock`.
pub fn paper_lock(folders: &Folders, paper_id: &str) -> PathBuf {
    folders
        .state
        .join("locks")
        .join("papers")
        .join(format!("{paper_id}.lock"))
}

/// The lock file of the project's passes: `state/locks/pass.lock`.
pub fn pass_lock(folders: &Folders) -> PathBuf {
    folders.state.join("locks").join("pass.lock")
}

/// The outbox of a paper, its notice bookkeeping: `state/outbox/<id>.jsonl`. Append-only like
/// the journal, but not part of the audit trail, and ignored by git.
pub fn outbox(folders: &Folders, paper_id: &str) -> PathBuf {
    folders
        .state
        .join("outbox")
        .join(format!("{paper_id}.jsonl"))
}

/// A held lock; released on drop.
#[derive(Debug)]
pub struct Held {
    file: File,
}

impl Drop for Held {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Someone else held it for longer than the bound.
    Busy(Busy),
    /// The lock file could not be created or locked.
    Io { path: PathBuf, source: io::Error },
}

/// Another process holds a lock for longer than we wait.
#[derive(Debug, Clone)]
pub struct Busy {
    /// What the lock guards, in German: „die Drucksache „2019-042““, „die Durchläufe“.
    pub what: String,
    /// What did not happen, in German: „nichts wurde eingetragen“.
    pub nothing_done: &'static str,
    pub waited: Duration,
    /// What the holder wrote into the lock file, if anything.
    pub holder: Option<String>,
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Busy(busy) => busy.fmt(f),
            LockError::Io { path, source } => {
                write!(f, "Sperrdatei {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for LockError {}

impl std::fmt::Display for Busy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let holder = self.holder.as_deref().unwrap_or("ein anderer Vorgang");
        write!(
            f,
            "{} ist seit {} s gesperrt durch {holder}; {}, bitte später erneut versuchen",
            self.what,
            self.waited.as_secs(),
            self.nothing_done
        )
    }
}

/// Who this process is, for the lock file: „ratsflow sign 042/19 --as kaemmerei (Prozess 4711
/// auf rathaus-srv)“. Control characters are dropped and the command is shortened, so the text
/// is safe to print in another terminal.
pub fn this_process() -> String {
    let mut command: String = std::env::args()
        .enumerate()
        .map(|(i, arg)| {
            if i == 0 {
                Path::new(&arg)
                    .file_name()
                    .map_or(arg.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                arg
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    if command.is_empty() {
        command.push_str("ratsflow");
    }
    format!(
        "{command} (Prozess {} auf {})",
        std::process::id(),
        host_name()
    )
}

fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| {
            name.trim()
                .chars()
                .filter(|c| !c.is_control())
                .take(64)
                .collect()
        })
        .filter(|name: &String| !name.is_empty())
        .unwrap_or_else(|| "diesem Rechner".to_string())
}

/// What a lock guards and what is not done when it cannot be had, for [`Busy`].
#[derive(Clone, Copy, Debug)]
pub struct Purpose<'a> {
    /// „die Drucksache „2019-042““.
    pub what: &'a str,
    /// „nichts wurde eingetragen“.
    pub nothing_done: &'static str,
}

/// Takes the lock at `path`, waiting at most `bound`; writes `holder` into the file once held.
/// `on_wait` is called once when the lock is not free at the first try (so a caller can say
/// that it waits), with what the holder wrote.
pub fn acquire(
    path: &Path,
    purpose: Purpose<'_>,
    holder: &str,
    bound: Duration,
    on_wait: &mut dyn FnMut(Option<&str>),
) -> Result<Held, LockError> {
    let io_error = |source| LockError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error)?;
    }
    // Never a named pipe: it would block the open (see `open_regular`).
    let mut file = super::open_regular(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
        path,
    )
    .map_err(io_error)?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(2);
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                if !told {
                    told = true;
                    on_wait(read_holder(&mut file).as_deref());
                }
                let waited = start.elapsed();
                if waited >= bound {
                    return Err(LockError::Busy(Busy {
                        what: purpose.what.to_string(),
                        nothing_done: purpose.nothing_done,
                        waited,
                        holder: read_holder(&mut file),
                    }));
                }
                std::thread::sleep(pause.min(bound - waited));
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            // A file system without locks (some network shares): go on unlocked, as the
            // watcher's instance lock does; the journal's own append lock still holds.
            Err(TryLockError::Error(err)) if err.kind() == io::ErrorKind::Unsupported => break,
            Err(TryLockError::Error(err)) => return Err(io_error(err)),
        }
    }
    // Informational only: a failure here does not weaken the lock.
    let _ = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| file.write_all(holder.as_bytes()))
        .and_then(|()| file.write_all(b"\n"));
    Ok(Held { file })
}

/// The holder's line, if it can be read (it may be mid-write: then nothing).
fn read_holder(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(512).read_to_string(&mut text).ok()?;
    let line: String = text
        .lines()
        .next()?
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    (!line.trim().is_empty()).then(|| line.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_makes_the_second_wait_and_give_up_naming_the_holder() -> Result<(), LockError> {
        let dir = tempfile::tempdir().map_err(|source| LockError::Io {
            path: PathBuf::new(),
            source,
        })?;
        let path = dir.path().join("locks/papers/p.lock");
        let purpose = Purpose {
            what: "die Drucksache „p“",
            nothing_done: "nichts wurde eingetragen",
        };
        let first = acquire(
            &path,
            purpose,
            "erster (Prozess 1)",
            PAPER_WAIT,
            &mut |_| {},
        )?;
        let mut seen = None;
        let started = Instant::now();
        let second = acquire(
            &path,
            purpose,
            "zweiter",
            Duration::from_millis(300),
            &mut |holder| seen = holder.map(str::to_string),
        );
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!(seen.as_deref(), Some("erster (Prozess 1)"));
        match second {
            Err(LockError::Busy(busy)) => assert_eq!(
                busy.to_string(),
                "die Drucksache „p“ ist seit 0 s gesperrt durch erster (Prozess 1); nichts wurde eingetragen, bitte später erneut versuchen"
            ),
            other => panic!("{other:?}"),
        }
        drop(first);
        let again = acquire(&path, purpose, "zweiter", PAPER_WAIT, &mut |_| {})?;
        drop(again);
        Ok(())
    }

    #[test]
    fn this_process_names_command_pid_and_host() {
        let me = this_process();
        assert!(
            me.contains(&format!("(Prozess {} auf ", std::process::id())),
            "{me}"
        );
        assert!(!me.chars().any(char::is_control));
    }
}
