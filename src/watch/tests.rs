//! The loop against real file events: a temporary project folder, `watch` in a thread and a
//! reconciler that records every call. No mocks of notify; timing bounds are generous for a
//! loaded CI machine.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, TimeDelta, Utc};

use super::*;

/// How long a call may take to show up after a file change.
const PATIENCE: Duration = Duration::from_secs(3);
/// How long "nothing happens" is watched for.
const QUIET: Duration = Duration::from_millis(800);

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Records calls; wakes up once at a fixed moment, if given; fails when told to.
struct Recorder {
    calls: Sender<Vec<Change>>,
    wakeup: Option<DateTime<Utc>>,
    fail_on: Option<Change>,
}

impl Reconcile for Recorder {
    fn reconcile(&mut self, changes: &[Change], _now: DateTime<Utc>) -> Result<(), Fatal> {
        let _ = self.calls.send(changes.to_vec());
        match &self.fail_on {
            Some(change) if changes.contains(change) => {
                Err(Fatal("Journal nicht schreibbar".to_string()))
            }
            _ => Ok(()),
        }
    }

    fn next_wakeup(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.wakeup.filter(|at| *at > now)
    }
}

/// A watcher running on a temporary project.
struct Running {
    /// Polling mode: every change comes a second time (see `recheck`).
    polling: bool,
    dir: tempfile::TempDir,
    folders: Folders,
    own: Arc<OwnWrites>,
    stop: StopFlag,
    calls: Receiver<Vec<Change>>,
    handle: JoinHandle<Result<(), Fatal>>,
}

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How a test sets up its watcher.
struct Setup {
    options: WatchOptions,
    clock: Clock,
    wakeup: Option<DateTime<Utc>>,
    fail_on: Option<Change>,
    folders: &'static [&'static str],
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            options: WatchOptions::default(),
            clock: Arc::new(Utc::now),
            wakeup: None,
            fail_on: None,
            folders: &["workflows", "papers", "templates", "out", "state"],
        }
    }
}

impl Setup {
    fn poll() -> Self {
        let options = WatchOptions {
            poll: Some(Duration::from_millis(100)),
            ..WatchOptions::default()
        };
        Setup {
            options,
            ..Setup::default()
        }
    }

    /// Creates the project, starts `watch` and waits for the initial full pass.
    fn start(self) -> Result<Running, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        fs::write(root.join("ratsflow.yaml"), "organisation: kreis\n")?;
        for folder in self.folders {
            fs::create_dir(root.join(folder))?;
        }
        if self.folders.contains(&"papers") {
            // Files that existed long before the watcher started.
            write_old(&root.join("papers/b.yaml"), "titel: alt\n")?;
            write_old(&root.join("state/x.jsonl"), "{}\n")?;
            write_old(&root.join("state/y.jsonl"), "{}\n")?;
        }
        let folders = Folders::default_for(root);
        let polling = self.options.poll.is_some();
        let own = Arc::new(OwnWrites::new());
        let stop = StopFlag::new();
        let (sender, calls) = channel();
        let handle = {
            let (folders, own, stop) = (folders.clone(), Arc::clone(&own), stop.clone());
            std::thread::spawn(move || {
                let mut recorder = Recorder {
                    calls: sender,
                    wakeup: self.wakeup,
                    fail_on: self.fail_on,
                };
                let clock = self.clock;
                watch(&folders, &self.options, &mut recorder, &own, &*clock, &stop)
            })
        };
        let running = Running {
            polling,
            dir,
            folders,
            own,
            stop,
            calls,
            handle,
        };
        running.expect_next(&[Change::Rescan])?;
        if running.polling {
            running.expect_next(&[Change::Rescan])?;
        }
        Ok(running)
    }
}

/// Writes a file and dates it an hour back, as if saved long ago.
fn write_old(path: &Path, text: &str) -> std::io::Result<()> {
    fs::write(path, text)?;
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    OpenOptions::new()
        .write(true)
        .open(path)?
        .set_modified(hour_ago)
}

fn append(path: &Path, text: &str) -> std::io::Result<()> {
    OpenOptions::new()
        .append(true)
        .open(path)?
        .write_all(text.as_bytes())
}

impl Running {
    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    /// Waits for the next call, which must be exactly `want`.
    fn expect_next(&self, want: &[Change]) -> Result<(), String> {
        let call = self
            .calls
            .recv_timeout(PATIENCE)
            .map_err(|_| format!("no call with {want:?} within {PATIENCE:?}"))?;
        if call != want {
            return Err(format!("expected {want:?}, got {call:?}"));
        }
        Ok(())
    }

