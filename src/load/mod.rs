//! The only code that reads input files: settings, directory, workflows and papers.
//!
//! Loading never stops at the first problem. Every file is read, every problem becomes a
//! [`Diagnostic`] with its position, and whatever is valid is kept, so `status` can still show
//! the good papers while `check` lists everything that is wrong.

pub mod candidate;
mod conditions;
pub mod ids;
pub mod locate;
mod mail_checks;
pub mod raw;
mod resolve;
mod state_files;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::calendar::Calendar;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Directory, Paper, Workflow};
use crate::project::{DIRECTORY_FILE, Folders, SETTINGS_FILE, Settings};
use raw::{
    RawBody, RawBodyDeadline, RawChange, RawConsult, RawDirectory, RawDue, RawEscalate, RawFolders,
    RawOrganisation, RawPaper, RawPerson, RawProject, RawRemind, RawSettings, RawSign, RawStage,
    RawWorkflow,
};
use yaml::{YamlSource, decode, struct_fields};

/// A loaded project: everything that was valid.
#[derive(Clone, Debug)]
pub struct Project {
    pub settings: Settings,
    pub directory: Directory,
    pub workflows: BTreeMap<String, Workflow>,
    pub papers: BTreeMap<String, Paper>,
    /// Papers whose file has errors: they are reported and skipped.
    pub broken_papers: BTreeSet<String>,
    /// The mail templates, compiled (problems are diagnostics; their notices wait).
    pub mail_templates: Arc<crate::mail::templates::MailTemplates>,
    /// The ids of every paper's motions (the papers that amend it), by the amended paper's id,
    /// in id order; built at load, so that asking for a paper's motions does not scan all papers.
    motions: std::collections::HashMap<String, Vec<String>>,
    /// The hash of each paper's signed text, once computed (see `pass::document_text`).
    pub signed_texts: crate::pass::document_text::SignedTexts,
}

impl Project {
    /// The numbering style of the proposal a motion amends (its Ziffern name points and
    /// sub-points by it: „Punkt 2 b)“); `1.` when the paper amends none.
    pub fn base_numbering(&self, paper: &Paper) -> crate::model::NumberStyle {
        paper
            .amends
            .as_deref()
            .and_then(|b| self.papers.get(b))
            .map(|b| b.numbering)
            .unwrap_or_default()
    }

    /// The folders of the project.
    pub fn folders(&self) -> &Folders {
        &self.settings.folders
    }

    /// The working-day calendar for a paper: its organisation's Land plus the closed days.
    pub fn calendar_for(&self, paper: &Paper) -> Calendar {
        let workflow_org = self
            .workflows
            .get(&paper.workflow)
            .and_then(|w| w.organisation.clone());
        let org_id = paper
            .organisation
            .clone()
            .or(workflow_org)
            .unwrap_or_else(|| self.settings.organisation.clone());
        let land = self
            .directory
            .organisations
            .get(&org_id)
            .map(|o| o.land)
            .unwrap_or(crate::calendar::Land::NW);
        Calendar::new(land, self.settings.closed_days.clone())
            .with_closed_dates(self.settings.closed_dates.clone())
    }

    /// The motions against a paper (the papers that amend it), in id order.
    pub fn motions_of<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Paper> + 'a {
        self.motions
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|motion| self.papers.get(motion))
    }

    fn index_motions(
        papers: &BTreeMap<String, Paper>,
    ) -> std::collections::HashMap<String, Vec<String>> {
        let mut motions: std::collections::HashMap<String, Vec<String>> =
            std::collections::HashMap::new();
        for paper in papers.values() {
            if let Some(base) = &paper.amends {
                motions
                    .entry(base.clone())
                    .or_default()
                    .push(paper.id.clone());
            }
        }
        motions
    }

    /// The workflow as it applies to a paper: one naming several bodies (`body: [a, b]`) has
    /// a consultation stage for each, in order (`model::beratungsfolge`).
    pub fn workflow_of(&self, paper: &Paper) -> Option<std::borrow::Cow<'_, Workflow>> {
        let workflow = self.workflows.get(&paper.workflow)?;
        Some(crate::model::beratungsfolge::expand(
            workflow,
            &paper.bodies,
            |id| {
                self.directory
                    .body(id)
                    .map_or_else(|| id.to_string(), |b| b.name.clone())
            },
        ))
    }

    /// The organisation id that issues a paper.
    pub fn organisation_of<'a>(&'a self, paper: &'a Paper) -> &'a str {
        paper
            .organisation
            .as_deref()
            .or_else(|| {
                self.workflows
                    .get(&paper.workflow)
                    .and_then(|w| w.organisation.as_deref())
            })
            .unwrap_or(&self.settings.organisation)
    }
}

