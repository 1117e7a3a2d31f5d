//! The evidence about one pair of measures that the matcher's model weighs: how alike their
//! texts, titles, words, concepts, themes, agencies, sections and target metrics are, and how
//! the pair stands among each measure's other candidates in the other plan (is each the other's
//! best? by how much? for two plans of one place, are they in the same part of the plan?).

use super::features::{Corpus, MeasureFeatures, dot};

/// The names of the evidence, in model order.
pub const FEATURES: [&str; NUM_FEATURES] = [
    "text",
    "title",
    "words",
    "concepts",
    "themes",
    "agencies",
    "section",
    "metrics",
    "row_z",
    "column_z",
    "mutual_best",
    "margin",
    "order",
    "themes_known",
];

/// How many pieces of evidence a pair has.
pub const NUM_FEATURES: usize = 14;

/// Index of each feature.
pub mod feature {
    /// Character bigram TF-IDF cosine (square root).
    pub const TEXT: usize = 0;
    /// Title bigram cosine (square root).
    pub const TITLE: usize = 1;
    /// Word TF-IDF cosine (square root).
    pub const WORDS: usize = 2;
    /// What synonym groups add to the word cosine (square roots).
    pub const CONCEPTS: usize = 3;
    /// Theme cosine.
    pub const THEMES: usize = 4;
    /// Agency-type cosine.
    pub const AGENCIES: usize = 5;
    /// Section heading cosine (square root).
    pub const SECTION: usize = 6;
    /// Shared target metrics (Jaccard).
    pub const METRICS: usize = 7;
    /// The pair's base similarity as a z-score within the left measure's row.
    pub const ROW_Z: usize = 8;
    /// … within the right measure's column.
    pub const COLUMN_Z: usize = 9;
    /// Each is the other's best candidate.
    pub const MUTUAL_BEST: usize = 10;
    /// Base similarity minus the best other candidate of either measure.
    pub const MARGIN: usize = 11;
    /// Same place: how close the two sit in their plans (1 = same relative position).
    pub const ORDER: usize = 12;
    /// Both measures carry themes (so a theme cosine of 0 is evidence).
    pub const THEMES_KNOWN: usize = 13;
}

/// One pair's evidence.
pub type Evidence = [f32; NUM_FEATURES];

/// The evidence of every pair of two plans' measures, row-major (`left × right`).
#[derive(Clone, Debug, Default)]
pub struct PairMatrix {
    /// Measures of the left plan.
    pub num_left: usize,
    /// Measures of the right plan.
    pub num_right: usize,
    /// Evidence per pair.
    pub evidence: Vec<Evidence>,
}

impl PairMatrix {
    /// The evidence of pair (`l`, `r`).
    pub fn get(&self, l: usize, r: usize) -> Option<&Evidence> {
        self.evidence.get(l * self.num_right + r)
    }
}

fn root(cosine: f32) -> f32 {
    cosine.clamp(0.0, 1.0).sqrt()
}

/// A sparse vector spread out densely, so that its dot product with many others costs one
/// lookup per entry of theirs. Sums run in the same order as [`dot`]'s, so the result is the
/// same to the last bit.
#[derive(Default)]
struct Dense {
    weights: Vec<f32>,
    ids: Vec<u32>,
}

impl Dense {
    fn load(&mut self, vector: &[(u32, f32)]) {
        for &id in &self.ids {
            if let Some(w) = self.weights.get_mut(id as usize) {
                *w = 0.0;
            }
        }
        self.ids.clear();
        for &(id, weight) in vector {
            let slot = id as usize;
            if self.weights.len() <= slot {
                self.weights.resize(slot + 1, 0.0);
            }
            if let Some(w) = self.weights.get_mut(slot) {
                *w = weight;
            }
            self.ids.push(id);
        }
    }

