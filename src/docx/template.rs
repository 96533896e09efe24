//! A Word template, prepared once and rendered many times.
//!
//! [`DocxTemplate::load`] does all the XML work: it reads the package, checks it, scans the
//! rendered parts (document, headers, footers, footnotes), joins split tags, applies
//! structural tags, checks the block structure and compiles one minijinja template per part.
//! [`DocxTemplate::render`] is then only minijinja, a streaming check of the rendered parts
//! (the other parts were checked at load and are copied byte for byte) and zip writing.

use std::sync::Arc;

use minijinja::Environment;
use minijinja::value::Value;

use crate::docx::codegen::{self, Source};
use crate::docx::core_props::{self, CoreProps};
use crate::docx::diagnose::{PartMap, template_error};
use crate::docx::env::{add_block_filter, environment, printed_raw};
use crate::docx::error::TemplateError;
use crate::docx::ooxml::Base;
use crate::docx::package::{self, Archive};
use crate::docx::plan::{self, PlannedTag};
use crate::docx::styles::StyleSheet;
use crate::docx::validate::Scope;
use crate::docx::{limits, relationships, repair, scan, validate};

/// A part rendered by minijinja.
struct CompiledPart {
    /// Index of the entry in the archive.
    index: usize,
    name: String,
    source: Source,
    paragraphs: Vec<String>,
    tags: Vec<PlannedTag>,
}

impl CompiledPart {
    fn map<'a>(&'a self, template: &'a str) -> PartMap<'a> {
        PartMap {
            template,
            part: &self.name,
            source: &self.source,
            paragraphs: &self.paragraphs,
            tags: &self.tags,
        }
    }
}

/// A `.docx` template: its package and one compiled minijinja template per rendered part.
pub struct DocxTemplate {
    name: String,
    archive: Archive,
    entry_count: usize,
    size_hint: usize,
    parts: Vec<CompiledPart>,
    /// Index and text of `docProps/core.xml`, filled from the data's `document` at render.
    core: Option<(usize, String)>,
    /// The main part as it is, when it has no tags (it is copied, not rendered).
    untagged_main: String,
    env: Environment<'static>,
}

