//! The pure part of the motion form against a copy of the example project: what a Fraktion
//! drafts loads and checks clean, a save never overwrites, bad input gets German messages per
//! field, and hostile text stays data.

use std::path::Path;

use chrono::NaiveDate;

use super::form::{Action, Draft, Ziffer};
use super::save::{self, SaveError};
use super::scope::{self, Drafter};
use super::{build, preview, validate};
use crate::load::{self, Project};

#[path = "../../../tests/support/example_copy.rs"]
mod example_copy;

/// A copy of the example project (its committed inputs and journal).
pub(crate) fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    example_copy::copy_example_project(dir.path());
    dir
}

fn project(dir: &Path) -> std::sync::Arc<Project> {
    load::load_project(dir).unwrap().project.unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    "2026-12-01T08:00:00Z".parse().unwrap()
}

pub(super) fn member() -> Drafter {
    Drafter {
        person: "vorsitz-gruene-gg".into(),
        name: "N. N. (Fraktionsvorsitz GRÜNE)".into(),
        fraktion: Some("fraktion-gruene-gg".into()),
        office: false,
    }
}

fn ziffer(action: Action, point: &str, text: &str) -> Ziffer {
    Ziffer {
        action: Some(action),
        point: point.into(),
        attachment: if action == Action::Attachment {
            point.into()
        } else {
            String::new()
        },
        text: text.into(),
    }
}

fn draft() -> Draft {
    Draft {
        base: "2026-017".into(),
        kind: "Ergänzungsantrag".into(),
        fraktion: "fraktion-gruene-gg".into(),
        title: "Sozialarbeit unbefristet sichern".into(),
        addressee: "Sehr geehrte Damen und Herren,".into(),
        ziffern: vec![
            ziffer(Action::Replace, "2", "Der Kreisausschuss schließt die Vereinbarung bis zum 30.06.2027 ab."),
            ziffer(Action::Reword, "3", "Die Asylpauschale wird vollständig in die Finanzierung einbezogen."),
            ziffer(Action::InsertAfter, "1", "Die Stellen werden unbefristet ausgeschrieben."),
            ziffer(Action::Delete, "1", ""),
            ziffer(Action::Append, "", "Der Kreis berichtet jährlich.\nkind: Beschlussvorlage"),
            ziffer(Action::Attachment, "1", "Die Mindestbesetzung steigt auf 1,5 Stellen."),
            ziffer(Action::Request, "", "Die Verwaltung legt einen Bericht über Wartezeiten vor.\n- delete: 1"),
        ],
        reasons: "Befristete Stellen finden kaum Bewerberinnen.\n\nDie Mindestbesetzung liegt unter dem Bedarf.".into(),
        signers: vec!["vorsitz-gruene-gg".into()],
    }
}

#[test]
fn a_drafted_motion_loads_and_checks_clean() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "017/26", now()).unwrap();
    let saved = save::save(&project, &member(), base, &draft(), today()).unwrap();
    assert_eq!(saved.id, "2026-a001");
    assert_eq!(saved.reference, "A 001/26");
    assert_eq!(saved.file, "papers/2026-a001.yaml");

    let loaded = load::load_project(dir.path()).unwrap();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let project = loaded.project.unwrap();
    let paper = &project.papers["2026-a001"];
    assert_eq!(paper.kind.name, "Ergänzungsantrag");
    assert_eq!(paper.workflow, "fraktionsantrag");
    assert_eq!(paper.amends.as_deref(), Some("2026-017"));
    assert_eq!(paper.by.as_deref(), Some("fraktion-gruene-gg"));
    assert_eq!(paper.body.as_deref(), Some("kreistag-gg"));
    assert_eq!(paper.signers, ["vorsitz-gruene-gg"]);
    let ops: Vec<String> = paper
        .changes
        .iter()
        .map(|c| format!("{:?}", c.op))
        .collect();
    assert_eq!(
        ops,
        [
            "Replace(2)",
            "Replace(3)",
            "Insert(2)",
            "Delete(1)",
            "Append",
            "Attachment(1)",
            "Request"
        ]
    );
    assert_eq!(
        paper.reasons.as_deref(),
        Some(
            "Befristete Stellen finden kaum Bewerberinnen.\n\nDie Mindestbesetzung liegt unter dem Bedarf."
        )
    );
    assert_eq!(
        paper.changes[4].text.as_deref(),
        Some("Der Kreis berichtet jährlich.\nkind: Beschlussvorlage")
    );
    assert_eq!(
        paper.changes[6].text.as_deref(),
        Some("Die Verwaltung legt einen Bericht über Wartezeiten vor.\n- delete: 1")
    );
    // The file is readable: reasons as a literal block, not an escaped string.
    let text = std::fs::read_to_string(dir.path().join("papers/2026-a001.yaml")).unwrap();
    assert!(text.contains("reasons: |-\n  Befristete Stellen"), "{text}");
}

