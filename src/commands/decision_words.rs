//! The words of a decision as users write them — votes („23:4:2“, „einstimmig“), result
//! words with „meinten Sie …?“ — and the administration's recommendation per Ziffer that
//! „wie Stellungnahme“ takes over. Shared by the command line and decision files.

use serde_yaml::Value;

use super::decision_file::scalar;
use crate::diagnostic::did_you_mean;
use crate::journal::Votes;
use crate::load::Project;
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

/// The administration's recommendation per Ziffer of `motion`, as a result and a body for
/// „verweisen an …“; `None` for a Ziffer it says nothing about.
///
/// Stand-in for the „proposal“ helper's `engine::recommend` (not merged yet) with the same
/// meaning: the Stellungnahme answering the motion lists one recommendation per Ziffer —
/// here in its `fields: { empfehlung: [zustimmen, ablehnen, "verweisen an BODY",
/// zur Kenntnis, …] }`. Replace the body of this function by a call to `engine::recommend`.
pub fn recommended(
    project: &Project,
    motion: &Paper,
) -> Result<Vec<Option<Recommendation>>, String> {
    let Some(answer) = project
        .papers
        .values()
        .find(|p| p.answers.as_deref() == Some(motion.id.as_str()))
    else {
        return Err(format!(
            "zum Antrag {} gibt es keine Stellungnahme der Verwaltung; „wie Stellungnahme“ geht nur mit einer",
            motion.reference()
        ));
    };
    let list = answer
        .fields
        .get("empfehlung")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    Ok((0..motion.changes.len())
        .map(|index| {
            let word = list.get(index).and_then(scalar)?.trim().to_lowercase();
            match word.as_str() {
                "zustimmen" | "zustimmung" => Some((DecisionResult::Beschlossen, None)),
                "ablehnen" | "ablehnung" => Some((DecisionResult::Abgelehnt, None)),
                "zur kenntnis" => Some((DecisionResult::ZurKenntnisGenommen, None)),
                other => other
                    .strip_prefix("verweisen an ")
                    .map(|body| (DecisionResult::Verwiesen, Some(body.trim().to_string()))),
            }
        })
        .collect())
}
