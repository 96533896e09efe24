//! A meeting on the board: `GET /sitzung/<body>/<date>` (date as `2026-12-14`) with its agenda
//! as [`crate::meeting::agenda`] builds it — the same numbers, parts, Nachtrag and
//! Dringlichkeit as the printed Tagesordnung.
//!
//! The agenda is built from the board's snapshot ([`super::board_data`]), which holds every
//! paper's journal. The nichtöffentliche Teil is shown to the office only; others see that it
//! exists, not what is on it. Papers in the public part link to their page.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;

use super::board_data::may_see;
use super::pages;
use super::session::{self, SessionCsrf, User, encode};
use super::state::AppState;
use crate::meeting::agenda::{self, Part};

fn not_found() -> Response {
    pages::error(
        StatusCode::NOT_FOUND,
        "Sitzung nicht gefunden",
        "Diese Sitzung gibt es nicht.",
        Some("Die Sitzungen stehen auf den Seiten der Drucksachen, die dort beraten werden."),
    )
}

/// `GET /sitzung/<body>/<date>`.
pub async fn page(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    Path((body, date)): Path<(String, String)>,
) -> Response {
    super::blocking::read(move || show(&app, &user, &csrf, &body, &date)).await
}

fn show(app: &AppState, user: &User, csrf: &SessionCsrf, body_id: &str, date: &str) -> Response {
    let Ok(date) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
        return not_found();
    };
    let snapshot = app.board();
    let project = &snapshot.project;
    let Some(body) = project.directory.body(body_id) else {
        return not_found();
    };
    let agenda = match agenda::build(project, &snapshot.journals, body_id, date, app.now()) {
        Ok(Some(agenda)) => agenda,
        Ok(None) => return not_found(),
        Err(err) => {
            eprintln!("Fehler: Tagesordnung {body_id} {date}: {err}");
            return pages::internal_error();
        }
    };
    let has_papers = agenda.items.iter().any(|i| i.paper.is_some());
    if !has_papers && !body.meetings.contains(&date) {
        return not_found();
    }
    let visible = |id: &str| {
        snapshot
            .rows
            .iter()
            .find(|r| r.id == id)
            .is_some_and(|r| may_see(user, r.draft, r.nonpublic, r.fraktion.as_deref()))
    };
    let part = |part: Part| -> Vec<minijinja::Value> {
        agenda
            .part(part)
            .filter(|item| item.paper.as_ref().is_none_or(|p| visible(&p.id)))
            .map(|item| {
                let paper = item.paper.as_ref().map(|p| {
                    minijinja::context! {
                        reference => p.reference.clone(),
                        kind => p.kind.clone(),
                        role => p.role.label().to_string(),
                        remarks => p.remarks(),
                        link => format!("/drucksache/{}", encode(&p.id)),
                    }
                });
                minijinja::context! {
                    number => item.number.clone(),
                    title => item.title.clone(),
                    paper,
                }
            })
            .collect()
    };
    let public = part(Part::Public);
    let nonpublic = if user.office {
        Some(part(Part::NonPublic))
    } else {
        None
    };
    pages::render(
        StatusCode::OK,
        "board_meeting.html",
        minijinja::context! {
            title => format!("Sitzung {} am {}", agenda.body_name, date.format("%d.%m.%Y")),
            wide => true,
            account => session::account(user, csrf),
            set => agenda.set,
            public,
            nonpublic,
            has_nonpublic => agenda.part(Part::NonPublic).next().is_some(),
        },
    )
}
