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

    /// Adds `vector`'s dot product with every measure from `first` on to `sums[measure - first]`.
    /// Terms are taken in `vector`'s (ascending) order, so each sum is [`dot`]'s to the last bit.
    fn add_dots(&self, vector: &[(u32, f32)], first: u32, sums: &mut [f32]) {
        for &(term, weight) in vector {
            let (Some(&start), Some(&end)) = (
                self.offsets.get(term as usize),
                self.offsets.get(term as usize + 1),
            ) else {
                continue;
            };
            let postings = self
                .entries
                .get(start as usize..end as usize)
                .unwrap_or(&[]);
            for &(measure, own) in postings {
                let Some(at) = measure.checked_sub(first) else {
                    break;
                };
                if let Some(sum) = sums.get_mut(at as usize) {
                    *sum += own * weight;
                }
            }
        }
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
}

/// The dot products of one plan's measures with every measure of the later plans of a
/// [`LaterIndex`] (per kind of vector: left measure × later measure).
#[derive(Clone, Debug, Default)]
pub struct LaterDots {
    position: usize,
    num_left: usize,
    /// Number of the first later measure.
    first: u32,
    /// Later measures.
    width: usize,
    kinds: [Vec<f32>; 5],
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
        Self {
            plans: plans.to_vec(),
            starts,
            text: postings(|m| &m.text_vector),
            title: postings(|m| &m.title_vector),
            words: postings(|m| &m.word_vector),
            concepts: postings(|m| &m.concept_vector),
            section: postings(|m| &m.section_vector),
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

    /// The dot products of the measures of the plan at `position` (in the index's order) with
    /// the measures of every later plan.
    pub fn later_dots(&self, corpus: &Corpus, position: usize) -> LaterDots {
        let (Some(&plan), Some(&first)) = (self.plans.get(position), self.starts.get(position + 1))
        else {
            return LaterDots::default();
        };
        let measures = corpus.plans.get(plan).map(Vec::as_slice).unwrap_or(&[]);
        let total = self.starts.last().copied().unwrap_or(0);
        let width = total.saturating_sub(first) as usize;
        let num_left = measures.len();
        let mut kinds: [Vec<f32>; 5] = Default::default();
        for values in &mut kinds {
            *values = vec![0.0; num_left * width];
        }
        let [text, title, words, concepts, section] = &mut kinds;
        for (l, lhs) in measures.iter().enumerate() {
            let row = l * width..(l + 1) * width;
            for (postings, vector, sums) in [
                (&self.text, &lhs.text_vector, &mut *text),
                (&self.title, &lhs.title_vector, &mut *title),
                (&self.words, &lhs.word_vector, &mut *words),
                (&self.concepts, &lhs.concept_vector, &mut *concepts),
                (&self.section, &lhs.section_vector, &mut *section),
            ] {
                if let Some(sums) = sums.get_mut(row.clone()) {
                    postings.add_dots(vector, first, sums);
                }
            }
        }
        LaterDots {
            position,
            num_left,
            first,
            width,
            kinds,
        }
    }

    /// The dot products of pair (`l`, `r`) of the plan of `dots` and the later plan at
    /// `position` (0 when out of range), as [`PairContext::with_dots`] takes them.
    pub fn pair_dots<'d>(
        &self,
        dots: &'d LaterDots,
        position: usize,
    ) -> impl Fn(usize, usize) -> [f32; 5] + 'd {
        let start = self.starts.get(position).copied().unwrap_or(u32::MAX);
        let end = self.starts.get(position + 1).copied().unwrap_or(start);
        let valid = position > dots.position && start >= dots.first;
        let offset = start.saturating_sub(dots.first) as usize;
        let num_right = end.saturating_sub(start) as usize;
        move |l: usize, r: usize| {
            if !valid || r >= num_right || l >= dots.num_left {
                return [0.0; 5];
            }
            let at = l * dots.width + offset + r;
            let get = |kind: usize| {
                dots.kinds
                    .get(kind)
                    .and_then(|values| values.get(at))
                    .copied()
                    .unwrap_or(0.0)
            };
            [get(0), get(1), get(2), get(3), get(4)]
        }
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
/// similarities of every pair, and each row's and column's candidate statistics.
pub struct PairContext<'c> {
    lhs_plan: &'c [MeasureFeatures],
    rhs_plan: &'c [MeasureFeatures],
    /// Measures of the left plan.
    pub num_left: usize,
    /// Measures of the right plan.
    pub num_right: usize,
    same_place: bool,
    /// Text, title, word, concept and section similarities ([`roots`]), row-major.
    roots: Vec<[f32; 5]>,
    /// Base similarity, row-major.
    bases: Vec<f32>,
    /// Mean, spread, best and second best base of each row …
    rows: Vec<(f32, f32, f32, f32)>,
    /// … and of each column.
    columns: Vec<(f32, f32, f32, f32)>,
    /// What each left measure carries of themes, agencies and metrics …
    lhs_presence: Vec<Presence>,
    /// … and each right measure.
    rhs_presence: Vec<Presence>,
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

