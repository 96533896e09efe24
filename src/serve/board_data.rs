//! What the board shows, computed once per snapshot: one row per paper with the columns of
//! `ratsflow status` ([`crate::commands::position_text`]), what the filters need, and who may
//! see it ([`may_see`]).
//!
//! Computing the state of 10,000 papers takes longer than a page may, so the board never does
//! it in a request: a [`Snapshot`] holds the rows and the journals they came from, and
//! [`BoardCache::current`] hands out the last one. A snapshot is renewed when the project was
//! published again (the watcher read changed inputs), the day changed (deadlines fall due), or
//! it is older than [`FRESH_SECONDS`] seconds (journals written by a signature); the renewal
//! runs on one thread kept for the life of the service while requests keep getting the previous
//! snapshot. The first
//! snapshot is built when the service starts, after its first pass (`commands::serve`), so no
//! request waits for one; requests arriving together before that wait for a single build. Pages about one paper read its journal at the request and are always
//! current.
//!
//! Visibility ([`may_see`]), kept simple and safe: the office sees everything. A Fraktion's
//! member sees what is public, and of the drafts (a Fraktion's motion not yet submitted to a
//! body: no consultation stage reached) only their own Fraktion's. Papers dealt with
//! nichtöffentlich anywhere on their path are for the office only — also for a Fraktion member
//! who sits in that body.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};

use super::session::User;
use crate::engine::{PaperState, Position, StageStatus};
use crate::load::Project;
use crate::model::{Paper, StageKind};
use crate::pass::Journals;

/// Seconds after which a snapshot is renewed even without a new project.
pub const FRESH_SECONDS: i64 = 10;

/// One paper on the board.
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub kind: String,
    pub stage: String,
    pub waiting: String,
    pub deadline: Option<NaiveDate>,
    pub overdue: bool,
    pub finished: bool,
    /// Every body the paper is consulted in or addressed to.
    pub bodies: Vec<String>,
    /// The Fraktion filing it.
    pub fraktion: Option<String>,
    pub draft: bool,
    pub nonpublic: bool,
}

/// The rows of one moment, with what they were computed from.
pub struct Snapshot {
    pub project: Arc<Project>,
    pub journals: Journals,
    pub built: DateTime<Utc>,
    pub today: NaiveDate,
    pub rows: Vec<Row>,
}

/// Whether `user` may see a paper with these properties.
pub fn may_see(user: &User, draft: bool, nonpublic: bool, fraktion: Option<&str>) -> bool {
    if user.office {
        return true;
    }
    if nonpublic {
        return false;
    }
    !draft || (fraktion.is_some() && user.fraktion.as_deref() == fraktion)
}

/// Whether a paper is a Fraktion's motion not yet submitted: no consultation stage reached.
pub fn is_draft(project: &Project, paper: &Paper, state: &PaperState) -> bool {
    if paper.by.is_none() {
        return false;
    }
    let Some(workflow) = project.workflow_of(paper) else {
        return true;
    };
    !workflow
        .stages
        .iter()
        .zip(&state.stages)
        .any(|(stage, stage_state)| {
            matches!(stage.kind, StageKind::Consult { .. })
                && matches!(stage_state.status, StageStatus::Current | StageStatus::Done)
        })
}

/// Whether a paper is dealt with nichtöffentlich at any of its consultations.
pub fn is_nonpublic(project: &Project, paper: &Paper) -> bool {
    if !paper.public {
        return true;
    }
    project.workflow_of(paper).is_some_and(|w| {
        w.stages.iter().any(|stage| {
            matches!(stage.kind, StageKind::Consult { .. })
                && !crate::meeting::public_at(paper, stage)
        })
    })
}

/// Draft, nichtöffentlich and the owning Fraktion of `paper`. A paper answering a draft (the
/// administration's Stellungnahme to a motion not yet submitted) is as private as the draft;
/// `answered` is that motion's state, computed by the caller.
pub fn visibility<'a>(
    project: &'a Project,
    paper: &'a Paper,
    state: &PaperState,
    answered: Option<&PaperState>,
) -> (bool, bool, Option<&'a str>) {
    let nonpublic = is_nonpublic(project, paper);
    if is_draft(project, paper, state) {
        return (true, nonpublic, paper.by.as_deref());
    }
    let motion = paper.answers.as_deref().and_then(|a| project.papers.get(a));
    if let (Some(motion), Some(answered)) = (motion, answered)
        && is_draft(project, motion, answered)
    {
        return (true, nonpublic, motion.by.as_deref());
    }
    (false, nonpublic, paper.by.as_deref())
}

