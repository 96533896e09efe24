//! Decisions finer than one result per stage, as a Niederschrift records them: referrals that
//! open consultations at other bodies (Beratungsfolge rows beyond the workflow's stages), and
//! the state of a motion derived from the results of its Ziffern.
//!
//! Both are read from the journal only, so they replay like everything else: a `referred` line
//! opens a consultation at a body; a later `decided` line of that body without a stage decides
//! it; the latest `decided` line naming a Ziffer gives that Ziffer's result.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::Decision;
use crate::journal::{Entry, Event, ItemDecision};
use crate::model::DecisionResult;

/// A consultation created by a referral (verwiesen an), beyond the workflow's stages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referral {
    /// The body it was referred to.
    pub body: String,
    /// Its meeting: the body's next calendar meeting after the referring one, if known.
    pub meeting: Option<NaiveDate>,
    /// The stage of the referring consultation.
    pub from_stage: Option<String>,
    /// What was referred; empty: the whole paper.
    pub items: Vec<ItemDecision>,
    pub time: DateTime<FixedOffset>,
    /// The decisions of the body it was referred to, in order.
    pub decisions: Vec<Decision>,
    /// The results per point and Ziffer of that body's last decision.
    pub decided_items: Vec<ItemDecision>,
}

impl Referral {
    /// Whether the body still has to decide (nothing decided yet, or only vertagt).
    pub fn is_open(&self) -> bool {
        self.decisions.last().is_none_or(|d| !d.result.completes())
    }
}

/// The referrals recorded in `entries`. For a motion (`motion` set), the entries are its base
/// paper's journal and only referrals of its own Ziffern count, with those Ziffern only.
pub fn referrals(entries: &[Entry], motion: Option<&str>) -> Vec<Referral> {
    let mut found: Vec<Referral> = Vec::new();
    for entry in entries {
        match entry.event {
            Event::Referred => {
                let Some(body) = entry.body().map(str::to_string) else {
                    continue;
                };
                let items: Vec<ItemDecision> = match motion {
                    Some(id) => entry
                        .items()
                        .iter()
                        .filter(|i| i.motion.as_deref() == Some(id))
                        .cloned()
                        .collect(),
                    None => entry.items().to_vec(),
                };
                if motion.is_some() && items.is_empty() {
                    continue;
                }
                found.push(Referral {
                    body,
                    meeting: entry.meeting().map(|d| d.0),
                    from_stage: entry.stage.as_deref().map(String::from),
                    items,
                    time: entry.time,
                    decisions: Vec::new(),
                    decided_items: Vec::new(),
                });
            }
            Event::Decided if is_referral_decision(entry) => {
                let Some(result) = entry.result() else {
                    continue;
                };
                let open = found
                    .iter_mut()
                    .rev()
                    .find(|r| r.is_open() && entry.body() == Some(r.body.as_str()));
                if let Some(referral) = open {
                    referral.decisions.push(Decision {
                        result,
                        meeting: entry.meeting().map(|d| d.0),
                        time: entry.time,
                    });
                    referral.decided_items = entry.items().to_vec();
                }
            }
            _ => {}
        }
    }
    found
}

/// A decision taken by a body a paper was referred to: it names no workflow stage.
pub fn is_referral_decision(entry: &Entry) -> bool {
    entry.event == Event::Decided && entry.stage.is_none()
}

/// The latest result of each of a motion's `count` Ziffern, from its base paper's journal:
/// per-Ziffer decisions, or (for a vote on the motion as a whole) the same result for all.
pub fn ziffer_results(motion: &str, count: usize, base: &[Entry]) -> Vec<Option<ItemDecision>> {
    let mut results: Vec<Option<ItemDecision>> = vec![None; count];
    for entry in base.iter().filter(|e| e.event == Event::Decided) {
        let own: Vec<&ItemDecision> = entry
            .items()
            .iter()
            .filter(|i| i.motion.as_deref() == Some(motion))
            .collect();
        if own.is_empty() {
            if let Some(vote) = entry.amendments().iter().find(|v| v.paper == motion) {
                let result = if vote.adopted {
                    DecisionResult::Beschlossen
                } else {
                    DecisionResult::Abgelehnt
                };
                for (index, slot) in results.iter_mut().enumerate() {
                    *slot = Some(ItemDecision {
                        motion: Some(motion.to_string()),
                        number: index + 1,
                        result,
                        text: None,
                        to: None,
                        votes: None,
                    });
                }
            }
            continue;
        }
        for item in own {
            if let Some(slot) = item.number.checked_sub(1).and_then(|i| results.get_mut(i)) {
                *slot = Some(item.clone());
            }
        }
    }
    results
}

/// How a motion's Ziffer result reads for the motion: „angenommen“ for beschlossen.
fn motion_word(result: DecisionResult) -> &'static str {
    match result {
        DecisionResult::Beschlossen => "angenommen",
        DecisionResult::GeaendertBeschlossen => "geändert angenommen",
        other => other.label(),
    }
}

