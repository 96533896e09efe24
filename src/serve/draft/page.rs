//! The pages of the motion form, independent of how the person logged in: the form
//! (`GET /antrag/neu?zu=…`), the form again with a preview (`POST /antrag/vorschau`), the
//! preview as DOCX (`POST /antrag/vorschau.docx`), saving (`POST /antrag/speichern`, then
//! `303` to the confirmation) and the confirmation (`GET /antrag/gespeichert/<id>`).
//!
//! The handlers in [`super::routes`] check the session and its CSRF token and call these
//! with the person as a [`Drafter`]. Every page carries the form's own draft id (`entwurf`,
//! random per new form and kept through previews): a second click on „Antrag speichern“
//! finds the motion the first one saved and shows its confirmation instead of saving twice.

use std::sync::Mutex;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use chrono::NaiveDate;

use super::form::{self, Action, Draft, Intent, Posted};
use super::preview;
use super::save::{self, SaveError, Saved};
use super::scope::{self, Drafter};
use super::validate::{self, Problem};
use crate::load::Project;
use crate::model::{Body, Paper, proposal};
use crate::serve::pages;
use crate::serve::state::AppState;

/// The logged-in session a page is shown in: the token its forms carry, and what the layout
/// shows of the person (`account`).
#[derive(Clone, Debug, Default)]
pub struct Session {
    pub csrf: String,
    pub account: minijinja::Value,
}

/// The German 403 for people who are neither in a Fraktion nor in the office.
fn not_allowed() -> Response {
    pages::error(
        StatusCode::FORBIDDEN,
        "Zugriff nicht möglich",
        "Anträge entwerfen können nur Mitglieder einer Fraktion und die Geschäftsstelle.",
        Some(
            "Wenn Sie einer Fraktion angehören, bitten Sie die Geschäftsstelle, Sie im Verzeichnis einzutragen.",
        ),
    )
}

/// The German 403 for a form without a valid CSRF token.
pub fn csrf_refused() -> Response {
    pages::forbidden(
        "Das Formular ist ungültig oder unvollständig übermittelt worden; es wurde nichts gespeichert. Bitte öffnen Sie das Formular erneut.",
    )
}

fn base_missing(message: &str) -> Response {
    pages::error(
        StatusCode::NOT_FOUND,
        "Vorlage nicht gefunden",
        message,
        Some("Öffnen Sie den Antrag bitte über die Seite der Vorlage in der Übersicht."),
    )
}

fn today(app: &AppState, project: &Project) -> NaiveDate {
    app.now()
        .with_timezone(&project.settings.time_zone)
        .date_naive()
}

/// The paper `zu` names, as `drafter` may amend it, and the Fraktionen they may draft for
/// there; or the page that says why not: the German 404 when there is no such paper for them,
/// the German 403 when they draft for no Fraktion.
// The error is the page to answer with, made once per request: boxing it would buy nothing.
#[allow(clippy::result_large_err)]
fn drafting_base<'p>(
    app: &AppState,
    project: &'p Project,
    drafter: &Drafter,
    zu: &str,
) -> Result<(&'p Paper, Vec<&'p Body>), Response> {
    let base = scope::find_base(project, drafter, zu, app.now()).map_err(|m| base_missing(&m))?;
    let fraktionen = scope::fraktionen(project, drafter, base);
    if fraktionen.is_empty() {
        return Err(not_allowed());
    }
    Ok((base, fraktionen))
}

/// What the preview checks of a draft: its problems (with a failed rendering as one more)
/// and, where none blocks, the rendered document.
fn checked_preview(
    app: &AppState,
    project: &Project,
    drafter: &Drafter,
    base: &Paper,
    draft: &Draft,
) -> (Vec<Problem>, Option<preview::Preview>) {
    let checked = save::prepare(project, drafter, base, draft, today(app, project), None);
    let rendered = checked
        .paper
        .as_ref()
        .filter(|_| !validate::blocking(&checked.problems))
        .map(|paper| preview::render(project, paper, today(app, project)));
    let mut problems = checked.problems;
    if let Some(Err(message)) = &rendered {
        problems.push(Problem::general(message.clone()));
    }
    (problems, rendered.and_then(Result::ok))
}