/// The source text of every file read, by displayed path, for rendering diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Sources(BTreeMap<PathBuf, Arc<str>>);

impl Sources {
    /// The text of a file, if it was read.
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.0.get(path).map(|s| &**s)
    }

    fn insert(&mut self, path: PathBuf, text: Arc<str>) {
        self.0.insert(path, text);
    }
}

/// What loading produced.
#[derive(Debug)]
pub struct Loaded {
    /// `None` when the settings file itself is unusable. Shared: `ratsflow serve` hands the
    /// same project to its pages instead of a copy (a project of 10,000 papers is tens of MB).
    pub project: Option<Arc<Project>>,
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// Whether an input of the project — `ratsflow.yaml`, the workflows, the papers, the
/// templates, or one of their folders (a file added, renamed or removed there) — was modified at or
/// after `since`, give or take a second: file times come from a coarser clock than
/// `SystemTime::now`. Anything that cannot be looked at counts as changed.
pub fn inputs_changed_since(folders: &Folders, since: std::time::SystemTime) -> bool {
    let since = since - std::time::Duration::from_secs(1);
    let newer = |path: &Path| {
        std::fs::symlink_metadata(path)
            .and_then(|m| m.modified())
            .map_or(true, |modified| modified >= since)
    };
    fn below(dir: &Path, depth: usize, newer: &dyn Fn(&Path) -> bool) -> bool {
        if newer(dir) {
            return true;
        }
        let Ok(entries) = std::fs::read_dir(dir) else {
            return dir.exists();
        };
        entries.flatten().any(|entry| {
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => depth > 0 && below(&path, depth - 1, newer),
                Ok(_) => newer(&path),
                Err(_) => true,
            }
        })
    }
    // Not the root folder itself: the watcher's lock file is made there after loading.
    newer(&folders.root.join(SETTINGS_FILE))
        || below(&folders.workflows, 0, &newer)
        || below(&folders.papers, 0, &newer)
        || below(&folders.templates, 8, &newer)
}

/// Why a project could not even be opened.
#[derive(Debug)]
pub struct NotAProject(pub String);

/// Loads the project at `root`. `Err` only when `root` holds no `ratsflow.yaml`.
pub fn load_project(root: &Path) -> Result<Loaded, NotAProject> {
    let settings_path = root.join(SETTINGS_FILE);
    std::fs::metadata(&settings_path).map_err(|err| {
        NotAProject(format!(
            "{} kann nicht gelesen werden ({err}); ist {} ein ratsflow-Projekt? (ratsflow init legt eines an)",
            settings_path.display(),
            root.display()
        ))
    })?;
    let mut loader = Loader::new(Folders::default_for(root));
    let settings = loader
        .read(&settings_path)
        .and_then(|text| loader.settings(text));
    let Some(settings) = settings else {
        return Ok(loader.finish(None));
    };
    loader.folders = settings.folders.clone();
    let directory = loader.directory();
    let (workflows, broken_workflows) = loader.workflows(directory.as_ref(), &settings.roles);
    let (papers, broken) = loader.papers(
        directory.as_ref(),
        &workflows,
        &broken_workflows,
        &settings.kinds,
    );
    let mail_templates = mail_checks::mail_templates(&mut loader);
    let project = Project {
        settings,
        directory: directory.unwrap_or_default(),
        workflows,
        motions: Project::index_motions(&papers),
        papers,
        broken_papers: broken,
        mail_templates,
        signed_texts: Default::default(),
    };
    resolve::check_settings_against_directory(&project, &mut loader.diagnostics, &loader.sources);
    let conditions = std::mem::take(&mut loader.conditions);
    loader
        .diagnostics
        .extend(conditions::check(conditions, &project));
    Ok(loader.finish(Some(project)))
}

struct Loader {
    folders: Folders,
    diagnostics: Diagnostics,
    sources: Sources,
    /// The `when:` conditions of every workflow, checked once the papers are known.
    conditions: Vec<conditions::Condition>,
}

impl Loader {
    fn new(folders: Folders) -> Self {
        Loader {
            folders,
            diagnostics: Diagnostics::new(),
            sources: Sources::default(),
            conditions: Vec::new(),
        }
    }

