//! `ratsflow oparl`: writes the public side of the project as a static OParl 1.1 tree to
//! `out/oparl/` (see [`crate::oparl`]).

use super::{Failure, Session};
use crate::oparl::{export, input, lists, write};

/// `ratsflow oparl`.
pub fn run(session: &mut Session) -> Result<(), Failure> {
    session.print_diagnostics();
    let project = session.project()?;
    let Some(settings) = project.settings.oparl.clone() else {
        return Err(Failure::Input(
            "in ratsflow.yaml fehlt die Adresse der OParl-Schnittstelle, z. B.\n  oparl: { base_url: \"https://ris.kreis-gross-gerau.de/oparl/\" }\n(unter dieser Adresse wird der Ordner out/oparl/ veröffentlicht)"
                .to_string(),
        ));
    };
    session.load_journals()?;
    let project = session.project()?;
    let input = input::gather(project, &session.journals, session.now)
        .map_err(|e| Failure::Tool(e.to_string()))?;
    let built = export::build(&input, &settings.base_url);
    let documents = export::documents(&built, lists::PER_PAGE);
    let target = project.folders().out.join("oparl");
    let written = write::tree(&target, &documents, &built.copies).map_err(|e| {
        Failure::Tool(format!(
            "{} konnte nicht geschrieben werden: {e}",
            target.display()
        ))
    })?;
    let count = |list: &str| {
        built
            .lists
            .iter()
            .filter(|((_, l), _)| *l == list)
            .map(|(_, objects)| objects.len())
            .sum::<usize>()
    };
    let n = |list: &str, one: &str, many: &str| match count(list) {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    session.say(&format!(
        "OParl 1.1: {}, {}, {} und {} nach {} geschrieben ({written} Dateien); Einstieg: {}",
        n("paper", "Drucksache", "Drucksachen"),
        n("meeting", "Sitzung", "Sitzungen"),
        n("person", "Person", "Personen"),
        n("file", "Dokument", "Dokumente"),
        target.display(),
        built.urls.system()
    ));
    Ok(())
}
