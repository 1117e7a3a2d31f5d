//! Markdown writers: the alignment report, the trace report and the coverage matrix.
//!
//! Plan and analyst text reaches the document only through [`escape`] (inside [`Cell`] and the
//! heading, paragraph and bullet helpers): HTML-significant characters become entities, so
//! `<script>` or `<img onerror>` cannot come out live when the Markdown is rendered, and link,
//! emphasis and table syntax is backslash-escaped, so `[x](javascript:…)` stays text.

use std::fmt::Write as _;

use crate::align::{CoverageMatrix, evidence_line, likelihood_text};
use crate::model::{Plan, Side};
use crate::themes::Codebook;

use super::model::{AlignmentReport, TargetItem, plan_facts, settings_line};
use super::trace::{TraceReport, own_rows, summary_rows, trace_cells};
use super::{ReportError, clean, percent};

/// Escapes text for Markdown: entities for `&`, `<` and `>`, a backslash before Markdown
/// syntax (`\ | [ ] * _ ` ~ #`), line breaks as spaces; hidden characters dropped.
pub fn escape(text: &str) -> String {
    let text = clean(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '|' | '[' | ']' | '*' | '_' | '`' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A table cell, escaped when it is made.
struct Cell(String);

impl Cell {
    /// Plan or analyst text.
    fn text(text: &str) -> Self {
        Self(escape(text))
    }

    /// Several lines of text in one cell, separated by `<br>`.
    fn lines<S: AsRef<str>>(lines: &[S]) -> Self {
        Self(
            lines
                .iter()
                .map(|line| escape(line.as_ref()))
                .collect::<Vec<_>>()
                .join("<br>"),
        )
    }

    /// A number or other value of our own making.
    fn value(value: impl std::fmt::Display) -> Self {
        Self(escape(&value.to_string()))
    }
}

/// A Markdown document under construction.
#[derive(Default)]
struct Doc {
    out: String,
}

impl Doc {
    fn heading(&mut self, level: usize, text: &str) -> std::fmt::Result {
        writeln!(self.out, "{} {}\n", "#".repeat(level), escape(text))
    }

    fn paragraph(&mut self, text: &str) -> std::fmt::Result {
        writeln!(self.out, "{}\n", escape(text))
    }

    fn bullet(&mut self, text: &str) -> std::fmt::Result {
        writeln!(self.out, "- {}", escape(text))
    }

    /// A table header; columns named with `>` at the end are right-aligned.
    fn table(&mut self, columns: &[&str]) -> std::fmt::Result {
        let names: Vec<String> = columns
            .iter()
            .map(|c| escape(c.trim_end_matches('>')))
            .collect();
        let rules: Vec<&str> = columns
            .iter()
            .map(|c| if c.ends_with('>') { "---:" } else { "---" })
            .collect();
        writeln!(self.out, "| {} |", names.join(" | "))?;
        writeln!(self.out, "| {} |", rules.join(" | "))
    }

    fn row(&mut self, cells: &[Cell]) -> std::fmt::Result {
        let cells: Vec<&str> = cells.iter().map(|c| c.0.as_str()).collect();
        writeln!(self.out, "| {} |", cells.join(" | "))
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }
}

/// The alignment report as a Markdown document.
pub fn alignment_markdown(report: &AlignmentReport<'_>) -> Result<String, ReportError> {
    let (left, right, alignment) = (report.left, report.right, report.alignment);
    let mut doc = Doc::default();
    doc.heading(1, &format!("{} ↔ {}", left.meta.title, right.meta.title))?;
    let generated = if report.generated.is_empty() {
        String::new()
    } else {
        format!(", {}", report.generated)
    };
    doc.paragraph(&format!(
        "PlanAlign alignment report{generated}. {}.",
        settings_line(&report.settings)
    ))?;
    doc.table(&["", "left", "right"])?;
    for ((name, lhs), (_, rhs)) in plan_facts(left).iter().zip(&plan_facts(right)).skip(1) {
        doc.row(&[Cell::text(name), Cell::text(lhs), Cell::text(rhs)])?;
    }
    doc.blank();
    doc.heading(2, "Summary")?;
    let s = &report.summary;
    let kinds: Vec<String> = s
        .by_kind
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    let statuses: Vec<String> = s
        .by_status
        .iter()
        .map(|(k, n)| format!("{n} {}", k.as_str()))
        .collect();
    doc.paragraph(&format!(
        "{} links ({}; {}; {} manual). Linked: {} of {} left measures ({}), {} of {} right measures ({}).",
        s.links,
        kinds.join(", "),
        statuses.join(", "),
        s.manual,
        s.linked(Side::Left),
        s.measures.0,
        percent(s.linked_share(Side::Left)),
        s.linked(Side::Right),
        s.measures.1,
        percent(s.linked_share(Side::Right)),
    ))?;
    doc.heading(2, "Links")?;
    doc.table(&[
        "left",
        "right",
        "likelihood",
        "kind",
        "status",
        "origin",
        "shared phrases",
        "shared themes",
        "shared agencies",
        "evidence",
        "note",
    ])?;
    for link in &alignment.links {
        doc.row(&[
            Cell::text(&report.label_title(Side::Left, &link.left_id)),
            Cell::text(&report.label_title(Side::Right, &link.right_id)),
            Cell::value(likelihood_text(link.score)),
            Cell::value(link.kind.as_str()),
            Cell::value(link.status.as_str()),
            Cell::value(link.origin.as_str()),
            Cell::text(&link.shared_phrases.join("、")),
            Cell::text(&report.shared_theme_names(link)),
            Cell::text(&link.shared_units.join("、")),
            Cell::text(&evidence_line(&link.evidence)),
            Cell::text(&link.note),
        ])?;
    }
    for (side, heading, ids) in [
        (
            Side::Left,
            "Left measures without a counterpart",
            &alignment.unmatched_left,
        ),
        (
            Side::Right,
            "Right measures without a counterpart",
            &alignment.unmatched_right,
        ),
    ] {
        doc.blank();
        doc.heading(2, heading)?;
        if ids.is_empty() {
            doc.paragraph("None.")?;
        }
        for id in ids {
            let themes = report.measure_theme_names(side, id);
            let label = report.label_title(side, id);
            if themes.is_empty() {
                doc.bullet(&label)?;
            } else {
                doc.bullet(&format!("{label} ({themes})"))?;
            }
        }
    }
    doc.blank();
    doc.heading(2, "Theme coverage")?;
    doc.table(&["theme", "left", "right"])?;
    for row in &report.coverage {
        doc.row(&[
            Cell::text(&report.theme_name(&row.theme_id)),
            Cell::text(&format!(
                "{} {}",
                row.left.len(),
                report.labels(Side::Left, &row.left)
            )),
            Cell::text(&format!(
                "{} {}",
                row.right.len(),
                report.labels(Side::Right, &row.right)
            )),
        ])?;
    }
    doc.blank();
    doc.heading(2, "Targets under the same theme")?;
    if report.targets.is_empty() {
        doc.paragraph("None.")?;
    } else {
        doc.table(&["theme", "left", "right"])?;
    }
    for pair in &report.targets {
        let cell =
            |side: Side, items: &[TargetItem]| Cell::lines(&report.target_lines(side, items));
        doc.row(&[
            Cell::text(&report.theme_name(&pair.theme_id)),
            cell(Side::Left, &pair.left),
            cell(Side::Right, &pair.right),
        ])?;
    }
    Ok(doc.out)
}

/// The trace report as a Markdown document.
pub(super) fn trace_markdown(report: &TraceReport<'_>) -> Result<String, ReportError> {
    let mut doc = Doc::default();
    doc.heading(
        1,
        &format!(
            "{} across {} plans",
            report.base.meta.title,
            report.others.len()
        ),
    )?;
    doc.paragraph(&format!(
        "PlanAlign trace report, {}. {}.",
        report.generated,
        settings_line(&report.settings)
    ))?;
    doc.table(&["column", "plan", "file", "sha256"])?;
    for (label, plan) in report.column_labels().iter().zip(report.plans()) {
        doc.row(&[
            Cell::text(label),
            Cell::text(&plan.meta.title),
            Cell::text(&plan.source.file_name),
            Cell::text(&plan.source.sha256),
        ])?;
    }
    doc.blank();
    doc.heading(2, "Summary")?;
    doc.table(&[
        "plan",
        "base measures taken up>",
        "share>",
        "own measures>",
        "measures>",
    ])?;
    for row in summary_rows(report) {
        doc.row(&[
            Cell::text(&row.label),
            Cell::value(format!("{} / {}", row.taken_up, row.base_measures)),
            Cell::value(percent(row.share())),
            Cell::value(row.own),
            Cell::value(row.measures),
        ])?;
    }
    doc.blank();
    doc.heading(2, "Trace")?;
    let labels = report.column_labels();
    let columns: Vec<&str> = labels.iter().map(String::as_str).collect();
    doc.table(&columns)?;
    for cells in trace_cells(report, "\n") {
        let cells: Vec<Cell> = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::value("—")
                } else {
                    Cell::lines(&c.lines().collect::<Vec<_>>())
                }
            })
            .collect();
        doc.row(&cells)?;
    }
    doc.blank();
    doc.heading(2, "Measures of their own")?;
    let own = own_rows(report);
    if own.is_empty() {
        doc.paragraph("None.")?;
    }
    for [plan, measure] in own {
        doc.bullet(&format!("{plan}: {measure}"))?;
    }
    Ok(doc.out)
}

