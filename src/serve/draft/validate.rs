//! The form's own checks, in the words of the form: every problem names the field it belongs
//! to, so the page shows it beside that field and links to it from the summary at the top.
//!
//! These come first because they speak of „Ziffer 2“ and „Punkt 3“ rather than of YAML keys.
//! What they let through is then checked exactly like `check` does ([`super::build::check`]).

use std::collections::HashMap;

use super::form::{Action, Draft, MAX_TEXT, MAX_TITLE, MAX_ZIFFERN};
use crate::load::Project;
use crate::model::{Body, Paper};

/// One problem of a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The form field (its id) the problem belongs to; `None` for the form as a whole.
    pub field: Option<String>,
    /// German, a whole sentence.
    pub message: String,
    /// A warning does not stop saving.
    pub warning: bool,
}

impl Problem {
    pub fn at(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: Some(field.into()),
            message: message.into(),
            warning: false,
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            field: None,
            message: message.into(),
            warning: false,
        }
    }
}

/// Whether any problem stops saving.
pub fn blocking(problems: &[Problem]) -> bool {
    problems.iter().any(|p| !p.warning)
}

fn length(text: &str) -> usize {
    text.chars().count()
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The point number a Ziffer names, if it is a number.
pub fn point_number(text: &str) -> Option<usize> {
    text.trim().parse().ok()
}

/// Checks the form against the base paper and the Fraktionen the drafter may act for.
pub fn check_form(
    project: &Project,
    base: &Paper,
    fraktionen: &[&Body],
    draft: &Draft,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let kind_ok = project
        .settings
        .kinds
        .get(&draft.kind)
        .is_some_and(|k| k.amends() && k.is_motion());
    if !kind_ok {
        problems.push(Problem::at(
            "art",
            "Bitte wählen Sie, ob Sie einen Änderungs- oder einen Ergänzungsantrag stellen.",
        ));
    }
    let fraktion = fraktionen.iter().find(|b| b.id == draft.fraktion);
    if fraktion.is_none() {
        problems.push(Problem::at(
            "fraktion",
            "Bitte wählen Sie die Fraktion, die den Antrag stellt.",
        ));
    }
    if draft.title.is_empty() {
        problems.push(Problem::at(
            "titel",
            "Bitte geben Sie den Titel des Antrags an.",
        ));
    } else if length(&draft.title) > MAX_TITLE {
        problems.push(Problem::at(
            "titel",
            format!(
                "Der Titel ist zu lang: {} Zeichen, erlaubt sind höchstens {MAX_TITLE}.",
                thousands(length(&draft.title))
            ),
        ));
    }
    if length(&draft.addressee) > MAX_TITLE {
        problems.push(Problem::at(
            "anrede",
            format!("Die Anrede ist zu lang: erlaubt sind höchstens {MAX_TITLE} Zeichen."),
        ));
    }
    check_ziffern(base, draft, &mut problems);
    if draft.reasons.is_empty() {
        problems.push(Problem::at(
            "begruendung",
            "Bitte begründen Sie den Antrag.",
        ));
    } else if length(&draft.reasons) > MAX_TEXT {
        problems.push(Problem::at(
            "begruendung",
            format!(
                "Die Begründung ist zu lang: {} Zeichen, erlaubt sind höchstens {}.",
                thousands(length(&draft.reasons)),
                thousands(MAX_TEXT)
            ),
        ));
    }
    if let Some(fraktion) = fraktion {
        let allowed = super::scope::signer_choices(project, fraktion);
        for signer in &draft.signers {
            if !allowed.iter().any(|(id, _)| id == signer) {
                let name = project.directory.person_name(signer);
                problems.push(Problem::at(
                    "unterzeichner",
                    format!(
                        "„{name}“ gehört nicht zur {} und kann den Antrag nicht unterzeichnen.",
                        fraktion.name
                    ),
                ));
            }
        }
    }
    problems
}

fn check_ziffern(base: &Paper, draft: &Draft, problems: &mut Vec<Problem>) {
    let len = base.proposal.len();
    let reference = base.reference();
    if draft.ziffern.len() > MAX_ZIFFERN {
        problems.push(Problem::at(
            "ziffer-1-art",
            format!("Ein Antrag hat höchstens {MAX_ZIFFERN} Ziffern."),
        ));
    }
    if draft.ziffern.is_empty() {
        problems.push(Problem::at(
            "ziffer-1-art",
            "Der Antrag braucht mindestens eine Ziffer.",
        ));
    }
    // Which Ziffer first replaces, changes or deletes a point.
    let mut touched: HashMap<usize, usize> = HashMap::new();
    for (i, ziffer) in draft.ziffern.iter().enumerate() {
        let n = i + 1;
        let field = |part: &str| format!("ziffer-{n}-{part}");
        let Some(action) = ziffer.action else {
            problems.push(Problem::at(
                field("art"),
                format!("Bitte wählen Sie, was Ziffer {n} bewirkt."),
            ));
            continue;
        };
        let mut point = None;
        if action.needs_point() {
            let lowest = usize::from(action != Action::InsertAfter);
            match point_number(&ziffer.point) {
                _ if len == 0 && action != Action::InsertAfter => problems.push(Problem::at(
                    field("punkt"),
                    format!(
                        "Der Beschlussvorschlag der Vorlage {reference} hat keine Punkte; wählen Sie für Ziffer {n} „Neuen Punkt am Ende anfügen“ oder „Weiterer Antrag“."
                    ),
                )),
                None => problems.push(Problem::at(
                    field("punkt"),
                    match action {
                        Action::InsertAfter => format!(
                            "Bitte wählen Sie, nach welchem Punkt Ziffer {n} den neuen Punkt einfügt."
                        ),
                        Action::Replace => format!(
                            "Bitte wählen Sie den Punkt des Beschlussvorschlags, den Ziffer {n} ersetzt."
                        ),
                        Action::Reword => format!(
                            "Bitte wählen Sie den Punkt des Beschlussvorschlags, dessen Wortlaut Ziffer {n} ändert."
                        ),
                        _ => format!(
                            "Bitte wählen Sie den Punkt des Beschlussvorschlags, den Ziffer {n} streicht."
                        ),
                    },
                )),
                Some(p) if p < lowest || p > len => problems.push(Problem::at(
                    field("punkt"),
                    format!(
                        "Die Vorlage {reference} hat keinen Punkt {p}; ihr Beschlussvorschlag hat die Punkte 1 bis {len}."
                    ),
                )),
                Some(p) => point = Some(p),
            }
        }
        if action == Action::Attachment {
            let count = base.attachments.len();
            match point_number(&ziffer.attachment) {
                _ if count == 0 => problems.push(Problem::at(
                    field("anlage"),
                    format!(
                        "Die Vorlage {reference} hat keine Anlagen, die Ziffer {n} ändern könnte."
                    ),
                )),
                Some(a) if (1..=count).contains(&a) => {}
                _ => problems.push(Problem::at(
                    field("anlage"),
                    format!("Bitte wählen Sie die Anlage, die Ziffer {n} ändert."),
                )),
            }
        }
        if action.needs_text() && ziffer.text.is_empty() {
            problems.push(Problem::at(
                field("text"),
                format!("Bitte geben Sie den Wortlaut von Ziffer {n} ein."),
            ));
        } else if !action.needs_text() && !ziffer.text.is_empty() {
            problems.push(Problem::at(
                field("text"),
                format!(
                    "Ziffer {n} streicht einen Punkt und hat keinen eigenen Wortlaut; bitte leeren Sie das Textfeld oder wählen Sie eine andere Art."
                ),
            ));
        } else if length(&ziffer.text) > MAX_TEXT {
            problems.push(Problem::at(
                field("text"),
                format!(
                    "Der Wortlaut von Ziffer {n} ist zu lang: {} Zeichen, erlaubt sind höchstens {}.",
                    thousands(length(&ziffer.text)),
                    thousands(MAX_TEXT)
                ),
            ));
        }
        if let Some(p) = point {
            if action == Action::Reword
                && base.proposal.get(p - 1).map(|t| t.trim()) == Some(ziffer.text.as_str())
            {
                problems.push(Problem::at(
                    field("text"),
                    format!(
                        "Ziffer {n} lässt den Wortlaut von Punkt {p} unverändert; bitte ändern Sie den Text."
                    ),
                ));
            }
            if action != Action::InsertAfter {
                if let Some(earlier) = touched.get(&p) {
                    problems.push(Problem::at(
                        field("punkt"),
                        format!(
                            "Punkt {p} wird schon in Ziffer {earlier} geändert oder gestrichen; fassen Sie beides in einer Ziffer zusammen."
                        ),
                    ));
                } else {
                    touched.insert(p, n);
                }
            }
        }
    }
}
