//! Aligning every pair of many plans at once. A candidate index (inverted index of bigrams and
//! themes, skipping those in too many measures) means cost grows with the number of similar
//! pairs, not with the square of the corpus; the work is spread over all cores.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Aligner, Alignment, Signals, finish, score_pair, select_links};

/// Postings longer than this share of all measures are too common to find candidates with.
const MAX_POSTING_SHARE: f32 = 0.05;
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

/// Aligns every pair of plans the aligner holds. `progress(done, total)` is called as plan pairs
/// finish. Pairs are returned in (left, right) order. Pairs whose measures share no indexed
/// bigram or theme are not scored: they cannot reach `best_link_min` except through the most
/// common words, which the index leaves out by design.
pub fn align_all_pairs(
    aligner: &Aligner<'_>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<BatchPair> {
    let corpus = aligner.corpus();
    let config = aligner.config();
    let num_documents = corpus.num_documents;
    let cap = ((num_documents as f32 * MAX_POSTING_SHARE) as usize).max(MIN_POSTING_CAP);

    // Global document numbers.
    let mut offsets = Vec::with_capacity(corpus.plans.len());
    let mut documents: Vec<(usize, usize)> = Vec::with_capacity(num_documents);
    for (plan_index, measures) in corpus.plans.iter().enumerate() {
        offsets.push(documents.len());
        documents.extend((0..measures.len()).map(|m| (plan_index, m)));
    }

    // Inverted index: bigram postings, then theme postings after them.
    let num_bigrams = corpus.bigram_df.len();
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); num_bigrams + corpus.theme_ids.len()];
    for (doc, &(plan_index, m)) in documents.iter().enumerate() {
        let Some(features) = corpus.features(plan_index, m) else {
            continue;
        };
        let doc = u32::try_from(doc).unwrap_or(u32::MAX);
        for &id in &features.bigram_ids {
            if let Some(list) = postings.get_mut(id as usize) {
                list.push(doc);
            }
        }
        for &(theme, _) in &features.theme_vector {
            if let Some(list) = postings.get_mut(num_bigrams + theme as usize) {
                list.push(doc);
            }
        }
    }
    for list in &mut postings {
        if list.len() > cap {
            list.clear();
        }
    }

    // Score candidate pairs (each pair once: the other document is in a later plan).
    let scored: Vec<Vec<(u32, f32, Signals)>> = documents
        .par_iter()
        .enumerate()
        .map(|(doc, &(plan_index, m))| {
            let Some(features) = corpus.features(plan_index, m) else {
                return Vec::new();
            };
            let first_later = offsets
                .get(plan_index + 1)
                .copied()
                .unwrap_or(num_documents);
            let mut candidates: Vec<u32> = features
                .bigram_ids
                .iter()
                .map(|&id| id as usize)
                .chain(
                    features
                        .theme_vector
                        .iter()
                        .map(|&(t, _)| num_bigrams + t as usize),
                )
                .filter_map(|slot| postings.get(slot))
                .flat_map(|list| {
                    let start = list.partition_point(|&d| (d as usize) < first_later);
                    list.get(start..).unwrap_or_default().iter().copied()
                })
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let _ = doc;
            candidates
                .into_iter()
                .filter_map(|other| {
                    let &(other_plan, other_m) = documents.get(other as usize)?;
                    let (score, signals) =
                        score_pair(features, corpus.features(other_plan, other_m)?, config);
                    (score >= config.best_link_min).then_some((other, score, signals))
                })
                .collect()
        })
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

    let num_plans = aligner.plans().len();
    let pairs: Vec<(usize, usize)> = (0..num_plans)
        .flat_map(|left| ((left + 1)..num_plans).map(move |right| (left, right)))
        .collect();
    let total = pairs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    pairs
        .into_par_iter()
        .filter_map(|(left, right)| {
            let left_plan = *aligner.plans().get(left)?;
            let right_plan = *aligner.plans().get(right)?;
            let num_left = left_plan.measures.len();
            let num_right = right_plan.measures.len();
            let mut scores = vec![0.0f32; num_left * num_right];
            let mut signals: HashMap<(usize, usize), Signals> = HashMap::new();
            for &(l, r, score, parts) in by_pair
                .get(&(left, right))
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(slot) = scores.get_mut(l * num_right + r) {
                    *slot = score;
                    signals.insert((l, r), parts);
                }
            }
            let links = select_links(&scores, num_left, num_right, config)
                .into_iter()
                .filter_map(|(l, r)| {
                    let score = *scores.get(l * num_right + r)?;
                    aligner.make_link(left, l, right, r, score, *signals.get(&(l, r))?)
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
        })
        .collect()
}
