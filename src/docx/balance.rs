//! Checks that template blocks open and close at the same structural level.
//!
//! A block whose `{% if %}` sits in one run and whose `{% endif %}` sits in another paragraph
//! would cut the XML in half when the condition is false. So before anything is compiled,
//! every block (`if`, `for`, `macro`, `with`, …) must close with the same kind of tag
//! (`{%p …%}` with `{%p …%}`, `{%tr …%}` with `{%tr …%}`, plain tags within one paragraph)
//! and in the same container (the same body, cell, table or run parent). An unclosed block is
//! reported at its opening tag, a stray end at itself.

use crate::docx::lexer::{Delim, Tag};

/// The structural level a statement acts at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Inside the runs of one paragraph.
    Inline,
    Paragraph,
    Row,
    Cell,
}

/// One statement in document order, for the check.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BlockEntry {
    /// Index of the tag in the plan.
    pub tag: usize,
    pub level: Level,
    /// The element whose children the statement's element is (see module doc).
    pub container: usize,
}

/// A balance problem: the tag it is reported at and a German message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BalanceError {
    pub tag: usize,
    pub message: String,
}

/// What a statement does to the block structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open(&'static str),
    /// `elif` / `else`: continues an open block of one of these families.
    Middle(&'static [&'static str]),
    Close(&'static str),
    Plain,
}

const FAMILIES: [&str; 9] = [
    "for",
    "if",
    "macro",
    "call",
    "filter",
    "with",
    "autoescape",
    "block",
    "set",
];

fn role(tag: &Tag) -> Role {
    if tag.delim != Delim::Statement {
        return Role::Plain;
    }
    let keyword = tag.keyword();
    match keyword {
        "elif" => return Role::Middle(&["if"]),
        "else" => return Role::Middle(&["if", "for"]),
        "set" if is_assignment(&tag.body) => return Role::Plain,
        _ => {}
    }
    if let Some(family) = FAMILIES.iter().find(|f| **f == keyword) {
        return Role::Open(family);
    }
    if let Some(family) = keyword
        .strip_prefix("end")
        .and_then(|rest| FAMILIES.iter().find(|f| **f == rest))
    {
        return Role::Close(family);
    }
    Role::Plain
}

