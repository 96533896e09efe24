//! Meeting dates of consultation stages and the deadlines that hang on them.
//!
//! A consultation takes place at the meeting the paper names; failing that, at the body's
//! earliest calendar meeting whose deadline (Redaktionsschluss for Vorlagen, Antragsfrist for
//! motions) has not yet passed. Once the paper is on a meeting's agenda (a `scheduled` entry in
//! its journal), that meeting is fixed: neither `--now` nor an edit of the calendar or of the
//! paper's `meetings` moves it. A deferred (vertagt) or referred consultation moves to a later
//! meeting, where it is scheduled anew.

use chrono::NaiveDate;

use super::{Inputs, Meeting, PaperState, StageStatus};
use crate::calendar::{DeadlineRule, Direction};
use crate::journal::{Entry, Event};
use crate::model::{Body, DueAnchor, DueRule, StageKind};

/// The last `scheduled` entry of a stage at a body, if no deferral or referral came after it.
fn fixed_meeting<'a>(
    journal: &'a [Entry],
    stage: &str,
    body: Option<&str>,
    deferred_at: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Option<&'a Entry> {
    journal
        .iter()
        .rev()
        .find(|e| {
            e.event == Event::Scheduled
                && e.stage.as_deref() == Some(stage)
                && e.body() == body
                && e.meeting().is_some()
        })
        .filter(|e| deferred_at.is_none_or(|at| e.time > at))
}

/// Where a meeting date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingSource {
    /// Named in the paper's `meetings`.
    Paper,
    /// Picked from the body's meeting calendar.
    Calendar,
    /// The meeting at which the body decided.
    Decision,
    /// The meeting whose agenda the paper was put on (`scheduled` in its journal).
    Agenda,
}

/// The deadline rule a body applies to a paper: `antrag` for motions, `vorlage` otherwise.
pub fn body_rule(body: &Body, is_motion: bool) -> Option<&DeadlineRule> {
    let name = if is_motion { "antrag" } else { "vorlage" };
    body.deadlines.get(name)
}

/// Fills in meeting dates, deadlines and overdue flags.
pub fn schedule(inputs: &Inputs<'_>, state: &mut PaperState) {
    let today = inputs.today();
    let paper = inputs.paper;
    // Consultations follow each other: a later body meets after the earlier one.
    let mut previous: Option<NaiveDate> = None;
    for (index, stage) in inputs.workflow.stages.iter().enumerate() {
        if !matches!(stage.kind, StageKind::Consult { .. })
            || state.stages[index].status == StageStatus::Skipped
        {
            continue;
        }
        let stage_state = &state.stages[index];
        let decided = stage_state.decisions.last();
        let meeting = if let Some(decision) = decided.filter(|d| d.result.completes()) {
            decision.meeting.map(|date| Meeting {
                date,
                source: MeetingSource::Decision,
            })
        } else if let Some(date) = fixed_meeting(
            inputs.journal,
            &stage.id,
            stage_state.body.as_deref(),
            decided.map(|d| d.time),
        )
        .and_then(|e| e.meeting())
        {
            Some(Meeting {
                date: date.0,
                source: MeetingSource::Agenda,
            })
        } else {
            let deferred_after = decided.and_then(|d| d.meeting.or(Some(d.time.date_naive())));
            let named = paper.meetings.get(&stage.id).copied();
            match (named, deferred_after) {
                (Some(date), None) => Some(Meeting {
                    date,
                    source: MeetingSource::Paper,
                }),
                (Some(date), Some(after)) if date > after => Some(Meeting {
                    date,
                    source: MeetingSource::Paper,
                }),
                (_, after) => {
                    let after = after.max(previous);
                    let body = stage_state
                        .body
                        .as_deref()
                        .and_then(|id| inputs.directory.body(id));
                    body.and_then(|body| pick_meeting(inputs, body, today, after))
                        .map(|date| Meeting {
                            date,
                            source: MeetingSource::Calendar,
                        })
                }
            }
        };
        if let Some(meeting) = meeting {
            previous = Some(meeting.date);
            let body = state.stages[index].body.as_deref();
            state.stages[index].top = inputs
                .journal
                .iter()
                .rev()
                .find(|e| {
                    e.event == Event::Scheduled
                        && e.stage.as_deref() == Some(stage.id.as_str())
                        && e.body() == body
                        && e.meeting().is_some_and(|m| m.0 == meeting.date)
                })
                .and_then(|e| e.top().map(str::to_string));
        }
        state.stages[index].meeting = meeting;
    }
    for (index, stage) in inputs.workflow.stages.iter().enumerate() {
        let status = state.stages[index].status;
        if matches!(status, StageStatus::Done | StageStatus::Skipped) {
            continue;
        }
        let Some(due) = &stage.due else { continue };
        let date = match due.anchor {
            DueAnchor::AfterEntered => state.stages[index].entered.map(|entered| {
                let rule = rule_for(&due.rule, None, Direction::After);
                rule.map_or(entered, |rule| inputs.calendar.deadline(&rule, entered))
            }),
            DueAnchor::BeforeMeeting(target) => {
                let meeting = state.stages.get(target).and_then(|s| s.meeting);
                let body = state
                    .stages
                    .get(target)
                    .and_then(|s| s.body.as_deref())
                    .and_then(|id| inputs.directory.body(id));
                meeting.and_then(|meeting| {
                    rule_for(&due.rule, body, Direction::Before)
                        .map(|rule| inputs.calendar.deadline(&rule, meeting.date))
                })
            }
        };
        let stage_state = &mut state.stages[index];
        stage_state.due = date;
        stage_state.overdue = status == StageStatus::Current && date.is_some_and(|d| d < today);
    }
}

fn rule_for(rule: &DueRule, body: Option<&Body>, direction: Direction) -> Option<DeadlineRule> {
    match rule {
        DueRule::Days { days, unit, roll } => Some(DeadlineRule {
            days: *days,
            unit: *unit,
            direction,
            roll: *roll,
        }),
        DueRule::BodyRule(name) => body.and_then(|b| b.deadlines.get(name)).copied(),
    }
}

/// The body's earliest meeting after `after` (if set) whose deadline for this paper is today
/// or later.
fn pick_meeting(
    inputs: &Inputs<'_>,
    body: &Body,
    today: NaiveDate,
    after: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let rule = body_rule(body, inputs.paper.kind.is_motion());
    body.meetings.iter().copied().find(|&meeting| {
        if after.is_some_and(|after| meeting <= after) || meeting < today {
            return false;
        }
        rule.is_none_or(|rule| inputs.calendar.deadline(rule, meeting) >= today)
    })
}
