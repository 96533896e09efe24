//! A paper on the board: `GET /drucksache/<id>` with its key facts, consultations (stages,
//! meetings, decisions), motions, documents and history (the journal as `ratsflow status
//! PAPER` shows it, „über Link“ included), and `GET /drucksache/<id>/dokument/<name>` to
//! download one of its documents.
//!
//! The journal is read at the request, so the page is current. A paper the person may not see
//! ([`super::board_data::may_see_paper`]) answers exactly like one that does not exist.
//! Documents: only the files the project renders for this paper (its DOCX, the
//! Beschlussentwurf and Beschlussauszüge, and a PDF next to any of them) that exist under
//! `out/`; the request names one of them by its file name, which is looked up in that list —
//! a path from the request is never opened.

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::board_data::may_see_paper;
use super::pages;
use super::session::{self, SessionCsrf, User, encode};
use super::state::AppState;
use crate::engine::{PaperState, StageStatus};
use crate::load::Project;
use crate::model::{Paper, StageKind};
use crate::pass::Journals;

/// A paper's journals (its own and its base paper's) read now, and its state.
fn open(
    project: &Project,
    paper: &Paper,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<(Journals, PaperState)> {
    let mut journals = Journals::default();
    let ids: Vec<String> = std::iter::once(paper.id.clone())
        .chain(
            paper
                .amends
                .clone()
                .filter(|b| project.papers.contains_key(b)),
        )
        .collect();
    journals.load(project.folders(), &ids).ok()?;
    let state = crate::pass::state_of(project, &journals, paper, now).ok()??;
    Some((journals, state))
}

/// Whether `user` may see `paper` in `state` (the motion it answers read too).
fn visible(
    user: &User,
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    let answered = paper
        .answers
        .as_deref()
        .and_then(|a| project.papers.get(a))
        .and_then(|motion| open(project, motion, now))
        .map(|(_, state)| state);
    may_see_paper(user, project, paper, state, answered.as_ref())
}

fn not_found() -> Response {
    pages::error(
        StatusCode::NOT_FOUND,
        "Drucksache nicht gefunden",
        "Diese Drucksache gibt es nicht, oder sie ist für Sie nicht sichtbar.",
        Some("Zurück zur Übersicht: /uebersicht"),
    )
}

/// The documents of a paper that exist: (file name shown and asked for, path, MIME type).
pub fn documents(
    project: &Project,
    paper: &Paper,
    journals: &Journals,
) -> Vec<(String, PathBuf, &'static str)> {
    let journal = journals
        .get(&paper.id)
        .map(|j| j.entries.as_slice())
        .unwrap_or_default();
    let out = &project.folders().out;
    let mut jobs = crate::documents::jobs_for(paper, true);
    jobs.extend(crate::documents::beschluss::jobs_for(
        project, paper, journal,
    ));
    let mut found = Vec::new();
    for job in jobs {
        let docx = out.join(&job.output);
        for (path, mime) in [
            (docx.clone(), crate::mail::message::DOCX_CONTENT_TYPE),
            (docx.with_extension("pdf"), "application/pdf"),
        ] {
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if path.is_file() && !found.iter().any(|(n, _, _)| *n == name) {
                found.push((name, path, mime));
            }
        }
    }
    found
}

/// `GET /drucksache/<id>`.
pub async fn page(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    Path(id): Path<String>,
) -> Response {
    super::blocking::read(move || show(&app, &user, &csrf, &id)).await
}

/// `GET /drucksache/<id>/dokument/<name>`.
pub async fn document(
    State(app): State<Arc<AppState>>,
    user: User,
    Path((id, name)): Path<(String, String)>,
) -> Response {
    super::blocking::read(move || {
        let project = app.project();
        let Some(paper) = project.papers.get(&id) else {
            return not_found();
        };
        let Some((journals, state)) = open(&project, paper, app.now()) else {
            return not_found();
        };
        if !visible(&user, &project, paper, &state, app.now()) {
            return not_found();
        }
        let Some((file, path, mime)) = documents(&project, paper, &journals)
            .into_iter()
            .find(|(n, _, _)| *n == name)
        else {
            return pages::error(
                StatusCode::NOT_FOUND,
                "Dokument nicht gefunden",
                "Dieses Dokument gibt es zu dieser Drucksache nicht.",
                None,
            );
        };
        let Ok(bytes) = std::fs::read(&path) else {
            return pages::error(
                StatusCode::NOT_FOUND,
                "Dokument nicht gefunden",
                "Das Dokument wird gerade neu erstellt.",
                Some("Bitte versuchen Sie es in einer Minute noch einmal."),
            );
        };
        (
            [
                (header::CONTENT_TYPE, mime.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            bytes,
        )
            .into_response()
    })
    .await
}

fn date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn show(app: &AppState, user: &User, csrf: &SessionCsrf, id: &str) -> Response {
    let project = app.project();
    let now = app.now();
    let Some(paper) = project.papers.get(id) else {
        return not_found();
    };
    let Some(workflow) = project.workflow_of(paper) else {
        return not_found();
    };
    let Some((journals, state)) = open(&project, paper, now) else {
        return not_found();
    };
    if !visible(user, &project, paper, &state, now) {
        return not_found();
    }
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    let (stage, waiting) = crate::commands::position_text(&project, paper, &state, today);
    let body_name = |id: &str| {
        project
            .directory
            .body(id)
            .map_or(id.to_string(), |b| b.name.clone())
    };
    let stages: Vec<minijinja::Value> = workflow
        .stages
        .iter()
        .zip(&state.stages)
        .map(|(stage, s)| {
            let status = match s.status {
                StageStatus::Done => s
                    .decisions
                    .last()
                    .map_or("erledigt".to_string(), |d| d.result.label().to_string()),
                StageStatus::Current => "läuft".to_string(),
                StageStatus::Pending => "offen".to_string(),
                StageStatus::Skipped => "entfällt".to_string(),
            };
            let role = match &stage.kind {
                StageKind::Consult { role, .. } => Some(role.label().to_string()),
                StageKind::Sign(_) => None,
            };
            let meeting = s.meeting.zip(s.body.as_deref()).map(|(m, b)| {
                minijinja::context! {
                    date => date(m.date),
                    link => format!("/sitzung/{}/{}", encode(b), m.date.format("%Y-%m-%d")),
                }
            });
            minijinja::context! {
                title => stage.title.clone(),
                role,
                body => s.body.as_deref().map(body_name),
                status,
                meeting,
                due => s.due.map(date),
                overdue => s.overdue,
            }
        })
        .collect();
    let history: Vec<Vec<String>> = journals
        .get(&paper.id)
        .map(|j| {
            j.entries
                .iter()
                .map(|e| crate::commands::history_row(&project, paper, &workflow, &state, e))
                .collect()
        })
        .unwrap_or_default();
    // Motions against this paper that the person may see, with where they stand.
    let motions: Vec<minijinja::Value> = project
        .motions_of(&paper.id)
        .filter_map(|m| {
            let (_, motion_state) = open(&project, m, now)?;
            if !visible(user, &project, m, &motion_state, now) {
                return None;
            }
            let (stage, _) = crate::commands::position_text(&project, m, &motion_state, today);
            Some(minijinja::context! {
                reference => m.reference().to_string(),
                kind => m.kind.name.clone(),
                title => m.title.clone(),
                stage,
                link => format!("/drucksache/{}", encode(&m.id)),
            })
        })
        .collect();
    let base_journal = paper
        .amends
        .as_deref()
        .and_then(|b| journals.get(b))
        .or_else(|| journals.get(&paper.id))
        .map(|j| j.entries.as_slice())
        .unwrap_or_default();
    let results = crate::commands::motion_lines(&project, paper, base_journal);
    let documents: Vec<minijinja::Value> = documents(&project, paper, &journals)
        .into_iter()
        .map(|(name, _, mime)| {
            minijinja::context! {
                link => format!("/drucksache/{}/dokument/{}", encode(&paper.id), encode(&name)),
                kind => if mime == "application/pdf" { "PDF" } else { "DOCX" },
                name,
            }
        })
        .collect();
    let amends = paper
        .amends
        .as_deref()
        .and_then(|b| project.papers.get(b))
        .map(|b| {
            minijinja::context! {
                reference => b.reference().to_string(),
                link => format!("/drucksache/{}", encode(&b.id)),
            }
        });
    let (deadline, overdue) = match state.next_deadline() {
        Some((d, overdue)) => (Some(date(d)), overdue),
        None => (None, false),
    };
    pages::render(
        StatusCode::OK,
        "board_paper.html",
        minijinja::context! {
            title => format!("{} {}", paper.kind.name, paper.reference()),
            wide => true,
            account => session::account(user, csrf),
            paper_title => paper.title.clone(),
            kind => paper.kind.name.clone(),
            reference => paper.reference().to_string(),
            stage,
            waiting,
            deadline,
            overdue,
            fraktion => paper.by.as_deref().map(body_name),
            body => paper.body.as_deref().map(body_name),
            amends,
            stages,
            motions,
            results,
            documents,
            history,
        },
    )
}
