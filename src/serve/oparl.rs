//! `/oparl/…`: the OParl 1.1 objects of [`crate::oparl`], served live by `ratsflow serve` —
//! the same objects, ids and pages the static export (`ratsflow oparl`) writes, plus the list
//! filters the specification requires (`created_since`, `created_until`, `modified_since`,
//! `modified_until`, `omit_internal`).
//!
//! The objects are built from the board's snapshot (project and journals of one moment, see
//! [`super::board_data`]) and kept until the next snapshot: a client paging through a list
//! sees one consistent state, and 10,000 papers are not rebuilt per request. Only what is
//! public leaves the project, exactly as in the export ([`crate::oparl::public`]); nothing here
//! needs a login, as OParl is for the public.
//!
//! Ids: `oparl.base_url` when set (the address the council publishes under), else
//! `serve.public_url` + `oparl/`. Without either the route says in German how to set it up.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use super::board_data::Snapshot;
use super::state::AppState;
use crate::oparl::lists::{self, Filter};
use crate::oparl::urls::{LISTS, Urls};
use crate::oparl::{export, input};

/// The objects of one snapshot.
pub struct Built {
    snapshot: Arc<Snapshot>,
    urls: Urls,
    /// Every document of the tree by relative path (objects and list pages).
    documents: BTreeMap<String, Value>,
    /// Every list's objects, by the relative path of its first page.
    lists: HashMap<String, Vec<Value>>,
    /// Documents' files, by relative path.
    copies: BTreeMap<String, PathBuf>,
}

/// The objects of the last snapshot.
#[derive(Default)]
pub struct OparlCache {
    held: Mutex<Option<Arc<Built>>>,
}

impl OparlCache {
    fn current(&self, snapshot: Arc<Snapshot>, base: &str) -> Result<Arc<Built>, String> {
        let mut held = self
            .held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(built) = held.as_ref()
            && Arc::ptr_eq(&built.snapshot, &snapshot)
            && built.urls.url("") == base
        {
            return Ok(Arc::clone(built));
        }
        let built = Arc::new(build(snapshot, base)?);
        *held = Some(Arc::clone(&built));
        Ok(built)
    }
}

fn build(snapshot: Arc<Snapshot>, base: &str) -> Result<Built, String> {
    let project = &snapshot.project;
    let input =
        input::gather(project, &snapshot.journals, snapshot.built).map_err(|e| e.to_string())?;
    let export = export::build(&input, base);
    let documents = export::documents(&export, lists::PER_PAGE);
    let mut by_page = HashMap::new();
    for ((org, list), objects) in &export.lists {
        if let Some(rel) = export.urls.rel(&export.urls.list(org, list, 1)) {
            by_page.insert(rel.to_string(), objects.clone());
        }
    }
    // Lists without objects are pages too; they filter to nothing.
    for (org, _) in &export.bodies {
        for list in LISTS {
            if let Some(rel) = export.urls.rel(&export.urls.list(org, list, 1)) {
                by_page.entry(rel.to_string()).or_insert_with(Vec::new);
            }
        }
    }
    Ok(Built {
        urls: Urls::new(base),
        documents,
        lists: by_page,
        copies: export.copies,
        snapshot: Arc::clone(&snapshot),
    })
}

/// The base URL of the ids, if the service knows one.
fn base_url(state: &AppState) -> Option<String> {
    let project = state.project();
    if let Some(oparl) = &project.settings.oparl {
        return Some(oparl.base_url.clone());
    }
    let public = project.settings.serve.public_url.as_deref()?;
    Some(format!("{}/oparl/", public.trim_end_matches('/')))
}

