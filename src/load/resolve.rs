//! Turns raw input into the validated model, checking every reference between files.
//!
//! Each check names the spot in the file where the problem is, in German, with a hint. The
//! functions keep going after a problem so that one run reports everything.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::calendar::{DayUnit, DeadlineRule, Direction, Roll};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::load::Sources;
use crate::load::raw::{RawBodyKind, RawDirectory, RawPaper, RawStage, RawWorkflow};
use crate::load::yaml::{Seg, YamlSource};
use crate::model::{
    Body, BodyKind, BodyRef, Case, Change, ChangeOp, Directory, Due, DueAnchor, DueRule,
    Escalation, Kinds, Next, Organisation, Paper, PaperKind, Person, Relation, SignMode, SignRule,
    Signer, Stage, StageKind, Workflow,
};

fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

fn idx(index: usize) -> Seg {
    Seg::Index(index)
}

/// "unbekannte Person „x“" with a did-you-mean hint over the known ids.
fn unknown<'a>(
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

/// Validates the directory.
pub fn directory(raw: RawDirectory, source: &YamlSource) -> (Directory, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let organisations: BTreeMap<String, Organisation> = raw
        .organisations
        .into_iter()
        .map(|(id, o)| {
            let org = Organisation {
                id: id.clone(),
                name: o.name,
                land: o.land,
                letterhead: o.letterhead,
            };
            (id, org)
        })
        .collect();
    let org_ids: Vec<&str> = organisations.keys().map(String::as_str).collect();
    let person_ids: Vec<String> = raw.people.keys().cloned().collect();
    let mut people = BTreeMap::new();
    for (id, p) in raw.people {
        if let Some(org) = &p.organisation
            && !organisations.contains_key(org)
        {
            let path = [key("people"), key(&id), key("organisation")];
            diagnostics.push(unknown(
                source,
                &path,
                "unbekannte Organisation",
                org,
                org_ids.iter().copied(),
            ));
        }
        let office = raw.bodies.values().any(|b| b.office.contains(&id));
        let person = Person {
            id: id.clone(),
            shared_mailbox: p.shared_mailbox.unwrap_or(office),
            name: p.name,
            function: p.function,
            email: p.email.trim().to_string(),
            organisation: p.organisation,
            salutation: p.salutation,
        };
        people.insert(id, person);
    }
    let known_people = || person_ids.iter().map(String::as_str);
    let mut bodies = BTreeMap::new();
    for (id, b) in raw.bodies {
        for (field, list) in [
            ("members", &b.members),
            ("signatories", &b.signatories),
            ("office", &b.office),
        ] {
            for (i, person) in list.iter().enumerate() {
                if !people.contains_key(person) {
                    let path = [key("bodies"), key(&id), key(field), idx(i)];
                    diagnostics.push(unknown(
                        source,
                        &path,
                        "unbekannte Person",
                        person,
                        known_people(),
                    ));
                }
            }
        }
        if let Some(org) = &b.organisation
            && !organisations.contains_key(org)
        {
            let path = [key("bodies"), key(&id), key("organisation")];
            diagnostics.push(unknown(
                source,
                &path,
                "unbekannte Organisation",
                org,
                org_ids.iter().copied(),
            ));
        }
        let mut meetings: Vec<chrono::NaiveDate> = b.meetings.iter().map(|d| d.0).collect();
        meetings.sort_unstable();
        meetings.dedup();
        let deadlines = b
            .deadlines
            .iter()
            .map(|(name, rule)| {
                let rule = DeadlineRule {
                    days: rule.days,
                    unit: rule.unit.unwrap_or(DayUnit::Calendar),
                    direction: Direction::Before,
                    roll: rule.roll.unwrap_or(Roll::Earlier),
                };
                (name.clone(), rule)
            })
            .collect();
        let kind = match b.kind {
            RawBodyKind::Ausschuss => BodyKind::Ausschuss,
            RawBodyKind::Rat => BodyKind::Rat,
            RawBodyKind::Dienstversammlung => BodyKind::Dienstversammlung,
            RawBodyKind::Fraktion => BodyKind::Fraktion,
            RawBodyKind::Verwaltung => BodyKind::Verwaltung,
        };
        let body = Body {
            id: id.clone(),
            name: b.name,
            short: b.short,
            kind,
            organisation: b.organisation,
            members: b.members,
            signatories: b.signatories,
            office: b.office,
            meetings,
            deadlines,
        };
        bodies.insert(id, body);
    }
    let directory = Directory {
        organisations,
        people,
        bodies,
    };
    diagnostics.extend(super::mail_checks::directory(&directory, source));
    (directory, diagnostics)
}

