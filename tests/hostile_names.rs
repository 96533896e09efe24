//! Hostile names (issue 8 §2): ids and references with a length limit and a safe character
//! set, journals that cannot be opened, and text that could steer a terminal or a mail client.
//! Each problem stays with its paper; every other paper and every command keeps working.

mod support;

use support::Project;

const NOW: &str = "2019-05-06T09:00:00+02:00";

/// A title that retitles the terminal window, rings the bell and reverses the text after it.
const HOSTILE_TITLE: &str = r#"title: "Haushalt\e]0;pwned\a\u202e fertig""#;

/// The fixture with the hostile title in the first paper.
fn with_hostile_title() -> Project {
    let project = Project::fixture("kreis");
    let paper = project.read("papers/2019-042.yaml");
    let line = paper
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("title line");
    project.write(
        "papers/2019-042.yaml",
        &paper.replacen(line, HOSTILE_TITLE, 1),
    );
    project
}

fn assert_harmless(text: &str) {
    assert!(!text.contains('\u{1b}'), "ESC printed: {text:?}");
    assert!(!text.contains('\u{7}'), "BEL printed: {text:?}");
    assert!(
        !text.contains('\u{202e}'),
        "bidi override printed: {text:?}"
    );
}

#[test]
fn a_title_with_terminal_escapes_is_shown_visibly_in_status() {
    let project = with_hostile_title();
    let out = project.run(&["status"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stdout);
    assert!(
        out.stdout.contains("Haushalt␛]0;pwned␇� fertig"),
        "{}",
        out.stdout
    );
    let out = project.run(&["status", "042/19"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stdout);
    assert!(
        out.stdout.contains("Haushalt␛]0;pwned␇� fertig"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_title_with_terminal_escapes_reaches_no_mail() {
    let project = with_hostile_title();
    let out = project.run(&["--now", NOW, "run"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_harmless(&out.stderr);
    let mails: Vec<String> = std::fs::read_dir(project.file("out/mail"))
        .expect("mails")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("eml"))
        .collect();
    assert_eq!(mails.len(), 3);
    let mut about_it = 0;
    for mail in &mails {
        let parsed = mail_parser::MessageParser::default()
            .parse(mail.as_bytes())
            .expect("parses");
        let subject = parsed.subject().unwrap_or_default();
        let body = parsed.body_text(0).unwrap_or_default();
        assert_harmless(subject);
        assert_harmless(&body);
        if subject.contains("042/19 ") {
            about_it += 1;
            assert!(subject.contains("Haushalt ]0;pwned � fertig"), "{subject}");
            assert!(body.contains("„Haushalt␛]0;pwned␇� fertig“"), "{body}");
        }
    }
    assert!(about_it > 0, "no mail about the paper");
}

#[test]
fn a_diagnostic_quoting_hostile_input_is_harmless() {
    let project = Project::fixture("kreis");
    project.edit(
        "papers/2019-042.yaml",
        "workflow: kreistag",
        r#"workflow: "kreis\e[2Jtag""#,
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_harmless(&out.stderr);
    assert!(
        out.stderr
            .starts_with("Fehler: unbekannter Ablauf „kreis␛[2Jtag“\n  --> papers/2019-042.yaml:2:11\n   |\n 2 | workflow: \"kreis\\e[2Jtag\"\n"),
        "{}",
        out.stderr
    );
}

/// Runs the binary with a time bound: a command that blocks (on a named pipe) fails the test
/// instead of hanging it.
fn run_bounded(project: &Project, args: &[&str]) -> support::Output {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _ = send.send(project.run(args));
        });
        match receive.recv_timeout(std::time::Duration::from_secs(20)) {
            Ok(out) => out,
            Err(_) => panic!("ratsflow {args:?} blocked for 20 s"),
        }
    })
}

/// `sign 042/19` as the first co-signer: the unaffected paper can still be signed.
fn sign_first_paper(project: &Project) {
    let sign = run_bounded(
        project,
        &["--now", NOW, "sign", "042/19", "--as", "fb-soziales"],
    );
    assert_eq!(sign.code, 0, "{}", sign.all());
    assert!(
        sign.stdout
            .starts_with("Fatma Şahin hat „042/19“ in der Stufe „Mitzeichnung“ unterschrieben."),
        "{}",
        sign.stdout
    );
}

#[test]
fn a_folder_in_place_of_a_journal_stops_only_its_paper() {
    let project = Project::fixture("kreis");
    std::fs::create_dir_all(project.file("state/2019-042-1.jsonl")).unwrap();
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: das Journal von „2019-042-1“ lässt sich nicht öffnen: an seiner Stelle steht ein Ordner
  --> state/2019-042-1.jsonl
   = Hinweis: solange wird die Drucksache übersprungen; an diese Stelle gehört ihre Journaldatei (oder nichts, solange nichts eingetragen ist)
1 Fehler
"
    );
    let status = run_bounded(&project, &["status"]);
    assert_eq!(status.code, 0, "{}", status.all());
    assert!(
        status
            .stdout
            .contains("042/19      Kommunales Integrationsmanagement")
    );
    assert!(
        status
            .stdout
            .contains("2019-042-1  (fehlerhaft, siehe ratsflow check)")
    );
    assert_eq!(run_bounded(&project, &["status", "042/19"]).code, 0);
    sign_first_paper(&project);
    let run = run_bounded(&project, &["--now", NOW, "run"]);
    assert_ne!(run.code, 2, "{}", run.all());
    assert!(
        project
            .file("out/2019-042/Beschlussvorlage_042-19.docx")
            .is_file(),
        "{}",
        run.stderr
    );
}

/// Makes a named pipe; false where the system has no `mkfifo`.
fn mkfifo(path: &std::path::Path) -> bool {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_named_pipe_in_place_of_a_journal_or_outbox_never_blocks() {
    let project = Project::fixture("kreis");
    if !mkfifo(&project.file("state/2019-042-1.jsonl"))
        || !mkfifo(&project.file("state/outbox/2019-042-1.jsonl"))
    {
        return;
    }
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: das Journal von „2019-042-1“ lässt sich nicht öffnen: an seiner Stelle steht keine gewöhnliche Datei (sondern eine Pipe oder Gerätedatei)
  --> state/2019-042-1.jsonl
   = Hinweis: solange wird die Drucksache übersprungen; an diese Stelle gehört ihre Journaldatei (oder nichts, solange nichts eingetragen ist)
1 Fehler
"
    );
    assert_eq!(run_bounded(&project, &["status"]).code, 0);
    sign_first_paper(&project);
    let refused = run_bounded(
        &project,
        &["--now", NOW, "sign", "2019-042-1", "--as", "fb-soziales"],
    );
    assert_eq!(refused.code, 1, "{}", refused.all());
    assert!(refused.stderr.ends_with(
        "Fehler: „2019-042-1“ hat Fehler (siehe oben); solange wird nichts eingetragen\n"
    ));
    let run = run_bounded(&project, &["--now", NOW, "run"]);
    assert_ne!(run.code, 2, "{}", run.all());
    assert!(
        project
            .file("out/2019-042/Beschlussvorlage_042-19.docx")
            .is_file(),
        "{}",
        run.stderr
    );
}

#[test]
fn a_named_pipe_in_place_of_a_base_papers_journal_leaves_the_amendment_working() {
    let project = Project::fixture("kreis");
    if !mkfifo(&project.file("state/2019-042.jsonl")) {
        return;
    }
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "Fehler: das Journal von „2019-042“ lässt sich nicht öffnen: an seiner Stelle steht keine gewöhnliche Datei"
        ),
        "{}",
        out.stderr
    );
    let status = run_bounded(&project, &["status"]);
    assert_eq!(status.code, 0, "{}", status.all());
    let run = run_bounded(&project, &["--now", NOW, "run"]);
    assert_ne!(run.code, 2, "{}", run.all());
}

