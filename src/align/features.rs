//! What the matcher compares: per measure, a TF-IDF vector of character bigrams (place names,
//! numbers and formulaic phrases masked out), weighted theme and agency-type vectors; IDF is
//! taken over every measure of every loaded plan.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Plan, TagEdit};
use crate::parse::text::{is_han, key_char, key_of, width_char};
use rayon::prelude::*;

use crate::themes::{
    Codebook, EffectiveTheme, Tagger, effective_themes, is_dropped_for_matching, match_key,
};

/// Formulaic phrases and adverbs of plan language: they say how hard, not what. Content verbs
/// (建设, 完善, 体系 …) are left to IDF, which down-weights them by how common they are.
const FORMULAIC: &[&str] = &[
    "进一步",
    "持续推进",
    "深入推进",
    "加快推进",
    "积极推进",
    "大力推进",
    "全面推进",
    "稳步推进",
    "扎实推进",
    "不断提高",
    "不断提升",
    "高质量发展",
    "充分发挥",
    "切实",
    "着力",
    "大力",
    "积极",
    "努力",
    "扎实",
    "稳步",
    "不断",
    "持续",
    "深入",
    "全面",
];

/// Words that stand for a jurisdiction in general (本市, 全区 …).
const GENERIC_PLACES: &[&str] = &[
    "本市",
    "全市",
    "我市",
    "本区",
    "全区",
    "我区",
    "本县",
    "全县",
    "我县",
    "本省",
    "全省",
    "我省",
    "各区",
    "各县",
    "各市",
    "市级",
    "区级",
    "县级",
    "省级",
    "市区",
    "各街镇",
    "街镇",
    "各地",
];

/// A character that breaks bigram runs where something was masked.
const MASK: char = '\u{0}';

/// Masks place names, numbers and formulaic words: they must not make measures look alike.
/// With `fold_traditional`, traditional characters compare as simplified (質量 = 质量);
/// without, as written. Places and formulas are found either way. Quotes and spaces are left
/// out (see [`match_key`]).
pub fn masked_chars(text: &str, place_names: &[String], fold_traditional: bool) -> Vec<char> {
    Masker::new(place_names)
        .masked_and_written(text, fold_traditional)
        .0
}

/// What is masked in measure texts (place names, generic places, formulaic words), found in one
/// pass over a text however many places a corpus names.
struct Masker {
    /// Each pattern and its length in characters, in masking order.
    patterns: Vec<(String, usize)>,
    /// Finds every pattern (overlapping), so only those present are masked.
    finder: Option<aho_corasick::AhoCorasick>,
}

impl Masker {
    fn new(place_names: &[String]) -> Self {
        let generic = GENERIC_PLACES.iter().copied();
        let mut patterns: Vec<(String, usize)> = place_names
            .iter()
            .map(String::as_str)
            .chain(generic)
            .filter(|place| place.chars().count() >= 2)
            .map(|place| {
                let key = key_of(place);
                let len = key.chars().count();
                (key, len)
            })
            .collect();
        patterns.extend(
            FORMULAIC
                .iter()
                .map(|word| ((*word).to_owned(), word.chars().count())),
        );
        patterns.retain(|(key, _)| !key.is_empty());
        let finder = aho_corasick::AhoCorasick::new(patterns.iter().map(|(key, _)| key)).ok();
        Self { patterns, finder }
    }

    /// The masked characters of `text`, and the same characters as written (widths folded),
    /// char for char. Patterns are masked one after another in order (longest places first),
    /// each wherever it still occurs; masking adds no new occurrences, so only the patterns
    /// present in the text need a pass.
    fn masked_and_written(&self, text: &str, fold_traditional: bool) -> (Vec<char>, Vec<char>) {
        let (mut key, written): (String, Vec<char>) = text
            .chars()
            .map(|c| (key_char(c), width_char(c)))
            .filter(|&(k, _)| !is_dropped_for_matching(k))
            .unzip();
        let mut present: Vec<usize> = match &self.finder {
            Some(finder) => finder
                .find_overlapping_iter(&key)
                .map(|found| found.pattern().as_usize())
                .collect(),
            None => (0..self.patterns.len()).collect(),
        };
        present.sort_unstable();
        present.dedup();
        for (pattern, len) in present.into_iter().filter_map(|i| self.patterns.get(i)) {
            key = key.replace(pattern.as_str(), &MASK.to_string().repeat(*len));
        }
        let masked = key
            .chars()
            .zip(&written)
            .map(|(k, &w)| match k {
                MASK => MASK,
                c if c.is_ascii_digit() || c == '.' || c == '%' => MASK,
                _ if fold_traditional => k,
                _ => w,
            })
            .collect();
        (masked, written)
    }
}

