//! Calendars (ICS feeds, RFC 5545) that Outlook and Thunderbird subscribe to: one per person
//! (their own signing deadlines, the meetings of the bodies they sit in or run the office of)
//! and one per body (its meetings and Antragsfristen).
//!
//! Each feed has an unguessable token (HMAC-SHA256 of `person:ID` or `body:ID` under a key kept
//! outside the project, see [`key`]) as its name: `out/ics/<token>.ics`, written by every pass
//! ([`files`]) for councils that share `out/` (a WebDAV folder), and served by `ratsflow serve`
//! at `/kalender/<token>.ics` ([`crate::serve::calendar`]). [`feeds`] is pure: the same
//! project, journals, moment and key give the same feeds. Only `ratsflow kalender` shows which
//! token belongs to whom.

pub mod events;
pub mod files;
pub mod format;
pub mod key;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

pub use files::{Published, publish};
pub use key::{Key, KeyError};

use crate::load::Project;
use crate::pass::{Journals, NotLoaded};

/// Whose calendar a feed is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Owner {
    /// A person of the directory, by id.
    Person(String),
    /// A body (Gremium) of the directory, by id.
    Body(String),
}

impl Owner {
    /// What the token is computed from: `person:ID`, `body:ID`.
    pub fn subject(&self) -> String {
        match self {
            Owner::Person(id) => format!("person:{id}"),
            Owner::Body(id) => format!("body:{id}"),
        }
    }
}

/// One calendar: whose it is, its display name, its token and its events. Its text is
/// written by [`format::write`] (streamed) or made by [`Feed::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub owner: Owner,
    /// The person's or body's name, as the directory writes it.
    pub name: String,
    pub token: String,
    pub calendar: format::Calendar,
    /// The `DTSTAMP` of its events: when the feed was made.
    pub stamp: DateTime<Utc>,
}

impl Feed {
    /// The file name of the feed: `<token>.ics`.
    pub fn file_name(&self) -> String {
        format!("{}.ics", self.token)
    }

    /// The feed as RFC 5545 text.
    pub fn text(&self) -> String {
        format::render(&self.calendar, self.stamp)
    }
}

/// Everyone who has a calendar, with their name: every person of the directory and every body
/// with a meeting calendar, in the directory's order.
pub fn owners(project: &Project) -> Vec<(Owner, String)> {
    let people = project
        .directory
        .people
        .values()
        .map(|p| (Owner::Person(p.id.clone()), p.name.clone()));
    let bodies = project
        .directory
        .bodies
        .values()
        .filter(|b| !b.meetings.is_empty())
        .map(|b| (Owner::Body(b.id.clone()), b.name.clone()));
    people.chain(bodies).collect()
}

/// The token of an owner under `key`.
pub fn token(key: &Key, owner: &Owner) -> String {
    key.token(&owner.subject())
}

/// Every calendar of the project at `now`, handed to `each` one at a time: the office's feed
/// of a large project is megabytes, and all of them at once would be tens. For the same reason
/// deadlines are kept without their text until their feed is made, and the agendas only until
/// each meeting's event is. Every paper's journal must have been read.
pub fn for_each_feed(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
    key: &Key,
    mut each: impl FnMut(Feed),
) -> Result<(), NotLoaded> {
    let mut deadlines = events::signing_deadlines(project, journals, now)?;
    let meetings = meeting_events(project, journals, now);
    let directory = &project.directory;
    for (owner, name) in owners(project) {
        let (title, description, mut list) = match &owner {
            Owner::Person(id) => {
                let mut list: Vec<format::Event> = deadlines
                    .remove(id)
                    .unwrap_or_default()
                    .iter()
                    .map(|deadline| deadline.event(project, id))
                    .collect();
                for body in directory.bodies.values() {
                    if body.members.contains(id) || body.office.contains(id) {
                        list.extend(
                            meetings
                                .get(body.id.as_str())
                                .into_iter()
                                .flatten()
                                .cloned(),
                        );
                    }
                }
                (
                    format!("Fristen und Sitzungen – {name}"),
                    format!("Zeichnungsfristen von {name} und die Sitzungen der Gremien"),
                    list,
                )
            }
            Owner::Body(id) => {
                let Some(body) = directory.body(id) else {
                    continue;
                };
                let mut list = meetings.get(body.id.as_str()).cloned().unwrap_or_default();
                list.extend(events::antragsfristen(project, body));
                (
                    format!(
                        "Sitzungen und Antragsfristen – {}",
                        events::short_name(body)
                    ),
                    format!("Sitzungen und Antragsfristen: {name}"),
                    list,
                )
            }
        };
        list.sort_by(|a, b| (a.day, &a.uid).cmp(&(b.day, &b.uid)));
        list.dedup_by(|a, b| a.uid == b.uid);
        each(Feed {
            token: token(key, &owner),
            calendar: format::Calendar {
                name: title,
                description,
                events: list,
            },
            stamp: now,
            owner,
            name,
        });
    }
    Ok(())
}

/// The meeting events of every body with meetings, by body id; the agendas they are made from
/// are dropped before any feed is.
fn meeting_events<'p>(
    project: &'p Project,
    journals: &Journals,
    now: DateTime<Utc>,
) -> BTreeMap<&'p str, Vec<format::Event>> {
    let agendas = events::agendas(project, journals, now);
    project
        .directory
        .bodies
        .values()
        .filter(|body| !body.meetings.is_empty())
        .map(|body| (body.id.as_str(), events::meetings(project, body, &agendas)))
        .collect()
}

#[cfg(test)]
mod tests;
