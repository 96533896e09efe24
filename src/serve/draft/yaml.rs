//! The motion as a paper file: YAML text written so that whatever a form held stays data.
//!
//! Every text is a double-quoted scalar with everything outside plain printable characters
//! escaped, or — for readable multi-line reasons and wordings — a literal block when the text
//! fits one without doubt. `<script>`, `: `, `# `, `- `, quotes, `{{`, control characters and
//! line breaks can never become YAML structure. [`emit`] also records which form field each
//! line belongs to, so a problem `check` finds at a line is shown beside that field, and
//! [`round_trip`] proves on every draft that the texts read back exactly as written.

use serde::Deserialize;

/// A written paper file and, per line (index 0 = line 1), the form field it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Emitted {
    pub text: String,
    pub fields: Vec<Option<String>>,
}

impl Emitted {
    /// Appends `line` (which may span several physical lines), belonging to `field`.
    pub fn push(&mut self, field: Option<&str>, line: &str) {
        for physical in line.split('\n') {
            self.text.push_str(physical);
            self.text.push('\n');
            self.fields.push(field.map(str::to_string));
        }
    }

    /// The form field of a 1-based line, if any.
    pub fn field_at(&self, line: usize) -> Option<&str> {
        self.fields.get(line.checked_sub(1)?)?.as_deref()
    }
}

/// Whether `c` may stand as it is inside a YAML scalar (YAML's printable set without the
/// characters some readers take as line breaks or byte-order marks).
fn plain_char(c: char) -> bool {
    match c {
        '\u{20}'..='\u{7E}' => true,
        '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => {
            !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
        }
        _ => false,
    }
}

/// A double-quoted YAML scalar of `text`.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if plain_char(c) => out.push(c),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// `text` as the value after `key: ` at `indent` spaces: a literal block (`|-`) for a
/// multi-line text whose every line fits one unambiguously, else [`quoted`].
pub fn scalar(text: &str, indent: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let block_safe = lines.len() > 1
        && text.chars().all(|c| c == '\n' || plain_char(c))
        && lines.first().is_some_and(|l| !l.is_empty())
        && lines.last().is_some_and(|l| !l.is_empty())
        && lines
            .iter()
            .all(|l| !l.starts_with(' ') && !l.ends_with(' '));
    if !block_safe {
        return quoted(text);
    }
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("|-");
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    out
}

/// The texts of a motion file as they read back, for [`round_trip`].
#[derive(Debug, Deserialize, PartialEq, Eq)]
struct ReadBack {
    title: String,
    #[serde(default)]
    addressee: Option<String>,
    #[serde(default)]
    reasons: Option<String>,
    #[serde(default)]
    changes: Vec<ReadBackChange>,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
struct ReadBackChange {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    append: Option<String>,
    #[serde(default)]
    request: Option<String>,
}

/// Whether `text` reads back with exactly these texts: the title, the salutation, the reasons
/// and the wording of each Ziffer (`None` for a deletion).
pub fn round_trip(
    text: &str,
    title: &str,
    addressee: Option<&str>,
    reasons: Option<&str>,
    wordings: &[Option<&str>],
) -> bool {
    let Ok(back) = serde_yaml::from_str::<ReadBack>(text) else {
        return false;
    };
    let back_wordings: Vec<Option<&str>> = back
        .changes
        .iter()
        .map(|c| {
            c.text
                .as_deref()
                .or(c.append.as_deref())
                .or(c.request.as_deref())
        })
        .collect();
    back.title == title
        && back.addressee.as_deref() == addressee
        && back.reasons.as_deref() == reasons
        && back_wordings == wordings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads_back(text: &str) -> String {
        let yaml = format!("title: {}\n", scalar(text, 0));
        let back: ReadBack = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{e}: {yaml}"));
        back.title
    }

    #[test]
    fn hostile_texts_stay_data() {
        for text in [
            "<script>alert('x')</script>",
            "key: value",
            "- item",
            "# comment",
            "|",
            ">-",
            "&anchor *alias !!binary",
            "{a: b} [c, d]",
            "%YAML 1.2",
            "---",
            "...",
            "\"quoted\" and 'single'",
            "back\\slash \\n literal",
            "{{ paper.title }} {% if x %}",
            "ümläute „Anführung“ – ß €",
            "tab\there",
            "line\nbreak: yes\n- no list\n# no comment",
            "  leading spaces\nsecond",
            "trailing  \nspaces  ",
            "first\n\n\nafter blank lines",
            "\u{7f} del \u{85} nel \u{2028} ls \u{feff} bom \u{9f} c1",
            "\u{0}\u{1}\u{1b}[31m",
            "emoji 🎉 and \u{10FFFF}",
            "",
            "null",
            "true",
            "0x1F",
            "2026-12-01",
        ] {
            assert_eq!(reads_back(text), text, "{text:?}");
        }
    }

    #[test]
    fn multi_line_texts_become_readable_blocks() {
        assert_eq!(
            scalar("eins\nzwei: drei", 2),
            "|-\n    eins\n    zwei: drei"
        );
        assert_eq!(scalar("eins\n\nzwei", 0), "|-\n  eins\n\n  zwei");
        assert_eq!(scalar("einzeilig", 0), "\"einzeilig\"");
        assert_eq!(scalar(" eins\nzwei", 0), "\" eins\\nzwei\"");
    }

    #[test]
    fn lines_know_their_field() {
        let mut emitted = Emitted::default();
        emitted.push(None, "kind: x");
        emitted.push(Some("begruendung"), "reasons: |-\n  a\n  b");
        assert_eq!(emitted.field_at(1), None);
        assert_eq!(emitted.field_at(3), Some("begruendung"));
        assert_eq!(emitted.field_at(9), None);
        assert_eq!(emitted.text, "kind: x\nreasons: |-\n  a\n  b\n");
    }
}
