//! The default templates: the shipped files are what the generator writes, every template
//! loads, and the real binary renders the fixture project with them into valid documents that
//! carry each kind's key content.
//!
//! Regenerate the shipped files after changing `src/default_templates/`:
//! `cargo test --test default_templates -- --ignored regenerate`.

mod support;

use std::path::{Path, PathBuf};

use ratsflow::default_templates;
use ratsflow::docx::{DocxTemplate, validate_package};
use support::Project;
use support::word::{Numbering, entries, numbered_paragraphs, paragraphs, part};

fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")
}

#[test]
#[ignore = "writes templates/; run with --ignored to regenerate the shipped templates"]
fn regenerate() {
    default_templates::write_all(&shipped_dir()).unwrap();
}

#[test]
fn shipped_templates_are_what_the_generator_writes() {
    let generated = default_templates::all();
    assert_eq!(generated.len(), 9);
    for (name, bytes) in &generated {
        let shipped = std::fs::read(shipped_dir().join(name)).unwrap_or_default();
        assert!(
            shipped == *bytes,
            "templates/{name} differs from the generator; run \
             `cargo test --test default_templates -- --ignored regenerate`"
        );
    }
    assert_eq!(
        generated,
        default_templates::all(),
        "the generator is not deterministic"
    );
}

#[test]
fn every_template_loads_and_is_a_valid_package() {
    for (name, bytes) in default_templates::all() {
        validate_package(&bytes).unwrap_or_else(|p| panic!("{name}: {p:?}"));
        DocxTemplate::load(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let entries = entries(&bytes);
        assert_eq!(entries[0].0, "[Content_Types].xml", "{name}");
        let styles = String::from_utf8(part(&entries, "word/styles.xml")).unwrap();
        for style in [
            "Normal",
            "Title",
            "heading 1",
            "heading 2",
            "heading 3",
            "List Bullet",
            "List Number",
            "Table Grid",
        ] {
            assert!(
                styles.contains(&format!("<w:name w:val=\"{style}\" />")),
                "{name}: style {style}"
            );
        }
        let footer = String::from_utf8(part(&entries, "word/footer1.xml")).unwrap();
        assert!(
            footer.contains(">PAGE<") && footer.contains(">NUMPAGES<"),
            "{name}: {footer}"
        );
    }
}

const MITTEILUNG: &str = r#"kind: Mitteilungsvorlage
workflow: kreistag
reference: "050/19"
title: Sozialplanung im Kreis Musterland
subtitle: "hier: Informationen zum Sachstand"
date: 2019-05-02
lead_office: Fachbereich Soziales
author: sachbearbeitung
public: false
meetings:
  ausschuss: 2019-06-03
  kreistag: 2019-06-27
preliminary: |
  Der Kreistag hat die Verwaltung **beauftragt**.
facts: |
  ### Landesförderung

  - Baustein 1: Aktive Nachbarschaft
  - Baustein 2: Gesundes Aufwachsen
closing: Um Kenntnisnahme wird gebeten.
"#;

const PROJEKT: &str = r#"kind: Projektauftrag
workflow: kreistag
reference: "P 1/19"
title: Kommunale Sozialarbeit nachhaltig verankern!
date: 2019-05-03
lead_office: Fachbereich Soziales
author: sachbearbeitung
meetings:
  ausschuss: 2019-06-03
  kreistag: 2019-06-27
project:
  goals: |
    - Die Kommunale Sozialarbeit soll gesichert sein.
  tasks: |
    - Es soll ein Rahmenkonzept erstellt werden.
      - Mindestaufgaben
  result: Rahmenkonzept mit dauerhafter Finanzierung
  start: November 2018
  end: Juni 2019
  group: ["Kreis: O. Stäwe, U. Cramer", "Kommunen: Groß-Gerau"]
"#;

/// A Beschlussvorlage with yearly costs and German text Markdown must keep as written.
const KOSTEN: &str = r#"kind: Beschlussvorlage
workflow: kreistag
reference: "070/19"
title: Koordinierungsstelle Integration
date: 2019-05-04
facts: |
  Beteiligt sind Vertreter*innen der Kommunen, Bürger*innen und Kolleg*innen (*) der Verwaltung.

  Die Stelle ist *befristet*.
costs: 33000
costs_period: Jahr
"#;

/// The fields councils print: Kurzfassung, Dezernat and Dienststelle, the Finanzen box and
/// numbered Anlagen (one with a file under the project, one a plain title).
const FELDER: &str = r#"kind: Beschlussvorlage
workflow: kreistag
reference: "100/19"
title: Schulsozialarbeit an allen Schulen
date: 2019-05-04
department: Dezernat II – Soziales und Jugend
lead_office: Fachbereich Soziales
office_unit: Amt 50 – Soziale Dienste
summary: Der Kreis finanziert **zwei** zusätzliche Stellen.
proposal: [Der Kreistag stimmt zu.]
finances:
  impact: ja
  recurrence: jährlich
  expense: 120000
  income: 40000.5
  budget_line: Produkt 05.01.02
  text: Landesförderung ab 2020.
attachments:
  - title: Konzept Schulsozialarbeit
    file: anlagen/konzept.txt
  - Stellenplan.pdf
"#;

/// A structured proposal: intro, letters as numbering, sub-points and sub-sub-points.
const GEGLIEDERT: &str = r#"kind: Beschlussvorlage
workflow: kreistag
reference: "080/19"
title: Gliederung des Beschlussvorschlages
date: 2019-05-04
proposal:
  intro: "Der Kreistag beschließt nach Vorberatung im Ausschuss:"
  style: a)
  points:
    - Das Konzept wird beschlossen.
    - text: "Die Verwaltung wird beauftragt,"
      points:
        - Mittel zu beantragen,
        - text: "Stellen auszuschreiben, und zwar"
          points: [eine Vollzeitstelle, eine Teilzeitstelle]
    - Der Kreistag wird jährlich unterrichtet.
