//! The HTML of the service: one minijinja environment with the page templates embedded in the
//! binary (`src/serve/pages/*.html`), one layout they all extend, and the German error pages.
//!
//! Templates ending in `.html` are auto-escaped, so every value from a paper („<script>“ in a
//! title) reaches the browser as text. Pages carry no JavaScript and no inline styles: the
//! Content-Security-Policy of [`super::headers`] forbids both. A later page is one more
//! `(name, include_str!(…))` line in [`TEMPLATES`] and a template that extends `layout.html`.

use std::sync::OnceLock;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::Environment;
use minijinja::value::Value;

/// Every page template, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("pages/layout.html")),
    ("error.html", include_str!("pages/error.html")),
    ("message.html", include_str!("pages/message.html")),
    ("facts.html", include_str!("pages/facts.html")),
    ("sign.html", include_str!("pages/sign.html")),
    ("login.html", include_str!("pages/login.html")),
    (
        "login_confirm.html",
        include_str!("pages/login_confirm.html"),
    ),
    (
        "login_refused.html",
        include_str!("pages/login_refused.html"),
    ),
    ("board.html", include_str!("pages/board.html")),
    ("board_paper.html", include_str!("pages/board_paper.html")),
    (
        "board_meeting.html",
        include_str!("pages/board_meeting.html"),
    ),
];

/// The style sheet, served as `/static/ratsflow.css`.
pub const STYLE: &str = include_str!("pages/ratsflow.css");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = crate::docx::german_environment();
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        for (name, source) in TEMPLATES {
            // The templates are part of the binary; a broken one fails the unit test below.
            let _ = env.add_template(name, source);
        }
        env
    })
}

/// Renders `name` with `data`; a template error becomes the German 500 page.
pub fn render(status: StatusCode, name: &str, data: Value) -> Response {
    match environment()
        .get_template(name)
        .and_then(|template| template.render(data))
    {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => {
            eprintln!("Fehler: Seite {name}: {err}");
            internal_error()
        }
    }
}

/// A German error page.
pub fn error(status: StatusCode, title: &str, message: &str, hint: Option<&str>) -> Response {
    let data = minijinja::context! { title, message, hint };
    match environment()
        .get_template("error.html")
        .and_then(|template| template.render(data))
    {
        Ok(html) => (status, Html(html)).into_response(),
        // The last resort must not fail itself.
        Err(_) => (
            status,
            Html(format!(
                "<!DOCTYPE html><html lang=\"de\"><title>Fehler</title><h1>{}</h1></html>",
                minijinja::HtmlEscape(title)
            )),
        )
            .into_response(),
    }
}

/// 404.
pub fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Seite nicht gefunden",
        "Diese Seite gibt es nicht.",
        Some("Bitte prüfen Sie die Adresse oder öffnen Sie den Link aus Ihrer E-Mail erneut."),
    )
}

/// 403 for a link that is not (or no longer) valid.
pub fn forbidden(message: &str) -> Response {
    error(
        StatusCode::FORBIDDEN,
        "Zugriff nicht möglich",
        message,
        Some("Wenden Sie sich bitte an die Geschäftsstelle, die Ihnen die Vorlage geschickt hat."),
    )
}

/// 500.
pub fn internal_error() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Interner Fehler",
        "Bei der Bearbeitung ist ein Fehler aufgetreten; es wurde nichts eingetragen.",
        Some("Bitte versuchen Sie es später noch einmal."),
    )
}

/// `GET /static/ratsflow.css`.
pub async fn style() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(environment().get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn values_are_escaped() {
        let env = environment();
        let html = env
            .get_template("error.html")
            .and_then(|t| {
                t.render(minijinja::context! { title => "<script>x</script>", message => "a & b" })
            })
            .unwrap_or_default();
        assert!(
            html.contains("&lt;script&gt;x&lt;&#x2f;script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("<html lang=\"de\">"));
    }
}
