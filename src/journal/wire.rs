//! How a journal line is written: the flat layout of every version of ratsflow so far, field
//! for field and in the same order, whatever the layout of [`Held`] in memory. An entry is
//! converted to it to be written or compared and from it when read, so that splitting the
//! fields of an entry into groups changes not one byte on disk.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// The entry as the program holds it; `Entry` in this file is its line.
use super::Entry as Held;
use super::entry::boxed;
use super::{AmendmentVote, Consultation, Event, Extra, ItemDecision, Votes};
use crate::model::DecisionResult;
use crate::model::dates::Date;

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        Entry::from(self) == Entry::from(other)
    }
}

impl Serialize for Held {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Entry::from(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Held {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Entry::deserialize(deserializer).map(Held::from)
    }
}

/// An entry as written: the flat layout of every version so far. The field order is the order
/// on disk, and the skip rules leave out what a line does not carry; change neither, or lines
/// written before and after stop being alike. Borrowed from an entry to write it, owned when
/// read. Named `Entry` like the entry it stands for: serde puts the name into the message
/// about an unreadable line („expected struct Entry with 24 elements“), which users see.
#[derive(PartialEq, Serialize, Deserialize)]
struct Entry<'a> {
    time: DateTime<FixedOffset>,
    event: Event,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    who: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stage: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hash: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stage_hash: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    comment: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    result: Option<DecisionResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    meeting: Option<Date>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    amendments: Cow<'a, [AmendmentVote]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    votes: Option<Cow<'a, Votes>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    items: Cow<'a, [ItemDecision]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attempt: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permanent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    top: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supplement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    via: Option<Cow<'a, str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_behalf_of: Option<Cow<'a, str>>,
}

/// A borrowed text of an entry, to write.
fn lend(text: Option<&str>) -> Option<Cow<'_, str>> {
    text.map(Cow::Borrowed)
}

/// A text read, to keep inline.
fn keep(text: Option<Cow<'_, str>>) -> Option<Box<str>> {
    text.map(|text| text.into_owned().into_boxed_str())
}

/// A text read, to keep in a group.
fn own(text: Option<Cow<'_, str>>) -> Option<String> {
    text.map(Cow::into_owned)
}

impl<'a> From<&'a Held> for Entry<'a> {
    fn from(entry: &'a Held) -> Self {
        Entry {
            time: entry.time,
            event: entry.event,
            who: lend(entry.who.as_deref()),
            stage: lend(entry.stage.as_deref()),
            hash: lend(entry.hash.as_deref()),
            document: lend(entry.document.as_deref()),
            stage_hash: lend(entry.stage_hash.as_deref()),
            comment: lend(entry.comment()),
            body: lend(entry.body()),
            result: entry.result(),
            meeting: entry.meeting(),
            amendments: Cow::Borrowed(entry.amendments()),
            votes: entry.votes().map(Cow::Borrowed),
            to: lend(entry.to()),
            items: Cow::Borrowed(entry.items()),
            key: lend(entry.key.as_deref()),
            kind: lend(entry.kind.as_deref()),
            attempt: entry.attempt,
            permanent: entry.permanent(),
            due: entry.due,
            top: lend(entry.top()),
            supplement: entry.supplement(),
            via: lend(entry.via.as_deref()),
            on_behalf_of: lend(entry.on_behalf_of()),
        }
    }
}

