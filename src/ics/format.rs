//! RFC 5545 text, written by hand because the format is small and the details matter for
//! Outlook and Thunderbird: CRLF line ends, content lines folded at 75 octets without ever
//! splitting a UTF-8 character, TEXT values escaped (`\\`, `\;`, `\,`, `\n`), dates as
//! `DATE` values, `DTSTAMP` in UTC, and a `VTIMEZONE` for Europe/Berlin so a client that
//! shows a time shows it in German local time.
//!
//! Nothing here knows about papers or bodies: [`super::events`] decides what the events are.

use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, Utc};

/// The longest content line in octets, without its CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// The time zone every calendar declares; the council's own.
pub const TZID: &str = "Europe/Berlin";

/// One VEVENT: an all-day event (a meeting day, a deadline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across runs for the same meeting or deadline, so clients update instead of
    /// duplicating it.
    pub uid: String,
    pub day: NaiveDate,
    pub summary: String,
    pub description: Option<String>,
    /// `TRANSPARENT` for deadlines (they do not block the day), `OPAQUE` for meetings.
    pub busy: bool,
    /// `CATEGORIES` (German): „Sitzung“, „Frist“.
    pub category: &'static str,
}

/// A whole calendar: its name (shown by the client) and its events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub name: String,
    pub description: String,
    pub events: Vec<Event>,
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks;
/// other control characters are not allowed in TEXT and are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF and a lone CR are one line break each.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one unfolded content line into lines of at most [`MAX_LINE_OCTETS`] octets (the
/// leading space of a continuation line counts), each ended by CRLF. A character is never
/// split: a line breaks before a character that would not fit whole.
pub fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

fn date_value(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

fn utc_value(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The definition of Europe/Berlin as Outlook, Thunderbird and Google write it: CET/CEST with
/// the EU rule (last Sunday of March and of October) in force since 1996.
const VTIMEZONE_BERLIN: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The calendar as RFC 5545 text. `stamp` is the `DTSTAMP` of every event: when this text
/// was made (see [`same_events`] for comparing two texts).
pub fn render(calendar: &Calendar, stamp: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(1024 + calendar.events.len() * 400);
    let done: Result<(), std::convert::Infallible> = emit(calendar, stamp, |text| {
        fold(text, &mut out);
        Ok(())
    });
    match done {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

/// Writes the calendar as [`render`] makes it into `out`, one folded line at a time, so a feed
/// of megabytes (the office's, of a large project) is never held whole.
pub fn write<W: Write + ?Sized>(
    calendar: &Calendar,
    stamp: DateTime<Utc>,
    out: &mut W,
) -> io::Result<()> {
    let mut folded = String::with_capacity(2 * MAX_LINE_OCTETS);
    emit(calendar, stamp, |text| {
        folded.clear();
        fold(text, &mut folded);
        out.write_all(folded.as_bytes())
    })
}

/// Hands every unfolded content line of the calendar to `line`, in order.
fn emit<E>(
    calendar: &Calendar,
    stamp: DateTime<Utc>,
    mut line: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    line("BEGIN:VCALENDAR")?;
    line("VERSION:2.0")?;
    line("PRODID:-//ratsflow//ratsflow Kalender//DE")?;
    line("CALSCALE:GREGORIAN")?;
    line("METHOD:PUBLISH")?;
    line(&format!("X-WR-CALNAME:{}", escape_text(&calendar.name)))?;
    line(&format!(
        "X-WR-CALDESC:{}",
        escape_text(&calendar.description)
    ))?;
    line(&format!("X-WR-TIMEZONE:{TZID}"))?;
    // Subscribed clients poll this often (Outlook reads X-PUBLISHED-TTL).
    line("REFRESH-INTERVAL;VALUE=DURATION:PT1H")?;
    line("X-PUBLISHED-TTL:PT1H")?;
    for text in VTIMEZONE_BERLIN {
        line(text)?;
    }
    let stamp = utc_value(stamp);
    for event in &calendar.events {
        line("BEGIN:VEVENT")?;
        line(&format!("UID:{}", escape_text(&event.uid)))?;
        line(&format!("DTSTAMP:{stamp}"))?;
        line(&format!("DTSTART;VALUE=DATE:{}", date_value(event.day)))?;
        let next = event.day.succ_opt().unwrap_or(event.day);
        line(&format!("DTEND;VALUE=DATE:{}", date_value(next)))?;
        line(&format!("SUMMARY:{}", escape_text(&event.summary)))?;
        if let Some(description) = &event.description {
            line(&format!("DESCRIPTION:{}", escape_text(description)))?;
        }
        line(&format!("CATEGORIES:{}", escape_text(event.category)))?;
        line(if event.busy {
            "TRANSP:OPAQUE"
        } else {
            "TRANSP:TRANSPARENT"
        })?;
        line("END:VEVENT")?;
    }
    line("END:VCALENDAR")
}

/// Whether two texts have the same lines apart from their `DTSTAMP`s: two renderings of the
/// same events at different moments are the same, so an unchanged feed is not rewritten.
/// Compared line by line, without copying either text.
pub fn same_events(a: &str, b: &str) -> bool {
    a.split("\r\n")
        .filter(|line| !line.starts_with("DTSTAMP:"))
        .eq(b.split("\r\n").filter(|line| !line.starts_with("DTSTAMP:")))
}

/// A digest of a calendar text's lines apart from their `DTSTAMP`s, fed in chunks of any size
/// (a rendering, a file read from disk): two texts have the same digest exactly when
/// [`same_events`] finds them the same, up to the digest's collisions. So a feed is compared
/// with the file on disk without holding either whole.
#[derive(Default)]
pub struct EventsDigest {
    hasher: blake3::Hasher,
    /// The bytes after the last CRLF seen so far.
    pending: Vec<u8>,
}

impl EventsDigest {
    /// The digest of everything written.
    pub fn finish(mut self) -> [u8; 32] {
        let tail = std::mem::take(&mut self.pending);
        self.line(&tail);
        *self.hasher.finalize().as_bytes()
    }

    /// The digest of the file at `path`; None if it cannot be read.
    pub fn of_file(path: &std::path::Path) -> Option<[u8; 32]> {
        let mut file = std::fs::File::open(path).ok()?;
        let mut digest = EventsDigest::default();
        io::copy(&mut file, &mut digest).ok()?;
        Some(digest.finish())
    }

    /// One line (without its CRLF), length first so that line boundaries count.
    fn line(&mut self, line: &[u8]) {
        if !line.starts_with(b"DTSTAMP:") {
            self.hasher.update(&(line.len() as u64).to_le_bytes());
            self.hasher.update(line);
        }
    }
}

impl Write for EventsDigest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let pending = std::mem::take(&mut self.pending);
        let mut start = 0;
        while let Some(at) = pending[start..].windows(2).position(|w| w == b"\r\n") {
            self.line(&pending[start..start + at]);
            start += at + 2;
        }
        self.pending = pending;
        self.pending.drain(..start);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
