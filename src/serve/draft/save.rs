//! Checking a whole draft and saving it as a new paper file: never over an existing file.
//!
//! [`prepare`] runs the form's checks, then writes the paper text with the next free number
//! and checks it like `check`. [`save`] writes it with create-new semantics
//! ([`crate::atomic::create_new`]: a temporary file linked into place only if the name is
//! free, so two saves at the same moment — two browsers, or `ratsflow new` — never overwrite
//! each other): a taken number moves on to the next one. From there the watcher takes the
//! file like any other: the Fraktion's signatures, then the submission.

use chrono::NaiveDate;

use super::build::{self, Frame, Numbered};
use super::form::Draft;
use super::scope::{self, Drafter};
use super::validate::{self, Problem};
use super::yaml::Emitted;
use crate::load::Project;
use crate::model::Paper;

/// A draft checked in full: its number, its file text, the paper when valid, every problem.
#[derive(Debug)]
pub struct Checked {
    pub numbered: Option<Numbered>,
    pub emitted: Option<Emitted>,
    pub paper: Option<Paper>,
    pub problems: Vec<Problem>,
}

/// Checks `draft` against `base` for `drafter`: the form, then the file with `number` (or the
/// next free one) exactly like `check`.
pub fn prepare(
    project: &Project,
    drafter: &Drafter,
    base: &Paper,
    draft: &Draft,
    today: NaiveDate,
    number: Option<u32>,
) -> Checked {
    let fraktionen = scope::fraktionen(project, drafter, base);
    let mut problems = validate::check_form(project, base, &fraktionen, draft);
    let mut checked = Checked {
        numbered: None,
        emitted: None,
        paper: None,
        problems: Vec::new(),
    };
    let kind = project.settings.kinds.get(&draft.kind);
    let (false, Some(kind)) = (validate::blocking(&problems), kind) else {
        checked.problems = problems;
        return checked;
    };
    let workflow = match scope::workflow_for(project, kind) {
        Ok(workflow) => workflow,
        Err(message) => {
            problems.push(Problem::general(message));
            checked.problems = problems;
            return checked;
        }
    };
    let number = number.unwrap_or_else(|| build::next_number(project, kind, today));
    let numbered = build::numbered(kind, today, number);
    let frame = Frame {
        kind,
        workflow: &workflow,
        numbered: &numbered,
        today,
        base,
        body: crate::engine::rules::deciding_body(project, base),
        drafter,
    };
    let emitted = build::emit(draft, &frame);
    if !build::reads_back(draft, &emitted) {
        problems.push(Problem::general(
            "Der Antrag kann so nicht gespeichert werden: ein Text würde nicht genau so gespeichert, wie er eingegeben wurde. Bitte wenden Sie sich an die Geschäftsstelle.",
        ));
    } else {
        let (paper, more) = build::check(project, &numbered, &emitted);
        problems.extend(more);
        checked.paper = paper;
    }
    checked.numbered = Some(numbered);
    checked.emitted = Some(emitted);
    checked.problems = problems;
    checked
}

/// A saved motion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saved {
    pub id: String,
    pub reference: String,
    /// `papers/<id>.yaml`, as the project shows it.
    pub file: String,
    pub title: String,
}

/// Why nothing was saved.
#[derive(Debug)]
pub enum SaveError {
    /// The draft has problems; they go beside the fields.
    Invalid(Vec<Problem>),
    /// The file could not be written (German, for the log and a 500 page).
    Io(String),
}

/// How many taken numbers a save skips before it gives up.
const ATTEMPTS: u32 = 50;

/// Checks and saves `draft` as a new paper file with the next free number.
pub fn save(
    project: &Project,
    drafter: &Drafter,
    base: &Paper,
    draft: &Draft,
    today: NaiveDate,
) -> Result<Saved, SaveError> {
    let kind = project.settings.kinds.get(&draft.kind);
    let mut number = kind.map(|k| build::next_number(project, k, today));
    for _ in 0..ATTEMPTS {
        let checked = prepare(project, drafter, base, draft, today, number);
        if validate::blocking(&checked.problems) {
            return Err(SaveError::Invalid(checked.problems));
        }
        let (Some(numbered), Some(emitted)) = (checked.numbered, checked.emitted) else {
            return Err(SaveError::Invalid(checked.problems));
        };
        let papers = &project.folders().papers;
        let path = papers.join(format!("{}.yaml", numbered.id));
        if papers.join(format!("{}.yml", numbered.id)).exists() {
            number = Some(numbered.number + 1);
            continue;
        }
        match crate::atomic::create_new(&path, emitted.text.as_bytes()) {
            Ok(()) => {
                return Ok(Saved {
                    file: build::shown_path(project, &numbered.id)
                        .display()
                        .to_string(),
                    id: numbered.id,
                    reference: numbered.reference,
                    title: draft.title.clone(),
                });
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                number = Some(numbered.number + 1);
            }
            Err(err) => {
                return Err(SaveError::Io(format!(
                    "{} kann nicht angelegt werden: {err}",
                    path.display()
                )));
            }
        }
    }
    Err(SaveError::Io(format!(
        "keine freie Nummer nach {ATTEMPTS} Versuchen in {}",
        project.folders().papers.display()
    )))
}
