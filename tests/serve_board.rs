//! The office's board against the real `ratsflow serve`: after logging in by mailed link, the
//! office sees every paper with stage, waiting and deadline, filters and sorts them, opens a
//! paper with its history („über Link“), documents and motions, and a meeting with its agenda.
//! A Fraktion's member never sees another Fraktion's draft (list, paper page, download), and
//! nichtöffentliche papers are for the office only. Paper fields are escaped.

mod login_support;
mod serve_support;

use login_support::{Browser, FRAKTION_GG, FRAKTION_UNNA, OFFICE};
use serve_support::{Example, Server};

const DRAFT: &str = "/drucksache/2026-017-1";

fn example() -> Example {
    let example = Example::new();
    // A title that tries to run a script, and a paper dealt with nichtöffentlich.
    example.edit(
        "papers/2026-017-1.yaml",
        "title: Kommunale Sozialarbeit verlässlich ausstatten",
        "title: \"<script>alert(1)</script> Kommunale Sozialarbeit verlässlich ausstatten\"",
    );
    let secret = example
        .read("papers/2019-mitteilung-sozialplanung.yaml")
        .replace("\"M 012/19\"", "\"M 013/19\"")
        .replace(
            "title: Sozial- und Gesundheitsplanung im Rhein-Sieg-Kreis",
            "title: Personalangelegenheit Sozialplanung",
        )
        .replace("public: true", "public: false");
    example.write("papers/2019-personal.yaml", &secret);
    example
}

/// Text as the pages write it (minijinja escapes `/` too).
fn esc(text: &str) -> String {
    text.replace('/', "&#x2f;")
}

/// The first document link of a paper page.
fn first_document(html: &str) -> Option<String> {
    let start = html.find(&esc("/dokument/"))?;
    let begin = html[..start].rfind('"')? + 1;
    let end = start + html[start..].find('"')?;
    Some(html[begin..end].replace("&#x2f;", "/"))
}

/// Whether the page links a paper with this reference.
fn lists(html: &str, reference: &str) -> bool {
    html.contains(&format!(">{}</a>", esc(reference)))
}

#[test]
fn office_sees_the_board_filters_papers_meetings_and_history() {
    let example = example();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let server = example.serve();
    // A signature through the mailed link shows up as „über Link“ in the history.
    let link = example.link_for("stab-asyl@kreis-gross-gerau.example");
    let path = Server::path_of(&link);
    let page = server.get(&path);
    let signed = server.post(
        &format!("{path}/zeichnen"),
        &[
            ("nonce", &page.field("nonce")),
            ("csrf", &page.field("csrf")),
        ],
    );
    assert_eq!(signed.status, 200, "{}", signed.text());

    let mut office = Browser::new(&server, "192.0.2.40");
    office.login(&example, OFFICE);
    let board = office.get("/uebersicht");
    assert_eq!(board.status, 200);
    let html = board.text();
    assert!(
        html.contains("<h1>Übersicht der Drucksachen</h1>"),
        "{html}"
    );
    assert!(html.contains("Angemeldet als Kreistagsbüro"), "{html}");
    for reference in ["017/26", "A 017/26-1", "042/21", "B 2017/500/3708"] {
        assert!(lists(&html, reference), "{reference}: {html}");
    }
    // The office sees the draft and the nichtöffentliche paper, marked as such.
    assert!(
        html.contains("<span class=\"marke-klein\">Entwurf</span>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"marke-klein\">nichtöffentlich</span>"),
        "{html}"
    );
    // Escaped, never markup.
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    // Labels for every filter; the form works without JavaScript.
    for label in ["Gremium", "Fraktion", "Art", "Stand", "Sortierung"] {
        assert!(html.contains(&format!("\">{label}</label>")), "{label}");
    }
    assert!(html.contains("<form method=\"get\" action=\"/uebersicht\""));

    // Filters: by body, by state, by kind, by Fraktion.
    let kreistag = office.get("/uebersicht?gremium=kreistag-unna").text();
    assert!(lists(&kreistag, "042/21"), "{kreistag}");
    assert!(!lists(&kreistag, "017/26"), "{kreistag}");
    let open = office.get("/uebersicht?stand=offen").text();
    assert!(lists(&open, "017/26"));
    assert!(!lists(&open, "042/21"), "finished: {open}");
    let finished = office.get("/uebersicht?stand=abgeschlossen").text();
    assert!(lists(&finished, "042/21"));
    assert!(!lists(&finished, "017/26"));
    let motions = office.get("/uebersicht?art=Erg%C3%A4nzungsantrag").text();
    assert!(lists(&motions, "A 017/26-1"));
    assert!(!lists(&motions, "017/26"));
    let gruene = office.get("/uebersicht?fraktion=fraktion-gruene-gg").text();
    assert!(lists(&gruene, "A 017/26-1"));
    assert!(!lists(&gruene, "042/21"));
    // By deadline: the papers with a deadline first, the earliest first.
    let sorted = office.get("/uebersicht?sortierung=frist").text();
    let first = sorted
        .find(&format!(">{}</a>", esc("017/26")))
        .unwrap_or(usize::MAX);
    let undated = sorted.find(&format!(">{}</a>", esc("042/21"))).unwrap_or(0);
    assert!(first < undated, "{sorted}");
    assert!(sorted.contains("<option value=\"frist\" selected>"));

    // The paper page: facts, stages with meeting links, documents, motions, history.
    let paper = office.get("/drucksache/2026-017");
    assert_eq!(paper.status, 200);
    let html = paper.text();
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("<h2 id=\"verlauf\">Verlauf</h2>"));
    assert!(html.contains("über Link"), "{html}");
    assert!(html.contains("N. N. (Leitung Stabsstelle Asyl)"), "{html}");
    assert!(
        html.contains(&format!("Ergänzungsantrag {}</a>", esc("A 017/26-1"))),
        "motions: {html}"
    );
    assert!(
        html.contains(&esc("href=\"/sitzung/ausschuss-sig/2027-01-21\"")),
        "{html}"
    );
    let document = first_document(&html).unwrap_or_else(|| panic!("no document: {html}"));
    let download = office.get(&document);
    assert_eq!(download.status, 200);
    assert!(download.body.starts_with(b"PK"), "a DOCX");
    assert!(
        download
            .header("content-disposition")
            .is_some_and(|v| v.starts_with("attachment; filename=\""))
    );
    // Only the paper's own documents, by name: no paths.
    for bad in [
        "/drucksache/2026-017/dokument/..%2F..%2Fratsflow.yaml",
        "/drucksache/2026-017/dokument/%2Fetc%2Fpasswd",
        "/drucksache/2026-017/dokument/Beschlussvorlage.docx",
    ] {
        let answer = office.get(bad);
        assert_eq!(answer.status, 404, "{bad}");
        assert!(!answer.body.starts_with(b"PK"));
    }
    assert_eq!(office.get("/drucksache/gibt-es-nicht").status, 404);

    // The meeting with its agenda.
    let meeting = office.get("/sitzung/ausschuss-sig/2027-01-21");
    assert_eq!(meeting.status, 200);
    let html = meeting.text();
    assert!(
        html.contains(
            "<h1>Sitzung Ausschuss für Soziales, Integration und Gesundheit am 21.01.2027</h1>"
        ),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"oeffentlich\">Öffentlicher Teil</h2>"));
    assert!(
        html.contains(&esc("href=\"/drucksache/2026-017\"")),
        "{html}"
    );
    assert!(html.contains("TOP 1</span>"), "{html}");
    assert!(!html.contains("<script>"));
    assert_eq!(office.get("/sitzung/ausschuss-sig/2027-01-22").status, 404);
    assert_eq!(office.get("/sitzung/ausschuss-sig/morgen").status, 404);
    assert_eq!(office.get("/sitzung/niemand/2027-01-21").status, 404);
}

