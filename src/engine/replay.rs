//! Replays a paper's journal against its workflow: which stage it is at, who signed, what
//! was decided. Signatures only count while they match the paper's current content hash and,
//! where recorded, the current text of its document (a template change that changes the text
//! makes them stale, as a content change does).

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{
    Decision, Inputs, Outcome, PaperState, Position, Return, Signature, StageState, StageStatus,
    resolve_signers, stage_body,
};
use crate::journal::{Entry, Event};
use crate::model::{DecisionResult, Next, Paper, StageKind, Workflow};

/// Whether a stage applies to this paper (its `when` field is set and truthy).
pub fn applies(workflow: &Workflow, index: usize, paper: &Paper) -> bool {
    let Some(field) = workflow.stages[index].when.as_deref() else {
        return true;
    };
    let (negate, field) = match field.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, field.trim()),
    };
    // Unknown fields are reported by `check` when the workflow is loaded.
    let value = paper.condition(field).unwrap_or(false);
    value != negate
}

/// The first applicable stage at or after the successor of `index` (or `from` itself when
/// `include` is set); `None` when the path is done.
fn next_applicable(
    workflow: &Workflow,
    paper: &Paper,
    mut candidate: Option<usize>,
) -> Option<usize> {
    let mut guard = 0;
    while let Some(index) = candidate {
        if index >= workflow.stages.len() || guard > workflow.stages.len() {
            return None;
        }
        if applies(workflow, index, paper) {
            return Some(index);
        }
        candidate = successor(workflow, index);
        guard += 1;
    }
    None
}

fn successor(workflow: &Workflow, index: usize) -> Option<usize> {
    match workflow.stages[index].next {
        Next::Following => Some(index + 1).filter(|&n| n < workflow.stages.len()),
        Next::Stage(target) => Some(target),
        Next::End => None,
    }
}

/// Decisions on an amendment are recorded in its base paper's journal; they become decision
/// events of the amendment here.
fn amendment_decisions(paper: &Paper, base_journal: &[Entry]) -> Vec<Entry> {
    base_journal
        .iter()
        .filter(|e| e.event == Event::Decided)
        .flat_map(|e| {
            e.amendments()
                .iter()
                .filter(|vote| vote.paper == paper.id)
                .map(move |vote| {
                    let result = if vote.adopted {
                        DecisionResult::Beschlossen
                    } else {
                        DecisionResult::Abgelehnt
                    };
                    let mut decision = e.clone();
                    let consultation = decision.consultation_mut();
                    consultation.result = Some(result);
                    consultation.amendments = Vec::new();
                    decision
                })
        })
        .collect()
}

/// Whether a signature covers the document's current text: a signature without a recorded
/// text (older lines) or a document whose text is unknown (its template does not render) is
/// bound by the paper's content hash alone.
pub fn covers_document(event: &Entry, document: Option<&str>) -> bool {
    match (event.document.as_deref(), document) {
        (Some(signed), Some(now)) => signed == now,
        _ => true,
    }
}