    /// [`Running::expect_next`] (twice when polling), then lets stragglers of the same change
    /// pass (one change split over two debounce windows).
    fn expect(&self, want: &[Change]) -> Result<(), String> {
        self.expect_next(want)?;
        if self.polling && !want.is_empty() {
            self.expect_next(want)?;
        }
        // The same change split over two debounce windows is fine; anything else is not.
        while let Ok(call) = self.calls.recv_timeout(Duration::from_millis(300)) {
            if call != want {
                return Err(format!("after {want:?}, unexpected call {call:?}"));
            }
        }
        Ok(())
    }

    /// Asserts that no call comes for a while.
    fn expect_quiet(&self, what: &str) -> Result<(), String> {
        match self.calls.recv_timeout(QUIET) {
            Ok(call) => Err(format!("{what}: unexpected call {call:?}")),
            Err(_) => Ok(()),
        }
    }

    /// Stops the watcher; it must return `Ok` within a second.
    fn stop(self) -> TestResult {
        self.stop_and_keep().map(drop)
    }

    /// [`Running::stop`], handing back the project folder.
    fn stop_and_keep(self) -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
        let asked = Instant::now();
        self.stop.stop();
        while !self.handle.is_finished() {
            if asked.elapsed() > Duration::from_secs(1) {
                return Err("watch did not return within 1 s of the stop flag".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        match self.handle.join() {
            Ok(result) => Ok(result.map(|()| self.dir)?),
            Err(_) => Err("watch panicked".into()),
        }
    }
}

fn paper(id: &str) -> Change {
    Change::Paper(id.to_string())
}

/// Steps (a)–(e) of the brief, for either backend.
fn file_events(setup: Setup) -> TestResult {
    let running = setup.start()?;

    // (a) A paper is written.
    fs::write(running.path("papers/a.yaml"), "titel: neu\n")?;
    running.expect(&[paper("a")])?;

    // (b) An editor saves by writing a temporary file and renaming it over the paper.
    fs::write(running.path("papers/.b.tmp"), "titel: geändert\n")?;
    fs::rename(running.path("papers/.b.tmp"), running.path("papers/b.yaml"))?;
    running.expect(&[paper("b")])?;

    // (c) Output is ignored.
    fs::create_dir_all(running.path("out/a"))?;
    fs::write(running.path("out/a/Beschlussvorlage.docx"), "docx")?;
    running.expect_quiet("output written")?;

    // (d) Another process appends to a journal; the watcher's own append is ignored.
    append(&running.path("state/x.jsonl"), "{\"von\":\"sign\"}\n")?;
    running.expect(&[Change::Journal("x".into())])?;
    let journal = running.folders.journal("y");
    let line = "{\"von\":\"watch\"}\n";
    let len = fs::metadata(&journal)?.len() + line.len() as u64;
    running.own.note(&journal, len);
    append(&journal, line)?;
    running.expect_quiet("own journal append")?;

    // Still alive after the quiet steps.
    fs::write(running.path("workflows/kreistag.yaml"), "stufen: []\n")?;
    running.expect(&[Change::Workflow("kreistag".into())])?;

    // (e) The stop flag ends the loop.
    running.stop()
}

#[test]
fn native_events_reach_the_reconciler() -> TestResult {
    file_events(Setup::default())
}

#[test]
fn polled_events_reach_the_reconciler() -> TestResult {
    file_events(Setup::poll())
}

#[test]
fn templates_and_settings() -> TestResult {
    let running = Setup::default().start()?;
    // A folder moved in with its files: they raise no events of their own.
    fs::create_dir_all(running.path("neu/mail"))?;
    fs::write(running.path("neu/mail/unterschrift.txt"), "Gruß")?;
    fs::rename(running.path("neu/mail"), running.path("templates/mail"))?;
    running.expect(&[Change::Template("mail/unterschrift.txt".into())])?;
    fs::write(running.path("templates/beschluss.docx"), "docx")?;
    running.expect(&[Change::Template("beschluss.docx".into())])?;
    fs::write(running.path("ratsflow.yaml"), "organisation: stadt\n")?;
    running.expect(&[Change::Rescan])?;
    running.stop()
}

#[test]
fn timer_wakes_the_reconciler_without_file_events() -> TestResult {
    let started = Instant::now();
    let setup = Setup {
        wakeup: Some(Utc::now() + TimeDelta::milliseconds(300)),
        ..Setup::default()
    };
    let running = setup.start()?;
    running.expect(&[])?;
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
    running.expect_quiet("after the wake-up")?;
    running.stop()
}

#[test]
fn injected_clock_drives_the_timer() -> TestResult {
    // A frozen clock that only the test moves: the loop reads no other.
    let millis = Arc::new(AtomicI64::new(1_800_000_000_000));
    let now = {
        let millis = Arc::clone(&millis);
        move || {
            DateTime::<Utc>::from_timestamp_millis(millis.load(Ordering::SeqCst))
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        }
    };
    let wakeup = now() + TimeDelta::hours(2);
    let setup = Setup {
        clock: Arc::new(now),
        wakeup: Some(wakeup),
        options: WatchOptions {
            max_sleep: Duration::from_secs(3 * 3600),
            ..WatchOptions::default()
        },
        ..Setup::default()
    };
    let running = setup.start()?;
    running.expect_quiet("clock stands still")?;
    millis.fetch_add(2 * 3600 * 1000, Ordering::SeqCst);
    running.expect(&[])?;
    running.stop()
}

#[test]
fn clock_set_back_reschedules() -> TestResult {
    let t0 = 1_800_000_000_000;
    let millis = Arc::new(AtomicI64::new(t0));
    let now = {
        let millis = Arc::clone(&millis);
        move || {
            DateTime::<Utc>::from_timestamp_millis(millis.load(Ordering::SeqCst))
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        }
    };
    let hour = 3600 * 1000;
    // A reminder that lies in the past at start, so the first timer pass is the 3 h cap.
    let reminder = DateTime::<Utc>::from_timestamp_millis(t0 - 9 * hour);
    let setup = Setup {
        clock: Arc::new(now),
        wakeup: reminder,
        options: WatchOptions {
            max_sleep: Duration::from_secs(3 * 3600),
            ..WatchOptions::default()
        },
        ..Setup::default()
    };
    let running = setup.start()?;
    millis.store(t0 - 10 * hour, Ordering::SeqCst);
    running.expect_quiet("clock set back, reminder still ahead")?;
    millis.store(t0 - 9 * hour, Ordering::SeqCst);
    running.expect(&[])?;
    running.stop()
}

#[test]
fn nothing_due_still_ticks_at_the_cap() -> TestResult {
    let mut setup = Setup::default();
    setup.options.max_sleep = Duration::from_millis(300);
    let running = setup.start()?;
    running.expect_next(&[])?;
    running.expect_next(&[])?;
    running.stop()
}

#[test]
fn a_missing_folder_is_watched_once_it_appears() -> TestResult {
    let setup = Setup {
        folders: &["workflows", "out", "state"],
        ..Setup::default()
    };
    let running = setup.start()?;
    fs::create_dir(running.path("papers"))?;
    running.expect(&[Change::Rescan])?;
    fs::write(running.path("papers/n.yaml"), "titel: neu\n")?;
    running.expect(&[paper("n")])?;
    running.stop()
}

#[test]
fn a_replaced_folder_is_watched_anew() -> TestResult {
    let running = Setup::default().start()?;
    fs::rename(running.path("papers"), running.path("papers-alt"))?;
    fs::create_dir(running.path("papers"))?;
    running.expect(&[Change::Rescan])?;
    // Writes to the old folder no longer count; the new one does.
    fs::write(running.path("papers-alt/old.yaml"), "x: 1\n")?;
    fs::write(running.path("papers/n.yaml"), "titel: neu\n")?;
    running.expect(&[paper("n")])?;
    running.stop()
}

#[test]
fn a_fatal_pass_stops_the_watcher() -> TestResult {
    let setup = Setup {
        fail_on: Some(paper("a")),
        ..Setup::default()
    };
    let running = setup.start()?;
    fs::write(running.path("papers/a.yaml"), "titel: neu\n")?;
    running.expect(&[paper("a")])?;
    let result = running.handle.join().map_err(|_| "watch panicked")?;
    let Err(fatal) = result else {
        return Err("watch went on after a fatal error".into());
    };
    assert_eq!(fatal.to_string(), "Journal nicht schreibbar");
    Ok(())
}

#[test]
fn the_running_watcher_holds_the_lock() -> TestResult {
    let running = Setup::default().start()?;
    let Err(message) = InstanceLock::acquire(running.dir.path()) else {
        return Err("second watcher got the lock".into());
    };
    assert!(message.contains("läuft bereits"), "{message}");
    let (sender, calls) = channel();
    let mut recorder = Recorder {
        calls: sender,
        wakeup: None,
        fail_on: None,
    };
    let result = watch(
        &running.folders,
        &WatchOptions::default(),
        &mut recorder,
        &OwnWrites::new(),
        &Utc::now,
        &StopFlag::new(),
    );
    let Err(fatal) = result else {
        return Err("second watch started".into());
    };
    assert!(fatal.0.contains(".ratsflow-watch.lock"), "{fatal}");
    assert!(calls.try_recv().is_err(), "second watch reconciled");
    let dir = running.stop_and_keep()?;
    InstanceLock::acquire(dir.path())?;
    Ok(())
}
