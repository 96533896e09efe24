//! The one place where routes are assembled. A later feature (the office's board, the motion
//! form, calendars) adds its routes here with one `.merge(…)` or `.route(…)` line; the
//! security headers and the German 404 apply to all of them.

use std::sync::Arc;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::{get, post};

use super::session::OptionalUser;
use super::state::AppState;
use super::{board, board_meeting, board_paper, calendar, headers, login, oparl, pages, sign};

/// Every route of the service.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/static/ratsflow.css", get(pages::style))
        .route("/z/{token}", get(sign::page))
        .route("/z/{token}/dokument", get(sign::document))
        .route("/z/{token}/zeichnen", post(sign::sign))
        .route("/z/{token}/zurueckgeben", post(sign::give_back))
        .route("/anmelden", get(login::form).post(login::request))
        .route(
            "/anmelden/{token}",
            get(login::confirm_page).post(login::confirm),
        )
        .route("/abmelden", post(login::logout))
        .route("/uebersicht", get(board::overview))
        .route("/drucksache/{id}", get(board_paper::page))
        .route(
            "/drucksache/{id}/dokument/{name}",
            get(board_paper::document),
        )
        .route("/sitzung/{body}/{date}", get(board_meeting::page))
        .route("/oparl/{*path}", get(oparl::object))
        .route("/kalender/{file}", get(calendar::feed))
        .merge(super::draft::routes::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(axum::middleware::from_fn(headers::secure))
}

async fn not_found() -> axum::response::Response {
    pages::not_found()
}

async fn home(OptionalUser(user): OptionalUser) -> axum::response::Response {
    if user.is_some() {
        return (
            axum::http::StatusCode::SEE_OTHER,
            [(axum::http::header::LOCATION, login::DEFAULT_NEXT)],
        )
            .into_response();
    }
    pages::render(
        axum::http::StatusCode::OK,
        "message.html",
        minijinja::context! {
            title => "ratsflow",
            message => "Hier zeichnen Sie Drucksachen über den persönlichen Link aus Ihrer E-Mail.",
            detail => "Öffnen Sie dazu den Link „Vorlage ansehen und zeichnen“ in der Nachricht, mit der Sie um Ihre Zeichnung gebeten wurden. Geschäftsstelle und Fraktionen melden sich unter /anmelden an.",
        },
    )
}
