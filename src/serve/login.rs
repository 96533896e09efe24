//! Login to the board by a one-time link mailed to the person's address from the directory.
//!
//! Why a mailed link and not a password: there is no secret to store, hash, reset or leak, and
//! the council already trusts these mailboxes — the requests to sign reach the same addresses.
//! Who may log in is [`super::access`]'s rule.
//!
//! The steps:
//! 1. `GET /anmelden` shows a form for the e-mail address; it sets a short-lived form cookie
//!    with a random nonce, and the form carries the HMAC of that nonce (`csrf`).
//! 2. `POST /anmelden` checks the pair, counts the attempt ([`super::ratelimit`], per address
//!    and per client) and, if the address belongs to someone who may log in, mails
//!    „Anmeldung bei ratsflow“ with `<public_url>/anmelden/<token>` through the project's mail
//!    transport (SMTP, or `.eml` files under `out/mail/`). The answer is the same whether or not
//!    the address is known, and the mail is sent after answering, so neither the text nor the
//!    time tells who has an account.
//! 3. `GET /anmelden/<token>` shows a button; only `POST /anmelden/<token>` uses the link.
//!    Mail scanners that open every link in a mail would otherwise spend it before the person
//!    clicks. The token is the payload (person, random nonce, expiry, the page to go to next)
//!    and its HMAC-SHA256 under the service key ([`super::key`]); it is valid for
//!    [`VALID_MINUTES`] minutes and once: its nonce is remembered in `state/web/used-logins.json`
//!    until it would have expired, so a restart does not make it valid again.
//! 4. The POST starts a session ([`super::session`]), sets the cookie and sends the person on
//!    to the page they wanted (only paths of this service are followed).
//!
//! `POST /abmelden` ends the session.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::session::{self, OptionalUser, SessionCsrf, User};
use super::state::AppState;
use super::{access, link, pages};
use crate::load::Project;
use crate::mail::message::{Address, OutgoingMail};
use crate::mail::transport;

/// How long a login link is valid.
pub const VALID_MINUTES: i64 = 15;
/// The page after login when none was asked for.
pub const DEFAULT_NEXT: &str = "/uebersicht";
/// The cookie that binds the login form to the browser that loaded it.
const FORM_COOKIE: &str = "__Host-ratsflow-formular";
const TOKEN_VERSION: &str = "l1";

/// The client's address: the peer, or — when the peer is this machine, i.e. the reverse proxy —
/// the last address the proxy appended to `X-Forwarded-For`.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        let ip = match (peer, forwarded) {
            (Some(peer), Some(forwarded)) if peer.is_loopback() => forwarded.to_string(),
            (Some(peer), _) => peer.to_string(),
            (None, _) => "unbekannt".to_string(),
        };
        Ok(ClientIp(ip))
    }
}

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

/// The field of the confirm and logout forms.
#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

fn next_or_default(weiter: Option<&str>) -> String {
    weiter
        .and_then(session::local_path)
        .unwrap_or(DEFAULT_NEXT)
        .to_string()
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

fn base_url(project: &Project) -> String {
    let serve = &project.settings.serve;
    serve
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", serve.listen))
}

fn send(
    project: &Project,
    email: &str,
    links: &[(User, String)],
    date: DateTime<chrono::FixedOffset>,
) {
    let Some((first, _)) = links.first() else {
        return;
    };
    let env = |name: &str| std::env::var(name).ok();
    let transport = match transport::from_settings(
        project.settings.mail.as_ref(),
        &project.folders().out,
        &env,
    ) {
        Ok(transport) => transport,
        Err(err) => {
            eprintln!("Fehler: Anmeldelink nicht versandt: {err}");
            return;
        }
    };
    let person = project.directory.person(&first.person);
    let from = match &project.settings.mail {
        Some(mail) => Address::new(mail.from_name.clone(), mail.from.to_string()),
        None => {
            let org = person
                .and_then(|p| p.organisation.as_deref())
                .and_then(|o| project.directory.organisations.get(o));
            Address::new(
                org.map_or("ratsflow".to_string(), |o| o.name.clone()),
                "ratsflow@ratsflow.invalid",
            )
        }
    };
    let domain = from
        .email
        .rsplit_once('@')
        .map_or("ratsflow.invalid", |(_, d)| d)
        .trim()
        .to_string();
    let mut text = format!(
        "Guten Tag {},\n\nSie haben die Anmeldung bei ratsflow angefordert.",
        first.name
    );
    if links.len() == 1 {
        text.push_str(" Mit diesem Link melden Sie sich an:\n\n");
        text.push_str(&format!("Anmelden: {}\n", links[0].1));
    } else {
        text.push_str(" Zu dieser Adresse gehören mehrere Zugänge; wählen Sie den passenden:\n\n");
        for (user, url) in links {
            text.push_str(&format!("Anmelden als {}: {url}\n", user.name));
        }
    }
    text.push_str(
        "\nDer Link gilt 15 Minuten und nur für eine Anmeldung. Wenn Sie die Anmeldung nicht \
         angefordert haben, können Sie diese Nachricht löschen; ohne den Link meldet sich \
         niemand an.\n",
    );
    let Ok(id) = session::random_id() else {
        return;
    };
    let id: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    let mail = OutgoingMail {
        message_id: format!("anmeldung-{id}@{domain}"),
        from,
        to: vec![Address::new(
            person.map_or(first.name.clone(), |p| p.name.clone()),
            person.map_or(email.to_string(), |p| p.email.clone()),
        )],
        subject: "Anmeldung bei ratsflow".to_string(),
        text,
        attachment: None,
        anlagen: Vec::new(),
        date,
        reply_to: Vec::new(),
    };
    if let Err(err) = transport.send(&mail) {
        eprintln!("Fehler: Anmeldelink nicht versandt: {err}");
    }
}

/// What a login link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginClaims {
    pub person: String,
    pub nonce: String,
    pub expires: DateTime<Utc>,
    pub next: String,
}

