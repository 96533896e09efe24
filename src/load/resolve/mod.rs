//! Turns raw input into the validated model, checking every reference between files.
//!
//! Each check names the spot in the file where the problem is, in German, with a hint. The
//! functions keep going after a problem so that one run reports everything. One file per input:
//! [`directory`], [`workflow`], [`papers`] (with the amendments' changes in `amendments`).

mod amendments;
mod directory;
mod papers;
mod printed;
mod workflow;

pub use directory::{check_settings_against_directory, directory};
pub use papers::{Known, papers};
pub use workflow::workflow;

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::load::yaml::{Seg, YamlSource};
use crate::model::Directory;

pub(super) fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

pub(super) fn idx(index: usize) -> Seg {
    Seg::Index(index)
}

/// "unbekannte Person „x“" with a did-you-mean hint over the known ids.
pub(super) fn unknown<'a>(
    source: &YamlSource,
    path: &[Seg],
    what: &str,
    given: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let diagnostic = source.error_at(path, format!("{what} „{given}“"));
    match did_you_mean(given, known.clone()) {
        Some(candidate) => diagnostic.with_hint(format!("meinten Sie „{candidate}“?")),
        None => {
            let list: Vec<&str> = known.into_iter().take(8).collect();
            if list.is_empty() {
                diagnostic
            } else {
                diagnostic.with_hint(format!("bekannt sind: {}", list.join(", ")))
            }
        }
    }
}

pub(super) fn check_person(
    directory: Option<&Directory>,
    source: &YamlSource,
    path: &[Seg],
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let people = directory.map(|d| &d.people);
    check_known(people, "unbekannte Person", source, path, name, out)
}

pub(super) fn check_body(
    directory: Option<&Directory>,
    source: &YamlSource,
    path: &[Seg],
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let bodies = directory.map(|d| &d.bodies);
    check_known(bodies, "unbekanntes Gremium", source, path, name, out)
}

/// Whether `name` is a key of `known`; reports it with a did-you-mean hint otherwise. Without
/// a directory (it has errors of its own) nothing is reported.
pub(super) fn check_known<V>(
    known: Option<&BTreeMap<String, V>>,
    what: &str,
    source: &YamlSource,
    path: &[Seg],
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let Some(known) = known else { return true };
    if known.contains_key(name) {
        return true;
    }
    out.push(unknown(
        source,
        path,
        what,
        name,
        known.keys().map(String::as_str),
    ));
    false
}
