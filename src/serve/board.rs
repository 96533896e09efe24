//! The office's board `GET /uebersicht` (login required): every paper the person may see
//! ([`super::board_data::may_see`]) with stage, whom it waits for and the next deadline, as
//! `ratsflow status` shows them; overdue deadlines say „überfällig“ in words, not by colour
//! alone. Filters by body, Fraktion, kind and state are a plain GET form (works without
//! JavaScript, the URL can be bookmarked); sorted by number or by deadline; [`PAGE_SIZE`] rows a
//! page. The rows come from the snapshot of [`super::board_data`], so a page costs a filter and
//! a sort, not 10,000 replays.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::board_data::{Row, may_see};
use super::pages;
use super::session::{self, SessionCsrf, User, encode};
use super::state::AppState;
use crate::model::BodyKind;

/// Rows per page.
pub const PAGE_SIZE: usize = 100;

/// The filter form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub gremium: String,
    #[serde(default)]
    pub fraktion: String,
    #[serde(default)]
    pub art: String,
    #[serde(default)]
    pub stand: String,
    #[serde(default)]
    pub sortierung: String,
    #[serde(default)]
    pub seite: Option<usize>,
}

impl Filter {
    fn keeps(&self, row: &Row) -> bool {
        (self.gremium.is_empty() || row.bodies.contains(&self.gremium))
            && (self.fraktion.is_empty() || row.fraktion.as_deref() == Some(&self.fraktion))
            && (self.art.is_empty() || row.kind == self.art)
            && match self.stand.as_str() {
                "offen" => !row.finished,
                "ueberfaellig" => row.overdue,
                "abgeschlossen" => row.finished,
                _ => true,
            }
    }

    /// The query of this filter for another page.
    fn query(&self, page: usize) -> String {
        let mut parts = Vec::new();
        for (name, value) in [
            ("gremium", &self.gremium),
            ("fraktion", &self.fraktion),
            ("art", &self.art),
            ("stand", &self.stand),
            ("sortierung", &self.sortierung),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", encode(value)));
            }
        }
        parts.push(format!("seite={page}"));
        format!("/uebersicht?{}", parts.join("&"))
    }
}

fn option(value: &str, label: &str, selected: &str) -> minijinja::Value {
    minijinja::context! { value, label, selected => value == selected }
}

/// `GET /uebersicht`.
pub async fn overview(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    query: Result<Query<Filter>, QueryRejection>,
) -> Response {
    let filter = query.map(|Query(f)| f).unwrap_or_default();
    super::blocking::read(move || page(&app, &user, &csrf, &filter)).await
}

fn page(app: &AppState, user: &User, csrf: &SessionCsrf, filter: &Filter) -> Response {
    let snapshot = app.board();
    let project = &snapshot.project;
    let visible: Vec<&Row> = snapshot
        .rows
        .iter()
        .filter(|r| may_see(user, r.draft, r.nonpublic, r.fraktion.as_deref()))
        .collect();
    // The choices: what occurs among the visible papers.
    let mut bodies: Vec<(&str, &str)> = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for row in &visible {
        for id in &row.bodies {
            if let Some(body) = project.directory.body(id)
                && body.kind != BodyKind::Fraktion
                && !bodies.iter().any(|(b, _)| *b == id.as_str())
            {
                bodies.push((id.as_str(), body.name.as_str()));
            }
        }
        if !kinds.contains(&row.kind.as_str()) {
            kinds.push(row.kind.as_str());
        }
    }
    bodies.sort_by(|a, b| a.1.cmp(b.1));
    kinds.sort_unstable();
    let fraktionen: Vec<minijinja::Value> = project
        .directory
        .bodies
        .values()
        .filter(|b| b.kind == BodyKind::Fraktion)
        .map(|b| option(&b.id, &b.name, &filter.fraktion))
        .collect();
    let mut rows: Vec<&Row> = visible
        .iter()
        .copied()
        .filter(|r| filter.keeps(r))
        .collect();
    let by_deadline = filter.sortierung == "frist";
    if by_deadline {
        // Papers without a deadline last; among equal deadlines, by number.
        rows.sort_by(|a, b| {
            (a.deadline.is_none(), a.deadline, &a.reference).cmp(&(
                b.deadline.is_none(),
                b.deadline,
                &b.reference,
            ))
        });
    }
    let total = rows.len();
    let pages_count = total.div_ceil(PAGE_SIZE).max(1);
    let current = filter.seite.unwrap_or(1).clamp(1, pages_count);
    let shown: Vec<minijinja::Value> = rows
        .iter()
        .skip((current - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|r| {
            minijinja::context! {
                id => r.id.clone(),
                reference => r.reference.clone(),
                title => r.title.clone(),
                kind => r.kind.clone(),
                stage => r.stage.clone(),
                waiting => r.waiting.clone(),
                deadline => r.deadline.map(|d| d.format("%d.%m.%Y").to_string()),
                overdue => r.overdue,
                draft => r.draft,
                nonpublic => r.nonpublic,
                link => format!("/drucksache/{}", encode(&r.id)),
            }
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    pages::render(
        StatusCode::OK,
        "board.html",
        minijinja::context! {
            title => "Übersicht der Drucksachen",
            wide => true,
            account => session::account(user, csrf),
            rows => shown,
            total,
            overdue,
            bodies => bodies.iter().map(|(id, name)| option(id, name, &filter.gremium)).collect::<Vec<_>>(),
            fraktionen,
            kinds => kinds.iter().map(|k| option(k, k, &filter.art)).collect::<Vec<_>>(),
            states => [
                option("", "alle", &filter.stand),
                option("offen", "in Arbeit", &filter.stand),
                option("ueberfaellig", "überfällig", &filter.stand),
                option("abgeschlossen", "abgeschlossen", &filter.stand),
            ],
            sorts => [
                option("", "nach Nummer", &filter.sortierung),
                option("frist", "nach nächster Frist", &filter.sortierung),
            ],
            page => current,
            pages => pages_count,
            previous => (current > 1).then(|| filter.query(current - 1)),
            next => (current < pages_count).then(|| filter.query(current + 1)),
            as_of => snapshot.built.with_timezone(&project.settings.time_zone).format("%d.%m.%Y, %H:%M Uhr").to_string(),
        },
    )
}
