//! Aligning the measures of two plans: a score per pair from text, themes and agencies, links
//! with a kind and an explanation, unmatched measures on both sides, and the analyst's decisions
//! applied on top (they always survive re-alignment).
//!
//! ```
//! use planalign::align::{AlignConfig, Aligner};
//! use planalign::parse::parse_text;
//! let city = parse_text("某市质量工作要点\n一、任务\n（一）完善政府质量奖励制度。修订质量奖管理办法，发挥获奖企业示范作用。（市市场监管局负责）", "city.txt").unwrap();
//! let district = parse_text("某区质量工作要点\n一、任务\n（一）完善质量激励制度。发布实施区政府质量奖管理办法。（区市场监管局负责）", "district.txt").unwrap();
//! let aligner = Aligner::new(&[&city, &district], &Default::default(), &[], AlignConfig::default());
//! let alignment = aligner.align(0, 1, &[]);
//! assert_eq!(alignment.links.len(), 1);
//! assert!(alignment.links[0].shared_phrases.iter().any(|p| p.contains("质量奖管理办法")));
//! ```

mod batch;
mod coverage;
mod diff;
pub mod evidence;
mod explain;
mod features;
pub mod learn;
pub mod model;
mod terms;
mod versions;

pub use batch::{
    BatchLink, BatchOptions, BatchPair, Neighbour, NeighbourSearch, Progress, align_all_pairs,
    align_pairs_streaming, nearest_neighbours,
};
pub use coverage::{CoverageCell, CoverageMatrix, TraceHit, coverage, trace};
pub use diff::{CharDiff, DiffSegment, char_diff};
pub use evidence::{Evidence, FEATURES, LaterIndex, NUM_FEATURES, PairMatrix, PlanIndex};
pub use features::{Corpus, ManualTags, MeasureFeatures, masked_chars, place_names};
pub use model::{MatcherModel, ModelError, evidence_label, likelihood_band, likelihood_text};
pub use terms::{Synonyms, load_for_corpus as load_segmenter_for_corpus};
pub use versions::{
    MeasureAnchor, VersionCarry, anchors, carry_work, match_anchors, match_versions,
};

use serde::{Deserialize, Serialize};

use crate::model::{
    LinkDecision, LinkKind, LinkOrigin, LinkStatus, MeasureRef, Plan, Side, TagEdit,
};
use crate::themes::Codebook;

/// Settings of the matcher. The weights of the evidence are learned ([`MatcherModel`]); these
/// are what an analyst may set. The defaults are what PlanAlign ships and is judged by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlignConfig {
    /// A pair is linked when the model gives it at least this probability; `None` takes the
    /// model's own threshold (the one that maximised held-out F1 when it was fitted).
    pub link_probability: Option<f32>,
    /// Both sides share at least this share of their bigrams: near-verbatim.
    pub near_verbatim_containment: f32,
    /// One side shares at least this share of its bigrams with the other: refined.
    pub refined_containment: f32,
    /// Shared phrases reported per link.
    pub max_phrases: usize,
    /// Shortest shared phrase reported, in characters.
    pub min_phrase_chars: usize,
    /// Compare traditional characters as simplified (質量 = 质量), so a Hong Kong, Macao or
    /// Taiwan text meets a mainland one; the text as written is kept for display and quoting.
    pub fold_traditional: bool,
}

impl Default for AlignConfig {
    fn default() -> Self {
        Self {
            link_probability: None,
            near_verbatim_containment: 0.6,
            refined_containment: 0.4,
            max_phrases: 5,
            min_phrase_chars: 3,
            fold_traditional: true,
        }
    }
}

/// One piece of a link's evidence: its value and what it added to the log-odds of the link
/// (relative to an average pair).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidencePart {
    /// The evidence name (`text`, `title`, `words` …; see [`FEATURES`]).
    pub name: String,
    /// Its value for this pair.
    pub value: f32,
    /// What it added to the log-odds.
    pub contribution: f32,
}

