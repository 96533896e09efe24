//! What a changed path affects. Pure: the loop in [`super`] feeds it the paths of file events
//! and hands the result to the reconciler, so the decision "does this file matter, and for
//! what" is made in one place and tested as a table.
//!
//! The rules mirror what the loader reads (`crate::load`): only the top level of `papers/` and
//! `workflows/`, only `*.yaml`/`*.yml` there, never editor noise. A file the loader would not
//! read cannot change a result, so it does not trigger a pass.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::project::Folders;

use super::lock::LOCK_FILE;

/// The settings file at the project root.
const SETTINGS_FILE: &str = "ratsflow.yaml";
/// The directory file inside the workflows folder.
const DIRECTORY_FILE: &str = "directory.yaml";
/// The folder below `templates/` that holds mail templates of any file type.
const MAIL_TEMPLATES: &str = "mail";

/// What a changed file affects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// `ratsflow.yaml`.
    Settings,
    /// `workflows/directory.yaml`.
    Directory,
    /// `workflows/<id>.yaml`: all papers of that workflow.
    Workflow(String),
    /// `papers/<id>.yaml`.
    Paper(String),
    /// A template, by its path below `templates/` with `/` separators
    /// (`beschlussvorlage.docx`, `mail/unterschrift.txt`): all papers using it.
    Template(String),
    /// `state/<paper>.jsonl`, written by another process (e.g. `ratsflow sign`).
    Journal(String),
    /// Events were lost or cannot be attributed: reconcile everything.
    Rescan,
}

/// Why a path does not trigger anything; shown to the user at verbose level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// Below `out/`: the watcher's own output.
    Output,
    /// An editor's temporary, backup or lock file, or a hidden file.
    EditorFile,
    /// The watcher's single-instance lock file.
    LockFile,
    /// Inside the project, but nothing the loader reads (or a folder itself).
    NotInput,
    /// Not inside the project at all.
    Outside,
    /// A journal entry the watcher wrote itself (decided by the loop via [`OwnWrites`]).
    OwnJournal,
}

impl Skip {
    /// The German reason shown after `übersprungen: <path>`.
    pub fn reason(self) -> &'static str {
        match self {
            Skip::Output => "eigene Ausgabe",
            Skip::EditorFile => "Hilfsdatei eines Editors",
            Skip::LockFile => "Sperrdatei des Watchers",
            Skip::NotInput => "keine Eingabedatei",
            Skip::Outside => "außerhalb des Projekts",
            Skip::OwnJournal => "eigener Journaleintrag",
        }
    }
}

/// Sorts one changed path into what it affects; `None` means ignore it.
///
/// Ignored: anything under `out/`, editor temp and lock files (`~$…`, `.~lock.…#`, `*.swp`,
/// `*.tmp`, `*~`, hidden files — this includes the `.ratsflow-….tmp` files of atomic saves),
/// non-YAML files in `papers/` and `workflows/`, files in subfolders of those (the loader reads
/// only their top level, so `papers/sub/x.yaml` affects nothing), any other file in `state/`
/// than `<id>.jsonl`, the folders themselves, anything else outside the known folders, and the
/// watcher's own lock file.
pub fn classify(folders: &Folders, path: &Path) -> Option<Change> {
    sort(folders, path).ok()
}

/// [`classify`] with the reason for a skip.
pub fn sort(folders: &Folders, path: &Path) -> Result<Change, Skip> {
    if path == folders.root.join(LOCK_FILE) {
        return Err(Skip::LockFile);
    }
    if path == folders.root.join(SETTINGS_FILE) {
        return Ok(Change::Settings);
    }
    if path.starts_with(&folders.out) {
        return Err(Skip::Output);
    }
    let name = path.file_name().and_then(|n| n.to_str());
    if name.is_some_and(crate::load::is_editor_noise) {
        return Err(Skip::EditorFile);
    }
    // The innermost known folder wins, so a folder configured inside another one works.
    let folder = [
        (&folders.papers, Kind::Papers),
        (&folders.workflows, Kind::Workflows),
        (&folders.templates, Kind::Templates),
        (&folders.state, Kind::State),
    ]
    .into_iter()
    .filter(|(folder, _)| path.starts_with(folder))
    .max_by_key(|(folder, _)| folder.components().count());
    if let Some((folder, kind)) = folder {
        let parts = relative_parts(folder, path).ok_or(Skip::NotInput)?;
        return kind.sort(&parts);
    }
    if path.starts_with(&folders.root) {
        Err(Skip::NotInput)
    } else {
        Err(Skip::Outside)
    }
}

