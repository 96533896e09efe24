//! The data a Word template sees: a paper, its Beratungsfolge, signatures and decision draft,
//! flattened into plain values (dates as `YYYY-MM-DD` strings) for minijinja.

use serde::Serialize;

use crate::engine::amend::Draft;
use crate::engine::{PaperState, StageStatus};
use crate::load::Project;
use crate::model::{Case, Change, Paper, StageKind};

/// Everything a template can print.
#[derive(Debug, Serialize)]
pub struct Context {
    pub org: Org,
    pub paper: PaperView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionView>,
    /// The Beschlussauszug's decision (`beschluss.docx`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beschluss: Option<super::beschluss::BeschlussView>,
    /// The result of a decided paper (the Beschlussentwurf's title and status).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided: Option<super::beschluss::DecidedView>,
    /// Motions not yet voted on (the Beschlussentwurf before the meeting).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending_motions: Vec<String>,
    pub today: String,
    pub document: super::properties::DocumentProperties,
}

/// The issuing organisation.
#[derive(Debug, Serialize)]
pub struct Org {
    pub name: String,
    pub letterhead: Vec<String>,
}

/// A person as printed.
#[derive(Debug, Serialize)]
pub struct PersonView {
    pub name: String,
    pub function: Option<String>,
    pub email: String,
}

/// One row of the Beratungsfolge.
#[derive(Debug, Serialize)]
pub struct ConsultationView {
    pub body: String,
    pub date: Option<String>,
    pub role: String,
    pub result: Option<String>,
    /// „Ö“ (öffentlich) or „N“ (nichtöffentlich) in this body.
    pub part: &'static str,
    /// The TOP number once the meeting's agenda is set.
    pub top: Option<String>,
}

/// One signature line.
#[derive(Debug, Serialize)]
pub struct SignatureView {
    pub role: String,
    pub name: String,
    pub function: Option<String>,
    pub date: Option<String>,
}

/// One change of an amendment.
#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub op: &'static str,
    pub point: Option<usize>,
    pub text: Option<String>,
    pub label: String,
}

/// A base paper referred to by an amendment.
#[derive(Debug, Serialize)]
pub struct BaseView {
    pub id: String,
    pub reference: String,
    pub title: String,
}

/// The paper a Stellungnahme answers.
#[derive(Debug, Serialize)]
pub struct AnswerView {
    pub id: String,
    pub reference: String,
    pub title: String,
    /// „Ergänzungsantrag“.
    pub kind: String,
    /// „zum Ergänzungsantrag“.
    pub kind_zu: String,
    /// The Fraktion that filed it, if any.
    pub by: Option<String>,
}

/// The kind's name with its article in each case, for templates („den Ergänzungsantrag“).
#[derive(Debug, Serialize)]
pub struct KindForms {
    pub nominativ: String,
    pub akkusativ: String,
    pub dativ: String,
    pub genitiv: String,
}

/// A Fraktion filing a motion.
#[derive(Debug, Serialize)]
pub struct GroupView {
    pub name: String,
    pub signatories: Vec<String>,
}

/// Projektauftrag content.
#[derive(Debug, Serialize)]
pub struct ProjectView {
    pub goals: Option<String>,
    pub tasks: Option<String>,
    pub result: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub group: Vec<String>,
}

/// The paper as templates see it.
#[derive(Debug, Serialize)]
pub struct PaperView {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub kind_forms: KindForms,
    pub title: String,
    pub subtitle: Option<String>,
    pub date: Option<String>,
    pub lead_office: Option<String>,
    pub author: Option<PersonView>,
    pub file_number: Option<String>,
    pub public: bool,
    pub consultations: Vec<ConsultationView>,
    pub preliminary: Option<String>,
    pub facts: Option<String>,
    pub proposal: Vec<String>,
    /// The proposal's intro, numbering style and numbered lines.
    pub outline: super::outline::OutlineView,
    pub proposal_reconstructed: bool,
    pub financing: Option<String>,
    pub costs: Option<f64>,
    pub costs_period: Option<String>,
    pub attachments: Vec<String>,
    pub closing: Option<String>,
    pub project: Option<ProjectView>,
    pub signatures: Vec<SignatureView>,
    pub signing: Vec<super::signatures::SigningGroup>,
    pub amends: Option<BaseView>,
    pub by: Option<GroupView>,
    pub body: Option<String>,
    pub addressee: Option<String>,
    pub changes: Vec<ChangeView>,
    /// A motion's own Ziffern, numbered as the Fraktion numbers them.
    pub ziffern: super::motion::ZiffernView,
    pub reasons: Option<String>,
    pub answers: Option<AnswerView>,
    /// A Stellungnahme's recommendation per Ziffer of the answered motion.
    pub recommendations: Vec<super::recommendations::RecommendationView>,
    pub questions: Vec<String>,
    /// A paper addressed to several bodies in order: „an den Kreisausschuss und den
    /// Kreistag“, „am 22./23.03.2021“.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addressed: Option<super::addressed::AddressedView>,
    /// A motion filed after the Antragsfrist: „Dringlichkeitsantrag …“.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late: Option<String>,
    /// Kurzfassung, Dezernat, Dienststelle, Finanzen, numbered Anlagen, the project's fields.
    #[serde(flatten)]
    pub printed: super::fields::PrintedFields,
}

