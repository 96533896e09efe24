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

    /// German heading of the change as a Fraktion writes it; `number` is the number an
    /// appended point gets in the amended proposal.
    pub fn label(&self, number: Option<usize>) -> String {
        match (&self.op, number) {
            (ChangeOp::Replace(n), _) => format!("Änderung des Beschlussvorschlages in Punkt {n}"),
            (ChangeOp::Insert(n), _) => format!("Neuer Punkt {n} zum Beschlussvorschlag"),
            (ChangeOp::Delete(n), _) => {
                format!("Streichung von Punkt {n} des Beschlussvorschlages")
            }
            (ChangeOp::Append, Some(n)) => format!("Neuer Punkt {n} zum Beschlussvorschlag"),
            (ChangeOp::Append, None) => "Neuer Punkt zum Beschlussvorschlag".to_string(),
        }
    }

    /// Headings of all changes of one amendment against a base proposal of `base_len` points.
    pub fn labels(changes: &[Change], base_len: usize) -> Vec<String> {
        let inserted = changes
            .iter()
            .filter(|c| matches!(c.op, ChangeOp::Insert(_)))
            .count();
        let deleted = changes
            .iter()
            .filter(|c| matches!(c.op, ChangeOp::Delete(_)))
            .count();
        let mut next = (base_len + inserted).saturating_sub(deleted);
        changes
            .iter()
            .map(|change| {
                if change.op == ChangeOp::Append {
                    next += 1;
                    change.label(Some(next))
                } else {
                    change.label(None)
                }
            })
            .collect()
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
        Paper {
            id,
            data,
            changes,
            content_hash,
        }
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
/// rescheduled session does not invalidate signatures. Empty values (none, false, empty lists)
/// are left out, so adding an optional field to the schema does not change any existing hash.
pub fn content_hash(data: &RawPaper) -> String {
    let mut value = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("meetings");
    }
    let canonical = prune(value).unwrap_or(serde_json::Value::Null);
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Drops nulls, `false`, empty strings, lists and maps; keys stay sorted (serde_json's map).
fn prune(value: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    match value {
        Value::Null | Value::Bool(false) => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|v| prune(v).unwrap_or(Value::Null))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_meetings_and_empty_fields_but_not_content() {
        let raw: RawPaper =
            serde_yaml::from_str("kind: Beschlussvorlage\nworkflow: w\ntitle: T\nproposal: [a]\n")
                .unwrap();
        let base = content_hash(&raw);
        let mut empty_extra = raw.clone();
        empty_extra.attachments = Vec::new();
        empty_extra.proposal_reconstructed = false;
        assert_eq!(content_hash(&empty_extra), base);
        let mut changed = raw.clone();
        changed.proposal[0] = "b".into();
        assert_ne!(content_hash(&changed), base);
        // Pinned: a change of this value invalidates every signature ever recorded.
        assert_eq!(
            base,
            "sha256:721da291d47a85ffa6d645a7eebe9110047636f472d812a733531b4483e78d8d"
        );
    }
}
