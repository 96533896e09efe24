//! Signing and returning from the mail: the link a run writes into the request to sign opens
//! the sign page of `ratsflow serve`, and the forms write through the same record path as the
//! CLI.

mod serve_support;

use std::time::Duration;

use serve_support::{Example, Server};

const STAB_ASYL: &str = "stab-asyl@kreis-gross-gerau.example";

fn journal_lines(example: &Example) -> usize {
    example.read("state/2026-017.jsonl").lines().count()
}

#[test]
fn sign_via_link_is_recorded_über_link_once_and_status_shows_it() {
    let example = Example::new();
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let link = example.link_for(STAB_ASYL);
    let mut server = example.serve();
    let path = Server::path_of(&link);

    let page = server.get(&path);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(html.contains("liegt Ihnen zur Mitzeichnung vor."), "{html}");
    assert!(
        html.contains("Rahmenkonzept Kommunale Sozialarbeit"),
        "{html}"
    );
    assert!(html.contains("<dt>Frist</dt><dd>23.12.2026</dd>"), "{html}");
    assert!(
        html.contains("Sie sehen diese Vorlage zum ersten Mal."),
        "{html}"
    );
    assert!(html.contains(">Zeichnen</button>"), "{html}");
    assert!(html.contains(">Zurückgeben</button>"), "{html}");
    assert!(!html.contains("<script"), "{html}");

    let before = journal_lines(&example);
    let form = [("nonce", page.field("nonce")), ("csrf", page.field("csrf"))];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let signed = server.post(&format!("{path}/zeichnen"), &form);
    assert_eq!(signed.status, 200, "{}", signed.text());
    assert!(
        signed
            .text()
            .contains("Vielen Dank. Ihre Zeichnung ist am 01.12.2026 um 09:00 Uhr eingetragen."),
        "{}",
        signed.text()
    );
    assert_eq!(journal_lines(&example), before + 1);
    let journal = example.read("state/2026-017.jsonl");
    let last = journal.lines().last().unwrap_or_default();
    assert!(last.contains("\"event\":\"signed\""), "{last}");
    assert!(last.contains("\"who\":\"stab-asyl\""), "{last}");
    assert!(last.contains("\"via\":\"link\""), "{last}");

    // A second click changes nothing.
    let again = server.post(&format!("{path}/zeichnen"), &form);
    assert_eq!(again.status, 200);
    assert!(
        again
            .text()
            .contains("Bereits gezeichnet am 01.12.2026 um 09:00 Uhr."),
        "{}",
        again.text()
    );
    assert_eq!(journal_lines(&example), before + 1);
    // And the page itself says so from now on.
    assert!(server.get(&path).text().contains("Bereits gezeichnet am"));

    let (_, status, _) = example.ratsflow(&["status", "017/26"]);
    let line = status
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("01.12.2026 09:00  unterschrieben")
        })
        .unwrap_or_else(|| panic!("{status}"));
    assert!(line.contains("über Link"), "{line}");

    assert_eq!(server.stop(), 0, "{}", server.log());
    assert!(
        server.log().ends_with("ratsflow beendet.\n"),
        "{}",
        server.log()
    );
}

#[test]
fn return_needs_a_comment_and_is_recorded_über_link() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let link = example.link_for(STAB_ASYL);
    let server = example.serve();
    let path = Server::path_of(&link);
    let page = server.get(&path);
    let (nonce, csrf) = (page.field("nonce"), page.field("csrf"));
    let before = journal_lines(&example);

    let empty = server.post(
        &format!("{path}/zurueckgeben"),
        &[("nonce", &nonce), ("csrf", &csrf), ("comment", "   ")],
    );
    assert_eq!(empty.status, 422);
    assert!(
        empty.text().contains(
            "Bitte geben Sie eine Begründung für die Rückgabe an; ohne Begründung wird nichts zurückgegeben."
        ),
        "{}",
        empty.text()
    );
    assert_eq!(journal_lines(&example), before);

    let returned = server.post(
        &format!("{path}/zurueckgeben"),
        &[
            ("nonce", &nonce),
            ("csrf", &csrf),
            ("comment", "Finanzierung klären"),
        ],
    );
    assert_eq!(returned.status, 200, "{}", returned.text());
    assert!(
        returned
            .text()
            .contains("Sie haben die Drucksache am 01.12.2026 um 09:00 Uhr zurückgegeben."),
        "{}",
        returned.text()
    );
    let journal = example.read("state/2026-017.jsonl");
    let last = journal.lines().last().unwrap_or_default();
    assert!(last.contains("\"event\":\"returned\""), "{last}");
    assert!(
        last.contains("\"comment\":\"Finanzierung klären\""),
        "{last}"
    );
    assert!(last.contains("\"via\":\"link\""), "{last}");
    assert_eq!(journal_lines(&example), before + 1);
}

