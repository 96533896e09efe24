//! The record path: the one way a signature, a return, a decision (with the referrals it makes),
//! a withdrawal or an editorial correction gets into a paper's journal.
//!
//! Each write is one step under the paper's lock (`state/locks/papers/<id>.lock`): take the
//! lock (waiting at most [`lock::PAPER_WAIT`]), read the journal again, replay it, check the
//! refusals of [`rules`] on that state, append. Two people signing at once, or two offices
//! recording opposite decisions at once, are therefore decided one after the other: exactly one
//! wins, the other gets the refusal it would get a moment later. What the command read before
//! (to print, to resolve names) is never what the refusal is checked on.
//!
//! The paper lock is never held while a mail server is asked anything: passes do not take it
//! (they only read the journal and write the outbox), so signing never waits on SMTP.

use chrono::{DateTime, Utc};

use crate::diagnostic::did_you_mean;
use crate::engine::rules::{self, DecisionTarget, Refusal};
use crate::engine::{self, Inputs, PaperState};
use crate::journal::lock::{self, Busy, LockError, Purpose};
use crate::journal::{
    self, AmendmentVote, Consultation, Entry, Event, Extra, ItemDecision, Journal, JournalError,
    Votes,
};
use crate::load::Project;
use crate::model::dates::Date;
use crate::model::{DecisionResult, Directory, Paper, Stage, Workflow};
use crate::pass::document_text;

/// Why nothing was recorded.
#[derive(Debug)]
pub enum RecordError {
    /// The rules refuse it (exit 1).
    Refused(Refusal),
    /// Someone else holds the paper's lock for too long (exit 2).
    Busy(Busy),
    /// The journal or its lock could not be read or written (exit 2).
    Io(String),
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordError::Refused(refusal) => refusal.fmt(f),
            RecordError::Busy(busy) => busy.fmt(f),
            RecordError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for RecordError {}

impl From<Refusal> for RecordError {
    fn from(refusal: Refusal) -> Self {
        RecordError::Refused(refusal)
    }
}

impl From<LockError> for RecordError {
    fn from(error: LockError) -> Self {
        match error {
            LockError::Busy(busy) => RecordError::Busy(busy),
            other => RecordError::Io(other.to_string()),
        }
    }
}

impl From<JournalError> for RecordError {
    fn from(error: JournalError) -> Self {
        RecordError::Io(error.to_string())
    }
}

/// What was recorded, and where the paper stands after it.
#[derive(Debug)]
pub struct Recorded {
    pub entry: Entry,
    /// The stage the entry was recorded at.
    pub stage: Stage,
    pub state: PaperState,
    /// Lines recorded with the entry (the consultations a referral created).
    pub also: Vec<Entry>,
    /// The journal including the new entry.
    pub journal: Journal,
}

/// How a signature or return came in, beyond who gave it: recorded on the entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// `Some("link")`: through a personal link of `ratsflow serve`.
    pub via: Option<String>,
    /// The person a deputy acts for (i. V.).
    pub on_behalf_of: Option<String>,
}

impl Origin {
    /// Marks `entry` with where it came from and for whom it was given: `principal`, the
    /// person the directory's rules found the signer deputising for, wins over the one the
    /// origin names.
    fn mark(&self, entry: &mut Entry, principal: Option<String>) {
        entry.via = self.via.as_deref().map(Box::from);
        if let Some(principal) = principal.or_else(|| self.on_behalf_of.clone()) {
            entry.extra_mut().on_behalf_of = Some(principal);
        }
    }
}