/// Checks that the settings' organisation exists in the directory.
pub fn check_settings_against_directory(
    project: &crate::load::Project,
    diagnostics: &mut Diagnostics,
    sources: &Sources,
) {
    if project.directory.organisations.is_empty()
        || project
            .directory
            .organisations
            .contains_key(&project.settings.organisation)
    {
        return;
    }
    let path = std::path::Path::new(crate::project::SETTINGS_FILE);
    let Some(text) = sources.get(path) else {
        return;
    };
    let Ok(source) = YamlSource::parse(path, text) else {
        return;
    };
    let known = project.directory.organisations.keys().map(String::as_str);
    diagnostics.push(unknown(
        &source,
        &[key("organisation")],
        "unbekannte Organisation",
        &project.settings.organisation,
        known,
    ));
}

/// Validates one workflow against the directory.
pub fn workflow(
    id: String,
    raw: RawWorkflow,
    source: &YamlSource,
    directory: Option<&Directory>,
) -> (Option<Workflow>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, stage) in raw.stages.iter().enumerate() {
        if let Some(first) = ids.insert(stage.id.as_str(), i) {
            ids.insert(stage.id.as_str(), first);
            let path = [key("stages"), idx(i), key("id")];
            out.push(source.error_at(
                &path,
                format!(
                    "die Stufe „{}“ gibt es schon (Stufe {})",
                    stage.id,
                    first + 1
                ),
            ));
        }
    }
    if raw.stages.is_empty() {
        out.push(source.error_at(&[key("stages")], "der Ablauf hat keine Stufen"));
    }
    if let (Some(org), Some(dir)) = (&raw.organisation, directory)
        && !dir.organisations.contains_key(org)
    {
        let known = dir.organisations.keys().map(String::as_str);
        out.push(unknown(
            source,
            &[key("organisation")],
            "unbekannte Organisation",
            org,
            known,
        ));
    }
    let stage_ids: Vec<&str> = raw.stages.iter().map(|s| s.id.as_str()).collect();
    let stage_ref = |out: &mut Vec<Diagnostic>, path: &[Seg], name: &str| -> Option<usize> {
        let found = ids.get(name).copied();
        if found.is_none() {
            out.push(unknown(
                source,
                path,
                "unbekannte Stufe",
                name,
                stage_ids.iter().copied(),
            ));
        }
        found
    };
    let mut stages = Vec::new();
    for (i, rs) in raw.stages.iter().enumerate() {
        let at = |field: &str| vec![key("stages"), idx(i), key(field)];
        let kind = match (&rs.sign, &rs.consult) {
            (Some(_), Some(_)) => {
                out.push(source.error_at(&at("consult"), format!("Stufe „{}“ hat sowohl „sign“ als auch „consult“; eine Stufe ist entweder Unterschrift oder Beratung", rs.id)));
                None
            }
            (None, None) => {
                out.push(source.error_at(&[key("stages"), idx(i)], format!("Stufe „{}“ braucht „sign“ (Unterschriften) oder „consult“ (Beratung in einem Gremium)", rs.id)));
                None
            }
            (Some(_), None) => sign_rule(rs, i, source, directory, &mut out).map(StageKind::Sign),
            (None, Some(consult)) => {
                let body = if consult.body == "paper.body" {
                    Some(BodyRef::PaperBody)
                } else {
                    check_body(
                        directory,
                        source,
                        &[key("stages"), idx(i), key("consult"), key("body")],
                        &consult.body,
                        &mut out,
                    )
                    .then(|| BodyRef::Fixed(consult.body.clone()))
                };
                body.map(|body| StageKind::Consult {
                    body,
                    role: consult.role,
                })
            }
        };
        let next = match rs.next.as_deref() {
            None => Some(Next::Following),
            Some("end") => Some(Next::End),
            Some(name) => stage_ref(&mut out, &at("next"), name).map(Next::Stage),
        };
        let on_return = match rs.on_return.as_deref() {
            None => Some(None),
            Some(name) => stage_ref(&mut out, &at("on_return"), name).map(Some),
        };
        let due = rs.due.as_ref().and_then(|due| {
            let anchor = match (&due.before, &due.after) {
                (Some(stage), None) => {
                    let target = stage_ref(&mut out, &[key("stages"), idx(i), key("due"), key("before")], stage)?;
                    if raw.stages[target].consult.is_none() {
                        out.push(source.error_at(&[key("stages"), idx(i), key("due"), key("before")], format!("„before“ braucht eine Beratungsstufe mit Sitzungstermin; „{stage}“ ist eine Unterschriftsstufe")));
                        return None;
                    }
                    DueAnchor::BeforeMeeting(target)
                }
                (None, Some(word)) if word == "entered" => DueAnchor::AfterEntered,
                (None, Some(word)) => {
                    out.push(source.error_at(&[key("stages"), idx(i), key("due"), key("after")], format!("unbekannter Bezugspunkt „{word}“")).with_hint("erlaubt ist: entered (der Tag, an dem die Stufe begann)"));
                    return None;
                }
                _ => {
                    out.push(source.error_at(&[key("stages"), idx(i), key("due")], "eine Frist braucht genau eines von „before: <Stufe>“ oder „after: entered“"));
                    return None;
                }
            };
            let rule = match (&due.rule, due.days) {
                (Some(name), None) => {
                    if let (DueAnchor::BeforeMeeting(target), Some(dir)) = (anchor, directory)
                        && let Some(consult) = &raw.stages[target].consult
                        && let Some(body) = dir.body(&consult.body)
                        && !body.deadlines.contains_key(name)
                    {
                        let known = body.deadlines.keys().map(String::as_str);
                        out.push(unknown(source, &[key("stages"), idx(i), key("due"), key("rule")], &format!("das Gremium „{}“ hat keine Fristregel", body.id), name, known));
                    }
                    if anchor == DueAnchor::AfterEntered {
                        out.push(source.error_at(&[key("stages"), idx(i), key("due"), key("rule")], "eine Fristregel eines Gremiums gilt nur vor einer Sitzung („before“)"));
                        return None;
                    }
                    DueRule::BodyRule(name.clone())
                }
                (None, Some(days)) => {
                    let direction = if anchor == DueAnchor::AfterEntered { Direction::After } else { Direction::Before };
                    DueRule::Days {
                        days,
                        unit: due.unit.unwrap_or(DayUnit::Calendar),
                        roll: due.roll.unwrap_or(DeadlineRule::default_roll(direction)),
                    }
                }
                (Some(_), Some(_)) => {
                    out.push(source.error_at(&[key("stages"), idx(i), key("due"), key("days")], "„days“ und „rule“ schließen sich aus"));
                    return None;
                }
                (None, None) => {
                    out.push(source.error_at(&[key("stages"), idx(i), key("due")], "die Frist braucht „days“ oder die Fristregel eines Gremiums („rule“)"));
                    return None;
                }
            };
            Some(Due { anchor, rule })
        });
        let escalate = rs.escalate.as_ref().map(|e| {
            for (n, person) in e.notify.iter().enumerate() {
                check_person(
                    directory,
                    source,
                    &[
                        key("stages"),
                        idx(i),
                        key("escalate"),
                        key("notify"),
                        idx(n),
                    ],
                    person,
                    &mut out,
                );
            }
            Escalation {
                after_due: e.after_due,
                notify: e.notify.clone(),
            }
        });
        if (!rs.remind.is_empty() || rs.escalate.is_some()) && rs.due.is_none() {
            out.push(source.error_at(
                &at(if rs.escalate.is_some() {
                    "escalate"
                } else {
                    "remind"
                }),
                format!(
                    "Stufe „{}“ hat Erinnerungen oder Eskalation, aber keine Frist („due“)",
                    rs.id
                ),
            ));
        }
        if let (Some(kind), Some(next), Some(on_return)) = (kind, next, on_return) {
            stages.push(Stage {
                id: rs.id.clone(),
                title: rs.title.clone().unwrap_or_else(|| rs.id.clone()),
                kind,
                when: rs.when.clone(),
                next,
                on_return,
                due,
                remind: rs.remind.iter().map(|r| r.before_due).collect(),
                escalate,
            });
        }
    }
    if out.iter().any(Diagnostic::is_error) {
        return (None, out);
    }
    let workflow = Workflow {
        id,
        name: raw.name,
        organisation: raw.organisation,
        stages,
    };
    out.extend(check_graph(&workflow, source));
    if out.iter().any(Diagnostic::is_error) {
        return (None, out);
    }
    (Some(workflow), out)
}

