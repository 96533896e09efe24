//! `tagesordnung.docx`: the agenda (Tagesordnung) of one meeting of a body.
//!
//! Layout: the organisation's letterhead; „Tagesordnung“ as title, the body below it; the day,
//! date and (once set) the state of the agenda as a label table; a note naming the TOPs of the
//! Nachtrag; the public part and the non-public part, each a list of TOPs („TOP 3.1“, tab,
//! title) with the Drucksache, its kind, the body's role and remarks (Nachtrag,
//! Dringlichkeitsantrag) in a grey line below.

use docx_rs::{Paragraph, Run, SpecialIndentType};

use super::blocks::{self, Body, Info, gap, run, styled};
use super::styles::{HEADING2, NOTE, SUBTITLE, TITLE};

/// Hanging indentation of a TOP line: room for „TOP 12.3“.
const TOP_HANG: i32 = 1134;

/// The template's bytes.
pub(super) fn build() -> Vec<u8> {
    blocks::template(
        blocks::org_letterhead(),
        blocks::short_header(
            "{{ org.name }} · Tagesordnung {{ meeting.body }} am {{ meeting.date|datum }}",
        ),
        blocks::footer("Tagesordnung {{ meeting.body }}, {{ meeting.date|datum }}"),
        body(),
    )
}

/// One TOP: number and title, then the Drucksache line.
fn item(body: Body) -> Body {
    body.p(Paragraph::new()
        .keep_next(true)
        .indent(
            Some(TOP_HANG),
            Some(SpecialIndentType::Hanging(TOP_HANG)),
            None,
            None,
        )
        .add_run(run("TOP {{ i.number }}").bold())
        .add_run(Run::new().add_tab())
        .add_run(run("{{ i.title }}")))
        .when("i.reference", |b| {
            b.p(styled(
                NOTE,
                "Drucksache {{ i.reference }} · {{ i.kind }} · {{ i.role }}\
{% if i.remarks %} · {{ i.remarks|join(\" · \") }}{% endif %}",
            )
            .indent(Some(TOP_HANG), None, None, None))
        })
}

fn part(body: Body, heading: &str, list: &str) -> Body {
    body.p(styled(HEADING2, heading))
        .each(&format!("i in {list}"), item)
}

fn body() -> Body {
    let body = Body::new()
        .p(styled(TITLE, "Tagesordnung"))
        .p(styled(SUBTITLE, "{{ meeting.body }}"))
        .info(&[
            Info {
                label: "Sitzung am:",
                value: "{{ meeting.date|wochentag }}, {{ meeting.date|datum }}",
                when: None,
            },
            Info {
                label: "Stand:",
                value: "{{ meeting.state }}",
                when: None,
            },
        ])
        .when("meeting.supplement", |b| {
            b.p(styled(
                NOTE,
                "Nachtrag zur Tagesordnung: TOP {{ meeting.supplement|join(\", \") }}",
            ))
        })
        .p(gap());
    let body = part(body, "Öffentlicher Teil", "public");
    part(body, "Nichtöffentlicher Teil", "non_public")
}
