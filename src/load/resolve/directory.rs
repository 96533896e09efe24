//! The directory (organisations, people, bodies) and the settings' references into it.

use std::collections::BTreeMap;

use super::{idx, key, unknown};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::raw::{RawBodyDeadline, RawBodyKind, RawDirectory};
use crate::load::yaml::YamlSource;
use crate::load::{Sources, ids};
use crate::model::{Body, BodyKind, Directory, LegislativeTerm, Organisation, Person};

/// Validates the directory. An entry whose id is not safe (see [`crate::load::ids`]) is
/// reported and left out, so references to it are reported where they are.
pub fn directory(mut raw: RawDirectory, source: &YamlSource) -> (Directory, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    drop_unsafe_ids(
        &mut raw.organisations,
        "organisations",
        source,
        &mut diagnostics,
    );
    drop_unsafe_ids(&mut raw.people, "people", source, &mut diagnostics);
    drop_unsafe_ids(&mut raw.bodies, "bodies", source, &mut diagnostics);
    let organisations: BTreeMap<String, Organisation> = raw
        .organisations
        .into_iter()
        .map(|(id, o)| {
            let org = Organisation {
                id: id.clone(),
                name: o.name,
                land: o.land,
                letterhead: o.letterhead,
                legislative_terms: o
                    .legislative_terms
                    .into_iter()
                    .map(|t| LegislativeTerm {
                        name: t.name,
                        start: t.start.map(|d| d.0),
                        end: t.end.map(|d| d.0),
                    })
                    .collect(),
            };
            (id, org)
        })
        .collect();
    let org_ids: Vec<&str> = organisations.keys().map(String::as_str).collect();
    let person_ids: Vec<String> = raw.people.keys().cloned().collect();
    let mut people = BTreeMap::new();
    for (id, p) in raw.people {
        if let Some(org) = &p.organisation
            && !organisations.contains_key(org)
        {
            let path = [key("people"), key(&id), key("organisation")];
            diagnostics.push(unknown(
                source,
                &path,
                "unbekannte Organisation",
                org,
                org_ids.iter().copied(),
            ));
        }
        let office = raw.bodies.values().any(|b| b.office.contains(&id));
        let deputies = deputies(&id, &p.deputies, &person_ids, source, &mut diagnostics);
        let person = Person {
            deputies,
            id: id.clone(),
            shared_mailbox: p.shared_mailbox.unwrap_or(office),
            name: p.name,
            function: p.function,
            email: p.email.trim().to_string(),
            organisation: p.organisation,
            salutation: p.salutation,
            publish: p.publish.unwrap_or(false),
        };
        people.insert(id, person);
    }
    let known_people = || person_ids.iter().map(String::as_str);
    let mut bodies = BTreeMap::new();
    for (id, b) in raw.bodies {
        for (field, list) in [
            ("members", &b.members),
            ("signatories", &b.signatories),
            ("office", &b.office),
        ] {
            for (i, person) in list.iter().enumerate() {
                if !people.contains_key(person) {
                    let path = [key("bodies"), key(&id), key(field), idx(i)];
                    diagnostics.push(unknown(
                        source,
                        &path,
                        "unbekannte Person",
                        person,
                        known_people(),
                    ));
                }
            }
        }
        if let Some(org) = &b.organisation
            && !organisations.contains_key(org)
        {
            let path = [key("bodies"), key(&id), key("organisation")];
            diagnostics.push(unknown(
                source,
                &path,
                "unbekannte Organisation",
                org,
                org_ids.iter().copied(),
            ));
        }
        let mut meetings: Vec<chrono::NaiveDate> = b.meetings.iter().map(|d| d.0).collect();
        meetings.sort_unstable();
        meetings.dedup();
        let deadlines = b
            .deadlines
            .iter()
            .map(|(name, rule)| (name.clone(), rule.before_meeting()))
            .collect();
        let kind = match b.kind {
            RawBodyKind::Ausschuss => BodyKind::Ausschuss,
            RawBodyKind::Rat => BodyKind::Rat,
            RawBodyKind::Dienstversammlung => BodyKind::Dienstversammlung,
            RawBodyKind::Fraktion => BodyKind::Fraktion,
            RawBodyKind::Verwaltung => BodyKind::Verwaltung,
        };
        let body = Body {
            id: id.clone(),
            name: b.name,
            short: b.short,
            kind,
            organisation: b.organisation,
            members: b.members,
            signatories: b.signatories,
            office: b.office,
            meetings,
            deadlines,
            ladungsfrist: b.ladungsfrist.as_ref().map(RawBodyDeadline::before_meeting),
            agenda: agenda_items(b.agenda),
        };
        bodies.insert(id, body);
    }
    let directory = Directory {
        organisations,
        people,
        bodies,
    };
    diagnostics.extend(crate::load::mail_checks::directory(&directory, source));
    (directory, diagnostics)
}

