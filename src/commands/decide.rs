//! `ratsflow decide`: records a body's decision — for the whole paper, or per point and per
//! Ziffer of its motions from a decision file — with votes and referrals, through the record
//! path (`crate::record`: whose turn it is is checked under the paper's lock).

use super::decision_file;
use super::decision_words::{parse_votes, result_message, votes_message};
use super::{Failure, Session, date_de, record};
use crate::cli::DecideArgs;
use crate::engine::{amend, decisions};
use crate::journal::{AmendmentVote, ItemDecision};
use crate::model::dates::Date;
use crate::model::{DecisionResult, Paper, StageKind};
use crate::record::Decision;

/// Pairs each `--amendment P` with the `--adopted`/`--rejected` that follows it.
pub fn votes_from_matches(
    matches: &clap::ArgMatches,
    args: &DecideArgs,
) -> Vec<(String, Option<bool>)> {
    let Some(sub) = matches.subcommand_matches("decide") else {
        return Vec::new();
    };
    let positions = |name: &str| -> Vec<usize> {
        sub.indices_of(name)
            .map(|i| i.collect())
            .unwrap_or_default()
    };
    let amendments = positions("amendment");
    let adopted = positions("adopted");
    let rejected = positions("rejected");
    amendments
        .iter()
        .enumerate()
        .map(|(n, &at)| {
            let until = amendments.get(n + 1).copied().unwrap_or(usize::MAX);
            let yes = adopted.iter().any(|&i| i > at && i < until);
            let no = rejected.iter().any(|&i| i > at && i < until);
            let vote = match (yes, no) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            };
            (args.amendment.get(n).cloned().unwrap_or_default(), vote)
        })
        .collect()
}

/// Whether `body` advises (Vorberatung) rather than decides on `paper` now: its current stage
/// is a Vorberatung at that body, and no referral waits for that body's decision.
fn advises(session: &Session, paper: &Paper, body: &str) -> bool {
    let (Ok(project), Ok(Some(state))) = (session.project(), session.state_of(paper)) else {
        return false;
    };
    if state
        .referrals
        .iter()
        .any(|r| r.is_open() && r.body == body)
    {
        return false;
    }
    let workflow = project.workflow_of(paper);
    let stage = workflow
        .as_deref()
        .zip(state.current())
        .and_then(|(w, i)| w.stages.get(i));
    stage.is_some_and(|stage| {
        matches!(
            &stage.kind,
            StageKind::Consult { role, .. } if role.effect == crate::model::RoleEffect::Recommends
        ) && crate::engine::stage_body(&stage.kind, paper).as_deref() == Some(body)
    })
}

/// The decision file's content, its diagnostics printed when it has mistakes.
fn read_file(
    session: &mut Session,
    paper: &Paper,
    path: &std::path::Path,
) -> Result<decision_file::DecisionFile, Failure> {
    match decision_file::read(session.project()?, paper, path, path) {
        Ok((file, _)) => Ok(file),
        Err(found) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let text = crate::load::yaml::strip_bom(&text).to_string();
            let count = found.len();
            for d in &found {
                eprintln!(
                    "{}",
                    crate::diagnostic::render(d, Some(&text), session.ui.style())
                );
            }
            Err(Failure::Input(format!(
                "die Beschlussdatei hat {}; nichts wurde eingetragen",
                if count == 1 {
                    "1 Fehler".to_string()
                } else {
                    format!("{count} Fehler")
                }
            )))
        }
    }
}

