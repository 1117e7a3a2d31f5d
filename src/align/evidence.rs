//! The evidence about one pair of measures that the matcher's model weighs: how alike their
//! texts, titles, words, concepts, themes, agencies, sections and target metrics are, and how
//! the pair stands among each measure's other candidates in the other plan (is each the other's
//! best? by how much? for two plans of one place, are they in the same part of the plan?).

use super::features::{Corpus, MeasureFeatures};

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
/// measure pairs. Sums run in the same order as [`dot`](super::features::dot)'s (ascending term
/// id), so every similarity is the same to the last bit.
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
    themes: Inverted,
    agencies: Inverted,
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
            themes: Inverted::new(measures.iter().map(|m| m.theme_vector.as_slice())),
            agencies: Inverted::new(measures.iter().map(|m| m.agency_vector.as_slice())),
        }
    }
}

/// The dot products of one measure with every measure of an indexed plan, per kind of vector
/// ([`Dots`] order).
#[derive(Default)]
struct Sums {
    dots: Dots,
}

impl Sums {
    fn fill(&mut self, index: &PlanIndex, rhs: &MeasureFeatures) {
        for sums in &mut self.dots {
            sums.resize(index.num_measures, 0.0);
        }
        let [text, title, words, concepts, section, themes, agencies] = &mut self.dots;
        index.text.dots(&rhs.text_vector, text);
        index.title.dots(&rhs.title_vector, title);
        index.words.dots(&rhs.word_vector, words);
        index.concepts.dots(&rhs.concept_vector, concepts);
        index.section.dots(&rhs.section_vector, section);
        index.themes.dots(&rhs.theme_vector, themes);
        index.agencies.dots(&rhs.agency_vector, agencies);
    }

    fn get(values: &[f32], l: usize) -> f32 {
        values.get(l).copied().unwrap_or(0.0)
    }
}

/// Dot products of pairs of measures, one array per kind of vector: text, title, words,
/// concepts, section, themes and agencies.
type Dots = [Vec<f32>; 7];

/// One kind of vector of many plans' measures inverted: for each term, the measures that carry
/// it (numbered across the plans, descending, so that the measures from a given one on come
/// first) with their weights.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    /// Term id → start of its postings; one more entry than terms.
    offsets: Vec<u32>,
    /// (measure, weight), grouped by term.
    entries: Vec<(u32, f32)>,
}

impl Postings {
    pub(crate) fn new<'v>(vectors: impl Iterator<Item = &'v [(u32, f32)]> + Clone) -> Self {
        let size = vectors
            .clone()
            .filter_map(|v| v.last().map(|&(term, _)| term as usize + 1))
            .max()
            .unwrap_or(0);
        let mut counts = vec![0u32; size + 1];
        for vector in vectors.clone() {
            for &(term, _) in vector {
                if let Some(count) = counts.get_mut(term as usize + 1) {
                    *count += 1;
                }
            }
        }
        for i in 1..counts.len() {
            let previous = counts.get(i - 1).copied().unwrap_or(0);
            if let Some(count) = counts.get_mut(i) {
                *count += previous;
            }
        }
        let mut next = counts.clone();
        let mut entries = vec![(0u32, 0.0f32); counts.last().copied().unwrap_or(0) as usize];
        let vectors: Vec<&[(u32, f32)]> = vectors.collect();
        for (measure, vector) in vectors.iter().enumerate().rev() {
            let Ok(measure) = u32::try_from(measure) else {
                continue;
            };
            for &(term, weight) in *vector {
                if let Some(at) = next.get_mut(term as usize) {
                    if let Some(entry) = entries.get_mut(*at as usize) {
                        *entry = (measure, weight);
                    }
                    *at += 1;
                }
            }
        }
        Self {
            offsets: counts,
            entries,
        }
    }

    /// The (measure, weight) postings of `term`.
    pub(crate) fn of(&self, term: u32) -> &[(u32, f32)] {
        match (
            self.offsets.get(term as usize),
            self.offsets.get(term as usize + 1),
        ) {
            (Some(&start), Some(&end)) => self.entries.get(start as usize..end as usize),
            _ => None,
        }
        .unwrap_or(&[])
    }

    /// Calls `add(measure - first, product)` with the product of the two weights for each
    /// posting of `vector`'s terms from measure `first` on, terms in `vector`'s order.
    #[inline]
    fn for_each_product(&self, vector: &[(u32, f32)], first: u32, mut add: impl FnMut(usize, f32)) {
        for &(term, weight) in vector {
            for &(measure, own) in self.of(term) {
                let Some(at) = measure.checked_sub(first) else {
                    break;
                };
                add(at as usize, own * weight);
            }
        }
    }

    /// [`Postings::add_dots`] into `sums[measure - first].0`, and adds to `.1` the number of
    /// `vector`'s terms the measure holds (each sum beside its count, so an update touches one
    /// place in memory).
    fn add_dots_and_count(&self, vector: &[(u32, f32)], first: u32, sums: &mut [(f32, u32)]) {
        self.for_each_product(vector, first, |at, product| {
            if let Some((sum, count)) = sums.get_mut(at) {
                *sum += product;
                *count += 1;
            }
        });
    }

    /// Adds `vector`'s dot product with every measure from `first` on to `sums[measure - first]`.
    /// Terms are taken in `vector`'s (ascending) order, so each sum is
    /// [`dot`](super::features::dot)'s to the last bit.
    fn add_dots(&self, vector: &[(u32, f32)], first: u32, sums: &mut [f32]) {
        self.for_each_product(vector, first, |at, product| {
            if let Some(sum) = sums.get_mut(at) {
                *sum += product;
            }
        });
    }
}

