//! A second look after each change in polling mode.
//!
//! notify's poll watcher notices a change by a newer modification time, compared in whole
//! seconds. After it has seen a file with time `M`, another save within the same second `M`
//! leaves the time at `M` and goes unnoticed — an editor that truncates and then writes, or two
//! quick saves, would leave the pass with the half-written state. Such a second save can only
//! happen within one second of the first (two seconds on FAT-formatted shares), so looking at
//! every polled change once more after [`DELAY`] catches it, and costs one extra pass for that
//! paper instead of a periodic full rescan.
//!
//! Native file events report every write, so this is off unless polling.

use chrono::{DateTime, TimeDelta, Utc};

use super::triggers::Change;

/// How long after a change it is looked at again: past the end of the modification time's
/// second on any file system, FAT's two-second steps included.
pub const DELAY: TimeDelta = TimeDelta::milliseconds(2_500);

/// Changes waiting for their second look, with the moment it is due.
#[derive(Debug, Default)]
pub(super) struct Rechecks {
    enabled: bool,
    pending: Vec<(DateTime<Utc>, Vec<Change>)>,
}

impl Rechecks {
    /// Rechecks that are kept only when `enabled` (polling mode).
    pub(super) fn new(enabled: bool) -> Self {
        Rechecks {
            enabled,
            pending: Vec::new(),
        }
    }

    /// Remembers `changes`, seen at `now`, for a second look.
    pub(super) fn remember(&mut self, changes: &[Change], now: DateTime<Utc>) {
        if self.enabled && !changes.is_empty() {
            let at = now.checked_add_signed(DELAY).unwrap_or(now);
            self.pending.push((at, changes.to_vec()));
        }
    }

    /// The changes whose second look is due at `now`; they are forgotten.
    pub(super) fn take_due(&mut self, now: DateTime<Utc>) -> Vec<Change> {
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|(at, _)| *at <= now);
        self.pending = later;
        due.into_iter().flat_map(|(_, changes)| changes).collect()
    }

    /// When the next second look is due, if one is waiting.
    pub(super) fn next(&self) -> Option<DateTime<Utc>> {
        self.pending.iter().map(|(at, _)| *at).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(millis: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + TimeDelta::milliseconds(millis)
    }

    fn paper(id: &str) -> Change {
        Change::Paper(id.to_string())
    }

    #[test]
    fn changes_come_back_once_after_the_delay() {
        let mut rechecks = Rechecks::new(true);
        rechecks.remember(&[paper("a")], at(0));
        rechecks.remember(&[paper("b")], at(1_000));
        assert_eq!(rechecks.next(), Some(at(2_500)));
        assert_eq!(rechecks.take_due(at(2_499)), Vec::<Change>::new());
        assert_eq!(rechecks.take_due(at(2_500)), vec![paper("a")]);
        assert_eq!(rechecks.next(), Some(at(3_500)));
        assert_eq!(rechecks.take_due(at(9_000)), vec![paper("b")]);
        assert_eq!(rechecks.take_due(at(9_000)), Vec::<Change>::new());
        assert_eq!(rechecks.next(), None);
    }

    #[test]
    fn off_unless_polling() {
        let mut rechecks = Rechecks::new(false);
        rechecks.remember(&[paper("a")], at(0));
        assert_eq!(rechecks.next(), None);
        assert_eq!(rechecks.take_due(at(10_000)), Vec::<Change>::new());
    }

    #[test]
    fn nothing_to_remember() {
        let mut rechecks = Rechecks::new(true);
        rechecks.remember(&[], at(0));
        assert_eq!(rechecks.next(), None);
    }
}
