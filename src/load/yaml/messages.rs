//! German wording for what the YAML parsers and serde report in English.
//!
//! Users of ratsflow work in German council offices; they should never see
//! `invalid type: string "x", expected a sequence`. Everything the parsers (yaml-rust2 while
//! indexing, libyaml inside serde_yaml while decoding) and serde can say is translated here;
//! phrases we do not know are kept as they are rather than guessed.

use crate::diagnostic::did_you_mean;

/// A translated problem: message, optional hint, and what kind of problem it is (which decides
/// where it is located).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Translated {
    pub message: String,
    pub hint: Option<String>,
    pub kind: ProblemKind,
}

/// What a serde/serde_yaml error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ProblemKind {
    /// A value has the wrong shape or content: located at the value.
    Value,
    /// A required field is missing: located at the enclosing mapping.
    MissingField,
    /// A key appears twice.
    Duplicate,
    /// A YAML syntax error (found by libyaml inside serde_yaml).
    Syntax,
    /// The document is empty.
    Empty,
    /// More than one document.
    MultipleDocuments,
    /// Our own (already German) message or an unknown one: located at the value.
    Custom,
}

/// The message for a file with several documents.
pub(super) const MULTIPLE_DOCUMENTS: &str =
    "mehrere YAML-Dokumente in einer Datei; ratsflow erwartet genau eines";

/// The message for a file that nests lists and mappings deeper than the index allows.
pub(super) const TOO_DEEP: &str = "die Daten sind zu tief verschachtelt (mehr als 64 Ebenen)";

/// The hint for [`TOO_DEEP`].
pub(super) const TOO_DEEP_HINT: &str = "ratsflow-Dateien brauchen nur wenige Ebenen; prüfen Sie die Einrückung und die Klammern „[“ und „{“";

/// The message for an empty file.
pub(super) const EMPTY: &str = "die Datei ist leer";

const INDENT_HINT: &str = "alle Schlüssel einer Ebene müssen genau gleich weit eingerückt sein";
const TAB_HINT: &str = "rücken Sie mit Leerzeichen ein, z. B. zwei pro Ebene";
const QUOTE_HINT: &str = "setzen Sie den Wert in Anführungszeichen";

