//! The decision file of `ratsflow decide --file`: a Niederschrift's results for one
//! consultation, per point of the proposal and per Ziffer of each motion, with votes.
//!
//! ```yaml
//! meeting: 2019-06-27          # optional: else --meeting, else the planned meeting
//! result: beschlossen          # optional: else derived from the points
//! votes: einstimmig            # optional: the vote on the paper as a whole
//! points:
//!   1: beschlossen
//!   2: { result: geändert beschlossen, text: "…", votes: "20:5:2" }
//!   3: { result: verwiesen, to: ausschuss }
//! motions:
//!   "042/19-1":                # reference or file name of a motion to the paper
//!     1: { result: abgelehnt, votes: "4:23:2" }
//!   "042/19-2": wie Stellungnahme   # each Ziffer as the administration recommends
//! ```
//!
//! Every mistake is a located diagnostic, like in every other input file.

use std::path::Path;

use serde_yaml::Value;

use super::decision_words::{
    as_recommended, parse_votes, recommended, result_message, votes_message,
};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::journal::{ItemDecision, Votes};
use crate::load::Project;
use crate::load::yaml::{Seg, YamlSource};
use crate::model::dates::Date;
use crate::model::{DecisionResult, Paper};

/// A decision file, checked against the paper and its motions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionFile {
    pub meeting: Option<Date>,
    pub result: Option<DecisionResult>,
    pub votes: Option<Votes>,
    /// Points first, then the Ziffern of each motion in file order.
    pub items: Vec<ItemDecision>,
}

const TOP_KEYS: [&str; 5] = ["meeting", "result", "votes", "points", "motions"];
const ITEM_KEYS: [&str; 4] = ["result", "text", "to", "votes"];

struct Reader<'a> {
    source: YamlSource,
    project: &'a Project,
    found: Vec<Diagnostic>,
}

