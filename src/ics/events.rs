//! What the calendars hold, from the engine's state and the directory: a person's signing
//! deadlines (stages where the paper waits for their signature), the meetings of a body with
//! the papers expected in their public part, and a body's Antragsfristen. Pure: no file, no
//! clock; `now` is an input as for the engine.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::format::Event;
use crate::engine::StageStatus;
use crate::load::Project;
use crate::meeting::{self, Agenda, Part};
use crate::model::{Body, Paper, StageKind};
use crate::pass::{self, Journals, NotLoaded};

fn date_de(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// The short name of a body („Kreistag“), else its name.
pub fn short_name(body: &Body) -> &str {
    body.short.as_deref().unwrap_or(&body.name)
}

/// Stable UIDs: `<what>.<parts>@<organisation>.ratsflow`.
pub struct Uids<'a> {
    domain: &'a str,
}

impl<'a> Uids<'a> {
    pub fn new(project: &'a Project) -> Self {
        Uids {
            domain: &project.settings.organisation,
        }
    }

    fn uid(&self, parts: &[&str]) -> String {
        format!("{}@{}.ratsflow", parts.join("."), self.domain)
    }
}

/// A signing deadline of one paper's current stage, without its text: a large project has
/// tens of thousands, and the text of each is made only when its person's feed is written
/// ([`Deadline::event`]).
#[derive(Clone, Debug)]
pub struct Deadline<'p> {
    paper: &'p Paper,
    stage_id: String,
    stage_title: String,
    due: NaiveDate,
    overdue: bool,
    /// The paper changed after this person signed, so the signature is asked for again.
    again: bool,
}

impl Deadline<'_> {
    /// The deadline as the event in `person`'s feed.
    pub fn event(&self, project: &Project, person: &str) -> Event {
        let paper = self.paper;
        let what = format!("{} {}", paper.kind.name, paper.reference());
        let mut lines = vec![
            format!("{what}: {}", paper.title),
            format!("Stufe: {}", self.stage_title),
            format!("Frist: {}", date_de(self.due)),
        ];
        if self.overdue {
            lines.push("Die Frist ist überschritten.".to_string());
        }
        if self.again {
            lines.push(
                "Erneut erbeten: Die Drucksache wurde nach Ihrer Unterschrift geändert."
                    .to_string(),
            );
        }
        if let Some(author) = paper.author.as_deref() {
            lines.push(format!(
                "Sachbearbeitung: {}",
                project.directory.person_name(author)
            ));
        }
        Event {
            uid: Uids::new(project).uid(&["zeichnung", &paper.id, &self.stage_id, person]),
            day: self.due,
            summary: format!("Zeichnung fällig: {what} – {}", paper.title),
            description: Some(lines.join("\n")),
            busy: false,
            category: "Frist",
        }
    }
}

/// The signing deadlines of every person, by person id: one per paper whose current stage
/// waits for that person's signature and has a due date. Papers held for a lost journal and
/// papers dated in the future are left out, as in `status`.
pub fn signing_deadlines<'p>(
    project: &'p Project,
    journals: &Journals,
    now: DateTime<Utc>,
) -> Result<BTreeMap<String, Vec<Deadline<'p>>>, NotLoaded> {
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    let mut by_person: BTreeMap<String, Vec<Deadline<'p>>> = BTreeMap::new();
    for paper in project.papers.values() {
        if paper.date.is_some_and(|d| d > today) || pass::is_held(project, journals, &paper.id) {
            continue;
        }
        let found = match pass::with_state(project, journals, paper, now, |inputs, state| {
            let index = state.current()?;
            let stage = inputs.workflow.stages.get(index)?;
            let stage_state = state.stages.get(index)?;
            if !matches!(stage.kind, StageKind::Sign(_))
                || stage_state.status != StageStatus::Current
            {
                return None;
            }
            let due = stage_state.due?;
            let waiting: Vec<(String, bool)> = stage_state
                .waiting_for
                .iter()
                .map(|person| (person.clone(), stage_state.stale.contains(person)))
                .collect();
            Some((
                stage.id.clone(),
                stage.title.clone(),
                due,
                stage_state.overdue,
                waiting,
            ))
        }) {
            Ok(found) => found,
            // A journal that could not be read stops only its own paper (`check` says why).
            Err(NotLoaded(_, Some(_))) => continue,
            Err(fault) => return Err(fault),
        };
        let Some(Some((stage_id, stage_title, due, overdue, waiting))) = found else {
            continue;
        };
        for (person, again) in waiting {
            by_person.entry(person).or_default().push(Deadline {
                paper,
                stage_id: stage_id.clone(),
                stage_title: stage_title.clone(),
                due,
                overdue,
                again,
            });
        }
    }
    Ok(by_person)
}

