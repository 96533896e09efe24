//! Decides, for one part, what happens to every paragraph, row and cell that holds tags.
//!
//! Plain tags stay where they are: each tag's whole text moves into the `w:t` where it starts
//! (Word may have split it over several runs) and is removed from the others. Structural tags
//! (`{%p`, `{%tr`, `{%tc`, `{{p`) replace their whole element with the bare tags. The result is
//! a list of byte-range edits for [`crate::docx::codegen`], after the block structure has been
//! checked by [`crate::docx::balance`]. Plain tags are handled by [`crate::docx::join`].

use std::ops::Range;

use crate::docx::balance::{self, BlockEntry, Level};
use crate::docx::join::{self, Lexed, owner};
use crate::docx::lexer::{self, Delim, Scope, Tag, Token};
use crate::docx::scan::{Kind, PartModel};

/// How a tag is written into the generated template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Emit {
    /// A value printed into its run.
    Inline,
    /// `{{p …}}`: block output replacing a paragraph; index into [`Plan::blocks`].
    Block(usize),
    Statement,
    Comment,
}

/// A tag with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct PlannedTag {
    pub tag: Tag,
    /// Index into [`Plan::paragraphs`].
    pub paragraph: usize,
    pub emit: Emit,
}

/// The properties a `{{p …}}` paragraph passes on to what replaces it.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockBase {
    /// Inner XML of the paragraph's `w:pPr`.
    pub ppr: String,
    /// Inner XML of the `w:rPr` of the run the tag starts in.
    pub rpr: String,
    /// The paragraph is a table cell's child (a cell needs a paragraph).
    pub in_cell: bool,
}

/// A piece of a rewritten `w:t`.
#[derive(Debug, Clone)]
pub(crate) enum Piece {
    Literal(String),
    Tag(usize),
}

/// One change to the part's bytes.
#[derive(Debug, Clone)]
pub(crate) enum Edit {
    /// Starts a paragraph on a new source line (for error locations).
    Mark { at: usize, paragraph: usize },
    /// Rewrites a `w:t`: new start tag (with `xml:space="preserve"`) and content.
    Text {
        start_tag: Range<usize>,
        content: Range<usize>,
        qname: String,
        pieces: Vec<Piece>,
        paragraph: usize,
    },
    /// Replaces an element with its structural tags.
    Replace {
        span: Range<usize>,
        tags: Vec<usize>,
        paragraph: usize,
    },
}

impl Edit {
    pub(crate) fn start(&self) -> usize {
        match self {
            Edit::Mark { at, .. } => *at,
            Edit::Text { start_tag, .. } => start_tag.start,
            Edit::Replace { span, .. } => span.start,
        }
    }
}

/// Everything codegen needs for one part.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub edits: Vec<Edit>,
    pub tags: Vec<PlannedTag>,
    /// The text of each paragraph (for excerpts); paragraph `i` is number `i + 1`.
    pub paragraphs: Vec<String>,
    pub blocks: Vec<BlockBase>,
}

/// A problem found while planning: paragraph index, tag as written, German message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanError {
    pub paragraph: usize,
    pub tag: Option<String>,
    pub message: String,
}

const FORBIDDEN: [&str; 4] = ["include", "import", "from", "extends"];

/// A replaced element and the tag that asked for it.
struct Target {
    element: usize,
    level: Level,
    by: String,
}

/// Plans the edits of one part.
pub(crate) fn plan(src: &str, model: &PartModel) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    let mut lexed = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    for (index, paragraph) in model.paragraphs.iter().enumerate() {
        let (text, starts) = model.joined_text(paragraph);
        if text.contains('{') {
            let tokens = lexer::lex(&text).map_err(|err| PlanError {
                paragraph: index,
                tag: Some(err.written),
                message: err.message,
            })?;
            if tokens.iter().any(|t| matches!(t, Token::Tag(_))) {
                for token in &tokens {
                    if let Token::Tag(tag) = token {
                        check_tag(index, tag)?;
                        if let Some(target) = target_of(model, index, tag)? {
                            targets.push(target);
                        }
                    }
                }
                lexed.push(Lexed {
                    paragraph: index,
                    tokens,
                    starts,
                    len: text.len(),
                });
            }
        }
        plan.paragraphs.push(paragraph.display.clone());
    }
    let targets = outermost(model, targets);
    let mut entries: Vec<(usize, usize, BlockEntry)> = Vec::new();
    let mut replaced: Vec<Vec<usize>> = vec![Vec::new(); targets.len()];
    let mut target_paragraph: Vec<Option<usize>> = vec![None; targets.len()];
    let mut cursor = 0;
    let mut lexed = lexed.into_iter().peekable();
    for (index, paragraph) in model.paragraphs.iter().enumerate() {
        let span = &model.elements[paragraph.element].span;
        while cursor < targets.len()
            && model.elements[targets[cursor].element].span.end <= span.start
        {
            cursor += 1;
        }
        let inside = targets.get(cursor).filter(|t| {
            let outer = &model.elements[t.element].span;
            outer.start <= span.start && span.end <= outer.end
        });
        if inside.is_none() {
            plan.edits.push(Edit::Mark {
                at: span.start,
                paragraph: index,
            });
        }
        let Some(current) = lexed.next_if(|l| l.paragraph == index) else {
            continue;
        };
        match inside {
            Some(target) => {
                target_paragraph[cursor].get_or_insert(index);
                let container = model.parent(target.element).unwrap_or(usize::MAX);
                for token in current.tokens {
                    let Token::Tag(tag) = token else { continue };
                    let emit =
                        replaced_emit(model, src, &mut plan, target, index, &tag, &current.starts)?;
                    let Some(emit) = emit else { continue };
                    let id = push_tag(&mut plan, tag, index, emit);
                    entries.push((
                        model.elements[target.element].span.start,
                        id,
                        BlockEntry {
                            tag: id,
                            level: target.level,
                            container,
                        },
                    ));
                    replaced[cursor].push(id);
                }
            }
            None => join::inline_edits(model, &mut plan, &mut entries, index, current),
        }
    }
    for (i, target) in targets.iter().enumerate() {
        plan.edits.push(Edit::Replace {
            span: model.elements[target.element].span.clone(),
            tags: std::mem::take(&mut replaced[i]),
            paragraph: target_paragraph[i].unwrap_or(0),
        });
    }
    entries.sort_by_key(|(pos, id, _)| (*pos, *id));
    let entries: Vec<BlockEntry> = entries.into_iter().map(|(_, _, e)| e).collect();
    let tags: Vec<&Tag> = plan.tags.iter().map(|t| &t.tag).collect();
    let paragraph_of = |i: usize| plan.tags.get(i).map_or(0, |t| t.paragraph + 1);
    if let Err(err) = balance::check(&entries, &tags, &paragraph_of) {
        let tag = plan.tags.get(err.tag);
        return Err(PlanError {
            paragraph: tag.map_or(0, |t| t.paragraph),
            tag: tag.map(|t| t.tag.written.clone()),
            message: err.message,
        });
    }
    plan.edits
        .sort_by_key(|e| (e.start(), !matches!(e, Edit::Mark { .. })));
    Ok(plan)
}