#[test]
fn a_paper_name_of_250_characters_is_located_and_skipped() {
    let project = Project::fixture("kreis");
    let name = "a".repeat(250);
    let text = project.read("papers/2019-042.yaml");
    project.write(
        &format!("papers/{name}.yaml"),
        &text.replace("042/19", "043/19"),
    );
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "Fehler: der Dateiname „{}…“ taugt nicht als Kennung der Drucksache: er ist zu lang (250 Zeichen); erlaubt sind höchstens 100
  --> papers/{name}.yaml:1:1
   = Hinweis: benennen Sie die Datei um; erlaubt sind Buchstaben (auch Umlaute), Ziffern, „-“, „_“ und „.“ (nicht am Anfang), höchstens 100 Zeichen
1 Fehler
",
            "a".repeat(39)
        )
    );
    assert_eq!(run_bounded(&project, &["status"]).code, 0);
    sign_first_paper(&project);
    let run = run_bounded(&project, &["--now", NOW, "run"]);
    assert_ne!(run.code, 2, "{}", run.all());
    assert!(
        project
            .file("out/2019-042/Beschlussvorlage_042-19.docx")
            .is_file(),
        "{}",
        run.stderr
    );
}

#[test]
fn unsafe_ids_and_long_references_are_located_errors() {
    let project = Project::fixture("kreis");
    let text = project.read("papers/2019-042.yaml");
    project.write(
        "papers/2019 042 neu.yaml",
        &text.replace("042/19", "044/19"),
    );
    let workflow = project.read("workflows/kreistag.yaml");
    project.write("workflows/kreistag\u{7}.yaml", &workflow);
    project.edit(
        "papers/2019-042-1.yaml",
        "reference: \"042/19-1\"",
        &format!("reference: \"{}\"", "9".repeat(41)),
    );
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with(
            "Fehler: der Dateiname „2019 042 neu“ taugt nicht als Kennung der Drucksache: er enthält ein Leerzeichen
  --> papers/2019 042 neu.yaml:1:1
"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(&format!(
            "Fehler: die Drucksachen-Nummer „{}…“ ist zu lang (41 Zeichen); erlaubt sind höchstens 40\n",
            "9".repeat(39)
        )),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "Fehler: der Dateiname „kreistag␇“ taugt nicht als Kennung des Ablaufs: er enthält ein Steuerzeichen (U+0007)
  --> workflows/kreistag␇.yaml:1:1
