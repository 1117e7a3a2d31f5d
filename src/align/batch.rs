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
    let compare_with_later = |position: usize| -> Vec<BatchPair> {
        let Some(&left) = members.get(position) else {
            return Vec::new();
        };
        let index = aligner.index_plan(left);
        let later = members.get(position + 1..).unwrap_or(&[]);
        let pairs: Vec<BatchPair> = later
            .iter()
            .map(|&right| {
                let links = aligner
                    .scored_pairs(&index, left, right, options.min_score)
                    .into_iter()
                    .map(|pair| BatchLink {
                        explained: options
                            .explain
                            .then(|| aligner.explain_pair(left, right, &pair).map(Box::new))
                            .flatten(),
                        pair,
                    })
                    .collect();
                BatchPair { left, right, links }
            })
            .collect();
        let finished = done.fetch_add(pairs.len(), std::sync::atomic::Ordering::Relaxed);
        progress(finished + pairs.len(), total);
        pairs
    };
    let positions: Vec<usize> = (0..members.len()).collect();
    for chunk in positions.chunks(PLANS_PER_CHUNK) {
        let compared: Vec<Vec<BatchPair>> =
            chunk.par_iter().map(|&p| compare_with_later(p)).collect();
        for pair in compared.into_iter().flatten() {
            sink(pair);
        }
    }
}