/// Whether `user` may see `paper`; see [`visibility`] for `answered`.
pub fn may_see_paper(
    user: &User,
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    answered: Option<&PaperState>,
) -> bool {
    let (draft, nonpublic, fraktion) = visibility(project, paper, state, answered);
    may_see(user, draft, nonpublic, fraktion)
}

/// Computes the rows of `project` at `now`, reusing what `journals` has read.
pub fn build(project: Arc<Project>, mut journals: Journals, now: DateTime<Utc>) -> Snapshot {
    let folders = project.folders();
    if let Err(err) = journals.refresh(folders, project.papers.keys()) {
        eprintln!("Warnung: Übersicht: {err}");
    }
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    // As in `ratsflow status`: papers dated later are not shown yet.
    let shown = |paper: &&Paper| paper.date.is_none_or(|d| d <= today);
    // Only the states of papers another one answers are kept (a Stellungnahme is as private
    // as its motion); every other state lives just for its row, so a snapshot never holds
    // 10,000 states at once.
    let answered: std::collections::HashSet<&str> = project
        .papers
        .values()
        .filter_map(|p| p.answers.as_deref())
        .collect();
    let mut states = std::collections::HashMap::with_capacity(answered.len());
    for paper in project.papers.values().filter(shown) {
        if answered.contains(paper.id.as_str())
            && let Ok(Some(state)) = crate::pass::state_of(&project, &journals, paper, now)
        {
            states.insert(paper.id.as_str(), state);
        }
    }
    let mut rows = Vec::with_capacity(project.papers.len());
    for paper in project.papers.values().filter(shown) {
        let answered = paper.answers.as_deref().and_then(|a| states.get(a));
        let row = crate::pass::with_state(&project, &journals, paper, now, |_, state| {
            row(&project, paper, state, answered, today)
        });
        if let Ok(Some(row)) = row {
            rows.push(row);
        }
    }
    Snapshot {
        project,
        journals,
        built: now,
        today,
        rows,
    }
}

/// The board's row of one paper in `state`.
fn row(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    answered: Option<&PaperState>,
    today: NaiveDate,
) -> Row {
    let (draft, nonpublic, fraktion) = visibility(project, paper, state, answered);
    let (stage, waiting) = crate::commands::position_text(project, paper, state, today);
    let (deadline, overdue) = match state.next_deadline() {
        Some((date, overdue)) => (Some(date), overdue),
        None => (None, false),
    };
    let mut bodies: Vec<String> = state
        .stages
        .iter()
        .filter_map(|s| s.body.clone())
        .chain(paper.body.clone())
        .collect();
    bodies.sort();
    bodies.dedup();
    Row {
        id: paper.id.clone(),
        reference: paper.reference().to_string(),
        title: paper.title.clone(),
        kind: paper.kind.name.clone(),
        stage,
        waiting,
        deadline,
        overdue,
        finished: matches!(state.position, Position::Finished(_)),
        bodies,
        fraktion: fraktion.map(str::to_string),
        draft,
        nonpublic,
    }
}

/// What the renewing thread is asked to build.
struct Renewal {
    project: Arc<Project>,
    journals: Journals,
    now: DateTime<Utc>,
    /// Where to put the snapshot; gone when the service ended meanwhile.
    cache: std::sync::Weak<BoardCache>,
}

/// The last snapshot and whether a renewal is under way.
#[derive(Default)]
pub struct BoardCache {
    held: Mutex<Option<Arc<Snapshot>>>,
    renewing: Arc<AtomicBool>,
    /// Held while the first snapshot is built, so requests arriving together wait for one
    /// build instead of each starting its own (each costs the memory of a whole snapshot).
    first: Mutex<()>,
    /// The one thread that renews snapshots, started with the first renewal and ended when
    /// the cache is dropped. One thread for the life of the service, not one per renewal: a
    /// thread that ends leaves its allocator pages behind, partly filled with what it built
    /// (the rows, journals it read again), and under load the service grew by those pages.
    renewer: Mutex<Option<std::sync::mpsc::Sender<Renewal>>>,
}

