//! The pass: check, render, send the notices that are due, and report — the one thing
//! `ratsflow run` does once and `ratsflow watch` repeats (and a web service will run on demand).
//! The command layer only prints what a pass returns.
//!
//! # Exactly once, with any number of passes
//!
//! A notice goes out once however many passes run at the same time (`run` four times at once,
//! `watch` and `run` together). The scheme:
//!
//! - **One pass at a time per project.** A pass holds the project's pass lock
//!   (`state/locks/pass.lock`, see [`crate::journal::lock`]) from its clean-up to its last
//!   send. A second pass waits for it (at most [`PASS_WAIT`], then [`PassError::Busy`] names
//!   the holder) and then reads again, under the lock, every journal and outbox that changed
//!   since it read them ([`Journals::refresh`]); so it decides what to send from what the pass
//!   before it recorded, and finds those notices sent. A per-notice claim would let passes send
//!   in parallel, but would need a liveness test for claims of killed passes; one lock is
//!   simpler and its wait is short (a pass with nothing to do takes milliseconds).
//! - **Within a pass**, each notice is recorded as queued in the paper's outbox before the
//!   mail server is asked, and as sent at the server's commit point (see
//!   [`crate::mail::dispatch`]); a pass killed in between leads to one more attempt with the
//!   same Message-ID, never to a loss.
//! - **Signing never waits on SMTP.** The pass lock and the outboxes are not what `sign`,
//!   `return` and `decide` lock: they take only the paper's lock ([`crate::record`]), which no
//!   pass holds.
//!
//! The outbox (`state/outbox/<paper>.jsonl`) holds only notice bookkeeping and is ignored by
//! git; the audit journal (`state/<paper>.jsonl`) holds signatures, returns and decisions. So a
//! pass over a cloned project changes no tracked file.
//!
//! Every pass first removes the temporary files a killed pass left under `out/`: under the pass
//! lock no other pass is writing one.
//!
//! A paper whose journal lost records (deleted, or `state/` deleted; see [`vanished`]) is held:
//! no document of it is written and no notice of it sent until the journal is restored or the
//! operator confirms the loss (`ratsflow outbox confirm PAPER`).

pub mod calendars;
mod check;
pub mod document_text;
mod frozen;
mod journals;
pub mod render;
pub mod shared_reads;
pub mod vanished;

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub use check::journal_problems;
pub use journals::{Journals, NotLoaded};

use crate::diagnostic::Diagnostic;
use crate::documents::Mode;
use crate::engine::{self, Inputs, PaperState};
use crate::journal::JournalError;
use crate::journal::lock::{self, Busy, Held, LockError, Purpose};
use crate::load::Project;
use crate::mail::dispatch::{self, Summary as SendSummary};
use crate::mail::transport::Transport;
use crate::model::Paper;
use crate::project::Folders;

/// How long a pass waits for the one before it.
pub const PASS_WAIT: Duration = Duration::from_secs(60);

/// Why a pass did not run to its end.
#[derive(Debug)]
pub enum PassError {
    /// Another pass held the pass lock for longer than [`PASS_WAIT`].
    Busy(Busy),
    /// A journal, an outbox or a lock could not be read or written.
    Io(String),
    /// A journal was asked for that was not read (a fault of the program).
    NotLoaded(NotLoaded),
}

impl std::fmt::Display for PassError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PassError::Busy(busy) => busy.fmt(f),
            PassError::Io(message) => f.write_str(message),
            PassError::NotLoaded(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for PassError {}

impl From<JournalError> for PassError {
    fn from(error: JournalError) -> Self {
        PassError::Io(error.to_string())
    }
}

impl From<NotLoaded> for PassError {
    fn from(error: NotLoaded) -> Self {
        PassError::NotLoaded(error)
    }
}

impl From<LockError> for PassError {
    fn from(error: LockError) -> Self {
        match error {
            LockError::Busy(busy) => PassError::Busy(busy),
            other => PassError::Io(other.to_string()),
        }
    }
}

/// What a pass works on.
pub struct Context<'a> {
    pub project: &'a Project,
    pub journals: &'a mut Journals,
    pub now: DateTime<Utc>,
    /// The watcher: prefer a small footprint over throughput.
    pub long_running: bool,
    /// When the calendars are written: `None` on every pass (`run`); a long-running process
    /// passes its schedule (see [`calendars`]).
    pub calendars: Option<&'a mut calendars::Schedule>,
}

/// What a pass did.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems of the journals (only when the pass was asked to check).
    pub problems: Vec<Diagnostic>,
    pub rendered: render::Summary,
    /// The calendars under `out/ics/` (see [`crate::ics`]).
    pub calendars: crate::ics::Published,
    pub sent: SendSummary,
}

/// Takes the project's pass lock (see the module documentation). `on_wait` is called once if
/// another pass holds it, with that pass's description.
pub fn lock(folders: &Folders, on_wait: &mut dyn FnMut(Option<&str>)) -> Result<Held, PassError> {
    Ok(lock::acquire(
        &lock::pass_lock(folders),
        Purpose {
            what: "der Abgleich dieses Projekts",
            nothing_done: "nichts wurde versandt",
        },
        &lock::this_process(),
        PASS_WAIT,
        on_wait,
    )?)
}

