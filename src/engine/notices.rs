//! The notices a paper's state calls for: pure, like the rest of the engine.
//!
//! `desired` lists every notice that should have gone out by `now`; the outbox sends those not
//! yet recorded as sent. Each notice has a stable key (paper, stage, recipient, kind, content
//! hash, and what distinguishes repeats), so it is sent once, even across crashes and restarts.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

use super::{Inputs, PaperState, Position, StageStatus};
use crate::calendar::local_instant;
use crate::model::StageKind;

/// Why someone is written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NoticeKind {
    /// A stage starts: please sign.
    Sign,
    /// The paper changed after you signed: please sign again.
    Resign,
    /// The deadline is near.
    Reminder,
    /// The deadline has passed.
    Escalation,
    /// The paper was returned (to its author).
    Returned,
    /// The path is done (to the author).
    Completed,
    /// The paper goes to a body: to its office (Sitzungsdienst).
    Submitted,
    /// A sign stage is done without you (a quorum reached, an `any` stage signed by someone
    /// else): your signature is no longer needed.
    Released,
    /// The meeting has passed and no result is recorded: the body's office is asked to record it.
    RecordResult,
    /// The paper was withdrawn: to signers still asked and the offices of bodies still to come.
    Withdrawn,
    /// The invitation to a meeting, with its agenda, to each member of the body (by the
    /// Ladungsfrist; see [`crate::meeting::invite`]).
    Invitation,
    /// Items added to a meeting's agenda after the invitation (Nachtrag), to each member.
    Supplement,
}

impl NoticeKind {
    /// Every kind, in a stable order.
    pub const ALL: [NoticeKind; 12] = [
        Self::Sign,
        Self::Resign,
        Self::Reminder,
        Self::Escalation,
        Self::Returned,
        Self::Completed,
        Self::Submitted,
        Self::Released,
        Self::RecordResult,
        Self::Withdrawn,
        Self::Invitation,
        Self::Supplement,
    ];

    /// The word used in keys, journal lines and mail template names.
    pub fn word(self) -> &'static str {
        match self {
            Self::Sign => "unterschrift",
            Self::Resign => "erneut",
            Self::Reminder => "erinnerung",
            Self::Escalation => "eskalation",
            Self::Returned => "rueckgabe",
            Self::Completed => "abschluss",
            Self::Submitted => "einreichung",
            Self::Released => "erledigt",
            Self::RecordResult => "ergebnis",
            Self::Withdrawn => "rueckzug",
            Self::Invitation => "einladung",
            Self::Supplement => "nachtrag",
        }
    }

    /// Parses [`NoticeKind::word`].
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.word() == word)
    }
}

/// One notice that should have been sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Stable identity: the same notice always has the same key.
    pub key: String,
    pub paper: String,
    pub stage: String,
    /// Person id.
    pub recipient: String,
    pub kind: NoticeKind,
    /// The stage deadline, when there is one.
    pub due: Option<NaiveDate>,
    /// From when on the notice is due.
    pub at: DateTime<Utc>,
    /// The return comment (returns only).
    pub comment: Option<String>,
    /// The signatory the recipient stands in for (Vertretung): requests and reminders go to
    /// the deputy named for the day.
    pub on_behalf_of: Option<String>,
}

/// When notices of the day go out (e.g. 08:00) and in which time zone.
#[derive(Clone, Copy, Debug)]
pub struct NoticeTime {
    pub at: NaiveTime,
    pub tz: chrono_tz::Tz,
}

/// How long after a return or the completion its notice still goes out (30 days).
pub const EVENT_NOTICE_HORIZON: chrono::TimeDelta = chrono::TimeDelta::days(30);

/// Every notice due at `inputs.now`.
pub fn desired(inputs: &Inputs<'_>, state: &PaperState, time: NoticeTime) -> Vec<Notice> {
    let mut all = candidates(inputs, state, time);
    all.retain(|n| n.at <= inputs.now);
    all
}

/// The earliest moment after `now` at which a further notice becomes due (for the watcher's timer).
pub fn next_due(
    inputs: &Inputs<'_>,
    state: &PaperState,
    time: NoticeTime,
) -> Option<DateTime<Utc>> {
    candidates(inputs, state, time)
        .into_iter()
        .map(|n| n.at)
        .filter(|at| *at > inputs.now)
        .min()
}

