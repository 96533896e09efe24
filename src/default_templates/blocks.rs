//! Building blocks of the default templates: a body builder that wraps parts in structural tags
//! (`{%p if … %}`, `{%p for … %}`), paragraphs with tags, the letterhead and page footer, label
//! lines, the label/value box, the Beratungsfolge and the signature table.
//!
//! Every structural tag sits alone in its own paragraph (style "Vorlagensteuerung", small and
//! grey, so that an author sees what is text and what is control) or its own table row: the
//! engine replaces that paragraph or row by the tag, so nothing of it reaches the output.

use docx_rs::{
    BorderType, Docx, Footer, Header, HeightRule, IndentLevel, NumPages, NumberingId, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, Shading,
    SpecialIndentType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::{package, styles};
use crate::model::NumberStyle;
use crate::model::proposal::{LEVELS, num_key};
use styles::{CONTROL, HANG, TEXT_WIDTH};

/// A paragraph or a table of the document body.
enum Block {
    Para(Box<Paragraph>),
    Table(Box<Table>),
}

/// The body of a template, built front to back.
#[derive(Default)]
pub(crate) struct Body(Vec<Block>);

impl Body {
    pub(crate) fn new() -> Body {
        Body::default()
    }

    /// Adds a paragraph.
    pub(crate) fn p(mut self, paragraph: Paragraph) -> Body {
        self.0.push(Block::Para(Box::new(paragraph)));
        self
    }

    /// Adds a table.
    pub(crate) fn table(mut self, table: Table) -> Body {
        self.0.push(Block::Table(Box::new(table)));
        self
    }

    /// Adds what `inner` adds between `{%p if condition %}` and `{%p endif %}`.
    pub(crate) fn when(self, condition: &str, inner: impl FnOnce(Body) -> Body) -> Body {
        let body = self.p(control(&format!("{{%p if {condition} %}}")));
        inner(body).p(control("{%p endif %}"))
    }

    /// Adds label lines („Drucksachen-Nr.:“ and its value at a tab stop), each conditional
    /// line inside `{%p if … %}`. Paragraphs, not a borderless table: a layout table would
    /// reach a screen reader as a data table without head cells (PDF/UA-1 7.5).
    pub(crate) fn info(mut self, lines: &[Info<'_>]) -> Body {
        for (i, line) in lines.iter().enumerate() {
            let paragraph = label_line(line, i + 1 < lines.len());
            self = match line.when {
                Some(condition) => self.when(condition, |b| b.p(paragraph)),
                None => self.p(paragraph),
            };
        }
        self
    }

    /// Continues with `f` (for blocks that are functions of a body).
    pub(crate) fn then(self, f: impl FnOnce(Body) -> Body) -> Body {
        f(self)
    }

    /// Adds what `inner` adds between `{%p for head %}` and `{%p endfor %}`.
    pub(crate) fn each(self, head: &str, inner: impl FnOnce(Body) -> Body) -> Body {
        let body = self.p(control(&format!("{{%p for {head} %}}")));
        inner(body).p(control("{%p endfor %}"))
    }
}

/// The finished template: shared styles and page, the letterhead on the first page, the
/// short header on every further page, the footer and the body.
pub(crate) fn template(letterhead: Header, short: Header, footer: Footer, body: Body) -> Vec<u8> {
    // The first page's header first, so that it is `header1.xml`, the one authors open.
    let mut docx: Docx = styles::document()
        .first_header(letterhead)
        .header(short)
        .title_pg()
        .footer(footer);
    for block in body.0 {
        docx = match block {
            Block::Para(p) => docx.add_paragraph(*p),
            Block::Table(t) => docx.add_table(*t),
        };
    }
    package::finish(docx)
}

/// A run of text (tags included).
pub(crate) fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

/// A paragraph in a style.
pub(crate) fn styled(style: &str, text: &str) -> Paragraph {
    Paragraph::new().style(style).add_run(run(text))
}

/// A paragraph in the Normal style.
pub(crate) fn plain(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

/// A paragraph holding only a structural tag.
pub(crate) fn control(tag: &str) -> Paragraph {
    styled(CONTROL, tag)
}

/// `{{p expression }}`: rich text (Markdown with `|md`) in place of the paragraph.
pub(crate) fn rich(expression: &str) -> Paragraph {
    plain(&format!("{{{{p {expression} }}}}"))
}

/// A bold label followed by a value on one line: „Finanzierung: {{ … }}“.
pub(crate) fn field(label: &str, value: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(label).bold())
        .add_run(run(" "))
        .add_run(run(value))
}

/// A numbered point: number, tab, text, with a hanging indentation.
pub(crate) fn numbered(number: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .indent(
            Some(HANG),
            Some(SpecialIndentType::Hanging(HANG)),
            None,
            None,
        )
        .add_run(run(number))
        .add_run(Run::new().add_tab())
        .add_run(run(text))
}

/// A paragraph in `style` indented as far as the text of a numbered point (a note under it).
pub(crate) fn indented(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .indent(
            Some(HANG),
            Some(SpecialIndentType::FirstLine(0)),
            None,
            None,
        )
        .add_run(run(text))
}

/// A decided or amended proposal (`item in …`, items as
/// [`crate::documents::outline::LineView`]): its points and sub-points in Word numbering of
/// the paper's style, numbered anew after inserted and deleted points, each changed one with
/// its note („(geändert durch …)“) in italics under it. The Beschlussentwurf and the
/// Beschlussauszug print their text with it.
pub(crate) fn noted_outline(body: Body, head: &str) -> Body {
    outline(body, head, |b| {
        b.when("item.note", |b| {
            b.p(indented(styles::NOTE, "{{ item.note }}"))
        })
    })
}

/// The lines of a numbered list (`item in …`, items as [`crate::model::proposal::Item`]):
/// each line with the Word numbering of its style and level, or without a number when it has
/// none (a single point). `after` adds what follows each line (a marker, a note).
pub(crate) fn outline(body: Body, head: &str, after: impl Fn(Body) -> Body) -> Body {
    body.each(head, |mut b| {
        b = b.when("not item.num", |b| b.p(outline_line(None, 0)));
        for style in NumberStyle::ALL {
            for level in 0..LEVELS {
                let key = num_key(style, level);
                b = b.when(&format!("item.num == \"{key}\""), |b| {
                    b.p(outline_line(Some(style), level))
                });
            }
        }
        after(b)
    })
}

/// One line of a numbered list: Word numbering of `style` at `level`, or none.
fn outline_line(style: Option<NumberStyle>, level: usize) -> Paragraph {
    let paragraph = Paragraph::new().add_run(run("{{ item.text }}"));
    match style {
        Some(style) => paragraph.numbering(
            NumberingId::new(styles::proposal_numbering(style)),
            IndentLevel::new(level),
        ),
        None => paragraph.indent(Some(0), None, None, None),
    }
}

/// A paragraph that only makes vertical room (before a signature).
pub(crate) fn gap() -> Paragraph {
    Paragraph::new().add_run(run(""))
}

/// The page header: first letterhead line in bold, the further lines below it, and a rule.
/// `first` is the expression of the first line, `rest` that of the list of further lines.
pub(crate) fn letterhead(first: &str, rest: &str) -> Header {
    let mut last = Paragraph::new().style(styles::HEADER).add_run(run(""));
    last.property = last.property.set_borders(rule());
    Header::new()
        .add_paragraph(
            Paragraph::new().style(styles::HEADER).add_run(
                run(&format!("{{{{ {first} }}}}"))
                    .bold()
                    .size(26)
                    .color("000000"),
            ),
        )
        .add_paragraph(control(&format!("{{%p for line in ({rest}) %}}")))
        .add_paragraph(styled(styles::HEADER, "{{ line }}"))
        .add_paragraph(control("{%p endfor %}"))
        .add_paragraph(last)
}

/// The header of every page after the first: one line (text with tags, e.g. organisation and
/// Drucksachen-Nr.) above a rule.
pub(crate) fn short_header(line: &str) -> Header {
    let mut paragraph = Paragraph::new()
        .style(styles::HEADER)
        .add_run(run(line).color(styles::GREY));
    paragraph.property = paragraph.property.set_borders(rule());
    Header::new().add_paragraph(paragraph)
}

/// The organisation's letterhead: its lines from the settings, or its name.
pub(crate) fn org_letterhead() -> Header {
    letterhead(
        "org.letterhead[0] if org.letterhead else org.name",
        "org.letterhead[1:]",
    )
}

/// The grey rule under a page header.
fn rule() -> ParagraphBorders {
    ParagraphBorders::with_empty().set(
        ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(6)
            .space(4)
            .color("808080"),
    )
}

/// The page footer: `left` (text with tags), then „Seite X von Y“ at the right margin.
pub(crate) fn footer(left: &str) -> Footer {
    Footer::new().add_paragraph(
        Paragraph::new()
            .style(styles::FOOTER)
            .add_run(run(left))
            .add_run(Run::new().add_tab())
            .add_run(run("Seite "))
            .add_page_num(PageNum::new())
            .add_run(run(" von "))
            .add_num_pages(NumPages::new()),
    )
}

fn cell(width: usize, paragraph: Paragraph) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(paragraph)
}

/// A row holding a structural tag in its first cell (the engine replaces the whole row).
fn control_row(widths: &[usize], tag: &str) -> TableRow {
    let cells = widths
        .iter()
        .enumerate()
        .map(|(i, &w)| cell(w, if i == 0 { control(tag) } else { control("") }))
        .collect();
    TableRow::new(cells)
}

fn table(rows: Vec<TableRow>, widths: &[usize], grid: bool) -> Table {
    let table = Table::without_borders(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed);
    if grid {
        table.style(styles::TABLE_GRID)
    } else {
        table
    }
}

/// One line of a label/value table; `when` makes it conditional.
pub(crate) struct Info<'a> {
    pub label: &'a str,
    pub value: &'a str,
    pub when: Option<&'a str>,
}

