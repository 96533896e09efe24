//! A paper text checked against a loaded project before it exists as a file: the motion form of
//! `ratsflow serve` (`src/serve/draft/`) shows these problems beside its fields and writes the
//! file only when there are none.
//!
//! The checks are those a file in `papers/` gets when the watcher reloads it
//! ([`super::reload_paper`]) and when `check` loads the project: syntax, shape and unknown keys,
//! kind, workflow, people and bodies, signers, the number being free, and the paper it amends
//! with its points. Nothing is written and the project is not changed.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::raw::RawPaper;
use super::yaml::{YamlSource, decode};
use super::{Project, file_id_problem, only_unknown_keys, paper_vocabulary, resolve};
use crate::diagnostic::Diagnostic;
use crate::model::Paper;

/// Checks `text` as the paper `id` of `project`; `shown` is the path the diagnostics name
/// (the file it would be written to, relative to the project). Returns the validated paper
/// when the text has no errors, and every problem found.
pub fn check_paper_text(
    project: &Project,
    id: &str,
    shown: &Path,
    text: &str,
) -> (Option<Paper>, Vec<Diagnostic>) {
    if let Some(problem) = file_id_problem(id, shown, "der Drucksache") {
        return (None, vec![problem]);
    }
    let source = match YamlSource::parse_shared(shown, Arc::from(text)) {
        Ok(source) => source,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let (raw, mut diagnostics) = decode::<RawPaper>(&source, &paper_vocabulary());
    let usable = only_unknown_keys(&diagnostics);
    let Some(raw) = raw.filter(|_| usable) else {
        return (None, diagnostics);
    };
    let none = BTreeSet::new();
    let known = resolve::Known {
        workflows: &project.workflows,
        broken_workflows: &none,
        broken_papers: &project.broken_papers,
        existing: &project.papers,
        kinds: &project.settings.kinds,
        root: Some(&project.folders().root),
    };
    let (mut papers, more, _) = resolve::papers(
        vec![(id.to_string(), raw, source)],
        Some(&project.directory),
        &known,
    );
    diagnostics.extend(more);
    let paper = papers
        .remove(id)
        .filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    (paper, diagnostics)
}
