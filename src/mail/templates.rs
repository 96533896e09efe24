//! The mail templates of a project, loaded and compiled once with the other inputs.
//!
//! A mail template is input like a paper or a Word template: `templates/mail/<kind>.txt` when
//! the project has one, the built-in text otherwise. Each is compiled in the environment Word
//! templates share ([`crate::docx::german_environment`], with `datum`, `datum_lang`,
//! `wochentag` and `eur`) and test-rendered against sample values, so that a syntax error, an
//! unknown filter or a misspelt value is found by `ratsflow check` at its line and column —
//! not by a recipient, and not as a failed message. A notice whose template is broken waits
//! (nothing is recorded) and goes out on the first pass after the template is fixed.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use minijinja::value::Value;
use minijinja::{Environment, context};

use crate::engine::notices::NoticeKind;

/// Steps one mail rendering may take: generous for text, a stop for runaway loops.
const FUEL: u64 = 100_000;

/// Subject and body of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// A problem of one mail template, located in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateProblem {
    /// `mail/unterschrift.txt`, below the templates folder.
    pub name: String,
    /// The file, when the project has one (problems of built-in templates have none).
    pub file: Option<PathBuf>,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: usize,
    /// Length of the offending text, for the marker under it.
    pub len: usize,
    /// German explanation.
    pub message: String,
}

impl fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailvorlage „{}“", self.name)?;
        if let Some(line) = self.line {
            write!(f, ", Zeile {line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The compiled mail templates and the problems found while loading them.
pub struct MailTemplates {
    env: Environment<'static>,
    sources: BTreeMap<NoticeKind, String>,
    problems: BTreeMap<NoticeKind, TemplateProblem>,
}

impl fmt::Debug for MailTemplates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailTemplates")
            .field("problems", &self.problems)
            .finish_non_exhaustive()
    }
}

impl Default for MailTemplates {
    fn default() -> Self {
        Self::builtin()
    }
}

/// The built-in template of a kind.
pub fn default_template(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Sign => include_str!("../../templates/mail/unterschrift.txt"),
        NoticeKind::Resign => include_str!("../../templates/mail/erneut.txt"),
        NoticeKind::Reminder => include_str!("../../templates/mail/erinnerung.txt"),
        NoticeKind::Escalation => include_str!("../../templates/mail/eskalation.txt"),
        NoticeKind::Returned => include_str!("../../templates/mail/rueckgabe.txt"),
        NoticeKind::Completed => include_str!("../../templates/mail/abschluss.txt"),
        NoticeKind::Submitted => include_str!("../../templates/mail/einreichung.txt"),
        NoticeKind::Released => include_str!("../../templates/mail/erledigt.txt"),
        NoticeKind::RecordResult => include_str!("../../templates/mail/ergebnis.txt"),
        NoticeKind::Withdrawn => include_str!("../../templates/mail/rueckzug.txt"),
        NoticeKind::Invitation => include_str!("../../templates/mail/einladung.txt"),
        NoticeKind::Supplement => include_str!("../../templates/mail/nachtrag.txt"),
    }
}

/// The name of a kind's template below the templates folder: `mail/unterschrift.txt`.
pub fn template_name(kind: NoticeKind) -> String {
    format!("mail/{}.txt", kind.word())
}

impl MailTemplates {
    /// Only the built-in templates.
    pub fn builtin() -> Self {
        let sources = NoticeKind::ALL
            .into_iter()
            .map(|kind| (kind, default_template(kind).to_owned()))
            .collect();
        Self::compile(sources, &BTreeMap::new())
    }