    fn finish(mut self, project: Option<Project>) -> Loaded {
        // Keep the text only of files with something to show: a project of 10,000 papers
        // should not hold all their text for diagnostics it does not have.
        let shown: BTreeSet<&Path> = self.diagnostics.iter().map(|d| d.file.as_path()).collect();
        self.sources
            .0
            .retain(|path, _| shown.contains(path.as_path()));
        let mut diagnostics = Diagnostics::new();
        diagnostics.extend(yaml::cap_per_file(self.diagnostics.into_iter().collect()));
        Loaded {
            project: project.map(Arc::new),
            diagnostics,
            sources: self.sources,
        }
    }

    fn display(&self, path: &Path) -> PathBuf {
        self.folders.display(path).to_path_buf()
    }

    /// Parses one file's YAML, recording its text for diagnostics.
    fn parse(&mut self, path: &Path, text: Arc<str>) -> Option<YamlSource> {
        let shown = self.display(path);
        self.sources.insert(shown.clone(), text.clone());
        match YamlSource::parse_shared(&shown, text) {
            Ok(source) => Some(source),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    /// The text of one file (size, kind and encoding checked), or None with a diagnostic.
    fn read(&mut self, path: &Path) -> Option<Arc<str>> {
        let shown = self.display(path);
        match yaml::read_file(path, &shown) {
            Ok(text) => Some(text),
            Err(diagnostic) => {
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn settings(&mut self, text: Arc<str>) -> Option<Settings> {
        let path = self.folders.root.join(SETTINGS_FILE);
        let source = self.parse(&path, text)?;
        let (raw, diagnostics) = decode::<RawSettings>(&source, &settings_vocabulary());
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        self.diagnostics.extend(diagnostics);
        let raw = raw.filter(|_| !failed)?;
        match Settings::from_raw(&self.folders.root, raw) {
            Ok(settings) => Some(settings),
            Err(errors) => {
                self.diagnostics
                    .extend(errors.into_iter().map(|e| mail_checks::located(&source, e)));
                None
            }
        }
    }

    fn directory(&mut self) -> Option<Directory> {
        let path = self.folders.workflows.join(DIRECTORY_FILE);
        if !path.exists() {
            let shown = self.display(&path);
            self.diagnostics.push(
                Diagnostic::error(shown, "das Verzeichnis der Personen und Gremien fehlt")
                    .with_hint("ratsflow init legt ein Beispiel an"),
            );
            return None;
        }
        let text = self.read(&path)?;
        let source = self.parse(&path, text)?;
        let (raw, diagnostics) = decode::<RawDirectory>(&source, &directory_vocabulary());
        // Unknown keys leave the known content intact: check it too, so one run shows every
        // problem of the file.
        let usable = only_unknown_keys(&diagnostics);
        let reported = diagnostics.clone();
        self.diagnostics.extend(diagnostics);
        let raw = raw.filter(|_| usable)?;
        let (directory, diagnostics) = resolve::directory(raw, &source);
        self.diagnostics
            .extend(without_follow_ons(&reported, diagnostics));
        Some(directory)
    }

    /// Valid workflows, and the ids of workflow files that have errors.
    fn workflows(
        &mut self,
        directory: Option<&Directory>,
        roles: &crate::model::Roles,
    ) -> (BTreeMap<String, Workflow>, BTreeSet<String>) {
        let vocabulary = workflow_vocabulary();
        let mut workflows = BTreeMap::new();
        let mut broken = BTreeSet::new();
        let folder = self.folders.workflows.clone();
        for path in yaml_files(&folder, &mut self.diagnostics, &self.folders) {
            let Some(id) = file_id(&path) else { continue };
            if path.file_name().is_some_and(|n| n == DIRECTORY_FILE) {
                continue;
            }
            broken.insert(id.clone());
            if let Some(problem) = file_id_problem(&id, &self.display(&path), "des Ablaufs") {
                self.diagnostics.push(problem);
                continue;
            }
            let Some(text) = self.read(&path) else {
                continue;
            };
            let Some(source) = self.parse(&path, text) else {
                continue;
            };
            let (raw, diagnostics) = decode::<RawWorkflow>(&source, &vocabulary);
            let failed = diagnostics.iter().any(Diagnostic::is_error);
            let usable = only_unknown_keys(&diagnostics);
            let reported = diagnostics.clone();
            self.diagnostics.extend(diagnostics);
            let Some(raw) = raw.filter(|_| usable) else {
                continue;
            };
            self.conditions.extend(conditions::collect(&raw, &source));
            let (workflow, diagnostics) =
                resolve::workflow(id.clone(), raw, &source, directory, Some(roles));
            self.diagnostics
                .extend(without_follow_ons(&reported, diagnostics));
            // A workflow with an unknown key is checked in full but not used.
            if let Some(workflow) = workflow.filter(|_| !failed) {
                broken.remove(&id);
                workflows.insert(id, workflow);
            }
        }
        (workflows, broken)
    }

    fn papers(
        &mut self,
        directory: Option<&Directory>,
        workflows: &BTreeMap<String, Workflow>,
        broken_workflows: &BTreeSet<String>,
        kinds: &crate::model::Kinds,
    ) -> (BTreeMap<String, Paper>, BTreeSet<String>) {
        let vocabulary = paper_vocabulary();
        let folder = self.folders.papers.clone();
        let paths = yaml_files(&folder, &mut self.diagnostics, &self.folders);
        let decoded = decode_papers_parallel(&paths, &self.folders, &vocabulary);
        let mut sources = Vec::new();
        let mut broken = BTreeSet::new();
        // Papers with unknown keys: checked in full, then skipped like any paper with errors.
        let mut failed = BTreeSet::new();
        let mut unknown_keys = Vec::new();
        for item in decoded {
            // A file that could not be read has no text to show under its problem.
            if !item.text.is_empty() {
                self.sources.insert(item.shown.clone(), item.text.clone());
            }
            if item.diagnostics.iter().any(Diagnostic::is_error) {
                failed.insert(item.id.clone());
            }
            unknown_keys.extend(
                item.diagnostics
                    .iter()
                    .filter(|d| d.message.starts_with("unbekannter Schlüssel"))
                    .cloned(),
            );
            self.diagnostics.extend(item.diagnostics);
            match (item.raw, item.source) {
                (Some(raw), Some(source)) => sources.push((item.id, raw, source)),
                _ => {
                    broken.insert(item.id);
                }
            }
        }
        let none = BTreeMap::new();
        let known = resolve::Known {
            workflows,
            broken_workflows,
            broken_papers: &broken,
            existing: &none,
            kinds,
            root: Some(&self.folders.root),
        };
        let (mut papers, diagnostics, more_broken) = resolve::papers(sources, directory, &known);
        self.diagnostics
            .extend(without_follow_ons(&unknown_keys, diagnostics));
        broken.extend(more_broken);
        papers.retain(|id, _| !failed.contains(id));
        broken.extend(failed);
        let unopenable = state_files::skip_unopenable(&self.folders, &mut papers, &mut broken);
        self.diagnostics.extend(unopenable);
        (papers, broken)
    }
}

/// Reads one paper file again and replaces it in `project` (the watcher's incremental path).
/// A paper whose file is gone or now has errors is removed from `project.papers` and marked
/// broken; its documents under `out/` stay. Returns the file's diagnostics and its text.
pub fn reload_paper(
    project: &mut Project,
    id: &str,
) -> (Vec<Diagnostic>, Option<(PathBuf, Arc<str>)>) {
    let reloaded = read_paper_again(project, id);
    // A motion added, removed or pointed at another paper changes the index.
    project.motions = Project::index_motions(&project.papers);
    project.signed_texts.clear();
    reloaded
}

fn read_paper_again(
    project: &mut Project,
    id: &str,
) -> (Vec<Diagnostic>, Option<(PathBuf, Arc<str>)>) {
    let folders = project.folders().clone();
    let path = ["yaml", "yml"]
        .iter()
        .map(|ext| folders.papers.join(format!("{id}.{ext}")))
        .find(|p| p.is_file());
    project.papers.remove(id);
    project.broken_papers.remove(id);
    let Some(path) = path else {
        return (Vec::new(), None);
    };
    let Some(decoded) = decode_paper(&path, &folders, &paper_vocabulary()) else {
        return (Vec::new(), None);
    };
    let mut diagnostics = decoded.diagnostics;
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let text = Some((decoded.shown.clone(), decoded.text.clone()));
    let (Some(raw), Some(source)) = (decoded.raw, decoded.source) else {
        project.broken_papers.insert(id.to_string());
        return (yaml::cap_per_file(diagnostics), text);
    };
    let none = BTreeSet::new();
    let known = resolve::Known {
        workflows: &project.workflows,
        broken_workflows: &none,
        broken_papers: &project.broken_papers,
        existing: &project.papers,
        kinds: &project.settings.kinds,
        root: Some(&project.folders().root),
    };
    let (papers, more, broken) = resolve::papers(
        vec![(id.to_string(), raw, source)],
        Some(&project.directory),
        &known,
    );
    let more = without_follow_ons(&diagnostics, more);
    diagnostics.extend(more);
    project.broken_papers.extend(broken);
    let mut papers = papers;
    if failed {
        papers.clear();
        project.broken_papers.insert(id.to_string());
    }
    diagnostics.extend(state_files::skip_unopenable(
        &folders,
        &mut papers,
        &mut project.broken_papers,
    ));
    project.papers.extend(papers);
    (yaml::cap_per_file(diagnostics), text)
}

/// Which kind of input file a text is, for [`check_text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Settings,
    Directory,
    Workflow,
    Paper,
}

/// Parses and validates one file's text on its own (no other files): syntax, shape, and the
/// checks that need no other file. Used by the fuzz targets; never panics.
pub fn check_text(kind: FileKind, text: &str) -> Vec<Diagnostic> {
    let path = Path::new("input.yaml");
    let source = match YamlSource::parse(path, text) {
        Ok(source) => source,
        Err(diagnostic) => return vec![diagnostic],
    };
    match kind {
        FileKind::Settings => decode::<RawSettings>(&source, &settings_vocabulary()).1,
        FileKind::Directory => {
            let (raw, mut diagnostics) = decode::<RawDirectory>(&source, &directory_vocabulary());
            if let Some(raw) = raw {
                diagnostics.extend(resolve::directory(raw, &source).1);
            }
            diagnostics
        }
        FileKind::Workflow => {
            let (raw, mut diagnostics) = decode::<RawWorkflow>(&source, &workflow_vocabulary());
            if let Some(raw) = raw {
                diagnostics.extend(resolve::workflow("input".into(), raw, &source, None, None).1);
            }
            diagnostics
        }
        FileKind::Paper => {
            let (raw, mut diagnostics) = decode::<RawPaper>(&source, &paper_vocabulary());
            if let Some(raw) = raw {
                let decoded = vec![("input".to_string(), raw, source)];
                let (workflows, none) = (BTreeMap::new(), BTreeSet::new());
                let existing = BTreeMap::new();
                let known = resolve::Known {
                    workflows: &workflows,
                    broken_workflows: &none,
                    broken_papers: &none,
                    existing: &existing,
                    kinds: &crate::model::Kinds::builtin(),
                    root: None,
                };
                diagnostics.extend(resolve::papers(decoded, None, &known).1);
            }
            diagnostics
        }
    }
}

fn settings_vocabulary() -> Vec<&'static str> {
    vocabulary(&[
        struct_fields::<RawSettings>(),
        struct_fields::<RawFolders>(),
        struct_fields::<raw::RawKind>(),
        struct_fields::<crate::oparl::RawOparl>(),
    ])
}

fn directory_vocabulary() -> Vec<&'static str> {
    vocabulary(&[
        struct_fields::<RawDirectory>(),
        struct_fields::<RawOrganisation>(),
        struct_fields::<raw::RawLegislativeTerm>(),
        struct_fields::<RawPerson>(),
        struct_fields::<RawBody>(),
        struct_fields::<RawBodyDeadline>(),
        struct_fields::<raw::RawAgenda>(),
    ])
}

fn workflow_vocabulary() -> Vec<&'static str> {
    vocabulary(&[
        struct_fields::<RawWorkflow>(),
        struct_fields::<RawStage>(),
        struct_fields::<RawSign>(),
        struct_fields::<RawConsult>(),
        struct_fields::<RawDue>(),
        struct_fields::<RawRemind>(),
        struct_fields::<RawEscalate>(),
    ])
}

fn paper_vocabulary() -> Vec<&'static str> {
    vocabulary(&[
        struct_fields::<RawPaper>(),
        struct_fields::<RawProject>(),
        struct_fields::<RawChange>(),
    ])
}

