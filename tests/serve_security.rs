//! The web service against misuse: altered, expired and forged links, CSRF, path traversal,
//! HTML in paper fields, security headers, the key's place and mode, secrets in logs.

mod serve_support;

use serve_support::{Example, Server};

const STAB_ASYL: &str = "stab-asyl@kreis-gross-gerau.example";

fn ready() -> (Example, String) {
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let link = example.link_for(STAB_ASYL);
    (example, Server::path_of(&link))
}

#[test]
fn altered_and_expired_links_get_a_german_403() {
    let (example, path) = ready();
    let server = example.serve();
    // Alter one character of the payload and one of the signature.
    let token = path.trim_start_matches("/z/").to_string();
    for at in [3, token.len() - 3] {
        let mut bytes = token.clone().into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap_or_default();
        let answer = server.get(&format!("/z/{altered}"));
        assert_eq!(answer.status, 403);
        assert!(
            answer.text().contains(
                "Dieser Link ist ungültig. Bitte öffnen Sie den Link aus Ihrer E-Mail unverändert."
            ),
            "{}",
            answer.text()
        );
        assert!(answer.text().contains("<h1>Zugriff nicht möglich</h1>"));
    }
    // A genuine token of the project's key whose time is up.
    let key = std::fs::read(example.key_path()).unwrap_or_default();
    let expired = ratsflow::serve::link::issue(
        &key,
        &ratsflow::serve::link::Claims {
            paper: "2026-017".into(),
            stage: "mitzeichnung".into(),
            person: "stab-asyl".into(),
            hash: "00000000".into(),
            expires: chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00+01:00")
                .unwrap_or_default()
                .to_utc(),
            round: 0,
        },
    )
    .unwrap_or_default();
    let answer = server.get(&format!("/z/{expired}"));
    assert_eq!(answer.status, 403);
    assert!(
        answer.text().contains("Dieser Link ist abgelaufen."),
        "{}",
        answer.text()
    );
    // The same on the document and the forms.
    assert_eq!(server.get(&format!("/z/{expired}/dokument")).status, 403);
    assert_eq!(
        server.post(&format!("/z/{expired}/zeichnen"), &[]).status,
        403
    );
}

