//! Checks the `when:` conditions of workflows against the fields papers can have.
//!
//! A condition names a paper field (`financing`, `attachments`, …) or one of the project's own
//! fields: those declared under `fields:` in `ratsflow.yaml` and those any paper sets under
//! `fields:`. A name that is none of these is a typo, and a typo would silently skip the stage
//! („entfällt“) for every paper — so it is a located error.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::load::Project;
use crate::load::raw::RawWorkflow;
use crate::load::yaml::{Seg, YamlSource};
use crate::model::CONDITION_FIELDS;

/// One `when:` of one stage, with the error to report if its field is unknown.
pub struct Condition {
    field: String,
    unknown: Diagnostic,
}

/// The conditions of a workflow file.
pub fn collect(raw: &RawWorkflow, source: &YamlSource) -> Vec<Condition> {
    raw.stages
        .iter()
        .enumerate()
        .filter_map(|(index, stage)| {
            let when = stage.when.as_deref()?;
            let field = when.trim().trim_start_matches('!').trim().to_string();
            let path = [Seg::key("stages"), Seg::index(index), Seg::key("when")];
            let unknown =
                source.error_at(&path, format!("„when“ nennt das unbekannte Feld „{field}“"));
            Some(Condition { field, unknown })
        })
        .collect()
}

/// The errors of conditions whose field no paper can have.
pub fn check(conditions: Vec<Condition>, project: &Project) -> Vec<Diagnostic> {
    // A paper with errors of its own may be the one that sets the field: judge the conditions
    // once every paper loads (or the project declares its fields), never as a follow-on error.
    if conditions.is_empty()
        || (!project.broken_papers.is_empty() && project.settings.fields.is_empty())
    {
        return Vec::new();
    }
    let mut known: BTreeSet<&str> = CONDITION_FIELDS.iter().copied().collect();
    known.extend(project.settings.fields.keys().map(String::as_str));
    for paper in project.papers.values() {
        known.extend(paper.fields.keys().map(String::as_str));
    }
    conditions
        .into_iter()
        .filter(|c| !known.contains(c.field.as_str()))
        .map(|c| {
            let hint = match did_you_mean(&c.field, known.iter().copied()) {
                Some(candidate) => format!("meinten Sie „{candidate}“?"),
                None => {
                    "eigene Felder stehen unter „fields:“ in ratsflow.yaml oder in der Drucksache"
                        .to_string()
                }
            };
            c.unknown.with_hint(hint)
        })
        .collect()
}