"#;

/// A proposal of one point prints without a number.
const EINZELN: &str = r#"kind: Beschlussvorlage
workflow: kreistag
reference: "090/19"
title: Ein einziger Punkt
date: 2019-05-04
proposal: [Der Kreistag nimmt den Bericht zur Kenntnis.]
"#;

/// The administration's Stellungnahme to the Ergänzungsantrag, a recommendation per Ziffer.
const STELLUNGNAHME: &str = r#"kind: Stellungnahme der Verwaltung
workflow: stellungnahme
reference: "042/19-1 S"
title: Stellungnahme zum Ergänzungsantrag
date: 2019-05-20
answers: 2019-042-1
author: sachbearbeitung
recommendations:
  - ziffer: 1
    recommend: zustimmen
    reasons: Die Verbände sind ohnehin beteiligt.
  - ziffer: 2
    recommend: verweisen
    to: ausschuss
"#;

const STELLUNGNAHME_WORKFLOW: &str = r#"name: Stellungnahme
stages:
  - id: zeichnung
    title: Zeichnung
    sign: { all: [paper.author] }
"#;

/// A second amendment: replaces point 3 too (a conflict) and deletes point 1.
const AENDERUNG: &str = r#"kind: Änderungsantrag
workflow: antrag
reference: "042/19-2"
title: Punkt 3 anders fassen
date: 2019-05-12
amends: 2019-042
by: gruene
body: kreistag
changes:
  - replace: 3
    text: Der Landrat berichtet halbjährlich.
  - delete: 1
reasons: Klarer.
"#;

/// The fixture with two more papers, the default templates, both amendments adopted, rendered.
fn rendered_fixture() -> Project {
    let project = Project::fixture("kreis");
    project.write("papers/2019-050.yaml", MITTEILUNG);
    project.write("papers/2019-060.yaml", PROJEKT);
    project.write("papers/2019-042-2.yaml", AENDERUNG);
    project.write("papers/2019-070.yaml", KOSTEN);
    project.write("papers/2019-080.yaml", GEGLIEDERT);
    project.write("papers/2019-090.yaml", EINZELN);
    project.write("papers/2019-100.yaml", FELDER);
    project.write("anlagen/konzept.txt", "Konzept\n");
    project.write("papers/2019-042-1-s.yaml", STELLUNGNAHME);
    project.write("workflows/stellungnahme.yaml", STELLUNGNAHME_WORKFLOW);
    default_templates::write_all(&project.file("templates")).unwrap();
    let steps: &[&[&str]] = &[
        &[
            "--now",
            "2019-05-06",
            "sign",
            "042/19",
            "--as",
            "fb-soziales",
        ],
        &[
            "--now",
            "2019-05-06",
            "sign",
            "P 1/19",
            "--as",
            "fb-soziales",
        ],
        &["--now", "2019-05-07", "sign", "042/19", "--as", "kaemmerei"],
        &["--now", "2019-05-08", "sign", "042/19", "--as", "landrat"],
        &[
            "--now",
            "2019-05-10",
            "sign",
            "042/19-1",
            "--as",
            "vorsitz-gruene",
        ],
        &[
            "--now",
            "2019-05-12",
            "sign",
            "042/19-2",
            "--as",
            "vorsitz-gruene",
        ],
        &[
            "--now",
            "2019-06-03T18:00:00+02:00",
            "decide",
            "042/19",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
        ],
        &[
            "--now",
            "2019-06-12",
            "decide",
            "042/19",
            "--body",
            "bgm-dv",
            "--as",
            "sitzungsdienst",
            "--result",
            "zur-kenntnis-genommen",
        ],
        &[
            "--now",
            "2019-06-27",
            "decide",
            "042/19",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
            "--amendment",
            "042/19-1",
            "--adopted",
            "--amendment",
            "042/19-2",
            "--adopted",
        ],
        &["--now", "2019-06-28", "render"],
    ];
    for args in steps {
        let out = project.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    project
}

/// A rendered document: checked with the engine's validator, its header, body and footer text.
struct Rendered {
    path: PathBuf,
    header: Vec<String>,
    body: Vec<String>,
    footer: Vec<String>,
}

impl Rendered {
    fn open(project: &Project, paper: &str, prefix: &str) -> Rendered {
        let dir = project.file("out").join(paper);
        let path = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name().unwrap().to_string_lossy().starts_with(prefix)
                    && p.extension().is_some_and(|e| e == "docx")
            })
            .unwrap_or_else(|| panic!("no {prefix}*.docx in {}", dir.display()));
        let bytes = std::fs::read(&path).unwrap();
        validate_package(&bytes).unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
        let entries = entries(&bytes);
        let rendered = Rendered {
            header: paragraphs(&part(&entries, "word/header1.xml")),
            body: numbered_paragraphs(
                &part(&entries, "word/document.xml"),
                &Numbering::parse(&part(&entries, "word/numbering.xml")),
            ),
            footer: paragraphs(&part(&entries, "word/footer1.xml")),
            path,
        };
        for text in rendered
            .header
            .iter()
            .chain(&rendered.body)
            .chain(&rendered.footer)
        {
            assert!(
                !text.contains("{{") && !text.contains("{%"),
                "{}: tag left in „{text}“",
                rendered.path.display()
            );
        }
        rendered
    }

    /// Asserts that each expected text is a whole paragraph of the body, in this order.
    fn has_in_order(&self, expected: &[&str]) {
        let mut from = 0;
        for want in expected {
            match self.body[from..].iter().position(|p| p == want) {
                Some(at) => from += at + 1,
                None => panic!(
                    "{}: paragraph „{want}“ not found (in order) in:\n{:#?}",
                    self.path.display(),
                    self.body
                ),
            }
        }
    }

    fn lacks(&self, text: &str) {
        assert!(
            !self.body.iter().any(|p| p.contains(text)),
            "{}: unexpected „{text}“",
            self.path.display()
        );
    }
}

