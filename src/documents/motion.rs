//! A motion's own Ziffern as its document prints them: numbered as the Fraktion numbers them
//! (1., 2., with real Word numbering), each with its wording and a short note on what it does
//! to the base proposal („(ersetzt Punkt 3 des Beschlussvorschlags)“).
//!
//! The motion never shows a renumbered base proposal: where each adopted Ziffer lands is the
//! decision draft's business (`crate::engine::amend`).

use serde::Serialize;

use super::outline::{self, LineView};
use crate::model::Paper;
use crate::model::proposal::{NumberStyle, Point};

/// The Ziffern of a motion.
#[derive(Debug, Clone, Serialize)]
pub struct ZiffernView {
    /// `1.`, `a)`, `aa)` or `i.` (the motion's own numbering style).
    pub style: &'static str,
    /// One line per Ziffer; `note` says what it does.
    pub items: Vec<LineView>,
}

/// The Ziffern of `paper` (empty for a paper that is no motion); `base` is the numbering
/// style of the proposal it amends.
pub fn ziffern(paper: &Paper, base: NumberStyle) -> ZiffernView {
    let points: Vec<(Point, Option<String>)> = paper
        .changes
        .iter()
        .map(|change| (change.as_point(base), Some(change.effect(base))))
        .collect();
    ZiffernView {
        style: paper.numbering.key(),
        items: outline::with_notes(paper.numbering, &points),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;
    use crate::model::{Change, ChangeOp};

    #[test]
    fn ziffern_keep_their_own_numbers_and_say_what_they_do() {
        let raw: RawPaper =
            serde_yaml::from_str("kind: Ergänzungsantrag\nworkflow: w\ntitle: T\n").unwrap();
        let changes = vec![
            Change {
                op: ChangeOp::Replace(3),
                sub: None,
                text: Some("Neuer Wortlaut.".into()),
                points: Vec::new(),
            },
            Change {
                op: ChangeOp::Delete(1),
                sub: None,
                text: None,
                points: Vec::new(),
            },
            Change {
                op: ChangeOp::Request,
                sub: None,
                text: Some("Die Verwaltung berichtet.".into()),
                points: Vec::new(),
            },
        ];
        let paper = Paper::with_builtin_kind("a".into(), raw, changes);
        let view = ziffern(&paper, NumberStyle::Arabic);
        let lines: Vec<(&str, &str, Option<&str>)> = view
            .items
            .iter()
            .map(|l| (l.label.as_str(), l.text.as_str(), l.note.as_deref()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (
                    "1.",
                    "Neuer Wortlaut.",
                    Some("(ersetzt Punkt 3 des Beschlussvorschlags)")
                ),
                (
                    "2.",
                    "Punkt 1 des Beschlussvorschlags wird gestrichen.",
                    Some("(streicht Punkt 1 des Beschlussvorschlags)")
                ),
                (
                    "3.",
                    "Die Verwaltung berichtet.",
                    Some("(weiterer Antrag neben dem Beschlussvorschlag)")
                ),
            ]
        );
    }
}