/// The checks of a file with unknown keys, without those that only follow from a misspelt key
/// (reported at the same line as the unknown key): one problem per spot.
fn without_follow_ons(reported: &[Diagnostic], found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let spots: BTreeSet<(&Path, usize)> = reported
        .iter()
        .filter(|d| d.message.starts_with("unbekannter Schlüssel"))
        .filter_map(|d| Some((d.file.as_path(), d.location?.line)))
        .collect();
    if spots.is_empty() {
        return found;
    }
    found
        .into_iter()
        .filter(|d| {
            d.location
                .is_none_or(|at| !spots.contains(&(d.file.as_path(), at.line)))
        })
        .collect()
}

/// Whether the only errors of a decoded file are unknown keys, which leave the known content
/// intact (also true without any error).
fn only_unknown_keys(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .all(|d| d.message.starts_with("unbekannter Schlüssel"))
}

/// One paper file after parsing and decoding.
struct DecodedPaper {
    id: String,
    shown: PathBuf,
    text: Arc<str>,
    source: Option<YamlSource>,
    raw: Option<RawPaper>,
    diagnostics: Vec<Diagnostic>,
}

/// Reads and decodes paper files on all cores; the order of the result follows `paths`.
fn decode_papers_parallel(
    paths: &[PathBuf],
    folders: &Folders,
    vocabulary: &[&str],
) -> Vec<DecodedPaper> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = paths.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|path| decode_paper(path, folders, vocabulary))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    })
}