/// What a meeting's event says about its agenda: whether it was set, and a line per paper
/// of its public part (those of the non-public part are not named: a feed may be passed on).
#[derive(Clone, Debug, Default)]
pub struct AgendaLines {
    set: bool,
    papers: Vec<String>,
}

impl AgendaLines {
    fn of(agenda: &Agenda) -> Self {
        AgendaLines {
            set: agenda.set,
            papers: agenda
                .part(Part::Public)
                .filter_map(|item| {
                    let paper = item.paper.as_ref()?;
                    Some(format!(
                        "TOP {} {} {}: {}",
                        item.number, paper.kind, paper.reference, item.title
                    ))
                })
                .collect(),
        }
    }
}

/// The agenda lines of all meetings, by body and date (see [`meeting::agenda::concerning`]),
/// each agenda dropped as soon as its lines are made; none when a journal could not be read
/// (the meetings are then described without their papers).
pub fn agendas(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
) -> BTreeMap<(String, NaiveDate), AgendaLines> {
    meeting::agenda::concerning(project, journals, now, None, None)
        .map(|all| {
            all.map(|agenda| ((agenda.body.clone(), agenda.date), AgendaLines::of(&agenda)))
                .collect()
        })
        .unwrap_or_default()
}

/// One event per meeting of `body`, described with the papers of its public part.
pub fn meetings(
    project: &Project,
    body: &Body,
    agendas: &BTreeMap<(String, NaiveDate), AgendaLines>,
) -> Vec<Event> {
    let uids = Uids::new(project);
    body.meetings
        .iter()
        .map(|&date| {
            let mut lines = vec![format!("{} – Sitzung am {}", body.name, date_de(date))];
            if let Some(agenda) = agendas.get(&(body.id.clone(), date))
                && !agenda.papers.is_empty()
            {
                lines.push(String::new());
                lines.push(if agenda.set {
                    "Tagesordnung, öffentlicher Teil:".to_string()
                } else {
                    "Voraussichtlich beraten (öffentlicher Teil):".to_string()
                });
                lines.extend(agenda.papers.iter().cloned());
            }
            Event {
                uid: uids.uid(&["sitzung", &body.id, &date.to_string()]),
                day: date,
                summary: format!("Sitzung {}", short_name(body)),
                description: Some(lines.join("\n")),
                busy: true,
                category: "Sitzung",
            }
        })
        .collect()
}

/// One event per meeting of `body` for its Antragsfrist, when the body has one.
pub fn antragsfristen(project: &Project, body: &Body) -> Vec<Event> {
    let uids = Uids::new(project);
    let calendar = meeting::invite::calendar(project, body);
    body.meetings
        .iter()
        .filter_map(|&date| {
            let deadline = meeting::antragsfrist(body, &calendar, date)?;
            Some(Event {
                uid: uids.uid(&["antragsfrist", &body.id, &date.to_string()]),
                day: deadline,
                summary: format!(
                    "Antragsfrist {} (Sitzung am {})",
                    short_name(body),
                    date_de(date)
                ),
                description: Some(format!(
                    "{} – Sitzung am {}\nAnträge sind bis zu diesem Tag einzureichen; später eingereichte gelten als Dringlichkeitsanträge.",
                    body.name,
                    date_de(date)
                )),
                busy: false,
                category: "Frist",
            })
        })
        .collect()
}
