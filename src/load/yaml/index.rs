//! The position index of one YAML document, built from yaml-rust2's marked events.
//!
//! serde_yaml keeps no positions for values, so before decoding we walk the event stream once
//! and remember where every key and value starts and how wide it is. The index is a flat tree:
//! nodes in document order, edges sorted by parent, keys in one string arena. Building it is
//! linear in the number of events and allocates a handful of vectors per file.
//!
//! The events are pulled one by one, never through yaml-rust2's recursive `load`, and nesting
//! deeper than [`MAX_DEPTH`] stops the build: a hostile file of thousands of `- - - …` levels
//! gets a located error instead of overflowing the stack here or in serde_yaml later.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use super::Seg;
use crate::diagnostic::Location;

/// Where a key or value is: start and width, both in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub line: u32,
    pub column: u32,
    pub width: u32,
}

impl Span {
    pub fn location(self) -> (Location, usize) {
        (
            Location::new(self.line as usize, self.column as usize),
            self.width.max(1) as usize,
        )
    }

    fn before(self, other: Span) -> bool {
        (self.line, self.column) < (other.line, other.column)
    }
}

/// What a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Scalar,
    /// A plain scalar with no text at all (`key:` followed by nothing).
    Empty,
    Alias,
    Mapping,
    Sequence,
}

/// One value in the document.
#[derive(Clone, Debug)]
pub(super) struct Node {
    pub key: Option<Span>,
    pub value: Span,
    pub kind: Kind,
    /// Range of this node's children in `Index::edges` (after sorting).
    first_edge: u32,
    edge_count: u32,
}

/// A parent-child link: a mapping entry (key text in the arena) or a sequence item.
#[derive(Clone, Copy, Debug)]
struct Edge {
    parent: u32,
    child: u32,
    key_start: u32,
    key_end: u32,
}

/// A key that appears twice in one mapping.
#[derive(Clone, Debug)]
pub(super) struct Duplicate {
    pub key: String,
    pub span: Span,
    pub first_line: u32,
}

/// How deeply mappings and sequences may nest. Real ratsflow files use fewer than ten levels.
pub(super) const MAX_DEPTH: usize = 64;

/// Why a text could not be indexed.
#[derive(Debug)]
pub(super) enum BuildError {
    /// A YAML syntax error, as yaml-rust2 reports it.
    Syntax(ScanError),
    /// A mapping or sequence opens deeper than [`MAX_DEPTH`]: where it opens.
    TooDeep { line: usize, column: usize },
}

/// Positions of all keys and values of one document.
#[derive(Clone, Debug, Default)]
pub(super) struct Index {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    /// Edge ids of every mapping's entries, per node sorted by key and then document order,
    /// at the same positions as the node's range in `edges`: for binary search by key.
    by_key: Vec<u32>,
    keys: String,
    pub duplicates: Vec<Duplicate>,
    /// Where the second document starts, if there is more than one.
    pub second_document: Option<Span>,
}

