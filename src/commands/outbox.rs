//! `ratsflow outbox`: what is queued, failed and sent; `ratsflow outbox retry` sends
//! permanently failed notices again; `ratsflow outbox confirm PAPER` accepts that a paper's
//! journal lost records (see `crate::pass::vanished`), so its notices go out again.

use super::{Failure, Session, run as pass};
use crate::engine::notices::NoticeKind;
use crate::journal::{self, Entry, Event, lock};
use crate::mail::outbox::{self, Status};
use crate::pass::vanished;
use crate::table::{Table, truncate};

/// `ratsflow outbox [retry | confirm PAPER…]`.
pub fn run(session: &mut Session, action: Option<&str>, papers: &[String]) -> Result<(), Failure> {
    if !papers.is_empty() && action != Some("confirm") {
        return Err(Failure::Input(format!(
            "Drucksachen werden nur bei „ratsflow outbox confirm“ angegeben, nicht bei „{}“",
            action.unwrap_or("ratsflow outbox")
        )));
    }
    match action {
        None => list(session),
        Some("retry") => retry(session),
        Some("confirm") => confirm(session, papers),
        Some(other) => Err(Failure::Input(format!(
            "unbekannte Aktion „{other}“; möglich sind: ratsflow outbox retry, ratsflow outbox confirm DRUCKSACHE"
        ))),
    }
}

/// Accepts the loss of journal lines of `papers`: their marks are set to what their journals
/// hold now, and the next pass renders and sends for them again.
fn confirm(session: &mut Session, papers: &[String]) -> Result<(), Failure> {
    if papers.is_empty() {
        return Err(Failure::Input(
            "welche Drucksache? ratsflow outbox confirm DRUCKSACHE".into(),
        ));
    }
    let mut found = Vec::new();
    for key in papers {
        found.push(session.find_paper(key)?.clone());
    }
    let project = session.project()?;
    let folders = project.folders();
    // Under the pass lock: no pass decides on these papers while their marks change.
    let _held = crate::pass::lock(folders, &mut |_| {}).map_err(pass::pass_failure)?;
    for paper in &found {
        let journal =
            journal::read(&folders.journal(&paper.id)).map_err(|e| Failure::Tool(e.to_string()))?;
        let Some(lost) = vanished::check(folders, &paper.id, &journal.entries) else {
            session.say(&format!(
                "Das Journal von „{}“ ist vollständig; es gibt nichts zu bestätigen.",
                paper.reference()
            ));
            continue;
        };
        vanished::confirm(folders, &paper.id, &journal.entries).map_err(|e| {
            Failure::Tool(format!(
                "die Bestätigung für „{}“ lässt sich nicht speichern: {e}",
                paper.reference()
            ))
        })?;
        session.say(&format!(
            "Bestätigt: „{}“ geht mit {} von {} Einträgen weiter; der nächste Durchlauf schreibt ihre Dokumente und sendet ihre Nachrichten wieder.",
            paper.reference(),
            lost.has,
            lost.had.records
        ));
    }
    Ok(())
}

fn list(session: &mut Session) -> Result<(), Failure> {
    session.load_journals()?;
    let project = session.project()?;
    let mut table = Table::new(&["Drucksache", "Empfänger", "Art", "Stand", "Zeit", "Grund"]);
    let mut counts = (0, 0, 0);
    for (id, _) in &session.journals {
        let reference = project
            .papers
            .get(id)
            .map_or(id.as_str(), |p| p.reference());
        let lines = crate::mail::dispatch::on_pass_clock(
            &session
                .journals
                .notice_lines(id)
                .map_err(|e| Failure::Tool(e.to_string()))?,
        );
        let lines: Vec<&Entry> = lines.iter().collect();
        let kinds: std::collections::HashMap<&str, &Entry> = lines
            .iter()
            .filter_map(|e| e.key.as_deref().map(|k| (k, *e)))
            .collect();
        let mut statuses: Vec<_> = outbox::statuses(lines.iter().copied())
            .into_iter()
            .collect();
        statuses.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, status) in statuses {
            let entry = kinds.get(key.as_str());
            let who = entry
                .and_then(|e| e.who.as_deref())
                .map_or("?", |w| project.directory.person_name(w));
            let kind = entry
                .and_then(|e| e.kind.as_deref())
                .map(notice_name)
                .unwrap_or_default();
            let (stand, time, reason) = match &status {
                Status::Superseded => continue,
                Status::Sent { at } => {
                    counts.2 += 1;
                    ("versandt".to_string(), *at, String::new())
                }
                Status::Queued { attempt } => {
                    counts.0 += 1;
                    (
                        format!("vorgemerkt (Versuch {attempt})"),
                        entry.map_or_else(|| session.now_local(), |e| e.time),
                        String::new(),
                    )
                }
                Status::Failed {
                    attempt,
                    at,
                    permanent,
                    reason,
                } => {
                    counts.1 += 1;
                    let word = if *permanent {
                        "endgültig fehlgeschlagen"
                    } else {
                        "fehlgeschlagen, neuer Versuch folgt"
                    };
                    (format!("{word} (Versuch {attempt})"), *at, reason.clone())
                }
            };
            if matches!(status, Status::Sent { .. }) && !session.ui.verbose {
                continue;
            }
            table.row(vec![
                reference.to_string(),
                who.to_string(),
                kind,
                stand,
                time.format("%d.%m.%Y %H:%M").to_string(),
                truncate(&reason, 60),
            ]);
        }
    }
    print!("{}", table.render());
    println!(
        "{} vorgemerkt, {} fehlgeschlagen, {} versandt{}",
        counts.0,
        counts.1,
        counts.2,
        if session.ui.verbose {
            ""
        } else {
            " (versandte mit --verbose)"
        }
    );
    Ok(())
}

