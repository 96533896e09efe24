//! The key that signs personal links (and, derived from it, the calendar addresses of
//! [`crate::ics`]): 32 random bytes in a file OUTSIDE the project tree.
//!
//! The project folder is usually a git repository shared with colleagues; a key there would
//! let anyone with a clone forge links. So the key lives in the service account's state
//! folder — `serve.key_file` when set, else `$XDG_STATE_HOME/ratsflow/<project>.key`
//! (`~/.local/state/ratsflow/…` without it), where `<project>` is a hash of the project's
//! absolute path — and is refused when it lies inside the project or can be read by the group
//! or others. It is created on first use with mode 0600 (atomically: written to a temporary
//! file in the same folder, then renamed, so a half-written key never exists). Its contents
//! are never printed; messages name only the path.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The key's length in bytes.
pub const KEY_LEN: usize = 32;

/// The link key.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

impl LinkKey {
    /// The raw bytes, for the MAC.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// A key from bytes (tests).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        LinkKey(bytes)
    }
}

/// Where the key of the project at `root` lives when `serve.key_file` is not set.
pub fn default_path(root: &Path) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".local/state"))
        })?;
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let digest = Sha256::digest(absolute.to_string_lossy().as_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Some(base.join("ratsflow").join(format!("{name}.key")))
}

/// The environment variable that names the key file; it wins over `serve.key_file` (for
/// tests and for operators who keep secrets out of configuration files).
pub const KEY_FILE_ENV: &str = "RATSFLOW_KEY_FILE";

/// The key file to use: `RATSFLOW_KEY_FILE`, else the configured one (relative to the project
/// root), else the default.
pub fn path_for(root: &Path, configured: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(KEY_FILE_ENV).filter(|v| !v.is_empty()) {
        return Ok(root.join(path));
    }
    match configured {
        Some(path) if path.is_absolute() => Ok(path.to_path_buf()),
        Some(path) => Ok(root.join(path)),
        None => default_path(root).ok_or_else(|| {
            "Für den Schlüssel der Links ist kein Ort bekannt (weder XDG_STATE_HOME noch HOME \
             gesetzt); bitte serve.key_file in ratsflow.yaml angeben."
                .to_string()
        }),
    }
}

/// Reads the key at `path`, creating it when it does not exist. Refuses a key inside the
/// project at `root`, one readable by group or others, or one of the wrong length.
pub fn load_or_create(root: &Path, path: &Path) -> Result<LinkKey, String> {
    refuse_inside_project(root, path)?;
    match std::fs::read(path) {
        Ok(bytes) => {
            check_mode(path)?;
            if bytes.len() != KEY_LEN {
                return Err(format!(
                    "Die Schlüsseldatei {} ist beschädigt (sie muss genau {KEY_LEN} Bytes enthalten). \
                     Bitte löschen; sie wird neu angelegt (alle bisher versandten Links werden ungültig).",
                    path.display()
                ));
            }
            Ok(LinkKey(bytes))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(err) => Err(format!(
            "Die Schlüsseldatei {} kann nicht gelesen werden: {err}",
            path.display()
        )),
    }
}

fn create(path: &Path) -> Result<LinkKey, String> {
    let failed = |err: &dyn std::fmt::Display| {
        format!(
            "Die Schlüsseldatei {} kann nicht angelegt werden: {err}",
            path.display()
        )
    };
    let mut bytes = vec![0u8; KEY_LEN];
    getrandom::fill(&mut bytes).map_err(|e| failed(&e))?;
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| failed(&e))?;
    restrict_folder(folder);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ratsflow-key");
    #[cfg(unix)]
    builder.permissions(private());
    let mut temp = builder.tempfile_in(folder).map_err(|e| failed(&e))?;
    std::io::Write::write_all(&mut temp, &bytes).map_err(|e| failed(&e))?;
    temp.as_file().sync_all().map_err(|e| failed(&e))?;
    // Never replaces a key another process created in the meantime.
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(LinkKey(bytes)),
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => load_existing(path),
        Err(err) => Err(failed(&err.error)),
    }
}

