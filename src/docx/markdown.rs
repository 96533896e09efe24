//! The `md` filter: Markdown text from a paper (Sachverhalt, Begründung) as rich text.
//!
//! Papers carry their long texts as Markdown. pulldown-cmark parses it; this module turns its
//! event stream into the small block model of [`crate::docx::rich_text`] — paragraphs,
//! headings, list items with their depth and number, quotes, code, tables — keeping bold,
//! italic and strikethrough, and showing a link's address after its text.
//!
//! German text is kept as written: CommonMark lets a single `*` between letters open or close
//! emphasis, which would turn „Vertreter*innen und Bürger*innen“ into italics and swallow both
//! stars. Before parsing, such a star (and the star of a literal `(*)`) is escaped, outside code
//! and HTML; `*emphasis*` with a space before it still works.

use minijinja::value::Value;
use minijinja::{Error, ErrorKind, State};
use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::docx::fuel;
use crate::docx::rich_text::{Block, Emphasis, Inline, ParaKind, RichText};

/// `md`: parses Markdown. Undefined is an error; none stays none.
pub(crate) fn md(state: &State, value: &Value) -> Result<Value, Error> {
    if value.is_undefined() {
        return Err(Error::from(ErrorKind::UndefinedError));
    }
    if value.is_none() {
        return Ok(Value::from(()));
    }
    if value.downcast_object_ref::<RichText>().is_some() {
        return Ok(value.clone());
    }
    let source = match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    };
    fuel::charge_text(state, &source)?;
    crate::docx::limits::check_value(&source)?;
    let text = parse(&source);
    Ok(Value::from_object(text))
}

pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Parses Markdown into blocks.
pub(crate) fn parse(source: &str) -> RichText {
    let source = literal_stars(source);
    let mut builder = Builder::default();
    for event in Parser::new_ext(&source, OPTIONS) {
        builder.event(event);
    }
    builder.flush();
    RichText {
        blocks: builder.blocks,
    }
}

/// Whether the star at byte `at` is text, not emphasis: a single star between two letters or
/// digits (the gender star of „Bürger*innen“), or the star of `(*)`.
fn is_literal_star(source: &str, at: usize) -> bool {
    let before = source[..at].chars().next_back();
    let after = source[at + 1..].chars().next();
    match (before, after) {
        (Some('('), Some(')')) => true,
        (Some(b), Some(a)) => b.is_alphanumeric() && a.is_alphanumeric(),
        _ => false,
    }
}

/// The source with every literal star (see [`is_literal_star`]) outside code spans, code
/// blocks and HTML escaped as `\*`; the source itself when there is none.
pub(crate) fn literal_stars(source: &str) -> Cow<'_, str> {
    let stars: Vec<usize> = source
        .match_indices('*')
        .map(|(at, _)| at)
        .filter(|&at| is_literal_star(source, at))
        .collect();
    if stars.is_empty() {
        return Cow::Borrowed(source);
    }
    let verbatim = verbatim_ranges(source);
    let mut out = String::with_capacity(source.len() + stars.len());
    let mut from = 0;
    for at in stars {
        if verbatim.iter().any(|r| r.contains(&at)) {
            continue;
        }
        out.push_str(&source[from..at]);
        out.push_str("\\*");
        from = at + 1;
    }
    out.push_str(&source[from..]);
    Cow::Owned(out)
}

