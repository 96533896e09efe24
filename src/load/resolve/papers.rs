//! Papers: kind, workflow, people and bodies, and the papers they amend or answer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use super::amendments::{BaseShape, check_amendment};
use super::{check_body, check_person, idx, key, unknown};
use crate::diagnostic::Diagnostic;
use crate::load::raw::{RawPaper, RawPoint, RawProposal};
use crate::load::yaml::{Seg, YamlSource};
use crate::model::proposal::LEVELS;
use crate::model::{
    BodyKind, BodyRef, Case, Change, Directory, Kinds, Paper, PaperKind, Recommend, Relation,
    Signer, StageKind, Workflow,
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
    /// The project folder, against which Anlagen files are checked; none where no project
    /// exists (a single file checked on its own).
    pub root: Option<&'a std::path::Path>,
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
    let base_shapes: HashMap<&str, BaseShape> = decoded
        .iter()
        .map(|(id, raw, _)| {
            let style = raw
                .proposal
                .style()
                .or_else(|| known.kinds.get(&raw.kind).and_then(|k| k.numbering))
                .unwrap_or_default();
            let shape = BaseShape {
                sub_points: raw
                    .proposal
                    .points()
                    .iter()
                    .map(RawPoint::sub_points)
                    .collect(),
                amendment: raw.amends.is_some(),
                style,
            };
            (id.as_str(), shape)
        })
        .chain(existing.clone().map(|(id, p)| {
            let shape = BaseShape {
                sub_points: p.proposal_points.iter().map(|p| p.points.len()).collect(),
                amendment: p.is_amendment(),
                style: p.numbering,
            };
            (id.as_str(), shape)
        }))
        .collect();
    let ziffern: HashMap<&str, usize> = decoded
        .iter()
        .map(|(id, raw, _)| (id.as_str(), raw.changes.len()))
        .chain(
            existing
                .clone()
                .map(|(id, p)| (id.as_str(), p.changes.len())),
        )
        .collect();
    let mut references: HashMap<&str, &str> = existing
        .filter_map(|(id, p)| p.reference.as_deref().map(|r| (r, id.as_str())))
        .collect();
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
            && let Some(problem) = crate::load::ids::reference_problem(reference)
        {
            out.push(
                source
                    .error_at(
                        &[key("reference")],
                        format!(
                            "die Drucksachen-Nummer „{}“ {problem}",
                            crate::table::truncate(reference, crate::load::ids::MAX_REFERENCE)
                        ),
                    )
                    .with_hint("eine Drucksachen-Nummer ist kurz, z. B. 042/19 oder VO/2026/0815"),
            );
        } else if let Some(reference) = raw.reference.as_deref()
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
            check_signers(raw, dir, source, &mut out);
            check_bodies(raw, directory, source, &mut out);
        }
        if let Some(workflow) = workflow {
            // A paper naming several bodies has a stage for each (`model::beratungsfolge`).
            let bodies = raw.body.as_ref().map(|b| b.list()).unwrap_or_default();
            let workflow = crate::model::beratungsfolge::expand(workflow, &bodies, |id| {
                directory
                    .and_then(|d| d.body(id))
                    .map_or_else(|| id.to_string(), |b| b.name.clone())
            });
            check_paper_against_workflow(raw, &workflow, source, directory, &mut out);
        }
        check_text_sizes(raw, source, &mut out);
        super::printed::check_finances(raw, source, &mut out);
        if let Some(root) = known.root {
            super::printed::check_files(raw, root, source, &mut out);
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
        check_proposal(raw, source, &mut out);
        check_recommendations(raw, directory, &ziffern, source, &mut out);
        let changes = check_amendment(
            id,
            raw,
            source,
            &ids,
            &base_shapes,
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
    // Collected, not inserted one by one: a map built from a whole sequence packs its nodes,
    // while inserting in order leaves each node half empty (a paper is a kilobyte inline,
    // so with 10,000 papers that was 6 MB of empty slots).
    let papers: BTreeMap<String, Paper> = decoded
        .into_iter()
        .enumerate()
        .filter_map(|(position, (id, raw, _))| {
            let (kind, changes) = valid.remove(&position)?;
            Some((id.clone(), Paper::new(id, kind, raw, changes)))
        })
        .collect();
    (papers, out, broken)
}

/// A Stellungnahme's recommendations name Ziffern the answered motion has; a referral names
/// the body, and only a referral does.
fn check_recommendations(
    raw: &RawPaper,
    directory: Option<&Directory>,
    ziffern: &HashMap<&str, usize>,
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) {
    if raw.recommendations.is_empty() {
        return;
    }
    let Some(answered) = raw.answers.as_deref() else {
        out.push(source.error_at(
            &[key("recommendations")],
            "Empfehlungen („recommendations“) gibt es nur bei einer Stellungnahme zu einem Antrag („answers“)",
        ));
        return;
    };
    let count = ziffern.get(answered).copied();
    for (i, r) in raw.recommendations.iter().enumerate() {
        let at = |field: &str| [key("recommendations"), idx(i), key(field)];
        let n = r.ziffer as usize;
        if let Some(count) = count
            && (n == 0 || n > count)
        {
            let hint = if count == 0 {
                "der Antrag hat keine Ziffern („changes“)".to_string()
            } else {
                format!("der Antrag hat die Ziffern 1 bis {count}")
            };
            out.push(
                source
                    .error_at(
                        &at("ziffer"),
                        format!("der Antrag „{answered}“ hat keine Ziffer {n}"),
                    )
                    .with_hint(hint),
            );
        }
        match (r.recommend, &r.to) {
            (Recommend::Verweisen, None) => out.push(
                source
                    .error_at(
                        &[key("recommendations"), idx(i)],
                        "„verweisen“ braucht das Gremium in „to“",
                    )
                    .with_hint("z. B. to: sozialausschuss"),
            ),
            (Recommend::Verweisen, Some(to)) => {
                check_body(directory, source, &at("to"), to, out);
            }
            (_, Some(_)) => {
                out.push(source.error_at(&at("to"), "„to“ gibt es nur bei „recommend: verweisen“"))
            }
            _ => {}
        }
    }
}

/// The signers named on a motion are members (or signatories) of its Fraktion.
fn check_signers(raw: &RawPaper, dir: &Directory, source: &YamlSource, out: &mut Vec<Diagnostic>) {
    if raw.signers.is_empty() {
        return;
    }
    let Some(group) = raw.by.as_deref().and_then(|b| dir.body(b)) else {
        if raw.by.is_none() {
            out.push(
                source
                    .error_at(
                        &[key("signers")],
                        "„signers“ gibt es nur bei einem Antrag einer Fraktion („by“)",
                    )
                    .with_hint("z. B. by: fraktion-gruene"),
            );
        }
        return;
    };
    for (i, id) in raw.signers.iter().enumerate() {
        let at = [key("signers"), idx(i)];
        if !check_person(Some(dir), source, &at, id, out) {
            continue;
        }
        if !group.members.contains(id) && !group.signatories.contains(id) {
            let name = dir.person_name(id);
            out.push(
                source
                    .error_at(&at, format!("„{name}“ ({id}) gehört nicht zur {}", group.name))
                    .with_hint(format!(
                        "unterschreiben können die Mitglieder der Fraktion („members“ oder „signatories“ von „{}“ im Verzeichnis)",
                        group.id
                    )),
            );
        }
    }
}

/// The Beschlussvorschlag's shape beyond what the decoder checks: no empty points, at most
/// [`LEVELS`] levels, and points when a style or intro is given.
fn check_proposal(raw: &RawPaper, source: &YamlSource, out: &mut Vec<Diagnostic>) {
    let mut path = vec![key("proposal")];
    if let RawProposal::Form(form) = &raw.proposal {
        if form.points.is_empty() {
            out.push(
                source
                    .error_at(&path, "der Beschlussvorschlag hat keine Punkte („points“)")
                    .with_hint("z. B. points: [\"Der Rat beschließt …\"]"),
            );
        }
        path.push(key("points"));
    }
    check_points(raw.proposal.points(), &mut path, 0, source, out);
}

fn check_points(
    points: &[RawPoint],
    path: &mut Vec<Seg>,
    level: usize,
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) {
    for (i, point) in points.iter().enumerate() {
        path.push(idx(i));
        if point.text().trim().is_empty() {
            let at = match point {
                RawPoint::Text(_) => path.clone(),
                RawPoint::Form(_) => [path.as_slice(), &[key("text")]].concat(),
            };
            out.push(source.error_at(&at, "der Punkt hat keinen Text"));
        }
        if let RawPoint::Form(form) = point
            && !form.points.is_empty()
        {
            path.push(key("points"));
            if level + 1 >= LEVELS {
                out.push(
                    source
                        .error_at(path, format!("ein Beschlussvorschlag hat höchstens {LEVELS} Ebenen (z. B. 1., a), aa))"))
                        .with_hint("die Unterpunkte dieser Ebene als Text des Punktes schreiben"),
                );
            } else {
                check_points(&form.points, path, level + 1, source, out);
            }
            path.pop();
        }
        path.pop();
    }
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
            BodyRef::PaperBody => raw.body.as_ref().and_then(|b| b.last()),
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

/// The texts of proposal points and their sub-points, with their places in the file.
fn proposal_texts<'a>(
    points: &'a [RawPoint],
    base: Vec<Seg>,
    found: &mut Vec<(Vec<Seg>, &'a str)>,
) {
    for (i, point) in points.iter().enumerate() {
        let mut at = base.clone();
        at.push(idx(i));
        match point {
            RawPoint::Text(text) => found.push((at, text.as_str())),
            RawPoint::Form(form) => {
                let mut text_at = at.clone();
                text_at.push(key("text"));
                found.push((text_at, form.text.as_str()));
                at.push(key("points"));
                proposal_texts(&form.points, at, found);
            }
        }
    }
}

/// Every text of a paper that goes into its documents, with its place in the file.
fn texts(raw: &RawPaper) -> Vec<(Vec<Seg>, &str)> {
    let single = [
        ("title", Some(&raw.title)),
        ("subtitle", raw.subtitle.as_ref()),
        ("lead_office", raw.lead_office.as_ref()),
        ("department", raw.department.as_ref()),
        ("office_unit", raw.office_unit.as_ref()),
        ("summary", raw.summary.as_ref()),
        ("file_number", raw.file_number.as_ref()),
        ("preliminary", raw.preliminary.as_ref()),
        ("facts", raw.facts.as_ref()),
        ("financing", raw.financing.as_ref()),
        ("costs_period", raw.costs_period.as_ref()),
        ("closing", raw.closing.as_ref()),
        ("addressee", raw.addressee.as_ref()),
        ("reasons", raw.reasons.as_ref()),
    ];
    let mut found: Vec<(Vec<Seg>, &str)> = single
        .into_iter()
        .filter_map(|(name, text)| Some((vec![key(name)], text?.as_str())))
        .collect();
    let base = match &raw.proposal {
        RawProposal::List(_) => vec![key("proposal")],
        RawProposal::Form(_) => vec![key("proposal"), key("points")],
    };
    proposal_texts(raw.proposal.points(), base, &mut found);
    for (i, attachment) in raw.attachments.iter().enumerate() {
        found.push((vec![key("attachments"), idx(i)], attachment.title()));
    }
    for (i, text) in raw.questions.iter().enumerate() {
        found.push((vec![key("questions"), idx(i)], text.as_str()));
    }
    if let Some(finances) = &raw.finances {
        for (name, text) in [
            ("budget_line", &finances.budget_line),
            ("text", &finances.text),
        ] {
            if let Some(text) = text {
                found.push((vec![key("finances"), key(name)], text.as_str()));
            }
        }
    }
    if let Some(project) = &raw.project {
        for (name, text) in [
            ("goals", &project.goals),
            ("tasks", &project.tasks),
            ("result", &project.result),
            ("start", &project.start),
            ("end", &project.end),
        ] {
            if let Some(text) = text {
                found.push((vec![key("project"), key(name)], text.as_str()));
            }
        }
    }
    for (i, change) in raw.changes.iter().enumerate() {
        for (name, text) in [("text", &change.text), ("append", &change.append)] {
            if let Some(text) = text {
                found.push((vec![key("changes"), idx(i), key(name)], text.as_str()));
            }
        }
    }
    for (name, value) in &raw.fields {
        if let serde_yaml::Value::String(text) = value {
            found.push((vec![key("fields"), key(name)], text.as_str()));
        }
    }
    found
}

/// A text larger than a document takes (see [`crate::docx::limits`]) is an error at its
/// place: rendering it would be refused anyway, and `check` says which field it is.
fn check_text_sizes(raw: &RawPaper, source: &YamlSource, out: &mut Vec<Diagnostic>) {
    for (path, text) in texts(raw) {
        if let Some(problem) = crate::docx::limits::value_problem(text) {
            let field = path
                .iter()
                .map(|seg| match seg {
                    Seg::Key(name) => name.clone(),
                    Seg::Index(i) => (i + 1).to_string(),
                })
                .collect::<Vec<_>>()
                .join(".");
            out.push(
                source
                    .error_at(&path, format!("„{field}“: {problem}"))
                    .with_hint(
                        "kürzen Sie den Text oder legen Sie ihn als Anlage bei („attachments“)",
                    ),
            );
        }
    }
}

/// `body:` names known bodies; a list names at least one, each once.
fn check_bodies(
    raw: &RawPaper,
    directory: Option<&Directory>,
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) {
    use crate::load::raw::RawBodies;
    match &raw.body {
        None => {}
        Some(RawBodies::One(body)) => {
            check_body(directory, source, &[key("body")], body, out);
        }
        Some(RawBodies::Many(bodies)) if bodies.is_empty() => out.push(
            source
                .error_at(&[key("body")], "„body“ nennt kein Gremium")
                .with_hint(
                    "z. B. body: [kreisausschuss, kreistag] — in der Reihenfolge der Beratung",
                ),
        ),
        Some(RawBodies::Many(bodies)) => {
            for (i, body) in bodies.iter().enumerate() {
                if bodies[..i].contains(body) {
                    out.push(source.error_at(
                        &[key("body"), idx(i)],
                        format!("das Gremium „{body}“ steht zweimal in „body“"),
                    ));
                    continue;
                }
                check_body(directory, source, &[key("body"), idx(i)], body, out);
            }
        }
    }
}
