//! Validated types: what the engine and the renderers work with.
//!
//! Loaders produce these only after every reference between files has been checked, so code
//! downstream never meets an unknown person, body or stage.

pub mod dates;
mod directory;
pub mod finances;
pub mod kind;
mod paper;
pub mod proposal;
pub mod recommendation;
mod workflow;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use directory::{Body, BodyKind, Directory, Organisation, Person};
pub use finances::{Attachment, Finances, Impact, Recurrence};
pub use kind::{Case, Gender, Kinds, PaperKind, Relation};
pub use paper::{CONDITION_FIELDS, Change, ChangeOp, Paper, ProjectOrder};
pub use proposal::{NumberStyle, Point};
pub use recommendation::{Recommend, Recommendation};
pub use workflow::{
    BodyRef, Due, DueAnchor, DueRule, Escalation, Next, SignMode, SignRule, Signer, Stage,
    StageKind, Workflow,
};

/// Zuständigkeit of a body in a paper's Beratungsfolge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConsultationRole {
    Vorberatung,
    Beratung,
    #[serde(alias = "Beschluss", alias = "Beschlussfassung")]
    Entscheidung,
    Kenntnisnahme,
    #[serde(alias = "Anhoerung")]
    Anhörung,
}

impl ConsultationRole {
    /// The German label printed in the Beratungsfolge.
    pub fn label(self) -> &'static str {
        match self {
            Self::Vorberatung => "Vorberatung",
            Self::Beratung => "Beratung",
            Self::Entscheidung => "Entscheidung",
            Self::Kenntnisnahme => "Kenntnisnahme",
            Self::Anhörung => "Anhörung",
        }
    }
}

impl fmt::Display for ConsultationRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a body resolved on a paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionResult {
    Beschlossen,
    Abgelehnt,
    Vertagt,
    Verwiesen,
    ZurKenntnisGenommen,
}

impl DecisionResult {
    /// Every result with the word users type on the command line.
    pub const ALL: [(DecisionResult, &'static str); 5] = [
        (Self::Beschlossen, "beschlossen"),
        (Self::Abgelehnt, "abgelehnt"),
        (Self::Vertagt, "vertagt"),
        (Self::Verwiesen, "verwiesen"),
        (Self::ZurKenntnisGenommen, "zur-kenntnis-genommen"),
    ];

    /// Whether the consultation is over with this result (vertagt and verwiesen keep it open).
    pub fn completes(self) -> bool {
        !matches!(self, Self::Vertagt | Self::Verwiesen)
    }

    /// The German label ("beschlossen", "zur Kenntnis genommen").
    pub fn label(self) -> &'static str {
        match self {
            Self::Beschlossen => "beschlossen",
            Self::Abgelehnt => "abgelehnt",
            Self::Vertagt => "vertagt",
            Self::Verwiesen => "verwiesen",
            Self::ZurKenntnisGenommen => "zur Kenntnis genommen",
        }
    }

    /// Parses the command-line word; also accepts the German label and `kenntnisnahme`.
    pub fn parse(word: &str) -> Option<Self> {
        let lower = word.trim().to_lowercase().replace(' ', "-");
        if lower == "kenntnisnahme" || lower == "zur-kenntnis" {
            return Some(Self::ZurKenntnisGenommen);
        }
        Self::ALL
            .iter()
            .find(|(_, name)| *name == lower)
            .map(|(result, _)| *result)
    }
}

impl fmt::Display for DecisionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
