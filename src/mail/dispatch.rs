//! Sends the notices that are due: desired notices (engine) minus what the outbox says is done,
//! each recorded in the paper's outbox as queued before and as sent or failed after the
//! attempt. The paper's document and its Anlagen files go with each message, within the size
//! limit of [`compose::MAX_ATTACHMENT_BYTES`]. Called by a pass (`crate::pass`) that holds the project's pass lock.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};

use crate::documents;
use crate::engine::notices::{self, Notice, NoticeTime};
use crate::engine::{Inputs, PaperState};
use crate::journal::{self, Entry, JournalError, lock};
use crate::load::Project;
use crate::mail::compose;
use crate::mail::message::{Address, Attachment, OutgoingMail};
use crate::mail::outbox::{self, Action};
use crate::mail::transport::{SendError, Transport};
use crate::model::Paper;

/// What one dispatch did.
#[derive(Debug, Default)]
pub struct Summary {
    /// "Drucksache → Empfänger (Art)" lines.
    pub sent: Vec<String>,
    pub failed: Vec<String>,
    /// Temporarily failed notices waiting for their next attempt.
    pub waiting: usize,
    /// Permanently failed notices (see `ratsflow outbox`).
    pub stopped: usize,
    /// Papers whose outbox this dispatch wrote.
    pub written: Vec<String>,
}

/// The sender: from the settings, or the paper's organisation with a placeholder address.
pub fn sender(project: &Project, paper: &Paper) -> Address {
    compose::sender(project, paper)
}

/// The notice timing of a project.
pub fn notice_time(project: &Project) -> NoticeTime {
    NoticeTime {
        at: project.settings.notify_at.0,
        tz: project.settings.time_zone,
    }
}

