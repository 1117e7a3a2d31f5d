//! Aligning every pair of many plans at once, spread over all cores, streamed a chunk at a time
//! so memory stays bounded. Each plan is indexed once and compared with every later plan, so
//! the cost grows with the terms measures share rather than with the number of measure pairs.

use rayon::prelude::*;

use super::{Aligner, Link, ScoredPair};

/// What a corpus run keeps of each link.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BatchOptions {
    /// Keep only links with at least this probability (never below the link threshold).
    pub min_score: Option<f32>,
    /// Explain each link kept (signals, evidence, shared phrases, themes, agencies).
    pub explain: bool,
}

/// A link of a corpus run.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchLink {
    /// Measure indices, probability and kind.
    pub pair: ScoredPair,
    /// The explained link, with [`BatchOptions::explain`].
    pub explained: Option<Box<Link>>,
}

/// The links of one pair of plans (corpus indices, left < right).
#[derive(Clone, Debug)]
pub struct BatchPair {
    /// Left plan index.
    pub left: usize,
    /// Right plan index.
    pub right: usize,
    /// The links, in left-measure then right-measure order.
    pub links: Vec<BatchLink>,
}

/// How far a corpus run has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Pairs of plans scored: the work, so what sets the time left …
    pub plan_pairs: usize,
    /// … of this many.
    pub plan_pairs_total: usize,
    /// Measures finished: every pair of them scored (their plan and every plan before it
    /// compared with all their later plans) …
    pub measures: usize,
    /// … of this many.
    pub measures_total: usize,
}

/// Counts a corpus run's progress from the threads that do its work.
struct Tally {
    plan_pairs: std::sync::atomic::AtomicUsize,
    plan_pairs_total: usize,
    measures: std::sync::atomic::AtomicUsize,
    /// Measures of each member plan, by position …
    sizes: Vec<usize>,
    /// … and all of them.
    measures_total: usize,
}

impl Tally {
    fn new(aligner: &Aligner<'_>, members: &[usize], plan_pairs_total: usize) -> Self {
        let sizes: Vec<usize> = members
            .iter()
            .map(|&m| aligner.plans().get(m).map_or(0, |p| p.measures.len()))
            .collect();
        Self {
            plan_pairs: std::sync::atomic::AtomicUsize::new(0),
            plan_pairs_total,
            measures: std::sync::atomic::AtomicUsize::new(0),
            measures_total: sizes.iter().sum(),
            sizes,
        }
    }

    fn now(&self) -> Progress {
        Progress {
            plan_pairs: self.plan_pairs.load(std::sync::atomic::Ordering::Relaxed),
            plan_pairs_total: self.plan_pairs_total,
            measures: self.measures.load(std::sync::atomic::Ordering::Relaxed),
            measures_total: self.measures_total,
        }
    }

    /// `count` more pairs of plans scored.
    fn scored(&self, count: usize) -> Progress {
        self.plan_pairs
            .fetch_add(count, std::sync::atomic::Ordering::Relaxed);
        self.now()
    }

    /// The plans at `positions` compared with all their later plans, and every plan before
    /// them too: their measures are finished.
    fn finished(&self, positions: &[usize]) -> Progress {
        let measures = positions
            .iter()
            .filter_map(|&p| self.sizes.get(p))
            .sum::<usize>();
        self.measures
            .fetch_add(measures, std::sync::atomic::Ordering::Relaxed);
        self.now()
    }
}

/// Plans compared with all their later plans at once before results are handed on: bounds
/// memory on large corpora.
const PLANS_PER_CHUNK: usize = 16;

