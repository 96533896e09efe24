//! Sends the notices that are due: desired notices (engine) minus what the outbox (journal)
//! says is done, each recorded as queued before and as sent or failed after the attempt.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::documents;
use crate::engine::notices::{self, Notice, NoticeTime};
use crate::engine::{Inputs, PaperState};
use crate::journal::{self, Entry, JournalError};
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
    /// Journal lines this dispatch wrote, by paper id (for the watcher's own-write filter).
    pub written: Vec<String>,
}

/// The sender: from the settings, or the paper's organisation with a placeholder address.
pub fn sender(project: &Project, paper: &Paper) -> Address {
    match &project.settings.mail {
        Some(mail) => Address::new(mail.from.name.clone(), mail.from.email.clone()),
        None => {
            let org = project
                .directory
                .organisations
                .get(project.organisation_of(paper));
            Address::new(
                org.map_or("ratsflow".to_string(), |o| o.name.clone()),
                "ratsflow@ratsflow.invalid",
            )
        }
    }
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
    transport: &dyn Transport,
    now_local: DateTime<FixedOffset>,
    summary: &mut Summary,
) -> Result<(), JournalError> {
    let desired = notices::desired(inputs, state, notice_time(project));
    if desired.is_empty() {
        return Ok(());
    }
    let statuses = outbox::statuses(inputs.journal);
    let journal_path = project.folders().journal(&paper.id);
    for notice in desired {
        let attempt = match outbox::action(&notice, statuses.get(&notice.key), inputs.now) {
            Action::Send(attempt) => attempt,
            Action::Done => continue,
            Action::Wait(_) => {
                summary.waiting += 1;
                continue;
            }
            Action::Stopped => {
                summary.stopped += 1;
                continue;
            }
        };
        let label = describe(project, paper, &notice);
        let record = |entry: Entry, summary: &mut Summary| -> Result<(), JournalError> {
            journal::append(&journal_path, &[entry])?;
            summary.written.push(paper.id.clone());
            Ok(())
        };
        record(outbox::queued(&notice, attempt, now_local), summary)?;
        match build(project, paper, state, &notice, now_local) {
            Err(reason) => {
                record(
                    outbox::failed(&notice, attempt, now_local, true, &reason),
                    summary,
                )?;
                summary.failed.push(format!("{label}: {reason}"));
            }
            Ok(mail) => match transport.send(&mail) {
                Ok(()) => {
                    record(outbox::sent(&notice, attempt, now_local), summary)?;
                    summary.sent.push(label);
                }
                Err(error) => {
                    let permanent = matches!(error, SendError::Permanent(_));
                    record(
                        outbox::failed(&notice, attempt, now_local, permanent, error.message()),
                        summary,
                    )?;
                    summary.failed.push(format!("{label}: {}", error.message()));
                }
            },
        }
    }
    Ok(())
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
) -> Result<OutgoingMail, String> {
    let recipient = project
        .directory
        .person(&notice.recipient)
        .ok_or_else(|| format!("„{}“ steht nicht im Verzeichnis", notice.recipient))?;
    let text = compose::compose(&project.folders().templates, project, paper, state, notice)?;
    let from = sender(project, paper);
    let domain = from
        .email
        .rsplit_once('@')
        .map_or("ratsflow.invalid", |(_, d)| d)
        .to_string();
    Ok(OutgoingMail {
        message_id: outbox::message_id(&notice.key, &domain),
        from,
        to: vec![Address::new(
            recipient.name.clone(),
            recipient.email.clone(),
        )],
        subject: text.subject,
        text: text.body,
        attachment: attachment(project, paper),
        date: now_local,
    })
}

/// The paper's own document from `out/`, if it has been rendered.
fn attachment(project: &Project, paper: &Paper) -> Option<Attachment> {
    let templates = &project.folders().templates;
    let available = |name: &str| templates.join(name).is_file();
    let job = documents::jobs_for(paper, false, &available)
        .into_iter()
        .next()?;
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
