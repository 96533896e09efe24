//! Builds a meeting's agenda: the fixed opening items, the papers of the public part, the
//! papers of the non-public part, each part closed by „Mitteilungen und Anfragen“. Motions to
//! a paper on the same agenda are sub-items of its TOP (6, 6.1). Once the agenda is set, every
//! paper keeps the number recorded for it; papers added later are the Nachtrag (7a, 7b).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::late;
use crate::engine::{Position, StageStatus};
use crate::journal::{Entry, Event};
use crate::load::Project;
use crate::model::{ConsultationRole, Paper, StageKind};
use crate::pass::{Journals, NotLoaded, with_state};

/// Öffentlicher or nichtöffentlicher Teil of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Public,
    NonPublic,
}

impl Part {
    /// German heading of the part.
    pub fn heading(self) -> &'static str {
        match self {
            Part::Public => "Öffentlicher Teil",
            Part::NonPublic => "Nichtöffentlicher Teil",
        }
    }
}

/// A paper on the agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperItem {
    pub id: String,
    pub reference: String,
    /// The kind of paper (Beschlussvorlage, Ergänzungsantrag …).
    pub kind: String,
    /// The consultation stage of the paper's workflow.
    pub stage: String,
    pub role: ConsultationRole,
    /// Recorded on the agenda (`scheduled`): meeting and number are fixed.
    pub fixed: bool,
    /// Added after the invitation went out.
    pub supplement: bool,
    /// A motion filed after this Antragsfrist (Dringlichkeitsantrag).
    pub late: Option<NaiveDate>,
}

impl PaperItem {
    /// Nachtrag and Dringlichkeit, in German, as the agenda prints them.
    pub fn remarks(&self) -> Vec<String> {
        let mut remarks = Vec::new();
        if self.supplement {
            remarks.push("Nachtrag".to_string());
        }
        if let Some(deadline) = self.late {
            remarks.push(format!(
                "Dringlichkeitsantrag (nach der Antragsfrist {} eingereicht)",
                deadline.format("%d.%m.%Y")
            ));
        }
        remarks
    }
}

/// One TOP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// „3“, „3.1“, „5a“.
    pub number: String,
    pub part: Part,
    pub title: String,
    pub paper: Option<PaperItem>,
}

/// The agenda of one meeting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agenda {
    pub body: String,
    pub body_name: String,
    pub date: NaiveDate,
    /// The agenda was set (the invitation went out): numbers are fixed.
    pub set: bool,
    pub items: Vec<Item>,
}

impl Agenda {
    /// The items of one part, in order.
    pub fn part(&self, part: Part) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.part == part)
    }

    /// The papers added after the invitation.
    pub fn supplement(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.paper.as_ref().is_some_and(|p| p.supplement))
    }

    /// The papers not yet recorded on the agenda.
    pub fn unfixed(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| i.paper.as_ref().is_some_and(|p| !p.fixed))
    }
}

/// One consultation at the meeting.
struct Consultation<'a> {
    paper: &'a Paper,
    item: PaperItem,
    public: bool,
    /// The TOP number recorded when the agenda was set.
    top: Option<String>,
}

/// The `scheduled` entry that put a stage on this meeting's agenda.
pub fn scheduled_entry<'a>(
    journal: &'a [Entry],
    stage: &str,
    body: &str,
    date: NaiveDate,
) -> Option<&'a Entry> {
    journal.iter().rev().find(|e| {
        e.event == Event::Scheduled
            && e.stage.as_deref() == Some(stage)
            && e.body.as_deref() == Some(body)
            && e.meeting.is_some_and(|m| m.0 == date)
    })
}

