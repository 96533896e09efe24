//! The render step of a pass (and of `ratsflow render`, and the test render of `check`): every
//! document whose inputs changed is rendered and written atomically; unchanged ones are left
//! alone. The documents written or found current are then handed, as one batch, to
//! [`crate::pdf`], which makes their missing or outdated PDFs.

use super::{Journals, NotLoaded};
use std::collections::HashMap;

use crate::documents::{self, Job, Mode, Outcome, RenderError, Templates};
use crate::engine::PaperState;
use crate::load::Project;
use crate::model::Paper;

/// What one render step did.
#[derive(Debug, Default)]
pub struct Summary {
    pub written: Vec<String>,
    pub unchanged: usize,
    pub failed: Vec<(String, RenderError)>,
    /// The PDF step: `None` when PDFs are off (or for the test render of `check`).
    pub pdf: Option<crate::pdf::Summary>,
}

/// Papers a long-running pass renders on its own thread rather than on one per core.
const SMALL_BATCH: usize = 8;

/// Renders (or, for `check`, test-renders) the documents of all papers or of `only`, on all
/// cores. The journals of those papers must have been read.
pub fn render(
    project: &Project,
    journals: &Journals,
    now: chrono::DateTime<chrono::Utc>,
    only: Option<&[String]>,
    mode: Mode,
    long_running: bool,
) -> Result<Summary, NotLoaded> {
    let templates = Templates::new(&project.folders().templates);
    // A paper whose journal lost records keeps its documents as they are (see `vanished`).
    let papers: Vec<&Paper> = project
        .papers
        .values()
        .filter(|p| only.is_none_or(|ids| ids.contains(&p.id)))
        .filter(|p| !super::is_held(project, journals, &p.id))
        .collect();
    for paper in &papers {
        journals.require(&paper.id)?;
    }
    // More writers than cores where many documents are written (much of a document's time is
    // waiting for fsync); the watcher, which keeps running, stays at one thread per core so its
    // memory is not scattered over many allocator arenas.
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let threads = if long_running { cores } else { cores * 4 };
    // The watcher's usual pass renders a paper or two: on its own thread. A thread started for
    // it would leave its allocator pages behind, partly filled, when it ends.
    let threads = if long_running && papers.len() <= SMALL_BATCH {
        1
    } else {
        threads
    };
    let chunk = papers.len().div_ceil(threads).max(1);
    // The agendas need every paper's state, which rendering computes: kept for them.
    let keep_states = templates.exists(documents::agenda::TEMPLATE);
    let render_chunk = |chunk: &[&Paper]| {
        let mut results = Vec::new();
        let mut states = Vec::new();
        for paper in chunk {
            let motions: Vec<&Paper> = project.motions_of(&paper.id).collect();
            let (rendered, state) =
                render_paper(project, journals, paper, &motions, &templates, now, mode);
            results.extend(rendered);
            if keep_states && let Some(state) = state {
                states.push((paper.id.clone(), state));
            }
        }
        (results, states)
    };
    let mut states = HashMap::new();
    let mut results: Vec<Rendered> = Vec::new();
    if threads == 1 {
        let (rendered, computed) = render_chunk(&papers);
        results = rendered;
        states.extend(computed);
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = papers
                .chunks(chunk)
                .map(|chunk| scope.spawn(|| render_chunk(chunk)))
                .collect();
            for handle in handles {
                let (rendered, computed) = handle.join().unwrap_or_default();
                results.extend(rendered);
                states.extend(computed);
            }
        });
    }
    let mut summary = Summary::default();
    // Every current document, relative to `out/`, for the PDF step.
    let mut documents = Vec::new();
    let out = project
        .folders()
        .display(&project.folders().out)
        .to_path_buf();
    render_agendas(
        project,
        journals,
        now,
        only,
        &templates,
        mode,
        &out,
        &mut summary,
        &mut documents,
        &states,
    )?;
    drop(states);
    for (job, result) in results {
        let label = out.join(&job.output).display().to_string();
        if result.is_ok() {
            documents.push(job.output.clone());
        }
        match result {
            Ok(Outcome::Written) => summary.written.push(label),
            Ok(Outcome::Unchanged) => summary.unchanged += 1,
            Err(error) => summary
                .failed
                .push((format!("Drucksache {} ({})", job.paper, label), error)),
        }
    }
    if mode == Mode::Write {
        summary.pdf =
            crate::pdf::convert(&project.settings.pdf, &project.folders().out, &documents);
    }
    Ok(summary)
}