#[test]
fn the_fixture_renders_with_every_template() {
    let project = rendered_fixture();

    let vorlage = Rendered::open(&project, "2019-042", "Beschlussvorlage_");
    assert_eq!(vorlage.header[..2], ["Kreis Musterland", "Der Landrat"]);
    assert_eq!(vorlage.footer, ["Beschlussvorlage 042/19\tSeite 1 von 1"]);
    vorlage.has_in_order(&[
        "Beschlussvorlage",
        "Drucksachen-Nr.:\t042/19",
        "Datum:\t29.04.2019",
        "Federführung:\tFachbereich Soziales",
        "Sachbearbeitung:\tUlrike Cramer",
        "Sitzungsteil:\töffentlich",
        "Beratungsfolge",
        "Gremium",
        "Datum",
        "Zuständigkeit",
        "Ausschuss für Soziales, Gleichstellung und Integration",
        "03.06.2019",
        "Vorberatung",
        "Kreistag",
        "27.06.2019",
        "Entscheidung",
        "Gegenstand der Vorlage",
        "Kommunales Integrationsmanagement; Rahmenkonzept",
        "Sachverhalt:",
        "Das Land fördert das Kommunale Integrationsmanagement.",
        "Beschlussvorschlag:",
        "1.\tDer Kreistag nimmt das Rahmenkonzept zur Kenntnis.",
        "2.\tDie Verwaltung wird beauftragt, Fördermittel zu beantragen.",
        "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
        "Finanzierung:",
        "Landesmittel",
    ]);
    vorlage.lacks("rekonstruiert");
    vorlage.lacks("Aktenzeichen:");
    vorlage.lacks("Anlagen:");

    let mitteilung = Rendered::open(&project, "2019-050", "Mitteilungsvorlage_");
    mitteilung.has_in_order(&[
        "Fachbereich Soziales",
        "Mitteilungsvorlage",
        "Vorlage für den nichtöffentlichen Sitzungsteil",
        "Drucksachen-Nr.:\t050/19",
        "Beratungsfolge",
        "Ausschuss für Soziales, Gleichstellung und Integration",
        "03.06.2019",
        "Tagesordnungs-Punkt",
        "Sozialplanung im Kreis Musterland",
        "hier: Informationen zum Sachstand",
        "Vorbemerkungen:",
        "Der Kreistag hat die Verwaltung beauftragt.",
        "Erläuterungen:",
        "Landesförderung",
        "Baustein 1: Aktive Nachbarschaft",
        "Um Kenntnisnahme wird gebeten.",
        "Zur Sitzung: Ausschuss für Soziales, Gleichstellung und Integration am 03.06.2019.",
        "Im Auftrag",
        "Ulrike Cramer",
    ]);

    let projekt = Rendered::open(&project, "2019-060", "Projektauftrag_");
    projekt.has_in_order(&[
        "Projektauftrag",
        "Projektname: Kommunale Sozialarbeit nachhaltig verankern!",
        "Zielsetzung des Projektes",
        "Die Kommunale Sozialarbeit soll gesichert sein.",
        "Vorschlag zur Vorgehensweise / Aufgabenstellung",
        "Es soll ein Rahmenkonzept erstellt werden.",
        "Mindestaufgaben",
        "Ergebnis:\tRahmenkonzept mit dauerhafter Finanzierung",
        "Starttermin:\tNovember 2018",
        "Ende:\tJuni 2019",
        "Projektgruppe",
        "Kreis: O. Stäwe, U. Cramer",
        "Datum / Unterschrift Schlusszeichnung",
        "",
        "Petra Landwehr:",
        "",
        "Mitgezeichnet: Fatma Şahin (Fachbereich Soziales) am 06.05.2019",
    ]);
    // A form has no rows for co-signers, and none for a co-signature not given.
    projekt.lacks("Klaus Groß");
    projekt.lacks("Dana Weiß");
    projekt.lacks("Rolle");

    let kosten = Rendered::open(&project, "2019-070", "Beschlussvorlage_");
    kosten.has_in_order(&[
        "Sachverhalt:",
        "Beteiligt sind Vertreter*innen der Kommunen, Bürger*innen und Kolleg*innen (*) der Verwaltung.",
        "Die Stelle ist befristet.",
        "Finanzierung:",
        "Kosten: 33.000\u{a0}€/Jahr",
    ]);

    let antrag = Rendered::open(&project, "2019-042-1", "Ergaenzungsantrag_");
    assert_eq!(
        antrag.header[..2],
        ["Fraktion GRÜNE im Kreistag", "Kreis Musterland"]
    );
    antrag.has_in_order(&[
        "Ergänzungsantrag zur DS 042/19 vom 10.05.2019",
        "Stärkere Einbindung der freien Wohlfahrtsverbände",
        "Die Fraktion GRÜNE im Kreistag bittet um Beratung und Abstimmung dieses \
         Ergänzungsantrages zur Drucksache 042/19 in der Sitzung:",
        "Kreistag am 27.06.2019",
        "Kommunales Integrationsmanagement; Rahmenkonzept",
        // The motion's own Ziffern with what each does, not the base proposal renumbered.
        "Die Fraktion GRÜNE im Kreistag beantragt:",
        "1.\tDer Landrat wird beauftragt, das Rahmenkonzept mit den Wohlfahrtsverbänden auszugestalten.",
        "(ersetzt Punkt 3 des Beschlussvorschlags)",
        "2.\tZwei der acht Stellen gehen an die freien Wohlfahrtsverbände.",
        "(ergänzt den Beschlussvorschlag um einen neuen Punkt)",
        "Begründung",
        "Die Wohlfahrtsverbände haben den schnellsten Zugang zu den Menschen.",
        "Herbert Goldmann",
        "für die Fraktion GRÜNE im Kreistag",
    ]);
    antrag.lacks("Neuer Punkt 4");
    let aenderung = Rendered::open(&project, "2019-042-2", "Aenderungsantrag_");
    aenderung.has_in_order(&["Änderungsantrag zur DS 042/19 vom 12.05.2019", "Klarer."]);
    assert!(
        aenderung
            .body
            .iter()
            .any(|p| p.contains("dieses Änderungsantrages zur Drucksache 042/19"))
    );

    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    let first = "Ergänzungsantrag 042/19-1 der Fraktion GRÜNE im Kreistag";
    let second = "Änderungsantrag 042/19-2 der Fraktion GRÜNE im Kreistag";
    // Decided: title and status follow the result, with the meeting, not the day of rendering.
    entwurf.has_in_order(&[
        "Beschluss (beschlossen)",
        "Drucksache 042/19: Kommunales Integrationsmanagement; Rahmenkonzept",
        "Stand:\tbeschlossen (Kreistag, Sitzung am 27.06.2019)",
        "Kreistag", "27.06.2019", "Entscheidung", "beschlossen",
        "Achtung: Beschlossene Anträge widersprechen sich. Dieser Entwurf gilt erst, wenn das geklärt ist:",
        "Beschlussvorschlag in der beschlossenen Fassung:",
        "1.\tDie Verwaltung wird beauftragt, Fördermittel zu beantragen.",
        "2.\tDer Landrat wird beauftragt, das Rahmenkonzept mit den Wohlfahrtsverbänden auszugestalten.",
        &format!("(geändert durch {first})"),
        "3.\tZwei der acht Stellen gehen an die freien Wohlfahrtsverbände.",
        &format!("(neu durch {first})"),
        "Gestrichen:",
        &format!("Punkt 1 gestrichen durch {second}"),
        &format!("Grundlage: Beschlussvorschlag der Drucksache 042/19, geändert durch {first}; {second}"),
    ]);
    // The conflict itself is worded by the engine; the template lists it in the warning.
    let conflict = entwurf
        .body
        .iter()
        .position(|p| p.starts_with("– die beschlossenen Anträge") && p.contains("Punkt 3"));
    let warning = entwurf.body.iter().position(|p| p.starts_with("Achtung:"));
    assert_eq!(conflict, warning.map(|w| w + 1), "{:#?}", entwurf.body);
}