/// The agenda of `body`'s meeting on `date` at `now`. Every paper's journal must have been
/// read. `None` when the body is unknown.
pub fn build(
    project: &Project,
    journals: &Journals,
    body_id: &str,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<Agenda>, NotLoaded> {
    if project.directory.body(body_id).is_none() {
        return Ok(None);
    }
    let mut all = collect(project, journals, now, Some((body_id, date)))?;
    let found = all.remove(&(body_id.to_string(), date)).unwrap_or_default();
    Ok(assemble(project, body_id, date, found))
}

/// The agendas of every meeting some paper is consulted at (or was put on), by body and
/// date. Every paper's journal must have been read.
pub fn all(
    project: &Project,
    journals: &Journals,
    now: DateTime<Utc>,
) -> Result<Vec<Agenda>, NotLoaded> {
    Ok(collect(project, journals, now, None)?
        .into_iter()
        .filter_map(|((body, date), found)| assemble(project, &body, date, found))
        .collect())
}

fn assemble(
    project: &Project,
    body_id: &str,
    date: NaiveDate,
    mut found: Vec<Consultation<'_>>,
) -> Option<Agenda> {
    let body = project.directory.body(body_id)?;
    let set = found.iter().any(|c| c.item.fixed && !c.item.supplement);
    if set {
        // After the invitation, whatever was not on it is in the Nachtrag.
        for consultation in &mut found {
            consultation.item.supplement |= !consultation.item.fixed;
        }
    }
    Some(Agenda {
        body: body_id.to_string(),
        body_name: body.name.clone(),
        date,
        set,
        items: number(found, &body.agenda),
    })
}

type Meetings<'a> = BTreeMap<(String, NaiveDate), Vec<Consultation<'a>>>;

/// The consultations of all papers by meeting, or of the one meeting `only`.
fn collect<'a>(
    project: &'a Project,
    journals: &Journals,
    now: DateTime<Utc>,
    only: Option<(&str, NaiveDate)>,
) -> Result<Meetings<'a>, NotLoaded> {
    let mut meetings: Meetings<'a> = BTreeMap::new();
    for paper in project.papers.values() {
        let Some(workflow) = project.workflows.get(&paper.workflow) else {
            continue;
        };
        let journal = &journals.require(&paper.id)?.entries;
        let calendar = project.calendar_for(paper);
        let here = with_state(project, journals, paper, now, |_, state| {
            let finished = matches!(state.position, Position::Finished(_));
            let mut here = Vec::new();
            for (stage, stage_state) in workflow.stages.iter().zip(&state.stages) {
                let StageKind::Consult { role, .. } = &stage.kind else {
                    continue;
                };
                let Some(body_id) = stage_state.body.as_deref() else {
                    continue;
                };
                if stage_state.status == StageStatus::Skipped
                    || only.is_some_and(|(b, _)| b != body_id)
                {
                    continue;
                }
                let Some(body) = project.directory.body(body_id) else {
                    continue;
                };
                // The meeting the engine places the consultation at, unless the paper ended
                // before it; and every meeting whose agenda the paper was put on.
                let mut dates: Vec<NaiveDate> = stage_state
                    .meeting
                    .filter(|_| !finished || stage_state.status == StageStatus::Done)
                    .map(|m| m.date)
                    .into_iter()
                    .collect();
                for entry in journal.iter().filter(|e| {
                    e.event == Event::Scheduled
                        && e.stage.as_deref() == Some(stage.id.as_str())
                        && e.body.as_deref() == Some(body_id)
                }) {
                    dates.extend(entry.meeting.map(|m| m.0));
                }
                dates.sort_unstable();
                dates.dedup();
                for date in dates {
                    if only.is_some_and(|(_, d)| d != date) {
                        continue;
                    }
                    let scheduled = scheduled_entry(journal, &stage.id, body_id, date);
                    here.push((
                        (body_id.to_string(), date),
                        Consultation {
                            paper,
                            item: PaperItem {
                                id: paper.id.clone(),
                                reference: paper.reference().to_string(),
                                kind: paper.kind.name.clone(),
                                stage: stage.id.clone(),
                                role: role.clone(),
                                fixed: scheduled.is_some(),
                                supplement: scheduled.is_some_and(|e| e.supplement == Some(true)),
                                late: late::missed(paper, body, &calendar, date),
                            },
                            public: super::public_at(paper, stage),
                            top: scheduled.and_then(|e| e.top.clone()),
                        },
                    ));
                }
            }
            here
        })?;
        for (key, consultation) in here.into_iter().flatten() {
            meetings.entry(key).or_default().push(consultation);
        }
    }
    Ok(meetings)
}

/// The numeric value of a TOP number, for ordering („12“ → 12, „3.1“ → 3).
fn leading_number(top: &str) -> u32 {
    let digits: String = top.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u32::MAX)
}

