//! The motion form as data: what a Fraktion fills in (which points of the base paper's
//! proposal, what each Ziffer does to them, the new wording, reasons, signers), read from the
//! posted form fields and cleaned so that every text is plain data.
//!
//! The form has no JavaScript, so every state lives in its fields: the number of Ziffern is
//! the highest `ziffer-N-…` field posted, „Ziffer hinzufügen“ and „Ziffer N entfernen“ are
//! submit buttons (`aktion`) that come back here. Field names double as the ids the error
//! summary links to.

/// The most Ziffern one motion may have.
pub const MAX_ZIFFERN: usize = 40;
/// The longest text of one field, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The longest title, in characters.
pub const MAX_TITLE: usize = 300;

/// What one Ziffer of the motion does to the base paper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Replaces point N with a new wording.
    Replace,
    /// Changes the wording of point N (the old wording is offered for editing).
    Reword,
    /// Deletes point N.
    Delete,
    /// Inserts a new point after point N (0: before the first).
    InsertAfter,
    /// Appends a new last point.
    Append,
    /// Changes Anlage N of the base paper.
    Attachment,
    /// A further request of the Fraktion's own, beside the proposal.
    Request,
}

impl Action {
    /// Every action, in the order the form offers them.
    pub const ALL: [Action; 7] = [
        Action::Replace,
        Action::Reword,
        Action::Delete,
        Action::InsertAfter,
        Action::Append,
        Action::Attachment,
        Action::Request,
    ];

    /// The value in the form.
    pub fn key(self) -> &'static str {
        match self {
            Action::Replace => "ersetzen",
            Action::Reword => "aendern",
            Action::Delete => "streichen",
            Action::InsertAfter => "einfuegen",
            Action::Append => "anfuegen",
            Action::Attachment => "anlage",
            Action::Request => "antrag",
        }
    }

    /// The German label of the choice.
    pub fn label(self) -> &'static str {
        match self {
            Action::Replace => "Punkt durch neuen Wortlaut ersetzen",
            Action::Reword => "Wortlaut eines Punktes ändern",
            Action::Delete => "Punkt streichen",
            Action::InsertAfter => "Neuen Punkt einfügen nach …",
            Action::Append => "Neuen Punkt am Ende anfügen",
            Action::Attachment => "Anlage ändern",
            Action::Request => "Weiterer Antrag (eigene Ziffer neben dem Beschlussvorschlag)",
        }
    }

    /// The action of a form value.
    pub fn parse(value: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.key() == value.trim())
    }

    /// Whether the Ziffer names a point of the proposal.
    pub fn needs_point(self) -> bool {
        matches!(
            self,
            Action::Replace | Action::Reword | Action::Delete | Action::InsertAfter
        )
    }

    /// Whether the Ziffer has a wording of its own.
    pub fn needs_text(self) -> bool {
        self != Action::Delete
    }
}

/// One Ziffer as filled in. Point and Anlage stay text until they are checked. A Ziffer that
/// names a point may name one of its sub-points instead: it then replaces, changes or deletes
/// that sub-point, or inserts a new sub-point after it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ziffer {
    /// The action chosen; `None` when none (or an unknown one) was posted.
    pub action: Option<Action>,
    /// The point of the base proposal (`2`) or a sub-point of it (`2.2`), as posted
    /// (`ziffer-N-punkt`).
    pub point: String,
    /// The Anlage of the base paper, as posted (`ziffer-N-anlage`).
    pub attachment: String,
    /// The wording.
    pub text: String,
}

/// The whole form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The paper whose proposal the motion changes (`zu`: id or reference number).
    pub base: String,
    /// The kind of motion: „Ergänzungsantrag“ or „Änderungsantrag“ (`art`).
    pub kind: String,
    /// The Fraktion (body id) filing the motion.
    pub fraktion: String,
    pub title: String,
    /// Salutation line („Sehr geehrte Damen und Herren,“), optional.
    pub addressee: String,
    pub ziffern: Vec<Ziffer>,
    pub reasons: String,
    /// Members of the Fraktion who sign (person ids); empty: its signatories.
    pub signers: Vec<String>,
}

/// What the submit button asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Show the form again with a preview.
    Preview,
    /// Show the form again with one more Ziffer.
    AddZiffer,
    /// Show the form again without Ziffer N (1-based).
    RemoveZiffer(usize),
}

/// The posted fields of a form: the draft, the intent, the form's id and its CSRF token.
#[derive(Clone, Debug)]
pub struct Posted {
    pub draft: Draft,
    pub intent: Intent,
    /// The form's own id, kept through previews: a second save of it saves nothing new.
    pub entwurf: String,
    pub csrf: String,
}