fn check_tag(paragraph: usize, tag: &Tag) -> Result<(), PlanError> {
    if FORBIDDEN.contains(&tag.keyword()) {
        return Err(PlanError {
            paragraph,
            tag: Some(tag.written.clone()),
            message: "Vorlagen können keine anderen Dateien einbinden (include, import, from \
                      und extends sind nicht erlaubt)"
                .to_owned(),
        });
    }
    Ok(())
}

fn target_of(model: &PartModel, index: usize, tag: &Tag) -> Result<Option<Target>, PlanError> {
    let paragraph = &model.paragraphs[index];
    let error = |message: &str| PlanError {
        paragraph: index,
        tag: Some(tag.written.clone()),
        message: message.to_owned(),
    };
    let (element, level) = match tag.scope {
        Scope::Run => return Ok(None),
        Scope::Paragraph => (paragraph.element, Level::Paragraph),
        Scope::Row => (
            paragraph
                .row
                .ok_or_else(|| error("steht nicht in einer Tabellenzeile"))?,
            Level::Row,
        ),
        Scope::Cell => (
            paragraph
                .cell
                .ok_or_else(|| error("steht nicht in einer Tabellenzelle"))?,
            Level::Cell,
        ),
    };
    Ok(Some(Target {
        element,
        level,
        by: tag.written.clone(),
    }))
}

/// Sorts targets by position and drops those inside another one.
fn outermost(model: &PartModel, mut targets: Vec<Target>) -> Vec<Target> {
    targets.sort_by_key(|t| {
        let span = &model.elements[t.element].span;
        (span.start, std::cmp::Reverse(span.end))
    });
    let mut kept: Vec<Target> = Vec::new();
    for target in targets {
        let span = &model.elements[target.element].span;
        if kept
            .last()
            .is_some_and(|k| span.start < model.elements[k.element].span.end)
        {
            continue;
        }
        kept.push(target);
    }
    kept
}

pub(crate) fn push_tag(plan: &mut Plan, tag: Tag, paragraph: usize, emit: Emit) -> usize {
    plan.tags.push(PlannedTag {
        tag,
        paragraph,
        emit,
    });
    plan.tags.len() - 1
}

/// How a tag inside a replaced element is emitted; `None` drops it.
fn replaced_emit(
    model: &PartModel,
    src: &str,
    plan: &mut Plan,
    target: &Target,
    index: usize,
    tag: &Tag,
    starts: &[usize],
) -> Result<Option<Emit>, PlanError> {
    let paragraph = &model.paragraphs[index];
    match (tag.delim, tag.scope) {
        (Delim::Comment, _) => Ok(None),
        (Delim::Statement, _) => Ok(Some(Emit::Statement)),
        (Delim::Print, Scope::Paragraph) if target.element == paragraph.element => {
            let text = paragraph
                .texts
                .get(owner(starts, tag.range.start))
                .map(|&t| model.texts[t].element);
            let rpr = text
                .and_then(|t| model.parent(t))
                .filter(|&r| model.elements[r].kind == Kind::Run)
                .and_then(|r| model.elements[r].props);
            let in_cell = model
                .parent(paragraph.element)
                .is_some_and(|p| model.elements[p].kind == Kind::Cell);
            plan.blocks.push(BlockBase {
                ppr: inner(model, src, model.elements[paragraph.element].props),
                rpr: inner(model, src, rpr),
                in_cell,
            });
            Ok(Some(Emit::Block(plan.blocks.len() - 1)))
        }
        (Delim::Print, _) => {
            let what = match target.level {
                Level::Row => "die Tabellenzeile",
                Level::Cell => "die Tabellenzelle",
                _ => "der Absatz",
            };
            Err(PlanError {
                paragraph: index,
                tag: Some(tag.written.clone()),
                message: format!(
                    "kann hier nichts ausgeben: {what} wird durch „{}“ ersetzt",
                    target.by
                ),
            })
        }
    }
}

/// The inner XML of an element (empty when there is none).
fn inner(model: &PartModel, src: &str, element: Option<usize>) -> String {
    element
        .and_then(|e| model.elements.get(e))
        .and_then(|e| src.get(e.content_start..e.content_end))
        .unwrap_or("")
        .to_owned()
}
