//! The fields councils print beside the proposal, as templates see them: Kurzfassung, Dezernat
//! and Dienststelle, the Finanzielle Auswirkungen (the box of a Beschlussvorlage), the numbered
//! Anlagen and the project's own `fields` (`paper.fields.X`).
//!
//! Flattened into `paper` by [`crate::documents::context`], so a template writes
//! `paper.summary`, `paper.finances.expense`, `paper.anlagen`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::Paper;

/// The printed fields of a paper.
#[derive(Debug, Serialize)]
pub struct PrintedFields {
    /// Kurzfassung (Markdown).
    pub summary: Option<String>,
    /// Dezernat.
    pub department: Option<String>,
    /// Dienststelle.
    pub office_unit: Option<String>,
    pub finances: Option<FinancesView>,
    /// The Anlagen with their numbers („Anlage 1“).
    pub anlagen: Vec<AnlageView>,
    /// The project's own fields, as written.
    pub fields: BTreeMap<String, serde_yaml::Value>,
}

/// The Finanzielle Auswirkungen in words; amounts stay numbers for the `eur` filter.
#[derive(Debug, Serialize)]
pub struct FinancesView {
    /// „ja“ or „nein“ (`check` requires it).
    pub impact: Option<&'static str>,
    /// „einmalig“ or „jährlich“.
    pub recurrence: Option<&'static str>,
    pub expense: Option<f64>,
    pub income: Option<f64>,
    pub budget_line: Option<String>,
    pub text: Option<String>,
}

/// One numbered Anlage.
#[derive(Debug, Serialize)]
pub struct AnlageView {
    pub number: usize,
    pub title: String,
    /// The file under the project, if the Anlage names one.
    pub file: Option<String>,
}

/// The printed fields of `paper`.
pub fn of_paper(paper: &Paper) -> PrintedFields {
    PrintedFields {
        summary: paper.summary.clone(),
        department: paper.department.clone(),
        office_unit: paper.office_unit.clone(),
        finances: paper.finances.as_ref().map(|f| FinancesView {
            impact: f.impact.map(|i| i.label()),
            recurrence: f.recurrence.map(|r| r.label()),
            expense: f.expense,
            income: f.income,
            budget_line: f.budget_line.clone(),
            text: f.text.clone(),
        }),
        anlagen: paper
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| AnlageView {
                number: i + 1,
                title: a.title.clone(),
                file: a.file.clone(),
            })
            .collect(),
        fields: paper.fields.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;

    #[test]
    fn the_projects_own_fields_and_numbered_anlagen_reach_templates() {
        let raw: RawPaper = serde_yaml::from_str(
            "kind: Beschlussvorlage\nworkflow: w\ntitle: T\nfields: { gemeinden: 12 }\n\
             attachments: [Plan.pdf, { title: Konzept, file: anlagen/k.pdf }]\n\
             finances: { impact: nein }\n",
        )
        .unwrap();
        let paper = Paper::with_builtin_kind("p".into(), raw, Vec::new());
        let json = serde_json::to_value(of_paper(&paper)).unwrap();
        assert_eq!(json["fields"]["gemeinden"], 12);
        assert_eq!(json["anlagen"][1]["number"], 2);
        assert_eq!(json["anlagen"][1]["file"], "anlagen/k.pdf");
        assert_eq!(json["finances"]["impact"], "nein");
    }
}
