//! Late motions: a motion filed after the body's Antragsfrist for a meeting is not refused but
//! marked (Dringlichkeitsantrag / Tischvorlage) wherever it is shown.

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::model::{Body, Paper};

/// The Antragsfrist of `body` for its meeting on `meeting`, if the body has one.
pub fn antragsfrist(body: &Body, calendar: &Calendar, meeting: NaiveDate) -> Option<NaiveDate> {
    body.deadlines
        .get("antrag")
        .map(|rule| calendar.deadline(rule, meeting))
}

/// The missed Antragsfrist when `paper` is a motion filed after it.
pub fn missed(
    paper: &Paper,
    body: &Body,
    calendar: &Calendar,
    meeting: NaiveDate,
) -> Option<NaiveDate> {
    if !paper.kind.is_motion() {
        return None;
    }
    let filed = paper.date?;
    antragsfrist(body, calendar, meeting).filter(|&deadline| filed > deadline)
}
