//! Decoding a [`YamlSource`] into a serde type, reporting every problem in German.
//!
//! serde stops at the first error. To still show the user (nearly) everything at once, a
//! failed decode is followed by a recovery loop: the offending value is cut out of a copy of
//! the document (serde_yaml's `Value`), the copy is written back to YAML and decoded again, and
//! so on, until decoding succeeds or no further progress is possible. Paths found in the copy
//! are mapped back to the original document (removed sequence items shift indices), so every
//! diagnostic points into the file the user wrote. Problems that are mere consequences of a
//! removal (a required field we cut out is now "missing") are not reported.

use std::cell::RefCell;
use std::collections::HashSet;

use serde::de::{self, DeserializeOwned};

use super::messages::{self, ProblemKind};
use super::{Seg, YamlSource, track};
use crate::diagnostic::{Diagnostic, Location, did_you_mean};

/// How many values the recovery loop cuts out at most before it gives up.
const MAX_RECOVERY_STEPS: usize = 24;

/// How many bytes of YAML the recovery loop may decode again in all: every step decodes the
/// whole document, so a large file gets fewer steps and the time stays linear in its size.
const RECOVERY_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// Deserialises `T` from the source with serde_yaml and reports every problem as a German
/// diagnostic:
///
/// - every duplicate key (at its second occurrence) and every unknown key anywhere in the
///   document (at the key, with "meinten Sie …?" from the struct's own fields or `vocabulary`,
///   or the list of allowed keys when it is short);
/// - wrong types, missing fields, unknown values and our own (German) messages, translated and
///   located at the value (a missing field at its mapping). serde stops at the first of them;
///   a recovery loop then finds the further ones where it safely can;
/// - an empty file when `T` needs fields.
///
/// Returns the value when deserialisation succeeded, even if unknown keys were found: the
/// caller decides.
pub fn decode<T: DeserializeOwned>(
    src: &YamlSource,
    vocabulary: &[&str],
) -> (Option<T>, Vec<Diagnostic>) {
    let mut report = Report {
        src,
        vocabulary,
        out: Vec::new(),
        unknown: Vec::new(),
        seen: HashSet::new(),
        runs: 0,
    };
    for dup in &src.index().duplicates {
        let (location, width) = dup.span.location();
        report.out.push(
            Diagnostic::error(
                src.file.clone(),
                format!("doppelter Schlüssel „{}“", dup.key),
            )
            .at(location, width)
            .with_hint(format!(
                "„{}“ steht schon in Zeile {}; jeder Schlüssel darf nur einmal vorkommen",
                dup.key, dup.first_line
            )),
        );
    }

    if src.index().is_empty() {
        let empty = de::value::MapDeserializer::<
            std::iter::Empty<(String, String)>,
            de::value::Error,
        >::new(std::iter::empty());
        return match T::deserialize(empty) {
            Ok(value) => (Some(value), report.out),
            Err(_) => {
                report.out.push(
                    Diagnostic::error(src.file.clone(), messages::EMPTY)
                        .at(Location::START, 1)
                        .with_hint("die Datei braucht Einträge der Form „schlüssel: wert“"),
                );
                (None, report.out)
            }
        };
    }

    let first = attempt::<T>(&src.text);
    let shifts = Shifts::default();
    report.unknown_keys(&first.state, &shifts);
    let error = match first.result {
        Ok(value) => return (Some(value), report.sorted()),
        Err(error) => error,
    };
    let problem = report.problem(&error, first.state.failure, &shifts, true, None);
    let next = problem.next_removal();
    report.push(problem);
    if let Some(removal) = next
        && src.index().duplicates.is_empty()
    {
        recover::<T>(&mut report, removal);
    }
    (None, report.sorted())
}

/// One decoding run: the result plus what the tracker saw.
struct Attempt<T> {
    result: Result<T, serde_yaml::Error>,
    state: track::State,
}

fn attempt<T: DeserializeOwned>(text: &str) -> Attempt<T> {
    let state = RefCell::new(track::State::default());
    let result = {
        let mut on_ignored = |path: serde_ignored::Path<'_>| {
            if let Ok(mut s) = state.try_borrow_mut() {
                s.unknown_key(ignored_path(&path));
            }
        };
        let yaml = serde_yaml::Deserializer::from_str(text);
        let ignoring = serde_ignored::Deserializer::new(yaml, &mut on_ignored);
        T::deserialize(track::Track::new(ignoring, &state))
            .map_err(|e| track::note(&state, false, e))
    };
    Attempt {
        result,
        state: state.into_inner(),
    }
}