fn sign_rule(
    rs: &RawStage,
    i: usize,
    source: &YamlSource,
    directory: Option<&Directory>,
    out: &mut Vec<Diagnostic>,
) -> Option<SignRule> {
    let sign = rs.sign.as_ref()?;
    let base = [key("stages"), idx(i), key("sign")];
    let (list_key, list, needed, mode) = match (&sign.all, &sign.any, sign.n, &sign.of) {
        (Some(list), None, None, None) => ("all", list, list.len(), SignMode::All),
        (None, Some(list), None, None) => ("any", list, 1, SignMode::Any),
        (None, None, Some(n), Some(list)) => {
            let n = n as usize;
            if n > list.len() {
                out.push(
                    source
                        .error_at(
                            &[key("stages"), idx(i), key("sign"), key("n")],
                            format!(
                                "das Quorum {n} ist größer als die Liste ({} Personen)",
                                list.len()
                            ),
                        )
                        .with_hint(format!(
                            "höchstens {} Unterschriften sind möglich",
                            list.len()
                        )),
                );
            }
            if n == 0 {
                out.push(source.error_at(
                    &[key("stages"), idx(i), key("sign"), key("n")],
                    "ein Quorum von 0 Unterschriften ergibt keinen Sinn",
                ));
            }
            ("of", list, n, SignMode::Quorum)
        }
        (None, None, Some(_), None) => {
            out.push(source.error_at(&base, "zum Quorum „n“ gehört die Liste „of“"));
            return None;
        }
        _ => {
            out.push(source.error_at(&base, "„sign“ braucht genau eines von „all: […]“, „any: […]“ oder „n: <Zahl>“ mit „of: […]“"));
            return None;
        }
    };
    if list.is_empty() {
        out.push(source.error_at(
            &[key("stages"), idx(i), key("sign"), key(list_key)],
            "die Liste der Unterzeichnenden ist leer",
        ));
    }
    let mut signers = Vec::new();
    for (n, name) in list.iter().enumerate() {
        let path = [key("stages"), idx(i), key("sign"), key(list_key), idx(n)];
        match name.as_str() {
            "paper.author" => signers.push(Signer::Author),
            "paper.by" => signers.push(Signer::Group),
            _ => {
                check_person(directory, source, &path, name, out);
                signers.push(Signer::Person(name.clone()));
            }
        }
    }
    Some(SignRule {
        signers,
        needed,
        mode,
        role: sign.role.clone(),
    })
}

