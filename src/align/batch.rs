//! Aligning every pair of many plans at once, spread over all cores, streamed a chunk at a time
//! so memory stays bounded.

use rayon::prelude::*;

use super::{Aligner, Alignment};

/// The alignment of one pair of plans (corpus indices, left < right).
#[derive(Clone, Debug)]
pub struct BatchPair {
    /// Left plan index.
    pub left: usize,
    /// Right plan index.
    pub right: usize,
    /// The alignment.
    pub alignment: Alignment,
}

/// Plan pairs aligned at once before they are handed on: bounds memory on large corpora.
const PAIRS_PER_CHUNK: usize = 2048;

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF),
/// collected in (left, right) order. See [`align_pairs_streaming`].
pub fn align_all_pairs(
    aligner: &Aligner<'_>,
    members: &[usize],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<BatchPair> {
    let mut pairs = Vec::new();
    align_pairs_streaming(aligner, members, progress, &mut |pair| pairs.push(pair));
    pairs
}

/// Aligns every pair among the `members` plans (corpus indices; other plans only add to IDF)
/// and hands each to `sink` in (left, right) order, a chunk at a time, so memory stays bounded
/// however many pairs there are. `progress(done, total)` is called as plan pairs finish. Each
/// pair is aligned exactly as [`Aligner::align`] aligns it, so batch and align agree link for
/// link.
pub fn align_pairs_streaming(
    aligner: &Aligner<'_>,
    members: &[usize],
    progress: &(dyn Fn(usize, usize) + Sync),
    sink: &mut dyn FnMut(BatchPair),
) {
    let mut members: Vec<usize> = members.to_vec();
    members.sort_unstable();
    members.dedup();
    let pairs: Vec<(usize, usize)> = members
        .iter()
        .enumerate()
        .flat_map(|(i, &left)| members.iter().skip(i + 1).map(move |&right| (left, right)))
        .collect();
    let total = pairs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let align_pair = |&(left, right): &(usize, usize)| -> BatchPair {
        let alignment = aligner.align(left, right, &[]);
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(finished, total);
        BatchPair {
            left,
            right,
            alignment,
        }
    };
    for chunk in pairs.chunks(PAIRS_PER_CHUNK) {
        let aligned: Vec<BatchPair> = chunk.par_iter().map(align_pair).collect();
        for pair in aligned {
            sink(pair);
        }
    }
}