/// Cuts out the bad value, decodes again and reports what is found, until decoding succeeds
/// or nothing more can be done.
fn recover<T: DeserializeOwned>(report: &mut Report<'_>, first: Vec<Seg>) {
    let Ok(mut doc) = serde_yaml::from_str::<serde_yaml::Value>(&report.src.text) else {
        return;
    };
    let mut shifts = Shifts::default();
    let mut removal = first;
    let steps = (RECOVERY_BUDGET_BYTES / report.src.text.len().max(1)).min(MAX_RECOVERY_STEPS);
    for _ in 0..steps {
        if removal.is_empty() || !remove(&mut doc, &removal, &mut shifts) {
            return;
        }
        let Ok(text) = serde_yaml::to_string(&doc) else {
            return;
        };
        let next = attempt::<T>(&text);
        report.unknown_keys(&next.state, &shifts);
        let Err(error) = next.result else {
            return;
        };
        let problem = report.problem(&error, next.state.failure, &shifts, false, Some(&removal));
        let Some(next_removal) = problem.next_removal() else {
            report.push(problem);
            return;
        };
        if !report.push(problem) {
            return; // nothing new: stop rather than loop
        }
        removal = next_removal;
    }
}

/// Removes the value at `path` (current coordinates) from `doc`; records shifted indices.
fn remove(doc: &mut serde_yaml::Value, path: &[Seg], shifts: &mut Shifts) -> bool {
    let Some((last, parent_path)) = path.split_last() else {
        return false;
    };
    let original_parent = shifts.to_original(parent_path);
    let mut node = doc;
    for seg in parent_path {
        let Some(next) = child_mut(node, seg) else {
            return false;
        };
        node = next;
    }
    while let serde_yaml::Value::Tagged(tagged) = node {
        node = &mut tagged.value;
    }
    match (node, last) {
        (serde_yaml::Value::Mapping(map), Seg::Key(key)) => {
            let Some(found) = map.keys().find(|k| key_matches(k, key)).cloned() else {
                return false;
            };
            map.shift_remove(&found).is_some()
        }
        (serde_yaml::Value::Sequence(items), Seg::Index(i)) if *i < items.len() => {
            let original = shifts.to_original(path);
            items.remove(*i);
            if let Some(Seg::Index(original_index)) = original.last() {
                shifts.removed.push((original_parent, *original_index));
            }
            true
        }
        _ => false,
    }
}

fn child_mut<'v>(node: &'v mut serde_yaml::Value, seg: &Seg) -> Option<&'v mut serde_yaml::Value> {
    match (node, seg) {
        (serde_yaml::Value::Tagged(tagged), _) => child_mut(&mut tagged.value, seg),
        (serde_yaml::Value::Mapping(map), Seg::Key(key)) => map
            .iter_mut()
            .find(|(k, _)| key_matches(k, key))
            .map(|(_, v)| v),
        (serde_yaml::Value::Sequence(items), Seg::Index(i)) => items.get_mut(*i),
        _ => None,
    }
}

/// Whether a YAML key is the one serde saw as `key`.
fn key_matches(value: &serde_yaml::Value, key: &str) -> bool {
    match value {
        serde_yaml::Value::String(s) => s == key,
        serde_yaml::Value::Number(n) => n.to_string() == key,
        serde_yaml::Value::Bool(b) => b.to_string() == key,
        _ => false,
    }
}

/// Sequence items removed during recovery, to map paths back to the original document.
#[derive(Default)]
struct Shifts {
    /// (sequence path in original coordinates, original index of the removed item)
    removed: Vec<(Vec<Seg>, usize)>,
}

impl Shifts {
    fn to_original(&self, path: &[Seg]) -> Vec<Seg> {
        let mut out = Vec::with_capacity(path.len());
        for seg in path {
            match seg {
                Seg::Index(i) if !self.removed.is_empty() => {
                    let mut gone: Vec<usize> = self
                        .removed
                        .iter()
                        .filter(|(seq, _)| *seq == out)
                        .map(|(_, index)| *index)
                        .collect();
                    gone.sort_unstable();
                    let mut index = *i;
                    for g in gone {
                        if g <= index {
                            index += 1;
                        }
                    }
                    out.push(Seg::Index(index));
                }
                other => out.push(other.clone()),
            }
        }
        out
    }
}

