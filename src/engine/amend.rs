//! Applies adopted amendments to the base paper's proposal to give the decision draft.
//!
//! Changes address the *original* numbering of the base proposal, so their effect does not
//! depend on the order of points already changed. A change may address a sub-point of a point
//! (`replace: 2.b`): the point keeps its text and its other sub-points. Two adopted amendments
//! that touch the same point, the same sub-point, or a point and one of its sub-points are a
//! conflict: the first one decided is applied, the other is reported, never merged.

use std::collections::HashMap;

use crate::journal::{Entry, Event};
use crate::model::{ChangeOp, NumberStyle, Paper, Point};

/// A sub-point a motion changed or inserted: its index among the point's sub-points in the
/// draft, the amendment id, and "replace" or "insert".
pub type SubChange = (usize, String, &'static str);

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
    /// Sub-points a motion changed or inserted in a point kept otherwise: their index in
    /// `points`, the amendment id, and "replace" or "insert".
    pub sub_changes: Vec<SubChange>,
}

/// Two adopted amendments touching the same point (or sub-point) of the base proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub point: usize,
    /// The sub-point both touch, as the base proposal labels it („b)“); none when one of them
    /// touches the whole point.
    pub sub: Option<String>,
    /// Applied (decided first).
    pub first: String,
    /// Not applied.
    pub second: String,
}

impl Conflict {
    /// German description.
    pub fn message(&self) -> String {
        let place = match &self.sub {
            Some(sub) => format!("{} {sub}", self.point),
            None => self.point.to_string(),
        };
        format!(
            "die beschlossenen Anträge „{}“ und „{}“ ändern beide Punkt {place}; angewendet ist nur „{}“, bitte klären",
            self.first, self.second, self.first
        )
    }
}

/// The decision draft of a base paper.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub points: Vec<DraftPoint>,
    /// Deleted base points with the amendment that deleted them.
    pub deleted: Vec<(usize, String)>,
    /// Deleted sub-points: (point, sub-point, both as the base numbers them, amendment id).
    pub deleted_sub_points: Vec<(usize, usize, String)>,
    pub conflicts: Vec<Conflict>,
    /// Amendment ids applied, in order.
    pub applied: Vec<String>,
    /// Adopted changes of Anlagen: (Anlage number, text, amendment id), in order.
    pub attachments: Vec<(usize, String, String)>,
    /// Adopted independent requests: (text, amendment id), in order.
    pub requests: Vec<(String, String)>,
}

impl Draft {
    /// „Punkt 2 gestrichen durch …“, „Punkt 2 b) gestrichen durch …“: the deleted points and
    /// sub-points in the base proposal's order, `style` its numbering, `by` the label of an
    /// amendment id.
    pub fn deleted_lines(&self, style: NumberStyle, by: impl Fn(&str) -> String) -> Vec<String> {
        let mut lines: Vec<((usize, usize), String)> = self
            .deleted
            .iter()
            .map(|(n, id)| ((*n, 0), format!("Punkt {n} gestrichen durch {}", by(id))))
            .chain(self.deleted_sub_points.iter().map(|(n, sub, id)| {
                let label = style.label(1, *sub);
                (
                    (*n, *sub),
                    format!("Punkt {n} {label} gestrichen durch {}", by(id)),
                )
            }))
            .collect();
        lines.sort_by_key(|(place, _)| *place);
        lines.into_iter().map(|(_, line)| line).collect()
    }
}

