//! The one error type of the document engine.
//!
//! Administration staff edit templates in Word; they never see the XML. So an error names what
//! they can find in Word: the template file, the paragraph (its number and the start of its
//! text) and the tag as they typed it — never a byte offset into a one-line XML file.

use std::fmt;

/// The main document part; errors there do not name the part.
const MAIN_PART: &str = "word/document.xml";

/// Longest paragraph excerpt shown in a message, in characters.
const EXCERPT_CHARS: usize = 60;

/// A problem with a template or with rendering it, located as precisely as known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template's name, e.g. `beschlussvorlage.docx`.
    pub template: String,
    /// The package part, e.g. `word/document.xml`; empty for problems of the whole package.
    pub part: String,
    /// 1-based number of the paragraph (`w:p`) in the part, counting all paragraphs in
    /// document order, including those in tables.
    pub paragraph: Option<usize>,
    /// The paragraph's text, at most about 60 characters, „…“ when cut.
    pub excerpt: Option<String>,
    /// The tag as the author wrote it, e.g. `{{ paper.titel }}`.
    pub tag: Option<String>,
    /// What is wrong, in German.
    pub message: String,
}

impl TemplateError {
    /// A problem of the whole template package.
    pub(crate) fn package(template: &str, message: impl Into<String>) -> TemplateError {
        TemplateError::in_part(template, "", message)
    }

    /// A problem somewhere in one part.
    pub(crate) fn in_part(template: &str, part: &str, message: impl Into<String>) -> TemplateError {
        TemplateError {
            template: template.to_owned(),
            part: part.to_owned(),
            paragraph: None,
            excerpt: None,
            tag: None,
            message: message.into(),
        }
    }

    /// Adds the paragraph number and its text (cut to an excerpt).
    pub(crate) fn at_paragraph(mut self, number: usize, text: &str) -> TemplateError {
        self.paragraph = Some(number);
        self.excerpt = Some(excerpt(text));
        self
    }

    /// Adds the tag as the author wrote it.
    pub(crate) fn with_tag(mut self, tag: &str) -> TemplateError {
        self.tag = Some(tag.to_owned());
        self
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Vorlage „{}“", self.template)?;
        if !self.part.is_empty() && self.part != MAIN_PART {
            write!(f, ", Teil „{}“", self.part)?;
        }
        if let Some(number) = self.paragraph {
            write!(f, ", Absatz {number}")?;
            if let Some(text) = &self.excerpt {
                write!(f, " („{text}“)")?;
            }
        }
        if let Some(tag) = &self.tag {
            write!(f, ", Platzhalter „{tag}“")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for TemplateError {}

/// The start of a paragraph's text for messages: whitespace collapsed, cut with „…“.
pub(crate) fn excerpt(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    cut(&collapsed, EXCERPT_CHARS)
}

/// Cuts `text` to at most `max` characters, ending with „…“ when it was longer.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_everything_known() {
        let err = TemplateError::in_part("beschlussvorlage.docx", "word/document.xml", "kaputt")
            .at_paragraph(12, "Beschlussvorschlag:   {{ paper.propsal }}")
            .with_tag("{{ paper.propsal }}");
        assert_eq!(
            err.to_string(),
            "Vorlage „beschlussvorlage.docx“, Absatz 12 („Beschlussvorschlag: \
             {{ paper.propsal }}“), Platzhalter „{{ paper.propsal }}“: kaputt"
        );
    }

    #[test]
    fn display_names_other_parts() {
        let err = TemplateError::in_part("a.docx", "word/footer1.xml", "kaputt");
        assert_eq!(
            err.to_string(),
            "Vorlage „a.docx“, Teil „word/footer1.xml“: kaputt"
        );
    }

    #[test]
    fn excerpt_is_cut_with_ellipsis() {
        let long = "ä".repeat(100);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), 60);
        assert!(cut.ends_with('…'));
    }
}
