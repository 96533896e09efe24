//! One problem in one input file, and how it is shown to the user.
//!
//! ratsflow never stops at the first mistake: every loader collects [`Diagnostic`]s into
//! [`Diagnostics`], and the command layer prints them all with [`render`], rustc-style, as
//! `path:line:column` with the source line, a caret under the culprit and a German hint.
//! Messages quote input (names, titles, file names): [`render`] passes message, path, source
//! line and hint through [`crate::sanitize`], so no input can steer the terminal.

use std::fmt;
use std::path::PathBuf;

/// A position in a text file: line and column, both 1-based; the column counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column in characters (not bytes), starting at 1.
    pub column: usize,
}

impl Location {
    /// The start of a file: 1:1.
    pub const START: Location = Location { line: 1, column: 1 };

    /// A location from 1-based line and column.
    pub fn new(line: usize, column: usize) -> Self {
        Location { line, column }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// How bad a problem is: errors stop a paper, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be used as written.
    Error,
    /// The input works but is probably not what was meant.
    Warning,
}

impl Severity {
    /// The German word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Fehler",
            Severity::Warning => "Warnung",
        }
    }
}

/// One problem in one input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file as it should be shown: relative to the project root.
    pub file: PathBuf,
    /// Where in the file, if known.
    pub location: Option<Location>,
    /// Caret width in characters, at least 1.
    pub width: usize,
    /// German, no trailing period.
    pub message: String,
    /// German advice on how to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error in `file`, without location yet.
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file.into(), message.into())
    }

    /// A warning in `file`, without location yet.
    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file.into(), message.into())
    }

    fn new(severity: Severity, file: PathBuf, message: String) -> Self {
        Diagnostic {
            severity,
            file,
            location: None,
            width: 1,
            message,
            hint: None,
        }
    }

    /// Places the diagnostic at `location`, underlining `width` characters (at least one).
    pub fn at(mut self, location: Location, width: usize) -> Self {
        self.location = Some(location);
        self.width = width.max(1);
        self
    }

    /// Adds a German hint, printed as `= Hinweis: …`.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// All problems found in one pass, in a stable order (file, then location, then message).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds several problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors there are.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings there are.
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| !d.is_error()).count()
    }

    /// All problems ordered by file, then location (unlocated first), then message.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut all: Vec<&Diagnostic> = self.items.iter().collect();
        all.sort_by(|a, b| {
            (&a.file, a.location, &a.message, a.severity)
                .cmp(&(&b.file, b.location, &b.message, b.severity))
        });
        all
    }

    /// Whether there is no problem at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.items.extend(iter);
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// How to render: with or without ANSI colours.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderStyle {
    /// Colour the `Fehler`/`Warnung` label (bold red / bold yellow).
    pub color: bool,
}

/// How many terminal cells a tab takes in a rendered source line.
const TAB_WIDTH: usize = 4;

/// At most this many blanks are added after the end of a line to reach a bogus column.
const MAX_PAD: usize = 500;

/// Renders one diagnostic with the source text of its file (None when unavailable: then no
/// source line is shown, only the message, the `-->` line and the hint, if any).
///
/// ```text
/// Fehler: unbekannter Schlüssel „titel“
///   --> papers/2026-042.yaml:3:1
///    |
///  3 | titel: Kommunale Sozialarbeit
///    | ^^^^^
///    = Hinweis: meinten Sie „title“?
/// ```
pub fn render(d: &Diagnostic, source: Option<&str>, style: RenderStyle) -> String {
    use fmt::Write as _;

    let label = d.severity.label();
    let message = crate::sanitize::text(&d.message);
    let mut out = String::new();
    if style.color {
        let code = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        let _ = writeln!(out, "\x1b[{code}m{label}\x1b[0m: {message}");
    } else {
        let _ = writeln!(out, "{label}: {message}");
    }
    let gutter = d.location.map_or(2, |loc| digits(loc.line).max(2)).max(2);
    let shown_file = d.file.display().to_string();
    let file = crate::sanitize::line(&shown_file);
    match d.location {
        Some(loc) => {
            let _ = writeln!(out, "{:gutter$}--> {file}:{}:{}", "", loc.line, loc.column);
        }
        None => {
            let _ = writeln!(out, "{:gutter$}--> {file}", "");
        }
    }
    if let (Some(loc), Some(text)) = (d.location, source) {
        let line = source_line(text, loc.line);
        let (shown, pad, carets) = layout(line, loc.column, d.width);
        let _ = writeln!(out, "{:w$}|", "", w = gutter + 1);
        let _ = writeln!(out, "{:>gutter$} | {shown}", loc.line);
        let _ = writeln!(
            out,
            "{:w$}| {}{}",
            "",
            " ".repeat(pad),
            "^".repeat(carets),
            w = gutter + 1
        );
    }
    if let Some(hint) = &d.hint {
        let hint = crate::sanitize::text(hint);
        let _ = writeln!(out, "{:w$}= Hinweis: {hint}", "", w = gutter + 1);
    }
    if out.ends_with('\n') {
        out.pop();
    }
    out
}

