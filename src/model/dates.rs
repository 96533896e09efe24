//! Dates and times of day as users write them in YAML, with German error messages.
//!
//! serde_yaml reads `2026-02-30` as a plain string, so the check that a date exists happens here,
//! where the message can say so in words a council user understands.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a text is not a date, a time of day or a moment; `Display` is the German message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the form `JJJJ-MM-TT`.
    NotADate(String),
    /// Of that form, but the day does not exist (`2026-02-30`).
    NoSuchDay(String),
    /// Not of the form `HH:MM`.
    NotATime(String),
    /// A moment before 1970 or after 9999: mail headers and day counts cannot hold it.
    OutOfRange(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotADate(text) => write!(
                f,
                "„{text}“ ist kein Datum; erwartet wird JJJJ-MM-TT, z. B. 2026-12-03"
            ),
            DateError::NoSuchDay(text) => write!(f, "das Datum „{text}“ gibt es nicht"),
            DateError::NotATime(text) => write!(
                f,
                "„{text}“ ist keine Uhrzeit; erwartet wird HH:MM, z. B. 08:00"
            ),
            DateError::OutOfRange(text) => {
                write!(f, "„{text}“ liegt außerhalb der Jahre 1970 bis 9999")
            }
        }
    }
}

impl std::error::Error for DateError {}

/// A calendar date written as `JJJJ-MM-TT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let parts: Vec<&str> = trimmed.split('-').collect();
        let numbers: Option<Vec<u32>> = match parts.as_slice() {
            [y, m, d]
                if y.len() == 4 && (1..=2).contains(&m.len()) && (1..=2).contains(&d.len()) =>
            {
                [y, m, d].iter().map(|p| p.parse::<u32>().ok()).collect()
            }
            _ => None,
        };
        let Some([year, month, day]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
            return Err(DateError::NotADate(trimmed.to_string()));
        };
        let year = i32::try_from(year).unwrap_or(i32::MAX);
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Date)
            .ok_or_else(|| DateError::NoSuchDay(trimmed.to_string()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A wall-clock time written as `HH:MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOfDay(pub NaiveTime);

impl FromStr for TimeOfDay {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map(TimeOfDay)
            .map_err(|_| DateError::NotATime(text.trim().to_string()))
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses the `--now` argument: a date (`2019-05-20`, meaning 12:00 local time) or an RFC 3339
/// date-time (`2019-05-20T08:00:00+02:00`), between 1970 and 9999 (mail headers and day counts
/// need that range; an earlier time would fail later, in the middle of a pass).
pub fn parse_now(
    text: &str,
    tz: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono::Utc>, DateError> {
    let now = parse_moment(text, tz)?;
    if now.timestamp() < 0 || chrono::Datelike::year(&now) > 9999 {
        return Err(DateError::OutOfRange(text.to_string()));
    }
    Ok(now)
}

fn parse_moment(text: &str, tz: chrono_tz::Tz) -> Result<chrono::DateTime<chrono::Utc>, DateError> {
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(instant.with_timezone(&chrono::Utc));
    }
    if let Ok(local) = chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M") {
        return Ok(crate::calendar::local_instant(
            local.date(),
            local.time(),
            tz,
        ));
    }
    let date: Date = text.parse()?;
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    Ok(crate::calendar::local_instant(date.0, noon, tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_that_do_not_exist_are_named() {
        assert_eq!(
            "2026-02-30".parse::<Date>().unwrap_err().to_string(),
            "das Datum „2026-02-30“ gibt es nicht"
        );
        assert_eq!(
            "3.6.2019".parse::<Date>().unwrap_err().to_string(),
            "„3.6.2019“ ist kein Datum; erwartet wird JJJJ-MM-TT, z. B. 2026-12-03"
        );
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().0,
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }

    #[test]
    fn now_accepts_dates_and_instants() {
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(
            parse_now("2019-05-20", tz).unwrap().to_rfc3339(),
            "2019-05-20T10:00:00+00:00"
        );
        assert_eq!(
            parse_now("2019-05-20T08:00:00+02:00", tz)
                .unwrap()
                .to_rfc3339(),
            "2019-05-20T06:00:00+00:00"
        );
        assert!(parse_now("morgen", tz).is_err());
    }

    #[test]
    fn now_outside_1970_to_9999_is_refused_up_front() {
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(
            parse_now("1969-12-31", tz).unwrap_err(),
            DateError::OutOfRange("1969-12-31".into())
        );
        assert_eq!(
            parse_now("1969-12-31", tz).unwrap_err().to_string(),
            "„1969-12-31“ liegt außerhalb der Jahre 1970 bis 9999"
        );
        assert!(parse_now("1970-01-02", tz).is_ok());
    }
}
