//! Raw input types: a one-to-one mirror of the YAML files a user writes.
//!
//! These types only describe *shape*. They are deserialised by [`crate::load::yaml::decode`],
//! which reports unknown keys and type errors with their positions; references between files
//! (people, bodies, stages, papers) are checked afterwards in [`crate::load::resolve`], which
//! turns these types into the validated [`crate::model`].
//!
//! None of these structs use `deny_unknown_fields`: unknown keys are collected (all of them, not
//! just the first) by the decoder.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::calendar::{ClosedDay, DayUnit, Land, Roll};
use crate::model::dates::{Date, TimeOfDay};

mod attachment;
mod bodies;
mod proposal;
mod target;
pub use attachment::{RawAttachment, RawAttachmentFile};
pub use bodies::RawBodies;
pub use proposal::{RawPoint, RawPointForm, RawProposal, RawProposalForm};
pub use target::{RawTarget, Target};

/// `ratsflow.yaml`: the settings of one project.
#[derive(Debug, Clone, Deserialize)]
pub struct RawSettings {
    /// Default organisation: an id from `organisations` in the directory.
    pub organisation: String,
    /// Time zone for times of day (reminders); default Europe/Berlin.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Recurring days the administration is closed, e.g. `["24.12.", "31.12."]`.
    #[serde(default)]
    pub closed_days: Vec<ClosedDay>,
    /// One-off closed dates (Brückentage).
    #[serde(default)]
    pub closed_dates: Vec<Date>,
    /// Time of day at which reminders and escalations go out.
    #[serde(default)]
    pub notify_at: Option<TimeOfDay>,
    #[serde(default)]
    pub folders: RawFolders,
    #[serde(default)]
    pub mail: Option<RawMail>,
    /// The project's own paper fields (`fields:` of a paper), by name, with a description.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The project's own kinds of paper, by name (in addition to the built-in ones).
    #[serde(default)]
    pub kinds: BTreeMap<String, RawKind>,
    /// Ladungsfrist: how many days before a meeting its members are invited (a body's own
    /// `ladungsfrist` wins); without either, ratsflow sends no invitations.
    #[serde(default)]
    pub ladungsfrist: Option<RawBodyDeadline>,
    /// The project's own roles in a Beratungsfolge, by name, with what the body does:
    /// `entscheidung`, `vorberatung`, `kenntnisnahme` or `beratung`.
    #[serde(default)]
    pub roles: BTreeMap<String, crate::model::RoleEffect>,
    /// OParl export (`ratsflow oparl`): the address the tree is published under.
    #[serde(default)]
    pub oparl: Option<crate::oparl::RawOparl>,
    /// `ratsflow serve`: listen address, public address, link key.
    #[serde(default)]
    pub serve: Option<crate::serve::settings::RawServe>,
    /// PDFs beside the documents: `enabled`, `soffice`, `timeout_seconds`.
    #[serde(default)]
    pub pdf: Option<crate::pdf::RawPdf>,
}

/// A kind of paper declared in `ratsflow.yaml`.
#[derive(Debug, Clone, Deserialize)]
pub struct RawKind {
    /// Definite article of the name: `der`, `die` or `das`.
    pub article: crate::model::Gender,
    /// Word template under `templates/`; default: the name in lower-case ASCII plus `.docx`.
    #[serde(default)]
    pub template: Option<String>,
    /// Prefix of the number series, e.g. `S` for „S 001/26“; default: none.
    #[serde(default)]
    pub series: Option<String>,
    /// `amends` (changes another paper's proposal) or `answers` (answers another paper).
    #[serde(default)]
    pub relation: Option<crate::model::Relation>,
    /// `verwaltung` (default) or `fraktion`.
    #[serde(default)]
    pub author: Option<crate::model::kind::Author>,
    /// Numbering of the Beschlussvorschlag: `1.`, `a)`, `aa)` or `i.`; default `1.`.
    #[serde(default)]
    pub numbering: Option<crate::model::NumberStyle>,
}

/// Mail settings. Without `smtp`, messages are written as `.eml` files under `out/mail/`.
#[derive(Debug, Clone, Deserialize)]
pub struct RawMail {
    /// Sender shown to recipients.
    pub from: RawMailbox,
    #[serde(default)]
    pub smtp: Option<RawSmtp>,
    /// What a notice carries of the paper's document: `docx` (default), `pdf` or `both`.
    #[serde(default)]
    pub attach: Option<crate::project::Attach>,
}

