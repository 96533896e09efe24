//! The form's own checks, in the words of the form: every problem names the field it belongs
//! to, so the page shows it beside that field and links to it from the summary at the top.
//!
//! These come first because they speak of „Ziffer 2“ and „Punkt 3“ rather than of YAML keys.
//! What they let through is then checked exactly like `check` does ([`super::build::check`]).

use super::form::{Action, Draft, MAX_TEXT, MAX_TITLE, MAX_ZIFFERN};
use crate::load::Project;
use crate::model::{Body, NumberStyle, Paper};

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

/// The Anlage (or point) number a field names, if it is a number.
pub fn point_number(text: &str) -> Option<usize> {
    text.trim().parse().ok()
}

/// The place in the base proposal a Ziffer's point field names: a point (`2`), or one
/// sub-point of it (`2.2`: point 2, its second sub-point).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointRef {
    /// The point, 1-based (0: before the first, when inserting).
    pub point: usize,
    /// The sub-point of `point`, 1-based.
    pub sub: Option<usize>,
}

impl PointRef {
    /// `2` or `2.2`, digits only; `None` for anything else.
    pub fn parse(text: &str) -> Option<PointRef> {
        let number = |s: &str| -> Option<usize> {
            if s.is_empty() || s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        let text = text.trim();
        match text.split_once('.') {
            None => Some(PointRef {
                point: number(text)?,
                sub: None,
            }),
            Some((point, sub)) => Some(PointRef {
                point: number(point)?,
                sub: Some(number(sub)?),
            }),
        }
    }

    /// „2“ or „2 b)“, the sub-point's label in the base proposal's numbering `style`.
    pub fn shown(self, style: NumberStyle) -> String {
        match self.sub {
            Some(sub) => format!("{} {}", self.point, sub_label(style, sub)),
            None => self.point.to_string(),
        }
    }
}

/// The label of sub-point `sub` („b)“); a number for 0, which no list prints.
fn sub_label(style: NumberStyle, sub: usize) -> String {
    if sub == 0 {
        "0".to_string()
    } else {
        style.label(1, sub)
    }
}

/// Where a Ziffer acts in the base proposal, to find two Ziffern acting on one place (as
/// `check` does within one motion).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// A whole point replaced, changed or deleted.
    Whole(usize),
    /// One sub-point replaced, changed or deleted.
    Sub(usize, usize),
    /// A new sub-point inserted into a point (its other sub-points stay).
    Into(usize),
}

impl Place {
    /// `None` for a new point inserted after a whole point: it changes no existing point.
    fn of(action: Action, at: PointRef) -> Option<Place> {
        match (action, at.sub) {
            (Action::InsertAfter, None) => None,
            (Action::InsertAfter, Some(_)) => Some(Place::Into(at.point)),
            (_, None) => Some(Place::Whole(at.point)),
            (_, Some(s)) => Some(Place::Sub(at.point, s)),
        }
    }

    fn point(self) -> usize {
        match self {
            Place::Whole(n) | Place::Sub(n, _) | Place::Into(n) => n,
        }
    }

    fn overlaps(self, other: Place) -> bool {
        self.point() == other.point()
            && match (self, other) {
                (Place::Whole(_), _) | (_, Place::Whole(_)) => true,
                (Place::Sub(_, a), Place::Sub(_, b)) => a == b,
                _ => false,
            }
    }

    /// Of two overlapping places, as the message names them: the whole point if either is,
    /// else the sub-point.
    fn shown(self, other: Place, style: NumberStyle) -> String {
        match (self, other) {
            (Place::Sub(n, s), Place::Sub(..)) => PointRef {
                point: n,
                sub: Some(s),
            }
            .shown(style),
            _ => self.point().to_string(),
        }
    }
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
    // The places Ziffern act on so far, with the Ziffer that acts there.
    let mut touched: Vec<(Place, usize)> = Vec::new();
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
            match PointRef::parse(&ziffer.point) {
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
                Some(at) if at.point > len || at.point < lowest.max(usize::from(at.sub.is_some())) => {
                    problems.push(Problem::at(
                        field("punkt"),
                        format!(
                            "Die Vorlage {reference} hat keinen Punkt {}; ihr Beschlussvorschlag hat die Punkte 1 bis {len}.",
                            at.point
                        ),
                    ))
                }
                Some(at) => match at.sub {
                    None => point = Some(at),
                    Some(sub) => {
                        let count = at
                            .point
                            .checked_sub(1)
                            .and_then(|i| base.proposal_points.get(i))
                            .map_or(0, |p| p.points.len());
                        let style = base.numbering;
                        let p = at.point;
                        if count == 0 {
                            problems.push(Problem::at(
                                field("punkt"),
                                format!("Punkt {p} hat keine Unterpunkte."),
                            ));
                        } else if sub == 0 || sub > count {
                            let has = if count == 1 {
                                format!("er hat nur den Unterpunkt {}", sub_label(style, 1))
                            } else {
                                format!(
                                    "er hat die Unterpunkte {} bis {}",
                                    sub_label(style, 1),
                                    sub_label(style, count)
                                )
                            };
                            problems.push(Problem::at(
                                field("punkt"),
                                format!(
                                    "Punkt {p} hat keinen Unterpunkt {}; {has}.",
                                    sub_label(style, sub)
                                ),
                            ));
                        } else {
                            point = Some(at);
                        }
                    }
                },
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
        if let Some(at) = point {
            let old = match at.sub {
                None => at
                    .point
                    .checked_sub(1)
                    .and_then(|i| base.proposal.get(i))
                    .map(String::as_str),
                Some(sub) => at
                    .point
                    .checked_sub(1)
                    .and_then(|i| base.proposal_points.get(i))
                    .and_then(|p| p.points.get(sub.checked_sub(1)?))
                    .map(|p| p.text.as_str()),
            };
            if action == Action::Reword && old.map(str::trim) == Some(ziffer.text.as_str()) {
                problems.push(Problem::at(
                    field("text"),
                    format!(
                        "Ziffer {n} lässt den Wortlaut von Punkt {} unverändert; bitte ändern Sie den Text.",
                        at.shown(base.numbering)
                    ),
                ));
            }
            if let Some(place) = Place::of(action, at) {
                if let Some((earlier, earlier_n)) =
                    touched.iter().find(|(other, _)| other.overlaps(place))
                {
                    problems.push(Problem::at(
                        field("punkt"),
                        format!(
                            "Punkt {} wird schon in Ziffer {earlier_n} geändert oder gestrichen; fassen Sie beides in einer Ziffer zusammen.",
                            earlier.shown(place, base.numbering)
                        ),
                    ));
                } else {
                    touched.push((place, n));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_fields_name_a_point_or_one_of_its_sub_points() {
        let at = |point, sub| Some(PointRef { point, sub });
        assert_eq!(PointRef::parse(" 2 "), at(2, None));
        assert_eq!(PointRef::parse("0"), at(0, None));
        assert_eq!(PointRef::parse("3.2"), at(3, Some(2)));
        for bad in ["", "x", "3.", ".2", "3.b", "3.2.1", "+2", "-1", "1234567"] {
            assert_eq!(PointRef::parse(bad), None, "{bad}");
        }
        let b = PointRef {
            point: 3,
            sub: Some(2),
        };
        assert_eq!(b.shown(NumberStyle::Arabic), "3 b)");
        assert_eq!(b.shown(NumberStyle::Letter), "3 bb)");
    }
}
