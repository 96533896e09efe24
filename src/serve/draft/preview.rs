//! The live preview: the motion rendered with its kind's Word template in memory, exactly as
//! a pass would render it once saved (same template, same data), its text shown as HTML and
//! the DOCX offered for download. Nothing is written.
//!
//! The text comes from the same extraction the signed-text hash uses
//! ([`crate::docx::text::paragraph_texts`], see `pass/document_text.rs`): the paragraphs of
//! `word/document.xml` in order.

use chrono::NaiveDate;

use crate::calendar::local_instant;
use crate::documents::{Templates, context};
use crate::engine::{self, Inputs};
use crate::load::Project;
use crate::model::Paper;

/// A rendered preview.
#[derive(Clone, Debug)]
pub struct Preview {
    /// The non-empty paragraphs of the document, in order.
    pub paragraphs: Vec<String>,
    /// The DOCX itself.
    pub docx: Vec<u8>,
    /// The file name to offer: `Ergaenzungsantrag_A_002_26_Vorschau.docx`.
    pub file_name: String,
}

/// Renders `paper` (validated, not yet saved) as of `today`. `Err` is a German description of
/// a template problem, shown above the form.
pub fn render(project: &Project, paper: &Paper, today: NaiveDate) -> Result<Preview, String> {
    let templates = Templates::new(&project.folders().templates);
    let (template, _) = templates
        .get(&paper.kind.template)
        .map_err(|err| format!("Die Vorschau kann nicht erstellt werden: {err}"))?;
    let workflow = project
        .workflows
        .get(&paper.workflow)
        .ok_or_else(|| format!("Der Ablauf „{}“ fehlt.", paper.workflow))?;
    let calendar = project.calendar_for(paper);
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
    let state = engine::state(&Inputs {
        workflow,
        paper,
        journal: &[],
        base_journal: None,
        outbox: &[],
        directory: &project.directory,
        document: None,
        calendar: &calendar,
        now: local_instant(today, noon, project.settings.time_zone),
        tz: project.settings.time_zone,
    });
    let view = context::build(project, paper, &state, None, today);
    let docx = template
        .render(&minijinja::Value::from_serialize(&view))
        .map_err(|err| format!("Die Vorschau kann nicht erstellt werden: {err}"))?;
    let paragraphs = crate::docx::text::paragraph_texts(&docx, "word/document.xml")
        .map_err(|err| format!("Die Vorschau kann nicht gelesen werden: {err}"))?
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let file_name = format!(
        "{}_{}_Vorschau.docx",
        crate::output::ascii_name(&paper.kind.name),
        crate::output::ascii_name(paper.reference())
    );
    Ok(Preview {
        paragraphs,
        docx,
        file_name,
    })
}
