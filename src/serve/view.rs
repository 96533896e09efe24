//! A paper as one link sees it: the claims checked against the project and the journal at the
//! moment of the request, and the facts the sign page shows.

// The error of `open` is the page to answer with; it is made once per request, so boxing it
// would buy nothing.
#![allow(clippy::result_large_err)]

use axum::response::Response;

use super::link::{self, Claims, Rejected};
use super::pages;
use super::seen::Block;
use crate::engine::{self, Inputs, PaperState, Position};
use crate::journal::{self, Entry, Event, Journal};
use crate::load::Project;
use crate::model::{Case, Paper};
use crate::pass::document_text;

/// A verified link with its paper and the paper's state now.
pub struct Opened<'a> {
    pub token: String,
    pub claims: Claims,
    pub paper: &'a Paper,
    pub stage_index: usize,
    pub journal: Journal,
    pub state: PaperState,
    /// The signatory the holder stands in for today (Vertretung), when the holder is a deputy.
    pub principal: Option<String>,
}

/// Where the holder of a link stands.
pub enum Standing {
    /// Asked to sign this version: the forms are shown.
    Asked,
    /// Signed this version already, at that time.
    Signed(String),
    /// The paper changed since the link was made (`returned`: not its content, but a return
    /// sent it back through the stage, so it is presented anew in a later round).
    Outdated { still_asked: bool, returned: bool },
    /// The holder gave the paper back with this link (or since it was made), which began the
    /// stage's current round: at that time.
    GivenBack { at: String, still_asked: bool },
    /// Not (or no longer) asked at this stage: the stage is done, the paper moved on, or it
    /// was finished or withdrawn.
    NotAsked,
}

/// The German 403 for a refused token.
pub fn refused(rejected: Rejected) -> Response {
    match rejected {
        Rejected::Invalid => pages::forbidden(
            "Dieser Link ist ungültig. Bitte öffnen Sie den Link aus Ihrer E-Mail unverändert.",
        ),
        Rejected::Expired => pages::forbidden(
            "Dieser Link ist abgelaufen. Aus Sicherheitsgründen gilt ein Link nur begrenzte Zeit.",
        ),
    }
}

/// Verifies `token` and reads the paper's journal.
pub fn open<'a>(
    project: &'a Project,
    key: &[u8],
    token: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Opened<'a>, Response> {
    let claims = link::verify(key, token, now).map_err(refused)?;
    let gone = || {
        pages::error(
            axum::http::StatusCode::NOT_FOUND,
            "Drucksache nicht gefunden",
            "Diese Drucksache gibt es im Projekt nicht mehr.",
            Some(
                "Wenden Sie sich bitte an die Geschäftsstelle, die Ihnen die Vorlage geschickt hat.",
            ),
        )
    };
    let paper = project.papers.get(&claims.paper).ok_or_else(gone)?;
    let workflow = project.workflow_of(paper).ok_or_else(gone)?;
    let stage_index = workflow.stage_index(&claims.stage).ok_or_else(gone)?;
    if project.directory.person(&claims.person).is_none() {
        return Err(pages::forbidden(
            "Die Person dieses Links steht nicht mehr im Verzeichnis.",
        ));
    }
    let folders = project.folders();
    let read = |id: &str| {
        journal::read(&folders.journal(id)).map_err(|err| {
            eprintln!("Fehler: {err}");
            pages::internal_error()
        })
    };
    let journal = read(&paper.id)?;
    let base = match paper.amends.as_deref() {
        Some(base) if project.papers.contains_key(base) => Some(read(base)?),
        _ => None,
    };
    let calendar = project.calendar_for(paper);
    let document = document_text::needed(&journal.entries)
        .then(|| document_text::text_hash(project, paper))
        .flatten();
    let state = engine::state(&Inputs {
        document: document.as_deref(),
        workflow: &workflow,
        paper,
        journal: &journal.entries,
        base_journal: base.as_ref().map(|j| j.entries.as_slice()),
        outbox: &[],
        directory: &project.directory,
        calendar: &calendar,
        now,
        tz: project.settings.time_zone,
    });
    let today = now.with_timezone(&project.settings.time_zone).date_naive();
    let principal = state.stages.get(stage_index).and_then(|stage| {
        (!stage.waiting_for.contains(&claims.person))
            .then(|| {
                stage
                    .waiting_for
                    .iter()
                    .find(|w| project.directory.deputy_on(w, today) == Some(claims.person.as_str()))
                    .cloned()
            })
            .flatten()
    });
    Ok(Opened {
        token: token.to_string(),
        claims,
        paper,
        stage_index,
        journal,
        state,
        principal,
    })
}

