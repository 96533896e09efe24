//! Numbered lists as templates see them: the Beschlussvorschlag (intro, numbering style, its
//! points and sub-points as flat lines) and the decision draft's points with their markers.
//!
//! Lines are flat so that one template loop prints any depth; each line names the Word
//! numbering it uses (`num`), so the document numbers with real Word numbering, never typed
//! numbers. `label` carries the same number as text for templates that want it.

use serde::Serialize;

use crate::engine::amend::Draft;
use crate::load::Project;
use crate::model::Paper;
use crate::model::proposal::{self, NumberStyle, Point};

/// One printed line of a numbered list.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub level: usize,
    /// „2.“, „b)“; empty for a single point.
    pub label: String,
    pub text: String,
    /// The numbering the template selects („1-0“, „a-1“); empty without a number.
    pub num: String,
    /// A marker printed under the line („(geändert durch …)“).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A numbered list with its intro sentence.
#[derive(Debug, Clone, Serialize)]
pub struct OutlineView {
    pub intro: Option<String>,
    /// `1.`, `a)`, `aa)` or `i.`.
    pub style: &'static str,
    pub items: Vec<LineView>,
}

/// The lines of `points` in `style`, each without a note.
pub fn lines(style: NumberStyle, points: &[Point]) -> Vec<LineView> {
    proposal::items(style, points)
        .into_iter()
        .map(|item| LineView {
            level: item.level,
            label: item.label,
            text: item.text,
            num: item.num,
            note: None,
        })
        .collect()
}

/// The paper's Beschlussvorschlag.
pub fn of_paper(paper: &Paper) -> OutlineView {
    OutlineView {
        intro: paper.proposal_intro.clone(),
        style: paper.numbering.key(),
        items: lines(paper.numbering, &paper.proposal_points),
    }
}

/// Lines of top-level points with a note each (the decision draft): the notes go under the
/// line of their point, after its sub-points.
pub fn with_notes(style: NumberStyle, points: &[(Point, Option<String>)]) -> Vec<LineView> {
    let tree: Vec<Point> = points.iter().map(|(p, _)| p.clone()).collect();
    let mut out = lines(style, &tree);
    let mut top = out
        .iter()
        .enumerate()
        .filter(|(_, l)| l.level == 0)
        .map(|(i, _)| i)
        .collect::<Vec<_>>();
    top.push(out.len());
    let mut notes: Vec<(usize, String)> = Vec::new();
    for (n, (_, note)) in points.iter().enumerate() {
        if let (Some(note), Some(&end)) = (note, top.get(n + 1)) {
            notes.push((end - 1, note.clone()));
        }
    }
    for (at, note) in notes {
        if let Some(line) = out.get_mut(at) {
            line.note = Some(note);
        }
    }
    out
}

/// The decision draft's points as a numbered list in the paper's own style, numbered anew
/// after inserted and deleted points (by Word, not by typed numbers), each point changed by a
/// motion marked under it: „(geändert durch …)“, „(neu durch …)“.
pub fn of_draft(project: &Project, paper: &Paper, draft: &Draft) -> Vec<LineView> {
    let points: Vec<(Point, Option<String>)> = draft
        .points
        .iter()
        .map(|p| {
            let note = p.changed_by.as_deref().map(|id| {
                format!(
                    "({} durch {})",
                    if p.change == Some("replace") {
                        "geändert"
                    } else {
                        "neu"
                    },
                    super::context::amendment_label(project, id)
                )
            });
            (
                Point {
                    text: p.text.clone(),
                    points: p.points.clone(),
                },
                note,
            )
        })
        .collect();
    with_notes(paper.numbering, &points)
}