#[test]
fn proposals_print_their_intro_numbering_and_sub_points_with_word_numbering() {
    let project = rendered_fixture();
    let gegliedert = Rendered::open(&project, "2019-080", "Beschlussvorlage_");
    gegliedert.has_in_order(&[
        "Beschlussvorschlag:",
        "Der Kreistag beschließt nach Vorberatung im Ausschuss:",
        "a)\tDas Konzept wird beschlossen.",
        "b)\tDie Verwaltung wird beauftragt,",
        "aa)\tMittel zu beantragen,",
        "bb)\tStellen auszuschreiben, und zwar",
        "i.\teine Vollzeitstelle",
        "ii.\teine Teilzeitstelle",
        "c)\tDer Kreistag wird jährlich unterrichtet.",
    ]);
    // Numbers come from Word numbering, never typed into the text.
    let xml = rendered_part(
        &project,
        "2019-080",
        "Beschlussvorlage_",
        "word/document.xml",
    );
    assert!(!xml.contains(">a)<") && xml.contains("<w:numPr>"), "{xml}");
    let einzeln = Rendered::open(&project, "2019-090", "Beschlussvorlage_");
    einzeln.has_in_order(&[
        "Beschlussvorschlag:",
        "Der Kreistag nimmt den Bericht zur Kenntnis.",
    ]);
}

#[test]
fn the_vorlage_prints_kurzfassung_dezernat_the_finanzen_box_and_numbered_anlagen() {
    let project = rendered_fixture();
    let vorlage = Rendered::open(&project, "2019-100", "Beschlussvorlage_");
    vorlage.has_in_order(&[
        "Dezernat:\tDezernat II – Soziales und Jugend",
        "Federführung:\tFachbereich Soziales",
        "Dienststelle:\tAmt 50 – Soziale Dienste",
        "Gegenstand der Vorlage",
        "Kurzfassung:",
        "Der Kreis finanziert zwei zusätzliche Stellen.",
        "Beschlussvorschlag:",
        "Der Kreistag stimmt zu.",
        "Finanzielle Auswirkungen:",
        "ja",
        "Art:",
        "jährlich",
        "Aufwand:",
        "120.000\u{a0}€",
        "Ertrag:",
        "40.000,50\u{a0}€",
        "Haushaltsstelle/Produkt:",
        "Produkt 05.01.02",
        "Erläuterung:",
        "Landesförderung ab 2020.",
        "Anlagen:",
        "Anlage 1: Konzept Schulsozialarbeit",
        "Anlage 2: Stellenplan.pdf",
    ]);
    // The box's first row is its heading: no second „Finanzielle Auswirkungen:“ above it.
    assert_eq!(
        vorlage
            .body
            .iter()
            .filter(|p| *p == "Finanzielle Auswirkungen:")
            .count(),
        1
    );
    // The Finanzen box is a bordered table.
    let xml = rendered_part(
        &project,
        "2019-100",
        "Beschlussvorlage_",
        "word/document.xml",
    );
    let at = xml.find("Aufwand:").unwrap();
    let table = xml[..at].rfind("<w:tbl>").unwrap();
    assert!(
        xml[table..at].contains("<w:tblStyle w:val=\"TableGrid\" />"),
        "{}",
        &xml[table..at]
    );
}

