//! XLSX writers (rust_xlsxwriter): the alignment report (sheets Summary, Links, Unmatched,
//! Coverage, Targets) and the trace report (Summary, Trace, Own measures).
//!
//! Every sheet has a frozen header, an autofilter, column widths that fit Chinese text, wrapped
//! cells with row heights set from the wrapped text (LibreOffice does not grow rows by itself),
//! counts as integers and shares as percentages, and a print setup: A4, fit to the page width,
//! landscape when wide, header rows repeated, the plans named in the page header and page
//! numbers in the footer. Every text goes in as a string cell, never as a formula.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::align::{evidence_line, likelihood_band};
use crate::model::{LinkStatus, Side};

use super::model::{
    AlignmentReport, TargetItem, kind_label, plan_facts, settings_facts, status_label,
};
use super::trace::{TraceReport, own_rows, summary_rows, trace_cells};
use super::{ReportError, clean};

/// The sheet names of the alignment report, in order.
pub const SHEETS: [&str; 5] = ["Summary", "Links", "Unmatched", "Coverage", "Targets"];

/// The widest a column gets, in character widths; longer text wraps. Sheets with many columns
/// set a narrower limit, so they print at a readable scale.
const MAX_WIDTH: f64 = 60.0;
/// Height of one line of wrapped text, in points (11 pt text with CJK fallback fonts).
const LINE_HEIGHT: f64 = 15.0;
/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Total column width (characters) past which a sheet prints in landscape.
const LANDSCAPE_WIDTH: f64 = 110.0;
/// A4 in Excel's paper size codes.
const PAPER_A4: u8 = 9;

/// Display width of one line in Excel character units: CJK and full-width characters count two.
fn line_width(line: &str) -> f64 {
    let width: usize = line
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    #[expect(clippy::cast_precision_loss, reason = "widths are small")]
    let width = width as f64;
    width
}

/// Display width of text: its widest line.
fn display_width(text: &str) -> f64 {
    text.lines().map(line_width).fold(0.0, f64::max)
}

/// How many lines text takes in a column `width` characters wide, wrapped the way spreadsheet
/// programs wrap: between words of Latin text, between any two CJK characters, and inside a
/// word only when it is wider than the column.
fn wrapped_lines(text: &str, width: f64) -> f64 {
    let usable = (width - 1.5).max(1.0);
    text.lines()
        .map(|line| line_count(line, usable))
        .sum::<f64>()
        .max(1.0)
}

