//! The multi-plan report: one plan (say the city's) against several others (the districts'),
//! each measure of the first traced across the others, plus what each other plan added of its
//! own. Writers for every format the pair report has.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::align::{AlignConfig, Aligner, Alignment};
use crate::model::{LinkDecision, LinkKind, Plan};
use crate::themes::Codebook;

use super::alignment::{AlignmentFormat, md_cell};
use super::html::escape;

/// A counterpart of a base measure in another plan.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceCell {
    /// The other plan's measure.
    pub measure_id: String,
    /// The link's score.
    pub score: f32,
    /// The link's kind.
    pub kind: LinkKind,
}

/// One measure of the base plan across the others.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRow {
    /// The base measure.
    pub measure_id: String,
    /// Its counterparts in each other plan (in `others` order), best first.
    pub cells: Vec<Vec<TraceCell>>,
}

/// The base plan against the others.
#[derive(Clone, Debug)]
pub struct TraceReport<'a> {
    /// The plan traced (e.g. the city's).
    pub base: &'a Plan,
    /// The plans it is traced across.
    pub others: Vec<&'a Plan>,
    /// When the report was made.
    pub generated: String,
    /// The aligner's settings.
    pub settings: AlignConfig,
    /// One row per base measure, in plan order.
    pub rows: Vec<TraceRow>,
    /// Each other plan's measures without a counterpart in the base plan (its own additions).
    pub own: Vec<Vec<String>>,
}

impl<'a> TraceReport<'a> {
    /// Traces plan `base` of the aligner across plans `others` (aligned pairwise, with the
    /// analyst's decisions).
    pub fn build(
        aligner: &Aligner<'a>,
        base: usize,
        others: &[usize],
        decisions: &[LinkDecision],
        generated: String,
    ) -> Option<Self> {
        let plans = aligner.plans();
        let base_plan = *plans.get(base)?;
        let alignments: Vec<Alignment> = others
            .iter()
            .map(|&other| aligner.align(base, other, decisions))
            .collect();
        let other_plans: Vec<&Plan> = others
            .iter()
            .filter_map(|&i| plans.get(i).copied())
            .collect();
        let rows = base_plan
            .measures
            .iter()
            .map(|measure| TraceRow {
                measure_id: measure.id.clone(),
                cells: alignments
                    .iter()
                    .map(|alignment| {
                        let mut cells: Vec<TraceCell> = alignment
                            .links_of_left(&measure.id)
                            .filter(|l| l.status != crate::model::LinkStatus::Rejected)
                            .map(|l| TraceCell {
                                measure_id: l.right_id.clone(),
                                score: l.score,
                                kind: l.kind,
                            })
                            .collect();
                        cells.sort_by(|a, b| b.score.total_cmp(&a.score));
                        cells
                    })
                    .collect(),
            })
            .collect();
        Some(Self {
            base: base_plan,
            others: other_plans,
            generated,
            settings: aligner.config().clone(),
            rows,
            own: alignments.into_iter().map(|a| a.unmatched_right).collect(),
        })
    }

    /// How many base measures have a counterpart in other plan `index`.
    pub fn taken_up(&self, index: usize) -> usize {
        self.rows
            .iter()
            .filter(|row| row.cells.get(index).is_some_and(|c| !c.is_empty()))
            .count()
    }

    fn other_label(&self, index: usize, cell: &TraceCell) -> String {
        self.others
            .get(index)
            .and_then(|plan| plan.measure(&cell.measure_id))
            .map_or_else(
                || cell.measure_id.clone(),
                |m| format!("{}{} ({:.2})", m.label, m.title, cell.score),
            )
    }

    fn base_label(&self, id: &str) -> String {
        self.base
            .measure(id)
            .map_or_else(|| id.to_owned(), |m| format!("{}{}", m.label, m.title))
    }

    fn plan_name(plan: &Plan) -> String {
        plan.meta
            .jurisdiction
            .name
            .clone()
            .unwrap_or_else(|| plan.meta.title.clone())
    }
}

/// The multi-plan report in a format, as file bytes.
pub fn trace_report(report: &TraceReport<'_>, format: AlignmentFormat) -> Result<Vec<u8>, String> {
    match format {
        AlignmentFormat::Markdown => Ok(trace_markdown(report).into_bytes()),
        AlignmentFormat::Html => Ok(trace_html(report).into_bytes()),
        AlignmentFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&trace_json(report))
                .map_err(|err| format!("cannot write JSON ({err})"))?;
            bytes.push(b'\n');
            Ok(bytes)
        }
        AlignmentFormat::Csv => {
            trace_csv(report).map_err(|err| format!("cannot write CSV ({err})"))
        }
        AlignmentFormat::Xlsx => super::xlsx::trace_xlsx(report),
    }
}

/// The summary rows: per other plan, base measures taken up and own measures.
pub(super) fn summary_rows(report: &TraceReport<'_>) -> Vec<[String; 4]> {
    let total = report.base.measures.len();
    report
        .others
        .iter()
        .enumerate()
        .map(|(i, plan)| {
            [
                plan.meta.title.clone(),
                format!("{} / {total}", report.taken_up(i)),
                report.own.get(i).map_or(0, Vec::len).to_string(),
                plan.measures.len().to_string(),
            ]
        })
        .collect()
}

