//! Drafting a motion in the browser, against the real `ratsflow serve`: a Fraktion member logs
//! in by the mailed link, fills the form (one Ziffer on a sub-point), adds a Ziffer, previews
//! the document (HTML and DOCX) and saves; the file is in `papers/`, `ratsflow check` is
//! clean, and the watcher renders its DOCX and asks the Fraktion's signatory to sign. Another
//! Fraktion neither sees nor opens the draft; forms without their CSRF token save nothing.

mod login_support;
mod serve_support;

use std::time::{Duration, Instant};

use login_support::{Browser, FRAKTION_GG, FRAKTION_UNNA, OFFICE};
use serve_support::{Answer, Example};

/// The form as a member fills it in, plus the page's own hidden fields.
fn filled(page: &Answer) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("zu", "2026-017"),
        ("art", "Ergänzungsantrag"),
        ("fraktion", "fraktion-gruene-gg"),
        ("titel", "Sozialarbeit <script>alert(1)</script> sichern"),
        ("anrede", "Sehr geehrte Damen und Herren,"),
        ("ziffer-1-art", "ersetzen"),
        ("ziffer-1-punkt", "2"),
        (
            "ziffer-1-text",
            "Der Kreisausschuss schließt die Vereinbarung bis zum 30.06.2027 ab.",
        ),
        ("ziffer-2-art", "antrag"),
        (
            "ziffer-2-text",
            "Die Verwaltung berichtet jährlich über die Wartezeiten.\nkind: Beschlussvorlage",
        ),
        (
            "begruendung",
            "Befristete Stellen finden kaum Bewerberinnen.",
        ),
        ("unterzeichner", "vorsitz-gruene-gg"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    fields.push(("entwurf".into(), page.field("entwurf")));
    fields.push(("csrf".into(), page.field("csrf")));
    fields
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_fraktion_member_drafts_previews_and_saves_and_the_signatory_is_asked() {
    let example = Example::new();
    let mut server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.10");

    // Without a session the form sends to the login, remembering where to go.
    let answer = browser.get("/antrag/neu?zu=017/26");
    assert_eq!(answer.status, 303);
    assert!(
        answer
            .header("location")
            .is_some_and(|l| l.starts_with("/anmelden?weiter=/antrag/neu")),
        "{:?}",
        answer.headers
    );

    browser.login(&example, FRAKTION_GG);
    let page = browser.get("/antrag/neu?zu=017/26");
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("<legend>Ziffer 1</legend>"), "{html}");
    assert!(
        html.contains("Angemeldet als N. N. (Fraktionsvorsitz GRÜNE)"),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");

    // „Ziffer hinzufügen“ is a plain submit button.
    let mut fields = filled(&page);
    fields.retain(|(k, _)| !k.starts_with("ziffer-2"));
    fields.push(("aktion".into(), "ziffer-hinzufuegen".into()));
    let more = browser.post("/antrag/vorschau", &refs(&fields));
    assert_eq!(more.status, 200, "{}", more.text());
    assert!(
        more.text().contains("<legend>Ziffer 2</legend>"),
        "{}",
        more.text()
    );

    // The preview shows the document's text; a problem is listed and linked first.
    let mut fields = filled(&page);
    fields.retain(|(k, _)| k != "begruendung");
    let problem = browser.post("/antrag/vorschau", &refs(&fields));
    assert_eq!(problem.status, 422);
    assert!(
        problem
            .text()
            .contains("<li><a href=\"#begruendung\">Bitte begründen Sie den Antrag.</a></li>"),
        "{}",
        problem.text()
    );
    // A third Ziffer replaces sub-point b) of point 3.
    let mut fields = filled(&page);
    fields.extend(
        [
            ("ziffer-3-art", "ersetzen"),
            ("ziffer-3-punkt", "3.2"),
            (
                "ziffer-3-text",
                "die Verwendung und die Höhe der Asylpauschale,",
            ),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let preview = browser.post("/antrag/vorschau", &refs(&fields));
    assert_eq!(preview.status, 200, "{}", preview.text());
    let html = preview.text();
    assert!(html.contains("Vorschau des Dokuments"), "{html}");
    assert!(
        html.contains("<p>Der Kreisausschuss schließt die Vereinbarung bis zum 30.06.2027 ab.</p>"),
        "{html}"
    );
    assert!(html.contains("Sozialarbeit &lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    let docx = browser.post("/antrag/vorschau.docx", &refs(&fields));
    assert_eq!(docx.status, 200);
    assert_eq!(
        docx.header("content-disposition"),
        Some("attachment; filename=\"Ergaenzungsantrag_A_001-26_Vorschau.docx\"")
    );
    assert!(docx.body.starts_with(b"PK"));
    assert!(!example.path().join("papers/2026-a001.yaml").exists());

    // Saving redirects to the confirmation; a second click saves nothing new.
    let saved = browser.post("/antrag/speichern", &refs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(
        saved.header("location"),
        Some("/antrag/gespeichert/2026-a001")
    );
    let again = browser.post("/antrag/speichern", &refs(&fields));
    assert_eq!(
        again.header("location"),
        Some("/antrag/gespeichert/2026-a001")
    );
    assert!(!example.path().join("papers/2026-a002.yaml").exists());
    let confirmation = browser.get("/antrag/gespeichert/2026-a001");
    assert_eq!(confirmation.status, 200);
    let html = confirmation.text();
    assert!(
        html.contains("ist als A 001&#x2f;26 gespeichert."),
        "{html}"
    );
    assert!(
        html.contains("<dt>Datei</dt><dd>papers&#x2f;2026-a001.yaml</dd>"),
        "{html}"
    );
    assert!(
        html.contains("Wir bitten jetzt per E-Mail um die Unterschrift der Fraktion: N. N. (Fraktionsvorsitz GRÜNE)."),
        "{html}"
    );

    let text = example.read("papers/2026-a001.yaml");
    assert!(text.contains("kind: \"Ergänzungsantrag\""), "{text}");
    assert!(text.contains("reference: \"A 001/26\""), "{text}");
    assert!(text.contains("amends: \"2026-017\""), "{text}");
    assert!(
        text.contains("  - request: |-\n      Die Verwaltung berichtet jährlich über die Wartezeiten.\n      kind: Beschlussvorlage\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  - replace: \"3.2\"\n    text: \"die Verwendung und die Höhe der Asylpauschale,\"\n"
        ),
        "{text}"
    );
    let (code, stdout, stderr) = example.ratsflow(&["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");

    // The watcher takes the new file on its normal path: its document, then the request to
    // the Fraktion's signatory with a personal link.
    let document = example
        .path()
        .join("out/2026-a001/Ergaenzungsantrag_A_001-26.docx");
    wait_for("the motion's DOCX", || document.exists());
    wait_for("the request to sign the motion", || {
        example
            .links_for(FRAKTION_GG)
            .iter()
            .any(|link| mail_mentions(&example, link, "A 001/26"))
    });
    let (_, status, _) = example.ratsflow(&["status", "A 001/26"]);
    assert!(status.contains("Unterschrift der Fraktion"), "{status}");
    assert_eq!(server.stop(), 0);
}

/// Whether the mail carrying `link` names `text`.
fn mail_mentions(example: &Example, link: &str, text: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(example.path().join("out/mail")) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|entry| {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        mail_parser::MessageParser::default()
            .parse(&bytes)
            .and_then(|m| m.body_text(0).map(|t| t.into_owned()))
            .is_some_and(|body| body.contains(link) && body.contains(text))
    })
}

#[test]
fn another_fraktion_neither_sees_nor_opens_the_draft() {
    let example = Example::new();
    let server = example.serve();
    // Everyone logs in first: a save starts a pass, and login mails wait for it.
    let mut gg = Browser::new(&server, "192.0.2.11");
    gg.login(&example, FRAKTION_GG);
    let mut unna = Browser::new(&server, "192.0.2.12");
    unna.login(&example, FRAKTION_UNNA);
    let mut office = Browser::new(&server, "192.0.2.13");
    office.login(&example, OFFICE);
    let page = gg.get("/antrag/neu?zu=017/26");
    let fields = filled(&page);
    let saved = gg.post("/antrag/speichern", &refs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.text());

    let answer = unna.get("/antrag/gespeichert/2026-a001");
    assert_eq!(answer.status, 404, "{}", answer.text());
    assert!(!answer.text().contains("Sozialarbeit"), "{}", answer.text());
    // Neither the new draft nor the example's unsigned motion can be amended by them.
    for zu in ["2026-a001", "A%20017%2F26-1"] {
        let answer = unna.get(&format!("/antrag/neu?zu={zu}"));
        assert_eq!(answer.status, 404, "{zu}: {}", answer.text());
        assert!(
            answer.text().contains("gibt es nicht."),
            "{}",
            answer.text()
        );
    }
    // The office sees it and may draft for the Fraktion of the body, choosing it.
    assert_eq!(office.get("/antrag/gespeichert/2026-a001").status, 200);
    let form = office.get("/antrag/neu?zu=017/26");
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(
        form.text()
            .contains("<label for=\"fraktion\">Fraktion, die den Antrag stellt</label>"),
        "{}",
        form.text()
    );
}

#[test]
fn forms_without_their_csrf_token_save_nothing() {
    let example = Example::new();
    let server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.14");
    browser.login(&example, FRAKTION_GG);
    let page = browser.get("/antrag/neu?zu=017/26");
    let mut fields = filled(&page);
    fields.retain(|(k, _)| k != "csrf");
    for path in [
        "/antrag/speichern",
        "/antrag/vorschau",
        "/antrag/vorschau.docx",
    ] {
        let answer = browser.post(path, &refs(&fields));
        assert_eq!(answer.status, 403, "{path}: {}", answer.text());
        assert!(
            answer.text().contains(
                "Das Formular ist ungültig oder unvollständig übermittelt worden; es wurde nichts gespeichert."
            ),
            "{}",
            answer.text()
        );
    }
    fields.push(("csrf".into(), "erfunden".into()));
    assert_eq!(
        browser.post("/antrag/speichern", &refs(&fields)).status,
        403
    );
    assert!(!example.path().join("papers/2026-a001.yaml").exists());
}
