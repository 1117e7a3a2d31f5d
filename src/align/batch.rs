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

/// Plans compared with all their later plans at once before results are handed on: bounds
/// memory on large corpora.
const PLANS_PER_CHUNK: usize = 16;

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF),
/// collected in (left, right) order. See [`align_pairs_streaming`].
pub fn align_all_pairs(
    aligner: &Aligner<'_>,
    members: &[usize],
    options: BatchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<BatchPair> {
    let mut pairs = Vec::new();
    align_pairs_streaming(aligner, members, options, progress, &mut |pair| {
        pairs.push(pair);
    });
    pairs
}

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF)
/// and hands each to `sink` in (left, right) order, a chunk at a time, so memory stays bounded
/// however many pairs there are. `progress(done, total)` is called as plan pairs finish. The
/// links are exactly those [`Aligner::align`] finds for the pair (without decisions).
pub fn align_pairs_streaming(
    aligner: &Aligner<'_>,
    members: &[usize],
    options: BatchOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    sink: &mut dyn FnMut(BatchPair),
) {
    let mut members: Vec<usize> = members.to_vec();
    members.sort_unstable();
    members.dedup();
    let total = members.len() * members.len().saturating_sub(1) / 2;
    let done = std::sync::atomic::AtomicUsize::new(0);
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
        let finished = done.fetch_add(pairs.len(), std::sync::atomic::Ordering::Relaxed);
        progress(finished + pairs.len(), total);
        pairs
    };
    // The sink (writing, usually) works on one chunk while the next is compared.
    let positions: Vec<usize> = (0..members.len()).collect();
    let mut pending: Vec<Vec<BatchPair>> = Vec::new();
    for chunk in positions.chunks(PLANS_PER_CHUNK) {
        let compared = std::thread::scope(|scope| {
            let worker = scope.spawn(|| {
                chunk
                    .par_iter()
                    .map(|&p| compare_with_later(p))
                    .collect::<Vec<Vec<BatchPair>>>()
            });
            for pair in std::mem::take(&mut pending).into_iter().flatten() {
                sink(pair);
            }
            worker.join()
        });
        match compared {
            Ok(compared) => pending = compared,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
    for pair in pending.into_iter().flatten() {
        sink(pair);
    }
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

/// For every measure of the `members` plans, its `k` best matches in the other member plans
/// with at least probability `floor`, best first (ties in corpus order). Returned per member
/// plan (in `members` order, sorted and deduplicated), per measure. Scores are those of
/// [`align_pairs_streaming`]; `progress(done, total)` counts plan pairs. Memory holds `k`
/// neighbours per measure, whatever the number of plans.
pub fn nearest_neighbours(
    aligner: &Aligner<'_>,
    members: &[usize],
    k: usize,
    floor: f32,
    progress: &(dyn Fn(usize, usize) + Sync),
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
    let total = members.len() * members.len().saturating_sub(1) / 2;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let floor = f64::from(floor);
    // Each plan against all later plans: (left position, right position, pairs).
    let index = aligner.later_index(&members);
    let compare_with_later = |position: usize| -> Vec<(usize, usize, Vec<ScoredPair>)> {
        let found: Vec<(usize, usize, Vec<ScoredPair>)> = aligner
            .pairs_with_later(&index, position, floor)
            .into_iter()
            .map(|(later, pairs)| (position, later, pairs))
            .collect();
        let finished = done.fetch_add(found.len(), std::sync::atomic::Ordering::Relaxed);
        progress(finished + found.len(), total);
        found
    };
    let positions: Vec<usize> = (0..members.len()).collect();
    for chunk in positions.chunks(PLANS_PER_CHUNK) {
        let compared: Vec<Vec<(usize, usize, Vec<ScoredPair>)>> =
            chunk.par_iter().map(|&p| compare_with_later(p)).collect();
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
    }
    best
}