#[test]
fn a_second_save_never_overwrites() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now()).unwrap();
    // Someone (`ratsflow new`, another browser) took A 001/26 after the project was loaded.
    let taken = dir.path().join("papers/2026-a001.yaml");
    std::fs::write(&taken, "# von Hand\n").unwrap();
    let first = save::save(&project, &member(), base, &draft(), today()).unwrap();
    assert_eq!(first.reference, "A 002/26");
    // A second save from the same (stale) project gets the next number as well.
    let second = save::save(&project, &member(), base, &draft(), today()).unwrap();
    assert_eq!(second.reference, "A 003/26");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "# von Hand\n");
    let first_text = std::fs::read_to_string(dir.path().join("papers/2026-a002.yaml")).unwrap();
    assert!(
        first_text.contains("reference: \"A 002/26\""),
        "{first_text}"
    );

    // Even when the number is forced onto a taken file, nothing is overwritten.
    let kind = project.settings.kinds.get("Ergänzungsantrag").unwrap();
    let numbered = build::numbered(kind, today(), 2);
    let checked = save::prepare(&project, &member(), base, &draft(), today(), Some(2));
    let emitted = checked.emitted.unwrap();
    let path = dir.path().join(format!("papers/{}.yaml", numbered.id));
    let err = crate::atomic::create_new(&path, emitted.text.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first_text);
}

fn messages(problems: &[validate::Problem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| (p.field.clone().unwrap_or_default(), p.message.clone()))
        .collect()
}

#[test]
fn invalid_input_gets_german_messages_per_field() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now()).unwrap();
    let bad = Draft {
        base: "2026-017".into(),
        kind: "Beschlussvorlage".into(),
        fraktion: "fraktion-gruene-unna".into(),
        title: String::new(),
        addressee: String::new(),
        ziffern: vec![
            Ziffer::default(),
            ziffer(Action::Replace, "", "x"),
            ziffer(Action::Delete, "7", "warum"),
            ziffer(Action::InsertAfter, "", ""),
            ziffer(
                Action::Reword,
                "1",
                "Der Kreistag stimmt dem Rahmenkonzept Kommunale Sozialarbeit (Anlage) zu.",
            ),
            ziffer(Action::Replace, "1", "y"),
            ziffer(Action::Attachment, "2", "z"),
        ],
        reasons: String::new(),
        signers: vec!["goldmann".into()],
    };
    let Err(SaveError::Invalid(problems)) = save::save(&project, &member(), base, &bad, today())
    else {
        panic!("saved an invalid draft");
    };
    let expected: Vec<(&str, &str)> = vec![
        (
            "art",
            "Bitte wählen Sie, ob Sie einen Änderungs- oder einen Ergänzungsantrag stellen.",
        ),
        (
            "fraktion",
            "Bitte wählen Sie die Fraktion, die den Antrag stellt.",
        ),
        ("titel", "Bitte geben Sie den Titel des Antrags an."),
        ("ziffer-1-art", "Bitte wählen Sie, was Ziffer 1 bewirkt."),
        (
            "ziffer-2-punkt",
            "Bitte wählen Sie den Punkt des Beschlussvorschlags, den Ziffer 2 ersetzt.",
        ),
        (
            "ziffer-3-punkt",
            "Die Vorlage 017/26 hat keinen Punkt 7; ihr Beschlussvorschlag hat die Punkte 1 bis 3.",
        ),
        (
            "ziffer-3-text",
            "Ziffer 3 streicht einen Punkt und hat keinen eigenen Wortlaut; bitte leeren Sie das Textfeld oder wählen Sie eine andere Art.",
        ),
        (
            "ziffer-4-punkt",
            "Bitte wählen Sie, nach welchem Punkt Ziffer 4 den neuen Punkt einfügt.",
        ),
        (
            "ziffer-4-text",
            "Bitte geben Sie den Wortlaut von Ziffer 4 ein.",
        ),
        (
            "ziffer-5-text",
            "Ziffer 5 lässt den Wortlaut von Punkt 1 unverändert; bitte ändern Sie den Text.",
        ),
        (
            "ziffer-6-punkt",
            "Punkt 1 wird schon in Ziffer 5 geändert oder gestrichen; fassen Sie beides in einer Ziffer zusammen.",
        ),
        (
            "ziffer-7-anlage",
            "Bitte wählen Sie die Anlage, die Ziffer 7 ändert.",
        ),
        ("begruendung", "Bitte begründen Sie den Antrag."),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    assert_eq!(messages(&problems), expected);
    assert!(
        !dir.path().join("papers/2026-a001.yaml").exists(),
        "nothing is written"
    );

    // A signer from another Fraktion, once the rest is right.
    let mut wrong_signer = draft();
    wrong_signer.signers = vec!["goldmann".into()];
    let checked = save::prepare(&project, &member(), base, &wrong_signer, today(), None);
    assert_eq!(
        messages(&checked.problems),
        [(
            "unterzeichner".to_string(),
            "„Herbert Goldmann“ gehört nicht zur Fraktion BÜNDNIS 90/DIE GRÜNEN im Kreistag Groß-Gerau und kann den Antrag nicht unterzeichnen.".to_string()
        )]
    );
}

