//! HTML writers: the alignment report and the trace report, each one self-contained file
//! (inline CSS, no script, no network), printable in black and white. Every piece of plan or
//! analyst text goes through [`escape`].

use std::fmt::Write as _;

use crate::align::{char_diff, evidence_line, likelihood_text};
use crate::model::Side;

use super::model::{
    AlignmentReport, TargetItem, kind_label, plan_facts, settings_line, status_label,
};
use super::trace::{TraceReport, own_rows, summary_rows, trace_cells};
use super::{ReportError, clean, percent};

/// Escapes text for HTML element content and attribute values; hidden characters dropped.
pub fn escape(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) const STYLE: &str = r#"
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: #1f2328; margin: 2em auto; max-width: 1200px; padding: 0 1em; line-height: 1.55; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 2px solid #d0d7de; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #f0f3f6; }
tr > th:first-child { white-space: nowrap; }
table.compact { width: auto; min-width: 40%; }
td.num { text-align: right; white-space: nowrap; }
.meta { color: #57606a; font-size: 0.9em; }
.status-accepted { background: #dafbe1; }
.status-rejected { background: #ffebe9; color: #57606a; }
.link { border: 1px solid #d0d7de; border-radius: 6px; margin: 1em 0; padding: 0.6em 0.8em; break-inside: avoid; }
.link h3 { font-size: 1em; margin: 0 0 0.3em 0; }
.diff { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.diff div { white-space: pre-wrap; }
del { background: #ffd7d5; color: #82071e; text-decoration: line-through; }
ins { background: #cdf0d4; color: #116329; text-decoration: underline; }
th .title { display: block; font-weight: normal; font-size: 0.85em; color: #57606a; }
.note { background: #fff8c5; padding: 2px 6px; }
.gap { background: #fff1e5; color: #bc4c00; font-weight: 600; }
.legend .gap { padding: 0 6px; }
.legend del, .legend ins { padding: 0 4px; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { body { margin: 0; max-width: none; } .link { page-break-inside: avoid; } h2 { page-break-after: avoid; } }
"#;

/// The report as an HTML document.
pub fn alignment_html(report: &AlignmentReport<'_>) -> Result<String, ReportError> {
    let (left, right) = (report.left, report.right);
    let mut out = String::new();
    let title = format!("{} ↔ {}", left.meta.title, right.meta.title);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    )?;
    writeln!(
        out,
        "<p class=\"meta\">PlanAlign 对齐报告 · alignment report · {} · {}</p>",
        escape(&report.generated),
        escape(&settings_line(&report.settings)),
    )?;
    plans_html(&mut out, report)?;
    summary_html(&mut out, report)?;
    links_html(&mut out, report)?;
    unmatched_html(&mut out, report)?;
    coverage_html(&mut out, report)?;
    targets_html(&mut out, report)?;
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

fn plans_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    out.push_str(
        "<h2>规划 Plans</h2>\n<table>\n<tr><th></th><th>左 Left</th><th>右 Right</th></tr>\n",
    );
    let left = plan_facts(report.left);
    let right = plan_facts(report.right);
    for ((name, lhs), (_, rhs)) in left.iter().zip(&right) {
        writeln!(
            out,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(lhs),
            escape(rhs)
        )?;
    }
    out.push_str("</table>\n");
    Ok(())
}

fn summary_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    let s = &report.summary;
    out.push_str("<h2>摘要 Summary</h2>\n<table class=\"compact\">\n");
    writeln!(
        out,
        "<tr><th>关联 Links</th><td class=\"num\">{}</td></tr>",
        s.links
    )?;
    for (kind, n) in s.by_kind {
        writeln!(
            out,
            "<tr><th>{}</th><td class=\"num\">{n}</td></tr>",
            kind_label(kind)
        )?;
    }
    for (status, n) in s.by_status {
        writeln!(
            out,
            "<tr><th>{}</th><td class=\"num\">{n}</td></tr>",
            status_label(status)
        )?;
    }
    writeln!(
        out,
        "<tr><th>人工 manual</th><td class=\"num\">{}</td></tr>",
        s.manual
    )?;
    writeln!(
        out,
        "<tr><th>左侧已对应 Left linked</th><td class=\"num\">{} / {} ({})</td></tr>",
        s.linked(Side::Left),
        s.measures.0,
        percent(s.linked_share(Side::Left))
    )?;
    writeln!(
        out,
        "<tr><th>右侧已对应 Right linked</th><td class=\"num\">{} / {} ({})</td></tr>",
        s.linked(Side::Right),
        s.measures.1,
        percent(s.linked_share(Side::Right))
    )?;
    out.push_str("</table>\n");
    Ok(())
}

fn links_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    out.push_str("<h2>关联 Links</h2>\n<p class=\"legend meta\">文字差异 Text difference: <del>仅左侧 left only</del> <ins>仅右侧 right only</ins></p>\n");
    for link in &report.alignment.links {
        writeln!(
            out,
            "<div class=\"link status-{}\">\n<h3>{} ↔ {}</h3>",
            link.status.as_str(),
            escape(&report.label_title(Side::Left, &link.left_id)),
            escape(&report.label_title(Side::Right, &link.right_id)),
        )?;
        writeln!(
            out,
            "<p class=\"meta\">可能性 likelihood {} · {} · {} · {}</p>",
            escape(&likelihood_text(link.score)),
            link.kind.as_str(),
            link.status.as_str(),
            link.origin.as_str()
        )?;
        for (name, value) in [
            ("共同表述 Shared phrases", link.shared_phrases.join("、")),
            ("共同主题 Shared themes", report.shared_theme_names(link)),
            ("共同单位 Shared agencies", link.shared_units.join("、")),
            ("依据 Evidence", evidence_line(&link.evidence)),
        ] {
            if !value.is_empty() {
                writeln!(out, "<p>{}：{}</p>", escape(name), escape(&value))?;
            }
        }
        if !link.note.is_empty() {
            writeln!(
                out,
                "<p><span class=\"note\">备注 Note：{}</span></p>",
                escape(&link.note)
            )?;
        }
        let (Some(lhs), Some(rhs)) = (
            report.measure(Side::Left, &link.left_id),
            report.measure(Side::Right, &link.right_id),
        ) else {
            out.push_str("</div>\n");
            continue;
        };
        let diff = char_diff(&lhs.text, &rhs.text);
        out.push_str("<div class=\"diff\">");
        for side in Side::BOTH {
            out.push_str("<div>");
            for segment in diff.side(side) {
                let text = escape(&segment.text);
                match segment.only {
                    None => out.push_str(&text),
                    Some(Side::Left) => {
                        write!(out, "<del>{text}</del>")?;
                    }
                    Some(Side::Right) => {
                        write!(out, "<ins>{text}</ins>")?;
                    }
                }
            }
            out.push_str("</div>");
        }
        out.push_str("</div>\n</div>\n");
    }
    Ok(())
}

fn unmatched_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    for (side, heading, ids) in [
        (
            Side::Left,
            "左侧无对应措施 Left measures without a counterpart",
            &report.alignment.unmatched_left,
        ),
        (
            Side::Right,
            "右侧无对应措施 Right measures without a counterpart",
            &report.alignment.unmatched_right,
        ),
    ] {
        writeln!(out, "<h2>{}</h2>", escape(heading))?;
        if ids.is_empty() {
            out.push_str("<p>无 None.</p>\n");
            continue;
        }
        out.push_str("<table>\n<tr><th>措施 Measure</th><th>主题 Themes</th><th>牵头单位 Lead agencies</th></tr>\n");
        for id in ids {
            let units = report
                .measure(side, id)
                .map(|m| {
                    m.lead_units
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default();
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&report.label_title(side, id)),
                escape(&report.measure_theme_names(side, id)),
                escape(&units)
            )?;
        }
        out.push_str("</table>\n");
    }
    Ok(())
}

fn coverage_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    out.push_str("<h2>主题覆盖 Theme coverage</h2>\n<p class=\"legend\"><span class=\"gap\">0</span> 另一规划有而本规划无 · the other plan has measures on the theme, this one none</p>\n<table>\n");
    writeln!(
        out,
        "<tr><th>主题 Theme</th><th>{}</th><th>{}</th></tr>",
        escape(&report.left.meta.title),
        escape(&report.right.meta.title)
    )?;
    for row in &report.coverage {
        let cell = |side: Side, ids: &[String], other: &[String]| {
            let class = if ids.is_empty() && !other.is_empty() {
                " class=\"gap\""
            } else {
                ""
            };
            format!(
                "<td{class}>{} <span class=\"meta\">{}</span></td>",
                ids.len(),
                escape(&report.labels(side, ids))
            )
        };
        writeln!(
            out,
            "<tr><td>{}</td>{}{}</tr>",
            escape(&report.theme_name(&row.theme_id)),
            cell(Side::Left, &row.left, &row.right),
            cell(Side::Right, &row.right, &row.left),
        )?;
    }
    out.push_str("</table>\n");
    Ok(())
}

fn targets_html(out: &mut String, report: &AlignmentReport<'_>) -> std::fmt::Result {
    out.push_str("<h2>同一主题下的目标 Targets under the same theme</h2>\n");
    if report.targets.is_empty() {
        out.push_str("<p>无 None.</p>\n");
        return Ok(());
    }
    out.push_str("<table>\n<tr><th>主题 Theme</th><th>左 Left</th><th>右 Right</th></tr>\n");
    for pair in &report.targets {
        let cell = |side: Side, items: &[TargetItem]| {
            report
                .target_lines(side, items)
                .iter()
                .map(|line| escape(line))
                .collect::<Vec<_>>()
                .join("<br />")
        };
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&report.theme_name(&pair.theme_id)),
            cell(Side::Left, &pair.left),
            cell(Side::Right, &pair.right)
        )?;
    }
    out.push_str("</table>\n");
    Ok(())
}

/// The trace report as an HTML document.
pub(super) fn trace_html(report: &TraceReport<'_>) -> Result<String, ReportError> {
    let mut out = String::new();
    let title = format!(
        "{} · {}",
        report.base.meta.title, "跨规划追踪 Trace across plans"
    );
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&title),
        STYLE,
        escape(&title)
    )?;
    writeln!(
        out,
        "<p class=\"meta\">PlanAlign · {} · {}</p>",
        escape(&report.generated),
        escape(&settings_line(&report.settings))
    )?;
    out.push_str("<h2>摘要 Summary</h2>\n<table>\n<tr><th>规划 Plan</th><th>承接的基准措施 Base measures taken up</th><th>比例 Share</th><th>自有措施 Own measures</th><th>措施数 Measures</th></tr>\n");
    for row in summary_rows(report) {
        writeln!(
            out,
            "<tr><td>{}<span class=\"meta\"> · {}</span></td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&row.label),
            escape(&row.title),
            row.taken_up,
            row.base_measures,
            percent(row.share()),
            row.own,
            row.measures
        )?;
    }
    out.push_str("</table>\n<h2>追踪 Trace</h2>\n<table>\n<tr>");
    for (label, plan) in report.column_labels().iter().zip(report.plans()) {
        write!(
            out,
            "<th>{}<span class=\"title\">{}</span></th>",
            escape(label),
            escape(&plan.meta.title)
        )?;
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
            write!(out, "<td>{shown}</td>")?;
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
            writeln!(
                out,
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(&plan),
                escape(&measure)
            )?;
        }
        out.push_str("</table>\n");
    }
    out.push_str("</body>\n</html>\n");
    Ok(out)
}
