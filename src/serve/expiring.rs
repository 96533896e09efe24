//! A small map whose entries expire, kept in memory and mirrored to one JSON file under
//! `state/web/` so it survives a restart of the service: the sessions of logged-in people and
//! the login links already used.
//!
//! The file is local to the machine (ignored by git like `state/seen/`), not the audit trail.
//! It is written atomically ([`crate::atomic::write`]) after every change, with expired
//! entries left out; a file that cannot be read starts an empty map with a warning (people log
//! in again; a used login link has expired by then anyway, since links live 15 minutes and a
//! lost file is noticed at start).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Held<T> {
    /// Unix seconds.
    expires: i64,
    value: T,
}

/// Entries by key, each with its end.
pub struct Expiring<T> {
    path: PathBuf,
    entries: Mutex<HashMap<String, Held<T>>>,
}

impl<T: Clone + Serialize + DeserializeOwned> Expiring<T> {
    /// Reads `path` if it is there.
    pub fn load(path: &Path) -> Self {
        let entries = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                eprintln!(
                    "Warnung: {} ist nicht lesbar ({err}); sie wird neu angelegt.",
                    path.display()
                );
                HashMap::new()
            }),
            Err(_) => HashMap::new(),
        };
        Expiring {
            path: path.to_path_buf(),
            entries: Mutex::new(entries),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Held<T>>> {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value under `key` if it has not expired at `now`.
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Option<T> {
        let entries = self.lock();
        let held = entries.get(key)?;
        (held.expires > now.timestamp()).then(|| held.value.clone())
    }

    /// Adds `key` unless it is there and unexpired; `Ok(false)` then. Written to the file
    /// before it counts: when the file cannot be written, nothing is added.
    pub fn insert_new(
        &self,
        key: &str,
        value: T,
        expires: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> std::io::Result<bool> {
        let mut entries = self.lock();
        if entries
            .get(key)
            .is_some_and(|held| held.expires > now.timestamp())
        {
            return Ok(false);
        }
        entries.retain(|_, held| held.expires > now.timestamp());
        entries.insert(
            key.to_string(),
            Held {
                expires: expires.timestamp(),
                value,
            },
        );
        if let Err(err) = self.save(&entries) {
            entries.remove(key);
            return Err(err);
        }
        Ok(true)
    }

    /// Removes `key`.
    pub fn remove(&self, key: &str) -> std::io::Result<()> {
        let mut entries = self.lock();
        if entries.remove(key).is_some() {
            self.save(&entries)?;
        }
        Ok(())
    }

    fn save(&self, entries: &HashMap<String, Held<T>>) -> std::io::Result<()> {
        if let Some(folder) = self.path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let bytes = serde_json::to_vec(entries).map_err(std::io::Error::other)?;
        crate::atomic::write(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn survives_a_restart_and_expires() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("web/used.json");
        let map: Expiring<String> = Expiring::load(&path);
        assert!(map.insert_new("a", "eins".into(), at(100), at(10))?);
        assert!(!map.insert_new("a", "zwei".into(), at(100), at(20))?);
        let again: Expiring<String> = Expiring::load(&path);
        assert_eq!(again.get("a", at(50)).as_deref(), Some("eins"));
        assert_eq!(again.get("a", at(100)), None);
        assert!(again.insert_new("a", "drei".into(), at(300), at(150))?);
        again.remove("a")?;
        assert_eq!(Expiring::<String>::load(&path).get("a", at(160)), None);
        Ok(())
    }

    #[test]
    fn a_broken_file_starts_empty() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sessions.json");
        std::fs::write(&path, b"{kaputt")?;
        let map: Expiring<String> = Expiring::load(&path);
        assert_eq!(map.get("a", at(1)), None);
        assert!(map.insert_new("a", "x".into(), at(100), at(1))?);
        Ok(())
    }
}
