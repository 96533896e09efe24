//! The engine: a pure function from inputs to where a paper stands.
//!
//! `state(inputs) -> PaperState` replays the paper's journal against its workflow. It reads no
//! file and no clock: `now` is an input, so "what would happen on 20 May 2019?" is a plain call.
//! Everything with side effects (rendering, mail) is a diff against its result.

pub mod amend;
pub mod decisions;
mod meeting;
pub mod notices;
pub mod recommend;
mod replay;
pub mod rules;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::calendar::Calendar;
use crate::journal::Entry;
use crate::model::{DecisionResult, Directory, Paper, Signer, StageKind, Workflow};

pub use meeting::MeetingSource;
pub use replay::covers_document;

/// Everything the engine needs for one paper.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub workflow: &'a Workflow,
    pub paper: &'a Paper,
    pub journal: &'a [Entry],
    /// For an amendment: the journal of its base paper, where decisions on it are recorded.
    pub base_journal: Option<&'a [Entry]>,
    /// The paper's outbox: which notices went out (`state/outbox/`).
    pub outbox: &'a [Entry],
    pub directory: &'a Directory,
    /// Hash of the text of the paper's document now (see `crate::pass::document_text`);
    /// `None` when it cannot be rendered: signatures are then bound by the content hash only.
    pub document: Option<&'a str>,
    pub calendar: &'a Calendar,
    pub now: DateTime<Utc>,
    pub tz: Tz,
}

impl Inputs<'_> {
    /// Today's date in the project's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.tz).date_naive()
    }
}

/// Where a paper stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// Waiting at this stage index.
    At(usize),
    /// The path is done.
    Finished(Outcome),
}

/// How a finished paper ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// All stages passed.
    Completed,
    /// The deciding body adopted it.
    Adopted,
    /// The deciding body rejected it.
    Rejected,
    /// The last body took note of it (a Mitteilungsvorlage, an answered Anfrage).
    Noted,
    /// Its authors withdrew it.
    Withdrawn,
}

impl Outcome {
    /// German label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Completed => "abgeschlossen",
            Self::Adopted => "beschlossen",
            Self::Rejected => "abgelehnt",
            Self::Noted => "zur Kenntnis genommen",
            Self::Withdrawn => "zurückgezogen",
        }
    }
}

/// The status of one stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageStatus {
    Pending,
    Current,
    Done,
    /// Its `when` condition does not hold for this paper.
    Skipped,
}

/// A recorded signature and whether it still counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub who: String,
    pub time: DateTime<FixedOffset>,
    /// False when the paper changed after signing: the signer is asked again.
    pub valid: bool,
    /// The deputy who signed „i. V.“ for `who`, if not `who` themself.
    pub by: Option<String>,
}

/// A body's decision at a consultation stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub result: DecisionResult,
    pub meeting: Option<NaiveDate>,
    pub time: DateTime<FixedOffset>,
}

/// A meeting date and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub date: NaiveDate,
    pub source: MeetingSource,
}

/// The last return of the paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Return {
    pub who: String,
    pub stage: String,
    pub comment: String,
    pub time: DateTime<FixedOffset>,
}

/// What the engine knows about one stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageState {
    pub status: StageStatus,
    /// The day the paper arrived at this stage (current and done stages).
    pub entered: Option<NaiveDate>,
    pub completed: Option<DateTime<FixedOffset>>,
    /// Person ids allowed to sign (sign stages).
    pub signers: Vec<String>,
    pub signatures: Vec<Signature>,
    pub needed: usize,
    /// Person ids whose signature is still needed (current sign stage).
    pub waiting_for: Vec<String>,
    /// Person ids asked again because the paper changed after they signed.
    pub stale: Vec<String>,
    /// Body id (consultation stages).
    pub body: Option<String>,
    pub meeting: Option<Meeting>,
    /// The TOP number of the consultation on its meeting's agenda, once the agenda is set.
    pub top: Option<String>,
    pub decisions: Vec<Decision>,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// How often a return has sent the paper back through this stage (0 until the first):
    /// a request to sign, and the link it carries, belongs to one round, so a link from
    /// before a return cannot sign the paper presented again, even with unchanged content.
    pub round: u32,
    /// Where the current round begins in the paper's journal: after its `round_start`-th
    /// `returned` entry (counting every return, at any stage); 0 in the first round. What a
    /// person did in an earlier round (signed, returned) is not what they did in this one.
    pub round_start: usize,
}

/// The result of [`state`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperState {
    pub position: Position,
    pub stages: Vec<StageState>,
    pub last_return: Option<Return>,
    /// Consultations beyond the workflow's stages, created by referrals (verwiesen an).
    pub referrals: Vec<decisions::Referral>,
}

impl PaperState {
    /// The current stage index, if the paper is not finished.
    pub fn current(&self) -> Option<usize> {
        match self.position {
            Position::At(index) => Some(index),
            Position::Finished(_) => None,
        }
    }

    /// The next deadline of the current stage and whether it has passed.
    pub fn next_deadline(&self) -> Option<(NaiveDate, bool)> {
        let stage = &self.stages[self.current()?];
        stage.due.map(|due| (due, stage.overdue))
    }
}

/// Computes where a paper stands at `inputs.now`.
pub fn state(inputs: &Inputs<'_>) -> PaperState {
    // The text of the document binds signatures only while the paper is still being signed:
    // once a body has decided on it or its path is finished, a later template change must not
    // reopen what was signed and decided (a decided paper is frozen).
    let content_only = Inputs {
        document: None,
        ..*inputs
    };
    let settled = replay::replay(&content_only);
    let decided = settled.stages.iter().any(|s| !s.decisions.is_empty());
    let mut state = if decided || matches!(settled.position, Position::Finished(_)) {
        settled
    } else {
        replay::replay(inputs)
    };
    meeting::schedule(inputs, &mut state);
    state
}

/// The person ids a sign rule resolves to for this paper.
pub fn resolve_signers(signers: &[Signer], paper: &Paper, directory: &Directory) -> Vec<String> {
    let mut ids = Vec::new();
    for signer in signers {
        match signer {
            Signer::Person(id) => ids.push(id.clone()),
            Signer::Author => ids.extend(paper.author.clone()),
            // The people named on the motion sign it; else the Fraktion's signatories.
            Signer::Group if !paper.signers.is_empty() => ids.extend(paper.signers.iter().cloned()),
            Signer::Group => {
                if let Some(body) = paper.by.as_deref().and_then(|b| directory.body(b)) {
                    ids.extend(body.signatories.iter().cloned());
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids
}

/// The body a consultation stage goes to for this paper.
pub fn stage_body(kind: &StageKind, paper: &Paper) -> Option<String> {
    match kind {
        StageKind::Consult {
            body: crate::model::BodyRef::Fixed(id),
            ..
        } => Some(id.clone()),
        StageKind::Consult {
            body: crate::model::BodyRef::PaperBody,
            ..
        } => paper.body.clone(),
        StageKind::Sign(_) => None,
    }
}

#[cfg(test)]
mod tests;
