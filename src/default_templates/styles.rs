//! The look every default template shares: A4 page, Arial 11 pt, German, and the styles rich
//! text needs, under the built-in names Word and the engine look up ("Normal", "Title",
//! "heading 1"–"heading 3", "List Bullet", "List Number" with levels 2 and 3, "Table Grid",
//! "header", "footer") plus three of our own ("Hinweis", "Warnung", "Vorlagensteuerung").
//!
//! The list styles carry real Word numbering (bullets •, –, ▪ and numbers 1., a), i.), so a
//! Markdown list in a Sachverhalt becomes a Word list an author can go on typing in.

use crate::model::NumberStyle;
use docx_rs::{
    AbstractNumbering, BorderType, Docx, IndentLevel, Level, LevelJc, LevelText, LineSpacing,
    LineSpacingType, NumberFormat, Numbering, NumberingId, ParagraphBorder,
    ParagraphBorderPosition, ParagraphBorders, ParagraphProperty, RunFonts, Shading,
    SpecialIndentType, Start, Style, StyleType, TableBorder, TableBorderPosition, TableBorders,
    TableCellMargins, TableProperty,
};

/// Style ids (Word's English ids; the engine finds them by name).
pub(crate) const TITLE: &str = "Title";
pub(crate) const SUBTITLE: &str = "Subtitle";
pub(crate) const HEADING1: &str = "Heading1";
pub(crate) const HEADING2: &str = "Heading2";
pub(crate) const HEADING3: &str = "Heading3";
pub(crate) const LIST_BULLET: &str = "ListBullet";
pub(crate) const TABLE_GRID: &str = "TableGrid";
pub(crate) const HEADER: &str = "Header";
pub(crate) const FOOTER: &str = "Footer";
pub(crate) const NOTE: &str = "Hinweis";
pub(crate) const WARNING: &str = "Warnung";
pub(crate) const CONTROL: &str = "Vorlagensteuerung";

/// Width of the text area in twentieths of a point: A4 (11906) less 2.5 cm and 2 cm margins.
pub(crate) const TEXT_WIDTH: usize = 9354;

/// Hanging indentation of a list or numbered point (0.75 cm).
pub(crate) const HANG: i32 = 425;

const BULLETS: usize = 2;
const NUMBERS: usize = 3;
/// The first of the proposal numberings, one per [`NumberStyle`].
const PROPOSALS: usize = 10;
const FONT: &str = "Arial";
pub(crate) const GREY: &str = "595959";

/// A new document: page, default font and language, styles and list numbering.
pub(crate) fn document() -> Docx {
    let mut docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(docx_rs::PageMargin {
            top: 1701,
            left: 1418,
            bottom: 1418,
            right: 1134,
            header: 567,
            footer: 567,
            gutter: 0,
        })
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(22)
        .default_line_spacing(spacing(0, 120).line(264).line_rule(LineSpacingType::Auto))
        .default_tab_stop(709)
        .add_abstract_numbering(bullets())
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .add_abstract_numbering(numbers())
        .add_numbering(Numbering::new(NUMBERS, NUMBERS));
    for style in NumberStyle::ALL {
        let id = proposal_numbering(style);
        docx = docx
            .add_abstract_numbering(proposal(style))
            .add_numbering(Numbering::new(id, id));
    }
    for style in styles() {
        docx = docx.add_style(style);
    }
    // docx-rs links numbering.xml only when a paragraph is numbered directly; here the list
    // styles number their paragraphs.
    docx.document_rels.has_numberings = true;
    docx
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after)
}

fn paragraph_style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
}

fn heading(id: &str, level: usize, size: usize, before: u32) -> Style {
    let mut style = paragraph_style(id, &format!("heading {}", level + 1))
        .size(size)
        .bold();
    style.paragraph_property = ParagraphProperty::new()
        .keep_next(true)
        .keep_lines(true)
        .line_spacing(spacing(before, 80))
        .outline_lvl(level);
    style
}

fn list(id: &str, name: &str, numbering: usize, level: usize) -> Style {
    let mut style = paragraph_style(id, name);
    style.paragraph_property = ParagraphProperty::new()
        .numbering(NumberingId::new(numbering), IndentLevel::new(level))
        .line_spacing(spacing(0, 60));
    style
}

