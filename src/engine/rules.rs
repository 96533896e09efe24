//! Rules of the office that are not the state of one paper: how reference numbers are counted,
//! which body decides a paper, who may sign or return it now, whose turn it is to decide, and
//! at which time a new journal line may stand. Pure, like the rest of the engine: the record
//! path (`crate::record`) calls these under the paper's lock, on the journal it just re-read.

use chrono::{DateTime, FixedOffset, TimeDelta};

use super::{PaperState, Position};
use crate::diagnostic::did_you_mean;
use crate::load::Project;
use crate::model::{Directory, Paper, Stage, StageKind, Workflow};

/// A request the rules refuse, with the German reason (exit 1: nothing was written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// The current sign stage of a paper; `verb` says what was asked („unterschreiben“,
/// „zurückzugeben“).
pub fn sign_stage<'a>(
    workflow: &'a Workflow,
    paper: &Paper,
    state: &PaperState,
    verb: &str,
) -> Result<&'a Stage, Refusal> {
    match state.position {
        Position::Finished(outcome) => Err(Refusal(format!(
            "„{}“ ist abgeschlossen ({}); es gibt nichts mehr zu {verb}",
            paper.reference(),
            outcome.label()
        ))),
        Position::At(index) => {
            let stage = workflow
                .stages
                .get(index)
                .ok_or_else(|| Refusal(format!("„{}“ lässt sich nicht auswerten", paper.id)))?;
            match &stage.kind {
                StageKind::Sign(_) => Ok(stage),
                StageKind::Consult { .. } => Err(Refusal(format!(
                    "„{}“ liegt in der Stufe „{}“ zur Beratung; dort wird nicht unterschrieben, sondern beschlossen (ratsflow decide)",
                    paper.reference(),
                    stage.title
                ))),
            }
        }
    }
}

/// Refuses unless `who` is one of the signatories of the current stage, or on `day` the deputy
/// (Vertretung) of one who has not signed yet: then it is that person, for whom `who` signs
/// „i. V.“. A signatory's own signature comes first: someone who is both signs as themself
/// until they have.
pub fn may_sign(
    directory: &Directory,
    paper: &Paper,
    stage: &Stage,
    state: &PaperState,
    who: &str,
    day: chrono::NaiveDate,
) -> Result<Option<String>, Refusal> {
    let empty = Vec::new();
    let current = state.current().and_then(|index| state.stages.get(index));
    let signers = current.map_or(&empty, |s| &s.signers);
    let signed = |id: &str| {
        current.is_some_and(|s| s.signatures.iter().any(|sig| sig.who == id && sig.valid))
    };
    let own = signers.iter().any(|s| s == who);
    if own && !signed(who) {
        return Ok(None);
    }
    if let Some(principal) = signers
        .iter()
        .find(|s| !signed(s) && directory.deputy_on(s, day) == Some(who))
    {
        return Ok(Some(principal.clone()));
    }
    if own {
        return Ok(None);
    }
    let list: Vec<String> = signers
        .iter()
        .map(|id| format!("{id} ({})", directory.person_name(id)))
        .collect();
    let mut message = if directory.people.contains_key(who) {
        format!(
            "{} („{who}“) ist in der Stufe „{}“ von „{}“ nicht zur Unterschrift vorgesehen",
            directory.person_name(who),
            stage.title,
            paper.reference()
        )
    } else {
        format!("„{who}“ steht nicht im Verzeichnis")
    };
    if let Some(candidate) = did_you_mean(who, signers.iter().map(String::as_str)) {
        message.push_str(&format!("; meinten Sie „{candidate}“?"));
    } else {
        message.push_str(&format!("; vorgesehen sind: {}", list.join(", ")));
    }
    Err(Refusal(message))
}

/// Refuses a second signature of `who` at the current stage while the first still counts.
pub fn not_signed_yet(
    directory: &Directory,
    paper: &Paper,
    stage: &Stage,
    state: &PaperState,
    who: &str,
) -> Result<(), Refusal> {
    let signature = state
        .current()
        .and_then(|index| state.stages.get(index))
        .and_then(|s| s.signatures.iter().find(|s| s.who == who && s.valid));
    match signature {
        None => Ok(()),
        Some(signature) => Err(Refusal(format!(
            "{} hat „{}“ in der Stufe „{}“ bereits am {} unterschrieben",
            directory.person_name(who),
            paper.reference(),
            stage.title,
            signature.time.date_naive().format("%d.%m.%Y")
        ))),
    }
}

