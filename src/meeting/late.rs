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

/// The Antragsfrist of a motion's next consultation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MotionDeadline {
    /// The body's name.
    pub body: String,
    pub meeting: NaiveDate,
    /// The Antragsfrist for that meeting.
    pub deadline: NaiveDate,
    /// Filed after it: a Dringlichkeitsantrag / Tischvorlage.
    pub late: bool,
}

impl MotionDeadline {
    /// „17.06.2019 (Kreistag, Sitzung am 27.06.2019)“.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}, Sitzung am {})",
            self.deadline.format("%d.%m.%Y"),
            self.body,
            self.meeting.format("%d.%m.%Y")
        )
    }
}

/// For a motion: the Antragsfrist of its next consultation that has a meeting (the first
/// one not yet done), and whether the motion was filed after it.
pub fn motion_deadline(
    project: &crate::load::Project,
    paper: &Paper,
    state: &crate::engine::PaperState,
) -> Option<MotionDeadline> {
    use crate::engine::StageStatus;
    if !paper.kind.is_motion() {
        return None;
    }
    let calendar = project.calendar_for(paper);
    state
        .stages
        .iter()
        .filter(|s| !matches!(s.status, StageStatus::Done | StageStatus::Skipped))
        .find_map(|s| {
            let body = project.directory.body(s.body.as_deref()?)?;
            let meeting = s.meeting?.date;
            let deadline = antragsfrist(body, &calendar, meeting)?;
            Some(MotionDeadline {
                body: body.name.clone(),
                meeting,
                deadline,
                late: paper.date.is_some_and(|filed| filed > deadline),
            })
        })
}