/// Whether a `set` statement assigns (`set x = 1`) rather than opening a block (`set x`).
fn is_assignment(body: &str) -> bool {
    let bytes = body.as_bytes();
    let mut string: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(quote) = string {
            if b == quote {
                string = None;
            }
            continue;
        }
        match b {
            b'"' | b'\'' => string = Some(b),
            b'=' => {
                let before = i.checked_sub(1).map(|j| bytes[j]);
                let after = bytes.get(i + 1).copied();
                let comparison =
                    matches!(before, Some(b'=' | b'!' | b'<' | b'>')) || after == Some(b'=');
                if !comparison {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Checks the statements of one part, given in document order.
/// `written(i)` is tag `i` as the author wrote it, `paragraph(i)` its 1-based paragraph.
pub(crate) fn check(
    entries: &[BlockEntry],
    tags: &[&Tag],
    paragraph: &dyn Fn(usize) -> usize,
) -> Result<(), BalanceError> {
    let mut stack: Vec<(BlockEntry, &'static str)> = Vec::new();
    for entry in entries {
        let Some(tag) = tags.get(entry.tag) else {
            continue;
        };
        match role(tag) {
            Role::Plain => {}
            Role::Open(family) => stack.push((*entry, family)),
            Role::Middle(families) => {
                let Some((open, family)) = stack.last() else {
                    return Err(stray(entry.tag, tag, families));
                };
                if !families.contains(family) {
                    return Err(stray(entry.tag, tag, families));
                }
                same_place(entry, open, tags, paragraph)?;
            }
            Role::Close(family) => {
                let Some((open, open_family)) = stack.pop() else {
                    return Err(BalanceError {
                        tag: entry.tag,
                        message: format!("„{}“ schließt keinen offenen Block", tag.written),
                    });
                };
                if open_family != family {
                    return Err(BalanceError {
                        tag: entry.tag,
                        message: format!(
                            "„{}“ passt nicht zu „{}“ aus Absatz {}",
                            tag.written,
                            written(tags, open.tag),
                            paragraph(open.tag)
                        ),
                    });
                }
                same_place(entry, &open, tags, paragraph)?;
            }
        }
    }
    match stack.last() {
        Some((open, _)) => Err(BalanceError {
            tag: open.tag,
            message: format!("Block „{}“ wird nicht geschlossen", written(tags, open.tag)),
        }),
        None => Ok(()),
    }
}

fn written<'a>(tags: &[&'a Tag], i: usize) -> &'a str {
    tags.get(i).map_or("", |t| t.written.as_str())
}

fn stray(i: usize, tag: &Tag, families: &[&str]) -> BalanceError {
    let what = if families.len() == 1 {
        "„if“-Block"
    } else {
        "„if“- oder „for“-Block"
    };
    BalanceError {
        tag: i,
        message: format!("„{}“ gehört zu keinem offenen {what}", tag.written),
    }
}

fn same_place(
    entry: &BlockEntry,
    open: &BlockEntry,
    tags: &[&Tag],
    paragraph: &dyn Fn(usize) -> usize,
) -> Result<(), BalanceError> {
    let this = written(tags, entry.tag);
    let other = written(tags, open.tag);
    let line = paragraph(open.tag);
    if entry.level != open.level {
        return Err(BalanceError {
            tag: entry.tag,
            message: format!(
                "„{this}“ steht nicht auf derselben Ebene wie „{other}“ aus Absatz {line} \
                 (beide brauchen dasselbe Präfix: p, tr, tc oder keines)"
            ),
        });
    }
    if entry.container != open.container {
        let hint = match entry.level {
            Level::Inline => "ohne Präfix müssen beide im selben Absatz stehen",
            Level::Paragraph => {
                "beide Absätze müssen im selben Bereich stehen, z. B. derselben \
                                 Tabellenzelle"
            }
            Level::Row => "beide Zeilen müssen in derselben Tabelle stehen",
            Level::Cell => "beide Zellen müssen in derselben Tabellenzeile stehen",
        };
        return Err(BalanceError {
            tag: entry.tag,
            message: format!(
                "„{this}“ steht nicht im selben Bereich wie „{other}“ aus Absatz {line} ({hint})"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::lexer::{Token, lex};

    fn run(source: &[(&str, Level, usize)]) -> Result<(), BalanceError> {
        let tags: Vec<Tag> = source
            .iter()
            .map(|(text, _, _)| match lex(text).unwrap().remove(0) {
                Token::Tag(tag) => tag,
                Token::Text(_) => panic!("no tag"),
            })
            .collect();
        let refs: Vec<&Tag> = tags.iter().collect();
        let entries: Vec<BlockEntry> = source
            .iter()
            .enumerate()
            .map(|(i, (_, level, container))| BlockEntry {
                tag: i,
                level: *level,
                container: *container,
            })
            .collect();
        check(&entries, &refs, &|i| i + 1)
    }

    #[test]
    fn balanced_blocks_pass() {
        let p = Level::Paragraph;
        run(&[
            ("{%p if a %}", p, 0),
            ("{%p for x in y %}", p, 0),
            ("{%p else %}", p, 0),
            ("{%p endfor %}", p, 0),
            ("{%p elif b %}", p, 0),
            ("{% set x = 1 %}", Level::Inline, 7),
            ("{%p endif %}", p, 0),
        ])
        .unwrap();
    }

    #[test]
    fn unclosed_block_is_reported_at_its_opening() {
        let err = run(&[("{%p if paper.financing %}", Level::Paragraph, 0)]).unwrap_err();
        assert_eq!(err.tag, 0);
        assert_eq!(
            err.message,
            "Block „{%p if paper.financing %}“ wird nicht geschlossen"
        );
    }

    #[test]
    fn set_block_needs_endset() {
        let err = run(&[("{% set x %}", Level::Inline, 0)]).unwrap_err();
        assert_eq!(err.message, "Block „{% set x %}“ wird nicht geschlossen");
        run(&[("{% set x = a == b %}", Level::Inline, 0)]).unwrap();
    }

    #[test]
    fn mismatches_are_reported_at_the_closing_tag() {
        let err = run(&[
            ("{%p if a %}", Level::Paragraph, 0),
            ("{% endif %}", Level::Inline, 3),
        ])
        .unwrap_err();
        assert_eq!(err.tag, 1);
        assert!(
            err.message
                .starts_with("„{% endif %}“ steht nicht auf derselben Ebene")
        );
        let err = run(&[("{% endfor %}", Level::Inline, 0)]).unwrap_err();
        assert_eq!(err.message, "„{% endfor %}“ schließt keinen offenen Block");
        let err = run(&[
            ("{% if a %}", Level::Inline, 0),
            ("{% endfor %}", Level::Inline, 0),
        ])
        .unwrap_err();
        assert_eq!(
            err.message,
            "„{% endfor %}“ passt nicht zu „{% if a %}“ aus Absatz 1"
        );
    }
}
