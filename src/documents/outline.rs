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
    let notes = points
        .iter()
        .enumerate()
        .filter_map(|(n, (_, note))| Some(((n, None), note.clone()?)))
        .collect();
    noted(lines(style, &tree), notes)
}

/// `lines` with notes, each under the last line of its point (`(n, None)`, 0-based) or of a
/// sub-point of it (`(n, Some(s))`), after what is nested below; two notes on one line are
/// joined.
fn noted(mut lines: Vec<LineView>, notes: Vec<((usize, Option<usize>), String)>) -> Vec<LineView> {
    // Which point and sub-point each line belongs to.
    let mut owners: Vec<(usize, Option<usize>)> = Vec::with_capacity(lines.len());
    let (mut top, mut sub) = (None::<usize>, None::<usize>);
    for line in &lines {
        match line.level {
            0 => {
                top = Some(top.map_or(0, |t| t + 1));
                sub = None;
            }
            1 => sub = Some(sub.map_or(0, |s| s + 1)),
            _ => {}
        }
        owners.push((top.unwrap_or_default(), sub));
    }
    for ((n, s), note) in notes {
        let last = owners
            .iter()
            .rposition(|(top, sub)| *top == n && (s.is_none() || *sub == s));
        if let Some(line) = last.and_then(|at| lines.get_mut(at)) {
            line.note = Some(match line.note.take() {
                Some(before) => format!("{before} {note}"),
                None => note,
            });
        }
    }
    lines
}

/// „geändert durch …“ for a replaced point, „neu durch …“ for an inserted or appended one.
pub fn change_note(project: &Project, change: Option<&str>, id: &str) -> String {
    format!(
        "{} durch {}",
        if change == Some("replace") {
            "geändert"
        } else {
            "neu"
        },
        super::context::amendment_label(project, id)
    )
}

/// The decision draft's points as a numbered list in the paper's own style, numbered anew
/// after inserted and deleted points (by Word, not by typed numbers), each point or sub-point
/// changed by a motion marked under it: „(geändert durch …)“, „(neu durch …)“.
pub fn of_draft(project: &Project, paper: &Paper, draft: &Draft) -> Vec<LineView> {
    let mut notes = Vec::new();
    let mut tree = Vec::with_capacity(draft.points.len());
    for (n, p) in draft.points.iter().enumerate() {
        if let Some(id) = p.changed_by.as_deref() {
            notes.push((
                (n, None),
                format!("({})", change_note(project, p.change, id)),
            ));
        }
        for (s, id, change) in &p.sub_changes {
            let note = change_note(project, Some(change), id);
            notes.push(((n, Some(*s)), format!("({note})")));
        }
        tree.push(Point {
            text: p.text.clone(),
            points: p.points.clone(),
        });
    }
    noted(lines(paper.numbering, &tree), notes)
}