/// The parts of a pair's score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signals {
    /// Text cosine, 0–1.
    pub text: f32,
    /// Theme cosine, 0–1; `None` when either side has no themes.
    pub theme: Option<f32>,
    /// Agency-type cosine, 0–1; `None` when either side names no specific agency.
    pub agency: Option<f32>,
    /// Share of the left measure's bigrams found in the right one.
    pub left_containment: f32,
    /// Share of the right measure's bigrams found in the left one.
    pub right_containment: f32,
}

/// The evidence of a link as one line, largest contributions first (those that moved the
/// log-odds by at least 0.1): `文字 text +1.4, 标题 title +0.8, …`.
pub fn evidence_line(parts: &[EvidencePart]) -> String {
    parts
        .iter()
        .filter(|part| part.contribution.abs() >= 0.1)
        .map(|part| {
            let (zh, en) = evidence_label(&part.name);
            format!("{zh} {en} {:+.1}", part.contribution)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A link between a measure of the left plan and one of the right plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Link {
    /// Left measure id.
    pub left_id: String,
    /// Right measure id.
    pub right_id: String,
    /// The probability that an analyst would link the pair, 0–1.
    pub score: f32,
    /// Near-verbatim, refined or related.
    pub kind: LinkKind,
    /// Auto (matcher) or manual (analyst).
    pub origin: LinkOrigin,
    /// Unreviewed, accepted or rejected.
    pub status: LinkStatus,
    /// The score's parts.
    pub signals: Signals,
    /// The evidence the model weighed, largest contribution first.
    pub evidence: Vec<EvidencePart>,
    /// Longest shared runs of text, most informative first.
    pub shared_phrases: Vec<String>,
    /// Themes both measures carry, in codebook order.
    pub shared_themes: Vec<String>,
    /// Agency types both measures name, sorted.
    pub shared_units: Vec<String>,
    /// The analyst's note.
    pub note: String,
}

/// The alignment of two plans.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Alignment {
    /// Left plan id.
    pub left_plan_id: String,
    /// Right plan id.
    pub right_plan_id: String,
    /// Links in left-measure order, then right-measure order.
    pub links: Vec<Link>,
    /// Left measures with no link that is not rejected, in plan order.
    pub unmatched_left: Vec<String>,
    /// Right measures with no link that is not rejected, in plan order.
    pub unmatched_right: Vec<String>,
    /// The settings used.
    pub config: AlignConfig,
}

impl Link {
    /// The id of the measure on `side`.
    pub fn id(&self, side: Side) -> &str {
        side.pick(&self.left_id, &self.right_id)
    }
}

impl Alignment {
    /// Links of a measure of the plan on `side`.
    pub fn links_of<'a>(
        &'a self,
        side: Side,
        measure_id: &'a str,
    ) -> impl Iterator<Item = &'a Link> {
        self.links.iter().filter(move |l| l.id(side) == measure_id)
    }

    /// Measures of the plan on `side` with no link that is not rejected, in plan order.
    pub fn unmatched(&self, side: Side) -> &[String] {
        side.pick(&self.unmatched_left, &self.unmatched_right)
    }
}

/// A link of two plans in brief: measure indices within their plans, probability and kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoredPair {
    /// Index of the left measure in its plan.
    pub left_measure: usize,
    /// Index of the right measure in its plan.
    pub right_measure: usize,
    /// The probability that an analyst would link the pair.
    pub score: f32,
    /// Near-verbatim, refined or related.
    pub kind: LinkKind,
    /// The evidence the probability was computed from.
    pub evidence: Evidence,
}

/// The matcher over a set of loaded plans: features built once, any pair aligned on demand.
pub struct Aligner<'a> {
    plans: Vec<&'a Plan>,
    corpus: std::borrow::Cow<'a, Corpus>,
    codebook: Codebook,
    config: AlignConfig,
    model: MatcherModel,
}

