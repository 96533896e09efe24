//! Tests of the calendar: deadlines across Länder, each holiday correction, parsing, DST.

use chrono::Datelike;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use super::*;

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn cal(land: Land) -> Calendar {
    Calendar::new(land, Vec::new())
}

const CAL: DayUnit = DayUnit::Calendar;
const WORK: DayUnit = DayUnit::Working;
const BEFORE: Direction = Direction::Before;
const AFTER: Direction = Direction::After;
const EARLIER: Roll = Roll::Earlier;
const LATER: Roll = Roll::Later;
const NO_ROLL: Roll = Roll::None;

const XMAS: &[&str] = &["24.12.", "31.12."];

/// Land, closed days, anchor, days, unit, direction, roll, expected, comment.
type Case = (
    Land,
    &'static [&'static str],
    &'static str,
    u32,
    DayUnit,
    Direction,
    Roll,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Easter
    (Land::NW, &[], "2019-04-23", 2, WORK, BEFORE, EARLIER, "2019-04-17", "back over Ostermontag 22.04., weekend, Karfreitag 19.04."),
    (Land::NW, &[], "2019-04-18", 1, CAL, AFTER, LATER, "2019-04-23", "Karfreitag → after Easter weekend and Ostermontag"),
    (Land::BY, &[], "2026-04-13", 7, CAL, BEFORE, EARLIER, "2026-04-02", "Ostermontag 06.04. → before Karfreitag 03.04."),
    (Land::HH, &[], "2026-03-30", 5, WORK, AFTER, LATER, "2026-04-08", "working days over Karfreitag and Ostermontag 2026"),
    // Fronleichnam: statewide in NW, not in SN or TH
    (Land::NW, &[], "2019-06-19", 1, WORK, AFTER, LATER, "2019-06-21", "Fronleichnam 20.06.2019 in NW"),
    (Land::SN, &[], "2019-06-19", 1, WORK, AFTER, LATER, "2019-06-20", "no Fronleichnam statewide in SN"),
    (Land::NW, &[], "2026-06-11", 7, CAL, BEFORE, EARLIER, "2026-06-03", "Fronleichnam 04.06.2026 in NW → Wednesday"),
    (Land::SN, &[], "2026-06-11", 7, CAL, BEFORE, EARLIER, "2026-06-04", "04.06.2026 is a working day in SN"),
    (Land::TH, &[], "2026-06-11", 7, CAL, BEFORE, EARLIER, "2026-06-04", "04.06.2026 is a working day in TH"),
    // Reformationstag
    (Land::SN, &[], "2018-10-30", 1, CAL, AFTER, LATER, "2018-11-01", "Reformationstag in SN"),
    (Land::BB, &[], "2018-10-30", 1, CAL, AFTER, LATER, "2018-11-01", "Reformationstag in BB"),
    (Land::NI, &[], "2018-10-30", 1, CAL, AFTER, LATER, "2018-11-01", "Reformationstag in NI since 2018"),
    (Land::NW, &[], "2018-10-30", 1, CAL, AFTER, LATER, "2018-10-31", "no Reformationstag in NW"),
    (Land::NW, &[], "2017-10-30", 1, CAL, AFTER, LATER, "2017-11-02", "31.10.2017 everywhere, then Allerheiligen in NW"),
    (Land::NI, &[], "2016-10-28", 1, WORK, AFTER, LATER, "2016-10-31", "no Reformationstag in NI before 2017"),
    // Buß- und Bettag: SN only
    (Land::SN, &[], "2019-11-19", 1, WORK, AFTER, LATER, "2019-11-21", "Buß- und Bettag 20.11.2019 in SN"),
    (Land::BY, &[], "2019-11-19", 1, WORK, AFTER, LATER, "2019-11-20", "no Buß- und Bettag in BY"),
    (Land::SN, &[], "2026-11-23", 5, CAL, BEFORE, EARLIER, "2026-11-17", "Buß- und Bettag 18.11.2026 in SN"),
    (Land::BY, &[], "2026-11-23", 5, CAL, BEFORE, EARLIER, "2026-11-18", "18.11.2026 is a working day in BY"),
    (Land::NW, &[], "1994-11-15", 1, WORK, AFTER, LATER, "1994-11-17", "Buß- und Bettag 1994 still in all Länder"),
    // Frauentag, Weltkindertag, Tag der Befreiung
    (Land::BE, &[], "2019-03-11", 3, CAL, BEFORE, EARLIER, "2019-03-07", "Frauentag 08.03.2019 in BE"),
    (Land::BE, &[], "2018-03-09", 1, CAL, BEFORE, EARLIER, "2018-03-08", "no Frauentag in BE in 2018"),
    (Land::MV, &[], "2023-03-07", 1, WORK, AFTER, LATER, "2023-03-09", "Frauentag in MV since 2023"),
    (Land::MV, &[], "2022-03-07", 1, WORK, AFTER, LATER, "2022-03-08", "no Frauentag in MV in 2022"),
    (Land::TH, &[], "2019-09-19", 1, WORK, AFTER, LATER, "2019-09-23", "Weltkindertag 20.09.2019 in TH"),
    (Land::SN, &[], "2019-09-19", 1, WORK, AFTER, LATER, "2019-09-20", "no Weltkindertag in SN"),
    (Land::BE, &[], "2025-05-07", 1, WORK, AFTER, LATER, "2025-05-09", "Tag der Befreiung 08.05.2025 in BE"),
    (Land::BB, &[], "2025-05-07", 1, WORK, AFTER, LATER, "2025-05-08", "no Tag der Befreiung in BB"),
    // Allerheiligen, Heilige Drei Könige, Mariä Himmelfahrt
    (Land::NW, &[], "2019-10-31", 1, WORK, AFTER, LATER, "2019-11-04", "Allerheiligen 01.11.2019 (Friday) in NW"),
    (Land::BY, &[], "2023-10-31", 1, WORK, AFTER, LATER, "2023-11-02", "Allerheiligen 01.11.2023 in BY"),
    (Land::BW, &[], "2026-01-12", 4, WORK, BEFORE, EARLIER, "2026-01-05", "Heilige Drei Könige 06.01. in BW"),
    (Land::NW, &[], "2026-01-12", 4, WORK, BEFORE, EARLIER, "2026-01-06", "06.01. is a working day in NW"),
    (Land::SL, &[], "2025-08-14", 1, WORK, AFTER, LATER, "2025-08-18", "Mariä Himmelfahrt in SL"),
    (Land::RP, &[], "2025-08-14", 1, WORK, AFTER, LATER, "2025-08-15", "no Mariä Himmelfahrt in RP"),
    // Closed days 24.12. and 31.12.
    (Land::NW, XMAS, "2026-12-23", 1, WORK, AFTER, LATER, "2026-12-28", "24.12. closed, then Christmas and weekend"),
    (Land::NW, &[], "2026-12-23", 1, WORK, AFTER, LATER, "2026-12-24", "24.12. not configured: a working day"),
    (Land::NW, XMAS, "2026-12-22", 6, WORK, AFTER, LATER, "2027-01-05", "over Christmas, 31.12. and Neujahr"),
    (Land::NW, &[], "2026-12-22", 6, WORK, AFTER, LATER, "2026-12-31", "same without closed days"),
    (Land::BY, &[], "2027-01-04", 10, CAL, BEFORE, EARLIER, "2026-12-24", "1. Weihnachtsfeiertag → 24.12."),
    (Land::BY, XMAS, "2027-01-04", 10, CAL, BEFORE, EARLIER, "2026-12-23", "1. Weihnachtsfeiertag → 24.12. closed → 23.12."),
    (Land::HE, XMAS, "2026-12-29", 2, WORK, BEFORE, EARLIER, "2026-12-23", "back over 28.12., Christmas, 24.12."),
    // Weekends and rolls
    (Land::NW, &[], "2026-09-14", 9, CAL, BEFORE, EARLIER, "2026-09-04", "back from a Monday meeting onto Saturday → Friday"),
    (Land::NW, &[], "2026-09-14", 12, CAL, AFTER, LATER, "2026-09-28", "forward onto Saturday → Monday"),
    (Land::NW, &[], "2026-09-14", 9, CAL, BEFORE, NO_ROLL, "2026-09-05", "Roll::None keeps the Saturday"),
    (Land::NW, &[], "2026-09-05", 0, WORK, BEFORE, LATER, "2026-09-07", "0 working days: the anchor, rolled"),
    (Land::NW, &[], "2026-09-14", 0, CAL, BEFORE, EARLIER, "2026-09-14", "0 calendar days on a working day"),
    (Land::NW, &[], "2026-09-14", 5, WORK, BEFORE, LATER, "2026-09-07", "working days ignore the roll"),
];

