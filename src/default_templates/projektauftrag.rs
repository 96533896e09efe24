//! `projektauftrag.docx`: the Projektauftrag (a project mandate inside the administration,
//! modelled on the Kreis Groß-Gerau paper, seed 000).
//!
//! Layout: the kind as title and „Projektname:“ with the title; a label table (Datum,
//! Federführung, Ansprechpartner); „Zielsetzung des Projektes“ and „Vorschlag zur
//! Vorgehensweise / Aufgabenstellung“ as rich text; Ergebnis, Starttermin and Ende; the
//! Projektgruppe as a list; the Beratungsfolge; and the signatures as on the seed's form: per
//! sign stage a table „Datum / Unterschrift Auftraggeber“ with one row per signer („Landrat:“)
//! holding the date of the signature or room to sign; co-signatures given („Mitzeichnung“)
//! follow as lines, since the form has no rows for them.

use docx_rs::Paragraph;

use super::blocks::{self, Body, Info, gap, rich, run, styled};
use super::styles::{HEADING2, LIST_BULLET, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header("{{ org.name }} · {{ paper.kind }} „{{ paper.title }}“"),
        blocks::footer("{{ paper.kind }} „{{ paper.title }}“"),
        body(),
    )
}

fn project(body: Body) -> Body {
    body.when("paper.project.goals", |b| {
        b.p(styled(HEADING2, "Zielsetzung des Projektes"))
            .p(rich("paper.project.goals|md"))
    })
    .when("paper.project.tasks", |b| {
        b.p(styled(
            HEADING2,
            "Vorschlag zur Vorgehensweise / Aufgabenstellung",
        ))
        .p(rich("paper.project.tasks|md"))
    })
    .when(
        "paper.project.result or paper.project.start or paper.project.end",
        |b| {
            b.p(gap()).info(&[
                Info {
                    label: "Ergebnis:",
                    value: "{{ paper.project.result }}",
                    when: Some("paper.project.result"),
                },
                Info {
                    label: "Starttermin:",
                    value: "{{ paper.project.start }}",
                    when: Some("paper.project.start"),
                },
                Info {
                    label: "Ende:",
                    value: "{{ paper.project.end }}",
                    when: Some("paper.project.end"),
                },
            ])
        },
    )
    .when("paper.project.group", |b| {
        b.p(styled(HEADING2, "Projektgruppe"))
            .each("member in paper.project.group", |b| {
                b.p(styled(LIST_BULLET, "{{ member }}"))
            })
    })
}

fn body() -> Body {
    let body = Body::new()
        .p(styled(TITLE, "{{ paper.kind }}"))
        .p(Paragraph::new()
            .keep_next(true)
            .add_run(run("Projektname: ").bold().size(26))
            .add_run(run("{{ paper.title }}").bold().size(26)))
        .p(gap())
        .info(&[
            Info {
                label: "Datum:",
                value: "{{ paper.date|datum }}",
                when: Some("paper.date"),
            },
            Info {
                label: "Federführung:",
                value: "{{ paper.lead_office }}",
                when: Some("paper.lead_office"),
            },
            Info {
                label: "Ansprechpartner/in:",
                value: "{{ paper.author.name }}",
                when: Some("paper.author"),
            },
            Info {
                label: "Drucksachen-Nr.:",
                value: "{{ paper.reference }}",
                when: Some("paper.reference"),
            },
        ]);
    let body = body.when("paper.project", project).p(gap());
    let body = blocks::consultation_section(body, false);
    blocks::signing_section(body)
}