#[test]
fn the_stellungnahme_recommends_per_ziffer_with_reasons() {
    let project = rendered_fixture();
    let stellungnahme = Rendered::open(&project, "2019-042-1-s", "Stellungnahme");
    stellungnahme.has_in_order(&[
        "Empfehlung der Verwaltung zu den Ziffern des Antrags:",
        "Ziffer 1: Änderung des Beschlussvorschlages in Punkt 3",
        "Empfehlung: Zustimmung",
        "Die Verbände sind ohnehin beteiligt.",
        "Ziffer 2: Neuer Punkt 4 zum Beschlussvorschlag",
        "Empfehlung: Verweisung an: Ausschuss für Soziales, Gleichstellung und Integration",
    ]);
}

/// The XML of one part of a rendered document.
fn rendered_part(project: &Project, paper: &str, prefix: &str, part_name: &str) -> String {
    let rendered = Rendered::open(project, paper, prefix);
    let bytes = std::fs::read(&rendered.path).unwrap();
    String::from_utf8(part(&entries(&bytes), part_name)).unwrap()
}

/// The properties (`w:trPr` or `w:pPr`) of the row or paragraph holding `text` as a whole run.
fn properties_of<'a>(xml: &'a str, element: &str, text: &str) -> &'a str {
    let open = format!("<{element}>");
    let props = if element == "w:tr" { "w:trPr" } else { "w:pPr" };
    let piece = xml
        .split(&open)
        .find(|piece| {
            let own = piece.split(&format!("</{element}>")).next().unwrap_or("");
            own.contains(&format!(">{text}<"))
        })
        .unwrap_or_else(|| panic!("no {element} with „{text}“"));
    let start = format!("<{props}>");
    if !piece.starts_with(&start) {
        return "";
    }
    let end = format!("</{props}>");
    &piece[..piece.find(&end).map_or(0, |at| at + end.len())]
}

