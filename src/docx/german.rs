//! German wording for minijinja's errors, and errors that already are German.
//!
//! Filters and the fuel meter raise errors whose text is meant for the author as it is; they
//! carry a [`Localized`] source so that the error mapping can tell them from minijinja's own
//! English details, which are translated here where it matters (syntax errors, unknown
//! filters) and otherwise named by their kind.

use std::fmt;

use minijinja::{Error, ErrorKind};

/// Marks an error text as written for the author (German).
#[derive(Debug)]
pub(crate) struct Localized(pub String);

impl fmt::Display for Localized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Localized {}

/// A minijinja error whose message is German already.
pub(crate) fn localized(kind: ErrorKind, message: String) -> Error {
    Error::new(kind, message.clone()).with_source(Localized(message))
}

/// The German message of an error raised by our own code, if it is one.
pub(crate) fn own_message(err: &Error) -> Option<String> {
    let mut source = std::error::Error::source(err);
    while let Some(current) = source {
        if let Some(localized) = current.downcast_ref::<Localized>() {
            return Some(localized.0.clone());
        }
        source = current.source();
    }
    None
}

/// A German name for an error kind.
pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NonPrimitive => "Wert ist kein einfacher Wert",
        ErrorKind::NonKey => "Wert taugt nicht als Schlüssel",
        ErrorKind::InvalidOperation => "ungültige Operation",
        ErrorKind::SyntaxError => "Syntaxfehler",
        ErrorKind::TemplateNotFound => "Vorlage nicht gefunden",
        ErrorKind::TooManyArguments => "zu viele Argumente",
        ErrorKind::MissingArgument => "Argument fehlt",
        ErrorKind::UnknownFilter => "unbekannter Filter",
        ErrorKind::UnknownTest => "unbekannter Test",
        ErrorKind::UnknownFunction => "unbekannte Funktion",
        ErrorKind::UnknownMethod => "unbekannte Methode",
        ErrorKind::BadEscape => "ungültige Escape-Sequenz",
        ErrorKind::UndefinedError => "undefinierter Wert",
        ErrorKind::BadSerialization => "Daten nicht verwendbar",
        ErrorKind::CannotUnpack => "Wert lässt sich nicht aufteilen",
        ErrorKind::BadInclude => "Einbinden nicht möglich",
        ErrorKind::EvalBlock => "Block nicht auswertbar",
        ErrorKind::WriteFailure => "Schreibfehler",
        _ => "Fehler",
    }
}

/// Translates minijinja's syntax error details (the common ones; the rest keeps its words).
pub(crate) fn syntax_detail(detail: &str) -> String {
    if let Some(rest) = detail.strip_prefix("unknown statement ") {
        return format!("unbekannte Anweisung „{rest}“");
    }
    if let Some((found, expected)) = detail
        .strip_prefix("unexpected ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "unerwartet: {}, erwartet: {}",
            token(found),
            token(expected)
        );
    }
    if let Some(rest) = detail.strip_prefix("unexpected ") {
        return format!("unerwartet: {}", token(rest));
    }
    let known = match detail {
        "unexpected character" => Some("unerwartetes Zeichen"),
        "unexpected end of string" => Some("Zeichenkette wird nicht geschlossen"),
        "unexpected input after expression" => Some("unerwarteter Text nach dem Ausdruck"),
        "invalid float" | "invalid integer (too large)" => Some("ungültige Zahl"),
        "'continue' must be placed inside a loop" | "'break' must be placed inside a loop" => {
            Some("„break“ und „continue“ gehen nur in Schleifen")
        }
        _ => None,
    };
    known.map_or_else(|| format!("„{detail}“"), str::to_owned)
}

/// Translates the details of minijinja's common runtime errors; `None` for the rest.
pub(crate) fn runtime_detail(detail: &str) -> Option<String> {
    if let Some(kind) = detail.strip_suffix(" is not iterable") {
        return Some(format!(
            "{} lässt sich nicht durchlaufen",
            value_type(kind, false)
        ));
    }
    if let Some(kind) = detail
        .strip_prefix("value of type ")
        .and_then(|rest| rest.strip_suffix(" is not callable"))
    {
        return Some(format!(
            "{} lässt sich nicht aufrufen",
            value_type(kind, false)
        ));
    }
    if let Some((operator, types)) = detail
        .strip_prefix("tried to use ")
        .and_then(|rest| rest.split_once(" operator on unsupported types "))
    {
        let (a, b) = types.split_once(" and ").unwrap_or((types, types));
        return Some(format!(
            "„{operator}“ geht nicht mit {} und {}",
            value_type(a, true),
            value_type(b, true)
        ));
    }
    None
}

/// The German name of a minijinja value type with its article, nominative or dative.
fn value_type(kind: &str, dative: bool) -> String {
    let (nominative, dative_form) = match kind.trim() {
        "string" => ("eine Zeichenkette", "einer Zeichenkette"),
        "number" => ("eine Zahl", "einer Zahl"),
        "bool" => ("ein Wahrheitswert", "einem Wahrheitswert"),
        "sequence" | "seq" => ("eine Liste", "einer Liste"),
        "map" => ("eine Zuordnung", "einer Zuordnung"),
        "none" => ("„none“", "„none“"),
        "undefined" => ("ein undefinierter Wert", "einem undefinierten Wert"),
        other => {
            let article = if dative { "einem" } else { "ein" };
            return format!("{article} Wert vom Typ „{other}“");
        }
    };
    if dative { dative_form } else { nominative }.to_owned()
}

