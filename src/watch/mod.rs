//! `ratsflow watch`: a loop around the same one-shot pass that `ratsflow run` does.
//!
//! The loop owns only the *when*: file events and a timer decide that a pass is due and what
//! it is about ([`Change`]); the pass itself (load, render, notify, journal) sits behind the
//! [`Reconcile`] trait, implemented by the pass code. So the loop can be tested with real file
//! events and a recording reconciler, and the pass stays the one `ratsflow run` uses.
//!
//! Errors come in two kinds. Problems in the user's files are reported by the reconciler and
//! the watcher keeps running with the last good output. Only what makes going on pointless is
//! [`Fatal`]: the watcher cannot start, or a journal cannot be written.
//!
//! Order at start: take the single-instance lock ([`InstanceLock`]), start watching, *then*
//! reconcile everything, so a file saved between the two is seen by the pass or by a later
//! event, never by neither.

mod lock;
mod recheck;
mod source;
mod stop;
mod triggers;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::project::Folders;
pub use lock::{InstanceLock, LOCK_FILE};
use recheck::Rechecks;
use source::{Source, Wait};
pub use stop::StopFlag;
pub use triggers::{Change, OwnWrites, Skip, classify, coalesce, sort};

/// How the watcher watches.
#[derive(Clone, Debug)]
pub struct WatchOptions {
    /// Quiet time after the last event on a file before it counts (at least 10 ms).
    pub debounce: Duration,
    /// `--poll`: compare the folders at this interval instead of asking the OS for events,
    /// for network shares that deliver none. Every change seen this way is reconciled a
    /// second time shortly after (see `recheck`), since notify's poll watcher compares
    /// modification times in whole seconds.
    pub poll: Option<Duration>,
    /// The longest time between two passes when nothing happens (at least 100 ms).
    pub max_sleep: Duration,
    /// Also log the paths that are skipped, and why.
    pub verbose: bool,
    /// `--quiet`: log problems only, not the changes seen.
    pub quiet: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            debounce: Duration::from_millis(100),
            poll: None,
            max_sleep: Duration::from_secs(60),
            verbose: false,
            quiet: false,
        }
    }
}

/// What the loop drives; implemented by the pass code.
pub trait Reconcile {
    /// Brings everything affected by `changes` up to date at `now` (render, notify).
    /// `[Change::Rescan]` means "everything"; an empty slice means only time has passed: act
    /// on what has become due by `now` (the loop calls it so when a wake-up or the
    /// `max_sleep` cap is reached, even if a pass for file changes ran just before).
    ///
    /// Errors in user input are reported by the implementation and not returned; `Err` means
    /// the watcher cannot go on (a journal is not writable) and stops it. After appending to a
    /// journal the implementation tells [`OwnWrites::note`] the new length.
    fn reconcile(&mut self, changes: &[Change], now: DateTime<Utc>) -> Result<(), Fatal>;

