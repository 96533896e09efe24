//! Writes the minijinja source of one part from its bytes and its [`Plan`].
//!
//! Untouched XML is copied as it is, with any `{{`, `{%` or `{#` in it (a field code, an
//! attribute) escaped so that minijinja never reads it as a tag. Each paragraph starts on a new
//! source line and each tag's expression on its own line, and every position is recorded, so
//! that a minijinja error (which knows a line and a byte range) leads back to the paragraph and
//! the tag the author wrote.

use crate::docx::escape;
use crate::docx::plan::{Edit, Emit, Piece, Plan, PlannedTag};

/// Name of the filter that turns a `{{p …}}` value into paragraphs.
pub(crate) const BLOCK_FILTER: &str = "__ratsflow_block";
/// Name of the function that charges one step of fuel per loop iteration.
pub(crate) const STEP_FUNCTION: &str = "__ratsflow_step";

/// Where a position of the generated source came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Location {
    /// Index into the plan's paragraphs.
    pub paragraph: Option<usize>,
    /// Index into the plan's tags.
    pub tag: Option<usize>,
}

/// The generated source and a map from byte offsets to locations.
#[derive(Debug, Default)]
pub(crate) struct Source {
    pub text: String,
    /// `(offset, location)`, sorted by offset: the location holds from there on.
    pub marks: Vec<(usize, Location)>,
}

impl Source {
    /// The location of a byte offset of the generated source.
    pub(crate) fn locate(&self, offset: usize) -> Location {
        let i = self.marks.partition_point(|(at, _)| *at <= offset);
        i.checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .map(|(_, location)| *location)
            .unwrap_or_default()
    }

    /// The location of the start of a 1-based source line.
    pub(crate) fn locate_line(&self, line: usize) -> Location {
        let offset = if line <= 1 {
            0
        } else {
            self.text
                .match_indices('\n')
                .nth(line - 2)
                .map_or(self.text.len(), |(i, _)| i + 1)
        };
        self.locate(offset)
    }

    fn mark(&mut self, paragraph: usize, tag: Option<usize>) {
        self.marks.push((
            self.text.len(),
            Location {
                paragraph: Some(paragraph),
                tag,
            },
        ));
    }
}

/// Generates the source of a part. `block_offset` is added to block indices (one filter
/// serves all parts of a template).
pub(crate) fn generate(src: &str, plan: &Plan, block_offset: usize) -> Source {
    let mut out = Source {
        text: String::with_capacity(src.len() + src.len() / 8),
        marks: Vec::new(),
    };
    let mut pos = 0;
    for edit in &plan.edits {
        let start = edit.start();
        if start < pos {
            continue; // inside an element that was replaced
        }
        push_literal(&mut out.text, src.get(pos..start).unwrap_or(""));
        pos = start;
        match edit {
            Edit::Mark { paragraph, .. } => {
                out.text.push('\n');
                out.mark(*paragraph, None);
            }
            Edit::Text {
                content,
                qname,
                pieces,
                paragraph,
                ..
            } => {
                out.text.push('<');
                out.text.push_str(qname);
                out.text.push_str(" xml:space=\"preserve\">");
                for piece in pieces {
                    match piece {
                        Piece::Literal(text) => {
                            let mut escaped = String::with_capacity(text.len());
                            escape::push_text(&mut escaped, text);
                            push_literal(&mut out.text, &escaped);
                        }
                        Piece::Tag(id) => push_tag(&mut out, plan, *id, *paragraph, block_offset),
                    }
                }
                pos = content.end;
            }
            Edit::Replace {
                span,
                tags,
                paragraph,
            } => {
                out.text.push('\n');
                out.mark(*paragraph, None);
                for id in tags {
                    let tag_paragraph = plan.tags.get(*id).map_or(*paragraph, |t| t.paragraph);
                    push_tag(&mut out, plan, *id, tag_paragraph, block_offset);
                }
                pos = span.end;
            }
        }
    }
    push_literal(&mut out.text, src.get(pos..).unwrap_or(""));
    out
}

fn push_tag(out: &mut Source, plan: &Plan, id: usize, paragraph: usize, block_offset: usize) {
    let Some(PlannedTag { tag, emit, .. }) = plan.tags.get(id) else {
        return;
    };
    let open_ws = tag.open_ws.map(String::from).unwrap_or_default();
    let close_ws = tag.close_ws.map(String::from).unwrap_or_default();
    out.mark(paragraph, Some(id));
    let text = &mut out.text;
    match emit {
        Emit::Comment => {
            text.push_str("{#");
            text.push_str(&open_ws);
            text.push_str(&tag.body);
            text.push_str(&close_ws);
            text.push_str("#}");
        }
        Emit::Inline => {
            text.push_str("{{");
            text.push_str(&open_ws);
            text.push('\n');
            text.push_str(&tag.body);
            text.push_str(&close_ws);
            text.push_str("}}");
        }
        Emit::Block(index) => {
            text.push_str("{{");
            text.push_str(&open_ws);
            text.push_str("\n(");
            text.push_str(&tag.body);
            text.push_str(&format!(")|{BLOCK_FILTER}({}) ", block_offset + index));
            text.push_str(&close_ws);
            text.push_str("}}");
        }
        Emit::Statement => {
            text.push_str("{%");
            text.push_str(&open_ws);
            text.push('\n');
            text.push_str(&tag.body);
            text.push_str(&close_ws);
            text.push_str("%}");
            if matches!(tag.keyword(), "for" | "macro") {
                text.push_str(&format!("{{{{ {STEP_FUNCTION}() }}}}"));
            }
        }
    }
    out.mark(paragraph, None);
}

/// Copies XML that minijinja must not interpret: a `{` that could start a tag (or that ends
/// the literal, where the next piece might continue it) is printed as a string.
pub(crate) fn push_literal(out: &mut String, literal: &str) {
    let bytes = literal.as_bytes();
    let mut copied = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'{' {
            continue;
        }
        let dangerous = match bytes.get(i + 1) {
            Some(b'{' | b'%' | b'#') | None => true,
            Some(_) => false,
        };
        if dangerous {
            out.push_str(&literal[copied..i]);
            out.push_str("{{ \"{\" }}");
            copied = i + 1;
        }
    }
    out.push_str(&literal[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_braces_are_escaped_for_minijinja() {
        let mut out = String::new();
        push_literal(&mut out, "<w:instrText>{{ PAGE }} {%x {a}</w:instrText>{");
        assert_eq!(
            out,
            "<w:instrText>{{ \"{\" }}{ PAGE }} {{ \"{\" }}%x {a}</w:instrText>{{ \"{\" }}"
        );
    }
}