/// The measures of a list of plans inverted together, so that each plan's measures are compared
/// with every measure of all later plans at once: a term of a measure is looked up once for all
/// those plans rather than once per plan, and postings are read in one sweep. The dot products
/// are those of [`PlanIndex`] and `features::dot`, to the last bit.
#[derive(Clone, Debug, Default)]
pub struct LaterIndex {
    /// The plans (corpus indices), in order.
    plans: Vec<usize>,
    /// Number of the first measure of each plan, and the total at the end.
    starts: Vec<u32>,
    text: Postings,
    title: Postings,
    words: Postings,
    concepts: Postings,
    section: Postings,
    themes: Postings,
    agencies: Postings,
}

/// The similarities of one plan's measures with every measure of the later plans of a
/// [`LaterIndex`]: row `l` holds left measure `l` against each later measure.
#[derive(Clone, Debug, Default)]
pub struct LaterSimilarities {
    position: usize,
    /// Number of the first later measure.
    first: u32,
    similarities: Similarities,
    /// The number of character pairs (bigram ids) each pair shares, row-major as the
    /// similarities: what a link's kind is set from.
    shared: Vec<u32>,
    /// One row's text sums and shared counts, side by side while they are summed.
    row: Vec<(f32, u32)>,
}

impl LaterSimilarities {
    /// The number of character pairs left measure `l` shares with measure `r` of the later
    /// plan at `position`, if these similarities hold the pair.
    pub fn shared(&self, index: &LaterIndex, position: usize, l: usize, r: usize) -> Option<u32> {
        let start = index.starts.get(position)?.checked_sub(self.first)? as usize;
        if position <= self.position || l >= self.similarities.num_left {
            return None;
        }
        let end = index.starts.get(position + 1)?.checked_sub(self.first)? as usize;
        if start + r >= end {
            return None;
        }
        self.shared
            .get(l * self.similarities.width + start + r)
            .copied()
    }
}

