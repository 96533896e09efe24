//! Rendering the Word-made fixture: split tags, structural tags, rich text, escaping.

use minijinja::value::Value;

use super::{fixture_template, package_with_body, para, render_texts, sample_data};
use crate::docx::text::paragraph_texts;
use crate::docx::validate_package;

/// Asserts that `needles` occur in `haystack` in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("„{needle}“ not found (in order) in:\n{haystack}"),
        }
    }
}

#[test]
fn fixture_renders_into_a_valid_package_with_the_expected_text() {
    let texts = render_texts(&fixture_template(), &sample_data());
    let text = texts.join("\n");
    assert_in_order(
        &text,
        &[
            "Kreis & Stadt <Verwaltung>",
            "Beschlussvorlage 042/26",
            "Datum: 21.11.2026",
            "Betreff: Sozialplanung „Zukunft“ – Sachstand 😀",
            "Federführung:\t50.2 – Grundsatz- und Planungsaufgaben\tAktenzeichen: 50.2-01/26",
            "Gremium",
            "Ausschuss für Soziales, Gleichstellung und Integration",
            "03.06.2019",
            "Kenntnisnahme",
            "Kreistag",
            "01.07.2019",
            "Entscheidung",
            "Hinweis: Erster Satz.\nZweiter Absatz mit Betonung.",
            "Ausgangslage",
            "Der Kreistag hat am 19.12.2016 die Verwaltung beauftragt.",
            "Punkt A & B",
            "Punkt <C>",
            "Unterpunkt",
            "Erstens",
            "Jahr",
            "33.000 €",
            "Die Sozialplanung verknüpft",
            "1.\tDer Ausschuss nimmt Kenntnis.",
            "2.\tDie Verwaltung berichtet „jährlich“.",
            "Finanzierung: Haushaltsstelle 1.31.01\nBetrag:\t33.000 €",
            "Anlagen: Anlage 1: Konzept, Anlage 2: Zeitplan",
            "Stand: 21. November 2026 (Samstag)",
        ],
    );
    assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
    assert!(!text.contains('\u{7}'));
    assert!(texts.iter().any(|p| p.chars().count() >= 10_000));
}

#[test]
fn row_loop_yields_one_row_per_consultation() {
    let template = fixture_template();
    let bytes = template.render(&sample_data()).unwrap();
    let xml = document_xml(&bytes);
    // Header row, three consultations, and the two rows of the Markdown table.
    assert_eq!(
        xml.matches("<w:tr ").count() + xml.matches("<w:tr>").count(),
        1 + 3 + 2
    );
    let mut data = serde_json::to_value(sample_data()).unwrap();
    data["paper"]["consultations"] = serde_json::json!([]);
    let bytes = template.render(&Value::from_serialize(&data)).unwrap();
    validate_package(&bytes).unwrap();
    let xml = document_xml(&bytes);
    // The header row of the fixture and the md table's two rows remain.
    assert_eq!(
        xml.matches("<w:tr ").count() + xml.matches("<w:tr>").count(),
        1 + 2
    );
}

#[test]
fn conditional_paragraph_disappears_without_financing() {
    let template = fixture_template();
    let mut data = serde_json::to_value(sample_data()).unwrap();
    data["paper"]["financing"] = serde_json::Value::Null;
    let texts = render_texts(&template, &Value::from_serialize(&data));
    assert!(!texts.iter().any(|t| t.contains("Finanzierung")));
    assert!(texts.iter().any(|t| t.starts_with("Anlagen:")));
}

#[test]
fn rich_text_uses_the_templates_localised_styles() {
    let bytes = fixture_template().render(&sample_data()).unwrap();
    let xml = document_xml(&bytes);
    assert!(xml.contains(
        "<w:pStyle w:val=\"berschrift2\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Ausgangslage"
    ));
    assert!(xml.contains("<w:pStyle w:val=\"Aufzhlungszeichen\"/>"));
    assert!(xml.contains("<w:pStyle w:val=\"Listennummer\"/>"));
    assert!(xml.contains("<w:tblStyle w:val=\"Tabellenraster\"/>"));
    // Plain paragraphs keep the {{p}} paragraph's properties and run font.
    assert!(xml.contains("<w:p><w:pPr><w:spacing w:after=\"120\"/><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr><w:lang w:val=\"de-DE\"/></w:rPr><w:t xml:space=\"preserve\">Der Kreistag hat </w:t>"));
    assert!(xml.contains("<w:rPr><w:b/><w:lang w:val=\"de-DE\"/></w:rPr><w:t xml:space=\"preserve\">am 19.12.2016</w:t>"));
}