/// The stage index at which `body` decides the paper now, or why it cannot.
pub fn may_decide(
    workflow: &Workflow,
    directory: &Directory,
    paper: &Paper,
    state: &PaperState,
    body: &str,
) -> Result<usize, Refusal> {
    if paper.is_amendment() {
        return Err(Refusal(format!(
            "über den Antrag „{}“ wird mit seiner Drucksache entschieden: ratsflow decide {} --body … --amendment {} --adopted",
            paper.reference(),
            paper.amends.as_deref().unwrap_or("?"),
            paper.id
        )));
    }
    let Some(known) = directory.body(body) else {
        let hint = did_you_mean(body, directory.bodies.keys().map(String::as_str))
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
        return Err(Refusal(format!("unbekanntes Gremium „{body}“{hint}")));
    };
    let index = match state.position {
        Position::Finished(outcome) => {
            return Err(Refusal(format!(
                "„{}“ ist abgeschlossen ({}); es steht kein Beschluss mehr aus",
                paper.reference(),
                outcome.label()
            )));
        }
        Position::At(index) => index,
    };
    let stage = workflow
        .stages
        .get(index)
        .ok_or_else(|| Refusal(format!("„{}“ lässt sich nicht auswerten", paper.id)))?;
    let up = matches!(stage.kind, StageKind::Consult { .. })
        && state.stages.get(index).and_then(|s| s.body.as_deref()) == Some(body);
    if !up {
        return Err(Refusal(format!(
            "{} ist nicht an der Reihe: „{}“ steht in der Stufe „{}“",
            known.name,
            paper.reference(),
            stage.title
        )));
    }
    Ok(index)
}

/// Where a body's decision goes: a stage of the workflow, or a consultation created by a
/// referral (an index into [`PaperState::referrals`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionTarget {
    Stage(usize),
    Referral(usize),
}

/// Where `body` decides the paper now: the open consultation a referral created at that body,
/// else its turn in the workflow ([`may_decide`]).
pub fn decision_target(
    workflow: &Workflow,
    directory: &Directory,
    paper: &Paper,
    state: &PaperState,
    body: &str,
) -> Result<DecisionTarget, Refusal> {
    let at_stage = state
        .current()
        .and_then(|i| state.stages.get(i))
        .is_some_and(|s| {
            s.status == crate::engine::StageStatus::Current && s.body.as_deref() == Some(body)
        });
    if !at_stage
        && !paper.is_amendment()
        && let Some(index) = state
            .referrals
            .iter()
            .rposition(|r| r.is_open() && r.body == body)
    {
        return Ok(DecisionTarget::Referral(index));
    }
    may_decide(workflow, directory, paper, state, body).map(DecisionTarget::Stage)
}

/// Whether `who` may withdraw `paper`: its author, a signatory of the Fraktion that files it,
/// or someone of the office of a body it goes to; and only while no decision ended it.
pub fn may_withdraw(
    directory: &Directory,
    paper: &Paper,
    state: &PaperState,
    who: &str,
) -> Result<(), Refusal> {
    if let Position::Finished(outcome) = state.position {
        return Err(Refusal(format!(
            "„{}“ ist abgeschlossen ({}) und kann nicht mehr zurückgezogen werden",
            paper.reference(),
            outcome.label()
        )));
    }
    if directory.person(who).is_none() {
        let hint = did_you_mean(who, directory.people.keys().map(String::as_str))
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
        return Err(Refusal(format!("unbekannte Person „{who}“{hint}")));
    }
    let author = paper.author.as_deref() == Some(who);
    let fraktion = paper
        .by
        .as_deref()
        .and_then(|b| directory.body(b))
        .is_some_and(|b| b.signatories.iter().any(|s| s == who));
    let office = state
        .stages
        .iter()
        .filter_map(|s| s.body.as_deref())
        .chain(paper.body.as_deref())
        .filter_map(|b| directory.body(b))
        .any(|b| b.office.iter().any(|o| o == who));
    if author || fraktion || office {
        Ok(())
    } else {
        Err(Refusal(format!(
            "{} darf „{}“ nicht zurückziehen: das dürfen nur die Verfasserin oder der Verfasser, die Unterzeichnenden der Fraktion und die Geschäftsstelle des Gremiums",
            directory.person_name(who),
            paper.reference()
        )))
    }
}

