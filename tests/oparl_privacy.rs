//! Only what is public leaves the project: a consultation in the nichtöffentlicher Teil, its
//! agenda item and its Beschlussauszug; a paper dealt with only in non-public session; a draft
//! motion (not yet signed by its Fraktion); and people without `publish: true` never appear
//! anywhere in the OParl tree. A withdrawn paper stays as a deleted object.

mod oparl_common;

use oparl_common::Example;

#[test]
fn nothing_non_public_appears_anywhere_in_the_export() {
    let example = Example::copy();
    // 042/21 in the Kreisausschuss in non-public session; the Mitteilungsvorlage M 012/19
    // only ever in non-public session.
    example.edit(
        "papers/2021-042.yaml",
        "kreisausschuss: 2021-03-22",
        "kreisausschuss: { date: 2021-03-22, public: false }",
    );
    example.edit(
        "papers/2019-mitteilung-sozialplanung.yaml",
        "ausschuss: 2019-06-03",
        "ausschuss: { date: 2019-06-03, public: false }",
    );
    example.run_ok(&["render"]);
    assert!(
        example
            .path()
            .join("out/2021-042/Beschluss_Kreisausschuss_2021-03-22_042-21.docx")
            .exists()
    );
    example.run_ok(&["oparl"]);
    let text = example.all_text();
    let files = example.json_files();

    // The paper is public in the Kreistag, so it is there — without the Kreisausschuss.
    assert!(files.contains_key("paper/2021-042.json"));
    assert!(files.contains_key("consultation/2021-042/kreistag.json"));
    for withheld in [
        "consultation/2021-042/kreisausschuss",
        "Beschluss_Kreisausschuss_2021-03-22",
        "Beschluss_5fKreisausschuss",
    ] {
        assert!(!text.contains(withheld), "{withheld} appears in the export");
    }
    let meeting = &files["meeting/kreisausschuss-unna/2021-03-22.json"];
    let items = meeting["agendaItem"].as_array().unwrap();
    assert!(
        items.iter().all(|i| i.get("consultation").is_none()),
        "{meeting:#}"
    );
    assert!(meeting.get("invitation").is_none());

    // Non-public everywhere, and drafts: not a trace.
    for withheld in [
        "2019-mitteilung-sozialplanung",
        "M 012/19",
        "Sozial- und Gesundheitsplanung im Rhein-Sieg-Kreis",
        // 017/26 is still being signed in the administration; its motion A 017/26-1 waits
        // for its Fraktion's signature.
        "2026-017",
        "017/26",
        "Kommunale Sozialarbeit verlässlich",
    ] {
        assert!(
            !text.contains(withheld),
            "„{withheld}“ appears in the export"
        );
    }

    // People: only those who consented, and of them never an address.
    let directory: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(example.path().join("workflows/directory.yaml")).unwrap(),
    )
    .unwrap();
    let people = directory["people"].as_mapping().unwrap();
    let mut published = 0;
    for (id, person) in people {
        let id = id.as_str().unwrap();
        let name = person["name"].as_str().unwrap();
        let email = person["email"].as_str().unwrap();
        assert!(!text.contains(email), "the address of {id} appears");
        if person["publish"].as_bool() == Some(true) {
            published += 1;
            assert!(
                files.contains_key(&format!("person/{id}.json")),
                "{id} is missing"
            );
        } else {
            assert!(!text.contains(&format!("person/{id}")), "{id} appears");
            assert!(
                !text.contains(&format!("\"{name}\"")),
                "the name of {id} appears"
            );
        }
    }
    assert_eq!(published, 4);
    assert!(!text.contains("@"), "no mail address at all");
}

#[test]
fn a_withdrawn_paper_is_a_deleted_object() {
    let example = Example::copy();
    for signer in ["fb-soziale-sicherung", "stab-asyl", "landrat"] {
        example.run_ok(&["sign", "017/26", "--as", signer]);
    }
    example.run_ok(&["oparl"]);
    let files = example.json_files();
    let paper = &files["paper/2026-017.json"];
    assert_eq!(paper["reference"], "017/26");
    assert!(paper.get("deleted").is_none());
    assert!(
        paper["consultation"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );

    example.run_ok(&[
        "withdraw",
        "017/26",
        "--as",
        "cramer",
        "--comment",
        "Neufassung folgt",
    ]);
    example.run_ok(&["oparl"]);
    let files = example.json_files();
    let paper = &files["paper/2026-017.json"];
    assert_eq!(paper["deleted"], true);
    assert_eq!(paper["reference"], "017/26");
    assert!(paper.get("consultation").is_none());
    assert!(paper.get("mainFile").is_none());
    let list = &files["body/kreis-gross-gerau/paper.json"];
    assert!(
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == paper["id"] && p["deleted"] == true),
        "deleted objects stay in the list"
    );
    assert!(!files.contains_key("consultation/2026-017/ausschuss.json"));
}
