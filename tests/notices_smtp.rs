//! Notices end to end: the real binary sends to an SMTP server on 127.0.0.1. An outage and a
//! recovery, a paper changed while the watcher runs, and the watcher killed with SIGKILL at
//! random moments: no journal line lost, no notice lost or sent twice, no half-written DOCX.

#[path = "support/smtp.rs"]
mod smtp;
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use smtp::{Options, TestSmtp};
use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

fn with_smtp(project: &Project, server: &TestSmtp) {
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!(
            "{settings}mail:\n  from: {{ name: \"Sitzungsdienst Kreis Musterland\", email: sitzungsdienst@kreis-musterland.example }}\n  smtp: {{ host: 127.0.0.1, port: {}, security: plain }}\n",
            server.port
        ),
    );
}

fn wait_for(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_smtp_outage_delays_notices_but_loses_none_and_doubles_none() {
    let mut server = TestSmtp::start(Options::plain());
    let project = Project::fixture("kreis");
    with_smtp(&project, &server);
    server.stop();
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(
        out.code,
        1,
        "failed notices make the pass exit 1: {}",
        out.all()
    );
    assert!(
        out.stderr
            .contains("Nachrichten: 0 versandt, 3 fehlgeschlagen"),
        "{}",
        out.stderr
    );
    let outbox = project.run(&["--now", NOW, "outbox"]);
    assert!(
        outbox
            .stdout
            .contains("fehlgeschlagen, neuer Versuch folgt (Versuch 1)"),
        "{}",
        outbox.stdout
    );

    server.restart();
    // Within the backoff nothing is retried yet.
    let out = project.run(&["--now", "2019-05-06T09:00:30+02:00", "run"]);
    assert!(
        out.stderr
            .contains("Nachrichten: 0 versandt, 3 warten auf einen neuen Versuch"),
        "{}",
        out.stderr
    );
    assert!(server.messages().is_empty());
    let out = project.run(&["--now", "2019-05-06T11:00:00+02:00", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.stderr.contains("Nachrichten: 3 versandt"),
        "{}",
        out.stderr
    );
    let out = project.run(&["--now", "2019-05-06T12:00:00+02:00", "run"]);
    assert!(
        out.stderr.contains("Nachrichten: 0 versandt"),
        "{}",
        out.stderr
    );
    let ids = server.message_ids();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(
        ids.values().all(|&n| n == 1),
        "a notice arrived twice: {ids:?}"
    );
    let received = server.received();
    let mut to: Vec<String> = received.iter().flat_map(|r| r.to.clone()).collect();
    to.sort();
    assert_eq!(
        to,
        [
            "kaemmerei@kreis-musterland.example",
            "personalrat@kreis-musterland.example",
            "soziales@kreis-musterland.example"
        ]
    );
}

#[test]
fn a_permanent_failure_stops_until_outbox_retry() {
    let server = TestSmtp::start(Options::plain());
    let project = Project::fixture("kreis");
    with_smtp(&project, &server);
    server.fail_next(smtp::Stage::Rcpt, 550);
    let out = project.run(&["--now", NOW, "run"]);
    assert!(out.stderr.contains("1 fehlgeschlagen"), "{}", out.stderr);
    let out = project.run(&["--now", "2019-05-07", "run"]);
    assert!(
        out.stderr
            .contains("1 endgültig fehlgeschlagen (ratsflow outbox)"),
        "{}",
        out.stderr
    );
    let status = project.run(&["--now", "2019-05-07", "status"]);
    assert_eq!(status.code, 0);
    assert!(
        status
            .stdout
            .contains("1 Nachricht endgültig fehlgeschlagen (ratsflow outbox)"),
        "{}",
        status.stdout
    );
    let paper = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert!(
        paper.stdout.contains("Nachricht fehlgeschlagen"),
        "{}",
        paper.stdout
    );
    let out = project.run(&["--now", "2019-05-07", "outbox", "retry"]);
    assert!(
        out.stdout.contains("1 Nachricht wird erneut gesendet."),
        "{}",
        out.all()
    );
    assert!(
        out.stderr.contains("Nachrichten: 1 versandt"),
        "{}",
        out.all()
    );
    assert_eq!(server.message_ids().len(), 3);
}

struct Watcher {
    child: Child,
}

impl Watcher {
    fn start(project: &Project, now: &str) -> Watcher {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(project.file("watch.log"))
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(project.path())
            .args(["--now", now, "watch", "--debounce", "50"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap();
        Watcher { child }
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn terminate(mut self) -> bool {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        false
    }
}

#[test]
fn a_paper_changed_while_watching_is_rendered_again_and_mailed() {
    let server = TestSmtp::start(Options::plain());
    let project = Project::fixture("kreis");
    with_smtp(&project, &server);
    let watcher = Watcher::start(&project, NOW);
    wait_for("the first three notices", Duration::from_secs(20), || {
        server.messages().len() >= 3
    });
    let document = project.file("out/2019-042/Beschlussvorlage_042-19.docx");
    wait_for("the first document", Duration::from_secs(10), || {
        document.is_file()
    });
    let before = std::fs::read(&document).unwrap();
    // Kämmerei signs, then the paper changes: Kämmerei is asked to sign again, the others get
    // the new version.
    assert_eq!(
        project
            .run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"])
            .code,
        0
    );
    project.edit(
        "papers/2019-042.yaml",
        "Fördermittel zu beantragen",
        "Fördermittel des Landes zu beantragen",
    );
    wait_for("three more notices", Duration::from_secs(20), || {
        server.messages().len() >= 6
    });
    wait_for("the new document", Duration::from_secs(10), || {
        std::fs::read(&document).is_ok_and(|b| b != before)
    });
    // A paper that no longer parses is reported with its position and skipped; its last good
    // document stays, and the watcher keeps running.
    let good = std::fs::read(&document).unwrap();
    let text = project.read("papers/2019-042.yaml");
    project.write(
        "papers/2019-042.yaml",
        &format!("{text}proposal: [unclosed\n"),
    );
    wait_for(
        "the problem to be reported",
        Duration::from_secs(10),
        || {
            project
                .read("watch.log")
                .contains("übersprungen: papers/2019-042.yaml")
        },
    );
    assert_eq!(
        std::fs::read(&document).unwrap(),
        good,
        "the last good document stays"
    );
    assert!(
        project
            .read("watch.log")
            .contains("--> papers/2019-042.yaml:"),
        "{}",
        project.read("watch.log")
    );
    assert!(watcher.terminate(), "SIGTERM ends the watcher with exit 0");
    let subjects: Vec<String> = server
        .messages()
        .iter()
        .map(|m| {
            String::from_utf8_lossy(m)
                .lines()
                .find(|l| l.starts_with("Subject:"))
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(subjects.len(), 6, "{subjects:?}");
    let ids = server.message_ids();
    assert!(ids.values().all(|&n| n == 1), "{ids:?}");
    let log = project.read("watch.log");
    assert!(log.contains("geändert: papers/2019-042.yaml"), "{log}");
    assert!(
        log.contains("versandt: 042/19 → Klaus Groß (erneut)"),
        "{log}"
    );
}

/// A small deterministic generator for "random" moments.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn journals(project: &Project) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for entry in std::fs::read_dir(project.file("state")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".jsonl") {
            map.insert(name, std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    map
}

#[test]
fn sigkill_at_random_moments_loses_nothing_and_sends_nothing_twice() {
    let server = TestSmtp::start(Options::plain());
    let project = Project::fixture("kreis");
    with_smtp(&project, &server);
    // More papers, so that the watcher is busy when it is killed.
    let base = project.read("papers/2019-042.yaml");
    for n in 50..58 {
        project.write(
            &format!("papers/2019-0{n}.yaml"),
            &base.replace("\"042/19\"", &format!("\"0{n}/19\"")),
        );
    }
    let signers = ["fb-soziales", "kaemmerei", "personalrat"];
    let mut rng = Lcg(7);
    let mut before = journals(&project);
    let mut signed_ok = 0;
    for trial in 0..20 {
        let watcher = Watcher::start(&project, NOW);
        std::thread::sleep(Duration::from_millis(20 + rng.next(250)));
        match trial % 3 {
            0 => {
                let paper = format!("2019-0{}", 50 + rng.next(8));
                let who = signers[rng.next(3) as usize];
                if project
                    .run(&["--now", NOW, "sign", &paper, "--as", who])
                    .code
                    == 0
                {
                    signed_ok += 1;
                }
            }
            1 => {
                let paper = format!("papers/2019-0{}.yaml", 50 + rng.next(8));
                let text: String = project
                    .read(&paper)
                    .lines()
                    .map(|line| {
                        if line.starts_with("financing:") {
                            format!("financing: Landesmittel, Fassung {trial}\n")
                        } else {
                            format!("{line}\n")
                        }
                    })
                    .collect();
                project.write(&paper, &text);
            }
            _ => {}
        }
        std::thread::sleep(Duration::from_millis(rng.next(200)));
        watcher.kill();
        let now = journals(&project);
        for (file, old) in &before {
            let new = now
                .get(file)
                .unwrap_or_else(|| panic!("trial {trial}: journal {file} vanished"));
            assert!(
                new.starts_with(old.as_str()),
                "trial {trial}: journal {file} was rewritten"
            );
        }
        before = now;
    }
    // Let a last watcher finish everything, then stop it cleanly.
    let watcher = Watcher::start(&project, NOW);
    let mut last = usize::MAX;
    wait_for(
        "the watcher to become quiet",
        Duration::from_secs(60),
        || {
            std::thread::sleep(Duration::from_millis(1500));
            let count = server.messages().len();
            let quiet = count == last;
            last = count;
            quiet
        },
    );
    assert!(watcher.terminate());

    // Nothing lost: a further pass finds nothing left to send, and no notice is left queued.
    let out = project.run(&["--now", NOW, "run"]);
    assert!(
        out.stderr.contains("Nachrichten: 0 versandt"),
        "{}",
        out.all()
    );
    let outbox = project.run(&["--now", NOW, "outbox"]);
    assert!(
        outbox.stdout.contains("0 vorgemerkt, 0 fehlgeschlagen"),
        "{}",
        outbox.stdout
    );
    // Nothing twice: every Message-ID arrived exactly once.
    let ids = server.message_ids();
    let doubles: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    if !doubles.is_empty() {
        let keep = project.path().to_path_buf();
        std::mem::forget(project);
        panic!(
            "sent twice: {doubles:?} (project kept at {})",
            keep.display()
        );
    }
    // Every signature the CLI confirmed is in the journal.
    let all = journals(&project).into_values().collect::<String>();
    assert_eq!(all.matches("\"event\":\"signed\"").count(), signed_ok);
    // No half-written document: every DOCX is a valid package, no temporary file is left.
    let mut documents = BTreeSet::new();
    for dir in std::fs::read_dir(project.file("out")).unwrap().flatten() {
        if !dir.path().is_dir() || dir.file_name() == "mail" {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().to_string();
            assert!(!name.ends_with(".tmp"), "temporary file left: {name}");
            if name.ends_with(".docx") {
                let bytes = std::fs::read(file.path()).unwrap();
                assert!(
                    ratsflow::docx::validate_package(&bytes).is_ok(),
                    "{name} is not a valid package"
                );
                documents.insert(name);
            }
        }
    }
    assert!(documents.len() >= 9, "{documents:?}");
}
