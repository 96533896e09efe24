//! Invitations: on the morning of a meeting's Ladungsfrist (days before the meeting, counted
//! with the calendar of the body's organisation), every member of the body gets an invitation
//! with the agenda attached; papers added to the agenda afterwards go out as a Nachtrag, a
//! notice of its own. Both run through the outbox like every notice (queued before, sent at
//! the transport's commit point, one Message-ID per notice), in an outbox file of the meeting
//! (`state/outbox/sitzung-<body>-<date>.jsonl`).
//!
//! Before the invitation goes out the agenda is set (see [`super::schedule`]): the members get
//! exactly the agenda the journals fix. Without a Ladungsfrist (`ladungsfrist:` in
//! ratsflow.yaml or at the body) or without members, a meeting has no invitations.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use minijinja::context;

use super::{Agenda, schedule};
use crate::calendar::Calendar;
use crate::documents::{self, Mode, Templates};
use crate::engine::notices::{Notice, NoticeKind};
use crate::journal::{self, lock};
use crate::load::Project;
use crate::mail::compose;
use crate::mail::dispatch::{Summary, notice_time};
use crate::mail::message::{Address, Attachment, DOCX_CONTENT_TYPE, OutgoingMail};
use crate::mail::outbox::{self, Action};
use crate::mail::transport::{SendError, Transport};
use crate::model::Body;
use crate::pass::{Journals, PassError};

/// The working-day calendar of a body: its organisation's Land plus the closed days.
pub fn calendar(project: &Project, body: &Body) -> Calendar {
    let org = body
        .organisation
        .as_deref()
        .unwrap_or(&project.settings.organisation);
    let land = project
        .directory
        .organisations
        .get(org)
        .map_or(crate::calendar::Land::NW, |o| o.land);
    Calendar::new(land, project.settings.closed_days.clone())
        .with_closed_dates(project.settings.closed_dates.clone())
}

/// The day by which the invitation to `body`'s meeting on `meeting` must go out, if the body
/// (or the project) has a Ladungsfrist.
pub fn ladung_by(
    project: &Project,
    body: &Body,
    calendar: &Calendar,
    meeting: NaiveDate,
) -> Option<NaiveDate> {
    let rule = body.ladungsfrist.or(project.settings.ladungsfrist)?;
    Some(calendar.deadline(&rule, meeting))
}

/// The outbox id of a meeting: `sitzung-<body>-<date>`.
pub fn outbox_id(agenda: &Agenda) -> String {
    format!("sitzung-{}-{}", agenda.body, agenda.date)
}