/// Column headers of the trace table: the base plan, then each other plan.
pub(super) fn trace_header(report: &TraceReport<'_>) -> Vec<String> {
    std::iter::once(TraceReport::plan_name(report.base))
        .chain(report.others.iter().map(|p| TraceReport::plan_name(p)))
        .collect()
}

/// The trace table as text cells: base measure, then counterparts per other plan.
pub(super) fn trace_cells(report: &TraceReport<'_>, separator: &str) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| {
            std::iter::once(report.base_label(&row.measure_id))
                .chain(row.cells.iter().enumerate().map(|(i, cells)| {
                    cells
                        .iter()
                        .map(|c| report.other_label(i, c))
                        .collect::<Vec<_>>()
                        .join(separator)
                }))
                .collect()
        })
        .collect()
}

/// Each other plan's own measures as (plan title, measure label and title).
pub(super) fn own_rows(report: &TraceReport<'_>) -> Vec<[String; 2]> {
    report
        .others
        .iter()
        .zip(&report.own)
        .flat_map(|(plan, ids)| {
            ids.iter().map(|id| {
                [
                    plan.meta.title.clone(),
                    plan.measure(id)
                        .map_or_else(|| id.clone(), |m| format!("{}{}", m.label, m.title)),
                ]
            })
        })
        .collect()
}

fn trace_markdown(report: &TraceReport<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} across {} plans\n",
        md_cell(&report.base.meta.title),
        report.others.len()
    );
    let _ = writeln!(
        out,
        "PlanAlign trace report, {}. {}.\n",
        report.generated,
        md_cell(&super::model::settings_line(&report.settings))
    );
    let _ = writeln!(
        out,
        "| plan | base measures taken up | own measures | measures |\n| --- | ---: | ---: | ---: |"
    );
    for row in summary_rows(report) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            md_cell(&row[0]),
            row[1],
            row[2],
            row[3]
        );
    }
    let header = trace_header(report);
    let _ = writeln!(out, "\n## Trace\n");
    let _ = writeln!(
        out,
        "| {} |",
        header
            .iter()
            .map(|h| md_cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
    for cells in trace_cells(report, "<br>") {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    "—".to_owned()
                } else {
                    md_cell(c)
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(out, "\n## Measures of their own\n");
    let own = own_rows(report);
    if own.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for [plan, measure] in own {
        let _ = writeln!(out, "- {}: {}", md_cell(&plan), md_cell(&measure));
    }
    out
}

fn trace_csv(report: &TraceReport<'_>) -> Result<Vec<u8>, csv::Error> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record(trace_header(report))?;
        for cells in trace_cells(report, "; ") {
            writer.write_record(cells)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

fn trace_json(report: &TraceReport<'_>) -> Value {
    json!({
        "schema": "planalign.trace/1",
        "generated": report.generated,
        "base": super::plan_summary_json(report.base),
        "others": report.others.iter().map(|p| super::plan_summary_json(p)).collect::<Vec<_>>(),
        "config": report.settings,
        "rows": report.rows.iter().map(|row| json!({
            "measure_id": row.measure_id,
            "label_title": report.base_label(&row.measure_id),
            "counterparts": row.cells.iter().map(|cells| cells.iter().map(|c| json!({
                "measure_id": c.measure_id,
                "score": (f64::from(c.score) * 1000.0).round() / 1000.0,
                "kind": c.kind.as_str(),
            })).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "own": report.own,
    })
}

fn trace_html(report: &TraceReport<'_>) -> String {
    let mut out = String::new();
    let title = format!(
        "{} · {}",
        report.base.meta.title, "跨规划追踪 Trace across plans"
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        super::html::STYLE,
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">PlanAlign · {} · {}</p>",
        escape(&report.generated),
        escape(&super::model::settings_line(&report.settings))
    );
    out.push_str("<h2>摘要 Summary</h2>\n<table>\n<tr><th>规划 Plan</th><th>承接的基准措施 Base measures taken up</th><th>自有措施 Own measures</th><th>措施数 Measures</th></tr>\n");
    for row in summary_rows(report) {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&row[0]),
            escape(&row[1]),
            escape(&row[2]),
            escape(&row[3])
        );
    }
    out.push_str("</table>\n<h2>追踪 Trace</h2>\n<table>\n<tr>");
    for header in trace_header(report) {
        let _ = write!(out, "<th>{}</th>", escape(&header));
    }
    out.push_str("</tr>\n");
    for cells in trace_cells(report, "\n") {
        out.push_str("<tr>");
        for cell in cells {
            let shown = if cell.is_empty() {
                "—".to_owned()
            } else {
                cell.lines().map(escape).collect::<Vec<_>>().join("<br />")
            };
            let _ = write!(out, "<td>{shown}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n<h2>自有措施 Measures of their own</h2>\n");
    let own = own_rows(report);
    if own.is_empty() {
        out.push_str("<p>无 None.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th>规划 Plan</th><th>措施 Measure</th></tr>\n");
        for [plan, measure] in own {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(&plan),
                escape(&measure)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The trace report of `base` across `others` with the codebook and settings given.
pub fn build_trace(
    plans: &[&Plan],
    codebook: &Codebook,
    base: usize,
    others: &[usize],
    generated: String,
    config: AlignConfig,
    use_report: impl FnOnce(&TraceReport<'_>) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, String> {
    let aligner = Aligner::new(plans, codebook, &[], config);
    let report = TraceReport::build(&aligner, base, others, &[], generated)
        .ok_or("no base plan to trace")?;
    use_report(&report)
}
