//! The real binary on a fixture project: status at fixed dates, signing, returning, deciding,
//! refusals that write nothing, new papers, init, and the journal under concurrency and crashes.

mod support;

use support::Project;

const NOW: &str = "2019-05-06";

fn journal_lines(project: &Project, paper: &str) -> usize {
    std::fs::read_to_string(project.file(&format!("state/{paper}.jsonl")))
        .map_or(0, |t| t.lines().count())
}

#[test]
fn check_is_clean_on_the_fixture() {
    let project = Project::fixture("kreis");
    let out = project.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.stderr, "keine Probleme\n");
}

#[test]
fn status_shows_stage_waiting_and_deadline() {
    let project = Project::fixture("kreis");
    let out = project.run(&["--now", NOW, "status"]);
    assert_eq!(out.code, 0, "{}", out.all());
    insta::assert_snapshot!("status_overview", out.stdout);
}

#[test]
fn a_full_path_from_signatures_to_the_decision_draft() {
    let project = Project::fixture("kreis");
    let sign = |who: &str, paper: &str, now: &str| {
        let out = project.run(&["--now", now, "sign", paper, "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
        out.stdout
    };
    assert_eq!(
        sign("fb-soziales", "042/19", "2019-05-06"),
        "Fatma Şahin hat „042/19“ in der Stufe „Mitzeichnung“ unterschrieben.\n\
         Stufe jetzt: Mitzeichnung — es fehlen: Klaus Groß, Dana Weiß (Frist 13.05.2019)\n"
    );
    assert_eq!(
        sign("kaemmerei", "2019-042", "2019-05-07"),
        "Klaus Groß hat „042/19“ in der Stufe „Mitzeichnung“ unterschrieben.\n\
         Stufe jetzt: Schlusszeichnung — es fehlen: Petra Landwehr (Frist 20.05.2019)\n"
    );
    sign("landrat", "042/19", "2019-05-08");
    sign("vorsitz-gruene", "042/19-1", "2019-05-10");

    let out = project.run(&[
        "--now",
        "2019-06-03T18:00:00+02:00",
        "decide",
        "042/19",
        "--body",
        "ausschuss",
        "--as",
        "sitzungsdienst",
        "--result",
        "beschlossen",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&[
        "--now",
        "2019-06-12",
        "decide",
        "042/19",
        "--body",
        "bgm-dv",
        "--as",
        "sitzungsdienst",
        "--result",
        "zur-kenntnis-genommen",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = project.run(&[
        "--now",
        "2019-06-27",
        "decide",
        "042/19",
        "--body",
        "kreistag",
        "--as",
        "sitzungsdienst",
        "--result",
        "beschlossen",
        "--amendment",
        "042/19-1",
        "--adopted",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Kreistag hat am 27.06.2019 über „042/19“ entschieden: beschlossen.\n„042/19“ ist abgeschlossen: beschlossen.\n"
    );
    let out = project.run(&["--now", "2019-06-28", "status"]);
    insta::assert_snapshot!("status_after_decision", out.stdout);
    let out = project.run(&["--now", "2019-06-28", "status", "042/19"]);
    insta::assert_snapshot!("status_paper_history", out.stdout);
}

#[test]
fn refusals_explain_and_write_nothing() {
    let project = Project::fixture("kreis");
    let cases: &[(&[&str], &str)] = &[
        (
            &["sign", "042/19", "--as", "landrat"],
            "Fehler: Petra Landwehr („landrat“) ist in der Stufe „Mitzeichnung“ von „042/19“ nicht zur Unterschrift vorgesehen; vorgesehen sind: fb-soziales (Fatma Şahin), kaemmerei (Klaus Groß), personalrat (Dana Weiß)\n",
        ),
        (
            &["sign", "042/19", "--as", "kaemerei"],
            "Fehler: „kaemerei“ steht nicht im Verzeichnis; meinten Sie „kaemmerei“?\n",
        ),
        (
            &[
                "decide",
                "042/19",
                "--body",
                "kreistag",
                "--as",
                "sitzungsdienst",
                "--result",
                "beschlossen",
            ],
            "Fehler: Kreistag ist nicht an der Reihe: „042/19“ steht in der Stufe „Mitzeichnung“\n",
        ),
        (
            &["return", "042/19", "--as", "kaemmerei", "--comment", "  "],
            "Fehler: eine Rückgabe braucht eine Begründung: --comment \"…\"\n",
        ),
        (
            &[
                "decide",
                "042/19",
                "--body",
                "ausschuss",
                "--as",
                "sitzungsdienst",
                "--result",
                "angenommen",
            ],
            "Fehler: unbekanntes Ergebnis „angenommen“; möglich sind: beschlossen, geändert-beschlossen, abgelehnt, vertagt, verwiesen, zur-kenntnis-genommen, zurückgezogen, empfohlen, nicht-empfohlen\n",
        ),
        (
            &["sign", "043/19", "--as", "landrat"],
            "Fehler: es gibt keine Drucksache „043/19“\n",
        ),
    ];
    for (args, expected) in cases {
        let mut full = vec!["--now", NOW];
        full.extend_from_slice(args);
        let out = project.run(&full);
        assert_eq!(out.code, 1, "{args:?}: {}", out.all());
        assert_eq!(&out.stderr, expected, "{args:?}");
        assert_eq!(out.stdout, "");
    }
    assert_eq!(
        journal_lines(&project, "2019-042"),
        0,
        "a refusal wrote to the journal"
    );

    // Signing twice.
    assert_eq!(
        project
            .run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"])
            .code,
        0
    );
    let out = project.run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: Klaus Groß hat „042/19“ in der Stufe „Mitzeichnung“ bereits am 06.05.2019 unterschrieben\n"
    );
    assert_eq!(journal_lines(&project, "2019-042"), 1);
}

#[test]
fn a_change_after_signing_asks_the_signer_again() {
    let project = Project::fixture("kreis");
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
    let out = project.run(&["--now", NOW, "status"]);
    assert!(out.stdout.contains("Klaus Groß (erneut)"), "{}", out.all());
    let out = project.run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"]);
    assert_eq!(
        out.code,
        0,
        "signing again after a change is allowed: {}",
        out.all()
    );
}

#[test]
fn a_return_sends_the_paper_back_with_its_comment() {
    let project = Project::fixture("kreis");
    for who in ["fb-soziales", "kaemmerei"] {
        assert_eq!(
            project
                .run(&["--now", NOW, "sign", "042/19", "--as", who])
                .code,
            0
        );
    }
    let out = project.run(&[
        "--now",
        "2019-05-09",
        "return",
        "042/19",
        "--as",
        "landrat",
        "--comment",
        "Finanzierung mit der Kämmerei klären",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Petra Landwehr hat „042/19“ in der Stufe „Schlusszeichnung“ zurückgegeben.\n\
         Stufe jetzt: Mitzeichnung — es fehlen: Fatma Şahin, Klaus Groß, Dana Weiß (Frist 13.05.2019)\n"
    );
    let out = project.run(&["--now", "2019-05-09", "status", "042/19"]);
    assert!(out.stdout.contains("Zuletzt zurückgegeben am 09.05.2019 von Petra Landwehr: „Finanzierung mit der Kämmerei klären“"), "{}", out.stdout);
}

#[test]
fn new_takes_the_next_free_number_and_passes_check() {
    let project = Project::fixture("kreis");
    let out = project.run(&[
        "--now",
        "2019-07-01",
        "new",
        "Beschlussvorlage",
        "--workflow",
        "kreistag",
        "--title",
        "Schulsozialarbeit „vor Ort“",
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(
        out.stdout,
        "Beschlussvorlage 043/19 angelegt: papers/2019-043.yaml\n"
    );
    let text = project.read("papers/2019-043.yaml");
    assert!(
        text.contains("title: \"Schulsozialarbeit „vor Ort“\""),
        "{text}"
    );
    let out = project.run(&[
        "--now",
        "2019-07-01",
        "new",
        "Mitteilungsvorlage",
        "--workflow",
        "kreistag",
        "--title",
        "Bericht",
    ]);
    assert_eq!(
        out.stdout,
        "Mitteilungsvorlage M 001/19 angelegt: papers/2019-m001.yaml\n"
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

#[test]
fn init_scaffolds_a_project_that_passes_check() {
    let project = Project::empty();
    let target = project.file("neu");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .args(["init"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(&target)
        .arg("check")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .args(["init"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1), "init must not overwrite");
}

#[test]
fn a_torn_journal_line_is_reported_and_kept() {
    let project = Project::fixture("kreis");
    assert_eq!(
        project
            .run(&["--now", NOW, "sign", "042/19", "--as", "kaemmerei"])
            .code,
        0
    );
    let path = project.file("state/2019-042.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"time":"2019-05-06T12:00:00+02:00","event":"sig"#);
    std::fs::write(&path, &text).unwrap();
    let out = project.run(&["--now", NOW, "check"]);
    assert!(
        out.stderr.contains("state/2019-042.jsonl:2:1"),
        "{}",
        out.all()
    );
    assert!(
        out.stderr.contains("die letzte Zeile ist unvollständig"),
        "{}",
        out.all()
    );
    let out = project.run(&["--now", NOW, "status"]);
    assert!(
        out.stderr
            .contains("state/2019-042.jsonl:2: die letzte Zeile ist unvollständig"),
        "{}",
        out.all()
    );
    assert_eq!(
        project
            .run(&["--now", NOW, "sign", "042/19", "--as", "fb-soziales"])
            .code,
        0
    );
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.starts_with(&text),
        "nothing before the torn line was rewritten"
    );
    assert_eq!(after.lines().count(), 3);
}

#[test]
fn two_processes_signing_at_once_lose_no_line() {
    let project = Project::fixture("kreis");
    let children: Vec<_> = (0..2)
        .map(|i| {
            let who = ["fb-soziales", "personalrat"][i];
            std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
                .arg("--project")
                .arg(project.path())
                .args(["--now", NOW, "sign", "042/19", "--as", who])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let journal = project.read("state/2019-042.jsonl");
    assert_eq!(journal.lines().count(), 2);
    assert!(journal.contains("fb-soziales") && journal.contains("personalrat"));
}
