//! Why two measures are linked: their longest shared runs of text, shared themes, shared agencies.

use crate::parse::text::is_han;

use super::AlignConfig;
use super::features::{Corpus, MeasureFeatures};

/// The longest runs of Han text both measures share (place names, numbers and formulaic words
/// masked), most informative first (summed bigram IDF), none inside another.
pub fn shared_phrases(
    lhs: &MeasureFeatures,
    rhs: &MeasureFeatures,
    corpus: &Corpus,
    config: &AlignConfig,
) -> Vec<String> {
    let min_chars = config.min_phrase_chars.max(2);
    let runs = common_runs_indexed(lhs, rhs, min_chars);
    let mut scored: Vec<(f32, &[char], usize)> = runs
        .into_iter()
        .map(|(start, length)| trim_to_words(&lhs.masked, start, length, corpus))
        .filter(|&(_, length)| length >= min_chars)
        .filter_map(|(start, length)| {
            let weight: f32 = lhs
                .bigram_at
                .get(start..start + length.saturating_sub(1))
                .unwrap_or_default()
                .iter()
                .map(|&id| corpus.idf(id))
                .sum();
            Some((weight, lhs.masked.get(start..start + length)?, start))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut chosen: Vec<(&[char], usize)> = Vec::new();
    for (_, phrase, start) in scored {
        if chosen.len() >= config.max_phrases {
            break;
        }
        let inside =
            |(longer, _): &(&[char], usize)| longer.windows(phrase.len()).any(|w| w == phrase);
        if !chosen.iter().any(inside) {
            chosen.push((phrase, start));
        }
    }
    // Quote the left measure as written (traditional characters stay traditional).
    chosen
        .into_iter()
        .map(|(phrase, start)| {
            lhs.written
                .as_ref()
                .and_then(|written| written.get(start..start + phrase.len()))
                .unwrap_or(phrase)
                .iter()
                .collect()
        })
        .collect()
}

/// Document frequency of the bigram `a b` (0 when unknown).
fn bigram_df(corpus: &Corpus, a: char, b: char) -> u32 {
    let key = (u64::from(a as u32) << 32) | u64::from(b as u32);
    corpus
        .vocabulary
        .get(&key)
        .and_then(|&id| corpus.bigram_df.get(id as usize))
        .copied()
        .unwrap_or(0)
}

/// Trims a run whose ends cut a word: an edge character that forms a more common bigram with
/// its outside neighbour than with its inside one belongs to the next word (长三角一|体化 →
/// 长三角, 食|品农产品 → 农产品). Corpus statistics stand in for a dictionary.
fn trim_to_words(chars: &[char], start: usize, length: usize, corpus: &Corpus) -> (usize, usize) {
    let at = |i: usize| {
        chars
            .get(i)
            .copied()
            .filter(|c| crate::parse::text::is_han(*c))
    };
    let (mut start, mut length) = (start, length);
    if length >= 3 {
        let end = start + length - 1;
        if let (Some(before), Some(last), Some(after)) = (at(end - 1), at(end), at(end + 1)) {
            if bigram_df(corpus, last, after) > bigram_df(corpus, before, last) {
                length -= 1;
            }
        }
    }
    if length >= 3 && start > 0 {
        if let (Some(outside), Some(first), Some(second)) =
            (at(start - 1), at(start), at(start + 1))
        {
            if bigram_df(corpus, outside, first) > bigram_df(corpus, first, second) {
                start += 1;
                length -= 1;
            }
        }
    }
    (start, length)
}

/// Maximal shared runs, found by merge-joining the measures' sorted bigram positions.
/// Returns `(start in lhs, length)` of each distinct run.
fn common_runs_indexed(
    lhs: &MeasureFeatures,
    rhs: &MeasureFeatures,
    min_chars: usize,
) -> Vec<(usize, usize)> {
    let (a, b) = (&lhs.bigram_positions, &rhs.bigram_positions);
    let han = |chars: &[char], at: usize| chars.get(at).copied().filter(|c| is_han(*c));
    let (mut i, mut j) = (0, 0);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    while let (Some(&(a_id, _)), Some(&(b_id, _))) = (a.get(i), b.get(j)) {
        match a_id.cmp(&b_id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let a_end = i + a.get(i..).map_or(0, |rest| {
                    rest.iter().take_while(|(id, _)| *id == a_id).count()
                });
                let b_end = j + b.get(j..).map_or(0, |rest| {
                    rest.iter().take_while(|(id, _)| *id == b_id).count()
                });
                for &(_, lp) in a.get(i..a_end).unwrap_or_default() {
                    for &(_, rp) in b.get(j..b_end).unwrap_or_default() {
                        let (lp, rp) = (lp as usize, rp as usize);
                        let extends_left = lp > 0
                            && rp > 0
                            && han(&lhs.masked, lp - 1).is_some()
                            && han(&lhs.masked, lp - 1) == han(&rhs.masked, rp - 1);
                        if extends_left {
                            continue;
                        }
                        let mut length = 0;
                        while let (Some(x), Some(y)) =
                            (han(&lhs.masked, lp + length), han(&rhs.masked, rp + length))
                        {
                            if x != y {
                                break;
                            }
                            length += 1;
                        }
                        let same = |&(s, l): &(usize, usize)| {
                            l == length
                                && lhs.masked.get(s..s + l) == lhs.masked.get(lp..lp + length)
                        };
                        if length >= min_chars && !runs.iter().any(same) {
                            runs.push((lp, length));
                        }
                    }
                }
                i = a_end;
                j = b_end;
            }
        }
    }
    runs
}

/// Themes both measures carry, in codebook order.
pub fn shared_themes(lhs: &MeasureFeatures, rhs: &MeasureFeatures, corpus: &Corpus) -> Vec<String> {
    lhs.theme_vector
        .iter()
        .filter(|(id, _)| rhs.theme_vector.iter().any(|(other, _)| other == id))
        .filter_map(|(id, _)| corpus.theme_ids.get(*id as usize).cloned())
        .collect()
}

/// Agency types both measures name, sorted.
pub fn shared_units(lhs: &MeasureFeatures, rhs: &MeasureFeatures, corpus: &Corpus) -> Vec<String> {
    let mut shared: Vec<String> = lhs
        .agency_vector
        .iter()
        .filter(|(id, _)| rhs.agency_vector.iter().any(|(other, _)| other == id))
        .filter_map(|(id, _)| corpus.agency_types.get(*id as usize).cloned())
        .collect();
    shared.sort();
    shared
}