/// Syntax problems of yaml-rust2 and libyaml: a phrase the problem contains, the German reason
/// and a hint. The first match wins, so specific phrases come first.
const SYNTAX: &[(&str, &str, Option<&str>)] = &[
    (
        "tab",
        "Tabulatoren sind zur Einrückung nicht erlaubt",
        Some(TAB_HINT),
    ),
    (
        "escape",
        "unbekannte Escape-Sequenz mit „\\“ in Anführungszeichen",
        Some(
            "in \"…\" leitet „\\“ eine Escape-Sequenz ein; schreiben Sie „\\\\“ oder verwenden Sie '…'",
        ),
    ),
    (
        "hexadecimal",
        "unbekannte Escape-Sequenz mit „\\“ in Anführungszeichen",
        Some(
            "in \"…\" leitet „\\“ eine Escape-Sequenz ein; schreiben Sie „\\\\“ oder verwenden Sie '…'",
        ),
    ),
    (
        "quoted scalar",
        "Anführungszeichen wird nicht geschlossen",
        Some(
            "jedes öffnende „\"“ oder „'“ braucht ein schließendes; Folgezeilen müssen eingerückt sein",
        ),
    ),
    (
        "found unexpected end of stream",
        "Anführungszeichen wird nicht geschlossen",
        Some(
            "jedes öffnende „\"“ oder „'“ braucht ein schließendes; Folgezeilen müssen eingerückt sein",
        ),
    ),
    (
        "after double-quoted scalar",
        "nach dem schließenden Anführungszeichen steht noch Text",
        Some("setzen Sie den ganzen Wert in Anführungszeichen"),
    ),
    (
        "mapping values are not allowed",
        "hier ist kein „Schlüssel: Wert“ erlaubt",
        Some(
            "steht ein Doppelpunkt mit Leerzeichen im Text? Dann setzen Sie den Text in Anführungszeichen, z. B. title: \"Antrag: Radweg\"",
        ),
    ),
    (
        "mapping keys are not allowed",
        "hier ist kein Schlüssel mit „?“ erlaubt",
        Some(QUOTE_HINT),
    ),
    (
        "must be followed by a valid YAML whitespace",
        "nach dem Doppelpunkt muss ein Leerzeichen stehen",
        None,
    ),
    (
        "placement of ':'",
        "der Doppelpunkt steht an einer unerlaubten Stelle",
        Some(QUOTE_HINT),
    ),
    (
        "found unexpected ':'",
        "der Doppelpunkt steht an einer unerlaubten Stelle",
        Some(QUOTE_HINT),
    ),
    (
        "block mapping",
        "falsche Einrückung: hier wird ein Schlüssel auf der Ebene darüber erwartet",
        Some(INDENT_HINT),
    ),
    (
        "did not find expected key",
        "falsche Einrückung: hier wird ein Schlüssel auf der Ebene darüber erwartet",
        Some(INDENT_HINT),
    ),
    (
        "block collection",
        "falsche Einrückung in einer Liste: hier wird ein Eintrag „- …“ erwartet",
        Some("alle Einträge einer Liste beginnen in derselben Spalte mit „- “"),
    ),
    (
        "expected '-'",
        "falsche Einrückung in einer Liste: hier wird ein Eintrag „- …“ erwartet",
        Some("alle Einträge einer Liste beginnen in derselben Spalte mit „- “"),
    ),
    (
        "block sequence entries are not allowed",
        "hier ist kein Listeneintrag „- …“ erlaubt",
        Some(
            "eine Liste beginnt in der Zeile unter ihrem Schlüssel, z. B. „proposal:“ und darunter „  - …“",
        ),
    ),
    (
        "only valid inside a block",
        "hier ist kein Listeneintrag „- …“ erlaubt",
        Some("in „{ … }“ und „[ … ]“ werden Einträge mit Komma getrennt, ohne „-“"),
    ),
    (
        "cannot start with '-'",
        "ein Wert darf nicht mit „-“ und einem der Zeichen „,[]{}“ beginnen",
        Some(QUOTE_HINT),
    ),
    (
        "flow mapping",
        "in „{ … }“ fehlt ein Komma oder die schließende „}“",
        None,
    ),
    (
        "'}'",
        "in „{ … }“ fehlt ein Komma oder die schließende „}“",
        None,
    ),
    (
        "flow sequence",
        "in „[ … ]“ fehlt ein Komma oder die schließende „]“",
        None,
    ),
    (
        "']'",
        "in „[ … ]“ fehlt ein Komma oder die schließende „]“",
        None,
    ),
    (
        "unknown anchor",
        "unbekannter Anker: zu „*name“ fehlt „&name“",
        Some("ein Text, der mit „*“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "undefined alias",
        "unbekannter Anker: zu „*name“ fehlt „&name“",
        Some("ein Text, der mit „*“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "duplicate anchor",
        "der Anker „&…“ ist doppelt vergeben",
        None,
    ),
    (
        "duplicated anchor",
        "der Anker „&…“ ist doppelt vergeben",
        None,
    ),
    (
        "anchor",
        "ungültiger Anker oder Alias nach „&“ bzw. „*“",
        Some("ein Text, der mit „&“ oder „*“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "alias",
        "ungültiger Anker oder Alias nach „&“ bzw. „*“",
        Some("ein Text, der mit „&“ oder „*“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "alphabetic or numeric",
        "ungültiger Anker oder Alias nach „&“ bzw. „*“",
        Some("ein Text, der mit „&“ oder „*“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "comments must be separated",
        "vor einem Kommentar „#“ muss ein Leerzeichen stehen",
        None,
    ),
    (
        "block scalar",
        "fehlerhafter Textblock („|“ oder „>“)",
        Some("die Zeilen eines Textblocks müssen weiter eingerückt sein als sein Schlüssel"),
    ),
    (
        "directive",
        "„%“ am Zeilenanfang ist hier nicht erlaubt",
        Some(QUOTE_HINT),
    ),
    (
        "tag",
        "ungültiger YAML-Typ nach „!“",
        Some("ein Text, der mit „!“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "expected '!'",
        "ungültiger YAML-Typ nach „!“",
        Some("ein Text, der mit „!“ beginnt, muss in Anführungszeichen stehen"),
    ),
    (
        "simple key",
        "hier fehlt der Doppelpunkt nach dem Schlüssel",
        None,
    ),
    (
        "expected ':'",
        "hier fehlt der Doppelpunkt nach dem Schlüssel",
        None,
    ),
    ("expected whitespace", "hier fehlt ein Leerzeichen", None),
    ("indentation", "falsche Einrückung", Some(INDENT_HINT)),
    (
        "recursion limit",
        "die Daten sind zu tief verschachtelt",
        None,
    ),
    ("node content", "hier fehlt ein Wert", None),
    (
        "document",
        "unerwarteter Inhalt nach dem Ende des Dokuments",
        Some("„---“ und „...“ trennen YAML-Dokumente; ratsflow erwartet genau eines"),
    ),
    (
        "UTF-",
        "die Datei ist nicht UTF-8-kodiert",
        Some("speichern Sie die Datei als UTF-8"),
    ),
    (
        "control characters",
        "die Datei enthält Steuerzeichen",
        Some("entfernen Sie unsichtbare Sonderzeichen"),
    ),
    (
        "unexpected eof",
        "die Datei endet mitten in einem Wert",
        None,
    ),
];

/// Translates a yaml-rust2 or libyaml syntax problem into `(message, hint)`; `culprit` is the
/// character at the reported position.
pub(super) fn syntax(problem: &str, culprit: Option<char>) -> (String, Option<String>) {
    let unexpected =
        problem.contains("cannot start any token") || problem.starts_with("unexpected character");
    if unexpected && culprit == Some('\t') {
        return (
            "YAML-Syntaxfehler: Tabulatoren sind zur Einrückung nicht erlaubt".to_string(),
            Some(TAB_HINT.to_string()),
        );
    }
    if unexpected {
        let what = culprit.map_or("dieses Zeichen".to_string(), |c| {
            format!("das Zeichen „{c}“")
        });
        return (
            format!("YAML-Syntaxfehler: {what} darf keinen Wert beginnen"),
            Some(format!("{QUOTE_HINT}, z. B. \"@Rathaus\"")),
        );
    }
    match SYNTAX
        .iter()
        .find(|(phrase, _, _)| problem.contains(phrase))
    {
        Some((_, reason, hint)) => (
            format!("YAML-Syntaxfehler: {reason}"),
            hint.map(str::to_string),
        ),
        None => (format!("YAML-Syntaxfehler: {problem}"), None),
    }
}

/// Translates one serde/serde_yaml error message (already stripped of path and position).
pub(super) fn translate(message: &str) -> Translated {
    let plain = |message: String, kind| Translated {
        message,
        hint: None,
        kind,
    };
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (unexpected, expected) = split_expected(rest);
        return plain(
            format!(
                "falscher Typ: {}, erwartet wird {}",
                unexpected_de(unexpected),
                expected_de(expected)
            ),
            ProblemKind::Value,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (unexpected, expected) = split_expected(rest);
        return plain(
            format!(
                "ungültiger Wert: {}, erwartet wird {}",
                unexpected_de(unexpected),
                expected_de(expected)
            ),
            ProblemKind::Value,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        let (length, expected) = split_expected(rest);
        return plain(
            format!(
                "falsche Anzahl: {length} Einträge, erwartet wird {}",
                expected_de(expected)
            ),
            ProblemKind::Value,
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (given, allowed) = split_choices(rest);
        return Translated {
            message: format!("unbekannter Wert „{given}“"),
            hint: choice_hint(&given, &allowed),
            kind: ProblemKind::Value,
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (given, allowed) = split_choices(rest);
        return Translated {
            message: format!("unbekannter Schlüssel „{given}“"),
            hint: choice_hint(&given, &allowed),
            kind: ProblemKind::Value,
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).unwrap_or(rest);
        return Translated {
            message: format!("Pflichtfeld „{field}“ fehlt"),
            hint: Some(format!("ergänzen Sie „{field}: …“")),
            kind: ProblemKind::MissingField,
        };
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = backticked(rest).unwrap_or(rest);
        return plain(
            format!("doppelter Schlüssel „{field}“"),
            ProblemKind::Duplicate,
        );
    }
    if let Some(rest) = message.strip_prefix("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        return plain(
            format!("doppelter Schlüssel „{key}“"),
            ProblemKind::Duplicate,
        );
    }
    if message.starts_with("duplicate entry") {
        return plain("doppelter Schlüssel".to_string(), ProblemKind::Duplicate);
    }
    if message.starts_with("EOF while parsing") {
        return plain(EMPTY.to_string(), ProblemKind::Empty);
    }
    if message.contains("more than one document") {
        return plain(
            MULTIPLE_DOCUMENTS.to_string(),
            ProblemKind::MultipleDocuments,
        );
    }
    if message == "recursion limit exceeded" {
        return Translated {
            message: TOO_DEEP.to_string(),
            hint: Some(TOO_DEEP_HINT.to_string()),
            kind: ProblemKind::Value,
        };
    }
    if message == "repetition limit exceeded" {
        return Translated {
            message: "zu viele Wiederholungen über Aliase („*name“)".to_string(),
            hint: Some(
                "schreiben Sie die Werte aus, statt sie vielfach zu wiederholen".to_string(),
            ),
            kind: ProblemKind::Value,
        };
    }
    if message == "non-string key" {
        return Translated {
            message: "ein Schlüssel muss ein einfacher Text sein".to_string(),
            hint: Some(
                "Listen, Zuordnungen oder leere Werte können keine Schlüssel sein".to_string(),
            ),
            kind: ProblemKind::Value,
        };
    }
    if message == "unknown anchor" {
        let (message, hint) = syntax("unknown anchor", None);
        return Translated {
            message,
            hint,
            kind: ProblemKind::Value,
        };
    }
    plain(message.to_string(), ProblemKind::Custom)
}

/// Whether `message` is what libyaml says about a syntax error (serde_yaml passes these on).
pub(super) fn is_libyaml_problem(message: &str) -> bool {
    const STARTS: [&str; 13] = [
        "found ",
        "did not find",
        "could not find",
        "while ",
        "mapping values are not allowed",
        "mapping keys are not allowed",
        "block sequence entries are not allowed",
        "control characters",
        "invalid leading UTF-8",
        "invalid trailing UTF-8",
        "invalid Unicode",
        "invalid length of a UTF-8",
        "incomplete UTF-",
    ];
    STARTS.iter().any(|p| message.starts_with(p)) || message == "input is too long"
}

/// Chrono's parse errors (from `NaiveDate`'s `Deserialize`) in German, with the offending
/// text; None for other messages.
pub(super) fn chrono(message: &str, value: Option<&str>) -> Option<(String, Option<String>)> {
    let reason = match message {
        "input is out of range" => "außerhalb des gültigen Bereichs",
        "input contains invalid characters" => "ungültige Zeichen",
        "premature end of input" | "input is not enough for unique date and time" => {
            "unvollständig"
        }
        "trailing input" => "überzählige Zeichen am Ende",
        "no possible date and time matching input" => "passt zu keinem Datum",
        "bad or unsupported format string" => "unbekanntes Format",
        _ => return None,
    };
    let hint = Some("Datumsangaben schreiben Sie als JJJJ-MM-TT, z. B. 2026-12-03".to_string());
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        let message = if message == "premature end of input" {
            "hier fehlt ein Datum".to_string()
        } else {
            format!("ungültiges Datum ({reason})")
        };
        return Some((message, hint));
    };
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let parts: Vec<&str> = value.split('-').collect();
    let date_shaped = matches!(parts.as_slice(), [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2));
    if date_shaped && message == "input is out of range" {
        return Some((format!("das Datum „{value}“ gibt es nicht"), None));
    }
    if value.bytes().any(|b| b.is_ascii_digit())
        && value
            .bytes()
            .all(|b| b.is_ascii_digit() || b"-./ ".contains(&b))
    {
        return Some((
            format!("„{value}“ ist kein Datum; erwartet wird JJJJ-MM-TT"),
            hint,
        ));
    }
    Some((
        format!("„{value}“ ist kein gültiges Datum ({reason})"),
        hint,
    ))
}

/// Splits `X, expected Y` into `(X, Y)`.
fn split_expected(rest: &str) -> (&str, &str) {
    match rest.rfind(", expected ") {
        Some(i) => (&rest[..i], &rest[i + ", expected ".len()..]),
        None => (rest, ""),
    }
}

/// Splits `` `foo`, expected one of `a`, `b` `` into `("foo", ["a", "b"])`.
fn split_choices(rest: &str) -> (String, Vec<String>) {
    let (given, expected) = match rest.find("`, expected") {
        Some(i) => (&rest[..=i], &rest[i + 1..]),
        None => match rest.find("`, there are no") {
            Some(i) => (&rest[..=i], ""),
            None => (rest, ""),
        },
    };
    let given = given
        .strip_prefix('`')
        .and_then(|g| g.strip_suffix('`'))
        .unwrap_or(given);
    let allowed = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (given.to_string(), allowed)
}

/// `meinten Sie „x“?` or `erlaubt sind: a, b`.
fn choice_hint(given: &str, allowed: &[String]) -> Option<String> {
    if let Some(best) = did_you_mean(given, allowed.iter().map(String::as_str)) {
        return Some(format!("meinten Sie „{best}“?"));
    }
    if allowed.is_empty() {
        return None;
    }
    Some(format!("erlaubt sind: {}", allowed.join(", ")))
}

/// The text between the first pair of backticks.
fn backticked(s: &str) -> Option<&str> {
    let start = s.find('`')? + 1;
    let len = s[start..].find('`')?;
    Some(&s[start..start + len])
}

/// serde's `Unexpected` (what was found) in German.
fn unexpected_de(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string ") {
        let text = text.strip_prefix('"').unwrap_or(text);
        let text = text.strip_suffix('"').unwrap_or(text);
        return format!("Text „{}“", text.replace("\\\"", "\""));
    }
    if let Some(n) = found.strip_prefix("integer ") {
        return format!("Zahl {}", n.trim_matches('`'));
    }
    if let Some(n) = found.strip_prefix("floating point ") {
        return format!("Zahl {}", n.trim_matches('`'));
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return format!("ja/nein-Wert {}", b.trim_matches('`'));
    }
    if let Some(c) = found.strip_prefix("character ") {
        return format!("Zeichen „{}“", c.trim_matches('`'));
    }
    match found {
        "unit value" | "null" => "leerer Wert".to_string(),
        "sequence" => "Liste".to_string(),
        "map" => "Zuordnung (Schlüssel: Wert)".to_string(),
        "Option value" => "optionaler Wert".to_string(),
        "enum" | "unit variant" | "newtype variant" | "tuple variant" | "struct variant" => {
            "Auswahlwert".to_string()
        }
        other => other.to_string(),
    }
}

/// serde's `expected …` phrase in German.
fn expected_de(expected: &str) -> String {
    let e = expected.trim();
    let integer = [
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "integer",
        "an integer",
    ];
    let german = if integer.contains(&e) {
        "eine ganze Zahl"
    } else if e == "f32" || e == "f64" || e.contains("floating point") || e == "a number" {
        "eine Zahl"
    } else if e == "a sequence" || e.starts_with("a sequence") || e.starts_with("a list") {
        "eine Liste"
    } else if e == "a map"
        || e.starts_with("struct ")
        || e.contains("mapping")
        || e == "a map/struct"
    {
        "eine Zuordnung (Schlüssel: Wert)"
    } else if e == "a string" || e == "a borrowed string" || e == "string" {
        "ein Text"
    } else if e == "a boolean" || e == "bool" {
        "ja/nein (true/false)"
    } else if e == "a formatted date string" || e.contains("a date") || e == "NaiveDate" {
        "ein Datum (JJJJ-MM-TT)"
    } else if e.contains("date and time") || e.contains("datetime") {
        "ein Zeitpunkt (JJJJ-MM-TTTHH:MM)"
    } else if e.contains("time string") {
        "eine Uhrzeit (HH:MM)"
    } else if e == "a character" || e == "a char" {
        "ein einzelnes Zeichen"
    } else if e == "unit" || e == "null" {
        "ein leerer Wert"
    } else if e == "field identifier" || e == "a field name" {
        "ein Schlüsselname"
    } else if e.starts_with("enum ") || e == "variant identifier" || e.contains("YAML tag") {
        "einer der erlaubten Werte"
    } else if e == "any valid YAML value" || e == "any value" {
        "ein YAML-Wert"
    } else {
        return e.to_string();
    };
    german.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors() {
        let t = translate("invalid type: string \"x\", expected a sequence");
        assert_eq!(
            t.message,
            "falscher Typ: Text „x“, erwartet wird eine Liste"
        );
        let t = translate("invalid type: sequence, expected struct Paper");
        assert_eq!(
            t.message,
            "falscher Typ: Liste, erwartet wird eine Zuordnung (Schlüssel: Wert)"
        );
        let t = translate("invalid type: integer `5`, expected a string");
        assert_eq!(t.message, "falscher Typ: Zahl 5, erwartet wird ein Text");
        let t = translate("invalid type: string \"viele\", expected u32");
        assert_eq!(
            t.message,
            "falscher Typ: Text „viele“, erwartet wird eine ganze Zahl"
        );
        let t = translate("invalid type: unit value, expected a boolean");
        assert_eq!(
            t.message,
            "falscher Typ: leerer Wert, erwartet wird ja/nein (true/false)"
        );
        let t = translate("invalid type: map, expected a formatted date string");
        assert_eq!(
            t.message,
            "falscher Typ: Zuordnung (Schlüssel: Wert), erwartet wird ein Datum (JJJJ-MM-TT)"
        );
        let t = translate("invalid type: map, expected something odd");
        assert!(t.message.ends_with("erwartet wird something odd"));
        let t = translate("invalid length 3, expected a tuple of size 2");
        assert_eq!(
            t.message,
            "falsche Anzahl: 3 Einträge, erwartet wird a tuple of size 2"
        );
    }

    #[test]
    fn variants_and_fields() {
        let t = translate("unknown variant `beratng`, expected one of `vorberatung`, `beratung`");
        assert_eq!(t.message, "unbekannter Wert „beratng“");
        assert_eq!(t.hint.as_deref(), Some("meinten Sie „beratung“?"));
        let t = translate("unknown variant `x`, expected `a` or `b`");
        assert_eq!(t.hint.as_deref(), Some("erlaubt sind: a, b"));
        let t = translate("unknown variant `x`, there are no variants");
        assert_eq!((t.message.as_str(), t.hint), ("unbekannter Wert „x“", None));
        let t = translate("missing field `title`");
        assert_eq!(t.message, "Pflichtfeld „title“ fehlt");
        assert_eq!(t.kind, ProblemKind::MissingField);
        let t = translate("das Datum „2026-02-30“ gibt es nicht");
        assert_eq!(t.message, "das Datum „2026-02-30“ gibt es nicht");
        assert_eq!(t.kind, ProblemKind::Custom);
    }

    #[test]
    fn syntax_reasons() {
        let (m, h) = syntax(
            "tabs disallowed within this context (block indentation)",
            None,
        );
        assert_eq!(
            m,
            "YAML-Syntaxfehler: Tabulatoren sind zur Einrückung nicht erlaubt"
        );
        assert!(h.is_some());
        let (m, _) = syntax("something new", None);
        assert_eq!(m, "YAML-Syntaxfehler: something new");
    }

    #[test]
    fn chrono_errors() {
        assert_eq!(
            chrono("input is out of range", Some("2026-02-30")).map(|c| c.0),
            Some("das Datum „2026-02-30“ gibt es nicht".to_string())
        );
        assert_eq!(
            chrono("input contains invalid characters", Some("3.12.2026")).map(|c| c.0),
            Some("„3.12.2026“ ist kein Datum; erwartet wird JJJJ-MM-TT".to_string())
        );
        assert_eq!(chrono("something else", Some("x")), None);
        assert_eq!(
            chrono("premature end of input", None).map(|c| c.0),
            Some("hier fehlt ein Datum".to_string())
        );
    }
}
