//! Login to the board by a mailed one-time link, against the real `ratsflow serve`: the link
//! arrives as `.eml`, opening it and pressing the button sets the session cookie with every
//! attribute; a used, expired or altered link is refused, forms without their CSRF token too;
//! unknown addresses get the very same answer; attempts are rate-limited; logout ends the
//! session, and sessions and used links survive a restart.

mod login_support;
mod serve_support;

use login_support::{Browser, OFFICE, login_links, wait_for_link};
use serve_support::{Example, Server};

const SENT: &str =
    "Wenn die Adresse zu einem Zugang gehört, haben wir Ihnen einen Anmeldelink geschickt.";

#[test]
fn login_by_link_sets_a_strict_cookie_and_the_link_works_once() {
    let example = Example::new();
    let mut server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.1");

    // Without a session the board sends to the login, remembering the page.
    let answer = browser.get("/uebersicht?gremium=kreistag-gg");
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("location"),
        Some("/anmelden?weiter=/uebersicht%3Fgremium%3Dkreistag-gg")
    );

    let answer = browser.request_link(OFFICE);
    assert_eq!(answer.status, 200);
    assert!(answer.text().contains(SENT), "{}", answer.text());
    let link = wait_for_link(&example, OFFICE, 0);

    // Opening the link uses nothing (mail scanners open links); the button does.
    let path = Server::path_of(&link);
    let page = browser.get(&path);
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("Guten Tag Kreistagsbüro, mit diesem Link melden Sie sich bei ratsflow an."),
        "{}",
        page.text()
    );
    let again = browser.get(&path);
    assert_eq!(again.status, 200, "a second look is no use");
    let csrf = page.field("csrf");
    let answer = browser.post(&path, &[("csrf", &csrf)]);
    assert_eq!(answer.status, 303, "{}", answer.text());
    assert_eq!(answer.header("location"), Some("/uebersicht"));
    let cookie = answer
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("__Host-ratsflow="))
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let id = cookie
        .strip_prefix("__Host-ratsflow=")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_default()
        .to_string();
    assert_eq!(id.len(), 43, "256 random bits: {cookie}");
    assert_eq!(
        cookie,
        format!("__Host-ratsflow={id}; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800")
    );
    // The server keeps only a hash of the id.
    let stored = example.read("state/web/sessions.json");
    assert!(!stored.is_empty() && !stored.contains(&id));

    // Logged in: the home page sends on to the board, the login page says so.
    let home = browser.get("/");
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location"), Some("/uebersicht"));
    let login = browser.get("/anmelden");
    assert!(
        login
            .text()
            .contains("Sie sind angemeldet als Kreistagsbüro.")
    );

    // The link is spent: opening and posting it again are refused.
    let used =
        "Dieser Anmeldelink wurde bereits benutzt; jeder Anmeldelink gilt nur für eine Anmeldung.";
    let mut stranger = Browser::new(&server, "192.0.2.2");
    let replay = stranger.get(&path);
    assert_eq!(replay.status, 403);
    assert!(replay.text().contains(used), "{}", replay.text());
    let replay = stranger.post(&path, &[("csrf", &csrf)]);
    assert_eq!(replay.status, 403);
    assert!(!stranger.cookies.contains_key("__Host-ratsflow"));

    // After a restart the session holds and the link stays spent.
    let cookies = browser.cookies.clone();
    drop((browser, stranger));
    assert_eq!(server.stop(), 0);
    let server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.1");
    browser.cookies = cookies;
    let home = browser.get("/");
    assert_eq!(home.header("location"), Some("/uebersicht"));
    let mut stranger = Browser::new(&server, "192.0.2.2");
    let replay = stranger.get(&path);
    assert_eq!(replay.status, 403);
    assert!(replay.text().contains(used));

    // Logout needs the session's token, then ends the session for good.
    let refused = browser.post("/abmelden", &[("csrf", "falsch")]);
    assert_eq!(refused.status, 403);
    assert!(
        refused.text().contains(
            "Das Formular ist ungültig übermittelt worden; Sie sind weiterhin angemeldet."
        )
    );
    let page = browser.get("/anmelden");
    let session = browser
        .cookies
        .get("__Host-ratsflow")
        .cloned()
        .unwrap_or_default();
    // The logout form in the page's header.
    let text = page.text();
    let marker = "action=\"/abmelden\"><input type=\"hidden\" name=\"csrf\" value=\"";
    let start = text.find(marker).map(|at| at + marker.len()).unwrap_or(0);
    let logout = text[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!logout.is_empty());
    let answer = browser.post("/abmelden", &[("csrf", &logout)]);
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert!(answer.text().contains("Sie sind abgemeldet."));
    assert!(
        answer
            .headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case("set-cookie")
                && v == "__Host-ratsflow=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
    );
    // Even with the old cookie kept, the session is gone.
    browser
        .cookies
        .insert("__Host-ratsflow".to_string(), session);
    let answer = browser.get("/uebersicht");
    assert_eq!(answer.status, 303);
    assert_eq!(
        answer.header("location"),
        Some("/anmelden?weiter=/uebersicht")
    );
}

