//! Engine tests with a fixed `now`: completion rules, returns, stale signatures, conditional
//! stages, consultations, meetings picked from the calendar, deadlines and amendments.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::amend::{adopted_amendments, decision_draft};
use super::*;
use crate::calendar::{Calendar, ClosedDay, DayUnit, DeadlineRule, Direction, Land, Roll};
use crate::journal::{AmendmentVote, Consultation, Entry, Event};
use crate::load::raw::RawPaper;
use crate::model::dates::Date;
use crate::model::{
    Body, BodyKind, BodyRef, Change, ChangeOp, ConsultationRole, DecisionResult, Directory, Due,
    DueAnchor, DueRule, Next, Paper, Person, SignMode, SignRule, Signer, Stage, StageKind,
    Workflow,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn noon(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

fn directory() -> Directory {
    let mut dir = Directory::default();
    for id in [
        "landrat",
        "kb",
        "fb",
        "stab",
        "kaemmerei",
        "cramer",
        "vorsitz",
    ] {
        dir.people.insert(
            id.into(),
            Person {
                id: id.into(),
                name: format!("Name {id}"),
                function: None,
                email: format!("{id}@kreis.example"),
                organisation: None,
                salutation: None,
                shared_mailbox: false,
                deputies: Vec::new(),
                publish: false,
            },
        );
    }
    let mut deadlines = BTreeMap::new();
    deadlines.insert(
        "vorlage".to_string(),
        DeadlineRule {
            days: 14,
            unit: DayUnit::Calendar,
            direction: Direction::Before,
            roll: Roll::Earlier,
        },
    );
    deadlines.insert(
        "antrag".to_string(),
        DeadlineRule {
            days: 7,
            unit: DayUnit::Working,
            direction: Direction::Before,
            roll: Roll::Earlier,
        },
    );
    for (id, meetings) in [
        (
            "asgi",
            vec![date(2019, 4, 9), date(2019, 6, 3), date(2019, 9, 16)],
        ),
        ("kreistag", vec![date(2019, 6, 27), date(2019, 10, 10)]),
    ] {
        dir.bodies.insert(
            id.into(),
            Body {
                id: id.into(),
                name: id.to_uppercase(),
                short: None,
                kind: BodyKind::Ausschuss,
                organisation: None,
                members: Vec::new(),
                signatories: Vec::new(),
                office: Vec::new(),
                meetings,
                deadlines: deadlines.clone(),
                ladungsfrist: None,
                agenda: Default::default(),
            },
        );
    }
    dir.bodies.insert(
        "gruene".into(),
        Body {
            id: "gruene".into(),
            name: "Fraktion GRÜNE".into(),
            short: None,
            kind: BodyKind::Fraktion,
            organisation: None,
            members: Vec::new(),
            signatories: vec!["vorsitz".into()],
            office: Vec::new(),
            meetings: Vec::new(),
            deadlines: BTreeMap::new(),
            ladungsfrist: None,
            agenda: Default::default(),
        },
    );
    dir
}

fn sign_stage(id: &str, signers: &[&str], mode: SignMode, needed: usize) -> Stage {
    Stage {
        id: id.into(),
        title: id.into(),
        kind: StageKind::Sign(SignRule {
            signers: signers
                .iter()
                .map(|s| Signer::Person(s.to_string()))
                .collect(),
            needed,
            mode,
            role: None,
        }),
        when: None,
        next: Next::Following,
        on_return: None,
        due: None,
        remind: Vec::new(),
        escalate: None,
    }
}

fn consult_stage(id: &str, body: &str, role: ConsultationRole) -> Stage {
    Stage {
        id: id.into(),
        title: id.into(),
        kind: StageKind::Consult {
            body: BodyRef::Fixed(body.into()),
            role,
            public: None,
        },
        when: None,
        next: Next::Following,
        on_return: None,
        due: None,
        remind: Vec::new(),
        escalate: None,
    }
}

fn kreis_workflow() -> Workflow {
    let mut intern = sign_stage("intern", &["fb", "stab", "kaemmerei"], SignMode::All, 3);
    intern.on_return = Some(0);
    intern.due = Some(Due {
        anchor: DueAnchor::BeforeMeeting(2),
        rule: DueRule::Days {
            days: 21,
            unit: DayUnit::Calendar,
            roll: Roll::Earlier,
        },
    });
    let mut bgm = consult_stage("bgm-dv", "asgi", ConsultationRole::ANHÖRUNG);
    bgm.when = Some("affects_municipalities".into());
    Workflow {
        id: "kreis".into(),
        name: "Kreis".into(),
        organisation: None,
        stages: vec![
            sign_stage("auftrag", &["landrat", "kb"], SignMode::All, 2),
            intern,
            consult_stage("ausschuss", "asgi", ConsultationRole::VORBERATUNG),
            bgm,
            consult_stage("kreistag", "kreistag", ConsultationRole::ENTSCHEIDUNG),
        ],
    }
}

fn raw_paper(proposal: &[&str]) -> RawPaper {
    let yaml = "kind: Beschlussvorlage\nworkflow: kreis\ntitle: Test\ndate: 2019-03-01\n";
    let mut raw: RawPaper = serde_yaml::from_str(yaml).unwrap();
    raw.proposal = proposal.iter().map(|s| s.to_string()).collect();
    raw
}

fn paper(proposal: &[&str]) -> Paper {
    Paper::with_builtin_kind("p".into(), raw_paper(proposal), Vec::new())
}

fn at(y: i32, m: u32, d: u32) -> DateTime<chrono::FixedOffset> {
    noon(y, m, d)
        .with_timezone(&chrono_tz::Europe::Berlin)
        .fixed_offset()
}

fn signed(who: &str, stage: &str, paper: &Paper, when: DateTime<chrono::FixedOffset>) -> Entry {
    Entry {
        who: Some(who.into()),
        stage: Some(stage.into()),
        hash: Some(paper.content_hash.as_str().into()),
        ..Entry::new(when, Event::Signed)
    }
}

fn decided(body: &str, stage: &str, result: DecisionResult, meeting: NaiveDate) -> Entry {
    Entry {
        stage: Some(stage.into()),
        ..Entry::new(
            at(meeting.year(), meeting.month(), meeting.day()),
            Event::Decided,
        )
    }
    .with_consultation(Consultation {
        body: Some(body.into()),
        result: Some(result),
        meeting: Some(Date(meeting)),
        ..Consultation::default()
    })
}

use chrono::Datelike;

fn run(workflow: &Workflow, paper: &Paper, journal: &[Entry], now: DateTime<Utc>) -> PaperState {
    let dir = directory();
    let calendar = Calendar::new(
        Land::NW,
        vec![
            ClosedDay { month: 12, day: 24 },
            ClosedDay { month: 12, day: 31 },
        ],
    );
    state(&Inputs {
        workflow,
        paper,
        journal,
        base_journal: None,
        outbox: &[],
        document: None,
        directory: &dir,
        calendar: &calendar,
        now,
        tz: chrono_tz::Europe::Berlin,
    })
}

#[test]
fn all_rule_waits_for_everyone_then_moves_on() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    let journal = vec![signed("landrat", "auftrag", &p, at(2018, 10, 25))];
    let s = run(&wf, &p, &journal, noon(2018, 11, 1));
    assert_eq!(s.position, Position::At(0));
    assert_eq!(s.stages[0].waiting_for, ["kb"]);
    let journal = vec![
        journal[0].clone(),
        signed("kb", "auftrag", &p, at(2018, 11, 6)),
    ];
    let s = run(&wf, &p, &journal, noon(2018, 11, 7));
    assert_eq!(s.position, Position::At(1));
    assert_eq!(s.stages[0].status, StageStatus::Done);
    assert_eq!(s.stages[1].entered, Some(date(2018, 11, 6)));
    assert_eq!(s.stages[1].waiting_for, ["fb", "stab", "kaemmerei"]);
}

#[test]
fn quorum_and_any() {
    let mut wf = kreis_workflow();
    wf.stages[0] = sign_stage("auftrag", &["landrat", "kb", "cramer"], SignMode::Quorum, 2);
    let p = paper(&["a"]);
    let one = vec![signed("cramer", "auftrag", &p, at(2019, 1, 2))];
    assert_eq!(
        run(&wf, &p, &one, noon(2019, 1, 3)).position,
        Position::At(0)
    );
    let two = vec![one[0].clone(), signed("kb", "auftrag", &p, at(2019, 1, 3))];
    assert_eq!(
        run(&wf, &p, &two, noon(2019, 1, 4)).position,
        Position::At(1)
    );
    wf.stages[0] = sign_stage("auftrag", &["landrat", "kb"], SignMode::Any, 1);
    let s = run(
        &wf,
        &p,
        &[signed("kb", "auftrag", &p, at(2019, 1, 2))],
        noon(2019, 1, 3),
    );
    assert_eq!(s.position, Position::At(1));
}

#[test]
fn a_change_after_signing_makes_the_signature_stale() {
    let wf = kreis_workflow();
    let old = paper(&["Alter Wortlaut"]);
    let journal = vec![signed("landrat", "auftrag", &old, at(2018, 10, 25))];
    let new = paper(&["Neuer Wortlaut"]);
    assert_ne!(old.content_hash, new.content_hash);
    let s = run(&wf, &new, &journal, noon(2018, 11, 1));
    assert_eq!(s.position, Position::At(0));
    assert_eq!(s.stages[0].waiting_for, ["landrat", "kb"]);
    assert_eq!(s.stages[0].stale, ["landrat"]);
    // Meeting dates are scheduling, not content.
    let mut moved = raw_paper(&["Alter Wortlaut"]);
    moved
        .meetings
        .insert("ausschuss".into(), Date(date(2019, 6, 3)).into());
    assert_eq!(
        Paper::with_builtin_kind("p".into(), moved, Vec::new()).content_hash,
        old.content_hash
    );
}

#[test]
fn a_return_goes_back_and_asks_for_signatures_again() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    let mut journal = vec![
        signed("landrat", "auftrag", &p, at(2019, 1, 2)),
        signed("kb", "auftrag", &p, at(2019, 1, 3)),
        signed("fb", "intern", &p, at(2019, 1, 4)),
    ];
    journal.push(
        Entry {
            who: Some("kaemmerei".into()),
            stage: Some("intern".into()),
            ..Entry::new(at(2019, 1, 7), Event::Returned)
        }
        .with_comment("Finanzierung ungeklärt"),
    );
    let s = run(&wf, &p, &journal, noon(2019, 1, 8));
    assert_eq!(s.position, Position::At(0));
    assert_eq!(s.stages[0].waiting_for, ["landrat", "kb"]);
    assert!(s.stages[1].signatures.is_empty());
    assert_eq!(
        s.last_return.as_ref().map(|r| r.comment.as_str()),
        Some("Finanzierung ungeklärt")
    );
    assert_eq!(s.stages[0].entered, Some(date(2019, 1, 7)));
    // Both stages the return sent the paper back through start their second round.
    assert_eq!(
        s.stages
            .iter()
            .map(|st| st.round)
            .take(3)
            .collect::<Vec<_>>(),
        [1, 1, 0]
    );
    assert_eq!(s.stages[0].round_start, 1);
}