/// Removes the entries of one section whose id is not safe, with an error at each key.
fn drop_unsafe_ids<V>(
    entries: &mut BTreeMap<String, V>,
    section: &str,
    source: &YamlSource,
    diagnostics: &mut Vec<Diagnostic>,
) {
    entries.retain(|id, _| {
        let Some(problem) = ids::id_problem(id) else {
            return true;
        };
        let path = [key(section), key(id)];
        let (location, width) = source
            .key_location(&path)
            .unwrap_or_else(|| source.locate(&path));
        let short = crate::table::truncate(id, 40);
        diagnostics.push(
            Diagnostic::error(
                source.file().to_path_buf(),
                format!("die Kennung „{short}“ {problem}"),
            )
            .at(location, width)
            .with_hint(ids::ID_HINT),
        );
        false
    });
}

/// Checks that the settings' organisation exists in the directory.
pub fn check_settings_against_directory(
    project: &crate::load::Project,
    diagnostics: &mut Diagnostics,
    sources: &Sources,
) {
    if project.directory.organisations.is_empty()
        || project
            .directory
            .organisations
            .contains_key(&project.settings.organisation)
    {
        return;
    }
    let path = std::path::Path::new(crate::project::SETTINGS_FILE);
    let Some(text) = sources.get(path) else {
        return;
    };
    let Ok(source) = YamlSource::parse(path, text) else {
        return;
    };
    let known = project.directory.organisations.keys().map(String::as_str);
    diagnostics.push(unknown(
        &source,
        &[key("organisation")],
        "unbekannte Organisation",
        &project.settings.organisation,
        known,
    ));
}

/// The fixed agenda items of a body: as written, the default for what is left out.
fn agenda_items(raw: Option<crate::load::raw::RawAgenda>) -> crate::model::AgendaItems {
    let default = crate::model::AgendaItems::default();
    let Some(raw) = raw else { return default };
    crate::model::AgendaItems {
        opening: raw.opening.unwrap_or(default.opening),
        closing: raw.closing.unwrap_or(default.closing),
    }
}

/// The Vertretungen of person `id` that hold: each names a known person other than `id`, with
/// `from` not after `until`. The others are reported at their line and left out.
fn deputies(
    id: &str,
    raw: &[crate::load::raw::RawDeputy],
    person_ids: &[String],
    source: &YamlSource,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<crate::model::Deputy> {
    let mut found = Vec::new();
    for (i, deputy) in raw.iter().enumerate() {
        let at = |field: &str| [key("people"), key(id), key("deputies"), idx(i), key(field)];
        if !person_ids.iter().any(|p| p == &deputy.person) {
            diagnostics.push(unknown(
                source,
                &at("person"),
                "unbekannte Person",
                &deputy.person,
                person_ids.iter().map(String::as_str),
            ));
            continue;
        }
        if deputy.person == id {
            diagnostics.push(source.error_at(
                &at("person"),
                format!("„{id}“ kann sich nicht selbst vertreten"),
            ));
            continue;
        }
        if deputy.from.0 > deputy.until.0 {
            diagnostics.push(
                source
                    .error_at(
                        &at("until"),
                        format!(
                            "die Vertretung endet ({}) vor ihrem Beginn ({})",
                            deputy.until.0.format("%d.%m.%Y"),
                            deputy.from.0.format("%d.%m.%Y")
                        ),
                    )
                    .with_hint("„from“ ist der erste, „until“ der letzte Tag der Vertretung"),
            );
            continue;
        }
        found.push(crate::model::Deputy {
            person: deputy.person.clone(),
            from: deputy.from.0,
            until: deputy.until.0,
        });
    }
    found
}