/// Sends every due notice of one paper. Only a journal write failure is an `Err`.
#[allow(clippy::too_many_arguments)]
pub fn dispatch_paper(
    project: &Project,
    paper: &Paper,
    inputs: &Inputs<'_>,
    state: &PaperState,
    notice_lines: &[&Entry],
    transport: &dyn Transport,
    now_local: DateTime<FixedOffset>,
    summary: &mut Summary,
) -> Result<(), JournalError> {
    let desired = notices::desired(inputs, state, notice_time(project));
    // The backoff after a failure counts from the earlier of the real and the pass's clock: a
    // simulated clock behind the real one sees its own failures, one ahead of it is not made
    // to wait for a moment that has not come yet.
    let statuses = outbox::statuses(&on_pass_clock(notice_lines));
    // Outbox lines carry the real time: a pass with a simulated clock (`--now` ahead) must not
    // record a notice as sent at a moment that has not come yet. The pass's own clock, at which
    // the notice was due, is kept in `due`.
    let clock = || {
        Utc::now()
            .with_timezone(&project.settings.time_zone)
            .fixed_offset()
    };
    let due = Some(now_local);
    let obsolete: Vec<Entry> = outbox::obsolete(&statuses, &desired)
        .into_iter()
        .map(|key| Entry {
            due,
            ..outbox::superseded(key, clock())
        })
        .collect();
    let mut work = Vec::new();
    for notice in desired {
        match outbox::action(&notice, statuses.get(&notice.key), inputs.now) {
            Action::Send(attempt) => work.push((notice, attempt)),
            Action::Done => {}
            Action::Wait(_) => summary.waiting += 1,
            Action::Stopped => summary.stopped += 1,
        }
    }
    if obsolete.is_empty() && work.is_empty() {
        return Ok(());
    }
    // The outbox stays open and locked while this paper's notices go out, so that recording
    // "sent" after the server's acceptance is a single write: the shortest possible window in
    // which a crash could cause a second delivery. It is not the paper's journal: signing
    // does not wait for this.
    let mut journal = journal::Appender::open(&lock::outbox(project.folders(), &paper.id))?;
    summary.written.push(paper.id.clone());
    journal.append(&obsolete)?;
    for (notice, attempt) in work {
        let label = describe(project, paper, &notice);
        let built = build(project, paper, state, &notice, now_local);
        if let Err(compose::ComposeError::Template(problem)) = &built {
            // A problem of the template, not of the message: nothing is recorded, and the
            // notice goes out on the first pass after the template is fixed.
            summary.failed.push(format!(
                "{label}: {problem} (die Nachricht wartet, bis die Vorlage korrigiert ist)"
            ));
            continue;
        }
        journal.append(&[Entry {
            due,
            ..outbox::queued(&notice, attempt, clock())
        }])?;
        match built.map_err(|err| err.to_string()) {
            Err(reason) => {
                journal.append(&[Entry {
                    due,
                    ..outbox::failed(&notice, attempt, clock(), true, &reason)
                }])?;
                summary.failed.push(format!("{label}: {reason}"));
            }
            Ok(mail) => {
                let sent_line = journal.lines(&[Entry {
                    due,
                    ..outbox::sent(&notice, attempt, clock())
                }])?;
                // "sent" is written at the transport's commit point: a single write, no fsync
                // (a killed process loses nothing it wrote); the fsync follows the reply.
                let mut committed: Option<Result<(), JournalError>> = None;
                let result = transport.send_committing(&mail, &mut || {
                    committed = Some(journal.write_lines_unsynced(&sent_line));
                });
                match (result, committed) {
                    (_, Some(Err(err))) => return Err(err),
                    (Ok(()), Some(Ok(()))) => {
                        journal.sync()?;
                        summary.sent.push(label);
                    }
                    (Ok(()), None) => {
                        journal.write_lines(&sent_line)?;
                        summary.sent.push(label);
                    }
                    (Err(error), _) => {
                        let permanent = matches!(error, SendError::Permanent(_));
                        journal.append(&[Entry {
                            due,
                            ..outbox::failed(&notice, attempt, clock(), permanent, error.message())
                        }])?;
                        summary.failed.push(format!("{label}: {}", error.message()));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Notice lines with `time` set to the earlier of the real clock and the pass's clock (`due`):
/// the moment a notice was handled as the world of that pass saw it, never one in the future
/// of the real clock. Used for the backoff and for what `ratsflow outbox` shows.
pub fn on_pass_clock(lines: &[&Entry]) -> Vec<Entry> {
    lines
        .iter()
        .map(|entry| Entry {
            time: entry.due.map_or(entry.time, |due| due.min(entry.time)),
            ..(*entry).clone()
        })
        .collect()
}

/// "042/21 → Herbert Goldmann (unterschrift)".
fn describe(project: &Project, paper: &Paper, notice: &Notice) -> String {
    format!(
        "{} → {} ({})",
        paper.reference(),
        project.directory.person_name(&notice.recipient),
        notice.kind.word()
    )
}

/// The message of a notice, with the paper's current document attached when there is one.
fn build(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
    now_local: DateTime<FixedOffset>,
) -> Result<OutgoingMail, compose::ComposeError> {
    let (attachment, pdf) = crate::pdf::attach::documents(project, paper);
    let used = attachment.as_ref().map_or(0, |a| a.bytes.len())
        + pdf.as_ref().map_or(0, |a| a.bytes.len());
    let mut mail = compose::outgoing(project, paper, state, notice, attachment, now_local)?;
    let (anlagen, notes) = anlagen(project, paper, used);
    mail.anlagen = pdf.into_iter().chain(anlagen).collect();
    for note in notes {
        if !mail.text.ends_with('\n') {
            mail.text.push('\n');
        }
        mail.text.push('\n');
        mail.text.push_str(&crate::sanitize::text(&note));
        mail.text.push('\n');
    }
    Ok(mail)
}

/// The paper's Anlagen that name a file, in their order, as long as everything attached stays
/// within [`compose::MAX_ATTACHMENT_BYTES`] (`used` is taken by the document); an Anlage that
/// does not fit or cannot be read stays out, and a German paragraph for the text says so.
fn anlagen(project: &Project, paper: &Paper, mut used: usize) -> (Vec<Attachment>, Vec<String>) {
    let root = &project.folders().root;
    let limit = compose::MAX_ATTACHMENT_BYTES;
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for (i, anlage) in paper.attachments.iter().enumerate() {
        let Some(file) = anlage.file.as_deref() else {
            continue;
        };
        let number = i + 1;
        let size = std::fs::metadata(root.join(file)).map(|m| m.len());
        let bytes = match size {
            Ok(size) if used as u64 + size > limit as u64 => {
                notes.push(format!(
                    "Anlage {number} „{}“ ist zu groß für den Versand per E-Mail ({}; mit dem Dokument zusammen höchstens {}) und liegt dieser Nachricht nicht bei. Sie liegt im Projekt unter „{file}“.",
                    anlage.title,
                    crate::docx::limits::megabytes(usize::try_from(size).unwrap_or(usize::MAX)),
                    crate::docx::limits::megabytes(limit),
                ));
                continue;
            }
            Ok(_) => std::fs::read(root.join(file)).ok(),
            Err(_) => None,
        };
        let Some(bytes) = bytes.filter(|b| used + b.len() <= limit) else {
            notes.push(format!(
                "Anlage {number} „{}“ ließ sich nicht lesen und liegt dieser Nachricht nicht bei; sie gehört unter „{file}“ im Projekt.",
                anlage.title
            ));
            continue;
        };
        used += bytes.len();
        let file_name = Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("Anlage")
            .to_string();
        files.push(Attachment {
            content_type: content_type(&file_name).into(),
            file_name,
            bytes,
        });
    }
    (files, notes)
}

/// The MIME type of an Anlage by its extension; anything unknown is plain bytes.
fn content_type(file_name: &str) -> &'static str {
    let extension = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// The paper's own document from `out/`, if it has been rendered.
pub(crate) fn attachment(project: &Project, paper: &Paper) -> Option<Attachment> {
    let job = documents::jobs_for(paper, false).into_iter().next()?;
    let path = project.folders().out.join(&job.output);
    let bytes = std::fs::read(&path).ok()?;
    let file_name = Path::new(&job.output).file_name()?.to_str()?.to_string();
    Some(Attachment {
        file_name,
        content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            .into(),
        bytes,
    })
}
