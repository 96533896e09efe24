//! Finds the minijinja tags in the joined text of one paragraph.
//!
//! Word splits what the author typed across runs, so tags are searched in the paragraph's
//! joined text, never in the XML. A tag is `{{ … }}`, `{% … %}` or `{# … #}`; its end is found
//! the way minijinja's own lexer finds it (outside string literals and brackets). Inside a tag,
//! Word's typographic quotes and non-breaking spaces become plain ones, so that
//! `{{ x | default(„–“) }}` works as typed. A structural prefix (`{%p`, `{%tr`, `{%tc`,
//! `{{p`) says which element the tag replaces. `{% raw %}…{% endraw %}` turns into literal
//! text here.

use std::ops::Range;

/// The delimiters of a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delim {
    /// `{{ … }}`
    Print,
    /// `{% … %}`
    Statement,
    /// `{# … #}`
    Comment,
}

/// Which element a tag acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Plain tag: stays in its run.
    Run,
    /// `{%p` / `{{p`: replaces its paragraph.
    Paragraph,
    /// `{%tr`: replaces its table row.
    Row,
    /// `{%tc`: replaces its table cell.
    Cell,
}

/// One tag found in a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag {
    /// Byte range in the joined (original) text.
    pub range: Range<usize>,
    pub delim: Delim,
    pub scope: Scope,
    /// The tag as the author wrote it.
    pub written: String,
    /// Whitespace control after the opening delimiter (`-` or `+`), if any.
    pub open_ws: Option<char>,
    /// Whitespace control before the closing delimiter, if any.
    pub close_ws: Option<char>,
    /// The normalized text between the delimiters, without whitespace control and prefix.
    pub body: String,
}

impl Tag {
    /// The first word of a statement (`if`, `endfor`, …); empty for other tags.
    pub(crate) fn keyword(&self) -> &str {
        if self.delim != Delim::Statement {
            return "";
        }
        let body = self.body.trim_start();
        let end = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        &body[..end]
    }
}

/// A piece of a paragraph's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// Literal text (byte range in the joined text).
    Text(Range<usize>),
    Tag(Tag),
}

/// A tag that cannot be read; `written` is what the author wrote (maybe cut).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LexError {
    pub written: String,
    pub message: String,
}

/// Replaces Word's typographic quotes and non-breaking spaces inside tags.
pub(crate) fn normalize_char(c: char) -> char {
    match c {
        '„' | '“' | '”' | '«' | '»' | '‟' => '"',
        '‘' | '’' | '‚' | '‹' | '›' | '‛' => '\'',
        '\u{A0}' | '\u{202F}' | '\u{2007}' => ' ',
        c => c,
    }
}

/// Splits `text` into literal text and tags.
pub(crate) fn lex(text: &str) -> Result<Vec<Token>, LexError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        let delim = match (bytes[i], bytes[i + 1]) {
            (b'{', b'{') => Delim::Print,
            (b'{', b'%') => Delim::Statement,
            (b'{', b'#') => Delim::Comment,
            _ => {
                i += 1;
                continue;
            }
        };
        let Some(end) = find_end(text, i + 2, delim) else {
            return Err(unclosed(&text[i..], delim));
        };
        if literal_start < i {
            tokens.push(Token::Text(literal_start..i));
        }
        let tag = make_tag(text, i..end, delim);
        if tag.keyword() == "raw" && tag.body.trim() == "raw" {
            let Some((content, after)) = find_endraw(text, end) else {
                return Err(LexError {
                    written: tag.written,
                    message: "„{% raw %}“ wird in diesem Absatz nicht mit „{% endraw %}“ \
                              geschlossen"
                        .to_owned(),
                });
            };
            if !content.is_empty() {
                tokens.push(Token::Text(content));
            }
            literal_start = after;
            i = after;
            continue;
        }
        tokens.push(Token::Tag(tag));
        literal_start = end;
        i = end;
    }
    if literal_start < bytes.len() {
        tokens.push(Token::Text(literal_start..bytes.len()));
    }
    Ok(tokens)
}

fn unclosed(rest: &str, delim: Delim) -> LexError {
    let closing = match delim {
        Delim::Print => "}}",
        Delim::Statement => "%}",
        Delim::Comment => "#}",
    };
    LexError {
        written: crate::docx::error::cut(rest, 40),
        message: format!(
            "Platzhalter wird in diesem Absatz nicht mit „{closing}“ geschlossen \
             (ein Platzhalter darf nicht über mehrere Absätze reichen)"
        ),
    }
}

/// Finds the byte offset just past the closing delimiter, starting after the opening one.
fn find_end(text: &str, from: usize, delim: Delim) -> Option<usize> {
    let rest = text.get(from..)?;
    if delim == Delim::Comment {
        return rest.find("#}").map(|p| from + p + 2);
    }
    let closing = if delim == Delim::Print { '}' } else { '%' };
    let mut depth: i64 = 0;
    let mut string: Option<char> = None;
    let mut escaped = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((p, raw)) = chars.next() {
        let c = normalize_char(raw);
        if let Some(quote) = string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == quote {
                string = None;
            }
            continue;
        }
        let closes = chars.peek().is_some_and(|&(_, next)| next == '}');
        match c {
            '"' | '\'' => string = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' => depth -= 1,
            '}' if closing == '}' && depth <= 0 && closes => return Some(from + p + 2),
            '}' => depth -= 1,
            '%' if closing == '%' && depth <= 0 && closes => return Some(from + p + 2),
            _ => {}
        }
    }
    None
}