    /// The next moment something becomes due without any file changing (a deadline, a
    /// reminder at 08:00), if any.
    fn next_wakeup(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>>;
}

/// An error that stops the watcher; a German message.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Fatal {}

/// The longest the loop waits before looking at the stop flag and the clock again.
const TICK: Duration = Duration::from_millis(100);
/// The gap before asking again when the reconciler names a wake-up time that has already
/// passed, so a wrong `next_wakeup` cannot make the loop spin.
const RETRY: TimeDelta = TimeDelta::seconds(1);

/// Watches the project and reconciles until `stop` is set or a [`Fatal`] error occurs.
///
/// Takes the project's [`InstanceLock`] itself and holds it until it returns (so a caller must
/// not hold one on the same root: a second lock in the same process fails too). Then starts
/// watching the project folders, reconciles everything once (`[Rescan]`), then reconciles
/// whatever file events and the timer bring.
/// Creates, modifications, removals and renames all count as "changed"; for a rename both
/// names are looked at. Lost events or watcher errors become `[Rescan]`. `clock` is the only
/// source of the current time.
pub fn watch(
    folders: &Folders,
    options: &WatchOptions,
    reconciler: &mut dyn Reconcile,
    own_writes: &OwnWrites,
    clock: &dyn Fn() -> DateTime<Utc>,
    stop: &StopFlag,
) -> Result<(), Fatal> {
    let lock = InstanceLock::acquire(&folders.root).map_err(|e| Fatal(e.to_string()))?;
    watch_holding(&lock, folders, options, reconciler, own_writes, clock, stop)
}

/// [`watch`] with the project's [`InstanceLock`] already taken by the caller (`ratsflow serve`
/// takes it before it opens its port, so a second instance fails before listening).
pub fn watch_holding(
    lock: &InstanceLock,
    folders: &Folders,
    options: &WatchOptions,
    reconciler: &mut dyn Reconcile,
    own_writes: &OwnWrites,
    clock: &dyn Fn() -> DateTime<Utc>,
    stop: &StopFlag,
) -> Result<(), Fatal> {
    if let Some(warning) = lock.warning() {
        eprintln!("Warnung: {warning}");
    }
    let mut source = Source::start(folders, options)?;
    let lens = Lens::new(folders);
    let mut rechecks = Rechecks::new(options.poll.is_some());
    // Polling: a file saved again within the second the watch started is seen only this way.
    rechecks.remember(&[Change::Rescan], clock());
    let mut due = pass(reconciler, &[Change::Rescan], clock, options)?;
    while !stop.is_set() {
        let now = clock();
        if due - now > longest_sleep(options.max_sleep) {
            // The clock was set back: a wake-up computed before may now be far too late.
            due = schedule(reconciler.next_wakeup(now), now, options.max_sleep);
        }
        let next = rechecks.next().map_or(due, |recheck| recheck.min(due));
        let wait = (next - now).to_std().unwrap_or(Duration::ZERO).min(TICK);
        let (paths, mut rescans) = match source.wait(wait) {
            Wait::Timeout => (BTreeSet::new(), Vec::new()),
            Wait::Events { paths, rescans } => (paths, rescans),
            Wait::Closed => {
                return Err(Fatal(
                    "Die Dateiüberwachung hat unerwartet aufgehört.".to_string(),
                ));
            }
        };
        rescans.extend(source.rearm(folders)?);
        let mut changes = Vec::new();
        for reason in rescans {
            if !options.quiet {
                eprintln!("{reason} – alles wird neu abgeglichen");
            }
            changes.push(Change::Rescan);
        }
        changes.extend(
            paths
                .iter()
                .filter_map(|path| lens.change(path, own_writes, options)),
        );
        let now = clock();
        let changes = coalesce(changes);
        rechecks.remember(&changes, now);
        let second_look = rechecks.take_due(now);
        if options.verbose && !second_look.is_empty() {
            eprintln!("erneut geprüft (Abfragemodus): {}", list(&second_look));
        }
        let changes = coalesce(changes.into_iter().chain(second_look));
        // Decided before the pass for the changes: that pass may reschedule, but it is not
        // asked to act on what fell due, so a coinciding wake-up still gets its own pass.
        let time_is_due = now >= due;
        if !changes.is_empty() {
            due = pass(reconciler, &changes, clock, options)?;
        }
        if time_is_due {
            if options.verbose {
                eprintln!("Zeitpunkt erreicht: Fristen und Erinnerungen werden geprüft");
            }
            due = pass(reconciler, &[], clock, options)?;
        }
    }
    Ok(())
}

/// Runs one pass and works out when the next timer pass is due.
fn pass(
    reconciler: &mut dyn Reconcile,
    changes: &[Change],
    clock: &dyn Fn() -> DateTime<Utc>,
    options: &WatchOptions,
) -> Result<DateTime<Utc>, Fatal> {
    reconciler.reconcile(changes, clock())?;
    let now = clock();
    Ok(schedule(
        reconciler.next_wakeup(now),
        now,
        options.max_sleep,
    ))
}

/// The next timer pass: the reconciler's wake-up, capped at `max_sleep` from `now`. A wake-up
/// that has already passed is asked for again a second later rather than at once.
fn schedule(
    wakeup: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max_sleep: Duration,
) -> DateTime<Utc> {
    let cap = now
        .checked_add_signed(longest_sleep(max_sleep))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    match wakeup {
        Some(at) if at <= now => now.checked_add_signed(RETRY).unwrap_or(cap).min(cap),
        Some(at) => at.min(cap),
        None => cap,
    }
}

/// `max_sleep` as a time span, at least [`TICK`].
fn longest_sleep(max_sleep: Duration) -> TimeDelta {
    TimeDelta::from_std(max_sleep.max(TICK)).unwrap_or(TimeDelta::MAX)
}

/// Changes as a short German list for the log.
fn list(changes: &[Change]) -> String {
    let names: Vec<String> = changes
        .iter()
        .map(|change| match change {
            Change::Settings => "Einstellungen".to_string(),
            Change::Directory => "Verzeichnis".to_string(),
            Change::Workflow(id) => format!("Ablauf {id}"),
            Change::Paper(id) => format!("Vorlage {id}"),
            Change::Template(name) => format!("Dokumentvorlage {name}"),
            Change::Journal(id) => format!("Journal {id}"),
            Change::Rescan => "alles".to_string(),
        })
        .collect();
    names.join(", ")
}

/// Looks at event paths through the project's folders, as given and as the OS may report them
/// (macOS reports resolved paths: `/private/var/…` for `/var/…`).
struct Lens<'a> {
    given: &'a Folders,
    resolved: Option<Folders>,
}

