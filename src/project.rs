//! Where things are: the project root, its folders and its settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::calendar::ClosedDay;
use crate::load::raw::RawSettings;
use crate::model::dates::TimeOfDay;

/// The name of the settings file at the project root.
pub const SETTINGS_FILE: &str = "ratsflow.yaml";
/// The directory file inside the workflows folder.
pub const DIRECTORY_FILE: &str = "directory.yaml";

/// The folders of a project, absolute.
#[derive(Clone, Debug)]
pub struct Folders {
    pub root: PathBuf,
    pub workflows: PathBuf,
    pub papers: PathBuf,
    pub templates: PathBuf,
    pub out: PathBuf,
    pub state: PathBuf,
}

impl Folders {
    /// The default layout below `root`, before settings are read.
    pub fn default_for(root: &Path) -> Self {
        Folders {
            root: root.to_path_buf(),
            workflows: root.join("workflows"),
            papers: root.join("papers"),
            templates: root.join("templates"),
            out: root.join("out"),
            state: root.join("state"),
        }
    }

    /// A path as it is shown to users: relative to the project root where possible.
    pub fn display<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// The journal file of a paper.
    pub fn journal(&self, paper_id: &str) -> PathBuf {
        self.state.join(format!("{paper_id}.jsonl"))
    }
}

/// Validated settings.
#[derive(Clone, Debug)]
pub struct Settings {
    pub organisation: String,
    pub time_zone: Tz,
    pub closed_days: Vec<ClosedDay>,
    pub closed_dates: Vec<chrono::NaiveDate>,
    pub notify_at: TimeOfDay,
    pub folders: Folders,
    pub mail: Option<crate::load::raw::RawMail>,
    /// Kinds of paper: the built-in ones plus the project's own.
    pub kinds: crate::model::Kinds,
}

impl Settings {
    /// Builds settings from the raw file; `Err` holds a German message for a bad time zone.
    pub fn from_raw(root: &Path, raw: RawSettings) -> Result<Self, String> {
        let time_zone = match raw.time_zone.as_deref() {
            None => chrono_tz::Europe::Berlin,
            Some(name) => name
                .parse::<Tz>()
                .map_err(|_| format!("unbekannte Zeitzone „{name}“, z. B. Europe/Berlin"))?,
        };
        let folder =
            |value: &Option<String>, default: &str| root.join(value.as_deref().unwrap_or(default));
        let folders = Folders {
            root: root.to_path_buf(),
            workflows: folder(&raw.folders.workflows, "workflows"),
            papers: folder(&raw.folders.papers, "papers"),
            templates: folder(&raw.folders.templates, "templates"),
            out: folder(&raw.folders.out, "out"),
            state: folder(&raw.folders.state, "state"),
        };
        let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(chrono::NaiveTime::MIN);
        // A CA file is named relative to the project, not to wherever ratsflow was started.
        let mut mail = raw.mail;
        // Addresses are used as sending parses them: surrounding white space does not count.
        if let Some(mail) = mail.as_mut() {
            mail.from.email = mail.from.email.trim().to_string();
        }
        if let Some(smtp) = mail.as_mut().and_then(|m| m.smtp.as_mut())
            && let Some(ca) = smtp.ca_file.as_mut()
            && Path::new(ca.as_str()).is_relative()
        {
            *ca = root.join(ca.as_str()).display().to_string();
        }
        Ok(Settings {
            organisation: raw.organisation,
            time_zone,
            closed_days: raw.closed_days,
            closed_dates: raw.closed_dates.into_iter().map(|d| d.0).collect(),
            notify_at: raw.notify_at.unwrap_or(TimeOfDay(eight)),
            folders,
            mail,
            kinds: kinds_from_raw(raw.kinds),
        })
    }
}

/// The built-in kinds plus those declared under `kinds:`; a declared kind replaces a built-in
/// one of the same name. Its template defaults to the name in ASCII (`sitzungsvorlage.docx`).
fn kinds_from_raw(raw: BTreeMap<String, crate::load::raw::RawKind>) -> crate::model::Kinds {
    let mut kinds = crate::model::Kinds::builtin();
    for (name, kind) in raw {
        let name = name.trim().to_string();
        let template = kind
            .template
            .unwrap_or_else(|| format!("{}.docx", crate::output::ascii_name(&name.to_lowercase())));
        kinds.insert(crate::model::PaperKind {
            template,
            series: kind.series.unwrap_or_default(),
            gender: kind.article,
            relation: kind.relation.unwrap_or_default(),
            author: kind.author.unwrap_or_default(),
            name,
        });
    }
    kinds
}
