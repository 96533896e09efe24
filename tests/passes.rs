//! Passes side by side: any number of `run`s (and a `watch`) send every notice once; signing
//! does not wait for a pass that talks to a mail server; every pass removes the temporary files
//! a killed one left; `check` reports journal lines out of time order or repeated.

#[path = "support/smtp.rs"]
mod smtp;
mod support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use smtp::{Options, TestSmtp};
use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

fn with_smtp(project: &Project, port: u16, timeout: u32) {
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!(
            "{settings}mail:\n  from: {{ name: \"Sitzungsdienst Kreis Musterland\", email: sitzungsdienst@kreis-musterland.example }}\n  smtp: {{ host: 127.0.0.1, port: {port}, security: plain, timeout_seconds: {timeout} }}\n"
        ),
    );
}

fn spawn(project: &Project, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(project.path())
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn four_runs_at_once_send_every_notice_once() {
    let server = TestSmtp::start(Options::plain());
    let project = Project::fixture("kreis");
    with_smtp(&project, server.port, 10);
    let base = project.read("papers/2019-042.yaml");
    for n in 50..56 {
        project.write(
            &format!("papers/2019-0{n}.yaml"),
            &base.replace("\"042/19\"", &format!("\"0{n}/19\"")),
        );
    }
    let children: Vec<_> = (0..4)
        .map(|_| spawn(&project, &["--now", NOW, "run"]))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let ids = server.message_ids();
    // Three co-signers of each of the seven papers, each asked once.
    assert_eq!(ids.len(), 21, "{ids:?}");
    let doubles: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubles.is_empty(), "sent more than once: {doubles:?}");
    // The audit journals hold no notice bookkeeping; the outboxes do.
    assert!(!project.file("state/2019-042.jsonl").exists());
    let outbox = project.read("state/outbox/2019-042.jsonl");
    assert_eq!(outbox.matches("\"event\":\"notice_sent\"").count(), 3);
    let out = project.run(&["--now", NOW, "outbox"]);
    assert!(
        out.stdout
            .contains("0 vorgemerkt, 0 fehlgeschlagen, 21 versandt"),
        "{}",
        out.all()
    );
}

#[test]
fn signing_does_not_wait_for_a_pass_stuck_at_the_mail_server() {
    // A server that accepts connections and never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let project = Project::fixture("kreis");
    with_smtp(&project, port, 8);
    let pass = spawn(&project, &["--now", NOW, "run"]);
    // Let the pass reach the server.
    let (_connection, _) = silent.accept().unwrap();
    let started = Instant::now();
    let out = project.run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"]);
    let took = started.elapsed();
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        took < Duration::from_secs(3),
        "signing waited {took:?} for the pass"
    );
    let _ = pass.wait_with_output();
}

#[test]
fn every_run_removes_temp_files_a_killed_pass_left() {
    let project = Project::fixture("kreis");
    project.write("out/2019-042/.ratsflow-abc123.tmp", "halb geschrieben");
    project.write("out/mail/.ratsflow-def456.tmp", "halb geschrieben");
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(!project.file("out/2019-042/.ratsflow-abc123.tmp").exists());
    assert!(!project.file("out/mail/.ratsflow-def456.tmp").exists());
}

#[test]
fn check_reports_journal_lines_out_of_order_and_repeated() {
    let project = Project::fixture("kreis");
    let line = |who: &str, time: &str| {
        format!(
            r#"{{"time":"{time}","event":"signed","who":"{who}","stage":"mitzeichnung","hash":"x"}}"#
        )
    };
    project.write(
        "state/2019-042.jsonl",
        &[
            line("kaemmerei", "2019-05-07T10:00:00+02:00"),
            line("fb-soziales", "2019-05-06T10:00:00+02:00"),
            line("kaemmerei", "2019-05-07T10:00:00+02:00"),
        ]
        .map(|l| l + "\n")
        .concat(),
    );
    let out = project.run(&["--now", NOW, "check"]);
    assert!(
        out.stderr.contains("state/2019-042.jsonl:2:1"),
        "{}",
        out.all()
    );
    assert!(
        out.stderr.contains(
            "der Eintrag vom 06.05.2019 10:00 steht nach einem späteren (Zeile 1, 07.05.2019 10:00); die Einträge eines Journals stehen in zeitlicher Reihenfolge"
        ),
        "{}",
        out.all()
    );
    assert!(
        out.stderr.contains("state/2019-042.jsonl:3:1"),
        "{}",
        out.all()
    );
    assert!(
        out.stderr
            .contains("die Zeile wiederholt Zeile 1 Wort für Wort (doppelt eingetragen?)"),
        "{}",
        out.all()
    );
}
