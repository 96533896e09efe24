//! Places problems found after loading — by test-rendering a template, say — at the key of the
//! paper file they concern, with the source line, like every other diagnostic.

use std::sync::Arc;

use super::Loaded;
use super::yaml::{Seg, YamlSource};
use crate::diagnostic::Diagnostic;

/// A warning at `key` of the paper `paper_id`; without a position when the file no longer
/// reads or parses (it changed since loading).
pub fn paper_warning(
    loaded: &mut Loaded,
    paper_id: &str,
    key: &str,
    message: String,
) -> Diagnostic {
    let Some(project) = loaded.project.as_ref() else {
        return Diagnostic::warning(paper_id, message);
    };
    let folders = project.folders();
    let Some(path) = ["yaml", "yml"]
        .iter()
        .map(|ext| folders.papers.join(format!("{paper_id}.{ext}")))
        .find(|p| p.is_file())
    else {
        return Diagnostic::warning(paper_id, message);
    };
    let shown = folders.display(&path).to_path_buf();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Diagnostic::warning(shown, message);
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    match YamlSource::parse(&shown, &text) {
        Ok(source) => {
            loaded.sources.insert(shown, Arc::from(text));
            source.warning_at(&[Seg::key(key)], message)
        }
        Err(_) => Diagnostic::warning(shown, message),
    }
}
