//! Test harness: copies a fixture project to a temporary folder and runs the real binary on it.
//! [`example_copy`] copies the repository's example project instead, for the tests that run on
//! that.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod example_copy;
pub mod word;

use example_copy::copy_dir;

/// A fixture project copied to a temporary folder.
pub struct Project {
    dir: tempfile::TempDir,
    /// `XDG_STATE_HOME` of the runs: where the project's key file is made (outside the
    /// project, never in the tester's home).
    state_home: tempfile::TempDir,
}

/// What one run of the binary printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// stdout and stderr together, for snapshots.
    pub fn all(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Project {
    /// Copies `tests/fixtures/projects/<name>`.
    /// A fixture without templates gets the repository's default templates.
    pub fn fixture(name: &str) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let source = root.join("tests/fixtures/projects").join(name);
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&source, dir.path());
        if !dir.path().join("templates").exists() {
            copy_dir(&root.join("templates"), &dir.path().join("templates"));
        }
        Project {
            dir,
            state_home: tempfile::tempdir().unwrap(),
        }
    }

    /// An empty temporary folder.
    pub fn empty() -> Self {
        Project {
            dir: tempfile::tempdir().unwrap(),
            state_home: tempfile::tempdir().unwrap(),
        }
    }

    /// The project root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A file below the root.
    pub fn file(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Reads a file below the root.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.file(relative)).unwrap()
    }

    /// Writes a file below the root.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.file(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces `from` by `to` in a file; panics when `from` is not there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// The non-empty paragraphs of the body (`word/document.xml`) of a rendered DOCX below the
    /// root, as the crate's own reader gives them: tabs and line breaks kept (unlike
    /// [`docx_text`]).
    pub fn document_paragraphs(&self, relative: &str) -> Vec<String> {
        let bytes = std::fs::read(self.file(relative)).unwrap();
        ratsflow::docx::text::paragraph_texts(&bytes, "word/document.xml")
            .unwrap()
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Runs `ratsflow --project <root> ARGS`, with colours off.
    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_ratsflow"))
            .arg("--project")
            .arg(self.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("XDG_STATE_HOME", self.state_home.path())
            .env_remove("RATSFLOW_PROJECT")
            .env_remove("RATSFLOW_KEY_FILE")
            .output()
            .unwrap();
        let root = self.path().display().to_string();
        let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[PROJECT]");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: clean(&output.stdout),
            stderr: clean(&output.stderr),
        }
    }
}

/// The text of each non-empty paragraph of a DOCX's main part (`w:t` joined; `&amp;`,
/// `&quot;`, `&lt;` and `&gt;` decoded), for tests that look for whole sentences in rendered
/// documents.
pub fn docx_text(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("</w:p>")
        .map(|paragraph| {
            let mut text = String::new();
            let mut rest = paragraph;
            while let Some(start) = rest.find("<w:t") {
                let after = &rest[start + 4..];
                // <w:t> or <w:t xml:space="preserve">, not <w:tab/> or <w:tbl>.
                if !(after.starts_with('>') || after.starts_with(' ')) {
                    rest = after;
                    continue;
                }
                let Some(open) = after.find('>') else { break };
                let body = &after[open + 1..];
                let end = body.find("</w:t>").unwrap_or(body.len());
                text.push_str(
                    &body[..end]
                        .replace("&amp;", "&")
                        .replace("&quot;", "\"")
                        .replace("&lt;", "<")
                        .replace("&gt;", ">"),
                );
                rest = &body[end..];
            }
            text
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}
