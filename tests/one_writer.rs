//! One writer at a time where it matters: parallel `sign` and `decide` on the same paper have
//! exactly one winner (the others get the refusal they would get one after the other), and a
//! lock held too long ends the wait with exit 2 and a message naming the holder.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::Project;

/// The fixture with many more papers with long journals, so that reading takes a moment (the
/// window in which a check made outside the lock goes stale).
fn crowded() -> Project {
    let project = Project::fixture("kreis");
    let base = project.read("papers/2019-042.yaml");
    let line = r#"{"time":"2019-05-06T09:00:00+02:00","event":"notice_sent","who":"kaemmerei","stage":"mitzeichnung","key":"k","kind":"unterschrift","attempt":1}"#;
    let journal = format!("{line}\n").repeat(2000);
    for n in 100..160 {
        project.write(
            &format!("papers/2019-{n}.yaml"),
            &base.replace("\"042/19\"", &format!("\"{n}/19\"")),
        );
        project.write(&format!("state/2019-{n}.jsonl"), &journal);
    }
    project
}

/// Starts all commands at once and waits for all of them.
fn all_at_once(project: &Project, commands: &[Vec<&str>]) -> Vec<Output> {
    let children: Vec<_> = commands
        .iter()
        .map(|args| {
            Command::new(env!("CARGO_BIN_EXE_ratsflow"))
                .arg("--project")
                .arg(project.path())
                .args(args)
                .env("NO_COLOR", "1")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn twenty_parallel_signatures_of_one_person_record_one() {
    let project = crowded();
    let args = vec!["--now", "2019-05-06", "sign", "042/19", "--as", "kaemmerei"];
    let outputs = all_at_once(&project, &vec![args; 20]);
    let won: Vec<_> = outputs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        outputs.iter().map(stderr).collect::<Vec<_>>()
    );
    for output in outputs.iter().filter(|o| !o.status.success()) {
        assert_eq!(output.status.code(), Some(1));
        assert_eq!(
            stderr(output),
            "Fehler: Klaus Groß hat „042/19“ in der Stufe „Mitzeichnung“ bereits am 06.05.2019 unterschrieben\n"
        );
    }
    let journal = project.read("state/2019-042.jsonl");
    assert_eq!(journal.lines().count(), 1, "{journal}");
}

#[test]
fn opposite_decisions_at_once_have_one_winner() {
    let project = crowded();
    for (who, day) in [
        ("fb-soziales", "2019-05-06"),
        ("kaemmerei", "2019-05-07"),
        ("landrat", "2019-05-08"),
    ] {
        let out = project.run(&["--now", day, "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let decide = |result| {
        vec![
            "--now",
            "2019-06-03T18:00:00+02:00",
            "decide",
            "042/19",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--result",
            result,
        ]
    };
    let mut commands = vec![decide("beschlossen"); 10];
    commands.extend(vec![decide("abgelehnt"); 10]);
    let outputs = all_at_once(&project, &commands);
    let won: Vec<_> = outputs.iter().filter(|o| o.status.success()).collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        outputs.iter().map(stderr).collect::<Vec<_>>()
    );
    let winner = String::from_utf8_lossy(&won[0].stdout).into_owned();
    assert!(
        winner.starts_with(
            "Ausschuss für Soziales, Gleichstellung und Integration hat am 03.06.2019 über „042/19“ entschieden: "
        ),
        "{winner}"
    );
    for output in outputs.iter().filter(|o| !o.status.success()) {
        assert_eq!(output.status.code(), Some(1), "{}", stderr(output));
        let text = stderr(output);
        assert!(
            text == "Fehler: Ausschuss für Soziales, Gleichstellung und Integration ist nicht an der Reihe: „042/19“ steht in der Stufe „Bürgermeisterdienstversammlung“\n"
                || text.starts_with("Fehler: „042/19“ ist abgeschlossen ("),
            "{text}"
        );
    }
    let journal = project.read("state/2019-042.jsonl");
    assert_eq!(
        journal.matches("\"event\":\"decided\"").count(),
        1,
        "{journal}"
    );
}

#[test]
fn a_lock_held_too_long_ends_the_wait_with_exit_2_naming_the_holder() {
    let project = Project::fixture("kreis");
    let path = project.file("state/locks/papers/2019-042.lock");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut lock = std::fs::File::create(&path).unwrap();
    lock.lock().unwrap();
    writeln!(
        lock,
        "ratsflow sign 042/19 --as landrat (Prozess 4711 auf rathaus)"
    )
    .unwrap();
    let started = Instant::now();
    let out = project.run(&["--now", "2019-05-06", "sign", "042/19", "--as", "kaemmerei"]);
    let waited = started.elapsed();
    assert_eq!(out.code, 2, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: die Drucksache „042/19“ ist seit 10 s gesperrt durch ratsflow sign 042/19 --as landrat (Prozess 4711 auf rathaus); nichts wurde eingetragen, bitte später erneut versuchen\n"
    );
    assert!(waited >= Duration::from_secs(10) && waited < Duration::from_secs(20));
    assert!(!project.file("state/2019-042.jsonl").exists());
    drop(lock);
    let out = project.run(&["--now", "2019-05-06", "sign", "042/19", "--as", "kaemmerei"]);
    assert_eq!(out.code, 0, "{}", out.all());
}
