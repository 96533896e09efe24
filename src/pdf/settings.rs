//! The `pdf:` section of `ratsflow.yaml` (on/off, the `soffice` program, the timeout) and the
//! question a pass asks before converting: are PDFs on here, and if not, why not — in one German
//! line that `check`, `run` and `render` print.
//!
//! A project without a `pdf:` section makes no PDFs and says nothing about it (projects made
//! before PDFs existed behave as before); one that names the section makes PDFs unless
//! `enabled: false`. Whether `soffice` is really there is asked at each pass, not at load: a
//! LibreOffice installed while `watch` runs is used from the next pass on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// Seconds a converter may go without finishing a document before it is killed.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 120;

/// `pdf:` as written in `ratsflow.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawPdf {
    /// Default true once the section is there.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// The LibreOffice program: a path (relative to the project) or a name looked up in PATH;
    /// default `soffice`.
    #[serde(default)]
    pub soffice: Option<String>,
    #[serde(default)]
    pub timeout_seconds: Option<u64>,
}

/// Validated `pdf:` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSettings {
    /// Whether the project has a `pdf:` section at all.
    pub configured: bool,
    pub enabled: bool,
    /// The program as configured (a path or a bare name).
    pub soffice: String,
    /// The project root, for a relative `soffice` path.
    pub root: PathBuf,
    /// How long a converter may work on one document.
    pub timeout: Duration,
}

impl PdfSettings {
    /// The settings of a project without a `pdf:` section: no PDFs.
    pub fn absent(root: &Path) -> PdfSettings {
        PdfSettings {
            configured: false,
            enabled: false,
            soffice: "soffice".into(),
            root: root.to_path_buf(),
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECONDS),
        }
    }

    /// Validates `pdf:`; the error is German and names the key.
    pub fn from_raw(
        raw: Option<&RawPdf>,
        root: &Path,
    ) -> Result<PdfSettings, (&'static [&'static str], String)> {
        let Some(raw) = raw else {
            return Ok(PdfSettings::absent(root));
        };
        let timeout = raw.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS);
        if timeout == 0 {
            return Err((
                &["pdf", "timeout_seconds"],
                "pdf.timeout_seconds muss größer als 0 sein.".into(),
            ));
        }
        let soffice = raw.soffice.as_deref().map(str::trim).unwrap_or("soffice");
        if soffice.is_empty() {
            return Err((
                &["pdf", "soffice"],
                "pdf.soffice ist leer: bitte den Pfad zu LibreOffice (soffice) angeben oder den Eintrag weglassen.".into(),
            ));
        }
        Ok(PdfSettings {
            configured: true,
            enabled: raw.enabled.unwrap_or(true),
            soffice: soffice.to_owned(),
            root: root.to_path_buf(),
            timeout: Duration::from_secs(timeout),
        })
    }

    /// The converter to run, or why PDFs are off (a German sentence; `None` for a project
    /// that never asked for PDFs).
    pub fn converter(&self) -> Result<PathBuf, Option<String>> {
        if !self.configured {
            return Err(None);
        }
        if !self.enabled {
            return Err(Some(
                "PDF-Erzeugung ist aus: in ratsflow.yaml steht „pdf: enabled: false“; es werden nur DOCX-Dokumente geschrieben."
                    .into(),
            ));
        }
        let named = Path::new(&self.soffice);
        if named.components().count() > 1 || named.is_absolute() {
            let path = self.root.join(named);
            return if path.is_file() {
                Ok(path)
            } else {
                Err(Some(format!(
                    "PDF-Erzeugung ist aus: LibreOffice wurde unter „{}“ (pdf.soffice in ratsflow.yaml) nicht gefunden; es werden nur DOCX-Dokumente geschrieben.",
                    self.soffice
                )))
            };
        }
        find_in_path(&self.soffice).ok_or_else(|| {
            Some(format!(
                "PDF-Erzeugung ist aus: LibreOffice ({}) wurde nicht gefunden; es werden nur DOCX-Dokumente geschrieben. LibreOffice installieren (Debian: libreoffice-writer-nogui) oder in ratsflow.yaml „pdf: soffice:“ auf das Programm setzen.",
                self.soffice
            ))
        })
    }

    /// The one line `check`, `run` and `render` print when PDFs were asked for and are off.
    pub fn off_notice(&self) -> Option<String> {
        self.converter()
            .err()
            .flatten()
            .map(|reason| format!("Hinweis: {reason}"))
    }
}

/// An executable file of this name in one of the folders of `PATH`.
fn find_in_path(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(enabled: Option<bool>, soffice: Option<&str>, timeout: Option<u64>) -> RawPdf {
        RawPdf {
            enabled,
            soffice: soffice.map(str::to_owned),
            timeout_seconds: timeout,
        }
    }

    #[test]
    fn a_project_without_the_section_makes_no_pdfs_and_says_nothing() {
        let settings = PdfSettings::from_raw(None, Path::new("/p")).unwrap();
        assert_eq!(settings.converter(), Err(None));
        assert_eq!(settings.off_notice(), None);
    }

    #[test]
    fn disabled_says_so_in_german() {
        let settings =
            PdfSettings::from_raw(Some(&raw(Some(false), None, None)), Path::new("/p")).unwrap();
        assert_eq!(
            settings.off_notice().as_deref(),
            Some(
                "Hinweis: PDF-Erzeugung ist aus: in ratsflow.yaml steht „pdf: enabled: false“; es werden nur DOCX-Dokumente geschrieben."
            )
        );
    }

    #[test]
    fn a_missing_program_is_named() {
        let settings = PdfSettings::from_raw(
            Some(&raw(None, Some("bin/kein-soffice"), None)),
            Path::new("/nirgends"),
        )
        .unwrap();
        assert_eq!(
            settings.off_notice().as_deref(),
            Some(
                "Hinweis: PDF-Erzeugung ist aus: LibreOffice wurde unter „bin/kein-soffice“ (pdf.soffice in ratsflow.yaml) nicht gefunden; es werden nur DOCX-Dokumente geschrieben."
            )
        );
        let settings = PdfSettings::from_raw(
            Some(&raw(None, Some("ratsflow-kein-soffice"), None)),
            Path::new("/nirgends"),
        )
        .unwrap();
        assert!(
            settings
                .off_notice()
                .unwrap()
                .starts_with("Hinweis: PDF-Erzeugung ist aus: LibreOffice (ratsflow-kein-soffice) wurde nicht gefunden;")
        );
    }

    #[test]
    fn a_zero_timeout_is_refused() {
        let error =
            PdfSettings::from_raw(Some(&raw(None, None, Some(0))), Path::new("/p")).unwrap_err();
        assert_eq!(error.0, &["pdf", "timeout_seconds"]);
        assert_eq!(error.1, "pdf.timeout_seconds muss größer als 0 sein.");
    }
}