impl From<Entry<'_>> for Held {
    fn from(line: Entry<'_>) -> Self {
        Held {
            time: line.time,
            event: line.event,
            who: keep(line.who),
            stage: keep(line.stage),
            hash: keep(line.hash),
            document: keep(line.document),
            stage_hash: keep(line.stage_hash),
            key: keep(line.key),
            kind: keep(line.kind),
            attempt: line.attempt,
            due: line.due,
            via: keep(line.via),
            consultation: boxed(Consultation {
                body: own(line.body),
                result: line.result,
                meeting: line.meeting,
                amendments: line.amendments.into_owned(),
                votes: line.votes.map(Cow::into_owned),
                to: own(line.to),
                items: line.items.into_owned(),
                top: own(line.top),
                supplement: line.supplement,
            }),
            extra: boxed(Extra {
                comment: own(line.comment),
                on_behalf_of: own(line.on_behalf_of),
                permanent: line.permanent,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of every kind, with every field some line carries, as ratsflow writes them (the
    /// flat entry of earlier versions wrote each of them back unchanged).
    const LINES: &[&str] = &[
        r#"{"time":"2026-03-02T10:15:00+01:00","event":"signed","who":"vertretung-kaemmerei","stage":"mitzeichnung","hash":"sha256:4e1534be46c6a05131e52bbc2c61fdd98f678981a92aa23a30acfc0183da5aaf","document":"sha256:691d572f936f6c71bc836a30067845ca4036a574ba3633f2bf4f252cd51b97d7","stage_hash":"3f16c878aeee","via":"link","on_behalf_of":"kaemmerei"}"#,
        r#"{"time":"2021-02-09T10:05:00+01:00","event":"signed","who":"goldmann","stage":"fraktion","hash":"sha256:691d572f936f6c71bc836a30067845ca4036a574ba3633f2bf4f252cd51b97d7","comment":"Illustration: Unterschrift für die Fassung an Kreisausschuss und Kreistag neu eingetragen (der Antrag nennt seither beide Gremien)"}"#,
        r#"{"time":"2019-01-07T12:00:00+01:00","event":"returned","who":"kaemmerei","stage":"intern","hash":"sha256:2b41e87d4349dd21275d483b16d8c549724897fea164759a090c233ec1897b3a","comment":"Finanzierung \"ungeklärt\"\n(siehe Haushalt)","via":"link"}"#,
        r#"{"time":"2021-03-24T09:00:00+01:00","event":"decided","stage":"kreistag","hash":"sha256:4e1534be46c6a05131e52bbc2c61fdd98f678981a92aa23a30acfc0183da5aaf","comment":"Illustration: Niederschrift des Kreistags vom 23.03.2021 je Punkt nachgetragen; Abstimmungsergebnisse erfunden, Dokument 003 nennt keine","body":"kreistag-unna","result":"geändert-beschlossen","meeting":"2021-03-23","amendments":[{"paper":"2021-042-1","adopted":true}],"votes":{"ja":41,"nein":12,"enthaltungen":3},"items":[{"number":1,"result":"zur-kenntnis-genommen","votes":{"einstimmig":true}},{"number":2,"result":"beschlossen","votes":{"ja":44,"nein":9,"enthaltungen":3}},{"motion":"2021-042-1","number":1,"result":"beschlossen","votes":{"ja":38,"nein":15,"enthaltungen":3}},{"motion":"2021-042-1","number":2,"result":"beschlossen","votes":{"ja":30,"nein":22,"enthaltungen":4,"befangen":1}}]}"#,
        r#"{"time":"2019-06-27T18:30:00+02:00","event":"decided","who":"sitzungsdienst","stage":"kreistag","hash":"sha256:59cee6201f20dabc2847f52d6580414200418bf9fe9cbe605b3c9eb7bbef1d31","body":"kreistag","result":"verwiesen","meeting":"2019-06-27","amendments":[{"paper":"a","adopted":true},{"paper":"b","adopted":false}],"votes":{"einstimmig":true,"befangen":2},"to":"asgi","items":[{"number":1,"result":"geändert-beschlossen","text":"Der Kreistag beschließt das Konzept.","votes":{"ja":20,"nein":3}},{"number":2,"result":"verwiesen","to":"jhA"}],"top":"6.1","supplement":false}"#,
        r#"{"time":"2019-06-27T18:30:00+02:00","event":"referred","stage":"kreistag","hash":"sha256:59cee6201f20dabc2847f52d6580414200418bf9fe9cbe605b3c9eb7bbef1d31","body":"jhA","meeting":"2019-09-16","items":[{"number":2,"result":"verwiesen","to":"jhA"}]}"#,
        r#"{"time":"2019-05-10T08:00:00+02:00","event":"scheduled","stage":"ausschuss","body":"asgi","meeting":"2019-06-03","top":"7a","supplement":true}"#,
        r#"{"time":"2019-05-20T12:00:00+02:00","event":"withdrawn","who":"vorsitz","stage":"ausschuss","hash":"sha256:59cee6201f20dabc2847f52d6580414200418bf9fe9cbe605b3c9eb7bbef1d31"}"#,
        r#"{"time":"2018-10-30T12:00:00+01:00","event":"corrected","who":"landrat","hash":"sha256:2b41e87d4349dd21275d483b16d8c549724897fea164759a090c233ec1897b3a","comment":"Tippfehler in Punkt 2"}"#,
        r#"{"time":"2026-03-02T10:15:07.123456789+01:00","event":"notice_queued","who":"kb","stage":"intern","key":"p|intern|kb|unterschrift|2b41e87d","kind":"unterschrift","attempt":1,"due":"2026-03-02T10:15:00+01:00"}"#,
        r#"{"time":"2026-03-02T10:15:08.500+01:00","event":"notice_sent","who":"kb","stage":"intern","key":"p|intern|kb|unterschrift|2b41e87d","kind":"unterschrift","attempt":1,"due":"2026-03-02T10:15:00+01:00"}"#,
        r#"{"time":"2026-03-02T11:00:00+01:00","event":"notice_failed","who":"kb","stage":"intern","comment":"550 5.1.1 <kb@kreis.example>: Recipient address rejected","key":"p|intern|kb|unterschrift|2b41e87d","kind":"unterschrift","attempt":2,"permanent":true,"due":"2026-03-02T11:00:00+01:00"}"#,
        r#"{"time":"2026-03-03T09:00:00+01:00","event":"notice_superseded","comment":"nicht mehr fällig: die Drucksache wurde geändert oder ist weiter","key":"p|intern|kb|unterschrift|2b41e87d"}"#,
        r#"{"time":"2018-11-06T10:00:00+01:00","event":"notice_queued","who":"landrat","stage":"auftraggeber","key":"p|auftraggeber|landrat|erinnerung|2b41e87d","kind":"erinnerung","attempt":3}"#,
    ];

    #[test]
    fn lines_are_written_back_byte_for_byte() {
        for line in LINES {
            let entry: Held = serde_json::from_str(line).unwrap();
            assert_eq!(serde_json::to_string(&entry).unwrap(), *line);
        }
    }

    #[test]
    fn the_example_journals_are_written_back_byte_for_byte() {
        let state = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("state");
        let mut count = 0;
        for file in std::fs::read_dir(state).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let entry: Held = serde_json::from_str(line).unwrap();
                assert_eq!(serde_json::to_string(&entry).unwrap(), line);
                count += 1;
            }
        }
        assert!(count > 10, "{count} lines");
    }

    #[test]
    fn fields_in_another_order_are_written_in_the_order_of_the_format() {
        let line = r#"{"supplement":true,"top":"7a","meeting":"2019-06-03","body":"asgi","stage":"ausschuss","event":"scheduled","time":"2019-05-10T08:00:00+02:00"}"#;
        let entry: Held = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&entry).unwrap(), LINES[6]);
    }

    #[test]
    fn signatures_and_notices_hold_no_groups() {
        for line in LINES {
            let entry: Held = serde_json::from_str(line).unwrap();
            let meeting = matches!(
                entry.event,
                Event::Decided | Event::Referred | Event::Scheduled
            );
            assert_eq!(entry.consultation.is_some(), meeting, "{line}");
            let rare = line.contains(r#""comment""#) || line.contains(r#""on_behalf_of""#);
            assert_eq!(entry.extra.is_some(), rare, "{line}");
        }
    }

    #[test]
    fn an_empty_group_is_no_group() {
        let time = DateTime::parse_from_rfc3339("2019-01-07T12:00:00+01:00").unwrap();
        let plain = Held::new(time, Event::Signed);
        let mut empty = plain.clone().with_extra(Extra::default());
        assert!(empty.extra.is_none());
        empty.consultation_mut().body = None;
        empty.extra_mut().comment = None;
        assert_eq!(empty, plain, "equal as their lines are");
        assert_ne!(empty, plain.clone().with_comment("Zahlen fehlen"));
        let line = serde_json::to_string(&empty).unwrap();
        assert_eq!(line, serde_json::to_string(&plain).unwrap());
        let read: Held = serde_json::from_str(&line).unwrap();
        assert!(read.consultation.is_none() && read.extra.is_none());
    }

    /// Messages as earlier versions gave them (users see them in `check`).
    #[test]
    fn an_unreadable_line_is_described_as_before() {
        let message = |line: &str| serde_json::from_str::<Held>(line).unwrap_err().to_string();
        assert_eq!(
            message("3"),
            "invalid type: integer `3`, expected struct Entry at line 1 column 1"
        );
        assert_eq!(
            message(r#"["2019-01-01T00:00:00+01:00"]"#),
            "invalid length 1, expected struct Entry with 24 elements at line 1 column 29"
        );
        assert_eq!(
            message(r#"{"event":"signed"}"#),
            "missing field `time` at line 1 column 18"
        );
    }
}