/// Reads the posted fields. Unknown fields are ignored; repeated single fields keep the first
/// value; texts are cleaned ([`clean_text`], [`clean_line`]).
pub fn parse(pairs: &[(String, String)]) -> Posted {
    let first = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let mut ziffern: Vec<Ziffer> = Vec::new();
    for (key, value) in pairs {
        let Some((n, part)) = ziffer_field(key) else {
            continue;
        };
        if ziffern.len() < n {
            ziffern.resize(n, Ziffer::default());
        }
        let ziffer = &mut ziffern[n - 1];
        match part {
            "art" if ziffer.action.is_none() => ziffer.action = Action::parse(value),
            "punkt" if ziffer.point.is_empty() => ziffer.point = clean_line(value),
            "anlage" if ziffer.attachment.is_empty() => ziffer.attachment = clean_line(value),
            "text" if ziffer.text.is_empty() => ziffer.text = clean_text(value),
            _ => {}
        }
    }
    let mut signers: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "unterzeichner")
        .map(|(_, v)| clean_line(v))
        .filter(|v| !v.is_empty())
        .collect();
    signers.dedup();
    let intent = match first("aktion") {
        "ziffer-hinzufuegen" => Intent::AddZiffer,
        other => other
            .strip_prefix("ziffer-entfernen-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| (1..=MAX_ZIFFERN).contains(n))
            .map_or(Intent::Preview, Intent::RemoveZiffer),
    };
    Posted {
        draft: Draft {
            base: clean_line(first("zu")),
            kind: clean_line(first("art")),
            fraktion: clean_line(first("fraktion")),
            title: clean_line(first("titel")),
            addressee: clean_line(first("anrede")),
            ziffern,
            reasons: clean_text(first("begruendung")),
            signers,
        },
        intent,
        entwurf: first("entwurf").to_string(),
        csrf: first("csrf").to_string(),
    }
}

/// `ziffer-3-text` → (3, "text"), for Ziffern 1 to [`MAX_ZIFFERN`].
fn ziffer_field(key: &str) -> Option<(usize, &str)> {
    let rest = key.strip_prefix("ziffer-")?;
    let (number, part) = rest.split_once('-')?;
    let n: usize = number.parse().ok()?;
    (1..=MAX_ZIFFERN).contains(&n).then_some((n, part))
}

impl Draft {
    /// Applies „Ziffer hinzufügen“ / „Ziffer N entfernen“; a form always keeps one Ziffer.
    pub fn apply(&mut self, intent: Intent) {
        match intent {
            Intent::AddZiffer if self.ziffern.len() < MAX_ZIFFERN => {
                self.ziffern.push(Ziffer::default());
            }
            Intent::RemoveZiffer(n) if n <= self.ziffern.len() => {
                self.ziffern.remove(n - 1);
            }
            _ => {}
        }
        if self.ziffern.is_empty() {
            self.ziffern.push(Ziffer::default());
        }
    }
}

/// A multi-line text as data: line breaks unified to `\n`, every other control character
/// (and the Unicode line and paragraph separators, which YAML might read as breaks) removed
/// or turned into a break, trailing spaces of each line and surrounding blank lines dropped.
pub fn clean_text(text: &str) -> String {
    let unified = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(unified.len());
    for c in unified.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            c if c.is_control() || c == '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim_matches('\n').trim().to_string()
}

/// A one-line text as data: like [`clean_text`], with line breaks turned into spaces.
pub fn clean_line(text: &str) -> String {
    clean_text(text)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn ziffern_come_from_their_numbered_fields_with_gaps_filled() {
        let posted = parse(&pairs(&[
            ("zu", "2026-017"),
            ("titel", "  Sozialarbeit\r\nstärken "),
            ("ziffer-1-art", "ersetzen"),
            ("ziffer-1-punkt", "2"),
            ("ziffer-1-text", "Neuer Text\r\nzweite Zeile  \r\n"),
            ("ziffer-3-art", "antrag"),
            ("ziffer-3-text", "Bericht"),
            ("unterzeichner", "a"),
            ("unterzeichner", "b"),
            ("aktion", "ziffer-hinzufuegen"),
        ]));
        let draft = &posted.draft;
        assert_eq!(draft.title, "Sozialarbeit stärken");
        assert_eq!(draft.ziffern.len(), 3);
        assert_eq!(draft.ziffern[0].action, Some(Action::Replace));
        assert_eq!(draft.ziffern[0].text, "Neuer Text\nzweite Zeile");
        assert_eq!(draft.ziffern[1], Ziffer::default());
        assert_eq!(draft.ziffern[2].action, Some(Action::Request));
        assert_eq!(draft.signers, ["a", "b"]);
        assert_eq!(posted.intent, Intent::AddZiffer);
    }

    #[test]
    fn add_and_remove_buttons_change_the_number_of_ziffern() {
        let mut draft = parse(&pairs(&[("ziffer-1-text", "x"), ("ziffer-2-text", "y")])).draft;
        draft.apply(Intent::AddZiffer);
        assert_eq!(draft.ziffern.len(), 3);
        draft.apply(Intent::RemoveZiffer(1));
        assert_eq!(draft.ziffern[0].text, "y");
        draft.apply(Intent::RemoveZiffer(1));
        draft.apply(Intent::RemoveZiffer(1));
        assert_eq!(draft.ziffern.len(), 1, "one Ziffer always stays");
        let far = parse(&pairs(&[("ziffer-999-text", "x"), ("ziffer-0-text", "y")]));
        assert!(far.draft.ziffern.is_empty());
    }

    #[test]
    fn control_characters_and_separators_never_survive() {
        assert_eq!(clean_text("a\u{7}b\u{1b}[31mc\u{0}"), "ab[31mc");
        assert_eq!(clean_text("a\u{2028}b\rc\u{85}d"), "a\nb\nc\nd");
        assert_eq!(clean_text("\u{feff}\n\n  x\t y  \n\n"), "x  y");
        assert_eq!(clean_line("eins\nzwei\r\n\r\ndrei"), "eins zwei drei");
        assert_eq!(
            clean_text("<script>alert(1)</script>"),
            "<script>alert(1)</script>"
        );
    }
}