/// The error that stopped one decoding run, translated.
struct Problem {
    diagnostic: Option<Diagnostic>,
    kind: ProblemKind,
    /// Where it happened, in the coordinates of the document that was decoded.
    path: Vec<Seg>,
    at_key: bool,
}

impl Problem {
    /// What to cut out so the next run gets further; None when recovery should stop.
    fn next_removal(&self) -> Option<Vec<Seg>> {
        match self.kind {
            ProblemKind::Value | ProblemKind::Custom | ProblemKind::MissingField
                if !self.path.is_empty() || self.at_key =>
            {
                Some(self.path.clone())
            }
            _ => None,
        }
    }
}

/// Collects the diagnostics of one `decode`.
struct Report<'a> {
    src: &'a YamlSource,
    vocabulary: &'a [&'a str],
    out: Vec<Diagnostic>,
    /// Unknown keys reported so far: path (original coordinates), the fields of their struct,
    /// and their diagnostic without a hint yet (see [`Report::sorted`]).
    unknown: Vec<Unknown>,
    /// The paths in `unknown`, to skip keys found again by a later recovery run (filled from
    /// the second run on).
    seen: HashSet<Vec<Seg>>,
    /// How many decoding runs reported their unknown keys.
    runs: usize,
}

/// An unknown key, waiting for its "meinten Sie …?" hint.
struct Unknown {
    path: Vec<Seg>,
    fields: &'static [&'static str],
    diagnostic: Diagnostic,
}

/// Keys longer than this get no suggestion: no field name is that long, and comparing a huge
/// key with every field would cost time for nothing.
const MAX_SUGGESTED_KEY: usize = 100;

impl<'a> Report<'a> {
    /// The diagnostics in file order. Only the unknown keys that can be shown (the loader shows
    /// the first [`super::MAX_SHOWN_PER_FILE`] problems of a file) get their hint: finding a
    /// suggestion compares the key with every field name, too slow for 40,000 keys.
    fn sorted(mut self) -> Vec<Diagnostic> {
        let order = |a: &Diagnostic, b: &Diagnostic| {
            (a.location, &a.message).cmp(&(b.location, &b.message))
        };
        let mut unknown = std::mem::take(&mut self.unknown);
        unknown.sort_by(|a, b| order(&a.diagnostic, &b.diagnostic));
        for (shown, entry) in unknown.into_iter().enumerate() {
            let diagnostic = if shown < super::MAX_SHOWN_PER_FILE {
                self.with_hint(entry)
            } else {
                entry.diagnostic
            };
            self.out.push(diagnostic);
        }
        self.out.sort_by(order);
        self.out
    }

