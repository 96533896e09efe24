//! Using a login link: `GET /anmelden/<token>` only shows a button (mail scanners open every
//! link), `POST /anmelden/<token>` spends the link once — its nonce is remembered until it
//! would have expired, across restarts — starts the session and sends the person on.

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::token::{LoginClaims, Refused, verify};
use super::{CsrfForm, FORM_COOKIE};
use crate::serve::session::{self, User};
use crate::serve::state::AppState;
use crate::serve::{access, link, pages};

fn refused(reason: Refused) -> Response {
    let message = match reason {
        Refused::Invalid => {
            "Dieser Anmeldelink ist ungültig. Bitte öffnen Sie den Link aus Ihrer E-Mail unverändert."
        }
        Refused::Expired => "Dieser Anmeldelink ist abgelaufen; ein Anmeldelink gilt 15 Minuten.",
        Refused::Used => {
            "Dieser Anmeldelink wurde bereits benutzt; jeder Anmeldelink gilt nur für eine Anmeldung."
        }
        Refused::NoAccess => "Für diese Person gibt es keinen Zugang zur Übersicht.",
    };
    pages::render(
        StatusCode::FORBIDDEN,
        "login_refused.html",
        minijinja::context! { title => "Anmeldung nicht möglich", message },
    )
}

/// Checks a token against the clock, the used links and the directory.
fn check(app: &AppState, token: &str) -> Result<(LoginClaims, User), Refused> {
    let now = app.now();
    let claims = verify(app.key(), token, now)?;
    if app.access().used_logins.get(&claims.nonce, now).is_some() {
        return Err(Refused::Used);
    }
    let user = access::user(&app.project().directory, &claims.person).ok_or(Refused::NoAccess)?;
    Ok((claims, user))
}

/// `GET /anmelden/<token>`: a button, so that opening the link alone uses nothing.
pub async fn confirm_page(State(app): State<Arc<AppState>>, Path(token): Path<String>) -> Response {
    let (_, user) = match check(&app, &token) {
        Ok(found) => found,
        Err(reason) => return refused(reason),
    };
    let Some(csrf) = link::tag(app.key(), "login-confirm", &[&token]) else {
        return pages::internal_error();
    };
    pages::render(
        StatusCode::OK,
        "login_confirm.html",
        minijinja::context! {
            title => "Anmelden",
            name => user.name,
            csrf,
            action => format!("/anmelden/{token}"),
        },
    )
}

/// `POST /anmelden/<token>`: uses the link, starts the session.
pub async fn confirm(
    State(app): State<Arc<AppState>>,
    Path(token): Path<String>,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let (claims, user) = match check(&app, &token) {
        Ok(found) => found,
        Err(reason) => return refused(reason),
    };
    if !link::tag_matches(app.key(), "login-confirm", &[&token], &form.csrf) {
        return pages::error(
            StatusCode::FORBIDDEN,
            "Zugriff nicht möglich",
            "Das Formular ist ungültig übermittelt worden; Sie sind nicht angemeldet.",
            Some("Bitte öffnen Sie den Link aus Ihrer E-Mail erneut."),
        );
    }
    tokio::task::spawn_blocking(move || {
        let now = app.now();
        match app
            .access()
            .used_logins
            .insert_new(&claims.nonce, (), claims.expires, now)
        {
            Ok(true) => {}
            Ok(false) => return refused(Refused::Used),
            Err(err) => {
                eprintln!("Fehler: Anmeldung nicht gespeichert: {err}");
                return pages::internal_error();
            }
        }
        let id = match app.access().start(&user.person, now) {
            Ok(id) => id,
            Err(err) => {
                eprintln!("Fehler: Sitzung nicht gespeichert: {err}");
                return pages::internal_error();
            }
        };
        let mut response = (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, claims.next.clone())],
        )
            .into_response();
        let headers = response.headers_mut();
        for cookie in [
            session::session_cookie(&id),
            format!("{FORM_COOKIE}=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
        ] {
            if let Ok(value) = cookie.parse() {
                headers.append(header::SET_COOKIE, value);
            }
        }
        response
    })
    .await
    .unwrap_or_else(|_| pages::internal_error())
}