"
        ),
        "{}",
        out.stderr
    );
    assert_harmless(&out.stderr);
    let status = run_bounded(&project, &["status", "042/19"]);
    assert_eq!(status.code, 0, "{}", status.all());
}

#[test]
fn a_person_id_with_an_escape_is_a_located_error_of_the_directory() {
    let project = Project::fixture("kreis");
    let directory = project.read("workflows/directory.yaml");
    let people = directory.find("people:\n").expect("people");
    let mut text = directory.clone();
    text.insert_str(
        people + "people:\n".len(),
        "  \"böse\\e[2J\":\n    name: Mallory\n    email: m@kreis-musterland.example\n",
    );
    project.write("workflows/directory.yaml", &text);
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1);
    assert_harmless(&out.stderr);
    let line = directory[..people].lines().count() + 2;
    assert_eq!(
        out.stderr,
        format!(
            "Fehler: die Kennung „böse␛[2J“ enthält ein Steuerzeichen (U+001B)
  --> workflows/directory.yaml:{line}:3
   |
{line:>2} |   \"böse\\e[2J\":
   |   ^^^^^^^^^^^
   = Hinweis: erlaubt sind Buchstaben (auch Umlaute), Ziffern, „-“, „_“ und „.“ (nicht am Anfang), höchstens 100 Zeichen
1 Fehler
"
        )
    );
}

#[test]
fn a_template_entry_leaving_the_package_is_a_located_error_of_check() {
    let project = Project::fixture("kreis");
    let path = project.file("templates/beschlussvorlage.docx");
    let bytes = std::fs::read(&path).unwrap();
    let (from, to) = (b"word/settings.xml", b"../word/setti.xml");
    let mut changed = bytes.clone();
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = changed[at..].windows(from.len()).position(|w| w == from) {
        changed[at + found..at + found + to.len()].copy_from_slice(to);
        at += found + to.len();
        count += 1;
    }
    assert_eq!(count, 2, "local header and central directory");
    std::fs::write(&path, changed).unwrap();
    let out = run_bounded(&project, &["check"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(
        out.stderr,
        "Fehler: Vorlage „beschlussvorlage.docx“, Teil „../word/setti.xml“: der Name des Teils enthält „..“ (verweist aus dem Paket hinaus); so ein Dokument wird nicht verwendet
  --> templates/beschlussvorlage.docx
   = Hinweis: betrifft Drucksache 2019-042 (out/2019-042/Beschlussvorlage_042-19.docx)
1 Fehler
"
    );
}
