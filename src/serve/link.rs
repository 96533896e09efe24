//! Personal links to the sign page: `/z/<token>`.
//!
//! A token is a capability: whoever holds it may sign or return one paper at one stage as one
//! person, for the version of the paper and the round of the stage it was made for, until it
//! expires. It is the payload (version, paper, stage, person, the paper's short content hash,
//! expiry as Unix seconds, and the stage's round — how often a return had sent the paper back
//! through the stage, [`crate::engine::StageState::round`]), URL-safe base64 without padding, a dot, and the HMAC-SHA256 of the payload under the
//! project's key ([`super::key`]), also URL-safe base64. The payload is not secret (it names
//! ids and a hash), it only must not be forged or altered: any changed byte changes the
//! payload or the MAC and the token is refused. Decoding is strict (no trailing bits, no
//! padding), so two spellings of the same bytes do not exist.
//!
//! Version `z2` added the round. Tokens of version `z1` (mailed before) carry none and still
//! verify, read as round 0: they keep working until the first return, exactly like a `z2`
//! token of round 0.
//!
//! Everything here is pure: the key and the clock are arguments.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The first field of every payload; a later format gets another.
const VERSION: &str = "z2";
/// The format before the round was bound: read as round 0.
const VERSION_WITHOUT_ROUND: &str = "z1";

/// What a link allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// The paper's id (file stem).
    pub paper: String,
    /// The sign stage's id.
    pub stage: String,
    /// The person asked to sign.
    pub person: String,
    /// The paper's short content hash ([`crate::model::Paper::short_hash`]) the link was made for.
    pub hash: String,
    /// The end of its validity.
    pub expires: DateTime<Utc>,
    /// The stage's round the link was made for ([`crate::engine::StageState::round`]).
    pub round: u32,
}

/// Why a token is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rejected {
    /// Not a token of ours, or altered.
    Invalid,
    /// A genuine token whose time has passed.
    Expired,
}

/// The token for `claims` under `key`. `None` if a field contains a line break (ids never do).
pub fn issue(key: &[u8], claims: &Claims) -> Option<String> {
    let fields = [
        claims.paper.as_str(),
        claims.stage.as_str(),
        claims.person.as_str(),
        claims.hash.as_str(),
    ];
    if fields.iter().any(|f| f.contains('\n') || f.is_empty()) {
        return None;
    }
    let payload = format!(
        "{VERSION}\n{}\n{}\n{}\n{}\n{}\n{}",
        claims.paper,
        claims.stage,
        claims.person,
        claims.hash,
        claims.expires.timestamp(),
        claims.round
    );
    let mac = mac(key, payload.as_bytes())?.finalize().into_bytes();
    Some(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload.as_bytes()),
        URL_SAFE_NO_PAD.encode(mac)
    ))
}

/// The claims of a genuine token that has not expired at `now`.
pub fn verify(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<Claims, Rejected> {
    let (payload, tag) = token.split_once('.').ok_or(Rejected::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| Rejected::Invalid)?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| Rejected::Invalid)?;
    mac(key, &payload)
        .ok_or(Rejected::Invalid)?
        .verify_slice(&tag)
        .map_err(|_| Rejected::Invalid)?;
    let text = std::str::from_utf8(&payload).map_err(|_| Rejected::Invalid)?;
    let fields: Vec<&str> = text.split('\n').collect();
    let (paper, stage, person, hash, expires, round) = match fields.as_slice() {
        [VERSION, paper, stage, person, hash, expires, round] => {
            // Strict like the rest: digits only, no sign, no leading zero.
            let valid = !round.is_empty()
                && round.bytes().all(|b| b.is_ascii_digit())
                && (*round == "0" || !round.starts_with('0'));
            let round = round
                .parse::<u32>()
                .ok()
                .filter(|_| valid)
                .ok_or(Rejected::Invalid)?;
            (paper, stage, person, hash, expires, round)
        }
        [VERSION_WITHOUT_ROUND, paper, stage, person, hash, expires] => {
            (paper, stage, person, hash, expires, 0)
        }
        _ => return Err(Rejected::Invalid),
    };
    let expires = expires
        .parse::<i64>()
        .ok()
        .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
        .ok_or(Rejected::Invalid)?;
    if now >= expires {
        return Err(Rejected::Expired);
    }
    Ok(Claims {
        paper: (*paper).to_string(),
        stage: (*stage).to_string(),
        person: (*person).to_string(),
        hash: (*hash).to_string(),
        expires,
        round,
    })
}