pub(super) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Reader<'_> {
    fn error(&mut self, path: &[Seg], message: String, hint: Option<String>) {
        let mut d = self.source.error_at(path, message);
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.found.push(d);
    }

    fn key_error(&mut self, path: &[Seg], message: String, hint: Option<String>) {
        let mut d = match self.source.key_location(path) {
            Some((location, width)) => {
                Diagnostic::error(self.source.file().to_path_buf(), message).at(location, width)
            }
            None => self.source.error_at(path, message),
        };
        if let Some(hint) = hint {
            d = d.with_hint(hint);
        }
        self.found.push(d);
    }

    fn unknown_keys(&mut self, path: &[Seg], map: &serde_yaml::Mapping, allowed: &[&str]) {
        for key in map.keys() {
            let name = scalar(key).unwrap_or_default();
            if !allowed.contains(&name.as_str()) {
                let mut at = path.to_vec();
                at.push(Seg::key(name.clone()));
                let hint = did_you_mean(&name, allowed.iter().copied())
                    .map(|c| format!("meinten Sie „{c}“?"));
                self.key_error(
                    &at,
                    format!(
                        "unbekannter Schlüssel „{name}“; möglich sind: {}",
                        allowed.join(", ")
                    ),
                    hint,
                );
            }
        }
    }

    fn votes(&mut self, path: &[Seg], value: &Value) -> Option<Votes> {
        let text = scalar(value).unwrap_or_default();
        let votes = parse_votes(&text);
        if votes.is_none() {
            self.error(path, votes_message(&text), None);
        }
        votes
    }

    fn result(&mut self, path: &[Seg], value: &Value) -> Option<DecisionResult> {
        let word = scalar(value).unwrap_or_default();
        let result = DecisionResult::parse(&word);
        if result.is_none() {
            let (message, hint) = result_message(&word);
            self.error(path, message, hint);
        }
        result
    }

    /// One point or Ziffer: `1: beschlossen` or `1: { result: …, text: …, to: …, votes: … }`.
    fn item(
        &mut self,
        path: Vec<Seg>,
        motion: Option<&str>,
        number: usize,
        value: &Value,
    ) -> Option<ItemDecision> {
        let (result_value, map) = match value {
            Value::Mapping(map) => {
                self.unknown_keys(&path, map, &ITEM_KEYS);
                let Some(result) = map.get("result") else {
                    self.error(&path, "hier fehlt „result:“ (das Ergebnis)".into(), None);
                    return None;
                };
                (result.clone(), Some(map))
            }
            other => (other.clone(), None),
        };
        let mut at = path.clone();
        if map.is_some() {
            at.push(Seg::key("result"));
        }
        let result = self.result(&at, &result_value)?;
        let get = |key: &str| map.and_then(|m| m.get(key)).and_then(scalar);
        let text = get("text").filter(|t| !t.trim().is_empty());
        if result == DecisionResult::GeaendertBeschlossen && text.is_none() {
            self.error(
                &at,
                "zu „geändert beschlossen“ fehlt der Text, wie ihn die Sitzung beschlossen hat (text: …)".into(),
                None,
            );
        }
        let to = get("to");
        if result == DecisionResult::Verwiesen && to.is_none() {
            self.error(
                &at,
                "zu „verwiesen“ fehlt das Gremium, an das verwiesen wurde (to: …)".into(),
                None,
            );
        }
        if let Some(body) = &to
            && self.project.directory.body(body).is_none()
        {
            let mut at = path.clone();
            at.push(Seg::key("to"));
            let hint = did_you_mean(
                body,
                self.project.directory.bodies.keys().map(String::as_str),
            )
            .map(|c| format!("meinten Sie „{c}“?"));
            self.error(&at, format!("unbekanntes Gremium „{body}“"), hint);
        }
        let votes = match map.and_then(|m| m.get("votes")) {
            Some(v) => {
                let mut at = path.clone();
                at.push(Seg::key("votes"));
                self.votes(&at, v)
            }
            None => None,
        };
        Some(ItemDecision {
            motion: motion.map(str::to_string),
            number,
            result,
            text,
            to,
            votes,
        })
    }

    /// The numbered entries under `path`; `count` is how many there are, `what` names them.
    fn numbered(
        &mut self,
        path: Vec<Seg>,
        value: &Value,
        motion: Option<&str>,
        count: usize,
        noun: &str,
        what: &dyn Fn(usize) -> String,
    ) -> Vec<ItemDecision> {
        let Value::Mapping(map) = value else {
            self.error(
                &path,
                "erwartet sind Nummern mit ihrem Ergebnis (1: beschlossen)".into(),
                None,
            );
            return Vec::new();
        };
        let mut items = Vec::new();
        for (key, value) in map {
            let name = scalar(key).unwrap_or_default();
            let mut at = path.clone();
            at.push(Seg::key(name.clone()));
            let number = name
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=count).contains(n));
            let Some(number) = number else {
                self.key_error(
                    &at,
                    format!("{noun} „{name}“ gibt es nicht: {}", what(count)),
                    None,
                );
                continue;
            };
            items.extend(self.item(at, motion, number, value));
        }
        items
    }
}

