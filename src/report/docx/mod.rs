//! DOCX writers (docx-rs): the alignment report as a 政策对照表 (the two plans' measures side
//! by side, character differences marked) and the trace report, as Word documents that open in
//! Word and WPS.
//!
//! A document is a list of [`Part`]s, each one section on A4: portrait for the title block and
//! summaries, landscape for wide tables. Body text is 宋体 (SimSun) with Times New Roman for
//! Latin letters, headings 黑体 (SimHei) with Arial; the font table names SimSun and SimHei as
//! the alternatives Word and WPS look for. Every table repeats its header row on each page and
//! every page carries its number. Differences are formatting, not only colour, so they survive
//! black-and-white printing: deletions struck through, insertions underlined.
//!
//! Text reaches the document only through [`run`], which drops hidden characters
//! ([`clean`](super::clean)) and those XML 1.0 forbids; docx-rs escapes the rest.

mod alignment;
mod coverage;
mod package;
mod trace;

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, NumPages, PageMargin, PageNum,
    PageOrientationType, PageSize, Paragraph, Run, RunFonts, Section, Shading, Style, StyleType,
    Table, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::{ReportError, clean};

pub(super) use alignment::alignment_docx;
pub(super) use coverage::coverage_docx;
pub(super) use trace::trace_docx;

/// Chinese body text: 宋体, which Word and WPS resolve (SimSun on Windows).
const BODY_EAST_ASIA: &str = "宋体";
/// Latin body text.
const BODY_LATIN: &str = "Times New Roman";
/// Chinese headings: 黑体 (SimHei).
const HEADING_EAST_ASIA: &str = "黑体";
/// Latin headings.
const HEADING_LATIN: &str = "Arial";

/// A4, short and long side, in twentieths of a point.
const A4_SHORT: u32 = 11_906;
const A4_LONG: u32 = 16_838;
/// Page margins: 2 cm.
const MARGIN: u32 = 1_134;
/// The width a table may take on a portrait page.
pub(super) const PORTRAIT_WIDTH: usize = (A4_SHORT - 2 * MARGIN) as usize;
/// The width a table may take on a landscape page.
pub(super) const LANDSCAPE_WIDTH: usize = (A4_LONG - 2 * MARGIN) as usize;

/// Text only the left plan has.
const DELETED_COLOUR: &str = "B3261E";
/// Text only the right plan has.
const INSERTED_COLOUR: &str = "1A7F37";
/// Secondary text.
const MUTED_COLOUR: &str = "57606A";
/// Table header rows.
const HEADER_FILL: &str = "E8ECF0";
/// A theme one plan has and the other lacks (light enough to read black text on in grey).
const GAP_FILL: &str = "FFE2C6";

/// Body text size in half-points: 五号 (10.5 pt).
const BODY_SIZE: usize = 21;
/// Table text size: 小五 (9 pt).
const TABLE_SIZE: usize = 18;

/// How a run of text looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    /// Body text.
    Plain,
    /// Bold, e.g. a measure's label and title.
    Bold,
    /// Smaller and grey: dates, titles under column names.
    Muted,
    /// Only in the left plan: struck through and red.
    Deleted,
    /// Only in the right plan: underlined and green.
    Inserted,
}

/// Whether XML 1.0 allows a character in text.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text as a document may hold it: hidden characters and characters XML forbids dropped.
pub(super) fn docx_text(text: &str) -> String {
    clean(text).chars().filter(|&c| is_xml_char(c)).collect()
}

/// One run of text: line breaks become breaks, tabs tabs.
pub(super) fn run(text: &str, mark: Mark) -> Run {
    let text = docx_text(text).replace("\r\n", "\n").replace('\r', "\n");
    let mut run = Run::new();
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        for (index, part) in line.split('\t').enumerate() {
            if index > 0 {
                run = run.add_tab();
            }
            if !part.is_empty() {
                run = run.add_text(part);
            }
        }
    }
    match mark {
        Mark::Plain => run,
        Mark::Bold => run.bold(),
        Mark::Muted => run.color(MUTED_COLOUR).size(TABLE_SIZE),
        Mark::Deleted => run.strike().color(DELETED_COLOUR),
        Mark::Inserted => run.underline("single").color(INSERTED_COLOUR),
    }
}

