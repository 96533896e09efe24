//! The login link's token: who logs in, a random nonce (so it can be used once), the expiry
//! and the page to go to next, signed with HMAC-SHA256 under the service key. Pure: the key
//! and the clock are arguments.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};

use super::next_or_default;
use crate::serve::{link, session};

/// How long a login link is valid.
pub const VALID_MINUTES: i64 = 15;
const TOKEN_VERSION: &str = "l1";

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