    /// The field an unknown key was probably meant to be.
    fn suggestion(&self, key: &str, fields: &[&'static str]) -> Option<&'a str> {
        if key.chars().count() > MAX_SUGGESTED_KEY {
            return None;
        }
        did_you_mean(key, fields.iter().copied())
            .or_else(|| did_you_mean(key, self.vocabulary.iter().copied()))
    }

    /// An unknown key's diagnostic with "meinten Sie …?" or the list of allowed keys.
    fn with_hint(&self, entry: Unknown) -> Diagnostic {
        let Some(Seg::Key(key)) = entry.path.last() else {
            return entry.diagnostic;
        };
        let allowed: &[&str] = if entry.fields.is_empty() {
            self.vocabulary
        } else {
            entry.fields
        };
        match self.suggestion(key, entry.fields) {
            Some(best) => entry.diagnostic.with_hint(format!("meinten Sie „{best}“?")),
            None if !allowed.is_empty() && allowed.len() <= 12 => entry
                .diagnostic
                .with_hint(format!("erlaubt sind: {}", allowed.join(", "))),
            None => entry.diagnostic,
        }
    }

    /// Adds a problem's diagnostic unless it was already reported; false if nothing was new.
    fn push(&mut self, problem: Problem) -> bool {
        let Some(d) = problem.diagnostic else {
            return true;
        };
        if self.out.contains(&d) {
            return false;
        }
        self.out.push(d);
        true
    }

    /// Reports the unknown keys found in one run that were not reported before.
    fn unknown_keys(&mut self, state: &track::State, shifts: &Shifts) {
        // One run reports every unknown key once; only later runs can repeat earlier ones.
        let first_run = self.runs == 0;
        self.runs += 1;
        if !first_run && self.seen.is_empty() {
            self.seen = self.unknown.iter().map(|u| u.path.clone()).collect();
        }
        for (path, fields) in &state.unknown {
            let path = shifts.to_original(path);
            if !first_run && !self.seen.insert(path.clone()) {
                continue;
            }
            let Some(Seg::Key(key)) = path.last() else {
                continue;
            };
            let (location, width) = self
                .src
                .key_location(&path)
                .unwrap_or_else(|| self.src.locate(&path));
            let diagnostic = Diagnostic::error(
                self.src.file.clone(),
                format!("unbekannter Schlüssel „{key}“"),
            )
            .at(location, width);
            self.unknown.push(Unknown {
                path,
                fields: fields.unwrap_or(&[]),
                diagnostic,
            });
        }
    }

    /// Translates the error that stopped a run. `original_text` says whether the run decoded
    /// the user's text (so serde_yaml's positions are valid); `removed` is what the previous
    /// recovery step cut out (current coordinates).
    fn problem(
        &self,
        error: &serde_yaml::Error,
        failure: Option<track::Failure>,
        shifts: &Shifts,
        original_text: bool,
        removed: Option<&[Seg]>,
    ) -> Problem {
        let src = self.src;
        let yaml_location = error
            .location()
            .filter(|_| original_text)
            .map(|l| Location::new(l.line().max(1), l.column().max(1)));
        let (raw, current_path, at_key) = match failure {
            Some(f) => (f.message, f.path, f.at_key),
            None => (error.to_string(), Vec::new(), false),
        };
        let message = undecorated(&raw, &current_path);
        let path = shifts.to_original(&current_path);
        let file = src.file.clone();
        let mut problem = Problem {
            diagnostic: None,
            kind: ProblemKind::Custom,
            path: current_path,
            at_key,
        };

        if messages::is_libyaml_problem(&message) {
            problem.kind = ProblemKind::Syntax;
            if !original_text {
                return problem;
            }
            let location = yaml_location.unwrap_or(Location::START);
            let culprit = src
                .text
                .split('\n')
                .nth(location.line - 1)
                .and_then(|l| l.chars().nth(location.column - 1));
            let (message, hint) = messages::syntax(&message, culprit);
            let d = Diagnostic::error(file, message).at(location, 1);
            problem.diagnostic = Some(match hint {
                Some(hint) => d.with_hint(hint),
                None => d,
            });
            return problem;
        }

        let translated = messages::translate(&message);
        problem.kind = translated.kind;
        if translated.kind == ProblemKind::MissingField {
            let field = missing_field(&message);
            // A consequence of our own cut, or of a misspelt key already reported.
            let consequence = removed.is_some_and(|r| {
                r.split_last().is_some_and(|(last, parent)| {
                    parent == problem.path.as_slice() && *last == Seg::Key(field.to_string())
                })
            });
            let misspelt = self.unknown.iter().any(|unknown| {
                let Some((Seg::Key(key), parent)) = unknown.path.split_last() else {
                    return false;
                };
                parent == path.as_slice()
                    && did_you_mean(key, [field]).is_some()
                    && self.suggestion(key, unknown.fields) == Some(field)
            });
            if consequence || misspelt {
                return problem;
            }
        }
        if translated.kind == ProblemKind::Duplicate && !src.index().duplicates.is_empty() {
            return problem;
        }
        let exact = if at_key {
            src.key_location(&path)
        } else {
            src.value_location(&path)
        };
        let (location, width) = match translated.kind {
            ProblemKind::Empty | ProblemKind::Syntax => (Location::START, 1),
            ProblemKind::MultipleDocuments => src
                .index()
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
        problem.diagnostic = Some(match hint {
            Some(hint) => d.with_hint(hint),
            None => d,
        });
        problem
    }
}

/// The field name of a `missing field `x`` message.
fn missing_field(message: &str) -> &str {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
        .unwrap_or("")
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
pub(super) fn yaml_path_display(path: &[Seg]) -> String {
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
