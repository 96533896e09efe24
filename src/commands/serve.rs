//! `ratsflow serve`: the watcher's pass and the web service (`crate::serve`) in one process,
//! under the watcher's single-instance lock.
//!
//! Order at start: load the project, read (or create) the link key, take the instance lock,
//! bind the port, start the server thread, then run the watcher loop on this thread. The
//! watcher publishes the project to the web side after every pass that read inputs again.
//! SIGINT/SIGTERM set one flag: the watcher finishes its pass, the server its requests, and
//! the process exits 0.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::watch::Reconciler;
use super::{Failure, Session, run as pass};
use crate::serve::settings::parse_listen;
use crate::serve::state::{AppState, Clock};
use crate::serve::{self, key, mail_link};
use crate::watch::{
    self, Change, Fatal, InstanceLock, OwnWrites, Reconcile, StopFlag, WatchOptions,
};

/// Options of `ratsflow serve`.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--listen`: overrides `serve.listen`.
    pub listen: Option<String>,
    pub poll_ms: Option<u64>,
    pub debounce_ms: u64,
}

/// `ratsflow serve`: runs until SIGINT/SIGTERM.
pub fn run(mut session: Session, options: &Options, now_given: bool) -> Result<(), Failure> {
    session.long_running = true;
    // The watcher, the board's snapshots and the pages each hold journals: one copy of each.
    crate::pass::shared_reads::enable();
    let project = session.shared_project()?;
    let folders = project.folders().clone();
    let settings = project.settings.serve.clone();
    let listen = match options.listen.as_deref() {
        Some(text) => parse_listen(text).map_err(|m| Failure::Input(format!("--listen: {m}")))?,
        None => settings.listen,
    };
    // The key first: a misplaced key must stop the service before anything listens.
    let key_path =
        key::path_for(&folders.root, settings.key_file.as_deref()).map_err(Failure::Tool)?;
    let link_key = key::load_or_create(&folders.root, &key_path).map_err(Failure::Tool)?;
    // Warm the mail side's key cache so a broken key is said once, here.
    let _ = mail_link::project_key(&project);
    let lock = InstanceLock::acquire(&folders.root).map_err(|e| Failure::Tool(e.to_string()))?;
    let stop = StopFlag::new();
    stop.on_signals()
        .map_err(|e| Failure::Tool(e.to_string()))?;
    let offset = if now_given {
        session.now - Utc::now()
    } else {
        chrono::Duration::zero()
    };
    let clock: Clock = Arc::new(move || Utc::now() + offset);
    let app = Arc::new(AppState::new(project, link_key, Arc::clone(&clock)));
    let running = serve::start(listen, Arc::clone(&app), stop.clone()).map_err(Failure::Tool)?;
    let quiet = session.ui.quiet;
    if !listen.ip().is_loopback() {
        eprintln!(
            "Warnung: der Webdienst ist von außen erreichbar ({listen}); er spricht kein TLS und gehört hinter einen Reverse-Proxy."
        );
    }
    if !quiet {
        eprintln!("Webdienst: http://{}/", running.addr);
        if settings.public_url.is_none() {
            eprintln!(
                "Hinweis: serve.public_url ist nicht gesetzt; die Nachrichten enthalten keine Links."
            );
        }
    }
    let transport = pass::open_transport(&session)?;
    let verbose = session.ui.verbose;
    let early = Arc::clone(&app);
    let mut publishing = Publishing {
        inner: Reconciler {
            session,
            transport,
            wakeups: BTreeMap::new(),
            calendars: crate::pass::calendars::Schedule::default(),
            ready: false,
            hold_ready_line: Some(None),
            on_reloaded: Some(Box::new(move |session: &Session| {
                if let Some(project) = session.loaded.project.as_ref() {
                    early.publish(Arc::clone(project));
                }
            })),
        },
        app,
    };
    let watch_options = WatchOptions {
        debounce: Duration::from_millis(options.debounce_ms),
        poll: options.poll_ms.map(Duration::from_millis),
        verbose,
        quiet,
        ..WatchOptions::default()
    };
    let own = OwnWrites::new();
    // The pages first: the watcher's pass (documents and mails after each signature) runs on
    // this thread and the threads it starts, at a lower priority.
    serve::background_priority();
    let watched = watch::watch_holding(
        &lock,
        &folders,
        &watch_options,
        &mut publishing,
        &own,
        &move || clock(),
        &stop,
    );
    // However the watcher ended, the server stops too.
    stop.stop();
    let served = running.join();
    drop(lock);
    watched.map_err(|Fatal(message)| Failure::Tool(message))?;
    served.map_err(Failure::Tool)?;
    if !quiet {
        eprintln!("ratsflow beendet.");
    }
    Ok(())
}

/// The watcher's reconciler, publishing the project to the web side after each pass that read
/// inputs again (a journal change alone leaves the project as it is).
struct Publishing {
    inner: Reconciler,
    app: Arc<AppState>,
}

impl Reconcile for Publishing {
    fn reconcile(&mut self, changes: &[Change], now: DateTime<Utc>) -> Result<(), Fatal> {
        let first = !self.inner.ready;
        let result = self.inner.reconcile(changes, now);
        self.app.share_journals(self.inner.session.journals.clone());
        let inputs_changed = changes.iter().any(|c| !matches!(c, Change::Journal(_)));
        if (first || inputs_changed)
            && let Some(project) = self.inner.session.loaded.project.as_ref()
        {
            self.app.publish(Arc::clone(project));
            if first {
                // The board's first snapshot, before the service says it is ready: no
                // request has to wait for the state of every paper.
                let _ = self.app.board();
            }
        }
        if let Some(line) = self.inner.hold_ready_line.as_mut().and_then(Option::take) {
            eprintln!("{line}");
        }
        result
    }

    fn next_wakeup(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.inner.next_wakeup(now)
    }
}
