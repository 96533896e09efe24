//! `ratsflow watch`: the library's pass (`crate::pass`, as `ratsflow run` uses it), repeated
//! whenever a file changes or a notice falls due. The project stays in memory; a changed paper is read again on its own, so
//! one change among 10,000 papers costs about what it costs among ten.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Failure, Session, run as pass};
use crate::diagnostic;
use crate::documents;
use crate::engine::notices;
use crate::load::{self, Project};
use crate::mail::dispatch;
use crate::mail::transport::Transport;
use crate::pass::PassError;
use crate::watch::{self, Change, Fatal, OwnWrites, Reconcile, StopFlag, WatchOptions};

/// Options of `ratsflow watch`.
#[derive(Clone, Debug)]
pub struct Options {
    /// Poll every so many milliseconds instead of using file events (network shares).
    pub poll_ms: Option<u64>,
    pub debounce_ms: u64,
}

/// `ratsflow watch`: runs until SIGINT/SIGTERM.
pub fn run(mut session: Session, options: &Options, now_given: bool) -> Result<(), Failure> {
    session.long_running = true;
    let session_now = session.now;
    let project = session.project()?;
    let folders = project.folders().clone();
    let stop = StopFlag::new();
    stop.on_signals()
        .map_err(|e| Failure::Tool(e.to_string()))?;
    let transport = pass::open_transport(&session)?;
    // The pass writes only outboxes, which do not trigger anything: no own journal writes.
    let own = OwnWrites::new();
    let verbose = session.ui.verbose;
    let quiet = session.ui.quiet;
    let mut reconciler = Reconciler {
        session,
        transport,
        wakeups: BTreeMap::new(),
        calendars: crate::pass::calendars::Schedule::default(),
        ready: false,
        hold_ready_line: None,
        on_reloaded: None,
    };
    let watch_options = WatchOptions {
        debounce: Duration::from_millis(options.debounce_ms),
        poll: options.poll_ms.map(Duration::from_millis),
        verbose,
        quiet,
        ..WatchOptions::default()
    };
    // With --now the watcher runs on a shifted clock: it starts at that moment and time passes.
    let offset = if now_given {
        session_now - Utc::now()
    } else {
        chrono::Duration::zero()
    };
    let clock = move || Utc::now() + offset;
    watch::watch(
        &folders,
        &watch_options,
        &mut reconciler,
        &own,
        &clock,
        &stop,
    )
    .map_err(|Fatal(message)| Failure::Tool(message))?;
    if !quiet {
        eprintln!("ratsflow beendet.");
    }
    Ok(())
}

/// See [`Reconciler::on_reloaded`].
pub type OnReloaded = Box<dyn FnMut(&Session)>;

/// Keeps the project in memory and brings the affected papers up to date.
pub struct Reconciler {
    pub session: Session,
    pub transport: Box<dyn Transport>,
    /// The next moment a notice of a paper falls due.
    pub wakeups: BTreeMap<String, DateTime<Utc>>,
    /// When the calendars are written next (at most once a minute, see
    /// [`crate::pass::calendars`]).
    pub calendars: crate::pass::calendars::Schedule,
    /// Set once the first full pass is done (it is announced once).
    pub ready: bool,
    /// The announcement of the first pass, kept for the caller to print instead of printed
    /// here (`ratsflow serve` says „bereit“ only once its pages are ready too).
    pub hold_ready_line: Option<Option<String>>,
    /// Called after a pass (not the first) read inputs again and before it writes documents
    /// and mails: `ratsflow serve` shows the new project on its pages from then on, so a
    /// request mailed for a changed paper never reaches a page that still shows the old one.
    pub on_reloaded: Option<OnReloaded>,
}

impl Reconciler {
    fn project(&self) -> Option<&Project> {
        self.session.loaded.project.as_deref()
    }

