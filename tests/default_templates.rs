//! The default templates: generated and shipped files agree, and each renders real papers.

use std::path::Path;

#[test]
#[ignore = "writes templates/; run with --ignored to regenerate the shipped templates"]
fn regenerate() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    ratsflow::default_templates::write_all(&dir).unwrap();
}