/// A fresh draft id: 128 random bits.
fn draft_id() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// `GET /antrag/neu?zu=<paper>`: an empty form against the paper's proposal.
pub fn new_form(app: &AppState, drafter: &Drafter, zu: &str, session: &Session) -> Response {
    let project = app.project();
    let (base, fraktionen) = match drafting_base(app, &project, drafter, zu) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let kinds = scope::motion_kinds(&project);
    let draft = Draft {
        base: base.id.clone(),
        kind: kinds
            .iter()
            .find(|k| k.name == "Ergänzungsantrag")
            .or(kinds.first())
            .map(|k| k.name.clone())
            .unwrap_or_default(),
        fraktion: match fraktionen.as_slice() {
            [only] => only.id.clone(),
            _ => String::new(),
        },
        ziffern: vec![form::Ziffer::default()],
        ..Draft::default()
    };
    let Some(entwurf) = draft_id() else {
        return pages::internal_error();
    };
    show(
        &project,
        drafter,
        base,
        &View {
            draft: &draft,
            entwurf: &entwurf,
            session,
            problems: &[],
            preview: None,
            status: StatusCode::OK,
        },
    )
}

/// The draft of a posted form, with „Ziffer hinzufügen/entfernen“ applied and the old wording
/// (of the point or sub-point) put into a „Wortlaut ändern“ Ziffer that has none yet.
fn posted_draft(posted: &Posted, base: &Paper) -> Draft {
    let mut draft = posted.draft.clone();
    draft.apply(posted.intent);
    for ziffer in &mut draft.ziffern {
        if ziffer.action == Some(Action::Reword)
            && ziffer.text.is_empty()
            && let Some(at) = validate::PointRef::parse(&ziffer.point)
            && let Some(i) = at.point.checked_sub(1)
        {
            let old = match at.sub {
                None => base.proposal.get(i),
                Some(sub) => base
                    .proposal_points
                    .get(i)
                    .and_then(|p| p.points.get(sub.checked_sub(1)?))
                    .map(|p| &p.text),
            };
            if let Some(old) = old {
                ziffer.text = form::clean_text(old);
            }
        }
    }
    draft
}

/// `POST /antrag/vorschau`: the form again, with its problems or the preview.
pub fn preview_form(
    app: &AppState,
    drafter: &Drafter,
    posted: &Posted,
    session: &Session,
) -> Response {
    let project = app.project();
    let base = match drafting_base(app, &project, drafter, &posted.draft.base) {
        Ok((base, _)) => base,
        Err(refused) => return refused,
    };
    let draft = posted_draft(posted, base);
    let entwurf = match valid_entwurf(posted) {
        Some(e) => e.to_string(),
        None => match draft_id() {
            Some(e) => e,
            None => return pages::internal_error(),
        },
    };
    // Adding or removing a Ziffer only re-shows the form; its problems wait for the preview.
    let (problems, rendered) = if posted.intent == Intent::Preview {
        checked_preview(app, &project, drafter, base, &draft)
    } else {
        (Vec::new(), None)
    };
    let status = if validate::blocking(&problems) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    show(
        &project,
        drafter,
        base,
        &View {
            draft: &draft,
            entwurf: &entwurf,
            session,
            problems: &problems,
            preview: rendered.as_ref(),
            status,
        },
    )
}

/// `POST /antrag/vorschau.docx`: the preview document as a download.
pub fn preview_docx(
    app: &AppState,
    drafter: &Drafter,
    posted: &Posted,
    session: &Session,
) -> Response {
    let project = app.project();
    let Ok(base) = scope::find_base(&project, drafter, &posted.draft.base, app.now()) else {
        return preview_form(app, drafter, posted, session);
    };
    let draft = posted_draft(posted, base);
    let (_, Some(rendered)) = checked_preview(app, &project, drafter, base, &draft) else {
        // Problems first: the form shows them.
        return preview_form(app, drafter, posted, session);
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", rendered.file_name),
            ),
        ],
        rendered.docx,
    )
        .into_response()
}

/// Motions saved by this process, by (person, draft id): a second click on „Antrag
/// speichern“ answers with the first save. Bounded; the oldest are forgotten first.
struct SavedEntry {
    person: String,
    entwurf: String,
    fraktion: String,
    saved: Saved,
}

static SAVED: Mutex<Vec<SavedEntry>> = Mutex::new(Vec::new());
const REMEMBERED: usize = 2_000;

fn remembered() -> std::sync::MutexGuard<'static, Vec<SavedEntry>> {
    SAVED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn valid_entwurf(posted: &Posted) -> Option<&str> {
    let e = posted.entwurf.as_str();
    (!e.is_empty()
        && e.len() <= 64
        && e.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(e)
}

fn to_confirmation(id: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/antrag/gespeichert/{id}"))],
    )
        .into_response()
}

