//! The command line speaks German: help, usage errors (exit 1), `--now` out of range, a quiet
//! watcher, German notice names in `outbox` and stage titles in a paper's history.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::Project;

/// What clap prints in English; none of it may reach a user.
const ENGLISH: [&str; 13] = [
    "Usage:",
    "Options:",
    "Commands:",
    "Arguments:",
    "error:",
    "tip:",
    "For more information",
    "[default:",
    "[env:",
    "Print help",
    "Print version",
    "Print this message",
    "[OPTIONS]",
];

fn assert_no_english(text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "„{word}“ in:\n{text}");
    }
}

#[test]
fn top_level_help_is_german() {
    let out = Project::empty().run(&["--help"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.stderr, "");
    assert_no_english(&out.stdout);
    for line in [
        "Aufruf: ratsflow [OPTIONEN] <BEFEHL>",
        "Befehle:",
        "  help     Zeigt diese Hilfe oder die Hilfe eines Befehls",
        "Optionen:",
        "  -h, --help              Hilfe anzeigen",
        "  -V, --version           Version anzeigen",
    ] {
        assert!(
            out.stdout.lines().any(|l| l == line),
            "{line}\n{}",
            out.stdout
        );
    }
    assert!(
        out.stdout
            .starts_with("ratsflow trägt Drucksachen durch ihren Beratungsweg"),
        "{}",
        out.stdout
    );
}

#[test]
fn subcommand_help_is_german_and_help_subcommand_shows_the_same() {
    let project = Project::empty();
    let out = project.run(&["sign", "--help"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Trägt eine Unterschrift ein\n\
         \n\
         Aufruf: ratsflow sign [OPTIONEN] --as <PERSON> <DRUCKSACHE>\n\
         \n\
         Argumente:\n\
         \x20 <DRUCKSACHE>  Kennung oder Drucksachen-Nummer\n\
         \n\
         Optionen:\n\
         \x20     --as <PERSON>          Wer unterschreibt (Kennung aus dem Verzeichnis)\n\
         \x20     --project <ORDNER>     Projektordner (enthält ratsflow.yaml); Standard: RATSFLOW_PROJECT, sonst der aktuelle Ordner\n\
         \x20     --comment <BEMERKUNG>  Bemerkung zur Unterschrift\n\
         \x20     --now <ZEITPUNKT>      So tun, als wäre jetzt dieser Zeitpunkt: 2019-05-20 oder 2019-05-20T08:00:00+02:00\n\
         \x20 -q, --quiet                Nur Fehler ausgeben\n\
         \x20 -v, --verbose              Mehr ausgeben\n\
         \x20 -h, --help                 Hilfe anzeigen\n"
    );
    let via_help = project.run(&["help", "sign"]);
    assert_eq!(via_help.code, 0, "{}", via_help.all());
    assert_eq!(via_help.stdout, out.stdout);

    let watch = project.run(&["watch", "--help"]);
    assert_no_english(&watch.stdout);
    assert!(
        watch
            .stdout
            .contains("bis eine Folge von Änderungen als abgeschlossen gilt; Standard: 100\n"),
        "{}",
        watch.stdout
    );
}

#[test]
fn every_subcommand_help_is_german() {
    let project = Project::empty();
    for name in [
        "init", "check", "new", "status", "sign", "return", "decide", "render", "run", "watch",
        "outbox", "help",
    ] {
        let out = project.run(&[name, "--help"]);
        assert_eq!(out.code, 0, "{name}: {}", out.all());
        assert_no_english(&out.stdout);
        assert!(
            out.stdout.contains(&format!("Aufruf: ratsflow {name}")),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("\nOptionen:\n"), "{}", out.stdout);
    }
}

#[test]
fn version_exits_0() {
    let out = Project::empty().run(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        format!("ratsflow {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn an_unknown_flag_is_a_german_usage_error_with_a_suggestion() {
    let out = Project::empty().run(&["--qiet", "status"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "Fehler: unbekanntes Argument „--qiet“; meinten Sie „--quiet“?\n\
         \n\
         Aufruf: ratsflow [OPTIONEN] <BEFEHL>\n\
         \n\
         Mehr dazu: ratsflow --help\n"
    );
}

#[test]
fn an_unknown_subcommand_is_a_german_usage_error_with_a_suggestion() {
    let project = Project::empty();
    let out = project.run(&["stauts"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: unbekannter Befehl „stauts“; meinten Sie „status“?\n\
         \n\
         Aufruf: ratsflow [OPTIONEN] <BEFEHL>\n\
         \n\
         Mehr dazu: ratsflow --help\n"
    );
    let out = project.run(&["help", "stauts"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.stderr
            .starts_with("Fehler: unbekannter Befehl „stauts“; meinten Sie „status“?\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_required_argument_names_it_and_points_to_the_subcommand_help() {
    let project = Project::fixture("kreis");
    let out = project.run(&["sign", "042/19"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: es fehlt die Pflichtangabe „--as <PERSON>“\n\
         \n\
         Aufruf: ratsflow sign [OPTIONEN] --as <PERSON> <DRUCKSACHE>\n\
         \n\
         Mehr dazu: ratsflow sign --help\n"
    );
    assert!(!project.file("state/2019-042.jsonl").exists());
}

#[test]
fn an_invalid_value_is_a_german_usage_error() {
    let out = Project::empty().run(&["watch", "--debounce", "kurz"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: ungültiger Wert „kurz“ für „--debounce <MS>“: erwartet wird eine ganze Zahl \
         von Millisekunden, z. B. 500\n\
         \n\
         Aufruf: ratsflow watch [OPTIONEN]\n\
         \n\
         Mehr dazu: ratsflow watch --help\n"
    );
}

#[test]
fn now_before_1970_is_refused_up_front() {
    let project = Project::fixture("kreis");
    let out = project.run(&["--now", "1969-12-31", "run"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "Fehler: --now: „1969-12-31“ liegt außerhalb der Jahre 1970 bis 9999\n\
         \n\
         Mehr dazu: ratsflow --help\n"
    );
    assert!(
        !project.file("out").exists(),
        "nothing was rendered or sent"
    );
}

#[test]
fn quiet_watch_prints_nothing_on_a_clean_start_and_stop() {
    let project = Project::fixture("kreis");
    let (code, stdout, stderr) = watch_until_ready(&project, true);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "");

    // The same start without --quiet announces itself: the quiet run above was really ready.
    let (code, _, stderr) = watch_until_ready(&project, false);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("bereit: "), "{stderr}");
    assert!(stderr.ends_with("ratsflow beendet.\n"), "{stderr}");
}

/// Starts `watch`, waits for its first pass (the rendered documents), stops it with SIGTERM.
fn watch_until_ready(project: &Project, quiet: bool) -> (Option<i32>, String, String) {
    let mut args = vec!["--now", "2019-05-06", "watch", "--debounce", "50"];
    if quiet {
        args.insert(0, "--quiet");
    }
    let child = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(project.path())
        .args(&args)
        .env("NO_COLOR", "1")
        .env_remove("RATSFLOW_PROJECT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let rendered = || {
        std::fs::read_dir(project.file("out"))
            .map(|dir| dir.count() > 0)
            .unwrap_or(false)
            && project.file("state/2019-042.jsonl").exists()
    };
    while !rendered() && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(50));
    }
    // The pass writes the journal last; give it a moment to finish and print.
    std::thread::sleep(Duration::from_millis(500));
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn outbox_shows_german_notice_names() {
    let project = Project::fixture("kreis");
    for now in ["2019-05-06", "2019-05-20"] {
        let out = project.run(&["--now", now, "--quiet", "run"]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let out = project.run(&["--now", "2019-05-20", "--verbose", "outbox"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Drucksache  Empfänger         Art                    Stand     Zeit              Grund\n\
         042/19      Jörg Überall      Eskalation             versandt  20.05.2019 12:00\n\
         042/19      Fatma Şahin       Bitte um Unterschrift  versandt  06.05.2019 12:00\n\
         042/19      Klaus Groß        Bitte um Unterschrift  versandt  06.05.2019 12:00\n\
         042/19      Dana Weiß         Bitte um Unterschrift  versandt  06.05.2019 12:00\n\
         042/19-1    Herbert Goldmann  Bitte um Unterschrift  versandt  20.05.2019 12:00\n\
         0 vorgemerkt, 0 fehlgeschlagen, 5 versandt\n"
    );
}

#[test]
fn status_history_shows_stage_titles() {
    let project = Project::fixture("kreis");
    let out = project.run(&[
        "--now",
        "2019-05-06",
        "sign",
        "042/19",
        "--as",
        "fb-soziales",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let history = out.stdout.split("Verlauf:\n").nth(1).unwrap_or_default();
    assert_eq!(
        history,
        "  Zeit              Ereignis        wer          Stufe         Bemerkung\n\
         \x20 06.05.2019 12:00  unterschrieben  Fatma Şahin  Mitzeichnung\n"
    );
}