impl<'a> Lens<'a> {
    fn new(given: &'a Folders) -> Self {
        let resolve = |path: &PathBuf| path.canonicalize().unwrap_or_else(|_| path.clone());
        let resolved = Folders {
            root: resolve(&given.root),
            workflows: resolve(&given.workflows),
            papers: resolve(&given.papers),
            templates: resolve(&given.templates),
            out: resolve(&given.out),
            state: resolve(&given.state),
        };
        let differs = [
            (&resolved.root, &given.root),
            (&resolved.workflows, &given.workflows),
            (&resolved.papers, &given.papers),
            (&resolved.templates, &given.templates),
            (&resolved.out, &given.out),
            (&resolved.state, &given.state),
        ]
        .iter()
        .any(|(resolved, given)| resolved != given);
        Lens {
            given,
            resolved: differs.then_some(resolved),
        }
    }

    /// What a changed path affects, logged; `None` for a skipped path.
    fn change(&self, path: &Path, own: &OwnWrites, options: &WatchOptions) -> Option<Change> {
        let (folders, sorted) = match (triggers::sort(self.given, path), &self.resolved) {
            (Err(Skip::Outside), Some(resolved)) => (resolved, triggers::sort(resolved, path)),
            (sorted, _) => (self.given, sorted),
        };
        let shown = folders.display(path).display();
        let sorted = match sorted {
            Ok(Change::Journal(id)) if self.is_own_journal(&id, own) => Err(Skip::OwnJournal),
            sorted => sorted,
        };
        match sorted {
            Ok(change) => {
                let verb = if path.exists() {
                    "geändert"
                } else {
                    "entfernt"
                };
                if !options.quiet {
                    eprintln!("{verb}: {shown}");
                }
                Some(change)
            }
            Err(skip) => {
                if options.verbose {
                    eprintln!("übersprungen: {shown} ({})", skip.reason());
                }
                None
            }
        }
    }

    /// Whether a paper's journal has exactly the length the watcher's own last append left.
    /// The path is built from the given folders, as the reconciler builds it for `note`.
    fn is_own_journal(&self, id: &str, own: &OwnWrites) -> bool {
        let journal = self.given.journal(id);
        std::fs::metadata(&journal).is_ok_and(|meta| own.is_own(&journal, meta.len()))
    }
}

#[cfg(test)]
mod schedule_tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::seconds(seconds)
    }

    #[test]
    fn wakeup_before_the_cap_wins() {
        assert_eq!(
            schedule(Some(at(130)), at(100), Duration::from_secs(60)),
            at(130)
        );
    }

    #[test]
    fn cap_when_nothing_or_later() {
        for wakeup in [None, Some(at(1_000))] {
            assert_eq!(schedule(wakeup, at(100), Duration::from_secs(60)), at(160));
        }
    }

    #[test]
    fn passed_wakeup_retries_later_instead_of_spinning() {
        assert_eq!(
            schedule(Some(at(90)), at(100), Duration::from_secs(60)),
            at(101)
        );
    }

    #[test]
    fn absurd_options_do_not_overflow() {
        assert_eq!(
            schedule(None, at(100), Duration::MAX),
            DateTime::<Utc>::MAX_UTC
        );
        assert_eq!(
            schedule(None, at(100), Duration::ZERO),
            at(100) + TimeDelta::milliseconds(100)
        );
    }

    #[test]
    fn log_list_is_german() {
        let changes = [Change::Paper("2026-017".into()), Change::Rescan];
        assert_eq!(list(&changes), "Vorlage 2026-017, alles");
    }
}
