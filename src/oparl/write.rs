//! Writes the tree to `out/oparl/` as a whole: everything goes into a fresh folder beside it,
//! which then replaces the old one by two renames. A reader (a web server serving the folder)
//! sees either the old tree or the new one, never a mix; a crash leaves the old tree (or, in
//! the instant between the renames, the new one under its temporary name, which the next run
//! removes).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

/// Writes `documents` (relative path → JSON) and copies `copies` (relative path → source) into
/// `target`, replacing whatever was there. Returns the number of files written.
pub fn tree(
    target: &Path,
    documents: &BTreeMap<String, Value>,
    copies: &BTreeMap<String, PathBuf>,
) -> io::Result<usize> {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("oparl")
        .to_string();
    std::fs::create_dir_all(&parent)?;
    remove_leftovers(&parent, &name);
    let fresh = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&fresh);
    std::fs::create_dir_all(&fresh)?;
    let mut count = 0;
    let mut folders = Folders::default();
    for (rel, value) in documents {
        let path = inside(&fresh, rel)?;
        let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        bytes.push(b'\n');
        folders.create_for(&path)?;
        std::fs::write(&path, &bytes)?;
        count += 1;
    }
    for (rel, source) in copies {
        let path = inside(&fresh, rel)?;
        folders.create_for(&path)?;
        std::fs::copy(source, &path)?;
        count += 1;
    }
    if target.exists() {
        std::fs::rename(target, &old)?;
    }
    if let Err(err) = std::fs::rename(&fresh, target) {
        // Put the old tree back rather than leave none.
        let _ = std::fs::rename(&old, target);
        return Err(err);
    }
    let _ = std::fs::remove_dir_all(&old);
    crate::journal::sync_dir(&parent);
    Ok(count)
}

/// The folders created so far, so each is created once.
#[derive(Default)]
struct Folders(std::collections::HashSet<PathBuf>);

impl Folders {
    fn create_for(&mut self, path: &Path) -> io::Result<()> {
        if let Some(dir) = path.parent()
            && !self.0.contains(dir)
        {
            std::fs::create_dir_all(dir)?;
            self.0.insert(dir.to_path_buf());
        }
        Ok(())
    }
}

/// `rel` below `root`; an error for a path that would leave it.
fn inside(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel = Path::new(rel);
    if rel.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(root.join(rel))
    } else {
        Err(io::Error::other(format!(
            "ungültiger Pfad im OParl-Baum: {}",
            rel.display()
        )))
    }
}

/// Removes the temporary folders of runs that crashed.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_whole_tree_and_refuses_paths_outside() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("oparl");
        std::fs::create_dir_all(target.join("paper")).unwrap();
        std::fs::write(target.join("paper/alt.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join(".oparl.new-1")).unwrap();
        let mut documents = BTreeMap::new();
        documents.insert("system.json".to_string(), serde_json::json!({"id": "x"}));
        let written = tree(&target, &documents, &BTreeMap::new()).unwrap();
        assert_eq!(written, 1);
        assert!(target.join("system.json").exists());
        assert!(!target.join("paper/alt.json").exists());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["oparl".to_string()]);
        documents.insert("../evil.json".to_string(), serde_json::json!({}));
        assert!(tree(&target, &documents, &BTreeMap::new()).is_err());
        assert!(target.join("system.json").exists());
    }
}
