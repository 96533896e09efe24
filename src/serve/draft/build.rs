//! From a checked form to the motion's paper file, checked like `check` checks it.
//!
//! The number comes from the rule `ratsflow new` uses ([`rules::next_number`] over the kind's
//! series, file `<year>-<series><nnn>.yaml`), counting also the files already in `papers/`
//! that the loaded project does not know yet (one saved a moment ago). The text is then
//! validated against the loaded project with the file in place
//! ([`crate::load::candidate::check_paper_text`]), and each problem is put beside the form
//! field its line came from.

use chrono::{Datelike, NaiveDate};

use super::form::{Action, Draft};
use super::scope::Drafter;
use super::validate::{PointRef, Problem, point_number};
use super::yaml::{self, Emitted, quoted, scalar};
use crate::diagnostic::Diagnostic;
use crate::engine::rules;
use crate::load::Project;
use crate::model::{Paper, PaperKind};

/// A motion's number: its file id and its reference number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbered {
    pub id: String,
    pub reference: String,
    pub number: u32,
}

/// The number `n` of `kind`'s series in the year of `today`.
pub fn numbered(kind: &PaperKind, today: NaiveDate, number: u32) -> Numbered {
    let yy = (today.year() % 100) as u32;
    Numbered {
        id: format!("{}-{}{number:03}", today.year(), kind.series.to_lowercase()),
        reference: rules::reference(&kind.series, number, yy),
        number,
    }
}

/// The next free number of `kind`'s series: after every reference the project knows and
/// every file of the series already in `papers/`.
pub fn next_number(project: &Project, kind: &PaperKind, today: NaiveDate) -> u32 {
    let yy = (today.year() % 100) as u32;
    let references = project
        .papers
        .values()
        .filter_map(|p| p.reference.as_deref());
    let known = rules::next_number(references, &kind.series, yy);
    let prefix = format!("{}-{}", today.year(), kind.series.to_lowercase());
    let on_disk = std::fs::read_dir(&project.folders().papers)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let stem = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))?;
            let digits = stem.strip_prefix(&prefix)?;
            (digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<u32>().ok())
                .flatten()
        })
        .max()
        .map_or(1, |n| n + 1);
    known.max(on_disk)
}

/// What the paper file says besides the form: kind, workflow, number, date, base and body.
pub struct Frame<'a> {
    pub kind: &'a PaperKind,
    pub workflow: &'a str,
    pub numbered: &'a Numbered,
    pub today: NaiveDate,
    pub base: &'a Paper,
    /// The body that decides the base paper, to which the motion is addressed.
    pub body: Option<&'a str>,
    pub drafter: &'a Drafter,
}

/// The wording of each Ziffer as it will read back (`None` for a deletion).
fn wordings(draft: &Draft) -> Vec<Option<&str>> {
    draft
        .ziffern
        .iter()
        .map(|z| match z.action {
            Some(Action::Delete) => None,
            _ => Some(z.text.as_str()),
        })
        .collect()
}

