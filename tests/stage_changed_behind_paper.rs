//! A signature was given under a stage's signers and rule. When the workflow changes that stage
//! afterwards (other signers, another rule), `check` warns, naming paper and stage; a change of
//! the stage's title or role does not count, and lines of older versions are not compared.

mod support;

use support::Project;

const WORKFLOW: &str = "workflows/kreistag.yaml";
const RULE: &str = "sign: { n: 2, of: [fb-soziales, kaemmerei, personalrat], role: Mitzeichnung }";

/// 042/19 signed by two of three at „Mitzeichnung“: the paper has passed that stage.
fn passed_mitzeichnung() -> Project {
    let project = Project::fixture("kreis");
    for who in ["fb-soziales", "kaemmerei"] {
        let out = project.run(&["--now", "2019-05-06", "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let journal = project.read("state/2019-042.jsonl");
    assert_eq!(journal.matches("\"stage_hash\":\"").count(), 2, "{journal}");
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("Warnung"), "{}", check.stderr);
    project
}

fn edit_workflow(project: &Project, from: &str, to: &str) {
    let path = project.file(WORKFLOW);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{text}");
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CHANGED: &str = "Warnung: Drucksache „042/19“: die Stufe „Mitzeichnung“ des Ablaufs „Beschlussvorlage an den Kreistag“ ist geändert worden (Unterzeichnende oder Regel), seit Fatma Şahin und Klaus Groß dort unterschrieben haben; bitte prüfen, ob die Unterschriften noch gelten\n  --> state/2019-042.jsonl:1:1\n1 Warnung\n";

#[test]
fn a_new_rule_at_a_passed_stage_is_reported_by_check() {
    let project = passed_mitzeichnung();
    edit_workflow(
        &project,
        RULE,
        "sign: { all: [fb-soziales, kaemmerei, personalrat], role: Mitzeichnung }",
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert_eq!(check.stderr, CHANGED);
}

#[test]
fn other_signers_at_a_passed_stage_are_reported_by_check() {
    let project = passed_mitzeichnung();
    edit_workflow(
        &project,
        "of: [fb-soziales, kaemmerei, personalrat]",
        "of: [fb-soziales, kaemmerei, dezernent]",
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert_eq!(check.stderr, CHANGED);
}

#[test]
fn a_new_title_or_role_is_not_a_change_of_signers_or_rule() {
    let project = passed_mitzeichnung();
    edit_workflow(
        &project,
        "title: Mitzeichnung",
        "title: Mitzeichnung der Fachbereiche",
    );
    edit_workflow(&project, "role: Mitzeichnung }", "role: Mitzeichnende }");
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("Warnung"), "{}", check.stderr);
}

#[test]
fn signature_lines_without_the_stage_hash_are_not_compared() {
    let project = passed_mitzeichnung();
    let journal = project.read("state/2019-042.jsonl");
    let old_style: String = journal
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            value.as_object_mut().unwrap().remove("stage_hash");
            format!("{value}\n")
        })
        .collect();
    std::fs::write(project.file("state/2019-042.jsonl"), old_style).unwrap();
    edit_workflow(
        &project,
        RULE,
        "sign: { all: [fb-soziales, kaemmerei, personalrat], role: Mitzeichnung }",
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("Warnung"), "{}", check.stderr);
}

#[test]
fn signatures_of_an_earlier_version_of_the_paper_are_not_compared() {
    let project = passed_mitzeichnung();
    let paper = project.file("papers/2019-042.yaml");
    let text = std::fs::read_to_string(&paper).unwrap();
    let title = text
        .lines()
        .find(|line| line.starts_with("title:"))
        .unwrap()
        .to_string();
    std::fs::write(&paper, text.replacen(&title, "title: Ein anderer Titel", 1)).unwrap();
    edit_workflow(
        &project,
        RULE,
        "sign: { all: [fb-soziales, kaemmerei, personalrat], role: Mitzeichnung }",
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("die Stufe"), "{}", check.stderr);
}
