//! Working days and deadlines for German council work.
//!
//! Deadlines in council work are *dates*, not instants: "the Vorlage must be in 14 days
//! before the meeting", "invitations go out one week ahead". Whether such a date is a
//! working day depends on the Land (public holidays differ between the 16 Länder and
//! change over the years) and on the administration's own closed days (24.12., 31.12.,
//! Brückentage). This module answers which days are working days in a Land and on which
//! date a deadline counted N days before or after an anchor date falls; [`local_instant`]
//! turns such a date plus a wall-clock time into an instant, safely across DST.
//!
//! - [`Land`]: the 16 Länder, parsed from code or German name.
//! - [`Calendar`]: working days of one Land plus closed days; counts deadlines.
//! - [`DeadlineRule`]: how many days, calendar or working days, before or after, and the roll.
//! - Public holidays come from crate `holiday_de` through a small, documented correction
//!   layer (module `holidays`), with German names.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};

mod holidays;
mod land;
mod rules;
mod time;

#[cfg(test)]
mod tests;

pub use holidays::FIRST_HOLIDAY_YEAR;
pub use land::Land;
pub use rules::{ClosedDay, DayUnit, DeadlineRule, Direction, Roll};
pub use time::local_instant;

/// How far [`Calendar::roll`] and working-day counting look for a working day before giving
/// up: ten years. Only a calendar that closes (nearly) every day ever gets this far.
pub const SEARCH_LIMIT_DAYS: u32 = 3_653;

/// Why a deadline could not be computed; the message is German.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// The rule counts more than [`DeadlineRule::MAX_DAYS`] days.
    TooManyDays {
        /// The days the rule asked for.
        days: u32,
    },
    /// The result would lie outside the dates that can be represented.
    OutOfRange {
        /// The date counted from.
        from: NaiveDate,
    },
    /// No working day within [`SEARCH_LIMIT_DAYS`] days of `from` in the counting direction.
    NoWorkingDay {
        /// The date the search started at.
        from: NaiveDate,
    },
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::TooManyDays { days } => write!(
                f,
                "Eine Frist von {days} Tagen ist zu lang; höchstens {} Tage sind möglich.",
                DeadlineRule::MAX_DAYS
            ),
            CalendarError::OutOfRange { from } => write!(
                f,
                "Die Frist ab dem {} liegt außerhalb des darstellbaren Datumsbereichs.",
                from.format("%d.%m.%Y")
            ),
            CalendarError::NoWorkingDay { from } => write!(
                f,
                "Ab dem {} gibt es innerhalb von zehn Jahren keinen Arbeitstag; bitte die Schließtage prüfen.",
                from.format("%d.%m.%Y")
            ),
        }
    }
}

impl std::error::Error for CalendarError {}

/// The working days of one Land: weekdays that are neither a public holiday of the Land,
/// nor a recurring closed day, nor a one-off closed date.
#[derive(Clone, Debug)]
pub struct Calendar {
    land: Land,
    closed_days: Vec<ClosedDay>,
    closed_dates: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar for `land` with the administration's recurring closed days.
    pub fn new(land: Land, closed_days: Vec<ClosedDay>) -> Self {
        Calendar {
            land,
            closed_days,
            closed_dates: BTreeSet::new(),
        }
    }

    /// Adds one-off closed dates (e.g. Brückentage); they are not working days.
    pub fn with_closed_dates(mut self, dates: Vec<NaiveDate>) -> Self {
        self.closed_dates.extend(dates);
        self
    }

    /// The Land whose public holidays apply.
    pub fn land(&self) -> Land {
        self.land
    }

    /// The recurring closed days.
    pub fn closed_days(&self) -> &[ClosedDay] {
        &self.closed_days
    }