/// Plans a batch run compares ahead of the one whose pairs it hands on next: bounds memory on
/// large corpora.
const PLANS_IN_FLIGHT: usize = 2 * PLANS_PER_CHUNK;

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF),
/// collected in (left, right) order. See [`align_pairs_streaming`].
pub fn align_all_pairs(
    aligner: &Aligner<'_>,
    members: &[usize],
    options: BatchOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<BatchPair> {
    let mut pairs = Vec::new();
    align_pairs_streaming(aligner, members, options, progress, &mut |pair| {
        pairs.push(pair);
    });
    pairs
}

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF)
/// and hands each to `sink` in (left, right) order, a chunk at a time, so memory stays bounded
/// however many pairs there are. `progress` is called as plan pairs finish. The links are
/// exactly those [`Aligner::align`] finds for the pair (without decisions).
pub fn align_pairs_streaming(
    aligner: &Aligner<'_>,
    members: &[usize],
    options: BatchOptions,
    progress: &(dyn Fn(Progress) + Sync),
    sink: &mut dyn FnMut(BatchPair),
) {
    let mut members: Vec<usize> = members.to_vec();
    members.sort_unstable();
    members.dedup();
    let tally = Tally::new(
        aligner,
        &members,
        members.len() * members.len().saturating_sub(1) / 2,
    );
    let index = aligner.later_index(&members);
    let floor = aligner
        .threshold()
        .max(options.min_score.map_or(f64::NEG_INFINITY, f64::from));
    let compare_with_later = |position: usize| -> Vec<BatchPair> {
        let Some(&left) = members.get(position) else {
            return Vec::new();
        };
        let pairs: Vec<BatchPair> = aligner
            .pairs_with_later(&index, position, floor)
            .into_iter()
            .filter_map(|(later, scored)| {
                let right = index.plan(later)?;
                let links = scored
                    .into_iter()
                    .map(|pair| BatchLink {
                        explained: options
                            .explain
                            .then(|| aligner.explain_pair(left, right, &pair).map(Box::new))
                            .flatten(),
                        pair,
                    })
                    .collect();
                Some(BatchPair { left, right, links })
            })
            .collect();
        progress(tally.scored(pairs.len()));
        pairs
    };
    // Plans are compared on the pool, at most `PLANS_IN_FLIGHT` ahead of the sink (writing,
    // usually), which takes their pairs in plan order on this thread as they come: no plan
    // waits for the slowest of a batch, and memory stays bounded.
    let (done, arrivals) =
        std::sync::mpsc::channel::<(usize, std::thread::Result<Vec<BatchPair>>)>();
    rayon::in_place_scope(|scope| {
        let compare_with_later = &compare_with_later;
        let start = |position: usize| {
            let done = done.clone();
            scope.spawn(move |_| {
                let compared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    compare_with_later(position)
                }));
                // The receiver outlives every comparison.
                let _ = done.send((position, compared));
            });
        };
        let num_plans = members.len();
        let mut started = 0;
        while started < num_plans.min(PLANS_IN_FLIGHT) {
            start(started);
            started += 1;
        }
        let mut arrived: std::collections::BTreeMap<usize, Vec<BatchPair>> =
            std::collections::BTreeMap::new();
        for next in 0..num_plans {
            let pairs = loop {
                if let Some(pairs) = arrived.remove(&next) {
                    break pairs;
                }
                // Every started plan sends once, and this thread holds a sender: a plan not yet
                // arrived is on its way.
                match arrivals.recv() {
                    Ok((position, Ok(pairs))) => {
                        arrived.insert(position, pairs);
                    }
                    Ok((_, Err(panic))) => std::panic::resume_unwind(panic),
                    Err(_) => return,
                }
            };
            if started < num_plans {
                start(started);
                started += 1;
            }
            for pair in pairs {
                sink(pair);
            }
            progress(tally.finished(&[next]));
        }
    });
}

/// A nearest neighbour of a measure: a measure of another plan and the pair's probability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    /// The other plan (corpus index).
    pub plan: usize,
    /// The other measure (index in its plan).
    pub measure: usize,
    /// The probability that an analyst would link the pair (scored as in a batch run: the
    /// plan earlier in the corpus on the left).
    pub score: f32,
}

/// How [`nearest_neighbours`] finds each measure's best matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NeighbourSearch {
    /// Every pair of plans is scored: exact, at a cost that grows with the square of the
    /// number of plans.
    Exhaustive,
    /// Only pairs of plans that hold, for some measure, one of its `per_measure` most similar
    /// measures by their rarest character pairs are scored (exactly, as in a batch run): a
    /// cost that grows with measures × `per_measure`.
    Candidates {
        /// Candidate measures per measure.
        per_measure: usize,
    },
}

impl NeighbourSearch {
    /// Up to this many plans, every pair is scored.
    pub const EXHAUSTIVE_UP_TO: usize = 64;

    /// Exhaustive for small corpora, candidates beyond [`NeighbourSearch::EXHAUSTIVE_UP_TO`]
    /// plans.
    pub fn for_corpus(num_plans: usize) -> Self {
        if num_plans <= Self::EXHAUSTIVE_UP_TO {
            Self::Exhaustive
        } else {
            Self::Candidates {
                per_measure: CANDIDATES_PER_MEASURE,
            }
        }
    }
}