impl Index {
    /// Parses `text` and indexes it; a syntax error is returned as yaml-rust2 reports it.
    pub fn build(text: &str) -> Result<Index, BuildError> {
        let mut builder = Builder::new(text);
        let mut parser = Parser::new_from_str(text);
        let mut depth = 0usize;
        loop {
            let (event, mark) = parser.next_token().map_err(BuildError::Syntax)?;
            match event {
                Event::StreamEnd => break,
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        // A block mapping starts at its first colon: point at its key instead.
                        let at = match parser.peek() {
                            Ok((Event::Scalar(..), key)) if key.index() < mark.index() => *key,
                            _ => mark,
                        };
                        return Err(BuildError::TooDeep {
                            line: at.line(),
                            column: at.col().saturating_add(1),
                        });
                    }
                }
                Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
                _ => {}
            }
            builder.on_event(event, mark);
        }
        Ok(builder.finish())
    }

    /// The root node, if the document has any content.
    pub fn root(&self) -> Option<&Node> {
        self.nodes.first()
    }

    /// Whether the document holds nothing (no content or only an empty plain scalar).
    pub fn is_empty(&self) -> bool {
        self.root().is_none_or(|root| root.kind == Kind::Empty)
    }

    /// The node at `path`, or None.
    pub fn get(&self, path: &[Seg]) -> Option<&Node> {
        let (found, depth) = self.deepest(path);
        if depth == path.len() { found } else { None }
    }

    /// The deepest node along `path` that exists and how many segments it matched.
    pub fn deepest(&self, path: &[Seg]) -> (Option<&Node>, usize) {
        let Some(mut node) = self.nodes.first() else {
            return (None, 0);
        };
        for (depth, seg) in path.iter().enumerate() {
            match self.child(node, seg) {
                Some(next) => node = next,
                None => return (Some(node), depth),
            }
        }
        (Some(node), path.len())
    }

    /// The key text of an edge (empty for sequence items).
    fn key_of(&self, edge: u32) -> &str {
        self.edges
            .get(edge as usize)
            .and_then(|e| self.keys.get(e.key_start as usize..e.key_end as usize))
            .unwrap_or("")
    }

    /// The key span of an edge's child.
    fn key_span(&self, edge: u32) -> Option<Span> {
        let e = self.edges.get(edge as usize)?;
        self.nodes.get(e.child as usize)?.key
    }

    fn child(&self, node: &Node, seg: &Seg) -> Option<&Node> {
        let start = node.first_edge as usize;
        let edges = self.edges.get(start..start + node.edge_count as usize)?;
        let edge = match (node.kind, seg) {
            (Kind::Sequence, Seg::Index(i)) => edges.get(*i)?,
            (Kind::Mapping, Seg::Key(k)) => {
                let sorted = self.by_key.get(start..start + node.edge_count as usize)?;
                // Sorted by key, then document order: the last of duplicate keys wins, as in
                // serde_yaml.
                let after = sorted.partition_point(|&e| self.key_of(e) <= k.as_str());
                let found = *sorted.get(after.checked_sub(1)?)?;
                if self.key_of(found) != k.as_str() {
                    return None;
                }
                self.edges.get(found as usize)?
            }
            _ => return None,
        };
        self.nodes.get(edge.child as usize)
    }
}

/// One open collection while walking the events.
enum Frame {
    Mapping {
        node: u32,
        /// The key waiting for its value: arena range and span; `None` inside `Some` for a
        /// complex (non-scalar) key.
        pending: Option<Option<(u32, u32, Span)>>,
        /// Edges of this mapping, for the duplicate check.
        entries: Vec<u32>,
    },
    Sequence {
        node: u32,
        next: u32,
    },
    /// Inside a complex key: events are skipped until the key ends.
    Skip {
        depth: u32,
    },
}