/// One pass over all papers, or over `only`: clean up, (check,) render, send.
pub fn run(
    ctx: &mut Context<'_>,
    transport: &dyn Transport,
    only: Option<&BTreeSet<String>>,
    check: bool,
    on_wait: &mut dyn FnMut(Option<&str>),
) -> Result<Report, PassError> {
    let folders = ctx.project.folders();
    let _held = lock(folders, on_wait)?;
    crate::output::remove_stale_temp_files(&folders.out);
    let ids: Vec<String> = ctx
        .project
        .papers
        .keys()
        .filter(|id| only.is_none_or(|only| only.contains(*id)))
        .cloned()
        .collect();
    ctx.journals.refresh(folders, &ids)?;
    // Amendments read the decisions in their base paper's journal.
    let bases: Vec<String> = ids
        .iter()
        .filter_map(|id| ctx.project.papers.get(id)?.amends.clone())
        .collect();
    ctx.journals.refresh(folders, &bases)?;
    // Agendas gather the papers of a meeting: every journal is needed.
    ctx.journals.load(folders, ctx.project.papers.keys())?;
    for id in &ids {
        if let Some(journal) = ctx.journals.get(id)
            && vanished::check(folders, id, &journal.entries).is_none()
        {
            vanished::raise(folders, id, &journal.entries);
        }
    }
    let problems = if check {
        journal_problems(ctx.project, ctx.journals)
    } else {
        Vec::new()
    };
    let rendered = render::render(
        ctx.project,
        ctx.journals,
        ctx.now,
        Some(&ids),
        Mode::Write,
        ctx.long_running,
    )?;
    // Before sending: sending forgets journals it wrote to, the calendars need every one.
    let now = ctx.now;
    let calendars_now = ctx.calendars.as_deref_mut().is_none_or(|s| s.take(now));
    let calendars = if calendars_now {
        crate::ics::publish(ctx.project, ctx.journals, now)
    } else {
        crate::ics::Published::default()
    };
    let sent = send_locked(ctx, transport, &ids)?;
    Ok(Report {
        problems,
        rendered,
        calendars,
        sent,
    })
}

/// Sends the due notices of the papers `ids`. The caller holds the pass lock (see [`lock`]);
/// what others recorded since the journals were read is read again first.
pub fn send_locked(
    ctx: &mut Context<'_>,
    transport: &dyn Transport,
    ids: &[String],
) -> Result<SendSummary, PassError> {
    let folders = ctx.project.folders();
    ctx.journals.refresh(folders, ids)?;
    let bases: Vec<String> = ids
        .iter()
        .filter_map(|id| ctx.project.papers.get(id)?.amends.clone())
        .collect();
    ctx.journals.refresh(folders, &bases)?;
    let now_local = ctx
        .now
        .with_timezone(&ctx.project.settings.time_zone)
        .fixed_offset();
    let mut summary = SendSummary::default();
    for id in ids {
        let Some(paper) = ctx.project.papers.get(id) else {
            continue;
        };
        if is_held(ctx.project, ctx.journals, id) {
            continue;
        }
        let lines = ctx.journals.notice_lines(id)?;
        let result = with_state(
            ctx.project,
            ctx.journals,
            paper,
            ctx.now,
            |inputs, state| {
                dispatch::dispatch_paper(
                    ctx.project,
                    paper,
                    inputs,
                    state,
                    &lines,
                    transport,
                    now_local,
                    &mut summary,
                )
            },
        )?;
        if let Some(Err(err)) = result {
            return Err(err.into());
        }
    }
    crate::meeting::invite::dispatch(ctx.project, ctx.journals, transport, ctx.now, &mut summary)?;
    for id in &summary.written {
        ctx.journals.forget(id);
    }
    Ok(summary)
}

/// Whether a paper is held because its journal lost records (see [`vanished`]).
pub fn is_held(project: &Project, journals: &Journals, id: &str) -> bool {
    journals
        .get(id)
        .is_some_and(|j| vanished::check(project.folders(), id, &j.entries).is_some())
}

/// Runs `f` with the engine inputs and state of a paper at `now`; `None` when its workflow is
/// missing. The paper's journal (and its base paper's) must have been read.
pub fn with_state<R>(
    project: &Project,
    journals: &Journals,
    paper: &Paper,
    now: DateTime<Utc>,
    f: impl FnOnce(&Inputs<'_>, &PaperState) -> R,
) -> Result<Option<R>, NotLoaded> {
    let journal = &journals.require(&paper.id)?.entries;
    let base_journal = match paper.amends.as_deref() {
        // A base paper that does not exist is reported by `check`; its decisions are none.
        Some(base) if project.papers.contains_key(base) => {
            Some(journals.require(base)?.entries.as_slice())
        }
        _ => None,
    };
    let Some(workflow) = project.workflow_of(paper) else {
        return Ok(None);
    };
    let workflow = &*workflow;
    let calendar = project.calendar_for(paper);
    let outbox = &journals.outbox(&paper.id)?.entries;
    let document = document_text::needed(journal)
        .then(|| document_text::text_hash(project, paper))
        .flatten();
    let inputs = Inputs {
        document: document.as_deref(),
        workflow,
        paper,
        journal,
        base_journal,
        outbox,
        directory: &project.directory,
        calendar: &calendar,
        now,
        tz: project.settings.time_zone,
    };
    let state = engine::state(&inputs);
    Ok(Some(f(&inputs, &state)))
}

/// The engine's state of a paper at `now`; `None` when its workflow is missing.
pub fn state_of(
    project: &Project,
    journals: &Journals,
    paper: &Paper,
    now: DateTime<Utc>,
) -> Result<Option<PaperState>, NotLoaded> {
    with_state(project, journals, paper, now, |_, state| state.clone())
}
