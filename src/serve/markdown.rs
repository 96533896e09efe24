//! A paper's Markdown texts (Kurzfassung, Sachverhalt, Begründung) as safe HTML for the sign
//! page, read the way the DOCX reads them ([`crate::docx::markdown`]): the same pulldown-cmark
//! options and the same German rule that a `*` between letters („Bürger*innen“) or in `(*)`
//! stays a star.
//!
//! Only a short list of elements is ever written — paragraphs, line breaks, emphasis, strong,
//! strikethrough (`<s>`, since `<del>` marks removed words in the diff), inline code and code
//! blocks, quotes, lists, tables, rules and headings — and no attribute but a link's `href`
//! and an ordered list's `start`. Every piece of text is escaped. Raw HTML in the source is
//! never passed through: it shows as the text it was typed as, exactly as in the DOCX, so the
//! page shows what the document says and a `<script>` stays inert. A link becomes a link only
//! to an `http:`, `https:` or `mailto:` address; any other (`javascript:`, `data:`, relative)
//! keeps just its text. Images show their description, never load anything.
//!
//! Headings are moved down to fit below the page's own headings: the text's highest heading
//! becomes `top` (the page's block labels are `<h3>`, so texts start at `<h4>`), the rest keep
//! their distance from it, none deeper than `<h6>`.

use std::fmt::Write as _;

use minijinja::HtmlEscape;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};

use crate::docx::markdown::{OPTIONS, literal_stars};

/// `source` (Markdown) as HTML whose highest heading is `<h{top}>`.
pub fn to_html(source: &str, top: u8) -> String {
    let source = literal_stars(source);
    let highest = Parser::new_ext(&source, OPTIONS)
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(number(level)),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let heading = |level: HeadingLevel| (number(level) - highest + top).clamp(1, 6);
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    // What each open tag is closed with, innermost last.
    let mut open: Vec<&'static str> = Vec::new();
    let mut in_head = false;
    for event in Parser::new_ext(&source, OPTIONS) {
        match event {
            Event::Start(tag) => {
                let (opening, closing): (String, &'static str) = match tag {
                    Tag::Paragraph => ("<p>".into(), "</p>\n"),
                    Tag::Heading { level, .. } => {
                        let n = heading(level);
                        (format!("<h{n}>"), CLOSE_HEADING[usize::from(n)])
                    }
                    Tag::BlockQuote(_) => ("<blockquote>\n".into(), "</blockquote>\n"),
                    Tag::CodeBlock(_) => ("<pre><code>".into(), "</code></pre>\n"),
                    // Raw HTML shows as typed, in a paragraph of its own.
                    Tag::HtmlBlock => ("<p>".into(), "</p>\n"),
                    Tag::List(Some(1)) => ("<ol>\n".into(), "</ol>\n"),
                    Tag::List(Some(start)) => (format!("<ol start=\"{start}\">\n"), "</ol>\n"),
                    Tag::List(None) => ("<ul>\n".into(), "</ul>\n"),
                    Tag::Item => ("<li>".into(), "</li>\n"),
                    Tag::Table(_) => (
                        "<div class=\"tabelle\"><table>\n".into(),
                        "</tbody></table></div>\n",
                    ),
                    Tag::TableHead => {
                        in_head = true;
                        ("<thead><tr>".into(), "</tr></thead>\n<tbody>\n")
                    }
                    Tag::TableRow => ("<tr>".into(), "</tr>\n"),
                    Tag::TableCell if in_head => ("<th scope=\"col\">".into(), "</th>"),
                    Tag::TableCell => ("<td>".into(), "</td>"),
                    Tag::Emphasis => ("<em>".into(), "</em>"),
                    Tag::Strong => ("<strong>".into(), "</strong>"),
                    Tag::Strikethrough => ("<s>".into(), "</s>"),
                    Tag::Link { dest_url, .. } if safe_address(&dest_url) => (
                        format!("<a href=\"{}\">", HtmlEscape(dest_url.trim())),
                        "</a>",
                    ),
                    // Anything else (an unsafe link, an image, what the options never
                    // produce) keeps only its text.
                    _ => (String::new(), ""),
                };
                out.push_str(&opening);
                open.push(closing);
            }
            Event::End(end) => {
                if matches!(end, pulldown_cmark::TagEnd::TableHead) {
                    in_head = false;
                }
                out.push_str(open.pop().unwrap_or_default());
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                let _ = write!(out, "{}", HtmlEscape(&text));
            }
            Event::Code(text) => {
                let _ = write!(out, "<code>{}</code>", HtmlEscape(&text));
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "☒ " } else { "☐ " }),
            // Footnotes and math are not enabled; their text, if any, stays text.
            Event::FootnoteReference(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                let _ = write!(out, "{}", HtmlEscape(&text));
            }
        }
    }
    out
}

