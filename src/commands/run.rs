//! `ratsflow run`: one full pass — check, render what changed, send the notices that are due,
//! print a summary. `ratsflow watch` repeats the same steps.

use super::{Failure, Session, check, render, status};
use crate::mail::dispatch::{self, Summary};
use crate::mail::transport;

/// `ratsflow run`.
pub fn run(session: &mut Session) -> Result<(), Failure> {
    check::collect_journal_problems(session)?;
    session.print_diagnostics();
    let rendered = render::render(session, None)?;
    render::report(session, &rendered);
    let sent = send(session)?;
    report(session, &sent);
    // Only the journals the send step wrote changed: read just those again for the summary.
    for id in &sent.written {
        session.journals.remove(id);
    }
    session.load_journals()?;
    status::print_table(session)?;
    check::finish(session)?;
    if rendered.failed.is_empty() && sent.failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(String::new()))
    }
}

/// Sends every due notice of every paper.
pub fn send(session: &mut Session) -> Result<Summary, Failure> {
    let transport = open_transport(session)?;
    send_with(session, transport.as_ref(), None)
}

/// The transport of the project's mail settings; credentials from the environment.
pub fn open_transport(session: &Session) -> Result<Box<dyn transport::Transport>, Failure> {
    let project = session.project()?;
    let env = |name: &str| std::env::var(name).ok();
    transport::from_settings(project.settings.mail.as_ref(), &project.folders().out, &env)
        .map_err(Failure::Input)
}

/// Sends the due notices of all papers, or of `only`.
pub fn send_with(
    session: &mut Session,
    transport: &dyn transport::Transport,
    only: Option<&std::collections::BTreeSet<String>>,
) -> Result<Summary, Failure> {
    session.load_journals()?;
    let project = session.project()?;
    let now_local = session.now_local();
    let mut summary = Summary::default();
    for paper in project
        .papers
        .values()
        .filter(|p| only.is_none_or(|ids| ids.contains(&p.id)))
    {
        let result = session.with_state(paper, |inputs, state| {
            dispatch::dispatch_paper(
                project,
                paper,
                inputs,
                state,
                transport,
                now_local,
                &mut summary,
            )
        });
        if let Some(Err(err)) = result {
            return Err(Failure::Tool(err.to_string()));
        }
    }
    Ok(summary)
}

/// Prints one line per message and a total.
pub fn report(session: &Session, summary: &Summary) {
    for line in &summary.sent {
        if session.ui.verbose {
            eprintln!("versandt: {line}");
        }
    }
    for line in &summary.failed {
        eprintln!("fehlgeschlagen: {line}");
    }
    if session.ui.quiet {
        return;
    }
    let to_files = session.loaded.project.as_ref().and_then(|p| {
        let smtp = p.settings.mail.as_ref().is_some_and(|m| m.smtp.is_some());
        (!smtp).then(|| p.folders().display(&p.folders().out).join("mail"))
    });
    let mut text = if let Some(folder) = to_files {
        // Without a mail server nothing left the machine: say where the messages are.
        format!(
            "Nachrichten: {} als .eml-Dateien nach {}/ geschrieben (kein Mailserver eingestellt)",
            summary.sent.len(),
            folder.display()
        )
    } else {
        format!("Nachrichten: {} versandt", summary.sent.len())
    };
    if !summary.failed.is_empty() {
        text.push_str(&format!(", {} fehlgeschlagen", summary.failed.len()));
    }
    if summary.waiting > 0 {
        text.push_str(&format!(
            ", {} warten auf einen neuen Versuch",
            summary.waiting
        ));
    }
    if summary.stopped > 0 {
        text.push_str(&format!(
            ", {} endgültig fehlgeschlagen (ratsflow outbox)",
            summary.stopped
        ));
    }
    eprintln!("{text}");
}
