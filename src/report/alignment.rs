//! Alignment and coverage writers: JSON (`planalign.alignment/1`), Markdown and CSV.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::align::{Alignment, CoverageMatrix, Link};
use crate::model::{Measure, Plan};
use crate::themes::Codebook;

use super::model::AlignmentReport;

/// Schema tag of the alignment JSON.
pub const ALIGNMENT_SCHEMA: &str = "planalign.alignment/1";
/// Schema tag of the coverage JSON.
pub const COVERAGE_SCHEMA: &str = "planalign.coverage/1";

/// A short JSON summary of a plan.
pub fn plan_summary_json(plan: &Plan) -> Value {
    let mut summary = super::meta_json(&plan.meta);
    if let Value::Object(fields) = &mut summary {
        fields.insert("id".to_owned(), json!(plan.id));
        fields.insert("num_measures".to_owned(), json!(plan.measures.len()));
        fields.insert(
            "source".to_owned(),
            json!({
                "file_name": plan.source.file_name,
                "sha256": plan.source.sha256,
                "encoding": plan.source.encoding,
                "imported_at": plan.source.imported_at,
            }),
        );
    }
    summary
}

fn measure_json(measure: Option<&Measure>, id: &str) -> Value {
    match measure {
        Some(m) => json!({ "id": m.id, "ordinal": m.ordinal, "label": m.label, "title": m.title }),
        None => json!({ "id": id, "ordinal": null, "label": null, "title": null }),
    }
}

/// Rounds a score for output, so reports do not show float noise.
fn round3(value: f32) -> f64 {
    (f64::from(value) * 1000.0).round() / 1000.0
}

/// One link as JSON.
pub fn link_json(link: &Link, left: &Plan, right: &Plan) -> Value {
    json!({
        "left": measure_json(left.measure(&link.left_id), &link.left_id),
        "right": measure_json(right.measure(&link.right_id), &link.right_id),
        "score": round3(link.score),
        "kind": link.kind.as_str(),
        "status": link.status.as_str(),
        "origin": link.origin.as_str(),
        "shared_themes": link.shared_themes,
        "shared_phrases": link.shared_phrases,
        "shared_units": link.shared_units,
        "signals": {
            "text": round3(link.signals.text),
            "theme": link.signals.theme.map(round3),
            "agency": link.signals.agency.map(round3),
            "left_containment": round3(link.signals.left_containment),
            "right_containment": round3(link.signals.right_containment),
        },
        "note": link.note,
    })
}

fn ordinals(plan: &Plan, ids: &[String]) -> Vec<Value> {
    ids.iter()
        .map(|id| plan.measure(id).map_or(Value::Null, |m| json!(m.ordinal)))
        .collect()
}

/// The alignment as JSON.
pub fn alignment_json(alignment: &Alignment, left: &Plan, right: &Plan) -> Value {
    json!({
        "schema": ALIGNMENT_SCHEMA,
        "left": plan_summary_json(left),
        "right": plan_summary_json(right),
        "links": alignment.links.iter().map(|l| link_json(l, left, right)).collect::<Vec<_>>(),
        "unmatched_left": ordinals(left, &alignment.unmatched_left),
        "unmatched_right": ordinals(right, &alignment.unmatched_right),
        "unmatched_left_ids": alignment.unmatched_left,
        "unmatched_right_ids": alignment.unmatched_right,
        "config": alignment.config,
    })
}

fn theme_names(codebook: &Codebook, ids: &[String]) -> String {
    ids.iter()
        .map(|id| codebook.theme(id).map_or(id.as_str(), |t| t.zh.as_str()))
        .collect::<Vec<_>>()
        .join("、")
}

/// Escapes text for a Markdown table cell.
pub fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// The formats an alignment report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlignmentFormat {
    /// Excel workbook.
    Xlsx,
    /// One self-contained HTML file.
    Html,
    /// Markdown document.
    Markdown,
    /// CSV of the links and unmatched measures, UTF-8 with BOM.
    Csv,
    /// The `planalign.alignment/1` JSON document.
    Json,
}

impl AlignmentFormat {
    /// Every format, in menu order.
    pub const ALL: [Self; 5] = [
        Self::Xlsx,
        Self::Html,
        Self::Markdown,
        Self::Csv,
        Self::Json,
    ];

