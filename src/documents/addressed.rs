//! The addressee line of a paper addressed to several bodies in order (seed 003: „an den
//! Kreisausschuss und den Kreistag“, „am 22./23.03.2021“), for the motion's document.
//!
//! Bodies are named by their short name („Kreistag“, not „Kreistag Unna“) with the accusative
//! article their name calls for; meetings on consecutive days are written as councils write
//! them („22./23.03.2021“), other dates one per body.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::engine::PaperState;
use crate::load::Project;
use crate::model::{Gender, Paper};

/// The addressees of a paper naming several bodies.
#[derive(Debug, Clone, Serialize)]
pub struct AddressedView {
    /// „an den Kreisausschuss und den Kreistag“.
    pub to: String,
    /// „am 22./23.03.2021“, or „am 08.03.2021 (Kreisausschuss) und 23.03.2021 (Kreistag)“;
    /// empty while a meeting is not known.
    pub dates: String,
    /// The motion's request: „Die Fraktion … richtet diesen Ergänzungsantrag zur Drucksache
    /// 042/21 an den Kreisausschuss und den Kreistag und bittet um Beratung und Abstimmung in
    /// den Sitzungen am 22./23.03.2021.“
    pub request: String,
}

/// The view for `paper`, when it names more than one body.
pub fn view(project: &Project, paper: &Paper, state: &PaperState) -> Option<AddressedView> {
    if paper.bodies.len() < 2 {
        return None;
    }
    let named: Vec<(String, Option<NaiveDate>)> = paper
        .bodies
        .iter()
        .map(|id| {
            let name = project
                .directory
                .body(id)
                .map_or_else(|| id.clone(), |b| b.short.clone().unwrap_or(b.name.clone()));
            // The last row of the Beratungsfolge at this body: its (planned) meeting.
            let date = state
                .stages
                .iter()
                .rev()
                .find(|s| s.body.as_deref() == Some(id.as_str()))
                .and_then(|s| s.meeting)
                .map(|m| m.date);
            (name, date)
        })
        .collect();
    let to = format!(
        "an {}",
        german_list(&named.iter().map(|(n, _)| accusative(n)).collect::<Vec<_>>())
    );
    let dates = meeting_dates(&named);
    let group = paper
        .by
        .as_deref()
        .and_then(|b| project.directory.body(b))
        .map(|b| b.name.clone());
    let this = match paper.kind.gender {
        Gender::Masculine => "diesen",
        Gender::Feminine => "diese",
        Gender::Neuter => "dieses",
    };
    let base = paper
        .amends
        .as_deref()
        .and_then(|id| project.papers.get(id))
        .map(|b| format!(" zur Drucksache {}", b.reference()))
        .unwrap_or_default();
    let sessions = if dates.is_empty() {
        String::new()
    } else {
        format!(" in den Sitzungen {dates}")
    };
    let (subject, directs, asks) = match &group {
        Some(name) => (format!("Die {name}"), "richtet", "bittet"),
        None => ("Wir".to_string(), "richten", "bitten"),
    };
    let request = format!(
        "{subject} {directs} {this} {}{base} {to} und {asks} um Beratung und Abstimmung{sessions}.",
        paper.kind.name
    );
    Some(AddressedView { to, dates, request })
}

/// „den Kreistag“, „die Stadtverordnetenversammlung“, „das Präsidium“.
pub fn accusative(name: &str) -> String {
    let head = name
        .split_whitespace()
        .next()
        .unwrap_or(name)
        .to_lowercase();
    const FEMININE: [&str; 8] = [
        "versammlung",
        "vertretung",
        "kommission",
        "konferenz",
        "runde",
        "kammer",
        "sitzung",
        "gruppe",
    ];
    const NEUTER: [&str; 4] = ["gremium", "präsidium", "parlament", "kollegium"];
    let article = if FEMININE.iter().any(|e| head.ends_with(e)) {
        "die"
    } else if NEUTER.iter().any(|e| head.ends_with(e)) {
        "das"
    } else {
        "den"
    };
    format!("{article} {name}")
}

/// „a“, „a und b“, „a, b und c“.
fn german_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} und {last}", rest.join(", ")),
    }
}

/// „am 22./23.03.2021“ for meetings on consecutive days (or one day), else each date with its
/// body; empty when a meeting is not known.
fn meeting_dates(named: &[(String, Option<NaiveDate>)]) -> String {
    let Some(dates) = named.iter().map(|(_, d)| *d).collect::<Option<Vec<_>>>() else {
        return String::new();
    };
    let consecutive = dates
        .windows(2)
        .all(|w| w[1] == w[0] || w[0].succ_opt() == Some(w[1]));
    if !consecutive {
        let each: Vec<String> = named
            .iter()
            .zip(&dates)
            .map(|((name, _), d)| format!("{} ({name})", d.format("%d.%m.%Y")))
            .collect();
        return format!("am {}", german_list(&each));
    }
    let mut days: Vec<NaiveDate> = dates.clone();
    days.dedup();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let text = if days.len() == 1 {
        first.format("%d.%m.%Y").to_string()
    } else if first.month() == last.month() && first.year() == last.year() {
        let heads: Vec<String> = days.iter().map(|d| d.format("%d.").to_string()).collect();
        format!("{}{}", heads.join("/"), last.format("%m.%Y"))
    } else if first.year() == last.year() {
        let heads: Vec<String> = days
            .iter()
            .map(|d| d.format("%d.%m.").to_string())
            .collect();
        format!("{}{}", heads.join("/"), last.format("%Y"))
    } else {
        let all: Vec<String> = days
            .iter()
            .map(|d| d.format("%d.%m.%Y").to_string())
            .collect();
        all.join("/")
    };
    format!("am {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn named(dates: &[Option<NaiveDate>]) -> Vec<(String, Option<NaiveDate>)> {
        ["Kreisausschuss", "Kreistag", "Beirat"]
            .iter()
            .zip(dates)
            .map(|(n, d)| (n.to_string(), *d))
            .collect()
    }

    #[test]
    fn consecutive_days_are_written_as_councils_write_them() {
        assert_eq!(
            meeting_dates(&named(&[d(2021, 3, 22), d(2021, 3, 23)])),
            "am 22./23.03.2021"
        );
        assert_eq!(
            meeting_dates(&named(&[d(2021, 3, 31), d(2021, 4, 1)])),
            "am 31.03./01.04.2021"
        );
        assert_eq!(
            meeting_dates(&named(&[d(2021, 3, 23), d(2021, 3, 23)])),
            "am 23.03.2021"
        );
        assert_eq!(
            meeting_dates(&named(&[d(2021, 3, 8), d(2021, 3, 23)])),
            "am 08.03.2021 (Kreisausschuss) und 23.03.2021 (Kreistag)"
        );
        assert_eq!(meeting_dates(&named(&[d(2021, 3, 8), None])), "");
    }

    #[test]
    fn bodies_get_the_article_their_name_calls_for() {
        let names = [
            "Kreisausschuss",
            "Stadtverordnetenversammlung",
            "Präsidium",
            "Ausschuss für Soziales",
        ]
        .map(accusative);
        assert_eq!(
            german_list(&names),
            "den Kreisausschuss, die Stadtverordnetenversammlung, das Präsidium und den Ausschuss für Soziales"
        );
    }
}
