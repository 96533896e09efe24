//! Copying the repository's example project into a test's temporary folder, in one place for
//! every harness that runs the binary on the example (`example_project`, `ics_feeds`,
//! `readme_commands`, the `serve_*` and `oparl_*` tests, the motion form's unit tests): each
//! copy must be the committed example, never what local runs left beside it.
//!
//! Standard library only, so that it can be included by path (`#[path = …] mod example_copy;`)
//! from harnesses that are modules themselves and from the crate's own unit tests.

#![allow(dead_code)]

use std::path::Path;

/// Copies the folder `from` with everything below it to `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Copies the example project at the repository root to `to` (created if missing): its
/// settings `ratsflow.yaml`, the folders `workflows/`, `papers/`, `templates/` and `anlagen/`
/// whole, and of `state/` only the journals `state/*.jsonl`.
///
/// The rest of `state/` is ignored by git and local to a machine: `state/outbox/` (the notice
/// bookkeeping), `state/locks/`, `state/seen/` and `state/web/`. A `ratsflow run` on the
/// repository leaves them behind, and a copy that inherited `state/outbox/` would believe its
/// notices already sent. `out/` is not copied either: it is output.
pub fn copy_example_project(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(root.join("ratsflow.yaml"), to.join("ratsflow.yaml")).unwrap();
    for folder in ["workflows", "papers", "templates", "anlagen"] {
        copy_dir(&root.join(folder), &to.join(folder));
    }
    std::fs::create_dir_all(to.join("state")).unwrap();
    for entry in std::fs::read_dir(root.join("state")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|e| e == "jsonl") {
            std::fs::copy(&path, to.join("state").join(path.file_name().unwrap())).unwrap();
        }
    }
}
