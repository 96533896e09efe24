//! The PDFs of one pass: which documents need one (their PDF is missing or was made from an
//! older DOCX), one converter process for all of them, and each finished PDF written next to
//! its DOCX through [`crate::output`] — atomically, with the DOCX's input stamp as its own, so
//! the bookkeeping survives restarts: a PDF is current exactly when its stamp equals its DOCX's.
//!
//! The converter works in a private folder below `out/` (`.ratsflow-pdf-…`, removed afterwards;
//! one left by a killed pass is removed a day later), on hard links of the DOCX numbered
//! `0001.docx` …, so two documents of the same name in different folders never meet.
//!
//! When the converter hangs or crashes, the documents it finished are kept, the first one it did
//! not finish is reported as failed (it is the one it was working on), and a new process takes
//! the rest — at most [`STARTS`] processes per pass. A failed document keeps no PDF of this
//! DOCX and is tried again next pass.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::soffice::{self, Batch, End};
use crate::output;

/// Converter processes one pass starts at most.
pub const STARTS: usize = 3;

/// What the PDF step of a pass did. Paths are relative to `out/`.
#[derive(Debug, Default)]
pub struct Summary {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    /// The DOCX whose PDF could not be made, with the German reason.
    pub failed: Vec<(PathBuf, String)>,
    /// Converter processes started.
    pub starts: usize,
}

/// The PDF that belongs to a DOCX.
pub fn pdf_of(document: &Path) -> PathBuf {
    document.with_extension("pdf")
}

/// Whether the PDF of a document (relative to `out_dir`) was made from its current DOCX.
pub fn is_current(out_dir: &Path, document: &Path) -> bool {
    output::stamp_of(out_dir, document)
        .is_some_and(|stamp| output::is_current(out_dir, &pdf_of(document), &stamp))
}

/// Makes the missing and outdated PDFs of `documents` (DOCX paths relative to `out_dir`).
pub fn convert(
    program: &Path,
    timeout: Duration,
    out_dir: &Path,
    documents: &[PathBuf],
) -> Summary {
    let mut summary = Summary::default();
    let mut todo: Vec<(PathBuf, String)> = Vec::new();
    for document in documents {
        if !out_dir.join(document).is_file() {
            continue;
        }
        // Without a stamp the DOCX is rendered again next pass anyway; its PDF is made anew.
        let stamp = output::stamp_of(out_dir, document).unwrap_or_default();
        if !stamp.is_empty() && output::is_current(out_dir, &pdf_of(document), &stamp) {
            summary.unchanged += 1;
        } else {
            todo.push((document.clone(), stamp));
        }
    }
    if todo.is_empty() {
        return summary;
    }
    remove_stale_work_folders(out_dir);
    let work = match tempfile::Builder::new()
        .prefix(".ratsflow-pdf-")
        .tempdir_in(out_dir)
    {
        Ok(work) => work,
        Err(error) => {
            let reason = format!("kein Arbeitsordner für LibreOffice unter out/: {error}");
            summary.failed = todo.into_iter().map(|(d, _)| (d, reason.clone())).collect();
            return summary;
        }
    };
    let (inputs, outdir) = (work.path().join("in"), work.path().join("pdf"));
    if let Err(error) = std::fs::create_dir_all(&inputs).and(std::fs::create_dir_all(&outdir)) {
        let reason = format!("kein Arbeitsordner für LibreOffice unter out/: {error}");
        summary.failed = todo.into_iter().map(|(d, _)| (d, reason.clone())).collect();
        return summary;
    }
    let mut pending: Vec<(PathBuf, String, PathBuf)> = Vec::new();
    for (i, (document, stamp)) in todo.into_iter().enumerate() {
        let input = inputs.join(format!("{:04}.docx", i + 1));
        let source = out_dir.join(&document);
        match std::fs::hard_link(&source, &input)
            .or_else(|_| std::fs::copy(&source, &input).map(|_| ()))
        {
            Ok(()) => pending.push((document, stamp, input)),
            Err(error) => summary
                .failed
                .push((document, format!("das DOCX ließ sich nicht lesen: {error}"))),
        }
    }
    let retry = "neuer Versuch beim nächsten Durchlauf";
    while !pending.is_empty() {
        if summary.starts == STARTS {
            let reason = format!(
                "nicht umgewandelt: LibreOffice ist in diesem Durchlauf schon {STARTS}-mal gescheitert; {retry}"
            );
            summary
                .failed
                .extend(pending.drain(..).map(|(d, _, _)| (d, reason.clone())));
            break;
        }
        summary.starts += 1;
        let batch_inputs: Vec<PathBuf> = pending.iter().map(|(_, _, i)| i.clone()).collect();
        let end = Batch {
            program,
            inputs: &batch_inputs,
            outdir: &outdir,
            work: work.path(),
            timeout,
        }
        .run();
        let mut missing = Vec::new();
        for (document, stamp, input) in pending.drain(..) {
            let made = Batch::output_of(&outdir, &input);
            match std::fs::read(&made) {
                Ok(bytes) if soffice::is_complete_pdf(&bytes) => {
                    let target = pdf_of(&document);
                    match output::write_document(out_dir, &target, &bytes, &stamp) {
                        Ok(()) => summary.written.push(target),
                        Err(error) => summary.failed.push((
                            document,
                            format!("das PDF ließ sich nicht schreiben: {error}"),
                        )),
                    }
                }
                _ => missing.push((document, stamp, input)),
            }
        }
        if missing.is_empty() {
            break;
        }
        let reason = match &end {
            End::NotStarted(reason) => {
                let reason = format!("{reason}; {retry}");
                summary
                    .failed
                    .extend(missing.into_iter().map(|(d, _, _)| (d, reason.clone())));
                break;
            }
            End::Exited(status) if status.success() => {
                // It ran to its end and skipped these: they are what it could not open.
                let reason = format!("LibreOffice hat kein PDF erzeugt; {retry}");
                summary
                    .failed
                    .extend(missing.into_iter().map(|(d, _, _)| (d, reason.clone())));
                break;
            }
            End::Exited(status) => match status.code() {
                Some(code) => format!("LibreOffice ist mit Status {code} abgebrochen; {retry}"),
                None => format!("LibreOffice ist abgestürzt ({status}); {retry}"),
            },
            End::TimedOut => format!(
                "LibreOffice hat binnen {} s kein PDF erzeugt und wurde beendet; {retry}",
                timeout.as_secs()
            ),
        };
        // The first unfinished document is the one it failed on; a new process takes the rest.
        let mut missing = missing.into_iter();
        if let Some((document, _, _)) = missing.next() {
            summary.failed.push((document, reason));
        }
        pending = missing.collect();
    }
    summary
}

/// Removes work folders a killed pass left behind, once they are a day old (a running
/// conversion never takes that long, and another pass may be converting right now).
fn remove_stale_work_folders(out_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(out_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(24 * 3600));
        if old
            && entry
                .file_name()
                .to_string_lossy()
                .starts_with(".ratsflow-pdf-")
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
