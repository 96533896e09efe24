//! Exact German error messages: what an author reads when a template or its data is wrong.

use super::{fixture_with, package_with_body, para, try_render};
use crate::docx::DocxTemplate;

fn message(bytes: &[u8]) -> String {
    match try_render(bytes) {
        Ok(_) => panic!("rendered without error"),
        Err(err) => err.to_string(),
    }
}

fn body_message(body: &str) -> String {
    message(&package_with_body(body))
}

#[test]
fn unknown_variable_names_paragraph_excerpt_and_tag() {
    let bytes = fixture_with(|d| d.replace("<w:t>paper.date</w:t>", "<w:t>paper.datum</w:t>"));
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 3 („Datum: {{ paper.datum | datum }}“), Platzhalter \
         „{{ paper.datum | datum }}“: undefinierter Wert „paper.datum“"
    );
    let err = try_render(&bytes).unwrap_err();
    assert_eq!(err.part, "word/document.xml");
    assert_eq!(err.paragraph, Some(3));
    assert_eq!(err.tag.as_deref(), Some("{{ paper.datum | datum }}"));
}

#[test]
fn unknown_variable_in_a_row_loop() {
    let bytes = fixture_with(|d| d.replace("<w:t>{{ c.role }}</w:t>", "<w:t>{{ c.rolle }}</w:t>"));
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 15 („{{ c.rolle }}“), Platzhalter „{{ c.rolle }}“: \
         undefinierter Wert „c.rolle“"
    );
}

#[test]
fn errors_in_structural_tags_point_at_them() {
    let bytes = fixture_with(|d| {
        d.replace(
            "<w:t>paper.consultations</w:t>",
            "<w:t>paper.consultatons</w:t>",
        )
    });
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 10 („{%tr for c in paper.consultatons %}“), Platzhalter \
         „{%tr for c in paper.consultatons %}“: undefinierter Wert „paper.consultatons“"
    );
    let bytes = fixture_with(|d| d.replace("<w:t>paper.facts</w:t>", "<w:t>paper.fact</w:t>"));
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 22 („{{p paper.fact|md }}“), Platzhalter \
         „{{p paper.fact|md }}“: undefinierter Wert „paper.fact“"
    );
}

#[test]
fn syntax_error_in_a_tag() {
    let bytes = fixture_with(|d| d.replace("<w:t>{{ c.role }}</w:t>", "<w:t>{{ c.role | }}</w:t>"));
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 15 („{{ c.role | }}“), Platzhalter „{{ c.role | }}“: \
         Syntaxfehler: unerwartet: „}}“, erwartet: ein Name"
    );
}

#[test]
fn unclosed_paragraph_block_is_reported_at_its_opening() {
    let bytes = fixture_with(|d| d.replace("<w:t>{%p endif %}</w:t>", "<w:t>Ende</w:t>"));
    assert_eq!(
        message(&bytes),
        "Vorlage „vorlage.docx“, Absatz 27 („{%p if paper.financing %}“), Platzhalter \
         „{%p if paper.financing %}“: Block „{%p if paper.financing %}“ wird nicht geschlossen"
    );
}

