//! The web service against what `serve_security.rs` does not try yet: replaying a form after
//! the signature, CSRF pairs moved between links of other papers and of older versions,
//! traversal spelled with encoded dots and backslashes, markup in every field a page shows,
//! the headers of every kind of answer, and secrets (the key, other people's tokens) in pages,
//! logs and the project's state.

mod serve_support;

use std::time::Duration;

use serve_support::{Answer, Example, Server};

const STAB_ASYL: &str = "stab-asyl@kreis-gross-gerau.example";
const SOZIALE_SICHERUNG: &str = "soziale-sicherung@kreis-gross-gerau.example";
const CRAMER: &str = "u.cramer@kreis-gross-gerau.example";
const FRAKTION: &str = "fraktion@gruene-kreistag-gg.example";

fn mailed() -> (Example, String) {
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let path = Server::path_of(&example.link_for(STAB_ASYL));
    (example, path)
}

fn form(page: &Answer) -> (String, String) {
    (page.field("nonce"), page.field("csrf"))
}

fn journal(example: &Example, id: &str) -> String {
    example.read(&format!("state/{id}.jsonl"))
}

#[test]
fn a_form_replayed_after_the_signature_records_nothing_even_after_a_restart() {
    let (example, path) = mailed();
    let mut server = example.serve();
    let (nonce, csrf) = form(&server.get(&path));
    let fields = [("nonce", nonce.as_str()), ("csrf", csrf.as_str())];
    let signed = server.post(&format!("{path}/zeichnen"), &fields);
    assert_eq!(signed.status, 200, "{}", signed.text());
    let after_sign = journal(&example, "2026-017");

    // The captured request, sent again: as a signature and as a return.
    for _ in 0..3 {
        let again = server.post(&format!("{path}/zeichnen"), &fields);
        assert!(
            again
                .text()
                .contains("Bereits gezeichnet am 01.12.2026 um 09:00 Uhr.")
        );
    }
    let mut with_comment = fields.to_vec();
    with_comment.push(("comment", "Doch nicht"));
    let give_back = server.post(&format!("{path}/zurueckgeben"), &with_comment);
    assert!(
        give_back.text().contains("Bereits gezeichnet am"),
        "{}",
        give_back.text()
    );
    assert_eq!(server.stop(), 0);

    // A new process with the same key: still nothing.
    let server = example.serve();
    let again = server.post(&format!("{path}/zeichnen"), &fields);
    assert!(
        again.text().contains("Bereits gezeichnet am"),
        "{}",
        again.text()
    );
    assert_eq!(
        journal(&example, "2026-017"),
        after_sign,
        "nothing written twice"
    );
    let (_, status, _) = example.ratsflow(&["status", "017/26"]);
    assert_eq!(
        status.matches("über Link").count(),
        1,
        "one signature über Link:\n{status}"
    );
}

#[test]
fn a_csrf_pair_of_another_papers_link_or_of_an_older_version_is_refused() {
    let (example, path) = mailed();
    let server = example.serve();
    let cramer = Server::path_of(&example.link_for(CRAMER));
    let fraktion = Server::path_of(&example.link_for(FRAKTION));
    let (cramer_nonce, cramer_csrf) = form(&server.get(&cramer));
    let (fraktion_nonce, fraktion_csrf) = form(&server.get(&fraktion));
    let (own_nonce, own_csrf) = form(&server.get(&path));
    let before = [
        journal(&example, "2026-017"),
        journal(&example, "2026-017-1"),
        journal(&example, "2026-017-1-stellungnahme"),
    ];
    let refused = "Das Formular ist ungültig oder unvollständig übermittelt worden; es wurde nichts eingetragen.";
    for (target, nonce, csrf) in [
        (&path, &cramer_nonce, &cramer_csrf),
        (&path, &fraktion_nonce, &fraktion_csrf),
        (&cramer, &own_nonce, &own_csrf),
        (&fraktion, &cramer_nonce, &cramer_csrf),
        // Half of one pair, half of another.
        (&path, &own_nonce, &cramer_csrf),
        (&path, &cramer_nonce, &own_csrf),
        // The link's own signature part is no CSRF tag.
        (
            &path,
            &own_nonce,
            &path.rsplit('.').next().unwrap_or_default().to_string(),
        ),
    ] {
        for action in ["zeichnen", "zurueckgeben"] {
            let answer = server.post(
                &format!("{target}/{action}"),
                &[("nonce", nonce), ("csrf", csrf), ("comment", "Test")],
            );
            assert_eq!(answer.status, 403, "{target} {action}");
            assert!(answer.text().contains(refused), "{}", answer.text());
        }
    }

    // The pair of the first version does not fit the fresh link of the changed one.
    example.edit(
        "papers/2026-017.yaml",
        "title: \"Rahmenkonzept",
        "title: \"Neues Rahmenkonzept",
    );
    example.wait_for_links(STAB_ASYL, 2, &server);
    let fresh = Server::path_of(&example.links_for(STAB_ASYL)[1]);
    let answer = server.post(
        &format!("{fresh}/zeichnen"),
        &[("nonce", &own_nonce), ("csrf", &own_csrf)],
    );
    assert_eq!(answer.status, 403);
    assert_eq!(
        [
            journal(&example, "2026-017"),
            journal(&example, "2026-017-1"),
            journal(&example, "2026-017-1-stellungnahme"),
        ],
        before,
        "nothing written"
    );
}

