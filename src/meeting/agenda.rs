//! Builds a meeting's agenda: which papers are consulted at a body's meeting (by the engine's
//! meeting or by a `scheduled` entry), in which part (Ö/N), whether they are fixed, in the
//! Nachtrag or late; [`super::numbering`] orders and numbers them. Once the agenda is set,
//! every paper keeps the number recorded for it; papers added later are the Nachtrag.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::late;
use crate::engine::{PaperState, Position, StageStatus};
use crate::journal::{Entry, Event};
use crate::load::Project;
use crate::model::{ConsultationRole, Paper, StageKind};
use crate::pass::{Journals, NotLoaded, with_state};

/// Öffentlicher or nichtöffentlicher Teil of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Public,
    NonPublic,
}

impl Part {
    /// German heading of the part.
    pub fn heading(self) -> &'static str {
        match self {
            Part::Public => "Öffentlicher Teil",
            Part::NonPublic => "Nichtöffentlicher Teil",
        }
    }
}

/// The remark of a paper not yet released to the body.
pub const UNRELEASED: &str = "Vorlage noch in Mitzeichnung";

/// A paper on the agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperItem {
    pub id: String,
    pub reference: String,
    /// The kind of paper (Beschlussvorlage, Ergänzungsantrag …).
    pub kind: String,
    /// The consultation stage of the paper's workflow.
    pub stage: String,
    pub role: ConsultationRole,
    /// Recorded on the agenda (`scheduled`): meeting and number are fixed.
    pub fixed: bool,
    /// Added after the invitation went out.
    pub supplement: bool,
    /// A motion filed after this Antragsfrist (Dringlichkeitsantrag).
    pub late: Option<NaiveDate>,
    /// Still being signed (Mitzeichnung, Schlusszeichnung): not released to the body yet. The
    /// agenda (terminal and Tagesordnung document) marks it „Vorlage noch in Mitzeichnung“ until
    /// it is released; `meeting --set` warns when it fixes such a paper.
    pub unreleased: bool,
}

impl PaperItem {
    /// Nachtrag and Dringlichkeit, in German, as the agenda prints them.
    pub fn remarks(&self) -> Vec<String> {
        let mut remarks = Vec::new();
        if self.supplement {
            remarks.push("Nachtrag".to_string());
        }
        if self.unreleased {
            remarks.push(UNRELEASED.to_string());
        }
        if let Some(deadline) = self.late {
            remarks.push(format!(
                "Dringlichkeitsantrag (nach der Antragsfrist {} eingereicht)",
                deadline.format("%d.%m.%Y")
            ));
        }
        remarks
    }
}

/// One TOP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// „3“, „3.1“, „5a“.
    pub number: String,
    pub part: Part,
    pub title: String,
    pub paper: Option<PaperItem>,
}

/// The agenda of one meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agenda {
    pub body: String,
    pub body_name: String,
    pub date: NaiveDate,
    /// The agenda was set (the invitation went out): numbers are fixed.
    pub set: bool,
    pub items: Vec<Item>,
}

impl Agenda {
    /// The items of one part, in order.
    pub fn part(&self, part: Part) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.part == part)
    }

    /// The papers added after the invitation.
    pub fn supplement(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.paper.as_ref().is_some_and(|p| p.supplement))
    }

    /// The papers not yet recorded on the agenda.
    pub fn unfixed(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.paper.as_ref().is_some_and(|p| !p.fixed))
    }
}

/// One consultation at the meeting.
pub(super) struct Consultation<'a> {
    pub(super) paper: &'a Paper,
    pub(super) item: PaperItem,
    pub(super) public: bool,
    /// The TOP number recorded when the agenda was set.
    pub(super) top: Option<String>,
}

/// The `scheduled` entry that put a stage on this meeting's agenda.
pub fn scheduled_entry<'a>(
    journal: &'a [Entry],
    stage: &str,
    body: &str,
    date: NaiveDate,
) -> Option<&'a Entry> {
    journal.iter().rev().find(|e| {
        e.event == Event::Scheduled
            && e.stage.as_deref() == Some(stage)
            && e.body() == Some(body)
            && e.meeting().is_some_and(|m| m.0 == date)
    })
}

/// The agenda of `body`'s meeting on `date` at `now`. Every paper's journal must have been
/// read. `None` when the body is unknown.
pub fn build(
    project: &Project,
    journals: &Journals,
    body_id: &str,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<Agenda>, NotLoaded> {
    if project.directory.body(body_id).is_none() {
        return Ok(None);
    }
    let mut all = collect(project, journals, now, Some((body_id, date)), None)?;
    let found = all.remove(&(body_id.to_string(), date)).unwrap_or_default();
    Ok(assemble(project, body_id, date, found))
}

/// The agendas of every meeting some paper is consulted at (or was put on), by body and
/// date. Every paper's journal must have been read.
pub fn all(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
) -> Result<Vec<Agenda>, NotLoaded> {
    all_with(project, journals, now, None)
}

/// [`all`], with the states of papers at `now` already computed (by paper id; the render step
/// has them, and computing them again was a tenth of `check`); the others are computed.
pub fn all_with(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
    known: Option<&HashMap<String, PaperState>>,
) -> Result<Vec<Agenda>, NotLoaded> {
    Ok(concerning(project, journals, now, known, None)?.collect())
}

/// [`all_with`], limited to the meetings that have a paper of `only` on them (every meeting
/// when `None`): the watcher, after one paper changed, assembles only that paper's agendas.
/// Each agenda is assembled when the iterator reaches it, so a caller that handles one at a
/// time (the render step) never holds all of them.
pub fn concerning<'a>(
    project: &'a Project,
    journals: &Journals,
    now: DateTime<Utc>,
    known: Option<&HashMap<String, PaperState>>,
    only: Option<&'a std::collections::HashSet<&str>>,
) -> Result<impl Iterator<Item = Agenda> + 'a, NotLoaded> {
    Ok(collect(project, journals, now, None, known)?
        .into_iter()
        .filter(move |(_, found)| {
            only.is_none_or(|ids| found.iter().any(|c| ids.contains(c.paper.id.as_str())))
        })
        .filter_map(|((body, date), found)| assemble(project, &body, date, found)))
}

