//! `ratsflow init`: scaffolds a project that passes `ratsflow check` at once: settings,
//! directory, a workflow, an example paper, the default Word and mail templates.

use std::path::Path;

use super::{Failure, Ui};
use crate::atomic;
use crate::engine::notices::NoticeKind;
use crate::mail::compose;
use crate::project::SETTINGS_FILE;

/// The files of a new project, relative to its root.
const FILES: &[(&str, &str)] = &[
    (SETTINGS_FILE, include_str!("../scaffold/ratsflow.yaml")),
    (
        "workflows/directory.yaml",
        include_str!("../scaffold/directory.yaml"),
    ),
    (
        "workflows/gemeinderat.yaml",
        include_str!("../scaffold/workflow.yaml"),
    ),
    (
        "papers/2026-001.yaml",
        include_str!("../scaffold/paper.yaml"),
    ),
    ("state/.keep", ""),
];

/// Creates the project in `dir`; never overwrites an existing file.
pub fn run(dir: &Path, ui: &Ui) -> Result<(), Failure> {
    if dir.join(SETTINGS_FILE).exists() {
        return Err(Failure::Input(format!(
            "in {} gibt es schon ein Projekt ({SETTINGS_FILE}); es wird nichts überschrieben",
            dir.display()
        )));
    }
    let templates = crate::default_templates::NAMES
        .iter()
        .map(|name| format!("templates/{name}"));
    let mail = NoticeKind::ALL
        .iter()
        .map(|kind| format!("templates/mail/{}.txt", kind.word()));
    let all: Vec<String> = FILES
        .iter()
        .map(|(p, _)| p.to_string())
        .chain(templates)
        .chain(mail)
        .collect();
    for path in &all {
        let target = dir.join(path);
        if target.exists() {
            return Err(Failure::Input(format!(
                "{} gibt es schon; es wird nichts überschrieben",
                target.display()
            )));
        }
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        atomic::create_new(&target, text.as_bytes()).map_err(|err| {
            Failure::Tool(format!(
                "{} kann nicht angelegt werden: {err}",
                target.display()
            ))
        })?;
    }
    let templates = dir.join("templates");
    crate::default_templates::write_all(&templates).map_err(|err| {
        Failure::Tool(format!(
            "{} kann nicht angelegt werden: {err}",
            templates.display()
        ))
    })?;
    for kind in NoticeKind::ALL {
        let target = templates.join("mail").join(format!("{}.txt", kind.word()));
        atomic::create_new(&target, compose::default_template(kind).as_bytes()).map_err(|err| {
            Failure::Tool(format!(
                "{} kann nicht angelegt werden: {err}",
                target.display()
            ))
        })?;
    }
    if !ui.quiet {
        println!(
            "Projekt angelegt in {}. Weiter mit: ratsflow --project {} check",
            dir.display(),
            dir.display()
        );
    }
    Ok(())
}
