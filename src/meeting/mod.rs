//! The meeting: a body's agenda (Tagesordnung) for one date, built from the consultations of
//! all papers at that meeting, and fixed once it is set.
//!
//! A paper is on a meeting's agenda when one of its consultation stages takes place at that
//! body on that date (see [`crate::engine`]), or when its journal says it was put on that
//! agenda (`scheduled`). Setting the agenda (`ratsflow meeting BODY DATE --set`) records a
//! `scheduled` entry with its TOP number in the journal of every paper on it: from then on the
//! meeting and the number are fixed. Papers added later form the Nachtrag.

pub mod agenda;
pub mod invite;
mod late;
mod numbering;
pub mod schedule;

pub use agenda::{Agenda, Item, PaperItem, Part, all, all_with, build};
pub use late::{MotionDeadline, antragsfrist, motion_deadline};

use crate::model::{Paper, Stage, StageKind};

/// Whether `paper` is dealt with in the public part at the consultation `stage`: as the paper
/// says for that meeting (`meetings: { stage: { public } }`), else as the workflow's stage says
/// (`consult: { public }`), else as the paper says overall (`public`, default true).
pub fn public_at(paper: &Paper, stage: &Stage) -> bool {
    let of_stage = match &stage.kind {
        StageKind::Consult { public, .. } => *public,
        StageKind::Sign(_) => None,
    };
    paper
        .meeting_public
        .get(&stage.id)
        .copied()
        .or(of_stage)
        .unwrap_or(paper.public)
}
