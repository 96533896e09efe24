//! Rules of the office that are not the state of one paper: how reference numbers are counted
//! and which body decides a paper. Pure, like the rest of the engine.

use crate::load::Project;
use crate::model::{ConsultationRole, Paper, StageKind};

/// The next free number in the series `prefix` (empty for plain Drucksachen numbers) for the
/// two-digit year `yy`: „M 003/26“ is number 3 of series `M` in 2026.
pub fn next_number<'a>(references: impl Iterator<Item = &'a str>, prefix: &str, yy: u32) -> u32 {
    let suffix = format!("/{yy:02}");
    references
        .filter_map(|reference| {
            let rest = reference.strip_prefix(prefix)?;
            // „M 003/26“ belongs to series M, „MA 003/26“ does not.
            let rest = if prefix.is_empty() {
                rest
            } else {
                rest.strip_prefix(' ')?
            };
            let number = rest.strip_suffix(&suffix)?;
            if number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()) {
                number.parse::<u32>().ok()
            } else {
                None
            }
        })
        .max()
        .map_or(1, |n| n + 1)
}

/// A reference number as printed: „001/26“ or „M 001/26“.
pub fn reference(prefix: &str, number: u32, yy: u32) -> String {
    if prefix.is_empty() {
        format!("{number:03}/{yy:02}")
    } else {
        format!("{prefix} {number:03}/{yy:02}")
    }
}

/// The body that decides a paper: the body of its last consultation with the role
/// Entscheidung, else of its last consultation.
pub fn deciding_body<'a>(project: &'a Project, paper: &'a Paper) -> Option<&'a str> {
    let workflow = project.workflows.get(&paper.workflow)?;
    let consults = workflow
        .stages
        .iter()
        .filter_map(|stage| match &stage.kind {
            StageKind::Consult { body, role } => Some((body, *role)),
            StageKind::Sign(_) => None,
        });
    let all: Vec<_> = consults.collect();
    let (body, _) = all
        .iter()
        .rev()
        .find(|(_, role)| *role == ConsultationRole::Entscheidung)
        .or(all.last())?;
    match body {
        crate::model::BodyRef::Fixed(id) => Some(id.as_str()),
        crate::model::BodyRef::PaperBody => paper.body.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_per_series_and_year() {
        let refs = [
            "042/21",
            "001/26",
            "007/26",
            "M 003/26",
            "MA 009/26",
            "A 001/25",
            "B 2017/500/3708",
        ];
        assert_eq!(next_number(refs.iter().copied(), "", 26), 8);
        assert_eq!(next_number(refs.iter().copied(), "M", 26), 4);
        assert_eq!(next_number(refs.iter().copied(), "A", 26), 1);
        assert_eq!(next_number(refs.iter().copied(), "", 21), 43);
        assert_eq!(reference("M", 4, 26), "M 004/26");
        assert_eq!(reference("", 8, 26), "008/26");
    }
}