/// A name and an address, kept apart (never parsed from "Name <addr>").
#[derive(Debug, Clone, Deserialize)]
pub struct RawMailbox {
    pub name: String,
    pub email: String,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawSecurity {
    /// STARTTLS on port 587.
    Starttls,
    /// Implicit TLS on port 465.
    Tls,
    /// No encryption: only for a relay on the same machine.
    Plain,
}

/// An SMTP server. Credentials come from environment variables, never from this file.
#[derive(Debug, Clone, Deserialize)]
pub struct RawSmtp {
    pub host: String,
    #[serde(default)]
    pub port: Option<u16>,
    pub security: RawSecurity,
    /// Name of the environment variable holding the user name.
    #[serde(default)]
    pub user_env: Option<String>,
    /// Name of the environment variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
    /// PEM file of the council's own certificate authority.
    #[serde(default)]
    pub ca_file: Option<String>,
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}

/// Where the parts of a project live, relative to the project root.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawFolders {
    pub workflows: Option<String>,
    pub papers: Option<String>,
    pub templates: Option<String>,
    pub out: Option<String>,
    pub state: Option<String>,
}

/// `workflows/directory.yaml`: organisations, people and bodies.
#[derive(Debug, Clone, Deserialize)]
pub struct RawDirectory {
    #[serde(default)]
    pub organisations: BTreeMap<String, RawOrganisation>,
    #[serde(default)]
    pub people: BTreeMap<String, RawPerson>,
    #[serde(default)]
    pub bodies: BTreeMap<String, RawBody>,
}

/// A Kreis, a Gemeinde or a Stadt.
#[derive(Debug, Clone, Deserialize)]
pub struct RawOrganisation {
    pub name: String,
    /// Land for public holidays: code (`NW`) or name.
    pub land: Land,
    /// Lines of the letterhead printed on every document.
    #[serde(default)]
    pub letterhead: Vec<String>,
    /// Wahlperioden of its council, for the OParl export.
    #[serde(default)]
    pub legislative_terms: Vec<RawLegislativeTerm>,
}

/// A Wahlperiode: `{ name, start, end }`.
#[derive(Debug, Clone, Deserialize)]
pub struct RawLegislativeTerm {
    pub name: String,
    #[serde(default)]
    pub start: Option<Date>,
    #[serde(default)]
    pub end: Option<Date>,
}

/// A person who signs, is consulted or is notified.
#[derive(Debug, Clone, Deserialize)]
pub struct RawPerson {
    pub name: String,
    /// Funktion, e.g. "Landrat", "Amtsleitung 50".
    #[serde(default)]
    pub function: Option<String>,
    pub email: String,
    #[serde(default)]
    pub organisation: Option<String>,
    /// How letters address the person, e.g. „Sehr geehrte Frau Landwehr“; default: „Guten Tag
    /// Vorname Name“.
    #[serde(default)]
    pub salutation: Option<String>,
    /// A shared mailbox (Sitzungsdienst, Geschäftsstelle), no person: letters say „Guten Tag,“.
    /// Default: true for whoever is named as a body's `office`, false for everyone else.
    #[serde(default)]
    pub shared_mailbox: Option<bool>,
    /// Consent to publication: only people with `publish: true` appear in the OParl export.
    #[serde(default)]
    pub publish: Option<bool>,
    /// Vertretung: who signs for the person, and when (`deputies: [{ person, from, until }]`).
    #[serde(default)]
    pub deputies: Vec<RawDeputy>,
}

/// One Vertretung of a person: `person` signs „i. V.“ from `from` to `until` (both included).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeputy {
    pub person: String,
    pub from: Date,
    pub until: Date,
}

/// Kind of a body (Gremium).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawBodyKind {
    Ausschuss,
    Rat,
    Dienstversammlung,
    Fraktion,
    Verwaltung,
}

