//! `beschlussentwurf.docx`: the decision draft of a Drucksache — its proposal with the adopted
//! amendments applied (for 042/21: point 3 replaced and a new point 4 from the
//! Ergänzungsantrag of the GRÜNE, seed 003).
//!
//! Before the meeting it shows the proposal and the motions still to be voted on. Once the
//! paper is decided, title and status follow the result („Beschluss (geändert
//! beschlossen)“, with body and meeting). Layout: „Beschlussentwurf“ as title with the Drucksache's number and title; Stand and
//! Federführung; the Beratungsfolge with its results; a red warning box listing conflicting
//! amendments; the points with their sub-points in real Word numbering of the paper's style
//! (numbered anew after inserted and deleted points), each changed one marked in italics
//! „(geändert durch …)“ or „(neu durch …)“; the deleted points; „Grundlage:“ naming the
//! amendments applied.

use super::blocks::{self, Body, Info, field, gap, indented, styled};
use super::styles::{HEADING2, HEADING3, NOTE, SUBTITLE, TITLE, WARNING};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header(
            "{{ org.name }} · Beschlussentwurf zur Drucksache {{ paper.reference }}",
        ),
        blocks::footer("Beschlussentwurf zur Drucksache {{ paper.reference }}"),
        body(),
    )
}

/// „Beschlussentwurf“ until decided, then „Beschluss (geändert beschlossen)“.
const TITLE_TEXT: &str =
    "{{ \"Beschluss (\" ~ decided.result ~ \")\" if decided else \"Beschlussentwurf\" }}";

/// The day of rendering until decided, then the result with body and meeting.
const STATUS: &str = "{{ decided.result ~ \" (\" ~ decided.body ~ \", Sitzung am \" ~ decided.meeting|datum ~ \")\" if decided else today|datum }}";

/// With adopted motions the proposal as decided, else the proposal as it stands.
const PROPOSAL_HEADING: &str = "{{ \"Beschlussvorschlag in der beschlossenen Fassung:\" \
if decision.amendments else \"Beschlussvorschlag:\" }}";

const CONFLICTS: &str = "Achtung: Beschlossene Anträge widersprechen sich. \
Dieser Entwurf gilt erst, wenn das geklärt ist:";

fn decision(body: Body) -> Body {
    body.when("decision.conflicts", |b| {
        b.p(styled(WARNING, CONFLICTS))
            .each("conflict in decision.conflicts", |b| b.p(styled(WARNING, "– {{ conflict }}")))
    })
    .p(styled(HEADING2, PROPOSAL_HEADING))
    .when("paper.proposal_reconstructed", |b| {
        b.p(styled(NOTE, "Hinweis: Der Beschlussvorschlag der Vorlage ist rekonstruiert."))
    })
    .then(|b| blocks::noted_outline(b, "item in decision.items"))
    .when("decision.deleted", |b| {
        b.p(styled(HEADING3, "Gestrichen:"))
            .each("line in decision.deleted", |b| b.p(indented(NOTE, "{{ line }}")))
    })
    .when("decision.attachments", |b| {
        b.p(styled(HEADING3, "Änderungen der Anlagen:"))
            .each("line in decision.attachments", |b| b.p(indented(NOTE, "{{ line }}")))
    })
    .when("decision.requests", |b| {
        b.p(styled(HEADING3, "Weitere Beschlüsse:"))
            .each("line in decision.requests", |b| b.p(indented(NOTE, "{{ line }}")))
    })
    .when("pending_motions", |b| {
        b.p(styled(HEADING3, "Anträge zur Beratung:"))
            .each("motion in pending_motions", |b| b.p(indented(NOTE, "{{ motion }}")))
    })
    .when("decision.amendments", |b| {
        b.p(gap()).p(field(
            "Grundlage:",
            "Beschlussvorschlag der Drucksache {{ paper.reference }}, geändert durch {{ decision.amendments|join(\"; \") }}",
        ))
    })
}

fn body() -> Body {
    let body = Body::new()
        .p(styled(TITLE, TITLE_TEXT))
        .p(styled(
            SUBTITLE,
            "Drucksache {{ paper.reference }}: {{ paper.title }}",
        ))
        .info(&[
            Info {
                label: "Stand:",
                value: STATUS,
                when: None,
            },
            Info {
                label: "Vorlage:",
                value: "{{ paper.kind }} vom {{ paper.date|datum }}",
                when: Some("paper.date"),
            },
            Info {
                label: "Federführung:",
                value: "{{ paper.lead_office }}",
                when: Some("paper.lead_office"),
            },
        ])
        .p(gap());
    let body = blocks::consultation_section(body, true);
    body.when("decision", decision)
}
