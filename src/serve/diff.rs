//! A word diff of what a signer saw before and what the paper says now, per block (title,
//! proposal, facts …), with the `similar` crate. The result is data for the page template,
//! which marks removed words with `<del>` and new ones with `<ins>`.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::seen::Block;

/// A run of words that is unchanged (`same`), removed (`del`) or new (`ins`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Part {
    pub op: &'static str,
    pub text: String,
}

/// The changes of one block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockChange {
    pub label: String,
    pub parts: Vec<Part>,
}

/// The blocks that differ between `before` and `now`, in the order of `now` (blocks that
/// vanished come last).
pub fn changes(before: &[Block], now: &[Block]) -> Vec<BlockChange> {
    let mut out = Vec::new();
    for block in now {
        let old = before
            .iter()
            .find(|b| b.label == block.label)
            .map_or("", |b| b.text.as_str());
        if old != block.text {
            out.push(BlockChange {
                label: block.label.clone(),
                parts: words(old, &block.text),
            });
        }
    }
    for block in before {
        if !now.iter().any(|b| b.label == block.label) && !block.text.is_empty() {
            out.push(BlockChange {
                label: block.label.clone(),
                parts: words(&block.text, ""),
            });
        }
    }
    out
}

/// The word diff of two texts, runs of the same kind joined.
pub fn words(old: &str, new: &str) -> Vec<Part> {
    let diff = TextDiff::from_words(old, new);
    let mut parts: Vec<Part> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "del",
            ChangeTag::Insert => "ins",
        };
        match parts.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => parts.push(Part {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(label: &str, text: &str) -> Block {
        Block {
            label: label.into(),
            text: text.into(),
        }
    }

    #[test]
    fn changed_words_are_marked() {
        let parts = words(
            "Der Kreistag beschließt 3 Stellen.",
            "Der Kreistag beschließt 5 Stellen.",
        );
        let changed: Vec<(&str, &str)> = parts
            .iter()
            .filter(|p| p.op != "same")
            .map(|p| (p.op, p.text.as_str()))
            .collect();
        assert_eq!(changed, [("del", "3"), ("ins", "5")]);
    }

    #[test]
    fn only_changed_blocks_are_listed() {
        let before = [block("Titel", "A"), block("Sachverhalt", "alt")];
        let now = [block("Titel", "A"), block("Sachverhalt", "neu")];
        let found = changes(&before, &now);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].label, "Sachverhalt");
    }
}