/// Lines one line of text takes when wrapped at `usable` character widths.
fn line_count(line: &str, usable: f64) -> f64 {
    let mut lines = 1.0;
    let mut filled = 0.0;
    let mut word = String::new();
    let place = |piece: &str, lines: &mut f64, filled: &mut f64| {
        let width = line_width(piece);
        // Spaces may hang past the edge.
        if piece.trim().is_empty() || *filled + width <= usable {
            *filled += width;
        } else if width <= usable {
            *lines += 1.0;
            *filled = width;
        } else {
            // A word wider than the column breaks wherever it must.
            if *filled > 0.0 {
                *lines += 1.0;
            }
            let rows = (width / usable).ceil();
            *lines += rows - 1.0;
            *filled = width - (rows - 1.0) * usable;
        }
    };
    for c in line.chars() {
        let breaks_anywhere = (c as u32) >= 0x1100;
        if c == ' ' || breaks_anywhere {
            if !word.is_empty() {
                place(&word, &mut lines, &mut filled);
                word.clear();
            }
            place(c.encode_utf8(&mut [0; 4]), &mut lines, &mut filled);
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        place(&word, &mut lines, &mut filled);
    }
    lines
}

/// A cell: text, a count, or a share or probability (shown as a percentage).
enum Cell {
    Text(String),
    Count(usize),
    Share(f64),
}

impl Cell {
    fn width(&self) -> f64 {
        match self {
            Self::Text(text) => display_width(text),
            Self::Count(_) | Self::Share(_) => 8.0,
        }
    }

    fn lines(&self, width: f64) -> f64 {
        match self {
            Self::Text(text) => wrapped_lines(text, width),
            _ => 1.0,
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// One sheet: header rows (the first one names the columns), body rows with the status of link
/// rows (for colour), and what the printed page header says.
struct Table {
    name: &'static str,
    /// The widest a column of this sheet gets.
    max_width: f64,
    header: Vec<Vec<String>>,
    rows: Vec<(Vec<Cell>, Option<LinkStatus>)>,
    page_header: String,
}

/// The formats of a workbook, made once.
struct Formats {
    header: Format,
    body: Format,
    accepted: Format,
    rejected: Format,
    count: Format,
    share: Format,
}

impl Formats {
    fn new() -> Self {
        let top = Format::new().set_align(FormatAlign::Top);
        let body = top.clone().set_text_wrap();
        Self {
            header: body
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0x00F0_F3F6))
                .set_border(FormatBorder::Thin),
            accepted: body.clone().set_background_color(Color::RGB(0x00DA_FBE1)),
            rejected: body
                .clone()
                .set_background_color(Color::RGB(0x00FF_EBE9))
                .set_font_color(Color::RGB(0x0057_606A)),
            body,
            count: top.clone().set_num_format("0"),
            share: top.set_num_format("0%"),
        }
    }
}

/// Text for a page header or footer: `&` doubled (it starts a control code), at most `max`
/// characters.
fn page_text(text: &str, max: usize) -> String {
    let text = clean(text);
    let mut short: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        short.push('…');
    }
    short.replace('&', "&&")
}

fn write_workbook(tables: &[Table]) -> Result<Vec<u8>, ReportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        write_table(sheet, table, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_table(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(table.name)?;
    let num_columns = table.header.first().map_or(0, Vec::len);
    let mut widths: Vec<f64> = vec![0.0; num_columns];
    for header in &table.header {
        for (width, title) in widths.iter_mut().zip(header) {
            *width = width.max(display_width(title).min(24.0));
        }
    }
    for (cells, _) in &table.rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = width.max(cell.width());
        }
    }
    let widths: Vec<f64> = widths
        .iter()
        .map(|w| (w + 2.0).min(table.max_width))
        .collect();
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(col), *width)?;
    }
    let num_header_rows = table.header.len();
    for (index, header) in table.header.iter().enumerate() {
        let row = row_num(index);
        let mut lines: f64 = 1.0;
        for (col, title) in header.iter().enumerate() {
            let width = widths.get(col).copied().unwrap_or(table.max_width);
            lines = lines.max(wrapped_lines(title, width));
            sheet.write_string_with_format(row, col_num(col), clean(title), &formats.header)?;
        }
        sheet.set_row_height(row, row_height(lines))?;
    }
    for (index, (cells, status)) in table.rows.iter().enumerate() {
        let row = row_num(index + num_header_rows);
        let format = match status {
            Some(LinkStatus::Accepted) => &formats.accepted,
            Some(LinkStatus::Rejected) => &formats.rejected,
            _ => &formats.body,
        };
        let mut lines: f64 = 1.0;
        for (col, cell) in cells.iter().enumerate() {
            let width = widths.get(col).copied().unwrap_or(table.max_width);
            lines = lines.max(cell.lines(width));
            let col = col_num(col);
            match cell {
                Cell::Text(value) => {
                    sheet.write_string_with_format(row, col, clean(value), format)?;
                }
                Cell::Count(value) => {
                    let value = f64::from(u32::try_from(*value).unwrap_or(u32::MAX));
                    sheet.write_number_with_format(row, col, value, &formats.count)?;
                }
                Cell::Share(value) => {
                    sheet.write_number_with_format(row, col, *value, &formats.share)?;
                }
            }
        }
        sheet.set_row_height(row, row_height(lines))?;
    }
    let last_header = row_num(num_header_rows.saturating_sub(1));
    sheet.set_freeze_panes(last_header + 1, 0)?;
    let last_row = row_num(table.rows.len() + num_header_rows.saturating_sub(1));
    let last_col = col_num(num_columns.saturating_sub(1));
    sheet.autofilter(last_header, 0, last_row, last_col)?;
    sheet.set_paper_size(PAPER_A4);
    if widths.iter().sum::<f64>() > LANDSCAPE_WIDTH {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, last_header)?;
    sheet.set_header(&table.page_header);
    sheet.set_footer("&C&P / &N");
    Ok(())
}

fn row_height(lines: f64) -> f64 {
    (lines * LINE_HEIGHT + 3.0).min(MAX_ROW_HEIGHT)
}

fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn row_num(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX)
}

fn header(names: &[&str]) -> Vec<Vec<String>> {
    vec![names.iter().map(|n| (*n).to_owned()).collect()]
}

/// The alignment report as XLSX file bytes.
pub(super) fn alignment_xlsx(report: &AlignmentReport<'_>) -> Result<Vec<u8>, ReportError> {
    let page_header = format!(
        "&L{}&R{}",
        page_text(&report.left.meta.title, 50),
        page_text(&report.right.meta.title, 50)
    );
    let tables = [
        summary_table(report),
        links_table(report),
        unmatched_table(report),
        coverage_table(report),
        targets_table(report),
    ]
    .map(|mut table| {
        table.page_header.clone_from(&page_header);
        table
    });
    write_workbook(&tables)
}