#[test]
fn problems_check_finds_in_the_file_are_shown_beside_their_field() {
    let dir = example();
    let mut project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now())
        .unwrap()
        .clone();
    // The project knows a paper with the number the draft would get (a stale count).
    let mut other = project.papers["2026-017-1"].clone();
    other.id = "2026-a005".into();
    other.reference = Some("A 001/26".into());
    std::sync::Arc::make_mut(&mut project)
        .papers
        .insert(other.id.clone(), other);
    let checked = save::prepare(&project, &member(), &base, &draft(), today(), Some(1));
    let problems = messages(&checked.problems);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "");
    assert_eq!(
        problems[0].1,
        "Die Drucksachen-Nummer „A 001/26“ hat schon „2026-a005“ (jede Drucksache braucht eine eigene Nummer; ratsflow new vergibt die nächste freie) – papers/2026-a001.yaml, Zeile 4, Spalte 12."
    );
}

#[test]
fn hostile_text_stays_data_through_save_and_load() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now()).unwrap();
    let hostile = "<script>alert('x')</script>\nkey: value\n- item\n# comment\n{{ paper.title }} \"quoted\" \\n &a *b !!binary |\n---\n...";
    let mut posted = vec![
        ("zu", "2026-017".to_string()),
        ("art", "Ergänzungsantrag".to_string()),
        ("fraktion", "fraktion-gruene-gg".to_string()),
        (
            "titel",
            "<script>x</script>\r\nreasons: gekapert\u{7}\u{1b}[2J".to_string(),
        ),
        ("anrede", "Sehr geehrte: Damen # und Herren,".to_string()),
        ("ziffer-1-art", "ersetzen".to_string()),
        ("ziffer-1-punkt", "2".to_string()),
        ("ziffer-1-text", format!("{hostile}\u{0}\u{2028}Ende")),
        ("ziffer-2-art", "antrag".to_string()),
        (
            "ziffer-2-text",
            "  \"\nchanges: []\n  - delete: 1".to_string(),
        ),
        (
            "begruendung",
            format!("  Einzug\r\n{hostile}\u{85}\u{feff}"),
        ),
    ];
    posted.push(("unterzeichner", "vorsitz-gruene-gg\nby: x".to_string()));
    let pairs: Vec<(String, String)> = posted
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut draft = super::form::parse(&pairs).draft;
    // The line break in a signer id is no way into the file either: it is just an unknown id.
    let checked = save::prepare(&project, &member(), base, &draft, today(), None);
    assert_eq!(
        messages(&checked.problems)[0].0,
        "unterzeichner",
        "{:?}",
        checked.problems
    );
    draft.signers.clear();
    let saved = save::save(&project, &member(), base, &draft, today()).unwrap();

    let loaded = load::load_project(dir.path()).unwrap();
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let paper = &loaded.project.unwrap().papers[&saved.id];
    assert_eq!(paper.title, "<script>x</script> reasons: gekapert[2J");
    assert_eq!(
        paper.addressee.as_deref(),
        Some("Sehr geehrte: Damen # und Herren,")
    );
    assert_eq!(paper.changes.len(), 2);
    assert_eq!(
        paper.changes[0].text.as_deref(),
        Some(format!("{hostile}\nEnde").as_str())
    );
    assert_eq!(
        paper.changes[1].text.as_deref(),
        Some("\"\nchanges: []\n  - delete: 1")
    );
    assert_eq!(
        paper.reasons.as_deref(),
        Some(format!("Einzug\n{hostile}").as_str())
    );
    assert!(paper.signers.is_empty());
}