    fn dot(&self, other: &[(u32, f32)]) -> f32 {
        let mut sum = 0.0;
        for &(id, weight) in other {
            if let Some(&w) = self.weights.get(id as usize)
                && w != 0.0
            {
                sum += w * weight;
            }
        }
        sum
    }
}

/// One measure's longest vectors, spread out densely.
#[derive(Default)]
struct DenseMeasure {
    text: Dense,
    words: Dense,
    concepts: Dense,
}

impl DenseMeasure {
    fn load(&mut self, features: &MeasureFeatures) {
        self.text.load(&features.text_vector);
        self.words.load(&features.word_vector);
        self.concepts.load(&features.concept_vector);
    }
}

thread_local! {
    static DENSE: std::cell::RefCell<DenseMeasure> = std::cell::RefCell::default();
}

/// The pair's own evidence (no context of other candidates).
pub fn pair_evidence(lhs: &MeasureFeatures, rhs: &MeasureFeatures) -> Evidence {
    let mut dense = DenseMeasure::default();
    dense.load(lhs);
    evidence_with(lhs, &dense, rhs)
}

/// [`pair_evidence`] with the left measure already spread out.
fn evidence_with(lhs: &MeasureFeatures, dense: &DenseMeasure, rhs: &MeasureFeatures) -> Evidence {
    let mut x = [0.0f32; NUM_FEATURES];
    x[feature::TEXT] = root(dense.text.dot(&rhs.text_vector));
    x[feature::TITLE] = root(dot(&lhs.title_vector, &rhs.title_vector));
    let words = root(dense.words.dot(&rhs.word_vector));
    x[feature::WORDS] = words;
    x[feature::CONCEPTS] = (root(dense.concepts.dot(&rhs.concept_vector)) - words).max(0.0);
    let themes_known = !lhs.theme_vector.is_empty() && !rhs.theme_vector.is_empty();
    if themes_known {
        x[feature::THEMES] = dot(&lhs.theme_vector, &rhs.theme_vector).clamp(0.0, 1.0);
        x[feature::THEMES_KNOWN] = 1.0;
    }
    if !lhs.agency_vector.is_empty() && !rhs.agency_vector.is_empty() {
        x[feature::AGENCIES] = dot(&lhs.agency_vector, &rhs.agency_vector).clamp(0.0, 1.0);
    }
    x[feature::SECTION] = root(dot(&lhs.section_vector, &rhs.section_vector));
    let shared = lhs
        .metrics
        .iter()
        .filter(|m| rhs.metrics.contains(m))
        .count();
    let union = lhs.metrics.len() + rhs.metrics.len() - shared;
    if union > 0 {
        #[expect(clippy::cast_precision_loss, reason = "metric counts are small")]
        let jaccard = shared as f32 / union as f32;
        x[feature::METRICS] = jaccard;
    }
    x
}

/// What a row or column of candidates is compared with besides its own pairs: the base
/// similarity of an unrelated pair of measures (mean and spread over the reference plans), as
/// if this many such pairs were in every row. Small plans (one or two measures) thus get
/// z-scores against typical pairs rather than against themselves.
const PRIOR_MEAN: f32 = 0.11;
const PRIOR_SPREAD: f32 = 0.07;
const PRIOR_WEIGHT: f32 = 4.0;

/// The base similarity the candidate features rank pairs by.
fn base(x: &Evidence) -> f32 {
    (x[feature::TEXT] + x[feature::WORDS] + x[feature::TITLE] + x[feature::CONCEPTS]) / 3.0
}