/// Orders and numbers the consultations between the fixed items.
fn number(found: Vec<Consultation<'_>>, fixed: &crate::model::AgendaItems) -> Vec<Item> {
    let here: BTreeSet<String> = found.iter().map(|c| c.paper.id.clone()).collect();
    let (subs, tops): (Vec<_>, Vec<_>) = found.into_iter().partition(|c| {
        c.paper
            .amends
            .as_ref()
            .is_some_and(|base| here.contains(base))
    });
    let mut subs_of: BTreeMap<String, Vec<Consultation<'_>>> = BTreeMap::new();
    for sub in subs {
        let base = sub.paper.amends.clone().unwrap_or_default();
        subs_of.entry(base).or_default().push(sub);
    }
    let mut items = Vec::new();
    let mut n: u32 = 0;
    for part in [Part::Public, Part::NonPublic] {
        if part == Part::Public {
            for title in &fixed.opening {
                n += 1;
                items.push(fixed_item(n, part, title));
            }
        }
        let mut regular: Vec<&Consultation<'_>> = tops
            .iter()
            .filter(|c| (c.public == (part == Part::Public)) && !c.item.supplement)
            .collect();
        regular.sort_by(|a, b| {
            let key = |c: &Consultation<'_>| c.top.as_deref().map_or(u32::MAX, leading_number);
            key(a)
                .cmp(&key(b))
                .then_with(|| a.paper.id.cmp(&b.paper.id))
        });
        for consultation in regular {
            n = consultation
                .top
                .as_deref()
                .map(leading_number)
                .filter(|&t| t != u32::MAX && t > n)
                .unwrap_or(n + 1);
            let number = n.to_string();
            push_with_subs(&mut items, consultation, number, part, &mut subs_of);
        }
        let mut supplement: Vec<&Consultation<'_>> = tops
            .iter()
            .filter(|c| (c.public == (part == Part::Public)) && c.item.supplement)
            .collect();
        supplement.sort_by(|a, b| a.paper.id.cmp(&b.paper.id));
        for (index, consultation) in supplement.into_iter().enumerate() {
            let number = consultation
                .top
                .clone()
                .unwrap_or_else(|| format!("{n}{}", letter(index)));
            push_with_subs(&mut items, consultation, number, part, &mut subs_of);
        }
        for title in &fixed.closing {
            n += 1;
            items.push(fixed_item(n, part, title));
        }
    }
    items
}

/// „a“, „b“, … „z“, „aa“ …
fn letter(index: usize) -> String {
    let mut text = String::new();
    let mut i = index;
    loop {
        text.insert(0, char::from(b'a' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    text
}

fn fixed_item(n: u32, part: Part, title: &str) -> Item {
    Item {
        number: n.to_string(),
        part,
        title: title.to_string(),
        paper: None,
    }
}

fn push_with_subs(
    items: &mut Vec<Item>,
    consultation: &Consultation<'_>,
    number: String,
    part: Part,
    subs_of: &mut BTreeMap<String, Vec<Consultation<'_>>>,
) {
    items.push(Item {
        number: number.clone(),
        part,
        title: consultation.paper.title.clone(),
        paper: Some(consultation.item.clone()),
    });
    let Some(mut subs) = subs_of.remove(&consultation.paper.id) else {
        return;
    };
    // Recorded sub-numbers first, in their order; then the rest by paper id.
    let sub_key = |c: &Consultation<'_>| {
        c.top
            .as_deref()
            .and_then(|t| t.rsplit('.').next())
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    };
    subs.sort_by(|a, b| {
        sub_key(a)
            .cmp(&sub_key(b))
            .then_with(|| a.paper.id.cmp(&b.paper.id))
    });
    let mut k = 0;
    for sub in subs {
        k = Some(sub_key(&sub))
            .filter(|&t| t != u32::MAX && t > k)
            .unwrap_or(k + 1);
        items.push(Item {
            number: format!("{number}.{k}"),
            part,
            title: sub.paper.title.clone(),
            paper: Some(sub.item),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::letter;

    #[test]
    fn supplement_letters_run_past_z() {
        assert_eq!(letter(0), "a");
        assert_eq!(letter(25), "z");
        assert_eq!(letter(26), "aa");
    }
}