/// The German name of a notice kind as the journal records it (`unterschrift` …); an unknown
/// word is shown as it is.
fn notice_name(word: &str) -> String {
    let Some(kind) = NoticeKind::from_word(word) else {
        return word.to_string();
    };
    match kind {
        NoticeKind::Sign => "Bitte um Unterschrift",
        NoticeKind::Resign => "Bitte um erneute Unterschrift",
        NoticeKind::Reminder => "Erinnerung",
        NoticeKind::Escalation => "Eskalation",
        NoticeKind::Returned => "Rückgabe",
        NoticeKind::Completed => "Abschluss",
        NoticeKind::Submitted => "Einreichung beim Sitzungsdienst",
        NoticeKind::Released => "Unterschrift nicht mehr nötig",
        NoticeKind::RecordResult => "Bitte um das Sitzungsergebnis",
        NoticeKind::Withdrawn => "Rücknahme",
        NoticeKind::Invitation => "Einladung zur Sitzung",
        NoticeKind::Supplement => "Nachtrag zur Tagesordnung",
    }
    .to_string()
}

fn retry(session: &mut Session) -> Result<(), Failure> {
    let transport = pass::open_transport(session)?;
    session.load_journals()?;
    let project = session
        .loaded
        .project
        .as_ref()
        .ok_or_else(|| Failure::Input(String::new()))?;
    let folders = project.folders();
    // The pass lock: no pass decides on these outboxes while they are written and sent.
    let _held = crate::pass::lock(folders, &mut |_| {}).map_err(pass::pass_failure)?;
    let ids: Vec<String> = project.papers.keys().cloned().collect();
    session
        .journals
        .refresh(folders, &ids)
        .map_err(|e| Failure::Tool(e.to_string()))?;
    let now = session.now_local();
    let mut count = 0;
    for id in &ids {
        let lines = session
            .journals
            .notice_lines(id)
            .map_err(|e| Failure::Tool(e.to_string()))?;
        let mut again = Vec::new();
        for (key, status) in outbox::statuses(lines.iter().copied()) {
            if let Status::Failed {
                permanent: true,
                attempt,
                ..
            } = status
            {
                let last = lines
                    .iter()
                    .rev()
                    .find(|e| e.key.as_deref() == Some(key.as_str()));
                let mut retry = last.map_or_else(
                    || Entry::new(now, Event::NoticeQueued),
                    |e| Entry {
                        time: now,
                        event: Event::NoticeQueued,
                        ..(*e).clone()
                    },
                );
                retry.attempt = Some(attempt + 1);
                let extra = retry.extra_mut();
                extra.comment = Some("erneuter Versuch auf Anforderung".into());
                extra.permanent = None;
                again.push(retry);
            }
        }
        count += again.len();
        journal::append(&lock::outbox(folders, id), &again)
            .map_err(|e| Failure::Tool(e.to_string()))?;
    }
    let noun = if count == 1 {
        "Nachricht wird"
    } else {
        "Nachrichten werden"
    };
    session.say(&format!("{count} {noun} erneut gesendet."));
    let mut ctx = crate::pass::Context {
        project,
        journals: &mut session.journals,
        now: session.now,
        long_running: false,
        calendars: None,
    };
    let summary =
        crate::pass::send_locked(&mut ctx, transport.as_ref(), &ids).map_err(pass::pass_failure)?;
    pass::report_sent(session, &summary);
    Ok(())
}