/// The coverage matrix as a Markdown table: themes down, plans across, measure counts in cells.
pub fn coverage_markdown(
    matrix: &CoverageMatrix,
    plans: &[&Plan],
    codebook: &Codebook,
) -> Result<String, ReportError> {
    let mut doc = Doc::default();
    doc.heading(1, "Theme coverage")?;
    let labels: Vec<String> = plans
        .iter()
        .map(|p| format!("{}>", p.short_label()))
        .collect();
    let mut columns = vec!["pillar", "theme"];
    columns.extend(labels.iter().map(String::as_str));
    doc.table(&columns)?;
    for (t, theme_id) in matrix.theme_ids.iter().enumerate() {
        let pillar = codebook.pillar_of(theme_id).map_or("", |p| p.zh.as_str());
        let name = codebook
            .theme(theme_id)
            .map_or(theme_id.as_str(), |th| th.zh.as_str());
        let mut cells = vec![Cell::text(pillar), Cell::text(name)];
        cells.extend((0..plans.len()).map(|p| match matrix.count(t, p) {
            0 => Cell::value("·"),
            n => Cell::value(n),
        }));
        doc.row(&cells)?;
    }
    Ok(doc.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_leaves_no_markup_live() {
        let escaped =
            escape("<script>alert(1)</script>[点击](javascript:alert(1)) a|b *x* \u{202E}");
        assert!(
            !escaped.contains('<') && !escaped.contains('>'),
            "{escaped}"
        );
        assert!(escaped.contains("\\[点击\\](javascript:"), "{escaped}");
        assert!(escaped.contains("a\\|b \\*x\\*"), "{escaped}");
        assert!(!escaped.contains('\u{202E}'));
    }
}
