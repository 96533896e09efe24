//! The document properties of a rendered paper (File → Properties in Word, `docProps/core.xml`):
//! title, author, date and language, derived from the render context.
//!
//! A document management system files a Drucksache by these, and a Word template made on some
//! clerk's computer would otherwise pass that clerk's name and the template's date to every
//! paper. The title is the Betreff, the author the issuing office (the lead office, else the
//! Fraktion filing a motion, else the organisation), the date the paper's own — never the day of rendering, so that rendering
//! again gives the same bytes. The engine writes them into the package
//! ([`crate::docx::DocxTemplate::render`] reads the context's `document`).

use serde::Serialize;

use super::context::{Org, PaperView};

/// What `docProps/core.xml` says about a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DocumentProperties {
    /// `dc:title`: the paper's Betreff.
    pub title: String,
    /// `dc:creator` and `cp:lastModifiedBy`: the issuing office.
    pub author: String,
    /// `dcterms:created` and `dcterms:modified` (`YYYY-MM-DD`); none when the paper has no date.
    pub date: Option<String>,
    /// `dc:language`.
    pub language: &'static str,
}

/// The properties of a paper's document.
pub fn of(org: &Org, paper: &PaperView) -> DocumentProperties {
    let author = paper
        .lead_office
        .as_deref()
        .map(str::trim)
        .filter(|office| !office.is_empty())
        .or(paper.by.as_ref().map(|group| group.name.as_str()))
        .unwrap_or(&org.name);
    DocumentProperties {
        title: paper.title.clone(),
        author: author.to_owned(),
        date: paper.date.clone(),
        language: "de-DE",
    }
}

impl super::context::Context {
    /// The context with its [`DocumentProperties`] filled in from the paper.
    pub fn with_properties(mut self) -> Self {
        self.document = of(&self.org, &self.paper);
        self
    }
}
