//! The administration's recommendation on one Ziffer of a motion, as a Stellungnahme der
//! Verwaltung gives it (`recommendations:`): zustimmen, ablehnen, verweisen an a body,
//! teilweise zustimmen, zur Kenntnis nehmen — with its reasons.

use serde::{Deserialize, Serialize};

/// What the administration recommends for one Ziffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Recommend {
    Zustimmen,
    Ablehnen,
    /// Refer to another body (`to:`).
    Verweisen,
    Teilweise,
    Kenntnis,
}

impl Recommend {
    /// „Zustimmung“, „Verweisung an den Sozialausschuss“ — `to` is the body's name.
    pub fn label(self, to: Option<&str>) -> String {
        match (self, to) {
            (Recommend::Zustimmen, _) => "Zustimmung".into(),
            (Recommend::Ablehnen, _) => "Ablehnung".into(),
            (Recommend::Verweisen, Some(to)) => format!("Verweisung an: {to}"),
            (Recommend::Verweisen, None) => "Verweisung".into(),
            (Recommend::Teilweise, _) => "teilweise Zustimmung".into(),
            (Recommend::Kenntnis, _) => "Kenntnisnahme".into(),
        }
    }
}

/// One recommendation of a Stellungnahme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    /// The Ziffer of the motion (1-based position in its `changes:`).
    pub ziffer: usize,
    pub recommend: Recommend,
    /// The body to refer to (body id), for `verweisen`.
    pub to: Option<String>,
    pub reasons: Option<String>,
}
