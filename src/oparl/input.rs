//! Everything the export is built from, gathered in one place: the engine's state of every
//! paper, the agendas of all meetings, the documents found under `out/` and the fallback times
//! from file data. This is the only part of `oparl` that reads files; building the objects
//! from an [`Input`] is pure, so the web service can build the same objects from the same
//! input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use sha1::{Digest, Sha1};

use crate::documents::{self, DocKind};
use crate::engine::PaperState;
use crate::journal::Entry;
use crate::load::Project;
use crate::meeting::{self, Agenda};
use crate::model::Paper;
use crate::pass::{Journals, NotLoaded};

/// What the export is built from.
pub struct Input<'a> {
    pub project: &'a Project,
    pub now: DateTime<Utc>,
    /// Every paper whose state could be computed, by id.
    pub papers: BTreeMap<String, PaperFacts<'a>>,
    /// The agendas of every meeting some paper is consulted at.
    pub agendas: Vec<Agenda>,
    /// The rendered agenda (Tagesordnung) of a meeting, by body and date.
    pub agenda_files: BTreeMap<(String, NaiveDate), Rendered>,
    /// When the directory was last changed (its file's modification time): the directory
    /// has no journal.
    pub directory_time: DateTime<FixedOffset>,
}

/// One paper with its state, journal and rendered documents.
pub struct PaperFacts<'a> {
    pub paper: &'a Paper,
    pub state: PaperState,
    pub journal: &'a [Entry],
    /// The paper's `date:` at midnight, else its file's modification time: the times of a
    /// paper whose journal is empty.
    pub fallback_time: DateTime<FixedOffset>,
    pub rendered: Vec<Rendered>,
}

/// A document found under `out/`: the DOCX and any file next to it with the same stem.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub kind: DocKind,
    /// The file stem, e.g. `Beschlussvorlage_042-21`.
    pub stem: String,
    /// The PDF first when there is one, then the DOCX, then the others.
    pub variants: Vec<Variant>,
}

/// One file of a document.
#[derive(Clone, Debug)]
pub struct Variant {
    pub file_name: String,
    pub mime_type: &'static str,
    pub size: u64,
    pub sha1: String,
    /// Where it is now, to copy it into the tree.
    pub source: PathBuf,
}

/// Reads the state of every paper, the agendas and the documents under `out/`. Every paper's
/// journal must have been read.
pub fn gather<'a>(
    project: &'a Project,
    journals: &'a Journals,
    now: DateTime<Utc>,
) -> Result<Input<'a>, NotLoaded> {
    let tz = project.settings.time_zone;
    let out = &project.folders().out;
    let mut papers = BTreeMap::new();
    for paper in project.papers.values() {
        let journal = journals.require(&paper.id)?.entries.as_slice();
        let Some(state) = crate::pass::state_of(project, journals, paper, now)? else {
            continue;
        };
        let midnight = paper
            .date
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| tz.from_local_datetime(&t).earliest())
            .map(|t| t.fixed_offset());
        let file = project.folders().papers.join(format!("{}.yaml", paper.id));
        let fallback_time = midnight
            .or_else(|| modified(&file, tz))
            .unwrap_or_else(|| now.with_timezone(&tz).fixed_offset());
        let mut jobs = documents::jobs_for(paper, true);
        jobs.extend(documents::beschluss::jobs_for(project, paper, journal));
        let rendered = jobs
            .iter()
            .filter_map(|job| find(out, &job.output, job.kind))
            .collect();
        papers.insert(
            paper.id.clone(),
            PaperFacts {
                paper,
                state,
                journal,
                fallback_time,
                rendered,
            },
        );
    }
    let agendas = meeting::all(project, journals, now)?;
    let agenda_files = agendas
        .iter()
        .filter_map(|agenda| {
            let found = find(out, &documents::agenda::output_path(agenda), DocKind::Paper)?;
            Some(((agenda.body.clone(), agenda.date), found))
        })
        .collect();
    let directory_file = project.folders().workflows.join("directory.yaml");
    let directory_time =
        modified(&directory_file, tz).unwrap_or_else(|| now.with_timezone(&tz).fixed_offset());
    Ok(Input {
        project,
        now,
        papers,
        agendas,
        agenda_files,
        directory_time,
    })
}

/// The document `output` (a `.docx` path relative to `out`) and the files beside it with the
/// same stem; `None` when none of them exists.
fn find(out: &Path, output: &Path, kind: DocKind) -> Option<Rendered> {
    let stem = output.file_stem()?.to_str()?.to_string();
    let dir = out.join(output.parent()?);
    let mut variants: Vec<Variant> = Vec::new();
    for (ext, mime_type) in [
        ("pdf", "application/pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("odt", "application/vnd.oasis.opendocument.text"),
    ] {
        let file_name = format!("{stem}.{ext}");
        let source = dir.join(&file_name);
        let Ok(bytes) = std::fs::read(&source) else {
            continue;
        };
        variants.push(Variant {
            file_name,
            mime_type,
            size: bytes.len() as u64,
            sha1: Sha1::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            source,
        });
    }
    (!variants.is_empty()).then_some(Rendered {
        kind,
        stem,
        variants,
    })
}

/// The modification time of a file in the project's time zone.
fn modified(path: &Path, tz: chrono_tz::Tz) -> Option<DateTime<FixedOffset>> {
    let time = std::fs::metadata(path).ok()?.modified().ok()?;
    let utc: DateTime<Utc> = time.into();
    Some(utc.with_timezone(&tz).fixed_offset())
}
