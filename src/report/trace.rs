//! The multi-plan report model: one plan (say the city's) against several others (the
//! districts'), each measure of the first traced across the others, plus what each other plan
//! added of its own. The format modules write it.

use crate::align::{AlignConfig, Aligner, Alignment};
use crate::model::{LinkDecision, LinkKind, LinkStatus, Plan, Side};
use crate::themes::Codebook;

use super::ReportError;

/// A counterpart of a base measure in another plan.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceCell {
    /// The other plan's measure.
    pub measure_id: String,
    /// The link's score.
    pub score: f32,
    /// The link's kind.
    pub kind: LinkKind,
    /// The analyst's verdict on the link.
    pub status: LinkStatus,
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
    /// The matcher's settings.
    pub settings: super::model::MatcherSettings,
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
                            .links_of(Side::Left, &measure.id)
                            .filter(|l| l.status != LinkStatus::Rejected)
                            .map(|l| TraceCell {
                                measure_id: l.right_id.clone(),
                                score: l.score,
                                kind: l.kind,
                                status: l.status,
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
            settings: super::model::MatcherSettings::of(aligner),
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

    /// A counterpart as `label title (score)`.
    pub fn other_label(&self, index: usize, cell: &TraceCell) -> String {
        self.others
            .get(index)
            .and_then(|plan| plan.measure(&cell.measure_id))
            .map_or_else(
                || cell.measure_id.clone(),
                |m| format!("{}{} ({:.0}%)", m.label, m.title, 100.0 * cell.score),
            )
    }

    /// A base measure as `label title`.
    pub fn base_label(&self, id: &str) -> String {
        self.base
            .measure(id)
            .map_or_else(|| id.to_owned(), |m| format!("{}{}", m.label, m.title))
    }

    /// The base plan and each other plan, in column order.
    pub fn plans(&self) -> impl Iterator<Item = &'a Plan> + '_ {
        std::iter::once(self.base).chain(self.others.iter().copied())
    }

    /// A short label per column (base plan, then each other plan) that tells plans apart:
    /// jurisdiction, year and kind, with the 文号 or a number added where two would read alike.
    pub fn column_labels(&self) -> Vec<String> {
        let plans: Vec<&Plan> = self.plans().collect();
        let short: Vec<String> = plans.iter().map(|p| p.short_label()).collect();
        let mut labels: Vec<String> = Vec::with_capacity(short.len());
        for (index, (plan, label)) in plans.iter().zip(&short).enumerate() {
            let clashes = short.iter().filter(|other| *other == label).count() > 1;
            let mut chosen = label.clone();
            if clashes && let Some(number) = &plan.meta.doc_number {
                chosen = format!("{label} {number}");
            }
            if labels.contains(&chosen) || (clashes && plan.meta.doc_number.is_none()) {
                chosen = format!("{label} ({})", index + 1);
            }
            labels.push(chosen);
        }
        labels
    }
}

/// The trace report of `base` across `others` with the codebook and settings given.
pub fn build_trace(
    plans: &[&Plan],
    codebook: &Codebook,
    base: usize,
    others: &[usize],
    generated: String,
    config: AlignConfig,
    use_report: impl FnOnce(&TraceReport<'_>) -> Result<Vec<u8>, ReportError>,
) -> Result<Vec<u8>, ReportError> {
    let aligner = Aligner::new(plans, codebook, &[], config);
    let report = TraceReport::build(&aligner, base, others, &[], generated)
        .ok_or(ReportError::Empty("no base plan to trace"))?;
    use_report(&report)
}

/// One other plan's line of the summary.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct SummaryRow {
    /// The plan's column label.
    pub label: String,
    /// The plan's title.
    pub title: String,
    /// Base measures with a counterpart in the plan.
    pub taken_up: usize,
    /// Base measures in all.
    pub base_measures: usize,
    /// The plan's measures without a counterpart in the base plan.
    pub own: usize,
    /// The plan's measures.
    pub measures: usize,
}

impl SummaryRow {
    /// Share of the base measures taken up, 0–1.
    pub fn share(&self) -> f64 {
        if self.base_measures == 0 {
            return 0.0;
        }
        #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
        let share = self.taken_up as f64 / self.base_measures as f64;
        share
    }
}

/// The summary rows: per other plan, base measures taken up and own measures.
pub(super) fn summary_rows(report: &TraceReport<'_>) -> Vec<SummaryRow> {
    let labels = report.column_labels();
    report
        .others
        .iter()
        .enumerate()
        .map(|(i, plan)| SummaryRow {
            label: labels.get(i + 1).cloned().unwrap_or_default(),
            title: plan.meta.title.clone(),
            taken_up: report.taken_up(i),
            base_measures: report.base.measures.len(),
            own: report.own.get(i).map_or(0, Vec::len),
            measures: plan.measures.len(),
        })
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

/// Each other plan's own measures as (plan label, measure label and title).
pub(super) fn own_rows(report: &TraceReport<'_>) -> Vec<[String; 2]> {
    let labels = report.column_labels();
    report
        .others
        .iter()
        .zip(&report.own)
        .enumerate()
        .flat_map(|(i, (plan, ids))| {
            let label = labels.get(i + 1).cloned().unwrap_or_default();
            ids.iter().map(move |id| {
                [
                    label.clone(),
                    plan.measure(id)
                        .map_or_else(|| id.clone(), |m| format!("{}{}", m.label, m.title)),
                ]
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::bundled_plans;

    #[test]
    fn column_labels_tell_two_plans_of_one_city_apart() {
        let plans = bundled_plans();
        let mut revised = plans[0].clone();
        revised.meta.doc_number = Some("沪质〔2021〕2号".to_owned());
        let mut twin = plans[0].clone();
        twin.meta.doc_number = None;
        let refs: Vec<&Plan> = plans.iter().collect();
        let codebook = Codebook::bundled();
        let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
        let others: Vec<usize> = (1..refs.len()).collect();
        let mut report = TraceReport::build(&aligner, 0, &others, &[], String::new()).unwrap();
        let labels = report.column_labels();
        assert_eq!(labels[0], "上海市 2021 工作要点");
        assert!(
            labels.contains(&"上海市 2016 行动计划".to_owned()),
            "{labels:?}"
        );
        report.others.push(&revised);
        report.others.push(&twin);
        let labels = report.column_labels();
        let unique: std::collections::BTreeSet<&String> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
        assert!(
            labels.contains(&"上海市 2021 工作要点 沪质〔2021〕2号".to_owned()),
            "{labels:?}"
        );
    }
}