/// The paper file of a draft that passed [`super::validate::check_form`].
pub fn emit(draft: &Draft, frame: &Frame<'_>) -> Emitted {
    let mut out = Emitted::default();
    let comment: String = format!(
        "# {} {}, im Browser entworfen von {} am {}.",
        frame.kind.name,
        frame.numbered.reference,
        frame.drafter.name,
        frame.today.format("%d.%m.%Y")
    )
    .chars()
    .map(|c| {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            ' '
        } else {
            c
        }
    })
    .collect();
    out.push(None, &comment);
    out.push(Some("art"), &format!("kind: {}", quoted(&frame.kind.name)));
    out.push(None, &format!("workflow: {}", quoted(frame.workflow)));
    out.push(
        None,
        &format!("reference: {}", quoted(&frame.numbered.reference)),
    );
    out.push(
        Some("titel"),
        &format!("title: {}", scalar(&draft.title, 0)),
    );
    out.push(None, &format!("date: {}", frame.today.format("%Y-%m-%d")));
    out.push(None, &format!("amends: {}", quoted(&frame.base.id)));
    if let Some(body) = frame.body {
        out.push(None, &format!("body: {}", quoted(body)));
    }
    out.push(
        Some("fraktion"),
        &format!("by: {}", quoted(&draft.fraktion)),
    );
    if !draft.signers.is_empty() {
        out.push(Some("unterzeichner"), "signers:");
        for signer in &draft.signers {
            out.push(Some("unterzeichner"), &format!("  - {}", quoted(signer)));
        }
    }
    if !draft.addressee.is_empty() {
        out.push(
            Some("anrede"),
            &format!("addressee: {}", scalar(&draft.addressee, 0)),
        );
    }
    out.push(None, "changes:");
    for (i, ziffer) in draft.ziffern.iter().enumerate() {
        let n = i + 1;
        let field = |part: &str| format!("ziffer-{n}-{part}");
        let at = PointRef::parse(&ziffer.point).unwrap_or(PointRef {
            point: 0,
            sub: None,
        });
        // A sub-point always quoted: YAML would read `2.10` as the number 2.1.
        let place = match at.sub {
            Some(sub) => format!("\"{}.{sub}\"", at.point),
            None => at.point.to_string(),
        };
        let text_line = || format!("    text: {}", scalar(&ziffer.text, 4));
        match ziffer.action {
            Some(Action::Replace | Action::Reword) => {
                out.push(Some(&field("punkt")), &format!("  - replace: {place}"));
                out.push(Some(&field("text")), &text_line());
            }
            Some(Action::InsertAfter) => {
                // After point P: new point P+1; after sub-point P.S: new sub-point P.(S+1).
                let after = match at.sub {
                    Some(sub) => format!("\"{}.{}\"", at.point, sub + 1),
                    None => (at.point + 1).to_string(),
                };
                out.push(Some(&field("punkt")), &format!("  - insert: {after}"));
                out.push(Some(&field("text")), &text_line());
            }
            Some(Action::Delete) => {
                out.push(Some(&field("punkt")), &format!("  - delete: {place}"));
            }
            Some(Action::Append) => out.push(
                Some(&field("text")),
                &format!("  - append: {}", scalar(&ziffer.text, 4)),
            ),
            Some(Action::Attachment) => {
                let attachment = point_number(&ziffer.attachment).unwrap_or(0);
                out.push(
                    Some(&field("anlage")),
                    &format!("  - attachment: {attachment}"),
                );
                out.push(Some(&field("text")), &text_line());
            }
            Some(Action::Request) | None => out.push(
                Some(&field("text")),
                &format!("  - request: {}", scalar(&ziffer.text, 4)),
            ),
        }
    }
    out.push(
        Some("begruendung"),
        &format!("reasons: {}", scalar(&draft.reasons, 0)),
    );
    out
}

/// Whether the texts of `emitted` read back exactly as the form had them.
pub fn reads_back(draft: &Draft, emitted: &Emitted) -> bool {
    yaml::round_trip(
        &emitted.text,
        &draft.title,
        Some(draft.addressee.as_str()).filter(|a| !a.is_empty()),
        Some(draft.reasons.as_str()),
        &wordings(draft),
    )
}

/// The path of the motion's file as the project shows it: `papers/<id>.yaml`.
pub fn shown_path(project: &Project, id: &str) -> std::path::PathBuf {
    let folders = project.folders();
    folders
        .display(&folders.papers.join(format!("{id}.yaml")))
        .to_path_buf()
}

/// Validates `emitted` as the paper `numbered.id` exactly like `check` (with the file in
/// place), and each problem beside the form field of its line. The paper, when valid.
pub fn check(
    project: &Project,
    numbered: &Numbered,
    emitted: &Emitted,
) -> (Option<Paper>, Vec<Problem>) {
    let shown = shown_path(project, &numbered.id);
    let (paper, diagnostics) =
        crate::load::candidate::check_paper_text(project, &numbered.id, &shown, &emitted.text);
    let problems = diagnostics.iter().map(|d| located(d, emitted)).collect();
    (paper, problems)
}

/// A diagnostic as a problem of the form: capitalised, with its hint, file, line and column.
fn located(diagnostic: &Diagnostic, emitted: &Emitted) -> Problem {
    let mut message = capitalised(&diagnostic.message);
    if let Some(hint) = &diagnostic.hint {
        message.push_str(&format!(" ({hint})"));
    }
    let place = match diagnostic.location {
        Some(at) => format!(
            "{}, Zeile {}, Spalte {}",
            diagnostic.file.display(),
            at.line,
            at.column
        ),
        None => diagnostic.file.display().to_string(),
    };
    message.push_str(&format!(" – {place}"));
    if !message.ends_with(['.', '?', '!']) {
        message.push('.');
    }
    Problem {
        field: diagnostic
            .location
            .and_then(|at| emitted.field_at(at.line))
            .map(str::to_string),
        message,
        warning: !diagnostic.is_error(),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
