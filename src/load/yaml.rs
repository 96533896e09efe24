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

mod index;
mod messages;
mod track;

use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, Visitor};

use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use index::{Index, Kind};
use messages::ProblemKind;

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
#[derive(Clone, Debug)]
pub struct YamlSource {
    file: PathBuf,
    text: Arc<str>,
    index: Index,
}

impl YamlSource {
    /// Parses `text` with yaml-rust2's event parser and indexes all positions. `file` is the
    /// path as shown to the user. A YAML syntax error, or a second document, becomes one German
    /// diagnostic at its line and column.
    pub fn parse(file: &Path, text: &str) -> Result<YamlSource, Diagnostic> {
        let index = match Index::build(text) {
            Ok(index) => index,
            Err(error) => return Err(syntax_error(file, text, &error)),
        };
        if let Some(span) = index.second_document {
            let (location, width) = span.location();
            return Err(Diagnostic::error(file, messages::MULTIPLE_DOCUMENTS)
                .at(location, width)
                .with_hint("entfernen Sie das zweite „---“ oder teilen Sie die Datei auf"));
        }
        Ok(YamlSource {
            file: file.to_path_buf(),
            text: Arc::from(text),
            index,
        })
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
        self.index.get(path)?.key.map(|span| span.location())
    }

    /// Location and width of the value at `path`: for a scalar its text, for a mapping or
    /// sequence width 1 at its start.
    pub fn value_location(&self, path: &[Seg]) -> Option<(Location, usize)> {
        self.index.get(path).map(|node| node.value.location())
    }