#[test]
fn traversal_with_encoded_dots_and_backslashes_reaches_no_file() {
    let (example, path) = mailed();
    let server = example.serve();
    let token = path.trim_start_matches("/z/");
    let attempts = [
        format!("{path}/dokument/%2e%2e/%2e%2e/ratsflow.yaml"),
        format!("{path}/dokument%2f%2e%2e%2f%2e%2e%2fratsflow.yaml"),
        format!("{path}/%2e%2e/%2e%2e/%2e%2e/ratsflow.yaml"),
        format!("{path}/%2E%2E%2F%2E%2E%2Fratsflow.yaml"),
        format!("{path}/dokument/..%5c..%5cratsflow.yaml"),
        format!("{path}/dokument\\..\\..\\ratsflow.yaml"),
        format!("{path}/dokument/%252e%252e%252fratsflow.yaml"),
        format!("{path}/dokument/..%c0%af..%c0%afratsflow.yaml"),
        format!("/z/{token}%2f..%2f..%2fratsflow.yaml/dokument"),
        "/z/%2e%2e%2f%2e%2e%2fratsflow.yaml/dokument".to_string(),
        "/z/..%5c..%5cratsflow.yaml/dokument".to_string(),
        "/z/..\\..\\ratsflow.yaml/dokument".to_string(),
        "/static/%2e%2e/%2e%2e/ratsflow.yaml".to_string(),
        "/static/..%5c..%5cratsflow.yaml".to_string(),
        "/static/..\\..\\ratsflow.yaml".to_string(),
        "/static/ratsflow.css/..%2f..%2f..%2fratsflow.yaml".to_string(),
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd".to_string(),
        "//etc/passwd".to_string(),
        "/../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/state/2026-017.jsonl".to_string(),
        "/out/mail".to_string(),
    ];
    for attempt in &attempts {
        let answer = server.get(attempt);
        let text = answer.text();
        assert!(
            matches!(answer.status, 400 | 403 | 404 | 405),
            "{attempt}: {}",
            answer.status
        );
        assert!(!text.contains("organisation:"), "{attempt}: {text}");
        assert!(!text.contains("root:x:0:0"), "{attempt}: {text}");
        assert!(!text.contains("\"event\":"), "{attempt}: {text}");
        assert!(!answer.body.starts_with(b"PK"), "{attempt}: a document");
    }
    // A parameter naming a file changes nothing: the paper's own DOCX comes back.
    let document = server.get(&format!("{path}/dokument?datei=../../ratsflow.yaml"));
    assert_eq!(document.status, 200);
    assert!(document.body.starts_with(b"PK"));
    // Nothing of it in the log either.
    assert!(!server.log().contains("ratsflow.yaml"), "{}", server.log());
}

/// The markup that must show as text wherever a field appears.
fn payload(n: u32) -> String {
    format!("<script>alert({n})</script><img src=x onerror=alert({n})>")
}