impl LaterIndex {
    /// Indexes the measures of `plans` (corpus indices, in the order given).
    pub fn new(corpus: &Corpus, plans: &[usize]) -> Self {
        let measures: Vec<&MeasureFeatures> = plans
            .iter()
            .flat_map(|&p| corpus.plans.get(p).map(Vec::as_slice).unwrap_or(&[]))
            .collect();
        let mut starts = Vec::with_capacity(plans.len() + 1);
        let mut total = 0u32;
        for &p in plans {
            starts.push(total);
            let size = corpus.plans.get(p).map_or(0, Vec::len);
            total = total.saturating_add(u32::try_from(size).unwrap_or(u32::MAX));
        }
        starts.push(total);
        let postings = |vector: fn(&MeasureFeatures) -> &[(u32, f32)]| {
            Postings::new(measures.iter().map(move |m| vector(m)))
        };
        // Each kind is inverted on its own thread where there is one (the text's postings, the
        // most, on one; the other kinds' on the other).
        let (text, (((title, words), (concepts, section)), (themes, agencies))) = rayon::join(
            || postings(|m| &m.text_vector),
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || {
                                rayon::join(
                                    || postings(|m| &m.title_vector),
                                    || postings(|m| &m.word_vector),
                                )
                            },
                            || {
                                rayon::join(
                                    || postings(|m| &m.concept_vector),
                                    || postings(|m| &m.section_vector),
                                )
                            },
                        )
                    },
                    || {
                        rayon::join(
                            || postings(|m| &m.theme_vector),
                            || postings(|m| &m.agency_vector),
                        )
                    },
                )
            },
        );
        Self {
            plans: plans.to_vec(),
            starts,
            text,
            title,
            words,
            concepts,
            section,
            themes,
            agencies,
        }
    }

    /// The plan (corpus index) at `position`.
    pub fn plan(&self, position: usize) -> Option<usize> {
        self.plans.get(position).copied()
    }

    /// How many plans are indexed.
    pub fn num_plans(&self) -> usize {
        self.plans.len()
    }

    /// The similarities of the measures of the plan at `position` (in the index's order) with
    /// the measures of every later plan, in `out` (whose arrays are reused: a corpus run
    /// keeps one per thread rather than asking the system for fresh pages each time).
    pub fn later_similarities(
        &self,
        corpus: &Corpus,
        position: usize,
        out: &mut LaterSimilarities,
    ) {
        let (Some(&plan), Some(&first)) = (self.plans.get(position), self.starts.get(position + 1))
        else {
            *out = LaterSimilarities::default();
            return;
        };
        let measures = corpus.plans.get(plan).map(Vec::as_slice).unwrap_or(&[]);
        let total = self.starts.last().copied().unwrap_or(0);
        let width = total.saturating_sub(first) as usize;
        let num_left = measures.len();
        let dots = &mut out.similarities.dots;
        for values in dots.iter_mut() {
            values.clear();
            values.resize(num_left * width, 0.0);
        }
        out.shared.clear();
        out.shared.resize(num_left * width, 0);
        let [text, title, words, concepts, section, themes, agencies] = dots;
        for (l, lhs) in measures.iter().enumerate() {
            let row = l * width..(l + 1) * width;
            // The text vector holds every bigram id of the measure, so counting its terms'
            // postings counts the bigram ids each pair shares.
            let sums_and_counts = &mut out.row;
            sums_and_counts.clear();
            sums_and_counts.resize(width, (0.0, 0));
            self.text
                .add_dots_and_count(&lhs.text_vector, first, sums_and_counts);
            if let (Some(sums), Some(shared)) =
                (text.get_mut(row.clone()), out.shared.get_mut(row.clone()))
            {
                for ((sum, count), &(row_sum, row_count)) in sums
                    .iter_mut()
                    .zip(shared.iter_mut())
                    .zip(sums_and_counts.iter())
                {
                    *sum = row_sum;
                    *count = row_count;
                }
            }
            for (postings, vector, sums) in [
                (&self.title, &lhs.title_vector, &mut *title),
                (&self.words, &lhs.word_vector, &mut *words),
                (&self.concepts, &lhs.concept_vector, &mut *concepts),
                (&self.section, &lhs.section_vector, &mut *section),
                (&self.themes, &lhs.theme_vector, &mut *themes),
                (&self.agencies, &lhs.agency_vector, &mut *agencies),
            ] {
                if let Some(sums) = sums.get_mut(row.clone()) {
                    postings.add_dots(vector, first, sums);
                }
            }
        }
        out.position = position;
        out.first = first;
        out.similarities.num_left = num_left;
        out.similarities.width = width;
        out.similarities.take_roots();
    }

    /// The pairs of the plan of `later` (corpus index `left`) with the later plan at
    /// `position` (corpus index `right`), from the similarities already worked out.
    pub fn pair_context<'c>(
        &self,
        corpus: &'c Corpus,
        later: &'c LaterSimilarities,
        (left, right): (usize, usize),
        position: usize,
        same_place: bool,
    ) -> Option<PairContext<'c>> {
        let start = *self.starts.get(position)?;
        if position <= later.position || start < later.first {
            return None;
        }
        PairContext::with_similarities(
            corpus,
            left,
            right,
            same_place,
            std::borrow::Cow::Borrowed(&later.similarities),
            start.saturating_sub(later.first) as usize,
        )
    }
}

/// The similarities of one plan's measures (rows) with a run of measures (columns), each
/// kind in its own array, row-major with `width` columns: what the evidence of every pair
/// among them is computed from, laid out so that whole rows are screened at once.
#[derive(Clone, Debug, Default)]
pub struct Similarities {
    num_left: usize,
    width: usize,
    /// Text, title, words, concepts and section, as [`roots`] gives them; then the theme and
    /// agency cosines (in 0–1).
    dots: Dots,
    /// The base similarity ([`base_of_roots`]).
    base: Vec<f32>,
}

impl Similarities {
    /// From the dot products of every pair (`num_left × width` each).
    fn from_dots(num_left: usize, width: usize, dots: Dots) -> Self {
        let mut similarities = Self {
            num_left,
            width,
            dots,
            base: Vec::new(),
        };
        similarities.take_roots();
        similarities
    }

