//! The changes of an amendment motion against the numbered points of its base proposal, and
//! against their sub-points (`replace: 2.b`).

use std::collections::{BTreeSet, HashMap};

use super::{idx, key, unknown};
use crate::diagnostic::Diagnostic;
use crate::load::raw::{RawPaper, RawTarget, Target};
use crate::load::yaml::{Seg, YamlSource};
use crate::model::{Change, ChangeOp, NumberStyle};

/// What a motion may address in a paper: its points with the number of their sub-points.
pub(super) struct BaseShape {
    /// Per top-level point, the number of its sub-points.
    pub sub_points: Vec<usize>,
    /// Whether the paper is itself a motion (which no motion amends).
    pub amendment: bool,
    /// The numbering style of its proposal (for the letters in messages).
    pub style: NumberStyle,
}

const TARGET_HINT: &str = "ein Punkt ist eine Zahl (2), ein Unterpunkt die Zahl seines Punktes, ein Punkt und sein Buchstabe oder seine Nummer (2.b oder 2.2)";

pub(super) fn check_amendment(
    id: &str,
    raw: &RawPaper,
    source: &YamlSource,
    ids: &BTreeSet<&str>,
    base_shapes: &HashMap<&str, BaseShape>,
    broken_papers: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let base_shape = match raw.amends.as_deref() {
        None => {
            if !raw.changes.is_empty() {
                out.push(source.error_at(&[key("changes")], "Änderungen („changes“) gibt es nur bei einem Antrag zu einer Drucksache („amends“)"));
            }
            return changes;
        }
        Some(base) if base == id => {
            out.push(source.error_at(
                &[key("amends")],
                "ein Antrag kann sich nicht auf sich selbst beziehen",
            ));
            return changes;
        }
        Some(base) => match base_shapes.get(base) {
            None if broken_papers.contains(base) => None,
            None => {
                out.push(unknown(
                    source,
                    &[key("amends")],
                    "unbekannte Drucksache",
                    base,
                    ids.iter().copied(),
                ));
                None
            }
            Some(shape) if shape.amendment => {
                out.push(source.error_at(&[key("amends")], format!("„{base}“ ist selbst ein Antrag; Änderungsanträge beziehen sich auf eine Vorlage")));
                None
            }
            Some(shape) => Some(shape),
        },
    };
    if raw.changes.is_empty() {
        out.push(source.error_at(
            &[key("changes")],
            "der Antrag ändert nichts: „changes“ ist leer",
        ));
    }
    let mut places: Vec<(Place, usize)> = Vec::new();
    for (i, change) in raw.changes.iter().enumerate() {
        let at = |field: &str| [key("changes"), idx(i), key(field)];
        let ops = [
            change.replace.is_some(),
            change.insert.is_some(),
            change.delete.is_some(),
            change.append.is_some(),
            change.attachment.is_some(),
            change.request.is_some(),
        ];
        if ops.iter().filter(|&&b| b).count() != 1 {
            out.push(source.error_at(&[key("changes"), idx(i)], "jede Änderung braucht genau eines von „replace: N“, „insert: N“, „delete: N“, „append: Text“, „attachment: N“ oder „request: Text“"));
            continue;
        }
        let addressed = [
            (&change.replace, "replace"),
            (&change.insert, "insert"),
            (&change.delete, "delete"),
        ]
        .into_iter()
        .find_map(|(target, field)| Some((target.as_ref()?, field)));
        let (op, field, sub) = if let Some((target, field)) = addressed {
            let Some(Target { point, sub }) = read_target(target, &at(field), source, out) else {
                continue;
            };
            let op = match field {
                "replace" => ChangeOp::Replace(point),
                "insert" => ChangeOp::Insert(point),
                _ => ChangeOp::Delete(point),
            };
            (op, field, sub)
        } else if let Some(n) = change.attachment {
            (ChangeOp::Attachment(n as usize), "attachment", None)
        } else if change.request.is_some() {
            (ChangeOp::Request, "request", None)
        } else {
            (ChangeOp::Append, "append", None)
        };
        let point = match op {
            ChangeOp::Replace(n) | ChangeOp::Insert(n) | ChangeOp::Delete(n) => Some(n),
            _ => None,
        };
        if let (Some(n), Some(shape)) = (point, base_shape) {
            let base = raw.amends.as_deref().unwrap_or_default();
            if check_place(base, shape, &op, n, sub, source, &at(field), out)
                && let Some(place) = Place::of(&op, sub)
            {
                let ziffer = i + 1;
                if let Some((other, earlier)) = places.iter().find(|(p, _)| p.overlaps(&place)) {
                    out.push(
                        source
                            .error_at(
                                &at(field),
                                format!(
                                    "Ziffer {ziffer} und Ziffer {earlier} dieses Antrags ändern beide Punkt {}",
                                    other.wider(&place).shown(shape.style)
                                ),
                            )
                            .with_hint(OVERLAP_HINT),
                    );
                } else {
                    places.push((place, ziffer));
                }
            }
        }
        let text = match op {
            ChangeOp::Append => change.append.clone(),
            ChangeOp::Request => change.request.clone(),
            _ => change.text.clone(),
        };
        match op {
            ChangeOp::Replace(_) | ChangeOp::Insert(_) | ChangeOp::Attachment(_)
                if change.text.is_none() =>
            {
                out.push(source.error_at(
                    &[key("changes"), idx(i)],
                    format!("„{field}“ braucht den neuen Wortlaut in „text“"),
                ));
            }
            ChangeOp::Delete(_) | ChangeOp::Append | ChangeOp::Request if change.text.is_some() => {
                out.push(
                    source
                        .error_at(&at("text"), format!("„{field}“ hat keinen „text“"))
                        .with_hint(match field {
                            "append" => "der neue Punkt steht direkt hinter „append:“",
                            "request" => "der Wortlaut steht direkt hinter „request:“",
                            _ => "eine Streichung braucht keinen Wortlaut",
                        }),
                );
            }
            _ => {}
        }
        changes.push(Change {
            op,
            sub,
            text,
            points: change
                .points
                .iter()
                .map(crate::load::raw::RawPoint::to_point)
                .collect(),
        });
    }
    changes
}

