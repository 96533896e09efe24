//! Meeting and AgendaItem objects: every meeting of a Gremium's calendar and every meeting
//! some paper is consulted at, with the public part of its agenda. Items of the
//! nichtöffentlicher Teil, and items of papers that are not published, are left out; the
//! agenda document (invitation) only goes out when nothing on it is withheld.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::context::{Context, Stamp, object, put_list, put_text};
use super::files::{FileObject, file};
use crate::documents::DocKind;
use crate::meeting::{Agenda, Part};

/// The meetings of the export with everything found on the way.
#[derive(Default)]
pub struct Meetings {
    /// Meeting objects, by the organisation (OParl Body) they belong to.
    pub meetings: Vec<(String, Map<String, Value>)>,
    /// AgendaItem objects, by organisation.
    pub items: Vec<(String, Map<String, Value>)>,
    /// Files (invitations and resolution files), by organisation.
    pub files: Vec<(String, FileObject)>,
    /// The agenda item of a consultation: by paper, stage and meeting date.
    pub item_of: BTreeMap<(String, String, NaiveDate), String>,
}

/// Builds every meeting.
pub fn build(cx: &Context<'_>) -> Meetings {
    let agendas: BTreeMap<(&str, NaiveDate), &Agenda> = cx
        .input
        .agendas
        .iter()
        .map(|a| ((a.body.as_str(), a.date), a))
        .collect();
    let mut out = Meetings::default();
    for (body_id, date) in &cx.meetings {
        let Some(body) = cx.input.project.directory.body(body_id) else {
            continue;
        };
        let org = cx.org_of_body(body_id);
        let url = cx.urls.meeting(body_id, *date);
        let agenda = agendas.get(&(body_id.as_str(), *date)).copied();
        let mut meeting = object(url.clone(), "Meeting");
        put_text(
            &mut meeting,
            "name",
            Some(&format!(
                "{} – Sitzung am {}",
                body.name,
                date.format("%d.%m.%Y")
            )),
        );
        let today = cx
            .input
            .now
            .with_timezone(&cx.input.project.settings.time_zone);
        let state = if *date < today.date_naive() {
            "durchgeführt"
        } else if agenda.is_some_and(|a| a.set) {
            "eingeladen"
        } else {
            "geplant"
        };
        put_text(&mut meeting, "meetingState", Some(state));
        meeting.insert(
            "organization".into(),
            Value::Array(vec![Value::String(cx.urls.organization(body_id))]),
        );
        let participants = body
            .members
            .iter()
            .filter(|p| super::public::person(cx.input.project, p))
            .map(|p| cx.urls.person(p))
            .collect();
        put_list(&mut meeting, "participant", participants);
        let mut stamp = cx.directory_stamp();
        if let Some(agenda) = agenda {
            let (items, items_stamp) = agenda_items(cx, agenda, &url, &org, &mut out);
            if let Some(items_stamp) = items_stamp {
                stamp = items_stamp;
            }
            if !items.is_empty() {
                meeting.insert(
                    "agendaItem".into(),
                    Value::Array(items.into_iter().map(Value::Object).collect()),
                );
            }
            if let Some(invitation) = invitation(cx, agenda, stamp, &url) {
                meeting.insert("invitation".into(), Value::Object(invitation.value.clone()));
                out.files.push((org.clone(), invitation));
            }
        }
        stamp.put(&mut meeting);
        out.meetings.push((org, meeting));
    }
    out
}