#[test]
fn header_and_footer_keep_their_fields() {
    let bytes = fixture_template().render(&sample_data()).unwrap();
    let header = part(&bytes, "word/header1.xml");
    assert!(header.contains("<w:instrText xml:space=\"preserve\"> QUOTE \"{Entwurf}\" {{kein Platzhalter}} </w:instrText>"));
    assert_eq!(
        paragraph_texts(&bytes, "word/header1.xml").unwrap()[0],
        "Kreis & Stadt <Verwaltung>\t\tDrucksache 042/26 Entwurf"
    );
    let footer = part(&bytes, "word/footer1.xml");
    assert!(footer.contains(
        "<w:instrText xml:space=\"preserve\"> PAGE  \\* Arabic  \\* MERGEFORMAT </w:instrText>"
    ));
    assert!(footer.contains("<w:fldSimple w:instr=\" NUMPAGES  \\* Arabic  \\* MERGEFORMAT \">"));
    assert_eq!(
        paragraph_texts(&bytes, "word/footer1.xml").unwrap()[0],
        "042/26 – Seite 1 von 1"
    );
}

#[test]
fn untouched_parts_are_copied_byte_for_byte_and_content_types_come_first() {
    let template_bytes = crate::docx::testing::zip_dir(&super::fixture_dir());
    let bytes = fixture_template().render(&sample_data()).unwrap();
    let before = crate::docx::package::read_entries(&template_bytes).unwrap();
    let after = crate::docx::package::read_entries(&bytes).unwrap();
    assert_eq!(after[0].name, "[Content_Types].xml");
    let names = |entries: &[crate::docx::package::Entry]| {
        entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&before), names(&after));
    for (b, a) in before.iter().zip(&after) {
        if !matches!(
            a.name.as_str(),
            "word/document.xml" | "word/header1.xml" | "word/footer1.xml"
        ) {
            assert_eq!(b.data, a.data, "{}", a.name);
        }
    }
}

#[test]
fn printed_values_are_escaped_and_keep_whitespace() {
    let bytes = package_with_body(&para(&["A{{ v }}B"]));
    let template = crate::docx::DocxTemplate::load("t.docx", &bytes).unwrap();
    let data = Value::from_serialize(serde_json::json!({ "v": " <&>\"x\u{1}\u{FFFF}\r\n\ty " }));
    let out = template.render(&data).unwrap();
    validate_package(&out).unwrap();
    let xml = document_xml(&out);
    assert!(xml.contains("<w:t xml:space=\"preserve\">A &lt;&amp;&gt;&quot;x</w:t><w:br/><w:t xml:space=\"preserve\"></w:t><w:tab/><w:t xml:space=\"preserve\">y B</w:t>"), "{xml}");
}

#[test]
fn safe_values_go_in_raw_and_broken_ones_are_caught() {
    let bytes = package_with_body(&para(&["{{ v|safe }}"]));
    let template = crate::docx::DocxTemplate::load("t.docx", &bytes).unwrap();
    let ok = Value::from_serialize(serde_json::json!({ "v": "<w:tab/>" }));
    assert!(document_xml(&template.render(&ok).unwrap()).contains("<w:tab/>"));
    let broken = Value::from_serialize(serde_json::json!({ "v": "</w:t>" }));
    let err = template.render(&broken).unwrap_err();
    assert!(
        err.message
            .starts_with("Das erzeugte Dokument wäre beschädigt: kein wohlgeformtes XML bei Byte "),
        "{err}"
    );
}

#[test]
fn markdown_in_a_run_degrades_to_plain_text() {
    let bytes = package_with_body(&para(&["Text: {{ v|md }}"]));
    let out = try_render_with(&bytes, serde_json::json!({ "v": "# Titel\n\n- a\n- b" }));
    let texts = paragraph_texts(&out, "word/document.xml").unwrap();
    assert_eq!(texts[0], "Text: Titel\n• a\n• b");
}