fn load_existing(path: &Path) -> Result<LinkKey, String> {
    check_mode(path)?;
    let bytes = std::fs::read(path).map_err(|err| {
        format!(
            "Die Schlüsseldatei {} kann nicht gelesen werden: {err}",
            path.display()
        )
    })?;
    if bytes.len() != KEY_LEN {
        return Err(format!(
            "Die Schlüsseldatei {} ist beschädigt.",
            path.display()
        ));
    }
    Ok(LinkKey(bytes))
}

#[cfg(unix)]
fn private() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o600)
}

/// A folder created for keys is the owner's only (best effort: an existing shared folder is
/// left as it is; the key file's own mode is what is checked).
#[cfg(unix)]
fn restrict_folder(folder: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(folder)
        && meta.permissions().mode() & 0o077 != 0
        && folder.file_name().is_some_and(|n| n == "ratsflow")
    {
        let _ = std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700));
    }
}

#[cfg(not(unix))]
fn restrict_folder(_folder: &Path) {}

#[cfg(unix)]
fn check_mode(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|err| {
        format!(
            "Die Schlüsseldatei {} kann nicht gelesen werden: {err}",
            path.display()
        )
    })?;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(format!(
            "Die Schlüsseldatei {} ist für andere lesbar (Rechte {mode:03o}); bitte mit \
             „chmod 600 {}“ auf den Eigentümer beschränken.",
            path.display(),
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_mode(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// Refuses a key path inside the project tree (it would end up in the repository).
fn refuse_inside_project(root: &Path, path: &Path) -> Result<(), String> {
    let resolve = |p: &Path| -> PathBuf {
        // The file may not exist yet: resolve its folder, keep its name.
        if let Ok(real) = std::fs::canonicalize(p) {
            return real;
        }
        match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                std::fs::canonicalize(parent)
                    .map(|real| real.join(name))
                    .unwrap_or_else(|_| p.to_path_buf())
            }
            _ => p.to_path_buf(),
        }
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let key = resolve(path);
    if key.starts_with(&root) {
        return Err(format!(
            "Die Schlüsseldatei {} liegt im Projektordner; dort geriete sie ins Repository. \
             Bitte serve.key_file auf einen Ort außerhalb des Projekts setzen \
             (z. B. /var/lib/ratsflow/links.key) oder weglassen.",
            path.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn created_with_mode_0600_and_read_back() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let project = tempfile::tempdir()?;
        let state = tempfile::tempdir()?;
        let path = state.path().join("ratsflow/projekt.key");
        let first = load_or_create(project.path(), &path)?;
        assert_eq!(first.bytes().len(), KEY_LEN);
        let mode = std::fs::metadata(&path)?.permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let second = load_or_create(project.path(), &path)?;
        assert_eq!(first.bytes(), second.bytes());
        Ok(())
    }

    #[test]
    fn refused_inside_the_project() -> Result<(), Box<dyn std::error::Error>> {
        let project = tempfile::tempdir()?;
        let path = project.path().join("state/links.key");
        let Err(message) = load_or_create(project.path(), &path) else {
            panic!("key inside the project accepted");
        };
        assert!(message.contains("liegt im Projektordner"), "{message}");
        assert!(!path.exists());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn refused_when_others_may_read() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let project = tempfile::tempdir()?;
        let state = tempfile::tempdir()?;
        let path = state.path().join("links.key");
        std::fs::write(&path, [1u8; KEY_LEN])?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))?;
        let Err(message) = load_or_create(project.path(), &path) else {
            panic!("readable key accepted");
        };
        assert!(
            message.contains("für andere lesbar (Rechte 640)"),
            "{message}"
        );
        assert!(!message.contains("\u{1}"), "{message}");
        Ok(())
    }
}