fn count_text(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// Reads and checks the decision file at `path` (`shown` as the user named it) for `paper`.
pub fn read(
    project: &Project,
    paper: &Paper,
    path: &Path,
    shown: &Path,
) -> Result<(DecisionFile, YamlSource), Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Diagnostic::error(
            shown,
            format!("die Beschlussdatei lässt sich nicht lesen: {e}"),
        )]
    })?;
    let source = YamlSource::parse(shown, &text).map_err(|d| vec![d])?;
    let value: Value = serde_yaml::from_str(crate::load::yaml::strip_bom(&text))
        .map_err(|e| vec![Diagnostic::error(shown, format!("kein gültiges YAML: {e}"))])?;
    let mut reader = Reader {
        source,
        project,
        found: Vec::new(),
    };
    let mut file = DecisionFile::default();
    let Value::Mapping(top) = &value else {
        reader.error(
            &[],
            "die Beschlussdatei ist leer oder keine Zuordnung (points: …)".into(),
            None,
        );
        return Err(reader.found);
    };
    reader.unknown_keys(&[], top, &TOP_KEYS);
    if let Some(v) = top.get("meeting") {
        let text = scalar(v).unwrap_or_default();
        match text.parse::<Date>() {
            Ok(date) => file.meeting = Some(date),
            Err(m) => reader.error(&[Seg::key("meeting")], m.to_string(), None),
        }
    }
    if let Some(v) = top.get("result") {
        file.result = reader.result(&[Seg::key("result")], v);
    }
    if let Some(v) = top.get("votes") {
        file.votes = reader.votes(&[Seg::key("votes")], v);
    }
    if let Some(v) = top.get("points") {
        let count = paper.proposal.len();
        let what = move |n: usize| {
            format!(
                "der Beschlussvorschlag hat {}",
                count_text(n, "Punkt", "Punkte")
            )
        };
        let items = reader.numbered(vec![Seg::key("points")], v, None, count, "Punkt", &what);
        file.items.extend(items);
    }
    if let Some(v) = top.get("motions") {
        file.items.extend(read_motions(&mut reader, paper, v));
    }
    if reader.found.is_empty() {
        Ok((file, reader.source))
    } else {
        Err(reader.found)
    }
}

fn read_motions(reader: &mut Reader<'_>, paper: &Paper, value: &Value) -> Vec<ItemDecision> {
    let Value::Mapping(map) = value else {
        reader.error(
            &[Seg::key("motions")],
            "erwartet sind Anträge mit ihren Ziffern („042/19-1“: { 1: abgelehnt })".into(),
            None,
        );
        return Vec::new();
    };
    let motions: Vec<&Paper> = reader.project.motions_of(&paper.id).collect();
    let mut items = Vec::new();
    for (key, value) in map {
        let name = scalar(key).unwrap_or_default();
        let at = vec![Seg::key("motions"), Seg::key(name.clone())];
        let Some(motion) = motions
            .iter()
            .find(|m| m.id == name || m.reference() == name)
        else {
            let names: Vec<&str> = motions.iter().map(|m| m.reference()).collect();
            let hint = did_you_mean(&name, names.iter().copied())
                .map(|c| format!("meinten Sie „{c}“?"))
                .or_else(|| {
                    (!names.is_empty()).then(|| {
                        format!("Anträge zu „{}“: {}", paper.reference(), names.join(", "))
                    })
                });
            reader.key_error(
                &at,
                format!("„{name}“ ist kein Antrag zu „{}“", paper.reference()),
                hint,
            );
            continue;
        };
        if as_recommended(value) {
            match recommended(reader.project, motion) {
                Ok(list) => {
                    for (index, recommendation) in list.into_iter().enumerate() {
                        let Some((result, to)) = recommendation else {
                            reader.error(
                                &at,
                                format!(
                                    "zu Ziffer {} des Antrags {} empfiehlt die Stellungnahme nichts (oder „teilweise“); bitte das Ergebnis dieser Ziffer angeben",
                                    index + 1,
                                    motion.reference()
                                ),
                                None,
                            );
                            continue;
                        };
                        items.push(ItemDecision {
                            motion: Some(motion.id.clone()),
                            number: index + 1,
                            result,
                            text: None,
                            to,
                            votes: None,
                        });
                    }
                }
                Err(message) => reader.error(&at, message, None),
            }
            continue;
        }
        let reference = motion.reference().to_string();
        let what = move |n: usize| {
            format!(
                "der Antrag {reference} hat {}",
                count_text(n, "Ziffer", "Ziffern")
            )
        };
        let found = reader.numbered(
            at,
            value,
            Some(&motion.id),
            motion.changes.len(),
            "Ziffer",
            &what,
        );
        items.extend(found);
    }
    items
}
