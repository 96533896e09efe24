//! YAML with positions, and decoding into serde types with German errors.
//!
//! serde_yaml deserialises our input types, but it stops at the first error, speaks English
//! and keeps no positions for values. This module adds what is missing:
//!
//! - [`YamlSource`] parses a file once more with yaml-rust2's event parser and indexes the
//!   position of every key and value, so any later check can point at the exact spot
//!   ([`YamlSource::error_at`]).
//! - [`decode`] runs serde_yaml through serde_ignored (to find *all* unknown keys) and through a
//!   path tracker (to locate errors raised by our own types), and translates every problem
//!   into a German [`Diagnostic`].
//! - [`struct_fields`] lists a struct's field names for "meinten Sie …?" suggestions.
//!
//! Input is hostile until indexed: a byte-order mark (Windows editors) is dropped, nesting is
//! limited before anything recurses, and [`cap_per_file`] keeps a flood of problems in one file
//! from flooding the terminal.

mod decode;
mod index;
mod messages;
mod read;
mod track;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::{self, Visitor};

use crate::diagnostic::{Diagnostic, Location};
pub use decode::decode;
use index::{BuildError, Index, Kind};
pub use read::{MAX_FILE_BYTES, read_file};

/// At most this many problems are shown per file; the rest are summed up in one more line.
pub const MAX_SHOWN_PER_FILE: usize = 20;

/// The UTF-8 byte-order mark some Windows editors put at the start of a file.
const BOM: char = '\u{feff}';

/// `text` without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// One step of a path into a YAML document: a mapping key or a sequence index (0-based).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// An item of a sequence, counted from 0.
    Index(usize),
}

impl Seg {
    /// A mapping key.
    pub fn key(name: impl Into<String>) -> Self {
        Seg::Key(name.into())
    }

    /// A sequence index.
    pub fn index(index: usize) -> Self {
        Seg::Index(index)
    }
}

impl From<&str> for Seg {
    fn from(key: &str) -> Self {
        Seg::Key(key.to_string())
    }
}

impl From<String> for Seg {
    fn from(key: String) -> Self {
        Seg::Key(key)
    }
}

impl From<&String> for Seg {
    fn from(key: &String) -> Self {
        Seg::Key(key.clone())
    }
}

impl From<usize> for Seg {
    fn from(index: usize) -> Self {
        Seg::Index(index)
    }
}

impl fmt::Display for Seg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seg::Key(key) => f.write_str(key),
            Seg::Index(index) => write!(f, "[{index}]"),
        }
    }
}

/// A path into a YAML document: `yaml_path!["stages", 2, "sign"]` is
/// `[Seg::Key("stages"), Seg::Index(2), Seg::Key("sign")]` (an array; pass it as `&…`).
#[macro_export]
macro_rules! yaml_path {
    ($($seg:expr),* $(,)?) => {
        [$($crate::load::yaml::Seg::from($seg)),*]
    };
}

/// The text of one YAML file plus the position of every key and value in it.
///
/// The position index can be dropped with [`YamlSource::compact`] once a file is decoded (it is
/// the largest part of a loaded project) and is rebuilt from the text when a later check needs a
/// position.
#[derive(Clone, Debug)]
pub struct YamlSource {
    file: PathBuf,
    text: Arc<str>,
    index: std::sync::OnceLock<Index>,
}

impl YamlSource {
    /// Parses `text` with yaml-rust2's event parser and indexes all positions. `file` is the
    /// path as shown to the user. A YAML syntax error, or a second document, becomes one German
    /// diagnostic at its line and column.
    pub fn parse(file: &Path, text: &str) -> Result<YamlSource, Diagnostic> {
        YamlSource::parse_shared(file, Arc::from(strip_bom(text)))
    }

