//! The alignment report as an Excel workbook (rust_xlsxwriter): sheets Summary, Links, Unmatched,
//! Coverage and Targets, each with a frozen header row, an autofilter, column widths that fit
//! Chinese text, wrapped cells, and link statuses in colour.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::model::LinkStatus;

use super::model::{AlignmentReport, kind_label, status_label};

/// The sheet names, in order.
pub const SHEETS: [&str; 5] = ["Summary", "Links", "Unmatched", "Coverage", "Targets"];

/// The widest a column gets, in character widths; longer text wraps.
const MAX_WIDTH: f64 = 60.0;

/// Display width of text in Excel character units: CJK and full-width characters count two.
fn display_width(text: &str) -> f64 {
    let width: usize = text
        .lines()
        .map(|line| {
            line.chars()
                .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0);
    #[expect(clippy::cast_precision_loss, reason = "widths are small")]
    let width = width as f64;
    width
}

/// A sheet's rows as text, with the status of link rows (for colour).
struct Table {
    header: Vec<String>,
    rows: Vec<(Vec<Cell>, Option<LinkStatus>)>,
}

/// A cell: text or a number.
enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    fn width(&self) -> f64 {
        match self {
            Self::Text(text) => display_width(text),
            Self::Number(_) => 8.0,
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

/// The report as XLSX file bytes.
pub fn alignment_xlsx(report: &AlignmentReport<'_>) -> Result<Vec<u8>, String> {
    let mut workbook = Workbook::new();
    let tables = [
        summary_table(report),
        links_table(report),
        unmatched_table(report),
        coverage_table(report),
        targets_table(report),
    ];
    for (name, table) in SHEETS.iter().zip(&tables) {
        let sheet = workbook.add_worksheet();
        write_table(sheet, name, table).map_err(|err| format!("cannot write XLSX ({err})"))?;
    }
    workbook
        .save_to_buffer()
        .map_err(|err| format!("cannot write XLSX ({err})"))
}

fn write_table(sheet: &mut Worksheet, name: &str, table: &Table) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00F0_F3F6))
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let accepted = body.clone().set_background_color(Color::RGB(0x00DA_FBE1));
    let rejected = body
        .clone()
        .set_background_color(Color::RGB(0x00FF_EBE9))
        .set_font_color(Color::RGB(0x0057_606A));
    let number = Format::new()
        .set_num_format("0.00")
        .set_align(FormatAlign::Top);
    let mut widths: Vec<f64> = table.header.iter().map(|h| display_width(h)).collect();
    for (col, title) in table.header.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), title, &header)?;
    }
    for (index, (cells, status)) in table.rows.iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let format = match status {
            Some(LinkStatus::Accepted) => &accepted,
            Some(LinkStatus::Rejected) => &rejected,
            _ => &body,
        };
        for (col, cell) in cells.iter().enumerate() {
            if let Some(width) = widths.get_mut(col) {
                *width = width.max(cell.width());
            }
            match cell {
                Cell::Text(value) => {
                    sheet.write_string_with_format(row, col_num(col), value, format)?;
                }
                Cell::Number(value) => {
                    sheet.write_number_with_format(row, col_num(col), *value, &number)?;
                }
            }
        }
    }
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(col), (width + 2.0).min(MAX_WIDTH))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
    let last_col = col_num(table.header.len().saturating_sub(1));
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