#[test]
fn conditional_stage_is_skipped_unless_the_field_is_set() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    let mut journal = vec![
        signed("landrat", "auftrag", &p, at(2019, 1, 2)),
        signed("kb", "auftrag", &p, at(2019, 1, 3)),
    ];
    for who in ["fb", "stab", "kaemmerei"] {
        journal.push(signed(who, "intern", &p, at(2019, 1, 10)));
    }
    journal.push(decided(
        "asgi",
        "ausschuss",
        DecisionResult::Beschlossen,
        date(2019, 6, 3),
    ));
    let s = run(&wf, &p, &journal, noon(2019, 6, 4));
    assert_eq!(s.stages[3].status, StageStatus::Skipped);
    assert_eq!(s.position, Position::At(4));
    let mut raw = raw_paper(&["a"]);
    raw.fields.insert(
        "affects_municipalities".into(),
        serde_yaml::Value::Bool(true),
    );
    let with = Paper::with_builtin_kind("p".into(), raw, Vec::new());
    let journal: Vec<Entry> = journal
        .into_iter()
        .map(|e| {
            if e.event == Event::Signed {
                Entry {
                    hash: Some(with.content_hash.as_str().into()),
                    ..e
                }
            } else {
                e
            }
        })
        .collect();
    let s = run(&wf, &with, &journal, noon(2019, 6, 4));
    assert_eq!(s.position, Position::At(3));
}