/// The text as written, char for char with `masked`, where `masked` shows it otherwise
/// (traditional text folded to simplified), so shared phrases can quote the plan.
fn written_where_folded(masked: &[char], written: Vec<char>) -> Option<Vec<char>> {
    let differs = written
        .iter()
        .zip(masked)
        .any(|(w, m)| *m != MASK && w != m);
    differs.then_some(written)
}

/// A measure after the parallel first pass.
struct Prepared {
    /// Masked text.
    masked: Vec<char>,
    /// The text as written where folding changed it.
    written: Option<Vec<char>>,
    /// Effective themes.
    themes: Vec<EffectiveTheme>,
    /// Target metrics.
    metrics: Vec<String>,
    /// The text's character pairs, and where each occurs (index among them, position).
    text_terms: Terms<u64>,
    text_occurrences: Vec<(u32, u32)>,
    /// The title's and the section heading's character pairs.
    title_terms: Terms<u64>,
    section_terms: Terms<u64>,
}

/// A sequence's distinct terms in order of first appearance, with how often each occurs:
/// worked out for each measure in parallel, so that only giving the terms ids (in the same
/// order as one pass over every term would) is left to a serial pass.
struct Terms<K> {
    distinct: Vec<K>,
    counts: Vec<u32>,
}

impl<K: Ord + Clone> Terms<K> {
    /// The terms of `items`, and each item's index among [`Terms::distinct`]. Found by
    /// sorting rather than hashing: no input can make it slow.
    fn of(items: impl IntoIterator<Item = K>) -> (Self, Vec<u32>) {
        let mut pairs: Vec<(K, u32)> = items
            .into_iter()
            .enumerate()
            .map(|(at, item)| (item, u32::try_from(at).unwrap_or(u32::MAX)))
            .collect();
        pairs.sort_unstable();
        // Each run holds one term, its first occurrence first.
        let mut runs: Vec<&[(K, u32)]> = pairs.chunk_by(|a, b| a.0 == b.0).collect();
        runs.sort_unstable_by_key(|run| run.first().map_or(u32::MAX, |&(_, at)| at));
        let mut terms = Self {
            distinct: Vec::with_capacity(runs.len()),
            counts: Vec::with_capacity(runs.len()),
        };
        let mut occurrences = vec![0u32; pairs.len()];
        for (index, run) in runs.iter().enumerate() {
            let Some((term, _)) = run.first() else {
                continue;
            };
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            terms.distinct.push(term.clone());
            terms
                .counts
                .push(u32::try_from(run.len()).unwrap_or(u32::MAX));
            for &(_, at) in *run {
                if let Some(slot) = occurrences.get_mut(at as usize) {
                    *slot = index;
                }
            }
        }
        (terms, occurrences)
    }

    /// (id, count) of each term, by id, given the id of each distinct term.
    fn counts_by_id(&self, ids: &[u32]) -> Vec<(u32, u32)> {
        let mut counts: Vec<(u32, u32)> = ids
            .iter()
            .copied()
            .zip(self.counts.iter().copied())
            .collect();
        counts.sort_unstable();
        counts
    }
}

/// Gives each of `terms` an id (the next free one when new) and returns them.
fn bigram_ids(vocabulary: &mut foldhash::HashMap<u64, u32>, terms: &[u64]) -> Vec<u32> {
    terms
        .iter()
        .map(|&term| {
            let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
            *vocabulary.entry(term).or_insert(next)
        })
        .collect()
}

/// Counts one more document for each of `ids` in `df`.
fn count_documents(df: &mut Vec<u32>, ids: &[u32]) {
    for &id in ids {
        let slot = id as usize;
        if df.len() <= slot {
            df.resize(slot + 1, 0);
        }
        if let Some(df) = df.get_mut(slot) {
            *df += 1;
        }
    }
}

/// Ids of a vocabulary of strings, with document frequencies.
#[derive(Default)]
struct Vocabulary {
    ids: foldhash::HashMap<String, u32>,
    df: Vec<u32>,
}

