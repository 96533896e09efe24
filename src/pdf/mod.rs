//! An accessible PDF beside every rendered document, for publication in the
//! Ratsinformationssystem (BITV 2.0 asks public bodies for accessible documents; in practice
//! PDF/UA-1, and PDF/A for the archive).
//!
//! The render step of a pass hands this module the documents it wrote or found current
//! ([`convert`]); the PDFs that are missing or older than their DOCX are made by one
//! LibreOffice process for the whole batch ([`soffice`]), not one start per document, and
//! written next to their DOCX (`out/<paper>/<Kind>_<reference>.pdf`) through
//! [`crate::output`]; see [`batch`] for the bookkeeping and what happens when the converter
//! hangs or crashes. Settings: `pdf:` in `ratsflow.yaml` ([`settings`]).
//!
//! # PDF/UA-1 and PDF/A-2b together
//!
//! LibreOffice 7.4 (Debian 12's) accepts `PDFUACompliance` together with `SelectPdfVersion` 2
//! and writes both identifications into the XMP metadata (`pdfuaid:part` 1, `pdfaid:part` 2 and
//! `conformance` B); tried on every document of the example project, the output passes the
//! `pdfua` checker and `pdfinfo` reports it tagged. So ratsflow asks for both: PDF/UA for
//! screen readers (tags, language, title shown instead of the file name), PDF/A-2b for the
//! archive (fonts embedded, no external references). PDF/A-2b rather than 3 or 1: -1 allows no
//! transparency and no tagging beyond the basics, -3 only adds embedded files, which a council
//! paper does not need. If a LibreOffice refused the combination, it would write no PDF at all
//! and every document would be reported as failed; the CI step (`.ci/pdf`) would catch that.
//!
//! What makes the PDF accessible comes from the DOCX: the language (`de-DE`) and the title
//! (the paper's Betreff) from its core properties ([`crate::documents::properties`]); headings
//! from Word's heading styles, lists from list styles with real numbering, table header rows
//! from `w:tblHeader` ([`crate::default_templates`]); LibreOffice turns each into its tag.

pub mod attach;
pub mod batch;
pub mod settings;
pub mod soffice;

pub use batch::{Summary, convert as convert_with, is_current, pdf_of};
pub use settings::{PdfSettings, RawPdf};

use std::path::{Path, PathBuf};

/// Makes the missing and outdated PDFs of `documents` (DOCX paths relative to `out_dir`) when
/// the project asks for PDFs and LibreOffice is there; `None` when PDFs are off.
pub fn convert(settings: &PdfSettings, out_dir: &Path, documents: &[PathBuf]) -> Option<Summary> {
    let program = settings.converter().ok()?;
    Some(batch::convert(
        &program,
        settings.timeout,
        out_dir,
        documents,
    ))
}