#[test]
fn deferral_keeps_the_consultation_open_and_moves_to_the_next_meeting() {
    let mut wf = kreis_workflow();
    wf.stages.drain(0..2);
    let p = paper(&["a"]);
    let journal = vec![decided(
        "asgi",
        "ausschuss",
        DecisionResult::Vertagt,
        date(2019, 6, 3),
    )];
    let s = run(&wf, &p, &journal, noon(2019, 6, 4));
    assert_eq!(s.position, Position::At(0));
    assert_eq!(s.stages[0].meeting.map(|m| m.date), Some(date(2019, 9, 16)));
    let journal = vec![
        journal[0].clone(),
        decided(
            "asgi",
            "ausschuss",
            DecisionResult::Beschlossen,
            date(2019, 9, 16),
        ),
    ];
    assert_eq!(
        run(&wf, &p, &journal, noon(2019, 9, 17)).position,
        Position::At(2)
    );
}

#[test]
fn rejection_by_the_deciding_body_ends_the_paper() {
    let wf = Workflow {
        stages: vec![consult_stage(
            "kreistag",
            "kreistag",
            ConsultationRole::ENTSCHEIDUNG,
        )],
        ..kreis_workflow()
    };
    let p = paper(&["a"]);
    let journal = vec![decided(
        "kreistag",
        "kreistag",
        DecisionResult::Abgelehnt,
        date(2019, 6, 27),
    )];
    assert_eq!(
        run(&wf, &p, &journal, noon(2019, 7, 1)).position,
        Position::Finished(Outcome::Rejected)
    );
    let journal = vec![decided(
        "kreistag",
        "kreistag",
        DecisionResult::Beschlossen,
        date(2019, 6, 27),
    )];
    assert_eq!(
        run(&wf, &p, &journal, noon(2019, 7, 1)).position,
        Position::Finished(Outcome::Adopted)
    );
}

