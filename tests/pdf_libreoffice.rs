//! PDFs by the real LibreOffice: every document of a pass gets a tagged PDF/UA-1 and PDF/A-2b
//! file in German with the paper's title, made by one process. Skipped (with a printed reason)
//! where LibreOffice is not installed, unless `RATSFLOW_REQUIRE_SOFFICE=1` (as in CI) turns the
//! skip into a failure.

mod support;

use support::Project;

/// Whether `soffice` is installed; panics when CI requires it and it is not.
fn soffice_available() -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("soffice").is_file()));
    if !found {
        assert!(
            std::env::var("RATSFLOW_REQUIRE_SOFFICE").as_deref() != Ok("1"),
            "RATSFLOW_REQUIRE_SOFFICE=1, but soffice is not in PATH"
        );
        eprintln!("skipped: LibreOffice (soffice) is not installed");
    }
    found
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_document_gets_an_accessible_pdf() {
    if !soffice_available() {
        return;
    }
    let project = Project::fixture("kreis");
    let settings = project.read("ratsflow.yaml");
    project.write(
        "ratsflow.yaml",
        &format!("{settings}\npdf:\n  enabled: true\n  timeout_seconds: 120\n"),
    );
    let run = project.run(&["--now", "2019-05-20", "run"]);
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(
        run.stderr.contains("PDF: 6 geschrieben, 0 unverändert\n"),
        "{}",
        run.all()
    );

    let pdf = std::fs::read(project.file("out/2019-042/Beschlussvorlage_042-19.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    // PDF/UA-1 and PDF/A-2b, declared in the XMP metadata (which PDF/A keeps uncompressed).
    assert!(
        text.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "no PDF/UA identification"
    );
    assert!(
        text.contains("<pdfaid:part>2</pdfaid:part>"),
        "no PDF/A-2 identification"
    );
    assert!(text.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    // Tagged, in German, with the paper's title shown instead of the file name.
    assert!(text.contains("/StructTreeRoot"), "not tagged");
    assert!(text.contains("/Marked true"), "not marked as tagged");
    assert!(text.contains("/Lang(de-DE)"), "no language");
    assert!(text.contains("/DisplayDocTitle true"), "title not shown");
    assert!(
        text.contains("Kommunales Integrationsmanagement; Rahmenkonzept</rdf:li>"),
        "the paper's title is not in the metadata"
    );
    // Every document of the pass has its PDF, none left half-written.
    for pdf in [
        "out/2019-042-1/Ergaenzungsantrag_042-19-1.pdf",
        "out/ausschuss/Tagesordnung_ausschuss_2019-06-03.pdf",
    ] {
        let bytes = std::fs::read(project.file(pdf)).unwrap();
        assert!(text_of(&bytes).trim_end().ends_with("%%EOF"), "{pdf}");
    }

    let again = project.run(&["--now", "2019-05-20", "run"]);
    assert!(
        again.stderr.contains("PDF: 0 geschrieben, 6 unverändert\n"),
        "{}",
        again.all()
    );
}