impl Vocabulary {
    /// Counts one document's distinct terms; returns their ids.
    fn add_document(&mut self, terms: &[String]) -> Vec<u32> {
        let ids: Vec<u32> = terms
            .iter()
            .map(|term| match self.ids.get(term.as_str()) {
                Some(&id) => id,
                None => {
                    let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
                    self.ids.insert(term.clone(), next);
                    next
                }
            })
            .collect();
        count_documents(&mut self.df, &ids);
        ids
    }
}

/// A measure's theme vector: each theme's weight × its IDF, unit length, by theme index.
fn theme_vector(
    themes: &[EffectiveTheme],
    theme_index: &HashMap<&str, u32>,
    theme_df: &[u32],
    idf: &dyn Fn(u32) -> f32,
) -> Vec<(u32, f32)> {
    normalise(
        themes
            .iter()
            .filter_map(|theme| {
                let index = *theme_index.get(theme.theme_id.as_str())?;
                let df = theme_df.get(index as usize).copied().unwrap_or(1);
                Some((index, theme.weight * idf(df)))
            })
            .collect(),
    )
}

/// Han bigrams of masked characters.
fn han_bigrams(masked: &[char]) -> impl Iterator<Item = u64> + '_ {
    han_bigram_positions(masked).map(|(_, bigram)| bigram)
}

/// [`han_bigrams`] with the position of each.
fn han_bigram_positions(masked: &[char]) -> impl Iterator<Item = (usize, u64)> + '_ {
    masked.windows(2).enumerate().filter_map(|(at, pair)| {
        let [a, b] = pair else { return None };
        (is_han(*a) && is_han(*b))
            .then(|| (at, (u64::from(*a as u32) << 32) | u64::from(*b as u32)))
    })
}

/// Everything the matcher knows about one measure.
#[derive(Clone, Debug, Default)]
pub struct MeasureFeatures {
    /// Index of the plan in the corpus.
    pub plan_index: usize,
    /// Index of the measure in its plan's `measures`.
    pub measure_index: usize,
    /// L2-normalised TF-IDF over bigram ids, sorted by id.
    pub text_vector: Vec<(u32, f32)>,
    /// Distinct bigram ids, sorted (for containment).
    pub bigram_ids: Vec<u32>,
    /// L2-normalised theme vector (weight × theme IDF), sorted by theme index.
    pub theme_vector: Vec<(u32, f32)>,
    /// The effective themes (for explanations).
    pub themes: Vec<EffectiveTheme>,
    /// TF-IDF vector of the title's bigrams (unit length).
    pub title_vector: Vec<(u32, f32)>,
    /// TF-IDF vector of the heading the measure sits under (unit length).
    pub section_vector: Vec<(u32, f32)>,
    /// TF-IDF vector of content words (unit length).
    pub word_vector: Vec<(u32, f32)>,
    /// TF-IDF vector of concepts: words with synonyms folded together (unit length).
    pub concept_vector: Vec<(u32, f32)>,
    /// Content words, distinct, sorted.
    pub words: Vec<String>,
    /// Target metrics, sorted.
    pub metrics: Vec<String>,
    /// L2-normalised agency-type vector (IDF-weighted), sorted by type index.
    pub agency_vector: Vec<(u32, f32)>,
    /// The masked text (for shared phrases).
    pub masked: Vec<char>,
    /// The text as written, char for char with `masked`, where folding traditional characters
    /// changed it (shared phrases quote this); `None` when `masked` shows the text as written.
    pub written: Option<Vec<char>>,
    /// `(bigram id, position in masked)` for every Han bigram, sorted (for shared phrases).
    pub bigram_positions: Vec<(u32, u32)>,
    /// Bigram id starting at each position of `masked` (`u32::MAX` where there is none).
    pub bigram_at: Vec<u32>,
}

/// Manual tag edits of one measure: themes added and removed by the analyst.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManualTags {
    /// Themes the analyst added.
    pub added: Vec<String>,
    /// Themes the analyst removed.
    pub removed: Vec<String>,
}

impl ManualTags {
    /// The edits among `tag_edits` of one measure, in the order they were made.
    pub fn of(tag_edits: &[TagEdit], plan_id: &str, measure_id: &str) -> Self {
        let mut tags = Self::default();
        for edit in tag_edits
            .iter()
            .filter(|e| e.measure.plan_id == plan_id && e.measure.measure_id == measure_id)
        {
            if edit.added {
                tags.added.push(edit.theme_id.clone());
            } else {
                tags.removed.push(edit.theme_id.clone());
            }
        }
        tags
    }
}