/// `GET /oparl/{*path}`.
pub async fn object(
    State(state): State<Arc<AppState>>,
    Path(path): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(base) = base_url(&state) else {
        return problem(
            StatusCode::NOT_FOUND,
            "OParl ist nicht eingerichtet: in ratsflow.yaml fehlt oparl.base_url (oder serve.public_url).",
        );
    };
    let filter = match parse_filter(&query) {
        Ok(filter) => filter,
        Err(message) => return problem(StatusCode::BAD_REQUEST, &message),
    };
    let state = Arc::clone(&state);
    let built = match tokio::task::spawn_blocking(move || {
        let snapshot = state.board();
        state.oparl().current(snapshot, &base)
    })
    .await
    {
        Ok(Ok(built)) => built,
        Ok(Err(message)) => {
            eprintln!("Fehler: OParl: {message}");
            return problem(StatusCode::INTERNAL_SERVER_ERROR, "interner Fehler");
        }
        Err(_) => return problem(StatusCode::INTERNAL_SERVER_ERROR, "interner Fehler"),
    };
    if let Some(file) = built.copies.get(&path) {
        let file = file.clone();
        let read = tokio::task::spawn_blocking(move || std::fs::read(file)).await;
        return match read.unwrap_or_else(|e| Err(std::io::Error::other(e))) {
            Ok(bytes) => ([(header::CONTENT_TYPE, mime_of(&path))], bytes).into_response(),
            Err(_) => problem(StatusCode::NOT_FOUND, "Datei nicht gefunden"),
        };
    }
    if filter != Filter::default()
        && let Some(objects) = built.lists.get(&path)
    {
        let chosen = lists::filter(objects, &filter);
        let url = built.urls.url(&path);
        let page = lists::pages(&chosen, chosen.len().max(1), |_| with_query(&url, &query))
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        return json_response(&page);
    }
    match built.documents.get(&path) {
        Some(document) => json_response(document),
        None => problem(StatusCode::NOT_FOUND, "Objekt nicht gefunden"),
    }
}

fn with_query(url: &str, query: &HashMap<String, String>) -> String {
    let mut pairs: Vec<_> = query.iter().collect();
    pairs.sort();
    let text: Vec<String> = pairs
        .into_iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{url}?{}", text.join("&"))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The filters of a list request; a malformed date is refused, not ignored.
pub fn parse_filter(query: &HashMap<String, String>) -> Result<Filter, String> {
    let time = |key: &str| -> Result<Option<DateTime<FixedOffset>>, String> {
        query
            .get(key)
            .map(|text| {
                DateTime::parse_from_rfc3339(text).map_err(|_| {
                    format!("{key} ist kein Zeitpunkt nach RFC 3339 (z. B. 2026-11-01T00:00:00+01:00): „{text}“")
                })
            })
            .transpose()
    };
    let omit_internal = match query.get("omit_internal").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(format!(
                "omit_internal ist true oder false, nicht „{other}“"
            ));
        }
    };
    Ok(Filter {
        created_since: time("created_since")?,
        created_until: time("created_until")?,
        modified_since: time("modified_since")?,
        modified_until: time("modified_until")?,
        omit_internal,
    })
}

fn json_response(value: &Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        value.to_string(),
    )
        .into_response()
}

fn problem(status: StatusCode, message: &str) -> Response {
    let body = json!({ "type": "Fehler", "message": message });
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn mime_of(path: &str) -> &'static str {
    if path.ends_with(".pdf") {
        "application/pdf"
    } else if path.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else {
        "application/octet-stream"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_and_bad_ones_refused_in_german() {
        let mut query = HashMap::new();
        query.insert("modified_since".into(), "2021-03-01T00:00:00+01:00".into());
        query.insert("omit_internal".into(), "true".into());
        let filter = parse_filter(&query).unwrap();
        assert!(filter.omit_internal && filter.modified_since.is_some());
        query.insert("created_until".into(), "gestern".into());
        assert_eq!(
            parse_filter(&query).unwrap_err(),
            "created_until ist kein Zeitpunkt nach RFC 3339 (z. B. 2026-11-01T00:00:00+01:00): „gestern“"
        );
    }
}