#[test]
fn a_fraktion_sees_its_own_drafts_never_another_fraktions() {
    let example = example();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let server = example.serve();

    // The Fraktion that drafts A 017/26-1 sees it and its document.
    let mut own = Browser::new(&server, "192.0.2.50");
    own.login(&example, FRAKTION_GG);
    let board = own.get("/uebersicht").text();
    assert!(lists(&board, "A 017/26-1"), "{board}");
    assert!(lists(&board, "017/26"), "{board}");
    let paper = own.get(DRAFT);
    assert_eq!(paper.status, 200);
    assert!(!paper.text().contains("<script>"), "{}", paper.text());
    assert!(
        paper.text().contains("&lt;script&gt;alert(1)"),
        "{}",
        paper.text()
    );
    let document = first_document(&paper.text()).unwrap_or_else(|| panic!("{}", paper.text()));
    assert_eq!(own.get(&document).status, 200);
    // Nichtöffentlich: office only, also for Fraktion members.
    assert!(!board.contains("Personalangelegenheit"), "{board}");
    assert!(lists(&board, "M 012/19"), "{board}");
    assert_eq!(own.get("/drucksache/2019-personal").status, 404);

    // Another Fraktion: not in the list, not on the paper page, not as download, not among
    // the base paper's motions.
    let mut other = Browser::new(&server, "192.0.2.51");
    other.login(&example, FRAKTION_UNNA);
    let board = other.get("/uebersicht").text();
    assert!(lists(&board, "017/26"), "public papers: {board}");
    assert!(!board.contains(&esc("A 017/26-1")), "{board}");
    assert!(
        !board.contains("Kommunale Sozialarbeit verlässlich ausstatten"),
        "{board}"
    );
    let filtered = other.get("/uebersicht?fraktion=fraktion-gruene-gg").text();
    assert!(!filtered.contains(&esc("A 017/26-1")), "{filtered}");
    let paper = other.get(DRAFT);
    assert_eq!(paper.status, 404);
    assert!(
        paper
            .text()
            .contains("Diese Drucksache gibt es nicht, oder sie ist für Sie nicht sichtbar.")
    );
    let download = other.get(&document);
    assert_eq!(download.status, 404);
    assert!(!download.body.starts_with(b"PK"));
    let base = other.get("/drucksache/2026-017").text();
    assert!(!base.contains(&esc("A 017/26-1")), "{base}");

    // Logged out, nothing of the board is reachable.
    let mut nobody = Browser::new(&server, "192.0.2.52");
    for path in [
        "/uebersicht",
        DRAFT,
        &document,
        "/sitzung/ausschuss-sig/2027-01-21",
    ] {
        let answer = nobody.get(path);
        assert_eq!(answer.status, 303, "{path}");
        assert!(
            answer
                .header("location")
                .is_some_and(|l| l.starts_with("/anmelden?weiter="))
        );
    }
}
