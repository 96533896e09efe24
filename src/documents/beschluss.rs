//! The Beschluss document (Beschlussauszug) of each decision, and the decided text it prints:
//! the proposal with the adopted points, the adopted (or as changed in the meeting) Ziffern of
//! motions applied; rejected, referred and deferred points left out and listed with their
//! votes. Also the result a decided Beschlussentwurf shows as its title and status.
//!
//! Kept apart from `context.rs` (the paper's own data) so that the decision vocabulary grows
//! here; the context carries the views built here in two optional fields.

use std::path::PathBuf;

use serde::Serialize;

use super::{DocKind, Job};
use crate::engine::amend::{self, Draft};
use crate::engine::decisions::is_referral_decision;
use crate::journal::{Entry, Event, ItemDecision};
use crate::load::Project;
use crate::model::{DecisionResult, Paper};
use crate::output;

/// One point of the decided text.
#[derive(Debug, Serialize)]
pub struct DecidedPoint {
    pub number: usize,
    pub text: String,
    /// „geändert durch Änderungsantrag 042/19-2 der Fraktion …“, „in der Sitzung geändert“.
    pub note: Option<String>,
}

/// What a Beschlussauszug prints about one decision.
#[derive(Debug, Serialize)]
pub struct BeschlussView {
    pub body: String,
    /// The meeting (`YYYY-MM-DD`): the document's date, never the day of rendering.
    pub meeting: Option<String>,
    /// The TOP of the meeting's agenda; empty until the agenda gives one.
    pub top: String,
    /// „öffentlich“ or „nichtöffentlich“.
    pub public: String,
    /// „beschlossen“, „geändert beschlossen“, „empfohlen“ …
    pub result: String,
    /// Whether the decided text is adopted (else it is printed as the proposal it was).
    pub adopted: bool,
    /// The votes on the paper as a whole.
    pub votes: Option<String>,
    /// The decided top-level points with their numbers (for templates that type numbers).
    pub points: Vec<DecidedPoint>,
    /// The decided text as numbered lines with sub-points and notes (Word numbering).
    pub items: Vec<super::outline::LineView>,
    /// Results and votes per point and Ziffer, as lines.
    pub results: Vec<String>,
    /// „Antrag 042/19-2 Ziffer 2: verwiesen an … (Sitzung 16.09.2019)“.
    pub referrals: Vec<String>,
}

/// The result of a decided paper, for the Beschlussentwurf's title and status.
#[derive(Debug, Serialize)]
pub struct DecidedView {
    pub result: String,
    pub body: String,
    pub meeting: Option<String>,
}

fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn body_name(project: &Project, id: &str) -> String {
    project
        .directory
        .body(id)
        .map_or_else(|| id.to_string(), |b| b.name.clone())
}

/// One point's or Ziffer's result as printed: „Punkt 2: abgelehnt (Ja 4, Nein 23,
/// Enthaltungen 2)“, „Antrag 042/19-1 Ziffer 3: verwiesen an …“.
pub fn item_text(project: &Project, item: &ItemDecision) -> String {
    let what = match &item.motion {
        Some(motion) => format!(
            "Antrag {} Ziffer {}",
            project
                .papers
                .get(motion)
                .map_or(motion.as_str(), |p| p.reference()),
            item.number
        ),
        None => format!("Punkt {}", item.number),
    };
    let mut text = format!("{what}: {}", item.result.label());
    if let Some(to) = &item.to {
        text.push_str(&format!(" an {}", body_name(project, to)));
    }
    if let Some(votes) = &item.votes {
        text.push_str(&format!(" ({})", votes.label()));
    }
    text
}

/// Whether a point or Ziffer stands in the decided text with this result.
fn stands(result: DecisionResult) -> bool {
    result.adopts()
        || matches!(
            result,
            DecisionResult::Empfohlen | DecisionResult::ZurKenntnisGenommen
        )
}

