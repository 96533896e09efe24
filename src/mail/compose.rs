//! The text of a notice: what a council member reads, in German.
//!
//! The mail templates ([`crate::mail::templates`]) get values a letter needs and a template
//! author cannot derive: the kind with its article in every case („den Ergänzungsantrag“), a
//! salutation from the directory, the rule of the stage in words („Nötig sind 2 von 3
//! Mitzeichnungen.“), whether a signer co-signs (Mitzeichnung) or signs alone (Zeichnung), and
//! where the paper is consulted next. No text asks anyone to run a command. This file also assembles the
//! message around the text: sender, recipient and `Reply-To`.
//!
//! `Reply-To` is the paper's author (`author:`, the Sachbearbeitung of the Federführung): the
//! person who can answer a question about the paper. Where the author is the recipient (a
//! return, the end of the path) or the paper names none, it is the office (Sitzungsdienst) of
//! the body the paper goes to next; without either, replies go to the sender.
//!
//! Subject and text pass through [`crate::sanitize`] (a title cannot carry terminal escapes
//! or bidi overrides into a mail client), and a document larger than
//! [`MAX_ATTACHMENT_BYTES`] is not attached: the text says so and where it lies.

use chrono::{DateTime, FixedOffset};
use minijinja::context;
use minijinja::value::Value;

use crate::engine::notices::Notice;
use crate::engine::{PaperState, Position, StageStatus};
use crate::load::Project;
use crate::mail::message::{Address, Attachment, OutgoingMail};
use crate::mail::templates::{MailText, TemplateProblem};

pub use crate::mail::templates::default_template;
use crate::model::{Case, Paper, Person, SignMode, StageKind};

/// Why a notice's message was not made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComposeError {
    /// The template is broken: the notice waits until it is fixed.
    Template(TemplateProblem),
    /// The notice itself cannot be sent (a recipient missing from the directory).
    Notice(String),
}

impl std::fmt::Display for ComposeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ComposeError::Template(problem) => write!(f, "{problem}"),
            ComposeError::Notice(message) => f.write_str(message),
        }
    }
}

/// The salutation of a letter to `person`: their own (`salutation:`), „Guten Tag,“ for a
/// shared mailbox or a placeholder name („N. N. (Landrat)“), „Guten Tag Petra Landwehr,“
/// otherwise. Always ends with a comma.
pub fn salutation(person: Option<&Person>) -> String {
    let Some(person) = person else {
        return "Guten Tag,".to_owned();
    };
    match person.salutation.as_deref().map(str::trim) {
        Some(own) if !own.is_empty() => {
            let own = own.trim_end_matches(',');
            format!("{own},")
        }
        _ if person.shared_mailbox || is_placeholder(&person.name) => "Guten Tag,".to_owned(),
        _ => format!("Guten Tag {},", person.name.trim()),
    }
}

/// Whether a name stands for someone not yet named: „N. N.“, „NN“, empty.
fn is_placeholder(name: &str) -> bool {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    compact.is_empty()
        || compact.starts_with("N.N.")
        || compact == "NN"
        || compact.starts_with("NN(")
}

/// The rule of a sign stage in words, or `None` where one signature is all there is.
pub fn rule_sentence(mode: SignMode, needed: usize, signers: usize) -> Option<String> {
    if signers < 2 {
        return None;
    }
    Some(match mode {
        SignMode::All => format!("Nötig sind alle {signers} Mitzeichnungen."),
        SignMode::Any => format!("Nötig ist eine von {signers} Mitzeichnungen."),
        SignMode::Quorum if needed == 1 => format!("Nötig ist eine von {signers} Mitzeichnungen."),
        SignMode::Quorum if needed >= signers => {
            format!("Nötig sind alle {signers} Mitzeichnungen.")
        }
        SignMode::Quorum => format!("Nötig sind {needed} von {signers} Mitzeichnungen."),
    })
}

