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

/// One kind of vector of a plan's measures, inverted: for each term, the measures that carry it
/// with their weights. A measure of another plan is then compared with every measure of this
/// plan at once, at a cost that grows with the terms they share rather than with the number of
/// measure pairs. Sums run in the same order as [`dot`]'s (ascending term id), so every
/// similarity is the same to the last bit.
#[derive(Clone, Debug, Default)]
struct Inverted {
    /// Term id → 1 + index into `ranges`; 0 when no measure carries the term.
    slot: Vec<u32>,
    /// Start and end of each term's postings.
    ranges: Vec<(u32, u32)>,
    /// (measure, weight), grouped by term, in measure order within a term.
    postings: Vec<(u32, f32)>,
}

impl Inverted {
    fn new<'v>(vectors: impl Iterator<Item = &'v [(u32, f32)]>) -> Self {
        let mut triples: Vec<(u32, u32, f32)> = Vec::new();
        for (measure, vector) in vectors.enumerate() {
            let Ok(measure) = u32::try_from(measure) else {
                break;
            };
            triples.extend(vector.iter().map(|&(term, weight)| (term, measure, weight)));
        }
        triples.sort_unstable_by_key(|&(term, measure, _)| (term, measure));
        let size = triples.last().map_or(0, |&(term, _, _)| term as usize + 1);
        let mut index = Self {
            slot: vec![0; size],
            ranges: Vec::new(),
            postings: Vec::with_capacity(triples.len()),
        };
        for (term, measure, weight) in triples {
            let start = u32::try_from(index.postings.len()).unwrap_or(u32::MAX);
            index.postings.push((measure, weight));
            let Some(slot) = index.slot.get_mut(term as usize) else {
                continue;
            };
            if *slot == 0 {
                index.ranges.push((start, start + 1));
                *slot = u32::try_from(index.ranges.len()).unwrap_or(u32::MAX);
            } else if let Some(range) = index.ranges.get_mut(*slot as usize - 1) {
                range.1 = start + 1;
            }
        }
        index
    }

    /// `sums[m]` = the dot product of `vector` with measure `m`'s vector.
    fn dots(&self, vector: &[(u32, f32)], sums: &mut [f32]) {
        sums.fill(0.0);
        for &(term, weight) in vector {
            let Some(&slot) = self.slot.get(term as usize) else {
                continue;
            };
            let Some(&(start, end)) = slot
                .checked_sub(1)
                .and_then(|i| self.ranges.get(i as usize))
            else {
                continue;
            };
            for &(measure, own) in self
                .postings
                .get(start as usize..end as usize)
                .unwrap_or(&[])
            {
                if let Some(sum) = sums.get_mut(measure as usize) {
                    *sum += own * weight;
                }
            }
        }
    }
}

/// A plan's measures indexed for comparison with the measures of other plans: build it once per
/// plan and pair it with each other plan ([`pair_matrix_with`]).
#[derive(Clone, Debug, Default)]
pub struct PlanIndex {
    num_measures: usize,
    text: Inverted,
    title: Inverted,
    words: Inverted,
    concepts: Inverted,
    section: Inverted,
}

impl PlanIndex {
    /// Indexes the measures of one plan.
    pub fn new(measures: &[MeasureFeatures]) -> Self {
        Self {
            num_measures: measures.len(),
            text: Inverted::new(measures.iter().map(|m| m.text_vector.as_slice())),
            title: Inverted::new(measures.iter().map(|m| m.title_vector.as_slice())),
            words: Inverted::new(measures.iter().map(|m| m.word_vector.as_slice())),
            concepts: Inverted::new(measures.iter().map(|m| m.concept_vector.as_slice())),
            section: Inverted::new(measures.iter().map(|m| m.section_vector.as_slice())),
        }
    }
}

/// The dot products of one measure with every measure of an indexed plan, per kind of vector.
#[derive(Default)]
struct Sums {
    text: Vec<f32>,
    title: Vec<f32>,
    words: Vec<f32>,
    concepts: Vec<f32>,
    section: Vec<f32>,
}

