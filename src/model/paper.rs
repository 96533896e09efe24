//! A paper (Drucksache): the submission itself, with its content hash.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::NumberStyle;
use super::kind::PaperKind;
use crate::load::raw::RawPaper;

/// What an amendment does to one numbered point of the base proposal (or, with
/// [`Change::sub`], to one sub-point of that point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeOp {
    Replace(usize),
    Insert(usize),
    Delete(usize),
    Append,
    /// Changes Anlage N of the base paper (its own section in the decision draft).
    Attachment(usize),
    /// An independent further request, beside the base proposal.
    Request,
}

/// One change of an amendment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub op: ChangeOp,
    /// For `replace: 2.b`, `insert: 2.b`, `delete: 2.b`: the sub-point (1-based) of the point
    /// the operation names, which it replaces, inserts before or deletes instead of the point.
    pub sub: Option<usize>,
    pub text: Option<String>,
    /// Sub-points of the Ziffer's wording (a), b), …), printed as a nested Word list.
    pub points: Vec<super::Point>,
}

impl Change {
    /// A change of a top-level point (or none) without sub-points.
    pub fn new(op: ChangeOp, text: Option<String>) -> Change {
        Change {
            op,
            sub: None,
            text,
            points: Vec::new(),
        }
    }

    /// The Ziffer's wording with its sub-points, as one point of a numbered list; `base` is
    /// the numbering style of the base proposal (for „Punkt 2 b)“).
    pub fn as_point(&self, base: NumberStyle) -> super::Point {
        super::Point {
            text: self.wording(base),
            points: self.points.clone(),
        }
    }

    /// The base proposal point this change touches, if any (appends touch none); for a
    /// sub-point, the point it belongs to.
    pub fn point(&self) -> Option<usize> {
        match self.op {
            ChangeOp::Replace(n) | ChangeOp::Insert(n) | ChangeOp::Delete(n) => Some(n),
            ChangeOp::Append | ChangeOp::Attachment(_) | ChangeOp::Request => None,
        }
    }

    /// The place as printed: „2“, or „2 b)“ for a sub-point, its label in the base
    /// proposal's numbering style `base`.
    fn place(&self, n: usize, base: NumberStyle) -> String {
        match self.sub {
            Some(sub) => format!("{n} {}", base.label(1, sub)),
            None => n.to_string(),
        }
    }

    /// German heading of the change as a Fraktion writes it; `number` is the number an
    /// appended point gets in the amended proposal; `base` the base proposal's style.
    pub fn label(&self, number: Option<usize>, base: NumberStyle) -> String {
        match (&self.op, number) {
            (ChangeOp::Replace(n), _) => format!(
                "Änderung des Beschlussvorschlages in Punkt {}",
                self.place(*n, base)
            ),
            (ChangeOp::Insert(n), _) => format!(
                "Neuer Punkt {} zum Beschlussvorschlag",
                self.place(*n, base)
            ),
            (ChangeOp::Delete(n), _) => format!(
                "Streichung von Punkt {} des Beschlussvorschlages",
                self.place(*n, base)
            ),
            (ChangeOp::Append, Some(n)) => format!("Neuer Punkt {n} zum Beschlussvorschlag"),
            (ChangeOp::Append, None) => "Neuer Punkt zum Beschlussvorschlag".to_string(),
            (ChangeOp::Attachment(n), _) => format!("Änderung der Anlage {n}"),
            (ChangeOp::Request, _) => "Weiterer Antrag".to_string(),
        }
    }

    /// Headings of all changes of one amendment against a base proposal of `base_len` points
    /// in the style `base`.
    pub fn labels(changes: &[Change], base_len: usize, base: NumberStyle) -> Vec<String> {
        // Only whole points move the number of an appended point.
        let inserted = changes
            .iter()
            .filter(|c| matches!(c.op, ChangeOp::Insert(_)) && c.sub.is_none())
            .count();
        let deleted = changes
            .iter()
            .filter(|c| matches!(c.op, ChangeOp::Delete(_)) && c.sub.is_none())
            .count();
        let mut next = (base_len + inserted).saturating_sub(deleted);
        changes
            .iter()
            .map(|change| {
                if change.op == ChangeOp::Append {
                    next += 1;
                    change.label(Some(next), base)
                } else {
                    change.label(None, base)
                }
            })
            .collect()
    }