impl<'a> Aligner<'a> {
    /// Builds features for every measure of `plans`, with IDF over all of them; `tag_edits`
    /// are the analyst's manual tags.
    pub fn new(
        plans: &[&'a Plan],
        codebook: &Codebook,
        tag_edits: &[TagEdit],
        config: AlignConfig,
    ) -> Self {
        let manual =
            |plan_id: &str, measure_id: &str| ManualTags::of(tag_edits, plan_id, measure_id);
        Self {
            corpus: std::borrow::Cow::Owned(Corpus::build(
                plans,
                codebook,
                &manual,
                config.fold_traditional,
            )),
            plans: plans.to_vec(),
            codebook: codebook.clone(),
            config,
            model: MatcherModel::bundled().clone(),
        }
    }

    /// The same matcher with another model (one fitted on the analyst's decisions).
    #[must_use]
    pub fn with_model(mut self, model: MatcherModel) -> Self {
        self.model = model;
        self
    }

    /// The model that weighs the evidence.
    pub fn model(&self) -> &MatcherModel {
        &self.model
    }

    /// The probability from which a pair is a link.
    pub fn threshold(&self) -> f64 {
        self.config
            .link_probability
            .map_or(self.model.threshold, f64::from)
    }

    /// A matcher over features built earlier for exactly these plans (by [`Aligner::new`], kept
    /// with [`Aligner::into_corpus`]): no feature is rebuilt.
    pub fn with_corpus(
        plans: &[&'a Plan],
        corpus: &'a Corpus,
        codebook: &Codebook,
        config: AlignConfig,
    ) -> Self {
        Self {
            plans: plans.to_vec(),
            corpus: std::borrow::Cow::Borrowed(corpus),
            codebook: codebook.clone(),
            config,
            model: MatcherModel::bundled().clone(),
        }
    }

    /// The features, to keep for [`Aligner::with_corpus`].
    pub fn into_corpus(self) -> Corpus {
        self.corpus.into_owned()
    }

    /// The corpus features.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The plans, in corpus order.
    pub fn plans(&self) -> &[&'a Plan] {
        &self.plans
    }

    /// The settings.
    pub fn config(&self) -> &AlignConfig {
        &self.config
    }

    /// The codebook used for auto tags.
    pub fn codebook(&self) -> &Codebook {
        &self.codebook
    }

    /// Index of a plan by id.
    pub fn plan_index(&self, plan_id: &str) -> Option<usize> {
        self.corpus.plan_index(plan_id)
    }

    /// Whether two plans (corpus indices) are of one jurisdiction, so order is evidence.
    fn same_place(&self, left: usize, right: usize) -> bool {
        let name = |i: usize| {
            self.plans
                .get(i)
                .and_then(|p| p.meta.jurisdiction.name.as_deref())
        };
        name(left).is_some() && name(left) == name(right)
    }

    /// One plan's measures indexed for comparison with other plans: build once, pass to the
    /// `*_indexed` methods for each other plan.
    pub fn index_plan(&self, plan: usize) -> PlanIndex {
        self.corpus
            .plans
            .get(plan)
            .map(|measures| PlanIndex::new(measures))
            .unwrap_or_default()
    }

    /// The evidence of every measure pair of two plans (corpus indices).
    pub fn pair_matrix(&self, left: usize, right: usize) -> PairMatrix {
        self.pair_matrix_indexed(&self.index_plan(left), left, right)
    }

    /// [`Aligner::pair_matrix`] with plan `left` indexed by [`Aligner::index_plan`].
    pub fn pair_matrix_indexed(&self, index: &PlanIndex, left: usize, right: usize) -> PairMatrix {
        evidence::pair_matrix_with(
            index,
            &self.corpus,
            left,
            right,
            self.same_place(left, right),
        )
    }

    /// Probability and signals of one pair of measures (by index within their plans), judged
    /// among the other candidates of both plans.
    pub fn score(
        &self,
        left_plan: usize,
        left_measure: usize,
        right_plan: usize,
        right_measure: usize,
    ) -> Option<(f32, Signals)> {
        let matrix = self.pair_matrix(left_plan, right_plan);
        let x = matrix.get(left_measure, right_measure)?;
        let lhs = self.corpus.features(left_plan, left_measure)?;
        let rhs = self.corpus.features(right_plan, right_measure)?;
        Some((
            probability_f32(self.model.probability(x)),
            with_containment(signals_of(lhs, rhs), lhs, rhs),
        ))
    }

    /// The probability of every measure pair of two plans, row-major, with the evidence.
    pub fn probabilities(&self, left: usize, right: usize) -> (PairMatrix, Vec<f32>) {
        self.probabilities_of(self.pair_matrix(left, right))
    }

    fn probabilities_of(&self, matrix: PairMatrix) -> (PairMatrix, Vec<f32>) {
        let probabilities = matrix
            .evidence
            .iter()
            .map(|x| probability_f32(self.model.probability(x)))
            .collect();
        (matrix, probabilities)
    }

    /// Aligns plan `left` with plan `right` (corpus indices) and applies the decisions that
    /// concern this pair of plans.
    pub fn align(&self, left: usize, right: usize, decisions: &[LinkDecision]) -> Alignment {
        self.align_indexed(&self.index_plan(left), left, right, decisions)
    }

    /// [`Aligner::align`] with plan `left` indexed by [`Aligner::index_plan`].
    pub fn align_indexed(
        &self,
        index: &PlanIndex,
        left: usize,
        right: usize,
        decisions: &[LinkDecision],
    ) -> Alignment {
        let (Some(left_plan), Some(right_plan)) = (self.plans.get(left), self.plans.get(right))
        else {
            return Alignment::default();
        };
        let (matrix, probabilities) =
            self.probabilities_of(self.pair_matrix_indexed(index, left, right));
        let threshold = self.threshold();
        let mut links: Vec<Link> = Vec::new();
        for l in 0..matrix.num_left {
            for r in 0..matrix.num_right {
                let at = l * matrix.num_right + r;
                let Some(&p) = probabilities.get(at) else {
                    continue;
                };
                if f64::from(p) < threshold {
                    continue;
                }
                if let Some(link) = self.make_link(left, l, right, r, p, matrix.get(l, r)) {
                    links.push(link);
                }
            }
        }
        self.apply_decisions(left, right, decisions, &matrix, &probabilities, &mut links);
        finish(left_plan, right_plan, links, &self.config)
    }

    /// The plans (corpus indices) indexed together, so that each is compared with all later
    /// ones at once ([`Aligner::pairs_with_later`]): what a corpus run over many plans uses.
    pub fn later_index(&self, plans: &[usize]) -> LaterIndex {
        LaterIndex::new(&self.corpus, plans)
    }

    /// For the plan at `position` of `index`: every pair with each later plan of the index with
    /// at least probability `floor` (links or not; the evidence [`Aligner::align`] scores
    /// them by, so at the link threshold these are its links), reduced to measure indices,
    /// probability and kind, per later plan (by position in the index), in order.
    pub fn pairs_with_later(
        &self,
        index: &LaterIndex,
        position: usize,
        floor: f64,
    ) -> Vec<(usize, Vec<ScoredPair>)> {
        let Some(left) = index.plan(position) else {
            return Vec::new();
        };
        thread_local! {
            static SIMILARITIES: std::cell::RefCell<evidence::LaterSimilarities> =
                std::cell::RefCell::default();
        }
        let screening = Screening::of(&self.model);
        SIMILARITIES.with_borrow_mut(|similarities| {
            index.later_similarities(&self.corpus, position, similarities);
            let similarities = &*similarities;
            (position + 1..index.num_plans())
                .filter_map(|later| {
                    let right = index.plan(later)?;
                    let context = index.pair_context(
                        &self.corpus,
                        similarities,
                        (left, right),
                        later,
                        self.same_place(left, right),
                    )?;
                    let mut pairs = self.pairs_in(&context, &screening, floor);
                    // Kinds from the bigram ids each pair shares, counted with the
                    // similarities.
                    for pair in &mut pairs {
                        let (Some(lhs), Some(rhs)) = (
                            self.corpus.features(left, pair.left_measure),
                            self.corpus.features(right, pair.right_measure),
                        ) else {
                            continue;
                        };
                        let shared = similarities
                            .shared(index, later, pair.left_measure, pair.right_measure)
                            .map_or_else(
                                || features::num_shared(&lhs.bigram_ids, &rhs.bigram_ids),
                                |shared| shared as usize,
                            );
                        pair.kind = self.kind_of(shared, lhs, rhs);
                    }
                    Some((later, pairs))
                })
                .collect()
        })
    }

    /// Every pair of two plans with at least probability `row_floors[l]` or
    /// `column_floors[r]` (whichever is lower; a missing floor is 0), scored as
    /// [`Aligner::pairs_with_later`] scores them: what a search for each measure's best
    /// matches needs once it knows how good a match must be to count.
    pub fn pairs_above_floors(
        &self,
        index: &PlanIndex,
        left: usize,
        right: usize,
        row_floors: &[f64],
        column_floors: &[f64],
    ) -> Vec<ScoredPair> {
        evidence::PairContext::new(
            index,
            &self.corpus,
            left,
            right,
            self.same_place(left, right),
        )
        .map(|context| {
            let mut pairs = self.pairs_above(
                &context,
                &Screening::of(&self.model),
                row_floors,
                column_floors,
            );
            self.classify(left, right, &mut pairs);
            pairs
        })
        .unwrap_or_default()
    }

    /// Sets the kind of each pair of plans `left` and `right` (`pairs`, in left-measure order)
    /// from the character pairs the two measures share: a left measure with several pairs
    /// puts its character pairs in a bit set once for all of them.
    fn classify(&self, left: usize, right: usize, pairs: &mut [ScoredPair]) {
        // One set per thread, grown when needed: it is empty again after each measure, so a
        // run over many pairs of plans does not clear a fresh set for each.
        thread_local! {
            static SET: std::cell::RefCell<features::IdSet> = std::cell::RefCell::default();
        }
        // Filling and emptying the set costs more than merging the two id lists of a few
        // pairs.
        const SET_FROM: usize = 4;
        let bound = self
            .corpus
            .vocabulary
            .len()
            .max(self.corpus.bigram_df.len());
        SET.with_borrow_mut(|set| {
            set.reserve(bound);
            for group in pairs.chunk_by_mut(|a, b| a.left_measure == b.left_measure) {
                let Some(lhs) = group
                    .first()
                    .and_then(|pair| self.corpus.features(left, pair.left_measure))
                else {
                    continue;
                };
                let with_set = group.len() >= SET_FROM;
                if with_set {
                    set.insert(&lhs.bigram_ids);
                }
                for pair in group.iter_mut() {
                    let Some(rhs) = self.corpus.features(right, pair.right_measure) else {
                        continue;
                    };
                    let shared = if with_set {
                        set.count(&rhs.bigram_ids)
                    } else {
                        features::num_shared(&lhs.bigram_ids, &rhs.bigram_ids)
                    };
                    pair.kind = self.kind_of(shared, lhs, rhs);
                }
                if with_set {
                    set.remove(&lhs.bigram_ids);
                }
            }
        });
    }

    /// The kind of a pair of measures that share `shared` bigram ids.
    fn kind_of(&self, shared: usize, lhs: &MeasureFeatures, rhs: &MeasureFeatures) -> LinkKind {
        link_kind(
            &with_shared(Signals::default(), shared, lhs, rhs),
            &self.config,
        )
    }

    /// The pairs of `context` with at least probability `floor`, as
    /// [`Aligner::pairs_above`] leaves them.
    fn pairs_in(
        &self,
        context: &evidence::PairContext<'_>,
        screening: &Screening,
        floor: f64,
    ) -> Vec<ScoredPair> {
        self.pairs_above(
            context,
            screening,
            &vec![floor; context.num_left],
            &vec![floor; context.num_right],
        )
    }

    /// [`Aligner::pairs_above_floors`] in `context`, in row-major order, every kind left at
    /// related for the caller to set (from the bigram ids each pair shares).
    fn pairs_above(
        &self,
        context: &evidence::PairContext<'_>,
        screening: &Screening,
        row_floors: &[f64],
        column_floors: &[f64],
    ) -> Vec<ScoredPair> {
        // Pairs whose log-odds cannot reach the floor whatever their target metrics are
        // skipped before those are computed (a margin covers rounding): the links are exactly
        // those of the full matrix.
        let Screening { bound, slack } = screening;
        let floor_of = |floors: &[f64], i: usize| floors.get(i).copied().unwrap_or(0.0);
        // The log-odds of each floor (worked out once for a run of equal floors).
        let cuts_of = |floors: &[f64], n: usize| -> Vec<f64> {
            let mut last: Option<(u64, f64)> = None;
            (0..n)
                .map(|i| {
                    let floor = floor_of(floors, i);
                    match last {
                        Some((bits, cut)) if bits == floor.to_bits() => cut,
                        _ => {
                            let cut = model::logit(floor) - 1e-3;
                            last = Some((floor.to_bits(), cut));
                            cut
                        }
                    }
                })
                .collect()
        };
        let row_cuts = cuts_of(row_floors, context.num_left);
        let column_cuts = cuts_of(column_floors, context.num_right);
        let mut pairs = Vec::new();
        let candidates = context.screen(
            bound.constant(),
            bound.coefficients(),
            slack,
            &row_cuts,
            &column_cuts,
        );
        for (l, r) in candidates {
            {
                let (Some(&row_cut), Some(&column_cut)) = (row_cuts.get(l), column_cuts.get(r))
                else {
                    continue;
                };
                let cut = row_cut.min(column_cut);
                let threshold = floor_of(row_floors, l).min(floor_of(column_floors, r));
                let partial = context.partial_evidence(l, r);
                let most = slack
                    .get(usize::from(context.own_presence(l, r).0))
                    .copied()
                    .unwrap_or(f64::INFINITY);
                let known = bound.known(&partial);
                if known + most < cut {
                    continue;
                }
                let x = context.complete(l, r, partial);
                if bound.surely_below(known, &x, cut) {
                    continue;
                }
                let log_odds = self.model.log_odds(&x);
                if log_odds < cut {
                    continue;
                }
                let p = probability_f32(MatcherModel::probability_of_log_odds(log_odds));
                if f64::from(p) < threshold {
                    continue;
                }
                pairs.push(ScoredPair {
                    left_measure: l,
                    right_measure: r,
                    score: p,
                    // Set by the caller.
                    kind: LinkKind::Related,
                    evidence: x,
                });
            }
        }
        pairs
    }

    /// The full link (signals, evidence and explanation) of a scored pair of plans `left` and
    /// `right`.
    pub fn explain_pair(&self, left: usize, right: usize, pair: &ScoredPair) -> Option<Link> {
        self.make_link(
            left,
            pair.left_measure,
            right,
            pair.right_measure,
            pair.score,
            Some(&pair.evidence),
        )
    }

    /// The evidence of a pair as named parts with their contributions, largest first.
    fn evidence_parts(&self, x: &Evidence) -> Vec<EvidencePart> {
        let contributions = self.model.contributions(x);
        let mut parts: Vec<EvidencePart> = FEATURES
            .iter()
            .zip(x)
            .zip(contributions)
            .map(|((name, value), contribution)| EvidencePart {
                name: (*name).to_owned(),
                value: *value,
                contribution: probability_f32(contribution),
            })
            .collect();
        parts.sort_by(|a, b| {
            b.contribution
                .abs()
                .total_cmp(&a.contribution.abs())
                .then_with(|| a.name.cmp(&b.name))
        });
        parts
    }

    pub(crate) fn make_link(
        &self,
        left_plan: usize,
        left_measure: usize,
        right_plan: usize,
        right_measure: usize,
        score: f32,
        evidence: Option<&Evidence>,
    ) -> Option<Link> {
        let lhs = self.corpus.features(left_plan, left_measure)?;
        let rhs = self.corpus.features(right_plan, right_measure)?;
        let left_id = self
            .plans
            .get(left_plan)?
            .measures
            .get(left_measure)?
            .id
            .clone();
        let right_id = self
            .plans
            .get(right_plan)?
            .measures
            .get(right_measure)?
            .id
            .clone();
        let signals = with_containment(signals_of(lhs, rhs), lhs, rhs);
        Some(Link {
            left_id,
            right_id,
            score,
            kind: link_kind(&signals, &self.config),
            origin: LinkOrigin::Auto,
            status: LinkStatus::Unreviewed,
            signals,
            evidence: evidence.map(|x| self.evidence_parts(x)).unwrap_or_default(),
            shared_phrases: explain::shared_phrases(lhs, rhs, &self.corpus, &self.config),
            shared_themes: explain::shared_themes(lhs, rhs, &self.corpus),
            shared_units: explain::shared_units(lhs, rhs, &self.corpus),
            note: String::new(),
        })
    }

    /// Decisions for this pair of plans set status and notes, and bring in manual links and
    /// decided links the matcher no longer suggests.
    fn apply_decisions(
        &self,
        left: usize,
        right: usize,
        decisions: &[LinkDecision],
        matrix: &PairMatrix,
        probabilities: &[f32],
        links: &mut Vec<Link>,
    ) {
        let (Some(left_plan), Some(right_plan)) = (self.plans.get(left), self.plans.get(right))
        else {
            return;
        };
        for decision in decisions {
            let (left_ref, right_ref) = if decision.left.plan_id == left_plan.id
                && decision.right.plan_id == right_plan.id
            {
                (&decision.left, &decision.right)
            } else if decision.left.plan_id == right_plan.id
                && decision.right.plan_id == left_plan.id
            {
                (&decision.right, &decision.left)
            } else {
                continue;
            };
            let Some(l) = measure_index(left_plan, left_ref) else {
                continue;
            };
            let Some(r) = measure_index(right_plan, right_ref) else {
                continue;
            };
            let existing = links.iter_mut().find(|link| {
                link.left_id == left_ref.measure_id && link.right_id == right_ref.measure_id
            });
            let link = match existing {
                Some(link) => link,
                None => {
                    let score = probabilities
                        .get(l * matrix.num_right + r)
                        .copied()
                        .unwrap_or(0.0);
                    let Some(mut link) = self.make_link(left, l, right, r, score, matrix.get(l, r))
                    else {
                        continue;
                    };
                    if decision.manual {
                        link.origin = LinkOrigin::Manual;
                    }
                    links.push(link);
                    let Some(last) = links.last_mut() else {
                        continue;
                    };
                    last
                }
            };
            if decision.manual {
                link.origin = LinkOrigin::Manual;
            }
            link.status = decision.status;
            link.note = decision.note.clone();
        }
    }
}

fn measure_index(plan: &Plan, reference: &MeasureRef) -> Option<usize> {
    plan.measures
        .iter()
        .position(|m| m.id == reference.measure_id)
}

/// A probability (or log-odds part) as the `f32` links carry.
fn probability_f32(p: f64) -> f32 {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "probabilities and contributions are small numbers"
    )]
    let p = p as f32;
    p
}

