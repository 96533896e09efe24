//! The calendars of the example project as a council uses them: `ratsflow run` writes one
//! feed per person and body to `out/ics/<token>.ics`, `ratsflow kalender` says whose is whose,
//! and the feeds hold the signing deadlines and meetings people expect.

mod support;

use base64::Engine as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example project in `<tmp>/beispiel`, its key in `<tmp>/schluessel/`.
struct Example {
    dir: tempfile::TempDir,
}

impl Example {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("beispiel");
        support::example_copy::copy_example_project(&project);
        // The repository's ignore rules, for the test that a run leaves `git status` clean.
        std::fs::copy(root().join(".gitignore"), project.join(".gitignore")).unwrap();
        std::fs::create_dir_all(project.join("out")).unwrap();
        Example { dir }
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("beispiel")
    }

    fn key_file(&self) -> PathBuf {
        self.dir.path().join("schluessel/ics.key")
    }

    fn ratsflow(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(self.project())
            .args(["--now", "2026-11-21"])
            .args(args)
            .env("RATSFLOW_KEY_FILE", self.key_file())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `ratsflow kalender`: file name (`out/ics/…`) by person or body id.
    fn listing(&self) -> BTreeMap<String, String> {
        let (code, stdout, stderr) = self.ratsflow(&["kalender"]);
        assert_eq!(code, 0, "{stderr}");
        stdout
            .lines()
            .filter_map(|line| {
                let (who, file) = line.trim().split_once(" → ")?;
                let id = who.rsplit_once(" (")?.1.trim_end_matches(')');
                let file = file.trim_end_matches(" (noch nicht geschrieben)");
                Some((id.to_string(), file.to_string()))
            })
            .collect()
    }

    /// The unfolded text of the feed of a person or body.
    fn feed(&self, id: &str) -> String {
        let file = &self.listing()[id];
        let text = std::fs::read_to_string(self.project().join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        text.replace("\r\n ", "")
    }
}

/// The events of an unfolded feed, each as its lines.
fn events(feed: &str) -> Vec<Vec<&str>> {
    feed.split("BEGIN:VEVENT\r\n")
        .skip(1)
        .map(|e| e.split("\r\n").take_while(|l| *l != "END:VEVENT").collect())
        .collect()
}

fn event_with<'a>(feed: &'a str, summary: &str) -> Option<Vec<&'a str>> {
    events(feed)
        .into_iter()
        .find(|e| e.contains(&format!("SUMMARY:{summary}").as_str()))
}

const SIGN_017: &str = "Zeichnung fällig: Beschlussvorlage 017/26 – Rahmenkonzept Kommunale Sozialarbeit: Vereinbarung zwischen Kreis und Städten und Gemeinden";

#[test]
fn run_writes_the_signing_deadline_of_017_26_into_each_pending_signatorys_feed() {
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "Kalender: 41 geschrieben, 0 unverändert (out/ics/; wem welcher gehört: ratsflow kalender)"
        ),
        "{stderr}"
    );
    for signer in ["fb-soziale-sicherung", "stab-asyl", "bfi"] {
        let feed = example.feed(signer);
        let event = event_with(&feed, SIGN_017).unwrap_or_else(|| panic!("{signer}: {feed}"));
        assert!(event.contains(&"DTSTART;VALUE=DATE:20261223"), "{event:?}");
        assert!(event.contains(&"DTEND;VALUE=DATE:20261224"), "{event:?}");
        assert!(
            event.contains(
                &format!("UID:zeichnung.2026-017.mitzeichnung.{signer}@kreis-gross-gerau.ratsflow")
                    .as_str()
            ),
            "{event:?}"
        );
        assert!(event.iter().any(|l| l.starts_with("DTSTAMP:")));
    }
    // The Landrat signs after the Mitzeichnung: not yet his deadline.
    assert!(event_with(&example.feed("landrat"), SIGN_017).is_none());
}

