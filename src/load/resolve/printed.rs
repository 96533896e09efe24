//! The fields councils print, checked beyond their shape: the Finanzen box always says ja or
//! nein; Anlagen that name a file must name one under the project that exists, since it goes
//! with the notice mails. Each problem is an error at its place in the paper, like every input.

use std::path::{Component, Path};

use super::{idx, key};
use crate::diagnostic::Diagnostic;
use crate::load::raw::RawPaper;
use crate::load::yaml::YamlSource;

/// `finances:` needs `impact` (the box's first line).
pub(super) fn check_finances(raw: &RawPaper, source: &YamlSource, out: &mut Vec<Diagnostic>) {
    if let Some(finances) = &raw.finances
        && finances.impact.is_none()
    {
        out.push(
            source
                .error_at(
                    &[key("finances")],
                    "die Finanziellen Auswirkungen brauchen „impact: ja“ oder „impact: nein“",
                )
                .with_hint("„impact: nein“, wenn der Beschluss nichts kostet und nichts einbringt"),
        );
    }
}

/// Checks every `file:` of the paper's Anlagen against the project folder `root`.
pub(super) fn check_files(
    raw: &RawPaper,
    root: &Path,
    source: &YamlSource,
    out: &mut Vec<Diagnostic>,
) {
    for (i, attachment) in raw.attachments.iter().enumerate() {
        let Some(file) = attachment.file() else {
            continue;
        };
        let at = [key("attachments"), idx(i), key("file")];
        let path = Path::new(file);
        let inside = !file.trim().is_empty()
            && path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside {
            out.push(
                source
                    .error_at(
                        &at,
                        format!("Anlage {}: „{file}“ liegt nicht im Projektordner", i + 1),
                    )
                    .with_hint(
                        "einen Pfad relativ zum Projektordner angeben, z. B. „anlagen/konzept.pdf“",
                    ),
            );
            continue;
        }
        if !root.join(path).is_file() {
            out.push(
                source
                    .error_at(
                        &at,
                        format!("Anlage {}: die Datei „{file}“ gibt es nicht", i + 1),
                    )
                    .with_hint(
                        "der Pfad gilt relativ zum Projektordner, z. B. „anlagen/konzept.pdf“",
                    ),
            );
        }
    }
}
