//! `antrag.docx`: a Fraktion's motion, above all the Änderungs- or Ergänzungsantrag to a
//! Drucksache (modelled on the motion of the GRÜNE in the Kreistag Unna, seed 003).
//!
//! Layout: the Fraktion (and the organisation) in the page header; „Ergänzungsantrag zur DS
//! 042/21 vom 09.02.2021“ as title and the motion's own title; the addressee; the request to
//! debate and vote with the meetings of its Beratungsfolge (addressed to several bodies: one
//! sentence „… an den Kreisausschuss und den Kreistag … am 22./23.03.2021“); the title of the amended paper;
//! each change as a heading („Änderung des Beschlussvorschlages in Punkt 3:“) with its text;
//! „Begründung“; the closing sentence and the Fraktion's signatories.

use docx_rs::{Paragraph, SpecialIndentType};

use super::blocks::{self, Body, gap, plain, rich, run, styled};
use super::styles::{HANG, HEADING2, NOTE, SUBTITLE, TITLE};

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

const TITLE_LINE: &str = "{{ paper.kind }}\
{% if paper.amends %} zur DS {{ paper.amends.reference }}{% endif %}\
{% if paper.date %} vom {{ paper.date|datum }}{% endif %}";

/// „Die Fraktion … bittet um Beratung und Abstimmung dieses Ergänzungsantrages zur Drucksache
/// 042/21 in der Sitzung:“ (the genitive of every kind of „…antrag“ ends in „-es“).
const REQUEST: &str = "{% if paper.by %}Die {{ paper.by.name }} bittet{% else %}Wir bitten{% endif %} \
um Beratung und Abstimmung dieses \
{{ paper.kind ~ \"es\" if paper.kind is endingwith(\"antrag\") else paper.kind }}\
{% if paper.amends %} zur Drucksache {{ paper.amends.reference }}{% endif %}\
{% if paper.consultations %} in {{ \"den Sitzungen\" if paper.consultations|length > 1 else \"der Sitzung\" }}:\
{% else %}.{% endif %}";

/// „Die Fraktion GRÜNE im Kreistag beantragt:“ before the Ziffern.
const MOVES: &str =
    "{% if paper.by %}Die {{ paper.by.name }} beantragt:{% else %}Wir beantragen:{% endif %}";

const MEETING: &str = "{{ c.body }}{{ \" am \" ~ c.date|datum if c.date else \"\" }}";

/// The note under a Ziffer, indented like its wording.
fn effect() -> Paragraph {
    Paragraph::new()
        .style(NOTE)
        .indent(
            Some(HANG),
            Some(SpecialIndentType::FirstLine(0)),
            None,
            None,
        )
        .add_run(run("{{ item.note }}"))
}

fn body() -> Body {
    Body::new()
        .p(styled(TITLE, TITLE_LINE))
        .p(styled(SUBTITLE, "{{ paper.title }}"))
        .when("paper.late", |b| b.p(styled(NOTE, "{{ paper.late }}")))
        .when("paper.addressee", |b| b.p(plain("{{ paper.addressee }}")))
        .when("paper.addressed", |b| {
            b.p(plain("{{ paper.addressed.request }}"))
        })
        .when("not paper.addressed", |b| {
            b.p(plain(REQUEST)).each("c in paper.consultations", |b| {
                b.p(Paragraph::new()
                    .indent(Some(HANG), None, None, None)
                    .add_run(run(MEETING).bold()))
            })
        })
        .when("paper.amends", |b| {
            b.p(gap()).p(Paragraph::new()
                .keep_next(true)
                .add_run(run("{{ paper.amends.title }}").bold().size(24)))
        })
        .when("paper.ziffern.items", |b| {
            b.p(gap())
                .p(Paragraph::new().keep_next(true).add_run(run(MOVES)))
                .then(|b| {
                    blocks::outline(b, "item in paper.ziffern.items", |b| {
                        b.when("item.note", |b| b.p(effect()))
                    })
                })
        })
        .when("paper.reasons", |b| {
            b.p(styled(HEADING2, "Begründung"))
                .p(rich("paper.reasons|md"))
        })
        .when("paper.closing", |b| {
            b.p(gap()).p(Paragraph::new()
                .keep_next(true)
                .keep_lines(true)
                .add_run(run("{{ paper.closing }}")))
        })
        .when("paper.by", |b| {
            b.p(Paragraph::new().keep_next(true).add_run(run("")))
                .p(Paragraph::new().keep_next(true).add_run(run("")))
                .each("name in paper.by.signatories", |b| {
                    b.p(Paragraph::new().keep_next(true).add_run(run("{{ name }}")))
                })
                .p(Paragraph::new()
                    .style(NOTE)
                    .indent(None, Some(SpecialIndentType::FirstLine(0)), None, None)
                    .add_run(run("für die {{ paper.by.name }}")))
        })
}
