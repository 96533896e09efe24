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

/// One calendar: whose it is, its display name, its token and its RFC 5545 text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub owner: Owner,
    /// The person's or body's name, as the directory writes it.
    pub name: String,
    pub token: String,
    pub text: String,
}

impl Feed {
    /// The file name of the feed: `<token>.ics`.
    pub fn file_name(&self) -> String {
        format!("{}.ics", self.token)
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

/// Every calendar of the project at `now`, handed to `each` one at a time (the office's feed
/// of a large project is megabytes; all of them at once would be tens). Every paper's journal
/// must have been read.
pub fn for_each_feed(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
    key: &Key,
    mut each: impl FnMut(Feed),
) -> Result<(), NotLoaded> {
    let mut deadlines = events::signing_deadlines(project, journals, now)?;
    let agendas = events::agendas(project, journals, now);
    let directory = &project.directory;
    for (owner, name) in owners(project) {
        let (title, description, mut list) = match &owner {
            Owner::Person(id) => {
                let mut list = deadlines.remove(id).unwrap_or_default();
                for body in directory.bodies.values() {
                    if body.members.contains(id) || body.office.contains(id) {
                        list.extend(events::meetings(project, body, &agendas));
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
                let mut list = events::meetings(project, body, &agendas);
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
        let calendar = format::Calendar {
            name: title,
            description,
            events: list,
        };
        each(Feed {
            token: token(key, &owner),
            text: format::render(&calendar, now),
            owner,
            name,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
