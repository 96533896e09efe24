//! Login attempts counted per e-mail address and per client address: at most [`LIMIT`]
//! requests for a login link within [`WINDOW_MINUTES`] minutes for each, so nobody can flood a
//! person's mailbox or probe the directory. Refused attempts are not counted, so a person
//! locked out can try again once the window has passed.
//!
//! Kept in memory only: a restart forgets the counts, which costs an attacker a restart of the
//! service they cannot cause. The map prunes itself, so a flood of distinct keys cannot grow it
//! without bound.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Attempts allowed per key and window.
pub const LIMIT: usize = 5;
/// The window.
pub const WINDOW_MINUTES: i64 = 15;
/// Keys kept before stale ones are dropped.
const PRUNE_AT: usize = 10_000;

/// Counts attempts per key.
#[derive(Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl RateLimiter {
    /// Whether one more attempt under all `keys` is allowed at `now`; if so, it is counted.
    pub fn allow(&self, keys: &[String], now: DateTime<Utc>) -> bool {
        let start = now - Duration::minutes(WINDOW_MINUTES);
        let mut hits = self
            .hits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if hits.len() > PRUNE_AT {
            hits.retain(|_, times| times.back().is_some_and(|t| *t > start));
        }
        let full = keys.iter().any(|key| {
            hits.get(key)
                .is_some_and(|times| times.iter().filter(|t| **t > start).count() >= LIMIT)
        });
        if full {
            return false;
        }
        for key in keys {
            let times = hits.entry(key.clone()).or_default();
            while times.front().is_some_and(|t| *t <= start) {
                times.pop_front();
            }
            times.push_back(now);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_per_window_then_again() {
        let limiter = RateLimiter::default();
        let now = Utc::now();
        let keys = ["ip:1".to_string(), "mail:a@b".to_string()];
        for _ in 0..LIMIT {
            assert!(limiter.allow(&keys, now));
        }
        assert!(!limiter.allow(&keys, now));
        // Another address from the same client is refused too; another client for another
        // address is not.
        assert!(!limiter.allow(&["ip:1".into(), "mail:c@d".into()], now));
        assert!(limiter.allow(&["ip:2".into(), "mail:c@d".into()], now));
        let later = now + Duration::minutes(WINDOW_MINUTES) + Duration::seconds(1);
        assert!(limiter.allow(&keys, later));
    }
}