    /// Turns the dot products in [`Similarities::dots`] into the [`roots`] and cosines, and
    /// works out the base of every pair.
    fn take_roots(&mut self) {
        let size = self.num_left * self.width;
        for values in &mut self.dots {
            values.resize(size, 0.0);
        }
        let [text, title, words, concepts, section, themes, agencies] = &mut self.dots;
        for cosine in themes.iter_mut().chain(agencies.iter_mut()) {
            *cosine = cosine.clamp(0.0, 1.0);
        }
        self.base.clear();
        self.base.resize(size, 0.0);
        for (((((text, title), words), concepts), section), base) in text
            .iter_mut()
            .zip(title.iter_mut())
            .zip(words.iter_mut())
            .zip(concepts.iter_mut())
            .zip(section.iter_mut())
            .zip(self.base.iter_mut())
        {
            let similarity = roots([*text, *title, *words, *concepts, *section]);
            [*text, *title, *words, *concepts, *section] = similarity;
            *base = base_of_roots(similarity);
        }
    }

    /// The [`roots`] of the pair at `at` (row-major index).
    fn roots_at(&self, at: usize) -> [f32; 5] {
        let get = |values: &Vec<f32>| values.get(at).copied().unwrap_or(0.0);
        let [text, title, words, concepts, section, _, _] = &self.dots;
        [
            get(text),
            get(title),
            get(words),
            get(concepts),
            get(section),
        ]
    }

    /// The theme and agency cosines of the pair at `at` (row-major index).
    fn cosines_at(&self, at: usize) -> [f32; 2] {
        let get = |values: &Vec<f32>| values.get(at).copied().unwrap_or(0.0);
        let [_, _, _, _, _, themes, agencies] = &self.dots;
        [get(themes), get(agencies)]
    }
}

/// The similarity features (text, title, words, concepts, section) from the text, title, word,
/// concept and section dot products.
fn roots(dots: [f32; 5]) -> [f32; 5] {
    let [text, title, words, concepts, section] = dots;
    let words = root(words);
    [
        root(text),
        root(title),
        words,
        (root(concepts) - words).max(0.0),
        root(section),
    ]
}

/// The similarity evidence from [`roots`].
fn similarity_evidence(roots: [f32; 5]) -> Evidence {
    let [text, title, words, concepts, section] = roots;
    let mut x = [0.0f32; NUM_FEATURES];
    x[feature::TEXT] = text;
    x[feature::TITLE] = title;
    x[feature::WORDS] = words;
    x[feature::CONCEPTS] = concepts;
    x[feature::SECTION] = section;
    x
}