/// Byte ranges of the source that Markdown shows as typed: code spans, code blocks, HTML.
fn verbatim_ranges(source: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(source, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) => {
                block = Some(range.start);
            }
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::HtmlBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            Event::Code(_) | Event::InlineHtml(_) | Event::Html(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    current: Option<(ParaKind, Vec<Inline>)>,
    /// Open lists: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Whether the current list item has produced its first paragraph.
    item_started: bool,
    quotes: usize,
    emphasis: Emphasis,
    strong: usize,
    emph: usize,
    strike: usize,
    in_code_block: bool,
    table: Option<(Vec<Vec<Vec<Inline>>>, usize)>,
    cell: Option<Vec<Inline>>,
    link: Option<(String, usize)>,
}

impl Builder {
    fn depth(&self) -> u8 {
        u8::try_from(self.lists.len().saturating_sub(1)).unwrap_or(u8::MAX)
    }

    fn flush(&mut self) {
        if let Some((kind, inlines)) = self.current.take()
            && (!inlines.is_empty() || matches!(kind, ParaKind::Bullet(_) | ParaKind::Numbered(..)))
        {
            self.blocks.push(Block::Para(kind, inlines));
        }
    }

    fn begin(&mut self, kind: ParaKind) {
        self.flush();
        self.current = Some((kind, Vec::new()));
    }

    fn default_kind(&self) -> ParaKind {
        if !self.lists.is_empty() {
            ParaKind::Continuation(self.depth())
        } else if self.quotes > 0 {
            ParaKind::Quote
        } else {
            ParaKind::Normal
        }
    }

    fn inlines(&mut self) -> &mut Vec<Inline> {
        if self.cell.is_some() {
            return self.cell.get_or_insert_with(Vec::new);
        }
        if self.current.is_none() {
            let kind = self.default_kind();
            self.current = Some((kind, Vec::new()));
        }
        &mut self
            .current
            .get_or_insert_with(|| (ParaKind::Normal, Vec::new()))
            .1
    }

    fn text(&mut self, text: &str) {
        let emphasis = Emphasis {
            bold: self.strong > 0,
            italic: self.emph > 0,
            strike: self.strike > 0,
            code: self.emphasis.code || self.in_code_block,
        };
        if self.in_code_block {
            let mut lines = text
                .strip_suffix('\n')
                .unwrap_or(text)
                .split('\n')
                .peekable();
            while let Some(line) = lines.next() {
                self.inlines().push(Inline::Text(line.to_owned(), emphasis));
                if lines.peek().is_some() {
                    self.inlines().push(Inline::Break);
                }
            }
            return;
        }
        // An escaped star splits the text: join pieces of one formatting (not across the
        // start of a link, whose text is read back at its end).
        let floor = self.link.as_ref().map_or(0, |(_, start)| *start);
        let inlines = self.inlines();
        if inlines.len() > floor
            && let Some(Inline::Text(last, last_emphasis)) = inlines.last_mut()
            && *last_emphasis == emphasis
        {
            last.push_str(text);
            return;
        }
        inlines.push(Inline::Text(text.to_owned(), emphasis));
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => self.text(&text),
            Event::Code(text) => {
                self.emphasis.code = true;
                self.text(&text);
                self.emphasis.code = false;
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inlines().push(Inline::Break),
            Event::Rule => self.flush(),
            Event::TaskListMarker(done) => self.text(if done { "☒ " } else { "☐ " }),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if self.item_started {
                    self.item_started = false;
                } else if self.cell.is_none() {
                    let kind = self.default_kind();
                    self.begin(kind);
                }
            }
            Tag::Heading { level, .. } => self.begin(ParaKind::Heading(level as u8)),
            Tag::BlockQuote(_) => {
                self.flush();
                self.quotes += 1;
            }
            Tag::CodeBlock(_) => {
                self.begin(ParaKind::Code);
                self.in_code_block = true;
            }
            Tag::List(first) => {
                self.flush();
                self.item_started = false;
                self.lists.push(first);
            }
            Tag::Item => {
                let depth = self.depth();
                let kind = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let kind = ParaKind::Numbered(depth, *number);
                        *number = number.saturating_add(1);
                        kind
                    }
                    _ => ParaKind::Bullet(depth),
                };
                self.begin(kind);
                self.item_started = true;
            }
            Tag::Emphasis => self.emph += 1,
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => {
                let start = self.inlines().len();
                self.link = Some((dest_url.to_string(), start));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some((Vec::new(), 0));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((rows, _)) = &mut self.table {
                    rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.cell = Some(Vec::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) if self.cell.is_none() => self.flush(),
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.flush();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.item_started = false;
            }
            TagEnd::Emphasis => self.emph = self.emph.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                if let Some(row) = self.table.as_mut().and_then(|(rows, _)| rows.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some((rows, header)) = &mut self.table {
                    *header = rows.len();
                }
            }
            TagEnd::Table => {
                if let Some((rows, header)) = self.table.take() {
                    self.blocks.push(Block::Table { rows, header });
                }
            }
            _ => {}
        }
    }

    /// Shows a link's address after its text when the text is not the address itself.
    fn end_link(&mut self) {
        let Some((url, start)) = self.link.take() else {
            return;
        };
        let shown: String = self
            .inlines()
            .iter()
            .skip(start)
            .filter_map(|i| match i {
                Inline::Text(t, _) => Some(t.as_str()),
                Inline::Break => None,
            })
            .collect();
        if !url.is_empty() && shown != url && !url.starts_with('#') {
            self.inlines()
                .push(Inline::Text(format!(" ({url})"), Emphasis::default()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_owned(), Emphasis::default())
    }

    #[test]
    fn paragraphs_emphasis_and_breaks() {
        let rich = parse("Erster **fetter** Satz  \nzweite Zeile\n\n*kursiv*");
        let bold = Emphasis {
            bold: true,
            ..Emphasis::default()
        };
        assert_eq!(
            rich.blocks[0],
            Block::Para(
                ParaKind::Normal,
                vec![
                    text("Erster "),
                    Inline::Text("fetter".to_owned(), bold),
                    text(" Satz"),
                    Inline::Break,
                    text("zweite Zeile"),
                ]
            )
        );
        assert_eq!(rich.blocks.len(), 2);
    }

    #[test]
    fn nested_and_numbered_lists() {
        let rich = parse("- a\n  - b\n- c\n\n3. drei\n4. vier\n");
        let kinds: Vec<ParaKind> = rich
            .blocks
            .iter()
            .map(|b| match b {
                Block::Para(kind, _) => *kind,
                Block::Table { .. } => panic!("table"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ParaKind::Bullet(0),
                ParaKind::Bullet(1),
                ParaKind::Bullet(0),
                ParaKind::Numbered(0, 3),
                ParaKind::Numbered(0, 4),
            ]
        );
        assert_eq!(rich.plain_text(), "• a\n  ◦ b\n• c\n3. drei\n4. vier");
    }

    #[test]
    fn tables_and_headings() {
        let rich = parse("## Kosten\n\n| Jahr | Betrag |\n|---|---|\n| 2026 | 33.000 € |\n");
        assert_eq!(
            rich.blocks[0],
            Block::Para(ParaKind::Heading(2), vec![text("Kosten")])
        );
        let Block::Table { rows, header } = &rich.blocks[1] else {
            panic!("no table")
        };
        assert_eq!(*header, 1);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][1], vec![text("33.000 €")]);
        assert_eq!(rich.plain_text(), "Kosten\nJahr\tBetrag\n2026\t33.000 €");
    }

    #[test]
    fn gender_star_stays_as_written() {
        let rich = parse("Vertreter*innen der Kommunen und Bürger*innen sowie Kolleg*innen");
        assert_eq!(
            rich.blocks,
            [Block::Para(
                ParaKind::Normal,
                vec![text(
                    "Vertreter*innen der Kommunen und Bürger*innen sowie Kolleg*innen"
                )]
            )]
        );
    }

    #[test]
    fn literal_star_in_brackets_stays() {
        let rich = parse("Kosten (*) laut Plan (*) und Ansprechpartnern*innen");
        assert_eq!(
            rich.plain_text(),
            "Kosten (*) laut Plan (*) und Ansprechpartnern*innen"
        );
        assert!(rich.blocks.iter().all(|b| match b {
            Block::Para(_, inlines) => inlines.iter().all(|i| match i {
                Inline::Text(_, emphasis) => *emphasis == Emphasis::default(),
                Inline::Break => true,
            }),
            Block::Table { .. } => true,
        }));
    }

    #[test]
    fn emphasis_with_spaces_around_still_works() {
        let rich = parse("Die *Bürger*innen* und **fett** im Satz, dazu *kursiv*.");
        let italic = Emphasis {
            italic: true,
            ..Emphasis::default()
        };
        let bold = Emphasis {
            bold: true,
            ..Emphasis::default()
        };
        assert_eq!(
            rich.blocks[0],
            Block::Para(
                ParaKind::Normal,
                vec![
                    text("Die "),
                    Inline::Text("Bürger*innen".to_owned(), italic),
                    text(" und "),
                    Inline::Text("fett".to_owned(), bold),
                    text(" im Satz, dazu "),
                    Inline::Text("kursiv".to_owned(), italic),
                    text("."),
                ]
            )
        );
    }

    #[test]
    fn stars_in_code_stay_unescaped() {
        let rich = parse("Suche `Bürger*innen` im Text\n\n```\nVertreter*innen\n```\n");
        assert_eq!(
            rich.plain_text(),
            "Suche Bürger*innen im Text\nVertreter*innen"
        );
    }

    #[test]
    fn undefined_is_an_error_and_none_stays_none() {
        let env = minijinja::Environment::new();
        let state = env.empty_state();
        assert!(md(&state, &Value::UNDEFINED).is_err());
        assert!(md(&state, &Value::from(())).unwrap().is_none());
    }
}