    /// The format a file name asks for by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(Self::Xlsx),
            "html" | "htm" => Some(Self::Html),
            "md" | "markdown" => Some(Self::Markdown),
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// The name shown in file dialogs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Xlsx => "Excel",
            Self::Html => "HTML",
            Self::Markdown => "Markdown",
            Self::Csv => "CSV",
            Self::Json => "JSON",
        }
    }
}

/// The report in a format, as file bytes (the CLI and the app share it).
pub fn alignment_report(
    report: &AlignmentReport<'_>,
    format: AlignmentFormat,
) -> Result<Vec<u8>, String> {
    match format {
        AlignmentFormat::Xlsx => super::xlsx::alignment_xlsx(report),
        AlignmentFormat::Html => Ok(super::html::alignment_html(report).into_bytes()),
        AlignmentFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&report_json(report))
                .map_err(|err| format!("cannot write JSON ({err})"))?;
            bytes.push(b'\n');
            Ok(bytes)
        }
        AlignmentFormat::Markdown => Ok(alignment_markdown(report).into_bytes()),
        AlignmentFormat::Csv => {
            alignment_csv(report).map_err(|err| format!("cannot write CSV ({err})"))
        }
    }
}

/// The alignment JSON with the report's header, summary, coverage and targets added.
pub fn report_json(report: &AlignmentReport<'_>) -> Value {
    let mut value = alignment_json(report.alignment, report.left, report.right);
    let s = &report.summary;
    let names = |left: bool, ids: &[String]| -> Vec<Value> {
        ids.iter()
            .map(|id| json!({ "id": id, "label_title": report.label_title(left, id) }))
            .collect()
    };
    if let Value::Object(fields) = &mut value {
        let generated = Some(&report.generated).filter(|g| !g.is_empty());
        fields.insert("generated".to_owned(), json!(generated));
        fields.insert(
            "summary".to_owned(),
            json!({
                "links": s.links,
                "by_kind": s.by_kind.iter().map(|(k, n)| (k.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
                "by_status": s.by_status.iter().map(|(k, n)| (k.as_str().to_owned(), json!(n))).collect::<serde_json::Map<_, _>>(),
                "manual": s.manual,
                "measures": [s.measures.0, s.measures.1],
                "unmatched": [s.unmatched.0, s.unmatched.1],
                "linked_share": [s.linked_share(true), s.linked_share(false)],
            }),
        );
        fields.insert(
            "coverage".to_owned(),
            report
                .coverage
                .iter()
                .map(|row| {
                    json!({
                        "theme_id": row.theme_id,
                        "theme": report.theme_name(&row.theme_id),
                        "left": names(true, &row.left),
                        "right": names(false, &row.right),
                    })
                })
                .collect(),
        );
        fields.insert(
            "targets".to_owned(),
            report
                .targets
                .iter()
                .map(|pair| {
                    let items = |left: bool, items: &[super::model::TargetItem]| -> Vec<Value> {
                        items
                            .iter()
                            .map(|i| json!({ "measure_id": i.measure_id, "label_title": report.label_title(left, &i.measure_id), "text": i.text }))
                            .collect()
                    };
                    json!({
                        "theme_id": pair.theme_id,
                        "theme": report.theme_name(&pair.theme_id),
                        "left": items(true, &pair.left),
                        "right": items(false, &pair.right),
                    })
                })
                .collect(),
        );
    }
    value
}

/// The report as a Markdown document.
pub fn alignment_markdown(report: &AlignmentReport<'_>) -> String {
    let (left, right, alignment) = (report.left, report.right, report.alignment);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} ↔ {}\n",
        md_cell(&left.meta.title),
        md_cell(&right.meta.title)
    );
    let _ = writeln!(
        out,
        "PlanAlign alignment report{}. {}.\n",
        if report.generated.is_empty() {
            String::new()
        } else {
            format!(", {}", report.generated)
        },
        md_cell(&super::model::settings_line(&report.settings)),
    );
    let _ = writeln!(out, "| | left | right |\n| --- | --- | --- |");
    let facts = (
        super::model::plan_facts(left),
        super::model::plan_facts(right),
    );
    for ((name, lhs), (_, rhs)) in facts.0.iter().zip(&facts.1).skip(1) {
        let _ = writeln!(out, "| {name} | {} | {} |", md_cell(lhs), md_cell(rhs));
    }
    let s = &report.summary;
    let _ = writeln!(out, "\n## Summary\n");
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
    let _ = writeln!(
        out,
        "{} links ({}; {}; {} manual). Linked: {} of {} left measures ({:.0}%), {} of {} right measures ({:.0}%).\n",
        s.links,
        kinds.join(", "),
        statuses.join(", "),
        s.manual,
        s.measures.0 - s.unmatched.0.min(s.measures.0),
        s.measures.0,
        100.0 * s.linked_share(true),
        s.measures.1 - s.unmatched.1.min(s.measures.1),
        s.measures.1,
        100.0 * s.linked_share(false),
    );
    let _ = writeln!(out, "## Links\n");
    let _ = writeln!(
        out,
        "| left | right | score | kind | status | origin | shared phrases | shared themes | shared agencies | note |"
    );
    let _ = writeln!(
        out,
        "| --- | --- | ---: | --- | --- | --- | --- | --- | --- | --- |"
    );
    for link in &alignment.links {
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} | {} | {} | {} | {} | {} | {} | {} |",
            md_cell(&report.label_title(true, &link.left_id)),
            md_cell(&report.label_title(false, &link.right_id)),
            link.score,
            link.kind.as_str(),
            link.status.as_str(),
            link.origin.as_str(),
            md_cell(&link.shared_phrases.join("、")),
            md_cell(&report.theme_names(&link.shared_themes)),
            md_cell(&link.shared_units.join("、")),
            md_cell(&link.note),
        );
    }
    for (is_left, heading, ids) in [
        (
            true,
            "Left measures without a counterpart",
            &alignment.unmatched_left,
        ),
        (
            false,
            "Right measures without a counterpart",
            &alignment.unmatched_right,
        ),
    ] {
        let _ = writeln!(out, "\n## {heading}\n");
        if ids.is_empty() {
            let _ = writeln!(out, "None.");
        }
        for id in ids {
            let themes = report.measure_theme_names(is_left, id);
            let _ = writeln!(
                out,
                "- {}{}",
                md_cell(&report.label_title(is_left, id)),
                if themes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", md_cell(&themes))
                }
            );
        }
    }
    let _ = writeln!(out, "\n## Theme coverage\n");
    let _ = writeln!(out, "| theme | left | right |\n| --- | --- | --- |");
    for row in &report.coverage {
        let labels = |is_left: bool, ids: &[String]| report.labels(is_left, ids);
        let _ = writeln!(
            out,
            "| {} | {} {} | {} {} |",
            md_cell(&report.theme_name(&row.theme_id)),
            row.left.len(),
            md_cell(&labels(true, &row.left)),
            row.right.len(),
            md_cell(&labels(false, &row.right)),
        );
    }
    let _ = writeln!(out, "\n## Targets under the same theme\n");
    if report.targets.is_empty() {
        let _ = writeln!(out, "None.");
    } else {
        let _ = writeln!(out, "| theme | left | right |\n| --- | --- | --- |");
    }
    for pair in &report.targets {
        let cell = |is_left: bool, items: &[super::model::TargetItem]| {
            report
                .target_lines(is_left, items)
                .iter()
                .map(|line| md_cell(line))
                .collect::<Vec<_>>()
                .join("<br>")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_cell(&report.theme_name(&pair.theme_id)),
            cell(true, &pair.left),
            cell(false, &pair.right),
        );
    }
    out
}

