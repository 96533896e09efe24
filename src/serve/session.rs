//! Sessions of the people logged in to the board, and the extractors handlers use to know who
//! asks: [`User`] (login required) and [`OptionalUser`].
//!
//! A session id is 256 random bits, sent only in the cookie `__Host-ratsflow` (`Secure`,
//! `HttpOnly`, `SameSite=Strict`, `Path=/`, no `Domain`): scripts cannot read it, other sites
//! cannot make the browser send it, and it never leaves HTTPS behind the reverse proxy
//! (browsers accept `Secure` cookies from `http://127.0.0.1`, which the tests use). The server
//! keeps only the SHA-256 of each id, in memory and in `state/web/sessions.json` (ignored by
//! git), so sessions survive a restart and a copy of that file opens no session. A session
//! ends after [`SESSION_HOURS`] hours or at logout.
//!
//! Who a session's person is (office, Fraktion) is read from the directory at every request
//! ([`super::access`]): a person taken out of the directory is logged out at once.
//!
//! Forms of logged-in pages carry the CSRF token of [`SessionCsrf`] (an HMAC of the session
//! id under the service key), on top of `SameSite=Strict`.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::expiring::Expiring;
use super::ratelimit::RateLimiter;
use super::state::AppState;
use super::{access, link};

/// The session cookie's name; `__Host-` makes browsers insist on `Secure`, `Path=/` and no
/// `Domain`.
pub const COOKIE: &str = "__Host-ratsflow";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 8;

/// The person behind a request, as the directory knows them now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Their id in the directory.
    pub person: String,
    /// Their name as shown.
    pub name: String,
    /// The Fraktion (a body of `kind: fraktion`) they belong to, if any.
    pub fraktion: Option<String>,
    /// Whether they belong to the office (Sitzungsdienst) and see everything.
    pub office: bool,
}

/// The person behind a request, if logged in.
pub struct OptionalUser(pub Option<User>);

/// What a session remembers.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Record {
    person: String,
}

/// Sessions, used login links and login attempt counts: what the login needs to keep.
pub struct Access {
    sessions: Expiring<Record>,
    /// Nonces of login links already used, until the link would have expired.
    pub used_logins: Expiring<()>,
    pub limiter: RateLimiter,
}

impl Access {
    /// Reads what a previous run left under `state/web/`.
    pub fn open(state_folder: &Path) -> Self {
        let folder = state_folder.join("web");
        Access {
            sessions: Expiring::load(&folder.join("sessions.json")),
            used_logins: Expiring::load(&folder.join("used-logins.json")),
            limiter: RateLimiter::default(),
        }
    }

    /// Starts a session for `person`; returns its id (for the cookie).
    pub fn start(&self, person: &str, now: DateTime<Utc>) -> std::io::Result<String> {
        let id = random_id()?;
        let expires = now + Duration::hours(SESSION_HOURS);
        let record = Record {
            person: person.to_string(),
        };
        if !self
            .sessions
            .insert_new(&digest(&id), record, expires, now)?
        {
            return Err(std::io::Error::other("session id taken"));
        }
        Ok(id)
    }

    /// The person of a live session.
    fn person(&self, id: &str, now: DateTime<Utc>) -> Option<String> {
        self.sessions.get(&digest(id), now).map(|r| r.person)
    }

    /// Ends a session.
    pub fn end(&self, id: &str) -> std::io::Result<()> {
        self.sessions.remove(&digest(id))
    }
}

/// 32 random bytes, URL-safe base64.
pub fn random_id() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

