//! Setting an agenda: every paper on it not yet recorded gets a `scheduled` entry (stage, body,
//! meeting, TOP number) in its journal, under the paper's lock, like every other record. From
//! then on its meeting and its number are fixed; an entry made after the agenda was first set
//! marks the paper as Nachtrag.

use chrono::{DateTime, Utc};

use super::Agenda;
use crate::engine::rules;
use crate::journal::lock::{self, Purpose};
use crate::journal::{self, Consultation, Entry, Event};
use crate::load::Project;
use crate::model::dates::Date;
use crate::record::RecordError;

/// A paper put on the agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub paper: String,
    pub top: String,
    pub supplement: bool,
}

/// Records every paper of `agenda` that is not yet fixed; returns what was recorded.
pub fn set(
    project: &Project,
    agenda: &Agenda,
    now: DateTime<Utc>,
) -> Result<Vec<Placed>, RecordError> {
    let folders = project.folders();
    let local = now
        .with_timezone(&project.settings.time_zone)
        .fixed_offset();
    let mut placed = Vec::new();
    for item in &agenda.items {
        let Some(entry) = item.paper.as_ref().filter(|p| !p.fixed) else {
            continue;
        };
        let Some(paper) = project.papers.get(&entry.id) else {
            continue;
        };
        let what = format!("die Drucksache „{}“", paper.reference());
        let _held = lock::acquire(
            &lock::paper_lock(folders, &paper.id),
            Purpose {
                what: &what,
                nothing_done: "die Tagesordnung wurde nicht weiter festgelegt",
            },
            &lock::this_process(),
            lock::PAPER_WAIT,
            &mut |_| {},
        )?;
        let path = folders.journal(&paper.id);
        let journal = journal::read(&path)?;
        let already = super::agenda::scheduled_entry(
            &journal.entries,
            &entry.stage,
            &agenda.body,
            agenda.date,
        );
        if already.is_some() {
            continue;
        }
        let time = rules::entry_time(journal::latest_record(&journal.entries), local, paper)?;
        let record = Entry {
            stage: Some(entry.stage.as_str().into()),
            ..Entry::new(time, Event::Scheduled)
        }
        .with_consultation(Consultation {
            body: Some(agenda.body.clone()),
            meeting: Some(Date(agenda.date)),
            top: Some(item.number.clone()),
            supplement: entry.supplement.then_some(true),
            ..Consultation::default()
        });
        journal::append(&path, std::slice::from_ref(&record))?;
        placed.push(Placed {
            paper: paper.id.clone(),
            top: item.number.clone(),
            supplement: entry.supplement,
        });
    }
    Ok(placed)
}