#[test]
fn a_post_without_or_with_a_wrong_csrf_token_is_refused() {
    let (example, path) = ready();
    let server = example.serve();
    let before = example.read("state/2026-017.jsonl");
    let page = server.get(&path);
    let nonce = page.field("nonce");
    let csrf = page.field("csrf");
    let cases: [Vec<(&str, &str)>; 4] = [
        vec![],
        vec![("nonce", &nonce)],
        vec![
            ("nonce", &nonce),
            ("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        ],
        vec![("nonce", "anderer-nonce"), ("csrf", &csrf)],
    ];
    for form in &cases {
        let answer = server.post(&format!("{path}/zeichnen"), form);
        assert_eq!(answer.status, 403, "{form:?}");
        assert!(
            answer.text().contains(
                "Das Formular ist ungültig oder unvollständig übermittelt worden; es wurde nichts eingetragen."
            ),
            "{}",
            answer.text()
        );
    }
    // A tag made for another person's link does not fit this one.
    let other = Server::path_of(&example.link_for("soziale-sicherung@kreis-gross-gerau.example"));
    let answer = server.post(
        &format!("{other}/zeichnen"),
        &[("nonce", &nonce), ("csrf", &csrf)],
    );
    assert_eq!(answer.status, 403);
    assert_eq!(
        example.read("state/2026-017.jsonl"),
        before,
        "nothing written"
    );
}

#[test]
fn headers_are_strict_on_every_response() {
    let (example, path) = ready();
    let server = example.serve();
    for (answer, cached) in [
        (server.get(&path), false),
        (server.get("/gibt-es-nicht"), false),
        (server.get("/"), false),
        (server.get("/static/ratsflow.css"), true),
    ] {
        let csp = answer.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("script-src 'none'"), "{csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(answer.header("referrer-policy"), Some("no-referrer"));
        let cache = answer.header("cache-control").unwrap_or_default();
        assert_eq!(cache == "no-store", !cached, "{cache}");
    }
    let missing = server.get("/gibt-es-nicht");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<h1>Seite nicht gefunden</h1>"));
    assert!(missing.text().contains("Diese Seite gibt es nicht."));
}

#[test]
fn html_in_a_paper_title_is_escaped() {
    let example = Example::new();
    example.edit(
        "papers/2026-017.yaml",
        "title: \"Rahmenkonzept",
        "title: \"<script>alert(1)</script> Rahmenkonzept",
    );
    example.ratsflow(&["run"]);
    let link = example.link_for(STAB_ASYL);
    let server = example.serve();
    let html = server.get(&Server::path_of(&link)).text();
    assert!(!html.contains("<script>alert(1)</script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Rahmenkonzept"),
        "{html}"
    );
}

#[test]
fn only_the_papers_own_document_can_be_downloaded() {
    let (example, path) = ready();
    let server = example.serve();
    let document = server.get(&format!("{path}/dokument"));
    assert_eq!(document.status, 200);
    assert!(document.body.starts_with(b"PK"), "not a DOCX");
    assert_eq!(
        document.header("content-disposition"),
        Some("attachment; filename=\"Beschlussvorlage_017-26.docx\"")
    );
    for attempt in [
        format!("{path}/dokument/../../ratsflow.yaml"),
        format!("{path}/dokument/..%2f..%2fratsflow.yaml"),
        format!("{path}/..%2f..%2f..%2fratsflow.yaml"),
        "/z/..%2f..%2fratsflow.yaml/dokument".to_string(),
        "/static/..%2f..%2fratsflow.yaml".to_string(),
    ] {
        let answer = server.get(&attempt);
        assert_ne!(answer.status, 200, "{attempt}");
        assert!(!answer.text().contains("organisation:"), "{attempt}");
    }
}

#[cfg(unix)]
#[test]
fn the_key_is_private_outside_the_project_and_never_logged() {
    use std::os::unix::fs::PermissionsExt;
    let (example, path) = ready();
    let key_path = example.key_path();
    let mode = std::fs::metadata(&key_path).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode.ok(), Some(0o600));
    assert!(!key_path.starts_with(example.path()));
    let key = std::fs::read(&key_path).unwrap_or_default();
    assert_eq!(key.len(), 32);

    let mut server = example.serve();
    server.get(&path);
    assert_eq!(server.stop(), 0);
    let log = server.log();
    let (_, run_out, run_err) = example.ratsflow(&["run"]);
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&key);
    let b64_std = base64::engine::general_purpose::STANDARD.encode(&key);
    let token = path.trim_start_matches("/z/");
    for text in [&log, &run_out, &run_err] {
        assert!(!text.contains(&hex), "{text}");
        assert!(!text.contains(&b64), "{text}");
        assert!(!text.contains(&b64_std), "{text}");
        assert!(!text.contains(token), "link token in a log: {text}");
    }
    // Nothing secret in the project tree either.
    let status = std::process::Command::new("grep")
        .args(["-rqF", &b64])
        .arg(example.path())
        .status()
        .map(|s| s.code());
    assert_eq!(status.ok().flatten(), Some(1), "key found in the project");
}

#[test]
fn a_key_file_inside_the_project_is_refused() {
    let example = Example::new();
    let settings = example.read("ratsflow.yaml");
    let inside = example.path().join("state/links.key");
    example.write(
        "ratsflow.yaml",
        &settings.replace(
            &example.key_path().display().to_string(),
            &inside.display().to_string(),
        ),
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(example.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("liegt im Projektordner; dort geriete sie ins Repository."),
        "{stderr}"
    );
    assert!(!inside.exists());
}

#[test]
fn a_second_instance_is_refused() {
    let (example, _) = ready();
    let _server = example.serve();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_ratsflow"))
        .arg("--project")
        .arg(example.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("läuft bereits"), "{stderr}");
    assert!(!stderr.contains("Webdienst: http://"), "{stderr}");
}
