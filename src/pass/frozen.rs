//! A decided paper is frozen: what was decided must not change. `check` reports a paper whose
//! content differs from the content its deciding decision was taken on (or the latest editorial
//! correction after it) as an error at the paper file, pointing to `ratsflow correct`.

use crate::diagnostic::{Diagnostic, Location};
use crate::engine::decisions::{self, is_referral_decision};
use crate::engine::rules;
use crate::journal::{Entry, Event};
use crate::load::Project;
use crate::load::yaml::{Seg, YamlSource};
use crate::model::Paper;

/// Whether the path of `paper` ended with a decision of its deciding body (or it was
/// withdrawn in the meeting): from then on, its content is frozen.
fn decided(project: &Project, paper: &Paper, journal: &[Entry]) -> bool {
    let deciding = rules::deciding_body(project, paper);
    journal.iter().any(|e| {
        e.event == Event::Decided
            && !is_referral_decision(e)
            && e.result()
                .is_some_and(crate::model::DecisionResult::completes)
            && e.body() == deciding
    })
}

/// The error for a decided paper changed without an editorial correction, if any.
pub fn problem(project: &Project, paper: &Paper, journal: &[Entry]) -> Option<Diagnostic> {
    let frozen = decisions::frozen(journal, decided(project, paper, journal))?;
    if frozen.hash == paper.content_hash {
        return None;
    }
    let when = frozen
        .meeting
        .map(|d| format!(" am {}", d.format("%d.%m.%Y")))
        .unwrap_or_default();
    let body = frozen
        .body
        .as_deref()
        .and_then(|b| project.directory.body(b))
        .map(|b| format!(" ({})", b.name))
        .unwrap_or_default();
    let result = journal
        .iter()
        .rev()
        .find(|e| e.event == Event::Decided && !is_referral_decision(e))
        .and_then(|e| e.result())
        .map_or("entschieden", |r| r.label());
    let message = format!(
        "„{}“ wurde{when}{body} {result}; Änderungen nur als redaktionelle Korrektur: ratsflow correct {} --as PERSON --comment \"…\"",
        paper.reference(),
        paper.id
    );
    let folders = project.folders();
    let path = ["yaml", "yml"]
        .iter()
        .map(|ext| folders.papers.join(format!("{}.{ext}", paper.id)))
        .find(|p| p.is_file())?;
    let shown = folders.display(&path).to_path_buf();
    let located = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| YamlSource::parse(&shown, &text).ok())
        .and_then(|source| {
            ["proposal", "changes", "facts", "title"]
                .iter()
                .find_map(|key| source.key_location(&[Seg::key(*key)]))
        });
    let (location, width) = located.unwrap_or((Location::START, 1));
    Some(
        Diagnostic::error(shown, message)
            .at(location, width)
            .with_hint("die beschlossene Fassung steht im Journal; eine Korrektur ändert nichts am Beschluss, sie wird im Verlauf gezeigt"),
    )
}
