//! The loop against real file events: a temporary project folder, `watch` in a thread and a
//! reconciler that records every call. No mocks of notify; timing bounds are generous for a
//! loaded CI machine. This module is the harness; the tests are in its submodules.

mod events;
mod timer;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use chrono::{DateTime, Utc};

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

/// A clock that stands still until the test moves it, and the handle that moves it
/// (milliseconds since the epoch).
fn fake_clock(start_millis: i64) -> (Arc<AtomicI64>, Clock) {
    let millis = Arc::new(AtomicI64::new(start_millis));
    let clock = {
        let millis = Arc::clone(&millis);
        move || {
            DateTime::<Utc>::from_timestamp_millis(millis.load(Ordering::SeqCst))
                .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        }
    };
    (millis, Arc::new(clock))
}

fn paper(id: &str) -> Change {
    Change::Paper(id.to_string())
}