fn summary_table(report: &AlignmentReport<'_>) -> Table {
    let s = &report.summary;
    let mut rows: Vec<Vec<Cell>> = plan_facts(report.left)
        .into_iter()
        .zip(plan_facts(report.right))
        .map(|((name, lhs), (_, rhs))| vec![text(name), text(lhs), text(rhs)])
        .collect();
    rows.extend([
        vec![
            text("已对应 Linked"),
            Cell::Count(s.linked(Side::Left)),
            Cell::Count(s.linked(Side::Right)),
        ],
        vec![
            text("无对应 Unmatched"),
            Cell::Count(s.unmatched.0),
            Cell::Count(s.unmatched.1),
        ],
        vec![
            text("已对应比例 Share linked"),
            Cell::Share(s.linked_share(Side::Left)),
            Cell::Share(s.linked_share(Side::Right)),
        ],
        vec![text("关联 Links"), Cell::Count(s.links), text("")],
    ]);
    rows.extend(
        s.by_kind
            .iter()
            .map(|(kind, n)| vec![text(kind_label(*kind)), Cell::Count(*n), text("")]),
    );
    rows.extend(
        s.by_status
            .iter()
            .map(|(status, n)| vec![text(status_label(*status)), Cell::Count(*n), text("")]),
    );
    rows.push(vec![text("人工 manual"), Cell::Count(s.manual), text("")]);
    rows.push(vec![
        text("生成时间 Generated"),
        text(&report.generated),
        text(""),
    ]);
    for (name, value) in settings_facts(&report.settings) {
        rows.push(vec![text(name), text(value), text("")]);
    }
    Table {
        name: "Summary",
        max_width: MAX_WIDTH,
        header: header(&["项目 Item", "左 Left", "右 Right"]),
        rows: rows.into_iter().map(|cells| (cells, None)).collect(),
        page_header: String::new(),
    }
}

fn links_table(report: &AlignmentReport<'_>) -> Table {
    let rows = report
        .alignment
        .links
        .iter()
        .map(|link| {
            let (lm, rm) = (
                report.measure(Side::Left, &link.left_id),
                report.measure(Side::Right, &link.right_id),
            );
            let cells = vec![
                text(lm.map_or(link.left_id.as_str(), |m| m.label.as_str())),
                text(lm.map_or("", |m| m.title.as_str())),
                text(rm.map_or(link.right_id.as_str(), |m| m.label.as_str())),
                text(rm.map_or("", |m| m.title.as_str())),
                Cell::Share(f64::from(link.score)),
                text(likelihood_band(link.score).0),
                text(link.kind.as_str()),
                text(link.status.as_str()),
                text(link.origin.as_str()),
                text(report.shared_theme_names(link)),
                text(link.shared_phrases.join("、")),
                text(link.shared_units.join("、")),
                text(evidence_line(&link.evidence)),
                text(&link.note),
            ];
            (cells, Some(link.status))
        })
        .collect();
    Table {
        name: "Links",
        max_width: 28.0,
        header: header(&[
            "左侧编号 Left label",
            "左侧标题 Left title",
            "右侧编号 Right label",
            "右侧标题 Right title",
            "可能性 Likelihood",
            "判断 Band",
            "类型 Kind",
            "状态 Status",
            "来源 Origin",
            "共同主题 Themes",
            "共同表述 Shared phrases",
            "共同单位 Shared agencies",
            "依据 Evidence",
            "备注 Note",
        ]),
        rows,
        page_header: String::new(),
    }
}