    /// What the Ziffer does to the base proposal, as the short note under its wording in the
    /// motion's own document („(ersetzt Punkt 3 des Beschlussvorschlags)“). Numbers are those
    /// of the base paper as printed (in its style `base`), never those of an amended proposal.
    pub fn effect(&self, base: NumberStyle) -> String {
        match self.op {
            ChangeOp::Replace(n) => {
                format!(
                    "(ersetzt Punkt {} des Beschlussvorschlags)",
                    self.place(n, base)
                )
            }
            ChangeOp::Insert(n) => format!(
                "(neuer Punkt {} des Beschlussvorschlags, die folgenden rücken nach)",
                self.place(n, base)
            ),
            ChangeOp::Delete(n) => {
                format!(
                    "(streicht Punkt {} des Beschlussvorschlags)",
                    self.place(n, base)
                )
            }
            ChangeOp::Append => "(ergänzt den Beschlussvorschlag um einen neuen Punkt)".into(),
            ChangeOp::Attachment(n) => format!("(ändert Anlage {n} der Vorlage)"),
            ChangeOp::Request => "(weiterer Antrag neben dem Beschlussvorschlag)".into(),
        }
    }

    /// The Ziffer's wording as the motion prints it; a deletion without text of its own says
    /// what it deletes (in the base proposal's style `base`).
    pub fn wording(&self, base: NumberStyle) -> String {
        match (&self.text, &self.op) {
            (Some(text), _) if !text.trim().is_empty() => text.clone(),
            (_, ChangeOp::Delete(n)) => format!(
                "Punkt {} des Beschlussvorschlags wird gestrichen.",
                self.place(*n, base)
            ),
            (_, _) => String::new(),
        }
    }

    /// The operation's key word (replace, insert, delete, append).
    pub fn op_name(&self) -> &'static str {
        match self.op {
            ChangeOp::Replace(_) => "replace",
            ChangeOp::Insert(_) => "insert",
            ChangeOp::Delete(_) => "delete",
            ChangeOp::Append => "append",
            ChangeOp::Attachment(_) => "attachment",
            ChangeOp::Request => "request",
        }
    }
}

/// Projektauftrag content: goal, tasks, result, period, project group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectOrder {
    pub goals: Option<String>,
    pub tasks: Option<String>,
    pub result: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub group: Vec<String>,
}

