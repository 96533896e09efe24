//! Shared by the `oparl_*` tests: a copy of the repository's example project, the real binary
//! run on it, and the JSON files of its export.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "../support/example_copy.rs"]
mod example_copy;

/// A copy of the example project at the repository root.
pub struct Example {
    dir: tempfile::TempDir,
}

impl Example {
    /// The committed example (settings, directory, workflows, papers, journals, Anlagen,
    /// templates), without the machine-local outbox.
    pub fn copy() -> Self {
        let dir = tempfile::tempdir().unwrap();
        example_copy::copy_example_project(dir.path());
        Example { dir }
    }

    /// A copy with its documents rendered and exported, at 21 November 2026.
    pub fn exported() -> Self {
        let example = Example::copy();
        example.run_ok(&["render"]);
        example.run_ok(&["oparl"]);
        example
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `out/oparl/`.
    pub fn tree(&self) -> PathBuf {
        self.path().join("out/oparl")
    }

    /// Replaces `from` by `to` in a file of the copy.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path().join(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        std::fs::write(path, text.replacen(from, to, 1)).unwrap();
    }

    /// Runs `ratsflow --project <copy> --now 2026-11-21 ARGS`: exit code, stdout, stderr.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(self.path())
            .args(["--now", "2026-11-21"])
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs and insists on exit code 0.
    pub fn run_ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "{args:?}\n{stdout}\n{stderr}");
        stdout
    }

    /// Every `.json` file of the export, by path relative to `out/oparl/`.
    pub fn json_files(&self) -> BTreeMap<String, Value> {
        let mut out = BTreeMap::new();
        for (rel, path) in files(&self.tree()) {
            if rel.ends_with(".json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
                out.insert(rel, value);
            }
        }
        out
    }

    /// Every file of the export: its relative path and, for JSON, its text.
    pub fn all_text(&self) -> String {
        let mut text = String::new();
        for (rel, path) in files(&self.tree()) {
            text.push_str(&rel);
            text.push('\n');
            if rel.ends_with(".json") {
                text.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
        text
    }
}

fn files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, path));
            }
        }
    }
    out.sort();
    out
}

/// Every OParl object in a document: the document itself, the elements of a list, and every
/// object embedded in them.
pub fn oparl_objects(value: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

fn collect<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if map
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.starts_with("https://schema.oparl.org/"))
            {
                out.push(value);
            }
            for item in map.values() {
                collect(item, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect(item, out);
            }
        }
        _ => {}
    }
}
