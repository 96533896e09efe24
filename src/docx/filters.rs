//! The German filters templates use for dates and amounts.
//!
//! `datum` (03.06.2019), `datum_lang` (3. Juni 2019), `wochentag` (Montag) and `eur`
//! (33.000 €, 1.234,50 €; with a period `eur("Jahr")` 33.000 €/Jahr). Dates come as `YYYY-MM-DD`
//! strings, RFC 3339 date-times or German `TT.MM.JJJJ` (as mail templates get them).
//! [`german_environment`] is the one environment builder Word and mail templates share.
//! A missing value is an error, never a silent empty string: a Beschlussvorlage with an empty
//! date is worse than one that is not produced.

use chrono::{Datelike, NaiveDate};
use minijinja::value::{Value, ValueKind};
use minijinja::{Environment, Error, ErrorKind};

use crate::docx::error::cut;
use crate::docx::german::localized;

const MONTHS: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

const WEEKDAYS: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];

/// The environment every template starts from, Word and mail alike: undefined values are an
/// error when printed (SemiStrict), no loader (a template reads no files), and the German
/// filters. [`crate::docx::environment`] adds XML escaping and the paragraph filters; mail
/// templates use it as it is, for plain text.
pub fn german_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::SemiStrict);
    env.set_debug(false);
    register(&mut env);
    env
}

/// A German description of an error of a plain-text template (a mail template): our filters'
/// own words, translated syntax errors, unknown filters by name, and an undefined value by the
/// path written in the expression at the error's place in `source` (checked against `data`).
pub fn text_template_error(err: &Error, source: &str, data: Option<&Value>) -> String {
    use crate::docx::german::own_message;
    if let Some(message) = own_message(err) {
        return message;
    }
    match err.kind() {
        ErrorKind::UndefinedError => {
            let expression = err
                .range()
                .and_then(|range| source.get(range))
                .unwrap_or_default();
            if expression.trim().is_empty() {
                "undefinierter Wert".to_owned()
            } else {
                format!(
                    "undefinierter Wert „{}“",
                    crate::docx::diagnose::undefined_name(expression, data)
                )
            }
        }
        _ => crate::docx::german::describe_error(err),
    }
}

/// Registers `datum`, `datum_lang`, `wochentag` and `eur`.
pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_filter("datum", datum);
    env.add_filter("datum_lang", datum_lang);
    env.add_filter("wochentag", wochentag);
    env.add_filter("eur", |value: &Value, period: Option<Value>| {
        eur_per(value, period.as_ref())
    });
}

/// `eur` with an optional period: `33000|eur("Jahr")` → `33.000 €/Jahr`. A none or empty
/// period prints the amount alone, so that `costs|eur(costs_period)` works for one-off sums.
pub(crate) fn eur_per(value: &Value, period: Option<&Value>) -> Result<String, Error> {
    let mut out = eur(value)?;
    let period = period
        .filter(|p| !p.is_none() && !p.is_undefined())
        .map(|p| match p.as_str() {
            Some(s) => s.trim().to_owned(),
            None => p.to_string(),
        })
        .unwrap_or_default();
    if !period.is_empty() {
        out.push('/');
        out.push_str(&period);
    }
    Ok(out)
}

/// `2019-06-03` → `03.06.2019`.
pub(crate) fn datum(value: &Value) -> Result<String, Error> {
    let date = parse_date("datum", value)?;
    Ok(format!(
        "{:02}.{:02}.{}",
        date.day(),
        date.month(),
        date.year()
    ))
}

/// `2019-06-03` → `3. Juni 2019`.
pub(crate) fn datum_lang(value: &Value) -> Result<String, Error> {
    let date = parse_date("datum_lang", value)?;
    let month = MONTHS.get(date.month0() as usize).copied().unwrap_or("");
    Ok(format!("{}. {month} {}", date.day(), date.year()))
}

/// `2019-06-03` → `Montag`.
pub(crate) fn wochentag(value: &Value) -> Result<String, Error> {
    let date = parse_date("wochentag", value)?;
    let index = date.weekday().num_days_from_monday() as usize;
    Ok(WEEKDAYS.get(index).copied().unwrap_or("").to_owned())
}

/// `33000` → `33.000 €`, `1234.5` → `1.234,50 €` (non-breaking space before €).
pub(crate) fn eur(value: &Value) -> Result<String, Error> {
    let cents = parse_cents(value)?;
    let negative = cents < 0;
    let magnitude = cents.unsigned_abs();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(magnitude / 100));
    if magnitude % 100 != 0 {
        out.push_str(&format!(",{:02}", magnitude % 100));
    }
    out.push_str("\u{A0}€");
    Ok(out)
}

/// `1234567` → `1.234.567`.
pub(crate) fn group_digits(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn missing(filter: &str, value: &Value) -> Option<Error> {
    if value.is_undefined() {
        return Some(Error::from(ErrorKind::UndefinedError));
    }
    value.is_none().then(|| {
        localized(
            ErrorKind::InvalidOperation,
            format!("Filter „{filter}“ hat keinen Wert erhalten (none)"),
        )
    })
}

fn shown(value: &Value) -> String {
    let text = match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    };
    cut(&text.split_whitespace().collect::<Vec<_>>().join(" "), 40)
}