#[test]
fn row_tag_outside_a_table() {
    assert_eq!(
        body_message(&para(&["{%tr for x in xs %}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{%tr for x in xs %}“), Platzhalter \
         „{%tr for x in xs %}“: steht nicht in einer Tabellenzeile"
    );
    assert_eq!(
        body_message(&para(&["{%tc if x %}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{%tc if x %}“), Platzhalter „{%tc if x %}“: \
         steht nicht in einer Tabellenzelle"
    );
}

#[test]
fn include_is_refused() {
    assert_eq!(
        body_message(&para(&["{% include \"kopf.docx\" %}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{% include \"kopf.docx\" %}“), Platzhalter \
         „{% include \"kopf.docx\" %}“: Vorlagen können keine anderen Dateien einbinden \
         (include, import, from und extends sind nicht erlaubt)"
    );
}

#[test]
fn runaway_loops_run_out_of_fuel() {
    assert_eq!(
        body_message(&para(&["{% for i in range(10**9) %}x{% endfor %}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{% for i in range(10**9) %}x{% endfor %}“), \
         Platzhalter „{% for i in range(10**9) %}“: Vorlage zu aufwendig (Abbruch nach \
         5.000.000 Schritten)"
    );
    let nested =
        "{% for a in paper.title * 40000 %}{% for b in paper.title %}{% endfor %}{% endfor %}";
    assert!(
        body_message(&para(&[nested]))
            .ends_with("Vorlage zu aufwendig (Abbruch nach 5.000.000 Schritten)")
    );
}

#[test]
fn tags_may_not_span_paragraphs() {
    assert_eq!(
        body_message(&format!(
            "{}{}",
            para(&["Titel: {{ paper."]),
            para(&["title }}"])
        )),
        "Vorlage „vorlage.docx“, Absatz 1 („Titel: {{ paper.“), Platzhalter „{{ paper.“: \
         Platzhalter wird in diesem Absatz nicht mit „}}“ geschlossen (ein Platzhalter darf \
         nicht über mehrere Absätze reichen)"
    );
}

#[test]
fn stray_and_misplaced_block_ends() {
    assert_eq!(
        body_message(&para(&["{%p endif %}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{%p endif %}“), Platzhalter „{%p endif %}“: \
         „{%p endif %}“ schließt keinen offenen Block"
    );
    assert_eq!(
        body_message(&format!(
            "{}{}",
            para(&["{% if paper.public %}"]),
            para(&["{% endif %}"])
        )),
        "Vorlage „vorlage.docx“, Absatz 2 („{% endif %}“), Platzhalter „{% endif %}“: \
         „{% endif %}“ steht nicht im selben Bereich wie „{% if paper.public %}“ aus Absatz 1 \
         (ohne Präfix müssen beide im selben Absatz stehen)"
    );
}

#[test]
fn values_cannot_be_printed_into_replaced_paragraphs() {
    assert_eq!(
        body_message(&format!(
            "{}{}",
            para(&["{%p if x %} {{ y }}"]),
            para(&["{%p endif %}"])
        )),
        "Vorlage „vorlage.docx“, Absatz 1 („{%p if x %} {{ y }}“), Platzhalter „{{ y }}“: \
         kann hier nichts ausgeben: der Absatz wird durch „{%p if x %}“ ersetzt"
    );
}

#[test]
fn filter_errors_are_german() {
    assert_eq!(
        body_message(&para(&["{{ paper.lead_office | datum }}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{{ paper.lead_office | datum }}“), Platzhalter \
         „{{ paper.lead_office | datum }}“: Filter „datum“: „50.2 – Grundsatz- und \
         Planungsaufgaben“ ist kein Datum (erwartet JJJJ-MM-TT)"
    );
    assert_eq!(
        body_message(&para(&["{{ paper.date | datun }}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{{ paper.date | datun }}“), Platzhalter \
         „{{ paper.date | datun }}“: unbekannter Filter „datun“"
    );
    assert_eq!(
        body_message(&para(&["{{ paper.amends.reference | eur }}"])),
        "Vorlage „vorlage.docx“, Absatz 1 („{{ paper.amends.reference | eur }}“), Platzhalter \
         „{{ paper.amends.reference | eur }}“: undefinierter Wert „paper.amends“"
    );
}

#[test]
fn errors_in_headers_name_the_part() {
    let mut parts = super::fixture_parts();
    let header = parts["word/header1.xml"].replace("{{ paper.reference }}", "{{ paper.refrence }}");
    parts.insert("word/header1.xml".to_owned(), header);
    let err = try_render(&super::zip_parts(&parts)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Vorlage „vorlage.docx“, Teil „word/header1.xml“, Absatz 1 („{{ org.name }} Drucksache \
         {{ paper.reference }} Entwurf“), Platzhalter „{{ paper.refrence }}“: undefinierter Wert \
         „paper.refrence“"
            .replace(
                "{{ paper.reference }} Entwurf",
                "{{ paper.refrence }} Entwurf"
            )
    );
}

#[test]
fn broken_packages_are_refused_at_load() {
    let err = DocxTemplate::load("kaputt.docx", b"kein zip").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Vorlage „kaputt.docx“: Die Datei ist kein gültiges Word-Dokument (kein lesbares \
         ZIP-Archiv)"
    );
    let bytes = fixture_with(|d| d.replace("</w:body>", "</w:bod>"));
    let err = DocxTemplate::load("kaputt.docx", &bytes).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "Vorlage „kaputt.docx“: Die Vorlage ist beschädigt: kein wohlgeformtes XML bei Byte "
        ),
        "{err}"
    );
}