#[test]
fn meeting_is_picked_from_the_calendar_by_its_deadline() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    // Redaktionsschluss of 03.06.2019 is 20.05.2019 (14 days before).
    let s = run(&wf, &p, &[], noon(2019, 5, 20));
    assert_eq!(
        s.stages[2].meeting.map(|m| (m.date, m.source)),
        Some((date(2019, 6, 3), MeetingSource::Calendar))
    );
    let s = run(&wf, &p, &[], noon(2019, 5, 21));
    assert_eq!(s.stages[2].meeting.map(|m| m.date), Some(date(2019, 9, 16)));
    // A meeting named by the paper wins.
    let mut raw = raw_paper(&["a"]);
    raw.meetings
        .insert("ausschuss".into(), Date(date(2019, 4, 9)).into());
    let named = Paper::with_builtin_kind("p".into(), raw, Vec::new());
    let s = run(&wf, &named, &[], noon(2019, 5, 21));
    assert_eq!(
        s.stages[2].meeting.map(|m| (m.date, m.source)),
        Some((date(2019, 4, 9), MeetingSource::Paper))
    );
}

#[test]
fn a_scheduled_meeting_is_fixed_until_a_deferral_moves_it() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    let scheduled = Entry {
        stage: Some("ausschuss".into()),
        ..Entry::new(at(2019, 5, 10), Event::Scheduled)
    }
    .with_consultation(Consultation {
        body: Some("asgi".into()),
        meeting: Some(Date(date(2019, 6, 3))),
        top: Some("4".into()),
        ..Consultation::default()
    });
    // Past the Redaktionsschluss the calendar would pick 16.09.2019; the agenda keeps 03.06.
    let s = run(&wf, &p, std::slice::from_ref(&scheduled), noon(2019, 5, 25));
    assert_eq!(
        s.stages[2].meeting.map(|m| (m.date, m.source)),
        Some((date(2019, 6, 3), MeetingSource::Agenda))
    );
    // Vertagt at that meeting: the next meeting comes from the calendar again.
    let mut journal: Vec<Entry> = [
        ("landrat", "auftrag"),
        ("kb", "auftrag"),
        ("fb", "intern"),
        ("stab", "intern"),
        ("kaemmerei", "intern"),
    ]
    .iter()
    .map(|(who, stage)| signed(who, stage, &p, at(2019, 5, 2)))
    .collect();
    journal.push(scheduled);
    journal.push(decided(
        "asgi",
        "ausschuss",
        DecisionResult::Vertagt,
        date(2019, 6, 3),
    ));
    let s = run(&wf, &p, &journal, noon(2019, 6, 4));
    assert_eq!(
        s.stages[2].meeting.map(|m| (m.date, m.source)),
        Some((date(2019, 9, 16), MeetingSource::Calendar))
    );
}