/// The evidence feature of the pair itself that is not worked out with the similarities: the
/// target metrics both measures name (see [`OWN_FEATURES`]).
fn own_evidence(lhs: &MeasureFeatures, rhs: &MeasureFeatures, x: &mut Evidence) {
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
pub const OWN_FEATURES: [usize; 1] = [feature::METRICS];

/// What a row or column of candidates is compared with besides its own pairs: the base
/// similarity of an unrelated pair of measures (mean and spread over the reference plans), as
/// if this many such pairs were in every row. Small plans (one or two measures) thus get
/// z-scores against typical pairs rather than against themselves.
const PRIOR_MEAN: f32 = 0.11;
const PRIOR_SPREAD: f32 = 0.07;
const PRIOR_WEIGHT: f32 = 4.0;

/// The base similarity the candidate features rank pairs by, from a pair's [`roots`].
fn base_of_roots(roots: [f32; 5]) -> f32 {
    let [text, title, words, concepts, _] = roots;
    (text + words + title + concepts) / 3.0
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
/// similarities of every pair, and each row's and column's candidate statistics.
pub struct PairContext<'c> {
    lhs_plan: &'c [MeasureFeatures],
    rhs_plan: &'c [MeasureFeatures],
    /// Measures of the left plan.
    pub num_left: usize,
    /// Measures of the right plan.
    pub num_right: usize,
    same_place: bool,
    /// The similarities; the right plan's measures are columns `offset..offset + num_right`.
    similarities: std::borrow::Cow<'c, Similarities>,
    offset: usize,
    /// Mean, spread, best and second best base of each row …
    rows: Vec<(f32, f32, f32, f32)>,
    /// … and of each column.
    columns: ColumnStats,
    /// What each left measure carries of themes, agencies and metrics …
    lhs_presence: Vec<Presence>,
    /// … and each right measure.
    rhs_presence: Vec<Presence>,
}

/// Mean, spread, best and second best base of each column, an array each (see [`stats`]).
#[derive(Clone, Debug, Default)]
struct ColumnStats {
    mean: Vec<f32>,
    spread: Vec<f32>,
    best: Vec<f32>,
    second: Vec<f32>,
}

impl ColumnStats {
    /// The statistics of `num_right` columns of `rows` (each a row's slice of bases), as
    /// [`stats`] computes them column by column, to the last bit: sums run down each column
    /// in row order.
    fn of<'r>(rows: impl Iterator<Item = &'r [f32]> + Clone, num_right: usize) -> Self {
        // Sums first, then means in place; squared deviations, then spreads in place.
        let mut count = 0usize;
        let mut mean = vec![0.0f32; num_right];
        for row in rows.clone() {
            count += 1;
            for (sum, &v) in mean.iter_mut().zip(row) {
                *sum += v;
            }
        }
        #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
        let n = count as f32 + PRIOR_WEIGHT;
        for sum in &mut mean {
            *sum = (*sum + PRIOR_WEIGHT * PRIOR_MEAN) / n;
        }
        let mut spread = vec![0.0f32; num_right];
        for row in rows.clone() {
            for ((sum, &v), &mean) in spread.iter_mut().zip(row).zip(&mean) {
                *sum += square(v - mean);
            }
        }
        for (squares, &mean) in spread.iter_mut().zip(&mean) {
            *squares = self::spread(*squares, mean, n);
        }
        let mut best = vec![0.0f32; num_right];
        let mut second = vec![0.0f32; num_right];
        for row in rows {
            for ((best, second), &v) in best.iter_mut().zip(second.iter_mut()).zip(row) {
                (*best, *second) = best_two(*best, *second, v);
            }
        }
        Self {
            mean,
            spread,
            best,
            second,
        }
    }

    fn get(&self, r: usize) -> Option<(f32, f32, f32, f32)> {
        Some((
            *self.mean.get(r)?,
            *self.spread.get(r)?,
            *self.best.get(r)?,
            *self.second.get(r)?,
        ))
    }
}

/// Which of themes, agencies and metrics a measure (or both measures of a pair) carry: bits
/// [`Presence::THEMES`], [`Presence::AGENCIES`] and [`Presence::METRICS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presence(pub u8);

impl Presence {
    /// Themes (so the theme cosine and `themes_known` may be above 0).
    pub const THEMES: u8 = 1;
    /// Agency types.
    pub const AGENCIES: u8 = 2;
    /// Target metrics.
    pub const METRICS: u8 = 4;

    fn of(measure: &MeasureFeatures) -> Self {
        let mut bits = 0;
        if !measure.theme_vector.is_empty() {
            bits |= Self::THEMES;
        }
        if !measure.agency_vector.is_empty() {
            bits |= Self::AGENCIES;
        }
        if !measure.metrics.is_empty() {
            bits |= Self::METRICS;
        }
        Self(bits)
    }

    /// The bit both measures need for `feature` to be above 0 (none for a feature that does
    /// not depend on what they carry).
    fn bit_of(feature: usize) -> Option<u8> {
        match feature {
            feature::THEMES | feature::THEMES_KNOWN => Some(Self::THEMES),
            feature::AGENCIES => Some(Self::AGENCIES),
            feature::METRICS => Some(Self::METRICS),
            _ => None,
        }
    }

