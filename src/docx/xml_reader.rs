//! Reads a part's events and says which elements are WordprocessingML ones.
//!
//! Checking a part needs to know whether a `tc` is `w:tc`. Full namespace resolution
//! (quick-xml's `NsReader`) reads every element's attributes for declarations, which is most of
//! the cost of checking a rendered document. Word declares all namespaces on the root element,
//! and a rendered part's tags all come from the checked template, so for those the prefixes are
//! taken from the root once and elements are named by prefix.

use quick_xml::events::Event;
use quick_xml::name::{QName, ResolveResult};
use quick_xml::reader::{NsReader, Reader};

/// The WordprocessingML main namespace (transitional and strict).
pub(crate) const W_NAMESPACES: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// The namespace of drawings in WordprocessingML (`wp:docPr`).
pub(crate) const WP_NAMESPACES: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
];

/// The namespaces the checks care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    W,
    Wp,
    Other,
}

/// Names a resolved namespace.
pub(crate) fn namespace_of(ns: &ResolveResult<'_>) -> Ns {
    match ns {
        ResolveResult::Bound(n) if W_NAMESPACES.contains(&n.as_ref()) => Ns::W,
        ResolveResult::Bound(n) if WP_NAMESPACES.contains(&n.as_ref()) => Ns::Wp,
        _ => Ns::Other,
    }
}

/// A reader of one part that names each element's namespace.
pub(crate) enum PartReader<'a> {
    Resolving(NsReader<&'a [u8]>),
    Prefixed {
        reader: Reader<&'a [u8]>,
        w: Vec<u8>,
        wp: Option<Vec<u8>>,
    },
}

impl<'a> PartReader<'a> {
    /// Resolves every namespace declaration.
    pub(crate) fn resolving(text: &'a str) -> PartReader<'a> {
        let mut reader = NsReader::from_str(text);
        reader.config_mut().check_end_names = true;
        PartReader::Resolving(reader)
    }

    /// Uses the prefixes declared on the root element; resolves fully when the root does not
    /// declare the main namespace.
    pub(crate) fn prefixed(text: &'a str) -> PartReader<'a> {
        let Some((w, wp)) = root_prefixes(text) else {
            return PartReader::resolving(text);
        };
        let mut reader = Reader::from_str(text);
        reader.config_mut().check_end_names = true;
        PartReader::Prefixed { reader, w, wp }
    }

    /// The next event and the namespace of its element (`Other` for non-elements).
    pub(crate) fn next(&mut self) -> Result<(Ns, Event<'a>), quick_xml::Error> {
        match self {
            PartReader::Resolving(reader) => {
                let (ns, event) = reader.read_resolved_event()?;
                Ok((namespace_of(&ns), event))
            }
            PartReader::Prefixed { reader, w, wp } => {
                let event = reader.read_event()?;
                let name = match &event {
                    Event::Start(e) | Event::Empty(e) => Some(e.name()),
                    Event::End(e) => Some(e.name()),
                    _ => None,
                };
                let ns = name.map_or(Ns::Other, |name| classify(name, w, wp.as_deref()));
                Ok((ns, event))
            }
        }
    }

    /// Byte offset of the reader.
    pub(crate) fn position(&self) -> usize {
        let position = match self {
            PartReader::Resolving(reader) => reader.buffer_position(),
            PartReader::Prefixed { reader, .. } => reader.buffer_position(),
        };
        usize::try_from(position).unwrap_or(usize::MAX)
    }

    /// Byte offset of the last error.
    pub(crate) fn error_position(&self) -> u64 {
        match self {
            PartReader::Resolving(reader) => reader.error_position(),
            PartReader::Prefixed { reader, .. } => reader.error_position(),
        }
    }
}

fn classify(name: QName<'_>, w: &[u8], wp: Option<&[u8]>) -> Ns {
    let prefix = name.prefix().map_or(&[][..], |p| p.into_inner());
    if prefix == w {
        Ns::W
    } else if wp == Some(prefix) {
        Ns::Wp
    } else {
        Ns::Other
    }
}

/// The prefixes of the main and drawing namespaces declared on the root element.
fn root_prefixes(text: &str) -> Option<(Vec<u8>, Option<Vec<u8>>)> {
    let mut reader = Reader::from_str(text);
    let root = loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => break e,
            Event::Eof => return None,
            _ => {}
        }
    };
    let mut w = None;
    let mut wp = None;
    for attribute in root.attributes().flatten() {
        let key = attribute.key.as_ref();
        let prefix = match key.strip_prefix(b"xmlns") {
            Some(b"") => Vec::new(),
            Some(rest) => match rest.strip_prefix(b":") {
                Some(prefix) => prefix.to_vec(),
                None => continue,
            },
            None => continue,
        };
        if W_NAMESPACES.contains(&attribute.value.as_ref()) {
            w = Some(prefix);
        } else if WP_NAMESPACES.contains(&attribute.value.as_ref()) {
            wp = Some(prefix);
        }
    }
    Some((w?, wp))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><w:tc/><wp:docPr/><x:tc xmlns:x=\"y\"/></w:document>";

    fn kinds(mut reader: PartReader<'_>) -> Vec<Ns> {
        let mut out = Vec::new();
        loop {
            match reader.next().unwrap() {
                (_, Event::Eof) => return out,
                (ns, Event::Empty(_)) => out.push(ns),
                _ => {}
            }
        }
    }

    #[test]
    fn prefixed_and_resolving_readers_agree() {
        let expected = [Ns::W, Ns::Wp, Ns::Other];
        assert_eq!(kinds(PartReader::resolving(DOC)), expected);
        assert_eq!(kinds(PartReader::prefixed(DOC)), expected);
        assert!(matches!(
            PartReader::prefixed("<a/>"),
            PartReader::Resolving(_)
        ));
    }
}
