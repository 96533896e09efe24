//! The example project at the repository root: it passes `check` and stands where the seeds
//! left it. (That its committed journal holds only the seeds' events is checked by `.ci/run`
//! on the clean clone, since a local `ratsflow run` rightly appends notices to it.)

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
    assert!(
        stdout.contains("Stand: Unterschrift Auftragnehmer/in — wartet auf U. Cramer, H. Bott"),
        "{stdout}"
    );
    assert!(stdout.contains("25.10.2018"), "{stdout}");
    let (_, stdout, _) = ratsflow(&["--now", "2026-11-21", "status", "042/21"]);
    assert!(stdout.contains("Stand: beschlossen"), "{stdout}");
    assert!(stdout.contains("Antrag 042/21-1 angenommen"), "{stdout}");
    let (_, stdout, _) = ratsflow(&["--now", "2019-05-20", "status", "M 012/19"]);
    assert!(stdout.contains("Sitzung 03.06.2019"), "{stdout}");
    assert!(stdout.contains("Frist 20.05.2019"), "{stdout}");
}