/// Candidate measures per measure in a [`NeighbourSearch::Candidates`] search by default.
pub const CANDIDATES_PER_MEASURE: usize = 24;

/// A measure's signature for candidate search: its rarest character pairs (highest TF-IDF).
const SIGNATURE_TERMS: usize = 12;

/// For each member position, the later member positions worth scoring against it: those
/// holding one of the `per_measure` measures most similar to one of its measures (or holding a
/// measure to which one of its measures is among the most similar), by the dot product of
/// their signatures ([`SIGNATURE_TERMS`] rarest character pairs each).
fn candidate_plans(
    aligner: &Aligner<'_>,
    members: &[usize],
    per_measure: usize,
) -> Vec<Vec<usize>> {
    let corpus = aligner.corpus();
    let mut owner: Vec<u32> = Vec::new();
    let mut signatures: Vec<Vec<(u32, f32)>> = Vec::new();
    for (position, &plan) in members.iter().enumerate() {
        for measure in corpus.plans.get(plan).map(Vec::as_slice).unwrap_or(&[]) {
            let mut top = measure.text_vector.clone();
            top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            top.truncate(SIGNATURE_TERMS);
            top.sort_unstable_by_key(|&(term, _)| term);
            signatures.push(top);
            owner.push(u32::try_from(position).unwrap_or(u32::MAX));
        }
    }
    let postings = super::evidence::Postings::new(signatures.iter().map(Vec::as_slice));
    let num_measures = signatures.len();
    let found: Vec<Vec<(u32, u32)>> = (0..num_measures)
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; num_measures], Vec::<u32>::new()),
            |(sums, touched), measure| {
                let own = owner.get(measure).copied().unwrap_or(u32::MAX);
                for &(term, weight) in signatures.get(measure).map(Vec::as_slice).unwrap_or(&[]) {
                    for &(other, other_weight) in postings.of(term) {
                        if owner.get(other as usize) == Some(&own) {
                            continue;
                        }
                        if let Some(sum) = sums.get_mut(other as usize) {
                            if *sum == 0.0 {
                                touched.push(other);
                            }
                            *sum += weight * other_weight;
                        }
                    }
                }
                let score = |m: &u32| sums.get(*m as usize).copied().unwrap_or(0.0);
                if touched.len() > per_measure {
                    touched.select_nth_unstable_by(per_measure, |a, b| {
                        score(b).total_cmp(&score(a)).then(a.cmp(b))
                    });
                }
                let pairs = touched
                    .iter()
                    .take(per_measure)
                    .filter_map(|&other| owner.get(other as usize))
                    .map(|&other| (own.min(other), own.max(other)))
                    .collect();
                for &m in touched.iter() {
                    if let Some(sum) = sums.get_mut(m as usize) {
                        *sum = 0.0;
                    }
                }
                touched.clear();
                pairs
            },
        )
        .collect();
    let mut pairs: Vec<(u32, u32)> = found.into_iter().flatten().collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut later: Vec<Vec<usize>> = vec![Vec::new(); members.len()];
    for (left, right) in pairs {
        if let Some(list) = later.get_mut(left as usize) {
            list.push(right as usize);
        }
    }
    later
}