/// The target as written, or `None` after reporting what is wrong with it.
fn read_target(
    target: &RawTarget,
    at: &[Seg],
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) -> Option<Target> {
    // Only a number needs its text: YAML has read `2.10` as 2.1.
    let written = matches!(target, RawTarget::Number(_))
        .then(|| source.value_location(at))
        .flatten()
        .and_then(|(location, width)| {
            let line = source.text().lines().nth(location.line.checked_sub(1)?)?;
            let skip = location.column.checked_sub(1)?;
            Some(line.chars().skip(skip).take(width).collect::<String>())
        });
    if let Some(written) = &written
        && !target.written_as(written)
    {
        out.push(
            source
                .error_at(
                    at,
                    format!(
                        "„{written}“ liest YAML als die Zahl {}",
                        number_text(target)
                    ),
                )
                .with_hint(format!(
                    "die Nummer des Unterpunktes in Anführungszeichen setzen: \"{written}\""
                )),
        );
        return None;
    }
    let parsed = target.parse();
    if parsed.is_none() {
        let shown = written.unwrap_or_else(|| number_text(target));
        out.push(
            source
                .error_at(
                    at,
                    format!("„{shown}“ ist kein Punkt und kein Unterpunkt des Beschlussvorschlags"),
                )
                .with_hint(TARGET_HINT),
        );
    }
    parsed
}

fn number_text(target: &RawTarget) -> String {
    match target {
        RawTarget::Point(n) => n.to_string(),
        RawTarget::Text(text) => text.clone(),
        RawTarget::Number(value) => format!("{value}").replace('.', ","),
    }
}

const OVERLAP_HINT: &str = "ein Antrag ändert einen Punkt entweder ganz oder in einzelnen Unterpunkten, und jeden nur einmal; was zusammengehört, in einer Ziffer fassen";

/// Where one Ziffer of a motion acts in the base proposal, to find two Ziffern of the same
/// motion acting on one place (which of them would count is not for ratsflow to guess).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A whole point replaced or deleted.
    Whole(usize),
    /// One sub-point replaced or deleted.
    Sub(usize, usize),
    /// A sub-point inserted into a point (its other sub-points stay).
    Into(usize),
}

