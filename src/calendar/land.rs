//! The 16 German Länder, parsed from the code or the German name a user writes.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

/// The 16 German Länder (Bundesländer); the Land decides which public holidays apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Land {
    /// Baden-Württemberg.
    BW,
    /// Bayern.
    BY,
    /// Berlin.
    BE,
    /// Brandenburg.
    BB,
    /// Bremen.
    HB,
    /// Hamburg.
    HH,
    /// Hessen.
    HE,
    /// Mecklenburg-Vorpommern.
    MV,
    /// Niedersachsen.
    NI,
    /// Nordrhein-Westfalen.
    NW,
    /// Rheinland-Pfalz.
    RP,
    /// Saarland.
    SL,
    /// Sachsen.
    SN,
    /// Sachsen-Anhalt.
    ST,
    /// Schleswig-Holstein.
    SH,
    /// Thüringen.
    TH,
}

impl Land {
    /// All 16 Länder in the order of their official codes' usual listing.
    pub const ALL: [Land; 16] = [
        Land::BW,
        Land::BY,
        Land::BE,
        Land::BB,
        Land::HB,
        Land::HH,
        Land::HE,
        Land::MV,
        Land::NI,
        Land::NW,
        Land::RP,
        Land::SL,
        Land::SN,
        Land::ST,
        Land::SH,
        Land::TH,
    ];

    /// The two-letter code, e.g. `"NW"`.
    pub fn code(self) -> &'static str {
        match self {
            Land::BW => "BW",
            Land::BY => "BY",
            Land::BE => "BE",
            Land::BB => "BB",
            Land::HB => "HB",
            Land::HH => "HH",
            Land::HE => "HE",
            Land::MV => "MV",
            Land::NI => "NI",
            Land::NW => "NW",
            Land::RP => "RP",
            Land::SL => "SL",
            Land::SN => "SN",
            Land::ST => "ST",
            Land::SH => "SH",
            Land::TH => "TH",
        }
    }

    /// The German name, e.g. `"Nordrhein-Westfalen"`.
    pub fn name(self) -> &'static str {
        match self {
            Land::BW => "Baden-Württemberg",
            Land::BY => "Bayern",
            Land::BE => "Berlin",
            Land::BB => "Brandenburg",
            Land::HB => "Bremen",
            Land::HH => "Hamburg",
            Land::HE => "Hessen",
            Land::MV => "Mecklenburg-Vorpommern",
            Land::NI => "Niedersachsen",
            Land::NW => "Nordrhein-Westfalen",
            Land::RP => "Rheinland-Pfalz",
            Land::SL => "Saarland",
            Land::SN => "Sachsen",
            Land::ST => "Sachsen-Anhalt",
            Land::SH => "Schleswig-Holstein",
            Land::TH => "Thüringen",
        }
    }
}

/// Shows the German name, e.g. `Nordrhein-Westfalen`.
impl fmt::Display for Land {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Folds case, umlauts (also written as `ae`, `oe`, `ue`, `ss`), spaces and hyphens away,
/// so that "baden-wuerttemberg" and "Baden Württemberg" both match "Baden-Württemberg".
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            ' ' | '-' | '_' => {}
            other => out.push(other),
        }
    }
    out
}

/// Accepts the code in any case (`"NW"`, `"nw"`, also `"NRW"`) or the German name
/// (`"Nordrhein-Westfalen"`, `"Thüringen"`, also spelled `"Thueringen"`).
impl FromStr for Land {
    type Err = String;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        if text.eq_ignore_ascii_case("NRW") {
            return Ok(Land::NW);
        }
        let folded = fold(text);
        let found = Land::ALL
            .into_iter()
            .find(|land| text.eq_ignore_ascii_case(land.code()) || folded == fold(land.name()));
        match found {
            Some(land) => Ok(land),
            None => {
                let codes = Land::ALL.map(Land::code).join(", ");
                let what = if text.is_empty() {
                    "Kein Bundesland angegeben.".to_string()
                } else {
                    format!("Unbekanntes Bundesland „{text}“.")
                };
                Err(format!(
                    "{what} Gültig sind die Kürzel {codes} oder der Name des Landes, z. B. „Nordrhein-Westfalen“."
                ))
            }
        }
    }
}

/// Reads a Land from a string via [`FromStr`]; the error is the German message.
impl<'de> Deserialize<'de> for Land {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LandVisitor;
        impl Visitor<'_> for LandVisitor {
            type Value = Land;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "ein Bundesland als Kürzel oder Name, z. B. „NW“ oder „Nordrhein-Westfalen“",
                )
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Land, E> {
                value.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(LandVisitor)
    }
}

/// Writes the code, e.g. `"NW"`, which [`Deserialize`] reads back.
impl Serialize for Land {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}
