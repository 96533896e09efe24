//! A workflow: the stages a paper passes, who signs, which bodies deliberate, and deadlines.

use crate::calendar::{DayUnit, Roll};
use crate::model::ConsultationRole;

/// A validated resolution path.
#[derive(Clone, Debug)]
pub struct Workflow {
    /// The file stem under `workflows/`.
    pub id: String,
    pub name: String,
    pub organisation: Option<String>,
    pub stages: Vec<Stage>,
}

impl Workflow {
    /// Index of the stage with this id.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }
}

/// One step of the path.
#[derive(Clone, Debug)]
pub struct Stage {
    pub id: String,
    pub title: String,
    pub kind: StageKind,
    /// The stage applies only when this paper field is set and truthy.
    pub when: Option<String>,
    pub next: Next,
    /// Stage index a returned paper goes back to; `None`: the start of this stage.
    pub on_return: Option<usize>,
    pub due: Option<Due>,
    /// Reminders, in days before the deadline.
    pub remind: Vec<u32>,
    pub escalate: Option<Escalation>,
}

/// Signatures or a consultation.
#[derive(Clone, Debug)]
pub enum StageKind {
    Sign(SignRule),
    Consult {
        body: BodyRef,
        role: ConsultationRole,
        /// Öffentlich or nichtöffentlich in this body; `None`: as the paper says.
        public: Option<bool>,
    },
}

/// Which body a consultation stage goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyRef {
    Fixed(String),
    /// The body named in the paper's `body` field (motions of a Fraktion).
    PaperBody,
}

/// Who signs and how many signatures complete the stage.
#[derive(Clone, Debug)]
pub struct SignRule {
    pub signers: Vec<Signer>,
    /// Signatures needed: the list's length for `all`, 1 for `any`, n for a quorum.
    pub needed: usize,
    /// "all", "any" or "n of m", for messages.
    pub mode: SignMode,
    /// Role printed in signature tables.
    pub role: Option<String>,
}

/// How a sign rule was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignMode {
    All,
    Any,
    Quorum,
}

/// One entry of a sign list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    Person(String),
    /// `paper.author`: the Sachbearbeitung of the paper.
    Author,
    /// `paper.by`: the signatories of the Fraktion filing the motion.
    Group,
}

/// Where the paper goes after a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Following,
    Stage(usize),
    End,
}

/// A stage deadline: an anchor and a rule.
#[derive(Clone, Debug)]
pub struct Due {
    pub anchor: DueAnchor,
    pub rule: DueRule,
}

/// What a deadline is counted from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueAnchor {
    /// Back from the meeting of this consultation stage.
    BeforeMeeting(usize),
    /// Forward from the day the stage was entered.
    AfterEntered,
}

/// How the days are counted.
#[derive(Clone, Debug)]
pub enum DueRule {
    Days {
        days: u32,
        unit: DayUnit,
        roll: Roll,
    },
    /// The named deadline rule of the body consulted at the anchor stage.
    BodyRule(String),
}

/// Who is told when the deadline has passed.
#[derive(Clone, Debug)]
pub struct Escalation {
    pub after_due: u32,
    pub notify: Vec<String>,
}