/// The known input folders.
#[derive(Clone, Copy)]
enum Kind {
    Papers,
    Workflows,
    Templates,
    State,
}

impl Kind {
    /// Sorts a path given as its parts below the folder.
    fn sort(self, parts: &[&str]) -> Result<Change, Skip> {
        let (stem, extension) = match parts {
            [name] => split_name(name),
            _ => ("", ""),
        };
        let yaml = extension == "yaml" || extension == "yml";
        match self {
            Kind::Papers if yaml => Ok(Change::Paper(stem.to_string())),
            Kind::Workflows if parts == [DIRECTORY_FILE] => Ok(Change::Directory),
            Kind::Workflows if yaml => Ok(Change::Workflow(stem.to_string())),
            Kind::State if extension == "jsonl" => Ok(Change::Journal(stem.to_string())),
            Kind::Templates => {
                if parts.iter().any(|part| part.starts_with('.')) {
                    return Err(Skip::EditorFile);
                }
                let mail = parts.len() >= 2 && parts[0] == MAIL_TEMPLATES;
                let last = parts.last().map_or("", |name| split_name(name).1);
                if mail || last.eq_ignore_ascii_case("docx") {
                    Ok(Change::Template(parts.join("/")))
                } else {
                    Err(Skip::NotInput)
                }
            }
            _ => Err(Skip::NotInput),
        }
    }
}

/// A file name split at its last dot: `("2026-017", "yaml")`; no dot gives an empty extension.
fn split_name(name: &str) -> (&str, &str) {
    match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, extension),
        _ => (name, ""),
    }
}

