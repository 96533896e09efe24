//! The signature block of a document, from the journal: one group per sign stage of the
//! paper's workflow, each listing who may sign, who signed and on which day.
//!
//! Paper forms print signatures grouped the way the stage defines them (seed 000: „Datum /
//! Unterschrift Auftraggeber“ with Landrat and Kreisbeigeordneter, then „Auftragnehmer/in“ with
//! three names). A signature counts only while the paper is unchanged since it was given: a
//! stale one is listed as not signed, so a document never shows a signature of an older text.
//! A person whose name the directory does not know („N. N. (Landrat)“) is labelled by function,
//! as a form labels an office.

use serde::Serialize;

use crate::engine::{PaperState, StageStatus};
use crate::load::Project;
use crate::model::{Paper, StageKind};

/// The role under which co-signatures are given; templates may print them apart from the form.
pub const CO_SIGNING: &str = "Mitzeichnung";

/// One sign stage as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningGroup {
    /// The stage id.
    pub stage: String,
    /// The stage title („Unterschrift Auftraggeber“).
    pub title: String,
    /// The role of the signatures („Auftraggeber“), or the stage title.
    pub role: String,
    /// Whether enough valid signatures are recorded.
    pub complete: bool,
    pub rows: Vec<SigningRow>,
}

/// One person of a sign stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningRow {
    /// What a form prints before the signature: the name, or the function for „N. N.“.
    pub label: String,
    pub name: String,
    pub function: Option<String>,
    /// The day of the valid signature (`YYYY-MM-DD`), if signed.
    pub date: Option<String>,
    /// Signed, but the paper changed since: asked again.
    pub stale: bool,
    /// The name of the deputy who signed „i. V.“, if the person did not sign themself.
    pub deputy: Option<String>,
}

/// Whether a directory name stands for an unknown person („N. N.“, „N.N. (Landrat)“).
fn is_placeholder(name: &str) -> bool {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    compact.starts_with("N.N.")
}

/// The sign stages of the paper's workflow that apply to it, with their signers and dates.
pub fn groups(project: &Project, paper: &Paper, state: &PaperState) -> Vec<SigningGroup> {
    let Some(workflow) = project.workflow_of(paper) else {
        return Vec::new();
    };
    let workflow = &*workflow;
    let mut groups = Vec::new();
    for (stage, stage_state) in workflow.stages.iter().zip(&state.stages) {
        let StageKind::Sign(rule) = &stage.kind else {
            continue;
        };
        if stage_state.status == StageStatus::Skipped {
            continue;
        }
        let rows = stage_state
            .signers
            .iter()
            .map(|signer| {
                let given = stage_state
                    .signatures
                    .iter()
                    .filter(|s| &s.who == signer && s.valid)
                    .max_by_key(|s| s.time);
                let valid = given.map(|s| s.time.date_naive());
                let deputy = given
                    .and_then(|s| s.by.as_deref())
                    .map(|by| project.directory.person_name(by).to_string());
                let stale = valid.is_none()
                    && stage_state
                        .signatures
                        .iter()
                        .any(|s| &s.who == signer && !s.valid);
                let person = project.directory.person(signer);
                let name = person.map_or_else(|| signer.clone(), |p| p.name.clone());
                let function = person.and_then(|p| p.function.clone());
                let label = match &function {
                    Some(function) if is_placeholder(&name) => function.clone(),
                    _ => name.clone(),
                };
                SigningRow {
                    label,
                    name,
                    function,
                    date: valid.map(|d| d.format("%Y-%m-%d").to_string()),
                    stale,
                    deputy,
                }
            })
            .collect::<Vec<_>>();
        let signed = rows.iter().filter(|r| r.date.is_some()).count();
        groups.push(SigningGroup {
            stage: stage.id.clone(),
            title: stage.title.clone(),
            role: rule.role.clone().unwrap_or_else(|| stage.title.clone()),
            complete: signed >= stage_state.needed.max(1),
            rows,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[test]
    fn placeholder_names() {
        assert!(is_placeholder("N. N. (Landrat)"));
        assert!(is_placeholder("N.N."));
        assert!(!is_placeholder("Nina Neumann"));
        assert!(!is_placeholder("U. Cramer"));
    }
}