/// `POST /antrag/speichern`: saves and redirects to the confirmation, or shows the problems.
pub fn save_form(
    app: &AppState,
    drafter: &Drafter,
    posted: &Posted,
    session: &Session,
) -> Response {
    let project = app.project();
    let base = match drafting_base(app, &project, drafter, &posted.draft.base) {
        Ok((base, _)) => base,
        Err(refused) => return refused,
    };
    let Some(entwurf) = valid_entwurf(posted) else {
        return csrf_refused();
    };
    // One lock around look-up and save: two clicks at once save once.
    let mut saved_list = remembered();
    if let Some(entry) = saved_list
        .iter()
        .find(|e| e.person == drafter.person && e.entwurf == entwurf)
    {
        return to_confirmation(&entry.saved.id);
    }
    let draft = posted_draft(posted, base);
    match save::save(&project, drafter, base, &draft, today(app, &project)) {
        Ok(saved) => {
            eprintln!(
                "Antrag {} gespeichert: {} (von {})",
                saved.reference, saved.file, drafter.person
            );
            let id = saved.id.clone();
            if saved_list.len() >= REMEMBERED {
                saved_list.remove(0);
            }
            saved_list.push(SavedEntry {
                person: drafter.person.clone(),
                entwurf: entwurf.to_string(),
                fraktion: draft.fraktion.clone(),
                saved,
            });
            to_confirmation(&id)
        }
        Err(SaveError::Invalid(problems)) => {
            drop(saved_list);
            show(
                &project,
                drafter,
                base,
                &View {
                    draft: &draft,
                    entwurf,
                    session,
                    problems: &problems,
                    preview: None,
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                },
            )
        }
        Err(SaveError::Io(message)) => {
            eprintln!("Fehler: {message}");
            pages::internal_error()
        }
    }
}

/// `GET /antrag/gespeichert/<id>`: what was saved and what happens next. Only the Fraktion
/// that filed it and the office see it; for everyone else it does not exist.
pub fn confirmation(app: &AppState, drafter: &Drafter, id: &str, session: &Session) -> Response {
    let project = app.project();
    let own = |fraktion: &str| drafter.office || drafter.fraktion.as_deref() == Some(fraktion);
    let from_memory = remembered()
        .iter()
        .find(|e| e.saved.id == id && own(&e.fraktion))
        .map(|e| (e.saved.clone(), e.fraktion.clone()));
    let from_project = || {
        let paper = project.papers.get(id)?;
        let fraktion = paper.by.clone()?;
        own(&fraktion).then(|| {
            (
                Saved {
                    id: paper.id.clone(),
                    reference: paper.reference().to_string(),
                    file: super::build::shown_path(&project, &paper.id)
                        .display()
                        .to_string(),
                    title: paper.title.clone(),
                },
                fraktion,
            )
        })
    };
    let Some((saved, fraktion)) = from_memory.or_else(from_project) else {
        return pages::not_found();
    };
    let kind = project
        .papers
        .get(id)
        .map(|p| p.kind.name.clone())
        .unwrap_or_else(|| "Antrag".to_string());
    let signers: Vec<String> = match project.papers.get(id) {
        Some(paper) if !paper.signers.is_empty() => paper
            .signers
            .iter()
            .map(|s| project.directory.person_name(s).to_string())
            .collect(),
        _ => project
            .directory
            .body(&fraktion)
            .map(|b| {
                b.signatories
                    .iter()
                    .map(|s| project.directory.person_name(s).to_string())
                    .collect()
            })
            .unwrap_or_default(),
    };
    pages::render(
        StatusCode::OK,
        "antrag_gespeichert.html",
        minijinja::context! {
            title => "Antrag gespeichert",
            kind,
            saved => minijinja::context! {
                reference => saved.reference,
                title => saved.title,
                file => saved.file,
            },
            signers,
            org => org_name(&project),
            account => session.account.clone(),
        },
    )
}

fn org_name(project: &Project) -> String {
    let id = &project.settings.organisation;
    project
        .directory
        .organisations
        .get(id)
        .map_or_else(|| id.clone(), |o| o.name.clone())
}