/// The loaded plans as the matcher sees them.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Features per plan, per measure (same order as `plan.measures`).
    pub plans: Vec<Vec<MeasureFeatures>>,
    /// Plan ids, same order.
    pub plan_ids: Vec<String>,
    /// Theme ids by theme index.
    pub theme_ids: Vec<String>,
    /// Agency types by type index.
    pub agency_types: Vec<String>,
    /// Bigram (two chars packed in a u64) → id.
    pub vocabulary: foldhash::HashMap<u64, u32>,
    /// Document frequency of each bigram id.
    pub bigram_df: Vec<u32>,
    /// Number of measures in the corpus.
    pub num_documents: usize,
}

impl Corpus {
    /// Builds features for every measure of `plans`; `manual_tags(plan_id, measure_id)` gives
    /// the analyst's tag edits; `fold_traditional` compares traditional characters as simplified.
    pub fn build(
        plans: &[&Plan],
        codebook: &Codebook,
        manual_tags: &(dyn Fn(&str, &str) -> ManualTags + Sync),
        fold_traditional: bool,
    ) -> Self {
        let masker = Masker::new(&place_names(plans));
        let mut vocabulary: foldhash::HashMap<u64, u32> = foldhash::HashMap::default();
        let mut bigram_df: Vec<u32> = Vec::new();
        let theme_ids: Vec<String> = codebook.themes().map(|t| t.id.clone()).collect();
        let theme_index: HashMap<&str, u32> = theme_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| Some((id.as_str(), u32::try_from(i).ok()?)))
            .collect();
        let mut theme_df = vec![0u32; theme_ids.len()];
        let mut agency_types: Vec<String> = Vec::new();
        let mut agency_index: HashMap<String, u32> = HashMap::new();
        let mut agency_df: Vec<u32> = Vec::new();