/// Parses `YYYY-MM-DD` or an RFC 3339 date-time (its date as written).
pub(crate) fn parse_date(filter: &str, value: &Value) -> Result<NaiveDate, Error> {
    if let Some(err) = missing(filter, value) {
        return Err(err);
    }
    let parsed = value.as_str().map(str::trim).and_then(|s| {
        let bytes = s.as_bytes();
        let plain = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if plain {
            let year = s[..4].parse().ok()?;
            let month = s[5..7].parse().ok()?;
            let day = s[8..].parse().ok()?;
            return NaiveDate::from_ymd_opt(year, month, day);
        }
        // German dates as mail templates get them („07.12.2026“), always with two digits.
        let german = bytes.len() == 10
            && bytes[2] == b'.'
            && bytes[5] == b'.'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 2 || i == 5 || b.is_ascii_digit());
        if german {
            let day = s[..2].parse().ok()?;
            let month = s[3..5].parse().ok()?;
            let year = s[6..].parse().ok()?;
            return NaiveDate::from_ymd_opt(year, month, day);
        }
        chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.date_naive())
    });
    parsed.ok_or_else(|| {
        localized(
            ErrorKind::InvalidOperation,
            format!(
                "Filter „{filter}“: „{}“ ist kein Datum (erwartet JJJJ-MM-TT)",
                shown(value)
            ),
        )
    })
}

/// An amount in cents, rounded half away from zero.
fn parse_cents(value: &Value) -> Result<i128, Error> {
    if let Some(err) = missing("eur", value) {
        return Err(err);
    }
    let decimal = match value.kind() {
        ValueKind::Number => match value.as_i64() {
            Some(n) => Some(i128::from(n) * 100),
            None => f64::try_from(value.clone())
                .ok()
                .filter(|f| f.is_finite())
                .and_then(|f| decimal_cents(&format!("{f}"))),
        },
        ValueKind::String => value
            .as_str()
            .and_then(|s| decimal_cents(&s.trim().replace(',', "."))),
        _ => None,
    };
    decimal.ok_or_else(|| {
        localized(
            ErrorKind::InvalidOperation,
            format!("Filter „eur“: „{}“ ist kein Betrag", shown(value)),
        )
    })
}

/// Parses `-1234.565` exactly into cents (half away from zero); at most 30 digits.
fn decimal_cents(text: &str) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let valid = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty()
        || !valid(whole)
        || !valid(fraction)
        || whole.len() + fraction.len() > 30
    {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let digit = |i: usize| i128::from(fraction.as_bytes().get(i).map_or(0, |b| b - b'0'));
    let mut cents = whole * 100 + digit(0) * 10 + digit(1);
    if digit(2) >= 5 {
        cents += 1;
    }
    Some(if negative { -cents } else { cents })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v<T: Into<Value>>(x: T) -> Value {
        x.into()
    }

    #[test]
    fn dates() {
        assert_eq!(datum(&v("2019-06-03")).unwrap(), "03.06.2019");
        assert_eq!(datum_lang(&v("2019-06-03")).unwrap(), "3. Juni 2019");
        assert_eq!(datum_lang(&v("2026-03-01")).unwrap(), "1. März 2026");
        assert_eq!(wochentag(&v("2019-06-03")).unwrap(), "Montag");
        assert_eq!(datum_lang(&v("07.12.2026")).unwrap(), "7. Dezember 2026");
        assert_eq!(
            datum(&v("2019-06-03T23:30:00+02:00")).unwrap(),
            "03.06.2019"
        );
    }

    #[test]
    fn bad_dates_are_named() {
        let err = datum(&v("3.6.2019")).unwrap_err();
        assert_eq!(
            crate::docx::german::own_message(&err).unwrap(),
            "Filter „datum“: „3.6.2019“ ist kein Datum (erwartet JJJJ-MM-TT)"
        );
        assert!(datum(&v("2019-02-30")).is_err());
        assert!(datum(&v(20190603)).is_err());
        let err = datum(&Value::from(())).unwrap_err();
        assert_eq!(
            crate::docx::german::own_message(&err).unwrap(),
            "Filter „datum“ hat keinen Wert erhalten (none)"
        );
        assert_eq!(
            datum(&Value::UNDEFINED).unwrap_err().kind(),
            ErrorKind::UndefinedError
        );
    }

    #[test]
    fn amounts() {
        assert_eq!(eur(&v(33000)).unwrap(), "33.000\u{A0}€");
        assert_eq!(eur(&v(1234.5)).unwrap(), "1.234,50\u{A0}€");
        assert_eq!(eur(&v(0.5)).unwrap(), "0,50\u{A0}€");
        assert_eq!(eur(&v(-1200)).unwrap(), "-1.200\u{A0}€");
        assert_eq!(eur(&v("33000")).unwrap(), "33.000\u{A0}€");
        assert_eq!(eur(&v("1234,5")).unwrap(), "1.234,50\u{A0}€");
        assert_eq!(eur(&v(0.285)).unwrap(), "0,29\u{A0}€");
        assert_eq!(eur(&v(1234.0)).unwrap(), "1.234\u{A0}€");
        assert_eq!(eur(&v(-0.001)).unwrap(), "0\u{A0}€");
        let jahr = v("Jahr");
        assert_eq!(
            eur_per(&v(33000), Some(&jahr)).unwrap(),
            "33.000\u{A0}€/Jahr"
        );
        assert_eq!(eur_per(&v(33000), Some(&v(()))).unwrap(), "33.000\u{A0}€");
        assert_eq!(eur_per(&v(33000), None).unwrap(), "33.000\u{A0}€");
        assert_eq!(eur(&v(999)).unwrap(), "999\u{A0}€");
        assert_eq!(eur(&v(1_000_000)).unwrap(), "1.000.000\u{A0}€");
    }

    #[test]
    fn bad_amounts_are_named() {
        let err = eur(&v("viel")).unwrap_err();
        assert_eq!(
            crate::docx::german::own_message(&err).unwrap(),
            "Filter „eur“: „viel“ ist kein Betrag"
        );
        assert!(eur(&v(true)).is_err());
        assert!(eur(&v(f64::NAN)).is_err());
        assert!(eur(&v(1e300)).is_err());
        assert!(eur(&Value::from(())).is_err());
    }
}
