//! The sign page `GET /z/<token>`, its document `GET /z/<token>/dokument`, and the two forms
//! `POST /z/<token>/zeichnen` and `POST /z/<token>/zurueckgeben`.
//!
//! Every write goes through [`crate::record`] exactly like `ratsflow sign`/`return` — the same
//! paper lock, the same refusals (shown on the page in German) — with `via: link` on the entry,
//! so the history says „über Link“. A second click finds the signature already there and says
//! „Bereits gezeichnet am …“; nothing is written twice.
//!
//! CSRF: each form carries a fresh random nonce and `csrf` = HMAC(key, "csrf", token, nonce).
//! A forged cross-site POST would need the token (the capability in the URL, never sent to
//! other sites thanks to `Referrer-Policy: no-referrer`) and a tag only the server can make;
//! a POST without the pair, or with a pair made for another link, is refused with a 403. No
//! cookie is needed, so the forms work in any mail client's browser and without JavaScript.
//!
//! A link for an outdated version writes nothing and says so. The fresh link is the engine's
//! own request for the changed content: its notice key includes the content hash, so the
//! outbox sends it exactly once, however often an old link is opened.

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;

use super::blocking;
use super::diff;
use super::link;
use super::pages;
use super::seen::{self, Seen};
use super::state::AppState;
use super::view::{self, Opened, Standing};
use crate::journal::Event;
use crate::load::Project;
use crate::record::{self, Origin, RecordError};

/// The fields of both forms.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    pub nonce: String,
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub comment: String,
}

/// `GET /z/<token>`.
pub async fn page(State(app): State<Arc<AppState>>, Path(token): Path<String>) -> Response {
    blocking::read(move || show(&app, &token)).await
}

/// `GET /z/<token>/dokument`: the paper's current DOCX, never a path from the request.
pub async fn document(State(app): State<Arc<AppState>>, Path(token): Path<String>) -> Response {
    blocking::read(move || {
        let project = app.project();
        let opened = match view::open(&project, app.key(), &token, app.now()) {
            Ok(opened) => opened,
            Err(response) => return response,
        };
        let Some(job) = crate::documents::jobs_for(opened.paper, false)
            .into_iter()
            .next()
        else {
            return pages::not_found();
        };
        let path = project.folders().out.join(&job.output);
        let Ok(bytes) = std::fs::read(&path) else {
            return pages::error(
                StatusCode::NOT_FOUND,
                "Dokument noch nicht erstellt",
                "Das Dokument dieser Drucksache wird gerade erstellt.",
                Some("Bitte versuchen Sie es in einer Minute noch einmal."),
            );
        };
        let name = job
            .output
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("Drucksache.docx")
            .to_string();
        let ascii: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                        .to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{ascii}\""),
                ),
            ],
            bytes,
        )
            .into_response()
    })
    .await
}

/// `POST /z/<token>/zeichnen`.
pub async fn sign(
    State(app): State<Arc<AppState>>,
    Path(token): Path<String>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    blocking::write(move || act(&app, &token, &form, Action::Sign)).await
}

/// `POST /z/<token>/zurueckgeben`.
pub async fn give_back(
    State(app): State<Arc<AppState>>,
    Path(token): Path<String>,
    form: Result<Form<ActionForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    blocking::write(move || act(&app, &token, &form, Action::Return)).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Sign,
    Return,
}

fn show(app: &AppState, token: &str) -> Response {
    let project = app.project();
    let opened = match view::open(&project, app.key(), token, app.now()) {
        Ok(opened) => opened,
        Err(response) => return response,
    };
    match opened.standing() {
        Standing::Asked => sign_page(app, &project, &opened, StatusCode::OK, None, None, ""),
        other => standing_page(&project, &opened, other),
    }
}

