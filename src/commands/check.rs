//! `ratsflow check` and the one-shot pass `ratsflow run`.

use super::{Failure, Session, render};
use crate::diagnostic::{self, Diagnostic};
use crate::documents::{Mode, RenderError, Templates, coverage};

/// Reports every problem of the project; exit 1 when there is an error.
pub fn run(session: &mut Session) -> Result<(), Failure> {
    collect_journal_problems(session)?;
    collect_template_problems(session)?;
    collect_unprinted_fields(session)?;
    session.print_diagnostics();
    if let Some(notice) = session.project()?.settings.pdf.off_notice()
        && !session.ui.quiet
    {
        eprintln!("{notice}");
    }
    finish(session)
}

/// Warns about fields a paper fills that the template of its kind never prints.
pub fn collect_unprinted_fields(session: &mut Session) -> Result<(), Failure> {
    let project = session.project()?;
    let templates = Templates::new(&project.folders().templates);
    let mut variables = std::collections::BTreeMap::new();
    let mut found = Vec::new();
    for paper in project.papers.values() {
        let name = &paper.kind.template;
        if !variables.contains_key(name) {
            let read = templates.get(name).ok().map(|(t, _)| t.variables());
            variables.insert(name.clone(), read);
        }
        let Some(Some(read)) = variables.get(name) else {
            continue; // a template that does not load is reported on its own
        };
        for field in coverage::unprinted_fields(paper, read) {
            found.push((paper.id.clone(), field, name.clone()));
        }
    }
    for (paper, field, template) in found {
        let message = format!(
            "„{field}“ ist ausgefüllt, aber die Vorlage „{template}“ druckt das Feld nicht"
        );
        let warning =
            crate::load::locate::paper_warning(&mut session.loaded, &paper, field, message)
                .with_hint(
                    "im Dokument fehlt dieser Text; die Vorlage ergänzen oder das Feld entfernen",
                );
        session.loaded.diagnostics.push(warning);
    }
    Ok(())
}

/// Compiles every template in use and test-renders it against every paper whose document is
/// not current. A template that does not compile is reported once, not once per paper.
pub fn collect_template_problems(session: &mut Session) -> Result<(), Failure> {
    let summary = render::render_in(session, None, Mode::CheckOnly)?;
    let project = session.project()?;
    let templates_dir = project
        .folders()
        .display(&project.folders().templates)
        .to_path_buf();
    // The same error for many papers (a template that does not compile) is reported once.
    let mut grouped: std::collections::BTreeMap<(std::path::PathBuf, String), Vec<String>> =
        Default::default();
    for (job, error) in summary.failed {
        let (file, message) = match error {
            RenderError::Template(error) => {
                (templates_dir.join(&error.template), error.to_string())
            }
            RenderError::Io(message) => (templates_dir.clone(), message),
        };
        grouped.entry((file, message)).or_default().push(job);
    }
    let found: Vec<Diagnostic> = grouped
        .into_iter()
        .map(|((file, message), jobs)| {
            let papers = if jobs.len() <= 3 {
                jobs.join(", ")
            } else {
                format!("{}, … ({} Drucksachen)", jobs[..3].join(", "), jobs.len())
            };
            Diagnostic::error(file, message).with_hint(format!("betrifft {papers}"))
        })
        .collect();
    session.loaded.diagnostics.extend(found);
    Ok(())
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

/// Turns torn, unreadable, out-of-order or repeated journal lines and conflicting adopted
/// amendments into diagnostics (the check step of a pass, `crate::pass::journal_problems`).
pub fn collect_journal_problems(session: &mut Session) -> Result<(), Failure> {
    session.load_journals()?;
    let found = crate::pass::journal_problems(session.project()?, &session.journals);
    session.loaded.diagnostics.extend(found);
    Ok(())
}
