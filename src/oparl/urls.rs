//! Ids of the export: every object's URL is the base URL plus a relative path ending in
//! `.json`, and that relative path is also the object's file under `out/oparl/`. So the tree
//! can be served as-is by any static web server (the extension gives it `application/json`),
//! and the web service can later answer the same paths from the same objects.
//!
//! Path segments made from ids of the project keep ASCII letters, digits and `-`; every other
//! character becomes `_` and its UTF-8 bytes in hex (`_` itself too), so two different ids
//! never share a file and no segment needs percent-encoding.

use chrono::NaiveDate;

/// Maps the project's ids to relative paths and URLs.
#[derive(Clone, Debug)]
pub struct Urls {
    /// Absolute, ending in `/`.
    base: String,
}

/// The name of a list of a Body (`paper`, `person`, …) as OParl names the Body's property.
pub const LISTS: [&str; 9] = [
    "organization",
    "person",
    "meeting",
    "paper",
    "membership",
    "agendaItem",
    "consultation",
    "file",
    "legislativeTermList",
];

impl Urls {
    /// `base` must be absolute and end in `/` (see [`super::OparlSettings`]).
    pub fn new(base: &str) -> Self {
        Urls {
            base: base.to_string(),
        }
    }

    /// The absolute URL of a relative path.
    pub fn url(&self, rel: &str) -> String {
        format!("{}{rel}", self.base)
    }

    /// The relative path of one of our URLs; `None` for any other URL.
    pub fn rel<'a>(&self, url: &'a str) -> Option<&'a str> {
        url.strip_prefix(self.base.as_str())
    }

    pub fn system(&self) -> String {
        self.url("system.json")
    }

    /// The list of all Bodies (`System.body`), page `page` (1-based).
    pub fn bodies(&self, page: usize) -> String {
        self.url(&paged("bodies", page))
    }

    pub fn body(&self, org: &str) -> String {
        self.url(&format!("body/{}.json", segment(org)))
    }

    /// A list of a Body, page `page` (1-based): `body/<org>/paper.json`, `…/paper-2.json`.
    pub fn list(&self, org: &str, list: &str, page: usize) -> String {
        self.url(&paged(&format!("body/{}/{list}", segment(org)), page))
    }

    pub fn organization(&self, body: &str) -> String {
        self.url(&format!("organization/{}.json", segment(body)))
    }

    pub fn person(&self, person: &str) -> String {
        self.url(&format!("person/{}.json", segment(person)))
    }

    pub fn membership(&self, person: &str, body: &str, role: &str) -> String {
        self.url(&format!(
            "membership/{}/{}-{role}.json",
            segment(person),
            segment(body)
        ))
    }

    pub fn legislative_term(&self, org: &str, number: usize) -> String {
        self.url(&format!("legislativeterm/{}/{number}.json", segment(org)))
    }

    pub fn paper(&self, paper: &str) -> String {
        self.url(&format!("paper/{}.json", segment(paper)))
    }

    pub fn consultation(&self, paper: &str, stage: &str) -> String {
        self.url(&format!(
            "consultation/{}/{}.json",
            segment(paper),
            segment(stage)
        ))
    }

    pub fn meeting(&self, body: &str, date: NaiveDate) -> String {
        self.url(&format!("meeting/{}/{date}.json", segment(body)))
    }

    pub fn agenda_item(&self, body: &str, date: NaiveDate, order: usize) -> String {
        self.url(&format!("agendaitem/{}/{date}/{order}.json", segment(body)))
    }

    /// The File object of a document; `owner` is a paper id or a body id (agendas).
    pub fn file(&self, owner: &str, stem: &str) -> String {
        self.url(&format!("file/{}/{}.json", segment(owner), segment(stem)))
    }

    /// Where the document itself is served: `files/<owner>/<file name>`.
    pub fn file_content_rel(&self, owner: &str, file_name: &str) -> String {
        format!("files/{}/{}", segment(owner), segment_file(file_name))
    }
}

/// `name.json` for the first page, `name-2.json` for the second.
fn paged(name: &str, page: usize) -> String {
    if page <= 1 {
        format!("{name}.json")
    } else {
        format!("{name}-{page}.json")
    }
}

/// A path segment from an id: ASCII letters, digits and `-` as they are, everything else as
/// `_` plus the hex of its UTF-8 bytes.
pub fn segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            out.push('_');
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("{byte:02x}"));
            }
        }
    }
    if out.is_empty() { "_".to_string() } else { out }
}

/// A file name as a path segment: as it is when it has only ASCII letters, digits, `.`, `_`
/// and `-` (every document ratsflow writes), else like [`segment`].
fn segment_file(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if !name.is_empty() && !name.starts_with('.') && name.chars().all(plain) {
        name.to_string()
    } else {
        segment(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_url_safe_and_distinct() {
        assert_eq!(segment("2021-042-1"), "2021-042-1");
        assert_eq!(segment("a b"), "a_20b");
        assert_eq!(segment("a_b"), "a_5fb");
        assert_eq!(segment("ö/ä"), "_c3b6_2f_c3a4");
        assert_eq!(
            segment_file("Beschlussvorlage_042-21.pdf"),
            "Beschlussvorlage_042-21.pdf"
        );
        assert_eq!(segment_file("../x"), "_2e_2e_2fx");
    }

    #[test]
    fn ids_are_paths_below_the_base() {
        let urls = Urls::new("https://ris.example/oparl/");
        let date = NaiveDate::from_ymd_opt(2021, 3, 23).unwrap();
        assert_eq!(
            urls.meeting("kreistag-unna", date),
            "https://ris.example/oparl/meeting/kreistag-unna/2021-03-23.json"
        );
        assert_eq!(
            urls.list("kreis-unna", "paper", 2),
            "https://ris.example/oparl/body/kreis-unna/paper-2.json"
        );
        assert_eq!(urls.rel(&urls.system()), Some("system.json"));
        assert_eq!(urls.rel("https://other.example/system.json"), None);
    }
}
