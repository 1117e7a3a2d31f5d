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
    /// Agency types.
    types: BTreeSet<String>,
    /// Masked title.
    title: Vec<char>,
    /// Masked heading of the section the measure sits under.
    section: Vec<char>,
    /// Content words of the text.
    words: Vec<String>,
    /// Target metrics.
    metrics: Vec<String>,
}

/// Ids of a vocabulary of strings, with document frequencies.
#[derive(Default)]
struct Vocabulary {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
}

impl Vocabulary {
    /// Counts one document's distinct terms; returns their ids with counts.
    fn add_document(&mut self, terms: impl IntoIterator<Item = String>) -> Vec<(u32, u32)> {
        let mut counts: HashMap<u32, u32> = HashMap::new();
        for term in terms {
            let next = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
            let id = *self.ids.entry(term).or_insert(next);
            *counts.entry(id).or_default() += 1;
        }
        for id in counts.keys() {
            let slot = *id as usize;
            if self.df.len() <= slot {
                self.df.resize(slot + 1, 0);
            }
            if let Some(df) = self.df.get_mut(slot) {
                *df += 1;
            }
        }
        let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
        counts.sort_unstable();
        counts
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
    masked.windows(2).filter_map(|pair| {
        let [a, b] = pair else { return None };
        (is_han(*a) && is_han(*b)).then(|| (u64::from(*a as u32) << 32) | u64::from(*b as u32))
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
    pub vocabulary: HashMap<u64, u32>,
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
        let mut vocabulary: HashMap<u64, u32> = HashMap::new();
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

        // First pass: raw counts and document frequencies.
        struct Raw {
            counts: Vec<(u32, u32)>,
            positions: Vec<(u32, u32)>,
            themes: Vec<EffectiveTheme>,
            agencies: Vec<u32>,
            masked: Vec<char>,
            written: Option<Vec<char>>,
            title_counts: Vec<(u32, u32)>,
            section_counts: Vec<(u32, u32)>,
            word_counts: Vec<(u32, u32)>,
            concept_counts: Vec<(u32, u32)>,
            words: Vec<String>,
            metrics: Vec<String>,
        }
        // Masking, tagging and word cutting are independent per measure: done in parallel.
        let tagger = Tagger::new(codebook);
        let synonyms = super::terms::Synonyms::bundled();
        let prepared: Vec<Vec<Prepared>> = plans
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
                        Prepared {
                            words: super::terms::words(&masked),
                            metrics: super::terms::metrics(measure),
                            masked,
                            written,
                            themes,
                            types,
                            title,
                            section,
                        }
                    })
                    .collect()
            })
            .collect();

        let mut words_vocabulary = Vocabulary::default();
        let mut concepts_vocabulary = Vocabulary::default();
        let mut raw_plans: Vec<Vec<Raw>> = Vec::with_capacity(plans.len());
        for measures in prepared {
            let mut raws = Vec::with_capacity(measures.len());
            for prepared in measures {
                let Prepared {
                    masked,
                    written,
                    themes,
                    types,
                    title,
                    section,
                    words,
                    metrics,
                } = prepared;
                let mut counts: HashMap<u32, u32> = HashMap::new();
                let mut positions: Vec<(u32, u32)> = Vec::new();
                for (at, pair) in masked.windows(2).enumerate() {
                    let [a, b] = pair else { continue };
                    if !(is_han(*a) && is_han(*b)) {
                        continue;
                    }
                    let bigram = (u64::from(*a as u32) << 32) | u64::from(*b as u32);
                    let next_id = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                    let id = *vocabulary.entry(bigram).or_insert(next_id);
                    *counts.entry(id).or_default() += 1;
                    positions.push((id, u32::try_from(at).unwrap_or(u32::MAX)));
                }
                positions.sort_unstable();
                let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
                counts.sort_unstable();
                for (id, _) in &counts {
                    let slot = usize::try_from(*id).unwrap_or(usize::MAX);
                    if bigram_df.len() <= slot {
                        bigram_df.resize(slot + 1, 0);
                    }
                    if let Some(df) = bigram_df.get_mut(slot) {
                        *df += 1;
                    }
                }
                // Titles and headings share the text's bigram ids (and its document counts).
                let mut bigram_counts = |chars: &[char]| -> Vec<(u32, u32)> {
                    let mut counts: HashMap<u32, u32> = HashMap::new();
                    for bigram in han_bigrams(chars) {
                        let next_id = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                        let id = *vocabulary.entry(bigram).or_insert(next_id);
                        *counts.entry(id).or_default() += 1;
                    }
                    let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
                    counts.sort_unstable();
                    counts
                };
                let title_counts = bigram_counts(&title);
                let section_counts = bigram_counts(&section);
                let word_counts = words_vocabulary.add_document(words.iter().cloned());
                let concept_counts =
                    concepts_vocabulary.add_document(words.iter().map(|w| synonyms.concept(w)));
                let mut distinct_words = words;
                distinct_words.sort_unstable();
                distinct_words.dedup();
                for theme in &themes {
                    if let Some(df) = theme_index
                        .get(theme.theme_id.as_str())
                        .and_then(|&i| theme_df.get_mut(i as usize))
                    {
                        *df += 1;
                    }
                }
                let mut agencies = Vec::new();
                for agency_type in types {
                    let next = u32::try_from(agency_types.len()).unwrap_or(u32::MAX);
                    let id = *agency_index.entry(agency_type.clone()).or_insert_with(|| {
                        agency_types.push(agency_type);
                        agency_df.push(0);
                        next
                    });
                    if let Some(df) = agency_df.get_mut(id as usize) {
                        *df += 1;
                    }
                    agencies.push(id);
                }
                raws.push(Raw {
                    counts,
                    positions,
                    themes,
                    agencies,
                    masked,
                    written,
                    title_counts,
                    section_counts,
                    word_counts,
                    concept_counts,
                    words: distinct_words,
                    metrics,
                });
            }
            raw_plans.push(raws);
        }

        // Second pass: weights.
        let num_documents = raw_plans.iter().map(Vec::len).sum::<usize>();
        let n = num_documents as f32;
        let idf = |df: u32| ((n + 1.0) / (df as f32 + 0.5)).ln().max(0.0);
        let plans_features = raw_plans
            .into_par_iter()
            .enumerate()
            .map(|(plan_index, raws)| {
                raws.into_iter()
                    .enumerate()
                    .map(|(measure_index, raw)| {
                        let text_vector = normalise(
                            raw.counts
                                .iter()
                                .map(|&(id, count)| {
                                    let df = bigram_df.get(id as usize).copied().unwrap_or(1);
                                    (id, (1.0 + (count as f32).ln()) * idf(df))
                                })
                                .collect(),
                        );
                        let theme_vector = theme_vector(&raw.themes, &theme_index, &theme_df, &idf);
                        let tf_idf = |counts: &[(u32, u32)], df_of: &dyn Fn(u32) -> u32| {
                            normalise(
                                counts
                                    .iter()
                                    .map(|&(id, count)| {
                                        (id, (1.0 + (count as f32).ln()) * idf(df_of(id)))
                                    })
                                    .collect(),
                            )
                        };
                        let bigram_df_of =
                            |id: u32| bigram_df.get(id as usize).copied().unwrap_or(0);
                        let words_df_of =
                            |id: u32| words_vocabulary.df.get(id as usize).copied().unwrap_or(0);
                        let concepts_df_of = |id: u32| {
                            concepts_vocabulary
                                .df
                                .get(id as usize)
                                .copied()
                                .unwrap_or(0)
                        };
                        let title_vector = tf_idf(&raw.title_counts, &bigram_df_of);
                        let section_vector = tf_idf(&raw.section_counts, &bigram_df_of);
                        let word_vector = tf_idf(&raw.word_counts, &words_df_of);
                        let concept_vector = tf_idf(&raw.concept_counts, &concepts_df_of);
                        let agency_vector = normalise(
                            raw.agencies
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
                            words: raw.words,
                            metrics: raw.metrics,
                            bigram_ids: raw.counts.iter().map(|(id, _)| *id).collect(),
                            text_vector,
                            theme_vector,
                            themes: raw.themes,
                            agency_vector,
                            bigram_at: {
                                let mut at = vec![u32::MAX; raw.masked.len()];
                                for &(id, position) in &raw.positions {
                                    if let Some(slot) = at.get_mut(position as usize) {
                                        *slot = id;
                                    }
                                }
                                at
                            },
                            bigram_positions: raw.positions,
                            masked: raw.masked,
                            written: raw.written,
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