#[test]
fn outdated_link_says_so_and_exactly_one_fresh_link_is_mailed() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let old = example.link_for(STAB_ASYL);
    let server = example.serve();
    let page = server.get(&Server::path_of(&old));
    let (nonce, csrf) = (page.field("nonce"), page.field("csrf"));

    example.edit(
        "papers/2026-017.yaml",
        "title: \"Rahmenkonzept Kommunale Sozialarbeit:",
        "title: \"Geändertes Rahmenkonzept Kommunale Sozialarbeit:",
    );
    // The watcher sees the change and mails the request for the new version.
    example.wait_for_links(STAB_ASYL, 2, &server);

    let before = journal_lines(&example);
    for _ in 0..2 {
        let outdated = server.get(&Server::path_of(&old));
        assert_eq!(outdated.status, 200);
        let text = outdated.text();
        assert!(
            text.contains("Die Vorlage hat sich geändert, seit Ihnen dieser Link geschickt wurde; mit diesem Link kann nicht mehr gezeichnet werden."),
            "{text}"
        );
        assert!(
            text.contains("Sie erhalten einen neuen Link zur geänderten Fassung per E-Mail."),
            "{text}"
        );
        let post = server.post(
            &format!("{}/zeichnen", Server::path_of(&old)),
            &[("nonce", &nonce), ("csrf", &csrf)],
        );
        assert!(post.text().contains("Die Vorlage hat sich geändert"));
    }
    assert_eq!(journal_lines(&example), before, "nothing recorded");
    // Give the watcher time for anything it would send twice.
    std::thread::sleep(Duration::from_millis(1500));
    let links = example.links_for(STAB_ASYL);
    assert_eq!(links.len(), 2, "{links:?}");
    let fresh = &links[1];
    assert_ne!(fresh, &old);
    let page = server.get(&Server::path_of(fresh));
    assert!(
        page.text().contains("Geändertes Rahmenkonzept"),
        "{}",
        page.text()
    );
    // The page shows the word diff against what this person saw.
    assert!(
        page.text().contains("<ins>Geändertes </ins>")
            || page.text().contains("<ins>Geändertes</ins>"),
        "{}",
        page.text()
    );
}

