//! Writes a file completely or not at all: a temporary file in the same folder, fsync'd, then
//! renamed over the target. A reader never sees half a file, even after a crash.
//!
//! [`append_line`] is the one exception, for small files whose readers skip a torn line.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, bytes, Durability::Synced)
}

/// How hard a write insists on reaching the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// fsync of the file before the rename and of the folder after it.
    Synced,
    /// Still atomic (never half a file), but not forced to disk: for data that is only a
    /// cache, such as the input stamp of a document.
    Relaxed,
}

/// Writes `bytes` to `path` atomically with the given durability.
pub fn write_with(path: &Path, bytes: &[u8], durability: Durability) -> io::Result<()> {
    write_streamed(path, durability, |out| out.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically with the given durability, through a
/// buffer: for files too large to make in memory first. If `fill` fails, `path` is left as
/// it was and the temporary file is removed.
pub fn write_streamed(
    path: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let (temp, dir) = prepared(path, durability, fill)?;
    temp.persist(path).map_err(|err| err.error)?;
    if durability == Durability::Synced {
        crate::journal::sync_dir(dir);
    }
    Ok(())
}

/// A temporary file next to `path` holding what `fill` wrote, readable, synced as asked; and
/// its folder.
fn prepared(
    path: &Path,
    durability: Durability,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<(tempfile::NamedTempFile, &Path)> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let temp = tempfile::Builder::new()
        .prefix(".ratsflow-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    let mut out = io::BufWriter::with_capacity(64 * 1024, temp);
    fill(&mut out)?;
    let temp = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    readable(temp.as_file())?;
    if durability == Durability::Synced {
        temp.as_file().sync_data()?;
    }
    Ok((temp, dir))
}

/// Temporary files are created private (0600); a finished file is as readable as any other
/// file the user writes (0644), so colleagues on a shared drive can open the documents.
fn readable(file: &std::fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Creates a new file atomically; fails if `path` exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (temp, dir) = prepared(path, Durability::Synced, |out| out.write_all(bytes))?;
    temp.persist_noclobber(path).map_err(|err| err.error)?;
    crate::journal::sync_dir(dir);
    Ok(())
}

/// Appends one short line to `path` in a single write in append mode, creating the file and
/// its folder; returns the file's length after it. Appenders in parallel never interleave
/// within the line, but a crash can leave it torn, and it is not forced to disk: only for
/// files whose readers skip a line they cannot parse and lose nothing by it (the history
/// marks of `pass::vanished`). It creates no new file once the file exists: replacing a file
/// costs the filesystem a new inode each time, which under load cost more than the rest of a
/// signature.
pub fn append_line(path: &Path, line: &str) -> io::Result<u64> {
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line.as_bytes())?;
    Ok(file.metadata()?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_streamed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.ics");
        write_streamed(&path, Durability::Relaxed, |out| out.write_all(b"alt")).unwrap();
        let failed = write_streamed(&path, Durability::Relaxed, |out| {
            out.write_all(&[b'x'; 200_000])?;
            Err(io::Error::other("Platte voll"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "Platte voll");
        assert_eq!(std::fs::read(&path).unwrap(), b"alt");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["feed.ics"]);
        write_streamed(&path, Durability::Synced, |out| {
            out.write_all(&[b'y'; 200_000])
        })
        .unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 200_000);
    }
}