fn headers(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn summary_table(report: &AlignmentReport<'_>) -> Table {
    let s = &report.summary;
    let (left, right) = (report.left, report.right);
    let mut rows: Vec<Vec<Cell>> = super::model::plan_facts(left)
        .into_iter()
        .zip(super::model::plan_facts(right))
        .map(|((name, lhs), (_, rhs))| vec![text(name), text(lhs), text(rhs)])
        .collect();
    rows.extend([
        vec![
            text("无对应 Unmatched"),
            Cell::Number(count(s.unmatched.0)),
            Cell::Number(count(s.unmatched.1)),
        ],
        vec![
            text("已对应比例 Share linked"),
            Cell::Number(s.linked_share(true)),
            Cell::Number(s.linked_share(false)),
        ],
        vec![text("关联 Links"), Cell::Number(count(s.links)), text("")],
    ]);
    rows.extend(
        s.by_kind
            .iter()
            .map(|(kind, n)| vec![text(kind_label(*kind)), Cell::Number(count(*n)), text("")]),
    );
    rows.extend(s.by_status.iter().map(|(status, n)| {
        vec![
            text(status_label(*status)),
            Cell::Number(count(*n)),
            text(""),
        ]
    }));
    rows.push(vec![
        text("人工 manual"),
        Cell::Number(count(s.manual)),
        text(""),
    ]);
    rows.push(vec![
        text("生成时间 Generated"),
        text(&report.generated),
        text(""),
    ]);
    for (name, value) in super::model::settings_facts(&report.settings) {
        let cell = value
            .parse::<f64>()
            .map_or_else(|_| text(&value), Cell::Number);
        rows.push(vec![text(name), cell, text("")]);
    }
    Table {
        header: headers(&["项目 Item", "左 Left", "右 Right"]),
        rows: rows.into_iter().map(|cells| (cells, None)).collect(),
    }
}

fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

fn links_table(report: &AlignmentReport<'_>) -> Table {
    let rows = report
        .alignment
        .links
        .iter()
        .map(|link| {
            let (lm, rm) = (
                report.measure(true, &link.left_id),
                report.measure(false, &link.right_id),
            );
            let cells = vec![
                text(lm.map_or(link.left_id.as_str(), |m| m.label.as_str())),
                text(lm.map_or("", |m| m.title.as_str())),
                text(rm.map_or(link.right_id.as_str(), |m| m.label.as_str())),
                text(rm.map_or("", |m| m.title.as_str())),
                Cell::Number(f64::from(link.score)),
                text(link.kind.as_str()),
                text(link.status.as_str()),
                text(link.origin.as_str()),
                text(report.theme_names(&link.shared_themes)),
                text(link.shared_phrases.join("、")),
                text(link.shared_units.join("、")),
                text(&link.note),
            ];
            (cells, Some(link.status))
        })
        .collect();
    Table {
        header: headers(&[
            "左侧编号 Left label",
            "左侧标题 Left title",
            "右侧编号 Right label",
            "右侧标题 Right title",
            "相似度 Score",
            "类型 Kind",
            "状态 Status",
            "来源 Origin",
            "共同主题 Themes",
            "共同表述 Shared phrases",
            "共同单位 Shared agencies",
            "备注 Note",
        ]),
        rows,
    }
}

fn unmatched_table(report: &AlignmentReport<'_>) -> Table {
    let mut rows = Vec::new();
    for (left, side, ids) in [
        (true, "左 Left", &report.alignment.unmatched_left),
        (false, "右 Right", &report.alignment.unmatched_right),
    ] {
        for id in ids {
            let m = report.measure(left, id);
            rows.push((
                vec![
                    text(side),
                    text(m.map_or(id.as_str(), |m| m.label.as_str())),
                    text(m.map_or("", |m| m.title.as_str())),
                    text(report.measure_theme_names(left, id)),
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
        header: headers(&[
            "规划 Plan",
            "编号 Label",
            "标题 Title",
            "主题 Themes",
            "牵头单位 Lead agencies",
        ]),
        rows,
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
                    Cell::Number(count(row.left.len())),
                    Cell::Number(count(row.right.len())),
                    text(report.labels(true, &row.left)),
                    text(report.labels(false, &row.right)),
                ],
                None,
            )
        })
        .collect();
    Table {
        header: headers(&[
            "维度 Pillar",
            "主题 Theme",
            "左 Left",
            "右 Right",
            "左侧措施 Left measures",
            "右侧措施 Right measures",
        ]),
        rows,
    }
}

fn targets_table(report: &AlignmentReport<'_>) -> Table {
    let rows = report
        .targets
        .iter()
        .map(|pair| {
            let cell = |left: bool, items: &[super::model::TargetItem]| {
                report.target_lines(left, items).join("\n")
            };
            (
                vec![
                    text(report.theme_name(&pair.theme_id)),
                    text(cell(true, &pair.left)),
                    text(cell(false, &pair.right)),
                ],
                None,
            )
        })
        .collect();
    Table {
        header: headers(&[
            "主题 Theme",
            "左侧目标 Left targets",
            "右侧目标 Right targets",
        ]),
        rows,
    }
}

/// The multi-plan trace report as XLSX: sheets Summary, Trace and Own measures.
pub fn trace_xlsx(report: &super::trace::TraceReport<'_>) -> Result<Vec<u8>, String> {
    let to_rows = |rows: Vec<Vec<String>>| -> Vec<(Vec<Cell>, Option<LinkStatus>)> {
        rows.into_iter()
            .map(|cells| (cells.into_iter().map(Cell::Text).collect(), None))
            .collect()
    };
    let summary = Table {
        header: headers(&[
            "规划 Plan",
            "承接的基准措施 Base measures taken up",
            "自有措施 Own measures",
            "措施数 Measures",
        ]),
        rows: to_rows(
            super::trace::summary_rows(report)
                .into_iter()
                .map(Vec::from)
                .collect(),
        ),
    };
    let trace = Table {
        header: super::trace::trace_header(report),
        rows: to_rows(super::trace::trace_cells(report, "\n")),
    };
    let own = Table {
        header: headers(&["规划 Plan", "措施 Measure"]),
        rows: to_rows(
            super::trace::own_rows(report)
                .into_iter()
                .map(Vec::from)
                .collect(),
        ),
    };
    let mut workbook = Workbook::new();
    for (name, table) in [
        ("Summary", &summary),
        ("Trace", &trace),
        ("Own measures", &own),
    ] {
        let sheet = workbook.add_worksheet();
        write_table(sheet, name, table).map_err(|err| format!("cannot write XLSX ({err})"))?;
    }
    workbook
        .save_to_buffer()
        .map_err(|err| format!("cannot write XLSX ({err})"))
}