#[test]
fn deadline_before_meeting_rolls_earlier_and_marks_overdue() {
    let wf = kreis_workflow();
    let p = paper(&["a"]);
    let mut raw = raw_paper(&["a"]);
    raw.meetings
        .insert("ausschuss".into(), Date(date(2019, 6, 3)).into());
    let p2 = Paper::with_builtin_kind("p".into(), raw, Vec::new());
    let journal = vec![
        signed("landrat", "auftrag", &p2, at(2019, 4, 1)),
        signed("kb", "auftrag", &p2, at(2019, 4, 2)),
    ];
    // 21 days before Monday 03.06.2019 is Monday 13.05.2019: a working day.
    let s = run(&wf, &p2, &journal, noon(2019, 5, 13));
    assert_eq!(s.stages[1].due, Some(date(2019, 5, 13)));
    assert!(!s.stages[1].overdue);
    let s = run(&wf, &p2, &journal, noon(2019, 5, 14));
    assert!(s.stages[1].overdue);
    assert_eq!(s.next_deadline(), Some((date(2019, 5, 13), true)));
    let _ = p;
}

fn amendment(id: &str, changes: Vec<Change>) -> Paper {
    let mut raw = raw_paper(&[]);
    raw.amends = Some("base".into());
    Paper::with_builtin_kind(id.into(), raw, changes)
}

#[test]
fn adopted_amendments_replace_and_append_points() {
    let base = Paper::with_builtin_kind(
        "base".into(),
        raw_paper(&["Eins", "Zwei", "Drei"]),
        Vec::new(),
    );
    let gruene = amendment(
        "gruene",
        vec![
            Change {
                op: ChangeOp::Replace(3),
                sub: None,
                text: Some("Drei neu".into()),
                points: Vec::new(),
            },
            Change {
                op: ChangeOp::Append,
                sub: None,
                text: Some("Vier".into()),
                points: Vec::new(),
            },
        ],
    );
    let draft = decision_draft(&base, &[&gruene]);
    let texts: Vec<_> = draft
        .points
        .iter()
        .map(|p| (p.number, p.text.as_str(), p.changed_by.as_deref()))
        .collect();
    assert_eq!(
        texts,
        [
            (1, "Eins", None),
            (2, "Zwei", None),
            (3, "Drei neu", Some("gruene")),
            (4, "Vier", Some("gruene"))
        ]
    );
    assert!(draft.conflicts.is_empty());
}

#[test]
fn insert_and_delete_use_the_original_numbering() {
    let base = Paper::with_builtin_kind(
        "base".into(),
        raw_paper(&["Eins", "Zwei", "Drei"]),
        Vec::new(),
    );
    let a = amendment(
        "a",
        vec![Change {
            op: ChangeOp::Delete(1),
            sub: None,
            text: None,
            points: Vec::new(),
        }],
    );
    let b = amendment(
        "b",
        vec![Change {
            op: ChangeOp::Insert(3),
            sub: None,
            text: Some("Zweieinhalb".into()),
            points: Vec::new(),
        }],
    );
    let draft = decision_draft(&base, &[&a, &b]);
    let texts: Vec<_> = draft.points.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["Zwei", "Zweieinhalb", "Drei"]);
    assert_eq!(draft.deleted, [(1, "a".to_string())]);
}

#[test]
fn two_amendments_on_one_point_are_reported_not_merged() {
    let base = Paper::with_builtin_kind(
        "base".into(),
        raw_paper(&["Eins", "Zwei", "Drei"]),
        Vec::new(),
    );
    let a = amendment(
        "a",
        vec![Change {
            op: ChangeOp::Replace(2),
            sub: None,
            text: Some("A".into()),
            points: Vec::new(),
        }],
    );
    let b = amendment(
        "b",
        vec![Change {
            op: ChangeOp::Replace(2),
            sub: None,
            text: Some("B".into()),
            points: Vec::new(),
        }],
    );
    let draft = decision_draft(&base, &[&a, &b]);
    assert_eq!(draft.points[1].text, "A");
    assert_eq!(draft.conflicts.len(), 1);
    assert_eq!(
        draft.conflicts[0].message(),
        "die beschlossenen Anträge „a“ und „b“ ändern beide Punkt 2; angewendet ist nur „a“, bitte klären"
    );
}

