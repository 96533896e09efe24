//! `body:` of a paper as written: the body a motion is addressed to (`body: kreistag`), or its
//! Beratungsfolge over several bodies in order (`body: [kreisausschuss, kreistag]`).
//!
//! Told apart by hand like `proposal:` (no `#[serde(untagged)]`, which would blur errors).
//! Serialised, a single body stays a plain string, so the content hash of every paper that
//! names one body is what it always was.

use std::fmt;

use serde::de::value::SeqAccessDeserializer;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// `body:` as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RawBodies {
    One(String),
    /// In the order they deliberate; the last one is the body the motion is addressed to.
    Many(Vec<String>),
}

impl RawBodies {
    /// The bodies in order.
    pub fn list(&self) -> Vec<String> {
        match self {
            RawBodies::One(id) => vec![id.clone()],
            RawBodies::Many(ids) => ids.clone(),
        }
    }

    /// The last body named: the one the paper is addressed to in the workflow's own role.
    pub fn last(&self) -> Option<&str> {
        match self {
            RawBodies::One(id) => Some(id),
            RawBodies::Many(ids) => ids.last().map(String::as_str),
        }
    }
}

impl From<&str> for RawBodies {
    fn from(id: &str) -> Self {
        RawBodies::One(id.to_string())
    }
}

impl<'de> Deserialize<'de> for RawBodies {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BodiesVisitor;
        impl<'de> Visitor<'de> for BodiesVisitor {
            type Value = RawBodies;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "die Kennung eines Gremiums oder eine Liste von Gremien in ihrer Reihenfolge",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawBodies::One(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawBodies::One(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<String>::deserialize(SeqAccessDeserializer::new(seq)).map(RawBodies::Many)
            }
        }
        deserializer.deserialize_any(BodiesVisitor)
    }
}
