//! Who may log in to the board, read from the directory (`workflows/directory.yaml`):
//!
//! - the office: everyone named in the `office:` of a body that is not a Fraktion (the
//!   Sitzungsdienst, the Kreistagsbüro, a mayor's office) — they run the papers and see
//!   everything, non-public items included;
//! - the Fraktionen's people: the `members:`, `signatories:` and `office:` of every body of
//!   `kind: fraktion` (a Fraktionsgeschäftsstelle is the Fraktion's office, not the council's).
//!   They see everything public and their own Fraktion's drafts.
//!
//! Nobody else gets a login link. The directory is read at every request, so a person taken out
//! of it loses access with their next click, whatever session they hold.

use super::session::User;
use crate::model::{BodyKind, Directory};

/// The user `person` is, if they may log in.
pub fn user(directory: &Directory, person: &str) -> Option<User> {
    let entry = directory.person(person)?;
    let office = directory
        .bodies
        .values()
        .any(|body| body.kind != BodyKind::Fraktion && body.office.iter().any(|p| p == person));
    let fraktion = directory
        .bodies
        .values()
        .find(|body| {
            body.kind == BodyKind::Fraktion
                && body
                    .members
                    .iter()
                    .chain(&body.signatories)
                    .chain(&body.office)
                    .any(|p| p == person)
        })
        .map(|body| body.id.clone());
    (office || fraktion.is_some()).then(|| User {
        person: person.to_string(),
        name: entry.name.clone(),
        fraktion,
        office,
    })
}

/// Everyone who may log in with this e-mail address (compared without case and surrounding
/// white space; a shared mailbox may stand for several people), by id.
pub fn by_email(directory: &Directory, email: &str) -> Vec<User> {
    let wanted = email.trim().to_lowercase();
    if wanted.is_empty() {
        return Vec::new();
    }
    directory
        .people
        .values()
        .filter(|p| p.email.trim().to_lowercase() == wanted)
        .filter_map(|p| user(directory, &p.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgendaItems, Body, Person};

    fn person(id: &str, email: &str) -> Person {
        Person {
            id: id.into(),
            name: format!("Name {id}"),
            function: None,
            email: email.into(),
            organisation: None,
            salutation: None,
            shared_mailbox: false,
            publish: false,
            deputies: Vec::new(),
        }
    }

    fn body(id: &str, kind: BodyKind, members: &[&str], office: &[&str]) -> Body {
        Body {
            id: id.into(),
            name: id.into(),
            short: None,
            kind,
            organisation: None,
            members: members.iter().map(|s| s.to_string()).collect(),
            signatories: Vec::new(),
            office: office.iter().map(|s| s.to_string()).collect(),
            meetings: Vec::new(),
            deadlines: Default::default(),
            ladungsfrist: None,
            agenda: AgendaItems::default(),
        }
    }

    fn directory() -> Directory {
        let mut d = Directory::default();
        for (id, mail) in [
            ("buero", "buero@kreis.example"),
            ("gruen", "Gruen@Fraktion.example"),
            ("rat", "rat@kreis.example"),
        ] {
            d.people.insert(id.into(), person(id, mail));
        }
        d.bodies.insert(
            "kreistag".into(),
            body("kreistag", BodyKind::Rat, &["rat", "gruen"], &["buero"]),
        );
        d.bodies.insert(
            "fraktion-gruen".into(),
            body("fraktion-gruen", BodyKind::Fraktion, &["gruen"], &[]),
        );
        d
    }

    #[test]
    fn office_and_fraktion_may_log_in_members_alone_not() {
        let d = directory();
        let buero = user(&d, "buero");
        assert!(
            buero
                .as_ref()
                .is_some_and(|u| u.office && u.fraktion.is_none())
        );
        let gruen = user(&d, "gruen");
        assert_eq!(
            gruen.and_then(|u| u.fraktion),
            Some("fraktion-gruen".to_string())
        );
        assert!(user(&d, "rat").is_none());
        assert!(user(&d, "unbekannt").is_none());
    }

    #[test]
    fn email_matches_without_case() {
        let d = directory();
        let found = by_email(&d, "  gruen@fraktion.EXAMPLE ");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].person, "gruen");
        assert!(by_email(&d, "rat@kreis.example").is_empty());
        assert!(by_email(&d, "").is_empty());
    }
}