#[test]
fn same_answer_for_unknown_and_not_allowed_addresses() {
    let example = Example::new();
    let server = example.serve();
    let mut known = Browser::new(&server, "192.0.2.10");
    let office = known.request_link(OFFICE);
    let mut unknown = Browser::new(&server, "192.0.2.11");
    let nobody = unknown.request_link("niemand@kreis.example");
    // A member of a committee who is neither office nor Fraktion gets no link either.
    let mut member = Browser::new(&server, "192.0.2.12");
    let member_answer = member.request_link("mitglied-sig@kreis-gross-gerau.example");
    assert_eq!(office.status, 200);
    assert_eq!(nobody.status, 200);
    assert_eq!(office.body, nobody.body);
    assert_eq!(office.body, member_answer.body);
    wait_for_link(&example, OFFICE, 0);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(login_links(&example, "niemand@kreis.example").is_empty());
    assert!(login_links(&example, "mitglied-sig@kreis-gross-gerau.example").is_empty());
    // The address is matched without case; a Fraktion's member may log in.
    let mut fraktion = Browser::new(&server, "192.0.2.13");
    fraktion.login(&example, "Fraktion@Gruene-Kreistag-GG.example");
}

#[test]
fn forms_without_their_token_are_refused() {
    let example = Example::new();
    let server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.20");
    let page = browser.get("/anmelden");
    let csrf = page.field("csrf");
    let forged = "Das Formular ist abgelaufen oder ungültig; es wurde kein Anmeldelink verschickt.";
    // A wrong token, and the right token without the form cookie (another site's form).
    let answer = browser.post("/anmelden", &[("email", OFFICE), ("csrf", "AAAA")]);
    assert_eq!(answer.status, 403);
    assert!(answer.text().contains(forged));
    let mut other = Browser::new(&server, "192.0.2.21");
    let answer = other.post("/anmelden", &[("email", OFFICE), ("csrf", &csrf)]);
    assert_eq!(answer.status, 403);
    assert!(answer.text().contains(forged));
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(login_links(&example, OFFICE).is_empty());

    // The confirm button needs its token too.
    let answer = browser.post(
        "/anmelden",
        &[
            ("email", OFFICE),
            ("csrf", &csrf),
            ("weiter", "//evil.example/"),
        ],
    );
    assert_eq!(answer.status, 200);
    let link = wait_for_link(&example, OFFICE, 0);
    let path = Server::path_of(&link);
    let answer = browser.post(&path, &[("csrf", "falsch")]);
    assert_eq!(answer.status, 403);
    assert!(answer.text().contains("Sie sind nicht angemeldet."));
    assert!(!browser.cookies.contains_key("__Host-ratsflow"));
    // The link is still good after that, and a foreign `weiter` became the board.
    let answer = browser.follow(&link);
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), Some("/uebersicht"));

    // An altered link is refused.
    let mut altered = path.clone().into_bytes();
    let at = altered.len() - 3;
    altered[at] = if altered[at] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap_or_default();
    let answer = browser.get(&altered);
    assert_eq!(answer.status, 403);
    assert!(answer.text().contains(
        "Dieser Anmeldelink ist ungültig. Bitte öffnen Sie den Link aus Ihrer E-Mail unverändert."
    ));
}

#[test]
fn an_expired_link_is_refused() {
    let example = Example::new();
    let mut server = example.serve();
    let mut browser = Browser::new(&server, "192.0.2.30");
    browser.request_link(OFFICE);
    let link = wait_for_link(&example, OFFICE, 0);
    assert_eq!(server.stop(), 0);
    // Sixteen minutes later.
    let later = example.serve_at("2026-12-01T09:16:00+01:00");
    let mut browser = Browser::new(&later, "192.0.2.30");
    let answer = browser.get(&Server::path_of(&link));
    assert_eq!(answer.status, 403);
    assert!(
        answer
            .text()
            .contains("Dieser Anmeldelink ist abgelaufen; ein Anmeldelink gilt 15 Minuten.")
    );
    assert!(answer.text().contains("href=\"/anmelden\""));
}

#[test]
fn login_attempts_are_rate_limited_per_address_and_per_client() {
    let example = Example::new();
    let server = example.serve();
    let limited =
        "Es wurden in kurzer Zeit zu viele Anmeldelinks angefordert; es wurde keiner verschickt.";
    // One address from five clients, then a sixth.
    for n in 0..5 {
        let mut browser = Browser::new(&server, &format!("198.51.100.{n}"));
        assert_eq!(browser.request_link(OFFICE).status, 200);
    }
    let mut browser = Browser::new(&server, "198.51.100.99");
    let answer = browser.request_link(OFFICE);
    assert_eq!(answer.status, 429);
    assert!(answer.text().contains(limited), "{}", answer.text());
    assert_eq!(answer.header("retry-after"), Some("900"));
    // One client trying five addresses, then a sixth.
    let mut prober = Browser::new(&server, "203.0.113.7");
    for n in 0..5 {
        assert_eq!(
            prober
                .request_link(&format!("probe{n}@kreis.example"))
                .status,
            200
        );
    }
    let answer = prober.request_link("probe5@kreis.example");
    assert_eq!(answer.status, 429);
    // Someone else is not affected.
    let mut other = Browser::new(&server, "203.0.113.8");
    assert_eq!(other.request_link("andere@kreis.example").status, 200);
}
