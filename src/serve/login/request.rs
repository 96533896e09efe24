//! The login form: `GET /anmelden` shows it, bound to the browser by a form cookie and its
//! HMAC; `POST /anmelden` checks that pair and the rate limits, and answers the same whether
//! or not the address belongs to an account, sending the login mail ([`super::mail`]) only
//! after answering, so neither the text nor the time tells who has one.

use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use chrono::Duration;
use serde::Deserialize;

use super::client_ip::ClientIp;
use super::mail::{base_url, send};
use super::token::{VALID_MINUTES, issue};
use super::{FORM_COOKIE, next_or_default};
use crate::serve::session::{self, OptionalUser, SessionCsrf, User};
use crate::serve::state::AppState;
use crate::serve::{access, link, pages};

/// `?weiter=` of the login page.
#[derive(Debug, Default, Deserialize)]
pub struct Next {
    #[serde(default)]
    pub weiter: Option<String>,
}

/// The fields of the login form.
#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub weiter: String,
}

/// `GET /anmelden`.
pub async fn form(
    State(app): State<Arc<AppState>>,
    OptionalUser(user): OptionalUser,
    csrf: Result<SessionCsrf, Response>,
    query: Result<Query<Next>, QueryRejection>,
) -> Response {
    let next = query.map(|Query(q)| q).unwrap_or_default();
    let account = match (&user, &csrf) {
        (Some(user), Ok(csrf)) => Some(session::account(user, csrf)),
        _ => None,
    };
    login_page(
        &app,
        StatusCode::OK,
        &next_or_default(next.weiter.as_deref()),
        "",
        None,
        account,
    )
}

fn login_page(
    app: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
    account: Option<minijinja::Value>,
) -> Response {
    let Ok(nonce) = session::random_id() else {
        return pages::internal_error();
    };
    let Some(csrf) = link::tag(app.key(), "login-form", &[&nonce]) else {
        return pages::internal_error();
    };
    let mut response = pages::render(
        status,
        "login.html",
        minijinja::context! {
            title => "Anmelden",
            csrf,
            weiter => next,
            email,
            error,
            account,
        },
    );
    if let Ok(value) =
        format!("{FORM_COOKIE}={nonce}; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600")
            .parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `POST /anmelden`.
pub async fn request(
    State(app): State<Arc<AppState>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let next = next_or_default(Some(&form.weiter));
    let genuine = session::cookie(&headers, FORM_COOKIE)
        .is_some_and(|nonce| link::tag_matches(app.key(), "login-form", &[nonce], &form.csrf));
    if !genuine {
        return pages::error(
            StatusCode::FORBIDDEN,
            "Zugriff nicht möglich",
            "Das Formular ist abgelaufen oder ungültig; es wurde kein Anmeldelink verschickt.",
            Some(
                "Bitte öffnen Sie die Anmeldeseite neu und geben Sie Ihre Adresse noch einmal ein.",
            ),
        );
    }
    let email = form.email.trim().to_lowercase();
    if !email.contains('@') || email.len() > 320 || email.chars().any(char::is_control) {
        return login_page(
            &app,
            StatusCode::UNPROCESSABLE_ENTITY,
            &next,
            form.email.trim(),
            Some("Bitte geben Sie Ihre E-Mail-Adresse an, z. B. name@kreis.example."),
            None,
        );
    }
    let now = app.now();
    let keys = [format!("ip:{ip}"), format!("mail:{email}")];
    if !app.access().limiter.allow(&keys, now) {
        let mut response = pages::error(
            StatusCode::TOO_MANY_REQUESTS,
            "Zu viele Anmeldeversuche",
            "Es wurden in kurzer Zeit zu viele Anmeldelinks angefordert; es wurde keiner verschickt.",
            Some("Bitte warten Sie 15 Minuten und versuchen Sie es dann noch einmal."),
        );
        response.headers_mut().insert(
            header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("900"),
        );
        return response;
    }
    let project = app.project();
    let users = access::by_email(&project.directory, &email);
    if !users.is_empty() {
        let expires = now + Duration::minutes(VALID_MINUTES);
        let links: Vec<(User, String)> = users
            .into_iter()
            .filter_map(|user| {
                let token = issue(app.key(), &user.person, &next, expires)?;
                Some((user, format!("{}/anmelden/{token}", base_url(&project))))
            })
            .collect();
        // Sent after answering: the answer takes as long for a known address as for an unknown.
        let now_local = now
            .with_timezone(&project.settings.time_zone)
            .fixed_offset();
        tokio::task::spawn_blocking(move || send(&project, &email, &links, now_local));
    }
    pages::render(
        StatusCode::OK,
        "message.html",
        minijinja::context! {
            title => "Anmeldelink angefordert",
            message => "Wenn die Adresse zu einem Zugang gehört, haben wir Ihnen einen Anmeldelink geschickt.",
            detail => "Der Link gilt 15 Minuten und nur für eine Anmeldung. Kommt keine Nachricht an, wenden Sie sich bitte an die Geschäftsstelle.",
        },
    )
}