#[test]
fn the_preview_is_the_document_a_run_would_render() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now()).unwrap();
    let checked = save::prepare(&project, &member(), base, &draft(), today(), None);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let paper = checked.paper.unwrap();
    let preview = preview::render(&project, &paper, today()).unwrap();
    assert!(preview.docx.starts_with(b"PK"));
    assert_eq!(
        preview.file_name,
        "Ergaenzungsantrag_A_001-26_Vorschau.docx"
    );
    let text = preview.paragraphs.join("\n");
    for expected in [
        "Sozialarbeit unbefristet sichern",
        "Der Kreisausschuss schließt die Vereinbarung bis zum 30.06.2027 ab.",
        "Die Verwaltung legt einen Bericht über Wartezeiten vor.",
        "Befristete Stellen finden kaum Bewerberinnen.",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    assert!(
        !dir.path().join("papers/2026-a001.yaml").exists(),
        "a preview writes nothing"
    );
}

#[test]
fn another_fraktions_draft_is_neither_seen_nor_amended() {
    let dir = example();
    let project = project(dir.path());
    let other = Drafter {
        person: "goldmann".into(),
        name: "Herbert Goldmann".into(),
        fraktion: Some("fraktion-gruene-unna".into()),
        office: false,
    };
    let draft_paper = &project.papers["2026-017-1"];
    assert!(!scope::may_see(&project, &other, draft_paper, now()));
    assert!(scope::may_see(&project, &member(), draft_paper, now()));
    assert_eq!(
        scope::find_base(&project, &other, "A 017/26-1", now()).unwrap_err(),
        "Die Drucksache „A 017/26-1“ gibt es nicht."
    );
    assert_eq!(
        scope::find_base(&project, &member(), "A 017/26-1", now()).unwrap_err(),
        "„A 017/26-1“ ist selbst ein Antrag oder eine Stellungnahme; ein Änderungs- oder Ergänzungsantrag bezieht sich auf eine Vorlage."
    );
    // A member drafts only for their own Fraktion; the office for those of the body.
    let base = &project.papers["2026-017"];
    let ids = |d: &Drafter| -> Vec<String> {
        scope::fraktionen(&project, d, base)
            .iter()
            .map(|b| b.id.clone())
            .collect()
    };
    assert_eq!(ids(&other), ["fraktion-gruene-unna"]);
    let office = Drafter {
        person: "kreistagsbuero".into(),
        name: "Kreistagsbüro".into(),
        fraktion: None,
        office: true,
    };
    assert_eq!(ids(&office), ["fraktion-gruene-gg"]);
}

/// Point 3 of 017/26 has the sub-points a) to c).
fn sub_point_draft(ziffern: Vec<Ziffer>) -> Draft {
    Draft { ziffern, ..draft() }
}