/// The values a mail template is filled with.
pub fn context(project: &Project, paper: &Paper, state: &PaperState, notice: &Notice) -> Value {
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let workflow = project.workflow_of(paper);
    let workflow = workflow.as_deref();
    let stage_index = workflow.and_then(|w| w.stage_index(&notice.stage));
    let stage = stage_index.and_then(|i| workflow.and_then(|w| w.stages.get(i)));
    let stage_title = stage.map_or_else(|| notice.stage.clone(), |s| s.title.clone());
    let stage_state = stage_index.and_then(|i| state.stages.get(i));
    let waiting: Vec<&str> = stage_state
        .map(|s| {
            s.waiting_for
                .iter()
                .map(|id| project.directory.person_name(id))
                .collect()
        })
        .unwrap_or_default();
    let rule = match (stage.map(|s| &s.kind), stage_state) {
        (Some(StageKind::Sign(rule)), Some(s)) => {
            rule_sentence(rule.mode, s.needed, s.signers.len())
        }
        _ => None,
    };
    // Several signers co-sign (Mitzeichnung); one alone signs (Zeichnung).
    let co_signing = stage_state.is_some_and(|s| s.signers.len() > 1);
    let body = stage_state
        .and_then(|s| s.body.as_deref())
        .and_then(|b| project.directory.body(b))
        .map(|b| b.name.clone());
    let meeting = stage_state.and_then(|s| s.meeting).map(|m| date(m.date));
    let consultation =
        next_consultation(project, state, stage_index).map(|(name, day)| match day {
            Some(day) => format!("{name}, Sitzung am {}", date(day)),
            None => format!("{name} (Sitzungstermin noch offen)"),
        });
    let outcome = match state.position {
        Position::Finished(outcome) => Some(outcome.label()),
        Position::At(_) => None,
    };
    let recipient = project.directory.person(&notice.recipient);
    let org_id = project.organisation_of(paper);
    let org = project
        .directory
        .organisations
        .get(org_id)
        .map_or_else(|| org_id.to_string(), |o| o.name.clone());
    let kind = &paper.kind;
    context! {
        paper => context! {
            id => paper.id.clone(),
            // The Drucksachen-Nr. as printed; never the internal file id.
            reference => paper.reference.clone().unwrap_or_default(),
            kind => kind.name.clone(),
            title => paper.title.clone(),
            nominativ => kind.with_article(Case::Nominative),
            akkusativ => kind.with_article(Case::Accusative),
            dativ => kind.with_article(Case::Dative),
            genitiv => kind.with_article(Case::Genitive),
        },
        recipient => context! {
            id => notice.recipient.clone(),
            name => recipient.map_or_else(|| notice.recipient.clone(), |p| p.name.clone()),
        },
        salutation => salutation(recipient),
        vertretung => notice.on_behalf_of.as_deref().map(|p| project.directory.person_name(p).to_string()),
        stage => stage_title,
        due => notice.due.map(date),
        comment => notice.comment.clone(),
        waiting => waiting.join(", "),
        rule => rule,
        co_signing => co_signing,
        signing => if co_signing { "Mitzeichnung" } else { "Zeichnung" },
        body => body,
        meeting => meeting,
        consultation => consultation,
        outcome => outcome,
        org => org,
        contact => reply_to(project, paper, state, notice).first().map(|a| a.name.clone()),
        notice => notice.kind.word(),
        antragsfrist => crate::meeting::motion_deadline(project, paper, state).map(|d| date(d.deadline)),
    }
}

/// The body the paper is consulted in next after stage `from` (the current one included when
/// it is a consultation), with its meeting date when one is planned.
fn next_consultation(
    project: &Project,
    state: &PaperState,
    from: Option<usize>,
) -> Option<(String, Option<chrono::NaiveDate>)> {
    let start = from.or(state.current())?;
    state
        .stages
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, s)| !matches!(s.status, StageStatus::Skipped | StageStatus::Done))
        .find_map(|(_, s)| {
            let body = project.directory.body(s.body.as_deref()?)?;
            Some((body.name.clone(), s.meeting.map(|m| m.date)))
        })
}

/// Fills the template of the notice's kind.
pub fn compose(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
) -> Result<MailText, ComposeError> {
    compose_linked(project, paper, state, notice, None)
}

/// [`compose`] with the personal link of `ratsflow serve` (`link` in the template), if any.
/// A project template that does not use `link` gets it as a last paragraph.
pub fn compose_linked(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
    link: Option<&str>,
) -> Result<MailText, ComposeError> {
    let data = context(project, paper, state, notice);
    let data = context! { link => link, ..data };
    let mut text = project
        .mail_templates
        .render(notice.kind, &data)
        .map_err(ComposeError::Template)?;
    if let Some(link) = link.filter(|link| !text.body.contains(link)) {
        let body = text.body.trim_end().to_string();
        text.body = format!("{body}\n\nVorlage ansehen und zeichnen: {link}\n");
    }
    Ok(text)
}

/// The sender: from the settings, or the paper's organisation with a placeholder address.
pub fn sender(project: &Project, paper: &Paper) -> Address {
    match &project.settings.mail {
        Some(mail) => Address::new(mail.from_name.clone(), mail.from.to_string()),
        None => {
            let org = project
                .directory
                .organisations
                .get(project.organisation_of(paper));
            Address::new(
                org.map_or("ratsflow".to_string(), |o| o.name.clone()),
                "ratsflow@ratsflow.invalid",
            )
        }
    }
}

/// Where replies go; see the module documentation.
pub fn reply_to(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
) -> Vec<Address> {
    let address = |id: &str| {
        project
            .directory
            .person(id)
            .map(|p| Address::new(p.name.clone(), p.email.clone()))
    };
    if let Some(author) = paper.author.as_deref()
        && author != notice.recipient
        && let Some(address) = address(author)
    {
        return vec![address];
    }
    let from = state.current().unwrap_or(0);
    state
        .stages
        .iter()
        .skip(from)
        .filter(|s| !matches!(s.status, StageStatus::Skipped | StageStatus::Done))
        .find_map(|s| project.directory.body(s.body.as_deref()?))
        .map(|body| {
            body.office
                .iter()
                .filter(|id| **id != notice.recipient)
                .filter_map(|id| address(id))
                .collect()
        })
        .unwrap_or_default()
}