fn assemble(
    project: &Project,
    body_id: &str,
    date: NaiveDate,
    mut found: Vec<Consultation<'_>>,
) -> Option<Agenda> {
    let body = project.directory.body(body_id)?;
    let set = found.iter().any(|c| c.item.fixed && !c.item.supplement);
    if set {
        // After the invitation, whatever was not on it is in the Nachtrag.
        for consultation in &mut found {
            consultation.item.supplement |= !consultation.item.fixed;
        }
    }
    Some(Agenda {
        body: body_id.to_string(),
        body_name: body.name.clone(),
        date,
        set,
        items: super::numbering::number(found, &body.agenda),
    })
}

type Meetings<'a> = BTreeMap<(String, NaiveDate), Vec<Consultation<'a>>>;

/// The consultations of all papers by meeting, or of the one meeting `only`.
fn collect<'a>(
    project: &'a Project,
    journals: &Journals,
    now: DateTime<Utc>,
    only: Option<(&str, NaiveDate)>,
    known: Option<&HashMap<String, PaperState>>,
) -> Result<Meetings<'a>, NotLoaded> {
    let mut meetings: Meetings<'a> = BTreeMap::new();
    for paper in project.papers.values() {
        let Some(workflow) = project.workflow_of(paper) else {
            continue;
        };
        let workflow = &*workflow;
        let journal = &journals.require(&paper.id)?.entries;
        let calendar = project.calendar_for(paper);
        let consultations = |state: &PaperState| {
            let finished = matches!(state.position, Position::Finished(_));
            let mut here = Vec::new();
            // Still at a sign stage before a consultation: not released to that body yet.
            let signing = state
                .current()
                .filter(|&i| matches!(workflow.stages[i].kind, StageKind::Sign(_)));
            for (index, (stage, stage_state)) in
                workflow.stages.iter().zip(&state.stages).enumerate()
            {
                let StageKind::Consult { role, .. } = &stage.kind else {
                    continue;
                };
                let Some(body_id) = stage_state.body.as_deref() else {
                    continue;
                };
                if stage_state.status == StageStatus::Skipped
                    || only.is_some_and(|(b, _)| b != body_id)
                {
                    continue;
                }
                let Some(body) = project.directory.body(body_id) else {
                    continue;
                };
                // The meeting the engine places the consultation at, unless the paper ended
                // before it; and every meeting whose agenda the paper was put on.
                let mut dates: Vec<NaiveDate> = stage_state
                    .meeting
                    .filter(|_| !finished || stage_state.status == StageStatus::Done)
                    .map(|m| m.date)
                    .into_iter()
                    .collect();
                for entry in journal.iter().filter(|e| {
                    e.event == Event::Scheduled
                        && e.stage.as_deref() == Some(stage.id.as_str())
                        && e.body() == Some(body_id)
                }) {
                    dates.extend(entry.meeting().map(|m| m.0));
                }
                dates.sort_unstable();
                dates.dedup();
                for date in dates {
                    if only.is_some_and(|(_, d)| d != date) {
                        continue;
                    }
                    let scheduled = scheduled_entry(journal, &stage.id, body_id, date);
                    here.push((
                        (body_id.to_string(), date),
                        Consultation {
                            paper,
                            item: PaperItem {
                                id: paper.id.clone(),
                                reference: paper.reference().to_string(),
                                kind: paper.kind.name.clone(),
                                stage: stage.id.clone(),
                                role: role.clone(),
                                fixed: scheduled.is_some(),
                                supplement: scheduled.is_some_and(|e| e.supplement() == Some(true)),
                                late: late::missed(paper, body, &calendar, date),
                                unreleased: signing.is_some_and(|s| s < index),
                            },
                            public: super::public_at(paper, stage),
                            top: scheduled.and_then(|e| e.top().map(str::to_string)),
                        },
                    ));
                }
            }
            here
        };
        let here = match known.and_then(|known| known.get(&paper.id)) {
            Some(state) => Some(consultations(state)),
            None => with_state(project, journals, paper, now, |_, state| {
                consultations(state)
            })?,
        };
        for (key, consultation) in here.into_iter().flatten() {
            meetings.entry(key).or_default().push(consultation);
        }
    }
    Ok(meetings)
}
