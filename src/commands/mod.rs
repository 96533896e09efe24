//! The command layer: the only place that reads the clock, prints, and maps outcomes to exit
//! codes (0 fine, 1 the input has problems or a request was refused, 2 the tool could not work).

mod check;
mod correct;
mod decide;
mod decision_file;
mod decision_words;
mod ics;
mod init;
mod meeting;
mod new;
mod oparl;
mod outbox;
mod record;
mod render;
mod run;
mod serve;
mod status;
mod status_decisions;
mod watch;
mod withdraw;

// Shared with the board of `ratsflow serve` (src/serve/board*.rs).
pub use status::{history_row, position_text};
pub use status_decisions::motion_lines;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};

use crate::cli::{Cli, Command};
use crate::diagnostic::{self, RenderStyle};
use crate::engine::{Inputs, PaperState};
use crate::load::{self, Loaded, Project};
use crate::model::Paper;

/// Why a command did not do what was asked.
#[derive(Debug)]
pub enum Failure {
    /// The input has problems (already reported) or the request was refused: exit 1.
    Input(String),
    /// The tool could not work (I/O, lock): exit 2.
    Tool(String),
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Input(_) => 1,
            Failure::Tool(_) => 2,
        }
    }
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

impl Ui {
    fn style(&self) -> RenderStyle {
        RenderStyle { color: self.color }
    }
}

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli, matches: &clap::ArgMatches) -> u8 {
    survive_file_size_limit();
    let ui = Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let root = cli.project.clone().unwrap_or_else(|| PathBuf::from("."));
    let now_arg = cli.now.clone();
    let result = match cli.command {
        Command::Init { dir } => init::run(&dir.unwrap_or(root), &ui),
        Command::Watch { poll, debounce } => {
            Session::open(&root, now_arg.as_deref(), ui).and_then(|session| {
                watch::run(
                    session,
                    &watch::Options {
                        poll_ms: poll,
                        debounce_ms: debounce,
                    },
                    now_arg.is_some(),
                )
            })
        }
        Command::Serve {
            listen,
            poll,
            debounce,
        } => Session::open(&root, now_arg.as_deref(), ui).and_then(|session| {
            serve::run(
                session,
                &serve::Options {
                    listen,
                    poll_ms: poll,
                    debounce_ms: debounce,
                },
                now_arg.is_some(),
            )
        }),
        command => {
            Session::open(&root, now_arg.as_deref(), ui).and_then(|mut session| match command {
                Command::Check => check::run(&mut session),
                Command::Run => run::run(&mut session),
                Command::Outbox { action, papers } => {
                    outbox::run(&mut session, action.as_deref(), &papers)
                }
                Command::Meeting(args) => meeting::run(&mut session, &args),
                Command::Render { papers } => render::run(&mut session, &papers),
                Command::Status { paper } => status::run(&mut session, paper.as_deref()),
                Command::New(args) => new::run(&mut session, &args),
                Command::Sign(args) => record::sign(&mut session, &args),
                Command::Return(args) => record::give_back(&mut session, &args),
                Command::Decide(args) => {
                    let votes = decide::votes_from_matches(matches, &args);
                    decide::run(&mut session, &args, votes)
                }
                Command::Withdraw(args) => withdraw::run(&mut session, &args),
                Command::Correct(args) => correct::run(&mut session, &args),
                Command::Oparl => oparl::run(&mut session),
                Command::Kalender { url } => ics::run(&mut session, url.as_deref()),
                Command::Init { .. } | Command::Watch { .. } | Command::Serve { .. } => Ok(()),
            })
        }
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            let (Failure::Input(message) | Failure::Tool(message)) = &failure;
            if !message.is_empty() {
                let prefix = if ui.color {
                    "\x1b[1;31mFehler\x1b[0m"
                } else {
                    "Fehler"
                };
                let message = crate::sanitize::text(message);
                let _ = writeln!(std::io::stderr(), "{prefix}: {message}");
            }
            failure.exit_code()
        }
    }
}

/// A file-size limit (`ulimit -f`) must end in an error the journal can undo, not in SIGXFSZ
/// killing the process halfway through a line: with a handler installed, `write` returns
/// `EFBIG` instead.
fn survive_file_size_limit() {
    #[cfg(unix)]
    {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
    }
}

/// A loaded project with the clock read once, shared by the commands.
pub struct Session {
    pub loaded: Loaded,
    pub now: DateTime<Utc>,
    pub ui: Ui,
    journals: crate::pass::Journals,
    /// Set by `watch`: prefer a small footprint over throughput.
    pub long_running: bool,
    /// When loading began: the watcher's first pass reads the project again only when an
    /// input changed since ([`load::inputs_changed_since`]).
    pub loaded_at: std::time::SystemTime,
}

