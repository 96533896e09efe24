//! German for clap: clap prints its own headings ("Usage:", "Options:"), help flags and usage
//! errors in English. This module gives every command a German help template and German help,
//! version and `help` entries, and turns clap's errors into German messages that exit 1.

use std::ffi::OsString;
use std::io::Write;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, CommandFactory, FromArgMatches};

use super::Cli;

/// How parsing ends when there is no command to run: help, version or a usage error.
#[derive(Debug, PartialEq, Eq)]
pub struct Exit {
    /// Process exit code: 0 for help and version, 1 for bad input, 2 when output failed.
    pub code: u8,
    /// What to print, ending with a newline.
    pub text: String,
    /// Print to stderr (errors) rather than stdout (help asked for).
    pub to_stderr: bool,
}

impl Exit {
    /// Prints the text where it belongs; returns the exit code.
    pub fn print(&self) -> u8 {
        let written = if self.to_stderr {
            std::io::stderr().lock().write_all(self.text.as_bytes())
        } else {
            std::io::stdout().lock().write_all(self.text.as_bytes())
        };
        if written.is_err() && self.code == 0 {
            return 2;
        }
        self.code
    }
}

/// The ratsflow command with German help throughout, built and ready to parse.
pub fn command() -> clap::Command {
    let mut cmd = localize(Cli::command(), true);
    cmd.build();
    finish(cmd)
}

/// Parses `args` (program name first); help, version and usage errors become an [`Exit`].
pub fn parse<I, T>(args: I) -> Result<(Cli, ArgMatches), Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut cmd = command();
    let matches = cmd
        .try_get_matches_from_mut(args.iter().cloned())
        .map_err(|err| exit_for(&err, &cmd, &args))?;
    if let Some(("help", sub)) = matches.subcommand() {
        let names: Vec<String> = sub
            .get_many::<String>("befehl")
            .map(|v| v.cloned().collect())
            .unwrap_or_default();
        return Err(help_subcommand(&cmd, &names));
    }
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => Ok((cli, matches)),
        Err(err) => Err(exit_for(&err, &cmd, &args)),
    }
}

/// A value parser for milliseconds with a German message.
pub fn milliseconds(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| "erwartet wird eine ganze Zahl von Millisekunden, z. B. 500".to_string())
}

/// German help and version flags, and a German `help` subcommand, before clap builds.
fn localize(cmd: clap::Command, top: bool) -> clap::Command {
    let mut cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .display_order(usize::MAX)
            .help("Hilfe anzeigen"),
    );
    if top {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .display_order(usize::MAX)
                    .help("Version anzeigen"),
            )
            .subcommand_value_name("BEFEHL")
            .disable_help_subcommand(true)
            .subcommand(
                clap::Command::new("help")
                    .about("Zeigt diese Hilfe oder die Hilfe eines Befehls")
                    .arg(
                        Arg::new("befehl")
                            .value_name("BEFEHL")
                            .num_args(0..)
                            .action(ArgAction::Append)
                            .help("Der Befehl, dessen Hilfe gezeigt wird"),
                    ),
            );
    }
    cmd.mut_subcommands(|sub| localize(sub, false))
}

/// German help template and usage line for a built command and its subcommands.
fn finish(cmd: clap::Command) -> clap::Command {
    let usage = usage_of(&cmd);
    let template = template(&cmd);
    cmd.override_usage(usage)
        .help_template(template)
        .mut_subcommands(finish)
}

/// Sections with German headings; a section only where the command has entries for it.
fn template(cmd: &clap::Command) -> String {
    let mut text = String::from("{before-help}{about-with-newline}\nAufruf: {usage}\n");
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        text.push_str("\nBefehle:\n{subcommands}\n");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        text.push_str("\nArgumente:\n{positionals}\n");
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        text.push_str("\nOptionen:\n{options}\n");
    }
    text.push_str("{after-help}");
    text
}

/// `ratsflow help [BEFEHL …]`: the help of the named (sub)command.
fn help_subcommand(cmd: &clap::Command, names: &[String]) -> Exit {
    let mut current = cmd;
    let mut path = vec![current.get_name().to_string()];
    for name in names {
        let known: Vec<String> = current
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect();
        let Some(next) = current.find_subcommand(name) else {
            let hint = crate::diagnostic::did_you_mean(name, known.iter().map(String::as_str))
                .map(|c| format!("; meinten Sie „{c}“?"))
                .unwrap_or_default();
            return usage_exit(
                format!("unbekannter Befehl „{name}“{hint}"),
                &usage_of(current),
                &path.join(" "),
            );
        };
        path.push(name.clone());
        current = next;
    }
    Exit {
        code: 0,
        text: styled(&current.clone().render_help(), color_on_stdout()),
        to_stderr: false,
    }
}

/// Maps a clap error to what is printed and the exit code.
fn exit_for(err: &clap::Error, cmd: &clap::Command, args: &[OsString]) -> Exit {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let mut text = styled(&err.render(), color_on_stdout());
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Exit {
                code: 0,
                text,
                to_stderr: false,
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Exit {
            code: 1,
            text: err.render().to_string(),
            to_stderr: true,
        },
        ErrorKind::Io | ErrorKind::Format => Exit {
            code: 2,
            text: format!("{}: die Ausgabe ist fehlgeschlagen\n", label()),
            to_stderr: true,
        },
        _ => {
            // clap knows the command an error arose in when it adds a usage line; otherwise
            // the command words in the arguments tell.
            let (words, usage) = match text_of(err, ContextKind::Usage) {
                Some(usage) => {
                    let usage = german_usage(&usage);
                    (command_words(&usage), usage)
                }
                None => {
                    let (words, sub) = subcommand_of(cmd, args);
                    (words, usage_of(sub))
                }
            };
            usage_exit(message(err), &usage, &words)
        }
    }
}