struct Builder<'t> {
    text: &'t str,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    index: Index,
    frames: Vec<Frame>,
    documents: usize,
    /// Spare vectors for mapping entries, to avoid one allocation per mapping.
    spare: Vec<Vec<u32>>,
    /// The last column looked up: (line, 0-based character column, byte offset), so walking
    /// along one long line (a flow mapping of many entries) stays linear.
    cursor: std::cell::Cell<(usize, usize, usize)>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        let mut line_starts = Vec::with_capacity(text.len() / 24 + 1);
        line_starts.push(0);
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Builder {
            text,
            line_starts,
            index: Index::default(),
            frames: Vec::new(),
            documents: 0,
            spare: Vec::new(),
            cursor: std::cell::Cell::new((0, 0, 0)),
        }
    }

    fn finish(mut self) -> Index {
        self.index.edges.sort_by_key(|e| e.parent);
        let mut i = 0;
        while i < self.index.edges.len() {
            let parent = self.index.edges[i].parent as usize;
            let mut j = i;
            while j < self.index.edges.len() && self.index.edges[j].parent as usize == parent {
                j += 1;
            }
            if let Some(node) = self.index.nodes.get_mut(parent) {
                node.first_edge = i as u32;
                node.edge_count = (j - i) as u32;
            }
            i = j;
        }
        let index = &self.index;
        let mut by_key: Vec<u32> = (0..clamp32(index.edges.len())).collect();
        let mut start = 0;
        while start < by_key.len() {
            let parent = index.edges[start].parent;
            let end = start
                + index.edges[start..]
                    .iter()
                    .take_while(|e| e.parent == parent)
                    .count();
            // Stable: equal keys keep document order.
            by_key[start..end].sort_by(|a, b| index.key_of(*a).cmp(index.key_of(*b)));
            start = end;
        }
        self.index.by_key = by_key;
        self.index
    }

    /// The text of line `line` (1-based) from character column `col0` (0-based) on.
    fn rest_of_line(&self, line: usize, col0: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let whole = self.text.get(start..end.max(start)).unwrap_or("");
        let whole = whole.strip_suffix('\r').unwrap_or(whole);
        let (from_col, from_byte) = match self.cursor.get() {
            (l, c, b) if l == line && c <= col0 && b <= whole.len() => (c, b),
            _ => (0, 0),
        };
        let Some(tail) = whole.get(from_byte..) else {
            return "";
        };
        match tail.char_indices().nth(col0 - from_col) {
            Some((offset, _)) => {
                let byte = from_byte + offset;
                self.cursor.set((line, col0, byte));
                &whole[byte..]
            }
            None => "",
        }
    }

    fn span(&self, mark: &Marker, width: usize) -> Span {
        Span {
            line: clamp32(mark.line()),
            column: clamp32(mark.col().saturating_add(1)),
            width: clamp32(width.max(1)),
        }
    }

    fn scalar_span(&self, mark: &Marker, style: TScalarStyle, value: &str) -> Span {
        let rest = self.rest_of_line(mark.line(), mark.col());
        let width = match style {
            TScalarStyle::Plain if !value.contains('\n') && rest.starts_with(value) => {
                value.chars().count()
            }
            TScalarStyle::SingleQuoted => quoted_width(rest, '\''),
            TScalarStyle::DoubleQuoted => quoted_width(rest, '"'),
            _ => plain_rest_width(rest),
        };
        self.span(mark, width)
    }

    fn alias_span(&self, mark: &Marker) -> Span {
        let rest = self.rest_of_line(mark.line(), mark.col());
        let width = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
            .count();
        self.span(mark, width)
    }

    /// Adds a value node in the current context and returns its id.
    fn add_node(&mut self, span: Span, kind: Kind) -> Option<u32> {
        let id = u32::try_from(self.index.nodes.len()).ok()?;
        let mut node = Node {
            key: None,
            value: span,
            kind,
            first_edge: 0,
            edge_count: 0,
        };
        match self.frames.last_mut() {
            None => {
                if !self.index.nodes.is_empty() {
                    return None; // a later document; reported elsewhere
                }
            }
            Some(Frame::Skip { .. }) => return None,
            Some(Frame::Sequence { node: parent, next }) => {
                self.index.edges.push(Edge {
                    parent: *parent,
                    child: id,
                    key_start: 0,
                    key_end: u32::MAX,
                });
                *next += 1;
            }
            Some(Frame::Mapping {
                node: parent,
                pending,
                entries,
            }) => match pending.take() {
                Some(Some((key_start, key_end, key_span))) => {
                    node.key = Some(key_span);
                    if kind == Kind::Empty {
                        // An empty value sits right after `key:`.
                        node.value = Span {
                            line: key_span.line,
                            column: key_span
                                .column
                                .saturating_add(key_span.width.saturating_add(1)),
                            width: 1,
                        };
                    }
                    entries.push(self.index.edges.len() as u32);
                    self.index.edges.push(Edge {
                        parent: *parent,
                        child: id,
                        key_start,
                        key_end,
                    });
                }
                Some(None) => {}
                None => return None, // this event is a key, handled by the caller
            },
        }
        self.index.nodes.push(node);
        Some(id)
    }

    /// If the current frame is a mapping waiting for a key, records `key` and returns true.
    fn take_key(&mut self, key: Option<(&str, Span)>) -> bool {
        let Some(Frame::Mapping { node, pending, .. }) = self.frames.last_mut() else {
            return false;
        };
        if pending.is_some() {
            return false;
        }
        let node = *node as usize;
        *pending = Some(key.map(|(text, span)| {
            let start = self.index.keys.len() as u32;
            self.index.keys.push_str(text);
            (start, self.index.keys.len() as u32, span)
        }));
        // A block mapping's start mark is the first key's colon: start it at the key instead.
        if let (Some((_, span)), Some(map)) = (key, self.index.nodes.get_mut(node))
            && span.before(map.value)
        {
            map.value = Span { width: 1, ..span };
        }
        true
    }

    /// Records every key of a finished mapping that appeared before in it.
    fn end_mapping(&mut self, entries: &mut Vec<u32>) {
        let index = &self.index;
        let large = entries.len() > 32;
        if large {
            // Stable: equal keys stay in document order.
            entries.sort_by(|a, b| index.key_of(*a).cmp(index.key_of(*b)));
        }
        let mut found = Vec::new();
        // In a sorted (large) mapping: where the run of equal keys before `i` starts.
        let mut run = 0;
        for i in 1..entries.len() {
            let later = entries[i];
            let key = index.key_of(later);
            let first = if large {
                if index.key_of(entries[run]) != key {
                    run = i;
                }
                Some(&entries[run]).filter(|_| run < i)
            } else {
                entries[..i].iter().find(|&&e| index.key_of(e) == key)
            };
            if let (Some(&first), Some(span)) = (first, index.key_span(later)) {
                found.push(Duplicate {
                    key: key.to_string(),
                    span,
                    first_line: index.key_span(first).map_or(0, |s| s.line),
                });
            }
        }
        self.index.duplicates.extend(found);
        entries.clear();
    }

    fn open(&mut self, mark: &Marker, kind: Kind) {
        // A collection used as a mapping key: skip it.
        if let Some(Frame::Skip { depth }) = self.frames.last_mut() {
            *depth += 1;
            return;
        }
        if self.take_key(None) {
            self.frames.push(Frame::Skip { depth: 1 });
            return;
        }
        let span = self.span(mark, 1);
        let Some(node) = self.add_node(span, kind) else {
            self.frames.push(Frame::Skip { depth: 1 });
            return;
        };
        self.frames.push(match kind {
            Kind::Sequence => Frame::Sequence { node, next: 0 },
            _ => Frame::Mapping {
                node,
                pending: None,
                entries: self.spare.pop().unwrap_or_default(),
            },
        });
    }

    fn close(&mut self) {
        match self.frames.pop() {
            Some(Frame::Skip { depth }) if depth > 1 => {
                self.frames.push(Frame::Skip { depth: depth - 1 });
            }
            Some(Frame::Mapping { mut entries, .. }) => {
                self.end_mapping(&mut entries);
                self.spare.push(entries);
            }
            _ => {}
        }
    }
}

