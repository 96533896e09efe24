//! `ratsflow sign` and `ratsflow return`: record a signature or a return in the journal through
//! the record path (`crate::record`: checked and appended as one step under the paper's lock),
//! then say where the paper stands.

use super::{Failure, Session, date_de};
use crate::cli::{ReturnArgs, SignArgs};
use crate::engine::{PaperState, Position};
use crate::model::Paper;
use crate::record::{self, RecordError, Recorded};

/// `ratsflow sign PAPER --as WHO`.
pub fn sign(session: &mut Session, args: &SignArgs) -> Result<(), Failure> {
    let paper = session.find_paper(&args.paper)?.clone();
    let recorded = record::sign(
        session.project()?,
        &paper,
        &args.who,
        args.comment.as_deref(),
        session.now,
    )
    .map_err(failure)?;
    announce(session, &paper, &recorded, &args.who, "unterschrieben")
}

/// `ratsflow return PAPER --as WHO --comment …`.
pub fn give_back(session: &mut Session, args: &ReturnArgs) -> Result<(), Failure> {
    if args.comment.trim().is_empty() {
        return Err(Failure::Input(
            "eine Rückgabe braucht eine Begründung: --comment \"…\"".into(),
        ));
    }
    let paper = session.find_paper(&args.paper)?.clone();
    let recorded = record::give_back(
        session.project()?,
        &paper,
        &args.who,
        &args.comment,
        session.now,
    )
    .map_err(failure)?;
    announce(session, &paper, &recorded, &args.who, "zurückgegeben")
}

/// The exit code of a write that did not happen: a refusal is 1, a lock or I/O problem 2.
pub fn failure(error: RecordError) -> Failure {
    match error {
        RecordError::Refused(refusal) => Failure::Input(refusal.0),
        other => Failure::Tool(other.to_string()),
    }
}

/// Says what happened and where the paper stands now.
fn announce(
    session: &mut Session,
    paper: &Paper,
    recorded: &Recorded,
    who: &str,
    verb: &str,
) -> Result<(), Failure> {
    session.forget_journal(&paper.id);
    let name = session.project()?.directory.person_name(who).to_string();
    session.say(&format!(
        "{name} hat „{}“ in der Stufe „{}“ {verb}.",
        paper.reference(),
        recorded.stage.title
    ));
    announce_position(session, paper, &recorded.state)
}

/// Prints where the paper stands now.
pub fn announce_position(
    session: &Session,
    paper: &Paper,
    state: &PaperState,
) -> Result<(), Failure> {
    let project = session.project()?;
    let Some(workflow) = project.workflow_of(paper) else {
        return Ok(());
    };
    let workflow = &*workflow;
    match state.position {
        Position::Finished(outcome) => session.say(&format!(
            "„{}“ ist abgeschlossen: {}.",
            paper.reference(),
            outcome.label()
        )),
        Position::At(index) => {
            let stage = &workflow.stages[index];
            let stage_state = &state.stages[index];
            let waiting: Vec<&str> = stage_state
                .waiting_for
                .iter()
                .map(|id| project.directory.person_name(id))
                .collect();
            let mut line = format!("Stufe jetzt: {}", stage.title);
            if !waiting.is_empty() {
                line.push_str(&format!(" — es fehlen: {}", waiting.join(", ")));
            }
            if let Some(due) = stage_state.due {
                line.push_str(&format!(" (Frist {})", date_de(due)));
            }
            session.say(&line);
        }
    }
    Ok(())
}
