//! `ratsflow new`: starts a paper file of a known kind with the next free reference number of
//! the kind's series; for a motion or a Stellungnahme it links the paper it amends or answers.

use chrono::Datelike;

use super::{Failure, Session};
use crate::atomic;
use crate::cli::NewArgs;
use crate::engine::rules;
use crate::load::Project;
use crate::model::{BodyKind, PaperKind, Relation};

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `ratsflow new KIND --title T [--workflow W] [--amends P] [--answers P] [--by FRAKTION]`.
pub fn run(session: &mut Session, args: &NewArgs) -> Result<(), Failure> {
    let project = session.project()?;
    if args.title.trim().is_empty() {
        return Err(Failure::Input("der Titel darf nicht leer sein".into()));
    }
    let kind = known_kind(project, &args.kind)?;
    let workflow = workflow_for(project, kind, args.workflow.as_deref())?;
    let links = links(session, kind, args)?;
    let today = session.now_local().date_naive();
    let yy = (today.year() % 100) as u32;
    let references = project
        .papers
        .values()
        .filter_map(|p| p.reference.as_deref());
    let number = rules::next_number(references, &kind.series, yy);
    let reference = rules::reference(&kind.series, number, yy);
    let id = format!("{}-{}{number:03}", today.year(), kind.series.to_lowercase());
    let path = project.folders().papers.join(format!("{id}.yaml"));
    let mut text = format!(
        "# {kind_name} {reference}, angelegt mit ratsflow new am {date}.\n\
         kind: {kind}\n\
         workflow: {workflow}\n\
         reference: {reference_q}\n\
         title: {title}\n\
         date: {iso}\n",
        kind_name = kind.name,
        date = today.format("%d.%m.%Y"),
        kind = quoted(&kind.name),
        workflow = quoted(workflow),
        reference_q = quoted(&reference),
        title = quoted(&args.title),
        iso = today.format("%Y-%m-%d"),
    );
    text.push_str(&links);
    text.push_str(body_scaffold(kind));
    atomic::create_new(&path, text.as_bytes()).map_err(|err| {
        Failure::Tool(format!(
            "{} kann nicht angelegt werden: {err}",
            path.display()
        ))
    })?;
    session.say(&format!(
        "{} {reference} angelegt: {}",
        kind.name,
        project.folders().display(&path).display()
    ));
    Ok(())
}

/// The kind of this name, or a refusal with a suggestion.
fn known_kind<'a>(project: &'a Project, name: &str) -> Result<&'a PaperKind, Failure> {
    let kinds = &project.settings.kinds;
    if let Some(kind) = kinds.get(name) {
        return Ok(kind);
    }
    let hint = crate::diagnostic::did_you_mean(name, kinds.names())
        .map(|c| format!("meinten Sie „{c}“?"))
        .unwrap_or_else(|| {
            format!(
                "bekannt sind: {}",
                kinds.names().collect::<Vec<_>>().join(", ")
            )
        });
    Err(Failure::Input(format!(
        "unbekannte Vorlagenart „{}“; {hint}",
        name.trim()
    )))
}