impl Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents == 2 {
                    self.index.second_document = Some(self.span(&mark, 3));
                }
            }
            Event::Scalar(value, style, _, _) => {
                if matches!(self.frames.last(), Some(Frame::Skip { .. })) {
                    return;
                }
                let span = self.scalar_span(&mark, style, &value);
                if self.take_key(Some((&value, span))) {
                    return;
                }
                let kind = if value.is_empty() && style == TScalarStyle::Plain {
                    Kind::Empty
                } else {
                    Kind::Scalar
                };
                self.add_node(span, kind);
            }
            Event::Alias(_) => {
                if matches!(self.frames.last(), Some(Frame::Skip { .. })) || self.take_key(None) {
                    return;
                }
                let span = self.alias_span(&mark);
                self.add_node(span, Kind::Alias);
            }
            Event::SequenceStart(..) => self.open(&mark, Kind::Sequence),
            Event::MappingStart(..) => self.open(&mark, Kind::Mapping),
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            _ => {}
        }
    }
}

fn clamp32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Width of a quoted scalar starting at `rest` (which begins with the quote), including both
/// quotes; to the end of the line when it continues on the next line.
fn quoted_width(rest: &str, quote: char) -> usize {
    let mut chars = rest.chars().enumerate().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
            } else {
                return i + 1;
            }
        }
    }
    plain_rest_width(rest)
}

/// Width of the text from here to the end of the line, without a trailing comment or blanks.
fn plain_rest_width(rest: &str) -> usize {
    let end = rest.find(" #").unwrap_or(rest.len());
    rest[..end].trim_end().chars().count().max(1)
}
