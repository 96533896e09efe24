//! `anfrage.docx`: a Fraktion's Anfrage (question) to the administration.
//!
//! Layout: the Fraktion (and the organisation) in the page header, like a motion; „Anfrage vom
//! …“ as title and the question's own title; the addressee; a preliminary remark („Sachverhalt“);
//! the request to answer, with the meeting of its Beratungsfolge; the numbered questions;
//! „Begründung“; the Fraktion's signatories.

use docx_rs::{Paragraph, SpecialIndentType};

use super::blocks::{self, Body, gap, numbered, plain, rich, run, styled};
use super::styles::{HEADING2, NOTE, SUBTITLE, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::letterhead(
            "paper.by.name if paper.by else (org.letterhead[0] if org.letterhead else org.name)",
            "[org.name] if paper.by else org.letterhead[1:]",
        ),
        blocks::short_header(
            "{{ paper.by.name if paper.by else org.name }} · {{ paper.kind }} {{ paper.reference }}",
        ),
        blocks::footer("{{ paper.kind }} {{ paper.reference }}"),
        body(),
    )
}

const TITLE_LINE: &str =
    "{{ paper.kind }}{% if paper.date %} vom {{ paper.date|datum }}{% endif %}";

/// „Die Fraktion … bittet um Beantwortung der folgenden Fragen in der Sitzung des …:“.
const REQUEST: &str = "{% if paper.by %}Die {{ paper.by.name }} bittet{% else %}Wir bitten{% endif %} \
um {{ \"mündliche\" if paper.consultations else \"schriftliche\" }} Beantwortung der folgenden \
{{ \"Frage\" if paper.questions|length == 1 else \"Fragen\" }}\
{% if paper.consultations %} in der Sitzung: {{ paper.consultations[0].body }}\
{{ \" am \" ~ paper.consultations[0].date|datum if paper.consultations[0].date else \"\" }}{% endif %}.";

fn body() -> Body {
    Body::new()
        .p(styled(TITLE, TITLE_LINE))
        .p(styled(SUBTITLE, "{{ paper.title }}"))
        .when("paper.addressee", |b| b.p(plain("{{ paper.addressee }}")))
        .when("paper.facts", |b| {
            b.p(styled(HEADING2, "Sachverhalt"))
                .p(rich("paper.facts|md"))
        })
        .p(plain(REQUEST))
        .each("question in paper.questions", |b| {
            b.p(numbered("{{ loop.index }}.", "{{ question }}"))
        })
        .when("paper.reasons", |b| {
            b.p(styled(HEADING2, "Begründung"))
                .p(rich("paper.reasons|md"))
        })
        .when("paper.closing", |b| {
            b.p(gap()).p(Paragraph::new()
                .keep_next(true)
                .add_run(run("{{ paper.closing }}")))
        })
        .when("paper.by", |b| {
            b.p(Paragraph::new().keep_next(true).add_run(run("")))
                .each("name in paper.by.signatories", |b| {
                    b.p(Paragraph::new().keep_next(true).add_run(run("{{ name }}")))
                })
                .p(Paragraph::new()
                    .style(NOTE)
                    .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
                    .add_run(run("für die {{ paper.by.name }}")))
        })
}
