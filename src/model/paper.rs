//! A paper (Drucksache): the submission itself, with its content hash.

use sha2::{Digest, Sha256};

use crate::load::raw::RawPaper;

/// What an amendment does to one numbered point of the base proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    Replace(usize),
    Insert(usize),
    Delete(usize),
    Append,
}

/// One change of an amendment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub op: ChangeOp,
    pub text: Option<String>,
}

impl Change {
    /// The base proposal point this change touches, if any (appends touch none).
    pub fn point(&self) -> Option<usize> {
        match self.op {
            ChangeOp::Replace(n) | ChangeOp::Insert(n) | ChangeOp::Delete(n) => Some(n),
            ChangeOp::Append => None,
        }
    }

    /// German heading of the change as a Fraktion writes it.
    pub fn label(&self) -> String {
        match self.op {
            ChangeOp::Replace(n) => format!("Änderung des Beschlussvorschlages in Punkt {n}"),
            ChangeOp::Insert(n) => format!("Neuer Punkt {n} zum Beschlussvorschlag"),
            ChangeOp::Delete(n) => format!("Streichung von Punkt {n} des Beschlussvorschlages"),
            ChangeOp::Append => "Neuer Punkt zum Beschlussvorschlag".to_string(),
        }
    }

    /// The operation's key word (replace, insert, delete, append).
    pub fn op_name(&self) -> &'static str {
        match self.op {
            ChangeOp::Replace(_) => "replace",
            ChangeOp::Insert(_) => "insert",
            ChangeOp::Delete(_) => "delete",
            ChangeOp::Append => "append",
        }
    }
}

/// A validated paper.
#[derive(Clone, Debug)]
pub struct Paper {
    /// The file stem under `papers/`.
    pub id: String,
    pub data: RawPaper,
    pub changes: Vec<Change>,
    /// SHA-256 of the content a signatory approves (everything but the meeting dates).
    pub content_hash: String,
}

impl Paper {
    /// Builds a paper and computes its content hash.
    pub fn new(id: String, data: RawPaper, changes: Vec<Change>) -> Self {
        let content_hash = content_hash(&data);
        Paper { id, data, changes, content_hash }
    }

    /// The reference number, or the id when the paper has none yet.
    pub fn reference(&self) -> &str {
        self.data.reference.as_deref().unwrap_or(&self.id)
    }

    /// Whether the paper is an amendment motion against another paper.
    pub fn is_amendment(&self) -> bool {
        self.data.amends.is_some()
    }

    /// Short form of the content hash for messages.
    pub fn short_hash(&self) -> &str {
        self.content_hash.get(7..15).unwrap_or(&self.content_hash)
    }
}

/// Hash of the content a signature binds to. Meeting dates are scheduling, not content, so a
/// rescheduled session does not invalidate signatures.
pub fn content_hash(data: &RawPaper) -> String {
    let mut content = data.clone();
    content.meetings.clear();
    let bytes = serde_json::to_vec(&content).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}
