//! Workflows: stages, sign rules, consultations, deadlines, and the graph of `next`/`on_return`.

use std::collections::HashMap;

use super::{check_body, check_person, idx, key, unknown};
use crate::calendar::{DayUnit, DeadlineRule, Direction};
use crate::diagnostic::Diagnostic;
use crate::load::raw::{RawStage, RawWorkflow};
use crate::load::yaml::{Seg, YamlSource};
use crate::model::{
    BodyRef, ConsultationRole, Directory, Due, DueAnchor, DueRule, Escalation, Next, Roles,
    SignMode, SignRule, Signer, Stage, StageKind, Workflow,
};

/// Validates one workflow against the directory.
pub fn workflow(
    id: String,
    raw: RawWorkflow,
    source: &YamlSource,
    directory: Option<&Directory>,
    roles: Option<&Roles>,
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
                let role = role(roles, &consult.role, source, i, &mut out);
                body.zip(role).map(|(body, role)| StageKind::Consult {
                    body,
                    role,
                    public: consult.public,
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

/// The role of a consultation stage by its name; an unknown name is a located error (without
/// the project's roles, as when one file is checked alone, any name is taken as it is).
fn role(
    roles: Option<&Roles>,
    name: &str,
    source: &YamlSource,
    stage: usize,
    out: &mut Vec<Diagnostic>,
) -> Option<ConsultationRole> {
    let Some(roles) = roles else {
        return Some(Roles::default().find(name).unwrap_or(ConsultationRole {
            name: std::borrow::Cow::Owned(name.trim().to_string()),
            effect: crate::model::RoleEffect::Advises,
        }));
    };
    let found = roles.find(name);
    if found.is_none() {
        out.push(unknown(
            source,
            &[key("stages"), idx(stage), key("consult"), key("role")],
            "unbekannte Zuständigkeit (eigene unter „roles:“ in ratsflow.yaml)",
            name,
            roles.names(),
        ));
    }
    found
}
