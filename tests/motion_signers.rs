//! Who signs a motion is named on the motion (`signers:`): the sign stage waits for exactly
//! those people, and a signer who is not a member of the Fraktion is a located error.

mod support;

use support::Project;

fn with_member() -> Project {
    let project = Project::fixture("kreis");
    project.edit(
        "workflows/directory.yaml",
        "  sitzungsdienst:\n",
        "  mitglied-gruene:\n    name: Jana Vogt\n    email: vogt@gruene-musterland.example\n  sitzungsdienst:\n",
    );
    project.edit(
        "workflows/directory.yaml",
        "    signatories: [vorsitz-gruene]",
        "    signatories: [vorsitz-gruene]\n    members: [vorsitz-gruene, mitglied-gruene]",
    );
    project
}

#[test]
fn the_named_signers_sign_the_motion_and_no_one_else() {
    let project = with_member();
    project.edit(
        "papers/2019-042-1.yaml",
        "by: gruene\n",
        "by: gruene\nsigners: [mitglied-gruene]\n",
    );
    let check = project.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let refused = project.run(&[
        "--now",
        "2019-05-10",
        "sign",
        "042/19-1",
        "--as",
        "vorsitz-gruene",
    ]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    let signed = project.run(&[
        "--now",
        "2019-05-10",
        "sign",
        "042/19-1",
        "--as",
        "mitglied-gruene",
    ]);
    assert_eq!(signed.code, 0, "{}{}", signed.stdout, signed.stderr);
}

#[test]
fn a_signer_outside_the_fraktion_is_a_located_error() {
    let project = with_member();
    project.edit(
        "papers/2019-042-1.yaml",
        "by: gruene\n",
        "by: gruene\nsigners: [mitglied-gruene, landrat]\n",
    );
    let out = project.run(&["check"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        "Fehler: „Petra Landwehr“ (landrat) gehört nicht zur Fraktion GRÜNE im Kreistag
  --> papers/2019-042-1.yaml:8:28
   |
 8 | signers: [mitglied-gruene, landrat]
   |                            ^^^^^^^
   = Hinweis: unterschreiben können die Mitglieder der Fraktion („members“ oder „signatories“ von „gruene“ im Verzeichnis)
1 Fehler
"
    );
}