/// Whether `who` may record an editorial correction of `paper`: the paper must be decided and
/// changed since, and `who` its author or of the office of a body it went to.
pub fn may_correct(
    directory: &Directory,
    paper: &Paper,
    state: &PaperState,
    frozen: Option<&crate::engine::decisions::Frozen>,
    who: &str,
) -> Result<(), Refusal> {
    let Some(frozen) = frozen else {
        return Err(Refusal(format!(
            "„{}“ ist noch nicht beschlossen; bis zum Beschluss wird die Drucksache einfach geändert",
            paper.reference()
        )));
    };
    if frozen.hash == paper.content_hash {
        return Err(Refusal(format!(
            "„{}“ ist seit dem Beschluss unverändert; es gibt nichts zu korrigieren",
            paper.reference()
        )));
    }
    if directory.person(who).is_none() {
        let hint = did_you_mean(who, directory.people.keys().map(String::as_str))
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
        return Err(Refusal(format!("unbekannte Person „{who}“{hint}")));
    }
    let author = paper.author.as_deref() == Some(who);
    let office = state
        .stages
        .iter()
        .filter_map(|s| s.body.as_deref())
        .filter_map(|b| directory.body(b))
        .any(|b| b.office.iter().any(|o| o == who));
    if author || office {
        Ok(())
    } else {
        Err(Refusal(format!(
            "{} darf „{}“ nicht korrigieren: das dürfen nur die Verfasserin oder der Verfasser und die Geschäftsstelle des Gremiums",
            directory.person_name(who),
            paper.reference()
        )))
    }
}

/// How far a new line's time may lie before the journal's last one and still be recorded (at
/// the last one's time): a real clock read before waiting for the lock, or two machines whose
/// clocks differ a little.
pub const CLOCK_SLACK: TimeDelta = TimeDelta::minutes(5);

/// The time a new line gets so that a journal stays in time order: `now`, or the journal's
/// latest time when that is (a little) later. A `now` far before the latest line (`--now` set
/// into the past of the journal) is refused.
pub fn entry_time(
    latest: Option<DateTime<FixedOffset>>,
    now: DateTime<FixedOffset>,
    paper: &Paper,
) -> Result<DateTime<FixedOffset>, Refusal> {
    match latest {
        Some(latest) if latest > now => {
            if latest - now <= CLOCK_SLACK {
                Ok(latest)
            } else {
                Err(Refusal(format!(
                    "das Journal von „{}“ enthält schon einen Eintrag vom {}; ein Eintrag vom {} stünde davor (Uhrzeit oder --now prüfen)",
                    paper.reference(),
                    latest.format("%d.%m.%Y %H:%M"),
                    now.format("%d.%m.%Y %H:%M")
                )))
            }
        }
        _ => Ok(now),
    }
}

/// The next free number in the series `prefix` (empty for plain Drucksachen numbers) for the
/// two-digit year `yy`: „M 003/26“ is number 3 of series `M` in 2026.
pub fn next_number<'a>(references: impl Iterator<Item = &'a str>, prefix: &str, yy: u32) -> u32 {
    let suffix = format!("/{yy:02}");
    references
        .filter_map(|reference| {
            let rest = reference.strip_prefix(prefix)?;
            // „M 003/26“ belongs to series M, „MA 003/26“ does not.
            let rest = if prefix.is_empty() {
                rest
            } else {
                rest.strip_prefix(' ')?
            };
            let number = rest.strip_suffix(&suffix)?;
            if number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()) {
                number.parse::<u32>().ok()
            } else {
                None
            }
        })
        .max()
        .map_or(1, |n| n + 1)
}

/// A reference number as printed: „001/26“ or „M 001/26“.
pub fn reference(prefix: &str, number: u32, yy: u32) -> String {
    if prefix.is_empty() {
        format!("{number:03}/{yy:02}")
    } else {
        format!("{prefix} {number:03}/{yy:02}")
    }
}

/// The body that decides a paper: the body of its last consultation with the role
/// Entscheidung, else of its last consultation.
pub fn deciding_body<'a>(project: &'a Project, paper: &'a Paper) -> Option<&'a str> {
    // The original workflow: a paper's earlier bodies only deliberate before (Vorberatung).
    let workflow = project.workflows.get(&paper.workflow)?;
    let consults = workflow
        .stages
        .iter()
        .filter_map(|stage| match &stage.kind {
            StageKind::Consult { body, role, .. } => Some((body, role)),
            StageKind::Sign(_) => None,
        });
    let all: Vec<_> = consults.collect();
    let (body, _) = all
        .iter()
        .rev()
        .find(|(_, role)| role.decides())
        .or(all.last())?;
    match body {
        crate::model::BodyRef::Fixed(id) => Some(id.as_str()),
        crate::model::BodyRef::PaperBody => paper.body.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_per_series_and_year() {
        let refs = [
            "042/21",
            "001/26",
            "007/26",
            "M 003/26",
            "MA 009/26",
            "A 001/25",
            "B 2017/500/3708",
        ];
        assert_eq!(next_number(refs.iter().copied(), "", 26), 8);
        assert_eq!(next_number(refs.iter().copied(), "M", 26), 4);
        assert_eq!(next_number(refs.iter().copied(), "A", 26), 1);
        assert_eq!(next_number(refs.iter().copied(), "", 21), 43);
        assert_eq!(reference("M", 4, 26), "M 004/26");
        assert_eq!(reference("", 8, 26), "008/26");
    }
}
