//! `ratsflow kalender` (also `ratsflow ics`): which calendar file under `out/ics/` belongs to
//! which person and body, for the office to hand out. The only place the secret tokens are
//! shown; `run` writes the files (see [`crate::ics`]) and reports only how many. The addresses
//! are those of `ratsflow serve` (`<serve.public_url>/kalender/<token>.ics`) when the project
//! sets `serve.public_url`, those of a share with `--url`, else the files.

use super::{Failure, Session};
use crate::ics::{self, Owner, Published};

/// `ratsflow kalender [--url ADRESSE]`.
pub fn run(session: &mut Session, url: Option<&str>) -> Result<(), Failure> {
    session.print_diagnostics();
    let project = session.project()?;
    let folders = project.folders();
    let (key, key_path) =
        ics::key::load_or_create(&folders.root, project.settings.serve.key_file.as_deref())
            .map_err(|e| Failure::Tool(e.0))?;
    let dir = ics::files::folder(&folders.out);
    let owners = ics::owners(project);
    // `--url` (a share) first, else the web service's route, else the files themselves.
    let service = project
        .settings
        .serve
        .public_url
        .as_deref()
        .map(|public| format!("{}/kalender", public.trim_end_matches('/')));
    let url = url.or(service.as_deref());
    let mut missing = 0;
    let mut lines = vec![
        "Kalender zum Abonnieren (Outlook, Thunderbird). Die Adressen sind geheim: jede nur der Person oder dem Gremium geben, dem sie gehört."
            .to_string(),
    ];
    for (heading, people) in [("Personen", true), ("Gremien", false)] {
        let group: Vec<_> = owners
            .iter()
            .filter(|(owner, _)| matches!(owner, Owner::Person(_)) == people)
            .collect();
        if group.is_empty() {
            continue;
        }
        lines.push(String::new());
        lines.push(format!("{heading}:"));
        for (owner, name) in group {
            let (Owner::Person(id) | Owner::Body(id)) = owner;
            let file = format!("{}.ics", ics::token(&key, owner));
            let target = match url {
                Some(base) => format!("{}/{file}", base.trim_end_matches('/')),
                None => folders.display(&dir.join(&file)).display().to_string(),
            };
            let mut line = format!("  {name} ({id}) → {target}");
            if !dir.join(&file).is_file() {
                missing += 1;
                line.push_str(" (noch nicht geschrieben)");
            }
            lines.push(line);
        }
    }
    if missing > 0 {
        lines.push(String::new());
        lines
            .push("Die fehlenden Dateien schreibt der nächste Durchlauf: ratsflow run".to_string());
    }
    lines.push(String::new());
    lines.push(format!(
        "Schlüssel: {} (sichern; ein neuer Schlüssel ändert alle Adressen)",
        key_path.display()
    ));
    session.say(&lines.join("\n"));
    Ok(())
}

/// One line on the calendars a pass wrote; a warning when none could be written.
pub fn report(session: &Session, published: &Published) {
    if let Some(error) = &published.error {
        eprintln!(
            "Warnung: Kalender nicht geschrieben: {}",
            crate::sanitize::text(error)
        );
        return;
    }
    if session.ui.quiet {
        return;
    }
    let removed = if published.removed > 0 {
        format!(", {} entfernt", published.removed)
    } else {
        String::new()
    };
    eprintln!(
        "Kalender: {} geschrieben, {} unverändert{removed} (out/ics/; wem welcher gehört: ratsflow kalender)",
        published.written, published.unchanged
    );
}