const CLOSE_HEADING: [&str; 7] = [
    "", "</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n",
];

fn number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Whether a link may point at `address`: the web or mail, nothing a browser would run or
/// resolve against the page.
fn safe_address(address: &str) -> bool {
    let address = address.trim();
    let lower = address.to_ascii_lowercase();
    let scheme_ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len());
    scheme_ok && !address.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_lists_and_paragraphs_render() {
        let html = to_html(
            "Ein **wichtiger** und *betonter* Satz.\n\n- eins\n- zwei\n\n3. drei\n4. vier",
            4,
        );
        assert_eq!(
            html,
            "<p>Ein <strong>wichtiger</strong> und <em>betonter</em> Satz.</p>\n\
             <ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n\
             <ol start=\"3\">\n<li>drei</li>\n<li>vier</li>\n</ol>\n"
        );
    }

    #[test]
    fn german_stars_stay_as_written() {
        let html = to_html("Bürger*innen und Vertreter*innen, Kosten (*) laut Plan", 4);
        assert_eq!(
            html,
            "<p>Bürger*innen und Vertreter*innen, Kosten (*) laut Plan</p>\n"
        );
        assert!(!to_html("Die *Bürger*innen* kommen", 4).contains("<em>Bürger</em>"));
    }

    #[test]
    fn raw_html_is_text_and_never_markup() {
        for source in [
            "<script>alert(1)</script>",
            "Text <img src=x onerror=alert(1)> mehr",
            "<div onclick=\"x()\">\nBlock\n</div>",
            "<!-- Kommentar --> und <b>fett</b>",
            "```\n<script>alert(1)</script>\n```",
        ] {
            let html = to_html(source, 4);
            for tag in ["<script", "<img", "<div", "<b>", "<!--"] {
                assert!(!html.contains(tag), "{source:?} → {html}");
            }
        }
        assert_eq!(
            to_html("<script>alert(1)</script> Kreis", 4),
            "<p>&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Kreis</p>\n"
        );
    }

    #[test]
    fn only_web_and_mail_links_are_links() {
        assert_eq!(
            to_html("[Kreis](https://kreis.example/a?b=1&c=\"2\")", 4),
            "<p><a href=\"https:&#x2f;&#x2f;kreis.example&#x2f;a?b=1&amp;c=&quot;2&quot;\">Kreis</a></p>\n"
        );
        assert!(to_html("<mailto:amt@kreis.example>", 4).contains("<a href=\"mailto:"));
        for source in [
            "[klick](javascript:alert(1))",
            "[klick](JavaScript:alert(1))",
            "[klick]( javascript:alert(1))",
            "[klick](data:text/html;base64,PHNjcmlwdD4=)",
            "[klick](/intern)",
            "[klick](vbscript:x)",
            "![Bild](https://kreis.example/bild.png)",
        ] {
            let html = to_html(source, 4);
            assert!(!html.contains("<a"), "{source} → {html}");
            assert!(!html.contains("<img"), "{source} → {html}");
            assert!(html.contains("klick") || html.contains("Bild"), "{html}");
        }
    }

    #[test]
    fn headings_fit_below_the_page_and_tables_have_header_cells() {
        let html = to_html("## Teil\n\n### Unterteil\n\ntext", 4);
        assert!(
            html.starts_with("<h4>Teil</h4>\n<h5>Unterteil</h5>\n"),
            "{html}"
        );
        assert!(to_html("# A\n\n###### B", 4).contains("<h6>B</h6>"));
        let table = to_html("| Jahr | Betrag |\n|---|---:|\n| 2027 | 480.000 € |", 4);
        assert_eq!(
            table,
            "<div class=\"tabelle\"><table>\n<thead><tr><th scope=\"col\">Jahr</th>\
             <th scope=\"col\">Betrag</th></tr></thead>\n<tbody>\n\
             <tr><td>2027</td><td>480.000 €</td></tr>\n</tbody></table></div>\n"
        );
    }
}
