//! The office's board: `GET /uebersicht` (login required).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::pages;
use super::session::{self, SessionCsrf, User};
use super::state::AppState;

/// `GET /uebersicht`.
pub async fn overview(
    State(_app): State<Arc<AppState>>,
    user: User,
    csrf: SessionCsrf,
) -> Response {
    pages::render(
        StatusCode::OK,
        "message.html",
        minijinja::context! {
            title => "Übersicht",
            message => format!("Angemeldet als {}.", user.name),
            account => session::account(&user, &csrf),
        },
    )
}
