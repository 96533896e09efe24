//! Public holidays per Land: crate `holiday_de` as the base, plus the corrections below
//! where it is incomplete when checked against the Länder's holiday laws.
//!
//! Checked against the law and found right in `holiday_de` 0.1 (so not repeated here):
//! - nationwide: Neujahr, Karfreitag, Ostermontag, 1. Mai, Christi Himmelfahrt, Pfingstmontag,
//!   Tag der Deutschen Einheit, 1. and 2. Weihnachtsfeiertag;
//! - Reformationstag: BB, MV, SN, ST, TH always; HB, HH, NI, SH since 2018 (the crate says
//!   "since 2017", which is the same, because 31.10.2017 was a one-off holiday in all Länder);
//! - Internationaler Frauentag: BE since 2019, MV since 2023; Weltkindertag: TH since 2019;
//! - Tag der Befreiung: BE in 2020 and 2025 only; 17.06.2028: BE one-off (a Saturday);
//! - Buß- und Bettag: SN only (since 1995);
//! - Fronleichnam statewide in BW, BY, HE, NW, RP, SL; in SN and TH only in some municipalities,
//!   so not counted there;
//! - Heilige Drei Könige: BW, BY, ST; Allerheiligen: BW, BY, NW, RP, SL;
//! - Mariä Himmelfahrt: SL, and BY, where it is by law a holiday only in the municipalities
//!   with a Catholic majority — most of them, so it is counted statewide;
//! - the Augsburger Friedensfest (08.08., city of Augsburg only) is not counted.
//!
//! Corrections:
//! 1. `holiday_de` knows no holidays before 1995. For 1991–1994 this layer applies the 1995
//!    rules plus Buß- und Bettag in all Länder (abolished outside Sachsen from 1995 to fund
//!    the Pflegeversicherung), and Heilige Drei Könige in ST only from 1993 (when ST
//!    introduced it). Years before 1991, before the Länder's current holiday laws, have no
//!    holidays here: see [`FIRST_HOLIDAY_YEAR`].
//! 2. Names are this module's own German names, e.g. "Internationaler Frauentag" (the crate
//!    says "Frauentag") and "1. Weihnachtsfeiertag" (the crate says "Erster Weihnachtsfeiertag").
//!
//! Ostersonntag and Pfingstsonntag, which BB and HE also list as holidays, are always Sundays
//! and are left out, as `holiday_de` does; a Sunday is never a working day anyway.

use chrono::{Datelike, NaiveDate};
use holiday_de::{GermanHoliday, GermanRegion};

use super::Land;

/// The first year whose public holidays are modelled (the first full year of the 16 Länder).
pub const FIRST_HOLIDAY_YEAR: i32 = 1991;

/// The first year `holiday_de` itself covers.
const HOLIDAY_DE_FIRST_YEAR: i32 = 1995;

/// The German name of the public holiday on `date` in `land`, if any.
pub(super) fn holiday_name(land: Land, date: NaiveDate) -> Option<&'static str> {
    base_holiday(region(land), date).map(name)
}

fn base_holiday(region: GermanRegion, date: NaiveDate) -> Option<GermanHoliday> {
    let year = date.year();
    if year < FIRST_HOLIDAY_YEAR {
        return None;
    }
    if year >= HOLIDAY_DE_FIRST_YEAR {
        return region.holiday_from_date(date);
    }
    // Correction 1: 1991–1994.
    let mut holidays = region.holidays_in_year(HOLIDAY_DE_FIRST_YEAR);
    if !holidays.contains(&GermanHoliday::BussUndBettag) {
        holidays.push(GermanHoliday::BussUndBettag);
    }
    if region == GermanRegion::SachsenAnhalt && year < 1993 {
        holidays.retain(|holiday| *holiday != GermanHoliday::HeiligeDreiKoenige);
    }
    holidays
        .into_iter()
        .find(|holiday| holiday.date(year) == Some(date))
}

fn region(land: Land) -> GermanRegion {
    match land {
        Land::BW => GermanRegion::BadenWuerttemberg,
        Land::BY => GermanRegion::Bayern,
        Land::BE => GermanRegion::Berlin,
        Land::BB => GermanRegion::Brandenburg,
        Land::HB => GermanRegion::Bremen,
        Land::HH => GermanRegion::Hamburg,
        Land::HE => GermanRegion::Hessen,
        Land::MV => GermanRegion::MechlenburgVorpommern,
        Land::NI => GermanRegion::Niedersachsen,
        Land::NW => GermanRegion::NordrheinWestfalen,
        Land::RP => GermanRegion::RheinlandPfalz,
        Land::SL => GermanRegion::Saarland,
        Land::SN => GermanRegion::Sachsen,
        Land::ST => GermanRegion::SachsenAnhalt,
        Land::SH => GermanRegion::SchleswigHolstein,
        Land::TH => GermanRegion::Thueringen,
    }
}

/// Correction 2: the German names a council user reads.
fn name(holiday: GermanHoliday) -> &'static str {
    match holiday {
        GermanHoliday::Neujahr => "Neujahr",
        GermanHoliday::HeiligeDreiKoenige => "Heilige Drei Könige",
        GermanHoliday::Frauentag => "Internationaler Frauentag",
        GermanHoliday::Faschingsdienstag => "Faschingsdienstag",
        GermanHoliday::Aschermittwoch => "Aschermittwoch",
        GermanHoliday::Gruendonnerstag => "Gründonnerstag",
        GermanHoliday::Karfreitag => "Karfreitag",
        GermanHoliday::Ostersonntag => "Ostersonntag",
        GermanHoliday::Ostermontag => "Ostermontag",
        GermanHoliday::ErsterMai => "1. Mai",
        GermanHoliday::TagDerBefreiung => "Tag der Befreiung",
        GermanHoliday::ChristiHimmelfahrt => "Christi Himmelfahrt",
        GermanHoliday::Pfingstsonntag => "Pfingstsonntag",
        GermanHoliday::Pfingstmontag => "Pfingstmontag",
        GermanHoliday::SiebzehnterJuni => "Jahrestag des Volksaufstands vom 17. Juni 1953",
        GermanHoliday::Fronleichnam => "Fronleichnam",
        GermanHoliday::AugsburgerFriedensfest => "Augsburger Friedensfest",
        GermanHoliday::MariaeHimmelfahrt => "Mariä Himmelfahrt",
        GermanHoliday::Weltkindertag => "Weltkindertag",
        GermanHoliday::TagDerDeutschenEinheit => "Tag der Deutschen Einheit",
        GermanHoliday::Reformationstag => "Reformationstag",
        GermanHoliday::Allerheiligen => "Allerheiligen",
        GermanHoliday::BussUndBettag => "Buß- und Bettag",
        GermanHoliday::Heiligabend => "Heiligabend",
        GermanHoliday::ErsterWeihnachtsfeiertag => "1. Weihnachtsfeiertag",
        GermanHoliday::ZweiterWeihnachtsfeiertag => "2. Weihnachtsfeiertag",
        GermanHoliday::Silvester => "Silvester",
    }
}
