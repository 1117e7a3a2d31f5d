//! CSV writers (UTF-8 with BOM, so spreadsheet programs read Chinese right): the alignment
//! report, the trace report and the coverage matrix.
//!
//! Every field goes through [`neutralise`] on its way out ([`Writer::record`] is the only way
//! to write), so a plan title such as `=HYPERLINK(…)` arrives in a spreadsheet as text, never as
//! a formula.

use crate::align::{CoverageMatrix, evidence_line, likelihood_text};
use crate::model::{Plan, Side};
use crate::themes::Codebook;

use super::model::AlignmentReport;
use super::trace::{TraceReport, trace_cells};
use super::{ReportError, clean};

/// The characters a spreadsheet takes as the start of a formula (OWASP, CSV injection).
const FORMULA_STARTERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A field as it is safe to write: hidden characters dropped, and a leading `'` when it would
/// start a formula. Plain numbers (`-3`, `0.25`) are left as they are.
pub fn neutralise(field: &str) -> String {
    let field = clean(field);
    let is_number = {
        let digits = field.strip_prefix('-').unwrap_or(&field);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|&c| c == '.').count() <= 1
            && digits.starts_with(|c: char| c.is_ascii_digit())
    };
    let starts_formula = field
        .trim_start_matches(' ')
        .starts_with(|c: char| FORMULA_STARTERS.contains(&c));
    if starts_formula && !is_number {
        format!("'{field}")
    } else {
        field.into_owned()
    }
}

/// A CSV document under construction: the BOM, then records of neutralised fields.
struct Writer {
    inner: ::csv::Writer<Vec<u8>>,
}

impl Writer {
    fn new() -> Self {
        Self {
            inner: ::csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]),
        }
    }

    fn record<I, S>(&mut self, fields: I) -> Result<(), ReportError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let fields: Vec<String> = fields.into_iter().map(|f| neutralise(f.as_ref())).collect();
        self.inner.write_record(&fields)?;
        Ok(())
    }

    fn finish(self) -> Result<Vec<u8>, ReportError> {
        self.inner
            .into_inner()
            .map_err(|err| ReportError::Csv(err.into_error().into()))
    }
}

/// The plan columns every alignment row carries, so a row read on its own says which plans it
/// compares: title, file and sha256 of each plan.
fn plan_fields(plan: &Plan) -> [&str; 3] {
    [
        plan.meta.title.as_str(),
        plan.source.file_name.as_str(),
        plan.source.sha256.as_str(),
    ]
}

/// The alignment as CSV: one row per link, then one per unmatched measure; each row ends with
/// both plans' title, file and sha256.
pub(super) fn alignment_csv(report: &AlignmentReport<'_>) -> Result<Vec<u8>, ReportError> {
    let (alignment, left, right) = (report.alignment, report.left, report.right);
    let plans: Vec<&str> = plan_fields(left)
        .into_iter()
        .chain(plan_fields(right))
        .collect();
    let mut writer = Writer::new();
    writer.record([
        "left_label",
        "left_title",
        "right_label",
        "right_title",
        "score",
        "likelihood",
        "kind",
        "status",
        "origin",
        "shared_phrases",
        "shared_themes",
        "shared_agencies",
        "evidence",
        "note",
        "left_plan",
        "left_file",
        "left_sha256",
        "right_plan",
        "right_file",
        "right_sha256",
    ])?;
    for link in &alignment.links {
        let (lm, rm) = (left.measure(&link.left_id), right.measure(&link.right_id));
        let score = format!("{:.3}", link.score);
        let phrases = link.shared_phrases.join("、");
        let themes = report.shared_theme_names(link);
        let units = link.shared_units.join("、");
        let likelihood = likelihood_text(link.score);
        let evidence = evidence_line(&link.evidence);
        let fields = [
            lm.map_or(link.left_id.as_str(), |m| m.label.as_str()),
            lm.map_or("", |m| m.title.as_str()),
            rm.map_or(link.right_id.as_str(), |m| m.label.as_str()),
            rm.map_or("", |m| m.title.as_str()),
            &score,
            &likelihood,
            link.kind.as_str(),
            link.status.as_str(),
            link.origin.as_str(),
            &phrases,
            &themes,
            &units,
            &evidence,
            &link.note,
        ];
        writer.record(fields.iter().copied().chain(plans.iter().copied()))?;
    }
    for side in Side::BOTH {
        let plan = side.pick(left, right);
        let ids = alignment.unmatched(side);
        for id in ids {
            let m = plan.measure(id);
            let label = m.map_or(id.as_str(), |m| m.label.as_str());
            let title = m.map_or("", |m| m.title.as_str());
            let sides = side.pick([label, title, "", ""], ["", "", label, title]);
            let rest = ["", "", "unmatched", "", "", "", "", "", "", ""];
            writer.record(
                sides
                    .iter()
                    .chain(&rest)
                    .copied()
                    .chain(plans.iter().copied()),
            )?;
        }
    }
    writer.finish()
}

/// The trace as CSV: a header of `label: title` per plan, then one row per base measure.
pub(super) fn trace_csv(report: &TraceReport<'_>) -> Result<Vec<u8>, ReportError> {
    let mut writer = Writer::new();
    let header: Vec<String> = report
        .column_labels()
        .iter()
        .zip(report.plans())
        .map(|(label, plan)| format!("{label}: {}", plan.meta.title))
        .collect();
    writer.record(&header)?;
    for cells in trace_cells(report, "; ") {
        writer.record(&cells)?;
    }
    writer.finish()
}

/// The coverage matrix as CSV: one row per theme, one column per plan (by id).
pub fn coverage_csv(
    matrix: &CoverageMatrix,
    plans: &[&Plan],
    codebook: &Codebook,
) -> Result<Vec<u8>, ReportError> {
    let mut writer = Writer::new();
    let mut header = vec![
        "theme_id".to_owned(),
        "pillar".to_owned(),
        "theme".to_owned(),
    ];
    header.extend(plans.iter().map(|p| p.id.clone()));
    writer.record(&header)?;
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
        writer.record(&row)?;
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_are_neutralised_and_numbers_kept() {
        for hostile in [
            "=1+1",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "  =HYPERLINK(\"//evil.example/x\";\"点击\")",
        ] {
            assert!(neutralise(hostile).starts_with('\''), "{hostile:?}");
        }
        for plain in ["-3", "0.250", "17", "上海市=质量", "（一）加强质量"] {
            assert_eq!(neutralise(plain), plain);
        }
    }
}
