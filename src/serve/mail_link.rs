//! The personal link a request to sign carries, when the project has `serve.public_url`.
//!
//! Requests to sign, to sign again and reminders name the person asked; their mail gets
//! `<public_url>/z/<token>` ([`super::link`]) bound to that paper, stage, person, the
//! paper's current content and the stage's current round (how often a return sent the paper
//! back through it). It is valid for [`VALID_DAYS`] days from sending, and at least until
//! [`GRACE_DAYS`] days after the stage's deadline. Without `public_url`, or when the key cannot
//! be used (a warning says why, once), mails stay as they were.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, Days, Utc};

use super::key::{self, LinkKey};
use super::link::{self, Claims};
use crate::engine::PaperState;
use crate::engine::notices::{Notice, NoticeKind};
use crate::load::Project;
use crate::model::Paper;

/// How long a link is valid after it was sent.
pub const VALID_DAYS: i64 = 30;
/// How long after the stage's deadline a link is still valid.
pub const GRACE_DAYS: u64 = 14;

/// The link for `notice`, if it is a request to sign and the project has a public address.
pub fn for_notice(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Option<String> {
    if !matches!(
        notice.kind,
        NoticeKind::Sign | NoticeKind::Resign | NoticeKind::Reminder
    ) {
        return None;
    }
    let base = project.settings.serve.public_url.as_deref()?;
    let key = project_key(project)?;
    let mut expires = now + chrono::Duration::days(VALID_DAYS);
    if let Some(end) = notice
        .due
        .and_then(|due| due.checked_add_days(Days::new(GRACE_DAYS + 1)))
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
    {
        expires = expires.max(end);
    }
    let round = project
        .workflow_of(paper)
        .and_then(|workflow| workflow.stage_index(&notice.stage))
        .and_then(|index| state.stages.get(index))
        .map_or(0, |stage| stage.round);
    let claims = Claims {
        paper: paper.id.clone(),
        stage: notice.stage.clone(),
        person: notice.recipient.clone(),
        hash: paper.short_hash().to_string(),
        expires,
        round,
    };
    let token = link::issue(key.bytes(), &claims)?;
    Some(format!("{base}/z/{token}"))
}

/// The project's link key, read (or created) once per process and key file.
pub fn project_key(project: &Project) -> Option<LinkKey> {
    static KEYS: OnceLock<Mutex<HashMap<PathBuf, Result<LinkKey, String>>>> = OnceLock::new();
    let root = &project.folders().root;
    let path = match key::path_for(root, project.settings.serve.key_file.as_deref()) {
        Ok(path) => path,
        Err(message) => {
            warn_once(&message);
            return None;
        }
    };
    let keys = KEYS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut keys = keys
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = keys
        .entry(path.clone())
        .or_insert_with(|| key::load_or_create(root, &path));
    match entry {
        Ok(key) => Some(key.clone()),
        Err(message) => {
            let message = message.clone();
            drop(keys);
            warn_once(&format!(
                "{message} Die Nachrichten gehen ohne Link hinaus."
            ));
            None
        }
    }
}

fn warn_once(message: &str) {
    static SAID: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    let said = SAID.get_or_init(|| Mutex::new(Vec::new()));
    let mut said = said
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.iter().any(|m| m == message) {
        eprintln!("Warnung: {message}");
        said.push(message.to_string());
    }
}