    /// The value's location, else the nearest existing ancestor's, else 1:1 — never fails.
    pub fn locate(&self, path: &[Seg]) -> (Location, usize) {
        match self.index.deepest(path) {
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
        let node = self.index.get(path)?;
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

/// Turns a yaml-rust2 scan error into a located German diagnostic.
fn syntax_error(file: &Path, text: &str, error: &yaml_rust2::ScanError) -> Diagnostic {
    let marker = error.marker();
    let line = marker.line().max(1);
    let mut column = marker.col().saturating_add(1);
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

/// Deserialises `T` from the source with serde_yaml and reports every problem as a German
/// diagnostic:
///
/// - every duplicate key (at its second occurrence) and every unknown key anywhere in the
///   document (at the key, with "meinten Sie …?" from the struct's own fields or `vocabulary`,
///   or the list of allowed keys when it is short);
/// - the first error serde reports (wrong type, missing field, unknown value, our own German
///   messages), translated and located at the value (a missing field at its mapping);
/// - an empty file when `T` needs fields.
///
/// Returns the value when deserialisation succeeded, even if unknown keys were found: the
/// caller decides.
pub fn decode<T: DeserializeOwned>(
    src: &YamlSource,
    vocabulary: &[&str],
) -> (Option<T>, Vec<Diagnostic>) {
    let mut out: Vec<Diagnostic> = src
        .index
        .duplicates
        .iter()
        .map(|dup| {
            let (location, width) = dup.span.location();
            Diagnostic::error(
                src.file.clone(),
                format!("doppelter Schlüssel „{}“", dup.key),
            )
            .at(location, width)
            .with_hint(format!(
                "„{}“ steht schon in Zeile {}; jeder Schlüssel darf nur einmal vorkommen",
                dup.key, dup.first_line
            ))
        })
        .collect();

    if src.index.is_empty() {
        let empty = de::value::MapDeserializer::<
            std::iter::Empty<(String, String)>,
            de::value::Error,
        >::new(std::iter::empty());
        return match T::deserialize(empty) {
            Ok(value) => (Some(value), out),
            Err(_) => {
                out.push(
                    Diagnostic::error(src.file.clone(), messages::EMPTY)
                        .at(Location::START, 1)
                        .with_hint("die Datei braucht Einträge der Form „schlüssel: wert“"),
                );
                (None, out)
            }
        };
    }

    let state = RefCell::new(track::State::default());
    let result = {
        let mut on_ignored = |path: serde_ignored::Path<'_>| {
            if let Ok(mut s) = state.try_borrow_mut() {
                s.unknown_key(ignored_path(&path));
            }
        };
        let yaml = serde_yaml::Deserializer::from_str(&src.text);
        let ignoring = serde_ignored::Deserializer::new(yaml, &mut on_ignored);
        T::deserialize(track::Track::new(ignoring, &state))
            .map_err(|e| track::note(&state, false, e))
    };
    let state = state.into_inner();

    for (path, fields) in &state.unknown {
        out.extend(unknown_key(src, path, fields.unwrap_or(&[]), vocabulary));
    }
    match result {
        Ok(value) => (Some(value), out),
        Err(error) => {
            let duplicates_reported = !src.index.duplicates.is_empty();
            if let Some(d) = error_diagnostic(src, &error, state.failure, duplicates_reported) {
                out.push(d);
            }
            (None, out)
        }
    }
}

/// serde_ignored's path as segments.
fn ignored_path(path: &serde_ignored::Path<'_>) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut current = path;
    loop {
        current = match current {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Seq { parent, index } => {
                segs.push(Seg::Index(*index));
                parent
            }
            serde_ignored::Path::Map { parent, key } => {
                segs.push(Seg::Key(key.clone()));
                parent
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => parent,
        };
    }
    segs.reverse();
    segs
}

/// The diagnostic for one unknown key.
fn unknown_key(
    src: &YamlSource,
    path: &[Seg],
    fields: &[&str],
    vocabulary: &[&str],
) -> Option<Diagnostic> {
    let Some(Seg::Key(key)) = path.last() else {
        return None;
    };
    let (location, width) = src.key_location(path).unwrap_or_else(|| src.locate(path));
    let diagnostic = Diagnostic::error(src.file.clone(), format!("unbekannter Schlüssel „{key}“"))
        .at(location, width);
    let suggestion = did_you_mean(key, fields.iter().copied())
        .or_else(|| did_you_mean(key, vocabulary.iter().copied()));
    let allowed = if fields.is_empty() {
        vocabulary
    } else {
        fields
    };
    Some(match suggestion {
        Some(best) => diagnostic.with_hint(format!("meinten Sie „{best}“?")),
        None if !allowed.is_empty() && allowed.len() <= 12 => {
            diagnostic.with_hint(format!("erlaubt sind: {}", allowed.join(", ")))
        }
        None => diagnostic,
    })
}

/// The diagnostic for the error that stopped serde; None when it repeats a duplicate key that
/// was already reported.
fn error_diagnostic(
    src: &YamlSource,
    error: &serde_yaml::Error,
    failure: Option<track::Failure>,
    duplicates_reported: bool,
) -> Option<Diagnostic> {
    let yaml_location = error
        .location()
        .map(|l| Location::new(l.line().max(1), l.column().max(1)));
    let (raw, path, at_key) = match failure {
        Some(f) => (f.message, f.path, f.at_key),
        None => (error.to_string(), Vec::new(), false),
    };
    let message = undecorated(&raw, &path);
    let file = src.file.clone();

    if messages::is_libyaml_problem(&message) {
        let location = yaml_location.unwrap_or(Location::START);
        let culprit = src
            .text
            .split('\n')
            .nth(location.line - 1)
            .and_then(|l| l.chars().nth(location.column - 1));
        let (message, hint) = messages::syntax(&message, culprit);
        let d = Diagnostic::error(file, message).at(location, 1);
        return Some(match hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        });
    }

    let translated = messages::translate(&message);
    let exact = if at_key {
        src.key_location(&path)
    } else {
        src.value_location(&path)
    };
    let (location, width) = match translated.kind {
        ProblemKind::Duplicate if duplicates_reported => return None,
        ProblemKind::Empty => (Location::START, 1),
        ProblemKind::MultipleDocuments => src
            .index
            .second_document
            .map_or((Location::START, 1), |s| s.location()),
        ProblemKind::MissingField => src.locate(&path),
        ProblemKind::Value | ProblemKind::Duplicate => exact
            .or(yaml_location.map(|l| (l, 1)))
            .unwrap_or_else(|| src.locate(&path)),
        ProblemKind::Custom => exact.unwrap_or_else(|| src.locate(&path)),
    };
    let (text, hint) = match translated.kind {
        ProblemKind::Custom => messages::chrono(&message, src.scalar_text(&path))
            .unwrap_or((translated.message, translated.hint)),
        _ => (translated.message, translated.hint),
    };
    let d = Diagnostic::error(file, text).at(location, width);
    Some(match hint {
        Some(hint) => d.with_hint(hint),
        None => d,
    })
}

/// Strips what serde_yaml adds to a message: the ` at line L column C` position (and a libyaml
/// context after it) and the `path: ` prefix.
fn undecorated(raw: &str, path: &[Seg]) -> String {
    let mut message = raw;
    let mut decorated = false;
    for marker in [" at line ", " at position "] {
        if let Some(i) = message.find(marker)
            && message[i + marker.len()..].starts_with(|c: char| c.is_ascii_digit())
        {
            message = &message[..i];
            decorated = true;
        }
    }
    if decorated {
        let prefix = format!("{}: ", yaml_path_display(path));
        if let Some(rest) = message.strip_prefix(&prefix) {
            message = rest;
        } else {
            const STARTS: [&str; 13] = [
                "invalid type: ",
                "invalid value: ",
                "invalid length ",
                "unknown variant ",
                "unknown field ",
                "missing field ",
                "duplicate field ",
                "duplicate entry",
                "EOF while parsing",
                "recursion limit exceeded",
                "repetition limit exceeded",
                "unknown anchor",
                "deserializing from YAML",
            ];
            if let Some(start) = STARTS.iter().filter_map(|s| message.find(s)).min()
                && message[..start].ends_with(": ")
            {
                message = &message[start..];
            }
        }
    }
    message.to_string()
}

/// A path as serde_yaml prints it: `stages[2].sign`, `.` for the root.
fn yaml_path_display(path: &[Seg]) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(index) => {
                if out.is_empty() {
                    out.push('.');
                }
                out.push_str(&format!("[{index}]"));
            }
        }
    }
    out
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
