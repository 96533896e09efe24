//! The pieces a deadline is configured from: recurring closed days, the unit and direction
//! of counting, and where a deadline moves when it falls on a day the office is closed.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// A recurring closed day of the administration, e.g. 24.12. and 31.12.
///
/// `29.02.` is accepted and closes the office only in leap years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClosedDay {
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl ClosedDay {
    /// True if `date` falls on this day of the year.
    pub fn matches(self, date: NaiveDate) -> bool {
        date.month() == self.month && date.day() == self.day
    }
}

/// The longest a month can be in any year (February: 29).
fn max_day(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses 1–2 ASCII digits.
fn small_number(text: &str) -> Option<u32> {
    if (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Accepts `"24.12."` or `"24.12"` (also `"1.5."`); rejects days that never exist, e.g. `"31.02."`.
impl FromStr for ClosedDay {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        let body = text.strip_suffix('.').unwrap_or(text);
        let parsed = body
            .split_once('.')
            .and_then(|(day, month)| Some((small_number(day)?, small_number(month)?)));
        let Some((day, month)) = parsed else {
            return Err(format!(
                "„{text}“ ist kein gültiger Schließtag. Erwartet werden Tag und Monat, z. B. „24.12.“."
            ));
        };
        if !(1..=12).contains(&month) {
            return Err(format!(
                "„{text}“ ist kein gültiger Schließtag: Einen Monat {month} gibt es nicht."
            ));
        }
        if day == 0 || day > max_day(month) {
            return Err(format!(
                "„{text}“ ist kein gültiger Schließtag: Den {day:02}.{month:02}. gibt es in keinem Jahr."
            ));
        }
        Ok(ClosedDay { month, day })
    }
}

/// Shows the day as written in settings, e.g. `24.12.`.
impl fmt::Display for ClosedDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}.{:02}.", self.day, self.month)
    }
}

/// Reads a closed day from a string via [`FromStr`]; the error is the German message.
impl<'de> Deserialize<'de> for ClosedDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ClosedDayVisitor;
        impl Visitor<'_> for ClosedDayVisitor {
            type Value = ClosedDay;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("einen Schließtag als Text „TT.MM.“, z. B. „24.12.“")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<ClosedDay, E> {
                value.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(ClosedDayVisitor)
    }
}

/// Writes `"24.12."`, which [`Deserialize`] reads back.
impl Serialize for ClosedDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What a deadline counts: every calendar day, or only working days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DayUnit {
    /// Every day counts; the result is then rolled off closed days per [`Roll`].
    Calendar,
    /// Only working days count; the result is always a working day.
    Working,
}

/// Whether a deadline is counted back from its anchor (e.g. a meeting) or forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Counted back, e.g. "invitations 7 days before the meeting".
    Before,
    /// Counted forward, e.g. "statement within 14 days".
    After,
}

/// Where a deadline that falls on a day the office is closed moves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Roll {
    /// To the previous working day.
    Earlier,
    /// To the next working day.
    Later,
    /// Nowhere: the date stays as counted.
    None,
}

/// How a deadline is counted from its anchor date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineRule {
    /// How many days to count; at most [`DeadlineRule::MAX_DAYS`].
    pub days: u32,
    /// Calendar days or working days.
    pub unit: DayUnit,
    /// Before or after the anchor.
    pub direction: Direction,
    /// Where a calendar-day result that is not a working day moves.
    pub roll: Roll,
}

impl DeadlineRule {
    /// The largest `days` a rule may count (about 100 years); larger rules are refused by
    /// [`Calendar::try_deadline`](super::Calendar::try_deadline) instead of counting for minutes.
    pub const MAX_DAYS: u32 = 36_525;

    /// A rule with the roll that German practice implies for `direction`.
    pub fn new(days: u32, unit: DayUnit, direction: Direction) -> Self {
        DeadlineRule {
            days,
            unit,
            direction,
            roll: Self::default_roll(direction),
        }
    }

    /// The roll that German practice implies: counted back from a meeting → [`Roll::Earlier`]
    /// (the office must act in time); counted forward → [`Roll::Later`] (§ 193 BGB: a period
    /// ending on a Saturday, Sunday or public holiday ends on the next working day).
    pub fn default_roll(direction: Direction) -> Roll {
        match direction {
            Direction::Before => Roll::Earlier,
            Direction::After => Roll::Later,
        }
    }
}
