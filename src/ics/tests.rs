//! Unit tests of the calendar text and the key: escaping, folding, stable tokens, private key
//! files outside the project.

use chrono::{NaiveDate, TimeZone, Utc};

use super::format::{self, Calendar, Event, MAX_LINE_OCTETS};
use super::key::{self, Key};

fn unfold(text: &str) -> String {
    text.replace("\r\n ", "")
}

fn calendar_with(summary: &str) -> String {
    let calendar = Calendar {
        name: "Fristen und Sitzungen – Test".into(),
        description: "Test".into(),
        events: vec![Event {
            uid: "sitzung.kreistag.2027-02-22@kreis.ratsflow".into(),
            day: NaiveDate::from_ymd_opt(2027, 2, 22).unwrap(),
            summary: summary.into(),
            description: Some("Zeile 1\nZeile 2".into()),
            busy: true,
            category: "Sitzung",
        }],
    };
    format::render(
        &calendar,
        Utc.with_ymd_and_hms(2026, 11, 21, 7, 0, 0).unwrap(),
    )
}

#[test]
fn text_values_escape_comma_semicolon_backslash_and_newlines() {
    assert_eq!(
        format::escape_text("Kosten, Nutzen; Pfad\\Teil\nzweite\r\ndritte\rvierte"),
        "Kosten\\, Nutzen\\; Pfad\\\\Teil\\nzweite\\ndritte\\nvierte"
    );
    assert_eq!(
        format::escape_text("ohne\u{7}Steuerzeichen"),
        "ohneSteuerzeichen"
    );
    let text = calendar_with("Haushalt 2027, Teil 1; Anlage A\\B");
    assert!(
        unfold(&text).contains("\r\nSUMMARY:Haushalt 2027\\, Teil 1\\; Anlage A\\\\B\r\n"),
        "{text}"
    );
    assert!(unfold(&text).contains("\r\nDESCRIPTION:Zeile 1\\nZeile 2\r\n"));
}

#[test]
fn every_line_ends_in_crlf_and_has_at_most_75_octets() {
    let title = "Größenordnung der Förderung für Städte und Gemeinden: Übersicht, Maßnahmen und Ausblick ✓ 🏛️ ".repeat(4);
    let text = calendar_with(&title);
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    for line in text.split("\r\n") {
        assert!(
            line.len() <= MAX_LINE_OCTETS,
            "{} octets: {line}",
            line.len()
        );
    }
    let unfolded = unfold(&text);
    let expected = format!("SUMMARY:{}\r\n", format::escape_text(&title));
    assert!(unfolded.contains(&expected));
}

#[test]
fn folding_never_splits_a_multi_byte_character() {
    // 8 octets of "SUMMARY:" and 66 of "a": 74; "ä" (2 octets) would end at 76.
    let line = format!("SUMMARY:{}ä{}", "a".repeat(66), "€".repeat(60));
    let mut out = String::new();
    format::fold(&line, &mut out);
    let lines: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
    assert_eq!(lines[0].len(), 74, "the line breaks before the ä");
    assert!(lines[1].starts_with(" ä"));
    assert_eq!(
        lines[1].len(),
        75,
        "space, ä and 24 € fill the line exactly"
    );
    for line in &lines[1..] {
        assert!(line.starts_with(' '));
        assert!(line.len() <= MAX_LINE_OCTETS);
    }
    // Three-octet characters after the leading space: 1 + 3 × 24 = 73 octets per line.
    assert_eq!(lines[2].len(), 73);
    assert_eq!(unfold(&out), format!("{line}\r\n"));
}

