//! What `status` shows of decisions as a Niederschrift records them: results and votes per point
//! and Ziffer in the history, referrals as Beratungsfolge rows beyond the workflow's stages, a
//! motion's state derived per Ziffer, withdrawals and editorial corrections. Kept apart from
//! `status.rs` so the overview's layout and this vocabulary change independently.

use super::date_de;
use crate::documents::beschluss::item_text;
use crate::engine::decisions::{self, Referral};
use crate::journal::{Entry, Event};
use crate::load::Project;
use crate::model::Paper;

fn body_name<'a>(project: &'a Project, id: &'a str) -> &'a str {
    project.directory.body(id).map_or(id, |b| b.name.as_str())
}

fn reference<'a>(project: &'a Project, id: &'a str) -> &'a str {
    project.papers.get(id).map_or(id, |p| p.reference())
}

/// The history's event column for the events of decisions beyond a stage's result; `None` for
/// the others.
pub fn event_label(project: &Project, entry: &Entry) -> Option<String> {
    let body = entry.body().map(|b| body_name(project, b));
    match entry.event {
        Event::Referred => Some(format!("verwiesen an {}", body.unwrap_or("?"))),
        Event::Withdrawn => Some("zurückgezogen".to_string()),
        Event::Corrected => Some("redaktionell korrigiert".to_string()),
        _ => None,
    }
}

/// Appends the remarks of a decision line: votes, referral target, results per point and
/// Ziffer, votes on motions decided as a whole.
pub fn append_remark(remark: &mut String, project: &Project, entry: &Entry) {
    let mut parts: Vec<String> = Vec::new();
    if let Some(votes) = entry.votes() {
        parts.push(votes.label());
    }
    if let (Event::Decided, Some(to)) = (entry.event, entry.to()) {
        parts.push(format!("an {}", body_name(project, to)));
    }
    if entry.event == Event::Referred {
        if let Some(meeting) = entry.meeting() {
            parts.push(format!("Sitzung {}", date_de(meeting.0)));
        }
        if entry.items().is_empty() {
            parts.push("die ganze Drucksache".to_string());
        }
    }
    parts.extend(entry.items().iter().map(|item| {
        if entry.event == Event::Referred {
            item_text(project, item)
                .split(':')
                .next()
                .unwrap_or_default()
                .to_string()
        } else {
            item_text(project, item)
        }
    }));
    for vote in entry.amendments() {
        if entry
            .items()
            .iter()
            .any(|i| i.motion.as_ref() == Some(&vote.paper))
        {
            continue;
        }
        let word = if vote.adopted {
            "angenommen"
        } else {
            "abgelehnt"
        };
        parts.push(format!("Antrag {} {word}", reference(project, &vote.paper)));
    }
    if entry.event == Event::Corrected {
        parts.push("neue Fassung gilt als beschlossene".to_string());
    }
    for part in parts {
        if !remark.is_empty() {
            remark.push_str("; ");
        }
        remark.push_str(&part);
    }
}

/// Beratungsfolge rows for the consultations created by referrals: mark, title, state, meeting.
pub fn referral_rows(project: &Project, referrals: &[Referral]) -> Vec<Vec<String>> {
    referrals
        .iter()
        .map(|referral| {
            let what = if referral.items.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = referral
                    .items
                    .iter()
                    .map(|i| {
                        item_text(project, i)
                            .split(':')
                            .next()
                            .unwrap_or_default()
                            .to_string()
                    })
                    .collect();
                format!(": {}", list.join(", "))
            };
            let title = format!("{} (Verweisung{what})", body_name(project, &referral.body));
            let (mark, status) = match referral.decisions.last() {
                Some(d) if d.result.completes() => ("✓", d.result.label().to_string()),
                Some(d) => ("▶", d.result.label().to_string()),
                None => ("▶", "offen".to_string()),
            };
            let meeting = referral
                .meeting
                .map(|m| format!("Sitzung {}", date_de(m)))
                .unwrap_or_else(|| "kein Sitzungstermin".to_string());
            vec![mark.to_string(), title, status, meeting]
        })
        .collect()
}

/// „Ergebnis des Antrags 042/19-1: teilweise abgelehnt, teilweise verwiesen“ for a motion, or
/// for each motion decided with a base paper; `base` is the base paper's journal.
pub fn motion_lines(project: &Project, paper: &Paper, base: &[Entry]) -> Vec<String> {
    let motions: Vec<&Paper> = if paper.is_amendment() {
        vec![paper]
    } else {
        project.motions_of(&paper.id).collect()
    };
    motions
        .into_iter()
        .filter_map(|motion| {
            let results = decisions::ziffer_results(&motion.id, motion.changes.len(), base);
            decisions::motion_state(&results)
                .map(|state| format!("Ergebnis des Antrags {}: {state}", motion.reference()))
        })
        .collect()
}
