//! A signature covers what the signer saw: the paper and the text of its document. A template
//! change that changes the wording makes the signature stale (the signer is asked again, as
//! after a change of the paper) and `check` says so; a change that leaves the text alone does
//! not touch it.

mod support;

use std::io::{Cursor, Read, Write};

use support::Project;

/// Rewrites `templates/beschlussvorlage.docx` with `edit` applied to its `word/document.xml`.
fn edit_template(project: &Project, edit: impl Fn(&str) -> String) {
    let path = project.file("templates/beschlussvorlage.docx");
    let bytes = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            data = edit(&String::from_utf8(data).unwrap()).into_bytes();
        }
        writer.start_file(name, options).unwrap();
        writer.write_all(&data).unwrap();
    }
    let bytes = writer.finish().unwrap().into_inner();
    std::fs::write(path, bytes).unwrap();
}

fn signed_once() -> Project {
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
    assert!(
        project
            .read("state/2019-042.jsonl")
            .contains("\"document\":\"sha256:"),
        "the text the signer saw is recorded"
    );
    project
}

#[test]
fn a_template_change_of_the_text_makes_the_signature_stale_and_check_says_so() {
    let project = signed_once();
    edit_template(&project, |xml| {
        assert!(xml.contains("Beschlussvorschlag"));
        xml.replacen("Beschlussvorschlag", "Beschlussempfehlung", 1)
    });
    let status = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert!(
        status.stdout.contains(
            "Stand: Mitzeichnung — wartet auf Fatma Şahin (erneut), Klaus Groß, Dana Weiß"
        ),
        "{}",
        status.stdout
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert_eq!(
        check.stderr,
        "Warnung: die Unterschrift von Fatma Şahin vom 06.05.2019 deckt den Text des Dokuments von „042/19“ nicht mehr: die Vorlage „beschlussvorlage.docx“ hat ihn seitdem geändert; Fatma Şahin wird erneut um Unterschrift gebeten\n  --> state/2019-042.jsonl:1:1\n1 Warnung\n"
    );
    // Signing again is allowed, and covers the new text.
    let again = project.run(&[
        "--now",
        "2019-05-07",
        "sign",
        "042/19",
        "--as",
        "fb-soziales",
    ]);
    assert_eq!(again.code, 0, "{}", again.all());
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert_eq!(check.code, 0, "{}", check.all());
    assert!(!check.stderr.contains("Warnung"), "{}", check.stderr);
}

#[test]
fn a_template_change_that_keeps_the_text_keeps_the_signature() {
    let project = signed_once();
    // Bold text: other formatting, same words.
    edit_template(&project, |xml| {
        assert!(xml.contains("<w:rPr>"));
        xml.replacen("<w:rPr>", "<w:rPr><w:b/>", 1)
    });
    let status = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert!(
        status
            .stdout
            .contains("Stand: Mitzeichnung — wartet auf Klaus Groß, Dana Weiß"),
        "{}",
        status.stdout
    );
    let check = project.run(&["--now", "2019-05-07", "check"]);
    assert!(!check.stderr.contains("Warnung"), "{}", check.all());
}

#[test]
fn a_signature_line_without_a_document_hash_stays_valid() {
    let project = signed_once();
    let journal = project.read("state/2019-042.jsonl");
    let old_style: String = journal
        .lines()
        .map(|line| {
            let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
            value.as_object_mut().unwrap().remove("document");
            format!("{value}\n")
        })
        .collect();
    project.write("state/2019-042.jsonl", &old_style);
    edit_template(&project, |xml| {
        xml.replacen("Beschlussvorschlag", "Beschlussempfehlung", 1)
    });
    let status = project.run(&["--now", "2019-05-07", "status", "042/19"]);
    assert!(
        status
            .stdout
            .contains("Stand: Mitzeichnung — wartet auf Klaus Groß, Dana Weiß"),
        "{}",
        status.stdout
    );
}

#[test]
fn a_template_change_after_the_decision_reopens_nothing() {
    let project = signed_once();
    for (who, now) in [("kaemmerei", "2019-05-07"), ("landrat", "2019-05-08")] {
        let out = project.run(&["--now", now, "sign", "042/19", "--as", who]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
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
    edit_template(&project, |xml| {
        xml.replacen("Beschlussvorschlag", "Beschlussempfehlung", 1)
    });
    let status = project.run(&["--now", "2019-06-04", "status", "042/19"]);
    assert!(
        status
            .stdout
            .contains("Stand: Bürgermeisterdienstversammlung"),
        "{}",
        status.stdout
    );
    assert!(!status.stdout.contains("(erneut)"), "{}", status.stdout);
    let check = project.run(&["--now", "2019-06-04", "check"]);
    assert!(!check.stderr.contains("deckt den Text"), "{}", check.stderr);
}
