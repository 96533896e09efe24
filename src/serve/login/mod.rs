//! Login to the board by a one-time link mailed to the person's address from the directory.
//!
//! Why a mailed link and not a password: there is no secret to store, hash, reset or leak, and
//! the council already trusts these mailboxes — the requests to sign reach the same addresses.
//! Who may log in is [`super::access`]'s rule.
//!
//! The steps, one file each:
//! 1. `GET /anmelden` shows a form for the e-mail address; it sets a short-lived form cookie
//!    with a random nonce, and the form carries the HMAC of that nonce (`csrf`)
//!    ([`request`]).
//! 2. `POST /anmelden` checks the pair, counts the attempt ([`super::ratelimit`], per address
//!    and per client, [`client_ip`]) and, if the address belongs to someone who may log in,
//!    mails „Anmeldung bei ratsflow“ with `<public_url>/anmelden/<token>` ([`mail`]) through the
//!    project's mail transport (SMTP, or `.eml` files under `out/mail/`). The answer is the
//!    same whether or not the address is known, and the mail is sent after answering, so
//!    neither the text nor the time tells who has an account ([`request`]).
//! 3. `GET /anmelden/<token>` shows a button; only `POST /anmelden/<token>` uses the link.
//!    Mail scanners that open every link in a mail would otherwise spend it before the person
//!    clicks. The token is the payload (person, random nonce, expiry, the page to go to next)
//!    and its HMAC-SHA256 under the service key ([`super::key`]); it is valid for
//!    [`VALID_MINUTES`] minutes and once: its nonce is remembered in `state/web/used-logins.json`
//!    until it would have expired, so a restart does not make it valid again ([`token`],
//!    [`redeem`]).
//! 4. The POST starts a session ([`super::session`]), sets the cookie and sends the person on
//!    to the page they wanted (only paths of this service are followed) ([`redeem`]).
//!
//! `POST /abmelden` ends the session ([`logout`]).

pub mod client_ip;
pub mod logout;
pub mod mail;
pub mod redeem;
pub mod request;
pub mod token;

pub use client_ip::ClientIp;
pub use logout::logout;
pub use redeem::{confirm, confirm_page};
pub use request::{form, request};
pub use token::{LoginClaims, Refused, VALID_MINUTES, issue, verify};

use serde::Deserialize;

use super::session;

/// The page after login when none was asked for.
pub const DEFAULT_NEXT: &str = "/uebersicht";
/// The cookie that binds the login form to the browser that loaded it.
const FORM_COOKIE: &str = "__Host-ratsflow-formular";

/// The field of the confirm and logout forms.
#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// The page to go on to after login: a path of this service, else the board.
fn next_or_default(weiter: Option<&str>) -> String {
    weiter
        .and_then(session::local_path)
        .unwrap_or(DEFAULT_NEXT)
        .to_string()
}