/// A form opened before a return, replayed after the paper is presented again with the very
/// same wording: the person has not seen the paper in its new round, so nothing is recorded,
/// the page says the link is outdated, and exactly one fresh link is mailed.
#[test]
fn a_form_from_before_a_return_does_not_sign_the_paper_presented_again() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let old = example.link_for(STAB_ASYL);
    let old_path = Server::path_of(&old);
    let server = example.serve();
    let page = server.get(&old_path);
    assert!(
        page.text().contains(">Zeichnen</button>"),
        "{}",
        page.text()
    );
    let (nonce, csrf) = (page.field("nonce"), page.field("csrf"));
    let paper_before = example.read("papers/2026-017.yaml");

    // The other two co-sign, the Landrat returns the paper to the Mitzeichnung: it is presented
    // again, its content untouched.
    for who in ["fb-soziale-sicherung", "bfi"] {
        let (code, _, stderr) = example.ratsflow(&["sign", "017/26", "--as", who]);
        assert_eq!(code, 0, "{stderr}");
    }
    let (code, _, stderr) = example.ratsflow(&[
        "return",
        "017/26",
        "--as",
        "landrat",
        "--comment",
        "Bitte die Kommunen noch einmal beteiligen",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(example.read("papers/2026-017.yaml"), paper_before);
    let signatures = |example: &Example| {
        example
            .read("state/2026-017.jsonl")
            .lines()
            .filter(|l| l.contains("\"event\":\"signed\"") && l.contains("\"who\":\"stab-asyl\""))
            .count()
    };
    assert_eq!(signatures(&example), 0);

    let before = journal_lines(&example);
    for _ in 0..2 {
        let replayed = server.post(
            &format!("{old_path}/zeichnen"),
            &[("nonce", &nonce), ("csrf", &csrf)],
        );
        assert_eq!(replayed.status, 200);
        let text = replayed.text();
        assert!(text.contains("<h1>Dieser Link ist veraltet</h1>"), "{text}");
        assert!(
            text.contains("Die Vorlage wurde zurückgegeben und erneut vorgelegt, seit Ihnen dieser Link geschickt wurde; mit diesem Link kann nicht mehr gezeichnet werden."),
            "{text}"
        );
        assert!(
            text.contains(
                "Sie erhalten einen neuen Link zur erneut vorgelegten Fassung per E-Mail."
            ),
            "{text}"
        );
        assert!(!text.contains(">Zeichnen</button>"), "{text}");
        // The old link itself shows no form any more.
        let reopened = server.get(&old_path).text();
        assert!(reopened.contains("Dieser Link ist veraltet"), "{reopened}");
        assert!(!reopened.contains(">Zeichnen</button>"), "{reopened}");
    }
    assert_eq!(signatures(&example), 0, "no signature from the old form");

    // The watcher asks again for the new round: exactly one fresh link.
    example.wait_for_links(STAB_ASYL, 2, &server);
    std::thread::sleep(Duration::from_millis(1500));
    let links = example.links_for(STAB_ASYL);
    assert_eq!(links.len(), 2, "{links:?}");
    let fresh = Server::path_of(&links[1]);
    assert_ne!(fresh, old_path);
    // Nothing was written by the replays (the watcher's own lines aside).
    let replays_wrote = example
        .read("state/2026-017.jsonl")
        .lines()
        .skip(before)
        .any(|l| l.contains("\"via\":\"link\""));
    assert!(!replays_wrote);

    // The link of the current round works, and signs once.
    let page = server.get(&fresh);
    assert!(
        page.text().contains(">Zeichnen</button>"),
        "{}",
        page.text()
    );
    let signed = server.post(
        &format!("{fresh}/zeichnen"),
        &[
            ("nonce", &page.field("nonce")),
            ("csrf", &page.field("csrf")),
        ],
    );
    assert!(
        signed.text().contains("Ihre Zeichnung ist am"),
        "{}",
        signed.text()
    );
    assert_eq!(signatures(&example), 1);
    // The old form still signs nothing.
    let replayed = server.post(
        &format!("{old_path}/zeichnen"),
        &[("nonce", &nonce), ("csrf", &csrf)],
    );
    assert!(!replayed.text().contains("Ihre Zeichnung ist am"));
    assert_eq!(signatures(&example), 1);
}

/// The paper's texts are Markdown: the page shows them formatted as the document does —
/// emphasis, lists, headings below the page's own — and keeps German stars as written.
#[test]
fn the_papers_markdown_shows_formatted_and_gender_stars_stay() {
    let example = Example::new();
    example.edit(
        "papers/2026-017.yaml",
        "  Nach der kreisinternen Abstimmung",
        "  ## Beteiligung\n\n  Beteiligt waren Bürger*innen und Vertreter*innen der Kommunen (*), dazu *ausgewählte* Träger.\n\n  Nach der kreisinternen Abstimmung",
    );
    let (code, _, stderr) = example.ratsflow(&["run"]);
    assert_eq!(code, 0, "{stderr}");
    let server = example.serve();
    let page = server.get(&Server::path_of(&example.link_for(STAB_ASYL)));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("<strong>„Kommunale Sozialarbeit nachhaltig verankern!“</strong>"),
        "{html}"
    );
    assert!(!html.contains("**"), "{html}");
    assert!(
        html.contains("<ul>\n<li>Mindestaufgaben für kommunale Sozialarbeit,</li>\n"),
        "{html}"
    );
    assert!(html.contains("<h4>Beteiligung</h4>"), "{html}");
    assert!(
        html.contains(
            "Beteiligt waren Bürger*innen und Vertreter*innen der Kommunen (*), dazu <em>ausgewählte</em> Träger."
        ),
        "{html}"
    );
    // The proposal keeps its numbered points.
    assert!(
        html.contains("<ol>\n<li>Der Kreistag stimmt dem Rahmenkonzept Kommunale Sozialarbeit (Anlage) zu.</li>\n"),
        "{html}"
    );
}

