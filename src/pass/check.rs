//! The check step of a pass: what is wrong in the journals and outboxes that were read —
//! unreadable or torn lines, records out of time order or repeated, adopted amendments that
//! contradict each other, sign stages whose signers or rule changed since the paper was
//! signed there — as located warnings; and journals that lost records against their
//! paper's mark (see `super::vanished`), as errors.

use super::Journals;
use crate::diagnostic::{Diagnostic, Location};
use crate::engine::amend;
use crate::journal::BadLine;
use crate::journal::lock;
use crate::load::Project;

/// Signatures of the paper's current content whose document text changed since (a template
/// change): located warnings; the signers are asked again.
fn uncovered_signatures(
    project: &Project,
    paper: &crate::model::Paper,
    journal: &crate::journal::Journal,
    path: &std::path::Path,
) -> Vec<Diagnostic> {
    // A paper a body has decided on is frozen: a template change no longer reopens it.
    if journal
        .entries
        .iter()
        .any(|e| e.event == crate::journal::Event::Decided)
    {
        return Vec::new();
    }
    if !super::document_text::needed(&journal.entries) {
        return Vec::new();
    }
    let Some(now) = super::document_text::text_hash(project, paper) else {
        return Vec::new();
    };
    let folders = project.folders();
    let signed = |e: &crate::journal::Entry| e.event == crate::journal::Event::Signed;
    journal
        .entries
        .iter()
        .zip(&journal.lines)
        .enumerate()
        .filter(|(i, (e, _))| {
            // A signature given again since is what counts.
            !journal.entries[i + 1..]
                .iter()
                .any(|later| signed(later) && later.who == e.who && later.stage == e.stage)
        })
        .map(|(_, pair)| pair)
        .filter(|(e, _)| {
            signed(e)
                && e.hash.as_deref() == Some(paper.content_hash.as_str())
                && !crate::engine::covers_document(e, Some(&now))
        })
        .map(|(e, &line)| {
            let who = e.who.as_deref().unwrap_or("?");
            Diagnostic::warning(
                folders.display(path).to_path_buf(),
                format!(
                    "die Unterschrift von {} vom {} deckt den Text des Dokuments von „{}“ nicht mehr: die Vorlage „{}“ hat ihn seitdem geändert; {} wird erneut um Unterschrift gebeten",
                    project.directory.person_name(who),
                    e.time.format("%d.%m.%Y"),
                    paper.reference(),
                    paper.kind.template,
                    project.directory.person_name(who),
                ),
            )
            .at(Location { line, column: 1 }, 1)
        })
        .collect()
}

/// Sign stages whose definition (signers and rule, see [`crate::record::stage_hash`]) changed
/// since the paper was signed there: one located warning per stage, at the first such line.
/// Lines without the hash (older versions) and signatures of an earlier version of the paper
/// (asked again anyway) are not compared; a decided paper is frozen.
fn changed_stages(
    project: &Project,
    paper: &crate::model::Paper,
    journal: &crate::journal::Journal,
    path: &std::path::Path,
) -> Vec<Diagnostic> {
    use crate::journal::Event;
    if journal.entries.iter().any(|e| e.event == Event::Decided) {
        return Vec::new();
    }
    let Some(workflow) = project.workflow_of(paper) else {
        return Vec::new();
    };
    let workflow = &*workflow;
    // Per stage id, in order of first appearance: the first line and the signers.
    let mut changed: Vec<(&str, usize, Vec<&str>)> = Vec::new();
    for (i, (entry, &line)) in journal.entries.iter().zip(&journal.lines).enumerate() {
        let (Event::Signed, Some(given), Some(stage), Some(who)) = (
            entry.event,
            entry.stage_hash.as_deref(),
            entry.stage.as_deref(),
            entry.who.as_deref(),
        ) else {
            continue;
        };
        // A signature of an earlier version of the paper is stale anyway: asked again.
        if entry.hash.as_deref() != Some(paper.content_hash.as_str()) {
            continue;
        }
        // A signature given again since is what counts.
        let again = journal.entries[i + 1..].iter().any(|later| {
            later.event == Event::Signed
                && later.who.as_deref() == Some(who)
                && later.stage.as_deref() == Some(stage)
        });
        let now = workflow
            .stages
            .iter()
            .find(|s| s.id == stage)
            .and_then(crate::record::stage_hash);
        if again || now.as_deref() == Some(given) {
            continue;
        }
        match changed.iter_mut().find(|(id, _, _)| *id == stage) {
            Some((_, _, signers)) => signers.push(who),
            None => changed.push((stage, line, vec![who])),
        }
    }
    let folders = project.folders();
    changed
        .into_iter()
        .map(|(stage, line, signers)| {
            let title = workflow
                .stages
                .iter()
                .find(|s| s.id == stage)
                .map_or(stage, |s| s.title.as_str());
            let names: Vec<String> = signers
                .iter()
                .map(|who| project.directory.person_name(who).to_string())
                .collect();
            let verb = if names.len() == 1 { "hat" } else { "haben" };
            Diagnostic::warning(
                folders.display(path).to_path_buf(),
                format!(
                    "Drucksache „{}“: die Stufe „{}“ des Ablaufs „{}“ ist geändert worden (Unterzeichnende oder Regel), seit {} dort unterschrieben {}; bitte prüfen, ob die Unterschriften noch gelten",
                    paper.reference(),
                    title,
                    workflow.name,
                    german_list(&names),
                    verb,
                ),
            )
            .at(Location { line, column: 1 }, 1)
        })
        .collect()
}

/// „A“, „A und B“, „A, B und C“.
fn german_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} und {last}", rest.join(", ")),
    }
}

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
        if let Some(lost) = super::vanished::check(folders, id, &journal.entries) {
            let reference = project
                .papers
                .get(id)
                .map_or(id.as_str(), |p| p.reference());
            found.push(Diagnostic::error(
                folders.display(&path).to_path_buf(),
                lost.message(reference),
            ));
        }
        for bad in journal.bad_lines.iter().chain(&journal.irregular_lines()) {
            found.push(located(&path, bad));
        }
        if let Some(paper) = project.papers.get(id) {
            found.extend(uncovered_signatures(project, paper, journal, &path));
            found.extend(super::frozen::problem(project, paper, &journal.entries));
            found.extend(changed_stages(project, paper, journal, &path));
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
