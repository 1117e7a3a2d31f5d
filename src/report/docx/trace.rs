//! The trace report as a Word document: a portrait title block (every plan's title, issuer,
//! 文号, date and source, the matcher's settings) with the summary, the trace in landscape (one
//! column per plan), then each other plan's own measures in portrait.

use super::super::model::settings_facts;
use super::super::trace::{TraceReport, own_rows, summary_rows, trace_cells};
use super::super::{ReportError, percent};
use super::{
    LANDSCAPE_WIDTH, Mark, Orientation, PORTRAIT_WIDTH, Part, document, header_cell, header_cells,
    heading, number_cell, para, table, text_cell, title,
};

/// The trace report as DOCX file bytes.
pub(in super::super) fn trace_docx(report: &TraceReport<'_>) -> Result<Vec<u8>, ReportError> {
    let subject = format!("{} · 跨规划追踪 Trace across plans", report.base.meta.title);

    let mut summary = Part::new(Orientation::Portrait);
    summary.push(title("跨规划追踪 Trace across plans"));
    summary.push(para(&report.base.meta.title, Mark::Bold).align(docx_rs::AlignmentType::Center));
    let generated = if report.generated.is_empty() {
        String::new()
    } else {
        format!(" · {}", report.generated)
    };
    summary.push(
        para(&format!("PlanAlign{generated}"), Mark::Muted).align(docx_rs::AlignmentType::Center),
    );
    summary.push(heading(1, "规划 Plans"));
    let rows = report
        .column_labels()
        .iter()
        .zip(report.plans())
        .map(|(label, plan)| {
            let meta = &plan.meta;
            vec![
                header_cell(label, &meta.title),
                text_cell(meta.issuer.as_deref().unwrap_or_default()),
                text_cell(meta.doc_number.as_deref().unwrap_or_default()),
                text_cell(&meta.date.map(|d| d.iso()).unwrap_or_default()),
                text_cell(&format!(
                    "{} ({})",
                    plan.source.file_name, plan.source.sha256
                )),
            ]
        })
        .collect();
    summary.push(table(
        &[2_438, 1_600, 1_500, 1_300, 2_800],
        header_cells(&[
            "规划 Plan",
            "发文机关 Issuer",
            "文号 Document number",
            "日期 Date",
            "来源 Source (sha256)",
        ]),
        rows,
    ));
    summary.push(heading(1, "匹配设置 Matcher settings"));
    let rows = settings_facts(&report.settings)
        .into_iter()
        .map(|(name, value)| vec![text_cell(name), text_cell(&value)])
        .collect();
    summary.push(table(
        &[3_200, PORTRAIT_WIDTH - 3_200],
        header_cells(&["设置 Setting", "值 Value"]),
        rows,
    ));
    summary.push(heading(1, "摘要 Summary"));
    let rows = summary_rows(report)
        .into_iter()
        .map(|row| {
            vec![
                header_cell(&row.label, &row.title),
                number_cell(&format!("{} / {}", row.taken_up, row.base_measures)),
                number_cell(&percent(row.share())),
                number_cell(&row.own.to_string()),
                number_cell(&row.measures.to_string()),
            ]
        })
        .collect();
    summary.push(table(
        &[3_238, 1_900, 1_300, 1_600, 1_600],
        header_cells(&[
            "规划 Plan",
            "承接的基准措施 Base measures taken up",
            "比例 Share",
            "自有措施 Own measures",
            "措施数 Measures",
        ]),
        rows,
    ));

    let mut trace = Part::new(Orientation::Landscape);
    trace.push(heading(1, "追踪 Trace"));
    let labels = report.column_labels();
    let num_columns = labels.len().max(1);
    let width = LANDSCAPE_WIDTH / num_columns;
    let mut widths = vec![width; num_columns];
    if let Some(first) = widths.first_mut() {
        *first += LANDSCAPE_WIDTH - width * num_columns;
    }
    let header = labels
        .iter()
        .zip(report.plans())
        .map(|(label, plan)| header_cell(label, &plan.meta.title))
        .collect();
    let rows = trace_cells(report, "\n")
        .into_iter()
        .map(|cells| {
            cells
                .iter()
                .map(|cell| text_cell(if cell.is_empty() { "—" } else { cell }))
                .collect()
        })
        .collect();
    trace.push(table(&widths, header, rows));

    let mut own = Part::new(Orientation::Portrait);
    own.push(heading(1, "自有措施 Measures of their own"));
    let rows: Vec<_> = own_rows(report)
        .into_iter()
        .map(|[plan, measure]| vec![text_cell(&plan), text_cell(&measure)])
        .collect();
    if rows.is_empty() {
        own.push(para("无 None.", Mark::Plain));
    } else {
        own.push(table(
            &[3_000, PORTRAIT_WIDTH - 3_000],
            header_cells(&["规划 Plan", "措施 Measure"]),
            rows,
        ));
    }
    document(vec![summary, trace, own], &subject, &report.generated)
}
