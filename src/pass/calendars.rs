//! When a long-running process (`watch`, `serve`) writes the calendars.
//!
//! A calendar feed depends on every paper (a person's signing deadlines across the project), so
//! building the feeds is a walk over all papers and all journals. `ratsflow run` does it once per
//! pass. The watcher passes after every signature, and at 10,000 papers that walk was most of
//! the cost of one signature (CPU the web pages wait for, and the memory of every feed at once).
//! Calendar clients fetch a subscribed feed every few minutes at most, so a long-running
//! process writes the calendars at most once per [`INTERVAL_SECONDS`]: a pass within the
//! interval leaves them pending, and the watcher wakes up when the interval is over to write
//! them once for the whole burst ([`Schedule::next_wakeup`]).

use chrono::{DateTime, Duration, Utc};

/// The shortest time between two writes of the calendars by a long-running process.
pub const INTERVAL_SECONDS: i64 = 60;

/// The calendar writes of one long-running process.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// When the calendars were last written.
    last: Option<DateTime<Utc>>,
    /// A pass left them unwritten since.
    pending: bool,
}

impl Schedule {
    fn interval() -> Duration {
        Duration::seconds(INTERVAL_SECONDS)
    }

    /// Whether a pass at `now` writes the calendars (then it counts as written); if not, they
    /// are pending until [`Schedule::next_wakeup`]. The first pass always writes them, and so
    /// does one whose clock went back.
    pub fn take(&mut self, now: DateTime<Utc>) -> bool {
        let recent = self
            .last
            .is_some_and(|last| now >= last && now - last < Self::interval());
        if recent {
            self.pending = true;
            return false;
        }
        self.last = Some(now);
        self.pending = false;
        true
    }

    /// When pending calendars are due to be written.
    pub fn next_wakeup(&self) -> Option<DateTime<Utc>> {
        if !self.pending {
            return None;
        }
        self.last.map(|last| last + Self::interval())
    }

    /// Whether pending calendars are due at `now`.
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_wakeup().is_some_and(|at| at <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::seconds(1_800_000_000 + seconds)
    }

    #[test]
    fn a_burst_writes_the_calendars_once_now_and_once_when_the_interval_is_over() {
        let mut schedule = Schedule::default();
        assert!(schedule.take(at(0)), "the first pass writes them");
        assert_eq!(schedule.next_wakeup(), None, "nothing pending");
        assert!(!schedule.take(at(5)));
        assert!(!schedule.take(at(30)));
        assert_eq!(schedule.next_wakeup(), Some(at(60)));
        assert!(!schedule.due(at(59)));
        assert!(schedule.due(at(60)));
        assert!(schedule.take(at(60)), "the wakeup writes them");
        assert_eq!(schedule.next_wakeup(), None);
        assert!(
            schedule.take(at(200)),
            "a pass after a quiet minute writes them at once"
        );
    }

    #[test]
    fn a_clock_that_went_back_writes_them() {
        let mut schedule = Schedule::default();
        assert!(schedule.take(at(100)));
        assert!(schedule.take(at(10)));
    }
}
