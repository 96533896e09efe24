//! Where file events come from: notify's native watcher (inotify, FSEvents, ReadDirectoryChanges)
//! or its polling watcher for network shares, both behind notify-debouncer-full, delivering
//! batches over one channel.
//!
//! Besides translating notify's events into "these paths changed" and "events were lost",
//! this keeps the watches in place: a folder missing at start is watched as soon as it appears,
//! and a folder that is removed, renamed or recreated while watching is watched anew. Both
//! end in a full rescan, since files may have changed while no watch was in place.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{AccessKind, EventKind, MetadataKind, ModifyKind};
use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use super::{Fatal, WatchOptions};
use crate::project::Folders;

/// The shortest debounce and poll interval accepted; zero would make notify spin.
const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// How many distinct watcher errors are remembered before the record starts afresh.
const MAX_REPORTED: usize = 64;

/// What one wait produced.
pub(super) enum Wait {
    /// Nothing happened within the timeout.
    Timeout,
    /// Changed paths, and reasons to rescan everything (lost events, errors, folders re-watched).
    Events {
        paths: BTreeSet<PathBuf>,
        rescans: Vec<String>,
    },
    /// The debouncer thread is gone: no more events will ever arrive.
    Closed,
}

/// The debouncer over one of the two notify backends.
enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(debouncer) => debouncer.watch(path, mode),
            Backend::Poll(debouncer) => debouncer.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(debouncer) => debouncer.unwatch(path),
            Backend::Poll(debouncer) => debouncer.unwatch(path),
        }
    }
}

/// A folder to watch.
struct Target {
    path: PathBuf,
    mode: RecursiveMode,
    watched: bool,
}

/// The event source of the loop.
pub(super) struct Source {
    backend: Backend,
    events: Receiver<DebounceEventResult>,
    targets: Vec<Target>,
    /// The project root, for showing paths.
    root: PathBuf,
    /// Watcher errors already reported.
    reported: HashSet<String>,
}

impl Source {
    /// Starts the watcher and watches the project folders. The root must be watchable; a
    /// missing input folder is reported and watched once it appears.
    pub(super) fn start(folders: &Folders, options: &WatchOptions) -> Result<Self, Fatal> {
        let (sender, events) = channel();
        let debounce = options.debounce.max(MIN_INTERVAL);
        let backend = match options.poll {
            None => new_debouncer_opt(
                debounce,
                None,
                sender,
                RecommendedCache::new(),
                notify::Config::default(),
            )
            .map(Backend::Native),
            Some(interval) => new_debouncer_opt(
                debounce,
                None,
                sender,
                NoCache::new(),
                notify::Config::default().with_poll_interval(interval.max(MIN_INTERVAL)),
            )
            .map(Backend::Poll),
        }
        .map_err(|err| Fatal(format!("Dateiüberwachung kann nicht starten: {err}")))?;

        let mut source = Source {
            backend,
            events,
            targets: targets(folders),
            root: folders.root.clone(),
            reported: HashSet::new(),
        };
        for target in &mut source.targets {
            if !target.path.is_dir() && target.path != folders.root {
                eprintln!(
                    "Ordner fehlt: {} – wird überwacht, sobald er angelegt ist",
                    folders.display(&target.path).display()
                );
                continue;
            }
            source
                .backend
                .watch(&target.path, target.mode)
                .map_err(|err| cannot_watch(&target.path, &err))?;
            target.watched = true;
        }
        Ok(source)
    }

    /// Waits up to `timeout` for the next batch and takes whatever else is already queued.
    pub(super) fn wait(&mut self, timeout: Duration) -> Wait {
        let first = match self.events.recv_timeout(timeout) {
            Ok(batch) => batch,
            Err(RecvTimeoutError::Timeout) => return Wait::Timeout,
            Err(RecvTimeoutError::Disconnected) => return Wait::Closed,
        };
        let mut paths = BTreeSet::new();
        let mut rescans = Vec::new();
        let batches: Vec<_> = std::iter::once(first)
            .chain(self.events.try_iter())
            .collect();
        for batch in batches {
            match batch {
                Ok(events) => {
                    for event in events {
                        self.take(event, &mut paths, &mut rescans);
                    }
                }
                Err(errors) => {
                    for err in errors {
                        let message = format!("Fehler der Dateiüberwachung: {err}");
                        // A lasting error (an unreadable folder while polling) comes back at
                        // every poll: it is worth one rescan, not one per interval.
                        if self.reported.len() >= MAX_REPORTED {
                            self.reported.clear();
                        }
                        if self.reported.insert(message.clone()) {
                            rescans.push(message);
                        }
                    }
                }
            }
        }
        Wait::Events { paths, rescans }
    }