fn decode_paper(path: &Path, folders: &Folders, vocabulary: &[&str]) -> Option<DecodedPaper> {
    let id = file_id(path)?;
    let shown = folders.display(path).to_path_buf();
    if let Some(problem) = file_id_problem(&id, &shown, "der Drucksache") {
        return Some(DecodedPaper {
            id,
            text: Arc::from(""),
            diagnostics: vec![problem],
            shown,
            source: None,
            raw: None,
        });
    }
    let text = match yaml::read_file(path, &shown) {
        Ok(text) => text,
        Err(diagnostic) => {
            return Some(DecodedPaper {
                id,
                text: Arc::from(""),
                diagnostics: vec![diagnostic],
                shown,
                source: None,
                raw: None,
            });
        }
    };
    let (source, raw, diagnostics) = match YamlSource::parse_shared(&shown, text.clone()) {
        Err(diagnostic) => (None, None, vec![diagnostic]),
        Ok(source) => {
            let (raw, diagnostics) = decode::<RawPaper>(&source, vocabulary);
            let usable = only_unknown_keys(&diagnostics);
            // Positions are rebuilt only if a later check reports a problem in this file.
            (Some(source.compact()), raw.filter(|_| usable), diagnostics)
        }
    };
    Some(DecodedPaper {
        id,
        shown,
        text,
        source,
        raw,
        diagnostics,
    })
}

