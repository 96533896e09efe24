//! Faults while writing the journal: a full disk (here: a file-size limit, `ulimit -f`, which
//! needs no root) leaves no fragment of a line behind — the append is whole or not at all.

mod support;

use std::process::Command;

use support::Project;

const NOW: &str = "2019-05-06";

/// Runs the binary under `ulimit -f <kib>` (bash counts in blocks of 1024 bytes).
fn run_limited(project: &Project, kib: u64, args: &[&str]) -> (i32, String) {
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("ulimit -f {kib}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(project.path())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_line_that_does_not_fit_is_not_written_at_all() {
    let project = Project::fixture("kreis");
    let sign = project.run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"]);
    assert_eq!(sign.code, 0, "{}", sign.all());
    // Pad the journal (blank lines are allowed and skipped) so that the limit falls 40 bytes
    // after its end: the next line starts, but cannot be completed.
    let path = project.file("state/2019-042.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let limit = 2048;
    let pad = limit - 40 - text.len() - 1;
    text.push_str(&" ".repeat(pad));
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    assert_eq!(text.len(), limit - 40);

    let (code, stderr) = run_limited(
        &project,
        2,
        &["--now", NOW, "sign", "042/19", "--as", "fb-soziales"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "state/2019-042.jsonl: die Datei hat die erlaubte Größe erreicht (Grenze für Dateigrößen)"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "not a byte of the refused line stays"
    );
    let check = project.run(&["--now", NOW, "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("unvollständig"), "{}", check.all());
    // Without the limit the same signature goes in.
    let again = project.run(&["--now", NOW, "sign", "042/19", "--as", "fb-soziales"]);
    assert_eq!(again.code, 0, "{}", again.all());
}
