//! Why two measures are linked: their longest shared runs of text, shared themes, shared agencies.

use std::collections::HashMap;

use crate::parse::text::is_han;
use crate::themes::Codebook;

use super::AlignConfig;
use super::features::{Corpus, MeasureFeatures, bigrams};

/// The longest runs of Han text both measures share (place names, numbers and formulaic words
/// masked), most informative first (summed bigram IDF), none inside another.
pub fn shared_phrases(
    lhs: &MeasureFeatures,
    rhs: &MeasureFeatures,
    corpus: &Corpus,
    config: &AlignConfig,
) -> Vec<String> {
    let runs = common_runs(&lhs.masked, &rhs.masked, config.min_phrase_chars.max(2));
    let mut scored: Vec<(f32, String)> = runs
        .into_iter()
        .map(|run| {
            let weight: f32 = bigrams(&run)
                .filter_map(|bigram| corpus.vocabulary.get(&bigram))
                .map(|&id| corpus.idf(id))
                .sum();
            (weight, run.into_iter().collect())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut chosen: Vec<String> = Vec::new();
    for (_, phrase) in scored {
        if chosen.len() >= config.max_phrases {
            break;
        }
        if !chosen.iter().any(|c| c.contains(phrase.as_str())) {
            chosen.push(phrase);
        }
    }
    chosen
}

/// Maximal runs of Han characters (at least `min_chars`) that occur in both texts, distinct.
pub fn common_runs(lhs: &[char], rhs: &[char], min_chars: usize) -> Vec<Vec<char>> {
    let han = |chars: &[char], at: usize| chars.get(at).copied().filter(|c| is_han(*c));
    let mut starts: HashMap<(char, char), Vec<usize>> = HashMap::new();
    for j in 0..rhs.len().saturating_sub(1) {
        if let (Some(a), Some(b)) = (han(rhs, j), han(rhs, j + 1)) {
            starts.entry((a, b)).or_default().push(j);
        }
    }
    let mut runs: Vec<Vec<char>> = Vec::new();
    for i in 0..lhs.len().saturating_sub(1) {
        let (Some(a), Some(b)) = (han(lhs, i), han(lhs, i + 1)) else {
            continue;
        };
        let Some(positions) = starts.get(&(a, b)) else {
            continue;
        };
        for &j in positions {
            // Only runs that cannot be extended to the left are maximal.
            if i > 0 && j > 0 && han(lhs, i - 1).is_some() && han(lhs, i - 1) == han(rhs, j - 1) {
                continue;
            }
            let mut length = 0;
            while let (Some(x), Some(y)) = (han(lhs, i + length), han(rhs, j + length)) {
                if x != y {
                    break;
                }
                length += 1;
            }
            if length >= min_chars {
                if let Some(run) = lhs.get(i..i + length) {
                    if !runs.iter().any(|r| r.as_slice() == run) {
                        runs.push(run.to_vec());
                    }
                }
            }
        }
    }
    runs
}

/// Themes both measures carry, in codebook order.
pub fn shared_themes(
    lhs: &MeasureFeatures,
    rhs: &MeasureFeatures,
    codebook: &Codebook,
) -> Vec<String> {
    codebook
        .themes()
        .map(|theme| theme.id.clone())
        .filter(|id| {
            lhs.themes.iter().any(|t| &t.theme_id == id)
                && rhs.themes.iter().any(|t| &t.theme_id == id)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximal_common_runs() {
        let lhs: Vec<char> = "完善政府质量奖管理办法,发挥示范作用".chars().collect();
        let rhs: Vec<char> = "发布实施区政府质量奖管理办法".chars().collect();
        let runs: Vec<String> = common_runs(&lhs, &rhs, 3)
            .into_iter()
            .map(|r| r.into_iter().collect())
            .collect();
        assert_eq!(runs, ["政府质量奖管理办法"]);
    }
}