/// The (sub)command the arguments name, and its command words (`ratsflow sign`).
fn subcommand_of<'a>(cmd: &'a clap::Command, args: &[OsString]) -> (String, &'a clap::Command) {
    let mut words = vec![cmd.get_name().to_string()];
    let mut current = cmd;
    for arg in args.iter().skip(1) {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        if let Some(next) = current.find_subcommand(arg) {
            words.push(arg.to_string());
            current = next;
        }
    }
    (words.join(" "), current)
}

/// The command words at the start of a usage line: `ratsflow sign` of `ratsflow sign [OPTIONEN] …`.
fn command_words(usage: &str) -> String {
    usage
        .split_whitespace()
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The German usage line of a built command, without heading.
fn usage_of(cmd: &clap::Command) -> String {
    german_usage(&cmd.clone().render_usage().to_string())
}

fn german_usage(usage: &str) -> String {
    usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[OPTIONEN]")
        .replace("<COMMAND>", "<BEFEHL>")
}

/// A usage error: `Fehler: …`, the usage line, and where to read more.
fn usage_exit(message: String, usage: &str, command: &str) -> Exit {
    Exit {
        code: 1,
        text: format!(
            "{}: {message}\n\nAufruf: {usage}\n\nMehr dazu: {command} --help\n",
            label()
        ),
        to_stderr: true,
    }
}

/// The German sentence for a usage error, with a suggestion where clap has one.
fn message(err: &clap::Error) -> String {
    let arg = text_of(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = text_of(err, ContextKind::InvalidValue).unwrap_or_default();
    let mut text = match err.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("unbekanntes Argument „{arg}“")
        }
        ErrorKind::UnknownArgument => format!("unerwartetes Argument „{arg}“"),
        ErrorKind::InvalidSubcommand => {
            let name = text_of(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("unbekannter Befehl „{name}“")
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = list_of(err, ContextKind::InvalidArg);
            let quoted: Vec<String> = missing.iter().map(|m| format!("„{m}“")).collect();
            if missing.len() == 1 {
                format!("es fehlt die Pflichtangabe {}", quoted.join(", "))
            } else {
                format!("es fehlen die Pflichtangaben {}", quoted.join(", "))
            }
        }
        ErrorKind::MissingSubcommand => {
            let known = list_of(err, ContextKind::ValidSubcommand);
            format!("es fehlt ein Befehl; möglich sind: {}", known.join(", "))
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("„{arg}“ braucht einen Wert"),
        ErrorKind::InvalidValue => {
            let valid = list_of(err, ContextKind::ValidValue);
            let mut text = format!("ungültiger Wert „{value}“ für „{arg}“");
            if !valid.is_empty() {
                text.push_str(&format!("; möglich sind: {}", valid.join(", ")));
            }
            text
        }
        ErrorKind::ValueValidation => {
            let mut text = format!("ungültiger Wert „{value}“ für „{arg}“");
            if let Some(reason) = std::error::Error::source(err) {
                text.push_str(&format!(": {reason}"));
            }
            text
        }
        ErrorKind::ArgumentConflict => {
            let prior = list_of(err, ContextKind::PriorArg);
            if prior.is_empty() || prior.contains(&arg) {
                format!("„{arg}“ darf nur einmal angegeben werden")
            } else {
                let quoted: Vec<String> = prior.iter().map(|p| format!("„{p}“")).collect();
                format!(
                    "„{arg}“ kann nicht zusammen mit {} angegeben werden",
                    quoted.join(", ")
                )
            }
        }
        ErrorKind::TooManyValues => {
            format!("unerwarteter Wert „{value}“ für „{arg}“; mehr Werte sind nicht erlaubt")
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("falsche Anzahl von Werten für „{arg}“")
        }
        ErrorKind::NoEquals => format!("„{arg}“ braucht ein Gleichheitszeichen: {arg}=WERT"),
        ErrorKind::InvalidUtf8 => "ein Argument ist kein gültiger Text (UTF-8)".to_string(),
        _ => "die Befehlszeile ist ungültig".to_string(),
    };
    let mut suggestions = list_of(err, ContextKind::SuggestedSubcommand);
    suggestions.extend(list_of(err, ContextKind::SuggestedArg));
    suggestions.extend(list_of(err, ContextKind::SuggestedValue));
    // clap's other tips are English sentences; the one naming an existing argument is kept.
    suggestions.extend(
        list_of(err, ContextKind::Suggested)
            .iter()
            .filter_map(|tip| {
                tip.strip_suffix("' exists")
                    .and_then(|t| t.strip_prefix('\''))
                    .map(str::to_string)
            }),
    );
    if !suggestions.is_empty() {
        let quoted: Vec<String> = suggestions.iter().map(|s| format!("„{s}“")).collect();
        text.push_str(&format!("; meinten Sie {}?", quoted.join(" oder ")));
    }
    text
}

/// A single-text context value, without styling.
fn text_of(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        _ => None,
    }
}

/// A list context value, without styling.
fn list_of(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// `Fehler`, bold red on a terminal, as the command layer prints it.
fn label() -> &'static str {
    if colors(std::io::IsTerminal::is_terminal(&std::io::stderr())) {
        "\x1b[1;31mFehler\x1b[0m"
    } else {
        "Fehler"
    }
}

fn color_on_stdout() -> bool {
    colors(std::io::IsTerminal::is_terminal(&std::io::stdout()))
}

fn colors(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn styled(text: &clap::builder::StyledStr, color: bool) -> String {
    if color {
        text.ansi().to_string()
    } else {
        text.to_string()
    }
}