#[test]
fn deadline_table() {
    assert!(CASES.len() >= 30);
    for (land, closed, anchor, days, unit, direction, roll, expected, comment) in CASES {
        let closed = closed.iter().map(|text| text.parse().unwrap()).collect();
        let calendar = Calendar::new(*land, closed);
        let rule = DeadlineRule {
            days: *days,
            unit: *unit,
            direction: *direction,
            roll: *roll,
        };
        let got = calendar.deadline(&rule, d(anchor));
        assert_eq!(got, d(expected), "{land:?} {anchor} {rule:?}: {comment}");
        assert_eq!(
            calendar.try_deadline(&rule, d(anchor)),
            Ok(got),
            "{comment}"
        );
    }
}

#[test]
fn one_off_closed_dates() {
    let calendar = cal(Land::NW).with_closed_dates(vec![d("2026-05-15")]);
    assert!(!calendar.is_working_day(d("2026-05-15")));
    assert_eq!(
        calendar.closed_reason(d("2026-05-15")).as_deref(),
        Some("Schließtag")
    );
    assert!(cal(Land::NW).is_working_day(d("2026-05-15")));
    // Brückentag after Christi Himmelfahrt 14.05.2026
    let rule = DeadlineRule::new(1, WORK, AFTER);
    assert_eq!(calendar.deadline(&rule, d("2026-05-13")), d("2026-05-18"));
    assert_eq!(
        calendar.closed_dates().collect::<Vec<_>>(),
        vec![d("2026-05-15")]
    );
}