/// A paragraph of one run.
pub(super) fn para(text: &str, mark: Mark) -> Paragraph {
    Paragraph::new().add_run(run(text, mark))
}

/// A heading (level 1 or 2), kept with what follows it.
pub(super) fn heading(level: usize, text: &str) -> Paragraph {
    let style = if level <= 1 { "Heading1" } else { "Heading2" };
    para(text, Mark::Plain).style(style).keep_next(true)
}

/// The document's title.
pub(super) fn title(text: &str) -> Paragraph {
    para(text, Mark::Plain).style("Title")
}

/// A table cell of paragraphs.
pub(super) fn cell(paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
}

/// A table cell of one text (lines kept).
pub(super) fn text_cell(text: &str) -> TableCell {
    cell(vec![para(text, Mark::Plain)])
}

/// A table cell with a number or share, right-aligned.
pub(super) fn number_cell(text: &str) -> TableCell {
    cell(vec![para(text, Mark::Plain).align(AlignmentType::Right)])
}

/// A table: column widths (twips, summing to the page's width), a header row repeated on every
/// page, and rows of cells. A row with fewer cells than columns is filled with empty cells.
pub(super) fn table(widths: &[usize], header: Vec<TableCell>, rows: Vec<Vec<TableCell>>) -> Table {
    let fit = |cells: Vec<TableCell>, is_header: bool| -> Vec<TableCell> {
        let mut cells = cells;
        cells.resize_with(widths.len().max(cells.len()), TableCell::new);
        cells
            .into_iter()
            .zip(widths)
            .map(|(cell, &width)| {
                let cell = cell
                    .width(width, WidthType::Dxa)
                    .vertical_align(VAlignType::Top);
                if is_header {
                    cell.shading(Shading::new().fill(HEADER_FILL))
                } else {
                    cell
                }
            })
            .collect()
    };
    // The header row is the only one that may not split; `package::repeat_header_rows` marks
    // it as the table's header (docx-rs has no switch for w:tblHeader).
    let mut table_rows = vec![TableRow::new(fit(header, true)).cant_split()];
    table_rows.extend(rows.into_iter().map(|row| TableRow::new(fit(row, false))));
    Table::new(table_rows)
        .set_grid(widths.to_vec())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
}

/// A header cell: a bold name, and below it a muted line (e.g. a plan's title) when given.
pub(super) fn header_cell(name: &str, detail: &str) -> TableCell {
    let mut paragraphs = vec![para(name, Mark::Bold)];
    if !detail.is_empty() {
        paragraphs.push(para(detail, Mark::Muted));
    }
    cell(paragraphs)
}

/// Header cells of bold names.
pub(super) fn header_cells(names: &[&str]) -> Vec<TableCell> {
    names.iter().map(|name| header_cell(name, "")).collect()
}

/// A page orientation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Orientation {
    /// A4 upright: title block, summaries, narrow tables.
    Portrait,
    /// A4 on its side: wide tables.
    Landscape,
}

/// Something on a page.
pub(super) enum Block {
    /// A paragraph.
    Paragraph(Box<Paragraph>),
    /// A table.
    Table(Box<Table>),
}

impl From<Paragraph> for Block {
    fn from(paragraph: Paragraph) -> Self {
        Self::Paragraph(Box::new(paragraph))
    }
}

impl From<Table> for Block {
    fn from(table: Table) -> Self {
        Self::Table(Box::new(table))
    }
}

/// One section of the document: its pages' orientation and what is on them.
pub(super) struct Part {
    /// Portrait or landscape.
    pub orientation: Orientation,
    /// Paragraphs and tables in order.
    pub blocks: Vec<Block>,
}

impl Part {
    /// An empty part.
    pub fn new(orientation: Orientation) -> Self {
        Self {
            orientation,
            blocks: Vec::new(),
        }
    }

    /// Adds a paragraph or table.
    pub fn push(&mut self, block: impl Into<Block>) {
        self.blocks.push(block.into());
    }
}

