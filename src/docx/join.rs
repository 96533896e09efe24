//! Joins tags that Word split across runs.
//!
//! Word splits what the author typed — `{{ paper.title }}` — over several runs about half of
//! the time (spelling marks, language changes, revision ids, a bookmark). For a paragraph whose
//! tags stay in place, each tag's whole text moves into the `w:t` where it starts and is removed
//! from the others; literal text stays in its own `w:t`, so formatting is kept. Every `w:t` of
//! such a paragraph is rewritten with `xml:space="preserve"`, as text at its edges may now
//! matter.

use crate::docx::balance::{BlockEntry, Level};
use crate::docx::lexer::{Delim, Token};
use crate::docx::plan::{Edit, Emit, Piece, Plan, push_tag};
use crate::docx::scan::PartModel;

/// A lexed paragraph that has at least one tag.
pub(crate) struct Lexed {
    pub paragraph: usize,
    pub tokens: Vec<Token>,
    /// Start of each of the paragraph's text nodes in the joined text.
    pub starts: Vec<usize>,
    /// Length of the joined text.
    pub len: usize,
}

/// The text node (index into the paragraph's texts) holding byte `offset` of the joined text.
pub(crate) fn owner(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// Moves each tag into the `w:t` where it starts and records the rewritten text nodes.
pub(crate) fn inline_edits(
    model: &PartModel,
    plan: &mut Plan,
    entries: &mut Vec<(usize, usize, BlockEntry)>,
    index: usize,
    lexed: Lexed,
) {
    let paragraph = &model.paragraphs[index];
    let count = paragraph.texts.len();
    let mut pieces: Vec<Vec<Piece>> = vec![Vec::new(); count];
    let text_of = |k: usize| &model.texts[paragraph.texts[k]];
    let end_of = |k: usize| lexed.starts.get(k + 1).copied().unwrap_or(lexed.len);
    let joined: String = (0..count).map(|k| text_of(k).text.as_str()).collect();
    for token in lexed.tokens {
        match token {
            Token::Text(range) => {
                let first = owner(&lexed.starts, range.start);
                for (k, target) in pieces.iter_mut().enumerate().skip(first) {
                    let (a, b) = (lexed.starts.get(k).copied().unwrap_or(lexed.len), end_of(k));
                    if a >= range.end {
                        break;
                    }
                    let (from, to) = (a.max(range.start), b.min(range.end));
                    if let Some(literal) = joined.get(from..to).filter(|s| !s.is_empty()) {
                        target.push(Piece::Literal(literal.to_owned()));
                    }
                }
            }
            Token::Tag(tag) => {
                let k = owner(&lexed.starts, tag.range.start).min(count.saturating_sub(1));
                let element = text_of(k).element;
                let emit = match tag.delim {
                    Delim::Print => Emit::Inline,
                    Delim::Statement => Emit::Statement,
                    Delim::Comment => Emit::Comment,
                };
                let is_statement = emit == Emit::Statement;
                let id = push_tag(plan, tag, index, emit);
                if is_statement {
                    let container = model
                        .parent(element)
                        .and_then(|run| model.parent(run))
                        .unwrap_or(paragraph.element);
                    let position = model.elements[element].content_start;
                    entries.push((
                        position,
                        id,
                        BlockEntry {
                            tag: id,
                            level: Level::Inline,
                            container,
                        },
                    ));
                }
                pieces[k].push(Piece::Tag(id));
            }
        }
    }
    for (k, pieces) in pieces.into_iter().enumerate() {
        let node = text_of(k);
        let element = &model.elements[node.element];
        if element.content_start == element.span.end {
            continue; // <w:t/> holds nothing and receives nothing.
        }
        plan.edits.push(Edit::Text {
            start_tag: element.span.start..element.content_start,
            content: element.content_start..element.content_end,
            qname: node.qname.clone(),
            pieces,
            paragraph: index,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::lexer::lex;
    use crate::docx::scan::scan;

    #[test]
    fn tags_move_into_the_run_where_they_start() {
        let src = concat!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>"#,
            r#"<w:r><w:t>Titel: {{ pa</w:t></w:r><w:proofErr w:type="spellStart"/>"#,
            r#"<w:r><w:t>per.title</w:t></w:r><w:r><w:t xml:space="preserve"> }} Ende</w:t></w:r>"#,
            r#"</w:p></w:body></w:document>"#
        );
        let model = scan(src).unwrap();
        let (text, starts) = model.joined_text(&model.paragraphs[0]);
        let lexed = Lexed {
            paragraph: 0,
            tokens: lex(&text).unwrap(),
            starts,
            len: text.len(),
        };
        let mut plan = Plan::default();
        let mut entries = Vec::new();
        inline_edits(&model, &mut plan, &mut entries, 0, lexed);
        let contents: Vec<String> = plan
            .edits
            .iter()
            .map(|edit| match edit {
                Edit::Text { pieces, .. } => pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Literal(text) => text.clone(),
                        Piece::Tag(id) => plan.tags[*id].tag.written.clone(),
                    })
                    .collect(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(contents, ["Titel: {{ paper.title }}", "", " Ende"]);
        assert_eq!(owner(&[0, 11, 20], 11), 1);
    }
}