fn check_person(
    directory: Option<&Directory>,
    source: &YamlSource,
    path: &[Seg],
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let people = directory.map(|d| &d.people);
    check_known(people, "unbekannte Person", source, path, name, out)
}

fn check_body(
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
fn check_known<V>(
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

/// Successor edges of the stage graph, without `on_return` edges. A conditional stage can be
/// skipped, so its predecessor also reaches what follows it.
fn successors(workflow: &Workflow, index: usize) -> Vec<usize> {
    let stage = &workflow.stages[index];
    let mut next = match stage.next {
        Next::Following if index + 1 < workflow.stages.len() => vec![index + 1],
        Next::Following | Next::End => Vec::new(),
        Next::Stage(target) => vec![target],
    };
    let mut skipped = next.clone();
    while let Some(target) = skipped.pop() {
        if workflow.stages[target].when.is_some() {
            for after in successors_plain(workflow, target) {
                if !next.contains(&after) {
                    next.push(after);
                    skipped.push(after);
                }
            }
        }
    }
    next
}

fn successors_plain(workflow: &Workflow, index: usize) -> Vec<usize> {
    match workflow.stages[index].next {
        Next::Following if index + 1 < workflow.stages.len() => vec![index + 1],
        Next::Following | Next::End => Vec::new(),
        Next::Stage(target) => vec![target],
    }
}

/// Stages no path reaches, and cycles other than `on_return` edges.
fn check_graph(workflow: &Workflow, source: &YamlSource) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let count = workflow.stages.len();
    if count == 0 {
        return out;
    }
    let mut reached = vec![false; count];
    let mut stack = vec![0];
    if workflow.stages[0].when.is_some() {
        stack.extend(successors_plain(workflow, 0));
    }
    while let Some(i) = stack.pop() {
        if reached[i] {
            continue;
        }
        reached[i] = true;
        stack.extend(successors(workflow, i));
    }
    for (i, stage) in workflow.stages.iter().enumerate() {
        if !reached[i] {
            out.push(
                source
                    .error_at(
                        &[key("stages"), idx(i), key("id")],
                        format!("die Stufe „{}“ wird von keinem Weg erreicht", stage.id),
                    )
                    .with_hint("eine vorherige Stufe springt mit „next“ über sie hinweg"),
            );
        }
    }
    // Depth-first search for a back edge.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        workflow: &Workflow,
        i: usize,
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        marks[i] = Mark::Active;
        path.push(i);
        for next in successors_plain(workflow, i) {
            match marks[next] {
                Mark::Active => {
                    let start = path.iter().position(|&p| p == next).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next);
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(workflow, next, marks, path) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; count];
    for start in 0..count {
        if marks[start] != Mark::New {
            continue;
        }
        if let Some(cycle) = visit(workflow, start, &mut marks, &mut Vec::new()) {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| workflow.stages[i].id.as_str())
                .collect();
            let last = cycle
                .get(cycle.len().saturating_sub(2))
                .copied()
                .unwrap_or(start);
            out.push(
                source
                    .error_at(
                        &[key("stages"), idx(last), key("next")],
                        format!("Kreislauf im Ablauf: {}", names.join(" → ")),
                    )
                    .with_hint("Rückwege gehören in „on_return“, nicht in „next“"),
            );
            break;
        }
    }
    out
}

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
    for (stage_id, date) in &raw.meetings {
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

fn check_amendment(
    id: &str,
    raw: &RawPaper,
    source: &YamlSource,
    ids: &BTreeSet<&str>,
    proposal_len: &HashMap<&str, (usize, bool)>,
    broken_papers: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let base_len = match raw.amends.as_deref() {
        None => {
            if !raw.changes.is_empty() {
                out.push(source.error_at(&[key("changes")], "Änderungen („changes“) gibt es nur bei einem Antrag zu einer Drucksache („amends“)"));
            }
            return changes;
        }
        Some(base) if base == id => {
            out.push(source.error_at(
                &[key("amends")],
                "ein Antrag kann sich nicht auf sich selbst beziehen",
            ));
            return changes;
        }
        Some(base) => match proposal_len.get(base) {
            None if broken_papers.contains(base) => None,
            None => {
                out.push(unknown(
                    source,
                    &[key("amends")],
                    "unbekannte Drucksache",
                    base,
                    ids.iter().copied(),
                ));
                None
            }
            Some((_, true)) => {
                out.push(source.error_at(&[key("amends")], format!("„{base}“ ist selbst ein Antrag; Änderungsanträge beziehen sich auf eine Vorlage")));
                None
            }
            Some((len, false)) => Some(*len),
        },
    };
    if raw.changes.is_empty() {
        out.push(source.error_at(
            &[key("changes")],
            "der Antrag ändert nichts: „changes“ ist leer",
        ));
    }
    for (i, change) in raw.changes.iter().enumerate() {
        let at = |field: &str| [key("changes"), idx(i), key(field)];
        let ops = [
            change.replace.is_some(),
            change.insert.is_some(),
            change.delete.is_some(),
            change.append.is_some(),
        ];
        if ops.iter().filter(|&&b| b).count() != 1 {
            out.push(source.error_at(&[key("changes"), idx(i)], "jede Änderung braucht genau eines von „replace: N“, „insert: N“, „delete: N“ oder „append: Text“"));
            continue;
        }
        let (op, field, point) = if let Some(n) = change.replace {
            (ChangeOp::Replace(n as usize), "replace", Some(n as usize))
        } else if let Some(n) = change.insert {
            (ChangeOp::Insert(n as usize), "insert", Some(n as usize))
        } else if let Some(n) = change.delete {
            (ChangeOp::Delete(n as usize), "delete", Some(n as usize))
        } else {
            (ChangeOp::Append, "append", None)
        };
        if let (Some(n), Some(len)) = (point, base_len) {
            let max = if matches!(op, ChangeOp::Insert(_)) {
                len + 1
            } else {
                len
            };
            if n == 0 || n > max {
                let base = raw.amends.as_deref().unwrap_or_default();
                let hint = if len == 0 {
                    "der Beschlussvorschlag der Drucksache hat keine Punkte".to_string()
                } else if matches!(op, ChangeOp::Insert(_)) {
                    format!(
                        "einfügen lässt sich an Punkt 1 bis {max}; für einen neuen letzten Punkt „append“"
                    )
                } else {
                    format!("der Beschlussvorschlag hat die Punkte 1 bis {len}")
                };
                out.push(
                    source
                        .error_at(
                            &at(field),
                            format!("die Drucksache „{base}“ hat keinen Punkt {n}"),
                        )
                        .with_hint(hint),
                );
            }
        }
        let text = match op {
            ChangeOp::Append => change.append.clone(),
            _ => change.text.clone(),
        };
        match op {
            ChangeOp::Replace(_) | ChangeOp::Insert(_) if change.text.is_none() => {
                out.push(source.error_at(
                    &[key("changes"), idx(i)],
                    format!("„{field}“ braucht den neuen Wortlaut in „text“"),
                ));
            }
            ChangeOp::Delete(_) | ChangeOp::Append if change.text.is_some() => {
                out.push(
                    source
                        .error_at(&at("text"), format!("„{field}“ hat keinen „text“"))
                        .with_hint(if field == "append" {
                            "der neue Punkt steht direkt hinter „append:“"
                        } else {
                            "eine Streichung braucht keinen Wortlaut"
                        }),
                );
            }
            _ => {}
        }
        changes.push(Change { op, text });
    }
    changes
}
