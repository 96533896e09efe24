//! Applies adopted amendments to the base paper's proposal to give the decision draft.
//!
//! Changes address the *original* numbering of the base proposal, so their effect does not
//! depend on the order of points already changed. Two adopted amendments that touch the same
//! point are a conflict: the first one decided is applied, the other is reported, never merged.

use std::collections::HashMap;

use crate::journal::{Entry, Event};
use crate::model::{ChangeOp, Paper, Point};

/// One point of the decision draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftPoint {
    pub number: usize,
    pub text: String,
    /// Its sub-points (a), b), …), from the base proposal or from the Ziffer that set it.
    pub points: Vec<Point>,
    /// The amendment paper id that changed or added this point.
    pub changed_by: Option<String>,
    /// What that amendment did: "replace", "insert", "append".
    pub change: Option<&'static str>,
}

/// Two adopted amendments touching the same point of the base proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub point: usize,
    /// Applied (decided first).
    pub first: String,
    /// Not applied.
    pub second: String,
}

impl Conflict {
    /// German description.
    pub fn message(&self) -> String {
        format!(
            "die beschlossenen Anträge „{}“ und „{}“ ändern beide Punkt {}; angewendet ist nur „{}“, bitte klären",
            self.first, self.second, self.point, self.first
        )
    }
}

/// The decision draft of a base paper.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub points: Vec<DraftPoint>,
    /// Deleted base points with the amendment that deleted them.
    pub deleted: Vec<(usize, String)>,
    pub conflicts: Vec<Conflict>,
    /// Amendment ids applied, in order.
    pub applied: Vec<String>,
    /// Adopted changes of Anlagen: (Anlage number, text, amendment id), in order.
    pub attachments: Vec<(usize, String, String)>,
    /// Adopted independent requests: (text, amendment id), in order.
    pub requests: Vec<(String, String)>,
}

/// The adopted amendment ids recorded in a base paper's journal, in the order decided.
pub fn adopted_amendments(base_journal: &[Entry]) -> Vec<String> {
    let mut adopted: Vec<String> = Vec::new();
    for entry in base_journal.iter().filter(|e| e.event == Event::Decided) {
        for vote in &entry.amendments {
            adopted.retain(|id| id != &vote.paper);
            if vote.adopted {
                adopted.push(vote.paper.clone());
            }
        }
    }
    adopted
}

enum Slot {
    Keep,
    Replaced(Point, String),
    Deleted(String),
}