impl Place {
    /// None for a new point inserted before another, or an append, Anlage or request: they
    /// change no existing point.
    fn of(op: &ChangeOp, sub: Option<usize>) -> Option<Place> {
        match (op, sub) {
            (ChangeOp::Replace(n) | ChangeOp::Delete(n), None) => Some(Place::Whole(*n)),
            (ChangeOp::Replace(n) | ChangeOp::Delete(n), Some(s)) => Some(Place::Sub(*n, s)),
            (ChangeOp::Insert(n), Some(_)) => Some(Place::Into(*n)),
            _ => None,
        }
    }

    fn point(self) -> usize {
        match self {
            Place::Whole(n) | Place::Sub(n, _) | Place::Into(n) => n,
        }
    }

    fn overlaps(&self, other: &Place) -> bool {
        if self.point() != other.point() {
            return false;
        }
        match (self, other) {
            (Place::Whole(_), _) | (_, Place::Whole(_)) => true,
            (Place::Sub(_, a), Place::Sub(_, b)) => a == b,
            _ => false,
        }
    }

    /// Of two overlapping places, the one that names both: the whole point if either is.
    fn wider(self, other: &Place) -> Place {
        match (self, other) {
            (Place::Sub(..), Place::Whole(_)) => *other,
            _ => self,
        }
    }

    /// „2“ or „2 b)“ in the base proposal's numbering `style`.
    fn shown(self, style: NumberStyle) -> String {
        match self {
            Place::Sub(n, s) => format!("{n} {}", style.label(1, s)),
            Place::Whole(n) | Place::Into(n) => n.to_string(),
        }
    }
}

/// Reports a point or sub-point the base proposal does not have; true when it has it.
#[allow(clippy::too_many_arguments)]
fn check_place(
    base: &str,
    shape: &BaseShape,
    op: &ChangeOp,
    n: usize,
    sub: Option<usize>,
    source: &YamlSource,
    at: &[Seg],
    out: &mut Vec<Diagnostic>,
) -> bool {
    let insert = matches!(op, ChangeOp::Insert(_));
    let len = shape.sub_points.len();
    let max = if insert && sub.is_none() {
        len + 1
    } else {
        len
    };
    if n == 0 || n > max {
        let hint = if len == 0 {
            "der Beschlussvorschlag der Drucksache hat keine Punkte".to_string()
        } else if insert && sub.is_none() {
            format!(
                "einfügen lässt sich an Punkt 1 bis {max}; für einen neuen letzten Punkt „append“"
            )
        } else {
            format!("der Beschlussvorschlag hat die Punkte 1 bis {len}")
        };
        out.push(
            source
                .error_at(at, format!("die Drucksache „{base}“ hat keinen Punkt {n}"))
                .with_hint(hint),
        );
        return false;
    }
    let Some(sub) = sub else { return true };
    let count = shape.sub_points.get(n - 1).copied().unwrap_or_default();
    let max = if insert { count + 1 } else { count };
    if sub == 0 || sub > max {
        let label = |s: usize| shape.style.label(1, s);
        // As written in YAML: by letter while there are letters.
        let written = |s: usize| match u8::try_from(s - 1).ok().filter(|i| *i < 26) {
            Some(i) => format!("{n}.{}", char::from(b'a' + i)),
            None => format!("{n}.{s}"),
        };
        let hint = match (count, insert) {
            (0, true) => format!(
                "Punkt {n} hat keine Unterpunkte; {} fügt den ersten an",
                written(1)
            ),
            (0, false) => format!(
                "Punkt {n} hat keine Unterpunkte; ändern lässt sich nur der ganze Punkt ({n})"
            ),
            (_, true) => format!(
                "einfügen lässt sich vor Unterpunkt {} bis {} von Punkt {n} ({} bis {}), mit {} als neuer letzter Unterpunkt",
                label(1),
                label(count),
                written(1),
                written(count),
                written(count + 1)
            ),
            (_, false) => format!(
                "Punkt {n} hat die Unterpunkte {} bis {}",
                label(1),
                label(count)
            ),
        };
        let shown = if sub == 0 {
            format!("{n}.0")
        } else {
            format!("{n} {}", label(sub))
        };
        out.push(
            source
                .error_at(
                    at,
                    format!("die Drucksache „{base}“ hat keinen Punkt {shown}"),
                )
                .with_hint(hint),
        );
        return false;
    }
    true
}
