//! Which documents each paper has, which Word template renders them, and rendering them.
//!
//! A paper gets the document of its kind (Beschlussvorlage, Mitteilungsvorlage, Projektauftrag,
//! Änderungs-/Ergänzungsantrag); a base paper with adopted amendments also gets its decision
//! draft (Beschlussentwurf). Templates are loaded and compiled once per pass.

pub mod addressed;
pub mod agenda;
pub mod beschluss;
pub mod context;
pub mod coverage;
pub mod fields;
pub mod motion;
pub mod outline;
pub mod properties;
pub mod recommendations;
pub mod signatures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::docx::{DocxTemplate, TemplateError};
use crate::engine::PaperState;
use crate::engine::amend::{self, Draft};
use crate::journal::Entry;
use crate::load::Project;
use crate::model::Paper;
use crate::output;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    /// The paper itself, in the template of its kind.
    Paper,
    /// The proposal with adopted amendments applied.
    DecisionDraft,
    /// The Beschlussauszug of the decision at this index of the journal.
    Beschluss(usize),
}

/// One document to produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub paper: String,
    pub kind: DocKind,
    /// Template file name under `templates/`.
    pub template: String,
    /// Output path relative to the out folder.
    pub output: PathBuf,
}

/// The documents of one paper. `draft` is `Some` when adopted amendments exist.
pub fn jobs_for(paper: &Paper, has_draft: bool) -> Vec<Job> {
    let reference = output::ascii_name(paper.reference());
    let mut jobs = vec![Job {
        paper: paper.id.clone(),
        kind: DocKind::Paper,
        template: paper.kind.template.clone(),
        output: PathBuf::from(&paper.id).join(format!(
            "{}_{reference}.docx",
            output::ascii_name(&paper.kind.name)
        )),
    }];
    if has_draft {
        jobs.push(Job {
            paper: paper.id.clone(),
            kind: DocKind::DecisionDraft,
            template: "beschlussentwurf.docx".into(),
            output: PathBuf::from(&paper.id).join(format!("Beschlussentwurf_{reference}.docx")),
        });
    }
    jobs
}

/// The decision draft of a base paper, if amendments were adopted.
pub fn draft_for(project: &Project, paper: &Paper, journal: &[Entry]) -> Option<Draft> {
    let adopted = amend::adopted_amendments(journal);
    if adopted.is_empty() {
        return None;
    }
    // Decided per Ziffer: only the adopted Ziffern, as changed in the meeting.
    let per_ziffer = journal.iter().rev().find(|e| {
        e.event == crate::journal::Event::Decided
            && !crate::engine::decisions::is_referral_decision(e)
            && e.items().iter().any(|i| i.motion.is_some())
    });
    if let Some(decision) = per_ziffer {
        return Some(beschluss::decided_text(project, paper, decision));
    }
    let amendments: Vec<&Paper> = adopted
        .iter()
        .filter_map(|id| project.papers.get(id))
        .collect();
    Some(amend::decision_draft(paper, &amendments))
}

type Loaded = Result<(Arc<DocxTemplate>, [u8; 32]), Arc<TemplateError>>;

/// Compiled templates of a pass, loaded on first use; shared between render threads.
#[derive(Default)]
pub struct Templates {
    dir: PathBuf,
    loaded: Mutex<BTreeMap<String, Arc<OnceLock<Loaded>>>>,
}

impl Templates {
    /// Templates from a folder.
    pub fn new(dir: &Path) -> Self {
        Templates {
            dir: dir.to_path_buf(),
            loaded: Mutex::new(BTreeMap::new()),
        }
    }

    /// Whether a template file exists.
    pub fn exists(&self, name: &str) -> bool {
        self.dir.join(name).is_file()
    }

