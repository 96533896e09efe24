//! `ratsflow serve` serves the calendars at `/kalender/<token>.ics`, the addresses
//! `ratsflow kalender` hands out when `serve.public_url` is set: a calendar client subscribes
//! without a login, and every address that is not exactly a feed gets the German 404.

mod serve_support;

use std::io::{Read, Write};
use std::time::Duration;

use serve_support::{Example, PUBLIC, Server};

/// The service address `ratsflow kalender` lists for the person or body `id`.
fn listed_address(example: &Example, id: &str) -> String {
    let (code, stdout, stderr) = example.ratsflow(&["kalender"]);
    assert_eq!(code, 0, "{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains(&format!("({id}) → ")))
        .unwrap_or_else(|| panic!("no {id} in {stdout}"));
    line.split_once(" → ")
        .map(|(_, address)| address.to_string())
        .unwrap_or_default()
}

/// The token of a service address.
fn token_of(address: &str) -> String {
    address
        .strip_prefix(&format!("{PUBLIC}/kalender/"))
        .and_then(|rest| rest.strip_suffix(".ics"))
        .unwrap_or_else(|| panic!("not a service address: {address}"))
        .to_string()
}

fn is_german_404(answer: &serve_support::Answer) -> bool {
    answer.status == 404 && answer.text().contains("Diese Seite gibt es nicht.")
}

#[test]
fn kalender_lists_the_service_addresses_when_public_url_is_set() {
    let example = Example::new();
    let (code, stdout, stderr) = example.ratsflow(&["kalender"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Kalender zum Abonnieren (Outlook, Thunderbird). Die Adressen sind geheim: jede nur der Person oder dem Gremium geben, dem sie gehört.\n\nPersonen:\n"),
        "{stdout}"
    );
    let line = stdout.lines().find(|l| l.contains("(bfi)")).unwrap();
    let prefix = "  N. N. (Leitung BFI) (bfi) → https://rats.example/kalender/";
    let suffix = ".ics (noch nicht geschrieben)";
    assert!(line.starts_with(prefix) && line.ends_with(suffix), "{line}");
    let token = &line[prefix.len()..line.len() - suffix.len()];
    assert_eq!(token.len(), 22, "{line}");
    assert!(
        token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{line}"
    );
    assert!(stdout.contains("\nGremien:\n"), "{stdout}");
    assert!(
        stdout.contains("(kreistag-gg) → https://rats.example/kalender/"),
        "{stdout}"
    );
    assert!(stdout.contains("Die fehlenden Dateien schreibt der nächste Durchlauf: ratsflow run"));

    // `--url` still names the addresses on a share, with the same token.
    let (code, stdout, _) = example.ratsflow(&["kalender", "--url", "https://rat.example/ics/"]);
    assert_eq!(code, 0);
    let line = stdout.lines().find(|l| l.contains("(bfi)")).unwrap();
    assert_eq!(
        line,
        format!("  N. N. (Leitung BFI) (bfi) → https://rat.example/ics/{token}{suffix}")
    );
}

#[test]
fn a_signatory_subscribes_to_their_feed_at_the_listed_address_without_login() {
    let example = Example::new();
    let server = example.serve();
    // bfi co-signs 017/26, which waits for the Mitzeichnung at the test's moment.
    let address = listed_address(&example, "bfi");
    assert!(!address.ends_with("(noch nicht geschrieben)"), "{address}");
    let path = Server::path_of(&address);
    let token = token_of(&address);

    let answer = server.get(&path);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(answer.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.header("x-content-type-options"), Some("nosniff"));
    let text = answer.text();
    assert_eq!(
        answer.header("content-length"),
        Some(text.len().to_string().as_str())
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(
        text.contains("SUMMARY:Zeichnung fällig: Beschlussvorlage 017/26"),
        "{text}"
    );
    assert_eq!(text, example.read(&format!("out/ics/{token}.ics")));

    // The Landrat signs only after the Mitzeichnung: his feed is another, without it.
    let landrat = server.get(&Server::path_of(&listed_address(&example, "landrat")));
    assert_eq!(landrat.status, 200);
    assert!(
        !landrat
            .text()
            .contains("Zeichnung fällig: Beschlussvorlage 017/26")
    );

    // HEAD, as some clients check a subscription.
    let head = server.raw("HEAD", &path, None);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(text.len().to_string().as_str())
    );

    // The address is the secret: it never reaches the service's log.
    assert!(!server.log().contains(&token), "{}", server.log());
}

#[test]
fn a_feed_replaced_by_a_pass_during_its_download_arrives_whole_as_it_was() {
    let example = Example::new();
    let server = example.serve();
    let token = token_of(&listed_address(&example, "bfi"));
    let feed = example.path().join(format!("out/ics/{token}.ics"));
    // Far larger than the socket buffers of both ends, so the service is still sending it
    // when the file is replaced, as a pass replaces a feed: a new file renamed over it.
    let replace = |text: &str| {
        let next = feed.with_extension("neu");
        std::fs::write(&next, text).unwrap();
        std::fs::rename(&next, &feed).unwrap();
    };
    let mut old = String::from("BEGIN:VCALENDAR\r\n");
    for n in 0..400_000 {
        old.push_str(&format!("X-RATSFLOW-FILL:{n:055}\r\n"));
    }
    old.push_str("END:VCALENDAR\r\n");
    replace(&old);

    let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let path = format!("/kalender/{token}.ics");
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = vec![0; 64 * 1024];
    stream.read_exact(&mut answer).unwrap();
    replace("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
    stream.read_to_end(&mut answer).unwrap();

    let answer = serve_support::parse(&answer);
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.header("content-length"),
        Some(old.len().to_string().as_str())
    );
    assert!(
        answer.body == old.as_bytes(),
        "the feed did not arrive whole"
    );
    // The next request gets the new feed.
    assert_eq!(
        server.get(&path).text(),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    );
}

#[test]
fn every_address_that_is_not_exactly_a_feed_gets_the_german_404() {
    let example = Example::new();
    let server = example.serve();
    let token = token_of(&listed_address(&example, "bfi"));
    assert_eq!(server.get(&format!("/kalender/{token}.ics")).status, 200);

    // One character changed: a well-formed token of nobody.
    let first = if token.starts_with('A') { "B" } else { "A" };
    let changed = format!("{first}{}", &token[1..]);
    let upper = token.to_uppercase();
    assert_ne!(upper, token, "the token has lowercase letters");
    let tries = [
        format!("/kalender/{changed}.ics"),
        format!("/kalender/{upper}.ics"),
        format!("/kalender/{token}"),
        format!("/kalender/{token}.ICS"),
        format!("/kalender/{token}.ics/"),
        format!("/kalender/../ics/{token}.ics"),
        format!("/kalender/..%2fics%2f{token}.ics"),
        "/kalender/%2e%2e".to_string(),
        "/kalender/%2e%2e%2f%2e%2e%2fratsflow.yaml".to_string(),
        "/kalender/..%2F..%2Fratsflow.yaml".to_string(),
        "/kalender/%ff.ics".to_string(),
        "/kalender/".to_string(),
        format!("/ics/{token}.ics"),
    ];
    for path in &tries {
        let answer = server.get(path);
        assert!(is_german_404(&answer), "{path}: {answer:?}");
        assert!(!answer.text().contains("BEGIN:VCALENDAR"), "{path}");
        assert!(!answer.text().contains("organisation:"), "{path}");
        assert_eq!(answer.header("referrer-policy"), Some("no-referrer"));
    }

    // A feed whose file is gone (its person left the directory) is gone from the service too.
    std::fs::remove_file(example.path().join(format!("out/ics/{token}.ics"))).unwrap();
    assert!(is_german_404(
        &server.get(&format!("/kalender/{token}.ics"))
    ));
    assert!(!server.log().contains(&token), "{}", server.log());
}