/// The largest document attached to a notice: larger ones stay out (mail servers commonly
/// refuse messages above 20–25 MB, and the base64 encoding adds a third).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The attachment if it is small enough; otherwise none and a German paragraph for the text.
fn limit_attachment(
    project: &Project,
    attachment: Option<Attachment>,
) -> (Option<Attachment>, Option<String>) {
    match attachment {
        Some(file) if file.bytes.len() > MAX_ATTACHMENT_BYTES => {
            let folder = project.folders().display(&project.folders().out);
            let note = format!(
                "Das Dokument „{}“ ist zu groß für den Versand per E-Mail ({}; höchstens {}) und liegt dieser Nachricht nicht bei. Es liegt im Ordner „{}“ des Projekts.",
                file.file_name,
                crate::docx::limits::megabytes(file.bytes.len()),
                crate::docx::limits::megabytes(MAX_ATTACHMENT_BYTES),
                folder.display()
            );
            (None, Some(note))
        }
        other => (other, None),
    }
}

/// A mail body made harmless: Windows line ends become plain ones, every other control
/// character and bidi override becomes visible (see [`crate::sanitize::text`]).
fn safe_body(body: &str) -> String {
    crate::sanitize::text(&body.replace("\r\n", "\n")).into_owned()
}

/// The whole message of a notice, with `attachment` (the paper's current document).
pub fn outgoing(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
    attachment: Option<Attachment>,
    now_local: DateTime<FixedOffset>,
) -> Result<OutgoingMail, ComposeError> {
    let recipient = project.directory.person(&notice.recipient).ok_or_else(|| {
        ComposeError::Notice(format!("„{}“ steht nicht im Verzeichnis", notice.recipient))
    })?;
    let link =
        crate::serve::mail_link::for_notice(project, paper, state, notice, now_local.to_utc());
    let text = compose_linked(project, paper, state, notice, link.as_deref())?;
    let (attachment, note) = limit_attachment(project, attachment);
    let mut body = safe_body(&text.body);
    if let Some(note) = note {
        if !body.ends_with('\n') {
            body.push('\n');
        }
        body.push('\n');
        body.push_str(&note);
        body.push('\n');
    }
    let from = sender(project, paper);
    let domain = from
        .email
        .rsplit_once('@')
        .map_or("ratsflow.invalid", |(_, d)| d)
        .trim()
        .to_string();
    Ok(OutgoingMail {
        message_id: crate::mail::outbox::message_id(&notice.key, &domain),
        reply_to: reply_to(project, paper, state, notice),
        from,
        to: vec![Address::new(
            recipient.name.clone(),
            recipient.email.clone(),
        )],
        subject: crate::sanitize::line(&crate::mail::message::header_text(&text.subject))
            .into_owned(),
        text: body,
        attachment,
        anlagen: Vec::new(),
        date: now_local,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, salutation: Option<&str>, shared_mailbox: bool) -> Person {
        Person {
            id: "p".into(),
            name: name.into(),
            function: None,
            email: "p@kreis.example".into(),
            organisation: None,
            salutation: salutation.map(str::to_owned),
            shared_mailbox,
            deputies: Vec::new(),
            publish: false,
        }
    }

    #[test]
    fn salutations_come_from_the_directory_or_are_neutral() {
        let cases = [
            (
                person("Petra Landwehr", None, false),
                "Guten Tag Petra Landwehr,",
            ),
            (
                person("Petra Landwehr", Some("Sehr geehrte Frau Landwehr"), false),
                "Sehr geehrte Frau Landwehr,",
            ),
            (
                person("Petra Landwehr", Some("Sehr geehrte Frau Landwehr,"), false),
                "Sehr geehrte Frau Landwehr,",
            ),
            (
                person("Sitzungsdienst Stadt Oelde", None, true),
                "Guten Tag,",
            ),
            (person("N. N. (Landrat)", None, false), "Guten Tag,"),
            (
                person("Frau Lübbert", None, false),
                "Guten Tag Frau Lübbert,",
            ),
        ];
        for (person, expected) in cases {
            assert_eq!(salutation(Some(&person)), expected, "{}", person.name);
        }
        assert_eq!(salutation(None), "Guten Tag,");
    }

    #[test]
    fn mail_bodies_keep_lines_but_lose_escapes() {
        assert_eq!(
            safe_body("Titel: A\u{1b}]0;pwned\u{7}\u{202e}B\r\nZeile 2\n"),
            "Titel: A␛]0;pwned␇�B\nZeile 2\n"
        );
    }

    #[test]
    fn the_rule_of_a_stage_in_words() {
        assert_eq!(
            rule_sentence(SignMode::Quorum, 2, 3).as_deref(),
            Some("Nötig sind 2 von 3 Mitzeichnungen.")
        );
        assert_eq!(
            rule_sentence(SignMode::All, 3, 3).as_deref(),
            Some("Nötig sind alle 3 Mitzeichnungen.")
        );
        assert_eq!(
            rule_sentence(SignMode::Any, 1, 2).as_deref(),
            Some("Nötig ist eine von 2 Mitzeichnungen.")
        );
        assert_eq!(rule_sentence(SignMode::All, 1, 1), None);
    }
}
