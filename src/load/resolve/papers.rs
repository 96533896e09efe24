//! Papers: kind, workflow, people and bodies, and the papers they amend or answer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::amendments::check_amendment;
use super::{check_body, check_person, key, unknown};
use crate::diagnostic::Diagnostic;
use crate::load::raw::RawPaper;
use crate::load::yaml::YamlSource;
use crate::model::{
    BodyKind, BodyRef, Case, Change, Directory, Kinds, Paper, PaperKind, Relation, Signer,
    StageKind, Workflow,
};

/// What else exists, for checking references from papers.
pub struct Known<'a> {
    pub workflows: &'a BTreeMap<String, Workflow>,
    /// Workflow files that exist but have errors (already reported).
    pub broken_workflows: &'a BTreeSet<String>,
    /// Paper files that exist but have errors (already reported).
    pub broken_papers: &'a BTreeSet<String>,
    /// Papers validated earlier and not among those being checked now (incremental reloads).
    pub existing: &'a BTreeMap<String, Paper>,
    /// The kinds of paper of the project.
    pub kinds: &'a Kinds,
}

/// Validates all papers and the references between them. References to files that exist but
/// have errors of their own are not reported again.
pub fn papers(
    decoded: Vec<(String, RawPaper, YamlSource)>,
    directory: Option<&Directory>,
    known: &Known<'_>,
) -> (BTreeMap<String, Paper>, Vec<Diagnostic>, BTreeSet<String>) {
    let workflows = known.workflows;
    let mut out = Vec::new();
    let mut broken = BTreeSet::new();
    let fresh: BTreeSet<&str> = decoded.iter().map(|(id, _, _)| id.as_str()).collect();
    let existing = known
        .existing
        .iter()
        .filter(|(id, _)| !fresh.contains(id.as_str()));
    let ids: BTreeSet<&str> = fresh
        .iter()
        .copied()
        .chain(existing.clone().map(|(id, _)| id.as_str()))
        .collect();
    let proposal_len: HashMap<&str, (usize, bool)> = decoded
        .iter()
        .map(|(id, raw, _)| (id.as_str(), (raw.proposal.len(), raw.amends.is_some())))
        .chain(
            existing
                .clone()
                .map(|(id, p)| (id.as_str(), (p.proposal.len(), p.is_amendment()))),
        )
        .collect();
    let mut references: HashMap<&str, &str> = existing
        .filter_map(|(id, p)| p.reference.as_deref().map(|r| (r, id.as_str())))
        .collect();
    let mut papers = BTreeMap::new();
    let mut valid: HashMap<usize, (Arc<PaperKind>, Vec<Change>)> = HashMap::new();
    for (position, (id, raw, source)) in decoded.iter().enumerate() {
        let before = out.len();
        let kind = known.kinds.get(&raw.kind).cloned();
        match &kind {
            None => out.push(unknown(
                source,
                &[key("kind")],
                "unbekannte Vorlagenart",
                &raw.kind,
                known.kinds.names(),
            )),
            Some(kind) => check_relation(kind, raw, source, &mut out),
        }
        let workflow = workflows.get(&raw.workflow);
        if workflow.is_none() && !known.broken_workflows.contains(&raw.workflow) {
            out.push(unknown(
                source,
                &[key("workflow")],
                "unbekannter Ablauf",
                &raw.workflow,
                workflows.keys().map(String::as_str),
            ));
        }
        if let Some(reference) = raw.reference.as_deref()
            && let Some(other) = references.insert(reference, id)
        {
            references.insert(reference, other);
            out.push(
                    source
                        .error_at(&[key("reference")], format!("die Drucksachen-Nummer „{reference}“ hat schon „{other}“"))
                        .with_hint("jede Drucksache braucht eine eigene Nummer; ratsflow new vergibt die nächste freie"),
                );
        }
        if let Some(dir) = directory {
            if let Some(org) = &raw.organisation
                && !dir.organisations.contains_key(org)
            {
                out.push(unknown(
                    source,
                    &[key("organisation")],
                    "unbekannte Organisation",
                    org,
                    dir.organisations.keys().map(String::as_str),
                ));
            }
            if let Some(author) = &raw.author {
                check_person(directory, source, &[key("author")], author, &mut out);
            }
            if let Some(by) = &raw.by
                && check_body(directory, source, &[key("by")], by, &mut out)
                && dir.body(by).is_some_and(|b| b.kind != BodyKind::Fraktion)
            {
                out.push(source.error_at(
                    &[key("by")],
                    format!(
                        "„{by}“ ist keine Fraktion; Anträge stellt eine Fraktion (kind: fraktion)"
                    ),
                ));
            }
            if let Some(body) = &raw.body {
                check_body(directory, source, &[key("body")], body, &mut out);
            }
        }
        if let Some(workflow) = workflow {
            check_paper_against_workflow(raw, workflow, source, directory, &mut out);
        }
        if let Some(answered) = raw.answers.as_deref()
            && !ids.contains(answered)
            && !known.broken_papers.contains(answered)
        {
            out.push(unknown(
                source,
                &[key("answers")],
                "unbekannte Drucksache",
                answered,
                ids.iter().copied(),
            ));
        }
        let changes = check_amendment(
            id,
            raw,
            source,
            &ids,
            &proposal_len,
            known.broken_papers,
            &mut out,
        );
        // A paper whose workflow file is broken cannot be placed; it is listed as broken.
        let Some(kind) = kind else {
            broken.insert(id.clone());
            continue;
        };
        if out[before..].iter().any(Diagnostic::is_error) || workflow.is_none() {
            broken.insert(id.clone());
            continue;
        }
        valid.insert(position, (kind, changes));
    }
    // Move the raw papers into the model instead of copying them (a large project's peak).
    for (position, (id, raw, _)) in decoded.into_iter().enumerate() {
        if let Some((kind, changes)) = valid.remove(&position) {
            papers.insert(id.clone(), Paper::new(id, kind, raw, changes));
        }
    }
    (papers, out, broken)
}

