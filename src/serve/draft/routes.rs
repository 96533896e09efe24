//! The motion form's routes, behind the login: the session says who drafts ([`User`]) and
//! every POST carries the session's CSRF token ([`SessionCsrf`]); without a session the
//! extractors send to the login, with a wrong or missing token the answer is a German 403 and
//! nothing is saved. The pages themselves are in [`super::page`].

use std::sync::Arc;

use axum::Router;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use serde::Deserialize;

use super::form;
use super::page::{self, Session};
use super::scope::Drafter;
use crate::serve::blocking;
use crate::serve::session::{self, SessionCsrf, User};
use crate::serve::state::AppState;

/// The routes of the motion form, merged into [`crate::serve::router::router`].
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/antrag/neu", get(new_form))
        .route("/antrag/vorschau", form_post(page::preview_form))
        .route("/antrag/vorschau.docx", form_post(page::preview_docx))
        .route("/antrag/speichern", form_post(page::save_form))
        .route("/antrag/gespeichert/{id}", get(saved))
}

fn session_of(user: &User, csrf: &SessionCsrf) -> Session {
    Session {
        csrf: csrf.token().to_string(),
        account: session::account(user, csrf),
    }
}

#[derive(Debug, Default, Deserialize)]
struct Zu {
    #[serde(default)]
    zu: String,
}

async fn new_form(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    query: Result<Query<Zu>, QueryRejection>,
) -> Response {
    let zu = query.map(|Query(q)| q.zu).unwrap_or_default();
    let session = session_of(&user, &csrf);
    blocking::read(move || page::new_form(&app, &user, &zu, &session)).await
}

type Fields = Result<Form<Vec<(String, String)>>, FormRejection>;

/// The posted form, if its CSRF token belongs to the session.
fn checked(csrf: &SessionCsrf, fields: Fields) -> Option<form::Posted> {
    let pairs = fields.map(|Form(f)| f).unwrap_or_default();
    let posted = form::parse(&pairs);
    (!posted.csrf.is_empty() && csrf.matches(&posted.csrf)).then_some(posted)
}

/// A page that answers a posted form: the preview, the preview as DOCX, or saving.
type PostedPage = fn(&AppState, &Drafter, &form::Posted, &Session) -> Response;

/// The POST route of a page of the form: [`answer_if_checked`] with that page.
fn form_post(answer: PostedPage) -> MethodRouter<Arc<AppState>> {
    post(move |app, user, csrf, fields| answer_if_checked(app, user, csrf, fields, answer))
}

/// Hands the session's person and the posted form to `answer`, off the async workers, if the
/// form's CSRF token belongs to the session; else the German 403, and nothing is saved.
async fn answer_if_checked(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    fields: Fields,
    answer: PostedPage,
) -> Response {
    let Some(posted) = checked(&csrf, fields) else {
        return page::csrf_refused();
    };
    let session = session_of(&user, &csrf);
    blocking::read(move || answer(&app, &user, &posted, &session)).await
}

async fn saved(
    State(app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
    Path(id): Path<String>,
) -> Response {
    let session = session_of(&user, &csrf);
    blocking::read(move || page::confirmation(&app, &user, &id, &session)).await
}
