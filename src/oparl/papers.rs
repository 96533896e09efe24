//! Paper and Consultation objects. A published paper carries its public consultations (its
//! Beratungsfolge), its documents as Files and links to the papers it amends or answers and
//! to the motions against it; a withdrawn one is reduced to a deleted object.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::context::{Context, date, object, put_list, put_text};
use super::files::{self, FileObject};
use super::input::PaperFacts;
use super::public::Visibility;
use crate::documents::DocKind;
use crate::engine::{Position, StageStatus};
use crate::model::StageKind;

/// The papers of the export with their consultations and files.
#[derive(Default)]
pub struct Papers {
    /// Paper objects by organisation (OParl Body).
    pub papers: Vec<(String, Map<String, Value>)>,
    pub consultations: Vec<(String, Map<String, Value>)>,
    pub files: Vec<(String, FileObject)>,
}

/// Builds every published or deleted paper; `item_of` gives the agenda item of a
/// consultation by paper, stage and meeting date.
pub fn build(
    cx: &Context<'_>,
    item_of: &BTreeMap<(String, String, chrono::NaiveDate), String>,
) -> Papers {
    let mut out = Papers::default();
    for facts in cx.input.papers.values() {
        let org = cx.org_of_paper(facts.paper);
        match cx.visibility.get(&facts.paper.id) {
            Some(Visibility::Public) => {}
            Some(Visibility::Deleted) => {
                out.papers.push((org, deleted(cx, facts)));
                continue;
            }
            _ => continue,
        }
        let paper = facts.paper;
        let mut value = object(cx.urls.paper(&paper.id), "Paper");
        value.insert("body".into(), Value::String(cx.urls.body(&org)));
        put_text(&mut value, "name", Some(&paper.title));
        put_text(&mut value, "reference", paper.reference.as_deref());
        if let Some(day) = paper.date {
            value.insert("date".into(), Value::String(date(day)));
        }
        put_text(&mut value, "paperType", Some(&paper.kind.name));
        put_list(&mut value, "relatedPaper", related(cx, facts));
        if let Some(by) = &paper.by {
            value.insert(
                "originatorOrganization".into(),
                Value::Array(vec![Value::String(cx.urls.organization(by))]),
            );
        }
        let mut auxiliary = Vec::new();
        for (kind, file) in files::of_paper(cx, facts) {
            if kind == DocKind::Paper {
                value.insert("mainFile".into(), Value::Object(file.value.clone()));
            } else {
                auxiliary.push(Value::Object(file.value.clone()));
            }
            out.files.push((org.clone(), file));
        }
        if !auxiliary.is_empty() {
            value.insert("auxiliaryFile".into(), Value::Array(auxiliary));
        }
        let consultations = consultations(cx, facts, item_of);
        if !consultations.is_empty() {
            value.insert(
                "consultation".into(),
                Value::Array(consultations.iter().cloned().map(Value::Object).collect()),
            );
        }
        out.consultations
            .extend(consultations.into_iter().map(|c| (org.clone(), c)));
        cx.paper_stamp(facts).put(&mut value);
        out.papers.push((org, value));
    }
    out
}

/// A withdrawn paper: only what identifies it, and `deleted`.
fn deleted(cx: &Context<'_>, facts: &PaperFacts<'_>) -> Map<String, Value> {
    let paper = facts.paper;
    let mut value = object(cx.urls.paper(&paper.id), "Paper");
    value.insert(
        "body".into(),
        Value::String(cx.urls.body(&cx.org_of_paper(paper))),
    );
    put_text(&mut value, "name", Some(&paper.title));
    put_text(&mut value, "reference", paper.reference.as_deref());
    cx.paper_stamp(facts).put(&mut value);
    value.insert("deleted".into(), Value::Bool(true));
    value
}

/// The published papers this one amends or answers, and those amending or answering it.
fn related(cx: &Context<'_>, facts: &PaperFacts<'_>) -> Vec<String> {
    let paper = facts.paper;
    let mut ids: Vec<&str> = [paper.amends.as_deref(), paper.answers.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    ids.extend(
        cx.input
            .papers
            .values()
            .map(|f| f.paper)
            .filter(|p| {
                p.amends.as_deref() == Some(paper.id.as_str())
                    || p.answers.as_deref() == Some(paper.id.as_str())
            })
            .map(|p| p.id.as_str()),
    );
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .filter(|id| cx.is_public(id))
        .map(|id| cx.urls.paper(id))
        .collect()
}

/// The public consultations of a published paper: every consultation stage that is under
/// way or done, and those still to come while the paper is open.
fn consultations(
    cx: &Context<'_>,
    facts: &PaperFacts<'_>,
    item_of: &BTreeMap<(String, String, chrono::NaiveDate), String>,
) -> Vec<Map<String, Value>> {
    let Some(workflow) = cx.input.project.workflow_of(facts.paper) else {
        return Vec::new();
    };
    let finished = matches!(facts.state.position, Position::Finished(_));
    let mut out = Vec::new();
    for (stage, state) in workflow.stages.iter().zip(&facts.state.stages) {
        let StageKind::Consult { role, .. } = &stage.kind else {
            continue;
        };
        let takes_place = match state.status {
            StageStatus::Current | StageStatus::Done => true,
            StageStatus::Pending => !finished,
            StageStatus::Skipped => false,
        };
        if !takes_place || !super::public::consultation(facts.paper, stage) {
            continue;
        }
        let Some(body) = state.body.as_deref() else {
            continue;
        };
        let mut value = object(
            cx.urls.consultation(&facts.paper.id, &stage.id),
            "Consultation",
        );
        value.insert(
            "paper".into(),
            Value::String(cx.urls.paper(&facts.paper.id)),
        );
        let date = state
            .decisions
            .last()
            .and_then(|d| d.meeting)
            .or(state.meeting.map(|m| m.date));
        if let Some(date) = date {
            if cx.meetings.contains(&(body.to_string(), date)) {
                value.insert("meeting".into(), Value::String(cx.urls.meeting(body, date)));
            }
            if let Some(item) = item_of.get(&(facts.paper.id.clone(), stage.id.clone(), date)) {
                value.insert("agendaItem".into(), Value::String(item.clone()));
            }
        }
        value.insert(
            "organization".into(),
            Value::Array(vec![Value::String(cx.urls.organization(body))]),
        );
        value.insert("authoritative".into(), Value::Bool(role.decides()));
        put_text(&mut value, "role", Some(role.label()));
        cx.stage_stamp(facts, &stage.id).put(&mut value);
        out.push(value);
    }
    out
}
