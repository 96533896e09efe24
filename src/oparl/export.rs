//! Puts the objects together: one Body per organisation of the directory with its lists, the
//! System above them, and the files the tree needs. Pure: from an [`Input`] to an [`Export`],
//! and from an [`Export`] to the JSON documents of the static tree.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::DateTime;
use serde_json::{Map, Value};

use super::context::{Context, Stamp};
use super::input::Input;
use super::lists;
use super::urls::{LISTS, Urls};

/// The export: the System, the Bodies and each Body's lists.
pub struct Export {
    pub urls: Urls,
    pub system: Value,
    /// Each organisation's Body object, by organisation id.
    pub bodies: Vec<(String, Value)>,
    /// The objects of each list, by organisation id and list name ([`LISTS`]), sorted by id.
    pub lists: BTreeMap<(String, &'static str), Vec<Value>>,
    /// Documents to copy into the tree: relative path, source file.
    pub copies: BTreeMap<String, PathBuf>,
}

/// Builds every object of the export.
pub fn build(input: &Input<'_>, base_url: &str) -> Export {
    let cx = Context::new(input, base_url);
    let meetings = super::meetings::build(&cx);
    let papers = super::papers::build(&cx, &meetings.item_of);
    let directory = super::directory::build(&cx);
    let mut lists: BTreeMap<(String, &'static str), Vec<Value>> = BTreeMap::new();
    let mut put = |list: &'static str, objects: Vec<(String, Map<String, Value>)>| {
        for (org, object) in objects {
            lists
                .entry((org, list))
                .or_default()
                .push(Value::Object(object));
        }
    };
    put("organization", directory.organizations);
    put("person", directory.people);
    put("membership", directory.memberships);
    put("legislativeTermList", directory.legislative_terms);
    put("meeting", meetings.meetings);
    put("agendaItem", meetings.items);
    put("paper", papers.papers);
    put("consultation", papers.consultations);
    let mut copies = BTreeMap::new();
    let mut files = Vec::new();
    for (org, file) in meetings.files.into_iter().chain(papers.files) {
        copies.extend(file.copies);
        files.push((org, file.value));
    }
    put("file", files);
    for objects in lists.values_mut() {
        objects.sort_by(|a, b| id(a).cmp(id(b)));
        objects.dedup_by(|a, b| id(a) == id(b));
    }
    let mut orgs: BTreeSet<String> = input
        .project
        .directory
        .organisations
        .keys()
        .cloned()
        .collect();
    orgs.extend(lists.keys().map(|(org, _)| org.clone()));
    let mut all = cx.directory_stamp();
    let mut bodies = Vec::new();
    for org in &orgs {
        let mut stamp = cx.directory_stamp();
        for list in LISTS {
            for object in lists.get(&(org.clone(), list)).into_iter().flatten() {
                if let Some(span) = stamp_of(object) {
                    stamp = stamp.merge(span);
                }
            }
        }
        all = all.merge(stamp);
        bodies.push((
            org.clone(),
            Value::Object(super::directory::body(&cx, org, stamp)),
        ));
    }
    let system = Value::Object(super::directory::system(&cx, all));
    Export {
        urls: cx.urls,
        system,
        bodies,
        lists,
        copies,
    }
}

/// The JSON documents of the static tree: relative path and content. Every object is also
/// written on its own at the path of its id, embedded ones included.
pub fn documents(export: &Export, per_page: usize) -> BTreeMap<String, Value> {
    let urls = &export.urls;
    let mut out = BTreeMap::new();
    let bodies: Vec<Value> = export.bodies.iter().map(|(_, b)| b.clone()).collect();
    for (n, page) in lists::pages(&bodies, per_page, |n| urls.bodies(n))
        .into_iter()
        .enumerate()
    {
        add_page(&mut out, urls, &urls.bodies(n + 1), page);
    }
    let mut objects: Vec<&Value> = vec![&export.system];
    objects.extend(&bodies);
    let empty = Vec::new();
    for (org, _) in &export.bodies {
        for list in LISTS {
            let items = export.lists.get(&(org.clone(), list)).unwrap_or(&empty);
            let url = |n: usize| urls.list(org, list, n);
            for (n, page) in lists::pages(items, per_page, url).into_iter().enumerate() {
                add_page(&mut out, urls, &url(n + 1), page);
            }
            objects.extend(items);
        }
    }
    for object in objects {
        add_objects(&mut out, urls, object);
    }
    out
}

fn add_page(out: &mut BTreeMap<String, Value>, urls: &Urls, url: &str, page: Value) {
    if let Some(rel) = urls.rel(url) {
        out.insert(rel.to_string(), page);
    }
}

/// Writes `object` and every OParl object embedded in it at the paths of their ids.
fn add_objects(out: &mut BTreeMap<String, Value>, urls: &Urls, object: &Value) {
    match object {
        Value::Object(map) => {
            for value in map.values() {
                add_objects(out, urls, value);
            }
            let oparl = map
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("https://schema.oparl.org/"));
            if oparl
                && let Some(rel) = map
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| urls.rel(id))
            {
                out.entry(rel.to_string()).or_insert_with(|| object.clone());
            }
        }
        Value::Array(items) => {
            for item in items {
                add_objects(out, urls, item);
            }
        }
        _ => {}
    }
}

fn id(object: &Value) -> &str {
    object.get("id").and_then(Value::as_str).unwrap_or_default()
}

/// The `created`/`modified` of an object.
fn stamp_of(object: &Value) -> Option<Stamp> {
    let time = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    };
    Some(Stamp {
        created: time("created")?,
        modified: time("modified")?,
    })
}
