//! The outbox: which notices are sent, queued, failing or failed for good, read back from the
//! paper's outbox file (`state/outbox/<paper>.jsonl`, ignored by git; older versions kept these
//! lines in the journal itself, and those still count). A notice is recorded as queued before
//! the transport is called and as sent after, so a crash in between leads to one more attempt
//! with the same Message-ID, never to a loss.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset, Utc};
use sha2::{Digest, Sha256};

use crate::engine::notices::Notice;
use crate::journal::{Entry, Event, Extra};

/// Where one notice stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Recorded before sending; no outcome yet (a crash, or sending right now).
    Queued {
        attempt: u32,
    },
    /// The last attempt failed.
    Failed {
        attempt: u32,
        at: DateTime<FixedOffset>,
        permanent: bool,
        reason: String,
    },
    Sent {
        at: DateTime<FixedOffset>,
    },
    /// No longer due; never sent.
    Superseded,
}

/// The status of every notice key in notice lines: the last notice event per key wins.
pub fn statuses<'a>(journal: impl IntoIterator<Item = &'a Entry>) -> HashMap<String, Status> {
    let mut map = HashMap::new();
    for entry in journal {
        let Some(key) = entry.key.as_deref() else {
            continue;
        };
        let attempt = entry.attempt.unwrap_or(1);
        let status = match entry.event {
            Event::NoticeQueued => Status::Queued { attempt },
            Event::NoticeSent => Status::Sent { at: entry.time },
            Event::NoticeSuperseded => Status::Superseded,
            Event::NoticeFailed => Status::Failed {
                attempt,
                at: entry.time,
                permanent: entry.permanent().unwrap_or(false),
                reason: entry.comment().unwrap_or_default().to_string(),
            },
            _ => continue,
        };
        map.insert(key.to_string(), status);
    }
    map
}

/// Waiting time before attempt `attempt + 1`: one minute, doubling, at most one hour, with a
/// ±20 % jitter derived from the key so that many failed notices do not retry in lockstep.
pub fn backoff(key: &str, attempt: u32) -> Duration {
    let base = 60_i64
        .saturating_mul(1_i64 << attempt.saturating_sub(1).min(6))
        .min(3600);
    let digest = Sha256::digest(format!("{key}#{attempt}").as_bytes());
    let spread = i64::from(digest[0]) * 40 / 255 - 20; // -20..=20 percent
    Duration::seconds(base + base * spread / 100)
}

/// What to do with a desired notice now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send it (first attempt, after a crash, or after the backoff), as attempt number n.
    Send(u32),
    /// Already sent.
    Done,
    /// Failed temporarily; retry after this moment.
    Wait(DateTime<Utc>),
    /// Failed permanently; only `ratsflow outbox retry` sends it again.
    Stopped,
}

/// Decides what to do with one notice.
pub fn action(notice: &Notice, status: Option<&Status>, now: DateTime<Utc>) -> Action {
    match status {
        None => Action::Send(1),
        Some(Status::Sent { .. } | Status::Superseded) => Action::Done,
        Some(Status::Queued { attempt }) => Action::Send(*attempt),
        Some(Status::Failed {
            permanent: true, ..
        }) => Action::Stopped,
        Some(Status::Failed { attempt, at, .. }) => {
            let retry_at = at.with_timezone(&Utc) + backoff(&notice.key, *attempt);
            if now >= retry_at {
                Action::Send(attempt + 1)
            } else {
                Action::Wait(retry_at)
            }
        }
    }
}

/// The journal line recorded before a send.
pub fn queued(notice: &Notice, attempt: u32, time: DateTime<FixedOffset>) -> Entry {
    Entry {
        who: Some(notice.recipient.as_str().into()),
        stage: Some(notice.stage.as_str().into()),
        key: Some(notice.key.as_str().into()),
        kind: Some(notice.kind.word().into()),
        attempt: Some(attempt),
        ..Entry::new(time, Event::NoticeQueued)
    }
}

/// The journal line recorded after the transport accepted the message.
pub fn sent(notice: &Notice, attempt: u32, time: DateTime<FixedOffset>) -> Entry {
    Entry {
        ..with_event(queued(notice, attempt, time), Event::NoticeSent)
    }
}

