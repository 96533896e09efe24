//! `beschluss.docx`: the Beschlussauszug written after every decision — for 042/21 the
//! Kreistag's decision of 23.03.2021 with point 3 as the Ergänzungsantrag of the GRÜNE changed
//! it, and also for a Vorlage adopted unchanged (the usual case).
//!
//! Layout: „Beschlussauszug“ as title with the Drucksache's number and title; the label table
//! (Gremium, Sitzung, TOP once the agenda gives one, öffentlich/nichtöffentlich, Ergebnis,
//! Abstimmung); „Beschluss:“ with the decided text in real Word numbering of the paper's style
//! (sub-points nested, numbered anew after inserted and deleted points, a single point without
//! a number; shared with the Beschlussentwurf), each point changed by a motion marked in
//! italics; the results and votes per point and Ziffer; the referrals with their meetings; the
//! body and the date of the meeting — never the day of rendering.

use super::blocks::{self, Body, Info, gap, plain, styled};
use super::styles::{HEADING2, HEADING3, NOTE, SUBTITLE, TITLE};

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header(
            "{{ org.name }} · Beschlussauszug zur Drucksache {{ paper.reference }}",
        ),
        blocks::footer("Beschlussauszug zur Drucksache {{ paper.reference }}"),
        body(),
    )
}

const HEADING: &str = "{{ \"Beschluss:\" if beschluss.adopted else \"Beschlussvorschlag:\" }}";

fn decision(body: Body) -> Body {
    body.info(&[
        Info {
            label: "Gremium:",
            value: "{{ beschluss.body }}",
            when: None,
        },
        Info {
            label: "Sitzung am:",
            value: "{{ beschluss.meeting|datum }}",
            when: Some("beschluss.meeting"),
        },
        Info {
            label: "TOP:",
            value: "{{ beschluss.top }}",
            when: Some("beschluss.top"),
        },
        Info {
            label: "Öffentlichkeit:",
            value: "{{ beschluss.public }}",
            when: None,
        },
        Info {
            label: "Ergebnis:",
            value: "{{ beschluss.result }}",
            when: None,
        },
        Info {
            label: "Abstimmung:",
            value: "{{ beschluss.votes }}",
            when: Some("beschluss.votes"),
        },
    ])
    .p(gap())
    .p(styled(HEADING2, HEADING))
    .when("paper.proposal_reconstructed", |b| {
        b.p(styled(
            NOTE,
            "Hinweis: Der Beschlussvorschlag der Vorlage ist rekonstruiert.",
        ))
    })
    .then(|b| blocks::noted_outline(b, "item in beschluss.items"))
    .when("beschluss.results", |b| {
        b.p(styled(HEADING3, "Abstimmung je Punkt und Ziffer:"))
            .each("line in beschluss.results", |b| b.p(plain("{{ line }}")))
    })
    .when("beschluss.referrals", |b| {
        b.p(styled(HEADING3, "Verweisungen:"))
            .each("line in beschluss.referrals", |b| b.p(plain("{{ line }}")))
    })
    .p(gap())
    .when("beschluss.meeting", |b| {
        b.p(plain(
            "{{ beschluss.body }}, Sitzung am {{ beschluss.meeting|datum }}",
        ))
    })
}

fn body() -> Body {
    Body::new()
        .p(styled(TITLE, "Beschlussauszug"))
        .p(styled(
            SUBTITLE,
            "Drucksache {{ paper.reference }}: {{ paper.title }}",
        ))
        .when("beschluss", decision)
}