pub fn replay(inputs: &Inputs<'_>) -> PaperState {
    let workflow = inputs.workflow;
    let paper = inputs.paper;
    let mut stages: Vec<StageState> = workflow
        .stages
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            let (signers, needed) = match &stage.kind {
                StageKind::Sign(rule) => (
                    resolve_signers(&rule.signers, paper, inputs.directory),
                    rule.needed,
                ),
                StageKind::Consult { .. } => (Vec::new(), 0),
            };
            StageState {
                status: if applies(workflow, index, paper) {
                    StageStatus::Pending
                } else {
                    StageStatus::Skipped
                },
                entered: None,
                completed: None,
                signers,
                signatures: Vec::new(),
                needed,
                waiting_for: Vec::new(),
                stale: Vec::new(),
                body: stage_body(&stage.kind, paper),
                meeting: None,
                top: None,
                decisions: Vec::new(),
                due: None,
                overdue: false,
                round: 0,
                round_start: 0,
            }
        })
        .collect();

    let mut events: Vec<Entry> = inputs.journal.to_vec();
    if paper.is_amendment()
        && let Some(base) = inputs.base_journal
    {
        events.extend(amendment_decisions(paper, base));
        // A decision counts at the meeting it records: a Niederschrift of the first body
        // entered after the second body's decision still comes first in the Beratungsfolge.
        events.sort_by_key(|e| {
            (
                e.meeting().map_or_else(|| e.time.date_naive(), |m| m.0),
                e.time,
            )
        });
    }

    let start = paper
        .date
        .or_else(|| events.first().map(|e| e.time.date_naive()))
        .unwrap_or_else(|| inputs.today());
    let mut position = match next_applicable(workflow, paper, Some(0)) {
        Some(index) => Position::At(index),
        None => Position::Finished(Outcome::Completed),
    };
    if let Position::At(index) = position {
        stages[index].entered = Some(start);
    }
    let mut last_return = None;
    let referrals = match (paper.is_amendment(), inputs.base_journal) {
        (true, Some(base)) => super::decisions::referrals(base, Some(&paper.id)),
        _ => super::decisions::referrals(inputs.journal, None),
    };
    // A decided paper corrected editorially keeps its signatures: the corrected content counts
    // as the content they signed.
    let corrected: Vec<&str> = events
        .iter()
        .filter(|e| e.event == Event::Corrected)
        .filter_map(|e| e.hash.as_deref())
        .collect();
    // A paper decided by its deciding body is frozen: later edits never invalidate what was
    // signed on the way (`check` reports such an edit; `correct` records it).
    let deciding = workflow
        .stages
        .iter()
        .rev()
        .find(|s| matches!(&s.kind, StageKind::Consult { role, .. } if role.decides()))
        .or_else(|| {
            workflow
                .stages
                .iter()
                .rev()
                .find(|s| matches!(s.kind, StageKind::Consult { .. }))
        });
    let decided = deciding.is_some_and(|stage| {
        events.iter().any(|e| {
            e.event == Event::Decided
                && e.stage.as_deref() == Some(stage.id.as_str())
                && e.result().is_some_and(DecisionResult::completes)
        })
    });
    let current_is_correction = decided || corrected.contains(&paper.content_hash.as_str());

    let mut returns = 0;
    for event in &events {
        let Position::At(current) = position else {
            break;
        };
        if event.event == Event::Returned {
            returns += 1;
        }
        let stage = &workflow.stages[current];
        let at_stage = event.stage.as_deref() == Some(stage.id.as_str());
        match event.event {
            Event::Signed if at_stage => {
                // A deputy's signature („i. V.“) counts for the person it was given for.
                let Some(who) = event
                    .on_behalf_of()
                    .or(event.who.as_deref())
                    .map(String::from)
                else {
                    continue;
                };
                if !stages[current].signers.contains(&who) {
                    continue;
                }
                let valid = event.hash.as_deref() == Some(paper.content_hash.as_str())
                    && covers_document(event, inputs.document)
                    || current_is_correction;
                let signatures = &mut stages[current].signatures;
                signatures.retain(|s| s.who != who);
                signatures.push(Signature {
                    by: event
                        .on_behalf_of()
                        .and(event.who.as_deref())
                        .map(String::from),
                    who,
                    time: event.time,
                    valid,
                });
            }
            Event::Returned if at_stage => {
                let target =
                    next_applicable(workflow, paper, Some(stage.on_return.unwrap_or(current)))
                        .unwrap_or(current);
                let (low, high) = (target.min(current), target.max(current));
                for state in &mut stages[low..=high] {
                    state.signatures.clear();
                    state.decisions.clear();
                    state.completed = None;
                    state.round += 1;
                    state.round_start = returns;
                    if state.status != StageStatus::Skipped {
                        state.status = StageStatus::Pending;
                    }
                }
                stages[target].entered = Some(event.time.date_naive());
                last_return = Some(Return {
                    who: event.who.as_deref().unwrap_or_default().to_string(),
                    stage: stage.id.clone(),
                    comment: event.comment().unwrap_or_default().to_string(),
                    time: event.time,
                });
                position = Position::At(target);
            }
            Event::Withdrawn => {
                finish(&mut stages[current], event.time);
                position = Position::Finished(Outcome::Withdrawn);
                continue;
            }
            Event::Decided if !super::decisions::is_referral_decision(event) => {
                let StageKind::Consult { role, .. } = &stage.kind else {
                    continue;
                };
                let body = stages[current].body.clone();
                if event.body().is_none() || event.body() != body.as_deref() {
                    continue;
                }
                let Some(result) = event.result() else {
                    continue;
                };
                stages[current].decisions.push(Decision {
                    result,
                    meeting: event.meeting().map(|d| d.0),
                    time: event.time,
                });
                if role.decides() && result == DecisionResult::Abgelehnt {
                    finish(&mut stages[current], event.time);
                    position = Position::Finished(Outcome::Rejected);
                    continue;
                }
                if result == DecisionResult::Zurueckgezogen {
                    finish(&mut stages[current], event.time);
                    position = Position::Finished(Outcome::Withdrawn);
                    continue;
                }
            }
            _ => {}
        }
        position = advance(inputs, &mut stages, position, event.time);
    }
    if let Position::At(current) = position {
        // Re-evaluate without an event: a stage may be complete from the start (nothing to sign).
        position = advance(
            inputs,
            &mut stages,
            Position::At(current),
            inputs.now.with_timezone(&inputs.tz).fixed_offset(),
        );
    }
    if let Position::Finished(_) = position {
        // A decided (or withdrawn) paper is frozen: later edits never invalidate what was
        // signed on the way (`check` reports such an edit; `correct` records it).
        for signature in stages.iter_mut().flat_map(|s| s.signatures.iter_mut()) {
            signature.valid = true;
        }
    }
    if let Position::At(current) = position {
        let stage = &mut stages[current];
        stage.status = StageStatus::Current;
        let valid: Vec<&str> = stage
            .signatures
            .iter()
            .filter(|s| s.valid)
            .map(|s| s.who.as_str())
            .collect();
        stage.stale = stage
            .signatures
            .iter()
            .filter(|s| !s.valid)
            .map(|s| s.who.clone())
            .collect();
        stage.waiting_for = stage
            .signers
            .iter()
            .filter(|id| !valid.contains(&id.as_str()))
            .cloned()
            .collect();
    }
    PaperState {
        position,
        stages,
        last_return,
        referrals,
    }
}