    /// For each of the 8 masks, what the [`OWN_FEATURES`] a mask allows can add to the
    /// log-odds at most (`slack(feature)`).
    pub fn slack_table(slack: impl Fn(usize) -> f64) -> [f64; 8] {
        let mut table = [0.0; 8];
        for (mask, most) in table.iter_mut().enumerate() {
            let has = |bit: u8| mask & usize::from(bit) != 0;
            if has(Self::THEMES) {
                *most += slack(feature::THEMES) + slack(feature::THEMES_KNOWN);
            }
            if has(Self::AGENCIES) {
                *most += slack(feature::AGENCIES);
            }
            if has(Self::METRICS) {
                *most += slack(feature::METRICS);
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
        Self::with_dots(corpus, left, right, same_place, |l, r| {
            dots.get(l * num_right + r).copied().unwrap_or_default()
        })
    }

    /// The pairs of plans `left` and `right` from the dot products of each pair (text, title,
    /// words, concepts, section): `dots(l, r)`, as [`LaterIndex`] computes them.
    pub fn with_dots(
        corpus: &'c Corpus,
        left: usize,
        right: usize,
        same_place: bool,
        dots: impl Fn(usize, usize) -> [f32; 5],
    ) -> Option<Self> {
        let lhs_plan = corpus.plans.get(left)?;
        let rhs_plan = corpus.plans.get(right)?;
        let (num_left, num_right) = (lhs_plan.len(), rhs_plan.len());
        let roots: Vec<[f32; 5]> = (0..num_left)
            .flat_map(|l| (0..num_right).map(move |r| (l, r)))
            .map(|(l, r)| roots(dots(l, r)))
            .collect();
        let bases: Vec<f32> = roots
            .iter()
            .map(|r| base(&similarity_evidence(*r)))
            .collect();
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
            roots,
            bases,
            rows,
            columns,
            lhs_presence: lhs_plan.iter().map(Presence::of).collect(),
            rhs_presence: rhs_plan.iter().map(Presence::of).collect(),
        })
    }

    /// The evidence that depends only on the similarities and the candidates around the pair
    /// (text, title, words, concepts, section, row and column z, mutual best, margin, order);
    /// the rest (themes, agencies, metrics) is left at 0.
    pub fn partial_evidence(&self, l: usize, r: usize) -> Evidence {
        let at = l * self.num_right + r;
        let mut x = similarity_evidence(self.roots.get(at).copied().unwrap_or_default());
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
        self.complete(l, r, self.partial_evidence(l, r))
    }

    /// Which of the [`OWN_FEATURES`] can be above 0 for pair (`l`, `r`), as a [`Presence`]
    /// mask: themes, agencies and metrics need both measures to carry some.
    pub fn own_presence(&self, l: usize, r: usize) -> Presence {
        let (Some(lhs), Some(rhs)) = (self.lhs_presence.get(l), self.rhs_presence.get(r)) else {
            return Presence(0);
        };
        Presence(lhs.0 & rhs.0)
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
