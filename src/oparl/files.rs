//! File objects: one per document of a paper (or agenda of a meeting), pointing at its best
//! rendered form — the PDF beside the DOCX when there is one, else the DOCX. The documents are
//! copied into the tree (`files/<owner>/<name>`), so `accessUrl` works wherever the tree is
//! served.

use serde_json::{Map, Value};

use super::context::{Context, Stamp, date, object, put_text};
use super::input::{PaperFacts, Rendered};
use crate::documents::DocKind;
use crate::journal::Event;

/// A File object and the copies it needs (relative path in the tree, source file).
pub struct FileObject {
    pub value: Map<String, Value>,
    pub copies: Vec<(String, std::path::PathBuf)>,
}

/// Builds the File of a rendered document; `owner` names the folder (paper or body id).
pub fn file(
    cx: &Context<'_>,
    owner: &str,
    rendered: &Rendered,
    name: String,
    stamp: Stamp,
    links: &[(&str, String)],
) -> Option<FileObject> {
    let best = rendered.variants.first()?;
    let mut value = object(cx.urls.file(owner, &rendered.stem), "File");
    put_text(&mut value, "name", Some(&name));
    put_text(&mut value, "fileName", Some(&best.file_name));
    put_text(&mut value, "mimeType", Some(best.mime_type));
    value.insert(
        "date".into(),
        Value::String(date(stamp.modified.date_naive())),
    );
    value.insert("size".into(), Value::from(best.size));
    put_text(&mut value, "sha1Checksum", Some(&best.sha1));
    let rel = cx.urls.file_content_rel(owner, &best.file_name);
    let url = cx.urls.url(&rel);
    value.insert("accessUrl".into(), Value::String(url.clone()));
    value.insert("downloadUrl".into(), Value::String(url));
    for (key, target) in links {
        value.insert(
            (*key).to_string(),
            Value::Array(vec![Value::String(target.clone())]),
        );
    }
    stamp.put(&mut value);
    Some(FileObject {
        value,
        copies: vec![(rel, best.source.clone())],
    })
}

/// The published documents of a paper: its own document, the Beschlussentwurf and the
/// Beschlussauszüge of public consultations. Returns (kind, File).
pub fn of_paper(cx: &Context<'_>, facts: &PaperFacts<'_>) -> Vec<(DocKind, FileObject)> {
    let paper = facts.paper;
    let project = cx.input.project;
    let reference = paper.reference();
    let paper_url = cx.urls.paper(&paper.id);
    let links = [("paper", paper_url)];
    let mut files = Vec::new();
    for rendered in &facts.rendered {
        let (name, stamp) = match rendered.kind {
            DocKind::Paper => (
                format!("{} {reference}", paper.kind.name),
                cx.paper_stamp(facts),
            ),
            DocKind::DecisionDraft => (
                format!("Beschlussentwurf {reference}"),
                cx.paper_stamp(facts),
            ),
            DocKind::Beschluss(index) => {
                let Some(entry) = facts.journal.get(index) else {
                    continue;
                };
                if entry.event != Event::Decided || !decision_public(cx, facts, index) {
                    continue;
                }
                let body = entry
                    .body()
                    .and_then(|b| project.directory.body(b))
                    .map_or("", |b| b.name.as_str());
                let day = entry
                    .meeting()
                    .map_or_else(|| entry.time.date_naive(), |m| m.0);
                (
                    format!(
                        "Beschlussauszug {reference}, {body}, {}",
                        day.format("%d.%m.%Y")
                    ),
                    Stamp::at(entry.time),
                )
            }
        };
        if let Some(file) = file(cx, &paper.id, rendered, name, stamp, &links) {
            files.push((rendered.kind, file));
        }
    }
    files
}

/// Whether the decision at `index` of the journal was taken in a public consultation.
fn decision_public(cx: &Context<'_>, facts: &PaperFacts<'_>, index: usize) -> bool {
    let Some(stage_id) = facts.journal.get(index).and_then(|e| e.stage.as_deref()) else {
        return false;
    };
    cx.input
        .project
        .workflows
        .get(&facts.paper.workflow)
        .and_then(|w| w.stages.iter().find(|s| s.id == stage_id))
        .is_some_and(|stage| super::public::consultation(facts.paper, stage))
}