/// Why a login link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Invalid,
    Expired,
    Used,
    NoAccess,
}

/// A login link's token for `person`.
pub fn issue(key: &[u8], person: &str, next: &str, expires: DateTime<Utc>) -> Option<String> {
    if person.contains('\n') || session::local_path(next).is_none() {
        return None;
    }
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let nonce = URL_SAFE_NO_PAD.encode(bytes);
    let payload = format!(
        "{TOKEN_VERSION}\n{person}\n{nonce}\n{}\n{next}",
        expires.timestamp()
    );
    let tag = link::tag(key, "login", &[&payload])?;
    Some(format!("{}.{tag}", URL_SAFE_NO_PAD.encode(payload)))
}

/// The claims of a genuine, unexpired login token (used or not).
pub fn verify(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<LoginClaims, Refused> {
    let (payload, tag) = token.split_once('.').ok_or(Refused::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Refused::Invalid)?;
    let payload = String::from_utf8(payload).map_err(|_| Refused::Invalid)?;
    if !link::tag_matches(key, "login", &[&payload], tag) {
        return Err(Refused::Invalid);
    }
    let fields: Vec<&str> = payload.splitn(5, '\n').collect();
    let [version, person, nonce, expires, next] = fields.as_slice() else {
        return Err(Refused::Invalid);
    };
    if *version != TOKEN_VERSION {
        return Err(Refused::Invalid);
    }
    let expires = expires
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
        .ok_or(Refused::Invalid)?;
    if now >= expires {
        return Err(Refused::Expired);
    }
    Ok(LoginClaims {
        person: (*person).to_string(),
        nonce: (*nonce).to_string(),
        expires,
        next: next_or_default(Some(next)),
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [3; 32];

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn token_round_trip_expiry_and_alteration() {
        let token = issue(&KEY, "buero", "/drucksache/2026-017", at(1000)).unwrap_or_default();
        let claims = verify(&KEY, &token, at(999));
        assert!(
            claims
                .as_ref()
                .is_ok_and(|c| c.person == "buero" && c.next == "/drucksache/2026-017"),
            "{claims:?}"
        );
        assert_eq!(verify(&KEY, &token, at(1000)), Err(Refused::Expired));
        assert_eq!(verify(&[4; 32], &token, at(1)), Err(Refused::Invalid));
        let mut altered = token.clone().into_bytes();
        altered[3] = if altered[3] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(altered).unwrap_or_default();
        assert_eq!(verify(&KEY, &altered, at(1)), Err(Refused::Invalid));
    }

    #[test]
    fn no_token_for_a_foreign_next_page() {
        assert_eq!(
            issue(&KEY, "buero", "https://evil.example/", at(1000)),
            None
        );
        assert_eq!(issue(&KEY, "buero", "//evil.example/", at(1000)), None);
    }

    #[test]
    fn two_tokens_differ() {
        let a = issue(&KEY, "buero", "/", at(1000));
        let b = issue(&KEY, "buero", "/", at(1000));
        assert_ne!(a, b);
    }
}