        // First pass: terms and document frequencies. Measures are prepared in parallel
        // (masking, tagging, word cutting, counting terms); then a serial pass gives terms
        // their ids in order of first appearance and counts documents.
        struct Raw {
            prepared: Prepared,
            /// The text's words and their concepts (counts only: ids are given).
            word_terms: Terms<String>,
            concept_terms: Terms<String>,
            agencies: Vec<u32>,
            text_ids: Vec<u32>,
            title_ids: Vec<u32>,
            section_ids: Vec<u32>,
            word_ids: Vec<u32>,
            concept_ids: Vec<u32>,
        }
        // Masking, tagging and word cutting are independent per measure: done in parallel.
        let tagger = Tagger::new(codebook);
        let synonyms = super::terms::Synonyms::bundled();
        let prepared: Vec<Vec<(Prepared, BTreeSet<String>)>> = plans
            .par_iter()
            .map(|plan| {
                let headings = super::terms::section_headings(plan);
                plan.measures
                    .par_iter()
                    .map(|measure| {
                        let (masked, written) =
                            masker.masked_and_written(&measure.text, fold_traditional);
                        let written = written_where_folded(&masked, written);
                        let hits =
                            tagger.tag(&match_key(&measure.title), &match_key(&measure.text));
                        let edits = manual_tags(&plan.id, &measure.id);
                        let themes = effective_themes(&hits, &edits.added, &edits.removed);
                        let types: BTreeSet<String> = measure
                            .lead_units
                            .iter()
                            .chain(&measure.support_units)
                            .map(|agency| agency.agency_type.clone())
                            .filter(|agency_type| is_specific_agency(agency_type))
                            .collect();
                        let title = masker
                            .masked_and_written(&measure.title, fold_traditional)
                            .0;
                        let section = headings.get(&measure.id).map_or_else(Vec::new, |h| {
                            masker.masked_and_written(h, fold_traditional).0
                        });
                        let (text_terms, occurrences) =
                            Terms::of(han_bigram_positions(&masked).map(|(_, bigram)| bigram));
                        let text_occurrences = han_bigram_positions(&masked)
                            .zip(occurrences)
                            .map(|((at, _), term)| (term, u32::try_from(at).unwrap_or(u32::MAX)))
                            .collect();
                        let prepared = Prepared {
                            metrics: super::terms::metrics(measure),
                            text_terms,
                            text_occurrences,
                            title_terms: Terms::of(han_bigrams(&title)).0,
                            section_terms: Terms::of(han_bigrams(&section)).0,
                            masked,
                            written,
                            themes,
                        };
                        (prepared, types)
                    })
                    .collect()
            })
            .collect();
        // Words last: a corpus run loads the word segmenter while measures are masked and
        // tagged, and the rest needs no segmenter, so it is done before the segmenter is waited
        // for. While
        // the words are cut, character pairs and agency types get their ids, and themes their
        // counts (serially, in corpus order).
        let (words, other_ids) = rayon::join(
            || {
                prepared
                    .par_iter()
                    .map(|measures| {
                        measures
                            .par_iter()
                            .map(|(prepared, _)| {
                                let words = super::terms::words(&prepared.masked);
                                (
                                    Terms::of(words.iter().map(|w| synonyms.concept(w))).0,
                                    Terms::of(words).0,
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            },
            || {
                prepared
                    .iter()
                    .map(|measures| {
                        measures
                            .iter()
                            .map(|(prepared, types)| {
                                // Titles and headings share the text's bigram ids (and its
                                // document counts).
                                let text_ids =
                                    bigram_ids(&mut vocabulary, &prepared.text_terms.distinct);
                                count_documents(&mut bigram_df, &text_ids);
                                let title_ids =
                                    bigram_ids(&mut vocabulary, &prepared.title_terms.distinct);
                                let section_ids =
                                    bigram_ids(&mut vocabulary, &prepared.section_terms.distinct);
                                for theme in &prepared.themes {
                                    if let Some(df) = theme_index
                                        .get(theme.theme_id.as_str())
                                        .and_then(|&i| theme_df.get_mut(i as usize))
                                    {
                                        *df += 1;
                                    }
                                }
                                let mut agencies = Vec::new();
                                for agency_type in types {
                                    let next =
                                        u32::try_from(agency_types.len()).unwrap_or(u32::MAX);
                                    let id = *agency_index
                                        .entry(agency_type.clone())
                                        .or_insert_with(|| {
                                            agency_types.push(agency_type.clone());
                                            agency_df.push(0);
                                            next
                                        });
                                    if let Some(df) = agency_df.get_mut(id as usize) {
                                        *df += 1;
                                    }
                                    agencies.push(id);
                                }
                                (text_ids, title_ids, section_ids, agencies)
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            },
        );

        // Words and concepts get their ids (serially, in corpus order) side by side.
        type ConceptsAndWords = (Terms<String>, Terms<String>);
        let number = |terms_of: fn(&ConceptsAndWords) -> &Terms<String>| {
            let mut vocabulary = Vocabulary::default();
            let ids: Vec<Vec<Vec<u32>>> = words
                .iter()
                .map(|measures| {
                    measures
                        .iter()
                        .map(|terms| vocabulary.add_document(&terms_of(terms).distinct))
                        .collect()
                })
                .collect();
            (vocabulary, ids)
        };
        let ((words_vocabulary, word_ids), (concepts_vocabulary, concept_ids)) = rayon::join(
            || number(|(_, word_terms)| word_terms),
            || number(|(concept_terms, _)| concept_terms),
        );
        let mut raw_plans: Vec<Vec<Raw>> = Vec::with_capacity(plans.len());
        // The terms that have ids now: freed by a pool thread as the weights are worked out
        // rather than one by one in this serial pass (and still freed, so that a large
        // corpus's peak memory stays down).
        let mut spent_bigrams: Vec<Vec<u64>> = Vec::new();
        let mut spent_concepts: Vec<Vec<String>> = Vec::new();
        for ((((measures, words), other_ids), word_ids), concept_ids) in prepared
            .into_iter()
            .zip(words)
            .zip(other_ids)
            .zip(word_ids)
            .zip(concept_ids)
        {
            let mut raws = Vec::with_capacity(measures.len());
            for (
                ((((mut prepared, _), (concept_terms, word_terms)), ids), word_ids),
                concept_ids,
            ) in measures
                .into_iter()
                .zip(words)
                .zip(other_ids)
                .zip(word_ids)
                .zip(concept_ids)
            {
                let (text_ids, title_ids, section_ids, agencies) = ids;
                // The terms have ids now: only their counts are needed. The words themselves
                // stay: a measure keeps them, sorted.
                spent_concepts.push(concept_terms.distinct);
                let concept_terms = Terms {
                    distinct: Vec::new(),
                    counts: concept_terms.counts,
                };
                for terms in [
                    &mut prepared.text_terms,
                    &mut prepared.title_terms,
                    &mut prepared.section_terms,
                ] {
                    spent_bigrams.push(std::mem::take(&mut terms.distinct));
                }
                raws.push(Raw {
                    prepared,
                    word_terms,
                    concept_terms,
                    agencies,
                    text_ids,
                    title_ids,
                    section_ids,
                    word_ids,
                    concept_ids,
                });
            }
            raw_plans.push(raws);
        }
        rayon::spawn(move || drop((spent_bigrams, spent_concepts)));

        // Second pass: weights.
        let num_documents = raw_plans.iter().map(Vec::len).sum::<usize>();
        let n = num_documents as f32;
        let idf = |df: u32| ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.0);
        // Each term's IDF, and the term frequency factor of small counts, worked out once
        // rather than for every measure that has the term.
        let idf_table = |dfs: &[u32]| -> Vec<f32> { dfs.iter().map(|&df| idf(df)).collect() };
        let bigram_idf = idf_table(&bigram_df);
        let words_idf = idf_table(&words_vocabulary.df);
        let concepts_idf = idf_table(&concepts_vocabulary.df);
        let tf_table: Vec<f32> = (0..256u32).map(|count| 1.0 + (count as f32).ln()).collect();
        let tf = |count: u32| {
            tf_table
                .get(count as usize)
                .copied()
                .unwrap_or_else(|| 1.0 + (count as f32).ln())
        };
        let plans_features = raw_plans
            .into_par_iter()
            .enumerate()
            .map(|(plan_index, raws)| {
                raws.into_iter()
                    .enumerate()
                    .map(|(measure_index, raw)| {
                        let Raw {
                            prepared,
                            word_terms,
                            concept_terms,
                            agencies,
                            text_ids,
                            title_ids,
                            section_ids,
                            word_ids,
                            concept_ids,
                        } = raw;
                        let counts = prepared.text_terms.counts_by_id(&text_ids);
                        let mut positions: Vec<(u32, u32)> = prepared
                            .text_occurrences
                            .iter()
                            .filter_map(|&(term, at)| Some((*text_ids.get(term as usize)?, at)))
                            .collect();
                        positions.sort_unstable();
                        let text_vector = normalise(
                            counts
                                .iter()
                                .map(|&(id, count)| {
                                    let idf = bigram_idf
                                        .get(id as usize)
                                        .copied()
                                        .unwrap_or_else(|| idf(1));
                                    // Never 0 (a bigram in every one of millions of measures
                                    // would round to it), so the vector holds every bigram id
                                    // of `bigram_ids`: a corpus run counts shared bigrams
                                    // from its postings.
                                    (id, tf(count) * idf.max(f32::MIN_POSITIVE))
                                })
                                .collect(),
                        );
                        let theme_vector =
                            theme_vector(&prepared.themes, &theme_index, &theme_df, &idf);
                        // A term missing from its table (none is) would be in no document.
                        let tf_idf = |counts: &[(u32, u32)], idfs: &[f32]| {
                            normalise(
                                counts
                                    .iter()
                                    .map(|&(id, count)| {
                                        let idf = idfs
                                            .get(id as usize)
                                            .copied()
                                            .unwrap_or_else(|| idf(0));
                                        (id, tf(count) * idf)
                                    })
                                    .collect(),
                            )
                        };
                        let title_vector =
                            tf_idf(&prepared.title_terms.counts_by_id(&title_ids), &bigram_idf);
                        let section_vector = tf_idf(
                            &prepared.section_terms.counts_by_id(&section_ids),
                            &bigram_idf,
                        );
                        let word_vector = tf_idf(&word_terms.counts_by_id(&word_ids), &words_idf);
                        let concept_vector =
                            tf_idf(&concept_terms.counts_by_id(&concept_ids), &concepts_idf);
                        let agency_vector = normalise(
                            agencies
                                .iter()
                                .map(|&id| {
                                    let df = agency_df.get(id as usize).copied().unwrap_or(1);
                                    (id, idf(df))
                                })
                                .collect(),
                        );
                        MeasureFeatures {
                            plan_index,
                            measure_index,
                            title_vector,
                            section_vector,
                            word_vector,
                            concept_vector,
                            words: {
                                let mut words = word_terms.distinct;
                                words.sort_unstable();
                                words
                            },
                            metrics: prepared.metrics,
                            bigram_ids: counts.iter().map(|(id, _)| *id).collect(),
                            text_vector,
                            theme_vector,
                            themes: prepared.themes,
                            agency_vector,
                            bigram_at: {
                                let mut at = vec![u32::MAX; prepared.masked.len()];
                                for &(id, position) in &positions {
                                    if let Some(slot) = at.get_mut(position as usize) {
                                        *slot = id;
                                    }
                                }
                                at
                            },
                            bigram_positions: positions,
                            masked: prepared.masked,
                            written: prepared.written,
                        }
                    })
                    .collect()
            })
            .collect();
        Self {
            plans: plans_features,
            plan_ids: plans.iter().map(|p| p.id.clone()).collect(),
            theme_ids,
            agency_types,
            vocabulary,
            bigram_df,
            num_documents,
        }
    }

    /// Re-tags one measure after the analyst's tags of it changed: its effective themes are
    /// worked out again from `codebook` and `tag_edits`, and every measure's theme vector is
    /// re-weighted (a theme's IDF counts the measures that carry it). Text features are kept,
    /// so the result equals a full rebuild at a fraction of its cost. Returns false when the
    /// measure is not in the corpus.
    pub fn retag(
        &mut self,
        plan: &Plan,
        measure_index: usize,
        codebook: &Codebook,
        tag_edits: &[TagEdit],
    ) -> bool {
        let Some(plan_index) = self.plan_index(&plan.id) else {
            return false;
        };
        let Some(measure) = plan.measures.get(measure_index) else {
            return false;
        };
        let Some(features) = self
            .plans
            .get_mut(plan_index)
            .and_then(|features| features.get_mut(measure_index))
        else {
            return false;
        };
        let hits = Tagger::new(codebook).tag(&match_key(&measure.title), &match_key(&measure.text));
        let edits = ManualTags::of(tag_edits, &plan.id, &measure.id);
        features.themes = effective_themes(&hits, &edits.added, &edits.removed);
        let theme_index: HashMap<&str, u32> = self
            .theme_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| Some((id.as_str(), u32::try_from(i).ok()?)))
            .collect();
        let mut theme_df = vec![0u32; self.theme_ids.len()];
        for theme in self.plans.iter().flatten().flat_map(|f| &f.themes) {
            if let Some(df) = theme_index
                .get(theme.theme_id.as_str())
                .and_then(|&i| theme_df.get_mut(i as usize))
            {
                *df += 1;
            }
        }
        let n = self.num_documents as f32;
        let idf = |df: u32| ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.0);
        for features in self.plans.iter_mut().flatten() {
            features.theme_vector = theme_vector(&features.themes, &theme_index, &theme_df, &idf);
        }
        true
    }

    /// Features of one measure.
    pub fn features(&self, plan_index: usize, measure_index: usize) -> Option<&MeasureFeatures> {
        self.plans.get(plan_index)?.get(measure_index)
    }

    /// Index of a plan by id.
    pub fn plan_index(&self, plan_id: &str) -> Option<usize> {
        self.plan_ids.iter().position(|id| id == plan_id)
    }

    /// Inverse document frequency of a bigram id (0 for unknown ids).
    pub fn idf(&self, bigram_id: u32) -> f32 {
        let n = self.num_documents as f32;
        self.bigram_df
            .get(bigram_id as usize)
            .map_or(0.0, |&df| ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.0))
    }
}

/// Agency types too generic to be evidence (相关责任单位, 各成员单位 …).
fn is_specific_agency(agency_type: &str) -> bool {
    !(agency_type.starts_with("相关")
        || agency_type.contains("成员单位")
        || agency_type.contains("有关单位")
        || agency_type.contains("各有关")
        || agency_type.chars().count() < 2)
}

/// Every place name the loaded plans mention as their own (with short forms: 静安区 → 静安).
pub fn place_names(plans: &[&Plan]) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for plan in plans {
        let jurisdiction = &plan.meta.jurisdiction;
        for name in [&jurisdiction.name, &jurisdiction.parent]
            .into_iter()
            .flatten()
        {
            names.insert(name.clone());
            let mut chars: Vec<char> = name.chars().collect();
            if chars.len() >= 3 {
                chars.pop();
                names.insert(chars.into_iter().collect());
            }
        }
    }
    // Longest first, so 上海市 is masked before 上海.
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by(|a, b| {
        b.chars()
            .count()
            .cmp(&a.chars().count())
            .then_with(|| a.cmp(b))
    });
    names
}

fn normalise(mut vector: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    vector.retain(|(_, weight)| *weight > 0.0);
    vector.sort_unstable_by_key(|(id, _)| *id);
    let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, weight) in &mut vector {
            *weight /= norm;
        }
    }
    vector
}

/// Dot product of two sparse vectors sorted by id.
pub fn dot(lhs: &[(u32, f32)], rhs: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while let (Some(&(lhs_id, lhs_w)), Some(&(rhs_id, rhs_w))) = (lhs.get(i), rhs.get(j)) {
        match lhs_id.cmp(&rhs_id) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += lhs_w * rhs_w;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// A set of ids below a bound ([`IdSet::reserve`]), one bit each: counts how many ids of a
/// list are in it without merging sorted lists (one load per id, no branches).
#[derive(Clone, Debug, Default)]
pub struct IdSet {
    words: Vec<u64>,
}

impl IdSet {
    /// Makes room for ids below `bound`.
    pub fn reserve(&mut self, bound: usize) {
        let words = bound.div_ceil(64);
        if self.words.len() < words {
            self.words.resize(words, 0);
        }
    }

    fn locate(id: u32) -> (usize, u64) {
        ((id / 64) as usize, 1u64 << (id % 64))
    }

    /// Adds `ids` (those beyond the bound are left out).
    pub fn insert(&mut self, ids: &[u32]) {
        for &id in ids {
            let (word, bit) = Self::locate(id);
            if let Some(word) = self.words.get_mut(word) {
                *word |= bit;
            }
        }
    }

    /// Removes `ids`.
    pub fn remove(&mut self, ids: &[u32]) {
        for &id in ids {
            let (word, bit) = Self::locate(id);
            if let Some(word) = self.words.get_mut(word) {
                *word &= !bit;
            }
        }
    }

    /// How many of `ids` are in the set (with a sorted, distinct `ids` and set, what
    /// [`num_shared`] counts).
    pub fn count(&self, ids: &[u32]) -> usize {
        ids.iter()
            .map(|&id| {
                let (word, bit) = Self::locate(id);
                usize::from(self.words.get(word).is_some_and(|w| w & bit != 0))
            })
            .sum()
    }
}

/// Number of shared ids of two sorted id lists.
pub fn num_shared(lhs: &[u32], rhs: &[u32]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while let (Some(a), Some(b)) = (lhs.get(i), rhs.get(j)) {
        match a.cmp(b) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_listed_in_order_of_first_appearance_with_counts() {
        let (terms, occurrences) = Terms::of([7u64, 3, 7, 9, 3, 7]);
        assert_eq!(terms.distinct, [7, 3, 9]);
        assert_eq!(terms.counts, [3, 2, 1]);
        assert_eq!(occurrences, [0, 1, 0, 2, 1, 0]);
        let (words, _) = Terms::of(["质量", "品牌", "质量"].map(str::to_owned));
        assert_eq!(words.distinct, ["质量", "品牌"]);
        assert_eq!(words.counts_by_id(&[5, 2]), [(2, 1), (5, 2)]);
        let (empty, none) = Terms::<u64>::of([]);
        assert!(empty.distinct.is_empty() && none.is_empty());
    }

    #[test]
    fn masking_hides_places_numbers_and_formulas() {
        let masked: String = masked_chars(
            "进一步加强静安区质量品牌建设，到2025年新增10家",
            &["静安区".to_owned(), "静安".to_owned()],
            true,
        )
        .into_iter()
        .map(|c| if c == MASK { '_' } else { c })
        .collect();
        assert_eq!(masked, "___加强___质量品牌建设,到____年新增__家");
    }

    #[test]
    fn sparse_products() {
        assert!((dot(&[(1, 0.6), (3, 0.8)], &[(3, 1.0)]) - 0.8).abs() < 1e-6);
        assert_eq!(num_shared(&[1, 2, 5, 9], &[2, 3, 9]), 2);
    }
}