/// The raw similarities of two measures that reports show beside the probability.
pub fn signals_of(lhs: &MeasureFeatures, rhs: &MeasureFeatures) -> Signals {
    Signals {
        text: features::dot(&lhs.text_vector, &rhs.text_vector).clamp(0.0, 1.0),
        theme: (!lhs.theme_vector.is_empty() && !rhs.theme_vector.is_empty())
            .then(|| features::dot(&lhs.theme_vector, &rhs.theme_vector).clamp(0.0, 1.0)),
        agency: (!lhs.agency_vector.is_empty() && !rhs.agency_vector.is_empty())
            .then(|| features::dot(&lhs.agency_vector, &rhs.agency_vector).clamp(0.0, 1.0)),
        // Containment decides only a link's kind: filled in by `with_containment`.
        left_containment: 0.0,
        right_containment: 0.0,
    }
}

/// The signals with the bigram containment of each side filled in.
pub fn with_containment(signals: Signals, lhs: &MeasureFeatures, rhs: &MeasureFeatures) -> Signals {
    with_shared(
        signals,
        features::num_shared(&lhs.bigram_ids, &rhs.bigram_ids),
        lhs,
        rhs,
    )
}

/// [`with_containment`] with the number of character pairs the two measures share.
fn with_shared(
    mut signals: Signals,
    shared: usize,
    lhs: &MeasureFeatures,
    rhs: &MeasureFeatures,
) -> Signals {
    let shared = shared as f32;
    let containment = |n: usize| if n == 0 { 0.0 } else { shared / n as f32 };
    signals.left_containment = containment(lhs.bigram_ids.len());
    signals.right_containment = containment(rhs.bigram_ids.len());
    signals
}

