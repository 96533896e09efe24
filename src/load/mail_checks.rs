//! Checks of what ends up in a mail, made when the inputs are read.
//!
//! Names, the sender and addresses go into mail headers, where a line break would end the
//! header or start a new one. The rules are the sender's own ([`crate::mail::message`]):
//! `check` reports at its place in the file what the sender would have to flatten, and an
//! address is checked by the parser that sends (lettre), so `check` and sending never
//! disagree; the sender in the settings is validated by [`crate::project::MailSettings`] and
//! located here. The mail templates are compiled here too, once, and their problems located.

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location};
use crate::load::Loader;
use crate::load::yaml::{Seg, YamlSource};
use crate::mail::message::{header_text_problem, parse_address};
use crate::mail::templates::MailTemplates;
use crate::model::Directory;

fn key(name: &str) -> Seg {
    Seg::Key(name.to_string())
}

/// An address error at `path`, with the value as written.
fn bad_address(source: &YamlSource, path: &[Seg], email: &str) -> Diagnostic {
    source
        .error_at(
            path,
            format!("„{email}“ ist keine E-Mail-Adresse, an die sich senden lässt"),
        )
        .with_hint(
            "genau eine Adresse wie vorname.name@kreis.example, ohne Namen, Komma und spitze Klammern",
        )
}

/// Header text and addresses of the directory: people's names, salutations and addresses,
/// organisations' names (they sign and send when the settings name no sender).
pub(super) fn directory(directory: &Directory, source: &YamlSource) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (id, person) in &directory.people {
        let at = |field: &str| [key("people"), key(id), key(field)];
        if let Some(problem) = header_text_problem(&person.name) {
            found.push(
                source
                    .error_at(&at("name"), format!("der Name {problem}"))
                    .with_hint("der Name steht im Kopf jeder Mail an diese Person; bitte in eine Zeile schreiben"),
            );
        }
        if parse_address(&person.email).is_err() {
            found.push(bad_address(source, &at("email"), &person.email));
        }
        if let Some(problem) = person.salutation.as_deref().and_then(header_text_problem) {
            found.push(
                source
                    .error_at(&at("salutation"), format!("die Anrede {problem}"))
                    .with_hint("z. B. „Sehr geehrte Frau Landwehr“, in einer Zeile"),
            );
        }
    }
    for (id, organisation) in &directory.organisations {
        if let Some(problem) = header_text_problem(&organisation.name) {
            found.push(
                source
                    .error_at(
                        &[key("organisations"), key(id), key("name")],
                        format!("der Name {problem}"),
                    )
                    .with_hint("der Name steht als Absender im Kopf der Mails; bitte in eine Zeile schreiben"),
            );
        }
    }
    found
}

/// A settings problem at its key (`mail.from.email`), as a diagnostic.
pub(super) fn located(source: &YamlSource, error: crate::project::SettingsError) -> Diagnostic {
    let path: Vec<Seg> = error.path.iter().map(|k| key(k)).collect();
    let diagnostic = source.error_at(&path, error.message);
    match error.hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// Loads and compiles the mail templates; their problems become located diagnostics.
pub(super) fn mail_templates(loader: &mut Loader) -> Arc<MailTemplates> {
    let templates = MailTemplates::load(&loader.folders.templates);
    for problem in templates.problems() {
        let Some(file) = &problem.file else {
            continue;
        };
        let shown = loader.display(file);
        let text = templates.source_of(problem);
        loader.sources.insert(shown.clone(), Arc::from(text));
        let mut diagnostic = Diagnostic::error(shown, problem.message.clone())
            .with_hint("bis die Vorlage korrigiert ist, warten die Nachrichten dieser Art");
        if let Some(line) = problem.line {
            diagnostic = diagnostic.at(
                Location {
                    line,
                    column: problem.column,
                },
                problem.len,
            );
        }
        loader.diagnostics.push(diagnostic);
    }
    Arc::new(templates)
}
