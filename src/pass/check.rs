//! The check step of a pass: what is wrong in the journals and outboxes that were read —
//! unreadable or torn lines, records out of time order or repeated, adopted amendments that
//! contradict each other — as located warnings.

use super::Journals;
use crate::diagnostic::{Diagnostic, Location};
use crate::engine::amend;
use crate::journal::BadLine;
use crate::journal::lock;
use crate::load::Project;

/// Warnings for every journal and outbox read so far.
pub fn journal_problems(project: &Project, journals: &Journals) -> Vec<Diagnostic> {
    let folders = project.folders();
    let located = |path: &std::path::Path, bad: &BadLine| {
        Diagnostic::warning(folders.display(path).to_path_buf(), bad.message.clone()).at(
            Location {
                line: bad.line,
                column: 1,
            },
            1,
        )
    };
    let mut found = Vec::new();
    for (id, journal) in journals.iter() {
        let path = folders.journal(id);
        for bad in journal.bad_lines.iter().chain(&journal.irregular_lines()) {
            found.push(located(&path, bad));
        }
        if let Some(paper) = project.papers.get(id) {
            found.extend(super::frozen::problem(project, paper, &journal.entries));
        }
        let adopted = amend::adopted_amendments(&journal.entries);
        if adopted.is_empty() {
            continue;
        }
        let amendments: Vec<_> = adopted
            .iter()
            .filter_map(|a| project.papers.get(a))
            .collect();
        if let Some(base) = project.papers.get(id) {
            let shown = folders.display(&path).to_path_buf();
            for conflict in amend::decision_draft(base, &amendments).conflicts {
                found.push(Diagnostic::warning(shown.clone(), conflict.message()));
            }
        }
    }
    for (id, outbox) in journals.outboxes() {
        let path = lock::outbox(folders, id);
        for bad in &outbox.bad_lines {
            found.push(located(&path, bad));
        }
    }
    found
}