/// A document and what rendering it did.
type Rendered = (Job, Result<Outcome, RenderError>);

/// The documents of one paper, and its state (`None` when it has none).
fn render_paper(
    project: &Project,
    journals: &Journals,
    paper: &Paper,
    motions: &[&Paper],
    templates: &Templates,
    now: chrono::DateTime<chrono::Utc>,
    mode: Mode,
) -> (Vec<Rendered>, Option<PaperState>) {
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    let Ok(Some(state)) = super::state_of(project, journals, paper, now) else {
        return (Vec::new(), None);
    };
    let journal = journals
        .get(&paper.id)
        .map(|j| j.entries.as_slice())
        .unwrap_or_default();
    let pending = documents::beschluss::pending_motions(project, paper, motions, journal, |id| {
        journals.get(id).is_some_and(|j| {
            j.entries
                .iter()
                .any(|e| e.event == crate::journal::Event::Withdrawn)
        })
    });
    // Before the meeting, pending motions give a Beschlussentwurf of the proposal as it stands.
    let draft = documents::draft_for(project, paper, journal).or_else(|| {
        (!pending.is_empty()).then(|| crate::engine::amend::decision_draft(paper, &[]))
    });
    let mut jobs = documents::jobs_for(paper, draft.is_some());
    // Projects made before the Beschlussauszug existed have no template for it.
    if templates.exists("beschluss.docx") {
        jobs.extend(documents::beschluss::jobs_for(project, paper, journal));
    }
    let rendered = jobs
        .into_iter()
        .map(|job| {
            let result = documents::render_job(
                project,
                &job,
                paper,
                &state,
                journal,
                &pending,
                draft.as_ref(),
                today,
                templates,
                mode,
            );
            (job, result)
        })
        .collect();
    (rendered, Some(state))
}

/// Renders the agenda of every meeting with a paper of `only` on it (see
/// [`documents::agenda`]) that is today or later, or whose agenda was set; a meeting of the past
/// that nobody set is history the agenda would only guess. A project without the agenda
/// template gets none. Every paper's journal must have been read.
#[allow(clippy::too_many_arguments)]
fn render_agendas(
    project: &Project,
    journals: &Journals,
    now: chrono::DateTime<chrono::Utc>,
    only: Option<&[String]>,
    templates: &Templates,
    mode: Mode,
    out: &std::path::Path,
    summary: &mut Summary,
    documents: &mut Vec<std::path::PathBuf>,
    states: &HashMap<String, PaperState>,
) -> Result<(), NotLoaded> {
    if !templates.exists(documents::agenda::TEMPLATE) {
        return Ok(());
    }
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    let only: Option<std::collections::HashSet<&str>> =
        only.map(|ids| ids.iter().map(String::as_str).collect());
    for agenda in
        crate::meeting::agenda::concerning(project, journals, now, Some(states), only.as_ref())?
    {
        if agenda.date < today && !agenda.set {
            continue;
        }
        let path = documents::agenda::output_path(&agenda);
        let label = out.join(&path).display().to_string();
        let result = documents::agenda::render(project, &agenda, templates, mode);
        if result.is_ok() {
            documents.push(path);
        }
        match result {
            Ok(Outcome::Written) => summary.written.push(label),
            Ok(Outcome::Unchanged) => summary.unchanged += 1,
            Err(error) => summary.failed.push((
                format!(
                    "Tagesordnung {} am {} ({label})",
                    agenda.body_name,
                    agenda.date.format("%d.%m.%Y")
                ),
                error,
            )),
        }
    }
    Ok(())
}