    /// Sorts one debounced event into changed paths or a rescan.
    fn take(
        &mut self,
        event: DebouncedEvent,
        paths: &mut BTreeSet<PathBuf>,
        rescans: &mut Vec<String>,
    ) {
        if event.need_rescan() {
            rescans.push("Ereignisse verloren (Warteschlange übergelaufen)".to_string());
            return;
        }
        if !counts(&event.kind) {
            return;
        }
        let structural = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            // A watched folder that appears, goes or is renamed is watched anew.
            let target = self.targets.iter_mut().skip(1).find(|t| t.path == *path);
            if let Some(target) = target {
                if structural && target.watched {
                    let _ = self.backend.unwatch(&target.path);
                    target.watched = false;
                    let shown = path.strip_prefix(&self.root).unwrap_or(path);
                    rescans.push(format!("Ordner {} verändert", shown.display()));
                }
                continue;
            }
            // A folder created or moved into a recursive watch: files written into it before
            // its watch was in place raised no events of their own.
            let recursive = self.targets.iter().any(|t| {
                t.mode == RecursiveMode::Recursive && path.starts_with(&t.path) && t.path != *path
            });
            if structural && recursive && path.is_dir() {
                files_below(path, MAX_DEPTH, paths);
            }
            paths.insert(path.clone());
        }
    }

    /// Watches every folder that exists but has no watch; returns the German reasons for a
    /// rescan, one per folder newly watched. A folder that cannot be watched is a fatal error.
    pub(super) fn rearm(&mut self, folders: &Folders) -> Result<Vec<String>, Fatal> {
        let mut rescans = Vec::new();
        for target in &mut self.targets {
            if target.watched || !target.path.is_dir() {
                continue;
            }
            self.backend
                .watch(&target.path, target.mode)
                .map_err(|err| cannot_watch(&target.path, &err))?;
            target.watched = true;
            rescans.push(format!(
                "Ordner {} wird (wieder) überwacht",
                folders.display(&target.path).display()
            ));
        }
        Ok(rescans)
    }
}

/// How deep [`files_below`] looks; templates are not nested deeper in practice.
const MAX_DEPTH: usize = 8;

/// Adds the files below `dir` to `paths`, down to `depth` levels; unreadable parts are skipped
/// (a pass reports them if they matter).
fn files_below(dir: &Path, depth: usize, paths: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && depth > 0 => files_below(&path, depth - 1, paths),
            Ok(kind) if kind.is_file() => {
                paths.insert(path);
            }
            _ => {}
        }
    }
}

/// The folders to watch: the root first (non-recursive, for `ratsflow.yaml` and the folders
/// themselves appearing), then the input folders. Only `templates/` is recursive: the loader
/// reads the other folders' top level only. `out/` is never watched.
fn targets(folders: &Folders) -> Vec<Target> {
    let wanted = [
        (&folders.root, RecursiveMode::NonRecursive),
        (&folders.workflows, RecursiveMode::NonRecursive),
        (&folders.papers, RecursiveMode::NonRecursive),
        (&folders.templates, RecursiveMode::Recursive),
        (&folders.state, RecursiveMode::NonRecursive),
    ];
    let mut targets: Vec<Target> = Vec::new();
    for (path, mode) in wanted {
        match targets.iter_mut().find(|t| t.path == *path) {
            Some(existing) if mode == RecursiveMode::Recursive => existing.mode = mode,
            Some(_) => {}
            None => targets.push(Target {
                path: path.clone(),
                mode,
                watched: false,
            }),
        }
    }
    targets
}

/// Whether an event kind means "the file may have changed". Opening and closing files (the
/// reconciler reads them) and access-time updates do not.
fn counts(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(
            AccessKind::Any
                | AccessKind::Read
                | AccessKind::Open(_)
                | AccessKind::Close(_)
                | AccessKind::Other
        ) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
            | EventKind::Other
    )
}

/// The fatal error for a folder that exists but cannot be watched.
fn cannot_watch(path: &Path, err: &notify::Error) -> Fatal {
    let hint = match err.kind {
        notify::ErrorKind::MaxFilesWatch => {
            " – das System-Limit für überwachte Ordner ist erreicht \
             (fs.inotify.max_user_watches erhöhen oder --poll verwenden)"
        }
        _ => "",
    };
    Fatal(format!(
        "{} kann nicht überwacht werden: {err}{hint}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};

    #[test]
    fn reads_do_not_count() {
        assert!(!counts(&EventKind::Access(AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(!counts(&EventKind::Access(AccessKind::Close(
            notify::event::AccessMode::Write
        ))));
        assert!(!counts(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(counts(&EventKind::Create(CreateKind::File)));
        assert!(counts(&EventKind::Remove(RemoveKind::Any)));
        assert!(counts(&EventKind::Modify(ModifyKind::Data(
            DataChange::Any
        ))));
        assert!(counts(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::WriteTime
        ))));
        assert!(counts(&EventKind::Any));
    }

    #[test]
    fn targets_dedup_and_keep_recursion() {
        let mut folders = Folders::default_for(Path::new("/p"));
        folders.templates = folders.papers.clone();
        let targets = targets(&folders);
        let papers: Vec<_> = targets
            .iter()
            .filter(|t| t.path == folders.papers)
            .collect();
        assert_eq!(papers.len(), 1);
        assert_eq!(papers[0].mode, RecursiveMode::Recursive);
        assert_eq!(targets[0].path, folders.root);
        assert!(!targets.iter().any(|t| t.path == folders.out));
    }
}