    /// For each of the 8 masks, what the [`OWN_FEATURES`] a mask allows can add to the
    /// log-odds at most (`slack(feature)`).
    pub fn slack_table(slack: impl Fn(usize) -> f64) -> [f64; 8] {
        let mut table = [0.0; 8];
        for (mask, most) in table.iter_mut().enumerate() {
            for &feature in &OWN_FEATURES {
                if Self::bit_of(feature).is_none_or(|bit| mask & usize::from(bit) != 0) {
                    *most += slack(feature);
                }
            }
        }
        table
    }
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
        let rhs_plan = corpus.plans.get(right)?;
        let num_left = corpus.plans.get(left)?.len();
        let num_right = rhs_plan.len();
        let mut dots: Dots = Default::default();
        for values in &mut dots {
            *values = vec![0.0; num_left * num_right];
        }
        let mut sums = Sums::default();
        for (r, rhs) in rhs_plan.iter().enumerate() {
            sums.fill(index, rhs);
            for (values, sums) in dots.iter_mut().zip(&sums.dots) {
                for l in 0..num_left {
                    if let Some(slot) = values.get_mut(l * num_right + r) {
                        *slot = Sums::get(sums, l);
                    }
                }
            }
        }
        Self::with_similarities(
            corpus,
            left,
            right,
            same_place,
            std::borrow::Cow::Owned(Similarities::from_dots(num_left, num_right, dots)),
            0,
        )
    }

    /// The pairs of plans `left` and `right` from `similarities` of every left measure (rows)
    /// with the right measures in columns `offset..`.
    fn with_similarities(
        corpus: &'c Corpus,
        left: usize,
        right: usize,
        same_place: bool,
        similarities: std::borrow::Cow<'c, Similarities>,
        offset: usize,
    ) -> Option<Self> {
        let lhs_plan = corpus.plans.get(left)?;
        let rhs_plan = corpus.plans.get(right)?;
        let (num_left, num_right) = (lhs_plan.len(), rhs_plan.len());
        if similarities.num_left != num_left || offset + num_right > similarities.width {
            return None;
        }
        let width = similarities.width;
        let base_rows = (0..num_left).map(|l| {
            let start = l * width + offset;
            similarities
                .base
                .get(start..start + num_right)
                .unwrap_or(&[])
        });
        let rows = base_rows
            .clone()
            .map(|row| stats(row.iter().copied()))
            .collect();
        let columns = ColumnStats::of(base_rows, num_right);
        Some(Self {
            lhs_plan,
            rhs_plan,
            num_left,
            num_right,
            same_place,
            similarities,
            offset,
            rows,
            columns,
            lhs_presence: lhs_plan.iter().map(Presence::of).collect(),
            rhs_presence: rhs_plan.iter().map(Presence::of).collect(),
        })
    }

    /// Row-major index of pair (`l`, `r`) in the similarities.
    fn at(&self, l: usize, r: usize) -> usize {
        l * self.similarities.width + self.offset + r
    }

    /// The evidence that comes with the similarities and the candidates around the pair
    /// (text, title, words, concepts, themes, agencies, section, row and column z, mutual
    /// best, margin, order, themes known); the target metrics are left at 0.
    pub fn partial_evidence(&self, l: usize, r: usize) -> Evidence {
        if l >= self.num_left || r >= self.num_right {
            return [0.0; NUM_FEATURES];
        }
        let at = self.at(l, r);
        let mut x = similarity_evidence(self.similarities.roots_at(at));
        [x[feature::THEMES], x[feature::AGENCIES]] = self.similarities.cosines_at(at);
        if self.own_presence(l, r).0 & Presence::THEMES != 0 {
            x[feature::THEMES_KNOWN] = 1.0;
        }
        let b = self.similarities.base.get(at).copied().unwrap_or(0.0);
        let (Some(row), Some(column)) = (self.rows.get(l), self.columns.get(r)) else {
            return x;
        };
        [
            x[feature::ROW_Z],
            x[feature::COLUMN_Z],
            x[feature::MUTUAL_BEST],
            x[feature::MARGIN],
        ] = standing(b, *row, column);
        if self.same_place {
            x[feature::ORDER] = 1.0
                - (relative_position(l, self.num_left) - relative_position(r, self.num_right))
                    .abs();
        }
        x
    }

    /// The whole evidence of pair (`l`, `r`).
    pub fn evidence(&self, l: usize, r: usize) -> Evidence {
        self.complete(l, r, self.partial_evidence(l, r))
    }

    /// Which of themes, agencies and metrics both measures of pair (`l`, `r`) carry, as a
    /// [`Presence`] mask: the [`OWN_FEATURES`] can be above 0 only then.
    pub fn own_presence(&self, l: usize, r: usize) -> Presence {
        let (Some(lhs), Some(rhs)) = (self.lhs_presence.get(l), self.rhs_presence.get(r)) else {
            return Presence(0);
        };
        Presence(lhs.0 & rhs.0)
    }

    /// The pairs that may reach their cut, in row-major order: those for which a linear
    /// bound (`constant` plus `coefficients` times the [`PairContext::partial_evidence`],
    /// plus `slack` for the pair's [`Presence`] mask) is at least the lower of `row_cuts[l]`
    /// and `column_cuts[r]` (a missing cut is −∞). Worked out a row at a time in single
    /// precision, with a margin wider than its rounding, so every pair the exact bound passes
    /// is among them.
    pub fn screen(
        &self,
        constant: f64,
        coefficients: &[f64; NUM_FEATURES],
        slack: &[f64; 8],
        row_cuts: &[f64],
        column_cuts: &[f64],
    ) -> Vec<(usize, usize)> {
        let (num_left, num_right) = (self.num_left, self.num_right);
        // Each value a coefficient multiplies lies within ±6.
        let magnitude = constant.abs()
            + coefficients.iter().map(|a| 6.0 * a.abs()).sum::<f64>()
            + slack.iter().map(|s| s.abs()).sum::<f64>();
        if !magnitude.is_finite() {
            return (0..num_left)
                .flat_map(|l| (0..num_right).map(move |r| (l, r)))
                .collect();
        }
        let margin = single(1e-5 * magnitude + 1e-3);
        let a = |f: usize| single(coefficients.get(f).copied().unwrap_or(0.0));
        let constant = single(constant);
        let cut_of =
            |cuts: &[f64], i: usize| single(cuts.get(i).copied().unwrap_or(f64::NEG_INFINITY));
        let slack = slack.map(single);
        let columns = &self.columns;
        let [text, title, words, concepts, section, themes, agencies] = &self.similarities.dots;
        let mut candidates = Vec::new();
        // Buffers of a row's length, kept per thread: a corpus run screens many small blocks.
        thread_local! {
            static BUFFERS: std::cell::RefCell<[Vec<f32>; 4]> = std::cell::RefCell::default();
        }
        BUFFERS.with_borrow_mut(|[column_cuts_32, right_positions, own, estimate]| {
            column_cuts_32.clear();
            column_cuts_32.extend((0..num_right).map(|r| cut_of(column_cuts, r)));
            right_positions.clear();
            right_positions.extend((0..num_right).map(|r| relative_position(r, num_right)));
            estimate.clear();
            estimate.resize(num_right, 0.0);
            for (l, (&row, lhs)) in self.rows.iter().zip(&self.lhs_presence).enumerate() {
                let range = self.at(l, 0)..self.at(l, 0) + num_right;
                let (
                    Some(text),
                    Some(title),
                    Some(words),
                    Some(concepts),
                    Some(section),
                    Some(themes),
                    Some(agencies),
                    Some(base),
                ) = (
                    text.get(range.clone()),
                    title.get(range.clone()),
                    words.get(range.clone()),
                    concepts.get(range.clone()),
                    section.get(range.clone()),
                    themes.get(range.clone()),
                    agencies.get(range.clone()),
                    self.similarities.base.get(range),
                )
                else {
                    continue;
                };
                let similar = text.iter().zip(title).zip(words).zip(concepts).zip(section);
                for (e, ((((&t, &ti), &w), &c), &s)) in estimate.iter_mut().zip(similar) {
                    *e = constant
                        + a(feature::TEXT) * t
                        + a(feature::TITLE) * ti
                        + a(feature::WORDS) * w
                        + a(feature::CONCEPTS) * c
                        + a(feature::SECTION) * s;
                }
                for (e, (&th, &ag)) in estimate.iter_mut().zip(themes.iter().zip(agencies)) {
                    *e += a(feature::THEMES) * th + a(feature::AGENCIES) * ag;
                }
                let around = base
                    .iter()
                    .zip(&columns.mean)
                    .zip(&columns.spread)
                    .zip(&columns.best)
                    .zip(&columns.second);
                for (e, ((((&b, &column_mean), &column_spread), &column_best), &column_second)) in
                    estimate.iter_mut().zip(around)
                {
                    let [row_z, column_z, mutual, margin_of_pair] = standing(
                        b,
                        row,
                        (column_mean, column_spread, column_best, column_second),
                    );
                    *e += a(feature::ROW_Z) * row_z
                        + a(feature::COLUMN_Z) * column_z
                        + a(feature::MUTUAL_BEST) * mutual
                        + a(feature::MARGIN) * margin_of_pair;
                }
                // Whether both measures carry themes, and what the metrics of the pair can add.
                own.clear();
                own.extend(self.rhs_presence.iter().map(|rhs| {
                    let both = lhs.0 & rhs.0;
                    let themes_known = if both & Presence::THEMES == 0 {
                        0.0
                    } else {
                        a(feature::THEMES_KNOWN)
                    };
                    themes_known + slack.get(usize::from(both)).copied().unwrap_or(0.0)
                }));
                if self.same_place {
                    let left_position = relative_position(l, num_left);
                    for (e, (&s, &right_position)) in estimate
                        .iter_mut()
                        .zip(own.iter().zip(right_positions.iter()))
                    {
                        *e +=
                            a(feature::ORDER) * (1.0 - (left_position - right_position).abs()) + s;
                    }
                } else {
                    for (e, &s) in estimate.iter_mut().zip(own.iter()) {
                        *e += s;
                    }
                }
                let row_cut = cut_of(row_cuts, l);
                for (r, (&e, &column_cut)) in estimate.iter().zip(column_cuts_32.iter()).enumerate()
                {
                    // Not `>=`: a pair whose estimate is not a number is kept for the exact
                    // check.
                    let below = (e + margin).partial_cmp(&row_cut.min(column_cut))
                        == Some(std::cmp::Ordering::Less);
                    if !below {
                        candidates.push((l, r));
                    }
                }
            }
        });
        candidates
    }

    /// The whole evidence of pair (`l`, `r`) from its [`PairContext::partial_evidence`].
    pub fn complete(&self, l: usize, r: usize, mut partial: Evidence) -> Evidence {
        if let (Some(lhs), Some(rhs)) = (self.lhs_plan.get(l), self.rhs_plan.get(r)) {
            own_evidence(lhs, rhs, &mut partial);
        }
        partial
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
    let squares = values.clone().fold(0.0f32, |sum, v| sum + square(v - mean));
    let (best, second) = values.fold((0.0f32, 0.0f32), |(best, second), v| {
        best_two(best, second, v)
    });
    (mean, spread(squares, mean, n), best, second)
}

