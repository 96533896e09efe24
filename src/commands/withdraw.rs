//! `ratsflow withdraw PAPER --as AUTHOR`: a paper or a motion is withdrawn (zurückgezogen) by its
//! author, a signatory of its Fraktion or the body's office, recorded through the record path;
//! the next pass mails those concerned (signers still asked, the bodies' offices).

use super::{Failure, Session, record};
use crate::cli::WithdrawArgs;

/// `ratsflow withdraw PAPER --as WHO [--comment …]`.
pub fn run(session: &mut Session, args: &WithdrawArgs) -> Result<(), Failure> {
    let paper = session.find_paper(&args.paper)?.clone();
    crate::record::withdraw(
        session.project()?,
        &paper,
        &args.who,
        args.comment.as_deref(),
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
        "{name} hat „{}“ zurückgezogen; die Beteiligten werden benachrichtigt.",
        paper.reference()
    ));
    Ok(())
}
