//! The agenda document of a meeting (Tagesordnung): the data its Word template sees, and
//! rendering it to `out/<body>/Tagesordnung_<body>_<date>.docx` like any document — only
//! when its inputs changed, written atomically, with an input stamp.

use std::path::PathBuf;

use serde::Serialize;

use super::context::Org;
use super::properties::DocumentProperties;
use super::{Mode, Outcome, RenderError, Templates};
use crate::load::Project;
use crate::meeting::{Agenda, Item, Part};
use crate::output;

/// The template file of agendas.
pub const TEMPLATE: &str = "tagesordnung.docx";

/// Everything the agenda template can print.
#[derive(Debug, Serialize)]
pub struct AgendaContext {
    pub org: Org,
    pub meeting: MeetingView,
    pub public: Vec<ItemView>,
    pub non_public: Vec<ItemView>,
    pub document: DocumentProperties,
}

/// The meeting.
#[derive(Debug, Serialize)]
pub struct MeetingView {
    /// The body's name.
    pub body: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// „Einladung“ once set, else „Entwurf“; „Einladung mit Nachtrag“ with a Nachtrag.
    pub state: String,
    /// The TOP numbers of the Nachtrag.
    pub supplement: Vec<String>,
}

/// One TOP.
#[derive(Debug, Serialize)]
pub struct ItemView {
    pub number: String,
    pub title: String,
    pub reference: Option<String>,
    pub kind: Option<String>,
    pub role: Option<String>,
    pub remarks: Vec<String>,
}

/// „Ö“ or „N“: the part of the meeting a paper is dealt with in at a consultation stage.
pub fn part_mark(paper: &crate::model::Paper, stage: &crate::model::Stage) -> &'static str {
    if crate::meeting::public_at(paper, stage) {
        "Ö"
    } else {
        "N"
    }
}

/// The note a late motion's document prints: „Dringlichkeitsantrag / Tischvorlage: eingereicht
/// nach der Antragsfrist 17.06.2019 (Kreistag, Sitzung am 27.06.2019)“.
pub fn late_note(
    project: &Project,
    paper: &crate::model::Paper,
    state: &crate::engine::PaperState,
) -> Option<String> {
    crate::meeting::motion_deadline(project, paper, state)
        .filter(|d| d.late)
        .map(|d| {
            format!(
                "Dringlichkeitsantrag / Tischvorlage: eingereicht nach der Antragsfrist {}",
                d.describe()
            )
        })
}

/// The output path of an agenda, relative to the out folder.
pub fn output_path(agenda: &Agenda) -> PathBuf {
    let body = output::ascii_name(&agenda.body);
    PathBuf::from(&body).join(format!("Tagesordnung_{body}_{}.docx", agenda.date))
}

/// The template data of an agenda.
pub fn context(project: &Project, agenda: &Agenda) -> AgendaContext {
    let org_id = project
        .directory
        .body(&agenda.body)
        .and_then(|b| b.organisation.clone())
        .unwrap_or_else(|| project.settings.organisation.clone());
    let org = project.directory.organisations.get(&org_id);
    let org = Org {
        name: org.map_or_else(|| org_id.clone(), |o| o.name.clone()),
        letterhead: org.map(|o| o.letterhead.clone()).unwrap_or_default(),
    };
    let supplement: Vec<String> = agenda.supplement().map(|i| i.number.clone()).collect();
    let state = match (agenda.set, supplement.is_empty()) {
        (false, _) => "Entwurf",
        (true, true) => "Einladung",
        (true, false) => "Einladung mit Nachtrag",
    };
    let items = |part: Part| agenda.part(part).map(item).collect::<Vec<_>>();
    let document = DocumentProperties {
        title: format!(
            "Tagesordnung {} am {}",
            agenda.body_name,
            agenda.date.format("%d.%m.%Y")
        ),
        author: org.name.clone(),
        date: Some(agenda.date.to_string()),
        language: "de-DE",
    };
    AgendaContext {
        meeting: MeetingView {
            body: agenda.body_name.clone(),
            date: agenda.date.to_string(),
            state: state.to_string(),
            supplement,
        },
        public: items(Part::Public),
        non_public: items(Part::NonPublic),
        org,
        document,
    }
}

fn item(item: &Item) -> ItemView {
    let paper = item.paper.as_ref();
    ItemView {
        number: item.number.clone(),
        title: item.title.clone(),
        reference: paper.map(|p| p.reference.clone()),
        kind: paper.map(|p| p.kind.clone()),
        role: paper.map(|p| p.role.label().to_string()),
        remarks: paper.map(|p| p.remarks()).unwrap_or_default(),
    }
}

/// Renders one agenda; writes it (atomically) only when its inputs changed.
pub fn render(
    project: &Project,
    agenda: &Agenda,
    templates: &Templates,
    mode: Mode,
) -> Result<Outcome, RenderError> {
    let (template, template_digest) = templates
        .get(TEMPLATE)
        .map_err(|e| RenderError::Template(Box::new((*e).clone())))?;
    let context = context(project, agenda);
    let stamp = super::input_stamp(&template_digest, &context);
    let out_dir = &project.folders().out;
    let path = output_path(agenda);
    if output::is_current(out_dir, &path, &stamp) {
        return Ok(Outcome::Unchanged);
    }
    let value = minijinja::Value::from_serialize(&context);
    let bytes = template
        .render(&value)
        .map_err(|e| RenderError::Template(Box::new(e)))?;
    if mode == Mode::CheckOnly {
        return Ok(Outcome::Unchanged);
    }
    output::write_document(out_dir, &path, &bytes, &stamp)
        .map_err(|err| RenderError::Io(err.to_string()))?;
    Ok(Outcome::Written)
}