/// How a pair with base similarity `b` stands among the candidates of its row and of its
/// column (each: mean, spread, best and second best base): its z-score in the row and in the
/// column, whether it is the best of both (1) or not (0), and how far it is from the best
/// other candidate of either measure. The evidence and the screen both use it.
#[inline]
fn standing(b: f32, row: (f32, f32, f32, f32), column: (f32, f32, f32, f32)) -> [f32; 4] {
    let row_z = ((b - row.0) / row.1).clamp(-3.0, 6.0);
    let column_z = ((b - column.0) / column.1).clamp(-3.0, 6.0);
    let best_in_row = b >= row.2 && b > 0.0;
    let best_in_column = b >= column.2 && b > 0.0;
    let mutual = if best_in_row && best_in_column {
        1.0
    } else {
        0.0
    };
    let other_row = if best_in_row { row.3 } else { row.2 };
    let other_column = if best_in_column { column.3 } else { column.2 };
    let margin = (b - other_row.max(other_column)).clamp(-0.5, 0.5);
    [row_z, column_z, mutual, margin]
}

/// Where item `i` of `n` sits in its plan, 0–1 (the middle of its slot).
fn relative_position(i: usize, n: usize) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
    let position = (i as f32 + 0.5) / n.max(1) as f32;
    position
}