/// The page for every standing but [`Standing::Asked`].
fn standing_page(project: &Project, opened: &Opened<'_>, standing: Standing) -> Response {
    let (title, message, detail) = match standing {
        Standing::Signed(at) => (
            "Bereits gezeichnet",
            format!("Bereits gezeichnet am {at}."),
            Some("Ihre Zeichnung ist eingetragen; Sie müssen nichts weiter tun.".to_string()),
        ),
        Standing::Outdated {
            still_asked,
            returned: false,
        } => (
            "Die Vorlage hat sich geändert",
            "Die Vorlage hat sich geändert, seit Ihnen dieser Link geschickt wurde; mit diesem Link kann nicht mehr gezeichnet werden.".to_string(),
            Some(if still_asked {
                "Sie erhalten einen neuen Link zur geänderten Fassung per E-Mail.".to_string()
            } else {
                "Ihre Zeichnung wird für diese Stufe derzeit nicht benötigt.".to_string()
            }),
        ),
        Standing::Outdated {
            still_asked,
            returned: true,
        } => (
            "Dieser Link ist veraltet",
            "Die Vorlage wurde zurückgegeben und erneut vorgelegt, seit Ihnen dieser Link geschickt wurde; mit diesem Link kann nicht mehr gezeichnet werden.".to_string(),
            Some(if still_asked {
                "Sie erhalten einen neuen Link zur erneut vorgelegten Fassung per E-Mail.".to_string()
            } else {
                "Ihre Zeichnung wird für diese Stufe derzeit nicht benötigt.".to_string()
            }),
        ),
        Standing::GivenBack { at, still_asked } => (
            "Bereits zurückgegeben",
            format!("Bereits zurückgegeben am {at}."),
            Some(if still_asked {
                "Die Vorlage liegt Ihnen erneut vor; Sie erhalten dazu einen neuen Link per E-Mail.".to_string()
            } else {
                "Die Sachbearbeitung erhält Ihre Begründung per E-Mail; Sie müssen nichts weiter tun.".to_string()
            }),
        ),
        Standing::NotAsked | Standing::Asked => (
            "Keine Zeichnung nötig",
            "Ihre Zeichnung wird für diese Stufe nicht mehr benötigt.".to_string(),
            Some("Die Drucksache ist inzwischen weiter oder abgeschlossen.".to_string()),
        ),
    };
    pages::render(
        StatusCode::OK,
        "message.html",
        minijinja::context! {
            title,
            message,
            detail,
            facts => view::facts(project, opened),
            org => org_name(project, opened),
        },
    )
}

fn org_name(project: &Project, opened: &Opened<'_>) -> String {
    let id = project.organisation_of(opened.paper);
    project
        .directory
        .organisations
        .get(id)
        .map_or_else(|| id.to_string(), |o| o.name.clone())
}

/// A fresh nonce and its CSRF tag for `token`.
fn csrf_pair(key: &[u8], token: &str) -> Option<(String, String)> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let tag = link::tag(key, "csrf", &[token, &nonce])?;
    Some((nonce, tag))
}

#[allow(clippy::too_many_arguments)]
fn sign_page(
    app: &AppState,
    project: &Project,
    opened: &Opened<'_>,
    status: StatusCode,
    notice: Option<String>,
    comment_error: Option<&str>,
    comment: &str,
) -> Response {
    let Some((nonce, csrf)) = csrf_pair(app.key(), &opened.token) else {
        return pages::internal_error();
    };
    let folders = project.folders();
    let person = &opened.claims.person;
    let blocks = view::blocks(project, opened.paper);
    let before = seen::read(folders, &opened.paper.id, person);
    let changes = before.as_ref().map(|b| diff::changes(&b.blocks, &blocks));
    let now_local = app
        .now()
        .with_timezone(&project.settings.time_zone)
        .format("%d.%m.%Y um %H:%M Uhr")
        .to_string();
    // Only a plain visit moves "last seen"; a page shown again after a form keeps the diff.
    // Seeing the same text again changes nothing worth a write (every visit would otherwise
    // cost a file write under load).
    let unchanged = before.as_ref().is_some_and(|b| b.blocks == blocks);
    if notice.is_none() && comment_error.is_none() && !unchanged {
        let seen = Seen {
            at: now_local,
            blocks: blocks.clone(),
        };
        if let Err(err) = seen::write(folders, &opened.paper.id, person, &seen) {
            eprintln!("Warnung: „zuletzt gesehen“ nicht gespeichert: {err}");
        }
    }
    let stage_state = &opened.state.stages[opened.stage_index];
    let signing = if stage_state.signers.len() > 1 {
        "Mitzeichnung"
    } else {
        "Zeichnung"
    };
    let notice = notice.or_else(|| {
        opened.returned().map(|r| {
            format!(
                "Sie haben diese Fassung am {} zurückgegeben.",
                view::when(r)
            )
        })
    });
    let document = crate::documents::jobs_for(opened.paper, false)
        .first()
        .map(|job| project.folders().out.join(&job.output))
        .filter(|path| path.exists())
        .map(|_| format!("/z/{}/dokument", opened.token));
    // The texts rendered (Markdown as the document reads it, every piece of text escaped);
    // the word diff above stays on the words as written, so a change of emphasis or a list
    // marker shows as a change too.
    let text: Vec<minijinja::Value> = view::shown(project, opened.paper)
        .into_iter()
        .map(|(label, html)| {
            minijinja::context! {
                label,
                html => minijinja::Value::from_safe_string(html),
            }
        })
        .collect();
    pages::render(
        status,
        "sign.html",
        minijinja::context! {
            title => format!("{} {}", opened.paper.kind.name, opened.paper.reference()),
            person => project.directory.person_name(person),
            signing,
            facts => view::facts(project, opened),
            org => org_name(project, opened),
            document,
            changes => changes.map(|c| minijinja::Value::from_serialize(&c)),
            seen_at => before.map(|b| b.at),
            text,
            nonce,
            csrf,
            notice,
            comment_error,
            comment,
            sign_action => format!("/z/{}/zeichnen", opened.token),
            return_action => format!("/z/{}/zurueckgeben", opened.token),
        },
    )
}

