//! Papers whose journal cannot be opened: a directory or a named pipe in place of
//! `state/<id>.jsonl` (or of its outbox), or a name the file system refuses.
//!
//! Such a paper cannot be evaluated — its signatures are unknown — so it is reported as a
//! problem of that one paper and skipped like a paper with errors; every other paper and every
//! command keeps working. Only file types are checked here (no file is opened): a named pipe
//! must never block loading.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::journal::present::Present;
use crate::journal::{self, lock};
use crate::model::Paper;
use crate::project::Folders;

/// Moves every paper whose journal or outbox cannot be opened from `papers` to `broken`, with
/// an error located at the journal file.
pub fn skip_unopenable(
    folders: &Folders,
    papers: &mut BTreeMap<String, Paper>,
    broken: &mut BTreeSet<String>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let present = Present::for_papers(folders, papers.len());
    papers.retain(|id, _| match problem_listed(folders, &present, id) {
        None => true,
        Some(diagnostic) => {
            found.push(diagnostic);
            broken.insert(id.clone());
            false
        }
    });
    found
}

/// The problem of one paper's journal or outbox, if it cannot be opened; files the listing
/// `present` knows to be missing are not asked about.
fn problem_listed(folders: &Folders, present: &Present, id: &str) -> Option<Diagnostic> {
    let journal = folders.journal(id);
    let outbox = lock::outbox(folders, id);
    let openable = |listed: bool, path: &std::path::Path| {
        if listed {
            journal::check_openable(path)
        } else {
            Ok(())
        }
    };
    let error = openable(present.journal(id), &journal)
        .and_then(|()| openable(present.outbox(id), &outbox))
        .err()?;
    let shown = folders.display(&error.path).to_path_buf();
    Some(
        Diagnostic::error(
            shown,
            format!(
                "das Journal von „{id}“ lässt sich nicht öffnen: {}",
                error.reason()
            ),
        )
        .with_hint(
            "solange wird die Drucksache übersprungen; an diese Stelle gehört ihre Journaldatei (oder nichts, solange nichts eingetragen ist)",
        ),
    )
}