impl std::fmt::Debug for DocxTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocxTemplate")
            .field("name", &self.name)
            .field("entries", &self.entry_count)
            .field(
                "rendered_parts",
                &self
                    .parts
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// Whether a part is rendered with the data.
fn is_rendered(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    let numbered = |prefix: &str| {
        file.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(file, "document.xml" | "footnotes.xml" | "endnotes.xml")
        || numbered("header")
        || numbered("footer")
}

impl DocxTemplate {
    /// Opens a `.docx` template: reads every zip entry, checks the package, preprocesses
    /// `word/document.xml`, `word/header*.xml`, `word/footer*.xml` and the notes (joins split
    /// tags, applies structural tags, checks block balance) into minijinja sources and
    /// compiles them once. Every other part is copied unchanged when rendering.
    #[allow(clippy::result_large_err)] // the error type is the crate's public API
    pub fn load(name: &str, bytes: &[u8]) -> Result<DocxTemplate, TemplateError> {
        let shared: Arc<[u8]> = Arc::from(bytes);
        let refused = |e: package::PackageError| refused(name, e);
        let mut archive = package::open(shared).map_err(refused)?;
        let entries = package::read_all(&mut archive).map_err(refused)?;
        if !entries.iter().any(|e| e.name == "[Content_Types].xml") {
            return Err(TemplateError::package(
                name,
                "„[Content_Types].xml“ fehlt im Paket",
            ));
        }
        if !entries.iter().any(|e| e.name == "word/document.xml") {
            return Err(TemplateError::package(
                name,
                "„word/document.xml“ fehlt im Paket",
            ));
        }
        if let Some(problem) = entries
            .iter()
            .find(|e| e.name == MAIN_PART)
            .and_then(|e| main_root_problem(&e.data))
        {
            return Err(TemplateError::in_part(name, MAIN_PART, problem));
        }
        for entry in entries.iter().filter(|e| validate::is_xml_part(&e.name)) {
            let text = std::str::from_utf8(&entry.data).map_err(|_| {
                TemplateError::in_part(name, &entry.name, "Teil ist nicht UTF-8-kodiert")
            })?;
            let report = validate::check_part(&entry.name, text);
            if let Some(problem) = report.problems.first() {
                let problem = without_part(problem, &entry.name);
                let message = format!("Die Vorlage ist beschädigt: {problem}");
                return Err(TemplateError::in_part(name, &entry.name, message));
            }
        }
        if let Some(problem) = relationships::check_relationships(&entries).first() {
            let message = format!("Die Vorlage ist beschädigt: {problem}");
            return Err(TemplateError::package(name, message));
        }
        let styles = entries
            .iter()
            .find(|e| e.name == "word/styles.xml")
            .and_then(|e| std::str::from_utf8(&e.data).ok())
            .map(StyleSheet::parse)
            .unwrap_or_default();
        let mut env = environment();
        let mut bases = Vec::new();
        let mut parts = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            if !is_rendered(&entry.name) {
                continue;
            }
            let text = std::str::from_utf8(&entry.data).unwrap_or("");
            let model = scan::scan(text).map_err(|err| {
                TemplateError::in_part(
                    name,
                    &entry.name,
                    format!("Die Vorlage ist beschädigt: {}", err.0),
                )
            })?;
            let planned = plan::plan(text, &model).map_err(|err| {
                let mut error = TemplateError::in_part(name, &entry.name, err.message);
                if let Some(paragraph) = model.paragraphs.get(err.paragraph) {
                    error = error.at_paragraph(err.paragraph + 1, &paragraph.display);
                }
                match err.tag {
                    Some(tag) => error.with_tag(&tag),
                    None => error,
                }
            })?;
            if planned.tags.is_empty() {
                continue; // nothing to fill in: copied as it is
            }
            let source = codegen::generate(text, &planned, bases.len());
            bases.extend(planned.blocks.iter().map(Base::from_block));
            let part = CompiledPart {
                index,
                name: entry.name.clone(),
                source,
                paragraphs: planned.paragraphs,
                tags: planned.tags,
            };
            env.add_template_owned(part.name.clone(), part.source.text.clone())
                .map_err(|err| template_error(&part.map(name), &err, None))?;
            parts.push(part);
        }
        add_block_filter(&mut env, Arc::new(styles), Arc::new(bases));
        let core = entries
            .iter()
            .position(|e| e.name == core_props::PART)
            .and_then(|i| Some((i, String::from_utf8(entries[i].data.clone()).ok()?)));
        let untagged_main = if parts.iter().any(|part| part.name == MAIN_PART) {
            String::new()
        } else {
            entries
                .iter()
                .find(|e| e.name == MAIN_PART)
                .and_then(|e| String::from_utf8(e.data.clone()).ok())
                .unwrap_or_default()
        };
        Ok(DocxTemplate {
            name: name.to_owned(),
            untagged_main,
            archive,
            entry_count: entries.len(),
            size_hint: bytes.len() + bytes.len() / 2,
            parts,
            core,
            env,
        })
    }

    /// Dotted names of the data the template reads, such as `paper.financing` or
    /// `paper.project.goals` (loop variables and names it sets itself are left out).
    pub fn variables(&self) -> std::collections::BTreeSet<String> {
        self.parts
            .iter()
            .filter_map(|part| self.env.get_template(&part.name).ok())
            .flat_map(|template| template.undeclared_variables(true))
            .collect()
    }

    /// The template's name as given to [`DocxTemplate::load`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renders with the data and returns the DOCX bytes. Every rendered part is re-parsed
    /// and checked (the others are the template's, checked at load): a broken document is
    /// never returned. A `document` map in the data sets the core properties
    /// (see `core_props`).
    #[allow(clippy::result_large_err)] // the error type is the crate's public API
    pub fn render(&self, data: &Value) -> Result<Vec<u8>, TemplateError> {
        // Bounded memory however many threads render (see `limits`).
        let _permit = limits::RenderPermit::acquire();
        let mut rendered: Vec<(usize, &str, String)> = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            rendered.push((part.index, &part.name, self.render_part(part, data)?));
        }
        if let Some((index, xml)) = &self.core
            && let Some(filled) = CoreProps::from_data(data).and_then(|p| p.fill(xml))
        {
            rendered.push((*index, core_props::PART, filled));
        }
        let lookup = |index: usize| {
            rendered
                .iter()
                .find(|(i, _, _)| *i == index)
                .map(|(_, name, text)| (*name, text.as_str()))
        };
        let bytes = package::write(&self.archive, self.entry_count, self.size_hint, lookup)
            .map_err(|m| TemplateError::package(&self.name, m))?;
        match limits::document_problem(bytes.len()) {
            Some(problem) => Err(TemplateError::package(&self.name, problem)),
            None => Ok(bytes),
        }
    }

    /// The XML of the main part (`word/document.xml`) as [`DocxTemplate::render`] would write
    /// it, without rendering the other parts or writing the package: what the text of a
    /// document is judged by (the signed text, a preview) needs nothing else, and zipping and
    /// unzipping again cost more than rendering.
    #[allow(clippy::result_large_err)] // the error type is the crate's public API
    pub fn render_main_xml(&self, data: &Value) -> Result<String, TemplateError> {
        match self.parts.iter().find(|part| part.name == MAIN_PART) {
            Some(part) => {
                let _permit = limits::RenderPermit::acquire();
                self.render_part(part, data)
            }
            None => Ok(self.untagged_main.clone()),
        }
    }

    /// One rendered part, checked and repaired as it is written.
    #[allow(clippy::result_large_err)] // the error type is the crate's public API
    fn render_part(&self, part: &CompiledPart, data: &Value) -> Result<String, TemplateError> {
        let map = part.map(&self.name);
        let template = self
            .env
            .get_template(&part.name)
            .map_err(|err| template_error(&map, &err, Some(data)))?;
        let captured = template
            .render_captured(data)
            .map_err(|err| template_error(&map, &err, Some(data)))?;
        let scope = if printed_raw(captured.state()) {
            Scope::Full
        } else {
            Scope::Rendered
        };
        let text = captured.into_output();
        repair::check_and_repair(&part.name, text, scope).map_err(|problems| {
            let first = problems.first().map_or("", |p| without_part(p, &part.name));
            TemplateError::in_part(
                &self.name,
                &part.name,
                format!("Das erzeugte Dokument wäre beschädigt: {first}"),
            )
        })
    }
}

