//! The office's board in a real browser: log in by the link the service mails, find a paper
//! waiting for a signatory, watch the board change after that person signs from their own
//! mail, and open the paper's page — every page passing the accessibility checks; and all of
//! it by keyboard alone, with a visible focus on every stop.

mod browser_support;
mod login_support;
mod serve_support;

use browser_support::browser;
use fantoccini::key::Key;
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

#[test]
fn log_in_filter_and_open_a_paper_by_keyboard_alone_with_a_visible_focus() {
    let Some(browser) = browser() else { return };
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let server = example.serve();
    let base = format!("http://{}", server.addr);

    // The login form: the skip link first, then the address field; type, Tab, Enter.
    browser.goto(&format!("{base}/uebersicht"));
    browser.wait_for_heading("Anmelden");
    let stops = browser.tab_to("the skip link", 1, |f| f.tag == "a");
    assert_eq!(stops[0].text, "Zum Inhalt springen", "{stops:?}");
    browser.tab_to("the address field", 10, |f| f.tag == "input");
    let before = login_links(&example, OFFICE).len();
    for c in OFFICE.chars() {
        browser.press_char(c);
    }
    browser.tab_to("the request button", 3, |f| {
        f.tag == "button" && f.text == "Anmeldelink anfordern"
    });
    browser.press(Key::Enter);
    browser.wait_for_heading("Anmeldelink angefordert");

    // The mailed link; its button by Tab and Enter.
    let link = wait_for_link(&example, OFFICE, before);
    browser.goto(&local(&server, &link));
    browser.wait_for_heading("Anmelden");
    browser.tab_to("the login button", 10, |f| {
        f.tag == "button" && f.text == "Jetzt anmelden"
    });
    browser.press(Key::Enter);
    browser.wait_for_heading("Übersicht der Drucksachen");

    // The filters: Tab to „Stand“, choose „in Arbeit“ with the arrow keys, Tab to „Anzeigen“.
    let stops = browser.tab_to("the Stand filter", 30, |f| f.id == "stand");
    for filter in ["gremium", "fraktion", "art"] {
        assert!(
            stops.iter().any(|f| f.id == filter),
            "{filter} is on the way: {stops:#?}"
        );
    }
    let mut presses = 0;
    while browser.focused().value != "offen" {
        assert!(presses < 4, "„in Arbeit“ not chosen by arrow keys");
        browser.press(Key::Down);
        presses += 1;
    }
    browser.tab_to("the Anzeigen button", 3, |f| {
        f.tag == "button" && f.text == "Anzeigen"
    });
    browser.press(Key::Enter);
    let start = std::time::Instant::now();
    while !browser.url().contains("stand=offen") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the filter form was not sent: {}",
            browser.url()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    browser.wait_for_heading("Übersicht der Drucksachen");
    assert!(
        browser.text().contains("3 Drucksachen"),
        "{}",
        browser.text()
    );

    // The paper's page from its row.
    browser.tab_to("the link of 017/26", 40, |f| {
        f.tag == "a" && f.text == "017/26"
    });
    browser.press(Key::Enter);
    browser.wait_for_heading("Beschlussvorlage 017/26");
    browser.assert_accessible();
    // On the paper's page too, every stop shows its focus, up to the way back to the board.
    browser.tab_to("the way back", 5, |f| {
        f.tag == "a" && f.text == "Zurück zur Übersicht"
    });
}