#[test]
fn the_kreistag_feed_holds_its_meetings_and_antragsfristen() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let feed = example.feed("kreistag-gg");
    assert!(feed.contains("X-WR-CALNAME:Sitzungen und Antragsfristen – Kreistag\r\n"));
    assert!(feed.contains("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"));
    let meetings: Vec<_> = events(&feed)
        .into_iter()
        .filter(|e| e.contains(&"SUMMARY:Sitzung Kreistag"))
        .collect();
    assert_eq!(meetings.len(), 8, "every date of the Sitzungskalender");
    let february = meetings
        .iter()
        .find(|e| e.contains(&"DTSTART;VALUE=DATE:20270222"))
        .expect("the meeting of 22.02.2027");
    let description = february
        .iter()
        .find(|l| l.starts_with("DESCRIPTION:"))
        .unwrap();
    assert!(
        description.contains("TOP 3 Beschlussvorlage 017/26: Rahmenkonzept Kommunale Sozialarbeit"),
        "{description}"
    );
    let frist = event_with(&feed, "Antragsfrist Kreistag (Sitzung am 22.02.2027)").unwrap();
    assert!(frist.contains(&"DTSTART;VALUE=DATE:20270208"), "{frist:?}");
    // A member of the Kreistag sees its meetings in their own feed.
    let member = example.feed("vorsitz-gruene-gg");
    assert!(
        events(&member)
            .iter()
            .any(|e| e.contains(&"SUMMARY:Sitzung Kreistag")
                && e.contains(&"DTSTART;VALUE=DATE:20270222"))
    );
}

#[test]
fn a_signature_moves_the_deadline_from_the_co_signers_to_the_landrat() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    for signer in ["fb-soziale-sicherung", "stab-asyl"] {
        let (code, _, stderr) = example.ratsflow(&["sign", "017/26", "--as", signer]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (_, _, stderr) = example.ratsflow(&["run"]);
    assert!(
        stderr.contains("Kalender: 4 geschrieben, 37 unverändert"),
        "{stderr}"
    );
    assert!(
        event_with(&example.feed("bfi"), SIGN_017).is_none(),
        "quorum reached"
    );
    assert!(event_with(&example.feed("fb-soziale-sicherung"), SIGN_017).is_none());
    let landrat = example.feed("landrat");
    let event = event_with(&landrat, SIGN_017).expect("the Schlusszeichnung is due");
    assert!(
        event
            .iter()
            .any(|l| l.starts_with("DTSTART;VALUE=DATE:2026")),
        "{event:?}"
    );
}

#[test]
fn tokens_are_stable_across_runs_distinct_and_the_key_is_private_outside_the_project() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let first = example.listing();
    let before = std::fs::read_to_string(example.project().join(&first["landrat"])).unwrap();
    let (_, _, stderr) = example.ratsflow(&["run"]);
    assert!(
        stderr.contains("Kalender: 0 geschrieben, 41 unverändert"),
        "{stderr}"
    );
    assert_eq!(example.listing(), first);
    let after = std::fs::read_to_string(example.project().join(&first["landrat"])).unwrap();
    assert_eq!(before, after, "an unchanged feed is not rewritten");
    let files: std::collections::BTreeSet<_> = first.values().collect();
    assert_eq!(files.len(), first.len(), "one token per person and body");
    for file in first.values() {
        let token = file
            .strip_prefix("out/ics/")
            .and_then(|f| f.strip_suffix(".ics"))
            .unwrap();
        assert_eq!(token.len(), 22, "{token}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(example.key_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!example.key_file().starts_with(example.project()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let folder = example.project().join("out/ics");
        let mode = std::fs::metadata(folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o711, "others may open a feed, not list them");
    }
    // The key never appears in what the office sees.
    let key = std::fs::read(example.key_file()).unwrap();
    assert_eq!(key.len(), 32);
    let (_, stdout, stderr) = example.ratsflow(&["kalender"]);
    for shown in [
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&key),
        base64::engine::general_purpose::STANDARD.encode(&key),
        key.iter().map(|b| format!("{b:02x}")).collect::<String>(),
    ] {
        assert!(!stdout.contains(&shown) && !stderr.contains(&shown));
    }
    // Another key (a new installation) gives other addresses.
    std::fs::remove_file(example.key_file()).unwrap();
    let other = example.listing();
    assert_ne!(other["landrat"], first["landrat"]);
    let (_, _, stderr) = example.ratsflow(&["run"]);
    assert!(
        stderr.contains("Kalender: 41 geschrieben, 0 unverändert, 41 entfernt"),
        "{stderr}"
    );
}

