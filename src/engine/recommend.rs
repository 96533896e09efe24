//! The administration's recommendation per Ziffer of a motion, read from its Stellungnahme:
//! what `status`, the decision draft and `decide … wie Stellungnahme` show and apply.

use std::collections::BTreeMap;

use crate::model::{Paper, Recommendation};

/// The recommendations of a Stellungnahme by Ziffer (1-based). A Ziffer named twice keeps its
/// last recommendation, as a reader of the document would take it.
pub fn recommendations(stellungnahme: &Paper) -> BTreeMap<usize, Recommendation> {
    stellungnahme
        .recommendations
        .iter()
        .map(|r| (r.ziffer, r.clone()))
        .collect()
}

/// The Stellungnahmen answering `motion` among `papers`, in id order.
pub fn stellungnahmen<'a>(
    papers: impl IntoIterator<Item = &'a Paper>,
    motion: &str,
) -> Vec<&'a Paper> {
    papers
        .into_iter()
        .filter(|p| p.answers.as_deref() == Some(motion))
        .collect()
}

/// The recommendation for each Ziffer of `motion` from the Stellungnahmen answering it (a
/// later one by id overrides an earlier one for the same Ziffer).
pub fn for_motion<'a>(
    papers: impl IntoIterator<Item = &'a Paper>,
    motion: &str,
) -> BTreeMap<usize, Recommendation> {
    stellungnahmen(papers, motion)
        .into_iter()
        .flat_map(recommendations)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;
    use crate::model::Recommend;

    fn paper(id: &str, yaml: &str) -> Paper {
        let raw: RawPaper = serde_yaml::from_str(yaml).unwrap();
        Paper::with_builtin_kind(id.into(), raw, Vec::new())
    }

    #[test]
    fn recommendations_by_ziffer_from_the_answering_stellungnahme() {
        let motion = paper("a", "kind: Antrag\nworkflow: w\ntitle: A\n");
        let answer = paper(
            "s",
            "kind: Stellungnahme der Verwaltung\nworkflow: w\ntitle: S\nanswers: a\n\
             recommendations:\n  - { ziffer: 1, recommend: zustimmen }\n  \
             - { ziffer: 2, recommend: verweisen, to: ausschuss, reasons: Erst beraten. }\n",
        );
        let other = paper(
            "t",
            "kind: Stellungnahme der Verwaltung\nworkflow: w\ntitle: T\nanswers: b\nrecommendations: [{ziffer: 1, recommend: ablehnen}]\n",
        );
        let found = for_motion([&motion, &answer, &other], "a");
        assert_eq!(found.len(), 2);
        assert_eq!(found[&1].recommend, Recommend::Zustimmen);
        assert_eq!(found[&2].to.as_deref(), Some("ausschuss"));
        assert_eq!(found[&2].reasons.as_deref(), Some("Erst beraten."));
        assert_eq!(
            found[&2].recommend.label(Some("Sozialausschuss")),
            "Verweisung an: Sozialausschuss"
        );
    }
}
