//! Every command the README's „Using it“ section shows works on the example project, in the
//! order shown, on a copy of the project (the README's promise to a newcomer).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `ratsflow …` lines of the first `sh` block after „## Using it“, continuation lines joined
/// and comments dropped.
fn readme_commands() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split_once("## Using it")
        .map(|(_, rest)| rest)
        .expect("README has a „Using it“ section");
    let block = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("„Using it“ has an sh block");
    let joined = block.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("ratsflow "))
        .map(|line| {
            let words = shell_words::split(line).unwrap();
            // Drop a trailing comment (`# …` as its own word onwards).
            let end = words.iter().position(|w| w == "#").unwrap_or(words.len());
            words[1..end].to_vec()
        })
        .collect()
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("beispiel");
    support::example_copy::copy_example_project(&project);
    (dir, project)
}

/// `watch` runs until stopped: it must get ready and stop cleanly on SIGTERM.
fn watch_briefly(project: &Path, args: &[String]) {
    let child = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .args(args)
        .current_dir(project)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // The watcher has done its first pass once the out/ folder has documents in it.
    while started.elapsed() < Duration::from_secs(20) && !project.join("out/2026-017").exists() {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "ratsflow {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn every_command_of_the_readme_works_on_the_example_project() {
    let commands = readme_commands();
    assert!(commands.len() >= 15, "{commands:?}");
    let (_dir, project) = example_copy();
    for args in &commands {
        if args.first().map(String::as_str) == Some("watch") {
            watch_briefly(&project, args);
            continue;
        }
        let output = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .args(args)
            .current_dir(&project)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "ratsflow {}:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // What the walk-through promises happened.
    assert!(project.join("papers/2026-a001.yaml").is_file());
    assert!(project.join("meine-gemeinde/ratsflow.yaml").is_file());
}