/// A German description of a quick-xml error.
pub(crate) fn xml_error(err: &quick_xml::Error) -> String {
    use quick_xml::errors::{IllFormedError, SyntaxError};
    match err {
        quick_xml::Error::Syntax(syntax) => match syntax {
            SyntaxError::InvalidBangMarkup => "ungültiges Markup nach „<!“".to_owned(),
            SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => {
                "eine Verarbeitungsanweisung „<?…?>“ wird nicht geschlossen".to_owned()
            }
            SyntaxError::UnclosedComment => "ein Kommentar wird nicht geschlossen".to_owned(),
            SyntaxError::UnclosedDoctype => "„<!DOCTYPE“ wird nicht geschlossen".to_owned(),
            SyntaxError::UnclosedCData => "ein CDATA-Abschnitt wird nicht geschlossen".to_owned(),
            _ => "ein Tag wird nicht geschlossen".to_owned(),
        },
        quick_xml::Error::IllFormed(ill) => match ill {
            IllFormedError::MismatchedEndTag { expected, found } => {
                format!("„</{found}>“ statt „</{expected}>“")
            }
            IllFormedError::UnmatchedEndTag(name) => format!("„</{name}>“ ohne Anfangs-Tag"),
            IllFormedError::MissingEndTag(name) => format!("„<{name}>“ wird nicht geschlossen"),
            IllFormedError::UnclosedReference => {
                "ein Verweis „&…;“ wird nicht geschlossen".to_owned()
            }
            IllFormedError::DoubleHyphenInComment => "„--“ in einem Kommentar".to_owned(),
            _ => "fehlerhafte XML-Deklaration".to_owned(),
        },
        quick_xml::Error::InvalidAttr(_) => "fehlerhaftes oder doppeltes Attribut".to_owned(),
        quick_xml::Error::Encoding(_) => "ungültige Zeichenkodierung".to_owned(),
        quick_xml::Error::Escape(_) => "ungültiger Verweis „&…;“".to_owned(),
        quick_xml::Error::Namespace(_) => "unbekanntes Namensraum-Präfix".to_owned(),
        quick_xml::Error::Io(_) => "Lesefehler".to_owned(),
    }
}

/// Translates a token description of minijinja's parser.
fn token(text: &str) -> String {
    let text = text.trim();
    let german = match text {
        "end of input" => "Ende der Vorlage",
        "end of variable block" => "„}}“",
        "start of variable block" => "„{{“",
        "end of block" => "„%}“",
        "start of block" => "„{%“",
        "identifier" => "ein Name",
        "string" => "eine Zeichenkette",
        "integer" | "float" => "eine Zahl",
        "expression" => "ein Ausdruck",
        "keyword" => "ein Schlüsselwort",
        "statement" => "eine Anweisung",
        "template-data" => "Text",
        "identifier or integer" => "ein Name oder eine Zahl",
        _ => "",
    };
    if !german.is_empty() {
        return german.to_owned();
    }
    if let Some(inner) = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
        return format!("„{inner}“");
    }
    if let Some(inner) = text.strip_prefix("end of ") {
        return format!("Ende von {}", token(inner));
    }
    format!("„{text}“")
}

/// The German message of a template error other than an undefined value (whose name depends on
/// where the template text comes from): syntax, includes, unknown filters by name, runtime.
pub(crate) fn describe_error(err: &minijinja::Error) -> String {
    use minijinja::ErrorKind;
    let detail = err.detail().unwrap_or("");
    match err.kind() {
        ErrorKind::SyntaxError => format!("Syntaxfehler: {}", syntax_detail(detail)),
        ErrorKind::TemplateNotFound => "Vorlagen können keine anderen Dateien einbinden".to_owned(),
        kind @ (ErrorKind::UnknownFilter
        | ErrorKind::UnknownTest
        | ErrorKind::UnknownFunction
        | ErrorKind::UnknownMethod) => {
            let name = detail
                .strip_suffix(" is unknown")
                .map(|n| n.trim_start_matches("filter ").trim_start_matches("test "));
            match name {
                Some(name) => format!("{} „{name}“", kind_name(kind)),
                None => kind_name(kind).to_owned(),
            }
        }
        kind if detail.is_empty() => kind_name(kind).to_owned(),
        kind => match runtime_detail(detail) {
            Some(german) => format!("{}: {german}", kind_name(kind)),
            None => format!("{} ({detail})", kind_name(kind)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_common_syntax_errors() {
        assert_eq!(
            syntax_detail("unexpected end of variable block, expected expression"),
            "unerwartet: „}}“, erwartet: ein Ausdruck"
        );
        assert_eq!(
            syntax_detail("unknown statement endiff"),
            "unbekannte Anweisung „endiff“"
        );
        assert_eq!(syntax_detail("unexpected `)`"), "unerwartet: „)“");
    }

    #[test]
    fn translates_common_runtime_errors() {
        assert_eq!(
            runtime_detail("number is not iterable").as_deref(),
            Some("eine Zahl lässt sich nicht durchlaufen")
        );
        assert_eq!(
            runtime_detail("tried to use / operator on unsupported types string and number")
                .as_deref(),
            Some("„/“ geht nicht mit einer Zeichenkette und einer Zahl")
        );
        assert_eq!(runtime_detail("something else"), None);
    }

    #[test]
    fn own_errors_are_recognised() {
        let err = localized(ErrorKind::InvalidOperation, "Hallo".to_owned());
        assert_eq!(own_message(&err).as_deref(), Some("Hallo"));
        assert_eq!(own_message(&Error::from(ErrorKind::UndefinedError)), None);
    }
}