    /// Like [`YamlSource::parse`], keeping `text` without copying it (unless it starts with a
    /// byte-order mark, which is dropped).
    pub fn parse_shared(file: &Path, text: Arc<str>) -> Result<YamlSource, Diagnostic> {
        let text = if text.starts_with(BOM) {
            Arc::from(strip_bom(&text))
        } else {
            text
        };
        let index = match Index::build(&text) {
            Ok(index) => index,
            Err(BuildError::Syntax(error)) => return Err(syntax_error(file, &text, &error)),
            Err(BuildError::TooDeep { line, column }) => return Err(too_deep(file, line, column)),
        };
        if let Some(span) = index.second_document {
            let (location, width) = span.location();
            return Err(Diagnostic::error(file, messages::MULTIPLE_DOCUMENTS)
                .at(location, width)
                .with_hint("entfernen Sie das zweite „---“ oder teilen Sie die Datei auf"));
        }
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(index);
        Ok(YamlSource {
            file: file.to_path_buf(),
            text,
            index: cell,
        })
    }

    /// Drops the position index; it is rebuilt from the text on the next use.
    pub fn compact(mut self) -> YamlSource {
        self.index = std::sync::OnceLock::new();
        self
    }

    /// The position index, rebuilt from the text when it was dropped.
    fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Index::build(&self.text).unwrap_or_default())
    }

    /// The file as shown to the user.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The whole text of the file.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Location and width of the key at `path` (the key scalar), if the path exists and ends in
    /// a mapping entry.
    pub fn key_location(&self, path: &[Seg]) -> Option<(Location, usize)> {
        self.index().get(path)?.key.map(|span| span.location())
    }

    /// Location and width of the value at `path`: for a scalar its text, for a mapping or
    /// sequence width 1 at its start.
    pub fn value_location(&self, path: &[Seg]) -> Option<(Location, usize)> {
        self.index().get(path).map(|node| node.value.location())
    }

    /// The value's location, else the nearest existing ancestor's, else 1:1 — never fails.
    pub fn locate(&self, path: &[Seg]) -> (Location, usize) {
        match self.index().deepest(path) {
            (Some(node), _) => node.value.location(),
            (None, _) => (Location::START, 1),
        }
    }

    /// An error located at the value at `path` (or its nearest ancestor).
    pub fn error_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let (location, width) = self.locate(path);
        Diagnostic::error(self.file.clone(), message).at(location, width)
    }

    /// A warning located at the value at `path` (or its nearest ancestor).
    pub fn warning_at(&self, path: &[Seg], message: impl Into<String>) -> Diagnostic {
        let (location, width) = self.locate(path);
        Diagnostic::warning(self.file.clone(), message).at(location, width)
    }

    /// The source text of the scalar at `path` without quotes, if it is on one line.
    fn scalar_text(&self, path: &[Seg]) -> Option<&str> {
        let node = self.index().get(path)?;
        if node.kind != Kind::Scalar {
            return None;
        }
        let line = self
            .text
            .split('\n')
            .nth((node.value.line as usize).checked_sub(1)?)?;
        let start = line
            .char_indices()
            .nth((node.value.column as usize).checked_sub(1)?)?
            .0;
        let rest = &line[start..];
        let end = rest
            .char_indices()
            .nth(node.value.width as usize)
            .map_or(rest.len(), |(i, _)| i);
        let text = rest[..end].trim();
        let unquoted = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')));
        Some(unquoted.unwrap_or(text))
    }
}