#[test]
fn calendar_declares_berlin_and_each_event_has_uid_dtstamp_dtstart_summary() {
    let text = calendar_with("Sitzung Kreistag");
    for needle in [
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:",
        "\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n",
        "\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n",
        "\r\nX-WR-TIMEZONE:Europe/Berlin\r\n",
        "\r\nUID:sitzung.kreistag.2027-02-22@kreis.ratsflow\r\n",
        "\r\nDTSTAMP:20261121T070000Z\r\n",
        "\r\nDTSTART;VALUE=DATE:20270222\r\nDTEND;VALUE=DATE:20270223\r\n",
        "\r\nSUMMARY:Sitzung Kreistag\r\n",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn a_new_stamp_alone_is_no_change() {
    let a = calendar_with("Sitzung Kreistag");
    let b = a.replace("DTSTAMP:20261121T070000Z", "DTSTAMP:20261122T070000Z");
    assert_ne!(a, b);
    assert!(format::same_events(&a, &b));
    let c = calendar_with("Sitzung Kreistag (verlegt)");
    assert!(!format::same_events(&a, &c));
}

/// The digest of `text` written in chunks of `size` bytes.
fn digest_in_chunks(text: &str, size: usize) -> [u8; 32] {
    use std::io::Write;
    let mut digest = format::EventsDigest::default();
    for chunk in text.as_bytes().chunks(size) {
        digest.write_all(chunk).unwrap();
    }
    digest.finish()
}

#[test]
fn the_streamed_digest_agrees_with_comparing_whole_texts() {
    let a = calendar_with("Sitzung Kreistag");
    let restamped = a.replace("DTSTAMP:20261121T070000Z", "DTSTAMP:20270101T000000Z");
    let moved = calendar_with("Sitzung Kreistag (verlegt)");
    let without_last_crlf = a.trim_end_matches("\r\n").to_string();
    let joined = a.replacen("\r\nVERSION", "VERSION", 1);
    let texts = [&a, &restamped, &moved, &without_last_crlf, &joined];
    for x in texts {
        // A CRLF split between two chunks is still one line break.
        for size in [1, 2, 3, 75, 4096] {
            assert_eq!(digest_in_chunks(x, size), digest_in_chunks(x, 7), "{size}");
        }
        for y in texts {
            assert_eq!(
                digest_in_chunks(x, 64) == digest_in_chunks(y, 64),
                format::same_events(x, y),
                "{x:?} against {y:?}"
            );
        }
    }
}

#[test]
fn the_streamed_text_is_the_rendered_text() {
    let calendar = Calendar {
        name: "Sitzungen – Kreistag".into(),
        description: "Ä, ö; ü\\ß".into(),
        events: vec![Event {
            uid: "a@b.ratsflow".into(),
            day: NaiveDate::from_ymd_opt(2027, 2, 22).unwrap(),
            summary: "Größenordnung ✓ ".repeat(12),
            description: None,
            busy: false,
            category: "Frist",
        }],
    };
    let stamp = Utc.with_ymd_and_hms(2026, 11, 21, 7, 0, 0).unwrap();
    let mut streamed = Vec::new();
    format::write(&calendar, stamp, &mut streamed).unwrap();
    assert_eq!(
        String::from_utf8(streamed).unwrap(),
        format::render(&calendar, stamp)
    );
}

#[test]
fn tokens_are_stable_distinct_url_safe_and_128_bits() {
    let key = Key::from_bytes(&[7u8; 32]);
    let a = key.token("person:landrat");
    assert_eq!(a, key.token("person:landrat"));
    assert_ne!(a, key.token("person:cramer"));
    assert_ne!(a, key.token("body:landrat"));
    assert_ne!(a, Key::from_bytes(&[8u8; 32]).token("person:landrat"));
    assert_eq!(a.len(), 22, "16 octets in base64 without padding");
    assert!(
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    assert_eq!(format!("{key:?}"), "Key(verborgen)");
}

#[cfg(unix)]
#[test]
fn the_calendar_key_comes_from_the_projects_key_file_and_is_not_that_key() {
    let project = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("state/ratsflow/projekt.key");
    let (first, at) = key::load_or_create(project.path(), Some(&path)).unwrap();
    assert_eq!(at, path);
    let file = std::fs::read(&path).unwrap();
    let (again, _) = key::load_or_create(project.path(), Some(&path)).unwrap();
    assert_eq!(first.token("person:a"), again.token("person:a"), "stable");
    assert_ne!(
        first.token("person:a"),
        Key::from_bytes(&file).token("person:a"),
        "derived, not the link key itself"
    );
    let other = home.path().join("zweites.key");
    let (second, _) = key::load_or_create(project.path(), Some(&other)).unwrap();
    assert_ne!(
        first.token("person:a"),
        second.token("person:a"),
        "random keys"
    );
    let inside = project.path().join("ics.key");
    assert!(key::load_or_create(project.path(), Some(&inside)).is_err());
    assert!(!inside.exists());
}
