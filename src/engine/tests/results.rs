//! One engine test per result kind a body can record, and for what follows from it: referrals,
//! deferrals, withdrawals, corrections.

use super::*;
use crate::journal::ItemDecision;

fn two_bodies() -> Workflow {
    Workflow {
        id: "zwei".into(),
        name: "Zwei Gremien".into(),
        organisation: None,
        stages: vec![
            consult_stage("ausschuss", "asgi", ConsultationRole::VORBERATUNG),
            consult_stage("kreistag", "kreistag", ConsultationRole::ENTSCHEIDUNG),
        ],
    }
}

fn after(result: DecisionResult) -> PaperState {
    let p = paper(&["a", "b"]);
    let journal = vec![
        decided(
            "asgi",
            "ausschuss",
            DecisionResult::Empfohlen,
            date(2019, 6, 3),
        ),
        decided("kreistag", "kreistag", result, date(2019, 6, 27)),
    ];
    run(&two_bodies(), &p, &journal, noon(2019, 7, 1))
}

#[test]
fn beschlossen_adopts_the_paper() {
    assert_eq!(
        after(DecisionResult::Beschlossen).position,
        Position::Finished(Outcome::Adopted)
    );
}

#[test]
fn geaendert_beschlossen_adopts_the_paper_as_changed() {
    let s = after(DecisionResult::GeaendertBeschlossen);
    assert_eq!(s.position, Position::Finished(Outcome::Adopted));
    assert_eq!(
        s.stages[1].decisions[0].result.label(),
        "geändert beschlossen"
    );
}

#[test]
fn abgelehnt_rejects_the_paper() {
    assert_eq!(
        after(DecisionResult::Abgelehnt).position,
        Position::Finished(Outcome::Rejected)
    );
}

#[test]
fn zur_kenntnis_genommen_ends_as_noted() {
    assert_eq!(
        after(DecisionResult::ZurKenntnisGenommen).position,
        Position::Finished(Outcome::Noted)
    );
}

#[test]
fn zurueckgezogen_in_the_meeting_ends_as_withdrawn() {
    assert_eq!(
        after(DecisionResult::Zurueckgezogen).position,
        Position::Finished(Outcome::Withdrawn)
    );
}

#[test]
fn vertagt_keeps_the_consultation_open_at_the_next_meeting() {
    let s = after(DecisionResult::Vertagt);
    assert_eq!(s.position, Position::At(1));
    assert_eq!(
        s.stages[1].meeting.map(|m| m.date),
        Some(date(2019, 10, 10))
    );
}

#[test]
fn empfohlen_and_nicht_empfohlen_pass_the_paper_on_to_the_deciding_body() {
    let p = paper(&["a"]);
    for result in [DecisionResult::Empfohlen, DecisionResult::NichtEmpfohlen] {
        let journal = vec![decided("asgi", "ausschuss", result, date(2019, 6, 3))];
        let s = run(&two_bodies(), &p, &journal, noon(2019, 6, 4));
        assert_eq!(s.position, Position::At(1), "{result}");
        assert_eq!(s.stages[0].decisions[0].result, result);
    }
}

fn referred(to: &str, meeting: NaiveDate, items: Vec<ItemDecision>) -> Entry {
    Entry {
        stage: Some("kreistag".into()),
        ..Entry::new(at(2019, 6, 27), Event::Referred)
    }
    .with_consultation(Consultation {
        body: Some(to.into()),
        meeting: Some(Date(meeting)),
        items,
        ..Consultation::default()
    })
}

#[test]
fn verwiesen_waits_at_the_stage_and_opens_a_consultation_at_the_other_body() {
    let p = paper(&["a"]);
    let mut journal = vec![
        decided(
            "asgi",
            "ausschuss",
            DecisionResult::Empfohlen,
            date(2019, 6, 3),
        ),
        decided(
            "kreistag",
            "kreistag",
            DecisionResult::Verwiesen,
            date(2019, 6, 27),
        ),
        referred("asgi", date(2019, 9, 16), Vec::new()),
    ];
    let s = run(&two_bodies(), &p, &journal, noon(2019, 7, 1));
    assert_eq!(s.position, Position::At(1));
    assert_eq!(s.referrals.len(), 1);
    assert_eq!(s.referrals[0].body, "asgi");
    assert_eq!(s.referrals[0].meeting, Some(date(2019, 9, 16)));
    assert!(s.referrals[0].is_open());
    // The body it was referred to decides: a decision without a stage.
    let mut back = decided("asgi", "x", DecisionResult::Empfohlen, date(2019, 9, 16));
    back.stage = None;
    journal.push(back);
    let s = run(&two_bodies(), &p, &journal, noon(2019, 9, 17));
    assert!(!s.referrals[0].is_open());
    assert_eq!(s.position, Position::At(1), "the Kreistag still decides");
}

#[test]
fn a_point_referred_while_the_paper_is_adopted_stays_open_there() {
    let p = paper(&["a", "b"]);
    let point = ItemDecision {
        motion: None,
        number: 2,
        result: DecisionResult::Verwiesen,
        text: None,
        to: Some("asgi".into()),
        votes: None,
    };
    let mut decision = decided(
        "kreistag",
        "kreistag",
        DecisionResult::Beschlossen,
        date(2019, 6, 27),
    );
    decision.consultation_mut().items = vec![point.clone()];
    let journal = vec![
        decided(
            "asgi",
            "ausschuss",
            DecisionResult::Empfohlen,
            date(2019, 6, 3),
        ),
        decision,
        referred("asgi", date(2019, 9, 16), vec![point]),
    ];
    let s = run(&two_bodies(), &p, &journal, noon(2019, 7, 1));
    assert_eq!(s.position, Position::Finished(Outcome::Adopted));
    assert_eq!(s.referrals[0].items[0].number, 2);
    assert!(s.referrals[0].is_open());
}

#[test]
fn a_withdrawal_ends_the_path() {
    let p = paper(&["a"]);
    let journal = vec![Entry {
        who: Some("vorsitz".into()),
        stage: Some("ausschuss".into()),
        ..Entry::new(at(2019, 5, 20), Event::Withdrawn)
    }];
    let s = run(&two_bodies(), &p, &journal, noon(2019, 5, 21));
    assert_eq!(s.position, Position::Finished(Outcome::Withdrawn));
    assert_eq!(Outcome::Withdrawn.label(), "zurückgezogen");
}

#[test]
fn an_editorial_correction_keeps_the_signatures_of_a_decided_paper() {
    let wf = kreis_workflow();
    let old = paper(&["Alter Wortlaut"]);
    let new = paper(&["Neuer Wortlaut"]);
    let mut journal = vec![signed("landrat", "auftrag", &old, at(2018, 10, 25))];
    let s = run(&wf, &new, &journal, noon(2018, 11, 1));
    assert_eq!(s.stages[0].stale, ["landrat"]);
    journal.push(Entry {
        who: Some("landrat".into()),
        hash: Some(new.content_hash.as_str().into()),
        ..Entry::new(at(2018, 10, 30), Event::Corrected)
    });
    let s = run(&wf, &new, &journal, noon(2018, 11, 1));
    assert!(s.stages[0].stale.is_empty());
    assert!(s.stages[0].signatures[0].valid);
}
