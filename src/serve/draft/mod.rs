//! Fraktionen draft Änderungs- and Ergänzungsanträge in the browser instead of writing YAML.
//!
//! The pure part turns a form into a motion's paper file and checks it exactly like `check`:
//! [`form`] reads and cleans the posted fields, [`scope`] says who drafts for which Fraktion
//! and what they may see, [`validate`] checks the form in its own words, [`yaml`] writes texts
//! that stay data, [`build`] numbers and writes the file text and checks it against the
//! project, [`preview`] renders the document in memory, and [`save`] writes the file without
//! ever overwriting one. Once the file is in `papers/`, the watcher takes it on its normal
//! path: the Fraktion's signatures, then the submission to the body's office.

pub mod build;
pub mod form;
pub mod page;
pub mod preview;
pub mod routes;
pub mod save;
pub mod scope;
pub mod validate;
pub mod yaml;

#[cfg(test)]
mod page_tests;
#[cfg(test)]
pub(crate) mod tests;
