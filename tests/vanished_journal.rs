//! A journal that vanished is noticed: `check` names the paper, and no pass writes its
//! documents or sends its notices until the journal is back or the loss is confirmed with
//! `ratsflow outbox confirm PAPER`.

mod support;

use support::Project;

const LOST: &str = "Fehler: das Journal von „042/19“ fehlt oder wurde gekürzt: es hatte 2 Einträge, der letzte vom 07.05.2019 12:00, jetzt keinen. Bis es wiederhergestellt ist (z. B. aus git) oder der Verlust bestätigt wird (ratsflow outbox confirm 042/19), werden für diese Drucksache keine Nachrichten gesendet und keine Dokumente geschrieben.\n  --> state/2019-042.jsonl\n";

/// The kreis fixture after two co-signatures of 042/19 and a pass.
fn signed_twice() -> Project {
    let project = Project::fixture("kreis");
    for (who, day) in [("fb-soziales", "2019-05-06"), ("kaemmerei", "2019-05-07")] {
        let out = project.run(&["--now", day, "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    let out = project.run(&["--now", "2019-05-07", "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    project
}

#[test]
fn a_deleted_journal_is_reported_and_its_paper_held() {
    let project = signed_twice();
    let document = project.file("out/2019-042/Beschlussvorlage_042-19.docx");
    let before = std::fs::read(&document).unwrap();
    std::fs::remove_file(project.file("state/2019-042.jsonl")).unwrap();

    let check = project.run(&["--now", "2019-05-08", "check"]);
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(check.stderr.starts_with(LOST), "{}", check.stderr);

    let outbox_before = project.read("state/outbox/2019-042.jsonl");
    let run = project.run(&["--now", "2019-05-20", "run"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains(LOST), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&document).unwrap(),
        before,
        "the document of the lost history stays as it was"
    );
    assert_eq!(
        project.read("state/outbox/2019-042.jsonl"),
        outbox_before,
        "nothing is sent (no reminder, no escalation) for the held paper"
    );
}

#[test]
fn a_deleted_state_folder_is_noticed_from_the_documents_and_confirm_releases_it() {
    let project = signed_twice();
    std::fs::remove_dir_all(project.file("state")).unwrap();
    std::fs::remove_dir_all(project.file("out/mail")).unwrap();

    let check = project.run(&["--now", "2019-05-08", "check"]);
    assert_eq!(check.code, 1, "{}", check.all());
    assert!(check.stderr.starts_with(LOST), "{}", check.stderr);
    let run = project.run(&["--now", "2019-05-08", "run"]);
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        !project.file("state/outbox/2019-042.jsonl").exists(),
        "no request to sign again goes out for the paper whose signatures vanished"
    );

    let confirm = project.run(&["outbox", "confirm", "042/19"]);
    assert_eq!(confirm.code, 0, "{}", confirm.all());
    assert_eq!(
        confirm.stdout,
        "Bestätigt: „042/19“ geht mit 0 von 2 Einträgen weiter; der nächste Durchlauf schreibt ihre Dokumente und sendet ihre Nachrichten wieder.\n"
    );
    let check = project.run(&["--now", "2019-05-08", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    let run = project.run(&["--now", "2019-05-08", "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        project
            .read("state/outbox/2019-042.jsonl")
            .contains("notice_sent"),
        "after the confirmation the paper is processed again"
    );
}

#[test]
fn a_restored_journal_needs_no_confirmation() {
    let project = signed_twice();
    let journal = project.read("state/2019-042.jsonl");
    std::fs::remove_file(project.file("state/2019-042.jsonl")).unwrap();
    assert_eq!(project.run(&["--now", "2019-05-08", "check"]).code, 1);
    project.write("state/2019-042.jsonl", &journal);
    let check = project.run(&["--now", "2019-05-08", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    let confirm = project.run(&["outbox", "confirm", "042/19"]);
    assert_eq!(
        confirm.stdout,
        "Das Journal von „042/19“ ist vollständig; es gibt nichts zu bestätigen.\n"
    );
}
