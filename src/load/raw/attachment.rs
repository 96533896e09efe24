//! The YAML shape of an Anlage: a plain title as every paper had (`attachments: [Konzept.pdf]`),
//! or a title with a file under the project (`{title: Rahmenkonzept, file: anlagen/x.pdf}`).
//!
//! Told apart by hand like the proposal (no `#[serde(untagged)]`, which would hide unknown keys
//! from the decoder). Serialised, a plain title stays a plain string, so the content hash of an
//! old paper does not change.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::model::Attachment;

/// One entry of `attachments:` as written.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RawAttachment {
    Title(String),
    File(RawAttachmentFile),
}

/// An Anlage with a file.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct RawAttachmentFile {
    pub title: String,
    /// Path relative to the project root, e.g. `anlagen/rahmenkonzept.pdf`.
    pub file: String,
}

impl RawAttachment {
    /// The title as printed.
    pub fn title(&self) -> &str {
        match self {
            RawAttachment::Title(title) => title,
            RawAttachment::File(form) => &form.title,
        }
    }

    /// The named file, if any.
    pub fn file(&self) -> Option<&str> {
        match self {
            RawAttachment::Title(_) => None,
            RawAttachment::File(form) => Some(&form.file),
        }
    }

    /// The Anlage as the model holds it.
    pub fn to_attachment(&self) -> Attachment {
        Attachment {
            title: self.title().to_string(),
            file: self.file().map(str::to_string),
        }
    }
}

impl From<String> for RawAttachment {
    fn from(title: String) -> Self {
        RawAttachment::Title(title)
    }
}

impl<'de> Deserialize<'de> for RawAttachment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AttachmentVisitor;
        impl<'de> Visitor<'de> for AttachmentVisitor {
            type Value = RawAttachment;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("ein Titel oder eine Zuordnung mit „title:“ und „file:“")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawAttachment::Title(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawAttachment::Title(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawAttachmentFile::deserialize(MapAccessDeserializer::new(map))
                    .map(RawAttachment::File)
            }
        }
        deserializer.deserialize_any(AttachmentVisitor)
    }
}