#[test]
fn markup_in_every_field_the_pages_show_is_text() {
    let example = Example::new();
    let paper = "papers/2026-017.yaml";
    example.edit(
        paper,
        "title: \"Rahmenkonzept",
        &format!("title: \"{} Rahmenkonzept", payload(1)),
    );
    example.edit(
        paper,
        "  Kreis und Städte und Gemeinden sichern",
        &format!("  {} Kreis und Städte und Gemeinden sichern", payload(2)),
    );
    example.edit(
        paper,
        "  Mit dem Projektauftrag",
        &format!("  {} Mit dem Projektauftrag", payload(3)),
    );
    example.edit(
        paper,
        "  - Der Kreistag stimmt dem Rahmenkonzept Kommunale Sozialarbeit (Anlage) zu.",
        &format!(
            "  - \"{} Der Kreistag stimmt dem Rahmenkonzept Kommunale Sozialarbeit (Anlage) zu.\"",
            payload(4)
        ),
    );
    example.edit(
        paper,
        "financing: Asylpauschale",
        &format!("financing: >-\n  {} Asylpauschale", payload(5)),
    );
    example.edit(
        "workflows/directory.yaml",
        "name: N. N. (Leitung Stabsstelle Asyl)",
        &format!("name: \"{} N. N. (Leitung Stabsstelle Asyl)\"", payload(6)),
    );
    example.edit(
        "workflows/directory.yaml",
        "name: Kreis Groß-Gerau",
        &format!("name: \"{} Kreis Groß-Gerau\"", payload(7)),
    );
    // The Sachverhalt is Markdown: links and images in it must not become live either.
    example.edit(
        paper,
        "  Das Rahmenkonzept wurde vom FB",
        "  [Mehr](javascript:alert(9)) [auch](JaVaScRiPt:alert(10)) [Daten](data:text/html,x) \
         ![Bild](https://boese.example/b.png) <a href=\"javascript:alert(11)\">roh</a> \
         <style>body{display:none}</style>\n\n  Das Rahmenkonzept wurde vom FB",
    );
    let (code, out, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{out}{stderr}");
    let path = Server::path_of(&example.link_for(STAB_ASYL));
    let server = example.serve();

    let page = server.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert_inert(&html, 1..=7);
    let lower = html.to_lowercase();
    assert!(!lower.contains("href=\"javascript"), "{html}");
    assert!(!lower.contains("href=\"data"), "{html}");
    assert!(!lower.contains("<style"), "{html}");
    assert!(!html.contains("boese.example/b.png\""), "{html}");
    // What was written shows: the links' words, the raw tags as text.
    for shown in [
        "Mehr",
        "auch",
        "Daten",
        "Bild",
        "&lt;a href=&quot;javascript:alert(11)&quot;&gt;roh&lt;&#x2f;a&gt;",
        "&lt;style&gt;",
    ] {
        assert!(html.contains(shown), "{shown} not shown:\n{html}");
    }

    // The diff shows new markup as text too.
    example.edit(
        paper,
        &format!("  {} Mit dem Projektauftrag", payload(3)),
        &format!("  {} {} Mit dem Projektauftrag", payload(8), payload(3)),
    );
    // One deadline for the fresh link and the page that shows the diff.
    let start = std::time::Instant::now();
    example.wait_for_links(STAB_ASYL, 2, &server);
    let fresh = Server::path_of(&example.links_for(STAB_ASYL)[1]);
    // The mail goes out in the pass that takes in the change: the page may lag a moment.
    let mut page = server.get(&fresh);
    while !page.text().contains("<ins>") {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no diff shown: {}",
            page.text()
        );
        std::thread::sleep(Duration::from_millis(100));
        page = server.get(&fresh);
    }
    let html = page.text();
    assert_inert(&html, 1..=8);

    // The answer after signing shows the facts: the same.
    let signed = server.post(
        &format!("{fresh}/zeichnen"),
        &[
            ("nonce", &page.field("nonce")),
            ("csrf", &page.field("csrf")),
        ],
    );
    assert_eq!(signed.status, 200, "{}", signed.text());
    let html = signed.text();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");
}

fn assert_inert(html: &str, shown: std::ops::RangeInclusive<u32>) {
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    for n in shown {
        assert!(
            html.contains(&format!(
                "&lt;script&gt;alert({n})&lt;&#x2f;script&gt;&lt;img src=x onerror=alert({n})&gt;"
            )),
            "field {n} not shown as text:\n{html}"
        );
    }
}

fn assert_strict(answer: &Answer, what: &str) {
    let csp = answer.header("content-security-policy").unwrap_or_default();
    for part in [
        "default-src 'self'",
        "script-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{what}: {part} missing in {csp}");
    }
    assert_eq!(
        answer.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        answer.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert!(answer.header("set-cookie").is_none(), "{what}: a cookie");
}