#[test]
fn block_output_fills_cells_and_keeps_sections() {
    let cell = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
        para(&["{{p v|md }}"])
    );
    let out = try_render_with(&package_with_body(&cell), serde_json::json!({ "v": null }));
    assert!(
        document_xml(&out)
            .replace('\n', "")
            .contains("<w:tc><w:p></w:p></w:tc>")
    );
    let out = try_render_with(
        &package_with_body(&cell),
        serde_json::json!({ "v": "| a |\n|---|\n| b |" }),
    );
    assert!(
        document_xml(&out)
            .replace('\n', "")
            .contains("</w:tbl><w:p></w:p></w:tc>")
    );
}

#[test]
fn conditions_that_empty_a_cell_and_loops_over_bookmarks_are_repaired() {
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{}{}</w:tc></w:tr></w:tbl>{}<w:p><w:bookmarkStart w:id=\"1\" w:name=\"x\"/><w:r><w:t>{{{{ i }}}}</w:t></w:r><w:bookmarkEnd w:id=\"1\"/></w:p>{}",
        para(&["{%p if v %}"]),
        para(&["Text"]),
        para(&["{%p endif %}"]),
        para(&["{%p for i in range(3) %}"]),
        para(&["{%p endfor %}"]),
    );
    let out = try_render_with(&package_with_body(&body), serde_json::json!({ "v": false }));
    let xml = document_xml(&out);
    assert!(xml.contains("<w:p/></w:tc>"));
    assert_eq!(xml.matches("<w:bookmarkStart").count(), 1);
}

#[test]
fn loops_over_empty_lists_leave_no_empty_tables() {
    let row = |text: &str| format!("<w:tr><w:tc>{}</w:tc></w:tr>", para(&[text]));
    let table = format!(
        "<w:tbl><w:tblPr/><w:tblGrid/>{}{}{}</w:tbl>",
        row("{%tr for x in xs %}"),
        row("{{ x }}"),
        row("{%tr endfor %}")
    );
    let body = format!("{table}{}", para(&["Ende"]));
    let out = try_render_with(&package_with_body(&body), serde_json::json!({ "xs": [] }));
    assert!(!document_xml(&out).contains("<w:tbl>"));
    let out = try_render_with(
        &package_with_body(&body),
        serde_json::json!({ "xs": [1, 2] }),
    );
    assert_eq!(document_xml(&out).matches("<w:tr>").count(), 2);
}

#[test]
fn nested_structures_and_inline_blocks_render() {
    let body = format!(
        "{}{}{}{}",
        para(&[
            "Liste: {% for x in xs %}",
            "{{ x }}{% if not loop.last %}, {% endif %}",
            "{% endfor %}."
        ]),
        para(&["{%p if xs|length > 1 %}"]),
        para(&["mehrere"]),
        para(&["{%p else %}{%p endif %}"]),
    );
    let out = try_render_with(
        &package_with_body(&body),
        serde_json::json!({ "xs": ["a", "b"] }),
    );
    let texts = paragraph_texts(&out, "word/document.xml").unwrap();
    assert_eq!(texts, ["Liste: a, b.", "mehrere"]);
}

#[test]
fn typographic_quotes_and_nbsp_work_inside_tags() {
    let body = para(&["{{\u{A0}v | default(„leer“)\u{202F}}} ‚{{ w | default(‘x’) }}‘"]);
    let out = try_render_with(&package_with_body(&body), serde_json::json!({}));
    assert_eq!(
        paragraph_texts(&out, "word/document.xml").unwrap()[0],
        "leer ‚x‘"
    );
}

fn try_render_with(bytes: &[u8], data: serde_json::Value) -> Vec<u8> {
    let template = crate::docx::DocxTemplate::load("t.docx", bytes).unwrap();
    let out = template.render(&Value::from_serialize(data)).unwrap();
    validate_package(&out).unwrap();
    out
}

fn part(bytes: &[u8], name: &str) -> String {
    let entries = crate::docx::package::read_entries(bytes).unwrap();
    let entry = entries.into_iter().find(|e| e.name == name).unwrap();
    String::from_utf8(entry.data).unwrap()
}

fn document_xml(bytes: &[u8]) -> String {
    part(bytes, "word/document.xml")
}

/// Writes one rendered sample to the path in `RATSFLOW_DOCX_SAMPLE`, for a look in
/// LibreOffice or Word.
#[test]
fn sample_output_is_saved_when_asked() {
    let Ok(path) = std::env::var("RATSFLOW_DOCX_SAMPLE") else {
        return;
    };
    let bytes = fixture_template().render(&sample_data()).unwrap();
    std::fs::write(path, bytes).unwrap();
}