/// One point of the decision draft.
#[derive(Debug, Serialize)]
pub struct PointView {
    pub number: usize,
    pub text: String,
    /// E.g. "Ergänzungsantrag 042/21-1 der Fraktion GRÜNE im Kreistag".
    pub changed_by: Option<String>,
    pub change: Option<&'static str>,
}

/// The decision draft of a base paper.
#[derive(Debug, Serialize)]
pub struct DecisionView {
    pub points: Vec<PointView>,
    /// The points as numbered lines with sub-points and markers (Word numbering).
    pub items: Vec<super::outline::LineView>,
    pub deleted: Vec<String>,
    pub conflicts: Vec<String>,
    pub amendments: Vec<String>,
    /// „Anlage 2: … (durch …)“: adopted changes of Anlagen.
    pub attachments: Vec<String>,
    /// Adopted independent requests, with the motion that made them.
    pub requests: Vec<String>,
}

fn iso(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// "Ergänzungsantrag 042/21-1 der Fraktion GRÜNE im Kreistag".
pub fn amendment_label(project: &Project, id: &str) -> String {
    let Some(paper) = project.papers.get(id) else {
        return id.to_string();
    };
    let group = paper
        .by
        .as_deref()
        .and_then(|b| project.directory.body(b))
        .map(|b| format!(" der {}", b.name))
        .unwrap_or_default();
    format!("{} {}{group}", paper.kind.name, paper.reference())
}

fn answer_view(project: &Project, id: &str) -> AnswerView {
    let answered = project.papers.get(id);
    AnswerView {
        id: id.to_string(),
        reference: answered
            .and_then(|p| p.reference.clone())
            .unwrap_or_default(),
        title: answered.map(|p| p.title.clone()).unwrap_or_default(),
        kind: answered.map(|p| p.kind.name.clone()).unwrap_or_default(),
        kind_zu: answered.map(|p| p.kind.with_zu()).unwrap_or_default(),
        by: answered
            .and_then(|p| p.by.as_deref())
            .and_then(|b| project.directory.body(b))
            .map(|b| b.name.clone()),
    }
}

/// Builds the context of a paper; `draft` is set for decision drafts.
pub fn build(
    project: &Project,
    paper: &Paper,
    state: &PaperState,
    draft: Option<&Draft>,
    today: chrono::NaiveDate,
) -> Context {
    let org_id = project.organisation_of(paper);
    let org = project.directory.organisations.get(org_id);
    let workflow = project.workflow_of(paper);
    let workflow = workflow.as_deref();
    let data = paper;
    let person = |id: &str| {
        project.directory.person(id).map(|p| PersonView {
            name: p.name.clone(),
            function: p.function.clone(),
            email: p.email.clone(),
        })
    };
    let mut consultations = Vec::new();
    let mut signatures = Vec::new();
    if let Some(workflow) = workflow {
        for (stage, stage_state) in workflow.stages.iter().zip(&state.stages) {
            if stage_state.status == StageStatus::Skipped {
                continue;
            }
            match &stage.kind {
                StageKind::Consult { role, .. } => {
                    let body = stage_state
                        .body
                        .as_deref()
                        .and_then(|b| project.directory.body(b));
                    consultations.push(ConsultationView {
                        body: body.map_or_else(|| stage.title.clone(), |b| b.name.clone()),
                        date: stage_state.meeting.map(|m| iso(m.date)),
                        role: role.label().to_string(),
                        result: stage_state
                            .decisions
                            .last()
                            .map(|d| d.result.label().to_string()),
                        part: super::agenda::part_mark(paper, stage),
                        top: stage_state.top.clone(),
                    });
                }
                StageKind::Sign(rule) => {
                    for signer in &stage_state.signers {
                        let signed = stage_state
                            .signatures
                            .iter()
                            .find(|s| &s.who == signer && s.valid);
                        let p = project.directory.person(signer);
                        signatures.push(SignatureView {
                            role: rule.role.clone().unwrap_or_else(|| stage.title.clone()),
                            name: p.map_or_else(|| signer.clone(), |p| p.name.clone()),
                            function: p.and_then(|p| p.function.clone()),
                            date: signed.map(|s| iso(s.time.date_naive())),
                        });
                    }
                }
            }
        }
    }
    let amends = data.amends.as_deref().map(|base| {
        let base_paper = project.papers.get(base);
        BaseView {
            id: base.to_string(),
            reference: base_paper
                .and_then(|p| p.reference.clone())
                .unwrap_or_default(),
            title: base_paper.map(|p| p.title.clone()).unwrap_or_default(),
        }
    });
    let by = data
        .by
        .as_deref()
        .and_then(|b| project.directory.body(b))
        .map(|body| GroupView {
            name: body.name.clone(),
            // The people named on the motion, else the Fraktion's signatories.
            signatories: if data.signers.is_empty() {
                &body.signatories
            } else {
                &data.signers
            }
            .iter()
            .map(|id| project.directory.person_name(id).to_string())
            .collect(),
        });
    let decision = draft.map(|draft| DecisionView {
        items: super::outline::of_draft(project, paper, draft),
        points: draft
            .points
            .iter()
            .map(|p| PointView {
                number: p.number,
                text: p.text.clone(),
                changed_by: p
                    .changed_by
                    .as_deref()
                    .map(|id| amendment_label(project, id)),
                change: p.change,
            })
            .collect(),
        deleted: draft.deleted_lines(paper.numbering, |id| amendment_label(project, id)),
        conflicts: draft.conflicts.iter().map(|c| c.message()).collect(),
        attachments: draft
            .attachments
            .iter()
            .map(|(n, text, id)| {
                format!(
                    "Anlage {n}: {text} (durch {})",
                    amendment_label(project, id)
                )
            })
            .collect(),
        requests: draft
            .requests
            .iter()
            .map(|(text, id)| format!("{text} (durch {})", amendment_label(project, id)))
            .collect(),
        amendments: draft
            .applied
            .iter()
            .map(|id| amendment_label(project, id))
            .collect(),
    });
    Context {
        org: Org {
            name: org.map_or_else(|| org_id.to_string(), |o| o.name.clone()),
            letterhead: org.map(|o| o.letterhead.clone()).unwrap_or_default(),
        },
        paper: PaperView {
            late: super::agenda::late_note(project, paper, state),
            addressed: super::addressed::view(project, paper, state),
            id: paper.id.clone(),
            reference: paper.reference.clone().unwrap_or_default(),
            kind: data.kind.name.clone(),
            kind_forms: KindForms {
                nominativ: data.kind.with_article(Case::Nominative),
                akkusativ: data.kind.with_article(Case::Accusative),
                dativ: data.kind.with_article(Case::Dative),
                genitiv: data.kind.with_article(Case::Genitive),
            },
            title: data.title.clone(),
            subtitle: data.subtitle.clone(),
            date: data.date.map(iso),
            lead_office: data.lead_office.clone(),
            author: data.author.as_deref().and_then(person),
            file_number: data.file_number.clone(),
            public: data.public,
            consultations,
            preliminary: data.preliminary.clone(),
            facts: data.facts.clone(),
            proposal: data.proposal.clone(),
            outline: super::outline::of_paper(data),
            proposal_reconstructed: data.proposal_reconstructed,
            financing: data.financing.clone(),
            costs: data.costs,
            costs_period: data.costs_period.clone(),
            attachments: data.attachments.iter().map(|a| a.title.clone()).collect(),
            closing: data.closing.clone(),
            project: data.project.as_ref().map(|p| ProjectView {
                goals: p.goals.clone(),
                tasks: p.tasks.clone(),
                result: p.result.clone(),
                start: p.start.clone(),
                end: p.end.clone(),
                group: p.group.clone(),
            }),
            signatures,
            signing: super::signatures::groups(project, paper, state),
            amends,
            by,
            body: data
                .body
                .as_deref()
                .and_then(|b| project.directory.body(b))
                .map(|b| b.name.clone()),
            addressee: data.addressee.clone(),
            changes: {
                let base_len = data
                    .amends
                    .as_deref()
                    .and_then(|b| project.papers.get(b))
                    .map_or(0, |b| b.proposal.len());
                let labels =
                    Change::labels(&paper.changes, base_len, project.base_numbering(paper));
                paper
                    .changes
                    .iter()
                    .zip(labels)
                    .map(|(c, label)| ChangeView {
                        op: c.op_name(),
                        point: c.point(),
                        text: c.text.clone(),
                        label,
                    })
                    .collect()
            },
            ziffern: super::motion::ziffern(data, project.base_numbering(paper)),
            reasons: data.reasons.clone(),
            answers: data.answers.as_deref().map(|id| answer_view(project, id)),
            recommendations: super::recommendations::views(project, data),
            questions: data.questions.clone(),
            printed: super::fields::of_paper(data),
        },
        decision,
        beschluss: None,
        decided: None,
        pending_motions: Vec::new(),
        today: iso(today),
        document: Default::default(),
    }
    .with_properties()
}
