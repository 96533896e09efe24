//! The directory: organisations, people and bodies (Gremien) with their meeting calendars.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{DeadlineRule, Land};

/// A Kreis, Stadt or Gemeinde; its Land decides the public holidays.
#[derive(Clone, Debug)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub land: Land,
    pub letterhead: Vec<String>,
    /// Wahlperioden of its council (for the OParl export).
    pub legislative_terms: Vec<LegislativeTerm>,
}

/// A Wahlperiode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegislativeTerm {
    pub name: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// Someone who signs, deliberates or is notified.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub function: Option<String>,
    /// The address as written, without surrounding white space.
    pub email: String,
    pub organisation: Option<String>,
    /// Own salutation („Sehr geehrte Frau Landwehr“), without the comma.
    pub salutation: Option<String>,
    /// A shared mailbox, not a natural person (see [`crate::load::raw::RawPerson`]).
    pub shared_mailbox: bool,
    /// Consented to publication (`publish: true`): may appear in the OParl export.
    pub publish: bool,
    /// Who signs for the person while away (Vertretung), in the order written.
    pub deputies: Vec<Deputy>,
}

/// A Vertretung: `person` acts for someone from `from` to `until`, both days included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deputy {
    pub person: String,
    pub from: chrono::NaiveDate,
    pub until: chrono::NaiveDate,
}

/// What kind of Gremium a body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Ausschuss,
    Rat,
    Dienstversammlung,
    Fraktion,
    Verwaltung,
}

/// A Gremium with its members, office, meeting calendar and deadline rules.
#[derive(Clone, Debug)]
pub struct Body {
    pub id: String,
    pub name: String,
    pub short: Option<String>,
    pub kind: BodyKind,
    pub organisation: Option<String>,
    pub members: Vec<String>,
    pub signatories: Vec<String>,
    pub office: Vec<String>,
    /// Sorted meeting dates.
    pub meetings: Vec<NaiveDate>,
    /// Named deadline rules counted back from a meeting (`vorlage`, `antrag`).
    pub deadlines: BTreeMap<String, DeadlineRule>,
    /// Ladungsfrist: days before a meeting the members are invited; `None`: the project's.
    pub ladungsfrist: Option<DeadlineRule>,
    /// Fixed items of its agendas.
    pub agenda: AgendaItems,
}

/// The fixed items of a body's agenda (Tagesordnung), around the papers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgendaItems {
    /// At the start of the public part.
    pub opening: Vec<String>,
    /// At the end of the public and of the non-public part.
    pub closing: Vec<String>,
}

impl Default for AgendaItems {
    fn default() -> Self {
        AgendaItems {
            opening: vec![
                "Eröffnung, Feststellung der ordnungsgemäßen Ladung und Beschlussfähigkeit"
                    .to_string(),
                "Genehmigung der Niederschrift über die letzte Sitzung".to_string(),
            ],
            closing: vec!["Mitteilungen und Anfragen".to_string()],
        }
    }
}

/// Everything the directory file declares, by id.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    pub organisations: BTreeMap<String, Organisation>,
    pub people: BTreeMap<String, Person>,
    pub bodies: BTreeMap<String, Body>,
}

impl Directory {
    /// The person with this id.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.people.get(id)
    }

    /// The body with this id.
    pub fn body(&self, id: &str) -> Option<&Body> {
        self.bodies.get(id)
    }

    /// The display name of a person id, or the id itself.
    pub fn person_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.people.get(id).map_or(id, |p| p.name.as_str())
    }

    /// The deputy acting for `person` on `day`, if one is named for that day (the first one
    /// written wins where ranges overlap).
    pub fn deputy_on(&self, person: &str, day: chrono::NaiveDate) -> Option<&str> {
        self.people
            .get(person)?
            .deputies
            .iter()
            .find(|d| d.from <= day && day <= d.until)
            .map(|d| d.person.as_str())
    }

    /// Who acts for `person` on `day`: the deputy, else the person.
    pub fn acting_for<'a>(&'a self, person: &'a str, day: chrono::NaiveDate) -> &'a str {
        self.deputy_on(person, day).unwrap_or(person)
    }

    /// The people `deputy` acts for on `day`.
    pub fn principals_of<'a>(
        &'a self,
        deputy: &'a str,
        day: chrono::NaiveDate,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.people
            .keys()
            .map(String::as_str)
            .filter(move |id| self.deputy_on(id, day) == Some(deputy))
    }
}