/// The alignment as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese correctly).
pub fn alignment_csv(report: &AlignmentReport<'_>) -> Result<Vec<u8>, csv::Error> {
    let (alignment, left, right, codebook) =
        (report.alignment, report.left, report.right, report.codebook);
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer.write_record([
            "left_label",
            "left_title",
            "right_label",
            "right_title",
            "score",
            "kind",
            "status",
            "origin",
            "shared_phrases",
            "shared_themes",
            "shared_agencies",
            "note",
        ])?;
        for link in &alignment.links {
            let (lm, rm) = (left.measure(&link.left_id), right.measure(&link.right_id));
            writer.write_record([
                lm.map_or(link.left_id.as_str(), |m| m.label.as_str()),
                lm.map_or("", |m| m.title.as_str()),
                rm.map_or(link.right_id.as_str(), |m| m.label.as_str()),
                rm.map_or("", |m| m.title.as_str()),
                &format!("{:.3}", link.score),
                link.kind.as_str(),
                link.status.as_str(),
                link.origin.as_str(),
                &link.shared_phrases.join("、"),
                &theme_names(codebook, &link.shared_themes),
                &link.shared_units.join("、"),
                &link.note,
            ])?;
        }
        for (side, plan, ids) in [
            ("left", left, &alignment.unmatched_left),
            ("right", right, &alignment.unmatched_right),
        ] {
            for id in ids {
                let m = plan.measure(id);
                let label = m.map_or(id.as_str(), |m| m.label.as_str());
                let title = m.map_or("", |m| m.title.as_str());
                let (l_label, l_title, r_label, r_title) = if side == "left" {
                    (label, title, "", "")
                } else {
                    ("", "", label, title)
                };
                writer.write_record([
                    l_label,
                    l_title,
                    r_label,
                    r_title,
                    "",
                    "unmatched",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                ])?;
            }
        }
        writer.flush()?;
    }
    Ok(out)
}

