//! The document engine: Word templates with minijinja tags, rendered at the XML level.
//!
//! Administration staff author templates in Word; ratsflow fills them with a paper's data and
//! writes DOCX that opens cleanly in Word and LibreOffice. The pipeline, one module each:
//!
//! - load ([`DocxTemplate::load`], `template`): `package` reads the zip; `validate` (with
//!   `xml_reader`, `structure`, `relationships`) checks it; `scan` finds paragraphs, runs and
//!   `w:t` nodes by byte span; `lexer` finds the tags in each paragraph's joined text; `join`
//!   moves tags Word split into the run where they start; `plan` applies structural tags
//!   (`{%p`, `{%tr`, `{%tc`, `{{p`); `balance` checks the block structure; `codegen` writes
//!   the minijinja source with a source map.
//! - render ([`DocxTemplate::render`]): the environment of `env` (SemiStrict, XML escaping by
//!   `escape`, metering by `fuel`, German `filters`, `markdown` parsing `md` into `rich_text`,
//!   written as Word paragraphs by `ooxml` with `styles` and `props`); then each rendered part
//!   is checked and, where loops and conditions legitimately broke a rule, fixed by `repair`;
//!   then `core_props` sets title, author and dates from the data's `document`, and `package`
//!   writes the zip.
//! - limits (`limits`): the size of a value, a rendered part and a document, and how many
//!   renderings run at once.
//! - errors: [`TemplateError`] names template, paragraph and tag; `diagnose` maps minijinja's
//!   errors, `german` words them.
//!
//! Invariants: template XML is parsed and compiled once, in `load`; `render` only fills in,
//! checks and zips; a broken document is never returned; nothing but the `testing` helpers
//! reads files, and nothing reads the clock or the network; no input makes it panic.

mod balance;
mod codegen;
mod core_props;
mod diagnose;
mod env;
mod error;
mod escape;
mod filters;
mod fuel;
mod german;
mod join;
mod lexer;
pub mod limits;
pub(crate) mod markdown;
mod ooxml;
mod package;
mod plan;
mod props;
mod relationships;
mod repair;
mod rich_text;
mod scan;
mod structure;
mod styles;
mod template;
pub mod testing;
pub mod text;
mod validate;
mod xml_reader;

#[cfg(test)]
mod tests;

pub use env::environment;
pub use error::TemplateError;
pub use filters::{german_environment, text_template_error};
pub use template::DocxTemplate;
pub use validate::validate_package;