/// German date and time of a journal entry: „03.05.2026 um 14:12 Uhr“.
pub fn when(entry: &Entry) -> String {
    entry.time.format("%d.%m.%Y um %H:%M Uhr").to_string()
}

impl Opened<'_> {
    /// Where the holder stands now.
    pub fn standing(&self) -> Standing {
        let stage = &self.state.stages[self.stage_index];
        let person = self.principal.as_ref().unwrap_or(&self.claims.person);
        let current = self.state.current() == Some(self.stage_index)
            && !matches!(self.state.position, Position::Finished(_));
        let asked = current && stage.waiting_for.iter().any(|w| w == person);
        if self.claims.hash != self.paper.short_hash() {
            return Standing::Outdated {
                still_asked: asked,
                returned: false,
            };
        }
        // A link (or a form opened from it) from before a return: the person has not seen the
        // paper in its new round, even when its wording is the same.
        if self.claims.round != stage.round {
            if self.claims.round.checked_add(1) == Some(stage.round)
                && let Some(opener) = self.round_opener()
                && opener.who.as_deref() == Some(self.claims.person.as_str())
                && opener.stage.as_deref() == Some(self.claims.stage.as_str())
            {
                return Standing::GivenBack {
                    at: when(opener),
                    still_asked: asked,
                };
            }
            return Standing::Outdated {
                still_asked: asked,
                returned: true,
            };
        }
        if stage.signatures.iter().any(|s| &s.who == person && s.valid)
            && let Some(entry) = self.last(Event::Signed)
        {
            return Standing::Signed(when(entry));
        }
        if asked {
            Standing::Asked
        } else {
            Standing::NotAsked
        }
    }

    /// The return that began the stage's current round, with its position in the journal.
    fn round_opening(&self) -> Option<(usize, &Entry)> {
        let start = self.state.stages[self.stage_index].round_start;
        self.journal
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.event == Event::Returned)
            .nth(start.checked_sub(1)?)
    }

    /// The return that began the stage's current round, if it is not the first.
    pub fn round_opener(&self) -> Option<&Entry> {
        self.round_opening().map(|(_, entry)| entry)
    }

    /// The journal's entries of the stage's current round: a return starts a new round, and
    /// what was done before it is not done in this one.
    fn current_round(&self) -> &[Entry] {
        let entries = &self.journal.entries;
        if self.state.stages[self.stage_index].round_start == 0 {
            return entries;
        }
        self.round_opening()
            .map_or(&[], |(at, _)| &entries[at + 1..])
    }

    /// The holder's latest entry of `event` at this stage for the paper's current content, in
    /// the stage's current round.
    pub fn last(&self, event: Event) -> Option<&Entry> {
        self.current_round().iter().rev().find(|e| {
            e.event == event
                && e.who.as_deref() == Some(self.claims.person.as_str())
                && e.stage.as_deref() == Some(self.claims.stage.as_str())
                && e.hash.as_deref() == Some(self.paper.content_hash.as_str())
        })
    }

    /// A return of this version by the holder after their last signature, if any.
    pub fn returned(&self) -> Option<&Entry> {
        let returned = self.last(Event::Returned)?;
        match self.last(Event::Signed) {
            Some(signed) if signed.time > returned.time => None,
            _ => Some(returned),
        }
    }
}