fn unmatched_table(report: &AlignmentReport<'_>) -> Table {
    let mut rows = Vec::new();
    for (side, label, ids) in [
        (Side::Left, "左 Left", &report.alignment.unmatched_left),
        (Side::Right, "右 Right", &report.alignment.unmatched_right),
    ] {
        for id in ids {
            let m = report.measure(side, id);
            rows.push((
                vec![
                    text(label),
                    text(m.map_or(id.as_str(), |m| m.label.as_str())),
                    text(m.map_or("", |m| m.title.as_str())),
                    text(report.measure_theme_names(side, id)),
                    text(m.map_or_else(String::new, |m| {
                        m.lead_units
                            .iter()
                            .map(|a| a.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    })),
                ],
                None,
            ));
        }
    }
    Table {
        name: "Unmatched",
        max_width: 50.0,
        header: header(&[
            "规划 Plan",
            "编号 Label",
            "标题 Title",
            "主题 Themes",
            "牵头单位 Lead agencies",
        ]),
        rows,
        page_header: String::new(),
    }
}

fn coverage_table(report: &AlignmentReport<'_>) -> Table {
    let rows = report
        .coverage
        .iter()
        .map(|row| {
            let pillar = report
                .codebook
                .pillar_of(&row.theme_id)
                .map_or_else(String::new, |p| p.zh.clone());
            (
                vec![
                    text(pillar),
                    text(report.theme_name(&row.theme_id)),
                    Cell::Count(row.left.len()),
                    Cell::Count(row.right.len()),
                    text(report.labels(Side::Left, &row.left)),
                    text(report.labels(Side::Right, &row.right)),
                ],
                None,
            )
        })
        .collect();
    Table {
        name: "Coverage",
        max_width: 40.0,
        header: header(&[
            "维度 Pillar",
            "主题 Theme",
            "左 Left",
            "右 Right",
            "左侧措施 Left measures",
            "右侧措施 Right measures",
        ]),
        rows,
        page_header: String::new(),
    }
}

fn targets_table(report: &AlignmentReport<'_>) -> Table {
    let rows = report
        .targets
        .iter()
        .map(|pair| {
            let cell = |side: Side, items: &[TargetItem]| {
                text(report.target_lines(side, items).join("\n"))
            };
            (
                vec![
                    text(report.theme_name(&pair.theme_id)),
                    cell(Side::Left, &pair.left),
                    cell(Side::Right, &pair.right),
                ],
                None,
            )
        })
        .collect();
    Table {
        name: "Targets",
        max_width: MAX_WIDTH,
        header: header(&[
            "主题 Theme",
            "左侧目标 Left targets",
            "右侧目标 Right targets",
        ]),
        rows,
        page_header: String::new(),
    }
}

/// The trace report as XLSX: sheets Summary, Trace (two header rows: each plan's label, then
/// its title) and Own measures.
pub(super) fn trace_xlsx(report: &TraceReport<'_>) -> Result<Vec<u8>, ReportError> {
    let page_header = format!("&L{}", page_text(&report.base.meta.title, 100));
    let summary = Table {
        name: "Summary",
        max_width: 40.0,
        header: header(&[
            "规划 Plan",
            "标题 Title",
            "承接的基准措施 Base measures taken up",
            "基准措施 Base measures",
            "比例 Share",
            "自有措施 Own measures",
            "措施数 Measures",
        ]),
        rows: summary_rows(report)
            .into_iter()
            .map(|row| {
                let share = row.share();
                let cells = vec![
                    text(row.label),
                    text(row.title),
                    Cell::Count(row.taken_up),
                    Cell::Count(row.base_measures),
                    Cell::Share(share),
                    Cell::Count(row.own),
                    Cell::Count(row.measures),
                ];
                (cells, None)
            })
            .collect(),
        page_header: page_header.clone(),
    };
    let trace = Table {
        name: "Trace",
        max_width: 36.0,
        header: vec![
            report.column_labels(),
            report.plans().map(|p| p.meta.title.clone()).collect(),
        ],
        rows: trace_cells(report, "\n")
            .into_iter()
            .map(|cells| (cells.into_iter().map(Cell::Text).collect(), None))
            .collect(),
        page_header: page_header.clone(),
    };
    let own = Table {
        name: "Own measures",
        max_width: MAX_WIDTH,
        header: header(&["规划 Plan", "措施 Measure"]),
        rows: own_rows(report)
            .into_iter()
            .map(|cells| (cells.into_iter().map(Cell::Text).collect(), None))
            .collect(),
        page_header,
    };
    write_workbook(&[summary, trace, own])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_count_cjk_as_double_width() {
        assert!((wrapped_lines("上海市质量工作", 60.0) - 1.0).abs() < f64::EPSILON);
        // 40 CJK characters are 80 units: two lines in a 60-wide column.
        let long: String = "质".repeat(40);
        assert!((wrapped_lines(&long, 60.0) - 2.0).abs() < f64::EPSILON);
        assert!((wrapped_lines("a\nb\nc", 60.0) - 3.0).abs() < f64::EPSILON);
        // A file name, then a 66-character hash in brackets: the hash moves to a line of its
        // own and breaks once.
        let source = format!("plan.txt ({})", "8".repeat(64));
        assert!((wrapped_lines(&source, 40.0) - 3.0).abs() < f64::EPSILON);
    }

    #[test]
    fn page_text_doubles_ampersands_and_stays_short() {
        assert_eq!(page_text("A&B", 10), "A&&B");
        assert_eq!(page_text(&"长".repeat(80), 50).chars().count(), 51);
    }
}