#[test]
fn decisions_on_amendments_come_from_the_base_journal() {
    let base_journal = vec![
        Entry {
            stage: Some("kreistag".into()),
            ..Entry::new(at(2021, 3, 23), Event::Decided)
        }
        .with_consultation(Consultation {
            body: Some("kreistag".into()),
            result: Some(DecisionResult::Beschlossen),
            amendments: vec![
                AmendmentVote {
                    paper: "a".into(),
                    adopted: true,
                },
                AmendmentVote {
                    paper: "b".into(),
                    adopted: false,
                },
            ],
            ..Consultation::default()
        }),
    ];
    assert_eq!(adopted_amendments(&base_journal), ["a"]);
    let wf = Workflow {
        stages: vec![
            Stage {
                kind: StageKind::Sign(SignRule {
                    signers: vec![Signer::Group],
                    needed: 1,
                    mode: SignMode::All,
                    role: None,
                }),
                ..sign_stage("fraktion", &[], SignMode::All, 1)
            },
            consult_stage("kreistag", "kreistag", ConsultationRole::ENTSCHEIDUNG),
        ],
        ..kreis_workflow()
    };
    let mut raw = raw_paper(&[]);
    raw.amends = Some("base".into());
    raw.by = Some("gruene".into());
    let a = Paper::with_builtin_kind("a".into(), raw, Vec::new());
    let journal = vec![signed("vorsitz", "fraktion", &a, at(2021, 2, 9))];
    let dir = directory();
    let calendar = Calendar::new(Land::NW, Vec::new());
    let s = state(&Inputs {
        workflow: &wf,
        paper: &a,
        journal: &journal,
        base_journal: Some(&base_journal),
        outbox: &[],
        document: None,
        directory: &dir,
        calendar: &calendar,
        now: noon(2021, 3, 24),
        tz: chrono_tz::Europe::Berlin,
    });
    assert_eq!(s.position, Position::Finished(Outcome::Adopted));
}

mod notice_tests {
    use super::*;
    use crate::engine::notices::{NoticeKind, NoticeTime, desired, next_due};
    use crate::model::Escalation;

    fn time() -> NoticeTime {
        NoticeTime {
            at: chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            tz: chrono_tz::Europe::Berlin,
        }
    }

    fn notices_at(
        wf: &Workflow,
        p: &Paper,
        journal: &[Entry],
        now: DateTime<Utc>,
    ) -> Vec<(NoticeKind, String)> {
        let dir = directory();
        let calendar = Calendar::new(Land::NW, Vec::new());
        let inputs = Inputs {
            workflow: wf,
            paper: p,
            journal,
            base_journal: None,
            outbox: &[],
            document: None,
            directory: &dir,
            calendar: &calendar,
            now,
            tz: chrono_tz::Europe::Berlin,
        };
        let s = state(&inputs);
        desired(&inputs, &s, time())
            .into_iter()
            .map(|n| (n.kind, n.recipient))
            .collect()
    }

    fn with_deadline() -> (Workflow, Paper) {
        let mut wf = kreis_workflow();
        wf.stages[1].remind = vec![3];
        wf.stages[1].escalate = Some(Escalation {
            after_due: 1,
            notify: vec!["landrat".into()],
        });
        let mut raw = raw_paper(&["a"]);
        raw.author = Some("cramer".into());
        raw.meetings
            .insert("ausschuss".into(), Date(date(2019, 6, 3)).into());
        (wf, Paper::with_builtin_kind("p".into(), raw, Vec::new()))
    }

    #[test]
    fn a_stage_asks_its_signers_then_reminds_then_escalates() {
        let (wf, p) = with_deadline();
        let journal = vec![
            signed("landrat", "auftrag", &p, at(2019, 4, 1)),
            signed("kb", "auftrag", &p, at(2019, 4, 2)),
        ];
        // Due 13.05.2019 (21 days before 03.06.); reminder 10.05. 08:00, escalation 14.05. 08:00.
        let sign = |who: &str| (NoticeKind::Sign, who.to_string());
        assert_eq!(
            notices_at(&wf, &p, &journal, noon(2019, 4, 3)),
            [sign("fb"), sign("stab"), sign("kaemmerei")]
        );
        let on_reminder_day = notices_at(
            &wf,
            &p,
            &journal,
            Utc.with_ymd_and_hms(2019, 5, 10, 6, 0, 0).unwrap(),
        );
        assert_eq!(
            on_reminder_day
                .iter()
                .filter(|(k, _)| *k == NoticeKind::Reminder)
                .count(),
            3,
            "08:00 Berlin is 06:00 UTC in May"
        );
        let before_eight = notices_at(
            &wf,
            &p,
            &journal,
            Utc.with_ymd_and_hms(2019, 5, 10, 5, 59, 0).unwrap(),
        );
        assert!(before_eight.iter().all(|(k, _)| *k != NoticeKind::Reminder));
        let escalated = notices_at(
            &wf,
            &p,
            &journal,
            Utc.with_ymd_and_hms(2019, 5, 14, 6, 0, 0).unwrap(),
        );
        assert!(escalated.contains(&(NoticeKind::Escalation, "landrat".to_string())));
        assert!(
            escalated.iter().all(|(k, _)| *k != NoticeKind::Reminder),
            "no reminder after the deadline"
        );
    }

