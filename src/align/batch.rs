//! Aligning every pair of many plans at once. A candidate index (inverted index of bigrams and
//! themes, skipping those in too many measures) means cost grows with the number of similar
//! pairs, not with the square of the corpus; the work is spread over all cores.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Aligner, Alignment, Signals, finish, score_pair_at_least, select_links};

/// Postings longer than this share of all measures (in percent) are too common to find
/// candidates with.
const MAX_POSTING_PERCENT: usize = 5;
/// …but postings up to this length are always used.
const MIN_POSTING_CAP: usize = 64;

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
/// however many pairs there are. `progress(done, total)` is called as plan pairs finish. Pairs whose measures share no indexed
/// bigram are not scored: they cannot reach `best_link_min` except through the most
/// common words, which the index leaves out by design.
pub fn align_pairs_streaming(
    aligner: &Aligner<'_>,
    members: &[usize],
    progress: &(dyn Fn(usize, usize) + Sync),
    sink: &mut dyn FnMut(BatchPair),
) {
    let corpus = aligner.corpus();
    let config = aligner.config();
    let num_documents = corpus.num_documents;
    let cap = (num_documents * MAX_POSTING_PERCENT / 100).max(MIN_POSTING_CAP);

    // Global document numbers.
    let mut offsets = Vec::with_capacity(corpus.plans.len());
    let mut documents: Vec<(usize, usize)> = Vec::with_capacity(num_documents);
    for (plan_index, measures) in corpus.plans.iter().enumerate() {
        offsets.push(documents.len());
        documents.extend((0..measures.len()).map(|m| (plan_index, m)));
    }

    // Inverted index of bigrams with their weights. Themes are no use here: a pair's score is at
    // most the square root of its text cosine, so a pair with no shared bigram is never linked.
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); corpus.bigram_df.len()];
    for (doc, &(plan_index, m)) in documents.iter().enumerate() {
        let Some(features) = corpus.features(plan_index, m) else {
            continue;
        };
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for &(id, weight) in &features.text_vector {
            if let Some(list) = postings.get_mut(id as usize) {
                list.push((doc, weight));
            }
        }
    }
    let capped: Vec<bool> = postings.iter().map(|list| list.len() > cap).collect();
    for list in &mut postings {
        if list.len() > cap {
            list.clear();
        }
    }
    // Norm of each document's part in capped bigrams: bounds what they can add to a cosine.
    let capped_norm: Vec<f32> = documents
        .iter()
        .map(|&(plan_index, m)| {
            corpus.features(plan_index, m).map_or(0.0, |features| {
                features
                    .text_vector
                    .iter()
                    .filter(|(id, _)| capped.get(*id as usize).copied().unwrap_or(false))
                    .map(|(_, w)| w * w)
                    .sum::<f32>()
                    .sqrt()
            })
        })
        .collect();
    let floor = config.best_link_min;
    let text_floor = floor * floor;

    // Accumulate dot products over the index (each pair once: the other document is in a later
    // plan); score in full only the pairs whose bound reaches the floor.
    let scored: Vec<Vec<(u32, f32, Signals)>> = documents
        .par_iter()
        .enumerate()
        .map_init(
            || (vec![0.0f32; num_documents], Vec::<u32>::new()),
            |(accumulator, touched), (doc, &(plan_index, m))| {
                let Some(features) = corpus.features(plan_index, m) else {
                    return Vec::new();
                };
                let first_later = offsets
                    .get(plan_index + 1)
                    .copied()
                    .unwrap_or(num_documents);
                touched.clear();
                for &(id, weight) in &features.text_vector {
                    let Some(list) = postings.get(id as usize) else {
                        continue;
                    };
                    let start = list.partition_point(|&(d, _)| (d as usize) < first_later);
                    for &(other, other_weight) in list.get(start..).unwrap_or_default() {
                        if let Some(slot) = accumulator.get_mut(other as usize) {
                            if *slot == 0.0 {
                                touched.push(other);
                            }
                            *slot += weight * other_weight;
                        }
                    }
                }
                let own_capped = capped_norm.get(doc).copied().unwrap_or(0.0);
                touched.sort_unstable();
                let mut hits = Vec::new();
                for &other in touched.iter() {
                    let Some(slot) = accumulator.get_mut(other as usize) else {
                        continue;
                    };
                    let partial = std::mem::take(slot);
                    let bound = partial
                        + own_capped * capped_norm.get(other as usize).copied().unwrap_or(0.0);
                    if bound < text_floor {
                        continue;
                    }
                    let Some(&(other_plan, other_m)) = documents.get(other as usize) else {
                        continue;
                    };
                    let Some(other_features) = corpus.features(other_plan, other_m) else {
                        continue;
                    };
                    if let Some((score, signals)) =
                        score_pair_at_least(features, other_features, config, floor)
                    {
                        hits.push((other, score, signals));
                    }
                }
                hits
            },
        )
        .collect();

    // Group by plan pair.
    type PairScores = HashMap<(usize, usize), Vec<(usize, usize, f32, Signals)>>;
    let mut by_pair: PairScores = HashMap::new();
    for (doc, hits) in scored.into_iter().enumerate() {
        let Some(&(left_plan, l)) = documents.get(doc) else {
            continue;
        };
        for (other, score, signals) in hits {
            if let Some(&(right_plan, r)) = documents.get(other as usize) {
                by_pair
                    .entry((left_plan, right_plan))
                    .or_default()
                    .push((l, r, score, signals));
            }
        }
    }

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
    let align_pair = |&(left, right): &(usize, usize)| -> Option<BatchPair> {
        let left_plan = *aligner.plans().get(left)?;
        let right_plan = *aligner.plans().get(right)?;
        let num_left = left_plan.measures.len();
        let num_right = right_plan.measures.len();
        let mut scores = vec![0.0f32; num_left * num_right];
        let mut signals: Vec<Option<Signals>> = vec![None; num_left * num_right];
        for &(l, r, score, parts) in by_pair
            .get(&(left, right))
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if let (Some(slot), Some(parts_slot)) = (
                scores.get_mut(l * num_right + r),
                signals.get_mut(l * num_right + r),
            ) {
                *slot = score;
                *parts_slot = Some(parts);
            }
        }
        let links = select_links(&scores, num_left, num_right, config)
            .into_iter()
            .filter_map(|(l, r)| {
                let score = *scores.get(l * num_right + r)?;
                aligner.make_link(
                    left,
                    l,
                    right,
                    r,
                    score,
                    (*signals.get(l * num_right + r)?)?,
                )
            })
            .collect();
        let alignment = finish(left_plan, right_plan, links, config);
        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(finished, total);
        Some(BatchPair {
            left,
            right,
            alignment,
        })
    };
    for chunk in pairs.chunks(PAIRS_PER_CHUNK) {
        let aligned: Vec<BatchPair> = chunk.par_iter().filter_map(align_pair).collect();
        for pair in aligned {
            sink(pair);
        }
    }
}