    /// Reads the whole project again; keeps the last good one when the settings are broken.
    fn reload_all(&mut self) {
        let root = match self.project() {
            Some(project) => project.folders().root.clone(),
            None => return,
        };
        match load::load_project(&root) {
            Ok(loaded) if loaded.project.is_some() => {
                self.session.loaded = loaded;
                self.session.journals.clear();
            }
            Ok(loaded) => {
                let previous = std::mem::replace(&mut self.session.loaded, loaded);
                self.session.print_diagnostics();
                eprintln!(
                    "Warnung: die Einstellungen sind fehlerhaft; es gilt weiter der letzte gültige Stand"
                );
                self.session.loaded = previous;
                return;
            }
            Err(err) => {
                eprintln!("Fehler: {}", err.0);
                return;
            }
        }
        self.session.print_diagnostics();
    }

    /// Reads one paper again and prints its problems.
    fn reload_paper(&mut self, id: &str) {
        // Changed in place when nobody else holds it; otherwise (the web pages hold the last
        // published project) changed in a copy, published after the pass.
        let Some(project) = self.session.loaded.project.as_mut().map(Arc::make_mut) else {
            return;
        };
        let (diagnostics, text) = load::reload_paper(project, id);
        let style = self.session.ui.style();
        for d in &diagnostics {
            let source = text
                .as_ref()
                .filter(|(path, _)| *path == d.file)
                .map(|(_, t)| &**t);
            eprintln!("{}", diagnostic::render(d, source, style));
        }
        if project.broken_papers.contains(id) {
            eprintln!("übersprungen: papers/{id}.yaml (fehlerhaft; die letzten Dokumente bleiben)");
        }
    }

    /// Papers linked to `id`: its amendments, and its base if it is one.
    fn related(project: &Project, id: &str) -> BTreeSet<String> {
        let mut ids = BTreeSet::from([id.to_string()]);
        if let Some(base) = project.papers.get(id).and_then(|p| p.amends.clone()) {
            ids.insert(base);
        }
        ids.extend(project.motions_of(id).map(|p| p.id.clone()));
        ids
    }

    fn papers_using_template(project: &Project, name: &str) -> BTreeSet<String> {
        if name.starts_with("mail/") || name.contains('/') {
            return BTreeSet::new();
        }
        project
            .papers
            .values()
            .filter(|p| {
                documents::jobs_for(p, true)
                    .iter()
                    .any(|job| job.template == name)
            })
            .map(|p| p.id.clone())
            .collect()
    }

    /// Runs the library's pass over the given papers and re-schedules them. When another pass
    /// (a `ratsflow run`) holds the project for too long, they are tried again a second later.
    fn process(&mut self, ids: &BTreeSet<String>, now: DateTime<Utc>) -> Result<(), Fatal> {
        // No paper to update: only pending calendars that are due bring a pass.
        if ids.is_empty() && !self.calendars.due(self.session.now) {
            return Ok(());
        }
        let quiet = self.session.ui.quiet;
        let Some(project) = self.session.loaded.project.as_ref() else {
            return Ok(());
        };
        let mut ctx = crate::pass::Context {
            project,
            journals: &mut self.session.journals,
            now: self.session.now,
            long_running: true,
            calendars: Some(&mut self.calendars),
        };
        let report = match crate::pass::run(
            &mut ctx,
            self.transport.as_ref(),
            Some(ids),
            false,
            &mut |_| {},
        ) {
            Ok(report) => report,
            Err(PassError::Busy(busy)) => {
                eprintln!("Warnung: {busy}");
                let again = now + chrono::Duration::seconds(1);
                for id in ids {
                    self.wakeups.insert(id.clone(), again);
                }
                return Ok(());
            }
            Err(other) => return Err(Fatal(other.to_string())),
        };
        for path in report.rendered.written.iter().filter(|_| !quiet) {
            eprintln!("geschrieben: {path}");
        }
        for (job, error) in &report.rendered.failed {
            eprintln!(
                "Fehler: {}",
                crate::sanitize::text(&format!("{job}: {error}"))
            );
        }
        if let Some(pdf) = &report.rendered.pdf {
            for path in pdf.written.iter().filter(|_| !quiet) {
                eprintln!("geschrieben: {}", path.display());
            }
            for (document, reason) in &pdf.failed {
                eprintln!(
                    "Warnung: {}",
                    crate::sanitize::text(&format!("kein PDF zu {}: {reason}", document.display()))
                );
            }
        }
        // Without a mail server nothing leaves the machine: say so instead of „versandt“.
        let verb = if self.transport.describe().starts_with("als .eml") {
            "als .eml geschrieben"
        } else {
            "versandt"
        };
        for line in report.sent.sent.iter().filter(|_| !quiet) {
            eprintln!("{verb}: {}", crate::sanitize::line(line));
        }
        for line in &report.sent.failed {
            eprintln!("fehlgeschlagen: {}", crate::sanitize::line(line));
        }
        self.session.load_journals().map_err(fatal)?;
        let Some(project) = self.session.loaded.project.as_ref() else {
            return Ok(());
        };
        let time = dispatch::notice_time(project);
        for id in ids {
            self.wakeups.remove(id);
            let Some(paper) = project.papers.get(id) else {
                continue;
            };
            let next = self
                .session
                .with_state(paper, |inputs, state| {
                    notices::next_due(inputs, state, time)
                })
                .map_err(fatal)?
                .flatten();
            if let Some(next) = next {
                self.wakeups.insert(id.clone(), next);
            }
        }
        Ok(())
    }
}