fn make_tag(text: &str, range: Range<usize>, delim: Delim) -> Tag {
    let written = text[range.clone()].to_owned();
    let inner: String = text[range.start + 2..range.end - 2]
        .chars()
        .map(normalize_char)
        .collect();
    let mut body = inner.as_str();
    let mut open_ws = None;
    let mut close_ws = None;
    if let Some(c) = body.chars().next().filter(|c| matches!(c, '-' | '+')) {
        open_ws = Some(c);
        body = &body[1..];
    }
    if delim != Delim::Comment
        && let Some(c) = body.chars().last().filter(|c| matches!(c, '-' | '+'))
    {
        close_ws = Some(c);
        body = &body[..body.len() - 1];
    }
    let mut scope = Scope::Run;
    let prefixes: &[(&str, Scope)] = match delim {
        Delim::Statement => &[
            ("p", Scope::Paragraph),
            ("tr", Scope::Row),
            ("tc", Scope::Cell),
        ],
        Delim::Print => &[("p", Scope::Paragraph)],
        Delim::Comment => &[],
    };
    for (prefix, prefix_scope) in prefixes {
        if let Some(after) = body.strip_prefix(prefix)
            && after.starts_with(char::is_whitespace)
            && !after.trim().is_empty()
        {
            scope = *prefix_scope;
            body = after;
            break;
        }
    }
    Tag {
        range,
        delim,
        scope,
        written,
        open_ws,
        close_ws,
        body: body.to_owned(),
    }
}

/// Finds `{% endraw %}` after `from`: returns the raw content range and the end of the tag.
fn find_endraw(text: &str, from: usize) -> Option<(Range<usize>, usize)> {
    let mut search = from;
    while let Some(p) = text.get(search..)?.find("{%") {
        let start = search + p;
        let end = find_end(text, start + 2, Delim::Statement)?;
        let tag = make_tag(text, start..end, Delim::Statement);
        if tag.body.trim() == "endraw" && tag.scope == Scope::Run {
            return Some((from..start, end));
        }
        search = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<Tag> {
        lex(text)
            .unwrap()
            .into_iter()
            .filter_map(|t| match t {
                Token::Tag(tag) => Some(tag),
                Token::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn finds_all_three_kinds() {
        let found = tags("A {{ x }} b {% if y %}c{% endif %}{# note #}");
        let kinds: Vec<_> = found.iter().map(|t| t.delim).collect();
        assert_eq!(
            kinds,
            [
                Delim::Print,
                Delim::Statement,
                Delim::Statement,
                Delim::Comment
            ]
        );
        assert_eq!(found[1].keyword(), "if");
        assert_eq!(found[2].keyword(), "endif");
    }

    #[test]
    fn normalizes_typographic_quotes_inside_tags_only() {
        let found = tags("„Text“ {{ paper.title | default(„–“) }}");
        assert_eq!(found[0].body, " paper.title | default(\"–\") ");
        assert_eq!(found[0].written, "{{ paper.title | default(„–“) }}");
        assert_eq!(tags("{{\u{A0}x\u{202F}}}")[0].body, " x ");
    }

    #[test]
    fn closing_delimiters_inside_strings_and_dicts_do_not_end_tags() {
        assert_eq!(tags("{{ \"}}\" }}")[0].body, " \"}}\" ");
        assert_eq!(
            tags("{{ {\"a\": {\"b\": 1}}.a }}")[0].body,
            " {\"a\": {\"b\": 1}}.a "
        );
        assert_eq!(tags("{% set x = \"%}\" %}")[0].keyword(), "set");
    }

    #[test]
    fn structural_prefixes_and_whitespace_control() {
        let found = tags("{%p if a %}{%tr for r in rows %}{%tc endfor %}{{p x|md }}{%- if b -%}");
        let scopes: Vec<_> = found.iter().map(|t| t.scope).collect();
        assert_eq!(
            scopes,
            [
                Scope::Paragraph,
                Scope::Row,
                Scope::Cell,
                Scope::Paragraph,
                Scope::Run
            ]
        );
        assert_eq!(found[0].body, " if a ");
        assert_eq!(found[4].open_ws, Some('-'));
        assert_eq!(found[4].close_ws, Some('-'));
        // A variable named p is not a prefix.
        assert_eq!(tags("{{p}}")[0].scope, Scope::Run);
    }

    #[test]
    fn unclosed_tag_is_an_error() {
        let err = lex("Titel: {{ paper.title").unwrap_err();
        assert_eq!(err.written, "{{ paper.title");
        assert!(
            err.message
                .starts_with("Platzhalter wird in diesem Absatz nicht")
        );
    }

    #[test]
    fn raw_blocks_become_text() {
        let tokens = lex("a{% raw %}{{ x }}{% endraw %}b").unwrap();
        assert_eq!(
            tokens,
            [Token::Text(0..1), Token::Text(10..17), Token::Text(29..30)]
        );
    }

    #[test]
    fn lone_braces_are_text() {
        assert_eq!(lex("{ a } {").unwrap(), [Token::Text(0..7)]);
    }
}