#[test]
fn no_feed_for_someone_not_in_the_directory() {
    let example = Example::new();
    let directory = example.project().join("workflows/directory.yaml");
    let original = std::fs::read_to_string(&directory).unwrap();
    let with_guest = original.replacen(
        "people:\n",
        "people:\n  gast:\n    name: Gabi Gast\n    email: gast@kreis-gross-gerau.example\n",
        1,
    );
    std::fs::write(&directory, &with_guest).unwrap();
    example.ratsflow(&["run"]);
    let listing = example.listing();
    let guest = example.project().join(&listing["gast"]);
    assert!(guest.is_file());
    std::fs::write(&directory, &original).unwrap();
    let (_, _, stderr) = example.ratsflow(&["run"]);
    assert!(
        stderr.contains("Kalender: 0 geschrieben, 41 unverändert, 1 entfernt"),
        "{stderr}"
    );
    assert!(!guest.exists(), "the guest's address no longer works");
    assert!(!example.listing().contains_key("gast"));
    // Nor for an id nobody has: the token of `person:niemand` names no file.
    let key = std::fs::read(example.key_file()).unwrap();
    let key = ratsflow::ics::Key::derived_from(&key);
    let nobody = ratsflow::ics::token(&key, &ratsflow::ics::Owner::Person("niemand".into()));
    let landrat = ratsflow::ics::token(&key, &ratsflow::ics::Owner::Person("landrat".into()));
    assert_eq!(listing["landrat"], format!("out/ics/{landrat}.ics"));
    assert!(
        !example
            .project()
            .join(format!("out/ics/{nobody}.ics"))
            .exists()
    );
    assert_eq!(
        std::fs::read_dir(example.project().join("out/ics"))
            .unwrap()
            .count(),
        41
    );
}

#[test]
fn titles_with_commas_semicolons_and_backslashes_are_escaped() {
    let example = Example::new();
    let paper = example.project().join("papers/2026-017.yaml");
    let text = std::fs::read_to_string(&paper).unwrap();
    let changed = text.replacen(
        "title: \"Rahmenkonzept Kommunale Sozialarbeit: Vereinbarung zwischen Kreis und Städten und Gemeinden\"",
        "title: 'Kosten, Nutzen; Pfad C:\\Sozial – Größe „Übersicht“'",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&paper, changed).unwrap();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let feed = example.feed("bfi");
    assert!(
        feed.contains(
            "\r\nSUMMARY:Zeichnung fällig: Beschlussvorlage 017/26 – Kosten\\, Nutzen\\; Pfad C:\\\\Sozial – Größe „Übersicht“\r\n"
        ),
        "{feed}"
    );
}

#[test]
fn the_key_lives_under_xdg_state_home_by_default_and_never_in_the_project() {
    let example = Example::new();
    let state = example.dir.path().join("zustand");
    let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(example.project())
        .args(["--now", "2026-11-21", "kalender"])
        .env_remove("RATSFLOW_KEY_FILE")
        .env("XDG_STATE_HOME", &state)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let keys: Vec<_> = std::fs::read_dir(state.join("ratsflow"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].ends_with(".key"), "{keys:?}");

    let inside = example.project().join("ics.key");
    let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(example.project())
        .args(["--now", "2026-11-21", "run"])
        .env("RATSFLOW_KEY_FILE", &inside)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "Warnung: Kalender nicht geschrieben: Die Schlüsseldatei {} liegt im Projektordner; dort geriete sie ins Repository.",
            inside.display()
        )),
        "{stderr}"
    );
    assert!(!inside.exists());
    assert_eq!(out.status.code(), Some(0), "the pass itself went through");
}

#[test]
fn kalender_with_url_lists_addresses_for_a_share() {
    let example = Example::new();
    let (code, stdout, _) = example.ratsflow(&["kalender", "--url", "https://rat.example/ics/"]);
    assert_eq!(code, 0);
    let line = stdout.lines().find(|l| l.contains("(landrat)")).unwrap();
    assert!(
        line.starts_with("  N. N. (Landrat) (landrat) → https://rat.example/ics/")
            && line.ends_with(".ics (noch nicht geschrieben)"),
        "{line}"
    );
    assert!(stdout.contains("Die fehlenden Dateien schreibt der nächste Durchlauf: ratsflow run"));
}

#[test]
fn a_run_leaves_git_status_clean() {
    let example = Example::new();
    let project = example.project();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&project)
            .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "Beispiel"]);
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(project.join("out/ics").read_dir().unwrap().count() > 0);
    assert_eq!(git(&["status", "--porcelain"]), "");
}
