//! `POST /abmelden`: ends the session, guarded by the session's own CSRF token so no other
//! site can log a person out.

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::http::header;
use axum::response::Response;

use super::CsrfForm;
use crate::serve::pages;
use crate::serve::session::{self, SessionCsrf};
use crate::serve::state::AppState;

/// `POST /abmelden`.
pub async fn logout(
    State(app): State<Arc<AppState>>,
    csrf: SessionCsrf,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    if !csrf.matches(&form.csrf) {
        return pages::error(
            StatusCode::FORBIDDEN,
            "Zugriff nicht möglich",
            "Das Formular ist ungültig übermittelt worden; Sie sind weiterhin angemeldet.",
            Some("Bitte laden Sie die Seite neu und melden Sie sich dann ab."),
        );
    }
    let ended = tokio::task::spawn_blocking(move || app.access().end(csrf.session())).await;
    if !matches!(ended, Ok(Ok(()))) {
        return pages::internal_error();
    }
    let mut response = pages::render(
        StatusCode::OK,
        "login_refused.html",
        minijinja::context! {
            title => "Abgemeldet",
            message => "Sie sind abgemeldet.",
            tone => "erfolg",
            again => "Wieder anmelden",
        },
    );
    if let Ok(value) = session::cleared_cookie().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