/// The adopted amendment ids recorded in a base paper's journal, in the order decided.
pub fn adopted_amendments(base_journal: &[Entry]) -> Vec<String> {
    let mut adopted: Vec<String> = Vec::new();
    for entry in base_journal.iter().filter(|e| e.event == Event::Decided) {
        for vote in entry.amendments() {
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

/// A point of the base proposal as the draft changes it.
struct Place {
    slot: Slot,
    /// Its sub-points, each kept, replaced or deleted.
    subs: Vec<Slot>,
    /// Sub-points inserted before each sub-point (the last entry: after the last).
    sub_inserts: Vec<Vec<(Point, String)>>,
}

/// Which motion touched which places first, to find conflicts.
#[derive(Default)]
struct Touched(HashMap<usize, Vec<(Option<usize>, String)>>);

impl Touched {
    /// The conflict of motion `id` touching point `n` (sub-point `sub`) with one applied
    /// before, or `None` after noting the touch.
    fn touch(&mut self, n: usize, sub: Option<usize>, id: &str) -> Option<(Option<usize>, String)> {
        let touches = self.0.entry(n).or_default();
        let clash = touches.iter().find(|(other, first)| {
            first != id && (other.is_none() || sub.is_none() || *other == sub)
        });
        if let Some((other, first)) = clash {
            let both = other.and(sub);
            return Some((both, first.clone()));
        }
        touches.push((sub, id.to_string()));
        None
    }
}

/// Applies `amendments` (adopted, in order) to `base`'s proposal.
pub fn decision_draft(base: &Paper, amendments: &[&Paper]) -> Draft {
    let count = base.proposal.len();
    let sub_count = |index: usize| {
        base.proposal_points
            .get(index)
            .map_or(0, |p| p.points.len())
    };
    let mut places: Vec<Place> = (0..count)
        .map(|index| Place {
            slot: Slot::Keep,
            subs: (0..sub_count(index)).map(|_| Slot::Keep).collect(),
            sub_inserts: vec![Vec::new(); sub_count(index) + 1],
        })
        .collect();
    let mut inserts: Vec<Vec<(Point, String)>> = vec![Vec::new(); count + 1];
    let mut appends: Vec<(Point, String)> = Vec::new();
    let mut touched = Touched::default();
    let mut draft = Draft::default();
    for amendment in amendments {
        let id = amendment.id.clone();
        for change in &amendment.changes {
            if let Some(point) = change.point()
                && let Some((sub, first)) = touched.touch(point, change.sub, &id)
            {
                let conflict = Conflict {
                    point,
                    sub: sub.map(|s| base.numbering.label(1, s)),
                    first,
                    second: id.clone(),
                };
                if !draft.conflicts.contains(&conflict) {
                    draft.conflicts.push(conflict);
                }
                continue;
            }
            let text = change.text.clone().unwrap_or_default();
            let point = Point {
                text: text.clone(),
                points: change.points.clone(),
            };
            if let Some(sub) = change.sub {
                apply_to_sub_point(&mut places, &change.op, sub, point, &id);
                continue;
            }
            match change.op {
                ChangeOp::Replace(n) if (1..=count).contains(&n) => {
                    places[n - 1].slot = Slot::Replaced(point, id.clone())
                }
                ChangeOp::Delete(n) if (1..=count).contains(&n) => {
                    places[n - 1].slot = Slot::Deleted(id.clone())
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
    let mut kept_changes: Vec<(usize, Vec<SubChange>)> = Vec::new();
    let mut push = |point: Point, changed_by: Option<String>, change: Option<&'static str>| {
        let number = points.len() + 1;
        points.push(DraftPoint {
            number,
            text: point.text,
            points: point.points,
            changed_by,
            change,
            sub_changes: Vec::new(),
        });
        points.len() - 1
    };
    for (index, place) in places.into_iter().enumerate() {
        for (point, by) in std::mem::take(&mut inserts[index]) {
            push(point, Some(by), Some("insert"));
        }
        let Place {
            slot,
            subs,
            sub_inserts,
        } = place;
        match slot {
            Slot::Keep => {
                let (kept, sub_changes) = kept_point(base, index, subs, sub_inserts, &mut draft);
                let at = push(kept, None, None);
                kept_changes.push((at, sub_changes));
            }
            Slot::Replaced(point, by) => {
                push(point, Some(by), Some("replace"));
            }
            Slot::Deleted(by) => draft.deleted.push((index + 1, by)),
        }
    }
    for (point, by) in std::mem::take(&mut inserts[count]) {
        push(point, Some(by), Some("insert"));
    }
    for (point, by) in appends {
        push(point, Some(by), Some("append"));
    }
    for (at, sub_changes) in kept_changes {
        if let Some(point) = points.get_mut(at) {
            point.sub_changes = sub_changes;
        }
    }
    draft.points = points;
    draft
}

/// Notes a change of sub-point `sub` (1-based) of the point the operation names; places the
/// base proposal does not have are left alone (`check` reports them).
fn apply_to_sub_point(places: &mut [Place], op: &ChangeOp, sub: usize, point: Point, id: &str) {
    let (ChangeOp::Replace(n) | ChangeOp::Insert(n) | ChangeOp::Delete(n)) = *op else {
        return;
    };
    let Some(place) = n.checked_sub(1).and_then(|i| places.get_mut(i)) else {
        return;
    };
    let Some(index) = sub.checked_sub(1) else {
        return;
    };
    match op {
        ChangeOp::Insert(_) => {
            if let Some(before) = place.sub_inserts.get_mut(index) {
                before.push((point, id.to_string()));
            }
        }
        ChangeOp::Replace(_) => {
            if let Some(slot) = place.subs.get_mut(index) {
                *slot = Slot::Replaced(point, id.to_string());
            }
        }
        _ => {
            if let Some(slot) = place.subs.get_mut(index) {
                *slot = Slot::Deleted(id.to_string());
            }
        }
    }
}

/// A base point kept as a whole, with its sub-points as the motions changed them, and which
/// of them a motion changed or inserted.
fn kept_point(
    base: &Paper,
    index: usize,
    subs: Vec<Slot>,
    sub_inserts: Vec<Vec<(Point, String)>>,
    draft: &mut Draft,
) -> (Point, Vec<SubChange>) {
    let original = base.proposal_points.get(index);
    let mut points: Vec<Point> = Vec::new();
    let mut changes: Vec<SubChange> = Vec::new();
    let mut inserts = sub_inserts.into_iter();
    for (sub, slot) in subs.into_iter().enumerate() {
        for (point, by) in inserts.next().unwrap_or_default() {
            changes.push((points.len(), by, "insert"));
            points.push(point);
        }
        match slot {
            Slot::Keep => {
                if let Some(kept) = original.and_then(|p| p.points.get(sub)) {
                    points.push(kept.clone());
                }
            }
            Slot::Replaced(point, by) => {
                changes.push((points.len(), by, "replace"));
                points.push(point);
            }
            Slot::Deleted(by) => draft.deleted_sub_points.push((index + 1, sub + 1, by)),
        }
    }
    for (point, by) in inserts.flatten() {
        changes.push((points.len(), by, "insert"));
        points.push(point);
    }
    let point = Point {
        text: base.proposal.get(index).cloned().unwrap_or_default(),
        points,
    };
    (point, changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;
    use crate::model::{Change, NumberStyle};

    fn paper(id: &str, proposal: &[&str], changes: Vec<Change>) -> Paper {
        let mut raw: RawPaper =
            serde_yaml::from_str("kind: Beschlussvorlage\nworkflow: w\ntitle: T\n").unwrap();
        raw.proposal = proposal.iter().map(|s| s.to_string()).collect();
        Paper::with_builtin_kind(id.into(), raw, changes)
    }

    fn change(op: ChangeOp, text: Option<&str>) -> Change {
        Change {
            op,
            sub: None,
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

    /// Point 2 with the sub-points a) to c), in the style `style`.
    fn with_sub_points(style: &str) -> Paper {
        let yaml = format!(
            "kind: Beschlussvorlage\nworkflow: w\ntitle: T\nproposal:\n  style: \"{style}\"\n  points:\n    - eins\n    - text: zwei\n      points: [zwei a, zwei b, zwei c]\n    - drei\n"
        );
        let raw: RawPaper = serde_yaml::from_str(&yaml).unwrap();
        Paper::with_builtin_kind("b".into(), raw, Vec::new())
    }

    fn sub(op: ChangeOp, sub: usize, text: Option<&str>) -> Change {
        Change {
            sub: Some(sub),
            ..change(op, text)
        }
    }

    /// (number, text, sub-point texts, sub-point changes) of each point of the draft.
    type Shape = (usize, String, Vec<String>, Vec<SubChange>);

    fn shape(draft: &Draft) -> Vec<Shape> {
        draft
            .points
            .iter()
            .map(|p| {
                (
                    p.number,
                    p.text.clone(),
                    p.points.iter().map(|s| s.text.clone()).collect(),
                    p.sub_changes.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_sub_point_is_replaced_deleted_or_inserted_in_place() {
        let base = with_sub_points("1.");
        let motion = paper(
            "m",
            &[],
            vec![
                sub(ChangeOp::Replace(2), 2, Some("zwei b neu")),
                sub(ChangeOp::Delete(2), 1, None),
                sub(ChangeOp::Insert(2), 4, Some("zwei d")),
            ],
        );
        let draft = decision_draft(&base, &[&motion]);
        let texts = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shape(&draft),
            [
                (1, "eins".to_string(), Vec::new(), Vec::new()),
                (
                    2,
                    "zwei".to_string(),
                    texts(&["zwei b neu", "zwei c", "zwei d"]),
                    vec![
                        (0, "m".to_string(), "replace"),
                        (2, "m".to_string(), "insert")
                    ]
                ),
                (3, "drei".to_string(), Vec::new(), Vec::new()),
            ]
        );
        // The point itself is unchanged; only its sub-points are.
        assert_eq!(draft.points[1].changed_by, None);
        assert!(draft.deleted.is_empty());
        assert_eq!(draft.deleted_sub_points, [(2, 1, "m".to_string())]);
        assert_eq!(
            draft.deleted_lines(base.numbering, |id| format!("Antrag {id}")),
            ["Punkt 2 a) gestrichen durch Antrag m"]
        );
        assert!(draft.conflicts.is_empty());
    }

    #[test]
    fn sub_points_are_named_in_the_base_proposals_style() {
        let base = with_sub_points("a)");
        let motion = paper("m", &[], vec![sub(ChangeOp::Delete(2), 2, None)]);
        let draft = decision_draft(&base, &[&motion]);
        assert_eq!(
            draft.deleted_lines(base.numbering, str::to_string),
            ["Punkt 2 bb) gestrichen durch m"]
        );
        let change = &motion.changes[0];
        assert_eq!(
            change.label(None, base.numbering),
            "Streichung von Punkt 2 bb) des Beschlussvorschlages"
        );
        let arabic = NumberStyle::Arabic;
        assert_eq!(
            change.label(None, arabic),
            "Streichung von Punkt 2 b) des Beschlussvorschlages"
        );
        assert_eq!(
            sub(ChangeOp::Replace(2), 2, Some("x")).label(None, arabic),
            "Änderung des Beschlussvorschlages in Punkt 2 b)"
        );
        assert_eq!(
            change.wording(arabic),
            "Punkt 2 b) des Beschlussvorschlags wird gestrichen."
        );
        assert_eq!(
            change.effect(arabic),
            "(streicht Punkt 2 b) des Beschlussvorschlags)"
        );
    }

    #[test]
    fn two_motions_on_one_sub_point_or_on_a_point_and_its_sub_point_conflict() {
        let base = with_sub_points("1.");
        let first = paper("a", &[], vec![sub(ChangeOp::Replace(2), 2, Some("A"))]);
        let same = paper("b", &[], vec![sub(ChangeOp::Delete(2), 2, None)]);
        let draft = decision_draft(&base, &[&first, &same]);
        assert_eq!(draft.points[1].points[1].text, "A");
        assert!(draft.deleted_sub_points.is_empty());
        let messages: Vec<String> = draft.conflicts.iter().map(Conflict::message).collect();
        assert_eq!(
            messages,
            [
                "die beschlossenen Anträge „a“ und „b“ ändern beide Punkt 2 b); angewendet ist nur „a“, bitte klären"
            ]
        );

        // A whole point decided after one of its sub-points: the sub-point's motion stands.
        let whole = paper("c", &[], vec![change(ChangeOp::Replace(2), Some("C"))]);
        let draft = decision_draft(&base, &[&first, &whole]);
        assert_eq!(draft.points[1].text, "zwei");
        assert_eq!(draft.points[1].points[1].text, "A");
        let messages: Vec<String> = draft.conflicts.iter().map(Conflict::message).collect();
        assert_eq!(
            messages,
            [
                "die beschlossenen Anträge „a“ und „c“ ändern beide Punkt 2; angewendet ist nur „a“, bitte klären"
            ]
        );
        // And the other way round.
        let draft = decision_draft(&base, &[&whole, &first]);
        assert_eq!(draft.points[1].text, "C");
        assert_eq!(draft.conflicts.len(), 1);

        // Different sub-points of one point do not conflict.
        let other = paper("d", &[], vec![sub(ChangeOp::Replace(2), 3, Some("D"))]);
        let draft = decision_draft(&base, &[&first, &other]);
        assert!(draft.conflicts.is_empty());
        let subs: Vec<&str> = draft.points[1]
            .points
            .iter()
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(subs, ["zwei a", "A", "D"]);
    }

    #[test]
    fn a_sub_point_the_base_lacks_changes_nothing() {
        let base = with_sub_points("1.");
        let motion = paper(
            "m",
            &[],
            vec![
                sub(ChangeOp::Replace(2), 6, Some("x")),
                sub(ChangeOp::Delete(1), 1, None),
                sub(ChangeOp::Insert(9), 1, Some("y")),
                sub(ChangeOp::Delete(2), 0, None),
            ],
        );
        let draft = decision_draft(&base, &[&motion]);
        assert_eq!(draft.points, decision_draft(&base, &[]).points);
        assert!(draft.deleted_sub_points.is_empty());
    }
}
