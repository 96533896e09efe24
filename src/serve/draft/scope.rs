//! Who may draft which motion: the Fraktionen a person drafts for, the papers a motion may
//! amend, the kinds of motion, the workflow a motion takes and the members who may sign.
//!
//! A Fraktion member drafts for their own Fraktion; the office (Geschäftsstelle) may draft
//! for any Fraktion and chooses it. What a person may see (and so amend) follows the board's
//! rule: another Fraktion's draft stays invisible.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::load::Project;
use crate::model::{Body, BodyKind, Paper, PaperKind, Relation};
use crate::pass::Journals;
use crate::serve::board_data;

/// The person drafting, as the login knows them (person, name, Fraktion, office).
pub use crate::serve::session::User as Drafter;

/// The Fraktionen `drafter` may draft for, given the base paper: their own, or for the office
/// every Fraktion of the organisation that decides the base paper.
pub fn fraktionen<'a>(project: &'a Project, drafter: &Drafter, base: &Paper) -> Vec<&'a Body> {
    let fraktion = |id: &str| {
        project
            .directory
            .body(id)
            .filter(|b| b.kind == BodyKind::Fraktion)
    };
    if drafter.office {
        let org = crate::engine::rules::deciding_body(project, base)
            .and_then(|b| project.directory.body(b))
            .and_then(|b| b.organisation.clone());
        return project
            .directory
            .bodies
            .values()
            .filter(|b| b.kind == BodyKind::Fraktion)
            .filter(|b| org.is_none() || b.organisation.is_none() || b.organisation == org)
            .collect();
    }
    drafter
        .fraktion
        .as_deref()
        .and_then(fraktion)
        .into_iter()
        .collect()
}

/// Whether `drafter` may see `paper`, by the board's rule ([`board_data::may_see_paper`]):
/// the office everything; a Fraktion everything public and its own drafts, never another
/// Fraktion's draft (a motion not yet submitted) nor a paper dealt with nichtöffentlich.
pub fn may_see(project: &Project, drafter: &Drafter, paper: &Paper, now: DateTime<Utc>) -> bool {
    let mut journals = Journals::default();
    let ids = std::iter::once(&paper.id).chain(paper.amends.as_ref());
    if journals.load(project.folders(), ids).is_err() {
        return drafter.office;
    }
    match crate::pass::state_of(project, &journals, paper, now) {
        Ok(Some(state)) => board_data::may_see_paper(drafter, project, paper, &state, None),
        _ => drafter.office,
    }
}

/// The paper a motion may amend, by id or reference number, or a German reason why not.
pub fn find_base<'a>(
    project: &'a Project,
    drafter: &Drafter,
    zu: &str,
    now: DateTime<Utc>,
) -> Result<&'a Paper, String> {
    let zu = zu.trim();
    if zu.is_empty() {
        return Err(
            "Bitte wählen Sie die Vorlage, zu der Sie einen Antrag stellen möchten.".into(),
        );
    }
    let paper = project.papers.get(zu).or_else(|| {
        project
            .papers
            .values()
            .find(|p| p.reference.as_deref() == Some(zu))
    });
    let Some(paper) = paper.filter(|p| may_see(project, drafter, p, now)) else {
        return Err(format!("Die Drucksache „{zu}“ gibt es nicht."));
    };
    if paper.kind.relation != Relation::None {
        return Err(format!(
            "„{}“ ist selbst ein Antrag oder eine Stellungnahme; ein Änderungs- oder Ergänzungsantrag bezieht sich auf eine Vorlage.",
            paper.reference()
        ));
    }
    Ok(paper)
}

/// The kinds of motion that amend a paper (Änderungs-, Ergänzungsantrag), sorted by name.
pub fn motion_kinds(project: &Project) -> Vec<Arc<PaperKind>> {
    project
        .settings
        .kinds
        .iter()
        .filter(|k| k.amends() && k.is_motion())
        .cloned()
        .collect()
}

/// The workflow a motion of `kind` takes: the one its kind's papers use, else the one all
/// amending motions use. `Err` names the problem for the office.
pub fn workflow_for(project: &Project, kind: &PaperKind) -> Result<String, String> {
    let used = |same_kind: bool| {
        let mut found: Vec<&str> = project
            .papers
            .values()
            .filter(|p| {
                if same_kind {
                    p.kind.name == kind.name
                } else {
                    p.kind.amends() && p.kind.is_motion()
                }
            })
            .map(|p| p.workflow.as_str())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    };
    for same_kind in [true, false] {
        match used(same_kind).as_slice() {
            [only] => return Ok(only.to_string()),
            [] => continue,
            _ => break,
        }
    }
    Err(format!(
        "Für {} ist kein eindeutiger Ablauf bekannt; die Geschäftsstelle legt den ersten mit „ratsflow new {} --workflow …“ an.",
        kind.name, kind.name
    ))
}

/// The people who may sign for `fraktion`: its members and signatories, with their names.
pub fn signer_choices(project: &Project, fraktion: &Body) -> Vec<(String, String)> {
    let mut ids: Vec<&String> = fraktion
        .signatories
        .iter()
        .chain(fraktion.members.iter())
        .collect();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    ids.into_iter()
        .map(|id| (id.clone(), project.directory.person_name(id).to_string()))
        .collect()
}
