//! Which of a paper's document files a notice carries (`mail.attach: docx|pdf|both`): the
//! DOCX as always, its PDF, or both. A PDF goes only while it is current (made from the DOCX as
//! it is now); otherwise a notice set to `pdf` carries the DOCX, so a signer never gets an
//! outdated text nor none at all.

use std::path::Path;

use crate::documents;
use crate::load::Project;
use crate::mail::message::Attachment;
use crate::model::Paper;
use crate::project::Attach;

/// The document attachment of a notice, and a PDF to go first among the further files.
pub fn documents(project: &Project, paper: &Paper) -> (Option<Attachment>, Option<Attachment>) {
    let mode = project
        .settings
        .mail
        .as_ref()
        .map_or(Attach::Docx, |m| m.attach);
    let docx = crate::mail::dispatch::attachment(project, paper);
    match mode {
        Attach::Docx => (docx, None),
        Attach::Pdf => match pdf(project, paper) {
            Some(pdf) => (Some(pdf), None),
            None => (docx, None),
        },
        Attach::Both => (docx, pdf(project, paper)),
    }
}

/// The paper's own document as PDF, when it is current.
fn pdf(project: &Project, paper: &Paper) -> Option<Attachment> {
    let job = documents::jobs_for(paper, false).into_iter().next()?;
    let out = &project.folders().out;
    if !super::is_current(out, &job.output) {
        return None;
    }
    let path = super::pdf_of(&job.output);
    let bytes = std::fs::read(out.join(&path)).ok()?;
    let file_name = Path::new(&path).file_name()?.to_str()?.to_string();
    Some(Attachment {
        file_name,
        content_type: "application/pdf".into(),
        bytes,
    })
}