/// Number of decimal digits of `n`.
fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// Line `line` (1-based) of `text` without its line break; empty past the end.
fn source_line(text: &str, line: usize) -> &str {
    let found = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    found.strip_suffix('\r').unwrap_or(found)
}

/// The line as displayed (tabs expanded, control characters made visible), the number of cells
/// before the caret and the number of carets.
fn layout(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let mut shown = String::with_capacity(line.len());
    let mut pad = 0;
    let mut carets = 0;
    let start = column.max(1) - 1;
    let end = start.saturating_add(width.max(1));
    let mut count = 0;
    for (i, c) in line.chars().enumerate() {
        count = i + 1;
        let cells = if c == '\t' {
            shown.push_str(&" ".repeat(TAB_WIDTH));
            TAB_WIDTH
        } else if crate::sanitize::is_dangerous(c) {
            shown.push(crate::sanitize::visible(c));
            1
        } else {
            shown.push(c);
            cell_width(c)
        };
        if i < start {
            pad += cells;
        } else if i < end {
            carets += cells;
        }
    }
    // The span may reach past the end of the line (e.g. a location at end of file).
    if start > count {
        pad += (start - count).min(MAX_PAD);
    }
    let beyond = end.saturating_sub(count.max(start));
    carets += beyond;
    (shown, pad, carets.clamp(1, 1000))
}

