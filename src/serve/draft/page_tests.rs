//! The form pages as a browser gets them, for a Fraktion member of the example project: the
//! empty form, problems listed at the top and beside their fields, „Ziffer hinzufügen“, the
//! preview, saving once however often it is clicked, and the confirmation only for the own
//! Fraktion.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;

use super::form;
use super::page;
use super::scope::Drafter;
use super::tests::{example, member};
use crate::serve::key::LinkKey;
use crate::serve::state::AppState;

fn app(dir: &std::path::Path) -> AppState {
    let project = crate::load::load_project(dir).unwrap().project.unwrap();
    let now: chrono::DateTime<chrono::Utc> = "2026-12-01T08:00:00Z".parse().unwrap();
    AppState::new(
        project,
        LinkKey::from_bytes(vec![7; 32]),
        Arc::new(move || now),
    )
}

fn body(response: Response) -> (StatusCode, String, Option<String>) {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let bytes = runtime
        .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
        .unwrap();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        location,
    )
}

fn session(csrf: &str) -> page::Session {
    page::Session {
        csrf: csrf.to_string(),
        account: minijinja::Value::UNDEFINED,
    }
}

fn posted(list: &[(&str, &str)]) -> form::Posted {
    let pairs: Vec<(String, String)> = list
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    form::parse(&pairs)
}

const FILLED: &[(&str, &str)] = &[
    ("zu", "2026-017"),
    ("entwurf", "e1"),
    ("csrf", "t"),
    ("art", "Ergänzungsantrag"),
    ("fraktion", "fraktion-gruene-gg"),
    ("titel", "Sozialarbeit <b>sichern</b>"),
    ("ziffer-1-art", "ersetzen"),
    ("ziffer-1-punkt", "2"),
    (
        "ziffer-1-text",
        "Der Kreisausschuss schließt die Vereinbarung bis 2027 ab.",
    ),
    ("begruendung", "Weil es eilt."),
];

#[test]
fn the_empty_form_is_labelled_and_grouped() {
    let dir = example();
    let app = app(dir.path());
    let (status, html, _) = body(page::new_form(&app, &member(), "017/26", &session("tok")));
    assert_eq!(status, StatusCode::OK, "{html}");
    for expected in [
        "<title>Antrag zur Vorlage 017&#x2f;26 – ratsflow</title>",
        "<legend>Ziffer 1</legend>",
        "<label for=\"ziffer-1-art\">Was bewirkt Ziffer 1?</label>",
        "<label for=\"titel\">Titel des Antrags</label>",
        "<legend>Art des Antrags</legend>",
        "<span class=\"etikett\">Fraktion:</span> Fraktion BÜNDNIS 90&#x2f;DIE GRÜNEN im Kreistag Groß-Gerau",
        "<option value=\"2\">Punkt 2: Der Kreisausschuss wird beauftragt,",
        "<option value=\"3.2\">Punkt 3 b): die Verwendung der Asylpauschale,</option>",
        "<option value=\"1\">Anlage 1: Rahmenkonzept Kommunale Sozialarbeit</option>",
        "<input type=\"hidden\" name=\"csrf\" value=\"tok\">",
        "value=\"Ergänzungsantrag\" checked",
        "Ohne Auswahl unterschreiben die Unterzeichnungsberechtigten der Fraktion: N. N. (Fraktionsvorsitz GRÜNE).",
        ">Ziffer hinzufügen</button>",
        "formaction=\"/antrag/speichern\" class=\"knopf\">Antrag speichern</button>",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("fehlerliste"), "{html}");
}

#[test]
fn someone_outside_fraktionen_and_office_may_not_draft() {
    let dir = example();
    let app = app(dir.path());
    let nobody = Drafter {
        person: "cramer".into(),
        name: "U. Cramer".into(),
        fraktion: None,
        office: false,
    };
    let (status, html, _) = body(page::new_form(&app, &nobody, "017/26", &session("t")));
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains(
        "Anträge entwerfen können nur Mitglieder einer Fraktion und die Geschäftsstelle."
    ));
    let (status, html, _) = body(page::new_form(&app, &member(), "999/99", &session("t")));
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("Die Drucksache „999&#x2f;99“ gibt es nicht."),
        "{html}"
    );
}

#[test]
fn problems_are_summarised_at_the_top_and_shown_beside_their_fields() {
    let dir = example();
    let app = app(dir.path());
    let (status, html, _) = body(page::preview_form(
        &app,
        &member(),
        &posted(&[
            ("zu", "2026-017"),
            ("entwurf", "e1"),
            ("fraktion", "fraktion-gruene-gg"),
            ("art", "Ergänzungsantrag"),
            ("ziffer-1-art", "ersetzen"),
        ]),
        &session("t"),
    ));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<title>Fehler: Antrag zur Vorlage 017&#x2f;26 – ratsflow</title>",
        "<h2 id=\"fehler-titel\">Bitte prüfen Sie Ihre Eingaben</h2>",
        "<li><a href=\"#titel\">Bitte geben Sie den Titel des Antrags an.</a></li>",
        "<a href=\"#ziffer-1-punkt\">Bitte wählen Sie den Punkt des Beschlussvorschlags, den Ziffer 1 ersetzt.</a>",
        "<a href=\"#ziffer-1-text\">Bitte geben Sie den Wortlaut von Ziffer 1 ein.</a>",
        "<a href=\"#begruendung\">Bitte begründen Sie den Antrag.</a>",
        "<p id=\"titel-fehler\" class=\"fehler\"><span class=\"unsichtbar\">Fehler: </span>Bitte geben Sie den Titel des Antrags an.</p>",
        "id=\"titel\" name=\"titel\" value=\"\" maxlength=\"300\" aria-invalid=\"true\" aria-describedby=\"titel-fehler\"",
        "<input type=\"hidden\" name=\"entwurf\" value=\"e1\">",
    ] {
        assert!(html.contains(expected), "{expected}\n{html}");
    }
    assert!(!html.contains("Vorschau des Dokuments"));
}

