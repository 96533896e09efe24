//! `ratsflow meeting BODY DATE [--set]`: shows the agenda (Tagesordnung) of a meeting as a
//! table; with `--set` records it in the journals of its papers (see [`crate::meeting`]).

use chrono::NaiveDate;

use super::{Failure, Session, date_de, record};
use crate::cli::MeetingArgs;
use crate::meeting::{self, Agenda, Item, Part};
use crate::model::dates::Date;
use crate::table::Table;

/// `ratsflow meeting`.
pub fn run(session: &mut Session, args: &MeetingArgs) -> Result<(), Failure> {
    session.print_diagnostics();
    let date = parse_date(&args.date)?;
    let body_id = find_body(session, &args.body)?;
    session.load_journals()?;
    let mut agenda = agenda_of(session, &body_id, date)?;
    let project = session.project()?;
    if let Some(body) = project.directory.body(&body_id)
        && !body.meetings.contains(&date)
    {
        eprintln!(
            "Warnung: am {} ist keine Sitzung „{}“ im Sitzungskalender",
            date_de(date),
            body.name
        );
    }
    if args.set {
        let placed =
            meeting::schedule::set(project, &agenda, session.now).map_err(record::failure)?;
        for placed in &placed {
            session.forget_journal(&placed.paper);
        }
        session.load_journals()?;
        agenda = agenda_of(session, &body_id, date)?;
        let what = if placed.iter().any(|p| p.supplement) {
            "als Nachtrag auf die Tagesordnung gesetzt"
        } else {
            "auf die Tagesordnung gesetzt"
        };
        let waiting: Vec<&str> = agenda
            .items
            .iter()
            .filter_map(|i| i.paper.as_ref())
            .filter(|p| p.unreleased && placed.iter().any(|placed| placed.paper == p.id))
            .map(|p| p.reference.as_str())
            .collect();
        if !waiting.is_empty() {
            eprintln!(
                "Warnung: noch in Mitzeichnung, trotzdem auf die Tagesordnung gesetzt: {}; dort steht „Vorlage noch in Mitzeichnung“, bis die Vorlage freigegeben ist",
                waiting.join(", ")
            );
        }
        session.say(&match placed.len() {
            0 => "Die Tagesordnung ist schon festgelegt; nichts Neues eingetragen.".to_string(),
            1 => format!("1 Drucksache {what}."),
            n => format!("{n} Drucksachen {what}."),
        });
    }
    let project = session.project()?;
    let mut text = show(&agenda, &body_id);
    if let Some(body) = project.directory.body(&body_id) {
        let calendar = meeting::invite::calendar(project, body);
        if let Some(by) = meeting::invite::ladung_by(project, body, &calendar, date) {
            // After the heading and the state lines: when the members are invited.
            let at = text.find("\n\n").unwrap_or(text.len());
            text.insert_str(
                at,
                &format!(
                    "\nLadungsfrist: Einladung an die Mitglieder am {}",
                    date_de(by)
                ),
            );
        }
    }
    print!("{text}");
    Ok(())
}

fn agenda_of(session: &Session, body: &str, date: NaiveDate) -> Result<Agenda, Failure> {
    let project = session.project()?;
    meeting::build(project, &session.journals, body, date, session.now)
        .map_err(|e| Failure::Tool(e.to_string()))?
        .ok_or_else(|| Failure::Input(format!("es gibt kein Gremium „{body}“")))
}

/// Accepts 2027-01-21 and 21.01.2027.
fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%d.%m.%Y") {
        return Ok(date);
    }
    text.parse::<Date>()
        .map(|d| d.0)
        .map_err(|m| Failure::Input(format!("DATUM: {m}")))
}

/// The body id given, or a refusal with a suggestion.
fn find_body(session: &Session, key: &str) -> Result<String, Failure> {
    let directory = &session.project()?.directory;
    if directory.body(key).is_some() {
        return Ok(key.to_string());
    }
    let hint = crate::diagnostic::did_you_mean(key, directory.bodies.keys().map(String::as_str))
        .map(|c| format!("; meinten Sie „{c}“?"))
        .unwrap_or_default();
    Err(Failure::Input(format!(
        "es gibt kein Gremium „{key}“{hint}"
    )))
}

/// The agenda as text for the terminal.
pub fn show(agenda: &Agenda, body_id: &str) -> String {
    let mut out = format!(
        "Tagesordnung: {}, Sitzung am {}\n",
        agenda.body_name,
        date_de(agenda.date)
    );
    if agenda.set {
        out.push_str("Stand: festgelegt\n");
    } else {
        out.push_str(&format!(
            "Stand: noch nicht festgelegt („ratsflow meeting {body_id} {} --set“ legt sie fest)\n",
            agenda.date
        ));
    }
    let supplement: Vec<&str> = agenda.supplement().map(|i| i.number.as_str()).collect();
    if !supplement.is_empty() {
        out.push_str(&format!("Nachtrag: TOP {}\n", supplement.join(", ")));
    }
    for part in [Part::Public, Part::NonPublic] {
        out.push_str(&format!("\n{}\n", part.heading()));
        let mut table = Table::new(&["TOP", "Drucksache", "Betreff", "Art", "Hinweis"]);
        for item in agenda.part(part) {
            table.row(row(item));
        }
        for line in table.render().lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    if agenda.set && agenda.unfixed().next().is_some() {
        out.push_str(&format!(
            "\nNoch nicht eingetragen: „ratsflow meeting {body_id} {} --set“ setzt sie als Nachtrag auf die Tagesordnung.\n",
            agenda.date
        ));
    }
    out
}

fn row(item: &Item) -> Vec<String> {
    let Some(paper) = &item.paper else {
        return vec![item.number.clone(), String::new(), item.title.clone()];
    };
    vec![
        item.number.clone(),
        paper.reference.clone(),
        item.title.clone(),
        format!("{}, {}", paper.kind, paper.role.label()),
        paper.remarks().join("; "),
    ]
}
