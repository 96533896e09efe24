//! The changes of an amendment motion against the numbered points of its base proposal.

use std::collections::{BTreeSet, HashMap};

use super::{idx, key, unknown};
use crate::diagnostic::Diagnostic;
use crate::load::raw::RawPaper;
use crate::load::yaml::YamlSource;
use crate::model::{Change, ChangeOp};

pub(super) fn check_amendment(
    id: &str,
    raw: &RawPaper,
    source: &YamlSource,
    ids: &BTreeSet<&str>,
    proposal_len: &HashMap<&str, (usize, bool)>,
    broken_papers: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let base_len = match raw.amends.as_deref() {
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
        Some(base) => match proposal_len.get(base) {
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
            Some((_, true)) => {
                out.push(source.error_at(&[key("amends")], format!("„{base}“ ist selbst ein Antrag; Änderungsanträge beziehen sich auf eine Vorlage")));
                None
            }
            Some((len, false)) => Some(*len),
        },
    };
    if raw.changes.is_empty() {
        out.push(source.error_at(
            &[key("changes")],
            "der Antrag ändert nichts: „changes“ ist leer",
        ));
    }
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
        let (op, field, point) = if let Some(n) = change.replace {
            (ChangeOp::Replace(n as usize), "replace", Some(n as usize))
        } else if let Some(n) = change.insert {
            (ChangeOp::Insert(n as usize), "insert", Some(n as usize))
        } else if let Some(n) = change.delete {
            (ChangeOp::Delete(n as usize), "delete", Some(n as usize))
        } else if let Some(n) = change.attachment {
            (ChangeOp::Attachment(n as usize), "attachment", None)
        } else if change.request.is_some() {
            (ChangeOp::Request, "request", None)
        } else {
            (ChangeOp::Append, "append", None)
        };
        if let (Some(n), Some(len)) = (point, base_len) {
            let max = if matches!(op, ChangeOp::Insert(_)) {
                len + 1
            } else {
                len
            };
            if n == 0 || n > max {
                let base = raw.amends.as_deref().unwrap_or_default();
                let hint = if len == 0 {
                    "der Beschlussvorschlag der Drucksache hat keine Punkte".to_string()
                } else if matches!(op, ChangeOp::Insert(_)) {
                    format!(
                        "einfügen lässt sich an Punkt 1 bis {max}; für einen neuen letzten Punkt „append“"
                    )
                } else {
                    format!("der Beschlussvorschlag hat die Punkte 1 bis {len}")
                };
                out.push(
                    source
                        .error_at(
                            &at(field),
                            format!("die Drucksache „{base}“ hat keinen Punkt {n}"),
                        )
                        .with_hint(hint),
                );
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
