//! The Beschlussvorschlag as a council prints it: an optional intro sentence, points with
//! sub-points, and a numbering style (`1.`, `a)`, `aa)`, `i.`) chosen per paper or per kind.
//!
//! Top-level points are what motions and decisions address („Punkt 2“); sub-points travel with
//! their point. Numbers are never typed into the text: documents use Word numbering, and
//! [`NumberStyle::label`] gives the same label for the terminal and for tests.

use serde::{Deserialize, Serialize};

/// How the points of a proposal are numbered at the top level; deeper levels follow the
/// usual German sequence after it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NumberStyle {
    /// 1., 2., 3. (sub-points a), b); then aa), bb)).
    #[default]
    #[serde(rename = "1.")]
    Arabic,
    /// a), b), c) (sub-points aa), bb); then i., ii.).
    #[serde(rename = "a)")]
    Letter,
    /// aa), bb), cc) (sub-points i., ii.; then (1), (2)).
    #[serde(rename = "aa)")]
    DoubleLetter,
    /// i., ii., iii. (sub-points a), b); then aa), bb)).
    #[serde(rename = "i.")]
    Roman,
}

/// The kind of counter one level uses, as Word's `w:numFmt` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    Decimal,
    LowerLetter,
    LowerRoman,
}

/// The number of levels a proposal may nest (point, sub-point, sub-sub-point).
pub const LEVELS: usize = 3;

impl NumberStyle {
    /// Every style, in the order the templates define them.
    pub const ALL: [NumberStyle; 4] = [
        NumberStyle::Arabic,
        NumberStyle::Letter,
        NumberStyle::DoubleLetter,
        NumberStyle::Roman,
    ];

    /// The key word as written in YAML: `1.`, `a)`, `aa)`, `i.`.
    pub fn key(self) -> &'static str {
        match self {
            NumberStyle::Arabic => "1.",
            NumberStyle::Letter => "a)",
            NumberStyle::DoubleLetter => "aa)",
            NumberStyle::Roman => "i.",
        }
    }

    /// Counter and Word level text (`%1` is the level's own number) of each level.
    pub fn levels(self) -> [(Counter, &'static str); LEVELS] {
        use Counter::*;
        match self {
            NumberStyle::Arabic => [
                (Decimal, "%1."),
                (LowerLetter, "%2)"),
                (LowerLetter, "%3%3)"),
            ],
            NumberStyle::Letter => [
                (LowerLetter, "%1)"),
                (LowerLetter, "%2%2)"),
                (LowerRoman, "%3."),
            ],
            NumberStyle::DoubleLetter => [
                (LowerLetter, "%1%1)"),
                (LowerRoman, "%2."),
                (Decimal, "(%3)"),
            ],
            NumberStyle::Roman => [
                (LowerRoman, "%1."),
                (LowerLetter, "%2)"),
                (LowerLetter, "%3%3)"),
            ],
        }
    }

    /// The printed label of the `n`-th (1-based) item on `level` (0-based): „2.“, „b)“, „bb)“.
    pub fn label(self, level: usize, n: usize) -> String {
        let (counter, text) = self.levels()[level.min(LEVELS - 1)];
        let number = counter.format(n);
        let placeholder = format!("%{}", level.min(LEVELS - 1) + 1);
        text.replace(&placeholder, &number)
    }
}

impl Counter {
    /// Word's `w:numFmt` value.
    pub fn word_format(self) -> &'static str {
        match self {
            Counter::Decimal => "decimal",
            Counter::LowerLetter => "lowerLetter",
            Counter::LowerRoman => "lowerRoman",
        }
    }

    /// The `n`-th (1-based) number in this counter, as Word prints it.
    pub fn format(self, n: usize) -> String {
        match self {
            Counter::Decimal => n.to_string(),
            Counter::LowerLetter => {
                // Word continues z) with aa), bb), …: the letter repeated.
                let n = n.max(1);
                let letter = char::from(b'a' + ((n - 1) % 26) as u8);
                std::iter::repeat_n(letter, (n - 1) / 26 + 1).collect()
            }
            Counter::LowerRoman => roman(n),
        }
    }
}

fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// One point of a proposal (or of a motion's Ziffer) with its sub-points.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Point {
    pub text: String,
    pub points: Vec<Point>,
}

impl Point {
    /// A point without sub-points.
    pub fn plain(text: impl Into<String>) -> Point {
        Point {
            text: text.into(),
            points: Vec::new(),
        }
    }
}

/// One printed line of a numbered list: its level, label and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// 0 for a point, 1 for a sub-point, 2 below.
    pub level: usize,
    /// „2.“, „b)“ — empty for a single point, which prints without a number.
    pub label: String,
    pub text: String,
    /// Selects the Word numbering of the style and level: „1-0“, „a-1“, …; empty when the
    /// line prints without a number.
    pub num: String,
}

/// Flattens points into printed lines. A single top-level point prints without a number;
/// its sub-points keep theirs.
pub fn items(style: NumberStyle, points: &[Point]) -> Vec<Item> {
    let mut out = Vec::new();
    let single = points.len() == 1;
    walk(style, points, 0, single, &mut out);
    out
}

fn walk(style: NumberStyle, points: &[Point], level: usize, single: bool, out: &mut Vec<Item>) {
    for (i, point) in points.iter().enumerate() {
        let unnumbered = single && level == 0;
        out.push(Item {
            level: level.min(LEVELS - 1),
            label: if unnumbered {
                String::new()
            } else {
                style.label(level, i + 1)
            },
            text: point.text.clone(),
            num: if unnumbered {
                String::new()
            } else {
                num_key(style, level)
            },
        });
        walk(style, &point.points, level + 1, false, out);
    }
}

/// The key the templates use to pick a Word numbering: style and level, „1-0“, „aa-2“.
pub fn num_key(style: NumberStyle, level: usize) -> String {
    let name = style.key().trim_end_matches(['.', ')']);
    format!("{name}-{}", level.min(LEVELS - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_style_and_level() {
        assert_eq!(NumberStyle::Arabic.label(0, 2), "2.");
        assert_eq!(NumberStyle::Arabic.label(1, 2), "b)");
        assert_eq!(NumberStyle::Arabic.label(2, 3), "cc)");
        assert_eq!(NumberStyle::Letter.label(0, 1), "a)");
        assert_eq!(NumberStyle::DoubleLetter.label(0, 2), "bb)");
        assert_eq!(NumberStyle::Roman.label(0, 4), "iv.");
        assert_eq!(NumberStyle::DoubleLetter.label(2, 1), "(1)");
        assert_eq!(Counter::LowerLetter.format(27), "aa");
    }

    #[test]
    fn a_single_point_prints_without_a_number_but_its_sub_points_with() {
        let points = vec![Point {
            text: "Der Rat beschließt:".into(),
            points: vec![Point::plain("erstens"), Point::plain("zweitens")],
        }];
        let lines: Vec<(String, String)> = items(NumberStyle::Arabic, &points)
            .into_iter()
            .map(|i| (i.label, i.text))
            .collect();
        assert_eq!(
            lines,
            [
                ("".to_string(), "Der Rat beschließt:".to_string()),
                ("a)".into(), "erstens".into()),
                ("b)".into(), "zweitens".into()),
            ]
        );
        let two = items(NumberStyle::Roman, &[Point::plain("x"), Point::plain("y")]);
        assert_eq!(two[1].label, "ii.");
        assert_eq!(two[1].num, "i-0");
    }
}