impl BoardCache {
    /// A snapshot for `project` at `now`: the held one, renewed in the background when stale;
    /// computed here only when there is none yet. A new snapshot starts from `journals` (those
    /// the watcher read last: their entries are shared, not read and held a second time) and
    /// reads only what changed since.
    pub fn current(
        self: &Arc<Self>,
        project: Arc<Project>,
        journals: impl FnOnce() -> Journals,
        now: DateTime<Utc>,
    ) -> Arc<Snapshot> {
        let Some(held) = self.held() else {
            let _building = self
                .first
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(built) = self.held() {
                return built;
            }
            let snapshot = Arc::new(build(project, journals(), now));
            self.store(&snapshot);
            return snapshot;
        };
        let today = now.with_timezone(&project.settings.time_zone).date_naive();
        let stale = !Arc::ptr_eq(&held.project, &project)
            || held.today != today
            || (now - held.built).num_seconds() >= FRESH_SECONDS;
        if stale && !self.renewing.swap(true, Ordering::SeqCst) {
            let renewal = Renewal {
                project,
                journals: journals(),
                now,
                cache: Arc::downgrade(self),
            };
            if !self.renew(renewal) {
                self.renewing.store(false, Ordering::SeqCst);
            }
        }
        held
    }

    /// Hands `renewal` to the renewing thread, starting it if needed; false if no thread
    /// could be started (the held snapshot then stays until the next request tries again).
    fn renew(&self, renewal: Renewal) -> bool {
        let mut renewer = self
            .renewer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let renewal = match renewer.as_ref() {
            Some(sender) => match sender.send(renewal) {
                Ok(()) => return true,
                // The thread is gone: start another.
                Err(std::sync::mpsc::SendError(renewal)) => renewal,
            },
            None => renewal,
        };
        let (sender, receiver) = std::sync::mpsc::channel::<Renewal>();
        let started = std::thread::Builder::new()
            .name("ratsflow-board".into())
            .spawn(move || {
                super::background_priority();
                while let Ok(job) = receiver.recv() {
                    let Renewal {
                        project,
                        journals,
                        now,
                        cache,
                    } = job;
                    // A build that panicked leaves the held snapshot; the next request asks
                    // again instead of the board never renewing.
                    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        build(project, journals, now)
                    }));
                    if let Some(cache) = cache.upgrade() {
                        if let Ok(snapshot) = built {
                            cache.store(&Arc::new(snapshot));
                        }
                        cache.renewing.store(false, Ordering::SeqCst);
                    }
                }
            });
        if started.is_err() || sender.send(renewal).is_err() {
            return false;
        }
        *renewer = Some(sender);
        true
    }

    fn held(&self) -> Option<Arc<Snapshot>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn store(&self, snapshot: &Arc<Snapshot>) {
        *self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(snapshot));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(office: bool, fraktion: Option<&str>) -> User {
        User {
            person: "p".into(),
            name: "P".into(),
            fraktion: fraktion.map(str::to_string),
            office,
        }
    }

    #[test]
    fn visibility_rules() {
        let office = user(true, None);
        let gruen = user(false, Some("gruen"));
        let rot = user(false, Some("rot"));
        // Public papers: everyone.
        assert!(may_see(&gruen, false, false, None));
        // Drafts: own Fraktion and office only.
        assert!(may_see(&gruen, true, false, Some("gruen")));
        assert!(!may_see(&rot, true, false, Some("gruen")));
        assert!(may_see(&office, true, false, Some("gruen")));
        // A submitted motion is public.
        assert!(may_see(&rot, false, false, Some("gruen")));
        // Nichtöffentlich: office only, even the own Fraktion's.
        assert!(!may_see(&gruen, false, true, Some("gruen")));
        assert!(may_see(&office, false, true, None));
    }
}