fn styles() -> Vec<Style> {
    let mut title = paragraph_style(TITLE, "Title").size(36).bold();
    // Outline level 1: the title is the document's first heading, so the section headings
    // (heading 2) follow a level 1 in Word's navigation and in the tagged PDF (H1, then H2).
    title.paragraph_property = ParagraphProperty::new()
        .keep_next(true)
        .line_spacing(spacing(0, 60))
        .outline_lvl(0);
    let mut subtitle = paragraph_style(SUBTITLE, "Subtitle").size(24).bold();
    subtitle.paragraph_property = ParagraphProperty::new()
        .keep_next(true)
        .line_spacing(spacing(0, 240));
    let mut header = paragraph_style(HEADER, "header").size(18).color(GREY);
    header.paragraph_property = ParagraphProperty::new().line_spacing(spacing(0, 0));
    let mut footer = paragraph_style(FOOTER, "footer").size(16).color(GREY);
    footer.paragraph_property = ParagraphProperty::new()
        .line_spacing(spacing(0, 0))
        .add_tab(
            docx_rs::Tab::new()
                .val(docx_rs::TabValueType::Right)
                .pos(TEXT_WIDTH),
        )
        .set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Top)
                    .val(BorderType::Single)
                    .size(4)
                    .space(4)
                    .color("A6A6A6"),
            ),
        );
    let note = paragraph_style(NOTE, NOTE).italic().color(GREY);
    let mut warning = paragraph_style(WARNING, WARNING).bold().color("C00000");
    warning.paragraph_property = ParagraphProperty::new()
        .keep_lines(true)
        .line_spacing(spacing(120, 120))
        .shading(Shading::new().fill("FBE4E4").color("auto"))
        .set_borders(
            ParagraphBorders::with_empty().set(
                ParagraphBorder::new(ParagraphBorderPosition::Left)
                    .val(BorderType::Single)
                    .size(24)
                    .space(6)
                    .color("C00000"),
            ),
        );
    let mut control = paragraph_style(CONTROL, CONTROL).size(16).color("7F7F7F");
    control.paragraph_property = ParagraphProperty::new().line_spacing(spacing(0, 0));
    vec![
        title,
        subtitle,
        heading(HEADING1, 0, 28, 360),
        heading(HEADING2, 1, 24, 280),
        heading(HEADING3, 2, 22, 200),
        list(LIST_BULLET, "List Bullet", BULLETS, 0),
        list("ListBullet2", "List Bullet 2", BULLETS, 1),
        list("ListBullet3", "List Bullet 3", BULLETS, 2),
        list("ListNumber", "List Number", NUMBERS, 0),
        list("ListNumber2", "List Number 2", NUMBERS, 1),
        list("ListNumber3", "List Number 3", NUMBERS, 2),
        header,
        footer,
        note,
        warning,
        control,
        table_grid(),
    ]
}

fn table_grid() -> Style {
    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
            .color("808080")
    };
    let borders = TableBorders::with_empty()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV));
    let mut style = Style::new(TABLE_GRID, StyleType::Table).name("Table Grid");
    style.table_property = TableProperty::new()
        .set_borders(borders)
        .set_margins(TableCellMargins::new().margin(40, 100, 40, 100));
    style.paragraph_property = ParagraphProperty::new().line_spacing(spacing(0, 0));
    style
}

fn level(index: usize, format: &str, text: &str) -> Level {
    let left = HANG * (i32::try_from(index).unwrap_or(0) + 1);
    Level::new(
        index,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(
        Some(left),
        Some(SpecialIndentType::Hanging(HANG)),
        None,
        None,
    )
}

/// The Word numbering (`w:numId`) of a proposal's points in a numbering style.
pub(crate) fn proposal_numbering(style: NumberStyle) -> usize {
    PROPOSALS
        + NumberStyle::ALL
            .iter()
            .position(|s| *s == style)
            .unwrap_or(0)
}

/// The levels of a proposal in one numbering style (1. / a) / aa), …).
fn proposal(style: NumberStyle) -> AbstractNumbering {
    let mut numbering = AbstractNumbering::new(proposal_numbering(style));
    for (index, (counter, text)) in style.levels().into_iter().enumerate() {
        numbering = numbering.add_level(level(index, counter.word_format(), text));
    }
    numbering
}

fn bullets() -> AbstractNumbering {
    AbstractNumbering::new(BULLETS)
        .add_level(level(0, "bullet", "•"))
        .add_level(level(1, "bullet", "–"))
        .add_level(level(2, "bullet", "▪"))
}

fn numbers() -> AbstractNumbering {
    AbstractNumbering::new(NUMBERS)
        .add_level(level(0, "decimal", "%1."))
        .add_level(level(1, "lowerLetter", "%2)"))
        .add_level(level(2, "lowerRoman", "%3."))
}
