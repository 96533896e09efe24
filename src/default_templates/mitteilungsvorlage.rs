//! `mitteilungsvorlage.docx`: the Mitteilungsvorlage (information for a committee, modelled on
//! the Rhein-Sieg-Kreis paper, seed 001).
//!
//! Layout: the lead office on the first line; the kind as title with „Vorlage für den
//! öffentlichen (nichtöffentlichen) Sitzungsteil“; the label table; the Beratungsfolge;
//! „Tagesordnungs-Punkt“ with title and subtitle; „Kurzfassung:“, „Vorbemerkungen:“ and
//! „Erläuterungen:“ as rich text; the Finanzen box and the numbered Anlagen of a Vorlage; the
//! closing sentence; the meeting it is meant for (first consultation); „Im
//! Auftrag“ with the author's name.

use docx_rs::Paragraph;

use super::beschlussvorlage::{anlagen, finances, subject};
use super::blocks::{self, Body, Info, gap, plain, rich, run, styled};
use super::styles::{HEADING2, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header("{{ org.name }} · {{ paper.kind }} {{ paper.reference }}"),
        blocks::footer("{{ paper.kind }} {{ paper.reference }}"),
        body(),
    )
}

/// „Zur Sitzung: Ausschuss … am 03.06.2019.“ (a body name cannot be put in the genitive).
const MEETING: &str = "Zur Sitzung: {{ paper.consultations[0].body }}\
{{ \" am \" ~ paper.consultations[0].date|datum if paper.consultations[0].date else \"\" }}.";

/// A paragraph of the closing block: the closing sentence, the meeting, „Im Auftrag“ and the
/// room to sign stay on the page of the name below them.
fn kept(text: &str) -> Paragraph {
    Paragraph::new()
        .keep_next(true)
        .keep_lines(true)
        .add_run(run(text))
}

fn body() -> Body {
    let body = Body::new()
        .when("paper.lead_office", |b| {
            b.p(Paragraph::new().add_run(run("{{ paper.lead_office }}").bold()))
        })
        .p(styled(TITLE, "{{ paper.kind }}"))
        .p(plain(
            "Vorlage für den {{ \"öffentlichen\" if paper.public else \"nichtöffentlichen\" }} Sitzungsteil",
        ))
        .info(&[
            Info { label: "Drucksachen-Nr.:", value: "{{ paper.reference }}", when: Some("paper.reference") },
            Info { label: "Datum:", value: "{{ paper.date|datum }}", when: Some("paper.date") },
            Info { label: "Dezernat:", value: "{{ paper.department }}", when: Some("paper.department") },
            Info { label: "Dienststelle:", value: "{{ paper.office_unit }}", when: Some("paper.office_unit") },
            Info { label: "Sachbearbeitung:", value: "{{ paper.author.name }}", when: Some("paper.author") },
            Info { label: "Aktenzeichen:", value: "{{ paper.file_number }}", when: Some("paper.file_number") },
        ])
        .p(gap());
    let body = blocks::consultation_section(body, false);
    subject(body.p(styled(HEADING2, "Tagesordnungs-Punkt")))
        .when("paper.summary", |b| {
            b.p(styled(HEADING2, "Kurzfassung:"))
                .p(rich("paper.summary|md"))
        })
        .when("paper.preliminary", |b| {
            b.p(styled(HEADING2, "Vorbemerkungen:"))
                .p(rich("paper.preliminary|md"))
        })
        .when("paper.facts", |b| {
            b.p(styled(HEADING2, "Erläuterungen:"))
                .p(rich("paper.facts|md"))
        })
        .then(finances)
        .then(anlagen)
        .when("paper.closing", |b| {
            b.p(gap()).p(kept("{{ paper.closing }}"))
        })
        .when("paper.consultations", |b| b.p(kept(MEETING)))
        .p(kept(""))
        .p(kept("Im Auftrag"))
        .p(kept(""))
        .p(kept(""))
        .when("paper.author", |b| {
            b.p(Paragraph::new()
                .keep_lines(true)
                .add_run(run("{{ paper.author.name }}")))
        })
}
