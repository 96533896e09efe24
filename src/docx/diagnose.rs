//! Turns minijinja's errors into errors an author can act on.
//!
//! minijinja knows a byte range (or a line) of the generated source; the source map of
//! [`crate::docx::codegen`] turns that into the paragraph and the tag as written. The message
//! becomes German: our own filters already speak German, an undefined value is named by its
//! path as it appears in the tag (`paper.propsal`), syntax errors are translated.

use minijinja::value::Value;
use minijinja::{Error, ErrorKind};

use crate::docx::codegen::{Location, Source};
use crate::docx::error::TemplateError;
use crate::docx::german::own_message;
use crate::docx::plan::PlannedTag;

/// What is known about a compiled part, for locating errors.
pub(crate) struct PartMap<'a> {
    pub template: &'a str,
    pub part: &'a str,
    pub source: &'a Source,
    pub paragraphs: &'a [String],
    pub tags: &'a [PlannedTag],
}

/// Names that are never data paths.
const KEYWORDS: &[&str] = &[
    "for",
    "in",
    "if",
    "elif",
    "else",
    "not",
    "and",
    "or",
    "is",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "loop",
    "set",
    "with",
    "recursive",
    "macro",
    "call",
    "filter",
];

/// A minijinja error (compile or render) as a template error.
pub(crate) fn template_error(
    map: &PartMap<'_>,
    err: &Error,
    data: Option<&Value>,
) -> TemplateError {
    let location = match (err.range(), err.line()) {
        (Some(range), _) => map.source.locate(range.start),
        (None, Some(line)) => map.source.locate_line(line),
        (None, None) => Location::default(),
    };
    let tag = location.tag.and_then(|t| map.tags.get(t));
    let paragraph = location.paragraph.or(tag.map(|t| t.paragraph));
    let mut error = TemplateError::in_part(map.template, map.part, describe(err, tag, data));
    if let Some(p) = paragraph {
        let text = map.paragraphs.get(p).map_or("", String::as_str);
        error = error.at_paragraph(p + 1, text);
    }
    if let Some(tag) = tag {
        error = error.with_tag(&tag.tag.written);
    }
    error
}

fn describe(err: &Error, tag: Option<&PlannedTag>, data: Option<&Value>) -> String {
    if let Some(message) = own_message(err) {
        return message;
    }
    match err.kind() {
        ErrorKind::UndefinedError => match tag {
            Some(tag) => format!(
                "undefinierter Wert „{}“",
                undefined_name(&tag.tag.body, data)
            ),
            None => "undefinierter Wert".to_owned(),
        },
        _ => crate::docx::german::describe_error(err),
    }
}

/// The path in a tag that is undefined in the data, as written (`paper.propsal`).
pub(crate) fn undefined_name(body: &str, data: Option<&Value>) -> String {
    let candidates = paths(body);
    if let Some(data) = data {
        for path in &candidates {
            if let Some(missing) = first_missing(data, path) {
                return missing;
            }
        }
    }
    candidates
        .first()
        .map(|p| p.join("."))
        .unwrap_or_else(|| body.trim().to_owned())
}

/// The path up to its first undefined segment, if its root is in the data.
fn first_missing(data: &Value, path: &[String]) -> Option<String> {
    let mut value = data.clone();
    for (i, segment) in path.iter().enumerate() {
        let next = value.get_attr(segment).unwrap_or(Value::UNDEFINED);
        if next.is_undefined() {
            return (i > 0).then(|| path[..=i].join("."));
        }
        value = next;
    }
    None
}

/// The dotted name paths of an expression, without filters, tests, functions and keywords.
fn paths(body: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = body.chars().collect();
    let mut out = Vec::new();
    let mut previous = String::new();
    let mut i = 0;
    let is_start = |c: char| c.is_alphabetic() || c == '_';
    let is_part = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            previous = c.to_string();
            continue;
        }
        if !is_start(c) {
            if !c.is_whitespace() {
                previous = c.to_string();
            }
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        loop {
            let start = i;
            while i < chars.len() && is_part(chars[i]) {
                i += 1;
            }
            segments.push(chars[start..i].iter().collect::<String>());
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|c| is_start(*c)) {
                i += 1;
            } else {
                break;
            }
        }
        let next = chars[i..].iter().find(|c| !c.is_whitespace());
        let skipped = previous == "|"
            || previous == "is"
            || next == Some(&'(')
            || KEYWORDS.contains(&segments[0].as_str());
        previous = if segments.len() == 1 {
            segments[0].clone()
        } else {
            String::new()
        };
        if !skipped {
            out.push(segments);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_missing_path() {
        let data = Value::from_serialize(serde_json::json!({
            "paper": { "title": "T", "author": null }
        }));
        assert_eq!(
            undefined_name(" paper.propsal ", Some(&data)),
            "paper.propsal"
        );
        assert_eq!(
            undefined_name(" paper.title ~ paper.x|datum ", Some(&data)),
            "paper.x"
        );
        assert_eq!(
            undefined_name("for c in paper.consultatons", Some(&data)),
            "paper.consultatons"
        );
        assert_eq!(undefined_name(" c.bdy ", Some(&data)), "c.bdy");
        assert_eq!(undefined_name(" \"a.b\" ~ x is defined ", None), "x");
    }
}