/// A validated paper: every reference checked, its kind resolved.
#[derive(Clone, Debug)]
pub struct Paper {
    /// The file stem under `papers/`.
    pub id: String,
    /// Vorlagenart, resolved once at load time.
    pub kind: Arc<PaperKind>,
    /// Workflow id (checked to exist).
    pub workflow: String,
    /// Drucksachen-Nummer, e.g. "042/21".
    pub reference: Option<String>,
    pub title: String,
    pub subtitle: Option<String>,
    /// Organisation id (checked to exist).
    pub organisation: Option<String>,
    pub date: Option<NaiveDate>,
    /// Federführung.
    pub lead_office: Option<String>,
    /// Dezernat.
    pub department: Option<String>,
    /// Dienststelle.
    pub office_unit: Option<String>,
    /// Sachbearbeitung: a person id (checked to exist).
    pub author: Option<String>,
    /// Aktenzeichen.
    pub file_number: Option<String>,
    /// Öffentlicher Sitzungsteil.
    pub public: bool,
    /// Meeting dates by consultation stage id.
    pub meetings: BTreeMap<String, NaiveDate>,
    /// Öffentlich (true) or nichtöffentlich (false) at a consultation stage, where the paper
    /// says so (`meetings: { stage: { date, public } }`).
    pub meeting_public: BTreeMap<String, bool>,
    /// Kurzfassung.
    pub summary: Option<String>,
    pub preliminary: Option<String>,
    pub facts: Option<String>,
    /// The top-level points of the Beschlussvorschlag (what motions and decisions address).
    pub proposal: Vec<String>,
    /// The points with their sub-points.
    pub proposal_points: Vec<super::Point>,
    /// „Der Gemeinderat beschließt nach Vorberatung …:“.
    pub proposal_intro: Option<String>,
    /// The paper's numbering style, else its kind's, else `1.`.
    pub numbering: super::NumberStyle,
    pub proposal_reconstructed: bool,
    pub financing: Option<String>,
    pub costs: Option<f64>,
    /// The period of `costs` („Jahr“ prints „33.000 €/Jahr“).
    pub costs_period: Option<String>,
    /// Finanzielle Auswirkungen.
    pub finances: Option<super::Finances>,
    /// Anlagen, numbered by their place.
    pub attachments: Vec<super::Attachment>,
    pub closing: Option<String>,
    pub project: Option<ProjectOrder>,
    /// The paper whose proposal this motion changes.
    pub amends: Option<String>,
    /// The paper this one answers (a Stellungnahme to a motion).
    pub answers: Option<String>,
    /// The Fraktion (body id) filing a motion.
    pub by: Option<String>,
    /// The body a motion is addressed to (the last of `bodies`).
    pub body: Option<String>,
    /// Its Beratungsfolge when it names several bodies, in order (else the one body).
    pub bodies: Vec<String>,
    pub addressee: Option<String>,
    pub changes: Vec<Change>,
    /// A Stellungnahme's recommendation per Ziffer of the answered motion.
    pub recommendations: Vec<super::Recommendation>,
    /// The people named on a motion as its signers (members of the Fraktion).
    pub signers: Vec<String>,
    pub reasons: Option<String>,
    /// An Anfrage's numbered questions.
    pub questions: Vec<String>,
    /// The project's own fields (for `when:` conditions and templates).
    pub fields: BTreeMap<String, serde_yaml::Value>,
    /// SHA-256 of the content a signatory approves (everything but the meeting dates).
    pub content_hash: String,
}

impl Paper {
    /// Builds a validated paper from its raw form, its resolved kind and its checked changes.
    pub fn new(id: String, kind: Arc<PaperKind>, raw: RawPaper, changes: Vec<Change>) -> Self {
        let content_hash = content_hash(&raw);
        let numbering = raw.proposal.style().or(kind.numbering).unwrap_or_default();
        Paper {
            id,
            kind,
            workflow: raw.workflow,
            reference: raw.reference,
            title: raw.title,
            subtitle: raw.subtitle,
            organisation: raw.organisation,
            date: raw.date.map(|d| d.0),
            lead_office: raw.lead_office,
            department: raw.department,
            office_unit: raw.office_unit,
            author: raw.author,
            file_number: raw.file_number,
            public: raw.public.unwrap_or(true),
            meeting_public: raw
                .meetings
                .iter()
                .filter_map(|(k, m)| Some((k.clone(), m.public?)))
                .collect(),
            meetings: raw
                .meetings
                .into_iter()
                .filter_map(|(k, m)| Some((k, m.date?.0)))
                .collect(),
            summary: raw.summary,
            preliminary: raw.preliminary,
            facts: raw.facts,
            proposal: raw
                .proposal
                .points()
                .iter()
                .map(|p| p.text().to_string())
                .collect(),
            proposal_points: raw.proposal.to_points(),
            proposal_intro: raw.proposal.intro().map(str::to_string),
            numbering,
            proposal_reconstructed: raw.proposal_reconstructed,
            financing: raw.financing,
            costs: raw.costs,
            costs_period: raw.costs_period,
            finances: raw.finances,
            attachments: raw
                .attachments
                .iter()
                .map(crate::load::raw::RawAttachment::to_attachment)
                .collect(),
            closing: raw.closing,
            project: raw.project.map(|p| ProjectOrder {
                goals: p.goals,
                tasks: p.tasks,
                result: p.result,
                start: p.start,
                end: p.end,
                group: p.group,
            }),
            amends: raw.amends,
            answers: raw.answers,
            by: raw.by,
            body: raw.body.as_ref().and_then(|b| b.last()).map(str::to_string),
            bodies: raw.body.as_ref().map(|b| b.list()).unwrap_or_default(),
            addressee: raw.addressee,
            changes,
            signers: raw.signers,
            recommendations: raw
                .recommendations
                .into_iter()
                .map(|r| super::Recommendation {
                    ziffer: r.ziffer as usize,
                    recommend: r.recommend,
                    to: r.to,
                    reasons: r.reasons,
                })
                .collect(),
            reasons: raw.reasons,
            questions: raw.questions,
            fields: raw.fields,
            content_hash,
        }
    }

