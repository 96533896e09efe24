//! The one place where routes are assembled. A later feature (the office's board, the motion
//! form, calendars) adds its routes here with one `.merge(…)` or `.route(…)` line; the
//! security headers and the German 404 apply to all of them.

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use super::state::AppState;
use super::{headers, pages, sign};

/// Every route of the service.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/static/ratsflow.css", get(pages::style))
        .route("/z/{token}", get(sign::page))
        .route("/z/{token}/dokument", get(sign::document))
        .route("/z/{token}/zeichnen", post(sign::sign))
        .route("/z/{token}/zurueckgeben", post(sign::give_back))
        .fallback(not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(headers::secure))
}

async fn not_found() -> axum::response::Response {
    pages::not_found()
}

async fn home() -> axum::response::Response {
    pages::render(
        axum::http::StatusCode::OK,
        "message.html",
        minijinja::context! {
            title => "ratsflow",
            message => "Hier zeichnen Sie Drucksachen über den persönlichen Link aus Ihrer E-Mail.",
            detail => "Öffnen Sie dazu den Link „Vorlage ansehen und zeichnen“ in der Nachricht, mit der Sie um Ihre Zeichnung gebeten wurden.",
        },
    )
}