/// `v` in single precision.
#[expect(
    clippy::cast_possible_truncation,
    reason = "a screen with a margin for rounding"
)]
fn single(v: f64) -> f32 {
    v as f32
}

fn square(v: f32) -> f32 {
    v * v
}

/// The spread of a row or column with this sum of squared deviations from its `mean`, over
/// `n` values (the prior's among them).
fn spread(squares: f32, mean: f32, n: f32) -> f32 {
    let var = (squares + PRIOR_WEIGHT * (square(PRIOR_SPREAD) + square(PRIOR_MEAN - mean))) / n;
    var.sqrt().max(0.02)
}

/// The best and second best values after `v` joins those so far.
fn best_two(best: f32, second: f32, v: f32) -> (f32, f32) {
    if v > best {
        (v, best)
    } else if v > second {
        (best, v)
    } else {
        (best, second)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::features::dot;

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

    #[test]
    fn corpus_postings_give_the_sparse_dots_with_later_measures_to_the_last_bit() {
        let measures = [
            vec![(1, 0.3f32), (5, 0.1), (9, 0.7), (12, 0.2)],
            vec![(5, 0.9f32), (9, 0.11), (40, 0.1)],
            vec![],
            vec![(0, 0.2f32), (1, 0.4), (5, 0.6), (9, 0.8), (40, 0.35)],
            vec![(9, 1.0f32)],
        ];
        let postings = Postings::new(measures.iter().map(Vec::as_slice));
        for (first, lhs) in measures.iter().enumerate() {
            let first = u32::try_from(first).unwrap_or(0);
            let mut sums = vec![0.0; measures.len() - first as usize];
            postings.add_dots(lhs, first, &mut sums);
            for (rhs, sum) in measures.iter().skip(first as usize).zip(&sums) {
                assert_eq!(sum.to_bits(), dot(lhs, rhs).to_bits(), "{lhs:?} · {rhs:?}");
            }
        }
        let probe = [(9, 0.5f32), (99, 1.0)];
        let mut sums = vec![0.0; 2];
        postings.add_dots(&probe, 3, &mut sums);
        assert_eq!(
            sums,
            vec![0.4, 0.5],
            "terms beyond the postings are skipped"
        );
    }
}
