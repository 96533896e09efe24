//! The office's board in a real browser: log in by the link the service mails, find a paper
//! waiting for a signatory, watch the board change after that person signs from their own
//! mail, and open the paper's page — every page passing the accessibility checks.

mod browser_support;
mod login_support;
mod serve_support;

use browser_support::browser;
use login_support::{OFFICE, login_links, wait_for_link};
use serve_support::{Example, Server};

const STAB_ASYL: &str = "stab-asyl@kreis-gross-gerau.example";

fn local(server: &Server, link: &str) -> String {
    format!("http://{}{}", server.addr, Server::path_of(link))
}

/// The text of the board's row of `reference`.
fn row(browser: &browser_support::Browser, reference: &str) -> String {
    let value = browser.execute(&format!(
        "for (const r of document.querySelectorAll('tbody tr'))
           if (r.querySelector('th').innerText.trim() === '{reference}') return r.innerText;
         return '';"
    ));
    value.as_str().unwrap_or_default().to_string()
}

#[test]
fn log_in_by_the_mailed_link_and_see_the_board_change_after_a_signature() {
    let Some(browser) = browser() else { return };
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let sign_link = example.link_for(STAB_ASYL);
    let server = example.serve();
    let base = format!("http://{}", server.addr);

    // The board sends a stranger to the login.
    browser.goto(&format!("{base}/uebersicht"));
    browser.wait_for_heading("Anmelden");
    browser.assert_accessible();
    let before = login_links(&example, OFFICE).len();
    browser.fill_labelled("E-Mail-Adresse", OFFICE);
    browser.click_button("Anmeldelink anfordern");
    browser.wait_for_heading("Anmeldelink angefordert");
    browser.assert_accessible();
    assert!(
        browser.text().contains(
            "Wenn die Adresse zu einem Zugang gehört, haben wir Ihnen einen Anmeldelink geschickt."
        ),
        "{}",
        browser.text()
    );

    // The link from the mail; opening it alone logs nobody in, the button does.
    let link = wait_for_link(&example, OFFICE, before);
    browser.goto(&local(&server, &link));
    browser.wait_for_heading("Anmelden");
    browser.assert_accessible();
    browser.click_button("Jetzt anmelden");
    browser.wait_for_heading("Übersicht der Drucksachen");
    browser.assert_accessible();
    // The session cookie is strict, and its id shows nowhere.
    let (id, secure, http_only, same_site) = browser
        .cookie("__Host-ratsflow")
        .unwrap_or_else(|| panic!("no session cookie"));
    assert!(secure && http_only, "Secure and HttpOnly");
    assert_eq!(same_site, "Strict");
    assert!(!browser.source().contains(&id), "session id in the page");
    assert!(
        browser.execute("return document.cookie;") == "",
        "the page's script sees no cookie"
    );
    // Only what is in progress, by the filter form.
    browser.select_labelled("Stand", "in Arbeit");
    browser.click_button("Anzeigen");
    browser.wait_for_heading("Übersicht der Drucksachen");
    assert!(browser.url().contains("stand=offen"), "{}", browser.url());
    assert!(
        browser.text().contains("3 Drucksachen"),
        "{}",
        browser.text()
    );
    let waiting = row(&browser, "017/26");
    assert!(
        waiting.contains("Leitung Stabsstelle Asyl"),
        "017/26 waits for the Stabsstelle: {waiting}"
    );
    browser.screenshot_for_docs("uebersicht");

    // The Stabsstelle signs from its mail (the same browser, as a second person would).
    browser.goto(&local(&server, &sign_link));
    browser.wait_for_heading("Beschlussvorlage 017/26");
    browser.click_button("Zeichnen");
    browser.wait_for_heading("Gezeichnet");

    // The board shows it once the service has taken the signature in.
    let start = std::time::Instant::now();
    loop {
        browser.goto(&format!("{base}/uebersicht?stand=offen"));
        browser.wait_for_heading("Übersicht der Drucksachen");
        let now = row(&browser, "017/26");
        if !now.contains("Leitung Stabsstelle Asyl") {
            assert!(now.contains("Mitzeichnung"), "{now}");
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the board still waits for the Stabsstelle: {now}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // The paper's own page, from the board's link, shows the signature „über Link“.
    browser.execute(
        "for (const a of document.querySelectorAll('tbody th a'))
           if (a.innerText.trim() === '017/26') { a.click(); break; }
         return null;",
    );
    browser.wait_for_heading("Beschlussvorlage 017/26");
    browser.assert_accessible();
    let text = browser.text();
    assert!(text.contains("über Link"), "{text}");
    assert!(!browser.source().contains(&id), "session id in the page");
    assert!(!server.log().contains(&id), "session id in the log");
}
