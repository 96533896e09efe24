//! Signing from the mail as a signatory does it, in a real browser: a run writes the request
//! to sign as an `.eml`, its link opens the sign page in Chromium, the buttons are clicked (or
//! reached by keyboard alone), and `ratsflow status` shows the result „über Link“. Every page
//! on the way passes the accessibility checks of `browser_support`.

mod browser_support;
mod serve_support;

use browser_support::{Browser, browser};
use fantoccini::key::Key;
use serve_support::{Example, PUBLIC, Server};

const STAB_ASYL: &str = "stab-asyl@kreis-gross-gerau.example";

/// A run has mailed the requests; the service runs. The link is the one in the `.eml`, opened
/// against this service's address.
fn mailed() -> (Example, Server, String) {
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let link = example.link_for(STAB_ASYL);
    let server = example.serve();
    let url = local(&server, &link);
    (example, server, url)
}

/// The mailed link `https://rats.example/z/…` on the test's own service.
fn local(server: &Server, link: &str) -> String {
    assert!(link.starts_with(PUBLIC), "{link}");
    format!("http://{}{}", server.addr, Server::path_of(link))
}

fn open(browser: &Browser, url: &str, heading: &str) {
    browser.goto(url);
    browser.wait_for_heading(heading);
    browser.assert_accessible();
}

#[test]
fn the_link_in_the_mail_opens_the_sign_page_and_zeichnen_is_recorded_über_link() {
    let Some(browser) = browser() else { return };
    let (example, _server, url) = mailed();
    open(&browser, &url, "Beschlussvorlage 017/26");
    let text = browser.text();
    assert!(text.contains("liegt Ihnen zur Mitzeichnung vor."), "{text}");
    assert!(
        text.contains("Sie sehen diese Vorlage zum ersten Mal."),
        "{text}"
    );
    assert!(
        text.contains("Aktuelles Dokument herunterladen (DOCX)"),
        "{text}"
    );
    browser.screenshot_for_docs("zeichnen");
    // On a phone: the forms at the end of the page.
    if std::env::var_os(browser_support::SCREENSHOTS_ENV).is_some() {
        browser.resize(390, 844);
        browser.execute("document.getElementById('handeln').scrollIntoView(); return null;");
        browser.screenshot_for_docs("zeichnen-handy");
        browser.resize(1100, 1400);
    }

    browser.click_button("Zeichnen");
    browser.wait_for_heading("Gezeichnet");
    browser.assert_accessible();
    assert!(
        browser
            .text()
            .contains("Vielen Dank. Ihre Zeichnung ist am 01.12.2026 um 09:00 Uhr eingetragen."),
        "{}",
        browser.text()
    );

    let (_, status, _) = example.ratsflow(&["status", "017/26"]);
    let line = status
        .lines()
        .find(|l| l.contains("unterschrieben") && l.contains("über Link"))
        .unwrap_or_else(|| panic!("no signature über Link in:\n{status}"));
    assert!(line.contains("01.12.2026 09:00"), "{line}");

    // Back and again: the browser resends nothing on its own, the page says it is done.
    browser.goto(&url);
    browser.wait_for_heading("Bereits gezeichnet");
    browser.assert_accessible();
    assert!(
        browser
            .text()
            .contains("Bereits gezeichnet am 01.12.2026 um 09:00 Uhr.")
    );
    let signatures = example
        .read("state/2026-017.jsonl")
        .lines()
        .filter(|l| l.contains("\"who\":\"stab-asyl\"") && l.contains("\"via\":\"link\""))
        .count();
    assert_eq!(signatures, 1);
}

#[test]
fn zurückgeben_without_a_reason_shows_the_message_at_the_field_then_with_one_is_recorded() {
    let Some(browser) = browser() else { return };
    let (example, _server, url) = mailed();
    let before = example.read("state/2026-017.jsonl");
    open(&browser, &url, "Beschlussvorlage 017/26");

    browser.fill_labelled("Begründung der Rückgabe", "   ");
    browser.click_button("Zurückgeben");
    browser.wait_for_heading("Beschlussvorlage 017/26");
    browser.assert_accessible();
    // The message stands right after the field and the field points to it.
    let message = browser.execute(
        "const f = document.getElementById('kommentar');
         const m = document.getElementById(f.getAttribute('aria-describedby'));
         return { invalid: f.getAttribute('aria-invalid'), text: m && m.innerText,
                  next: f.nextElementSibling === m };",
    );
    assert_eq!(message["invalid"], "true", "{message}");
    assert_eq!(
        message["text"],
        "Bitte geben Sie eine Begründung für die Rückgabe an; ohne Begründung wird nichts zurückgegeben.",
    );
    assert_eq!(message["next"], true, "{message}");
    assert_eq!(
        example.read("state/2026-017.jsonl"),
        before,
        "nothing written"
    );

    browser.fill_labelled("Begründung der Rückgabe", "Finanzierung klären");
    browser.click_button("Zurückgeben");
    browser.wait_for_heading("Zurückgegeben");
    browser.assert_accessible();
    assert!(
        browser
            .text()
            .contains("Sie haben die Drucksache am 01.12.2026 um 09:00 Uhr zurückgegeben."),
        "{}",
        browser.text()
    );
    let (_, status, _) = example.ratsflow(&["status", "017/26"]);
    assert!(
        status
            .lines()
            .any(|l| l.contains("zurückgegeben") && l.contains("über Link")),
        "{status}"
    );
    assert!(status.contains("Finanzierung klären"), "{status}");
}

