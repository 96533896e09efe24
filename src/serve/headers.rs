//! The one place where every response gets its security headers, whatever route made it
//! (including axum's own rejections and the 404 fallback).
//!
//! - `Content-Security-Policy`: only our own resources, no inline script or style, no
//!   framing (`frame-ancestors 'none'`), forms post only to us.
//! - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a token URL must
//!   never leak to another site through the Referer header), `X-Frame-Options: DENY` for old
//!   browsers.
//! - `Cache-Control: no-store` on everything but the style sheet: token pages and documents
//!   must not stay in shared or browser caches.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of every page.
pub const CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
                       style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; \
                       frame-ancestors 'none'";

/// Middleware: adds the headers to every response.
pub async fn secure(request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let cache = if cacheable {
        "public, max-age=3600"
    } else {
        "no-store"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
