//! Helpers for tests of code that renders documents: build a `.docx` from a folder of XML
//! parts (fixtures are kept unzipped so that diffs stay readable). Reading the text back is
//! [`super::text`].

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Zips the files below `dir` into a `.docx` (`[Content_Types].xml` first, then by path).
///
/// # Panics
///
/// When the folder cannot be read: this is a test helper, a missing fixture is a failed test.
pub fn zip_dir(dir: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    collect(dir, &mut files);
    let name_of = |path: &PathBuf| {
        path.strip_prefix(dir)
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    };
    let mut names: Vec<(String, PathBuf)> = files.iter().map(|p| (name_of(p), p.clone())).collect();
    names.sort_by_key(|(name, _)| (name != "[Content_Types].xml", name.clone()));
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, path) in names {
        let data = std::fs::read(&path)
            .unwrap_or_else(|err| panic!("fixture {} not readable: {err}", path.display()));
        writer
            .start_file(name, options)
            .and_then(|()| writer.write_all(&data).map_err(Into::into))
            .unwrap_or_else(|err| panic!("cannot zip {}: {err}", path.display()));
    }
    writer
        .finish()
        .unwrap_or_else(|err| panic!("cannot finish zip: {err}"))
        .into_inner()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("fixture folder {} not readable: {err}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
