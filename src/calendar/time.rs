//! Turns a local date and wall-clock time into an instant, safely across daylight saving time.

use chrono::offset::LocalResult;
use chrono::{
    DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

/// Converts a local date and wall-clock time in `tz` (Europe/Berlin in practice) to a UTC
/// instant, correctly across DST: a time that does not exist (the spring-forward gap, e.g.
/// 02:30 on the last Sunday of March) moves forward to the first valid instant after the gap
/// (03:00 local); an ambiguous time (autumn fall-back) takes the earlier instant. Never panics.
pub fn local_instant(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(instant) => instant.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => first.min(second).with_timezone(&Utc),
        LocalResult::None => first_instant_not_before(local, tz),
    }
}

/// The wall-clock time in `tz` at the UTC instant `utc`.
fn wall_clock(utc: NaiveDateTime, tz: Tz) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
    utc.checked_add_signed(TimeDelta::seconds(i64::from(offset)))
}

/// The earliest whole-second instant whose wall-clock time in `tz` is not earlier than `local`;
/// for a time in a DST gap this is the instant the gap ends.
///
/// Offsets from UTC lie within ±15 hours, so the answer lies within `local` ± 15 hours read as
/// UTC, and wall-clock time grows with the instant in that window (a gap is never that close
/// to a fall-back), which makes a binary search over seconds exact.
fn first_instant_not_before(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    const WINDOW_SECONDS: i64 = 15 * 3600;
    let whole = local.with_nanosecond(0).unwrap_or(local);
    let base = whole
        .checked_sub_signed(TimeDelta::seconds(WINDOW_SECONDS))
        .unwrap_or(whole);
    let at = |seconds: i64| base.checked_add_signed(TimeDelta::seconds(seconds));
    // Invariant: the wall clock at `low` is before `local`, at `high` not before it.
    let (mut low, mut high) = (0_i64, 2 * WINDOW_SECONDS);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        let reached = at(middle)
            .and_then(|utc| wall_clock(utc, tz))
            .is_none_or(|wall| wall >= local);
        if reached {
            high = middle;
        } else {
            low = middle;
        }
    }
    at(high).unwrap_or(whole).and_utc()
}