impl Sums {
    fn fill(&mut self, index: &PlanIndex, rhs: &MeasureFeatures) {
        for sums in [
            &mut self.text,
            &mut self.title,
            &mut self.words,
            &mut self.concepts,
            &mut self.section,
        ] {
            sums.resize(index.num_measures, 0.0);
        }
        index.text.dots(&rhs.text_vector, &mut self.text);
        index.title.dots(&rhs.title_vector, &mut self.title);
        index.words.dots(&rhs.word_vector, &mut self.words);
        index.concepts.dots(&rhs.concept_vector, &mut self.concepts);
        index.section.dots(&rhs.section_vector, &mut self.section);
    }

    fn get(values: &[f32], l: usize) -> f32 {
        values.get(l).copied().unwrap_or(0.0)
    }
}

/// The similarity evidence from the text, title, word, concept and section dot products.
fn similarities(dots: [f32; 5]) -> Evidence {
    let [text, title, words, concepts, section] = dots;
    let mut x = [0.0f32; NUM_FEATURES];
    x[feature::TEXT] = root(text);
    x[feature::TITLE] = root(title);
    let words = root(words);
    x[feature::WORDS] = words;
    x[feature::CONCEPTS] = (root(concepts) - words).max(0.0);
    x[feature::SECTION] = root(section);
    x
}

/// The evidence features of the pair itself besides the similarities: themes, agencies and
/// target metrics (see [`OWN_FEATURES`]).
fn own_evidence(lhs: &MeasureFeatures, rhs: &MeasureFeatures, x: &mut Evidence) {
    let themes_known = !lhs.theme_vector.is_empty() && !rhs.theme_vector.is_empty();
    if themes_known {
        x[feature::THEMES] = dot(&lhs.theme_vector, &rhs.theme_vector).clamp(0.0, 1.0);
        x[feature::THEMES_KNOWN] = 1.0;
    }
    if !lhs.agency_vector.is_empty() && !rhs.agency_vector.is_empty() {
        x[feature::AGENCIES] = dot(&lhs.agency_vector, &rhs.agency_vector).clamp(0.0, 1.0);
    }
    if !lhs.metrics.is_empty() && !rhs.metrics.is_empty() {
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
    }
}

/// The features [`PairContext::partial_evidence`] leaves at 0; each lies in 0–1.
pub const OWN_FEATURES: [usize; 4] = [
    feature::THEMES,
    feature::AGENCIES,
    feature::METRICS,
    feature::THEMES_KNOWN,
];

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

/// The evidence of every pair of plans `left` (indexed by `index`) and `right` of a corpus;
/// `same_place` when both plans are of one jurisdiction (a revision or next year's plan), so
/// order counts.
pub fn pair_matrix_with(
    index: &PlanIndex,
    corpus: &Corpus,
    left: usize,
    right: usize,
    same_place: bool,
) -> PairMatrix {
    let Some(pairs) = PairContext::new(index, corpus, left, right, same_place) else {
        return PairMatrix::default();
    };
    let evidence = (0..pairs.num_left)
        .flat_map(|l| (0..pairs.num_right).map(move |r| (l, r)))
        .map(|(l, r)| pairs.evidence(l, r))
        .collect();
    PairMatrix {
        num_left: pairs.num_left,
        num_right: pairs.num_right,
        evidence,
    }
}

/// The pairs of two plans' measures with what each pair's evidence is computed from: the
/// similarity dot products of every pair, and each row's and column's candidate statistics.
pub struct PairContext<'c> {
    lhs_plan: &'c [MeasureFeatures],
    rhs_plan: &'c [MeasureFeatures],
    /// Measures of the left plan.
    pub num_left: usize,
    /// Measures of the right plan.
    pub num_right: usize,
    same_place: bool,
    /// Text, title, word, concept and section dot products, row-major.
    dots: Vec<[f32; 5]>,
    /// Base similarity, row-major.
    bases: Vec<f32>,
    /// Mean, spread, best and second best base of each row …
    rows: Vec<(f32, f32, f32, f32)>,
    /// … and of each column.
    columns: Vec<(f32, f32, f32, f32)>,
}

