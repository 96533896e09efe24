//! The words of a decision as users write them — votes („23:4:2“, „einstimmig“), result
//! words with „meinten Sie …?“ — and the administration's recommendation per Ziffer that
//! „wie Stellungnahme“ takes over. Shared by the command line and decision files.

use serde_yaml::Value;

use super::decision_file::scalar;
use crate::diagnostic::did_you_mean;
use crate::journal::Votes;
use crate::load::Project;
use crate::model::Recommend;
use crate::model::{DecisionResult, Paper};

/// Reads votes as written: „23:4:2“ (Ja:Nein:Enthaltungen), „23:4:2:1“ (and befangen),
/// „einstimmig“.
pub fn parse_votes(text: &str) -> Option<Votes> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("einstimmig") {
        return Some(Votes {
            einstimmig: true,
            ..Votes::default()
        });
    }
    let numbers: Vec<u32> = text
        .split(':')
        .map(|n| n.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .ok()?;
    match numbers.as_slice() {
        [ja, nein, enthaltungen] => Some(Votes {
            ja: Some(*ja),
            nein: Some(*nein),
            enthaltungen: Some(*enthaltungen),
            ..Votes::default()
        }),
        [ja, nein, enthaltungen, befangen] => Some(Votes {
            ja: Some(*ja),
            nein: Some(*nein),
            enthaltungen: Some(*enthaltungen),
            befangen: Some(*befangen),
            ..Votes::default()
        }),
        _ => None,
    }
}

/// The message for votes that do not read.
pub fn votes_message(text: &str) -> String {
    format!(
        "die Stimmen „{text}“ sind nicht lesbar; erwartet ist Ja:Nein:Enthaltungen (etwa 23:4:2), mit Befangenen 23:4:2:1, oder „einstimmig“"
    )
}

/// The message for an unknown result word, with a suggestion.
pub fn result_message(word: &str) -> (String, Option<String>) {
    let words = DecisionResult::words();
    let hint = did_you_mean(word, words.iter().copied()).map(|c| format!("meinten Sie „{c}“?"));
    (
        format!(
            "unbekanntes Ergebnis „{word}“; möglich sind: {}",
            words.join(", ")
        ),
        hint,
    )
}

/// A recommended result for one Ziffer, with the body for „verweisen an …“.
pub type Recommendation = (DecisionResult, Option<String>);

/// Whether a motion's value asks for the administration's recommendation.
pub(super) fn as_recommended(value: &Value) -> bool {
    scalar(value).is_some_and(|text| {
        let text = text.trim().to_lowercase().replace('-', " ");
        text == "wie stellungnahme"
    })
}

/// „wie Stellungnahme“: per Ziffer of `motion` (index 0 = Ziffer 1) the result the
/// Stellungnahme der Verwaltung answering it recommends (`engine::recommend`); `None` for a
/// Ziffer without a recommendation or with „teilweise“, which the body must decide itself.
pub fn recommended(
    project: &Project,
    motion: &Paper,
) -> Result<Vec<Option<Recommendation>>, String> {
    if crate::engine::recommend::stellungnahmen(project.papers.values(), &motion.id).is_empty() {
        return Err(format!(
            "zum Antrag {} gibt es keine Stellungnahme der Verwaltung; „wie Stellungnahme“ geht nur mit einer",
            motion.reference()
        ));
    }
    let by_ziffer = crate::engine::recommend::for_motion(project.papers.values(), &motion.id);
    Ok((1..=motion.changes.len())
        .map(|ziffer| {
            let r = by_ziffer.get(&ziffer)?;
            match r.recommend {
                Recommend::Zustimmen => Some((DecisionResult::Beschlossen, None)),
                Recommend::Ablehnen => Some((DecisionResult::Abgelehnt, None)),
                Recommend::Kenntnis => Some((DecisionResult::ZurKenntnisGenommen, None)),
                Recommend::Verweisen => Some((DecisionResult::Verwiesen, r.to.clone())),
                Recommend::Teilweise => None,
            }
        })
        .collect())
}
