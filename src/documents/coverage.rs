//! Fields a paper sets that the template of its kind never prints.
//!
//! A Mitteilungsvorlage template without a financing section silently drops `financing:`; the
//! author believes the text is in the document. `check` warns, naming the field and the template,
//! by comparing the paper's filled fields with the data the compiled template reads.

use std::collections::BTreeSet;

use crate::model::Paper;

/// The paper's filled content fields (YAML names) that `variables` (dotted names the template
/// reads, see [`crate::docx::DocxTemplate::variables`]) never reach.
pub fn unprinted_fields(paper: &Paper, variables: &BTreeSet<String>) -> Vec<&'static str> {
    if variables.contains("paper") {
        return Vec::new(); // the template passes the whole paper on
    }
    let text = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
    let filled = [
        ("subtitle", text(&paper.subtitle)),
        ("lead_office", text(&paper.lead_office)),
        ("department", text(&paper.department)),
        ("office_unit", text(&paper.office_unit)),
        ("summary", text(&paper.summary)),
        ("finances", paper.finances.is_some()),
        ("author", paper.author.is_some()),
        ("file_number", text(&paper.file_number)),
        ("preliminary", text(&paper.preliminary)),
        ("facts", text(&paper.facts)),
        ("proposal", !paper.proposal.is_empty()),
        ("financing", text(&paper.financing)),
        ("costs", paper.costs.is_some()),
        ("attachments", !paper.attachments.is_empty()),
        ("closing", text(&paper.closing)),
        ("project", paper.project.is_some()),
        ("addressee", text(&paper.addressee)),
        ("changes", !paper.changes.is_empty()),
        ("reasons", text(&paper.reasons)),
        ("questions", !paper.questions.is_empty()),
    ];
    filled
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(field, _)| field)
        .filter(|field| {
            !reads(variables, field) && !views_of(field).iter().any(|v| reads(variables, v))
        })
        .collect()
}

/// The template names under which a field is printed besides its own: a motion's `changes`
/// are its Ziffern.
fn views_of(field: &str) -> &'static [&'static str] {
    match field {
        "changes" => &["ziffern"],
        "attachments" => &["anlagen"],
        _ => &[],
    }
}

fn reads(variables: &BTreeSet<String>, field: &str) -> bool {
    let mut name = String::with_capacity(7 + field.len());
    name.push_str("paper.");
    name.push_str(field);
    if variables.contains(&name) {
        return true;
    }
    // The set is sorted: a name under `paper.<field>.` is the first one from that prefix on
    // (`check` asks this for every field of every paper; a scan of all names was 2 %).
    name.push('.');
    variables
        .range::<str, _>((
            std::ops::Bound::Included(name.as_str()),
            std::ops::Bound::Unbounded,
        ))
        .next()
        .is_some_and(|v| v.starts_with(&name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::RawPaper;

    #[test]
    fn a_filled_field_the_template_never_reads_is_named() {
        let raw: RawPaper = serde_yaml::from_str(
            "kind: Mitteilungsvorlage\nworkflow: w\ntitle: T\nfacts: F\nfinancing: Landesmittel\nattachments: [a.pdf]\n",
        )
        .unwrap();
        let paper = Paper::with_builtin_kind("p".into(), raw, Vec::new());
        let reads: BTreeSet<String> = ["paper.title", "paper.facts", "org.name"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            unprinted_fields(&paper, &reads),
            vec!["financing", "attachments"]
        );
        let all: BTreeSet<String> = ["paper".to_string()].into();
        assert!(unprinted_fields(&paper, &all).is_empty());
    }

    #[test]
    fn a_field_is_read_by_its_name_or_a_name_under_it_not_by_a_longer_name() {
        let set =
            |names: &[&str]| -> BTreeSet<String> { names.iter().map(|s| s.to_string()).collect() };
        assert!(reads(&set(&["paper.facts"]), "facts"));
        assert!(reads(&set(&["paper.costs.total", "paper.z"]), "costs"));
        assert!(reads(
            &set(&["paper.costs", "paper.costs_period", "paper.costs.x"]),
            "costs"
        ));
        assert!(reads(
            &set(&["paper.costs-a", "paper.costs.x", "paper.costsz"]),
            "costs"
        ));
        assert!(!reads(
            &set(&["paper.costs_period", "paper.costsz"]),
            "costs"
        ));
        assert!(!reads(&set(&["paper.cost", "paper.cost.s"]), "costs"));
        assert!(!reads(&set(&["paperx.costs", "org.costs"]), "costs"));
        assert!(!reads(&set(&[]), "costs"));
    }
}