    /// The templates of `templates_dir/mail/`, the built-in ones for the kinds without a file.
    /// A file that exists but cannot be read is a problem of its kind.
    pub fn load(templates_dir: &Path) -> Self {
        let mut sources = BTreeMap::new();
        let mut files = BTreeMap::new();
        let mut unreadable = Vec::new();
        for kind in NoticeKind::ALL {
            let file = templates_dir.join(template_name(kind));
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
                    sources.insert(kind, text);
                    files.insert(kind, file);
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    sources.insert(kind, default_template(kind).to_owned());
                }
                Err(err) => {
                    sources.insert(kind, String::new());
                    unreadable.push((kind, file, err));
                }
            }
        }
        let mut this = Self::compile(sources, &files);
        for (kind, file, err) in unreadable {
            this.problems.insert(
                kind,
                TemplateProblem {
                    name: template_name(kind),
                    file: Some(file),
                    line: None,
                    column: 1,
                    len: 1,
                    message: format!("die Datei kann nicht gelesen werden: {err}"),
                },
            );
        }
        this
    }

    fn compile(
        sources: BTreeMap<NoticeKind, String>,
        files: &BTreeMap<NoticeKind, PathBuf>,
    ) -> Self {
        let mut env = crate::docx::german_environment();
        env.set_keep_trailing_newline(true);
        env.set_fuel(Some(FUEL));
        let mut problems = BTreeMap::new();
        for (kind, source) in &sources {
            let name = template_name(*kind);
            let sample = sample_context(*kind);
            let result = env
                .add_template_owned(name.clone(), source.clone())
                .and_then(|()| env.get_template(&name)?.render(&sample).map(|_| ()));
            if let Err(err) = result {
                let problem = problem(&name, files.get(kind), source, &err, Some(&sample));
                problems.insert(*kind, problem);
            }
        }
        MailTemplates {
            env,
            sources,
            problems,
        }
    }

    /// Every problem found while loading, by kind.
    pub fn problems(&self) -> impl Iterator<Item = &TemplateProblem> {
        self.problems.values()
    }

    /// The source of the template a problem is in.
    pub fn source_of(&self, problem: &TemplateProblem) -> &str {
        NoticeKind::ALL
            .into_iter()
            .find(|kind| template_name(*kind) == problem.name)
            .map_or("", |kind| self.source(kind))
    }

    /// The source of a kind's template as loaded.
    pub fn source(&self, kind: NoticeKind) -> &str {
        self.sources.get(&kind).map_or("", String::as_str)
    }

    /// Fills the template of `kind`. The first line is the subject, the rest after one blank
    /// line the body. `Err` is a problem of the template: the notice waits for a fix.
    pub fn render(&self, kind: NoticeKind, data: &Value) -> Result<MailText, TemplateProblem> {
        if let Some(problem) = self.problems.get(&kind) {
            return Err(problem.clone());
        }
        let name = template_name(kind);
        let text = self
            .env
            .get_template(&name)
            .and_then(|template| template.render(data))
            .map_err(|err| problem(&name, None, self.source(kind), &err, Some(data)))?;
        let (subject, body) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        Ok(MailText {
            subject: subject.trim().to_string(),
            body: body.trim_start_matches('\n').to_string(),
        })
    }
}

/// A minijinja error as a located problem.
fn problem(
    name: &str,
    file: Option<&PathBuf>,
    source: &str,
    err: &minijinja::Error,
    data: Option<&Value>,
) -> TemplateProblem {
    let (line, column, len) = match (err.range(), err.line()) {
        (Some(range), _) => {
            let before = source.get(..range.start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |at| at + 1);
            let column = source
                .get(line_start..range.start)
                .map_or(1, |text| text.chars().count() + 1);
            let len = source
                .get(range.clone())
                .map_or(1, |text| text.chars().count().max(1));
            (Some(line), column, len)
        }
        (None, line) => (line, 1, 1),
    };
    TemplateProblem {
        name: name.to_owned(),
        file: file.cloned(),
        line,
        column,
        len,
        message: crate::docx::text_template_error(err, source, data),
    }
}

/// Values like those of a real notice, for the test rendering at load time. Every key a
/// template may use is set, so that a misspelt one is an error here.
pub fn sample_context(kind: NoticeKind) -> Value {
    context! {
        paper => context! {
            id => "2026-017",
            reference => "017/26",
            kind => "Beschlussvorlage",
            title => "Radverkehrskonzept",
            nominativ => "die Beschlussvorlage",
            akkusativ => "die Beschlussvorlage",
            dativ => "der Beschlussvorlage",
            genitiv => "der Beschlussvorlage",
        },
        recipient => context! {
            id => "landrat",
            name => "Petra Landwehr",
        },
        salutation => "Sehr geehrte Frau Landwehr,",
        stage => "Mitzeichnung",
        due => "07.12.2026",
        comment => "Bitte die Kosten ergänzen.",
        waiting => "Klaus Groß, Dana Weiß",
        rule => "Nötig sind 2 von 3 Mitzeichnungen.",
        co_signing => true,
        signing => "Mitzeichnung",
        body => "Kreistag",
        meeting => "10.12.2026",
        consultation => "Kreistag, Sitzung am 10.12.2026",
        outcome => "beschlossen",
        org => "Kreis Musterland",
        contact => "Ulrike Cramer",
        notice => kind.word(),
        agenda => ["TOP 1 Eröffnung", "TOP 2 Radverkehrskonzept (Drucksache 017/26)"],
        supplement => ["TOP 2a Dringlichkeitsantrag (Drucksache 017/26-1)"],
        ladungsfrist => "03.12.2026",
        antragsfrist => "26.11.2026",
        link => "https://ratsflow.kreis.example/z/eDFUb2tlbg.c2lnbmF0dXJl",
        vertretung => "Dr. Erika Beispiel",
    }
}
