//! The point of the base proposal a motion's Ziffer addresses (`replace:`, `insert:`,
//! `delete:`): a top-level point (`replace: 2`) or a sub-point of it (`replace: 2.b`,
//! `replace: 2.2`).
//!
//! YAML reads `2` as an integer, `2.b` as a string and `2.2` as a floating point number; all
//! three are accepted and told apart by hand (no `#[serde(untagged)]`, which would blur
//! errors). Serialised, a top-level point stays the plain integer it always was, so the
//! content hash of every existing motion is unchanged. What a string or number means is
//! decided when the motion is checked against its base paper ([`RawTarget::parse`]).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// `replace:`, `insert:` or `delete:` as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawTarget {
    /// `2`: a top-level point.
    Point(u32),
    /// `2.b` (or a quoted `"2.2"`): a sub-point, as text.
    Text(String),
    /// `2.2` unquoted, read by YAML as a number.
    Number(f64),
}

/// A target as understood: the point and, for a sub-point, its place among the point's
/// sub-points (both 1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub point: usize,
    pub sub: Option<usize>,
}

impl RawTarget {
    /// What the target means, or `None` when it is neither `N`, `N.x` (x a letter a–z) nor
    /// `N.M`. A number as YAML read it is taken in its shortest form (`2.2`); whether that is
    /// what the file says is checked against the file's text ([`RawTarget::written_as`]).
    pub fn parse(&self) -> Option<Target> {
        match self {
            RawTarget::Point(n) => Some(Target {
                point: *n as usize,
                sub: None,
            }),
            RawTarget::Text(text) => parse_text(text.trim()),
            // Read as a number, a target is a sub-point: `2.0` is no way to write point 2.
            RawTarget::Number(value) => Some(format!("{value}"))
                .filter(|text| text.contains('.'))
                .and_then(|text| parse_text(&text)),
        }
    }

    /// For a target YAML read as a number: whether `written` (its text in the file) is the
    /// number's shortest form. `2.10` is read as 2.1 and would silently mean sub-point 1.
    pub fn written_as(&self, written: &str) -> bool {
        match self {
            RawTarget::Number(value) => format!("{value}") == written.trim(),
            _ => true,
        }
    }
}

fn parse_text(text: &str) -> Option<Target> {
    let number = |s: &str| -> Option<usize> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 6 {
            return None;
        }
        s.parse().ok()
    };
    let Some((point, sub)) = text.split_once('.') else {
        return number(text).map(|point| Target { point, sub: None });
    };
    let point = number(point)?;
    let sub = match sub.as_bytes() {
        [letter @ b'a'..=b'z'] => usize::from(letter - b'a') + 1,
        _ => number(sub)?,
    };
    Some(Target {
        point,
        sub: Some(sub),
    })
}

impl From<u32> for RawTarget {
    fn from(point: u32) -> Self {
        RawTarget::Point(point)
    }
}

impl<'de> Deserialize<'de> for RawTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TargetVisitor;
        impl<'de> Visitor<'de> for TargetVisitor {
            type Value = RawTarget;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("die Nummer eines Punktes (2) oder Unterpunktes (2.b)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                u32::try_from(v)
                    .map(RawTarget::Point)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                u32::try_from(v)
                    .map(RawTarget::Point)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawTarget::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTarget::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawTarget::Text(v))
            }
        }
        deserializer.deserialize_any(TargetVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(yaml: &str) -> Option<Target> {
        serde_yaml::from_str::<RawTarget>(yaml).ok()?.parse()
    }

    #[test]
    fn points_sub_points_by_letter_and_by_number() {
        let at = |point, sub| Some(Target { point, sub });
        assert_eq!(target("2"), at(2, None));
        assert_eq!(target("2.b"), at(2, Some(2)));
        assert_eq!(target("2.2"), at(2, Some(2)));
        assert_eq!(target("\"2.10\""), at(2, Some(10)));
        assert_eq!(target("12.z"), at(12, Some(26)));
        for wrong in ["zwei", "2.b.c", "2.", "2.B", "2.ab", ".b", "-1", "\"\""] {
            assert_eq!(target(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn a_point_serialises_as_the_integer_it_always_was() {
        let point: RawTarget = serde_yaml::from_str("3").unwrap();
        assert_eq!(serde_json::to_string(&point).unwrap(), "3");
        let sub: RawTarget = serde_yaml::from_str("3.b").unwrap();
        assert_eq!(serde_json::to_string(&sub).unwrap(), "\"3.b\"");
    }

    #[test]
    fn a_number_must_be_written_in_its_shortest_form() {
        let ten: RawTarget = serde_yaml::from_str("2.10").unwrap();
        assert!(!ten.written_as("2.10"));
        let two: RawTarget = serde_yaml::from_str("2.2").unwrap();
        assert!(two.written_as("2.2"));
    }
}
