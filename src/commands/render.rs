//! `ratsflow render [PAPER…]`, and the render step of `ratsflow run`: every document whose
//! inputs changed is rendered and written atomically; unchanged ones are left alone.

use super::{Failure, Session};
use crate::documents::{self, Job, Mode, Outcome, RenderError, Templates};
use crate::model::Paper;

/// What one render step did.
#[derive(Debug, Default)]
pub struct Summary {
    pub written: Vec<String>,
    pub unchanged: usize,
    pub failed: Vec<(String, RenderError)>,
}

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
        eprintln!("Fehler: {job}: {error}");
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
    let templates = Templates::new(&project.folders().templates);
    let today = session.now_local().date_naive();
    let papers: Vec<&Paper> = project
        .papers
        .values()
        .filter(|p| only.is_none_or(|ids| ids.contains(&p.id)))
        .collect();
    // More writers than cores where many documents are written (much of a document's time is
    // waiting for fsync); the watcher, which keeps running, stays at one thread per core so its
    // memory is not scattered over many allocator arenas.
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let threads = if session.long_running {
        cores
    } else {
        cores * 4
    };
    let chunk = papers.len().div_ceil(threads).max(1);
    let session_ref: &Session = session;
    let results: Vec<(Job, Result<Outcome, RenderError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = papers
            .chunks(chunk)
            .map(|chunk| {
                let templates = &templates;
                scope.spawn(move || {
                    let mut results = Vec::new();
                    for paper in chunk {
                        results.extend(render_paper(session_ref, paper, templates, today, mode));
                    }
                    results
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut summary = Summary::default();
    let out = project
        .folders()
        .display(&project.folders().out)
        .to_path_buf();
    for (job, result) in results {
        let label = out.join(&job.output).display().to_string();
        match result {
            Ok(Outcome::Written) => summary.written.push(label),
            Ok(Outcome::Unchanged) => summary.unchanged += 1,
            Err(error) => summary
                .failed
                .push((format!("Drucksache {} ({})", job.paper, label), error)),
        }
    }
    Ok(summary)
}

fn render_paper(
    session: &Session,
    paper: &Paper,
    templates: &Templates,
    today: chrono::NaiveDate,
    mode: Mode,
) -> Vec<(Job, Result<Outcome, RenderError>)> {
    let Some(project) = session.loaded.project.as_ref() else {
        return Vec::new();
    };
    let Some(state) = session.state_of(paper) else {
        return Vec::new();
    };
    let journal = session
        .journals
        .get(&paper.id)
        .map(|j| j.entries.as_slice())
        .unwrap_or_default();
    let draft = documents::draft_for(project, paper, journal);
    documents::jobs_for(paper, draft.is_some())
        .into_iter()
        .map(|job| {
            let result = documents::render_job(
                project,
                &job,
                paper,
                &state,
                draft.as_ref(),
                today,
                templates,
                mode,
            );
            (job, result)
        })
        .collect()
}