fn fatal(failure: Failure) -> Fatal {
    match failure {
        Failure::Input(message) | Failure::Tool(message) => Fatal(message),
    }
}

impl Reconcile for Reconciler {
    fn reconcile(&mut self, changes: &[Change], now: DateTime<Utc>) -> Result<(), Fatal> {
        self.session.now = now;
        let mut affected = BTreeSet::new();
        let mut everything = false;
        for change in changes {
            match change {
                Change::Settings | Change::Directory | Change::Workflow(_) | Change::Rescan => {
                    everything = true
                }
                Change::Paper(id) => {
                    self.reload_paper(id);
                    if let Some(project) = self.project() {
                        affected.extend(Self::related(project, id));
                    }
                }
                Change::Journal(id) => {
                    self.session.journals.forget(id);
                    if let Some(project) = self.project() {
                        affected.extend(Self::related(project, id));
                    }
                }
                // Mail templates are compiled with the project: read everything again.
                Change::Template(name) if name.starts_with("mail/") => everything = true,
                Change::Template(name) => {
                    if let Some(project) = self.project() {
                        affected.extend(Self::papers_using_template(project, name));
                    }
                }
            }
        }
        // The first pass reads the project again only if an input changed since the command
        // loaded it (between loading and watching): two copies of a large project at once
        // would be the process's peak of memory.
        let unchanged_since_load = !self.ready
            && self.project().is_some_and(|project| {
                !load::inputs_changed_since(project.folders(), self.session.loaded_at)
            });
        if everything && unchanged_since_load {
            self.session.print_diagnostics();
        } else if everything {
            self.reload_all();
            self.wakeups.clear();
            if let Some(project) = self.project() {
                affected = project.papers.keys().cloned().collect();
            }
        }
        if changes.is_empty() {
            affected.extend(
                self.wakeups
                    .iter()
                    .filter(|(_, at)| **at <= now)
                    .map(|(id, _)| id.clone()),
            );
        }
        let reloaded = changes.iter().any(|c| !matches!(c, Change::Journal(_)));
        if self.ready
            && reloaded
            && let Some(on_reloaded) = self.on_reloaded.as_mut()
        {
            on_reloaded(&self.session);
        }
        let started = std::time::Instant::now();
        self.process(&affected, now)?;
        if !self.ready {
            self.ready = true;
            if !self.session.ui.quiet {
                let line = format!(
                    "bereit: {} Drucksachen, erster Durchlauf in {} ms",
                    affected.len(),
                    started.elapsed().as_millis()
                );
                match &mut self.hold_ready_line {
                    Some(held) => *held = Some(line),
                    None => eprintln!("{line}"),
                }
            }
        }
        Ok(())
    }

    fn next_wakeup(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.wakeups
            .values()
            .copied()
            .chain(self.calendars.next_wakeup())
            .filter(|at| *at > now)
            .min()
    }
}