fn digest(id: &str) -> String {
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// `Set-Cookie` for a new session.
pub fn session_cookie(id: &str) -> String {
    format!(
        "{COOKIE}={id}; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age={}",
        SESSION_HOURS * 3600
    )
}

/// `Set-Cookie` that removes the session cookie.
pub fn cleared_cookie() -> String {
    format!("{COOKIE}=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
}

/// The user and session id of a request, if it carries a live session of a person who may
/// still log in.
fn current(parts: &Parts, app: &AppState) -> Option<(User, String)> {
    let id = cookie(&parts.headers, COOKIE)?;
    let person = app.access().person(id, app.now())?;
    let user = access::user(&app.project().directory, &person)?;
    Some((user, id.to_string()))
}

/// A path of this service to return to after login: starts with one `/`, no backslash, no
/// control character. Anything else (another site, `//evil.example`) is refused.
pub fn local_path(text: &str) -> Option<&str> {
    let ok = text.starts_with('/')
        && !text.starts_with("//")
        && !text.contains('\\')
        && !text.chars().any(char::is_control)
        && text.len() <= 2000;
    ok.then_some(text)
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// 303 to the login page, remembering where the person wanted to go.
fn to_login(parts: &Parts) -> Response {
    let wanted = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let location = match local_path(&wanted) {
        Some(path) => format!("/anmelden?weiter={}", encode(path)),
        None => "/anmelden".to_string(),
    };
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

impl FromRequestParts<Arc<AppState>> for User {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        current(parts, state)
            .map(|(user, _)| user)
            .ok_or_else(|| to_login(parts))
    }
}

impl FromRequestParts<Arc<AppState>> for OptionalUser {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        Ok(OptionalUser(current(parts, state).map(|(user, _)| user)))
    }
}

/// The CSRF token of the request's session: put [`SessionCsrf::token`] into every form of a
/// logged-in page as `csrf`, check the posted value with [`SessionCsrf::matches`]. Without a
/// session it redirects to the login like [`User`].
pub struct SessionCsrf {
    session: String,
    token: String,
    key: Vec<u8>,
}

const CSRF_PURPOSE: &str = "session-csrf";

impl SessionCsrf {
    /// The token for this session's forms.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether a posted token belongs to this session (constant-time).
    pub fn matches(&self, given: &str) -> bool {
        link::tag_matches(&self.key, CSRF_PURPOSE, &[&self.session], given)
    }

    /// The session id (to end it).
    pub(crate) fn session(&self) -> &str {
        &self.session
    }
}

impl FromRequestParts<Arc<AppState>> for SessionCsrf {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some((_, session)) = current(parts, state) else {
            return Err(to_login(parts));
        };
        let token = link::tag(state.key(), CSRF_PURPOSE, &[&session])
            .ok_or_else(super::pages::internal_error)?;
        Ok(SessionCsrf {
            session,
            token,
            key: state.key().to_vec(),
        })
    }
}

/// What the layout shows of a logged-in person: their name and the logout form's token
/// (`account` in a page's context).
pub fn account(user: &User, csrf: &SessionCsrf) -> minijinja::Value {
    minijinja::context! {
        name => user.name.clone(),
        office => user.office,
        fraktion => user.fraktion.clone(),
        csrf => csrf.token().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path("/uebersicht?gremium=x"),
            Some("/uebersicht?gremium=x")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "uebersicht",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            "a=1; __Host-ratsflow=abc; b=2"
                .parse()
                .unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(cookie(&headers, COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
    }

    #[test]
    fn session_cookie_has_every_attribute() {
        assert_eq!(
            session_cookie("x"),
            "__Host-ratsflow=x; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"
        );
    }

    #[test]
    fn sessions_survive_restart_and_end() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let now = Utc::now();
        let access = Access::open(dir.path());
        let id = access.start("buero", now)?;
        assert_eq!(id.len(), 43);
        let file = std::fs::read_to_string(dir.path().join("web/sessions.json"))?;
        assert!(!file.contains(&id), "the id itself is never stored");
        let again = Access::open(dir.path());
        assert_eq!(again.person(&id, now).as_deref(), Some("buero"));
        assert_eq!(
            again.person(&id, now + Duration::hours(SESSION_HOURS)),
            None
        );
        again.end(&id)?;
        assert_eq!(Access::open(dir.path()).person(&id, now), None);
        Ok(())
    }
}
