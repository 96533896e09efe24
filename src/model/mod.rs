//! Validated types: what the engine and the renderers work with.
//!
//! Loaders produce these only after every reference between files has been checked, so code
//! downstream never meets an unknown person, body or stage.

pub mod beratungsfolge;
pub mod dates;
mod directory;
pub mod finances;
pub mod kind;
mod paper;
pub mod proposal;
pub mod recommendation;
mod role;
mod workflow;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use directory::{
    AgendaItems, Body, BodyKind, Deputy, Directory, LegislativeTerm, Organisation, Person,
};
pub use finances::{Attachment, Finances, Impact, Recurrence};
pub use kind::{Case, Gender, Kinds, PaperKind, Relation};
pub use paper::{CONDITION_FIELDS, Change, ChangeOp, Paper, ProjectOrder};
pub use proposal::{NumberStyle, Point};
pub use recommendation::{Recommend, Recommendation};
pub use role::{ConsultationRole, RoleEffect, Roles};
pub use workflow::{
    BodyRef, Due, DueAnchor, DueRule, Escalation, Next, SignMode, SignRule, Signer, Stage,
    StageKind, Workflow,
};

/// What a body resolved on a paper, a point of its proposal or a Ziffer of a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionResult {
    Beschlossen,
    /// Adopted with the text as changed in the meeting.
    #[serde(rename = "geändert-beschlossen")]
    GeaendertBeschlossen,
    Abgelehnt,
    Vertagt,
    Verwiesen,
    ZurKenntnisGenommen,
    /// Withdrawn by its authors in the meeting.
    #[serde(rename = "zurückgezogen")]
    Zurueckgezogen,
    /// A Vorberatung recommends it to the deciding body.
    Empfohlen,
    /// A Vorberatung recommends against it.
    NichtEmpfohlen,
}

impl DecisionResult {
    /// Every result with the word users type on the command line and in decision files.
    pub const ALL: [(DecisionResult, &'static str); 9] = [
        (Self::Beschlossen, "beschlossen"),
        (Self::GeaendertBeschlossen, "geändert-beschlossen"),
        (Self::Abgelehnt, "abgelehnt"),
        (Self::Vertagt, "vertagt"),
        (Self::Verwiesen, "verwiesen"),
        (Self::ZurKenntnisGenommen, "zur-kenntnis-genommen"),
        (Self::Zurueckgezogen, "zurückgezogen"),
        (Self::Empfohlen, "empfohlen"),
        (Self::NichtEmpfohlen, "nicht-empfohlen"),
    ];

    /// Whether the consultation is over with this result (vertagt and verwiesen keep it open).
    pub fn completes(self) -> bool {
        !matches!(self, Self::Vertagt | Self::Verwiesen)
    }

    /// Whether the text (or Ziffer) is adopted with this result.
    pub fn adopts(self) -> bool {
        matches!(self, Self::Beschlossen | Self::GeaendertBeschlossen)
    }

    /// The German label ("beschlossen", "zur Kenntnis genommen").
    pub fn label(self) -> &'static str {
        match self {
            Self::Beschlossen => "beschlossen",
            Self::GeaendertBeschlossen => "geändert beschlossen",
            Self::Abgelehnt => "abgelehnt",
            Self::Vertagt => "vertagt",
            Self::Verwiesen => "verwiesen",
            Self::ZurKenntnisGenommen => "zur Kenntnis genommen",
            Self::Zurueckgezogen => "zurückgezogen",
            Self::Empfohlen => "empfohlen",
            Self::NichtEmpfohlen => "nicht empfohlen",
        }
    }

    /// Parses the command-line word; also accepts the German label, spellings without umlauts
    /// and `kenntnisnahme`.
    pub fn parse(word: &str) -> Option<Self> {
        let lower = word
            .trim()
            .to_lowercase()
            .replace(' ', "-")
            .replace("ae", "ä")
            .replace("ue", "ü");
        if lower == "kenntnisnahme" || lower == "zur-kenntnis" {
            return Some(Self::ZurKenntnisGenommen);
        }
        Self::ALL
            .iter()
            .find(|(_, name)| *name == lower)
            .map(|(result, _)| *result)
    }

    /// The words a user may type, for „möglich sind: …“.
    pub fn words() -> Vec<&'static str> {
        Self::ALL.iter().map(|(_, w)| *w).collect()
    }
}

impl fmt::Display for DecisionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