#[test]
fn a_drafted_sub_point_change_loads_as_a_change_of_that_sub_point() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "017/26", now()).unwrap();
    let draft = sub_point_draft(vec![
        ziffer(
            Action::Replace,
            "3.2",
            "die Verwendung und die Höhe der Asylpauschale,",
        ),
        ziffer(Action::Delete, "3.1", ""),
        ziffer(
            Action::InsertAfter,
            "3.3",
            "die Wartezeiten der Ratsuchenden.",
        ),
        ziffer(
            Action::Replace,
            "2",
            "Der Kreisausschuss schließt die Vereinbarung ab.",
        ),
    ]);
    let saved = save::save(&project, &member(), base, &draft, today()).unwrap();
    let text = std::fs::read_to_string(dir.path().join(&saved.file)).unwrap();
    for expected in [
        "  - replace: \"3.2\"\n    text: \"die Verwendung und die Höhe der Asylpauschale,\"\n",
        "  - delete: \"3.1\"\n",
        "  - insert: \"3.4\"\n",
        "  - replace: 2\n",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }

    let loaded = load::load_project(dir.path()).unwrap();
    let problems: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    let project = loaded.project.unwrap();
    let paper = &project.papers[&saved.id];
    let changes: Vec<String> = paper
        .changes
        .iter()
        .map(|c| format!("{:?} {:?}", c.op, c.sub))
        .collect();
    assert_eq!(
        changes,
        [
            "Replace(3) Some(2)",
            "Delete(3) Some(1)",
            "Insert(3) Some(4)",
            "Replace(2) None"
        ]
    );
    assert_eq!(
        paper.changes[0].text.as_deref(),
        Some("die Verwendung und die Höhe der Asylpauschale,")
    );
}

#[test]
fn sub_points_that_do_not_exist_or_are_changed_twice_get_german_messages() {
    let dir = example();
    let project = project(dir.path());
    let base = scope::find_base(&project, &member(), "2026-017", now()).unwrap();
    let missing_and_twice = sub_point_draft(vec![
        ziffer(Action::Replace, "3.5", "x"),
        ziffer(Action::Delete, "2.1", ""),
        ziffer(Action::Replace, "3", "y"),
        ziffer(Action::Replace, "3.2", "z"),
        ziffer(Action::InsertAfter, "0.1", "w"),
        ziffer(Action::Replace, "3.b", "v"),
    ]);
    let checked = save::prepare(&project, &member(), base, &missing_and_twice, today(), None);
    let expected = [
        (
            "ziffer-1-punkt",
            "Punkt 3 hat keinen Unterpunkt e); er hat die Unterpunkte a) bis c).",
        ),
        ("ziffer-2-punkt", "Punkt 2 hat keine Unterpunkte."),
        (
            "ziffer-4-punkt",
            "Punkt 3 wird schon in Ziffer 3 geändert oder gestrichen; fassen Sie beides in einer Ziffer zusammen.",
        ),
        (
            "ziffer-5-punkt",
            "Die Vorlage 017/26 hat keinen Punkt 0; ihr Beschlussvorschlag hat die Punkte 1 bis 3.",
        ),
        (
            "ziffer-6-punkt",
            "Bitte wählen Sie den Punkt des Beschlussvorschlags, den Ziffer 6 ersetzt.",
        ),
    ]
    .map(|(f, m)| (f.to_string(), m.to_string()));
    assert_eq!(messages(&checked.problems), expected);

    let unchanged_and_twice = sub_point_draft(vec![
        ziffer(
            Action::Reword,
            "3.1",
            "die Besetzung der Stellen in den Städten und Gemeinden,",
        ),
        ziffer(Action::Delete, "3.2", ""),
        ziffer(Action::Reword, "3.2", "die Verwendung aller Mittel,"),
        // A new sub-point after b) changes no existing one.
        ziffer(Action::InsertAfter, "3.2", "die Wartezeiten,"),
        ziffer(Action::InsertAfter, "3", "Der Kreis berichtet."),
    ]);
    let checked = save::prepare(
        &project,
        &member(),
        base,
        &unchanged_and_twice,
        today(),
        None,
    );
    let expected = [
        (
            "ziffer-1-text",
            "Ziffer 1 lässt den Wortlaut von Punkt 3 a) unverändert; bitte ändern Sie den Text.",
        ),
        (
            "ziffer-3-punkt",
            "Punkt 3 b) wird schon in Ziffer 2 geändert oder gestrichen; fassen Sie beides in einer Ziffer zusammen.",
        ),
    ]
    .map(|(f, m)| (f.to_string(), m.to_string()));
    assert_eq!(messages(&checked.problems), expected);
}
