//! Anlagen that name a file: the file must lie under the project and exist, since it goes with
//! the notice mails. A missing file is an error at its place in the paper, like every input.

use std::path::{Component, Path};

use super::{idx, key};
use crate::diagnostic::Diagnostic;
use crate::load::raw::RawPaper;
use crate::load::yaml::YamlSource;

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