    /// The one-off closed dates, in order.
    pub fn closed_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.closed_dates.iter().copied()
    }

    /// German name of the public holiday on this date in this Land, if any ("Karfreitag",
    /// "Fronleichnam", "Buß- und Bettag", "Internationaler Frauentag", …). Statewide holidays
    /// only; Mariä Himmelfahrt counts in all of Bayern although by law it is a holiday only in
    /// its municipalities with a Catholic majority. Dates before [`FIRST_HOLIDAY_YEAR`] have none.
    pub fn holiday(&self, date: NaiveDate) -> Option<&'static str> {
        holidays::holiday_name(self.land, date)
    }

    /// The public holidays of `year` in this Land, in date order, with their German names.
    pub fn holidays_in_year(&self, year: i32) -> Vec<(NaiveDate, &'static str)> {
        let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            return Vec::new();
        };
        first
            .iter_days()
            .take_while(|date| date.year() == year)
            .filter_map(|date| self.holiday(date).map(|name| (date, name)))
            .collect()
    }

    /// True if `date` is a recurring closed day or a one-off closed date.
    pub fn is_closed_day(&self, date: NaiveDate) -> bool {
        self.closed_dates.contains(&date)
            || self.closed_days.iter().any(|closed| closed.matches(date))
    }

    /// Why the date is not a working day: the holiday name, else "Samstag" or "Sonntag", else
    /// "Schließtag" for closed days; `None` for a working day. A holiday on a weekend is
    /// named by the holiday, as that says more.
    pub fn closed_reason(&self, date: NaiveDate) -> Option<String> {
        if let Some(name) = self.holiday(date) {
            return Some(name.to_string());
        }
        match date.weekday() {
            Weekday::Sat => return Some("Samstag".to_string()),
            Weekday::Sun => return Some("Sonntag".to_string()),
            _ => {}
        }
        self.is_closed_day(date).then(|| "Schließtag".to_string())
    }

    /// True for a Monday to Friday that is neither a public holiday nor a closed day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.is_closed_day(date)
            && self.holiday(date).is_none()
    }

    /// Moves a date that is not a working day to the nearest working day in the roll
    /// direction; [`Roll::None`] returns it unchanged. In the pathological case of no working
    /// day within [`SEARCH_LIMIT_DAYS`], the date is returned unchanged; see [`Calendar::try_roll`].
    pub fn roll(&self, date: NaiveDate, roll: Roll) -> NaiveDate {
        self.try_roll(date, roll).unwrap_or(date)
    }

    /// Like [`Calendar::roll`], but says when no working day can be found.
    pub fn try_roll(&self, date: NaiveDate, roll: Roll) -> Result<NaiveDate, CalendarError> {
        let direction = match roll {
            Roll::None => return Ok(date),
            Roll::Earlier => Direction::Before,
            Roll::Later => Direction::After,
        };
        let mut current = date;
        for _ in 0..=SEARCH_LIMIT_DAYS {
            if self.is_working_day(current) {
                return Ok(current);
            }
            current = step(current, direction)?;
        }
        Err(CalendarError::NoWorkingDay { from: date })
    }

    /// The deadline `rule.days` days before/after `anchor`.
    ///
    /// Calendar days: `anchor ± days`, then rolled per `rule.roll` if that is not a working
    /// day. Working days: counts working days one day at a time from the anchor (the anchor
    /// itself does not count), so the result is a working day and the roll has no effect;
    /// with `days == 0` the anchor itself, rolled per `rule.roll`.
    ///
    /// Never panics. For a rule that cannot be computed (see [`Calendar::try_deadline`]) it
    /// returns the earliest or latest representable date in the counting direction, which no
    /// real deadline can be; callers that can report an error should use `try_deadline`.
    pub fn deadline(&self, rule: &DeadlineRule, anchor: NaiveDate) -> NaiveDate {
        self.try_deadline(rule, anchor)
            .unwrap_or(match rule.direction {
                Direction::Before => NaiveDate::MIN,
                Direction::After => NaiveDate::MAX,
            })
    }

    /// Like [`Calendar::deadline`], but fails with a German message for a rule longer than
    /// [`DeadlineRule::MAX_DAYS`], a result outside the representable dates, or a calendar
    /// without any working day within [`SEARCH_LIMIT_DAYS`].
    pub fn try_deadline(
        &self,
        rule: &DeadlineRule,
        anchor: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        if rule.days > DeadlineRule::MAX_DAYS {
            return Err(CalendarError::TooManyDays { days: rule.days });
        }
        match rule.unit {
            DayUnit::Calendar => {
                let days = chrono::Days::new(u64::from(rule.days));
                let counted = match rule.direction {
                    Direction::Before => anchor.checked_sub_days(days),
                    Direction::After => anchor.checked_add_days(days),
                };
                let counted = counted.ok_or(CalendarError::OutOfRange { from: anchor })?;
                self.try_roll(counted, rule.roll)
            }
            DayUnit::Working if rule.days == 0 => self.try_roll(anchor, rule.roll),
            DayUnit::Working => {
                let mut current = anchor;
                let mut counted = 0;
                let mut closed_in_a_row = 0;
                while counted < rule.days {
                    current = step(current, rule.direction)?;
                    if self.is_working_day(current) {
                        counted += 1;
                        closed_in_a_row = 0;
                    } else {
                        closed_in_a_row += 1;
                        if closed_in_a_row > SEARCH_LIMIT_DAYS {
                            return Err(CalendarError::NoWorkingDay { from: anchor });
                        }
                    }
                }
                Ok(current)
            }
        }
    }
}

/// The next day in `direction`.
fn step(date: NaiveDate, direction: Direction) -> Result<NaiveDate, CalendarError> {
    let next = match direction {
        Direction::Before => date.pred_opt(),
        Direction::After => date.succ_opt(),
    };
    next.ok_or(CalendarError::OutOfRange { from: date })
}
