//! The text of a notice: German mail templates (`templates/mail/<kind>.txt`, editable; built-in
//! defaults otherwise) filled with the paper, the stage and the deadline. The first line of a
//! template is the subject, the rest after one blank line the body.

use std::path::Path;

use minijinja::{Environment, UndefinedBehavior, context};

use crate::commands::date_de;
use crate::engine::notices::{Notice, NoticeKind};
use crate::engine::{PaperState, Position};
use crate::load::Project;
use crate::model::Paper;

/// Subject and body of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// The built-in template of a kind.
pub fn default_template(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Sign => include_str!("../../templates/mail/unterschrift.txt"),
        NoticeKind::Resign => include_str!("../../templates/mail/erneut.txt"),
        NoticeKind::Reminder => include_str!("../../templates/mail/erinnerung.txt"),
        NoticeKind::Escalation => include_str!("../../templates/mail/eskalation.txt"),
        NoticeKind::Returned => include_str!("../../templates/mail/rueckgabe.txt"),
        NoticeKind::Completed => include_str!("../../templates/mail/abschluss.txt"),
        NoticeKind::Submitted => include_str!("../../templates/mail/einreichung.txt"),
    }
}

/// Fills the template of `notice.kind` from `templates_dir/mail/`, or the built-in one.
pub fn compose(
    templates_dir: &Path,
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    notice: &Notice,
) -> Result<MailText, String> {
    let file = templates_dir
        .join("mail")
        .join(format!("{}.txt", notice.kind.word()));
    let source = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(_) => default_template(notice.kind).to_string(),
    };
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_keep_trailing_newline(true);
    env.set_fuel(Some(100_000));
    let name = format!("mail/{}.txt", notice.kind.word());
    env.add_template_owned(name.clone(), source)
        .map_err(|err| format!("Mailvorlage {name}: {err}"))?;
    let workflow = project.workflows.get(&paper.workflow);
    let stage_index = workflow.and_then(|w| w.stage_index(&notice.stage));
    let stage_title = stage_index
        .and_then(|i| workflow.map(|w| w.stages[i].title.clone()))
        .unwrap_or_else(|| notice.stage.clone());
    let stage_state = stage_index.and_then(|i| state.stages.get(i));
    let waiting: Vec<&str> = stage_state
        .map(|s| {
            s.waiting_for
                .iter()
                .map(|id| project.directory.person_name(id))
                .collect()
        })
        .unwrap_or_default();
    let body = stage_state
        .and_then(|s| s.body.as_deref())
        .and_then(|b| project.directory.body(b))
        .map(|b| b.name.clone());
    let meeting = stage_state.and_then(|s| s.meeting).map(|m| date_de(m.date));
    let outcome = match state.position {
        Position::Finished(outcome) => Some(outcome.label()),
        Position::At(_) => None,
    };
    let recipient = project.directory.person(&notice.recipient);
    let org = project
        .directory
        .organisations
        .get(project.organisation_of(paper))
        .map_or_else(
            || project.organisation_of(paper).to_string(),
            |o| o.name.clone(),
        );
    let ctx = context! {
        paper => context! {
            id => paper.id.clone(),
            reference => paper.reference().to_string(),
            kind => paper.kind.name.clone(),
            title => paper.title.clone(),
        },
        recipient => context! {
            id => notice.recipient.clone(),
            name => recipient.map_or_else(|| notice.recipient.clone(), |p| p.name.clone()),
        },
        stage => stage_title,
        due => notice.due.map(date_de),
        comment => notice.comment.clone(),
        waiting => waiting.join(", "),
        body => body,
        meeting => meeting,
        outcome => outcome,
        org => org,
    };
    let template = env
        .get_template(&name)
        .map_err(|err| format!("Mailvorlage {name}: {err}"))?;
    let text = template
        .render(ctx)
        .map_err(|err| format!("Mailvorlage {name}: {err}"))?;
    let (subject, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
    Ok(MailText {
        subject: subject.trim().to_string(),
        body: body.trim_start_matches('\n').to_string(),
    })
}