#[test]
fn an_outdated_link_says_so_and_an_altered_one_gets_the_german_403_page() {
    let Some(browser) = browser() else { return };
    let (example, server, url) = mailed();
    // Read once, then the paper changes.
    open(&browser, &url, "Beschlussvorlage 017/26");
    example.edit(
        "papers/2026-017.yaml",
        "title: \"Rahmenkonzept Kommunale Sozialarbeit:",
        "title: \"Geändertes Rahmenkonzept Kommunale Sozialarbeit:",
    );
    example.wait_for_links(STAB_ASYL, 2, &server);
    // The mail goes out in the same pass that takes in the change: the page may lag a moment.
    browser.goto_until_heading(&url, "Die Vorlage hat sich geändert");
    browser.assert_accessible();
    let text = browser.text();
    assert!(
        text.contains("mit diesem Link kann nicht mehr gezeichnet werden."),
        "{text}"
    );
    assert!(
        text.contains("Sie erhalten einen neuen Link zur geänderten Fassung per E-Mail."),
        "{text}"
    );
    assert!(
        !text.contains("Zeichnen\n"),
        "no button on an outdated link: {text}"
    );

    // The fresh link shows the change as a word diff.
    let links = example.links_for(STAB_ASYL);
    browser.goto_until_heading(&local(&server, &links[1]), "Beschlussvorlage 017/26");
    browser.assert_accessible();
    assert!(
        browser.source().contains("<ins>Geändertes"),
        "{}",
        browser.source()
    );

    // One character changed in the token.
    let mut altered = url.clone().into_bytes();
    let at = altered.len() - 5;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap_or_default();
    open(&browser, &altered, "Zugriff nicht möglich");
    assert!(
        browser.text().contains(
            "Dieser Link ist ungültig. Bitte öffnen Sie den Link aus Ihrer E-Mail unverändert."
        ),
        "{}",
        browser.text()
    );
}

#[test]
fn signing_by_keyboard_alone_with_a_visible_focus_on_every_stop() {
    let Some(browser) = browser() else { return };
    let (example, _server, url) = mailed();
    open(&browser, &url, "Beschlussvorlage 017/26");

    // The first Tab reaches the skip link, and it shows itself.
    browser.press(Key::Tab);
    let first = browser.focused();
    assert_eq!(first.text, "Zum Inhalt springen", "{first:?}");
    assert!(
        first.is_visible(),
        "skip link not visible on focus: {first:?}"
    );

    let mut stops = vec![first];
    loop {
        assert!(stops.len() < 30, "no Zeichnen button by Tab: {stops:#?}");
        browser.press(Key::Tab);
        let focus = browser.focused();
        assert!(focus.is_visible(), "focus not visible: {focus:?}");
        let done = focus.tag == "button" && focus.text == "Zeichnen";
        stops.push(focus);
        if done {
            break;
        }
    }
    let tags: Vec<&str> = stops.iter().map(|f| f.tag.as_str()).collect();
    assert!(
        tags.contains(&"a"),
        "the document link is on the way: {tags:?}"
    );

    browser.press(Key::Enter);
    browser.wait_for_heading("Gezeichnet");
    browser.assert_accessible();
    let journal = example.read("state/2026-017.jsonl");
    let last = journal.lines().last().unwrap_or_default();
    assert!(last.contains("\"event\":\"signed\""), "{last}");
    assert!(last.contains("\"via\":\"link\""), "{last}");

    // And a return by keyboard on the next signer's page: Tab to the field, type, Tab, Enter.
    let link = example.link_for("soziale-sicherung@kreis-gross-gerau.example");
    let server_url = url.split("/z/").next().unwrap_or_default();
    let next = format!("{server_url}{}", Server::path_of(&link));
    open(&browser, &next, "Beschlussvorlage 017/26");
    let mut presses = 0;
    loop {
        browser.press(Key::Tab);
        presses += 1;
        let focus = browser.focused();
        assert!(focus.is_visible(), "focus not visible: {focus:?}");
        if focus.tag == "textarea" {
            break;
        }
        assert!(presses < 30, "no comment field by Tab");
    }
    for c in "Bitte Zahlen prüfen".chars() {
        browser.press_char(c);
    }
    browser.press(Key::Tab);
    let button = browser.focused();
    assert_eq!(
        (button.tag.as_str(), button.text.as_str()),
        ("button", "Zurückgeben")
    );
    browser.press(Key::Enter);
    browser.wait_for_heading("Zurückgegeben");
    let journal = example.read("state/2026-017.jsonl");
    let last = journal.lines().last().unwrap_or_default();
    assert!(
        last.contains("\"comment\":\"Bitte Zahlen prüfen\""),
        "{last}"
    );
}

#[test]
fn the_page_checks_find_what_they_look_for() {
    // A page with every fault the checks know: they must not pass it.
    let Some(browser) = browser() else { return };
    browser.goto(
        "data:text/html;charset=utf-8,<html lang=en><title>x</title><h1>A</h1><h1>B</h1>\
         <input type=text><img src=x.png><a href=x tabindex=3>weiter</a><button></button>",
    );
    let problems = browser.accessibility_problems().join("\n");
    for expected in [
        "html lang is en",
        "2 h1 elements",
        "field without label",
        "positive tabindex",
        "image without alt",
        "control without a name",
    ] {
        assert!(
            problems.contains(expected),
            "{expected} missing in:\n{problems}"
        );
    }
    if browser_support::axe_script().is_some() {
        assert!(
            problems.contains("axe label:"),
            "axe found nothing:\n{problems}"
        );
    }
}
