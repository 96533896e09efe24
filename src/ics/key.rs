//! The secret key behind the calendar tokens. It lives outside the project tree (a project is
//! usually a git repository, and whoever reads the key can compute every feed's address), is
//! created on first use with mode 0600 and is never printed or logged: [`Key`] shows no bytes.
//!
//! [`load_or_create`] is the one function that touches the key file. Where it lies, first that
//! wins: the environment variable `RATSFLOW_KEY_FILE`, the path the caller passes (a setting),
//! `$XDG_STATE_HOME/ratsflow/`, `~/.local/state/ratsflow/` — there named after a hash of the
//! project's absolute path, so two projects on one machine have two keys.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The environment variable naming the key file.
pub const KEY_FILE_ENV: &str = "RATSFLOW_KEY_FILE";

/// Octets of a new key; a key file with fewer is refused.
const KEY_OCTETS: usize = 32;

/// Octets of HMAC output kept in a token (≥ 128 bits), 22 characters of URL-safe base64.
const TOKEN_OCTETS: usize = 16;

/// Why the key cannot be used (German, names the file, never its content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KeyError {}

/// The key material. Its `Debug` output shows no byte of it.
#[derive(Clone)]
pub struct Key(Vec<u8>);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(verborgen)")
    }
}

impl Key {
    /// A key from given bytes (tests, and the web service once it shares this key).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Key(bytes.to_vec())
    }

    /// The token of a subject (`person:ID`, `body:ID`): HMAC-SHA256 under the key, the first
    /// 128 bits as URL-safe base64 without padding. Stable for the same key and subject.
    pub fn token(&self, subject: &str) -> String {
        // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => return String::new(),
        };
        mac.update(subject.as_bytes());
        let digest = mac.finalize().into_bytes();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..TOKEN_OCTETS])
    }
}

/// Where the key of the project at `root` lies (see the module documentation). `setting` is
/// the path a project setting names; `env` reads an environment variable.
pub fn path_for(
    root: &Path,
    setting: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<PathBuf, KeyError> {
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty()).map(PathBuf::from);
    if let Some(path) = given(env(KEY_FILE_ENV)) {
        return Ok(path);
    }
    if let Some(path) = setting {
        return Ok(path.to_path_buf());
    }
    let state = given(env("XDG_STATE_HOME"))
        .filter(|p| p.is_absolute())
        .or_else(|| given(env("HOME")).map(|home| home.join(".local/state")))
        .ok_or_else(|| {
            KeyError(format!(
                "kein Ort für den Schlüssel der Kalender: weder {KEY_FILE_ENV} noch XDG_STATE_HOME noch HOME ist gesetzt"
            ))
        })?;
    let absolute = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let hash = hex(&Sha256::digest(absolute.as_os_str().as_encoded_bytes()));
    let name = absolute
        .file_name()
        .map(|n| crate::output::ascii_name_or(&n.to_string_lossy(), "projekt"))
        .unwrap_or_else(|| "projekt".to_string());
    Ok(state
        .join("ratsflow")
        .join(format!("{name}-{}.key", &hash[..16])))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the key of the project at `root`, creating it (mode 0600, in a folder of mode 0700)
/// when there is none yet. Refuses a key file inside the project, one that others may read,
/// and one that is too short.
pub fn load_or_create(root: &Path, setting: Option<&Path>) -> Result<(Key, PathBuf), KeyError> {
    let path = path_for(root, setting, &|name| std::env::var(name).ok())?;
    let key = load_or_create_at(&path, root)?;
    Ok((key, path))
}

/// The one function that reads or creates a key file: the key at `path` for the project at
/// `root` (see [`load_or_create`]).
pub fn load_or_create_at(path: &Path, root: &Path) -> Result<Key, KeyError> {
    let shown = path.display().to_string();
    if inside(path, root) {
        return Err(KeyError(format!(
            "der Schlüssel der Kalender ({shown}) darf nicht im Projektordner liegen: wer ihn liest, kennt alle Kalenderadressen"
        )));
    }
    if !path.exists() {
        create(path).map_err(|e| {
            KeyError(format!(
                "der Schlüssel der Kalender lässt sich nicht anlegen ({shown}): {e}"
            ))
        })?;
    }
    check_private(path)?;
    let bytes = std::fs::read(path).map_err(|e| {
        KeyError(format!(
            "der Schlüssel der Kalender lässt sich nicht lesen ({shown}): {e}"
        ))
    })?;
    let material = bytes.trim_ascii();
    if material.len() < KEY_OCTETS {
        return Err(KeyError(format!(
            "der Schlüssel der Kalender ({shown}) ist zu kurz (mindestens {KEY_OCTETS} Zeichen); löschen Sie die Datei, dann wird ein neuer angelegt — alle Kalenderadressen ändern sich"
        )));
    }
    Ok(Key(material.to_vec()))
}

/// Whether `path` lies below the project folder `root` (both made absolute as far as they
/// exist).
fn inside(path: &Path, root: &Path) -> bool {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let absolute = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
            std::fs::canonicalize(parent).map_or_else(|_| path.to_path_buf(), |p| p.join(name))
        }
        _ => std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path)),
    };
    absolute.starts_with(&root)
}

/// A new key: random octets, URL-safe base64, written whole to a private temporary file and
/// linked into place only if no other process made the key in the meantime.
fn create(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    make_private_dir(dir)?;
    let mut random = [0u8; KEY_OCTETS];
    getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random);
    // tempfile creates its files with mode 0600.
    let mut temp = tempfile::Builder::new()
        .prefix(".ratsflow-key-")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.write_all(b"\n")?;
    temp.as_file().sync_all()?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        // Another process created it first: use that one.
        Err(err) if path.exists() => {
            drop(err);
            Ok(())
        }
        Err(err) => Err(err.error),
    }
}

fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Refuses a key file that group or others may read or write.
fn check_private(path: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| {
                KeyError(format!(
                    "der Schlüssel der Kalender lässt sich nicht lesen ({}): {e}",
                    path.display()
                ))
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(KeyError(format!(
                "der Schlüssel der Kalender ({}) ist für andere lesbar (Modus {:o}); erlauben Sie nur dem Eigentümer den Zugriff: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