/// Sends the invitations and Nachträge that are due. The caller holds the pass lock; every
/// paper's journal is read here as needed. Papers put on an agenda are added to
/// `summary.written` (their journals changed).
pub fn dispatch(
    project: &Project,
    journals: &mut Journals,
    transport: &dyn Transport,
    now: DateTime<Utc>,
    summary: &mut Summary,
) -> Result<(), PassError> {
    let folders = project.folders();
    journals.load(folders, project.papers.keys())?;
    let tz = project.settings.time_zone;
    let today = now.with_timezone(&tz).date_naive();
    let time = notice_time(project);
    let agendas = super::all(project, journals, now)?;
    for agenda in agendas {
        let Some(body) = project.directory.body(&agenda.body) else {
            continue;
        };
        if body.members.is_empty() || agenda.date < today {
            continue;
        }
        let calendar = calendar(project, body);
        let Some(by) = ladung_by(project, body, &calendar, agenda.date) else {
            continue;
        };
        let from = crate::calendar::local_instant(by, time.at, tz);
        if now < from {
            continue;
        }
        let path = lock::outbox(folders, &outbox_id(&agenda));
        let lines = journal::read(&path)?;
        let statuses = outbox::statuses(&lines.entries);
        let invited = lines.entries.iter().any(|e| {
            e.event == journal::Event::NoticeSent
                && e.kind.as_deref() == Some(NoticeKind::Invitation.word())
        });
        // Fix what the members get: the agenda as the journals record it.
        let agenda = if agenda.unfixed().next().is_some() {
            let placed = match schedule::set(project, &agenda, now) {
                Ok(placed) => placed,
                Err(crate::record::RecordError::Refused(refusal)) => {
                    // The invitation waits: what its agenda holds cannot be recorded yet.
                    summary.failed.push(format!(
                        "Sitzung {} am {}: {refusal}",
                        agenda.body_name,
                        agenda.date.format("%d.%m.%Y")
                    ));
                    continue;
                }
                Err(other) => return Err(PassError::Io(other.to_string())),
            };
            let ids: Vec<String> = placed.into_iter().map(|p| p.paper).collect();
            journals.refresh(folders, &ids)?;
            summary.written.extend(ids);
            match super::build(project, journals, &agenda.body, agenda.date, now)? {
                Some(agenda) => agenda,
                None => continue,
            }
        } else {
            agenda
        };
        let kind = if invited {
            NoticeKind::Supplement
        } else {
            NoticeKind::Invitation
        };
        let tops: Vec<&str> = agenda.supplement().map(|i| i.number.as_str()).collect();
        if kind == NoticeKind::Supplement && tops.is_empty() {
            continue;
        }
        let extra = if kind == NoticeKind::Supplement {
            format!("|{}", tops.join(","))
        } else {
            String::new()
        };
        let notices: Vec<Notice> = body
            .members
            .iter()
            .map(|member| Notice {
                key: format!("{}|{member}|{}{extra}", outbox_id(&agenda), kind.word()),
                paper: outbox_id(&agenda),
                stage: agenda.body.clone(),
                recipient: member.clone(),
                kind,
                due: Some(by),
                at: from,
                comment: None,
                on_behalf_of: None,
            })
            .collect();
        let work: Vec<(Notice, u32)> = notices
            .into_iter()
            .filter_map(
                |notice| match outbox::action(&notice, statuses.get(&notice.key), now) {
                    Action::Send(attempt) => Some((notice, attempt)),
                    Action::Wait(_) => {
                        summary.waiting += 1;
                        None
                    }
                    Action::Stopped => {
                        summary.stopped += 1;
                        None
                    }
                    Action::Done => None,
                },
            )
            .collect();
        if work.is_empty() {
            continue;
        }
        // The attachment is the agenda as set, rendered now if the pass has not yet.
        let templates = Templates::new(&folders.templates);
        if templates.exists(documents::agenda::TEMPLATE) {
            documents::agenda::render(project, &agenda, &templates, Mode::Write)
                .map_err(|e| PassError::Io(e.to_string()))?;
        }
        let attachment = attachment(project, &agenda);
        let now_local = now.with_timezone(&tz).fixed_offset();
        send(
            project, &agenda, &path, work, attachment, transport, now_local, summary,
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn send(
    project: &Project,
    agenda: &Agenda,
    path: &std::path::Path,
    work: Vec<(Notice, u32)>,
    attachment: Option<Attachment>,
    transport: &dyn Transport,
    now_local: DateTime<FixedOffset>,
    summary: &mut Summary,
) -> Result<(), PassError> {
    let mut appender = journal::Appender::open(path)?;
    for (notice, attempt) in work {
        let label = format!(
            "Sitzung {} am {} → {} ({})",
            agenda.body_name,
            agenda.date.format("%d.%m.%Y"),
            project.directory.person_name(&notice.recipient),
            notice.kind.word()
        );
        let mail = match message(project, agenda, &notice, attachment.clone(), now_local) {
            Ok(mail) => mail,
            Err(compose::ComposeError::Template(problem)) => {
                summary.failed.push(format!(
                    "{label}: {problem} (die Nachricht wartet, bis die Vorlage korrigiert ist)"
                ));
                continue;
            }
            Err(other) => {
                appender.append(&[outbox::queued(&notice, attempt, now_local)])?;
                let reason = other.to_string();
                appender.append(&[outbox::failed(&notice, attempt, now_local, true, &reason)])?;
                summary.failed.push(format!("{label}: {reason}"));
                continue;
            }
        };
        appender.append(&[outbox::queued(&notice, attempt, now_local)])?;
        let sent_line = appender.lines(&[outbox::sent(&notice, attempt, now_local)])?;
        let mut committed = None;
        let result = transport.send_committing(&mail, &mut || {
            committed = Some(appender.write_lines_unsynced(&sent_line));
        });
        match (result, committed) {
            (_, Some(Err(err))) => return Err(err.into()),
            (Ok(()), Some(Ok(()))) => {
                appender.sync()?;
                summary.sent.push(label);
            }
            (Ok(()), None) => {
                appender.write_lines(&sent_line)?;
                summary.sent.push(label);
            }
            (Err(error), _) => {
                let permanent = matches!(error, SendError::Permanent(_));
                appender.append(&[outbox::failed(
                    &notice,
                    attempt,
                    now_local,
                    permanent,
                    error.message(),
                )])?;
                summary.failed.push(format!("{label}: {}", error.message()));
            }
        }
    }
    Ok(())
}

/// The agenda document from `out/`, if it has been rendered.
fn attachment(project: &Project, agenda: &Agenda) -> Option<Attachment> {
    let relative = documents::agenda::output_path(agenda);
    let bytes = std::fs::read(project.folders().out.join(&relative)).ok()?;
    Some(Attachment {
        file_name: relative.file_name()?.to_str()?.to_string(),
        content_type: DOCX_CONTENT_TYPE.into(),
        bytes,
    })
}

/// „TOP 3 Rahmenkonzept … (Drucksache 017/26)“, one line per TOP.
fn lines<'a>(items: impl Iterator<Item = &'a super::Item>) -> Vec<String> {
    items
        .map(|item| match &item.paper {
            Some(paper) => format!(
                "TOP {} {} (Drucksache {})",
                item.number, item.title, paper.reference
            ),
            None => format!("TOP {} {}", item.number, item.title),
        })
        .collect()
}

fn message(
    project: &Project,
    agenda: &Agenda,
    notice: &Notice,
    attachment: Option<Attachment>,
    now_local: DateTime<FixedOffset>,
) -> Result<OutgoingMail, compose::ComposeError> {
    let person = project.directory.person(&notice.recipient).ok_or_else(|| {
        compose::ComposeError::Notice(format!("„{}“ steht nicht im Verzeichnis", notice.recipient))
    })?;
    let body = project.directory.body(&agenda.body);
    let org_id = body
        .and_then(|b| b.organisation.as_deref())
        .unwrap_or(&project.settings.organisation);
    let org = project
        .directory
        .organisations
        .get(org_id)
        .map_or(org_id, |o| o.name.as_str());
    let mut agenda_lines = Vec::new();
    for part in [super::Part::Public, super::Part::NonPublic] {
        agenda_lines.push(format!("{}:", part.heading()));
        agenda_lines.extend(lines(agenda.part(part)));
        agenda_lines.push(String::new());
    }
    agenda_lines.pop();
    let data = context! {
        recipient => context! { id => person.id.clone(), name => person.name.clone() },
        salutation => compose::salutation(Some(person)),
        body => agenda.body_name.clone(),
        meeting => agenda.date.format("%d.%m.%Y").to_string(),
        ladungsfrist => notice.due.map(|d| d.format("%d.%m.%Y").to_string()),
        agenda => agenda_lines,
        supplement => lines(agenda.supplement()),
        org => org,
        notice => notice.kind.word(),
    };
    let text = project
        .mail_templates
        .render(notice.kind, &data)
        .map_err(compose::ComposeError::Template)?;
    let from = match &project.settings.mail {
        Some(mail) => Address::new(mail.from_name.clone(), mail.from.to_string()),
        None => Address::new(org, "ratsflow@ratsflow.invalid"),
    };
    let domain = from
        .email
        .rsplit_once('@')
        .map_or("ratsflow.invalid", |(_, d)| d)
        .trim()
        .to_string();
    let reply_to = body
        .map(|b| {
            b.office
                .iter()
                .filter_map(|id| project.directory.person(id))
                .map(|p| Address::new(p.name.clone(), p.email.clone()))
                .collect()
        })
        .unwrap_or_default();
    Ok(OutgoingMail {
        message_id: outbox::message_id(&notice.key, &domain),
        from,
        to: vec![Address::new(person.name.clone(), person.email.clone())],
        subject: text.subject,
        text: text.body,
        attachment,
        anlagen: Vec::new(),
        date: now_local,
        reply_to,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::calendar::{Calendar, DayUnit, DeadlineRule, Direction, Land};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Counted back in working days, the Ladungsfrist skips the holidays of the body's Land.
    #[test]
    fn the_ladungsfrist_skips_the_holidays_of_the_land() {
        let five = DeadlineRule::new(5, DayUnit::Working, Direction::Before);
        let nw = Calendar::new(Land::NW, Vec::new());
        let ni = Calendar::new(Land::NI, Vec::new());
        // Thursday 27.06.2019; Fronleichnam (20.06.) is a holiday in NW, not in NI.
        assert_eq!(nw.deadline(&five, date(2019, 6, 27)), date(2019, 6, 19));
        assert_eq!(ni.deadline(&five, date(2019, 6, 27)), date(2019, 6, 20));
        // Tuesday 05.11.2019; Reformationstag (31.10.) is a holiday in NI, Allerheiligen
        // (01.11.) in NW.
        let two = DeadlineRule::new(2, DayUnit::Working, Direction::Before);
        assert_eq!(nw.deadline(&two, date(2019, 11, 5)), date(2019, 10, 31));
        assert_eq!(ni.deadline(&two, date(2019, 11, 5)), date(2019, 11, 1));
    }
}