impl Session {
    fn open(root: &Path, now: Option<&str>, ui: Ui) -> Result<Self, Failure> {
        let loaded_at = std::time::SystemTime::now();
        let loaded = load::load_project(root).map_err(|err| Failure::Tool(err.0))?;
        let tz = loaded
            .project
            .as_ref()
            .map_or(chrono_tz::Europe::Berlin, |p| p.settings.time_zone);
        let now = match now {
            None => Utc::now(),
            Some(text) => crate::model::dates::parse_now(text, tz)
                .map_err(|m| Failure::Input(format!("--now: {m}\n\nMehr dazu: ratsflow --help")))?,
        };
        Ok(Session {
            loaded,
            now,
            ui,
            journals: crate::pass::Journals::default(),
            long_running: false,
            loaded_at,
        })
    }

    /// The project, shared (see [`crate::load::Loaded::project`]).
    pub fn shared_project(&self) -> Result<std::sync::Arc<Project>, Failure> {
        self.project()?;
        self.loaded
            .project
            .clone()
            .ok_or_else(|| Failure::Input(String::new()))
    }

    /// The project, or a failure when the settings could not be read.
    pub fn project(&self) -> Result<&Project, Failure> {
        self.loaded.project.as_deref().ok_or_else(|| {
            self.print_diagnostics();
            Failure::Input(String::new())
        })
    }

    /// `now` with the project's UTC offset, for journal entries.
    pub fn now_local(&self) -> DateTime<FixedOffset> {
        let tz = self
            .loaded
            .project
            .as_ref()
            .map_or(chrono_tz::Europe::Berlin, |p| p.settings.time_zone);
        self.now.with_timezone(&tz).fixed_offset()
    }

    /// Prints every diagnostic to stderr.
    pub fn print_diagnostics(&self) {
        let mut err = std::io::stderr().lock();
        for d in self.loaded.diagnostics.sorted() {
            if self.ui.quiet && !d.is_error() {
                continue;
            }
            let text = diagnostic::render(d, self.loaded.sources.get(&d.file), self.ui.style());
            let _ = writeln!(err, "{text}");
        }
    }

    /// Drops a paper's journal from the cache, after it was written.
    pub fn forget_journal(&mut self, paper_id: &str) {
        self.journals.forget(paper_id);
    }

    /// Reads every paper's journal and outbox (those not read yet).
    pub fn load_journals(&mut self) -> Result<(), Failure> {
        let Some(project) = self.loaded.project.as_ref() else {
            return self.project().map(|_| ());
        };
        self.journals
            .load(project.folders(), project.papers.keys())
            .map_err(|e| Failure::Tool(e.to_string()))
    }

    /// Finds a paper by id or reference number; refuses with a German message.
    pub fn find_paper(&self, key: &str) -> Result<&Paper, Failure> {
        let project = self.project()?;
        if let Some(paper) = project.papers.get(key) {
            return Ok(paper);
        }
        if let Some(paper) = project
            .papers
            .values()
            .find(|p| p.reference.as_deref() == Some(key))
        {
            return Ok(paper);
        }
        if project.broken_papers.contains(key) {
            self.print_diagnostics();
            return Err(Failure::Input(format!(
                "„{key}“ hat Fehler (siehe oben); solange wird nichts eingetragen"
            )));
        }
        let known = project.papers.keys().map(String::as_str);
        let hint = diagnostic::did_you_mean(key, known)
            .map(|c| format!("; meinten Sie „{c}“?"))
            .unwrap_or_default();
        Err(Failure::Input(format!(
            "es gibt keine Drucksache „{key}“{hint}"
        )))
    }

    /// Runs `f` with the engine inputs and state of a paper at `now`; `None` when it cannot be
    /// evaluated. Its journal must have been read: otherwise a [`Failure::Tool`], never the
    /// state of an empty journal.
    pub fn with_state<R>(
        &self,
        paper: &Paper,
        f: impl FnOnce(&Inputs<'_>, &PaperState) -> R,
    ) -> Result<Option<R>, Failure> {
        let Some(project) = self.loaded.project.as_ref() else {
            return Ok(None);
        };
        crate::pass::with_state(project, &self.journals, paper, self.now, f)
            .map_err(|e| Failure::Tool(e.to_string()))
    }

    /// The engine's state of a paper at `now` (see [`Session::with_state`]).
    pub fn state_of(&self, paper: &Paper) -> Result<Option<PaperState>, Failure> {
        self.with_state(paper, |_, state| state.clone())
    }

    /// Prints a line to stdout unless quiet; characters that could steer the terminal are
    /// made visible ([`crate::sanitize::text`]).
    pub fn say(&self, text: &str) {
        if !self.ui.quiet {
            let text = crate::sanitize::text(text);
            let _ = writeln!(std::io::stdout(), "{text}");
        }
    }
}

/// German date format used in messages and tables.
pub fn date_de(date: chrono::NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}
