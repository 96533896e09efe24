//! `stellungnahme.docx`: the administration's Stellungnahme to a motion or an Anfrage.
//!
//! Layout: the organisation's letterhead; the lead office; „Stellungnahme der Verwaltung“ as
//! title with „zum Ergänzungsantrag 042/21-1 der Fraktion … vom …“; the label table; the
//! answered paper's title; the Stellungnahme as rich text; a recommendation, if any; „Im
//! Auftrag“ with the author's name.

use docx_rs::Paragraph;

use super::blocks::{self, Body, Info, field, gap, plain, rich, run, styled};
use super::styles::{HEADING2, SUBTITLE, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header("{{ org.name }} · {{ paper.kind }} {{ paper.reference }}"),
        blocks::footer("{{ paper.kind }} {{ paper.reference }}"),
        body(),
    )
}

const ANSWERS: &str = "{{ paper.answers.kind_zu }} {{ paper.answers.reference }}\
{% if paper.answers.by %} der {{ paper.answers.by }}{% endif %}";

const RECOMMENDATION_HEAD: &str =
    "Ziffer {{ r.ziffer }}{{ \": \" ~ r.subject if r.subject else \"\" }}";

fn body() -> Body {
    Body::new()
        .when("paper.lead_office", |b| {
            b.p(Paragraph::new().add_run(run("{{ paper.lead_office }}").bold()))
        })
        .p(styled(TITLE, "{{ paper.kind }}"))
        .when("paper.answers", |b| b.p(plain(ANSWERS)))
        .info(&[
            Info {
                label: "Drucksachen-Nr.:",
                value: "{{ paper.reference }}",
                when: Some("paper.reference"),
            },
            Info {
                label: "Datum:",
                value: "{{ paper.date|datum }}",
                when: Some("paper.date"),
            },
            Info {
                label: "Sachbearbeitung:",
                value: "{{ paper.author.name }}",
                when: Some("paper.author"),
            },
            Info {
                label: "Aktenzeichen:",
                value: "{{ paper.file_number }}",
                when: Some("paper.file_number"),
            },
        ])
        .p(gap())
        .when("paper.answers", |b| {
            b.p(styled(SUBTITLE, "{{ paper.answers.title }}"))
        })
        .when("paper.facts", |b| {
            b.p(styled(HEADING2, "Stellungnahme:"))
                .p(rich("paper.facts|md"))
        })
        .when("paper.proposal", |b| {
            b.p(styled(HEADING2, "Empfehlung der Verwaltung:"))
                .each("point in paper.proposal", |b| b.p(plain("{{ point }}")))
        })
        .when("paper.recommendations", |b| {
            b.p(styled(
                HEADING2,
                "Empfehlung der Verwaltung zu den Ziffern des Antrags:",
            ))
            .each("r in paper.recommendations", |b| {
                b.p(Paragraph::new()
                    .keep_next(true)
                    .add_run(run(RECOMMENDATION_HEAD).bold()))
                    .p(field("Empfehlung:", "{{ r.recommend }}"))
                    .when("r.reasons", |b| b.p(plain("{{ r.reasons }}")))
            })
        })
        .when("paper.reasons", |b| {
            b.p(styled(HEADING2, "Begründung:"))
                .p(rich("paper.reasons|md"))
        })
        .p(gap())
        .p(Paragraph::new().keep_next(true).add_run(run("Im Auftrag")))
        .p(Paragraph::new().keep_next(true).add_run(run("")))
        .when("paper.author", |b| b.p(plain("{{ paper.author.name }}")))
}