/// The key facts of the page.
pub fn facts(project: &Project, opened: &Opened<'_>) -> minijinja::Value {
    let paper = opened.paper;
    let stage_state = &opened.state.stages[opened.stage_index];
    let stage = project
        .workflows
        .get(&paper.workflow)
        .and_then(|w| w.stages.get(opened.stage_index))
        .map_or_else(|| opened.claims.stage.clone(), |s| s.title.clone());
    let body = stage_state
        .body
        .as_deref()
        .or(paper.body.as_deref())
        .and_then(|b| project.directory.body(b))
        .map(|b| b.name.clone());
    minijinja::context! {
        reference => paper.reference(),
        kind => paper.kind.name.clone(),
        nominativ => paper.kind.with_article(Case::Nominative),
        title => paper.title.clone(),
        stage => stage,
        due => stage_state.due.map(|d| d.format("%d.%m.%Y").to_string()),
        body => body,
        on_behalf_of => opened.principal.as_deref().map(|p| project.directory.person_name(p).to_string()),
    }
}

/// The texts of the paper as blocks: what the diff compares and the page shows.
pub fn blocks(project: &Project, paper: &Paper) -> Vec<Block> {
    let mut blocks = vec![
        Block {
            label: "Titel".into(),
            text: paper.title.clone(),
        },
        Block {
            label: "Art".into(),
            text: paper.kind.name.clone(),
        },
    ];
    let mut push = |label: &str, text: Option<String>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            blocks.push(Block {
                label: label.into(),
                text,
            });
        }
    };
    push("Kurzfassung", paper.summary.clone());
    let proposal: Vec<String> = paper
        .proposal
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{}. {p}", i + 1))
        .collect();
    push("Beschlussvorschlag", Some(proposal.join("\n")));
    let changes: Vec<String> = paper
        .changes
        .iter()
        .map(|c| c.wording(project.base_numbering(paper)))
        .collect();
    push("Änderungen", Some(changes.join("\n")));
    push("Sachverhalt", paper.facts.clone());
    push("Begründung", paper.reasons.clone());
    push("Finanzierung", paper.financing.clone());
    blocks
}

/// The texts of the paper as the sign page shows them, in the order of [`blocks`], each as a
/// label and safe HTML: Markdown where the document reads Markdown (Kurzfassung, Sachverhalt,
/// Begründung; see [`super::markdown`]), the proposal as its numbered points, the rest as
/// plain paragraphs — in each case as the DOCX shows it, so the page and the document agree.
pub fn shown(project: &Project, paper: &Paper) -> Vec<(String, String)> {
    /// The highest heading inside a text: below the page's `<h3>` block labels.
    const TOP: u8 = 4;
    let present = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    let markdown = |text: &Option<String>| present(text).map(|t| super::markdown::to_html(&t, TOP));
    let plain = |text: Option<String>| {
        text.filter(|t| !t.trim().is_empty()).map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| format!("<p>{}</p>\n", minijinja::HtmlEscape(l)))
                .collect::<String>()
        })
    };
    let proposal = (!paper.proposal.is_empty()).then(|| {
        let points: String = paper
            .proposal
            .iter()
            .map(|p| format!("<li>{}</li>\n", minijinja::HtmlEscape(p)))
            .collect();
        format!("<ol>\n{points}</ol>\n")
    });
    let changes: Vec<String> = paper
        .changes
        .iter()
        .map(|c| c.wording(project.base_numbering(paper)))
        .collect();
    [
        ("Kurzfassung", markdown(&paper.summary)),
        ("Beschlussvorschlag", proposal),
        ("Änderungen", plain(Some(changes.join("\n")))),
        ("Sachverhalt", markdown(&paper.facts)),
        ("Begründung", markdown(&paper.reasons)),
        ("Finanzierung", plain(paper.financing.clone())),
    ]
    .into_iter()
    .filter_map(|(label, html)| html.map(|html| (label.to_string(), html)))
    .collect()
}
