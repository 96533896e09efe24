//! `ratsflow check` and the one-shot pass `ratsflow run`.

use super::{Failure, Session};
use crate::diagnostic::{self, Diagnostic, Location};
use crate::engine::amend;

/// Reports every problem of the project; exit 1 when there is an error.
pub fn run(session: &mut Session) -> Result<(), Failure> {
    collect_journal_problems(session)?;
    session.print_diagnostics();
    finish(session)
}

/// Prints the summary line; an error when the project has errors.
pub fn finish(session: &Session) -> Result<(), Failure> {
    let diagnostics = &session.loaded.diagnostics;
    let line = diagnostic::summary_line(diagnostics.error_count(), diagnostics.warning_count());
    if diagnostics.has_errors() {
        eprintln!("{line}");
        return Err(Failure::Input(String::new()));
    }
    if !session.ui.quiet {
        eprintln!("{line}");
    }
    Ok(())
}

/// Turns torn or unreadable journal lines and conflicting adopted amendments into diagnostics.
pub fn collect_journal_problems(session: &mut Session) -> Result<(), Failure> {
    session.load_journals()?;
    let project = session.project()?;
    let mut found = Vec::new();
    for (id, journal) in &session.journals {
        let path = project
            .folders()
            .display(&project.folders().journal(id))
            .to_path_buf();
        for bad in &journal.bad_lines {
            found.push(Diagnostic::warning(path.clone(), bad.message.clone()).at(
                Location {
                    line: bad.line,
                    column: 1,
                },
                1,
            ));
        }
        let adopted = amend::adopted_amendments(&journal.entries);
        if adopted.is_empty() {
            continue;
        }
        let amendments: Vec<_> = adopted
            .iter()
            .filter_map(|a| project.papers.get(a))
            .collect();
        if let Some(base) = project.papers.get(id) {
            for conflict in amend::decision_draft(base, &amendments).conflicts {
                found.push(Diagnostic::warning(path.clone(), conflict.message()));
            }
        }
    }
    session.loaded.diagnostics.extend(found);
    Ok(())
}