/// The decided text of `decision` on `paper`: its points as adopted (or changed in the
/// meeting), with the Ziffern of motions adopted in it applied (each as changed in the
/// meeting); without per-point results, the motions adopted as a whole.
pub fn decided_text(project: &Project, paper: &Paper, decision: &Entry) -> Draft {
    let mut base = paper.clone();
    let mut left_out: Vec<usize> = Vec::new();
    for item in decision.items().iter().filter(|i| i.motion.is_none()) {
        let Some(index) = item
            .number
            .checked_sub(1)
            .filter(|i| *i < base.proposal.len())
        else {
            continue;
        };
        if let (DecisionResult::GeaendertBeschlossen, Some(text)) = (item.result, &item.text) {
            base.proposal[index] = text.clone();
        } else if !stands(item.result) {
            left_out.push(index);
        }
    }
    let mut motions: Vec<Paper> = Vec::new();
    for vote in decision.amendments().iter() {
        let Some(motion) = project.papers.get(&vote.paper) else {
            continue;
        };
        let own: Vec<&ItemDecision> = decision
            .items()
            .iter()
            .filter(|i| i.motion.as_deref() == Some(motion.id.as_str()))
            .collect();
        let mut applied = motion.clone();
        if own.is_empty() {
            if !vote.adopted {
                continue;
            }
        } else {
            applied.changes = motion
                .changes
                .iter()
                .enumerate()
                .filter_map(|(index, change)| {
                    let item = own.iter().find(|i| i.number == index + 1)?;
                    if !stands(item.result) {
                        return None;
                    }
                    let mut change = change.clone();
                    if let Some(text) = item.text.clone() {
                        change.text = Some(text);
                    }
                    Some(change)
                })
                .collect();
        }
        motions.push(applied);
    }
    let refs: Vec<&Paper> = motions.iter().collect();
    let mut draft = amend::decision_draft(&base, &refs);
    let dropped: Vec<&String> = left_out.iter().map(|i| &base.proposal[*i]).collect();
    draft
        .points
        .retain(|p| p.changed_by.is_some() || !dropped.contains(&&p.text));
    for (number, point) in draft.points.iter_mut().enumerate() {
        point.number = number + 1;
    }
    draft
}

/// The decided text of a body a motion's Ziffern were referred to: those Ziffern that stand,
/// in their wording (as changed in the meeting), numbered anew.
fn referred_text(project: &Project, decision: &Entry) -> Draft {
    let mut draft = Draft::default();
    for item in decision.items().iter().filter(|i| stands(i.result)) {
        let Some(motion) = item.motion.as_deref().and_then(|m| project.papers.get(m)) else {
            continue;
        };
        let Some(change) = item
            .number
            .checked_sub(1)
            .and_then(|i| motion.changes.get(i))
        else {
            continue;
        };
        draft.points.push(amend::DraftPoint {
            number: draft.points.len() + 1,
            text: item
                .text
                .clone()
                .or_else(|| change.text.clone())
                .unwrap_or_default(),
            points: change.points.clone(),
            changed_by: Some(motion.id.clone()),
            change: Some(change.op_name()),
            sub_changes: Vec::new(),
        });
    }
    draft
}

/// The decisions a Beschlussauszug is written for: every `decided` line, by its index.
pub fn decisions(journal: &[Entry]) -> impl Iterator<Item = (usize, &Entry)> {
    journal
        .iter()
        .enumerate()
        .filter(|(_, e)| e.event == Event::Decided && e.body().is_some())
}

/// The Beschlussauszüge of a paper: one per decision, named by body and meeting. A later line
/// for the same body and meeting (a fuller record of the same decision, per point and with
/// votes) replaces the earlier one's document.
pub fn jobs_for(project: &Project, paper: &Paper, journal: &[Entry]) -> Vec<Job> {
    let reference = output::ascii_name(paper.reference());
    let mut jobs: Vec<Job> = Vec::new();
    let all = decisions(journal).map(|(index, entry)| {
        let body = entry.body().unwrap_or_default();
        let short = project
            .directory
            .body(body)
            .map(|b| b.short.clone().unwrap_or_else(|| b.name.clone()))
            .unwrap_or_else(|| body.to_string());
        let day = entry
            .meeting()
            .map_or_else(|| entry.time.date_naive(), |m| m.0);
        Job {
            paper: paper.id.clone(),
            kind: DocKind::Beschluss(index),
            template: "beschluss.docx".into(),
            output: PathBuf::from(&paper.id).join(format!(
                "Beschluss_{}_{}_{reference}.docx",
                output::ascii_name(&short),
                iso(day)
            )),
        }
    });
    for job in all {
        jobs.retain(|j| j.output != job.output);
        jobs.push(job);
    }
    jobs
}