/// The union of several field lists, for "did you mean".
fn vocabulary(lists: &[&'static [&'static str]]) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = lists.iter().flat_map(|l| l.iter().copied()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The stem of a file name: the id of a paper or workflow.
fn file_id(path: &Path) -> Option<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_string)
}

/// A file whose stem is no safe id (see [`ids`]): an error at the file's first line. The id
/// is shortened in the message, so a name of 250 characters does not fill the screen.
fn file_id_problem(id: &str, shown: &Path, whose: &str) -> Option<Diagnostic> {
    let problem = ids::id_problem(id)?;
    let short = crate::table::truncate(id, 40);
    Some(
        Diagnostic::error(
            shown.to_path_buf(),
            format!("der Dateiname „{short}“ taugt nicht als Kennung {whose}: er {problem}"),
        )
        .at(crate::diagnostic::Location::START, 1)
        .with_hint(format!("benennen Sie die Datei um; {}", ids::ID_HINT)),
    )
}

/// Whether a file name belongs to an editor's temporary or lock files.
pub fn is_editor_noise(name: &str) -> bool {
    name.starts_with("~$")
        || name.starts_with(".~lock.")
        || name.starts_with('.')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.ends_with('~')
}

/// The `*.yaml`/`*.yml` files of a folder, sorted; a missing folder is reported.
fn yaml_files(folder: &Path, diagnostics: &mut Diagnostics, folders: &Folders) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) => {
            diagnostics.push(Diagnostic::error(
                folders.display(folder).to_path_buf(),
                format!("Ordner kann nicht gelesen werden: {err}"),
            ));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
            yaml && !is_editor_noise(name) && path.is_file()
        })
        .collect();
    files.sort();
    files
}

#[cfg(test)]
mod reload_tests;
