//! File events reach the reconciler as the right changes, and only those: papers, saves by
//! rename, templates, settings, journals from other processes; not output, not the watcher's
//! own journal appends. Folders that appear or are replaced are watched anew.

use std::fs;

use super::*;

/// Steps (a)–(e) of the brief, for either backend.
fn file_events(setup: Setup) -> TestResult {
    let running = setup.start()?;

    // (a) A paper is written.
    fs::write(running.path("papers/a.yaml"), "titel: neu\n")?;
    running.expect(&[paper("a")])?;

    // (b) An editor saves by writing a temporary file and renaming it over the paper.
    fs::write(running.path("papers/.b.tmp"), "titel: geändert\n")?;
    fs::rename(running.path("papers/.b.tmp"), running.path("papers/b.yaml"))?;
    running.expect(&[paper("b")])?;

    // (c) Output is ignored.
    fs::create_dir_all(running.path("out/a"))?;
    fs::write(running.path("out/a/Beschlussvorlage.docx"), "docx")?;
    running.expect_quiet("output written")?;

    // (d) Another process appends to a journal; the watcher's own append is ignored.
    append(&running.path("state/x.jsonl"), "{\"von\":\"sign\"}\n")?;
    running.expect(&[Change::Journal("x".into())])?;
    let journal = running.folders.journal("y");
    let line = "{\"von\":\"watch\"}\n";
    let len = fs::metadata(&journal)?.len() + line.len() as u64;
    running.own.note(&journal, len);
    append(&journal, line)?;
    running.expect_quiet("own journal append")?;

    // Still alive after the quiet steps.
    fs::write(running.path("workflows/kreistag.yaml"), "stufen: []\n")?;
    running.expect(&[Change::Workflow("kreistag".into())])?;

    // (e) The stop flag ends the loop.
    running.stop()
}

#[test]
fn native_events_reach_the_reconciler() -> TestResult {
    file_events(Setup::default())
}

#[test]
fn polled_events_reach_the_reconciler() -> TestResult {
    file_events(Setup::poll())
}

#[test]
fn templates_and_settings() -> TestResult {
    let running = Setup::default().start()?;
    // A folder moved in with its files: they raise no events of their own.
    fs::create_dir_all(running.path("neu/mail"))?;
    fs::write(running.path("neu/mail/unterschrift.txt"), "Gruß")?;
    fs::rename(running.path("neu/mail"), running.path("templates/mail"))?;
    running.expect(&[Change::Template("mail/unterschrift.txt".into())])?;
    fs::write(running.path("templates/beschluss.docx"), "docx")?;
    running.expect(&[Change::Template("beschluss.docx".into())])?;
    fs::write(running.path("ratsflow.yaml"), "organisation: stadt\n")?;
    running.expect(&[Change::Rescan])?;
    running.stop()
}

#[test]
fn a_missing_folder_is_watched_once_it_appears() -> TestResult {
    let setup = Setup {
        folders: &["workflows", "out", "state"],
        ..Setup::default()
    };
    let running = setup.start()?;
    fs::create_dir(running.path("papers"))?;
    running.expect(&[Change::Rescan])?;
    fs::write(running.path("papers/n.yaml"), "titel: neu\n")?;
    running.expect(&[paper("n")])?;
    running.stop()
}

#[test]
fn a_replaced_folder_is_watched_anew() -> TestResult {
    let running = Setup::default().start()?;
    fs::rename(running.path("papers"), running.path("papers-alt"))?;
    fs::create_dir(running.path("papers"))?;
    running.expect(&[Change::Rescan])?;
    // Writes to the old folder no longer count; the new one does.
    fs::write(running.path("papers-alt/old.yaml"), "x: 1\n")?;
    fs::write(running.path("papers/n.yaml"), "titel: neu\n")?;
    running.expect(&[paper("n")])?;
    running.stop()
}

#[test]
fn a_fatal_pass_stops_the_watcher() -> TestResult {
    let setup = Setup {
        fail_on: Some(paper("a")),
        ..Setup::default()
    };
    let running = setup.start()?;
    fs::write(running.path("papers/a.yaml"), "titel: neu\n")?;
    running.expect(&[paper("a")])?;
    let result = running.handle.join().map_err(|_| "watch panicked")?;
    let Err(fatal) = result else {
        return Err("watch went on after a fatal error".into());
    };
    assert_eq!(fatal.to_string(), "Journal nicht schreibbar");
    Ok(())
}

#[test]
fn the_running_watcher_holds_the_lock() -> TestResult {
    let running = Setup::default().start()?;
    let Err(error) = InstanceLock::acquire(running.dir.path()) else {
        return Err("second watcher got the lock".into());
    };
    let message = error.to_string();
    assert!(message.contains("läuft bereits"), "{message}");
    let (sender, calls) = channel();
    let mut recorder = Recorder {
        calls: sender,
        wakeup: None,
        fail_on: None,
    };
    let result = watch(
        &running.folders,
        &WatchOptions::default(),
        &mut recorder,
        &OwnWrites::new(),
        &Utc::now,
        &StopFlag::new(),
    );
    let Err(fatal) = result else {
        return Err("second watch started".into());
    };
    assert!(fatal.0.contains(".ratsflow-watch.lock"), "{fatal}");
    assert!(calls.try_recv().is_err(), "second watch reconciled");
    let dir = running.stop_and_keep()?;
    InstanceLock::acquire(dir.path())?;
    Ok(())
}