    #[test]
    fn stale_signers_get_a_request_to_sign_again_and_returns_go_to_the_author() {
        let (wf, p) = with_deadline();
        let old = paper(&["alt"]);
        let journal = vec![signed("landrat", "auftrag", &old, at(2019, 4, 1))];
        let notices = notices_at(&wf, &p, &journal, noon(2019, 4, 3));
        assert!(notices.contains(&(NoticeKind::Resign, "landrat".to_string())));
        assert!(notices.contains(&(NoticeKind::Sign, "kb".to_string())));
        let journal = vec![
            signed("landrat", "auftrag", &p, at(2019, 4, 1)),
            signed("kb", "auftrag", &p, at(2019, 4, 2)),
            Entry {
                who: Some("fb".into()),
                stage: Some("intern".into()),
                ..Entry::new(at(2019, 4, 5), Event::Returned)
            }
            .with_comment("Zahlen fehlen"),
        ];
        let notices = notices_at(&wf, &p, &journal, noon(2019, 4, 6));
        assert!(notices.contains(&(NoticeKind::Returned, "cramer".to_string())));
    }

    #[test]
    fn keys_are_stable_and_the_next_notice_time_is_known() {
        let (wf, p) = with_deadline();
        let journal = vec![
            signed("landrat", "auftrag", &p, at(2019, 4, 1)),
            signed("kb", "auftrag", &p, at(2019, 4, 2)),
        ];
        let dir = directory();
        let calendar = Calendar::new(Land::NW, Vec::new());
        let inputs = Inputs {
            workflow: &wf,
            paper: &p,
            journal: &journal,
            base_journal: None,
            outbox: &[],
            document: None,
            directory: &dir,
            calendar: &calendar,
            now: noon(2019, 4, 3),
            tz: chrono_tz::Europe::Berlin,
        };
        let s = state(&inputs);
        let first = desired(&inputs, &s, time());
        let again = desired(&inputs, &s, time());
        assert_eq!(first, again);
        assert_eq!(
            first[0].key,
            format!("p|intern|fb|unterschrift|{}", p.short_hash())
        );
        assert_eq!(
            next_due(&inputs, &s, time()),
            Some(Utc.with_ymd_and_hms(2019, 5, 10, 6, 0, 0).unwrap())
        );
    }

    #[test]
    fn a_return_asks_again_with_a_new_key_even_for_unchanged_content() {
        let (wf, p) = with_deadline();
        let mut journal = vec![
            signed("landrat", "auftrag", &p, at(2019, 4, 1)),
            signed("kb", "auftrag", &p, at(2019, 4, 2)),
        ];
        let dir = directory();
        let calendar = Calendar::new(Land::NW, Vec::new());
        let keys = |journal: &[Entry]| {
            let inputs = Inputs {
                workflow: &wf,
                paper: &p,
                journal,
                base_journal: None,
                outbox: &[],
                document: None,
                directory: &dir,
                calendar: &calendar,
                now: noon(2019, 4, 8),
                tz: chrono_tz::Europe::Berlin,
            };
            let s = state(&inputs);
            desired(&inputs, &s, time())
                .into_iter()
                .filter(|n| n.kind == NoticeKind::Sign && n.recipient == "fb")
                .map(|n| n.key)
                .collect::<Vec<_>>()
        };
        let first = keys(&journal);
        assert_eq!(
            first,
            [format!("p|intern|fb|unterschrift|{}", p.short_hash())]
        );
        journal.push(
            Entry {
                who: Some("kaemmerei".into()),
                stage: Some("intern".into()),
                ..Entry::new(at(2019, 4, 5), Event::Returned)
            }
            .with_comment("Zahlen fehlen"),
        );
        journal.push(signed("landrat", "auftrag", &p, at(2019, 4, 6)));
        journal.push(signed("kb", "auftrag", &p, at(2019, 4, 7)));
        assert_eq!(
            keys(&journal),
            [format!("p|intern|fb|unterschrift|{}|r1", p.short_hash())]
        );
    }