/// The workflow named, or the one all papers of the same kind use.
fn workflow_for<'a>(
    project: &'a Project,
    kind: &PaperKind,
    named: Option<&'a str>,
) -> Result<&'a str, Failure> {
    let known = || project.workflows.keys().map(String::as_str);
    if let Some(name) = named {
        if project.workflows.contains_key(name) {
            return Ok(name);
        }
        let hint = crate::diagnostic::did_you_mean(name, known())
            .map(|c| format!("meinten Sie „{c}“?"))
            .unwrap_or_else(|| format!("vorhanden: {}", known().collect::<Vec<_>>().join(", ")));
        return Err(Failure::Input(format!(
            "unbekannter Ablauf „{name}“; {hint}"
        )));
    }
    let mut used: Vec<&str> = project
        .papers
        .values()
        .filter(|p| p.kind.name == kind.name)
        .map(|p| p.workflow.as_str())
        .collect();
    used.sort_unstable();
    used.dedup();
    match used.as_slice() {
        [only] => Ok(only),
        _ => Err(Failure::Input(format!(
            "welcher Ablauf? --workflow angeben; vorhanden: {}",
            known().collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The `amends`/`answers`/`by`/`body` lines, after checking them against the kind.
fn links(session: &Session, kind: &PaperKind, args: &NewArgs) -> Result<String, Failure> {
    let project = session.project()?;
    let name = &kind.name;
    let mut lines = String::new();
    match (kind.relation, &args.amends, &args.answers) {
        (Relation::Amends, Some(base), None) => {
            let base = session.find_paper(base)?;
            if base.is_amendment() {
                return Err(Failure::Input(format!(
                    "„{}“ ist selbst ein Antrag; ein {name} bezieht sich auf eine Vorlage",
                    base.id
                )));
            }
            lines.push_str(&format!("amends: {}\n", quoted(&base.id)));
            if let Some(body) = rules::deciding_body(project, base) {
                lines.push_str(&format!("body: {}\n", quoted(body)));
            }
        }
        (Relation::Answers, None, Some(other)) => {
            let other = session.find_paper(other)?;
            lines.push_str(&format!("answers: {}\n", quoted(&other.id)));
        }
        (Relation::Amends, None, _) => {
            return Err(Failure::Input(format!(
                "{} braucht --amends DRUCKSACHE: die Vorlage, deren Beschlussvorschlag er ändert",
                kind.with_article(crate::model::Case::Nominative)
            )));
        }
        (Relation::Answers, _, None) => {
            return Err(Failure::Input(format!(
                "{} braucht --answers DRUCKSACHE: die Drucksache, auf die sie antwortet",
                kind.with_article(crate::model::Case::Nominative)
            )));
        }
        (_, Some(_), _) => {
            return Err(Failure::Input(format!(
                "--amends gibt es nur bei Änderungs- und Ergänzungsanträgen, nicht bei „{name}“"
            )));
        }
        (_, _, Some(_)) => {
            return Err(Failure::Input(format!(
                "--answers gibt es nur bei einer Stellungnahme, nicht bei „{name}“"
            )));
        }
        (Relation::None, None, None) => {}
    }
    match (&args.by, kind.is_motion()) {
        (Some(by), true) => {
            let Some(body) = project.directory.body(by) else {
                let known = project
                    .directory
                    .bodies
                    .values()
                    .filter(|b| b.kind == BodyKind::Fraktion)
                    .map(|b| b.id.as_str());
                let hint = crate::diagnostic::did_you_mean(by, known)
                    .map(|c| format!("; meinten Sie „{c}“?"))
                    .unwrap_or_default();
                return Err(Failure::Input(format!("unbekannte Fraktion „{by}“{hint}")));
            };
            if body.kind != BodyKind::Fraktion {
                return Err(Failure::Input(format!(
                    "„{by}“ ist keine Fraktion (kind: fraktion im Verzeichnis)"
                )));
            }
            lines.push_str(&format!("by: {}\n", quoted(by)));
        }
        (None, true) => {
            return Err(Failure::Input(format!(
                "{} {name} stellt eine Fraktion: --by FRAKTION angeben",
                kind.indefinite_article(crate::model::Case::Accusative)
            )));
        }
        (Some(_), false) => {
            return Err(Failure::Input(format!(
                "--by gibt es nur bei Anträgen und Anfragen einer Fraktion, nicht bei „{name}“"
            )));
        }
        (None, false) => {}
    }
    Ok(lines)
}

/// The content part of a new paper, by what the kind is.
fn body_scaffold(kind: &PaperKind) -> &'static str {
    match (kind.relation, kind.is_motion()) {
        (Relation::Amends, _) => {
            "changes:\n  \
             # je Ziffer: replace: N, insert: N, delete: N oder append: Text\n  \
             - replace: 1\n    text: Neuer Wortlaut von Punkt 1 …\n\
             reasons: |\n  Begründung …\n"
        }
        (Relation::Answers, _) => "facts: |\n  Stellungnahme der Verwaltung …\n",
        (Relation::None, true) => {
            "# body: Kennung des Gremiums, an das sich der Antrag richtet\n\
             proposal:\n  - Beschlussvorschlag …\n\
             reasons: |\n  Begründung …\n"
        }
        (Relation::None, false) => {
            "# lead_office: Federführendes Amt\n\
             # author: Kennung der Sachbearbeitung aus workflows/directory.yaml\n\
             meetings: {}\n\
             facts: |\n  Sachverhalt …\n\
             proposal:\n  - Beschlussvorschlag …\n"
        }
    }
}