/// A Gremium: committee, council, mayors' meeting, Fraktion.
#[derive(Debug, Clone, Deserialize)]
pub struct RawBody {
    pub name: String,
    #[serde(default)]
    pub short: Option<String>,
    pub kind: RawBodyKind,
    #[serde(default)]
    pub organisation: Option<String>,
    /// People ids of the members.
    #[serde(default)]
    pub members: Vec<String>,
    /// People ids who sign for the body (Fraktionsvorsitz); default: nobody.
    #[serde(default)]
    pub signatories: Vec<String>,
    /// People ids of the body's office (Sitzungsdienst / Geschäftsstelle).
    #[serde(default)]
    pub office: Vec<String>,
    /// The meeting calendar.
    #[serde(default)]
    pub meetings: Vec<Date>,
    /// Deadline rules of the body, e.g. `vorlage` (Redaktionsschluss) and `antrag` (Antragsfrist).
    #[serde(default)]
    pub deadlines: BTreeMap<String, RawBodyDeadline>,
    /// Ladungsfrist of this body (days before a meeting its members are invited); default:
    /// the project's.
    #[serde(default)]
    pub ladungsfrist: Option<RawBodyDeadline>,
    /// The fixed items of the body's agendas; default: opening and closing items every
    /// council knows.
    #[serde(default)]
    pub agenda: Option<RawAgenda>,
}

/// The fixed items of a body's agenda (Tagesordnung).
#[derive(Debug, Clone, Deserialize)]
pub struct RawAgenda {
    /// Items that open the public part („Eröffnung …“, „Genehmigung der Niederschrift“).
    #[serde(default)]
    pub opening: Option<Vec<String>>,
    /// Items that close the public and the non-public part („Mitteilungen und Anfragen“).
    #[serde(default)]
    pub closing: Option<Vec<String>>,
}

/// A deadline rule of a body, counted back from its meeting.
#[derive(Debug, Clone, Deserialize)]
pub struct RawBodyDeadline {
    pub days: u32,
    #[serde(default)]
    pub unit: Option<DayUnit>,
    #[serde(default)]
    pub roll: Option<Roll>,
}

impl RawBodyDeadline {
    /// The rule, counted back from a meeting (calendar days and rolling earlier by default).
    pub fn before_meeting(&self) -> crate::calendar::DeadlineRule {
        crate::calendar::DeadlineRule {
            days: self.days,
            unit: self.unit.unwrap_or(DayUnit::Calendar),
            direction: crate::calendar::Direction::Before,
            roll: self.roll.unwrap_or(Roll::Earlier),
        }
    }
}

/// `workflows/<id>.yaml`: a resolution path.
#[derive(Debug, Clone, Deserialize)]
pub struct RawWorkflow {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Organisation id; default: the paper's or the settings'.
    #[serde(default)]
    pub organisation: Option<String>,
    pub stages: Vec<RawStage>,
}

/// One stage of a workflow: either signatures (`sign`) or a consultation (`consult`).
#[derive(Debug, Clone, Deserialize)]
pub struct RawStage {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub sign: Option<RawSign>,
    #[serde(default)]
    pub consult: Option<RawConsult>,
    /// Run this stage only when the named paper field is set and not false/empty.
    #[serde(default)]
    pub when: Option<String>,
    /// Where the paper goes next; default the following stage; `end` finishes.
    #[serde(default)]
    pub next: Option<String>,
    /// Where a returned paper goes.
    #[serde(default)]
    pub on_return: Option<String>,
    #[serde(default)]
    pub due: Option<RawDue>,
    #[serde(default)]
    pub remind: Vec<RawRemind>,
    #[serde(default)]
    pub escalate: Option<RawEscalate>,
}

/// Who must sign: `all`, `any`, or a quorum `n` of `of`.
#[derive(Debug, Clone, Deserialize)]
pub struct RawSign {
    #[serde(default)]
    pub all: Option<Vec<String>>,
    #[serde(default)]
    pub any: Option<Vec<String>>,
    #[serde(default)]
    pub n: Option<u32>,
    #[serde(default)]
    pub of: Option<Vec<String>>,
    /// Role printed in signature tables (Auftraggeber, Auftragnehmer, Mitzeichnung …).
    #[serde(default)]
    pub role: Option<String>,
}

/// The consultation of a body.
#[derive(Debug, Clone, Deserialize)]
pub struct RawConsult {
    /// Body id, or `paper.body` for the body a motion is addressed to.
    pub body: String,
    /// Zuständigkeit: a built-in role (Vorberatung, Beratung, Entscheidung, Kenntnisnahme,
    /// Anhörung, Behandlung) or one of the project's `roles:`.
    pub role: String,
    /// Öffentlich (true) or nichtöffentlich (false) in this body; default: the paper's `public`.
    #[serde(default)]
    pub public: Option<bool>,
}