    #[test]
    fn a_consultation_is_submitted_to_the_office_and_the_author_hears_of_completion() {
        let wf = Workflow {
            stages: vec![consult_stage(
                "kreistag",
                "kreistag",
                ConsultationRole::ENTSCHEIDUNG,
            )],
            ..kreis_workflow()
        };
        let mut raw = raw_paper(&["a"]);
        raw.author = Some("cramer".into());
        let p = Paper::with_builtin_kind("p".into(), raw, Vec::new());
        let mut dir = directory();
        if let Some(body) = dir.bodies.get_mut("kreistag") {
            body.office = vec!["kb".into()];
        }
        let calendar = Calendar::new(Land::NW, Vec::new());
        let run_at = |journal: &[Entry], now| {
            let inputs = Inputs {
                workflow: &wf,
                paper: &p,
                journal,
                base_journal: None,
                outbox: &[],
                document: None,
                directory: &dir,
                calendar: &calendar,
                now,
                tz: chrono_tz::Europe::Berlin,
            };
            let s = state(&inputs);
            desired(&inputs, &s, time())
                .into_iter()
                .map(|n| (n.kind, n.recipient))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            run_at(&[], noon(2019, 3, 2)),
            [(NoticeKind::Submitted, "kb".to_string())]
        );
        let journal = vec![decided(
            "kreistag",
            "kreistag",
            DecisionResult::Beschlossen,
            date(2019, 6, 27),
        )];
        assert_eq!(
            run_at(&journal, noon(2019, 6, 28)),
            [(NoticeKind::Completed, "cramer".to_string())]
        );
        // Decided on 27.06.2019 (evening): still news within 30 days, no longer after.
        assert_eq!(
            run_at(&journal, noon(2019, 7, 27)),
            [(NoticeKind::Completed, "cramer".to_string())]
        );
        assert!(run_at(&journal, noon(2019, 7, 29)).is_empty());
    }
}

mod meetings_in_the_past {
    use super::*;
    use crate::engine::notices::{NoticeKind, NoticeTime, desired};

    #[test]
    fn a_passed_meeting_without_a_result_asks_the_office_to_record_it() {
        let wf = Workflow {
            stages: vec![consult_stage(
                "kreistag",
                "kreistag",
                ConsultationRole::ENTSCHEIDUNG,
            )],
            ..kreis_workflow()
        };
        let mut raw = raw_paper(&["a"]);
        raw.meetings
            .insert("kreistag".into(), Date(date(2019, 6, 27)).into());
        let p = Paper::with_builtin_kind("p".into(), raw, Vec::new());
        let mut dir = directory();
        if let Some(body) = dir.bodies.get_mut("kreistag") {
            body.office = vec!["kb".into()];
        }
        let calendar = Calendar::new(Land::NW, Vec::new());
        let run_at = |now| {
            let inputs = Inputs {
                workflow: &wf,
                paper: &p,
                journal: &[],
                base_journal: None,
                outbox: &[],
                document: None,
                directory: &dir,
                calendar: &calendar,
                now,
                tz: chrono_tz::Europe::Berlin,
            };
            let s = state(&inputs);
            let time = NoticeTime {
                at: chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
                tz: chrono_tz::Europe::Berlin,
            };
            desired(&inputs, &s, time)
                .into_iter()
                .map(|n| (n.kind, n.recipient))
                .collect::<Vec<_>>()
        };
        // Before the meeting: submitted to the office.
        assert_eq!(
            run_at(noon(2019, 6, 1)),
            [(NoticeKind::Submitted, "kb".to_string())]
        );
        // On the meeting day nothing new; the morning after, the office is asked for the
        // result, and nothing is submitted to the past meeting.
        assert_eq!(
            run_at(noon(2019, 6, 27)),
            [(NoticeKind::Submitted, "kb".to_string())]
        );
        assert_eq!(
            run_at(noon(2019, 6, 28)),
            [(NoticeKind::RecordResult, "kb".to_string())]
        );
        assert_eq!(
            run_at(noon(2023, 1, 2)),
            [(NoticeKind::RecordResult, "kb".to_string())]
        );
    }
}

mod results;