/// A kind that amends needs `amends:` and only such kinds may have it; `answers:` likewise
/// belongs to the kinds that answer another paper.
fn check_relation(
    kind: &PaperKind,
    raw: &RawPaper,
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) {
    let name = &kind.name;
    let amends = kind.relation == Relation::Amends;
    let answers = kind.relation == Relation::Answers;
    if amends && raw.amends.is_none() {
        out.push(
            source
                .error_at(
                    &[],
                    format!(
                        "{} braucht „amends“: die Drucksache, deren Beschlussvorschlag er ändert",
                        kind.with_article(Case::Nominative)
                    ),
                )
                .with_hint("z. B. amends: 2021-042"),
        );
    }
    if !amends && raw.amends.is_some() {
        out.push(
            source
                .error_at(&[key("amends")], format!("„amends“ gibt es nur bei Änderungs- und Ergänzungsanträgen, nicht bei „{name}“"))
                .with_hint("kind: Ergänzungsantrag oder kind: Änderungsantrag"),
        );
    }
    if answers && raw.answers.is_none() {
        out.push(
            source
                .error_at(
                    &[],
                    format!(
                        "{} braucht „answers“: die Drucksache, auf die sie antwortet",
                        kind.with_article(Case::Nominative)
                    ),
                )
                .with_hint("z. B. answers: 2021-042-1"),
        );
    }
    if !answers && raw.answers.is_some() {
        out.push(
            source
                .error_at(
                    &[key("answers")],
                    format!("„answers“ gibt es nur bei einer Stellungnahme, nicht bei „{name}“"),
                )
                .with_hint("kind: Stellungnahme der Verwaltung"),
        );
    }
}

fn check_paper_against_workflow(
    raw: &RawPaper,
    workflow: &Workflow,
    source: &YamlSource,
    directory: Option<&Directory>,
    out: &mut Vec<Diagnostic>,
) {
    for (stage_id, meeting) in &raw.meetings {
        let path = [key("meetings"), key(stage_id)];
        let Some(index) = workflow.stage_index(stage_id) else {
            let consults = workflow
                .stages
                .iter()
                .filter(|s| matches!(s.kind, StageKind::Consult { .. }))
                .map(|s| s.id.as_str());
            out.push(unknown(
                source,
                &path,
                &format!("der Ablauf „{}“ hat keine Beratungsstufe", workflow.id),
                stage_id,
                consults,
            ));
            continue;
        };
        let StageKind::Consult { body, .. } = &workflow.stages[index].kind else {
            out.push(source.error_at(
                &path,
                format!("„{stage_id}“ ist eine Unterschriftsstufe und hat keine Sitzung"),
            ));
            continue;
        };
        let body_id = match body {
            BodyRef::Fixed(id) => Some(id.as_str()),
            BodyRef::PaperBody => raw.body.as_deref(),
        };
        if let (Some(dir), Some(body_id)) = (directory, body_id)
            && let Some(body) = dir.body(body_id)
            && !body.meetings.is_empty()
            && let Some(date) = meeting.date
            && !body.meetings.contains(&date.0)
        {
            out.push(
                source
                    .warning_at(
                        &path,
                        format!(
                            "am {} tagt „{}“ laut Sitzungskalender nicht",
                            date.0.format("%d.%m.%Y"),
                            body.name
                        ),
                    )
                    .with_hint(
                        "für eine Sondersitzung ist das in Ordnung; sonst den Termin prüfen",
                    ),
            );
        }
    }
    let uses = |want: &Signer| {
        workflow
            .stages
            .iter()
            .any(|s| matches!(&s.kind, StageKind::Sign(rule) if rule.signers.contains(want)))
    };
    if uses(&Signer::Author) && raw.author.is_none() {
        out.push(source.error_at(
            &[],
            format!(
                "der Ablauf „{}“ lässt die Sachbearbeitung unterschreiben, aber „author“ fehlt",
                workflow.id
            ),
        ));
    }
    if uses(&Signer::Group) && raw.by.is_none() {
        out.push(source.error_at(
            &[],
            format!(
                "der Ablauf „{}“ lässt die Fraktion unterschreiben, aber „by“ fehlt",
                workflow.id
            ),
        ));
    }
    if let Some(dir) = directory
        && uses(&Signer::Group)
        && let Some(by) = raw.by.as_deref().and_then(|b| dir.body(b))
        && by.signatories.is_empty()
        && by.kind == BodyKind::Fraktion
    {
        out.push(source.error_at(
            &[key("by")],
            format!(
                "die Fraktion „{}“ hat keine Unterzeichnenden („signatories“ im Verzeichnis)",
                by.id
            ),
        ));
    }
    let needs_body = workflow.stages.iter().any(|s| {
        matches!(
            &s.kind,
            StageKind::Consult {
                body: BodyRef::PaperBody,
                ..
            }
        )
    });
    if needs_body && raw.body.is_none() {
        out.push(source.error_at(&[], format!("der Ablauf „{}“ berät in dem Gremium, an das sich der Antrag richtet, aber „body“ fehlt", workflow.id)));
    }
}
