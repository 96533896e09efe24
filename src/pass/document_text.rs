//! What a signer saw: the hash of the *text* of a paper's document, recorded with each
//! signature, so that a template change that changes the wording makes the signatures stale
//! (the signers are asked again, as after a change of the paper).
//!
//! The text is that of `word/document.xml` rendered from the paper with a journal-free view:
//! no signatures, no decisions, no meeting dates, no day of rendering. What the journal and the
//! calendar add to a document later is not what was signed, and must not invalidate the
//! signature it prints. A template change of styles or layout only leaves the text, and so the
//! signatures, as they are.
//!
//! Rendering costs milliseconds, and the state of a paper is computed many times in a pass, so
//! results are kept per process, keyed by the template's bytes and the rendered view: a watcher
//! sees an edited template at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::calendar::local_instant;
use crate::documents::context;
use crate::docx::DocxTemplate;
use crate::engine::{self, Inputs};
use crate::load::Project;
use crate::model::Paper;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn cache() -> &'static Mutex<HashMap<String, Option<String>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<String>>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Whether a journal holds a signature that records the text it covers: only then is the
/// document's text needed to judge it (rendering every paper for nothing would cost a large
/// project seconds).
pub fn needed(journal: &[crate::journal::Entry]) -> bool {
    journal
        .iter()
        .any(|e| e.event == crate::journal::Event::Signed && e.document.is_some())
}

/// What identifies a version of a template file without reading it: size, modification and
/// change time, inode. Any write to the file changes at least one of them.
type FileStamp = (u64, Option<std::time::SystemTime>, i64, i64, u64);

fn file_stamp(metadata: &std::fs::Metadata) -> FileStamp {
    use std::os::unix::fs::MetadataExt;
    (
        metadata.len(),
        metadata.modified().ok(),
        metadata.ctime(),
        metadata.ctime_nsec(),
        metadata.ino(),
    )
}

/// A template file as last read: its stamp, the digest of its bytes, and the template compiled
/// (`None` when it does not compile).
#[derive(Clone)]
struct TemplateFile {
    stamp: FileStamp,
    digest: [u8; 32],
    compiled: Option<Arc<DocxTemplate>>,
}

/// The template at `path`, read and compiled again only when its file changed: a page or a
/// pass asks for the text hash of many papers, and reading and hashing the template each time
/// cost more than the rest.
fn template_file(name: &str, path: &std::path::Path) -> Option<TemplateFile> {
    static FILES: OnceLock<Mutex<HashMap<std::path::PathBuf, TemplateFile>>> = OnceLock::new();
    let files = FILES.get_or_init(|| Mutex::new(HashMap::new()));
    let stamp = file_stamp(&std::fs::metadata(path).ok()?);
    let known = files
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(path)
        .filter(|file| file.stamp == stamp)
        .cloned();
    if known.is_some() {
        return known;
    }
    // The stamp taken before reading: a write after it changes the stamp, and the next call
    // reads again.
    let bytes = std::fs::read(path).ok()?;
    let read = TemplateFile {
        stamp,
        digest: blake3::hash(&bytes).into(),
        compiled: DocxTemplate::load(name, &bytes).ok().map(Arc::new),
    };
    files
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(path.to_path_buf(), read.clone());
    Some(read)
}

/// `sha256:<hex>` of the text of the paper's document; `None` when there is no workflow, the
/// template cannot be read or does not render (`check` reports those on their own).
pub fn text_hash(project: &Project, paper: &Paper) -> Option<String> {
    let workflow = project.workflow_of(paper)?;
    let workflow = &*workflow;
    let template_path = project.folders().templates.join(&paper.kind.template);
    let template = template_file(&paper.kind.template, &template_path)?;
    let memo_key = (paper.id.clone(), template.digest);
    if let Some(known) = project.signed_texts.get(&memo_key) {
        return known;
    }
    let text = text_hash_of_view(project, paper, workflow, template)?;
    project.signed_texts.insert(memo_key, text.clone());
    text
}

/// Per project: the text hash of each paper by template digest. The view a text is rendered
/// from depends only on the project (the paper, the papers it refers to, directory and
/// settings, all immutable once loaded) and the template, so within one project it is
/// computed once per paper and template: building the view and its stamp cost more than the
/// rest of a signature. A clone starts empty, and so does a project after one of its papers
/// was read again ([`SignedTexts::clear`]), since another paper's view may show it.
#[derive(Default)]
pub struct SignedTexts(Mutex<HashMap<MemoKey, Option<String>>>);

/// A paper's id and its template's digest.
type MemoKey = (String, [u8; 32]);

impl SignedTexts {
    fn get(&self, key: &MemoKey) -> Option<Option<String>> {
        self.lock().get(key).cloned()
    }

    fn insert(&self, key: MemoKey, text: Option<String>) {
        self.lock().insert(key, text);
    }

    /// Forgets every text (a paper of the project changed).
    pub fn clear(&mut self) {
        self.0
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<MemoKey, Option<String>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Clone for SignedTexts {
    fn clone(&self) -> Self {
        SignedTexts::default()
    }
}

impl std::fmt::Debug for SignedTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SignedTexts({} known)", self.lock().len())
    }
}

/// [`text_hash`] computed: the view rendered, looked up by its stamp across projects (a
/// reloaded project renders the same papers the same), rendered when new.
fn text_hash_of_view(
    project: &Project,
    paper: &Paper,
    workflow: &crate::model::Workflow,
    template: TemplateFile,
) -> Option<Option<String>> {
    // A fixed day: the view must not depend on when it is rendered.
    let day = paper
        .date
        .or_else(|| chrono::NaiveDate::from_ymd_opt(2000, 1, 1))?;
    let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0)?;
    let calendar = project.calendar_for(paper);
    let state = engine::state(&Inputs {
        workflow,
        paper,
        journal: &[],
        base_journal: None,
        outbox: &[],
        directory: &project.directory,
        document: None,
        calendar: &calendar,
        now: local_instant(day, noon, project.settings.time_zone),
        tz: project.settings.time_zone,
    });
    let mut view = serde_json::to_value(context::build(project, paper, &state, None, day)).ok()?;
    view["today"] = serde_json::Value::Null;
    if let Some(rows) = view["paper"]["consultations"].as_array_mut() {
        for row in rows {
            row["date"] = serde_json::Value::Null;
        }
    }
    let key = format!(
        "{}|{}",
        paper.id,
        crate::documents::input_stamp(&template.digest, &view)
    );
    if let Some(known) = lock().get(&key) {
        return Some(known.clone());
    }
    let text = template
        .compiled
        .and_then(|template| {
            template
                .render_main_xml(&minijinja::Value::from_serialize(&view))
                .ok()
        })
        .and_then(|xml| crate::docx::text::xml_paragraph_texts(&xml).ok())
        .map(|paragraphs| format!("sha256:{}", hex(&Sha256::digest(paragraphs.join("\n")))));
    lock().insert(key, text.clone());
    Some(text)
}

fn lock() -> std::sync::MutexGuard<'static, HashMap<String, Option<String>>> {
    cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
