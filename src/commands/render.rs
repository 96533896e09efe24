//! `ratsflow render [PAPER…]`: the render step of a pass (`crate::pass::render`) on its own;
//! every document whose inputs changed is rendered and written atomically.

use super::{Failure, Session};
use crate::documents::Mode;

pub use crate::pass::render::Summary;

/// `ratsflow render`.
pub fn run(session: &mut Session, papers: &[String]) -> Result<(), Failure> {
    session.print_diagnostics();
    let only: Option<Vec<String>> = if papers.is_empty() {
        None
    } else {
        Some(
            papers
                .iter()
                .map(|key| session.find_paper(key).map(|p| p.id.clone()))
                .collect::<Result<_, _>>()?,
        )
    };
    let summary = render(session, only.as_deref())?;
    report(session, &summary);
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(String::new()))
    }
}

/// Prints what was written and what failed.
pub fn report(session: &Session, summary: &Summary) {
    for path in &summary.written {
        if session.ui.verbose {
            eprintln!("geschrieben: {path}");
        }
    }
    for (job, error) in &summary.failed {
        eprintln!(
            "Fehler: {}",
            crate::sanitize::text(&format!("{job}: {error}"))
        );
    }
    if !session.ui.quiet {
        let failed = if summary.failed.is_empty() {
            String::new()
        } else {
            format!(", {} fehlgeschlagen", summary.failed.len())
        };
        eprintln!(
            "Dokumente: {} geschrieben, {} unverändert{failed}",
            summary.written.len(),
            summary.unchanged
        );
    }
    report_pdf(session, summary);
}

/// Prints the PDF step: each failure, a total, or why PDFs are off.
fn report_pdf(session: &Session, summary: &Summary) {
    let Some(project) = session.loaded.project.as_ref() else {
        return;
    };
    let out = project.folders().display(&project.folders().out);
    let Some(pdf) = &summary.pdf else {
        if let Some(notice) = project
            .settings
            .pdf
            .off_notice()
            .filter(|_| !session.ui.quiet)
        {
            eprintln!("{notice}");
        }
        return;
    };
    for path in pdf.written.iter().filter(|_| session.ui.verbose) {
        eprintln!("geschrieben: {}", out.join(path).display());
    }
    for (document, reason) in &pdf.failed {
        eprintln!(
            "Warnung: {}",
            crate::sanitize::text(&format!(
                "kein PDF zu {}: {reason}",
                out.join(document).display()
            ))
        );
    }
    if !session.ui.quiet {
        let failed = if pdf.failed.is_empty() {
            String::new()
        } else {
            format!(", {} fehlgeschlagen", pdf.failed.len())
        };
        eprintln!(
            "PDF: {} geschrieben, {} unverändert{failed}",
            pdf.written.len(),
            pdf.unchanged
        );
    }
}

/// Renders the documents of all papers (or of `only`), on all cores.
pub fn render(session: &mut Session, only: Option<&[String]>) -> Result<Summary, Failure> {
    render_in(session, only, Mode::Write)
}

/// Renders (or, for `check`, test-renders) the documents of all papers or of `only`.
pub fn render_in(
    session: &mut Session,
    only: Option<&[String]>,
    mode: Mode,
) -> Result<Summary, Failure> {
    session.load_journals()?;
    let project = session.project()?;
    crate::pass::render::render(
        project,
        &session.journals,
        session.now,
        only,
        mode,
        session.long_running,
    )
    .map_err(|e| Failure::Tool(e.to_string()))
}