#[test]
fn closed_reasons() {
    let calendar = Calendar::new(Land::NW, vec![ClosedDay { month: 12, day: 24 }]);
    assert_eq!(
        calendar.closed_reason(d("2026-09-05")).as_deref(),
        Some("Samstag")
    );
    assert_eq!(
        calendar.closed_reason(d("2026-09-06")).as_deref(),
        Some("Sonntag")
    );
    assert_eq!(
        calendar.closed_reason(d("2026-04-03")).as_deref(),
        Some("Karfreitag")
    );
    assert_eq!(
        calendar.closed_reason(d("2026-12-24")).as_deref(),
        Some("Schließtag")
    );
    assert_eq!(
        calendar.closed_reason(d("2026-12-26")).as_deref(),
        Some("2. Weihnachtsfeiertag")
    );
    assert_eq!(calendar.closed_reason(d("2026-09-07")), None);
    assert!(calendar.is_working_day(d("2026-09-07")));
}

#[test]
fn roll_moves_only_closed_days() {
    let calendar = cal(Land::NW);
    assert_eq!(calendar.roll(d("2026-09-05"), EARLIER), d("2026-09-04"));
    assert_eq!(calendar.roll(d("2026-09-05"), LATER), d("2026-09-07"));
    assert_eq!(calendar.roll(d("2026-09-05"), NO_ROLL), d("2026-09-05"));
    assert_eq!(calendar.roll(d("2026-09-08"), EARLIER), d("2026-09-08"));
}

#[test]
fn default_roll_follows_practice() {
    assert_eq!(DeadlineRule::default_roll(BEFORE), EARLIER);
    assert_eq!(DeadlineRule::default_roll(AFTER), LATER);
    assert_eq!(DeadlineRule::new(3, CAL, AFTER).roll, LATER);
}