/// The state of a motion derived per Ziffer: „angenommen“, „abgelehnt“, or „teilweise
/// abgelehnt, teilweise verwiesen“ (in the order of the Ziffern); `None` before any decision.
pub fn motion_state(results: &[Option<ItemDecision>]) -> Option<String> {
    if results.iter().all(Option::is_none) {
        return None;
    }
    let mut words: Vec<&str> = Vec::new();
    for result in results {
        let word = result.as_ref().map_or("offen", |r| motion_word(r.result));
        if !words.contains(&word) {
            words.push(word);
        }
    }
    Some(match words.as_slice() {
        [one] => (*one).to_string(),
        many => many
            .iter()
            .map(|w| format!("teilweise {w}"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The result of a whole paper from the results of its points and of the Ziffern decided with
/// it, when no result for the whole is given: adopted when any point is, or when no point is
/// named (the proposal stands, whatever became of the motions) — „geändert beschlossen“ when a
/// point was changed or a Ziffer adopted; else the points' common result, else abgelehnt. In a
/// Vorberatung: empfohlen / nicht empfohlen.
pub fn overall_result(items: &[ItemDecision], vorberatung: bool) -> Option<DecisionResult> {
    if items.is_empty() {
        return None;
    }
    let points: Vec<&ItemDecision> = items.iter().filter(|i| i.motion.is_none()).collect();
    let adopted = points.is_empty() || points.iter().any(|i| i.result.adopts());
    let changed = items.iter().any(|i| {
        i.result == DecisionResult::GeaendertBeschlossen
            || (i.motion.is_some() && i.result.adopts())
    });
    let result = if adopted {
        if changed {
            DecisionResult::GeaendertBeschlossen
        } else {
            DecisionResult::Beschlossen
        }
    } else if let Some(common) = points
        .first()
        .map(|p| p.result)
        .filter(|r| points.iter().all(|p| p.result == *r))
    {
        common
    } else {
        DecisionResult::Abgelehnt
    };
    Some(match (vorberatung, result) {
        (true, r) if r.adopts() => DecisionResult::Empfohlen,
        (true, DecisionResult::Abgelehnt) => DecisionResult::NichtEmpfohlen,
        (_, r) => r,
    })
}

/// What a decided paper is frozen at: the content its deciding decision was taken on, or the
/// latest editorial correction after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frozen {
    pub hash: String,
    /// The meeting of the deciding decision.
    pub meeting: Option<NaiveDate>,
    pub body: Option<String>,
}

/// The frozen content of a paper whose path ended with a decision (`finished`); `None` while a
/// decision is still to come.
pub fn frozen(entries: &[Entry], finished: bool) -> Option<Frozen> {
    if !finished {
        return None;
    }
    let at = entries.iter().rposition(|e| {
        e.event == Event::Decided
            && !is_referral_decision(e)
            && e.result().is_some_and(DecisionResult::completes)
    })?;
    let deciding = &entries[at];
    let hash = entries[at..]
        .iter()
        .filter(|e| e.event == Event::Corrected)
        .filter_map(|e| e.hash.as_deref())
        .next_back()
        .or(deciding.hash.as_deref())?
        .to_string();
    Some(Frozen {
        hash,
        meeting: deciding.meeting().map(|d| d.0),
        body: deciding.body().map(str::to_string),
    })
}

/// The notices of a withdrawal: (stage, recipient, time, comment) for every signer of the
/// stage it was withdrawn at who had not signed, and every member of the office of a body whose
/// consultation was still to come — not the person who withdrew it.
pub fn withdrawal_notices(
    inputs: &super::Inputs<'_>,
    state: &super::PaperState,
) -> Vec<(String, String, DateTime<FixedOffset>, Option<String>)> {
    use super::{Outcome, Position, StageStatus};
    if state.position != Position::Finished(Outcome::Withdrawn) {
        return Vec::new();
    }
    let Some(entry) = inputs
        .journal
        .iter()
        .rev()
        .find(|e| e.event == Event::Withdrawn)
    else {
        return Vec::new();
    };
    let by = entry.who.as_deref().unwrap_or_default();
    let comment = Some(format!(
        "von {} zurückgezogen{}",
        inputs.directory.person_name(by),
        entry
            .comment()
            .map(|c| format!(" (Bemerkung: „{c}“)"))
            .unwrap_or_default()
    ));
    let at = inputs
        .workflow
        .stages
        .iter()
        .position(|s| Some(s.id.as_str()) == entry.stage.as_deref());
    let mut out: Vec<(String, String, DateTime<FixedOffset>, Option<String>)> = Vec::new();
    let mut add = |stage: &str, who: &str| {
        if who != by && !out.iter().any(|(_, w, _, _)| w == who) {
            out.push((
                stage.to_string(),
                who.to_string(),
                entry.time,
                comment.clone(),
            ));
        }
    };
    for (index, (stage, stage_state)) in
        inputs.workflow.stages.iter().zip(&state.stages).enumerate()
    {
        if stage_state.status == StageStatus::Skipped || at.is_some_and(|a| index < a) {
            continue;
        }
        if Some(index) == at {
            for signer in &stage_state.signers {
                if !stage_state.signatures.iter().any(|s| &s.who == signer) {
                    add(&stage.id, signer);
                }
            }
        }
        if let Some(body) = stage_state
            .body
            .as_deref()
            .and_then(|b| inputs.directory.body(b))
        {
            for office in &body.office {
                add(&stage.id, office);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{AmendmentVote, Consultation};
    use crate::model::dates::Date;
    use chrono::TimeZone;

    fn time(day: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(3600)
            .and_then(|tz| tz.with_ymd_and_hms(2019, 6, day, 19, 0, 0).single())
            .unwrap()
    }

    fn item(motion: Option<&str>, number: usize, result: DecisionResult) -> ItemDecision {
        ItemDecision {
            motion: motion.map(str::to_string),
            number,
            result,
            text: None,
            to: None,
            votes: None,
        }
    }

    #[test]
    fn a_motion_state_is_derived_per_ziffer() {
        use DecisionResult::*;
        let decided = Entry {
            stage: Some("kreistag".into()),
            ..Entry::new(time(27), Event::Decided)
        }
        .with_consultation(Consultation {
            items: vec![
                item(Some("m"), 1, Abgelehnt),
                item(Some("m"), 2, Verwiesen),
                item(Some("m"), 3, Verwiesen),
                item(Some("m"), 4, GeaendertBeschlossen),
                item(None, 1, Beschlossen),
            ],
            ..Consultation::default()
        });
        let results = ziffer_results("m", 4, std::slice::from_ref(&decided));
        assert_eq!(
            motion_state(&results).as_deref(),
            Some("teilweise abgelehnt, teilweise verwiesen, teilweise geändert angenommen")
        );
        assert_eq!(motion_state(&ziffer_results("other", 2, &[decided])), None);
        let whole = Entry::new(time(27), Event::Decided).with_consultation(Consultation {
            amendments: vec![AmendmentVote {
                paper: "m".into(),
                adopted: true,
            }],
            ..Consultation::default()
        });
        assert_eq!(
            motion_state(&ziffer_results("m", 2, &[whole])).as_deref(),
            Some("angenommen")
        );
    }

    #[test]
    fn a_referral_opens_a_consultation_until_that_body_decides() {
        let referred = Entry {
            stage: Some("kreistag".into()),
            ..Entry::new(time(27), Event::Referred)
        }
        .with_consultation(Consultation {
            body: Some("ausschuss".into()),
            meeting: Some(Date(NaiveDate::from_ymd_opt(2019, 9, 16).unwrap())),
            items: vec![item(Some("m"), 2, DecisionResult::Verwiesen)],
            ..Consultation::default()
        });
        let open = referrals(std::slice::from_ref(&referred), Some("m"));
        assert_eq!(open.len(), 1);
        assert!(open[0].is_open());
        assert!(referrals(std::slice::from_ref(&referred), Some("n")).is_empty());
        let decided = Entry::new(time(28), Event::Decided).with_consultation(Consultation {
            body: Some("ausschuss".into()),
            result: Some(DecisionResult::Beschlossen),
            ..Consultation::default()
        });
        let done = referrals(&[referred, decided], None);
        assert!(!done[0].is_open());
    }

    #[test]
    fn the_whole_result_follows_the_points() {
        use DecisionResult::*;
        let adopted = [item(None, 1, Beschlossen), item(None, 2, Abgelehnt)];
        assert_eq!(overall_result(&adopted, false), Some(Beschlossen));
        assert_eq!(overall_result(&adopted, true), Some(Empfohlen));
        let changed = [item(None, 1, Beschlossen), item(Some("m"), 1, Beschlossen)];
        assert_eq!(overall_result(&changed, false), Some(GeaendertBeschlossen));
        let deferred = [item(None, 1, Vertagt), item(None, 2, Vertagt)];
        assert_eq!(overall_result(&deferred, false), Some(Vertagt));
        assert_eq!(overall_result(&[], false), None);
        // Only motions named: the proposal stands, changed when a Ziffer is adopted.
        let motions = [item(Some("m"), 1, Abgelehnt)];
        assert_eq!(overall_result(&motions, false), Some(Beschlossen));
        let motions = [
            item(Some("m"), 1, Abgelehnt),
            item(Some("m"), 2, Beschlossen),
        ];
        assert_eq!(overall_result(&motions, false), Some(GeaendertBeschlossen));
    }
}
