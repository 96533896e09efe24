//! A Stellungnahme's recommendations as templates see them: per Ziffer of the answered motion,
//! what the Ziffer does, the recommendation in words and its reasons.

use serde::Serialize;

use crate::load::Project;
use crate::model::{Change, Paper};

/// One recommendation, printed.
#[derive(Debug, Serialize)]
pub struct RecommendationView {
    pub ziffer: usize,
    /// The Ziffer's heading in the motion („Änderung des Beschlussvorschlages in Punkt 3“).
    pub subject: Option<String>,
    /// „Zustimmung“, „Verweisung an: Sozialausschuss“.
    pub recommend: String,
    pub reasons: Option<String>,
}

/// The recommendations of `paper` (a Stellungnahme), in the order of the Ziffern.
pub fn views(project: &Project, paper: &Paper) -> Vec<RecommendationView> {
    let motion = paper
        .answers
        .as_deref()
        .and_then(|id| project.papers.get(id));
    let labels = motion.map(|m| {
        let base_len = m
            .amends
            .as_deref()
            .and_then(|b| project.papers.get(b))
            .map_or(0, |b| b.proposal.len());
        Change::labels(&m.changes, base_len, project.base_numbering(m))
    });
    crate::engine::recommend::recommendations(paper)
        .into_values()
        .map(|r| {
            let to =
                r.to.as_deref()
                    .map(|b| project.directory.body(b).map_or(b, |b| b.name.as_str()));
            RecommendationView {
                ziffer: r.ziffer,
                subject: labels
                    .as_ref()
                    .and_then(|l| l.get(r.ziffer.wrapping_sub(1)).cloned()),
                recommend: r.recommend.label(to),
                reasons: r.reasons.clone(),
            }
        })
        .collect()
}
