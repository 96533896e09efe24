//! `ratsflow sign` and `ratsflow return`: record a signature or a return in the journal,
//! after checking that the person is asked at the paper's current stage.

use super::{Failure, Session, date_de};
use crate::cli::{ReturnArgs, SignArgs};
use crate::diagnostic::did_you_mean;
use crate::engine::{PaperState, Position};
use crate::journal::{self, Entry, Event};
use crate::model::{Paper, Stage, StageKind};

/// The current sign stage of a paper, or a German refusal.
fn current_sign_stage<'a>(
    session: &'a Session,
    paper: &Paper,
    state: &PaperState,
    verb: &str,
) -> Result<&'a Stage, Failure> {
    let project = session.project()?;
    let workflow = project
        .workflows
        .get(&paper.workflow)
        .ok_or_else(|| Failure::Input(format!("der Ablauf „{}“ fehlt", paper.workflow)))?;
    match state.position {
        Position::Finished(outcome) => Err(Failure::Input(format!(
            "„{}“ ist abgeschlossen ({}); es gibt nichts mehr zu {verb}",
            paper.reference(),
            outcome.label()
        ))),
        Position::At(index) => {
            let stage = &workflow.stages[index];
            match &stage.kind {
                StageKind::Sign(_) => Ok(stage),
                StageKind::Consult { .. } => Err(Failure::Input(format!(
                    "„{}“ liegt in der Stufe „{}“ zur Beratung; dort wird nicht unterschrieben, sondern beschlossen (ratsflow decide)",
                    paper.reference(),
                    stage.title
                ))),
            }
        }
    }
}

/// Refuses unless `who` is one of the stage's signatories.
fn check_signer(
    session: &Session,
    paper: &Paper,
    stage: &Stage,
    state: &PaperState,
    who: &str,
) -> Result<(), Failure> {
    let project = session.project()?;
    let index = state.current().unwrap_or_default();
    let signers = &state.stages[index].signers;
    if signers.iter().any(|s| s == who) {
        return Ok(());
    }
    let list: Vec<String> = signers
        .iter()
        .map(|id| format!("{id} ({})", project.directory.person_name(id)))
        .collect();
    let unknown = !project.directory.people.contains_key(who);
    let mut message = if unknown {
        format!("„{who}“ steht nicht im Verzeichnis")
    } else {
        format!(
            "{} („{who}“) ist in der Stufe „{}“ von „{}“ nicht zur Unterschrift vorgesehen",
            project.directory.person_name(who),
            stage.title,
            paper.reference()
        )
    };
    if let Some(candidate) = did_you_mean(who, signers.iter().map(String::as_str)) {
        message.push_str(&format!("; meinten Sie „{candidate}“?"));
    } else {
        message.push_str(&format!("; vorgesehen sind: {}", list.join(", ")));
    }
    Err(Failure::Input(message))
}

/// `ratsflow sign PAPER --as WHO`.
pub fn sign(session: &mut Session, args: &SignArgs) -> Result<(), Failure> {
    session.load_journals()?;
    let paper = session.find_paper(&args.paper)?.clone();
    let state = session
        .state_of(&paper)
        .ok_or_else(|| Failure::Input(format!("„{}“ lässt sich nicht auswerten", paper.id)))?;
    let stage = current_sign_stage(session, &paper, &state, "unterschreiben")?.clone();
    check_signer(session, &paper, &stage, &state, &args.who)?;
    let index = state.current().unwrap_or_default();
    if let Some(signature) = state.stages[index]
        .signatures
        .iter()
        .find(|s| s.who == args.who && s.valid)
    {
        return Err(Failure::Input(format!(
            "{} hat „{}“ in der Stufe „{}“ bereits am {} unterschrieben",
            session.project()?.directory.person_name(&args.who),
            paper.reference(),
            stage.title,
            date_de(signature.time.date_naive())
        )));
    }
    let entry = Entry {
        who: Some(args.who.clone()),
        stage: Some(stage.id.clone()),
        hash: Some(paper.content_hash.clone()),
        comment: args.comment.clone().filter(|c| !c.trim().is_empty()),
        ..Entry::new(session.now_local(), Event::Signed)
    };
    record_and_announce(
        session,
        &paper,
        entry,
        &args.who,
        &stage.title,
        "unterschrieben",
    )
}

/// `ratsflow return PAPER --as WHO --comment …`.
pub fn give_back(session: &mut Session, args: &ReturnArgs) -> Result<(), Failure> {
    if args.comment.trim().is_empty() {
        return Err(Failure::Input(
            "eine Rückgabe braucht eine Begründung: --comment \"…\"".into(),
        ));
    }
    session.load_journals()?;
    let paper = session.find_paper(&args.paper)?.clone();
    let state = session
        .state_of(&paper)
        .ok_or_else(|| Failure::Input(format!("„{}“ lässt sich nicht auswerten", paper.id)))?;
    let stage = current_sign_stage(session, &paper, &state, "zurückzugeben")?.clone();
    check_signer(session, &paper, &stage, &state, &args.who)?;
    let entry = Entry {
        who: Some(args.who.clone()),
        stage: Some(stage.id.clone()),
        hash: Some(paper.content_hash.clone()),
        comment: Some(args.comment.trim().to_string()),
        ..Entry::new(session.now_local(), Event::Returned)
    };
    record_and_announce(
        session,
        &paper,
        entry,
        &args.who,
        &stage.title,
        "zurückgegeben",
    )
}

/// Writes the entry, then says what happened and where the paper stands now.
fn record_and_announce(
    session: &mut Session,
    paper: &Paper,
    entry: Entry,
    who: &str,
    stage_title: &str,
    verb: &str,
) -> Result<(), Failure> {
    write(session, paper, entry)?;
    session.journals.remove(&paper.id);
    session.load_journals()?;
    let name = session.project()?.directory.person_name(who).to_string();
    session.say(&format!(
        "{name} hat „{}“ in der Stufe „{stage_title}“ {verb}.",
        paper.reference()
    ));
    if let Some(after) = session.state_of(paper) {
        announce_position(session, paper, &after)?;
    }
    Ok(())
}

/// Appends one entry to a paper's journal.
pub fn write(session: &Session, paper: &Paper, entry: Entry) -> Result<(), Failure> {
    let path = session.project()?.folders().journal(&paper.id);
    journal::append(&path, &[entry]).map_err(|e| Failure::Tool(e.to_string()))
}

/// Prints where the paper stands now.
pub fn announce_position(
    session: &Session,
    paper: &Paper,
    state: &PaperState,
) -> Result<(), Failure> {
    let project = session.project()?;
    let Some(workflow) = project.workflows.get(&paper.workflow) else {
        return Ok(());
    };
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
