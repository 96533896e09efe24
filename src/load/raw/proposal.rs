//! The YAML shape of a Beschlussvorschlag: either the plain list of points every paper had
//! (`proposal: [Text, …]`), or a mapping with an intro sentence, a numbering style and points,
//! each point a text or `{text: …, points: […]}`.
//!
//! Both shapes are told apart by hand (no `#[serde(untagged)]`): an untagged enum would hide
//! unknown keys from the decoder and turn every wrong shape into one vague error. Serialised,
//! a plain list stays a plain list, so the content hash of an old paper does not change.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::{NumberStyle, Point};

/// `proposal:` as written.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RawProposal {
    /// `proposal: [Text, …]`.
    List(Vec<RawPoint>),
    /// `proposal: { intro: …, style: …, points: […] }`.
    Form(RawProposalForm),
}

impl Default for RawProposal {
    fn default() -> Self {
        RawProposal::List(Vec::new())
    }
}

/// The mapping form of a proposal.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RawProposalForm {
    /// „Der Gemeinderat beschließt nach Vorberatung im Sozialausschuss:“.
    #[serde(default)]
    pub intro: Option<String>,
    /// `1.`, `a)`, `aa)` or `i.`; default: the kind's, else `1.`.
    #[serde(default)]
    pub style: Option<NumberStyle>,
    #[serde(default)]
    pub points: Vec<RawPoint>,
}

/// One point: a text, or a text with sub-points.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RawPoint {
    Text(String),
    Form(RawPointForm),
}

/// A point with sub-points.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RawPointForm {
    pub text: String,
    #[serde(default)]
    pub points: Vec<RawPoint>,
}

impl RawProposal {
    /// The points as written.
    pub fn points(&self) -> &[RawPoint] {
        match self {
            RawProposal::List(points) => points,
            RawProposal::Form(form) => &form.points,
        }
    }

    /// Number of top-level points (what motions and decisions address).
    pub fn len(&self) -> usize {
        self.points().len()
    }

    /// Whether the proposal has no points.
    pub fn is_empty(&self) -> bool {
        self.points().is_empty()
    }

    pub fn intro(&self) -> Option<&str> {
        match self {
            RawProposal::List(_) => None,
            RawProposal::Form(form) => form.intro.as_deref(),
        }
    }

    pub fn style(&self) -> Option<NumberStyle> {
        match self {
            RawProposal::List(_) => None,
            RawProposal::Form(form) => form.style,
        }
    }

    /// The points as the model holds them.
    pub fn to_points(&self) -> Vec<Point> {
        self.points().iter().map(RawPoint::to_point).collect()
    }
}

impl RawPoint {
    pub fn text(&self) -> &str {
        match self {
            RawPoint::Text(text) => text,
            RawPoint::Form(form) => &form.text,
        }
    }

    /// Number of its sub-points.
    pub fn sub_points(&self) -> usize {
        match self {
            RawPoint::Text(_) => 0,
            RawPoint::Form(form) => form.points.len(),
        }
    }

    pub fn to_point(&self) -> Point {
        match self {
            RawPoint::Text(text) => Point::plain(text.clone()),
            RawPoint::Form(form) => Point {
                text: form.text.clone(),
                points: form.points.iter().map(RawPoint::to_point).collect(),
            },
        }
    }
}

impl From<Vec<String>> for RawProposal {
    fn from(points: Vec<String>) -> Self {
        RawProposal::List(points.into_iter().map(RawPoint::Text).collect())
    }
}

impl FromIterator<String> for RawProposal {
    fn from_iter<I: IntoIterator<Item = String>>(points: I) -> Self {
        RawProposal::List(points.into_iter().map(RawPoint::Text).collect())
    }
}

impl<'de> Deserialize<'de> for RawProposal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ProposalVisitor;
        impl<'de> Visitor<'de> for ProposalVisitor {
            type Value = RawProposal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("eine Liste der Punkte oder eine Zuordnung mit „points:“")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<RawPoint>::deserialize(SeqAccessDeserializer::new(seq)).map(RawProposal::List)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawProposalForm::deserialize(MapAccessDeserializer::new(map)).map(RawProposal::Form)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawProposal::default())
            }
        }
        deserializer.deserialize_any(ProposalVisitor)
    }
}

impl<'de> Deserialize<'de> for RawPoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PointVisitor;
        impl<'de> Visitor<'de> for PointVisitor {
            type Value = RawPoint;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ein Text oder eine Zuordnung mit „text:“ und „points:“")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawPoint::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawPoint::Text(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawPointForm::deserialize(MapAccessDeserializer::new(map)).map(RawPoint::Form)
            }
        }
        deserializer.deserialize_any(PointVisitor)
    }
}