/// A package problem as a template error. Errors in the main document do not name their part
/// when shown (they name a paragraph instead), so a problem of the part itself says which.
fn refused(template: &str, error: package::PackageError) -> TemplateError {
    let message = if error.part == MAIN_PART {
        format!("„{MAIN_PART}“: {}", error.message)
    } else {
        error.message
    };
    TemplateError::in_part(template, &error.part, message)
}

/// Why the main part is not a WordprocessingML document (German), or `None`: its root must
/// be `document` in the WordprocessingML namespace (transitional or strict), whatever prefix
/// it is written with. Anything else (a spreadsheet's part, an SVG) would be filled in and
/// written as a file Word cannot open.
fn main_root_problem(data: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    const NAMESPACES: [&[u8]; 2] = [
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    ];
    let not_a_document = |found: &str| {
        Some(format!(
            "„{MAIN_PART}“ ist kein Word-Dokument: das äußerste Element ist „{found}“ statt „w:document“ (im WordprocessingML-Namensraum)"
        ))
    };
    let text = std::str::from_utf8(data).ok()?; // reported as not UTF-8 by the part check
    let mut reader = quick_xml::reader::NsReader::from_str(text);
    loop {
        match reader.read_resolved_event() {
            Ok((namespace, Event::Start(e) | Event::Empty(e))) => {
                let qualified = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                let in_word = matches!(namespace, ResolveResult::Bound(ns) if NAMESPACES.contains(&ns.as_ref()));
                return if in_word && e.local_name().as_ref() == b"document" {
                    None
                } else {
                    not_a_document(&crate::docx::error::cut(&qualified, 40))
                };
            }
            Ok((_, Event::Eof)) => {
                return Some(format!(
                    "„{MAIN_PART}“ ist kein Word-Dokument: der Teil enthält kein Element"
                ));
            }
            Ok(_) => {}
            Err(_) => return None, // malformed XML: reported with its position by the part check
        }
    }
}

/// The part that holds the document's text.
const MAIN_PART: &str = "word/document.xml";

/// A problem of a part without the „Teil …:“ the error names already.
fn without_part<'a>(problem: &'a str, part: &str) -> &'a str {
    problem
        .strip_prefix("Teil „")
        .and_then(|rest| rest.strip_prefix(part))
        .and_then(|rest| rest.strip_prefix("“: "))
        .unwrap_or(problem)
}

#[cfg(test)]
mod tests {
    use super::is_rendered;

    #[test]
    fn renders_document_headers_footers_and_notes() {
        for name in [
            "word/document.xml",
            "word/header1.xml",
            "word/footer12.xml",
            "word/footnotes.xml",
        ] {
            assert!(is_rendered(name), "{name}");
        }
        for name in [
            "word/styles.xml",
            "word/headerX.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
        ] {
            assert!(!is_rendered(name), "{name}");
        }
    }
}