/// Terminal cells of a character: 2 for wide East Asian characters and most emoji, 0 for
/// combining marks and zero-width characters, 1 otherwise.
fn cell_width(c: char) -> usize {
    let u = u32::from(c);
    match u {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x1FA70..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// The closest candidate to a misspelt word, or None when nothing is close enough.
///
/// A candidate is close when its Damerau-Levenshtein distance is at most `max(1, len/3)` or its
/// Jaro-Winkler similarity is at least 0.85 (compared case-insensitively); the best one wins.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_lowercase();
    let limit = (given.chars().count() / 3).max(1);
    let mut best: Option<(usize, f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == given || candidate.is_empty() {
            continue;
        }
        let lower = candidate.to_lowercase();
        let distance = strsim::damerau_levenshtein(&given_lower, &lower);
        let similarity = strsim::jaro_winkler(&given_lower, &lower);
        let longest = given_lower.chars().count().max(lower.chars().count());
        if distance >= longest || (distance > limit && similarity < 0.85) {
            continue;
        }
        let better = match best {
            None => true,
            Some((d, s, _)) => distance < d || (distance == d && similarity > s),
        };
        if better {
            best = Some((distance, similarity, candidate));
        }
    }
    best.map(|(_, _, candidate)| candidate)
}

/// The closing line of a check: "1 Fehler, 2 Warnungen" / "2 Fehler" / "1 Warnung" /
/// "keine Probleme".
pub fn summary_line(errors: usize, warnings: usize) -> String {
    let warning_word = |n: usize| if n == 1 { "Warnung" } else { "Warnungen" };
    match (errors, warnings) {
        (0, 0) => "keine Probleme".to_string(),
        (e, 0) => format!("{e} Fehler"),
        (0, w) => format!("{w} {}", warning_word(w)),
        (e, w) => format!("{e} Fehler, {w} {}", warning_word(w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown_key() -> Diagnostic {
        Diagnostic::error("papers/2026-042.yaml", "unbekannter Schlüssel „titel“")
            .at(Location::new(3, 1), 5)
            .with_hint("meinten Sie „title“?")
    }

    const PAPER: &str =
        "kind: Beschlussvorlage\nworkflow: standard\ntitel: Kommunale Sozialarbeit\n";

    #[test]
    fn renders_with_hint() {
        let text = render(&unknown_key(), Some(PAPER), RenderStyle::default());
        assert_eq!(
            text,
            "Fehler: unbekannter Schlüssel „titel“\n\
             \x20 --> papers/2026-042.yaml:3:1\n\
             \x20  |\n\
             \x203 | titel: Kommunale Sozialarbeit\n\
             \x20  | ^^^^^\n\
             \x20  = Hinweis: meinten Sie „title“?"
        );
    }

    #[test]
    fn renders_without_hint_as_warning() {
        let d = Diagnostic::warning("papers/a.yaml", "seltsam").at(Location::new(2, 11), 8);
        let text = render(&d, Some(PAPER), RenderStyle::default());
        assert_eq!(
            text,
            "Warnung: seltsam\n\
             \x20 --> papers/a.yaml:2:11\n\
             \x20  |\n\
             \x202 | workflow: standard\n\
             \x20  |           ^^^^^^^^"
        );
    }

    #[test]
    fn gutter_grows_with_line_number() {
        let mut text = String::new();
        for i in 1..=120 {
            text.push_str(&format!("k{i}: v\n"));
        }
        let d = Diagnostic::error("x.yaml", "kaputt").at(Location::new(120, 7), 1);
        assert_eq!(
            render(&d, Some(&text), RenderStyle::default()),
            "Fehler: kaputt\n   --> x.yaml:120:7\n    |\n120 | k120: v\n    |       ^"
        );
        let d = Diagnostic::error("x.yaml", "kaputt").at(Location::new(12, 1), 3);
        assert_eq!(
            render(&d, Some(&text), RenderStyle::default()),
            "Fehler: kaputt\n  --> x.yaml:12:1\n   |\n12 | k12: v\n   | ^^^"
        );
    }

    #[test]
    fn tabs_and_umlauts_before_the_caret() {
        let source = "a:\n\tbäüm: 😀 x\n";
        let d = Diagnostic::error("t.yaml", "hier").at(Location::new(2, 8), 1);
        assert_eq!(
            render(&d, Some(source), RenderStyle::default()),
            "Fehler: hier\n  --> t.yaml:2:8\n   |\n 2 |     bäüm: 😀 x\n   |           ^^"
        );
        let d = Diagnostic::error("t.yaml", "hier").at(Location::new(2, 10), 1);
        assert!(render(&d, Some(source), RenderStyle::default()).ends_with("|              ^"));
        let d = Diagnostic::error("t.yaml", "hier").at(Location::new(2, 2), 4);
        assert!(render(&d, Some(source), RenderStyle::default()).ends_with("|     ^^^^"));
    }

    #[test]
    fn without_location_or_source() {
        let d = Diagnostic::error("papers/x.yaml", "Datei kann nicht gelesen werden");
        assert_eq!(
            render(&d, Some("a: 1\n"), RenderStyle::default()),
            "Fehler: Datei kann nicht gelesen werden\n  --> papers/x.yaml"
        );
        let d = d.with_hint("ratsflow init legt eines an");
        assert_eq!(
            render(&d, None, RenderStyle::default()),
            "Fehler: Datei kann nicht gelesen werden\n  --> papers/x.yaml\n   = Hinweis: ratsflow init legt eines an"
        );
        let d = Diagnostic::error("p.yaml", "x").at(Location::new(3, 1), 5);
        assert_eq!(
            render(&d, None, RenderStyle::default()),
            "Fehler: x\n  --> p.yaml:3:1"
        );
    }

    #[test]
    fn location_past_the_end() {
        let d = Diagnostic::error("p.yaml", "Ende").at(Location::new(9, 40), 3);
        assert_eq!(
            render(&d, Some("a: 1\n"), RenderStyle::default()),
            "Fehler: Ende\n  --> p.yaml:9:40\n   |\n 9 | \n   | ".to_string()
                + &" ".repeat(39)
                + "^^^"
        );
        let d = Diagnostic::error("p.yaml", "Ende").at(Location::new(1, 3), 10);
        assert!(render(&d, Some("a: 1"), RenderStyle::default()).ends_with("|   ^^^^^^^^^^"));
        let d = Diagnostic::error("p.yaml", "x").at(Location::new(0, 0), 0);
        let _ = render(&d, Some(""), RenderStyle::default());
        let d = Diagnostic::error("p.yaml", "x").at(Location::new(usize::MAX, usize::MAX), 7);
        let _ = render(&d, Some("a\n"), RenderStyle::default());
    }

    #[test]
    fn color_only_on_the_label() {
        let plain = render(&unknown_key(), Some(PAPER), RenderStyle::default());
        let colored = render(&unknown_key(), Some(PAPER), RenderStyle { color: true });
        assert_eq!(colored.replace("\x1b[1;31mFehler\x1b[0m", "Fehler"), plain);
        let warning = Diagnostic::warning("a", "b");
        assert!(
            render(&warning, None, RenderStyle { color: true })
                .starts_with("\x1b[1;33mWarnung\x1b[0m: b")
        );
    }

    #[test]
    fn input_in_message_path_source_and_hint_cannot_steer_the_terminal() {
        let title = "Haushalt\u{1b}]0;pwned\u{7}\u{202e}";
        let source = format!("title: {title}\n");
        let d = Diagnostic::error(
            format!("papers/\u{1b}[2J{title}.yaml"),
            format!("unbekannter Titel „{title}“"),
        )
        .at(Location::new(1, 8), 8)
        .with_hint(format!("meinten Sie „{title}“?"));
        let text = render(&d, Some(&source), RenderStyle { color: true });
        assert_eq!(
            text,
            "\x1b[1;31mFehler\x1b[0m: unbekannter Titel „Haushalt␛]0;pwned␇�“\n\
             \x20 --> papers/␛[2JHaushalt␛]0;pwned␇�.yaml:1:8\n\
             \x20  |\n\
             \x201 | title: Haushalt␛]0;pwned␇�\n\
             \x20  |        ^^^^^^^^\n\
             \x20  = Hinweis: meinten Sie „Haushalt␛]0;pwned␇�“?"
        );
        assert_eq!(text.matches('\x1b').count(), 2, "only the colour codes");
    }

    #[test]
    fn suggestions() {
        let keys = ["title", "workflow", "meetings", "proposal", "id"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("Title", keys), Some("title"));
        assert_eq!(did_you_mean("workflwo", keys), Some("workflow"));
        assert_eq!(did_you_mean("meeting", keys), Some("meetings"));
        assert_eq!(did_you_mean("ic", keys), Some("id"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
        assert_eq!(did_you_mean("title", keys), None);
        assert_eq!(did_you_mean("", keys), None);
    }

    #[test]
    fn summaries() {
        assert_eq!(summary_line(1, 2), "1 Fehler, 2 Warnungen");
        assert_eq!(summary_line(2, 0), "2 Fehler");
        assert_eq!(summary_line(0, 1), "1 Warnung");
        assert_eq!(summary_line(1, 1), "1 Fehler, 1 Warnung");
        assert_eq!(summary_line(0, 0), "keine Probleme");
    }

    #[test]
    fn sorted_and_counted() {
        let mut all = Diagnostics::new();
        assert!(all.is_empty());
        all.push(Diagnostic::warning("b.yaml", "w").at(Location::new(1, 1), 1));
        all.push(Diagnostic::error("a.yaml", "z").at(Location::new(2, 1), 1));
        all.extend([
            Diagnostic::error("a.yaml", "y").at(Location::new(2, 1), 1),
            Diagnostic::error("a.yaml", "ohne Ort"),
        ]);
        let order: Vec<&str> = all.sorted().iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["ohne Ort", "y", "z", "w"]);
        assert!(all.has_errors());
        assert_eq!((all.error_count(), all.warning_count()), (3, 1));
        assert_eq!(all.iter().count(), 4);
    }
}
