//! `GET /kalender/<token>.ics`: the calendars (ICS feeds, RFC 5545) of [`crate::ics`], served
//! by `ratsflow serve` so that Outlook and Thunderbird can subscribe to them without the
//! council having to put `out/ics/` on a share of its own.
//!
//! It serves exactly the files every pass writes (`out/ics/<token>.ics`, see
//! [`crate::ics::files`]), streamed from the file; nothing is built per request. As for sign
//! links, the address is the secret: no login (a calendar client could not do one), and the token is never logged — the
//! service logs no requests, and this handler names neither path nor token in its one error
//! line. `Referrer-Policy: no-referrer` and `Cache-Control: no-store` come from
//! [`super::headers`] like on every token page: calendar clients poll on their own interval and
//! the feeds carry no validator, so `no-cache` would gain nothing, while `no-store` keeps the
//! feed out of browser and proxy caches.
//!
//! The name is checked before it comes near the file system: `<token>.ics` with a token spelled
//! exactly as [`crate::ics::key::Key::token`] spells it ([`crate::ics::key::is_token`]), else
//! the German 404, as for a feed that does not exist.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use tokio_util::io::ReaderStream;

use super::pages;
use super::state::AppState;
use crate::ics;

/// The content type of every feed.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// The file name of a feed if `requested` is one: `<token>.ics` with a well-formed token.
pub fn feed_name(requested: &str) -> Option<String> {
    let token = requested.strip_suffix(".ics")?;
    ics::key::is_token(token).then(|| format!("{token}.ics"))
}

/// Bytes read from a feed's file at a time: a 5 MB feed of a big office goes out in 80 reads,
/// and a poll costs the service one buffer, not the whole file.
const CHUNK: usize = 64 * 1024;

/// `GET /kalender/{file}` (HEAD too: axum answers it from the same handler without the body).
///
/// The file is streamed, not read whole: the office's feed of a 10,000-paper project is about
/// 5 MB, and dozens of calendar clients polling at once must not hold it dozens of times. A
/// pass replaces a feed by renaming a new file over it ([`crate::atomic`]), so the open file
/// stays the complete old feed however long the download takes, and the length sent is that
/// file's.
pub async fn feed(
    State(state): State<Arc<AppState>>,
    file: Result<Path<String>, PathRejection>,
) -> Response {
    let Some(name) = file.ok().and_then(|Path(file)| feed_name(&file)) else {
        return pages::not_found();
    };
    let path = ics::files::folder(&state.project().folders().out).join(name);
    let opened = async {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        Ok::<_, std::io::Error>((file, length))
    };
    match opened.await {
        Ok((file, length)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE)),
                (header::CONTENT_LENGTH, HeaderValue::from(length)),
            ],
            Body::from_stream(ReaderStream::with_capacity(file, CHUNK)),
        )
            .into_response(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => pages::not_found(),
        Err(err) => {
            // The errors of `open` and `metadata` name no path; the token stays out of the log.
            eprintln!("Fehler: Kalender nicht lesbar: {err}");
            pages::internal_error()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_of_feeds_are_accepted() {
        let key = ics::Key::from_bytes(b"test key");
        let token = ics::token(&key, &ics::Owner::Person("bfi".into()));
        assert_eq!(
            feed_name(&format!("{token}.ics")),
            Some(format!("{token}.ics"))
        );
        let refused = [
            token.clone(),
            format!("{token}.ICS"),
            format!("{token}.ics.ics"),
            format!("{}.ics", &token[1..]),
            format!("{token}A.ics"),
            format!("../{token}.ics"),
            format!("{}/.ics", &token[..21]),
            format!("{}..ics", &token[..21]),
            format!("{}%.ics", &token[..21]),
            format!("{}+.ics", &token[..21]),
            "..".to_string(),
            ".ics".to_string(),
            String::new(),
        ];
        for name in &refused {
            assert_eq!(feed_name(name), None, "{name}");
        }
        // The last character carries 2 bits of the token; its other 4 bits must be zero, so
        // only one spelling of a token is accepted.
        for (last, accepted) in [
            ('A', true),
            ('Q', true),
            ('g', true),
            ('w', true),
            ('B', false),
        ] {
            let name = format!("{}{last}.ics", &token[..21]);
            assert_eq!(feed_name(&name).is_some(), accepted, "{name}");
        }
    }
}
