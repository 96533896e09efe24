//! Ids and reference numbers that are safe to use as file names, in mails and on a terminal.
//!
//! A paper's id is its file stem and names its journal (`state/<id>.jsonl`) and its documents;
//! workflow, person, body and organisation ids appear in commands, messages and the journal.
//! An id of 250 characters makes the journal's name too long for the file system, a `/` or a
//! leading dot makes it point elsewhere, and a control character can steer the terminal that
//! shows it. So ids are short and made of letters (umlauts included), digits, `-`, `_` and
//! `.`, not starting with a dot; a reference number (`042/19`) is what people write and only
//! limited in length and free of control characters.

/// The longest id, in characters.
pub const MAX_ID: usize = 100;

/// The longest reference number, in characters.
pub const MAX_REFERENCE: usize = 40;

/// Why `id` cannot be an id (German, to follow „die Kennung …“), or `None`.
pub fn id_problem(id: &str) -> Option<String> {
    let length = id.chars().count();
    if id.is_empty() {
        return Some("ist leer".into());
    }
    if length > MAX_ID {
        return Some(format!(
            "ist zu lang ({length} Zeichen); erlaubt sind höchstens {MAX_ID}"
        ));
    }
    if id.starts_with('.') {
        return Some("beginnt mit einem Punkt".into());
    }
    let bad = id
        .chars()
        .find(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))?;
    Some(format!("enthält {}", describe(bad)))
}

/// Why `reference` cannot be a reference number (German, to follow „die Drucksachen-Nummer …“),
/// or `None`.
pub fn reference_problem(reference: &str) -> Option<String> {
    let length = reference.chars().count();
    if length > MAX_REFERENCE {
        return Some(format!(
            "ist zu lang ({length} Zeichen); erlaubt sind höchstens {MAX_REFERENCE}"
        ));
    }
    let bad = reference
        .chars()
        .find(|&c| crate::sanitize::is_dangerous(c))?;
    Some(format!("enthält {}", describe(bad)))
}

/// The hint that goes with an [`id_problem`].
pub const ID_HINT: &str = "erlaubt sind Buchstaben (auch Umlaute), Ziffern, „-“, „_“ und „.“ (nicht am Anfang), höchstens 100 Zeichen";

/// A character named so that it can be printed: „das Zeichen „/““, „ein Steuerzeichen (U+001B)“.
fn describe(c: char) -> String {
    if crate::sanitize::is_dangerous(c) {
        format!("ein Steuerzeichen (U+{:04X})", u32::from(c))
    } else if c == ' ' {
        "ein Leerzeichen".into()
    } else {
        format!("das Zeichen „{c}“")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_ids_pass() {
        for id in [
            "2019-042",
            "2019-042-1",
            "fb-soziales",
            "Straßenbäume_2.0",
            "ÄÖÜ",
        ] {
            assert_eq!(id_problem(id), None, "{id}");
        }
    }

    #[test]
    fn unsafe_ids_are_named() {
        assert_eq!(id_problem("").as_deref(), Some("ist leer"));
        assert_eq!(
            id_problem(&"a".repeat(101)).as_deref(),
            Some("ist zu lang (101 Zeichen); erlaubt sind höchstens 100")
        );
        assert_eq!(id_problem(&"ä".repeat(100)), None);
        assert_eq!(
            id_problem(".versteckt").as_deref(),
            Some("beginnt mit einem Punkt")
        );
        assert_eq!(
            id_problem("a/b").as_deref(),
            Some("enthält das Zeichen „/“")
        );
        assert_eq!(
            id_problem("a\u{1b}[2J").as_deref(),
            Some("enthält ein Steuerzeichen (U+001B)")
        );
        assert_eq!(
            id_problem("a\u{202e}b").as_deref(),
            Some("enthält ein Steuerzeichen (U+202E)")
        );
        assert_eq!(
            id_problem("a b").as_deref(),
            Some("enthält ein Leerzeichen")
        );
    }

    #[test]
    fn references_are_free_text_but_short_and_printable() {
        assert_eq!(reference_problem("042/19"), None);
        assert_eq!(reference_problem("VO/2026/0815 (neu)"), None);
        assert_eq!(
            reference_problem(&"1".repeat(41)).as_deref(),
            Some("ist zu lang (41 Zeichen); erlaubt sind höchstens 40")
        );
        assert_eq!(
            reference_problem("042\u{7}/19").as_deref(),
            Some("enthält ein Steuerzeichen (U+0007)")
        );
    }
}
