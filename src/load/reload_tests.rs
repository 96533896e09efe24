//! The watcher's incremental path keeps the index of motions true: a motion added, removed or
//! pointed at another paper is found (or no longer found) among its base paper's motions.

use super::{load_project, reload_paper};

fn motions_of(project: &super::Project, id: &str) -> Vec<String> {
    project.motions_of(id).map(|p| p.id.clone()).collect()
}

#[test]
fn reloading_a_paper_keeps_the_motions_of_each_paper_true() {
    let dir = crate::serve::draft::tests::example();
    let loaded = load_project(dir.path()).unwrap();
    let mut project = std::sync::Arc::unwrap_or_clone(loaded.project.unwrap());
    assert_eq!(motions_of(&project, "2026-017"), ["2026-017-1"]);

    // A second motion appears while watching.
    let text = std::fs::read_to_string(dir.path().join("papers/2026-017-1.yaml")).unwrap();
    let copy = text.replace("reference:", "reference_old:");
    let copy = copy
        .lines()
        .filter(|line| !line.starts_with("reference_old:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("papers/2026-017-2.yaml"), copy).unwrap();
    reload_paper(&mut project, "2026-017-2");
    assert!(project.papers.contains_key("2026-017-2"));
    assert_eq!(
        motions_of(&project, "2026-017"),
        ["2026-017-1", "2026-017-2"]
    );

    // It is deleted again.
    std::fs::remove_file(dir.path().join("papers/2026-017-2.yaml")).unwrap();
    reload_paper(&mut project, "2026-017-2");
    assert_eq!(motions_of(&project, "2026-017"), ["2026-017-1"]);

    // The first motion now amends another paper (without its Ziffer on sub-point 3 b) of
    // 017/26, which 042/21 does not have).
    let sub_point = "  - replace: 3.b\n    text: die Verwendung der Asylpauschale und der weiteren Landesmittel für Integration,\n";
    assert!(text.contains(sub_point));
    std::fs::write(
        dir.path().join("papers/2026-017-1.yaml"),
        text.replace("amends: \"2026-017\"", "amends: \"2021-042\"")
            .replace(sub_point, ""),
    )
    .unwrap();
    reload_paper(&mut project, "2026-017-1");
    assert!(motions_of(&project, "2026-017").is_empty());
    assert!(motions_of(&project, "2021-042").contains(&"2026-017-1".to_string()));
}
