//! ratsflow — carries German council submissions (Drucksachen) along their resolution path.
//!
//! # Code map
//!
//! The tree follows the pipeline: input files → validated model → pure engine → side effects.
//!
//! - [`cli`]: the command line (clap); [`commands`]: one short module per subcommand.
//! - [`project`]: where things are (folders, settings).
//! - [`load`]: the only code that reads input files; [`load::raw`] mirrors the YAML,
//!   [`load::yaml`] adds positions and German errors, `load::resolve` checks references.
//! - [`model`]: validated types (workflows, papers, directory, dates).
//! - [`diagnostic`]: problems as `path:line:column` with source line, caret and hint.
//! - [`engine`]: pure — the state of a paper, meetings and deadlines, amendments.
//! - [`calendar`]: working days and public holidays of the 16 Länder.
//! - [`journal`]: the append-only audit trail; the only writer under `state/`.
//! - [`record`]: sign, return, decide — check-and-append as one step under the paper's lock.
//! - [`docx`]: the template engine: Word templates with minijinja tags, rendered at XML level.
//! - [`documents`]: which documents a paper has, their data, rendering them.
//! - [`output`]: the only writer under `out/`.
//! - [`pdf`]: an accessible PDF beside every document, by one LibreOffice per pass.
//! - [`mail`]: notices as mail: the outbox, German texts, files or SMTP.
//! - [`ics`]: calendars (RFC 5545) per person and body, at secret token names under `out/ics/`.
//! - [`pass`]: one pass — check, render, send, report — for `run`, `watch` and what comes;
//!   one pass at a time per project, so every notice goes out once.
//! - [`atomic`]: writes a file completely or not at all.
//! - [`table`]: plain-text tables for the terminal.
//! - [`sanitize`]: text from input files made harmless for terminals and mails.
//! - [`watch`]: the file watcher loop; `commands::watch` keeps the project in memory.
//! - [`oparl`]: the OParl 1.1 export — objects built purely from the model, written as a
//!   static tree that replaces `out/oparl/` as a whole.
//!
//! # Invariants
//!
//! - The engine never does I/O and never reads the clock; `now` is an argument.
//! - Only [`journal`] writes below `state/`, and it only appends; only [`output`] writes
//!   below `out/`, except [`oparl::write`], which replaces `out/oparl/` as one folder.
//! - Nothing reads the clock but the command layer ([`commands::run`]).
//! - Bad input never panics: it becomes a [`diagnostic::Diagnostic`].
//! - Text from input files reaches a terminal or a mail only through [`sanitize`].

#![forbid(unsafe_code)]

pub mod atomic;
pub mod calendar;
pub mod cli;
pub mod commands;
pub mod default_templates;
pub mod diagnostic;
pub mod documents;
pub mod docx;
pub mod engine;
pub mod ics;
pub mod journal;
pub mod load;
pub mod mail;
pub mod meeting;
pub mod model;
pub mod oparl;
pub mod output;
pub mod pass;
pub mod pdf;
pub mod project;
pub mod record;
pub mod sanitize;
pub mod serve;
pub mod table;
pub mod watch;

/// Parses the process arguments; on help, version or a usage error prints the German text and
/// exits (0 for help and version, 1 for a usage error).
pub fn cli_from_env() -> (cli::Cli, clap::ArgMatches) {
    match cli::parse(std::env::args_os()) {
        Ok(parsed) => parsed,
        Err(exit) => std::process::exit(i32::from(exit.print())),
    }
}