/// A stage's deadline.
#[derive(Debug, Clone, Deserialize)]
pub struct RawDue {
    /// Counted back from the meeting of this (consultation) stage.
    #[serde(default)]
    pub before: Option<String>,
    /// Counted forward from the day this stage was entered: `entered`.
    #[serde(default)]
    pub after: Option<String>,
    /// Use the deadline rule of the consulted body, e.g. `vorlage` or `antrag`.
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub days: Option<u32>,
    #[serde(default)]
    pub unit: Option<DayUnit>,
    #[serde(default)]
    pub roll: Option<Roll>,
}

/// A reminder some days before the deadline.
#[derive(Debug, Clone, Deserialize)]
pub struct RawRemind {
    pub before_due: u32,
}

/// An escalation some days after the deadline.
#[derive(Debug, Clone, Deserialize)]
pub struct RawEscalate {
    pub after_due: u32,
    pub notify: Vec<String>,
}

/// `papers/<id>.yaml`: one Drucksache.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RawPaper {
    /// Vorlagenart: Beschlussvorlage, Mitteilungsvorlage, Projektauftrag, Ergänzungsantrag, …
    pub kind: String,
    pub workflow: String,
    /// Drucksachen-Nummer, e.g. "042/21".
    #[serde(default)]
    pub reference: Option<String>,
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    /// Federführung.
    #[serde(default)]
    pub lead_office: Option<String>,
    /// Dezernat (printed apart from the Dienststelle).
    #[serde(default)]
    pub department: Option<String>,
    /// Dienststelle / Amt.
    #[serde(default)]
    pub office_unit: Option<String>,
    /// Sachbearbeitung: a person id.
    #[serde(default)]
    pub author: Option<String>,
    /// Aktenzeichen.
    #[serde(default)]
    pub file_number: Option<String>,
    /// Öffentlicher Sitzungsteil (default true).
    #[serde(default)]
    pub public: Option<bool>,
    /// Meetings by consultation stage id: a date (`ausschuss: 2027-01-21`) or a date with
    /// the part of the meeting (`ausschuss: { date: 2027-01-21, public: false }`).
    #[serde(default)]
    pub meetings: BTreeMap<String, RawMeeting>,
    /// Kurzfassung (Markdown).
    #[serde(default)]
    pub summary: Option<String>,
    /// Vorbemerkungen (Markdown).
    #[serde(default)]
    pub preliminary: Option<String>,
    /// Sachverhalt / Erläuterungen (Markdown).
    #[serde(default)]
    pub facts: Option<String>,
    /// Beschlussvorschlag: a list of points, or intro, numbering style and points.
    #[serde(default)]
    pub proposal: RawProposal,
    /// The proposal points were reconstructed (not in the source documents).
    #[serde(default)]
    pub proposal_reconstructed: bool,
    #[serde(default)]
    pub financing: Option<String>,
    /// Costs in EUR, if any.
    #[serde(default)]
    pub costs: Option<f64>,
    /// The period the costs recur in („Jahr“ prints „33.000 €/Jahr“); none for a one-off sum.
    #[serde(default)]
    pub costs_period: Option<String>,
    /// Finanzielle Auswirkungen as data (the box of a Beschlussvorlage).
    #[serde(default)]
    pub finances: Option<crate::model::Finances>,
    /// Anlagen: titles, or `{title, file}` with a file under the project.
    #[serde(default)]
    pub attachments: Vec<RawAttachment>,
    /// Closing sentence ("Um Kenntnisnahme wird gebeten.").
    #[serde(default)]
    pub closing: Option<String>,
    /// Projektauftrag content.
    #[serde(default)]
    pub project: Option<RawProject>,
    /// Amendments: the paper id of the base Drucksache.
    #[serde(default)]
    pub amends: Option<String>,
    /// Stellungnahme: the paper id of the motion it answers.
    #[serde(default)]
    pub answers: Option<String>,
    /// Amendments: the Fraktion (body id) filing it.
    #[serde(default)]
    pub by: Option<String>,
    /// Amendments: the body the motion is addressed to (for `paper.body` in workflows), or
    /// several bodies in the order they deliberate.
    #[serde(default)]
    pub body: Option<RawBodies>,
    /// Salutation line of a motion ("Sehr geehrter Herr Landrat …").
    #[serde(default)]
    pub addressee: Option<String>,
    #[serde(default)]
    pub changes: Vec<RawChange>,
    /// Stellungnahme: the recommendation per Ziffer of the answered motion.
    #[serde(default)]
    pub recommendations: Vec<RawRecommendation>,
    /// Motions: the members of the Fraktion who sign it (person ids); default: the Fraktion's
    /// signatories.
    #[serde(default)]
    pub signers: Vec<String>,
    /// Begründung (Markdown).
    #[serde(default)]
    pub reasons: Option<String>,
    /// Anfrage: the numbered questions.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Free fields used by `when:` conditions of workflows.
    #[serde(default)]
    pub fields: BTreeMap<String, serde_yaml::Value>,
}