/// Keeps the first [`MAX_SHOWN_PER_FILE`] problems of every file (in file order) and replaces
/// the rest of a file by one problem that says how many more there are, located at the first
/// of them. An error among the rest keeps the summary an error, so `check` still fails.
pub fn cap_per_file(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&Path, usize> = BTreeMap::new();
    for d in &diagnostics {
        *counts.entry(d.file.as_path()).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_SHOWN_PER_FILE) {
        return diagnostics;
    }
    let crowded: Vec<PathBuf> = counts
        .into_iter()
        .filter(|(_, n)| *n > MAX_SHOWN_PER_FILE)
        .map(|(path, _)| path.to_path_buf())
        .collect();
    let (mut many, mut kept): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .into_iter()
        .partition(|d| crowded.contains(&d.file));
    many.sort_by(|a, b| (&a.file, a.location, &a.message).cmp(&(&b.file, b.location, &b.message)));
    let mut rest = many.into_iter().peekable();
    while let Some(first) = rest.peek() {
        let file = first.file.clone();
        let mut shown = 0;
        let mut omitted: Option<(Diagnostic, usize, bool)> = None;
        while let Some(d) = rest.next_if(|d| d.file == file) {
            if shown < MAX_SHOWN_PER_FILE {
                kept.push(d);
                shown += 1;
                continue;
            }
            match &mut omitted {
                Some((_, count, error)) => {
                    *count += 1;
                    *error |= d.is_error();
                }
                None => {
                    let error = d.is_error();
                    omitted = Some((d, 1, error));
                }
            }
        }
        if let Some((first, count, error)) = omitted {
            kept.push(more_problems(first, count, error));
        }
    }
    kept
}

/// The line that stands for `count` problems not shown, the first of them `first`.
fn more_problems(first: Diagnostic, count: usize, error: bool) -> Diagnostic {
    let noun = if count == 1 {
        "weiteres Problem"
    } else {
        "weitere Probleme"
    };
    let message = format!("… und {} {noun} in dieser Datei", german_number(count));
    let summary = if error {
        Diagnostic::error(first.file.clone(), message)
    } else {
        Diagnostic::warning(first.file.clone(), message)
    };
    let summary = match first.location {
        Some(location) => summary.at(location, first.width),
        None => summary,
    };
    summary.with_hint(
        "das erste davon steht hier; beheben Sie die gezeigten Probleme und prüfen Sie erneut mit „ratsflow check“",
    )
}

/// `39990` as `39.990`.
fn german_number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The error for nesting deeper than the index allows, where the nesting got too deep.
fn too_deep(file: &Path, line: usize, column: usize) -> Diagnostic {
    Diagnostic::error(file, messages::TOO_DEEP)
        .at(Location::new(line.max(1), column.max(1)), 1)
        .with_hint(messages::TOO_DEEP_HINT)
}

/// Turns a yaml-rust2 scan error into a located German diagnostic.
fn syntax_error(file: &Path, text: &str, error: &yaml_rust2::ScanError) -> Diagnostic {
    let marker = error.marker();
    let line = marker.line().max(1);
    let mut column = marker.col().saturating_add(1);
    if error.info().contains("recursion limit") {
        // yaml-rust2's own limit of flow nesting (`[[[[…`), met before ours while scanning ahead.
        return too_deep(file, line, column);
    }
    let source_line = text.split('\n').nth(line - 1).unwrap_or("");
    if error.info().contains("tab")
        && let Some(tab) = source_line.chars().position(|c| c == '\t')
    {
        column = tab + 1;
    }
    let culprit = source_line.chars().nth(column - 1);
    let (message, hint) = messages::syntax(error.info(), culprit);
    let diagnostic = Diagnostic::error(file, message).at(Location::new(line, column), 1);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// The field names of a struct type (after serde renames), found by asking its `Deserialize`
/// impl; `&[]` for anything that is not a struct.
pub fn struct_fields<'de, T: serde::Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(FieldsProbe) {
        Err(Probed(Some(fields))) => fields,
        _ => &[],
    }
}

/// A deserializer that only records the `fields` of `deserialize_struct`.
struct FieldsProbe;

/// The "error" that carries what [`FieldsProbe`] found.
#[derive(Debug)]
struct Probed(Option<&'static [&'static str]>);

impl fmt::Display for Probed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field probe")
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<M: fmt::Display>(_msg: M) -> Self {
        Probed(None)
    }
}

impl<'de> de::Deserializer<'de> for FieldsProbe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Probed> {
        Err(Probed(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests;