/// The parts of `path` below `folder`, all plain UTF-8 names; `None` for anything else.
fn relative_parts<'a>(folder: &Path, path: &'a Path) -> Option<Vec<&'a str>> {
    let relative = path.strip_prefix(folder).ok()?;
    let parts = relative
        .components()
        .map(|component| match component {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    (!parts.is_empty()).then_some(parts)
}

/// Collapses a batch of changes: duplicates go, the rest is sorted.
///
/// "Everything" is represented as `[Change::Rescan]` alone: when `Settings`, `Directory` or
/// `Rescan` is in the batch, the whole project has to be reloaded anyway, so the single-item
/// list replaces all other changes. An empty batch stays empty.
pub fn coalesce(changes: impl IntoIterator<Item = Change>) -> Vec<Change> {
    let set: BTreeSet<Change> = changes.into_iter().collect();
    let everything = set.iter().any(|change| {
        matches!(
            change,
            Change::Settings | Change::Directory | Change::Rescan
        )
    });
    if everything {
        vec![Change::Rescan]
    } else {
        set.into_iter().collect()
    }
}

/// The lengths the watcher's own journal appends left behind.
///
/// The reconciler calls [`OwnWrites::note`] with the journal path (as built by
/// `Folders::journal`) and its length after each append; an event on that file while it still
/// has that length is the echo of the watcher's own write and is ignored. A journal is only ever
/// appended to, so any other length means another process wrote. Shared via `Arc`.
#[derive(Debug, Default)]
pub struct OwnWrites {
    lengths: Mutex<HashMap<PathBuf, u64>>,
}

impl OwnWrites {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that the watcher's own write left `path` with `len` bytes.
    pub fn note(&self, path: &Path, len: u64) {
        let mut lengths = self.lengths.lock().unwrap_or_else(PoisonError::into_inner);
        lengths.insert(path.to_path_buf(), len);
    }

    /// Whether `path` with `len` bytes is exactly what the watcher's own last write left.
    pub fn is_own(&self, path: &Path, len: u64) -> bool {
        let lengths = self.lengths.lock().unwrap_or_else(PoisonError::into_inner);
        lengths.get(path) == Some(&len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> Folders {
        Folders::default_for(Path::new("/projekt"))
    }

    fn paper(id: &str) -> Change {
        Change::Paper(id.to_string())
    }

    #[test]
    fn classify_table() {
        use Change::*;
        let template = |name: &str| Some(Template(name.to_string()));
        let table: &[(&str, Option<Change>)] = &[
            ("ratsflow.yaml", Some(Settings)),
            ("workflows/directory.yaml", Some(Directory)),
            ("workflows/kreistag.yaml", Some(Workflow("kreistag".into()))),
            (
                "workflows/oelde-rat.yml",
                Some(Workflow("oelde-rat".into())),
            ),
            ("workflows/notes.txt", None),
            ("workflows/alt/kreistag.yaml", None),
            ("papers/2026-017.yaml", Some(paper("2026-017"))),
            ("papers/2021-042-1.yml", Some(paper("2021-042-1"))),
            ("papers/.2026-017.yaml.swp", None),
            ("papers/2026-017.yaml~", None),
            ("papers/~$vorlage.docx", None),
            ("papers/.ratsflow-xyz.tmp", None),
            ("papers/2026-017.yaml.tmp", None),
            ("papers/notiz.txt", None),
            // The loader reads only the top level of papers/: a subfolder is an archive.
            ("papers/sub/x.yaml", None),
            ("papers", None),
            ("templates/.~lock.beschlussvorlage.docx#", None),
            ("templates/~$schlussvorlage.docx", None),
            (
                "templates/beschlussvorlage.docx",
                template("beschlussvorlage.docx"),
            ),
            ("templates/ALT.DOCX", template("ALT.DOCX")),
            ("templates/notizen.txt", None),
            (
                "templates/mail/unterschrift.txt",
                template("mail/unterschrift.txt"),
            ),
            ("templates/mail/.unterschrift.txt.swp", None),
            ("templates/.git/config.docx", None),
            ("state/2026-017.jsonl", Some(Journal("2026-017".into()))),
            ("state/.ratsflow-abc.tmp", None),
            ("state/notes.txt", None),
            ("out/2026-017/Beschlussvorlage_017-26.docx", None),
            ("out/mail/2026-017.eml", None),
            (".ratsflow-watch.lock", None),
            (".ratsflow-xyz.tmp", None),
            ("README.md", None),
            ("ratsflow.yaml.bak", None),
        ];
        let folders = folders();
        for (relative, expected) in table {
            let path = folders.root.join(relative);
            assert_eq!(&classify(&folders, &path), expected, "{relative}");
        }
        assert_eq!(
            classify(&folders, Path::new("/anderswo/ratsflow.yaml")),
            None
        );
        assert_eq!(
            classify(&folders, Path::new("/projekt-alt/papers/a.yaml")),
            None
        );
    }

    #[test]
    fn skip_reasons() {
        let folders = folders();
        let sort = |relative: &str| sort(&folders, &folders.root.join(relative));
        assert_eq!(sort("out/a/b.docx"), Err(Skip::Output));
        assert_eq!(sort("papers/.a.yaml.swp"), Err(Skip::EditorFile));
        assert_eq!(sort(".ratsflow-watch.lock"), Err(Skip::LockFile));
        assert_eq!(sort("papers/a.txt"), Err(Skip::NotInput));
        assert_eq!(
            super::sort(&folders, Path::new("/tmp/x.yaml")),
            Err(Skip::Outside)
        );
    }

    #[test]
    fn configured_folders_outside_the_root_and_nested() {
        let mut folders = folders();
        folders.papers = PathBuf::from("/share/vorlagen");
        folders.templates = PathBuf::from("/projekt/papers/templates");
        folders.root = PathBuf::from("/projekt");
        assert_eq!(
            classify(&folders, Path::new("/share/vorlagen/a.yaml")),
            Some(paper("a"))
        );
        assert_eq!(
            classify(&folders, Path::new("/projekt/papers/templates/b.docx")),
            Some(Change::Template("b.docx".into()))
        );
        assert_eq!(
            classify(&folders, Path::new("/projekt/papers/a.yaml")),
            None
        );
    }

    #[test]
    fn coalesce_dedups_and_sorts() {
        let batch = [
            paper("b"),
            paper("a"),
            paper("b"),
            Change::Journal("a".into()),
        ];
        assert_eq!(
            coalesce(batch),
            vec![paper("a"), paper("b"), Change::Journal("a".into())]
        );
        assert_eq!(coalesce([]), Vec::<Change>::new());
    }

    #[test]
    fn coalesce_everything_wins() {
        for big in [Change::Settings, Change::Directory, Change::Rescan] {
            let batch = [paper("a"), big, Change::Workflow("w".into())];
            assert_eq!(coalesce(batch), vec![Change::Rescan]);
        }
    }

    #[test]
    fn own_writes_match_path_and_length() {
        let own = OwnWrites::new();
        let journal = Path::new("/projekt/state/a.jsonl");
        assert!(!own.is_own(journal, 10));
        own.note(journal, 10);
        assert!(own.is_own(journal, 10));
        assert!(!own.is_own(journal, 25), "another process appended");
        assert!(!own.is_own(Path::new("/projekt/state/b.jsonl"), 10));
        own.note(journal, 25);
        assert!(own.is_own(journal, 25));
        assert!(!own.is_own(journal, 10));
    }
}
