//! A document is rendered again exactly when something it prints changed: a second `render`
//! writes nothing, a name in the directory that the document prints makes it rendered again.

mod support;

use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

/// The input stamps of a paper's documents (`out/<paper>/.<document>.inputs`).
fn stamps(project: &Project, paper: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(project.file(&format!("out/{paper}")))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".inputs"))
        .map(|name| {
            let text = project.read(&format!("out/{paper}/{name}"));
            (name, text)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_changed_name_in_the_directory_renders_the_document_that_prints_it_again() {
    let project = Project::fixture("kreis");
    let first = project.run(&["--now", NOW, "render"]);
    assert_eq!(first.code, 0, "{}", first.all());
    assert!(first.stderr.contains(" 0 unverändert"), "{}", first.all());

    let again = project.run(&["--now", NOW, "render"]);
    assert_eq!(again.code, 0, "{}", again.all());
    assert!(again.stderr.contains("0 geschrieben"), "{}", again.all());

    let before = stamps(&project, "2019-042");
    assert!(!before.is_empty());
    // Klaus Groß (Kämmerei) is one of the Mitzeichnung's signers of 2019-042.
    project.edit("workflows/directory.yaml", "Klaus Groß", "Klaus Klein");
    let renamed = project.run(&["--now", NOW, "render"]);
    assert_eq!(renamed.code, 0, "{}", renamed.all());
    assert!(
        !renamed.stderr.contains("0 geschrieben"),
        "{}",
        renamed.all()
    );
    assert_ne!(stamps(&project, "2019-042"), before, "{}", renamed.all());

    let settled = project.run(&["--now", NOW, "render"]);
    assert!(
        settled.stderr.contains("0 geschrieben"),
        "{}",
        settled.all()
    );
}