/// Applies `amendments` (adopted, in order) to `base`'s proposal.
pub fn decision_draft(base: &Paper, amendments: &[&Paper]) -> Draft {
    let count = base.proposal.len();
    let mut slots: Vec<Slot> = (0..count).map(|_| Slot::Keep).collect();
    let mut inserts: Vec<Vec<(Point, String)>> = vec![Vec::new(); count + 1];
    let mut appends: Vec<(Point, String)> = Vec::new();
    let mut touched: HashMap<usize, String> = HashMap::new();
    let mut draft = Draft::default();
    for amendment in amendments {
        let id = amendment.id.clone();
        for change in &amendment.changes {
            if let Some(point) = change.point() {
                match touched.get(&point) {
                    Some(first) if first != &id => {
                        let conflict = Conflict {
                            point,
                            first: first.clone(),
                            second: id.clone(),
                        };
                        if !draft.conflicts.contains(&conflict) {
                            draft.conflicts.push(conflict);
                        }
                        continue;
                    }
                    _ => {
                        touched.insert(point, id.clone());
                    }
                }
            }
            let text = change.text.clone().unwrap_or_default();
            let point = Point {
                text: text.clone(),
                points: change.points.clone(),
            };
            match change.op {
                ChangeOp::Replace(n) if (1..=count).contains(&n) => {
                    slots[n - 1] = Slot::Replaced(point, id.clone())
                }
                ChangeOp::Delete(n) if (1..=count).contains(&n) => {
                    slots[n - 1] = Slot::Deleted(id.clone())
                }
                ChangeOp::Insert(n) if (1..=count + 1).contains(&n) => {
                    inserts[n - 1].push((point, id.clone()))
                }
                ChangeOp::Append => appends.push((point, id.clone())),
                ChangeOp::Attachment(n) => draft.attachments.push((n, text, id.clone())),
                ChangeOp::Request => draft.requests.push((text, id.clone())),
                _ => {}
            }
        }
        draft.applied.push(id);
    }
    let mut points: Vec<DraftPoint> = Vec::new();
    let mut push = |point: Point, changed_by: Option<String>, change: Option<&'static str>| {
        let number = points.len() + 1;
        points.push(DraftPoint {
            number,
            text: point.text,
            points: point.points,
            changed_by,
            change,
        });
    };
    for (index, slot) in slots.into_iter().enumerate() {
        for (point, by) in std::mem::take(&mut inserts[index]) {
            push(point, Some(by), Some("insert"));
        }
        match slot {
            Slot::Keep => {
                let kept = Point {
                    text: base.proposal[index].clone(),
                    points: base
                        .proposal_points
                        .get(index)
                        .map(|p| p.points.clone())
                        .unwrap_or_default(),
                };
                push(kept, None, None)
            }
            Slot::Replaced(point, by) => push(point, Some(by), Some("replace")),
            Slot::Deleted(by) => draft.deleted.push((index + 1, by)),
        }
    }
    for (point, by) in std::mem::take(&mut inserts[count]) {
        push(point, Some(by), Some("insert"));
    }
    for (point, by) in appends {
        push(point, Some(by), Some("append"));
    }
    draft.points = points;
    draft
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;
    use crate::model::Change;

    fn paper(id: &str, proposal: &[&str], changes: Vec<Change>) -> Paper {
        let mut raw: RawPaper =
            serde_yaml::from_str("kind: Beschlussvorlage\nworkflow: w\ntitle: T\n").unwrap();
        raw.proposal = proposal.iter().map(|s| s.to_string()).collect();
        Paper::with_builtin_kind(id.into(), raw, changes)
    }

    fn change(op: ChangeOp, text: Option<&str>) -> Change {
        Change {
            op,
            text: text.map(str::to_string),
            points: Vec::new(),
        }
    }

    #[test]
    fn each_kind_of_ziffer_lands_where_it_belongs() {
        let base = paper("b", &["eins", "zwei", "drei"], Vec::new());
        let motion = paper(
            "m",
            &[],
            vec![
                change(ChangeOp::Replace(1), Some("eins neu")),
                change(ChangeOp::Delete(2), None),
                change(ChangeOp::Insert(3), Some("vor drei")),
                change(ChangeOp::Append, Some("am Ende")),
                change(ChangeOp::Attachment(2), Some("Anlage 2 um Tabelle ergänzt")),
                change(ChangeOp::Request, Some("Bericht in sechs Monaten")),
            ],
        );
        let draft = decision_draft(&base, &[&motion]);
        let points: Vec<(usize, &str, Option<&str>)> = draft
            .points
            .iter()
            .map(|p| (p.number, p.text.as_str(), p.change))
            .collect();
        assert_eq!(
            points,
            [
                (1, "eins neu", Some("replace")),
                (2, "vor drei", Some("insert")),
                (3, "drei", None),
                (4, "am Ende", Some("append")),
            ]
        );
        assert_eq!(draft.deleted, [(2, "m".to_string())]);
        assert_eq!(
            draft.attachments,
            [(
                2,
                "Anlage 2 um Tabelle ergänzt".to_string(),
                "m".to_string()
            )]
        );
        assert_eq!(
            draft.requests,
            [("Bericht in sechs Monaten".to_string(), "m".to_string())]
        );
        assert!(draft.conflicts.is_empty());
    }
}
