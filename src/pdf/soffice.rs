//! One LibreOffice process converting a batch of DOCX files to tagged PDF, watched by a
//! deadline: the process (and everything it started: `soffice` is a wrapper that starts
//! `soffice.bin`) runs in a process group of its own, and the whole group is killed when no
//! further PDF appeared for the timeout. A converter that hangs therefore never stops a pass.
//!
//! Each process gets a private LibreOffice profile (`-env:UserInstallation`), so it never
//! meets a LibreOffice the user has open, nor another pass converting at the same time; a
//! fresh profile costs about a third of a second, measured against a reused one.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The export filter with its options in LibreOffice's JSON syntax (LibreOffice 7.4 and
/// later): tagged PDF, PDF/UA-1, PDF/A-2b (`SelectPdfVersion` 2), the document title shown
/// in the window bar, headings as bookmarks. See the module documentation of [`crate::pdf`]
/// for why both PDF/A and PDF/UA.
pub const FILTER: &str = concat!(
    "pdf:writer_pdf_Export:{",
    r#""UseTaggedPDF":{"type":"boolean","value":"true"},"#,
    r#""PDFUACompliance":{"type":"boolean","value":"true"},"#,
    r#""SelectPdfVersion":{"type":"long","value":"2"},"#,
    r#""ExportBookmarks":{"type":"boolean","value":"true"},"#,
    r#""DisplayPDFDocumentTitle":{"type":"boolean","value":"true"}"#,
    "}"
);

/// How often the output folder is looked at.
const POLL: Duration = Duration::from_millis(50);

/// How a converter process ended.
#[derive(Debug)]
pub enum End {
    /// It exited by itself.
    Exited(ExitStatus),
    /// No PDF appeared for the timeout; the process group was killed.
    TimedOut,
    /// It could not be started (German reason).
    NotStarted(String),
}

/// One batch: `inputs` are converted into `outdir` as `<stem>.pdf`.
pub struct Batch<'a> {
    pub program: &'a Path,
    pub inputs: &'a [PathBuf],
    pub outdir: &'a Path,
    /// A folder for the private profile and the converter's output.
    pub work: &'a Path,
    /// How long the converter may go without finishing a document.
    pub timeout: Duration,
}

impl Batch<'_> {
    /// The PDF a given input becomes.
    pub fn output_of(outdir: &Path, input: &Path) -> PathBuf {
        let stem = input.file_stem().unwrap_or_default();
        outdir.join(stem).with_extension("pdf")
    }

    /// Runs the converter and waits for it, killing its process group when it makes no
    /// progress for the timeout.
    pub fn run(&self) -> End {
        let log = |name: &str| {
            File::create(self.work.join(name))
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null())
        };
        let mut command = Command::new(self.program);
        command
            .arg(format!(
                "-env:UserInstallation={}",
                file_url(&self.work.join("profile"))
            ))
            .args([
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--convert-to",
                FILTER,
                "--outdir",
            ])
            .arg(self.outdir)
            .args(self.inputs)
            .stdin(Stdio::null())
            .stdout(log("soffice.out"))
            .stderr(log("soffice.err"))
            .process_group(0);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(error) => {
                return End::NotStarted(format!(
                    "„{}“ ließ sich nicht starten: {error}",
                    self.program.display()
                ));
            }
        };
        let mut done = 0;
        let mut last_progress = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return End::Exited(status),
                Ok(None) => {}
                Err(_) => {
                    kill_group(&child);
                    let _ = child.wait();
                    return End::TimedOut;
                }
            }
            let now_done = self
                .inputs
                .iter()
                .take_while(|input| Self::output_of(self.outdir, input).exists())
                .count();
            if now_done > done {
                done = now_done;
                last_progress = Instant::now();
            }
            if last_progress.elapsed() >= self.timeout {
                kill_group(&child);
                let _ = child.wait();
                return End::TimedOut;
            }
            std::thread::sleep(POLL);
        }
    }
}

/// Kills the process group a child leads (it was started with `process_group(0)`).
fn kill_group(child: &std::process::Child) {
    let pid = rustix::process::Pid::from_child(child);
    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
}

/// A `file://` URL of an absolute path, every byte outside the unreserved set escaped (a
/// project folder may have spaces or umlauts in its name).
pub fn file_url(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut url = String::from("file://");
    for &byte in path.as_os_str().as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                url.push(char::from(byte));
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

/// Whether bytes look like a whole PDF: the header at the start, the end-of-file marker at the
/// end (a converter killed while writing leaves neither whole).
pub fn is_complete_pdf(bytes: &[u8]) -> bool {
    let end = bytes.trim_ascii_end();
    bytes.starts_with(b"%PDF-") && end.ends_with(b"%%EOF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_urls_escape_spaces_and_umlauts() {
        assert_eq!(
            file_url(Path::new("/srv/Kreis Groß-Gerau/out")),
            "file:///srv/Kreis%20Gro%C3%9F-Gerau/out"
        );
    }

    #[test]
    fn a_cut_pdf_is_not_complete() {
        assert!(is_complete_pdf(b"%PDF-1.6\n...\n%%EOF\n"));
        assert!(!is_complete_pdf(b"%PDF-1.6\n...\n"));
        assert!(!is_complete_pdf(b""));
    }
}
