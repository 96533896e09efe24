//! What may leave the project. A paper is published once it has been submitted — one of its
//! consultations has begun or is done, so its internal signing is over (a Fraktion's motion
//! before its signatures is a draft) — and when at least one of its consultations is public
//! (Ö). A consultation, its agenda item and its Beschlussauszug are published only when that
//! consultation is public; the agenda of a meeting only when nothing on it is withheld. People
//! appear only with their consent (`publish: true` in the directory). A withdrawn paper that
//! had been published stays as a deleted object, so clients learn that it is gone.

use crate::engine::{Outcome, Position, StageStatus};
use crate::load::Project;
use crate::model::{Paper, Stage, StageKind};

use super::input::PaperFacts;

/// How a paper appears in the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Not at all: a draft, or non-public in every consultation.
    Hidden,
    /// With everything public about it.
    Public,
    /// Withdrawn after it was published: as a deleted object only.
    Deleted,
}

/// How `facts`' paper appears.
pub fn paper(project: &Project, facts: &PaperFacts<'_>) -> Visibility {
    let Some(workflow) = project.workflow_of(facts.paper) else {
        return Visibility::Hidden;
    };
    let mut submitted = false;
    let mut public = false;
    for (stage, state) in workflow.stages.iter().zip(&facts.state.stages) {
        if !matches!(stage.kind, StageKind::Consult { .. }) || state.status == StageStatus::Skipped
        {
            continue;
        }
        submitted |= matches!(state.status, StageStatus::Current | StageStatus::Done)
            || !state.decisions.is_empty();
        public |= consultation(facts.paper, stage);
    }
    match (submitted && public, &facts.state.position) {
        (false, _) => Visibility::Hidden,
        (true, Position::Finished(Outcome::Withdrawn)) => Visibility::Deleted,
        (true, _) => Visibility::Public,
    }
}

/// Whether the consultation of `paper` at `stage` is public (Ö).
pub fn consultation(paper: &Paper, stage: &Stage) -> bool {
    crate::meeting::public_at(paper, stage)
}

/// Whether a person of the directory consented to publication.
pub fn person(project: &Project, id: &str) -> bool {
    project.directory.person(id).is_some_and(|p| p.publish)
}