/// For every measure of the `members` plans, its `k` best matches in the other member plans
/// with at least probability `floor`, best first (ties in corpus order), among the pairs of
/// plans `search` scores. Returned per member plan (in `members` order, sorted and
/// deduplicated), per measure. Scores are those of [`align_pairs_streaming`]; `progress` is
/// called as plan pairs finish. Memory holds `k` neighbours per measure, whatever the number
/// of plans.
pub fn nearest_neighbours(
    aligner: &Aligner<'_>,
    members: &[usize],
    k: usize,
    floor: f32,
    search: NeighbourSearch,
    progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Vec<Vec<Neighbour>>> {
    let mut members: Vec<usize> = members.to_vec();
    members.sort_unstable();
    members.dedup();
    let sizes: Vec<usize> = members
        .iter()
        .map(|&m| aligner.plans().get(m).map_or(0, |p| p.measures.len()))
        .collect();
    let mut best: Vec<Vec<Vec<Neighbour>>> = sizes.iter().map(|&n| vec![Vec::new(); n]).collect();
    if k == 0 {
        return best;
    }
    let offer = |list: &mut Vec<Neighbour>, candidate: Neighbour| {
        let worse = |a: &Neighbour, b: &Neighbour| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| (a.plan, a.measure).cmp(&(b.plan, b.measure)))
        };
        if list.len() == k
            && list
                .last()
                .is_some_and(|last| worse(&candidate, last).is_ge())
        {
            return;
        }
        let at = list.partition_point(|n| worse(n, &candidate).is_lt());
        list.insert(at, candidate);
        list.truncate(k);
    };
    let floor = f64::from(floor);
    // Each plan against all later plans, or against its candidates: (left position, right
    // position, pairs).
    let (index, candidates) = match search {
        NeighbourSearch::Exhaustive => (Some(aligner.later_index(&members)), None),
        NeighbourSearch::Candidates { per_measure } => {
            (None, Some(candidate_plans(aligner, &members, per_measure)))
        }
    };
    let tally = Tally::new(
        aligner,
        &members,
        candidates.as_ref().map_or(
            members.len() * members.len().saturating_sub(1) / 2,
            |lists| lists.iter().map(Vec::len).sum(),
        ),
    );
    // How good a match must be to enter each measure's list, as of the last chunk: the k-th
    // best so far (lists only improve, so a pair below both of its measures' bars is never
    // needed).
    let bars = |best: &[Vec<Vec<Neighbour>>]| -> Vec<Vec<f64>> {
        best.iter()
            .map(|plan| {
                plan.iter()
                    .map(|list| match list.get(k - 1) {
                        Some(kth) if list.len() >= k => floor.max(f64::from(kth.score)),
                        _ => floor,
                    })
                    .collect()
            })
            .collect()
    };
    let compare_with_later =
        |position: usize, bars: &[Vec<f64>]| -> Vec<(usize, usize, Vec<ScoredPair>)> {
            let found: Vec<(usize, usize, Vec<ScoredPair>)> = match (&index, &candidates) {
                (Some(index), _) => aligner
                    .pairs_with_later(index, position, floor)
                    .into_iter()
                    .map(|(later, pairs)| (position, later, pairs))
                    .collect(),
                (None, Some(lists)) => {
                    let later = lists.get(position).map(Vec::as_slice).unwrap_or(&[]);
                    match (members.get(position), later.is_empty()) {
                        (Some(&left), false) => {
                            let plan_index = aligner.index_plan(left);
                            later
                                .iter()
                                .filter_map(|&right_position| {
                                    let right = *members.get(right_position)?;
                                    let bar = |p: usize| bars.get(p).map_or(&[][..], Vec::as_slice);
                                    Some((
                                        position,
                                        right_position,
                                        aligner.pairs_above_floors(
                                            &plan_index,
                                            left,
                                            right,
                                            bar(position),
                                            bar(right_position),
                                        ),
                                    ))
                                })
                                .collect()
                        }
                        _ => Vec::new(),
                    }
                }
                (None, None) => Vec::new(),
            };
            progress(tally.scored(found.len()));
            found
        };
    let positions: Vec<usize> = (0..members.len()).collect();
    for chunk in positions.chunks(PLANS_PER_CHUNK) {
        let bars = match search {
            NeighbourSearch::Exhaustive => Vec::new(),
            NeighbourSearch::Candidates { .. } => bars(&best),
        };
        let compared: Vec<Vec<(usize, usize, Vec<ScoredPair>)>> = chunk
            .par_iter()
            .map(|&p| compare_with_later(p, &bars))
            .collect();
        for (left_position, right_position, pairs) in compared.into_iter().flatten() {
            let (Some(&left), Some(&right)) =
                (members.get(left_position), members.get(right_position))
            else {
                continue;
            };
            for pair in pairs {
                if let Some(list) = best
                    .get_mut(left_position)
                    .and_then(|plan| plan.get_mut(pair.left_measure))
                {
                    offer(
                        list,
                        Neighbour {
                            plan: right,
                            measure: pair.right_measure,
                            score: pair.score,
                        },
                    );
                }
                if let Some(list) = best
                    .get_mut(right_position)
                    .and_then(|plan| plan.get_mut(pair.right_measure))
                {
                    offer(
                        list,
                        Neighbour {
                            plan: left,
                            measure: pair.left_measure,
                            score: pair.score,
                        },
                    );
                }
            }
        }
        progress(tally.finished(chunk));
    }
    best
}