/// The choices of a Ziffer's point select: each point of the base proposal (`2`), then each
/// of its sub-points (`2.2`, shown as „Punkt 2 b)“ in the proposal's numbering style).
fn point_choices(base: &Paper) -> Vec<minijinja::Value> {
    let choice = |value: String, name: String, text: &str| {
        minijinja::context! { value, name, label => crate::table::truncate(text, 70) }
    };
    let mut out = Vec::new();
    for (i, text) in base.proposal.iter().enumerate() {
        let number = i + 1;
        out.push(choice(number.to_string(), number.to_string(), text));
        let subs = base
            .proposal_points
            .get(i)
            .map_or(&[][..], |p| p.points.as_slice());
        for (j, sub) in subs.iter().enumerate() {
            let at = validate::PointRef {
                point: number,
                sub: Some(j + 1),
            };
            out.push(choice(
                format!("{number}.{}", j + 1),
                at.shown(base.numbering),
                &sub.text,
            ));
        }
    }
    out
}

/// Everything the form page shows.
struct View<'a> {
    draft: &'a Draft,
    entwurf: &'a str,
    session: &'a Session,
    problems: &'a [Problem],
    preview: Option<&'a preview::Preview>,
    status: StatusCode,
}

fn show(project: &Project, drafter: &Drafter, base: &Paper, view: &View<'_>) -> Response {
    let draft = view.draft;
    let fraktionen = scope::fraktionen(project, drafter, base);
    let fraktion = fraktionen.iter().find(|b| b.id == draft.fraktion);
    let signers: Vec<minijinja::Value> = fraktion
        .map(|f| scope::signer_choices(project, f))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, name)| {
            let checked = draft.signers.contains(&id);
            minijinja::context! { id, name, checked }
        })
        .collect();
    let signatories: Vec<String> = fraktion
        .map(|f| {
            f.signatories
                .iter()
                .map(|s| project.directory.person_name(s).to_string())
                .collect()
        })
        .unwrap_or_default();
    let points = point_choices(base);
    let outline: Vec<minijinja::Value> = proposal::items(base.numbering, &base.proposal_points)
        .into_iter()
        .map(|item| {
            minijinja::context! { level => item.level, label => item.label, text => item.text }
        })
        .collect();
    let attachments: Vec<minijinja::Value> = base
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| minijinja::context! { number => i + 1, title => a.title.clone() })
        .collect();
    let actions: Vec<minijinja::Value> = Action::ALL
        .into_iter()
        .filter(|a| *a != Action::Attachment || !base.attachments.is_empty())
        .map(|a| minijinja::context! { key => a.key(), label => a.label() })
        .collect();
    let ziffern: Vec<minijinja::Value> = draft
        .ziffern
        .iter()
        .enumerate()
        .map(|(i, z)| {
            minijinja::context! {
                n => i + 1,
                action => z.action.map(Action::key),
                point => z.point.clone(),
                attachment => z.attachment.clone(),
                text => z.text.clone(),
            }
        })
        .collect();
    let mut errors = std::collections::BTreeMap::new();
    for problem in view.problems {
        if let Some(field) = &problem.field {
            errors
                .entry(field.clone())
                .or_insert(problem.message.clone());
        }
    }
    let problems: Vec<minijinja::Value> = view
        .problems
        .iter()
        .map(|p| {
            minijinja::context! {
                field => p.field.clone(),
                message => p.message.clone(),
                warning => p.warning,
            }
        })
        .collect();
    let kinds: Vec<String> = scope::motion_kinds(project)
        .iter()
        .map(|k| k.name.clone())
        .collect();
    let fraktion_choices: Vec<minijinja::Value> = fraktionen
        .iter()
        .map(|b| minijinja::context! { id => b.id.clone(), name => b.name.clone() })
        .collect();
    let preview = view.preview.map(|p| p.paragraphs.clone());
    pages::render(
        view.status,
        "antrag.html",
        minijinja::context! {
            title => format!("Antrag zur Vorlage {}", base.reference()),
            org => org_name(project),
            base => minijinja::context! {
                id => base.id.clone(),
                reference => base.reference().to_string(),
                title => base.title.clone(),
                intro => base.proposal_intro.clone(),
            },
            outline,
            points,
            attachments,
            actions,
            kinds,
            fraktionen => fraktion_choices,
            choose_fraktion => drafter.office,
            draft => minijinja::context! {
                kind => draft.kind.clone(),
                fraktion => draft.fraktion.clone(),
                title => draft.title.clone(),
                addressee => draft.addressee.clone(),
                reasons => draft.reasons.clone(),
            },
            ziffern,
            signers,
            signatories,
            errors,
            problems,
            blocking => validate::blocking(view.problems),
            preview,
            entwurf => view.entwurf,
            csrf => view.session.csrf.clone(),
            account => view.session.account.clone(),
        },
    )
}
