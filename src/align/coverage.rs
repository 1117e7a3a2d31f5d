//! Across many plans: the theme × plan coverage matrix, and a measure traced through every
//! other loaded plan.

use serde::{Deserialize, Serialize};

use crate::model::LinkKind;

use super::{Aligner, link_kind};

/// One cell of the coverage matrix: the measures of a plan that carry a theme.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageCell {
    /// Measure ids, in plan order.
    pub measure_ids: Vec<String>,
}

/// Theme × plan: which measures of each plan carry each theme (auto and manual tags).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageMatrix {
    /// Rows: theme ids in codebook order.
    pub theme_ids: Vec<String>,
    /// Columns: plan ids in load order.
    pub plan_ids: Vec<String>,
    /// `cells[theme][plan]`.
    pub cells: Vec<Vec<CoverageCell>>,
}

impl CoverageMatrix {
    /// Number of measures in a cell.
    pub fn count(&self, theme: usize, plan: usize) -> usize {
        self.cells
            .get(theme)
            .and_then(|row| row.get(plan))
            .map_or(0, |cell| cell.measure_ids.len())
    }
}

/// The coverage matrix over every plan the aligner holds.
pub fn coverage(aligner: &Aligner<'_>) -> CoverageMatrix {
    let corpus = aligner.corpus();
    let cells = corpus
        .theme_ids
        .iter()
        .map(|theme_id| {
            aligner
                .plans()
                .iter()
                .zip(&corpus.plans)
                .map(|(plan, features)| CoverageCell {
                    measure_ids: plan
                        .measures
                        .iter()
                        .zip(features)
                        .filter(|(_, f)| f.themes.iter().any(|t| &t.theme_id == theme_id))
                        .map(|(measure, _)| measure.id.clone())
                        .collect(),
                })
                .collect()
        })
        .collect();
    CoverageMatrix {
        theme_ids: corpus.theme_ids.clone(),
        plan_ids: corpus.plan_ids.clone(),
        cells,
    }
}

/// A measure's counterpart in another plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceHit {
    /// The other plan.
    pub plan_id: String,
    /// The counterpart measure.
    pub measure_id: String,
    /// Its score.
    pub score: f32,
    /// Its kind.
    pub kind: LinkKind,
}

/// The best `per_plan` counterparts of one measure in every other plan that the matcher would
/// link; plans in load order, hits best first.
pub fn trace(
    aligner: &Aligner<'_>,
    plan_index: usize,
    measure_index: usize,
    per_plan: usize,
) -> Vec<TraceHit> {
    let config = aligner.config();
    let mut hits = Vec::new();
    for (other_index, other) in aligner.plans().iter().enumerate() {
        if other_index == plan_index {
            continue;
        }
        let (matrix, probabilities) = aligner.probabilities(plan_index, other_index);
        let mut scored: Vec<TraceHit> = (0..other.measures.len())
            .filter_map(|m| {
                let score = *probabilities.get(measure_index * matrix.num_right + m)?;
                if f64::from(score) < aligner.threshold() {
                    return None;
                }
                let lhs = aligner.corpus().features(plan_index, measure_index)?;
                let rhs = aligner.corpus().features(other_index, m)?;
                let signals = super::with_containment(super::signals_of(lhs, rhs), lhs, rhs);
                Some(TraceHit {
                    plan_id: other.id.clone(),
                    measure_id: other.measures.get(m)?.id.clone(),
                    score,
                    kind: link_kind(&signals, config),
                })
            })
            .collect();
        scored.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.measure_id.cmp(&b.measure_id))
        });
        scored.truncate(per_plan);
        hits.extend(scored);
    }
    hits
}