/// The coverage matrix as JSON.
pub fn coverage_json(matrix: &CoverageMatrix, plans: &[&Plan], codebook: &Codebook) -> Value {
    json!({
        "schema": COVERAGE_SCHEMA,
        "plans": plans.iter().map(|p| plan_summary_json(p)).collect::<Vec<_>>(),
        "themes": matrix.theme_ids.iter().enumerate().map(|(t, id)| json!({
            "id": id,
            "zh": codebook.theme(id).map(|th| th.zh.clone()),
            "en": codebook.theme(id).map(|th| th.en.clone()),
            "pillar": codebook.pillar_of(id).map(|p| p.id.clone()),
            "cells": matrix.plan_ids.iter().enumerate().map(|(p, plan_id)| json!({
                "plan_id": plan_id,
                "count": matrix.count(t, p),
                "measure_ids": matrix.cells.get(t).and_then(|row| row.get(p)).map(|c| c.measure_ids.clone()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn plan_column(plan: &Plan) -> String {
    let name = plan.meta.jurisdiction.name.as_deref().unwrap_or("?");
    let year = plan
        .meta
        .period
        .start
        .or(plan.meta.period.end)
        .map(|y| format!(" {y}"))
        .unwrap_or_default();
    format!("{name}{year} {}", plan.meta.kind.as_str())
}

/// The coverage matrix as a Markdown table: themes down, plans across, measure counts in cells.
pub fn coverage_markdown(matrix: &CoverageMatrix, plans: &[&Plan], codebook: &Codebook) -> String {
    let mut out = String::from("# Theme coverage\n\n");
    let _ = write!(out, "| pillar | theme |");
    for plan in plans {
        let _ = write!(out, " {} |", md_cell(&plan_column(plan)));
    }
    let _ = write!(out, "\n| --- | --- |");
    for _ in plans {
        let _ = write!(out, " ---: |");
    }
    out.push('\n');
    for (t, theme_id) in matrix.theme_ids.iter().enumerate() {
        let pillar = codebook.pillar_of(theme_id).map_or("", |p| p.zh.as_str());
        let name = codebook
            .theme(theme_id)
            .map_or(theme_id.as_str(), |th| th.zh.as_str());
        let _ = write!(out, "| {} | {} |", md_cell(pillar), md_cell(name));
        for p in 0..plans.len() {
            match matrix.count(t, p) {
                0 => out.push_str(" · |"),
                n => {
                    let _ = write!(out, " {n} |");
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The coverage matrix as CSV (UTF-8 with BOM): one row per theme, one column per plan.
pub fn coverage_csv(
    matrix: &CoverageMatrix,
    plans: &[&Plan],
    codebook: &Codebook,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let mut header = vec![
            "theme_id".to_owned(),
            "pillar".to_owned(),
            "theme".to_owned(),
        ];
        header.extend(plans.iter().map(|p| p.id.clone()));
        writer.write_record(&header)?;
        for (t, theme_id) in matrix.theme_ids.iter().enumerate() {
            let mut row = vec![
                theme_id.clone(),
                codebook
                    .pillar_of(theme_id)
                    .map(|p| p.zh.clone())
                    .unwrap_or_default(),
                codebook
                    .theme(theme_id)
                    .map(|th| th.zh.clone())
                    .unwrap_or_default(),
            ];
            row.extend((0..plans.len()).map(|p| matrix.count(t, p).to_string()));
            writer.write_record(&row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}
