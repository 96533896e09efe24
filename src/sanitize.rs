//! Text from input files made harmless before it reaches a terminal or a mail.
//!
//! A title, a name or a file name can hold characters that a terminal obeys instead of
//! showing: ESC starts escape sequences (retitle the window, move the cursor, rewrite what was
//! printed), BEL rings, CR returns to the start of the line so that a harmless-looking line can
//! hide what was printed before, and the bidi overrides (U+202A–U+202E, U+2066–U+2069) show
//! text in another order than it is stored — what looks like a command to paste is not the one
//! that runs. Every printer (tables, diagnostics, the commands' messages, mail texts) passes
//! such text through this module: each dangerous character is replaced by a visible sign.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 and C1 control characters, DEL, and the
/// bidi controls (embeddings, overrides, isolates and the directional marks).
pub fn is_dangerous(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// The visible sign for a dangerous character: the Unicode control picture for C0 characters
/// and DEL (ESC shows as „␛“), the replacement character „�“ for everything else.
pub fn visible(c: char) -> char {
    match u32::from(c) {
        code @ 0..=0x1F => char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ => '\u{FFFD}',
    }
}

/// One line for a terminal (a table cell, a name in a message): every dangerous character,
/// line breaks and tabs included, replaced by a visible sign.
pub fn line(text: &str) -> Cow<'_, str> {
    replace(text, |_| true)
}

/// Text of several lines for a terminal or a mail body: line breaks (`\n`) and tabs stay,
/// every other dangerous character (CR included) is replaced by a visible sign.
pub fn text(text: &str) -> Cow<'_, str> {
    replace(text, |c| c != '\n' && c != '\t')
}

fn replace(text: &str, dangerous_here: impl Fn(char) -> bool) -> Cow<'_, str> {
    let bad = |c: char| is_dangerous(c) && dangerous_here(c);
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if bad(c) { visible(c) } else { c })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "Haushalt\u{1b}]0;pwned\u{7}\u{202e}txt.exe\r";

    #[test]
    fn escapes_bidi_and_carriage_returns_become_visible() {
        assert_eq!(line(HOSTILE), "Haushalt␛]0;pwned␇�txt.exe␍");
        assert_eq!(text(HOSTILE), "Haushalt␛]0;pwned␇�txt.exe␍");
    }

    #[test]
    fn line_breaks_stay_in_text_but_not_in_a_line() {
        assert_eq!(text("a\n\tb\r\n"), "a\n\tb␍\n");
        assert_eq!(line("a\n\tb"), "a␊␉b");
    }

    #[test]
    fn c1_controls_delete_and_isolates_are_replaced() {
        assert_eq!(line("a\u{9b}b\u{7f}c\u{2066}d\u{2069}"), "a�b␡c�d�");
    }

    #[test]
    fn german_text_is_left_alone_without_copying() {
        let plain = "Änderungsantrag „Straßenbäume“ – 042/19 😀";
        assert!(matches!(line(plain), Cow::Borrowed(_)));
        assert_eq!(text(plain), plain);
    }
}