/// A signatory who gives the paper back starts a new round of the stage: a second click says
/// so and writes nothing, neither old form signs, and when the paper is asked for again with
/// the same wording, the fresh link shows the forms — what was returned in the earlier round
/// does not count as returned in this one.
#[test]
fn after_giving_back_the_old_forms_write_nothing_and_the_next_round_asks_afresh() {
    let example = Example::new();
    example.ratsflow(&["run"]);
    let old = Server::path_of(&example.link_for(STAB_ASYL));
    let server = example.serve();
    let page = server.get(&old);
    let (nonce, csrf) = (page.field("nonce"), page.field("csrf"));
    let returns = |example: &Example| {
        example
            .read("state/2026-017.jsonl")
            .lines()
            .filter(|l| l.contains("\"event\":\"returned\"") && l.contains("\"who\":\"stab-asyl\""))
            .count()
    };
    let form = |comment: &'static str| {
        [
            ("nonce", nonce.clone()),
            ("csrf", csrf.clone()),
            ("comment", comment.to_string()),
        ]
    };
    let post = |path: &str, form: &[(&str, String)]| {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        server.post(path, &form)
    };

    let returned = post(
        &format!("{old}/zurueckgeben"),
        &form("Zahlen der Kommunen fehlen"),
    );
    assert!(
        returned
            .text()
            .contains("Sie haben die Drucksache am 01.12.2026 um 09:00 Uhr zurückgegeben."),
        "{}",
        returned.text()
    );
    assert_eq!(returns(&example), 1);

    // The second click, and the other form of the same page: nothing is written.
    for (path, comment) in [
        (format!("{old}/zurueckgeben"), "Zahlen der Kommunen fehlen"),
        (format!("{old}/zeichnen"), ""),
    ] {
        let again = post(&path, &form(comment));
        assert_eq!(again.status, 200);
        let text = again.text();
        assert!(
            text.contains("Bereits zurückgegeben am 01.12.2026 um 09:00 Uhr."),
            "{text}"
        );
        assert!(!text.contains(">Zeichnen</button>"), "{text}");
    }
    assert_eq!(returns(&example), 1);
    assert!(
        !example
            .read("state/2026-017.jsonl")
            .lines()
            .any(|l| l.contains("\"event\":\"signed\"") && l.contains("\"who\":\"stab-asyl\"")),
        "no signature"
    );

    // The Mitzeichnung asks again (the wording unchanged): one fresh link, and it asks afresh.
    example.wait_for_links(STAB_ASYL, 2, &server);
    let fresh = Server::path_of(&example.links_for(STAB_ASYL)[1]);
    let page = server.get(&fresh);
    let text = page.text();
    assert!(text.contains(">Zurückgeben</button>"), "{text}");
    assert!(!text.contains("Sie haben diese Fassung am"), "{text}");
    let again = server.post(
        &format!("{fresh}/zurueckgeben"),
        &[
            ("nonce", &page.field("nonce")),
            ("csrf", &page.field("csrf")),
            ("comment", "Weiterhin: Zahlen fehlen"),
        ],
    );
    assert!(
        again.text().contains("Sie haben die Drucksache am"),
        "{}",
        again.text()
    );
    assert_eq!(returns(&example), 2);
}
