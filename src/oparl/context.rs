//! What every object builder needs besides the [`Input`]: the URLs, which papers are
//! published, which meetings exist, which Body (Gebietskörperschaft) each Gremium belongs to,
//! and the `created`/`modified` times.
//!
//! Times come from the journal: an object was created with its first record and modified with
//! its last. Where there is no journal — the directory (organisations, Gremien, people) and
//! papers with no record yet — they come from file data: the directory file's modification
//! time, a paper's `date:` at midnight or its file's modification time.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde_json::{Map, Value};

use super::input::{Input, PaperFacts};
use super::public::{self, Visibility};
use super::urls::Urls;
use crate::journal::Entry;
use crate::model::Paper;

/// `created` and `modified` of an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub created: DateTime<FixedOffset>,
    pub modified: DateTime<FixedOffset>,
}

impl Stamp {
    /// Both at one moment.
    pub fn at(time: DateTime<FixedOffset>) -> Self {
        Stamp {
            created: time,
            modified: time,
        }
    }

    /// The first and last of `times`; `None` when there are none.
    pub fn span(times: impl IntoIterator<Item = DateTime<FixedOffset>>) -> Option<Self> {
        times.into_iter().fold(None, |span, time| {
            Some(match span {
                None => Stamp::at(time),
                Some(Stamp { created, modified }) => Stamp {
                    created: created.min(time),
                    modified: modified.max(time),
                },
            })
        })
    }

    /// The span covering both.
    pub fn merge(self, other: Stamp) -> Stamp {
        Stamp {
            created: self.created.min(other.created),
            modified: self.modified.max(other.modified),
        }
    }

    /// Writes `created` and `modified` into an object.
    pub fn put(&self, object: &mut Map<String, Value>) {
        object.insert("created".into(), Value::String(datetime(self.created)));
        object.insert("modified".into(), Value::String(datetime(self.modified)));
    }
}

/// An OParl date-time: `2021-03-23T19:00:00+01:00`.
pub fn datetime(time: DateTime<FixedOffset>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// An OParl date: `2021-03-23`.
pub fn date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// The OParl type URL of a kind of object.
pub fn type_url(kind: &str) -> String {
    format!("https://schema.oparl.org/1.1/{kind}")
}

/// A new object with `id` and `type`.
pub fn object(id: String, kind: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("id".into(), Value::String(id));
    map.insert("type".into(), Value::String(type_url(kind)));
    map
}

/// Sets `key` to a non-empty string; nothing for an empty one (OParl: omit, never "").
pub fn put_text(object: &mut Map<String, Value>, key: &str, text: Option<&str>) {
    if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
        object.insert(key.into(), Value::String(text.to_string()));
    }
}

/// Sets `key` to a list of strings unless it is empty.
pub fn put_list(object: &mut Map<String, Value>, key: &str, items: Vec<String>) {
    if !items.is_empty() {
        object.insert(
            key.into(),
            Value::Array(items.into_iter().map(Value::String).collect()),
        );
    }
}

/// The shared facts of one export.
pub struct Context<'a> {
    pub input: &'a Input<'a>,
    pub urls: Urls,
    /// Published or deleted papers, by id.
    pub visibility: BTreeMap<String, Visibility>,
    /// Every meeting in the export: by body id and date.
    pub meetings: BTreeSet<(String, NaiveDate)>,
}

impl<'a> Context<'a> {
    pub fn new(input: &'a Input<'a>, base_url: &str) -> Self {
        let visibility = input
            .papers
            .iter()
            .map(|(id, facts)| (id.clone(), public::paper(input.project, facts)))
            .collect();
        let mut meetings: BTreeSet<(String, NaiveDate)> = input
            .agendas
            .iter()
            .map(|a| (a.body.clone(), a.date))
            .collect();
        for (id, body) in &input.project.directory.bodies {
            meetings.extend(body.meetings.iter().map(|d| (id.clone(), *d)));
        }
        Context {
            input,
            urls: Urls::new(base_url),
            visibility,
            meetings,
        }
    }

    /// The published papers (not deleted ones).
    pub fn public_papers(&self) -> impl Iterator<Item = &'a PaperFacts<'a>> + '_ {
        self.input
            .papers
            .values()
            .filter(|f| self.visibility.get(&f.paper.id) == Some(&Visibility::Public))
    }

    /// Whether the paper is published (not deleted).
    pub fn is_public(&self, paper: &str) -> bool {
        self.visibility.get(paper) == Some(&Visibility::Public)
    }

    /// The organisation (OParl Body) a Gremium belongs to.
    pub fn org_of_body(&self, body: &str) -> String {
        self.input
            .project
            .directory
            .body(body)
            .and_then(|b| b.organisation.clone())
            .unwrap_or_else(|| self.input.project.settings.organisation.clone())
    }

    /// The organisation (OParl Body) of a person.
    pub fn org_of_person(&self, person: &str) -> String {
        self.input
            .project
            .directory
            .person(person)
            .and_then(|p| p.organisation.clone())
            .unwrap_or_else(|| self.input.project.settings.organisation.clone())
    }

    /// The organisation (OParl Body) issuing a paper.
    pub fn org_of_paper(&self, paper: &Paper) -> String {
        self.input.project.organisation_of(paper).to_string()
    }

    /// The directory's times (it has no journal).
    pub fn directory_stamp(&self) -> Stamp {
        Stamp::at(self.input.directory_time)
    }

    /// A paper's times: its first and last record, else its fallback.
    pub fn paper_stamp(&self, facts: &PaperFacts<'_>) -> Stamp {
        Stamp::span(records(facts.journal).map(|e| e.time))
            .unwrap_or_else(|| Stamp::at(facts.fallback_time))
    }

    /// The times of a paper's consultation at `stage`: its records, else the paper's.
    pub fn stage_stamp(&self, facts: &PaperFacts<'_>, stage: &str) -> Stamp {
        Stamp::span(
            records(facts.journal)
                .filter(|e| e.stage.as_deref() == Some(stage))
                .map(|e| e.time),
        )
        .unwrap_or_else(|| self.paper_stamp(facts))
    }
}

/// The audit records of a journal (no notice bookkeeping).
fn records(journal: &[Entry]) -> impl Iterator<Item = &Entry> {
    journal.iter().filter(|e| e.event.is_record())
}
