//! What a person last saw of a paper on the sign page, so the next visit can show what changed
//! in between: `state/seen/<paper>/<person>.json` (ignored by git like `state/outbox/`; it is a
//! convenience, not the audit trail — losing it only means the next visit shows no changes).
//!
//! Written atomically ([`crate::atomic::write`]): a crash leaves the old or the new version,
//! never half a file. A file that cannot be read is treated as "never seen".

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::project::Folders;

/// One block of text as shown: a label and its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub label: String,
    pub text: String,
}

/// What was seen, and when (German date and time as shown).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub at: String,
    pub blocks: Vec<Block>,
}

fn path(folders: &Folders, paper: &str, person: &str) -> PathBuf {
    folders
        .state
        .join("seen")
        .join(paper)
        .join(format!("{person}.json"))
}

/// The last version `person` saw of `paper`, if any.
pub fn read(folders: &Folders, paper: &str, person: &str) -> Option<Seen> {
    let text = std::fs::read_to_string(path(folders, paper, person)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Remembers what `person` sees now.
pub fn write(folders: &Folders, paper: &str, person: &str, seen: &Seen) -> std::io::Result<()> {
    let path = path(folders, paper, person);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let text = serde_json::to_vec_pretty(seen).map_err(std::io::Error::other)?;
    // A convenience for the reader, not a record: atomic, but not forced to disk.
    crate::atomic::write_with(&path, &text, crate::atomic::Durability::Relaxed)
}
