//! One watcher per project. Two watchers on the same folder would both render and both send the
//! same notices, so `ratsflow watch` holds an exclusive lock on a file at the project root for
//! as long as it runs.
//!
//! The lock is an OS file lock (`File::try_lock`), not the file's existence: it is released when
//! the process ends, however it ends, so a crash never leaves a stale lock behind. The file
//! itself stays (removing it would race with a watcher that is just starting); it holds the
//! process id of the last holder, for the message a second watcher shows.

use std::fmt;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock file's name at the project root.
pub const LOCK_FILE: &str = ".ratsflow-watch.lock";

/// Why the watcher cannot hold its lock.
#[derive(Debug)]
pub enum InstanceLockError {
    /// The lock file cannot be created or opened.
    Create { path: PathBuf, source: io::Error },
    /// Another watcher holds it; `holder` is its process id when the file tells.
    Held { path: PathBuf, holder: Option<u32> },
}

impl fmt::Display for InstanceLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceLockError::Create { path, source } => write!(
                f,
                "Sperrdatei {} kann nicht angelegt werden: {source}",
                path.display()
            ),
            InstanceLockError::Held { path, holder } => {
                let holder = holder
                    .map(|pid| format!(" (Prozess {pid})"))
                    .unwrap_or_default();
                write!(
                    f,
                    "{} ist gesperrt: für dieses Projekt läuft bereits ein anderer \
                     `ratsflow watch`{holder}. Bitte diesen zuerst beenden.",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for InstanceLockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InstanceLockError::Create { source, .. } => Some(source),
            InstanceLockError::Held { .. } => None,
        }
    }
}

/// An exclusive lock on `<root>/.ratsflow-watch.lock`, released on drop.
#[derive(Debug)]
pub struct InstanceLock {
    file: File,
    path: PathBuf,
    /// Set when the file system cannot lock files at all (some network shares).
    warning: Option<String>,
}

impl InstanceLock {
    /// Takes the lock; fails when another watcher holds it or the lock file cannot be created.
    ///
    /// A file system that does not support locking (some network shares) does not stop the
    /// watcher: the lock is then not held, and [`InstanceLock::warning`] says so.
    pub fn acquire(root: &Path) -> Result<Self, InstanceLockError> {
        let path = root.join(LOCK_FILE);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| InstanceLockError::Create {
                path: path.clone(),
                source,
            })?;
        let warning = match file.try_lock() {
            Ok(()) => None,
            Err(TryLockError::WouldBlock) => {
                return Err(InstanceLockError::Held {
                    holder: holder(&mut file),
                    path,
                });
            }
            Err(TryLockError::Error(err)) => Some(format!(
                "Sperrdatei {} lässt sich auf diesem Laufwerk nicht sperren ({err}); \
                 ein zweiter Watcher für dieses Projekt würde nicht erkannt.",
                path.display()
            )),
        };
        if warning.is_none() {
            // Informational only: a failure here does not weaken the lock.
            let _ = file
                .set_len(0)
                .and_then(|()| writeln!(file, "{}", std::process::id()))
                .and_then(|()| file.flush());
        }
        Ok(InstanceLock {
            file,
            path,
            warning,
        })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why the lock is not actually held, if it is not (a German message).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        // Closing the file releases the lock as well; unlocking first makes it explicit.
        if self.warning.is_none() {
            let _ = self.file.unlock();
        }
    }
}

/// The process id recorded by the current holder, if it can be read.
fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.take(32).read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_fails_until_the_first_is_dropped() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let first = InstanceLock::acquire(dir.path())?;
        assert_eq!(first.warning(), None);
        assert_eq!(first.path(), dir.path().join(LOCK_FILE));

        let Err(error) = InstanceLock::acquire(dir.path()) else {
            panic!("second watcher got the lock");
        };
        assert!(matches!(error, InstanceLockError::Held { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(".ratsflow-watch.lock"), "{message}");
        assert!(message.contains("läuft bereits"), "{message}");
        let pid = std::process::id().to_string();
        assert!(message.contains(&pid), "{message}");

        drop(first);
        let again = InstanceLock::acquire(dir.path())?;
        assert_eq!(again.warning(), None);
        Ok(())
    }

    #[test]
    fn missing_root_is_a_german_error() {
        let Err(error) = InstanceLock::acquire(Path::new("/gibt/es/nicht")) else {
            panic!("lock in a missing folder");
        };
        let message = error.to_string();
        assert!(
            message.starts_with("Sperrdatei /gibt/es/nicht/"),
            "{message}"
        );
    }
}
