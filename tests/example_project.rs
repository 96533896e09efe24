//! The example project at the repository root: it passes `check`, stands where the seeds left
//! it, a run today mails only about the paper in flight, and a `ratsflow run` on a fresh clone
//! changes no tracked file (notice bookkeeping goes to the ignored `state/outbox/`).

mod support;

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ratsflow(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_example_project_is_clean() {
    let (code, _, stderr) = ratsflow(&["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.ends_with("keine Probleme\n"), "{stderr}");
}

#[test]
fn the_seed_papers_stand_where_the_seeds_left_them() {
    let (_, stdout, _) = ratsflow(&[
        "--now",
        "2026-11-21",
        "status",
        "2018-projektauftrag-sozialarbeit",
    ]);
    assert!(stdout.contains("Stand: abgeschlossen"), "{stdout}");
    assert!(stdout.contains("25.10.2018"), "{stdout}");
    assert!(stdout.contains("12.11.2018"), "{stdout}");
    let (_, stdout, _) = ratsflow(&["--now", "2026-11-21", "status", "042/21"]);
    assert!(stdout.contains("Stand: beschlossen"), "{stdout}");
    assert!(stdout.contains("Antrag 042/21-1 angenommen"), "{stdout}");
    let (_, stdout, _) = ratsflow(&["--now", "2026-11-21", "status", "M 012/19"]);
    assert!(stdout.contains("Stand: zur Kenntnis genommen"), "{stdout}");
    assert!(stdout.contains("Sitzung 03.06.2019"), "{stdout}");
}

/// Copies the example project's inputs and journal (not its output) to a temporary folder.
fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::example_copy::copy_example_project(dir.path());
    dir
}

#[test]
fn a_run_today_mails_only_about_papers_in_flight() {
    let copy = copy_example();
    let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(copy.path())
        .args(["--now", "2026-11-21", "run"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mail = copy.path().join("out/mail");
    let mut subjects = Vec::new();
    for entry in std::fs::read_dir(&mail).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let subject = text
            .lines()
            .find(|l| l.starts_with("Subject:"))
            .unwrap_or_default()
            .to_string();
        subjects.push(subject);
    }
    assert!(!subjects.is_empty());
    // Every notice concerns the one paper in flight (017/26); no seed paper asks for anything.
    for (entry, subject) in std::fs::read_dir(&mail).unwrap().zip(&subjects) {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(text.contains("017/26"), "{subject}\n{text}");
        for old in ["2017", "2018", "2019", "/21"] {
            assert!(!subject.contains(old), "{subject}");
        }
    }
}

#[test]
fn a_run_on_a_fresh_clone_leaves_git_status_clean() {
    let git = |dir: &Path, args: &[&str]| {
        Command::new("git")
            .current_dir(dir)
            .args(args)
            .output()
            .unwrap()
    };
    let temp = tempfile::tempdir().unwrap();
    let clone = temp.path().join("clone");
    let out = git(
        temp.path(),
        &["clone", "-q", &root().display().to_string(), "clone"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for now in ["2026-11-21", "2019-05-20"] {
        let run = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(&clone)
            .args(["--now", now, "run"])
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            run.status.code() == Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
    assert!(
        clone.join("state/outbox").is_dir(),
        "the runs recorded notices"
    );
    let status = git(&clone, &["status", "--porcelain"]);
    assert_eq!(String::from_utf8_lossy(&status.stdout), "");
}