/// Records that `who` signs `paper` at its current stage.
pub fn sign(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Recorded, RecordError> {
    sign_from(project, paper, who, comment, now, &Origin::default())
}

/// [`sign`], with where the signature came from recorded on the entry.
pub fn sign_from(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
    origin: &Origin,
) -> Result<Recorded, RecordError> {
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    transact(project, paper, now, |workflow, state| {
        let stage = rules::sign_stage(workflow, paper, state, "unterschreiben")?;
        let principal = rules::may_sign(&project.directory, paper, stage, state, who, today)?;
        let signer = principal.as_deref().unwrap_or(who);
        rules::not_signed_yet(&project.directory, paper, stage, state, signer)?;
        let mut entry = Entry {
            who: Some(who.into()),
            stage: Some(stage.id.as_str().into()),
            hash: Some(paper.content_hash.as_str().into()),
            document: document_text::text_hash(project, paper).map(String::into_boxed_str),
            stage_hash: stage_hash(stage).map(String::into_boxed_str),
            ..Entry::new(now.fixed_offset(), Event::Signed)
        }
        .with_extra(Extra {
            comment: comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
            ..Extra::default()
        });
        origin.mark(&mut entry, principal);
        Ok((stage.clone(), entry))
    })
}

/// A short hash of what a sign stage asks for: its signers as written and its rule (how many
/// of them, and how that was written) — not its title, role or deadline. A signature records
/// it, so `check` can tell when the stage changed behind the paper. `None` for a consultation.
pub fn stage_hash(stage: &Stage) -> Option<String> {
    use sha2::{Digest, Sha256};
    let crate::model::StageKind::Sign(rule) = &stage.kind else {
        return None;
    };
    let signers: Vec<String> = rule
        .signers
        .iter()
        .map(|signer| match signer {
            crate::model::Signer::Person(id) => format!("person:{id}"),
            crate::model::Signer::Author => "paper.author".to_string(),
            crate::model::Signer::Group => "paper.by".to_string(),
        })
        .collect();
    let definition = format!(
        "signers={};needed={};mode={:?}",
        signers.join(","),
        rule.needed,
        rule.mode
    );
    let digest = Sha256::digest(definition.as_bytes());
    Some(digest[..6].iter().map(|b| format!("{b:02x}")).collect())
}

/// Records that `who` returns `paper` with `comment` (already checked to be non-empty).
pub fn give_back(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<Recorded, RecordError> {
    give_back_from(project, paper, who, comment, now, &Origin::default())
}

/// [`give_back`], with where the return came from recorded on the entry.
pub fn give_back_from(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: &str,
    now: DateTime<Utc>,
    origin: &Origin,
) -> Result<Recorded, RecordError> {
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    transact(project, paper, now, |workflow, state| {
        let stage = rules::sign_stage(workflow, paper, state, "zurückzugeben")?;
        let principal = rules::may_sign(&project.directory, paper, stage, state, who, today)?;
        let mut entry = Entry {
            who: Some(who.into()),
            stage: Some(stage.id.as_str().into()),
            hash: Some(paper.content_hash.as_str().into()),
            ..Entry::new(now.fixed_offset(), Event::Returned)
        }
        .with_comment(comment.trim());
        origin.mark(&mut entry, principal);
        Ok((stage.clone(), entry))
    })
}

/// A body's decision as asked for.
#[derive(Clone, Debug)]
pub struct Decision {
    pub body: String,
    /// Who records it: a person of the body's office (see [`may_record_for`]).
    pub recorded_by: String,
    pub result: DecisionResult,
    /// The meeting; `None`: the meeting of the stage, else today.
    pub meeting: Option<Date>,
    /// The votes on amendments, already checked to be amendments of the paper.
    pub amendments: Vec<AmendmentVote>,
    /// The votes on the paper as a whole.
    pub votes: Option<Votes>,
    /// Verwiesen an: the body the whole paper goes to.
    pub to: Option<String>,
    /// Results per point and per Ziffer, already checked against the paper and its motions.
    pub items: Vec<ItemDecision>,
}

/// Records `decision` on `paper`, if it is that body's turn (at its stage, or at the
/// consultation a referral created there), with a `referred` line per body anything was
/// referred to: a consultation there at its next calendar meeting.
pub fn decide(
    project: &Project,
    paper: &Paper,
    decision: &Decision,
    now: DateTime<Utc>,
) -> Result<Recorded, RecordError> {
    let tz = project.settings.time_zone;
    transact_all(project, paper, now, |workflow, state| {
        let target =
            rules::decision_target(workflow, &project.directory, paper, state, &decision.body)?;
        let (stage, stage_id, planned) = match target {
            DecisionTarget::Stage(index) => (
                &workflow.stages[index],
                Some(workflow.stages[index].id.as_str().into()),
                state.stages[index].meeting.map(|m| m.date),
            ),
            DecisionTarget::Referral(index) => {
                let referral = &state.referrals[index];
                let stage = referral
                    .from_stage
                    .as_deref()
                    .and_then(|id| workflow.stages.iter().find(|s| s.id == id))
                    .or(workflow.stages.last())
                    .ok_or_else(|| Refusal(format!("„{}“ hat keinen Ablauf", paper.id)))?;
                (stage, None, referral.meeting)
            }
        };
        may_record_for(&project.directory, &decision.body, &decision.recorded_by)?;
        let meeting = decision.meeting.unwrap_or_else(|| {
            Date(planned.unwrap_or_else(|| now.with_timezone(&tz).date_naive()))
        });
        let entry = Entry {
            who: Some(decision.recorded_by.as_str().into()),
            stage: stage_id,
            hash: Some(paper.content_hash.as_str().into()),
            ..Entry::new(now.fixed_offset(), Event::Decided)
        }
        .with_consultation(Consultation {
            body: Some(decision.body.clone()),
            result: Some(decision.result),
            meeting: Some(meeting),
            amendments: decision.amendments.clone(),
            votes: decision.votes.clone(),
            to: decision.to.clone(),
            items: decision.items.clone(),
            ..Consultation::default()
        });
        let referred = referrals(project, &entry, &stage.id, meeting);
        Ok((stage.clone(), entry, referred))
    })
}

/// The `referred` lines of a decision: one per body the paper or some of its points and
/// Ziffern were referred to, at that body's first calendar meeting after `meeting`.
fn referrals(project: &Project, decision: &Entry, stage: &str, meeting: Date) -> Vec<Entry> {
    let mut bodies: Vec<&str> = Vec::new();
    if decision.result() == Some(DecisionResult::Verwiesen)
        && let Some(to) = decision.to()
    {
        bodies.push(to);
    }
    for item in decision.items() {
        if let Some(to) = item.to.as_deref().filter(|to| !bodies.contains(to)) {
            bodies.push(to);
        }
    }
    bodies
        .into_iter()
        .map(|body| {
            let whole = decision.to() == Some(body);
            let next = project
                .directory
                .body(body)
                .and_then(|b| b.meetings.iter().copied().filter(|d| *d > meeting.0).min());
            Entry {
                stage: Some(stage.into()),
                hash: decision.hash.clone(),
                ..Entry::new(decision.time, Event::Referred)
            }
            .with_consultation(Consultation {
                body: Some(body.to_string()),
                meeting: next.map(Date),
                items: if whole {
                    Vec::new()
                } else {
                    decision
                        .items()
                        .iter()
                        .filter(|i| i.to.as_deref() == Some(body))
                        .cloned()
                        .collect()
                },
                ..Consultation::default()
            })
        })
        .collect()
}

/// Records that `who` withdraws `paper` (zurückgezogen), with an optional comment.
pub fn withdraw(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Recorded, RecordError> {
    transact(project, paper, now, |workflow, state| {
        rules::may_withdraw(&project.directory, paper, state, who)?;
        let index = state.current().unwrap_or(0);
        let stage = workflow
            .stages
            .get(index)
            .ok_or_else(|| Refusal(format!("„{}“ hat keinen Ablauf", paper.id)))?;
        let entry = Entry {
            who: Some(who.into()),
            stage: Some(stage.id.as_str().into()),
            hash: Some(paper.content_hash.as_str().into()),
            ..Entry::new(now.fixed_offset(), Event::Withdrawn)
        }
        .with_extra(Extra {
            comment: comment.map(str::to_string).filter(|c| !c.trim().is_empty()),
            ..Extra::default()
        });
        Ok((stage.clone(), entry))
    })
}

/// Refuses a decision recorded by someone who does not keep the body's minutes. A body's
/// decisions are entered by its office (the Sitzungsdienst, `office:` in the directory); a body
/// without an office (a Dienstversammlung) accepts any person of the directory, so that the
/// journal still says who entered it.
pub fn may_record_for(directory: &Directory, body: &str, who: &str) -> Result<(), Refusal> {
    let Some(known) = directory.body(body) else {
        return Ok(()); // `may_decide` names the unknown body.
    };
    let office = &known.office;
    if office.iter().any(|id| id == who) {
        return Ok(());
    }
    let person_known = directory.people.contains_key(who);
    if office.is_empty() && person_known {
        return Ok(());
    }
    let candidates: Vec<&str> = if office.is_empty() {
        directory.people.keys().map(String::as_str).collect()
    } else {
        office.iter().map(String::as_str).collect()
    };
    let list = || {
        office
            .iter()
            .map(|id| format!("{id} ({})", directory.person_name(id)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let office_list = || {
        format!(
            "Beschlüsse des Gremiums „{}“ trägt seine Geschäftsstelle ein: {}",
            known.name,
            list()
        )
    };
    let message = if person_known {
        format!(
            "{} („{who}“) darf keine Beschlüsse des Gremiums „{}“ eintragen; das tut seine Geschäftsstelle: {}",
            directory.person_name(who),
            known.name,
            list()
        )
    } else if let Some(candidate) = did_you_mean(who, candidates.iter().copied()) {
        format!("„{who}“ steht nicht im Verzeichnis; meinten Sie „{candidate}“?")
    } else if office.is_empty() {
        format!("„{who}“ steht nicht im Verzeichnis")
    } else {
        format!("„{who}“ steht nicht im Verzeichnis; {}", office_list())
    };
    Err(Refusal(message))
}

/// Records an editorial correction of a decided paper by `who`: its current content becomes
/// the content the decision stands for.
pub fn correct(
    project: &Project,
    paper: &Paper,
    who: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<Recorded, RecordError> {
    transact_with_journal(project, paper, now, |workflow, state, journal| {
        let finished = matches!(state.position, crate::engine::Position::Finished(_));
        let frozen = crate::engine::decisions::frozen(&journal.entries, finished);
        rules::may_correct(&project.directory, paper, state, frozen.as_ref(), who)?;
        let stage = workflow
            .stages
            .last()
            .ok_or_else(|| Refusal(format!("„{}“ hat keinen Ablauf", paper.id)))?;
        let entry = Entry {
            who: Some(who.into()),
            hash: Some(paper.content_hash.as_str().into()),
            ..Entry::new(now.fixed_offset(), Event::Corrected)
        }
        .with_comment(comment.trim());
        Ok((stage.clone(), entry, Vec::new()))
    })
}

/// Lock, re-read, replay, check (`make`), append — one step.
fn transact(
    project: &Project,
    paper: &Paper,
    now: DateTime<Utc>,
    make: impl FnOnce(&Workflow, &PaperState) -> Result<(Stage, Entry), Refusal>,
) -> Result<Recorded, RecordError> {
    transact_with_journal(project, paper, now, |workflow, state, _| {
        make(workflow, state).map(|(stage, entry)| (stage, entry, Vec::new()))
    })
}

/// [`transact`] for an entry with lines recorded with it (same time, one append).
fn transact_all(
    project: &Project,
    paper: &Paper,
    now: DateTime<Utc>,
    make: impl FnOnce(&Workflow, &PaperState) -> Result<(Stage, Entry, Vec<Entry>), Refusal>,
) -> Result<Recorded, RecordError> {
    transact_with_journal(project, paper, now, |workflow, state, _| {
        make(workflow, state)
    })
}

/// The one step itself; `make` also sees the journal just re-read.
fn transact_with_journal(
    project: &Project,
    paper: &Paper,
    now: DateTime<Utc>,
    make: impl FnOnce(&Workflow, &PaperState, &Journal) -> Result<(Stage, Entry, Vec<Entry>), Refusal>,
) -> Result<Recorded, RecordError> {
    let folders = project.folders();
    let what = format!("die Drucksache „{}“", paper.reference());
    let _held = lock::acquire(
        &lock::paper_lock(folders, &paper.id),
        Purpose {
            what: &what,
            nothing_done: "nichts wurde eingetragen",
        },
        &lock::this_process(),
        lock::PAPER_WAIT,
        &mut |_| {},
    )?;
    let path = folders.journal(&paper.id);
    let mut journal = journal::read(&path)?;
    let base = match paper.amends.as_deref() {
        Some(base) => Some(journal::read(&folders.journal(base))?),
        None => None,
    };
    let workflow = project
        .workflow_of(paper)
        .ok_or_else(|| Refusal(format!("der Ablauf „{}“ fehlt", paper.workflow)))?;
    let workflow = &*workflow;
    let state = state_at(project, workflow, paper, &journal, base.as_ref(), now);
    let (stage, mut entry, mut also) = make(workflow, &state, &journal)?;
    let local = now
        .with_timezone(&project.settings.time_zone)
        .fixed_offset();
    entry.time = rules::entry_time(journal::latest_record(&journal.entries), local, paper)?;
    for line in &mut also {
        line.time = entry.time;
    }
    let mut lines = vec![entry.clone()];
    lines.extend(also.iter().cloned());
    journal::append(&path, &lines)?;
    journal.entries.extend(lines);
    if crate::pass::vanished::check(folders, &paper.id, &journal.entries).is_none() {
        crate::pass::vanished::raise(folders, &paper.id, &journal.entries);
    }
    let state = state_at(project, workflow, paper, &journal, base.as_ref(), now);
    Ok(Recorded {
        entry,
        stage,
        state,
        also,
        journal,
    })
}

fn state_at(
    project: &Project,
    workflow: &Workflow,
    paper: &Paper,
    journal: &Journal,
    base: Option<&Journal>,
    now: DateTime<Utc>,
) -> PaperState {
    let calendar = project.calendar_for(paper);
    let document = document_text::needed(&journal.entries)
        .then(|| document_text::text_hash(project, paper))
        .flatten();
    engine::state(&Inputs {
        document: document.as_deref(),
        workflow,
        paper,
        journal: &journal.entries,
        base_journal: base.map(|j| j.entries.as_slice()),
        // The state decides refusals only; which notices went out does not matter for them.
        outbox: &[],
        directory: &project.directory,
        calendar: &calendar,
        now,
        tz: project.settings.time_zone,
    })
}