/// The view of the decision at `index` of `journal`.
pub fn view(
    project: &Project,
    paper: &Paper,
    journal: &[Entry],
    index: usize,
) -> Option<BeschlussView> {
    let decision = journal.get(index).filter(|e| e.event == Event::Decided)?;
    let result = decision.result()?;
    let referred_only = is_referral_decision(decision)
        && !decision.items().is_empty()
        && decision.items().iter().all(|i| i.motion.is_some());
    let draft = if referred_only {
        referred_text(project, decision)
    } else {
        decided_text(project, paper, decision)
    };
    let points = draft
        .points
        .iter()
        .map(|p| DecidedPoint {
            number: p.number,
            text: p.text.clone(),
            note: p
                .changed_by
                .as_deref()
                .map(|id| super::outline::change_note(project, p.change, id)),
        })
        .collect();
    let referrals = journal
        .iter()
        .filter(|e| e.event == Event::Referred && e.time == decision.time)
        .flat_map(|e| {
            let to = body_name(project, e.body().unwrap_or_default());
            let when = e
                .meeting()
                .map(|m| format!(" (Sitzung am {})", m.0.format("%d.%m.%Y")))
                .unwrap_or_default();
            if e.items().is_empty() {
                vec![format!("Die Drucksache ist verwiesen an {to}{when}.")]
            } else {
                e.items()
                    .iter()
                    .map(|i| {
                        let what = item_text(
                            project,
                            &ItemDecision {
                                votes: None,
                                to: None,
                                ..i.clone()
                            },
                        );
                        let what = what.split(':').next().unwrap_or_default().to_string();
                        format!("{what}: verwiesen an {to}{when}")
                    })
                    .collect()
            }
        })
        .collect();
    Some(BeschlussView {
        body: body_name(project, decision.body().unwrap_or_default()),
        meeting: decision.meeting().map(|m| iso(m.0)),
        top: String::new(),
        public: if paper.public {
            "öffentlich"
        } else {
            "nichtöffentlich"
        }
        .to_string(),
        result: result.label().to_string(),
        adopted: stands(result),
        votes: decision.votes().map(|v| v.label()),
        items: super::outline::of_draft(project, paper, &draft),
        points,
        results: decision
            .items()
            .iter()
            .map(|i| item_text(project, i))
            .collect(),
        referrals,
    })
}

/// The motions to `paper` not yet voted on (nor withdrawn): what the Beschlussentwurf lists before
/// the meeting, each with what its Ziffern do.
pub fn pending_motions(
    project: &Project,
    paper: &Paper,
    motions: &[&Paper],
    journal: &[Entry],
    withdrawn: impl Fn(&str) -> bool,
) -> Vec<String> {
    motions
        .iter()
        .filter(|m| m.amends.as_deref() == Some(paper.id.as_str()))
        .filter(|m| {
            !journal.iter().any(|e| {
                e.amendments().iter().any(|v| v.paper == m.id)
                    || e.items()
                        .iter()
                        .any(|i| i.motion.as_deref() == Some(m.id.as_str()))
            })
        })
        .filter(|m| !withdrawn(&m.id))
        .map(|m| {
            let labels =
                crate::model::Change::labels(&m.changes, paper.proposal.len(), paper.numbering);
            let ziffern: Vec<String> = labels
                .iter()
                .enumerate()
                .map(|(n, label)| format!("Ziffer {}: {label}", n + 1))
                .collect();
            format!(
                "{} ({})",
                super::context::amendment_label(project, &m.id),
                ziffern.join("; ")
            )
        })
        .collect()
}

/// The result of the decision that ended a paper's path, for the Beschlussentwurf.
pub fn decided_view(project: &Project, journal: &[Entry], finished: bool) -> Option<DecidedView> {
    if !finished {
        return None;
    }
    let decision = journal.iter().rev().find(|e| {
        e.event == Event::Decided
            && !is_referral_decision(e)
            && e.result().is_some_and(DecisionResult::completes)
    })?;
    Some(DecidedView {
        result: decision.result()?.label().to_string(),
        body: body_name(project, decision.body().unwrap_or_default()),
        meeting: decision.meeting().map(|m| iso(m.0)),
    })
}
