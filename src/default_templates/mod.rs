//! The default Word templates ratsflow ships: Beschlussvorlage, Mitteilungsvorlage,
//! Projektauftrag, Änderungs-/Ergänzungsantrag, Beschlussentwurf, Beschluss(auszug), Anfrage,
//! Stellungnahme and the Tagesordnung of a meeting.
//!
//! They are generated, not drawn: each template is written with docx-rs from the building
//! blocks in `blocks` and the shared look in `styles`, then normalised and zipped by
//! `package` (schema order, deflated, fixed timestamps: the same bytes on every run). The
//! files in the repository's `templates/` folder are [`all`] written out; the test
//! `tests/default_templates.rs` checks that they never drift apart, and
//! `cargo test --test default_templates -- --ignored regenerate` writes them anew.
//!
//! Each template prints the data of [`crate::documents::context::Context`] (`org`, `paper`,
//! `decision`, `today`) with the engine's tags, modelled on the example documents: the letterhead
//! in the header of the first page and a short line (organisation · Drucksache) on the others,
//! „Seite X von Y“ in the footer, the Beratungsfolge as a table with one row per consultation
//! whose head row repeats on every page (`package` marks it), signature blocks that keep
//! together, long texts as Markdown (`{{p paper.facts|md }}`) and every optional
//! part inside `{%p if … %}`, so that an empty field leaves no empty heading behind.

use std::path::Path;

mod anfrage;
mod antrag;
mod beschluss;
mod beschlussentwurf;
mod beschlussvorlage;
mod blocks;
mod mitteilungsvorlage;
mod package;
mod projektauftrag;
mod stellungnahme;
mod styles;
mod tagesordnung;

/// The file names of the default templates, in the order [`all`] returns them.
pub const NAMES: [&str; 9] = [
    "beschlussvorlage.docx",
    "mitteilungsvorlage.docx",
    "projektauftrag.docx",
    "antrag.docx",
    "beschlussentwurf.docx",
    "anfrage.docx",
    "stellungnahme.docx",
    "beschluss.docx",
    "tagesordnung.docx",
];

/// Every default template: (file name, DOCX bytes).
pub fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (NAMES[0], beschlussvorlage::build()),
        (NAMES[1], mitteilungsvorlage::build()),
        (NAMES[2], projektauftrag::build()),
        (NAMES[3], antrag::build()),
        (NAMES[4], beschlussentwurf::build()),
        (NAMES[5], anfrage::build()),
        (NAMES[6], stellungnahme::build()),
        (NAMES[7], beschluss::build()),
        (NAMES[8], tagesordnung::build()),
    ]
}

/// Writes [`all`] into a folder, each file atomically (used by `ratsflow init` and to
/// regenerate `templates/` in this repository). Files are overwritten.
pub fn write_all(dir: &Path) -> std::io::Result<()> {
    for (name, bytes) in all() {
        crate::atomic::write(&dir.join(name), &bytes)?;
    }
    Ok(())
}
