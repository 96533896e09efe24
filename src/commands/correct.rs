//! `ratsflow correct PAPER --as PERSON --comment …`: an editorial correction of a decided paper.
//! A decided paper is frozen (`check` reports any change as an error); the correction records the
//! corrected content's hash in the journal, so the change shows in the history and stands.

use super::{Failure, Session, record};
use crate::cli::CorrectArgs;

/// `ratsflow correct PAPER --as WHO --comment …`.
pub fn run(session: &mut Session, args: &CorrectArgs) -> Result<(), Failure> {
    if args.comment.trim().is_empty() {
        return Err(Failure::Input(
            "eine redaktionelle Korrektur braucht eine Begründung: --comment \"…\"".into(),
        ));
    }
    let paper = session.find_paper(&args.paper)?.clone();
    crate::record::correct(
        session.project()?,
        &paper,
        &args.who,
        &args.comment,
        session.now,
    )
    .map_err(record::failure)?;
    session.forget_journal(&paper.id);
    let name = session
        .project()?
        .directory
        .person_name(&args.who)
        .to_string();
    session.say(&format!(
        "{name} hat „{}“ redaktionell korrigiert; die neue Fassung gilt als die beschlossene.",
        paper.reference()
    ));
    Ok(())
}
