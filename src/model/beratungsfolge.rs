//! A paper addressed to several bodies in order (`body: [kreisausschuss, kreistag]`, seed 003:
//! a motion to the Kreisausschuss and then the Kreistag „am 22./23.03.2021“).
//!
//! The workflow's consultation stage for „the body the paper names“ (`body: paper.body`) stands
//! for the whole Beratungsfolge: for such a paper it becomes one stage per body, in the order
//! the paper names them. The earlier bodies deliberate first (Vorberatung), the last one in
//! the stage's own role. The last keeps the stage's id, so journal lines, `meetings:` keys and
//! `due: { before: … }` of single-body papers mean what they always meant; an earlier body's
//! stage has the body's id. Deadlines counted back from the stage count from the first body's
//! meeting (a motion has to be in by the first body's Antragsfrist).
//!
//! The engine keeps „one stage per workflow entry“: it is handed the expanded workflow.

use std::borrow::Cow;

use super::{BodyRef, ConsultationRole, DueAnchor, Next, Stage, StageKind, Workflow};

/// The workflow as it applies to a paper naming `bodies` (in order). Borrowed unchanged when
/// the paper names at most one body or the workflow has no stage for the paper's body.
/// `title` gives the title of an earlier body's stage (the body's name).
pub fn expand<'a>(
    workflow: &'a Workflow,
    bodies: &[String],
    title: impl Fn(&str) -> String,
) -> Cow<'a, Workflow> {
    let per_paper = |s: &Stage| {
        matches!(
            s.kind,
            StageKind::Consult {
                body: BodyRef::PaperBody,
                ..
            }
        )
    };
    if bodies.len() < 2 || !workflow.stages.iter().any(per_paper) {
        return Cow::Borrowed(workflow);
    }
    let earlier = &bodies[..bodies.len() - 1];
    // Where each original stage begins in the expanded list.
    let mut first = Vec::with_capacity(workflow.stages.len());
    let mut at = 0;
    for stage in &workflow.stages {
        first.push(at);
        at += if per_paper(stage) { bodies.len() } else { 1 };
    }
    let remap = |index: usize| first.get(index).copied().unwrap_or(index);
    let taken: Vec<&str> = workflow.stages.iter().map(|s| s.id.as_str()).collect();
    let mut stages = Vec::with_capacity(at);
    for stage in &workflow.stages {
        let mut own = stage.clone();
        own.next = match stage.next {
            Next::Stage(target) => Next::Stage(remap(target)),
            other => other,
        };
        own.on_return = stage.on_return.map(remap);
        own.due = stage.due.clone().map(|mut due| {
            if let DueAnchor::BeforeMeeting(target) = due.anchor {
                due.anchor = DueAnchor::BeforeMeeting(remap(target));
            }
            due
        });
        if let StageKind::Consult {
            body: BodyRef::PaperBody,
            public,
            ..
        } = &stage.kind
        {
            for body in earlier {
                let id = if taken.contains(&body.as_str()) {
                    format!("{}-{body}", stage.id)
                } else {
                    body.clone()
                };
                stages.push(Stage {
                    id,
                    title: title(body),
                    kind: StageKind::Consult {
                        body: BodyRef::Fixed(body.clone()),
                        role: ConsultationRole::VORBERATUNG,
                        public: *public,
                    },
                    next: Next::Following,
                    due: None,
                    remind: Vec::new(),
                    escalate: None,
                    ..own.clone()
                });
            }
        }
        stages.push(own);
    }
    Cow::Owned(Workflow {
        stages,
        ..workflow.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SignMode, SignRule, Signer};

    fn workflow() -> Workflow {
        let sign = Stage {
            id: "fraktion".into(),
            title: "Unterschrift".into(),
            kind: StageKind::Sign(SignRule {
                signers: vec![Signer::Group],
                needed: 1,
                mode: SignMode::All,
                role: None,
            }),
            when: None,
            next: Next::Following,
            on_return: None,
            due: Some(crate::model::Due {
                anchor: DueAnchor::BeforeMeeting(1),
                rule: crate::model::DueRule::BodyRule("antrag".into()),
            }),
            remind: Vec::new(),
            escalate: None,
        };
        let consult = Stage {
            id: "kreistag".into(),
            title: "Beratung und Abstimmung".into(),
            kind: StageKind::Consult {
                body: BodyRef::PaperBody,
                role: ConsultationRole::ENTSCHEIDUNG,
                public: None,
            },
            due: None,
            ..sign.clone()
        };
        Workflow {
            id: "antrag".into(),
            name: "Antrag".into(),
            organisation: None,
            stages: vec![sign, consult],
        }
    }

    #[test]
    fn one_stage_per_body_in_order_the_last_keeps_id_and_role() {
        let w = workflow();
        let bodies = ["kreisausschuss".to_string(), "kreistag".to_string()];
        let expanded = expand(&w, &bodies, |b| format!("Gremium {b}"));
        let rows: Vec<(&str, &str, String)> = expanded
            .stages
            .iter()
            .map(|s| {
                let role = match &s.kind {
                    StageKind::Consult { role, .. } => role.label().to_string(),
                    StageKind::Sign(_) => String::new(),
                };
                (s.id.as_str(), s.title.as_str(), role)
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("fraktion", "Unterschrift", String::new()),
                (
                    "kreisausschuss",
                    "Gremium kreisausschuss",
                    "Vorberatung".into()
                ),
                ("kreistag", "Beratung und Abstimmung", "Entscheidung".into()),
            ]
        );
        // An earlier body whose id is a stage's id gets the stage's id in front.
        let clash = ["fraktion".to_string(), "kreistag".to_string()];
        assert_eq!(
            expand(&w, &clash, |b| b.to_string()).stages[1].id,
            "kreistag-fraktion"
        );
        // The Antragsfrist counts back from the first body's meeting.
        assert!(matches!(
            expanded.stages[0].due.as_ref().map(|d| d.anchor),
            Some(DueAnchor::BeforeMeeting(1))
        ));
        // One body: the workflow as it is.
        assert!(matches!(
            expand(&w, &bodies[1..], |b| b.to_string()),
            Cow::Borrowed(_)
        ));
    }
}