#[test]
fn documents_hold_together_across_pages_and_carry_their_properties() {
    let project = rendered_fixture();

    // The full letterhead on page 1 only; later pages a short header.
    let document = rendered_part(
        &project,
        "2019-042",
        "Beschlussvorlage_",
        "word/document.xml",
    );
    assert!(document.contains("<w:titlePg"), "no first-page header");
    assert!(document.contains(r#"<w:headerReference w:type="first" r:id="rIdHeader1" />"#));
    let short = rendered_part(
        &project,
        "2019-042",
        "Beschlussvorlage_",
        "word/header2.xml",
    );
    assert_eq!(
        paragraphs(short.as_bytes()),
        ["Kreis Musterland · Beschlussvorlage 042/19"]
    );

    // The Beratungsfolge repeats its head row on every page; its rows do not split.
    let head = properties_of(&document, "w:tr", "Gremium");
    assert!(
        head.contains("<w:tblHeader") && head.contains("<w:cantSplit"),
        "{head}"
    );
    let row = properties_of(&document, "w:tr", "Kreistag");
    assert!(
        !row.contains("<w:tblHeader") && row.contains("<w:cantSplit"),
        "{row}"
    );

    // The signature block stays together and with its head.
    let form = rendered_part(&project, "2019-060", "Projektauftrag_", "word/document.xml");
    let head = properties_of(&form, "w:tr", "Datum / Unterschrift Schlusszeichnung");
    assert!(head.contains("<w:tblHeader"), "{head}");
    assert!(properties_of(&form, "w:tr", "Petra Landwehr:").contains("<w:cantSplit"));
    let label = properties_of(&form, "w:p", "Petra Landwehr:");
    assert!(
        label.contains("<w:keepNext") && label.contains("<w:keepLines"),
        "{label}"
    );

    // „Im Auftrag“ stays with the text above and the name below.
    let mitteilung = rendered_part(
        &project,
        "2019-050",
        "Mitteilungsvorlage_",
        "word/document.xml",
    );
    for text in ["Um Kenntnisnahme wird gebeten.", "Im Auftrag"] {
        let props = properties_of(&mitteilung, "w:p", text);
        assert!(props.contains("<w:keepNext"), "{text}: {props}");
    }

    // Document properties: Betreff, issuing office, the paper's date, German.
    let core = rendered_part(
        &project,
        "2019-042",
        "Beschlussvorlage_",
        "docProps/core.xml",
    );
    for want in [
        ">Kommunales Integrationsmanagement; Rahmenkonzept</dc:title>",
        ">Fachbereich Soziales</dc:creator>",
        ">Fachbereich Soziales</cp:lastModifiedBy>",
        ">2019-04-29T00:00:00Z</dcterms:created>",
        ">2019-04-29T00:00:00Z</dcterms:modified>",
        ">de-DE</dc:language>",
    ] {
        assert!(core.contains(want), "{want} not in {core}");
    }
    assert!(
        !core.contains("unknown") && !core.contains("1970"),
        "{core}"
    );
    let motion = rendered_part(
        &project,
        "2019-042-1",
        "Ergaenzungsantrag_",
        "docProps/core.xml",
    );
    assert!(
        motion.contains(">Fraktion GRÜNE im Kreistag</dc:creator>"),
        "{motion}"
    );
}

/// The base proposal with sub-points under point 2, for the motion with sub-points below.
const GEGLIEDERTE_VORLAGE: &str = r#"kind: Beschlussvorlage
workflow: kreistag
reference: "042/19"
title: Kommunales Integrationsmanagement; Rahmenkonzept
date: 2019-04-29
author: sachbearbeitung
meetings:
  ausschuss: 2019-06-03
  kreistag: 2019-06-27
proposal:
  - Der Kreistag nimmt das Rahmenkonzept zur Kenntnis.
  - text: "Die Verwaltung wird beauftragt,"
    points:
      - Fördermittel zu beantragen,
      - Stellen auszuschreiben.
  - Der Landrat wird beauftragt, das Rahmenkonzept umzusetzen.
"#;

/// A motion whose Ziffern delete point 1, insert a point with sub-points before point 3 and
/// replace point 3 by a point with sub-points.
const GEGLIEDERTER_ANTRAG: &str = r#"kind: Ergänzungsantrag
workflow: antrag
reference: "042/19-1"
title: Beirat und schrittweise Umsetzung
date: 2019-05-10
amends: 2019-042
by: gruene
body: kreistag
changes:
  - delete: 1
  - insert: 3
    text: "Es wird ein Beirat gebildet, bestehend aus"
    points:
      - Vertreterinnen und Vertretern der Verbände,
      - Vertreterinnen und Vertretern der Verwaltung.
  - replace: 3
    text: "Der Landrat wird beauftragt, das Rahmenkonzept umzusetzen, und zwar"
    points:
      - zunächst im Norden des Kreises,
      - danach im Süden.
"#;

#[test]
fn sub_points_and_the_beschlussentwurf_use_word_numbering_continued_after_changes() {
    let project = Project::fixture("kreis");
    project.write("papers/2019-042.yaml", GEGLIEDERTE_VORLAGE);
    project.write("papers/2019-042-1.yaml", GEGLIEDERTER_ANTRAG);
    default_templates::write_all(&project.file("templates")).unwrap();
    let steps: &[&[&str]] = &[
        &[
            "--now",
            "2019-05-06",
            "sign",
            "042/19",
            "--as",
            "fb-soziales",
        ],
        &["--now", "2019-05-07", "sign", "042/19", "--as", "kaemmerei"],
        &["--now", "2019-05-08", "sign", "042/19", "--as", "landrat"],
        &[
            "--now",
            "2019-05-10",
            "sign",
            "042/19-1",
            "--as",
            "vorsitz-gruene",
        ],
        &[
            "--now",
            "2019-06-03T18:00:00+02:00",
            "decide",
            "042/19",
            "--body",
            "ausschuss",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
        ],
        &[
            "--now",
            "2019-06-27T18:00:00+02:00",
            "decide",
            "042/19",
            "--body",
            "kreistag",
            "--as",
            "sitzungsdienst",
            "--result",
            "beschlossen",
            "--amendment",
            "042/19-1",
            "--adopted",
        ],
        &["--now", "2019-06-28", "render"],
    ];
    for args in steps {
        let out = project.run(args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    let vorlage = Rendered::open(&project, "2019-042", "Beschlussvorlage_");
    vorlage.has_in_order(&[
        "Beschlussvorschlag:",
        "1.\tDer Kreistag nimmt das Rahmenkonzept zur Kenntnis.",
        "2.\tDie Verwaltung wird beauftragt,",
        "a)\tFördermittel zu beantragen,",
        "b)\tStellen auszuschreiben.",
        "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
    ]);
    let antrag = Rendered::open(&project, "2019-042-1", "Ergaenzungsantrag_");
    antrag.has_in_order(&[
        "Die Fraktion GRÜNE im Kreistag beantragt:",
        "1.\tPunkt 1 des Beschlussvorschlags wird gestrichen.",
        "(streicht Punkt 1 des Beschlussvorschlags)",
        "2.\tEs wird ein Beirat gebildet, bestehend aus",
        "a)\tVertreterinnen und Vertretern der Verbände,",
        "b)\tVertreterinnen und Vertretern der Verwaltung.",
        "(neuer Punkt 3 des Beschlussvorschlags, die folgenden rücken nach)",
        "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen, und zwar",
        "a)\tzunächst im Norden des Kreises,",
        "b)\tdanach im Süden.",
        "(ersetzt Punkt 3 des Beschlussvorschlags)",
    ]);
    let by = "Ergänzungsantrag 042/19-1 der Fraktion GRÜNE im Kreistag";
    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    // Point 1 deleted, a point inserted: Word numbers 1., 2., 3. again, sub-points restart.
    entwurf.has_in_order(&[
        "Beschlussvorschlag in der beschlossenen Fassung:",
        "1.\tDie Verwaltung wird beauftragt,",
        "a)\tFördermittel zu beantragen,",
        "b)\tStellen auszuschreiben.",
        "2.\tEs wird ein Beirat gebildet, bestehend aus",
        "a)\tVertreterinnen und Vertretern der Verbände,",
        "b)\tVertreterinnen und Vertretern der Verwaltung.",
        &format!("(neu durch {by})"),
        "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen, und zwar",
        "a)\tzunächst im Norden des Kreises,",
        "b)\tdanach im Süden.",
        &format!("(geändert durch {by})"),
        "Gestrichen:",
        &format!("Punkt 1 gestrichen durch {by}"),
    ]);
    // The numbers are Word's: none is typed into the text.
    let xml = rendered_part(
        &project,
        "2019-042",
        "Beschlussentwurf_",
        "word/document.xml",
    );
    assert!(
        !xml.contains(">1.<") && !xml.contains(">a)<") && xml.contains("<w:numPr>"),
        "{xml}"
    );
}

/// A motion whose Ziffern address sub-points of point 2 of [`GEGLIEDERTE_VORLAGE`]: replace
/// b), delete a), add a new last sub-point c).
const UNTERPUNKT_ANTRAG: &str = r#"kind: Änderungsantrag
workflow: antrag
reference: "042/19-1"
title: Stellen zügig ausschreiben
date: 2019-05-10
amends: 2019-042
by: gruene
body: kreistag
changes:
  - replace: 2.b
    text: Stellen bis zum 30.09.2019 auszuschreiben,
  - delete: 2.a
  - insert: 2.c
    text: einen Beirat zu bilden.
"#;

/// Ziffer 2 of [`UNTERPUNKT_ANTRAG`] rejected, the others adopted.
const UNTERPUNKT_BESCHLUSS: &str = r#"motions:
  "042/19-1":
    1: { result: beschlossen, votes: "30:20:1" }
    2: { result: abgelehnt, votes: "10:40:1" }
    3: beschlossen
"#;

/// Signs 042/19 (`vorlage`) and its motions, has the Ausschuss recommend it, and renders before the
/// Kreistag's meeting.
fn signed_with_motion(vorlage: &str, motions: &[(&str, &str)]) -> Project {
    let project = Project::fixture("kreis");
    project.write("papers/2019-042.yaml", vorlage);
    for (file, text) in motions {
        project.write(file, text);
    }
    default_templates::write_all(&project.file("templates")).unwrap();
    let mut steps: Vec<Vec<&str>> = vec![
        vec![
            "--now",
            "2019-05-06",
            "sign",
            "042/19",
            "--as",
            "fb-soziales",
        ],
        vec!["--now", "2019-05-07", "sign", "042/19", "--as", "kaemmerei"],
        vec!["--now", "2019-05-08", "sign", "042/19", "--as", "landrat"],
    ];
    for (file, _) in motions {
        let id = file.trim_start_matches("papers/").trim_end_matches(".yaml");
        steps.push(vec![
            "--now",
            "2019-05-10",
            "sign",
            id,
            "--as",
            "vorsitz-gruene",
        ]);
    }
    steps.push(vec![
        "--now",
        "2019-06-03T18:00:00+02:00",
        "decide",
        "042/19",
        "--body",
        "ausschuss",
        "--as",
        "sitzungsdienst",
        "--result",
        "beschlossen",
    ]);
    steps.push(vec!["--now", "2019-06-04", "render"]);
    for args in steps {
        let out = project.run(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.all());
    }
    project
}

/// The Kreistag decides 042/19 in its meeting of 27.06.2019 (`how`: the result or a decision
/// file), then the documents are rendered; returns what `decide` printed.
fn decided_at_the_kreistag(project: &Project, how: &[&str]) -> support::Output {
    let mut args = vec![
        "--now",
        "2019-06-27T18:00:00+02:00",
        "decide",
        "042/19",
        "--body",
        "kreistag",
        "--as",
        "sitzungsdienst",
    ];
    args.extend_from_slice(how);
    let decided = project.run(&args);
    assert_eq!(decided.code, 0, "{args:?}: {}", decided.all());
    let out = project.run(&["--now", "2019-06-28", "render"]);
    assert_eq!(out.code, 0, "{}", out.all());
    decided
}

#[test]
fn a_ziffer_changes_a_sub_point_in_place_in_the_beschlussentwurf_and_the_beschlussauszug() {
    let project = signed_with_motion(
        GEGLIEDERTE_VORLAGE,
        &[("papers/2019-042-1.yaml", UNTERPUNKT_ANTRAG)],
    );
    let by = "Änderungsantrag 042/19-1 der Fraktion GRÜNE im Kreistag";
    // The motion names the sub-points with the letters the Vorlage prints.
    let antrag = Rendered::open(&project, "2019-042-1", "Aenderungsantrag_");
    antrag.has_in_order(&[
        "1.\tStellen bis zum 30.09.2019 auszuschreiben,",
        "(ersetzt Punkt 2 b) des Beschlussvorschlags)",
        "2.\tPunkt 2 a) des Beschlussvorschlags wird gestrichen.",
        "(streicht Punkt 2 a) des Beschlussvorschlags)",
        "3.\teinen Beirat zu bilden.",
        "(neuer Punkt 2 c) des Beschlussvorschlags, die folgenden rücken nach)",
    ]);
    // Before the meeting the Beschlussentwurf lists what each Ziffer does.
    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    entwurf.has_in_order(&[
        "Anträge zur Beratung:",
        &format!(
            "{by} (Ziffer 1: Änderung des Beschlussvorschlages in Punkt 2 b); \
             Ziffer 2: Streichung von Punkt 2 a) des Beschlussvorschlages; \
             Ziffer 3: Neuer Punkt 2 c) zum Beschlussvorschlag)"
        ),
    ]);

    project.write("beschluss.yaml", UNTERPUNKT_BESCHLUSS);
    let file = project.file("beschluss.yaml");
    decided_at_the_kreistag(&project, &["--file", file.to_str().unwrap()]);
    // Point 2 keeps its text and sub-point a) (the deletion was rejected); b) is replaced,
    // c) is new — each marked where it stands.
    let decided = [
        "1.\tDer Kreistag nimmt das Rahmenkonzept zur Kenntnis.",
        "2.\tDie Verwaltung wird beauftragt,",
        "a)\tFördermittel zu beantragen,",
        "b)\tStellen bis zum 30.09.2019 auszuschreiben,",
        &format!("(geändert durch {by})"),
        "c)\teinen Beirat zu bilden.",
        &format!("(neu durch {by})"),
        "3.\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
    ];
    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    entwurf.has_in_order(&decided);
    entwurf.lacks("Stellen auszuschreiben.");
    entwurf.lacks("Gestrichen:");
    let auszug = Rendered::open(&project, "2019-042", "Beschluss_Kreistag_");
    auszug.has_in_order(&[&["Beschluss:"][..], &decided[..]].concat());
    auszug.has_in_order(&[
        "Antrag 042/19-1 Ziffer 1: beschlossen (Ja 30, Nein 20, Enthaltungen 1)",
        "Antrag 042/19-1 Ziffer 2: abgelehnt (Ja 10, Nein 40, Enthaltungen 1)",
        "Antrag 042/19-1 Ziffer 3: beschlossen",
    ]);
    auszug.lacks("Stellen auszuschreiben.");

    // The motion's state follows its Ziffern.
    let out = project.run(&["--now", "2019-06-28", "status", "042/19-1"]);
    assert!(
        out.stdout
            .contains("Ergebnis des Antrags 042/19-1: teilweise angenommen, teilweise abgelehnt"),
        "{}",
        out.all()
    );
}

#[test]
fn the_beschlussauszug_numbers_with_word_numbering_in_the_papers_style() {
    // Point 2 of a proposal in the style „a)“: its sub-points are aa), bb).
    let vorlage = GEGLIEDERTE_VORLAGE.replace(
        "proposal:\n  - Der Kreistag nimmt",
        "proposal:\n  style: \"a)\"\n  points:\n  - Der Kreistag nimmt",
    );
    let project = signed_with_motion(&vorlage, &[("papers/2019-042-1.yaml", UNTERPUNKT_ANTRAG)]);
    decided_at_the_kreistag(
        &project,
        &[
            "--result",
            "beschlossen",
            "--amendment",
            "042/19-1",
            "--adopted",
        ],
    );
    let by = "Änderungsantrag 042/19-1 der Fraktion GRÜNE im Kreistag";
    let auszug = Rendered::open(&project, "2019-042", "Beschluss_Kreistag_");
    auszug.has_in_order(&[
        "Beschluss:",
        "a)\tDer Kreistag nimmt das Rahmenkonzept zur Kenntnis.",
        "b)\tDie Verwaltung wird beauftragt,",
        "aa)\tStellen bis zum 30.09.2019 auszuschreiben,",
        &format!("(geändert durch {by})"),
        "bb)\teinen Beirat zu bilden.",
        &format!("(neu durch {by})"),
        "c)\tDer Landrat wird beauftragt, das Rahmenkonzept umzusetzen.",
    ]);
    // The Beschlussentwurf names the deleted sub-point with the same letters.
    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    entwurf.has_in_order(&[
        "bb)\teinen Beirat zu bilden.",
        "Gestrichen:",
        &format!("Punkt 2 aa) gestrichen durch {by}"),
    ]);
    // The numbers are Word's, in the style's levels; none is typed into the text.
    let xml = rendered_part(
        &project,
        "2019-042",
        "Beschluss_Kreistag_",
        "word/document.xml",
    );
    assert!(
        !xml.contains(">a)<") && !xml.contains(">aa)<") && !xml.contains(">1.<"),
        "{xml}"
    );
    assert_eq!(xml.matches("<w:numPr>").count(), 5, "{xml}");
    let numbering = rendered_part(
        &project,
        "2019-042",
        "Beschluss_Kreistag_",
        "word/numbering.xml",
    );
    assert!(
        numbering.contains("w:val=\"%1)\"") && numbering.contains("w:val=\"%2%2)\""),
        "{numbering}"
    );
}

#[test]
fn motions_on_a_point_and_on_its_sub_point_conflict_and_the_first_decided_stands() {
    let ganz = r#"kind: Änderungsantrag
workflow: antrag
reference: "042/19-2"
title: Alles anders
date: 2019-05-10
amends: 2019-042
by: gruene
body: kreistag
changes:
  - replace: 2
    text: Die Verwaltung wird beauftragt, das Rahmenkonzept zu überarbeiten.
"#;
    let project = signed_with_motion(
        GEGLIEDERTE_VORLAGE,
        &[
            ("papers/2019-042-1.yaml", UNTERPUNKT_ANTRAG),
            ("papers/2019-042-2.yaml", ganz),
        ],
    );
    let out = decided_at_the_kreistag(
        &project,
        &[
            "--result",
            "beschlossen",
            "--amendment",
            "042/19-1",
            "--adopted",
            "--amendment",
            "042/19-2",
            "--adopted",
        ],
    );
    let conflict = "die beschlossenen Anträge „2019-042-1“ und „2019-042-2“ ändern beide Punkt 2; \
                    angewendet ist nur „2019-042-1“, bitte klären";
    assert!(
        out.stderr.contains(&format!("Warnung: {conflict}\n")),
        "{}",
        out.all()
    );
    let entwurf = Rendered::open(&project, "2019-042", "Beschlussentwurf_");
    entwurf.has_in_order(&[
        "Achtung: Beschlossene Anträge widersprechen sich. Dieser Entwurf gilt erst, wenn das geklärt ist:",
        &format!("– {conflict}"),
        "2.\tDie Verwaltung wird beauftragt,",
        "a)\tStellen bis zum 30.09.2019 auszuschreiben,",
    ]);
    entwurf.lacks("das Rahmenkonzept zu überarbeiten");
}