fn candidates(inputs: &Inputs<'_>, state: &PaperState, time: NoticeTime) -> Vec<Notice> {
    let paper = inputs.paper;
    let hash = paper.short_hash();
    let today = inputs.today();
    let mut out = Vec::new();
    let mut push = |stage: &str,
                    recipient: &str,
                    kind: NoticeKind,
                    extra: &str,
                    due: Option<NaiveDate>,
                    at: DateTime<Utc>,
                    comment: Option<String>| {
        // Requests to sign bind to the content: a changed paper is a new request. Reminders,
        // escalations and the rest are about the stage, not the wording: an edit must not
        // repeat them.
        let content = if matches!(kind, NoticeKind::Sign | NoticeKind::Resign) {
            hash
        } else {
            "-"
        };
        // Whoever is asked to sign gets the request through their deputy while one is named
        // for the day: a new notice (its key names the deputy) when the Vertretung begins.
        let deputy = matches!(
            kind,
            NoticeKind::Sign | NoticeKind::Resign | NoticeKind::Reminder
        )
        .then(|| inputs.directory.deputy_on(recipient, today))
        .flatten();
        let (recipient, on_behalf_of) = match deputy {
            Some(deputy) => (deputy, Some(recipient.to_string())),
            None => (recipient, None),
        };
        let key = format!(
            "{}|{stage}|{recipient}|{}|{content}{extra}",
            paper.id,
            kind.word()
        );
        out.push(Notice {
            key,
            paper: paper.id.clone(),
            stage: stage.to_string(),
            recipient: recipient.to_string(),
            kind,
            due,
            at,
            comment,
            on_behalf_of,
        });
    };
    let start_of = |date: NaiveDate| local_instant(date, NaiveTime::MIN, time.tz);
    let morning = |date: NaiveDate| local_instant(date, time.at, time.tz);

    // A notice about an event (a return, the completion) is news only for a while: a paper
    // finished years before the project came to ratsflow mails nobody today.
    let recent = |time: DateTime<chrono::FixedOffset>| {
        inputs.now.signed_duration_since(time.with_timezone(&Utc)) <= EVENT_NOTICE_HORIZON
    };
    if let Some(ret) = &state.last_return
        && let Some(author) = paper.author.as_deref()
        && recent(ret.time)
    {
        let extra = format!("|{}", ret.time.format("%Y%m%dT%H%M%S"));
        push(
            &ret.stage,
            author,
            NoticeKind::Returned,
            &extra,
            None,
            ret.time.with_timezone(&Utc),
            Some(ret.comment.clone()),
        );
    }
    released(inputs, state, &mut push);
    for (stage, who, at, comment) in super::decisions::withdrawal_notices(inputs, state) {
        if recent(at) {
            let at = at.with_timezone(&Utc);
            push(&stage, &who, NoticeKind::Withdrawn, "", None, at, comment);
        }
    }
    match state.position {
        Position::Finished(_) => {
            let finished = state.stages.iter().filter_map(|s| s.completed).max();
            if let (Some(author), Some(time)) = (paper.author.as_deref(), finished)
                && recent(time)
            {
                push(
                    "ende",
                    author,
                    NoticeKind::Completed,
                    "",
                    None,
                    time.with_timezone(&Utc),
                    None,
                );
            }
        }
        Position::At(index) => {
            let stage = &inputs.workflow.stages[index];
            let stage_state = &state.stages[index];
            debug_assert_eq!(stage_state.status, StageStatus::Current);
            let entered = stage_state.entered.map_or(inputs.now, start_of);
            let due = stage_state.due;
            match &stage.kind {
                StageKind::Sign(_) => {
                    // A request belongs to its round: after a return the paper is presented
                    // anew, and asked anew, even with unchanged content. The first round's
                    // keys stay as they always were.
                    let round = match stage_state.round {
                        0 => String::new(),
                        n => format!("|r{n}"),
                    };
                    for who in &stage_state.waiting_for {
                        let kind = if stage_state.stale.contains(who) {
                            NoticeKind::Resign
                        } else {
                            NoticeKind::Sign
                        };
                        push(&stage.id, who, kind, &round, due, entered, None);
                    }
                    if let Some(due_date) = due {
                        for days in &stage.remind {
                            let Some(day) = due_date.checked_sub_days(Days::new(u64::from(*days)))
                            else {
                                continue;
                            };
                            // A reminder whose day has passed the deadline is pointless.
                            if inputs.today() > due_date {
                                continue;
                            }
                            for who in &stage_state.waiting_for {
                                push(
                                    &stage.id,
                                    who,
                                    NoticeKind::Reminder,
                                    &format!("|{days}"),
                                    due,
                                    morning(day).max(entered),
                                    None,
                                );
                            }
                        }
                        if let Some(escalation) = &stage.escalate
                            && !stage_state.waiting_for.is_empty()
                            && let Some(day) = due_date
                                .checked_add_days(Days::new(u64::from(escalation.after_due)))
                        {
                            for who in &escalation.notify {
                                push(
                                    &stage.id,
                                    who,
                                    NoticeKind::Escalation,
                                    "",
                                    due,
                                    morning(day).max(entered),
                                    None,
                                );
                            }
                        }
                    }
                }
                StageKind::Consult { .. } => {
                    let body = stage_state
                        .body
                        .as_deref()
                        .and_then(|b| inputs.directory.body(b));
                    let meeting = stage_state.meeting.map(|m| m.date);
                    // Nothing is submitted to a meeting in the past; once the meeting has passed
                    // without a recorded result, the office is asked to record it (the morning
                    // after).
                    let submit = meeting.is_none_or(|date| date >= inputs.today());
                    let record_from = meeting
                        .filter(|date| *date < inputs.today())
                        .and_then(|date| date.succ_opt())
                        .map(|day| morning(day).max(entered));
                    for who in body.map(|b| b.office.as_slice()).unwrap_or_default() {
                        if submit {
                            push(
                                &stage.id,
                                who,
                                NoticeKind::Submitted,
                                "",
                                due,
                                entered,
                                None,
                            );
                        }
                        if let (Some(at), Some(date)) = (record_from, meeting) {
                            let extra = format!("|{}", date.format("%Y%m%d"));
                            push(
                                &stage.id,
                                who,
                                NoticeKind::RecordResult,
                                &extra,
                                None,
                                at,
                                None,
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// How long after a sign stage is done its released co-signers are still told so: a late
/// notice about an old stage would only confuse.
const RELEASE_WINDOW_DAYS: i64 = 14;

/// A „no longer needed“ notice for every co-signer of a done sign stage who was asked to sign
/// (a request was sent) and did not: the stage needed fewer signatures than it had signers.
fn released(
    inputs: &Inputs<'_>,
    state: &PaperState,
    push: &mut impl FnMut(
        &str,
        &str,
        NoticeKind,
        &str,
        Option<NaiveDate>,
        DateTime<Utc>,
        Option<String>,
    ),
) {
    let paper = inputs.paper;
    for (stage, stage_state) in inputs.workflow.stages.iter().zip(&state.stages) {
        if !matches!(stage.kind, StageKind::Sign(_)) || stage_state.status != StageStatus::Done {
            continue;
        }
        let Some(done) = stage_state.completed else {
            continue;
        };
        let done = done.with_timezone(&Utc);
        if inputs.now - done > chrono::Duration::days(RELEASE_WINDOW_DAYS) {
            continue;
        }
        for who in &stage_state.signers {
            let signed = stage_state.signatures.iter().any(|s| &s.who == who);
            if signed || !was_asked(inputs, &paper.id, &stage.id, who) {
                continue;
            }
            push(&stage.id, who, NoticeKind::Released, "", None, done, None);
        }
    }
}

/// Whether a request to sign this stage was sent to `who`.
fn was_asked(inputs: &Inputs<'_>, paper: &str, stage: &str, who: &str) -> bool {
    let prefixes = [NoticeKind::Sign, NoticeKind::Resign]
        .map(|kind| format!("{paper}|{stage}|{who}|{}|", kind.word()));
    inputs.journal.iter().chain(inputs.outbox).any(|entry| {
        entry.event == crate::journal::Event::NoticeSent
            && entry
                .key
                .as_deref()
                .is_some_and(|key| prefixes.iter().any(|p| key.starts_with(p.as_str())))
    })
}