#[test]
fn impossible_rules_do_not_panic_or_hang() {
    let calendar = cal(Land::NW);
    let huge = DeadlineRule {
        days: u32::MAX,
        unit: WORK,
        direction: AFTER,
        roll: LATER,
    };
    assert_eq!(
        calendar.try_deadline(&huge, d("2026-01-01")),
        Err(CalendarError::TooManyDays { days: u32::MAX })
    );
    assert_eq!(calendar.deadline(&huge, d("2026-01-01")), NaiveDate::MAX);
    let back = DeadlineRule {
        days: 10,
        unit: CAL,
        direction: BEFORE,
        roll: EARLIER,
    };
    assert_eq!(
        calendar.try_deadline(&back, NaiveDate::MIN),
        Err(CalendarError::OutOfRange {
            from: NaiveDate::MIN
        })
    );
    assert_eq!(calendar.deadline(&back, NaiveDate::MIN), NaiveDate::MIN);

    // Every day of the year closed: no working day exists.
    let all_closed: Vec<ClosedDay> = (1..=12)
        .flat_map(|month| (1..=31).map(move |day| ClosedDay { month, day }))
        .collect();
    let closed = Calendar::new(Land::NW, all_closed);
    let rule = DeadlineRule::new(1, WORK, AFTER);
    assert_eq!(
        closed.try_deadline(&rule, d("2026-01-01")),
        Err(CalendarError::NoWorkingDay {
            from: d("2026-01-01")
        })
    );
    assert_eq!(closed.roll(d("2026-01-01"), LATER), d("2026-01-01"));
    let message = CalendarError::NoWorkingDay {
        from: d("2026-01-01"),
    }
    .to_string();
    assert!(
        message.contains("keinen Arbeitstag") && message.contains("01.01.2026"),
        "{message}"
    );
    assert!(
        CalendarError::TooManyDays { days: 99_999 }
            .to_string()
            .contains("höchstens")
    );
}

// ---- holidays: nationwide and per Land ----

fn holiday(land: Land, date: &str) -> Option<&'static str> {
    cal(land).holiday(d(date))
}

fn lands_with(date: &str) -> Vec<Land> {
    Land::ALL
        .into_iter()
        .filter(|land| holiday(*land, date).is_some())
        .collect()
}

#[test]
fn nationwide_holidays_in_all_lands() {
    let days = [
        ("2026-01-01", "Neujahr"),
        ("2026-04-03", "Karfreitag"),
        ("2026-04-06", "Ostermontag"),
        ("2026-05-01", "1. Mai"),
        ("2026-05-14", "Christi Himmelfahrt"),
        ("2026-05-25", "Pfingstmontag"),
        ("2026-10-03", "Tag der Deutschen Einheit"),
        ("2026-12-25", "1. Weihnachtsfeiertag"),
        ("2026-12-26", "2. Weihnachtsfeiertag"),
        ("2019-04-19", "Karfreitag"),
        ("2019-04-22", "Ostermontag"),
    ];
    for land in Land::ALL {
        for (date, name) in days {
            assert_eq!(holiday(land, date), Some(name), "{land:?} {date}");
        }
        assert_eq!(
            holiday(land, "2026-12-24"),
            None,
            "Heiligabend is no holiday"
        );
        assert_eq!(holiday(land, "2026-12-31"), None, "Silvester is no holiday");
        assert_eq!(
            holiday(land, "2026-04-05"),
            None,
            "Ostersonntag is left out"
        );
    }
}

