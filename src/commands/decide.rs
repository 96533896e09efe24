//! `ratsflow decide`: records a body's decision, with the votes on amendment motions, through
//! the record path (`crate::record`: whose turn it is is checked under the paper's lock).

use super::{Failure, Session, date_de, record};
use crate::cli::DecideArgs;
use crate::engine::amend;
use crate::journal::AmendmentVote;
use crate::model::DecisionResult;
use crate::model::dates::Date;
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

/// `ratsflow decide PAPER --body B --as WHO --result R [--amendment P --adopted|--rejected]…`.
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
    let paper = session.find_paper(&args.paper)?.clone();
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
        Some(text) => Some(
            text.parse::<Date>()
                .map_err(|m| Failure::Input(format!("--meeting: {m}")))?,
        ),
        None => None,
    };
    let decision = Decision {
        body: args.body.clone(),
        recorded_by: args.who.clone(),
        result,
        meeting,
        amendments,
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
        .meeting
        .map_or(recorded.entry.time.date_naive(), |m| m.0);
    session.say(&format!(
        "{body_name} hat am {} über „{}“ entschieden: {}.",
        date_de(meeting),
        paper.reference(),
        result.label()
    ));
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