    /// The compiled template and the digest of its bytes. Each template is read once: the
    /// render threads that ask for it at the same time wait for the first (each reading and
    /// compiling it on its own was most of the start of a render).
    pub fn get(&self, name: &str) -> Loaded {
        let once = Arc::clone(self.lock().entry(name.to_string()).or_default());
        once.get_or_init(|| match std::fs::read(self.dir.join(name)) {
            Ok(bytes) => DocxTemplate::load(name, &bytes)
                .map(|t| (Arc::new(t), Sha256::digest(&bytes).into()))
                .map_err(Arc::new),
            Err(err) => Err(Arc::new(TemplateError {
                template: name.to_string(),
                part: String::new(),
                paragraph: None,
                excerpt: None,
                tag: None,
                message: format!("die Vorlage kann nicht gelesen werden: {err}"),
            })),
        })
        .clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<OnceLock<Loaded>>>> {
        self.loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What happened to one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Written,
    Unchanged,
}

/// Whether rendering writes the document or only proves that it renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// `ratsflow check`: render in memory; a current document needs no test.
    CheckOnly,
}

/// Renders one job; writes it (atomically) only when its inputs changed.
#[allow(clippy::too_many_arguments)]
pub fn render_job(
    project: &Project,
    job: &Job,
    paper: &Paper,
    state: &PaperState,
    journal: &[Entry],
    pending: &[String],
    draft: Option<&Draft>,
    today: NaiveDate,
    templates: &Templates,
    mode: Mode,
) -> Result<Outcome, RenderError> {
    let (template, template_digest) = templates
        .get(&job.template)
        .map_err(|e| RenderError::Template(Box::new((*e).clone())))?;
    let draft = if job.kind == DocKind::DecisionDraft {
        draft
    } else {
        None
    };
    let mut context = context::build(project, paper, state, draft, today);
    match job.kind {
        DocKind::Beschluss(index) => {
            context.beschluss = beschluss::view(project, paper, journal, index);
        }
        DocKind::DecisionDraft => {
            let finished = matches!(state.position, crate::engine::Position::Finished(_));
            context.decided = beschluss::decided_view(project, journal, finished);
            context.pending_motions = pending.to_vec();
        }
        DocKind::Paper => {}
    }
    // The day of rendering is not an input: documents are not rewritten every morning.
    let today_text = std::mem::take(&mut context.today);
    let stamp = input_stamp(&template_digest, &context);
    context.today = today_text;
    let out_dir = &project.folders().out;
    if output::is_current(out_dir, &job.output, &stamp) {
        return Ok(Outcome::Unchanged);
    }
    let value = minijinja::Value::from_serialize(&context);
    let bytes = template
        .render(&value)
        .map_err(|e| RenderError::Template(Box::new(e)))?;
    if mode == Mode::CheckOnly {
        return Ok(Outcome::Unchanged);
    }
    output::write_document(out_dir, &job.output, &bytes, &stamp)
        .map_err(|err| RenderError::Io(err.to_string()))?;
    Ok(Outcome::Written)
}

/// The stamp of a document's inputs: its template's digest and its data. The data is
/// serialised into a buffer kept per thread and hashed in one piece (BLAKE3: at 10,000 papers
/// `check` hashes every paper's data, and SHA-256 of it was a quarter of the work). Serde
/// writes a document's data in thousands of pieces of a few bytes; handed to the hasher one by
/// one they cost more than the hashing (a fifth of `check`). The stamp is the same either way.
pub fn input_stamp(template_digest: &[u8; 32], data: &impl serde::Serialize) -> String {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut hasher = blake3::Hasher::new();
    hasher.update(template_digest);
    BUFFER.with(|buffer| {
        // A stamp taken while this thread takes another (cannot happen today) gets its own.
        let mut own = Vec::new();
        let mut borrowed = buffer.try_borrow_mut();
        let bytes = match borrowed.as_deref_mut() {
            Ok(bytes) => bytes,
            Err(_) => &mut own,
        };
        bytes.clear();
        // Writing into memory cannot fail; a value that cannot be serialised hashes as far
        // as it got, which still differs from every complete serialisation.
        let _ = serde_json::to_writer(&mut *bytes, data);
        hasher.update(bytes);
        // The agenda of a large meeting is big; its buffer is not kept.
        if bytes.capacity() > 1 << 20 {
            *bytes = Vec::new();
        }
    });
    hasher.finalize().to_hex().to_string()
}

/// Why a document was not written.
#[derive(Clone, Debug)]
pub enum RenderError {
    Template(Box<TemplateError>),
    Io(String),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Template(err) => write!(f, "{err}"),
            RenderError::Io(err) => f.write_str(err),
        }
    }
}

#[cfg(test)]
mod stamp_tests {
    /// The stamp as it was computed before the buffer: every write straight into the hasher.
    fn unbuffered(template_digest: &[u8; 32], data: &impl serde::Serialize) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(template_digest);
        serde_json::to_writer(&mut hasher, data).unwrap();
        hasher.finalize().to_hex().to_string()
    }

    #[test]
    fn the_buffered_stamp_is_the_stamp_of_the_whole_serialisation() {
        let digest = [7u8; 32];
        let long = "ä".repeat(3000);
        let values = [
            serde_json::json!(null),
            serde_json::json!({"title": "kurz", "proposal": ["a", "b"]}),
            serde_json::json!({"facts": long, "more": [long.clone(), long.clone()], "n": 1}),
            serde_json::json!((0..2000).map(|n| format!("Ziffer {n}")).collect::<Vec<_>>()),
        ];
        for value in &values {
            assert_eq!(
                super::input_stamp(&digest, value),
                unbuffered(&digest, value)
            );
        }
        assert_ne!(
            super::input_stamp(&digest, &values[1]),
            super::input_stamp(&[8u8; 32], &values[1])
        );
    }
}