/// The evidence of every pair of plans `left` and `right` of a corpus; `same_place` when both
/// plans are of one jurisdiction (a revision or next year's plan), so order counts.
pub fn pair_matrix(corpus: &Corpus, left: usize, right: usize, same_place: bool) -> PairMatrix {
    let (Some(lhs_plan), Some(rhs_plan)) = (corpus.plans.get(left), corpus.plans.get(right)) else {
        return PairMatrix::default();
    };
    let (num_left, num_right) = (lhs_plan.len(), rhs_plan.len());
    let mut evidence: Vec<Evidence> = Vec::with_capacity(num_left * num_right);
    DENSE.with(|dense| {
        let mut dense = dense.borrow_mut();
        for lhs in lhs_plan {
            dense.load(lhs);
            for rhs in rhs_plan {
                evidence.push(evidence_with(lhs, &dense, rhs));
            }
        }
    });
    let bases: Vec<f32> = evidence.iter().map(base).collect();
    let at = |l: usize, r: usize| bases.get(l * num_right + r).copied().unwrap_or(0.0);
    let stats = |values: &[f32]| -> (f32, f32, f32, f32) {
        // mean, spread, best, second best
        #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
        let n = values.len() as f32 + PRIOR_WEIGHT;
        let mean = (values.iter().sum::<f32>() + PRIOR_WEIGHT * PRIOR_MEAN) / n;
        let var = (values.iter().map(|v| (v - mean).powi(2)).sum::<f32>()
            + PRIOR_WEIGHT * (PRIOR_SPREAD.powi(2) + (PRIOR_MEAN - mean).powi(2)))
            / n;
        let mut best = 0.0f32;
        let mut second = 0.0f32;
        for &v in values {
            if v > best {
                second = best;
                best = v;
            } else if v > second {
                second = v;
            }
        }
        (mean, var.sqrt().max(0.02), best, second)
    };
    let rows: Vec<(f32, f32, f32, f32)> = (0..num_left)
        .map(|l| stats(&(0..num_right).map(|r| at(l, r)).collect::<Vec<_>>()))
        .collect();
    let columns: Vec<(f32, f32, f32, f32)> = (0..num_right)
        .map(|r| stats(&(0..num_left).map(|l| at(l, r)).collect::<Vec<_>>()))
        .collect();
    #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
    let position = |i: usize, n: usize| (i as f32 + 0.5) / n.max(1) as f32;
    for l in 0..num_left {
        for r in 0..num_right {
            let b = at(l, r);
            let (Some(row), Some(column)) = (rows.get(l), columns.get(r)) else {
                continue;
            };
            let Some(x) = evidence.get_mut(l * num_right + r) else {
                continue;
            };
            x[feature::ROW_Z] = ((b - row.0) / row.1).clamp(-3.0, 6.0);
            x[feature::COLUMN_Z] = ((b - column.0) / column.1).clamp(-3.0, 6.0);
            let best_in_row = b >= row.2 && b > 0.0;
            let best_in_column = b >= column.2 && b > 0.0;
            if best_in_row && best_in_column {
                x[feature::MUTUAL_BEST] = 1.0;
            }
            // How far the pair is from the best other candidate of either measure.
            let other_row = if best_in_row { row.3 } else { row.2 };
            let other_column = if best_in_column { column.3 } else { column.2 };
            x[feature::MARGIN] = (b - other_row.max(other_column)).clamp(-0.5, 0.5);
            if same_place {
                x[feature::ORDER] = 1.0 - (position(l, num_left) - position(r, num_right)).abs();
            }
        }
    }
    PairMatrix {
        num_left,
        num_right,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_dot_is_the_sparse_dot_to_the_last_bit() {
        let a = vec![(1, 0.3f32), (5, 0.1), (9, 0.7), (12, 0.2)];
        let b = vec![(0, 0.5f32), (5, 0.25), (9, 0.33), (40, 0.9)];
        let mut dense = Dense::default();
        dense.load(&a);
        assert_eq!(dense.dot(&b).to_bits(), dot(&a, &b).to_bits());
        dense.load(&b);
        assert_eq!(dense.dot(&a).to_bits(), dot(&b, &a).to_bits());
        assert_eq!(
            dense.dot(&[(1, 1.0)]),
            0.0,
            "the previous vector was cleared"
        );
    }
}
