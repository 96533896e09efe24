//! XML escaping of everything that goes into a `w:t`.
//!
//! A value printed by a template lands inside `<w:t xml:space="preserve">…</w:t>` of a run.
//! It must not break the XML: `& < > "` are escaped, characters that XML 1.0 forbids are
//! dropped, and line breaks and tabs become Word's own `<w:br/>` and `<w:tab/>` by closing
//! and reopening the `w:t`. Literal template text is escaped the same way, without the
//! break handling (it never contains breaks).

use std::fmt::{self, Write};

/// Replaces a line break inside a `w:t`: closes it, breaks, reopens it.
pub(crate) const BREAK: &str = "</w:t><w:br/><w:t xml:space=\"preserve\">";
/// Replaces a tab inside a `w:t`.
pub(crate) const TAB: &str = "</w:t><w:tab/><w:t xml:space=\"preserve\">";

/// Whether XML 1.0 allows the character in a document (`Char` production).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Whether the text needs no escaping at all (the common case, checked bytewise).
fn is_plain(s: &str) -> bool {
    s.bytes()
        .all(|b| b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | b'"' | 0xEF))
}

/// Writes `s` as XML character data: escapes markup, drops forbidden characters.
/// Line breaks and tabs are kept as they are.
pub(crate) fn write_text<W: Write>(out: &mut W, s: &str) -> fmt::Result {
    write_escaped(out, s, false)
}

/// Writes a printed value into a `w:t`: like [`write_text`], and line breaks and tabs become
/// `<w:br/>` and `<w:tab/>`.
pub(crate) fn write_value<W: Write>(out: &mut W, s: &str) -> fmt::Result {
    write_escaped(out, s, true)
}

/// Appends `s` as character data to a string.
pub(crate) fn push_text(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = write_text(out, s);
}

/// Appends a printed value to a string (breaks and tabs as Word elements).
pub(crate) fn push_value(out: &mut String, s: &str) {
    let _ = write_value(out, s);
}

/// Appends `s` escaped for an attribute value in double quotes.
pub(crate) fn push_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

fn write_escaped<W: Write>(out: &mut W, s: &str, breaks: bool) -> fmt::Result {
    if is_plain(s) {
        return out.write_str(s);
    }
    let mut chars = s.char_indices().peekable();
    let mut copied = 0;
    while let Some((i, c)) = chars.next() {
        let replacement = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\r' if breaks => {
                // "\r\n" is one line break.
                if chars.peek().is_some_and(|&(_, next)| next == '\n') {
                    out.write_str(&s[copied..i])?;
                    copied = i + 1;
                    continue;
                }
                BREAK
            }
            '\n' if breaks => BREAK,
            '\t' if breaks => TAB,
            c if is_xml_char(c) => continue,
            _ => "",
        };
        out.write_str(&s[copied..i])?;
        out.write_str(replacement)?;
        copied = i + c.len_utf8();
    }
    out.write_str(&s[copied..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> String {
        let mut out = String::new();
        push_value(&mut out, s);
        out
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            value("a & b < c > d \"e\""),
            "a &amp; b &lt; c &gt; d &quot;e&quot;"
        );
    }

    #[test]
    fn breaks_and_tabs_become_word_elements() {
        assert_eq!(value("a\nb"), format!("a{BREAK}b"));
        assert_eq!(value("a\r\nb"), format!("a{BREAK}b"));
        assert_eq!(value("a\tb"), format!("a{TAB}b"));
    }

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(value("a\u{7}b\u{0}c\u{FFFE}d\u{FFFF}"), "abcd");
        assert_eq!(value("Grüße 😀 \u{FFFD}"), "Grüße 😀 \u{FFFD}");
    }

    #[test]
    fn text_keeps_breaks() {
        let mut out = String::new();
        push_text(&mut out, "a\nb<");
        assert_eq!(out, "a\nb&lt;");
    }

    #[test]
    fn attributes_escape_quotes_and_whitespace() {
        let mut out = String::new();
        push_attr(&mut out, "a\"b\nc");
        assert_eq!(out, "a&quot;b&#10;c");
    }
}