/// The published items of an agenda, numbered by `order`; their times span the meeting's.
fn agenda_items(
    cx: &Context<'_>,
    agenda: &Agenda,
    meeting_url: &str,
    org: &str,
    out: &mut Meetings,
) -> (Vec<Map<String, Value>>, Option<Stamp>) {
    let mut items: Vec<(Map<String, Value>, Option<Stamp>)> = Vec::new();
    let mut span: Option<Stamp> = None;
    let published = agenda.items.iter().filter(|item| {
        item.part == Part::Public && item.paper.as_ref().is_none_or(|p| cx.is_public(&p.id))
    });
    for (index, item) in published.enumerate() {
        let order = index + 1;
        let url = cx.urls.agenda_item(&agenda.body, agenda.date, order);
        let mut value = object(url.clone(), "AgendaItem");
        value.insert("meeting".into(), Value::String(meeting_url.to_string()));
        put_text(&mut value, "number", Some(&item.number));
        value.insert("order".into(), Value::from(order));
        put_text(&mut value, "name", Some(&item.title));
        value.insert("public".into(), Value::Bool(true));
        let mut stamp = None;
        if let Some(paper_item) = &item.paper
            && let Some(facts) = cx.input.papers.get(&paper_item.id)
        {
            value.insert(
                "consultation".into(),
                Value::String(cx.urls.consultation(&paper_item.id, &paper_item.stage)),
            );
            out.item_of.insert(
                (paper_item.id.clone(), paper_item.stage.clone(), agenda.date),
                url.clone(),
            );
            if let Some(result) = motion_result(cx, facts, agenda.date) {
                put_text(&mut value, "result", Some(result));
            }
            let decision = decision_at(facts, &paper_item.stage, agenda.date);
            if let Some((result, index)) = decision {
                put_text(&mut value, "result", Some(result));
                let rendered = facts
                    .rendered
                    .iter()
                    .find(|r| r.kind == DocKind::Beschluss(index));
                if let (Some(rendered), Some(entry)) = (rendered, facts.journal.get(index)) {
                    let name = format!(
                        "Beschlussauszug {}, {}, {}",
                        facts.paper.reference(),
                        agenda.body_name,
                        agenda.date.format("%d.%m.%Y")
                    );
                    let links = [("paper", cx.urls.paper(&facts.paper.id))];
                    if let Some(resolution) = file(
                        cx,
                        &facts.paper.id,
                        rendered,
                        name,
                        Stamp::at(entry.time),
                        &links,
                    ) {
                        value.insert(
                            "resolutionFile".into(),
                            Value::Object(resolution.value.clone()),
                        );
                    }
                }
            }
            stamp = Some(cx.stage_stamp(facts, &paper_item.stage));
        }
        if let Some(stamp) = stamp {
            span = Some(span.map_or(stamp, |s| s.merge(stamp)));
        }
        items.push((value, stamp));
    }
    // Items without a paper (opening, closing) take the times of the meeting's papers.
    let items = items
        .into_iter()
        .map(|(mut value, stamp)| {
            stamp
                .or(span)
                .unwrap_or_else(|| cx.directory_stamp())
                .put(&mut value);
            out.items.push((org.to_string(), value.clone()));
            value
        })
        .collect();
    (items, span)
}

/// How the body voted on a motion while deciding its base paper on `date`: „angenommen“ or
/// „abgelehnt“.
fn motion_result(
    cx: &Context<'_>,
    facts: &super::input::PaperFacts<'_>,
    date: NaiveDate,
) -> Option<&'static str> {
    let base = cx.input.papers.get(facts.paper.amends.as_deref()?)?;
    base.journal
        .iter()
        .rev()
        .filter(|e| {
            e.event == crate::journal::Event::Decided && e.meeting().is_some_and(|m| m.0 == date)
        })
        .find_map(|e| e.amendments().iter().find(|a| a.paper == facts.paper.id))
        .map(|a| if a.adopted { "angenommen" } else { "abgelehnt" })
}

/// The last decision at `stage` in the meeting on `date`: its German result and the index of
/// its journal line.
fn decision_at(
    facts: &super::input::PaperFacts<'_>,
    stage: &str,
    date: NaiveDate,
) -> Option<(&'static str, usize)> {
    facts
        .journal
        .iter()
        .enumerate()
        .rev()
        .find(|(_, e)| {
            e.event == crate::journal::Event::Decided
                && e.stage.as_deref() == Some(stage)
                && e.meeting().is_some_and(|m| m.0 == date)
        })
        .and_then(|(index, e)| Some((e.result()?.label(), index)))
}

/// The agenda document, when every item of the agenda is published.
fn invitation(
    cx: &Context<'_>,
    agenda: &Agenda,
    stamp: Stamp,
    meeting_url: &str,
) -> Option<FileObject> {
    let all_public = agenda.items.iter().all(|item| {
        item.part == Part::Public && item.paper.as_ref().is_none_or(|p| cx.is_public(&p.id))
    });
    if !all_public {
        return None;
    }
    let rendered = cx
        .input
        .agenda_files
        .get(&(agenda.body.clone(), agenda.date))?;
    let name = format!(
        "Tagesordnung {}, {}",
        agenda.body_name,
        agenda.date.format("%d.%m.%Y")
    );
    let links = [("meeting", meeting_url.to_string())];
    file(cx, &agenda.body, rendered, name, stamp, &links)
}
