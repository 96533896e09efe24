//! The fields councils print on a Vorlage that ratsflow once kept as free text: the
//! Finanzielle Auswirkungen as data (the box of a Beschlussvorlage) and numbered Anlagen that
//! name real files under the project (they go with the notice mails).

use serde::{Deserialize, Serialize};

/// „Finanzielle Auswirkungen: ja / nein“.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Ja,
    Nein,
}

impl Impact {
    pub fn label(self) -> &'static str {
        match self {
            Impact::Ja => "ja",
            Impact::Nein => "nein",
        }
    }
}

/// Whether the expense or income occurs once or every year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recurrence {
    #[serde(rename = "einmalig")]
    Einmalig,
    #[serde(rename = "jährlich")]
    Jährlich,
}

impl Recurrence {
    pub fn label(self) -> &'static str {
        match self {
            Recurrence::Einmalig => "einmalig",
            Recurrence::Jährlich => "jährlich",
        }
    }
}

/// Finanzielle Auswirkungen of a paper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finances {
    /// Whether the decision has financial effects at all; required by `check` (the box always
    /// says ja or nein), optional here so that a wrong word is the only error reported.
    #[serde(default)]
    pub impact: Option<Impact>,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// Aufwand / Auszahlung in euros.
    #[serde(default)]
    pub expense: Option<f64>,
    /// Ertrag / Einzahlung in euros.
    #[serde(default)]
    pub income: Option<f64>,
    /// Haushaltsstelle or Produkt.
    #[serde(default)]
    pub budget_line: Option<String>,
    /// Erläuterung.
    #[serde(default)]
    pub text: Option<String>,
}

/// One Anlage of a paper, numbered by its place in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub title: String,
    /// A file under the project, relative to its root (`anlagen/konzept.pdf`); none for an
    /// Anlage named only by its title.
    pub file: Option<String>,
}
