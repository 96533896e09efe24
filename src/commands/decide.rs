//! `ratsflow decide`: records a body's decision, with the votes on amendment motions.

use super::{Failure, Session, date_de, record};
use crate::cli::DecideArgs;
use crate::engine::{Position, amend};
use crate::journal::{AmendmentVote, Entry, Event};
use crate::model::dates::Date;
use crate::model::{DecisionResult, StageKind};

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

/// `ratsflow decide PAPER --body B --result R [--amendment P --adopted|--rejected]…`.
pub fn run(
    session: &mut Session,
    args: &DecideArgs,
    votes: Vec<(String, Option<bool>)>,
) -> Result<(), Failure> {
    let Some(result) = DecisionResult::parse(&args.result) else {
        let allowed: Vec<&str> = DecisionResult::ALL.iter().map(|(_, w)| *w).collect();
        return Err(Failure::Input(format!(
            "unbekanntes Ergebnis „{}“; möglich sind: {}",
            args.result,
            allowed.join(", ")
        )));
    };
    session.load_journals()?;
    let paper = session.find_paper(&args.paper)?.clone();
    if paper.is_amendment() {
        return Err(Failure::Input(format!(
            "über den Antrag „{}“ wird mit seiner Drucksache entschieden: ratsflow decide {} --body … --amendment {} --adopted",
            paper.reference(),
            paper.amends.as_deref().unwrap_or("?"),
            paper.id
        )));
    }
    let project = session.project()?;
    if project.directory.body(&args.body).is_none() {
        let known = project.directory.bodies.keys().map(String::as_str);
        let hint = crate::diagnostic::did_you_mean(&args.body, known)
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
        return Err(Failure::Input(format!(
            "unbekanntes Gremium „{}“{hint}",
            args.body
        )));
    }
    let state = session
        .state_of(&paper)
        .ok_or_else(|| Failure::Input(format!("„{}“ lässt sich nicht auswerten", paper.id)))?;
    let workflow = &project.workflows[&paper.workflow];
    let body_name = project
        .directory
        .body(&args.body)
        .map_or(args.body.clone(), |b| b.name.clone());
    let index = match state.position {
        Position::Finished(outcome) => {
            return Err(Failure::Input(format!(
                "„{}“ ist abgeschlossen ({}); es steht kein Beschluss mehr aus",
                paper.reference(),
                outcome.label()
            )));
        }
        Position::At(index) => index,
    };
    let stage = &workflow.stages[index];
    let up = matches!(stage.kind, StageKind::Consult { .. })
        && state.stages[index].body.as_deref() == Some(args.body.as_str());
    if !up {
        return Err(Failure::Input(format!(
            "{body_name} ist nicht an der Reihe: „{}“ steht in der Stufe „{}“",
            paper.reference(),
            stage.title
        )));
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
    let meeting = match &args.meeting {
        Some(text) => text
            .parse::<Date>()
            .map_err(|m| Failure::Input(format!("--meeting: {m}")))?,
        None => Date(
            state.stages[index]
                .meeting
                .map_or_else(|| session.now_local().date_naive(), |m| m.date),
        ),
    };
    let entry = Entry {
        body: Some(args.body.clone()),
        stage: Some(stage.id.clone()),
        result: Some(result),
        meeting: Some(meeting),
        hash: Some(paper.content_hash.clone()),
        amendments: amendments.clone(),
        ..Entry::new(session.now_local(), Event::Decided)
    };
    record::write(session, &paper, entry)?;
    session.journals.remove(&paper.id);
    session.load_journals()?;
    session.say(&format!(
        "{body_name} hat am {} über „{}“ entschieden: {}.",
        date_de(meeting.0),
        paper.reference(),
        result.label()
    ));
    let project = session.project()?;
    if let Some(journal) = session.journals.get(&paper.id) {
        let adopted = amend::adopted_amendments(&journal.entries);
        let papers: Vec<_> = adopted
            .iter()
            .filter_map(|a| project.papers.get(a))
            .collect();
        for conflict in amend::decision_draft(&paper, &papers).conflicts {
            eprintln!("Warnung: {}", conflict.message());
        }
    }
    if let Some(after) = session.state_of(&paper) {
        record::announce_position(session, &paper, &after)?;
    }
    Ok(())
}
