//! `beschlussvorlage.docx`: the Beschlussvorlage (modelled on the Hemmingen paper, seed 002),
//! also used for every paper kind without a template of its own (the Oelde slides, seed 004).
//!
//! Layout: kind as title; Drucksachen-Nr., Datum, Dezernat, Federführung, Dienststelle,
//! Sachbearbeitung, Aktenzeichen and Sitzungsteil as a label table; the Beratungsfolge;
//! „Gegenstand der Vorlage“ with title and subtitle; „Kurzfassung:“ and „Sachverhalt:“ as rich
//! text; „Beschlussvorschlag:“ as numbered points (with a note when the proposal is
//! reconstructed); the Finanzielle Auswirkungen as the usual bordered box; „Finanzierung:“ with
//! the costs; „Anlagen:“ numbered („Anlage 1: …“). Every part without data disappears.

use docx_rs::Paragraph;

use super::blocks::{self, Body, Info, field, gap, plain, rich, run, styled};
use super::styles::{HEADING2, NOTE, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header("{{ org.name }} · {{ paper.kind }} {{ paper.reference }}"),
        blocks::footer("{{ paper.kind }} {{ paper.reference }}"),
        body(),
    )
}

/// The label lines at the top of a Vorlage.
const FACTS: &[Info<'static>] = &[
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
        label: "Dezernat:",
        value: "{{ paper.department }}",
        when: Some("paper.department"),
    },
    Info {
        label: "Federführung:",
        value: "{{ paper.lead_office }}",
        when: Some("paper.lead_office"),
    },
    Info {
        label: "Dienststelle:",
        value: "{{ paper.office_unit }}",
        when: Some("paper.office_unit"),
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
    Info {
        label: "Sitzungsteil:",
        value: "{{ \"öffentlich\" if paper.public else \"nichtöffentlich\" }}",
        when: None,
    },
];

/// The rows of the Finanzen box.
pub(super) const FINANCES: &[Info<'static>] = &[
    Info {
        label: "Finanzielle Auswirkungen:",
        value: "{{ paper.finances.impact }}",
        when: None,
    },
    Info {
        label: "Art:",
        value: "{{ paper.finances.recurrence }}",
        when: Some("paper.finances.recurrence"),
    },
    Info {
        label: "Aufwand:",
        value: "{{ paper.finances.expense|eur }}",
        when: Some("paper.finances.expense is not none"),
    },
    Info {
        label: "Ertrag:",
        value: "{{ paper.finances.income|eur }}",
        when: Some("paper.finances.income is not none"),
    },
    Info {
        label: "Haushaltsstelle/Produkt:",
        value: "{{ paper.finances.budget_line }}",
        when: Some("paper.finances.budget_line"),
    },
    Info {
        label: "Erläuterung:",
        value: "{{ paper.finances.text }}",
        when: Some("paper.finances.text"),
    },
];

/// The Finanzen box, when the paper has the data: its first row („Finanzielle Auswirkungen:
/// ja“) is its heading.
pub(super) fn finances(body: Body) -> Body {
    body.when("paper.finances", |b| {
        b.p(gap()).table(blocks::box_table(FINANCES))
    })
}

/// „Anlagen:“ numbered, each with its title.
pub(super) fn anlagen(body: Body) -> Body {
    body.when("paper.anlagen", |b| {
        b.p(styled(HEADING2, "Anlagen:"))
            .each("anlage in paper.anlagen", |b| {
                b.p(plain("Anlage {{ anlage.number }}: {{ anlage.title }}"))
            })
    })
}

/// The bold title of the paper and its subtitle.
pub(super) fn subject(body: Body) -> Body {
    body.p(Paragraph::new()
        .keep_next(true)
        .add_run(run("{{ paper.title }}").bold().size(24)))
        .when("paper.subtitle", |b| b.p(plain("{{ paper.subtitle }}")))
}

fn body() -> Body {
    let body = Body::new()
        .p(styled(TITLE, "{{ paper.kind }}"))
        .info(FACTS)
        .p(gap());
    let body = blocks::consultation_section(body, false);
    let body = subject(body.p(styled(HEADING2, "Gegenstand der Vorlage")));
    body.when("paper.summary", |b| {
        b.p(styled(HEADING2, "Kurzfassung:"))
            .p(rich("paper.summary|md"))
    })
    .when("paper.facts", |b| {
        b.p(styled(HEADING2, "Sachverhalt:"))
            .p(rich("paper.facts|md"))
    })
    .when("paper.proposal", |b| {
        b.p(styled(HEADING2, "Beschlussvorschlag:"))
            .when("paper.proposal_reconstructed", |b| {
                b.p(styled(
                    NOTE,
                    "Hinweis: Der Beschlussvorschlag ist rekonstruiert.",
                ))
            })
            .when("paper.outline.intro", |b| {
                b.p(plain("{{ paper.outline.intro }}"))
            })
            .then(|b| blocks::outline(b, "item in paper.outline.items", |b| b))
    })
    .when("paper.financing or paper.costs is not none", |b| {
        b.p(styled(HEADING2, "Finanzierung:"))
            .when("paper.financing", |b| b.p(plain("{{ paper.financing }}")))
            .when("paper.costs is not none", |b| {
                b.p(field(
                    "Kosten:",
                    "{{ paper.costs|eur(paper.costs_period) }}",
                ))
            })
    })
    .then(finances)
    .then(anlagen)
}