#[test]
fn every_answer_on_a_token_url_carries_the_strict_headers() {
    let (example, path) = mailed();
    let server = example.serve();
    let page = server.get(&path);
    let (nonce, csrf) = form(&page);
    let mut altered = path.clone().into_bytes();
    let at = altered.len() - 4;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap_or_default();
    let answers = [
        ("sign page", page),
        ("document", server.get(&format!("{path}/dokument"))),
        ("head", server.raw("HEAD", &path, None)),
        ("altered link", server.get(&altered)),
        (
            "altered document",
            server.get(&format!("{altered}/dokument")),
        ),
        (
            "form without csrf",
            server.post(&format!("{path}/zeichnen"), &[]),
        ),
        ("get on a form", server.get(&format!("{path}/zeichnen"))),
        (
            "return without reason",
            server.post(
                &format!("{path}/zurueckgeben"),
                &[("nonce", &nonce), ("csrf", &csrf), ("comment", "")],
            ),
        ),
        (
            "garbled form",
            server.raw("POST", &format!("{path}/zeichnen"), Some("%%%&&&=")),
        ),
        (
            "signed",
            server.post(
                &format!("{path}/zeichnen"),
                &[("nonce", &nonce), ("csrf", &csrf)],
            ),
        ),
        (
            "signed again",
            server.post(
                &format!("{path}/zeichnen"),
                &[("nonce", &nonce), ("csrf", &csrf)],
            ),
        ),
    ];
    let statuses: Vec<u16> = answers.iter().map(|(_, a)| a.status).collect();
    assert_eq!(
        statuses,
        [200, 200, 200, 403, 403, 403, 405, 422, 403, 200, 200],
        "{:?}",
        answers
            .iter()
            .map(|(w, a)| (w, a.status))
            .collect::<Vec<_>>()
    );
    for (what, answer) in &answers {
        assert_strict(answer, what);
    }
    assert_eq!(
        answers[1].1.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
}

#[test]
fn no_page_log_or_state_file_holds_the_key_or_another_persons_token() {
    let (example, path) = mailed();
    let mut server = example.serve();
    let key = std::fs::read(example.key_path()).unwrap_or_default();
    assert_eq!(key.len(), 32);
    use base64::Engine as _;
    let key_forms = [
        key.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&key),
        base64::engine::general_purpose::STANDARD.encode(&key),
    ];
    let tokens: Vec<(String, String)> = [STAB_ASYL, SOZIALE_SICHERUNG, CRAMER, FRAKTION]
        .iter()
        .map(|mail| {
            let path = Server::path_of(&example.link_for(mail));
            (mail.to_string(), path.trim_start_matches("/z/").to_string())
        })
        .collect();
    let own = path.trim_start_matches("/z/");

    // Every kind of page a holder of stab-asyl's link can make the service show.
    let page = server.get(&path);
    let (nonce, csrf) = form(&page);
    let mut pages = vec![
        page,
        server.get("/"),
        server.get("/gibt-es-nicht"),
        server.get(&format!("{path}x")),
        server.post(
            &format!("{path}/zeichnen"),
            &[("nonce", "x"), ("csrf", "y")],
        ),
        server.post(
            &format!("{path}/zurueckgeben"),
            &[("nonce", &nonce), ("csrf", &csrf), ("comment", " ")],
        ),
    ];
    pages.push(server.post(
        &format!("{path}/zeichnen"),
        &[("nonce", &nonce), ("csrf", &csrf)],
    ));
    pages.push(server.get(&path));
    for answer in &pages {
        let text = answer.text();
        for form in &key_forms {
            assert!(!text.contains(form.as_str()), "key in a page: {text}");
        }
        for (mail, token) in &tokens {
            if token != own {
                assert!(
                    !text.contains(token.as_str()),
                    "{mail}'s token in a page: {text}"
                );
            }
        }
    }
    // An altered token is not echoed back.
    assert!(!pages[3].text().contains(&format!("{own}x")));

    assert_eq!(server.stop(), 0);
    let log = server.log();
    for form in &key_forms {
        assert!(!log.contains(form.as_str()), "key in the log: {log}");
    }
    for (mail, token) in &tokens {
        assert!(
            !log.contains(token.as_str()),
            "{mail}'s token in the log: {log}"
        );
    }
    // state/ (journal, seen, outbox) keeps neither the key nor a token.
    let mut files = Vec::new();
    collect(&example.path().join("state"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
        for form in &key_forms {
            assert!(!text.contains(form.as_str()), "key in {}", file.display());
        }
        for (mail, token) in &tokens {
            assert!(
                !text.contains(token.as_str()),
                "{mail}'s token in {}",
                file.display()
            );
        }
    }
}

fn collect(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