/// What the screen of pairs works with, from the model: worked out once for many pairs of
/// plans.
struct Screening {
    /// The log-odds with the target metrics of a pair unknown.
    bound: model::LogitBound,
    /// What those can add at most, by which of themes, agencies and metrics both measures
    /// have ([`evidence::Presence`]).
    slack: [f64; 8],
}

impl Screening {
    fn of(model: &MatcherModel) -> Self {
        let bound = model::LogitBound::new(model, &evidence::OWN_FEATURES);
        let slack = evidence::Presence::slack_table(|feature| bound.slack(feature));
        Self { bound, slack }
    }
}

/// Near-verbatim when both sides share most of their text; refined when one side carries most
/// of the other; related otherwise.
pub fn link_kind(signals: &Signals, config: &AlignConfig) -> LinkKind {
    let low = signals.left_containment.min(signals.right_containment);
    let high = signals.left_containment.max(signals.right_containment);
    if low >= config.near_verbatim_containment {
        LinkKind::NearVerbatim
    } else if high >= config.refined_containment {
        LinkKind::Refined
    } else {
        LinkKind::Related
    }
}

/// Sorts links in plan order and lists the unmatched measures.
fn finish(
    left_plan: &Plan,
    right_plan: &Plan,
    mut links: Vec<Link>,
    config: &AlignConfig,
) -> Alignment {
    let position = |plan: &Plan, id: &str| {
        plan.measures
            .iter()
            .position(|m| m.id == id)
            .unwrap_or(usize::MAX)
    };
    links.sort_by_key(|link| {
        (
            position(left_plan, &link.left_id),
            position(right_plan, &link.right_id),
        )
    });
    let linked = |id: &str, left_side: bool| {
        links.iter().any(|link| {
            link.status != LinkStatus::Rejected
                && if left_side {
                    link.left_id == id
                } else {
                    link.right_id == id
                }
        })
    };
    let unmatched_left = left_plan
        .measures
        .iter()
        .filter(|m| !linked(&m.id, true))
        .map(|m| m.id.clone())
        .collect();
    let unmatched_right = right_plan
        .measures
        .iter()
        .filter(|m| !linked(&m.id, false))
        .map(|m| m.id.clone())
        .collect();
    Alignment {
        left_plan_id: left_plan.id.clone(),
        right_plan_id: right_plan.id.clone(),
        links,
        unmatched_left,
        unmatched_right,
        config: config.clone(),
    }
}