fn finish(stage: &mut StageState, time: DateTime<FixedOffset>) {
    stage.status = StageStatus::Done;
    stage.completed = Some(time);
}

/// Moves past every complete stage.
fn advance(
    inputs: &Inputs<'_>,
    stages: &mut [StageState],
    mut position: Position,
    time: DateTime<FixedOffset>,
) -> Position {
    let workflow = inputs.workflow;
    while let Position::At(current) = position {
        let complete = match &workflow.stages[current].kind {
            StageKind::Sign(_) => {
                let state = &stages[current];
                let valid = state.signatures.iter().filter(|s| s.valid).count();
                valid >= state.needed
            }
            StageKind::Consult { .. } => stages[current]
                .decisions
                .last()
                .is_some_and(|d| d.result.completes()),
        };
        if !complete {
            break;
        }
        finish(&mut stages[current], time);
        let adopted_here = matches!(
            &workflow.stages[current].kind,
            StageKind::Consult { role, .. } if role.decides()
        ) && stages[current]
            .decisions
            .last()
            .is_some_and(|d| d.result.adopts());
        let noted_here = stages[current]
            .decisions
            .last()
            .is_some_and(|d| d.result == DecisionResult::ZurKenntnisGenommen);
        position = match next_applicable(workflow, inputs.paper, successor(workflow, current)) {
            Some(next) => {
                stages[next].entered = Some(entered_date(time));
                Position::At(next)
            }
            None if adopted_here => Position::Finished(Outcome::Adopted),
            None if noted_here => Position::Finished(Outcome::Noted),
            None => Position::Finished(Outcome::Completed),
        };
    }
    position
}

fn entered_date(time: DateTime<FixedOffset>) -> NaiveDate {
    time.date_naive()
}
