//! `ratsflow run`: one full pass of the library (`crate::pass`: check, render what changed,
//! send the notices that are due), printed with a summary. `ratsflow watch` runs the same pass.

use super::{Failure, Session, check, ics, render, status};
use crate::mail::dispatch::Summary;
use crate::mail::transport;
use crate::pass;

/// `ratsflow run`.
pub fn run(session: &mut Session) -> Result<(), Failure> {
    let transport = open_transport(session)?;
    let report = pass_over(session, transport.as_ref(), None, true)?;
    session.loaded.diagnostics.extend(report.problems);
    session.print_diagnostics();
    render::report(session, &report.rendered);
    ics::report(session, &report.calendars);
    report_sent(session, &report.sent);
    session.load_journals()?;
    status::print_table(session)?;
    check::finish(session)?;
    if report.rendered.failed.is_empty() && report.sent.failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(String::new()))
    }
}

/// Runs the library's pass over all papers or `only`, saying so when it waits for another.
pub fn pass_over(
    session: &mut Session,
    transport: &dyn transport::Transport,
    only: Option<&std::collections::BTreeSet<String>>,
    check: bool,
) -> Result<pass::Report, Failure> {
    let quiet = session.ui.quiet;
    let project = session
        .loaded
        .project
        .as_ref()
        .ok_or_else(|| Failure::Input(String::new()))?;
    let mut ctx = pass::Context {
        project,
        journals: &mut session.journals,
        now: session.now,
        long_running: session.long_running,
        calendars: None,
    };
    pass::run(&mut ctx, transport, only, check, &mut |holder| {
        if !quiet {
            eprintln!(
                "warte auf {}",
                holder.unwrap_or("einen anderen Abgleich dieses Projekts")
            );
        }
    })
    .map_err(pass_failure)
}

/// A pass that did not end: a journal fault or a lock held too long (exit 2).
pub fn pass_failure(error: pass::PassError) -> Failure {
    Failure::Tool(error.to_string())
}

/// The transport of the project's mail settings; credentials from the environment.
pub fn open_transport(session: &Session) -> Result<Box<dyn transport::Transport>, Failure> {
    let project = session.project()?;
    let env = |name: &str| std::env::var(name).ok();
    transport::from_settings(project.settings.mail.as_ref(), &project.folders().out, &env)
        .map_err(|e| Failure::Input(e.to_string()))
}

/// Prints one line per message and a total.
pub fn report_sent(session: &Session, summary: &Summary) {
    for line in &summary.sent {
        if session.ui.verbose {
            eprintln!("versandt: {}", crate::sanitize::line(line));
        }
    }
    for line in &summary.failed {
        eprintln!("fehlgeschlagen: {}", crate::sanitize::line(line));
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