impl<'c> PairContext<'c> {
    /// The pairs of plans `left` (indexed by `index`) and `right`.
    pub fn new(
        index: &PlanIndex,
        corpus: &'c Corpus,
        left: usize,
        right: usize,
        same_place: bool,
    ) -> Option<Self> {
        let lhs_plan = corpus.plans.get(left)?;
        let rhs_plan = corpus.plans.get(right)?;
        let (num_left, num_right) = (lhs_plan.len(), rhs_plan.len());
        let mut dots = vec![[0.0f32; 5]; num_left * num_right];
        let mut sums = Sums::default();
        for (r, rhs) in rhs_plan.iter().enumerate() {
            sums.fill(index, rhs);
            for l in 0..num_left {
                if let Some(slot) = dots.get_mut(l * num_right + r) {
                    *slot = [
                        Sums::get(&sums.text, l),
                        Sums::get(&sums.title, l),
                        Sums::get(&sums.words, l),
                        Sums::get(&sums.concepts, l),
                        Sums::get(&sums.section, l),
                    ];
                }
            }
        }
        let bases: Vec<f32> = dots.iter().map(|d| base(&similarities(*d))).collect();
        let at = |l: usize, r: usize| bases.get(l * num_right + r).copied().unwrap_or(0.0);
        let rows = (0..num_left)
            .map(|l| stats((0..num_right).map(|r| at(l, r))))
            .collect();
        let columns = (0..num_right)
            .map(|r| stats((0..num_left).map(|l| at(l, r))))
            .collect();
        Some(Self {
            lhs_plan,
            rhs_plan,
            num_left,
            num_right,
            same_place,
            dots,
            bases,
            rows,
            columns,
        })
    }

    /// The evidence that depends only on the similarities and the candidates around the pair
    /// (text, title, words, concepts, section, row and column z, mutual best, margin, order);
    /// the rest (themes, agencies, metrics) is left at 0.
    pub fn partial_evidence(&self, l: usize, r: usize) -> Evidence {
        let at = l * self.num_right + r;
        let mut x = similarities(self.dots.get(at).copied().unwrap_or_default());
        let b = self.bases.get(at).copied().unwrap_or(0.0);
        let (Some(row), Some(column)) = (self.rows.get(l), self.columns.get(r)) else {
            return x;
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
        if self.same_place {
            #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
            let position = |i: usize, n: usize| (i as f32 + 0.5) / n.max(1) as f32;
            x[feature::ORDER] =
                1.0 - (position(l, self.num_left) - position(r, self.num_right)).abs();
        }
        x
    }

    /// The whole evidence of pair (`l`, `r`).
    pub fn evidence(&self, l: usize, r: usize) -> Evidence {
        let mut x = self.partial_evidence(l, r);
        if let (Some(lhs), Some(rhs)) = (self.lhs_plan.get(l), self.rhs_plan.get(r)) {
            own_evidence(lhs, rhs, &mut x);
        }
        x
    }
}

/// Mean, spread, best and second best of a row or column of base similarities, against the
/// prior of unrelated pairs.
fn stats(values: impl Iterator<Item = f32> + Clone) -> (f32, f32, f32, f32) {
    let (count, total) = values
        .clone()
        .fold((0usize, 0.0f32), |(n, sum), v| (n + 1, sum + v));
    #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
    let n = count as f32 + PRIOR_WEIGHT;
    let mean = (total + PRIOR_WEIGHT * PRIOR_MEAN) / n;
    let squares = values
        .clone()
        .fold(0.0f32, |sum, v| sum + (v - mean).powi(2));
    let var = (squares + PRIOR_WEIGHT * (PRIOR_SPREAD.powi(2) + (PRIOR_MEAN - mean).powi(2))) / n;
    let mut best = 0.0f32;
    let mut second = 0.0f32;
    for v in values {
        if v > best {
            second = best;
            best = v;
        } else if v > second {
            second = v;
        }
    }
    (mean, var.sqrt().max(0.02), best, second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverted_dots_are_the_sparse_dots_to_the_last_bit() {
        let measures = [
            vec![(1, 0.3f32), (5, 0.1), (9, 0.7), (12, 0.2)],
            vec![],
            vec![(5, 0.9f32), (40, 0.1)],
        ];
        let index = Inverted::new(measures.iter().map(Vec::as_slice));
        let probe = vec![(0, 0.5f32), (5, 0.25), (9, 0.33), (40, 0.9), (77, 1.0)];
        let mut sums = vec![0.0; measures.len()];
        index.dots(&probe, &mut sums);
        for (measure, sum) in measures.iter().zip(&sums) {
            assert_eq!(sum.to_bits(), dot(measure, &probe).to_bits());
        }
        index.dots(&[(1, 1.0)], &mut sums);
        assert_eq!(sums, vec![0.3, 0.0, 0.0], "earlier sums were cleared");
    }
}