/// The journal line recorded after a failed attempt.
pub fn failed(
    notice: &Notice,
    attempt: u32,
    time: DateTime<FixedOffset>,
    permanent: bool,
    reason: &str,
) -> Entry {
    with_event(queued(notice, attempt, time), Event::NoticeFailed).with_extra(Extra {
        comment: Some(reason.to_string()),
        permanent: Some(permanent),
        ..Extra::default()
    })
}

/// The journal line for a notice that is no longer due and was never sent.
pub fn superseded(key: &str, time: DateTime<FixedOffset>) -> Entry {
    Entry {
        key: Some(key.into()),
        ..Entry::new(time, Event::NoticeSuperseded)
    }
    .with_comment("nicht mehr fällig: die Drucksache wurde geändert oder ist weiter")
}

/// Keys that are queued or failing temporarily but no longer desired.
pub fn obsolete<'a>(statuses: &'a HashMap<String, Status>, desired: &[Notice]) -> Vec<&'a str> {
    let mut keys: Vec<&str> = statuses
        .iter()
        .filter(|(key, status)| {
            matches!(
                status,
                Status::Queued { .. }
                    | Status::Failed {
                        permanent: false,
                        ..
                    }
            ) && !desired.iter().any(|n| &n.key == *key)
        })
        .map(|(key, _)| key.as_str())
        .collect();
    keys.sort_unstable();
    keys
}

fn with_event(entry: Entry, event: Event) -> Entry {
    Entry { event, ..entry }
}

/// A Message-ID that is the same for the same notice, everywhere: `<hex>@<domain>`.
pub fn message_id(key: &str, domain: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{hex}.ratsflow@{domain}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::notices::NoticeKind;

    fn notice() -> Notice {
        Notice {
            key: "p|s|landrat|unterschrift|abc".into(),
            paper: "p".into(),
            stage: "s".into(),
            recipient: "landrat".into(),
            kind: NoticeKind::Sign,
            due: None,
            at: Utc::now(),
            comment: None,
            on_behalf_of: None,
        }
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let secs: Vec<i64> = (1..=9).map(|a| backoff("k", a).num_seconds()).collect();
        for (attempt, s) in secs.iter().enumerate() {
            let base = (60_i64 << attempt.min(6)).min(3600);
            assert!(
                *s >= base * 80 / 100 && *s <= base * 120 / 100,
                "attempt {}: {s}",
                attempt + 1
            );
        }
        assert!(secs[8] <= 4320, "capped at one hour plus jitter");
        assert_ne!(
            backoff("a", 3),
            backoff("b", 3),
            "different keys spread out"
        );
    }

    #[test]
    fn the_journal_decides_what_to_send() {
        let n = notice();
        let t = at("2026-11-21T08:00:00+01:00");
        let now = t.with_timezone(&Utc);
        assert_eq!(action(&n, None, now), Action::Send(1));
        let journal = vec![queued(&n, 1, t)];
        assert_eq!(
            action(&n, statuses(&journal).get(&n.key), now),
            Action::Send(1),
            "a crash after queuing retries"
        );
        let journal = vec![queued(&n, 1, t), failed(&n, 1, t, false, "451")];
        let status = statuses(&journal);
        match action(&n, status.get(&n.key), now) {
            Action::Wait(when) => assert!(when > now),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            action(&n, status.get(&n.key), now + Duration::hours(2)),
            Action::Send(2)
        );
        let journal = vec![queued(&n, 1, t), failed(&n, 1, t, true, "550")];
        assert_eq!(
            action(&n, statuses(&journal).get(&n.key), now + Duration::days(1)),
            Action::Stopped
        );
        let journal = vec![queued(&n, 1, t), sent(&n, 1, t)];
        assert_eq!(
            action(&n, statuses(&journal).get(&n.key), now),
            Action::Done
        );
    }

    #[test]
    fn message_ids_are_stable_per_key() {
        assert_eq!(
            message_id("a", "kreis.example"),
            message_id("a", "kreis.example")
        );
        assert_ne!(
            message_id("a", "kreis.example"),
            message_id("b", "kreis.example")
        );
        assert!(message_id("a", "kreis.example").ends_with(".ratsflow@kreis.example"));
    }
}