/// Where the value of a label line starts (5.3 cm), as the value column of a label table.
const LABEL_WIDTH: usize = 3000;

/// A label line: the label in bold, a tab, the value; the hanging indentation is both the tab
/// stop (Word and LibreOffice stop at it by default) and where a longer value wraps to. `keep` keeps it with the next line.
fn label_line(line: &Info<'_>, keep: bool) -> Paragraph {
    let width = LABEL_WIDTH as i32;
    Paragraph::new()
        .keep_next(keep)
        .indent(
            Some(width),
            Some(SpecialIndentType::Hanging(width)),
            None,
            None,
        )
        .add_run(run(line.label).bold())
        .add_run(Run::new().add_tab())
        .add_run(run(line.value))
}

/// The same table with borders: the box a Vorlage prints its Finanzielle Auswirkungen in. The
/// first line must be unconditional (Word rejects a table without rows).
pub(crate) fn box_table(lines: &[Info<'_>]) -> Table {
    label_table(lines, true)
}

fn label_table(lines: &[Info<'_>], grid: bool) -> Table {
    let widths = [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH];
    let mut rows = Vec::new();
    for line in lines {
        if let Some(condition) = line.when {
            rows.push(control_row(&widths, &format!("{{%tr if {condition} %}}")));
        }
        rows.push(
            TableRow::new(vec![
                // Keeping each label with the next line keeps the table on one page.
                cell(
                    widths[0],
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(run(line.label).bold()),
                ),
                cell(widths[1], plain(line.value)),
            ])
            .cant_split(),
        );
        if line.when.is_some() {
            rows.push(control_row(&widths, "{%tr endif %}"));
        }
    }
    table(rows, &widths, grid)
}

fn head_row(widths: &[usize], titles: &[&str]) -> TableRow {
    let cells = widths
        .iter()
        .zip(titles)
        .map(|(&w, title)| {
            cell(
                w,
                Paragraph::new().keep_next(true).add_run(run(title).bold()),
            )
            .shading(Shading::new().fill("E7E6E6").color("auto"))
        })
        .collect();
    TableRow::new(cells).cant_split()
}

/// A grid table with a shaded head row and one row per item of `head` (`c in paper.…`).
fn loop_table(titles: &[&str], widths: &[usize], head: &str, values: &[&str]) -> Table {
    let row = TableRow::new(
        widths
            .iter()
            .zip(values)
            .map(|(&w, value)| cell(w, plain(value)))
            .collect(),
    )
    .cant_split();
    let rows = vec![
        head_row(widths, titles),
        control_row(widths, &format!("{{%tr for {head} %}}")),
        row,
        control_row(widths, "{%tr endfor %}"),
    ];
    table(rows, widths, true)
}

/// The Beratungsfolge: Gremium | Datum | Ö/N | TOP | Zuständigkeit (| Ergebnis), one row per
/// consultation.
pub(crate) fn consultations(with_result: bool) -> Table {
    let date = "{{ c.date|datum if c.date else \"\" }}";
    let top = "{{ c.top or \"\" }}";
    if with_result {
        loop_table(
            &[
                "Gremium",
                "Datum",
                "Ö/N",
                "TOP",
                "Zuständigkeit",
                "Ergebnis",
            ],
            &[3054, 1300, 600, 700, 1800, 1900],
            "c in paper.consultations",
            &[
                "{{ c.body }}",
                date,
                "{{ c.part }}",
                top,
                "{{ c.role }}",
                "{{ c.result or \"\" }}",
            ],
        )
    } else {
        loop_table(
            &["Gremium", "Datum", "Ö/N", "TOP", "Zuständigkeit"],
            &[4354, 1400, 700, 800, 2100],
            "c in paper.consultations",
            &["{{ c.body }}", date, "{{ c.part }}", top, "{{ c.role }}"],
        )
    }
}

/// The heading of a group of signatures, as on the seed's form: „Datum / Unterschrift
/// Auftraggeber“ (a stage titled „Unterschrift …“ gives its title, any other its role).
const SIGNING_HEAD: &str = "Datum / {{ g.title if g.title is startingwith(\"Unterschrift\") \
else \"Unterschrift \" ~ g.role }}";

/// One sign stage `g` as a form: a head row („Datum / Unterschrift Auftraggeber“), then one
/// row per signer („Landrat:“) with the date of the signature or room to sign by hand. The
/// rows cannot split and keep with the next, so the block never breaks from its head.
pub(crate) fn signing_table() -> Table {
    let widths = [3800, TEXT_WIDTH - 3800];
    let kept = |text: &str| {
        Paragraph::new()
            .keep_next(true)
            .keep_lines(true)
            .add_run(run(text))
    };
    let row = TableRow::new(vec![
        cell(widths[0], kept("{{ s.label }}:")),
        cell(
            widths[1],
            kept("{{ s.date|datum if s.date else \"\" }}{{ \"   i. V. \" ~ s.deputy if s.deputy else \"\" }}"),
        ),
    ])
    .cant_split()
    .row_height(680.0)
    .height_rule(HeightRule::AtLeast);
    let rows = vec![
        head_row(&widths, &[SIGNING_HEAD, ""]),
        control_row(&widths, "{%tr for s in g.rows %}"),
        row,
        control_row(&widths, "{%tr endfor %}"),
    ];
    table(rows, &widths, true)
}

/// „Mitgezeichnet: Fatma Şahin (Fachbereich Soziales) am 06.05.2019“.
const CO_SIGNED: &str = "Mitgezeichnet: {{ s.name }}\
{{ \" (\" ~ s.function ~ \")\" if s.function else \"\" }}\
{{ \", i. V. \" ~ s.deputy if s.deputy else \"\" }} am {{ s.date|datum }}";

/// The signature block of a form: a table per sign stage except the co-signing ones, whose
/// given signatures follow as lines (a form has no rows for them; seed 000 shows none).
pub(crate) fn signing_section(body: Body) -> Body {
    body.when("paper.signing", |b| {
        b.each("g in paper.signing if g.role != \"Mitzeichnung\"", |b| {
            b.p(Paragraph::new().keep_next(true).add_run(run("")))
                .table(signing_table())
        })
        .p(gap())
        .each("g in paper.signing if g.role == \"Mitzeichnung\"", |b| {
            b.each("s in g.rows if s.date", |b| {
                b.p(styled(styles::NOTE, CO_SIGNED))
            })
        })
    })
}

/// The Beratungsfolge under its heading, if the paper has consultations.
pub(crate) fn consultation_section(body: Body, with_result: bool) -> Body {
    body.when("paper.consultations", |b| {
        b.p(styled(styles::HEADING2, "Beratungsfolge"))
            .table(consultations(with_result))
            .p(gap())
    })
}
