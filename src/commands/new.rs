//! `ratsflow new`: starts a paper file with the next free reference number for its kind and year.

use chrono::Datelike;

use super::{Failure, Session};
use crate::atomic;
use crate::cli::NewArgs;

/// The reference prefix of a kind: Beschlussvorlagen carry the plain Drucksachen number,
/// other kinds a letter of their own series (M 001/26, P 001/26, A 001/26).
pub fn prefix(kind: &str) -> &'static str {
    let kind = kind.to_lowercase();
    if kind.contains("antrag") && !kind.contains("projekt") {
        "A"
    } else if kind.contains("mitteilung") || kind.contains("information") {
        "M"
    } else if kind.contains("projekt") {
        "P"
    } else {
        ""
    }
}

/// The next free number in the series of `prefix` for the two-digit year `yy`.
pub fn next_number<'a>(references: impl Iterator<Item = &'a str>, prefix: &str, yy: u32) -> u32 {
    let suffix = format!("/{yy:02}");
    references
        .filter_map(|reference| {
            let rest = reference.strip_prefix(prefix)?.trim_start();
            let number = rest.strip_suffix(&suffix)?;
            if number.len() == 3 {
                number.parse::<u32>().ok()
            } else {
                None
            }
        })
        .max()
        .map_or(1, |n| n + 1)
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `ratsflow new KIND --workflow W --title T`.
pub fn run(session: &mut Session, args: &NewArgs) -> Result<(), Failure> {
    let project = session.project()?;
    if args.kind.trim().is_empty() || args.title.trim().is_empty() {
        return Err(Failure::Input(
            "Vorlagenart und Titel dürfen nicht leer sein".into(),
        ));
    }
    if !project.workflows.contains_key(&args.workflow) {
        let known = project.workflows.keys().map(String::as_str);
        let hint = crate::diagnostic::did_you_mean(&args.workflow, known.clone())
            .map(|c| format!("meinten Sie „{c}“?"))
            .unwrap_or_else(|| format!("vorhanden: {}", known.collect::<Vec<_>>().join(", ")));
        return Err(Failure::Input(format!(
            "unbekannter Ablauf „{}“; {hint}",
            args.workflow
        )));
    }
    let today = session.now_local().date_naive();
    let yy = (today.year() % 100) as u32;
    let prefix = prefix(&args.kind);
    let references = project
        .papers
        .values()
        .filter_map(|p| p.data.reference.as_deref());
    let number = next_number(references, prefix, yy);
    let reference = if prefix.is_empty() {
        format!("{number:03}/{yy:02}")
    } else {
        format!("{prefix} {number:03}/{yy:02}")
    };
    let id = format!("{}-{}{number:03}", today.year(), prefix.to_lowercase());
    let path = project.folders().papers.join(format!("{id}.yaml"));
    let text = format!(
        "# Neue Drucksache, angelegt mit ratsflow new am {date}.\n\
         kind: {kind}\n\
         workflow: {workflow}\n\
         reference: {reference}\n\
         title: {title}\n\
         date: {iso}\n\
         # lead_office: Federführendes Amt\n\
         # author: Kennung der Sachbearbeitung aus workflows/directory.yaml\n\
         meetings: {{}}\n\
         facts: |\n  Sachverhalt …\n\
         proposal:\n  - Beschlussvorschlag …\n",
        date = today.format("%d.%m.%Y"),
        kind = quoted(&args.kind),
        workflow = quoted(&args.workflow),
        reference = quoted(&reference),
        title = quoted(&args.title),
        iso = today.format("%Y-%m-%d"),
    );
    atomic::create_new(&path, text.as_bytes()).map_err(|err| {
        Failure::Tool(format!(
            "{} kann nicht angelegt werden: {err}",
            path.display()
        ))
    })?;
    session.say(&format!(
        "Drucksache {reference} angelegt: {}",
        project.folders().display(&path).display()
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_per_kind_series_and_year() {
        let refs = [
            "042/21",
            "001/26",
            "007/26",
            "M 003/26",
            "A 001/25",
            "B 2017/500/3708",
        ];
        assert_eq!(next_number(refs.iter().copied(), "", 26), 8);
        assert_eq!(next_number(refs.iter().copied(), "M", 26), 4);
        assert_eq!(next_number(refs.iter().copied(), "A", 26), 1);
        assert_eq!(next_number(refs.iter().copied(), "", 21), 43);
        assert_eq!(prefix("Ergänzungsantrag"), "A");
        assert_eq!(prefix("Projektauftrag"), "P");
        assert_eq!(prefix("Mitteilungsvorlage"), "M");
        assert_eq!(prefix("Beschlussvorlage"), "");
    }
}
