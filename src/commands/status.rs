//! `ratsflow status`: where every paper stands; with a paper, its stages and full history.

use super::status_decisions;
use super::{Failure, Session, date_de};
use crate::engine::{MeetingSource, PaperState, Position, StageStatus};
use crate::journal::Event;
use crate::load::Project;
use crate::model::{Paper, StageKind};
use crate::table::{Table, truncate};

/// `status [PAPER]`.
pub fn run(session: &mut Session, paper: Option<&str>) -> Result<(), Failure> {
    session.load_journals()?;
    for (id, journal) in &session.journals {
        for bad in &journal.bad_lines {
            eprintln!("Warnung: state/{id}.jsonl:{}: {}", bad.line, bad.message);
        }
    }
    match paper {
        None => {
            if session.loaded.diagnostics.has_errors() {
                let errors = session.loaded.diagnostics.error_count();
                eprintln!(
                    "Warnung: {errors} Fehler im Projekt; fehlerhafte Drucksachen fehlen in der Übersicht (ratsflow check)"
                );
            }
            print_table(session)
        }
        Some(key) => {
            let paper = session.find_paper(key)?.clone();
            print_paper(session, &paper)
        }
    }
}

/// Where a paper stands, in words, and who or what it waits for (also the board's columns).
pub fn position_text(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    today: chrono::NaiveDate,
) -> (String, String) {
    let Some(workflow) = project.workflow_of(paper) else {
        return ("?".into(), String::new());
    };
    let workflow = &*workflow;
    match state.position {
        Position::Finished(outcome) => (outcome.label().to_string(), String::new()),
        Position::At(index) => {
            let stage = &workflow.stages[index];
            let stage_state = &state.stages[index];
            let waiting = match &stage.kind {
                StageKind::Sign(_) => stage_state
                    .waiting_for
                    .iter()
                    .map(|id| {
                        let name = project.directory.person_name(id);
                        if stage_state.stale.contains(id) {
                            format!("{name} (erneut)")
                        } else {
                            name.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                StageKind::Consult { .. } => {
                    let body = stage_state
                        .body
                        .as_deref()
                        .and_then(|b| project.directory.body(b));
                    let name = body.map_or("?", |b| b.short.as_deref().unwrap_or(&b.name));
                    match stage_state.meeting {
                        Some(m) if m.date < today => format!(
                            "{name}: Ergebnis der Sitzung vom {} eintragen",
                            date_de(m.date)
                        ),
                        Some(m) => format!("{name}, Sitzung {}", date_de(m.date)),
                        None => format!("{name}, kein Sitzungstermin"),
                    }
                }
            };
            (stage.title.clone(), waiting)
        }
    }
}

/// The overview table of all papers.
pub fn print_table(session: &Session) -> Result<(), Failure> {
    let project = session.project()?;
    let mut table = Table::new(&[
        "Drucksache",
        "Titel",
        "Stufe",
        "wartet auf",
        "nächste Frist",
    ]);
    let (mut open, mut finished, mut overdue, mut later) = (0, 0, 0, 0);
    let today = session.now_local().date_naive();
    for paper in project.papers.values() {
        if paper.date.is_some_and(|d| d > today) {
            later += 1;
            continue;
        }
        let Some(state) = session.state_of(paper)? else {
            continue;
        };
        let (stage, waiting) = position_text(project, paper, &state, today);
        match state.position {
            Position::At(_) => open += 1,
            Position::Finished(_) => finished += 1,
        }
        let deadline = match state.next_deadline() {
            Some((date, true)) => {
                overdue += 1;
                format!("{} ÜBERFÄLLIG", date_de(date))
            }
            Some((date, false)) => date_de(date),
            None => String::new(),
        };
        table.row(vec![
            paper.reference().to_string(),
            truncate(&paper.title, 40),
            stage,
            truncate(&waiting, 48),
            deadline,
        ]);
    }
    for id in &project.broken_papers {
        table.row(vec![
            id.clone(),
            "(fehlerhaft, siehe ratsflow check)".into(),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    if session.ui.quiet {
        return Ok(());
    }
    print!("{}", table.render());
    let total = project.papers.len() + project.broken_papers.len() - later;
    let noun = if total == 1 {
        "Drucksache"
    } else {
        "Drucksachen"
    };
    let mut summary = format!("{total} {noun}: {open} in Arbeit, {finished} abgeschlossen");
    if overdue > 0 {
        summary.push_str(&format!(", {overdue} überfällig"));
    }
    let failed_notices: usize = session
        .journals
        .iter()
        .filter_map(|(id, _)| session.journals.notice_lines(id).ok())
        .map(|lines| {
            crate::mail::outbox::statuses(lines)
                .values()
                .filter(|s| {
                    matches!(
                        s,
                        crate::mail::outbox::Status::Failed {
                            permanent: true,
                            ..
                        }
                    )
                })
                .count()
        })
        .sum();
    if failed_notices > 0 {
        let noun = if failed_notices == 1 {
            "Nachricht"
        } else {
            "Nachrichten"
        };
        summary.push_str(&format!(
            ", {failed_notices} {noun} endgültig fehlgeschlagen (ratsflow outbox)"
        ));
    }
    if !project.broken_papers.is_empty() {
        summary.push_str(&format!(", {} fehlerhaft", project.broken_papers.len()));
    }
    if later > 0 {
        summary.push_str(&format!(" ({later} mit späterem Datum ausgeblendet)"));
    }
    println!("{summary}");
    Ok(())
}

fn print_paper(session: &Session, paper: &Paper) -> Result<(), Failure> {
    let project = session.project()?;
    let Some(workflow) = project.workflow_of(paper) else {
        return Err(Failure::Input(format!(
            "der Ablauf „{}“ fehlt",
            paper.workflow
        )));
    };
    let workflow = &*workflow;
    let Some(state) = session.state_of(paper)? else {
        return Err(Failure::Input(format!(
            "„{}“ lässt sich nicht auswerten",
            paper.id
        )));
    };
    let (stage_text, waiting) =
        position_text(project, paper, &state, session.now_local().date_naive());
    let mut out = String::new();
    out.push_str(&format!(
        "Drucksache {} — {}\n",
        paper.reference(),
        paper.title
    ));
    out.push_str(&format!(
        "Art: {} · Ablauf: {} · Datei: papers/{}.yaml\n",
        paper.kind.name, workflow.name, paper.id
    ));
    out.push_str(&format!("Stand: {stage_text}"));
    if !waiting.is_empty() {
        out.push_str(&format!(" — wartet auf {waiting}"));
    }
    out.push('\n');
    if let Some(deadline) = crate::meeting::motion_deadline(project, paper, &state) {
        out.push_str(&format!("Antragsfrist: {}", deadline.describe()));
        if deadline.late {
            out.push_str(
                " — nach der Antragsfrist eingereicht: Dringlichkeitsantrag / Tischvorlage",
            );
        }
        out.push('\n');
    }
    if let Some(ret) = &state.last_return {
        out.push_str(&format!(
            "Zuletzt zurückgegeben am {} von {}: „{}“\n",
            date_de(ret.time.date_naive()),
            project.directory.person_name(&ret.who),
            ret.comment
        ));
    }
    out.push_str(&recommendation_lines(project, paper));
    out.push_str("\nStufen:\n");
    let mut table = Table::new(&["", "Stufe", "Stand", "Frist / Sitzung"]);
    for (stage, stage_state) in workflow.stages.iter().zip(&state.stages) {
        let mark = match stage_state.status {
            StageStatus::Done => "✓",
            StageStatus::Current => "▶",
            StageStatus::Pending => "·",
            StageStatus::Skipped => "–",
        };
        let title = match &stage.kind {
            StageKind::Consult { role, .. } => format!("{} ({role})", stage.title),
            StageKind::Sign(rule) => match rule.mode {
                crate::model::SignMode::All => stage.title.clone(),
                crate::model::SignMode::Any => format!("{} (eine Unterschrift)", stage.title),
                crate::model::SignMode::Quorum => format!(
                    "{} ({} von {})",
                    stage.title,
                    rule.needed,
                    stage_state.signers.len()
                ),
            },
        };
        let status = match stage_state.status {
            StageStatus::Done => match (stage_state.decisions.last(), stage_state.completed) {
                (Some(decision), _) => decision.result.label().to_string(),
                (None, Some(time)) => format!("erledigt am {}", date_de(time.date_naive())),
                (None, None) => "erledigt".into(),
            },
            StageStatus::Current => {
                let signed: Vec<String> = stage_state
                    .signatures
                    .iter()
                    .filter(|s| s.valid)
                    .map(|s| {
                        format!(
                            "{} ({})",
                            project.directory.person_name(&s.who),
                            date_de(s.time.date_naive())
                        )
                    })
                    .collect();
                if signed.is_empty() {
                    "läuft".into()
                } else {
                    format!("läuft; unterschrieben: {}", signed.join(", "))
                }
            }
            StageStatus::Pending => "offen".into(),
            StageStatus::Skipped => "entfällt".into(),
        };
        let mut when = Vec::new();
        if let Some(meeting) = stage_state.meeting {
            let source = match meeting.source {
                MeetingSource::Paper => "",
                MeetingSource::Calendar => " (aus dem Sitzungskalender)",
                MeetingSource::Decision => "",
                MeetingSource::Agenda => " (Tagesordnung festgelegt)",
            };
            when.push(format!("Sitzung {}{source}", date_de(meeting.date)));
        }
        if let Some(due) = stage_state.due {
            let overdue = if stage_state.overdue {
                " ÜBERFÄLLIG"
            } else {
                ""
            };
            when.push(format!("Frist {}{overdue}", date_de(due)));
        }
        table.row(vec![mark.into(), title, status, when.join(", ")]);
    }
    for row in status_decisions::referral_rows(project, &state.referrals) {
        table.row(row);
    }
    out.push_str(&indent(&table.render()));
    let base_id = paper.amends.as_deref().unwrap_or(&paper.id);
    let base = session
        .journals
        .get(base_id)
        .map_or(&[][..], |j| j.entries.as_slice());
    for line in status_decisions::motion_lines(project, paper, base) {
        out.push_str(&format!("{line}\n"));
    }
    out.push_str("\nVerlauf:\n");
    let journal = session
        .journals
        .history(&paper.id)
        .map_err(|e| Failure::Tool(e.to_string()))?;
    if journal.is_empty() {
        out.push_str("  (noch keine Einträge)\n");
    }
    let mut history = Table::new(&["Zeit", "Ereignis", "wer", "Stufe", "Bemerkung"]);
    for entry in &journal {
        history.row(history_row(project, paper, workflow, &state, entry));
    }
    if !journal.is_empty() {
        out.push_str(&indent(&history.render()));
    }
    print!("{}", crate::sanitize::text(&out));
    Ok(())
}

/// One line of a paper's history: time, event, who, stage, remark (with „über Link“ for an
/// action from a mailed link). Shared by `status PAPER` and the board's paper page.
pub fn history_row(
    project: &Project,
    paper: &Paper,
    workflow: &crate::model::Workflow,
    state: &PaperState,
    entry: &crate::journal::Entry,
) -> Vec<String> {
    let event = match entry.event {
        Event::Signed => "unterschrieben".to_string(),
        Event::Returned => "zurückgegeben".to_string(),
        Event::Decided => {
            let body = entry
                .body()
                .and_then(|b| project.directory.body(b))
                .map_or("?", |b| b.name.as_str());
            format!("{body}: {}", entry.result().map_or("?", |r| r.label()))
        }
        Event::Scheduled => format!(
            "auf der Tagesordnung vom {}",
            entry
                .meeting()
                .map_or_else(|| "?".to_string(), |d| date_de(d.0))
        ),
        Event::NoticeQueued => "Nachricht vorgemerkt".into(),
        Event::NoticeSent => "Nachricht versandt".into(),
        Event::NoticeFailed => "Nachricht fehlgeschlagen".into(),
        Event::NoticeSuperseded => "Nachricht nicht mehr fällig".into(),
        Event::Referred | Event::Withdrawn | Event::Corrected => {
            status_decisions::event_label(project, entry).unwrap_or_default()
        }
    };
    let mut who = entry
        .who
        .as_deref()
        .map(|w| project.directory.person_name(w).to_string())
        .unwrap_or_default();
    if let Some(principal) = entry.on_behalf_of() {
        who = format!(
            "{who} i. V. für {}",
            project.directory.person_name(principal)
        );
    }
    let mut remark = entry.comment().unwrap_or_default().to_string();
    if let Some(top) = entry.top() {
        remark.push_str(&format!("TOP {top}"));
        if entry.supplement() == Some(true) {
            remark.push_str(" (Nachtrag)");
        }
    }
    status_decisions::append_remark(&mut remark, project, entry);
    if entry.via.as_deref() == Some("link") {
        if !remark.is_empty() {
            remark.push_str("; ");
        }
        remark.push_str("über Link");
    }
    // A decided paper is frozen: later edits never invalidate its signatures.
    if entry.event == Event::Signed
        && !matches!(state.position, Position::Finished(_))
        && entry.hash.as_deref() != Some(paper.content_hash.as_str())
    {
        if !remark.is_empty() {
            remark.push_str("; ");
        }
        remark.push_str("gilt nicht mehr: die Drucksache wurde danach geändert");
    }
    vec![
        entry.time.format("%d.%m.%Y %H:%M").to_string(),
        event,
        who,
        entry
            .stage
            .as_deref()
            .map(|id| stage_title(workflow, id))
            .unwrap_or_default(),
        remark,
    ]
}

/// The administration's recommendation per Ziffer, for a motion a Stellungnahme answers and for
/// the base paper of such motions; empty when there is none.
fn recommendation_lines(project: &Project, paper: &Paper) -> String {
    let motions: Vec<&Paper> = if paper.changes.is_empty() {
        project.motions_of(&paper.id).collect()
    } else {
        vec![paper]
    };
    let mut out = String::new();
    for motion in motions {
        let answers = crate::engine::recommend::stellungnahmen(project.papers.values(), &motion.id);
        let recommended = crate::engine::recommend::for_motion(project.papers.values(), &motion.id);
        if recommended.is_empty() {
            continue;
        }
        let sources: Vec<&str> = answers.iter().map(|p| p.reference()).collect();
        let subject = if motion.id == paper.id {
            String::new()
        } else {
            format!(" {} {}", motion.kind.with_zu(), motion.reference())
        };
        out.push_str(&format!(
            "\nEmpfehlung der Verwaltung{subject} (Stellungnahme {}):\n",
            sources.join(", ")
        ));
        for (ziffer, recommendation) in recommended {
            let effect = motion
                .changes
                .get(ziffer.wrapping_sub(1))
                .map(|c| format!(" {}", c.effect(project.base_numbering(motion))))
                .unwrap_or_default();
            let to = recommendation
                .to
                .as_deref()
                .map(|b| project.directory.body(b).map_or(b, |b| b.name.as_str()));
            out.push_str(&format!(
                "  Ziffer {ziffer}{effect}: {}\n",
                recommendation.recommend.label(to)
            ));
        }
    }
    out
}

/// The title of a workflow stage, or its id when the workflow no longer has that stage.
fn stage_title(workflow: &crate::model::Workflow, id: &str) -> String {
    workflow
        .stages
        .iter()
        .find(|stage| stage.id == id)
        .map_or_else(|| id.to_string(), |stage| stage.title.clone())
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}