/// A MAC of `data` under `key` for another purpose than links (the CSRF tokens of the
/// forms), URL-safe base64.
pub fn tag(key: &[u8], purpose: &str, data: &[&str]) -> Option<String> {
    let mut mac = mac(key, purpose.as_bytes())?;
    for part in data {
        mac.update(b"\n");
        mac.update(part.as_bytes());
    }
    Some(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// Whether `given` is the [`tag`] of `data`, compared in constant time.
pub fn tag_matches(key: &[u8], purpose: &str, data: &[&str], given: &str) -> bool {
    let Ok(given) = URL_SAFE_NO_PAD.decode(given) else {
        return false;
    };
    let Some(mut mac) = mac(key, purpose.as_bytes()) else {
        return false;
    };
    for part in data {
        mac.update(b"\n");
        mac.update(part.as_bytes());
    }
    mac.verify_slice(&given).is_ok()
}

fn mac(key: &[u8], data: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(data);
    Some(mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    fn claims() -> Claims {
        Claims {
            paper: "2026-017".into(),
            stage: "mitzeichnung".into(),
            person: "landrat".into(),
            hash: "0123abcd".into(),
            expires: DateTime::<Utc>::from_timestamp(2_000_000_000, 0).unwrap_or_default(),
            round: 2,
        }
    }

    fn before() -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_999_999_999, 0).unwrap_or_default()
    }

    #[test]
    fn issued_token_verifies_and_is_url_safe() {
        let token = issue(&KEY, &claims()).unwrap_or_default();
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{token}"
        );
        assert_eq!(verify(&KEY, &token, before()), Ok(claims()));
    }

    #[test]
    fn any_altered_byte_is_rejected() {
        let token = issue(&KEY, &claims()).unwrap_or_default();
        let bytes = token.as_bytes();
        for at in 0..bytes.len() {
            for replacement in [b'A', b'a', b'0', b'-', b'_', b'.', b'Q'] {
                if bytes[at] == replacement {
                    continue;
                }
                let mut altered = bytes.to_vec();
                altered[at] = replacement;
                let altered = String::from_utf8(altered).unwrap_or_default();
                assert_eq!(
                    verify(&KEY, &altered, before()),
                    Err(Rejected::Invalid),
                    "byte {at} replaced by {}",
                    replacement as char
                );
            }
        }
        // Cut or extended.
        assert!(verify(&KEY, &token[..token.len() - 1], before()).is_err());
        assert!(verify(&KEY, &format!("{token}A"), before()).is_err());
    }

    #[test]
    fn another_key_is_rejected() {
        let token = issue(&KEY, &claims()).unwrap_or_default();
        assert_eq!(verify(&[8; 32], &token, before()), Err(Rejected::Invalid));
    }

    #[test]
    fn expired_is_rejected() {
        let token = issue(&KEY, &claims()).unwrap_or_default();
        assert_eq!(
            verify(&KEY, &token, claims().expires),
            Err(Rejected::Expired)
        );
    }

    #[test]
    fn the_round_is_bound_and_a_token_without_one_reads_as_round_0() {
        let mut later = claims();
        later.round = 3;
        let token = issue(&KEY, &later).unwrap_or_default();
        assert_eq!(verify(&KEY, &token, before()).map(|c| c.round), Ok(3));
        // A token in the format before rounds (as mailed before), made the same way.
        let c = claims();
        let payload = format!(
            "z1\n{}\n{}\n{}\n{}\n{}",
            c.paper,
            c.stage,
            c.person,
            c.hash,
            c.expires.timestamp()
        );
        let sign = |payload: &str| {
            let tag = mac(&KEY, payload.as_bytes())
                .map(|m| m.finalize().into_bytes().to_vec())
                .unwrap_or_default();
            format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(payload.as_bytes()),
                URL_SAFE_NO_PAD.encode(tag)
            )
        };
        assert_eq!(
            verify(&KEY, &sign(&payload), before()),
            Ok(Claims { round: 0, ..c })
        );
        // Neither format takes the other's number of fields, nor a round spelled twice.
        assert_eq!(
            verify(&KEY, &sign(&format!("{payload}\n1")), before()),
            Err(Rejected::Invalid)
        );
        let z2 = payload.replacen("z1", "z2", 1);
        assert_eq!(verify(&KEY, &sign(&z2), before()), Err(Rejected::Invalid));
        for round in ["01", "+1", "-1", "", "1 "] {
            assert_eq!(
                verify(&KEY, &sign(&format!("{z2}\n{round}")), before()),
                Err(Rejected::Invalid),
                "{round:?}"
            );
        }
        assert_eq!(
            verify(&KEY, &sign(&format!("{z2}\n1")), before()).map(|c| c.round),
            Ok(1)
        );
    }

    #[test]
    fn line_breaks_in_fields_are_not_issued() {
        let mut bad = claims();
        bad.person = "a\nb".into();
        assert_eq!(issue(&KEY, &bad), None);
    }

    #[test]
    fn tags_bind_purpose_and_data() {
        let t = tag(&KEY, "csrf", &["token", "nonce"]).unwrap_or_default();
        assert!(tag_matches(&KEY, "csrf", &["token", "nonce"], &t));
        assert!(!tag_matches(&KEY, "csrf", &["token", "other"], &t));
        assert!(!tag_matches(&KEY, "other", &["token", "nonce"], &t));
        assert!(!tag_matches(&KEY, "csrf", &["token", "nonce"], ""));
    }
}