/// One recommendation of a Stellungnahme: `{ziffer: 1, recommend: verweisen, to: ausschuss,
/// reasons: …}`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RawRecommendation {
    pub ziffer: u32,
    pub recommend: crate::model::Recommend,
    /// The body to refer to, for `verweisen`.
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub reasons: Option<String>,
}

/// A paper's meeting at one consultation: its date, and whether the paper is dealt with in
/// the public part there (default: the paper's `public`). Written as a plain date or as
/// `{ date, public }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMeeting {
    pub date: Option<Date>,
    pub public: Option<bool>,
}

impl From<Date> for RawMeeting {
    fn from(date: Date) -> Self {
        RawMeeting {
            date: Some(date),
            public: None,
        }
    }
}

impl<'de> Deserialize<'de> for RawMeeting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawMeeting;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("ein Datum (JJJJ-MM-TT) oder { date: JJJJ-MM-TT, public: false }")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawMeeting, E> {
                let date = text.parse::<Date>().map_err(E::custom)?;
                Ok(RawMeeting {
                    date: Some(date),
                    public: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawMeeting, A::Error> {
                let mut meeting = RawMeeting {
                    date: None,
                    public: None,
                };
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "date" => meeting.date = Some(map.next_value()?),
                        "public" => meeting.public = Some(map.next_value()?),
                        other => {
                            return Err(serde::de::Error::unknown_field(
                                other,
                                &["date", "public"],
                            ));
                        }
                    }
                }
                Ok(meeting)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl serde::Serialize for RawMeeting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match (self.date, self.public) {
            (Some(date), None) => date.serialize(serializer),
            _ => {
                let mut map = serializer.serialize_map(None)?;
                if let Some(date) = self.date {
                    map.serialize_entry("date", &date)?;
                }
                if let Some(public) = self.public {
                    map.serialize_entry("public", &public)?;
                }
                map.end()
            }
        }
    }
}

/// Projektauftrag: goal, tasks, result, period, project group.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RawProject {
    #[serde(default)]
    pub goals: Option<String>,
    #[serde(default)]
    pub tasks: Option<String>,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub group: Vec<String>,
}

/// One change of an amendment to the base paper's numbered proposal points.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct RawChange {
    /// Replace point N (or sub-point `N.x`) with `text`.
    #[serde(default)]
    pub replace: Option<RawTarget>,
    /// Insert `text` as new point N (or sub-point `N.x`; the old one and following move down).
    #[serde(default)]
    pub insert: Option<RawTarget>,
    /// Delete point N (or sub-point `N.x`).
    #[serde(default)]
    pub delete: Option<RawTarget>,
    /// Append this text as a new last point.
    #[serde(default)]
    pub append: Option<String>,
    /// Change Anlage N of the base paper as `text` says.
    #[serde(default)]
    pub attachment: Option<u32>,
    /// An independent further request (not a point of the base proposal).
    #[serde(default)]
    pub request: Option<String>,
    /// The new text for `replace`, `insert` and `attachment`.
    #[serde(default)]
    pub text: Option<String>,
    /// Sub-points of the Ziffer (a), b), …): texts or `{text, points}` as in `proposal:`.
    /// Empty lists are pruned from the content hash, so older motions hash as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<proposal::RawPoint>,
}