fn page_size(orientation: Orientation) -> (u32, u32, PageOrientationType) {
    match orientation {
        Orientation::Portrait => (A4_SHORT, A4_LONG, PageOrientationType::Portrait),
        Orientation::Landscape => (A4_LONG, A4_SHORT, PageOrientationType::Landscape),
    }
}

fn page_margin() -> PageMargin {
    let margin = i32::try_from(MARGIN).unwrap_or(1_134);
    PageMargin::new()
        .top(margin)
        .bottom(margin)
        .left(margin)
        .right(margin)
        .header(567)
        .footer(567)
}

/// The page footer: the report's subject, then 第 N 页 / 共 M 页, small and centred.
///
/// The subject is in the footer, not a page header: docx-rs's `add_section` keeps only one of
/// a section's header and footer.
fn page_footer(subject: &str) -> Footer {
    Footer::new()
        .add_paragraph(para(subject, Mark::Muted).align(AlignmentType::Center))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run("第 ", Mark::Muted))
                .add_page_num(PageNum::new())
                .add_run(run(" 页 / 共 ", Mark::Muted))
                .add_num_pages(NumPages::new())
                .add_run(run(" 页", Mark::Muted))
                .size(TABLE_SIZE),
        )
}

fn fonts(east_asia: &str, latin: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(latin)
        .hi_ansi(latin)
        .cs(latin)
}

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .fonts(fonts(HEADING_EAST_ASIA, HEADING_LATIN))
            .size(size)
            .outline_lvl(level)
            .line_spacing(LineSpacing::new().before(200).after(100))
    };
    docx.default_fonts(fonts(BODY_EAST_ASIA, BODY_LATIN))
        .default_size(BODY_SIZE)
        .default_line_spacing(LineSpacing::new().after(60))
        .add_style(
            heading("Title", "Title", 36, 0)
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(0).after(120)),
        )
        .add_style(heading("Heading1", "heading 1", 28, 0))
        .add_style(heading("Heading2", "heading 2", 24, 1))
}

/// The document of `parts` as DOCX file bytes; `subject` goes in every page footer,
/// `created` (RFC 3339, may be empty) in the document's properties.
pub(super) fn document(
    parts: Vec<Part>,
    subject: &str,
    created: &str,
) -> Result<Vec<u8>, ReportError> {
    let mut docx = styles(Docx::new());
    if !created.is_empty() {
        let created = docx_text(created);
        docx = docx.created_at(&created).updated_at(&created);
    }
    let num_parts = parts.len();
    for (index, part) in parts.into_iter().enumerate() {
        let (width, height, orient) = page_size(part.orientation);
        if index + 1 < num_parts {
            let mut section = Section::new()
                .page_size(PageSize::new().size(width, height))
                .page_orient(orient)
                .page_margin(page_margin())
                .footer(page_footer(subject));
            for block in part.blocks {
                section = match block {
                    Block::Paragraph(p) => section.add_paragraph(*p),
                    Block::Table(t) => section.add_table(*t),
                };
            }
            docx = docx.add_section(section);
        } else {
            // The last part is the document's own, final section.
            docx = docx
                .page_size(width, height)
                .page_orient(orient)
                .page_margin(page_margin())
                .footer(page_footer(subject));
            for block in part.blocks {
                docx = match block {
                    Block::Paragraph(p) => docx.add_paragraph(*p),
                    Block::Table(t) => docx.add_table(*t),
                };
            }
        }
    }
    let mut xml = docx.build();
    xml.document = package::repeat_header_rows(&xml.document);
    xml.font_table = package::with_cjk_fonts(&xml.font_table);
    let mut bytes = std::io::Cursor::new(Vec::new());
    xml.pack(&mut bytes).map_err(docx_rs::DocxError::from)?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_what_xml_forbids_and_what_hides() {
        assert_eq!(
            docx_text("a\u{0}b\u{1F}c\u{FFFE}d\u{FFFF}e\u{202E}f\tg\nh"),
            "abcdef\tg\nh"
        );
        assert_eq!(docx_text("<&>]]>"), "<&>]]>", "docx-rs escapes these");
    }
}