    /// Builds a paper whose kind is one of the built-in kinds (Beschlussvorlage when the name is
    /// unknown): for tests and tools that have no project settings.
    pub fn with_builtin_kind(id: String, raw: RawPaper, changes: Vec<Change>) -> Self {
        let kinds = super::Kinds::builtin();
        let kind = kinds
            .get(&raw.kind)
            .or_else(|| kinds.get("Beschlussvorlage"))
            .cloned()
            .unwrap_or_else(|| Arc::new(PaperKind::fallback()));
        Paper::new(id, kind, raw, changes)
    }

    /// The reference number, or the id when the paper has none yet.
    pub fn reference(&self) -> &str {
        self.reference.as_deref().unwrap_or(&self.id)
    }

    /// Whether the paper is an amendment motion against another paper.
    pub fn is_amendment(&self) -> bool {
        self.amends.is_some()
    }

    /// Short form of the content hash for messages.
    pub fn short_hash(&self) -> &str {
        self.content_hash.get(7..15).unwrap_or(&self.content_hash)
    }

    /// Whether a field named in a workflow's `when:` is set (not empty, not false, not 0).
    /// `None` when no paper can have such a field.
    pub fn condition(&self, field: &str) -> Option<bool> {
        if let Some(value) = self.fields.get(field) {
            return Some(yaml_truthy(value));
        }
        let text = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        Some(match field {
            "reference" => text(&self.reference),
            "subtitle" => text(&self.subtitle),
            "organisation" => text(&self.organisation),
            "date" => self.date.is_some(),
            "lead_office" => text(&self.lead_office),
            "department" => text(&self.department),
            "office_unit" => text(&self.office_unit),
            "summary" => text(&self.summary),
            "finances" => self.finances.is_some(),
            "author" => text(&self.author),
            "file_number" => text(&self.file_number),
            "public" => self.public,
            "meetings" => !self.meetings.is_empty(),
            "preliminary" => text(&self.preliminary),
            "facts" => text(&self.facts),
            "proposal" => !self.proposal.is_empty(),
            "financing" => text(&self.financing),
            "costs" => self.costs.is_some_and(|c| c != 0.0),
            "attachments" => !self.attachments.is_empty(),
            "closing" => text(&self.closing),
            "project" => self.project.is_some(),
            "amends" => text(&self.amends),
            "answers" => text(&self.answers),
            "by" => text(&self.by),
            "body" => text(&self.body),
            "addressee" => text(&self.addressee),
            "changes" => !self.changes.is_empty(),
            "reasons" => text(&self.reasons),
            "questions" => !self.questions.is_empty(),
            _ => return None,
        })
    }
}

/// Paper fields a `when:` condition may name besides the project's own `fields`.
pub const CONDITION_FIELDS: &[&str] = &[
    "reference",
    "subtitle",
    "organisation",
    "date",
    "lead_office",
    "department",
    "office_unit",
    "summary",
    "finances",
    "author",
    "file_number",
    "public",
    "meetings",
    "preliminary",
    "facts",
    "proposal",
    "financing",
    "costs",
    "attachments",
    "closing",
    "project",
    "amends",
    "answers",
    "by",
    "body",
    "addressee",
    "changes",
    "reasons",
    "questions",
];

fn yaml_truthy(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::Null => false,
        serde_yaml::Value::Bool(b) => *b,
        serde_yaml::Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        serde_yaml::Value::String(s) => !s.trim().is_empty(),
        serde_yaml::Value::Sequence(s) => !s.is_empty(),
        serde_yaml::Value::Mapping(m) => !m.is_empty(),
        serde_yaml::Value::Tagged(t) => yaml_truthy(&t.value),
    }
}

