//! Passes without file events: the reconciler's wake-ups, the `max_sleep` cap, and the
//! injected clock as the loop's only notion of time.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

use super::*;

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
    let (millis, clock) = fake_clock(1_800_000_000_000);
    let wakeup = clock() + TimeDelta::hours(2);
    let setup = Setup {
        clock,
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
    let (millis, clock) = fake_clock(t0);
    let hour = 3600 * 1000;
    // A reminder that lies in the past at start, so the first timer pass is the 3 h cap.
    let reminder = DateTime::<Utc>::from_timestamp_millis(t0 - 9 * hour);
    let setup = Setup {
        clock,
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
