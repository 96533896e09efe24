//! Rich text: what the `md` filter returns, and how it reads as plain text.
//!
//! A [`RichText`] is a small block model (paragraphs, headings, list items, quotes, code,
//! tables). What it becomes depends on where it is printed: in `{{p facts|md }}` the block
//! filter writes Word paragraphs and tables in the template's styles
//! ([`crate::docx::ooxml`]); in a plain `{{ facts|md }}` inside a run it degrades to plain
//! text with line breaks, because paragraphs cannot nest in a run.

use std::fmt;
use std::sync::Arc;

use minijinja::value::{Object, ObjectRepr};

/// Inline formatting of a text piece.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Emphasis {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub code: bool,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String, Emphasis),
    Break,
}

/// What kind of paragraph a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParaKind {
    Normal,
    /// Heading level 1–6.
    Heading(u8),
    /// A bullet list item at a nesting depth (0 = outermost).
    Bullet(u8),
    /// A numbered list item: depth and number.
    Numbered(u8, u64),
    /// A further paragraph inside a list item.
    Continuation(u8),
    Quote,
    Code,
}

/// A block of rich text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Para(ParaKind, Vec<Inline>),
    /// Rows of cells of inlines; the first `header` rows are header rows.
    Table {
        rows: Vec<Vec<Vec<Inline>>>,
        header: usize,
    },
}

/// The value the `md` filter returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RichText {
    pub blocks: Vec<Block>,
}

impl Object for RichText {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn is_true(self: &Arc<Self>) -> bool {
        !self.blocks.is_empty()
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain_text())
    }
}

impl RichText {
    /// The text without formatting: one line per paragraph, list markers as text,
    /// table cells separated by tabs.
    pub(crate) fn plain_text(&self) -> String {
        let mut out = String::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match block {
                Block::Para(kind, inlines) => {
                    out.push_str(&marker(*kind));
                    push_inlines(&mut out, inlines);
                }
                Block::Table { rows, .. } => {
                    for (r, row) in rows.iter().enumerate() {
                        if r > 0 {
                            out.push('\n');
                        }
                        for (c, cell) in row.iter().enumerate() {
                            if c > 0 {
                                out.push('\t');
                            }
                            push_inlines(&mut out, cell);
                        }
                    }
                }
            }
        }
        out
    }
}

/// The text marker of a list item („• “, „1. “), indented by depth.
pub(crate) fn marker(kind: ParaKind) -> String {
    let indent = |depth: u8| "  ".repeat(usize::from(depth.min(8)));
    match kind {
        ParaKind::Bullet(depth) => format!("{}{} ", indent(depth), bullet(depth)),
        ParaKind::Numbered(depth, n) => format!("{}{n}. ", indent(depth)),
        ParaKind::Continuation(depth) => indent(depth.saturating_add(1)),
        _ => String::new(),
    }
}

/// The bullet character for a nesting depth.
pub(crate) fn bullet(depth: u8) -> char {
    match depth % 3 {
        0 => '•',
        1 => '◦',
        _ => '▪',
    }
}

fn push_inlines(out: &mut String, inlines: &[Inline]) {
    for inline in inlines {
        match inline {
            Inline::Text(text, _) => out.push_str(text),
            Inline::Break => out.push('\n'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(kind: ParaKind, text: &str) -> Block {
        Block::Para(
            kind,
            vec![Inline::Text(text.to_owned(), Emphasis::default())],
        )
    }

    #[test]
    fn plain_text_marks_lists_and_separates_cells() {
        let rich = RichText {
            blocks: vec![
                para(ParaKind::Heading(2), "Titel"),
                para(ParaKind::Bullet(0), "a"),
                para(ParaKind::Bullet(1), "b"),
                para(ParaKind::Numbered(0, 7), "c"),
                Block::Table {
                    rows: vec![vec![
                        vec![Inline::Text("x".to_owned(), Emphasis::default())],
                        vec![Inline::Break],
                    ]],
                    header: 0,
                },
            ],
        };
        assert_eq!(rich.plain_text(), "Titel\n• a\n  ◦ b\n7. c\nx\t\n");
        assert_eq!(
            format!("{}", minijinja::Value::from_object(rich)),
            "Titel\n• a\n  ◦ b\n7. c\nx\t\n"
        );
    }
}
