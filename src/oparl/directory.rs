//! Objects from the directory: the Body (OParl's Gebietskörperschaft, an organisation of the
//! directory), its Organizations (Gremien and Fraktionen), and the People who consented to
//! publication with their Memberships. Only name, function and memberships of a person are
//! published — never an address.

use serde_json::{Map, Value};

use super::context::{Context, Stamp, date, object, put_list, put_text};
use super::urls::LISTS;
use crate::model::BodyKind;

/// Organizations, People and Memberships, each with the organisation (OParl Body) it
/// belongs to.
#[derive(Default)]
pub struct DirectoryObjects {
    pub organizations: Vec<(String, Map<String, Value>)>,
    pub people: Vec<(String, Map<String, Value>)>,
    pub memberships: Vec<(String, Map<String, Value>)>,
    pub legislative_terms: Vec<(String, Map<String, Value>)>,
}

/// The System object; `stamp` spans everything in the export.
pub fn system(cx: &Context<'_>, stamp: Stamp) -> Map<String, Value> {
    let project = cx.input.project;
    let mut value = object(cx.urls.system(), "System");
    value.insert(
        "oparlVersion".into(),
        Value::String("https://schema.oparl.org/1.1/".into()),
    );
    value.insert("body".into(), Value::String(cx.urls.bodies(1)));
    let name = project
        .directory
        .organisations
        .get(&project.settings.organisation)
        .map_or("ratsflow".to_string(), |o| format!("ratsflow – {}", o.name));
    put_text(&mut value, "name", Some(&name));
    stamp.put(&mut value);
    value
}

/// The Body of one organisation of the directory; `stamp` spans its objects.
pub fn body(cx: &Context<'_>, org: &str, stamp: Stamp) -> Map<String, Value> {
    let mut value = object(cx.urls.body(org), "Body");
    value.insert("system".into(), Value::String(cx.urls.system()));
    let name = cx
        .input
        .project
        .directory
        .organisations
        .get(org)
        .map_or(org, |o| o.name.as_str());
    put_text(&mut value, "name", Some(name));
    for list in LISTS {
        value.insert(list.into(), Value::String(cx.urls.list(org, list, 1)));
    }
    value.insert(
        "legislativeTerm".into(),
        Value::Array(
            legislative_terms(cx, org)
                .into_iter()
                .map(Value::Object)
                .collect(),
        ),
    );
    stamp.put(&mut value);
    value
}

/// The Wahlperioden of an organisation, as the directory lists them.
pub fn legislative_terms(cx: &Context<'_>, org: &str) -> Vec<Map<String, Value>> {
    let Some(organisation) = cx.input.project.directory.organisations.get(org) else {
        return Vec::new();
    };
    organisation
        .legislative_terms
        .iter()
        .enumerate()
        .map(|(index, term)| {
            let mut value = object(cx.urls.legislative_term(org, index + 1), "LegislativeTerm");
            value.insert("body".into(), Value::String(cx.urls.body(org)));
            put_text(&mut value, "name", Some(&term.name));
            if let Some(start) = term.start {
                value.insert("startDate".into(), Value::String(date(start)));
            }
            if let Some(end) = term.end {
                value.insert("endDate".into(), Value::String(date(end)));
            }
            cx.directory_stamp().put(&mut value);
            value
        })
        .collect()
}

/// Every Gremium as an Organization, every consenting person as a Person with Memberships.
pub fn build(cx: &Context<'_>) -> DirectoryObjects {
    let project = cx.input.project;
    let stamp = cx.directory_stamp();
    let mut out = DirectoryObjects::default();
    for (person_id, person) in &project.directory.people {
        if !person.publish {
            continue;
        }
        let org = cx.org_of_person(person_id);
        let mut value = object(cx.urls.person(person_id), "Person");
        value.insert("body".into(), Value::String(cx.urls.body(&org)));
        put_text(&mut value, "name", Some(&person.name));
        put_list(
            &mut value,
            "status",
            person.function.iter().cloned().collect(),
        );
        let mut memberships = Vec::new();
        for (body_id, body) in &project.directory.bodies {
            for (role, key, listed) in [
                ("Mitglied", "mitglied", &body.members),
                ("Unterzeichnung", "unterzeichnung", &body.signatories),
            ] {
                if !listed.contains(person_id) {
                    continue;
                }
                let mut membership =
                    object(cx.urls.membership(person_id, body_id, key), "Membership");
                membership.insert("person".into(), Value::String(cx.urls.person(person_id)));
                membership.insert(
                    "organization".into(),
                    Value::String(cx.urls.organization(body_id)),
                );
                put_text(&mut membership, "role", Some(role));
                membership.insert("votingRight".into(), Value::Bool(key == "mitglied"));
                stamp.put(&mut membership);
                memberships.push(membership);
            }
        }
        if !memberships.is_empty() {
            value.insert(
                "membership".into(),
                Value::Array(memberships.iter().cloned().map(Value::Object).collect()),
            );
        }
        out.memberships
            .extend(memberships.into_iter().map(|m| (org.clone(), m)));
        stamp.put(&mut value);
        out.people.push((org, value));
    }
    for org in project.directory.organisations.keys() {
        out.legislative_terms.extend(
            legislative_terms(cx, org)
                .into_iter()
                .map(|t| (org.clone(), t)),
        );
    }
    for (body_id, body) in &project.directory.bodies {
        let org = cx.org_of_body(body_id);
        let mut value = object(cx.urls.organization(body_id), "Organization");
        value.insert("body".into(), Value::String(cx.urls.body(&org)));
        put_text(&mut value, "name", Some(&body.name));
        put_text(&mut value, "shortName", body.short.as_deref());
        let (organization_type, classification) = match body.kind {
            BodyKind::Ausschuss => ("Gremium", "Ausschuss"),
            BodyKind::Rat => ("Gremium", "Rat"),
            BodyKind::Dienstversammlung => ("Gremium", "Dienstversammlung"),
            BodyKind::Fraktion => ("Fraktion", "Fraktion"),
            BodyKind::Verwaltung => ("Verwaltungsbereich", "Verwaltung"),
        };
        put_text(&mut value, "organizationType", Some(organization_type));
        put_text(&mut value, "classification", Some(classification));
        let memberships: Vec<String> = out
            .memberships
            .iter()
            .filter(|(_, m)| {
                m.get("organization").and_then(Value::as_str)
                    == Some(cx.urls.organization(body_id).as_str())
            })
            .filter_map(|(_, m)| m.get("id").and_then(Value::as_str).map(str::to_string))
            .collect();
        put_list(&mut value, "membership", memberships);
        stamp.put(&mut value);
        out.organizations.push((org, value));
    }
    out
}