#[test]
fn holiday_counts_2026() {
    let expected = [
        (Land::BW, 12),
        (Land::BY, 13),
        (Land::BE, 10),
        (Land::BB, 10),
        (Land::HB, 10),
        (Land::HH, 10),
        (Land::HE, 10),
        (Land::MV, 11),
        (Land::NI, 10),
        (Land::NW, 11),
        (Land::RP, 11),
        (Land::SL, 12),
        (Land::SN, 11),
        (Land::ST, 11),
        (Land::SH, 10),
        (Land::TH, 11),
    ];
    for (land, count) in expected {
        let list = cal(land).holidays_in_year(2026);
        assert_eq!(list.len(), count, "{land:?}: {list:?}");
        assert!(list.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }
}

#[test]
fn reformationstag_2017_in_all_lands() {
    assert_eq!(lands_with("2017-10-31"), Land::ALL.to_vec());
    assert!(
        Land::ALL
            .iter()
            .all(|land| holiday(*land, "2017-10-31") == Some("Reformationstag"))
    );
}

#[test]
fn reformationstag_by_land_and_year() {
    use Land::*;
    for year in [1991, 1995, 2010, 2016, 2019, 2026] {
        let date = format!("{year}-10-31");
        let mut expected = vec![BB, MV, SN, ST, TH];
        if year >= 2018 {
            expected = vec![BB, HB, HH, MV, NI, SN, ST, SH, TH];
        }
        assert_eq!(lands_with(&date), expected, "{year}");
    }
}

#[test]
fn frauentag_berlin_since_2019_mv_since_2023() {
    assert_eq!(lands_with("2018-03-08"), vec![]);
    assert_eq!(lands_with("2019-03-08"), vec![Land::BE]);
    assert_eq!(lands_with("2022-03-08"), vec![Land::BE]);
    assert_eq!(lands_with("2023-03-08"), vec![Land::BE, Land::MV]);
    assert_eq!(
        holiday(Land::BE, "2026-03-08"),
        Some("Internationaler Frauentag")
    );
}

#[test]
fn weltkindertag_thueringen_since_2019() {
    assert_eq!(lands_with("2018-09-20"), vec![]);
    assert_eq!(lands_with("2019-09-20"), vec![Land::TH]);
    assert_eq!(holiday(Land::TH, "2026-09-20"), Some("Weltkindertag"));
}

#[test]
fn tag_der_befreiung_berlin_2020_and_2025_only() {
    for year in 2019..=2030 {
        let expected = if year == 2020 || year == 2025 {
            vec![Land::BE]
        } else {
            vec![]
        };
        assert_eq!(lands_with(&format!("{year}-05-08")), expected, "{year}");
    }
    assert_eq!(holiday(Land::BE, "2025-05-08"), Some("Tag der Befreiung"));
}

/// The Wednesday eleven days before the first Sunday of Advent, computed independently.
fn buss_und_bettag(year: i32) -> NaiveDate {
    let mut advent = NaiveDate::from_ymd_opt(year, 11, 27).unwrap();
    while advent.weekday() != Weekday::Sun {
        advent = advent.succ_opt().unwrap();
    }
    advent - chrono::Days::new(11)
}

#[test]
fn buss_und_bettag_sachsen_only_since_1995() {
    for year in 1991..=2100 {
        let date = buss_und_bettag(year);
        assert_eq!(date.weekday(), Weekday::Wed);
        assert!(
            (16..=22).contains(&date.day()) && date.month() == 11,
            "{date}"
        );
        let text = date.format("%Y-%m-%d").to_string();
        let expected = if year >= 1995 {
            vec![Land::SN]
        } else {
            Land::ALL.to_vec()
        };
        assert_eq!(lands_with(&text), expected, "{year}");
        assert_eq!(holiday(Land::SN, &text), Some("Buß- und Bettag"));
        let novembers = cal(Land::SN).holidays_in_year(year);
        assert_eq!(
            novembers
                .iter()
                .filter(|(_, name)| *name == "Buß- und Bettag")
                .count(),
            1
        );
    }
    assert_eq!(buss_und_bettag(2019), d("2019-11-20"));
    assert_eq!(buss_und_bettag(2026), d("2026-11-18"));
}

#[test]
fn fronleichnam_statewide_only_where_it_is() {
    use Land::*;
    for date in ["2019-06-20", "2026-06-04"] {
        assert_eq!(lands_with(date), vec![BW, BY, HE, NW, RP, SL], "{date}");
        assert_eq!(holiday(NW, date), Some("Fronleichnam"));
    }
}

#[test]
fn catholic_holidays() {
    use Land::*;
    assert_eq!(lands_with("2026-01-06"), vec![BW, BY, ST]);
    assert_eq!(holiday(ST, "2026-01-06"), Some("Heilige Drei Könige"));
    assert_eq!(lands_with("2019-11-01"), vec![BW, BY, NW, RP, SL]);
    assert_eq!(holiday(BY, "2019-11-01"), Some("Allerheiligen"));
    assert_eq!(lands_with("2025-08-15"), vec![BY, SL]);
    assert_eq!(holiday(SL, "2025-08-15"), Some("Mariä Himmelfahrt"));
    assert_eq!(
        holiday(BY, "2026-08-08"),
        None,
        "Augsburger Friedensfest is local to Augsburg"
    );
}

#[test]
fn years_before_1995_are_corrected() {
    // holiday_de has nothing before 1995; this layer covers 1991–1994.
    assert_eq!(holiday(Land::NW, "1994-01-01"), Some("Neujahr"));
    assert_eq!(holiday(Land::NW, "1992-04-17"), Some("Karfreitag"));
    assert_eq!(holiday(Land::BW, "1993-01-06"), Some("Heilige Drei Könige"));
    assert_eq!(holiday(Land::ST, "1992-01-06"), None, "ST only since 1993");
    assert_eq!(holiday(Land::ST, "1993-01-06"), Some("Heilige Drei Könige"));
    assert_eq!(holiday(Land::BE, "1994-03-08"), None);
    assert_eq!(holiday(Land::HB, "1994-10-31"), None);
    assert_eq!(cal(Land::NW).holidays_in_year(1994).len(), 12);
    // Before 1991 nothing is modelled.
    assert_eq!(holiday(Land::NW, "1990-12-25"), None);
    assert!(cal(Land::NW).holidays_in_year(1990).is_empty());
    assert_eq!(FIRST_HOLIDAY_YEAR, 1991);
}

#[test]
fn berlin_17_june_2028_one_off() {
    assert_eq!(lands_with("2028-06-17"), vec![Land::BE]);
    assert_eq!(lands_with("2027-06-17"), vec![]);
}

#[test]
fn extreme_years_do_not_panic() {
    for land in Land::ALL {
        let calendar = cal(land);
        for date in [
            NaiveDate::MIN,
            NaiveDate::MAX,
            d("9999-12-31"),
            d("1583-04-01"),
        ] {
            let _ = calendar.holiday(date);
            let _ = calendar.is_working_day(date);
        }
        let _ = calendar.holidays_in_year(NaiveDate::MAX.year());
    }
}

// ---- parsing ----

#[test]
fn land_from_str() {
    assert_eq!("NW".parse::<Land>(), Ok(Land::NW));
    assert_eq!(" nw ".parse::<Land>(), Ok(Land::NW));
    assert_eq!("NRW".parse::<Land>(), Ok(Land::NW));
    assert_eq!("Nordrhein-Westfalen".parse::<Land>(), Ok(Land::NW));
    assert_eq!("Baden-Württemberg".parse::<Land>(), Ok(Land::BW));
    assert_eq!("baden-wuerttemberg".parse::<Land>(), Ok(Land::BW));
    assert_eq!("Thüringen".parse::<Land>(), Ok(Land::TH));
    assert_eq!("Thueringen".parse::<Land>(), Ok(Land::TH));
    assert_eq!("Sachsen".parse::<Land>(), Ok(Land::SN));
    assert_eq!("Sachsen-Anhalt".parse::<Land>(), Ok(Land::ST));
    for land in Land::ALL {
        assert_eq!(land.code().parse::<Land>(), Ok(land));
        assert_eq!(land.name().parse::<Land>(), Ok(land));
        assert_eq!(land.code().to_lowercase().parse::<Land>(), Ok(land));
    }
    let err = "Bavaria".parse::<Land>().unwrap_err();
    assert!(
        err.starts_with("Unbekanntes Bundesland „Bavaria“."),
        "{err}"
    );
    assert!(
        err.contains("Gültig sind die Kürzel BW, BY, BE, BB"),
        "{err}"
    );
    assert!(err.contains("TH"), "{err}");
    let err = "".parse::<Land>().unwrap_err();
    assert!(err.starts_with("Kein Bundesland angegeben."), "{err}");
}

#[test]
fn land_names_and_codes() {
    assert_eq!(Land::NW.code(), "NW");
    assert_eq!(Land::NW.name(), "Nordrhein-Westfalen");
    assert_eq!(Land::BW.name(), "Baden-Württemberg");
    assert_eq!(Land::TH.to_string(), "Thüringen");
    let codes: std::collections::HashSet<_> = Land::ALL.iter().map(|land| land.code()).collect();
    assert_eq!(codes.len(), 16);
}

#[test]
fn closed_day_from_str() {
    assert_eq!(
        "24.12.".parse::<ClosedDay>(),
        Ok(ClosedDay { month: 12, day: 24 })
    );
    assert_eq!(
        "24.12".parse::<ClosedDay>(),
        Ok(ClosedDay { month: 12, day: 24 })
    );
    assert_eq!(
        " 1.5. ".parse::<ClosedDay>(),
        Ok(ClosedDay { month: 5, day: 1 })
    );
    assert_eq!(
        "29.02.".parse::<ClosedDay>(),
        Ok(ClosedDay { month: 2, day: 29 })
    );
    assert_eq!(ClosedDay { month: 12, day: 24 }.to_string(), "24.12.");

    let err = "31.02.".parse::<ClosedDay>().unwrap_err();
    assert_eq!(
        err,
        "„31.02.“ ist kein gültiger Schließtag: Den 31.02. gibt es in keinem Jahr."
    );
    let err = "31.04.".parse::<ClosedDay>().unwrap_err();
    assert!(err.contains("Den 31.04. gibt es in keinem Jahr"), "{err}");
    let err = "00.01.".parse::<ClosedDay>().unwrap_err();
    assert!(err.contains("gibt es in keinem Jahr"), "{err}");
    let err = "24.13.".parse::<ClosedDay>().unwrap_err();
    assert_eq!(
        err,
        "„24.13.“ ist kein gültiger Schließtag: Einen Monat 13 gibt es nicht."
    );
    for bad in [
        "",
        "24",
        "24/12",
        "Heiligabend",
        "24.12.2026",
        "+1.2.",
        "124.12.",
        "24..12",
    ] {
        let err = bad.parse::<ClosedDay>().unwrap_err();
        assert!(
            err.contains("ist kein gültiger Schließtag. Erwartet werden Tag und Monat"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn closed_days_only_on_their_date() {
    let day = ClosedDay { month: 2, day: 29 };
    assert!(day.matches(d("2028-02-29")));
    assert!(!day.matches(d("2027-03-01")));
}

#[test]
fn deserialize_from_settings() {
    #[derive(serde::Deserialize)]
    struct Settings {
        land: Land,
        closed_days: Vec<ClosedDay>,
        unit: DayUnit,
        direction: Direction,
        roll: Roll,
    }
    let yaml = "land: Thüringen\nclosed_days: [\"24.12.\", 31.12., 24.12]\nunit: working\ndirection: before\nroll: none\n";
    let settings: Settings = serde_yaml::from_str(yaml).unwrap();
    assert_eq!(settings.land, Land::TH);
    assert_eq!(
        settings.closed_days,
        vec![
            ClosedDay { month: 12, day: 24 },
            ClosedDay { month: 12, day: 31 },
            ClosedDay { month: 12, day: 24 }
        ]
    );
    assert_eq!(
        (settings.unit, settings.direction, settings.roll),
        (WORK, BEFORE, NO_ROLL)
    );

    let json: Vec<Roll> = serde_json::from_str(r#"["earlier", "later", "none"]"#).unwrap();
    assert_eq!(json, vec![EARLIER, LATER, NO_ROLL]);
    let json: Vec<DayUnit> = serde_json::from_str(r#"["calendar", "working"]"#).unwrap();
    assert_eq!(json, vec![CAL, WORK]);
    let json: Vec<Direction> = serde_json::from_str(r#"["before", "after"]"#).unwrap();
    assert_eq!(json, vec![BEFORE, AFTER]);

    let err = serde_json::from_str::<Land>(r#""XX""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Unbekanntes Bundesland „XX“"), "{err}");
    let err = serde_json::from_str::<ClosedDay>(r#""31.02.""#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Den 31.02. gibt es in keinem Jahr"), "{err}");
    let err = serde_json::from_str::<ClosedDay>("24.12")
        .unwrap_err()
        .to_string();
    assert!(err.contains("einen Schließtag als Text"), "{err}");
}

#[test]
fn serialize_round_trip() {
    let text =
        serde_json::to_string(&(Land::NW, ClosedDay { month: 5, day: 1 }, Roll::Later)).unwrap();
    assert_eq!(text, r#"["NW","01.05.","later"]"#);
    let back: (Land, ClosedDay, Roll) = serde_json::from_str(&text).unwrap();
    assert_eq!(
        back,
        (Land::NW, ClosedDay { month: 5, day: 1 }, Roll::Later)
    );
}

// ---- local_instant across DST ----

fn berlin(date: &str, time: &str) -> chrono::DateTime<Utc> {
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S").unwrap();
    local_instant(d(date), time, chrono_tz::Europe::Berlin)
}

fn utc(text: &str) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(
        &chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap(),
    )
}

#[test]
fn dst_spring_forward_week() {
    // Switch on Sunday 29.03.2026.
    assert_eq!(berlin("2026-03-27", "08:00:00"), utc("2026-03-27 07:00:00"));
    assert_eq!(berlin("2026-03-30", "08:00:00"), utc("2026-03-30 06:00:00"));
    // 02:30 does not exist: first instant after the gap is 03:00 CEST = 01:00 UTC.
    assert_eq!(berlin("2026-03-29", "02:30:00"), utc("2026-03-29 01:00:00"));
    assert_eq!(berlin("2026-03-29", "02:00:00"), utc("2026-03-29 01:00:00"));
    assert_eq!(berlin("2026-03-29", "02:59:59"), utc("2026-03-29 01:00:00"));
    assert_eq!(berlin("2026-03-29", "03:00:00"), utc("2026-03-29 01:00:00"));
    assert_eq!(berlin("2026-03-29", "01:59:59"), utc("2026-03-29 00:59:59"));
}

#[test]
fn dst_fall_back_week() {
    // Switch on Sunday 25.10.2026.
    assert_eq!(berlin("2026-10-23", "08:00:00"), utc("2026-10-23 06:00:00"));
    assert_eq!(berlin("2026-10-26", "08:00:00"), utc("2026-10-26 07:00:00"));
    // 02:30 happens twice: the earlier (CEST) instant.
    assert_eq!(berlin("2026-10-25", "02:30:00"), utc("2026-10-25 00:30:00"));
    assert_eq!(berlin("2026-10-25", "03:00:00"), utc("2026-10-25 02:00:00"));
}

#[test]
fn dst_gap_in_other_zones() {
    // New York springs forward at 02:00 EST to 03:00 EDT (07:00 UTC).
    let time = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
    assert_eq!(
        local_instant(d("2026-03-08"), time, chrono_tz::America::New_York),
        utc("2026-03-08 07:00:00")
    );
    // Samoa skipped 30.12.2011 entirely: the day starts at 31.12. 00:00 (+14:00).
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
    assert_eq!(
        local_instant(d("2011-12-30"), noon, chrono_tz::Pacific::Apia),
        utc("2011-12-30 10:00:00")
    );
}

#[test]
fn local_instant_never_panics_around_transitions() {
    for date in ["2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"] {
        for minute in 0..(24 * 60) {
            let time = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0).unwrap();
            let instant = local_instant(d(date), time, chrono_tz::Europe::Berlin);
            let local = instant
                .with_timezone(&chrono_tz::Europe::Berlin)
                .naive_local();
            assert!(local >= d(date).and_time(time), "{date} {time}");
        }
    }
}