#[test]
fn adding_a_ziffer_re_shows_the_form_with_one_more_and_the_old_wording_to_change() {
    let dir = example();
    let app = app(dir.path());
    let mut fields = FILLED.to_vec();
    fields.push(("ziffer-2-art", "aendern"));
    fields.push(("ziffer-2-punkt", "3"));
    fields.push(("aktion", "ziffer-hinzufuegen"));
    let (status, html, _) = body(page::preview_form(
        &app,
        &member(),
        &posted(&fields),
        &session("t"),
    ));
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<legend>Ziffer 3</legend>"), "{html}");
    assert!(
        !html.contains("fehlerliste"),
        "no problems on adding: {html}"
    );
    assert!(
        html.contains("Die Asylpauschale wird in die Finanzierung einbezogen;"),
        "the old wording of point 3 is put in: {html}"
    );
    assert!(
        html.contains("value=\"Sozialarbeit &lt;b&gt;sichern&lt;&#x2f;b&gt;\""),
        "{html}"
    );
    assert!(html.contains(">Ziffer 2 entfernen</button>"));
}

#[test]
fn changing_the_wording_of_a_sub_point_puts_in_its_old_wording() {
    let dir = example();
    let app = app(dir.path());
    let mut fields = FILLED.to_vec();
    fields.push(("ziffer-2-art", "aendern"));
    fields.push(("ziffer-2-punkt", "3.2"));
    let (status, html, _) = body(page::preview_form(
        &app,
        &member(),
        &posted(&fields),
        &session("t"),
    ));
    assert!(
        html.contains("aria-invalid=\"true\">die Verwendung der Asylpauschale,</textarea>"),
        "the old wording of point 3 b) is put in, unchanged: {html}"
    );
    assert!(
        html.contains(
            "Ziffer 2 lässt den Wortlaut von Punkt 3 b) unverändert; bitte ändern Sie den Text."
        ),
        "{html}"
    );
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("<option value=\"3.2\" selected>Punkt 3 b): "),
        "{html}"
    );
}

#[test]
fn the_preview_shows_the_documents_text_and_offers_the_docx() {
    let dir = example();
    let app = app(dir.path());
    let (status, html, _) = body(page::preview_form(
        &app,
        &member(),
        &posted(FILLED),
        &session("t"),
    ));
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("<h2 id=\"vorschau\">Vorschau des Dokuments</h2>"),
        "{html}"
    );
    assert!(
        html.contains("<p>Der Kreisausschuss schließt die Vereinbarung bis 2027 ab.</p>"),
        "{html}"
    );
    assert!(html.contains("Sozialarbeit &lt;b&gt;sichern"), "{html}");
    let response = page::preview_docx(&app, &member(), &posted(FILLED), &session("t"));
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"Ergaenzungsantrag_A_001-26_Vorschau.docx\""
    );
    let (status, docx, _) = body(response);
    assert_eq!(status, StatusCode::OK);
    assert!(docx.starts_with("PK"));
    assert!(
        std::fs::read_dir(dir.path().join("papers"))
            .unwrap()
            .count()
            == 11,
        "nothing saved"
    );
}

#[test]
fn saving_twice_saves_once_and_only_the_own_fraktion_sees_the_confirmation() {
    let dir = example();
    let app = app(dir.path());
    let (status, _, location) = body(page::save_form(
        &app,
        &member(),
        &posted(FILLED),
        &session("t"),
    ));
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/antrag/gespeichert/2026-a001"));
    let (_, _, again) = body(page::save_form(
        &app,
        &member(),
        &posted(FILLED),
        &session("t"),
    ));
    assert_eq!(again.as_deref(), Some("/antrag/gespeichert/2026-a001"));
    assert!(
        !dir.path().join("papers/2026-a002.yaml").exists(),
        "saved once"
    );

    let (status, html, _) = body(page::confirmation(
        &app,
        &member(),
        "2026-a001",
        &session("t"),
    ));
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Ihr Antrag „Sozialarbeit &lt;b&gt;sichern&lt;&#x2f;b&gt;“ ist als A 001&#x2f;26 gespeichert."),
        "{html}"
    );
    assert!(
        html.contains("<dt>Datei</dt><dd>papers&#x2f;2026-a001.yaml</dd>"),
        "{html}"
    );
    assert!(html.contains(
        "Wir bitten jetzt per E-Mail um die Unterschrift der Fraktion: N. N. (Fraktionsvorsitz GRÜNE). Sobald die Fraktion unterschrieben hat, geht der Antrag an die Geschäftsstelle des Gremiums."
    ), "{html}");
    let other = Drafter {
        person: "goldmann".into(),
        name: "Herbert Goldmann".into(),
        fraktion: Some("fraktion-gruene-unna".into()),
        office: false,
    };
    let (status, _, _) = body(page::confirmation(&app, &other, "2026-a001", &session("t")));
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = body(page::confirmation(
        &app,
        &member(),
        "2026-017",
        &session("t"),
    ));
    assert_eq!(status, StatusCode::NOT_FOUND);
}