fn act(app: &AppState, token: &str, form: &ActionForm, action: Action) -> Response {
    let project = app.project();
    let now = app.now();
    let opened = match view::open(&project, app.key(), token, now) {
        Ok(opened) => opened,
        Err(response) => return response,
    };
    if form.nonce.is_empty()
        || !link::tag_matches(app.key(), "csrf", &[token, &form.nonce], &form.csrf)
    {
        return pages::forbidden(
            "Das Formular ist ungültig oder unvollständig übermittelt worden; es wurde nichts eingetragen. Bitte öffnen Sie den Link aus Ihrer E-Mail erneut.",
        );
    }
    match opened.standing() {
        Standing::Asked => {}
        Standing::Signed(at) if action == Action::Sign => {
            return standing_page(&project, &opened, Standing::Signed(at));
        }
        other => return standing_page(&project, &opened, other),
    }
    let person = opened.claims.person.clone();
    let origin = Origin {
        via: Some("link".to_string()),
        on_behalf_of: None,
    };
    let result = match action {
        Action::Sign => record::sign_from(&project, opened.paper, &person, None, now, &origin),
        Action::Return => {
            let comment = form.comment.trim();
            if comment.is_empty() {
                return sign_page(
                    app,
                    &project,
                    &opened,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    Some(
                        "Bitte geben Sie eine Begründung für die Rückgabe an; ohne Begründung wird nichts zurückgegeben.",
                    ),
                    "",
                );
            }
            if let Some(returned) = opened.returned() {
                let at = view::when(returned);
                return pages::render(
                    StatusCode::OK,
                    "message.html",
                    minijinja::context! {
                        title => "Bereits zurückgegeben",
                        message => format!("Bereits zurückgegeben am {at}."),
                        facts => view::facts(&project, &opened),
                        org => org_name(&project, &opened),
                    },
                );
            }
            record::give_back_from(&project, opened.paper, &person, comment, now, &origin)
        }
    };
    match result {
        Ok(recorded) => {
            let at = view::when(&recorded.entry);
            let (title, message, detail) = match action {
                Action::Sign => (
                    "Gezeichnet",
                    format!("Vielen Dank. Ihre Zeichnung ist am {at} eingetragen."),
                    "Die Drucksache geht ihren Weg weiter; Sie müssen nichts weiter tun.",
                ),
                Action::Return => (
                    "Zurückgegeben",
                    format!("Sie haben die Drucksache am {at} zurückgegeben."),
                    "Die Sachbearbeitung erhält Ihre Begründung per E-Mail.",
                ),
            };
            pages::render(
                StatusCode::OK,
                "message.html",
                minijinja::context! {
                    title, message, detail,
                    tone => "erfolg",
                    facts => view::facts(&project, &opened),
                    org => org_name(&project, &opened),
                },
            )
        }
        Err(RecordError::Refused(refusal)) => {
            // Someone was faster (a second click, the CLI): show what stands now.
            if let Ok(again) = view::open(&project, app.key(), token, app.now())
                && let Some(signed) = again.last(Event::Signed)
                && action == Action::Sign
            {
                let at = view::when(signed);
                return standing_page(&project, &again, Standing::Signed(at));
            }
            sign_page(
                app,
                &project,
                &opened,
                StatusCode::CONFLICT,
                Some(format!("Nicht eingetragen: {refusal}")),
                None,
                &form.comment,
            )
        }
        Err(RecordError::Busy(_)) => pages::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Bitte gleich noch einmal",
            "Die Drucksache wird gerade bearbeitet; es wurde nichts eingetragen.",
            Some("Bitte senden Sie das Formular in einigen Sekunden noch einmal ab."),
        ),
        Err(RecordError::Io(message)) => {
            eprintln!("Fehler: {message}");
            pages::internal_error()
        }
    }
}