/// `ratsflow decide PAPER --body B --as WHO (--result R [--votes J:N:E | --einstimmig] [--to G] |
/// --file F) [--amendment P --adopted|--rejected]…`.
pub fn run(
    session: &mut Session,
    args: &DecideArgs,
    votes: Vec<(String, Option<bool>)>,
) -> Result<(), Failure> {
    let paper = session.find_paper(&args.paper)?.clone();
    let file = match &args.file {
        Some(path) => Some(read_file(session, &paper, path)?),
        None => None,
    };
    let items: Vec<ItemDecision> = file.as_ref().map(|f| f.items.clone()).unwrap_or_default();
    let result = match args.result.as_deref() {
        Some(word) => match DecisionResult::parse(word) {
            Some(result) => result,
            None => {
                let (message, hint) = result_message(word);
                let hint = hint.map(|h| format!("; {h}")).unwrap_or_default();
                return Err(Failure::Input(format!("{message}{hint}")));
            }
        },
        None => match file.as_ref().and_then(|f| f.result) {
            Some(result) => result,
            None => decisions::overall_result(&items, advises(session, &paper, &args.body))
                .ok_or_else(|| {
                    Failure::Input(
                        "die Beschlussdatei nennt kein Ergebnis: „result:“ oder Ergebnisse unter „points:“/„motions:“ angeben".into(),
                    )
                })?,
        },
    };
    let whole_votes = match (&args.votes, args.einstimmig) {
        (Some(text), _) => Some(
            parse_votes(text)
                .ok_or_else(|| Failure::Input(format!("--votes: {}", votes_message(text))))?,
        ),
        (None, true) => parse_votes("einstimmig"),
        (None, false) => file.as_ref().and_then(|f| f.votes.clone()),
    };
    if result == DecisionResult::Verwiesen && args.to.is_none() && args.file.is_none() {
        eprintln!(
            "Warnung: ohne --to GREMIUM bleibt die Beratung offen, eine Beratung in einem anderen Gremium wird nicht angelegt"
        );
    }
    if let Some(to) = &args.to {
        let project = session.project()?;
        if project.directory.body(to).is_none() {
            let hint = crate::diagnostic::did_you_mean(
                to,
                project.directory.bodies.keys().map(String::as_str),
            )
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
            return Err(Failure::Input(format!(
                "--to: unbekanntes Gremium „{to}“{hint}"
            )));
        }
        if result != DecisionResult::Verwiesen {
            return Err(Failure::Input(format!(
                "--to gilt nur für „verwiesen“, das Ergebnis ist „{}“",
                result.label()
            )));
        }
    }
    let mut amendments = Vec::new();
    for (key, vote) in votes {
        let Some(adopted) = vote else {
            return Err(Failure::Input(format!(
                "zum Antrag „{key}“ fehlt --adopted oder --rejected"
            )));
        };
        let amendment = session.find_paper(&key)?;
        if amendment.amends.as_deref() != Some(paper.id.as_str()) {
            return Err(Failure::Input(format!(
                "„{}“ ist kein Antrag zu „{}“",
                amendment.reference(),
                paper.reference()
            )));
        }
        amendments.push(AmendmentVote {
            paper: amendment.id.clone(),
            adopted,
        });
    }
    // A motion decided per Ziffer counts as adopted when any of its Ziffern is, as rejected
    // when all of them are rejected or withdrawn; otherwise (referred, deferred) not yet.
    let motions: Vec<String> = items.iter().filter_map(|i| i.motion.clone()).collect();
    for id in motions {
        if amendments.iter().any(|a: &AmendmentVote| a.paper == id) {
            continue;
        }
        let own: Vec<&ItemDecision> = items
            .iter()
            .filter(|i| i.motion.as_deref() == Some(id.as_str()))
            .collect();
        let count = session
            .project()?
            .papers
            .get(&id)
            .map_or(0, |m| m.changes.len());
        let adopted = own.iter().any(|i| i.result.adopts());
        let all_rejected = own.len() == count
            && own.iter().all(|i| {
                matches!(
                    i.result,
                    DecisionResult::Abgelehnt | DecisionResult::Zurueckgezogen
                )
            });
        if adopted || all_rejected {
            amendments.push(AmendmentVote { paper: id, adopted });
        }
    }
    let meeting = match &args.meeting {
        Some(text) => Some(
            text.parse::<Date>()
                .map_err(|m| Failure::Input(format!("--meeting: {m}")))?,
        ),
        None => file.as_ref().and_then(|f| f.meeting),
    };
    let decision = Decision {
        body: args.body.clone(),
        recorded_by: args.who.clone(),
        result,
        meeting,
        amendments,
        votes: whole_votes,
        to: args.to.clone(),
        items,
    };
    let recorded = crate::record::decide(session.project()?, &paper, &decision, session.now)
        .map_err(record::failure)?;
    session.forget_journal(&paper.id);
    let project = session.project()?;
    let body_name = project
        .directory
        .body(&args.body)
        .map_or(args.body.clone(), |b| b.name.clone());
    let meeting = recorded
        .entry
        .meeting()
        .map_or(recorded.entry.time.date_naive(), |m| m.0);
    session.say(&format!(
        "{body_name} hat am {} über „{}“ entschieden: {}.",
        date_de(meeting),
        paper.reference(),
        result.label()
    ));
    for line in &recorded.also {
        let to = line.body().unwrap_or("?");
        let name = project.directory.body(to).map_or(to, |b| b.name.as_str());
        let when = line
            .meeting()
            .map_or("ohne Sitzungstermin".to_string(), |m| {
                format!("in der Sitzung am {}", date_de(m.0))
            });
        session.say(&format!("Verwiesen an {name}: Beratung {when}."));
    }
    let today = session.now_local().date_naive();
    if meeting > today {
        eprintln!(
            "Warnung: die Sitzung vom {} liegt in der Zukunft (heute ist der {}); eingetragen ist der Beschluss trotzdem — stimmt das Datum?",
            date_de(meeting),
            date_de(today)
        );
    }
    let adopted = amend::adopted_amendments(&recorded.journal.entries);
    let papers: Vec<_> = adopted
        .iter()
        .filter_map(|a| project.papers.get(a))
        .collect();
    for conflict in amend::decision_draft(&paper, &papers).conflicts {
        eprintln!("Warnung: {}", conflict.message());
    }
    record::announce_position(session, &paper, &recorded.state)
}