/// Hash of the content a signature binds to. Meeting dates are scheduling, not content, so a
/// rescheduled session does not invalidate signatures. Empty values (none, false, empty lists)
/// are left out, so adding an optional field to the schema does not change any existing hash.
pub fn content_hash(data: &RawPaper) -> String {
    let mut value = serde_json::to_value(data).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("meetings");
    }
    let canonical = prune(value).unwrap_or(serde_json::Value::Null);
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    // Hex digits by hand: a `format!` per byte was 32 allocations per paper at load.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for byte in digest {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    hex
}

/// Drops nulls, `false`, empty strings, lists and maps; keys stay sorted (serde_json's map).
fn prune(value: serde_json::Value) -> Option<serde_json::Value> {
    use serde_json::Value;
    match value {
        Value::Null | Value::Bool(false) => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items
                .into_iter()
                .map(|v| prune(v).unwrap_or(Value::Null))
                .collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: serde_json::Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| prune(v).map(|v| (k, v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_ignores_meetings_and_empty_fields_but_not_content() {
        let raw: RawPaper =
            serde_yaml::from_str("kind: Beschlussvorlage\nworkflow: w\ntitle: T\nproposal: [a]\n")
                .unwrap();
        let base = content_hash(&raw);
        let mut empty_extra = raw.clone();
        empty_extra.attachments = Vec::new();
        empty_extra.proposal_reconstructed = false;
        assert_eq!(content_hash(&empty_extra), base);
        let mut changed = raw.clone();
        changed.proposal = vec!["b".to_string()].into();
        assert_ne!(content_hash(&changed), base);
        // Plain Anlage titles hash as the plain strings they always were.
        let titled: RawPaper = serde_yaml::from_str(
            "kind: Beschlussvorlage\nworkflow: w\ntitle: T\nproposal: [a]\nattachments: [x.pdf]\n",
        )
        .unwrap();
        let canonical = br#"{"attachments":["x.pdf"],"kind":"Beschlussvorlage","proposal":["a"],"title":"T","workflow":"w"}"#;
        let expected: String = Sha256::digest(canonical)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(content_hash(&titled), format!("sha256:{expected}"));
        // Pinned: a change of this value invalidates every signature ever recorded.
        assert_eq!(
            base,
            "sha256:721da291d47a85ffa6d645a7eebe9110047636f472d812a733531b4483e78d8d"
        );
    }

    #[test]
    fn ziffern_without_sub_points_hash_as_before_sub_points_were_possible() {
        let raw: RawPaper = serde_yaml::from_str(
            "kind: Ergänzungsantrag\nworkflow: w\ntitle: T\namends: b\nbody: k\nchanges:\n  - replace: 3\n    text: Neu.\n  - append: Vier.\n",
        )
        .unwrap();
        // Pinned: exactly the canonical form a motion had before `points:` existed.
        let canonical = r#"{"amends":"b","body":"k","changes":[{"replace":3,"text":"Neu."},{"append":"Vier."}],"kind":"Ergänzungsantrag","title":"T","workflow":"w"}"#;
        let expected: String = Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(content_hash(&raw), format!("sha256:{expected}"));
        let with_points: RawPaper = serde_yaml::from_str(
            "kind: Ergänzungsantrag\nworkflow: w\ntitle: T\namends: b\nbody: k\nchanges:\n  - replace: 3\n    text: Neu.\n    points: [a, b]\n  - append: Vier.\n",
        )
        .unwrap();
        assert_ne!(content_hash(&with_points), content_hash(&raw));
    }

    #[test]
    fn a_sub_point_is_hashed_as_written_and_a_point_as_the_integer_it_always_was() {
        let raw: RawPaper = serde_yaml::from_str(
            "kind: Ergänzungsantrag\nworkflow: w\ntitle: T\namends: b\nbody: k\nchanges:\n  - replace: 2.b\n    text: Neu.\n  - delete: 3\n  - insert: 2.2\n    text: Dazu.\n",
        )
        .unwrap();
        let canonical = r#"{"amends":"b","body":"k","changes":[{"replace":"2.b","text":"Neu."},{"delete":3},{"insert":2.2,"text":"Dazu."}],"kind":"Ergänzungsantrag","title":"T","workflow":"w"}"#;
        let expected: String = Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(content_hash(&raw), format!("sha256:{expected}"));
    }
}
