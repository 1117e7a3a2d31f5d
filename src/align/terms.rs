//! Evidence beyond character bigrams: words (jieba), concepts (words folded into synonym groups,
//! so different wordings of one topic meet), the section heading a measure sits under, and the
//! target metrics it sets (合格率, 覆盖率 …).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock, PoisonError};

use jieba_rs::Jieba;
use regex::Regex;

use crate::model::{Measure, Plan, Section};
use crate::parse::text::{is_han, key_char, width_char};

/// The synonym groups shipped in `assets/synonyms/` (see its README for source and licence).
const SYNONYMS: &str = include_str!("../../assets/synonyms/synonyms.txt");

/// Words too common in plan language to be evidence on their own (IDF weighs the rest).
const STOP_WORDS: &[&str] = &[
    "加强",
    "推进",
    "推动",
    "开展",
    "提升",
    "提高",
    "完善",
    "建立",
    "健全",
    "实施",
    "落实",
    "促进",
    "强化",
    "深化",
    "支持",
    "鼓励",
    "引导",
    "发挥",
    "作用",
    "工作",
    "相关",
    "有关",
    "进一步",
    "不断",
    "持续",
    "全面",
    "积极",
    "重点",
    "主要",
    "建设",
    "发展",
    "质量",
];

/// Whether `word` is one of [`STOP_WORDS`] (hashed once, then looked up: every word of every
/// measure is checked).
fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<foldhash::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// jieba's dictionary, `word frequency tag` per line (see `assets/jieba/README.md`).
const DICTIONARY: &str = include_str!("../../assets/jieba/dict.txt");

/// The total frequency of [`DICTIONARY`]'s words (a test checks it).
const DICTIONARY_TOTAL: usize = 60_101_964;

/// A word of one private-use character, which [`words`] never passes to the segmenter (it
/// passes Han characters and `，` only): a restricted dictionary gives it the frequency of the
/// words it leaves out, so that its total is the whole dictionary's.
const LEFT_OUT: &str = "\u{E000}";

/// A set of characters, one bit per code point.
#[derive(Clone)]
struct CharSet {
    bits: Vec<u64>,
}

impl Default for CharSet {
    fn default() -> Self {
        Self {
            bits: vec![0; (u32::from(char::MAX) as usize + 1).div_ceil(64)],
        }
    }
}

impl CharSet {
    fn insert(&mut self, c: char) {
        let at = u32::from(c) as usize;
        if let Some(word) = self.bits.get_mut(at / 64) {
            *word |= 1 << (at % 64);
        }
    }

    fn contains(&self, c: char) -> bool {
        let at = u32::from(c) as usize;
        self.bits
            .get(at / 64)
            .is_some_and(|word| word & (1 << (at % 64)) != 0)
    }

    /// The characters of the texts of `plans`' measures.
    fn of_measure_texts(plans: &[Plan]) -> Self {
        let mut set = Self::default();
        for measure in plans.iter().flat_map(|plan| &plan.measures) {
            for c in measure.text.chars() {
                set.insert(c);
            }
        }
        set
    }

    /// The characters in the set, in code point order.
    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.bits.iter().enumerate().flat_map(|(at, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                let bit = rest.trailing_zeros();
                (bit < 64).then(|| {
                    rest &= rest - 1;
                    let code = u32::try_from(at * 64)
                        .unwrap_or(u32::MAX)
                        .saturating_add(bit);
                    char::from_u32(code)
                })
            })
            .flatten()
        })
    }

    /// The characters [`words`] can give the segmenter for texts of these characters: their
    /// Han characters as written and as masking folds them (full width, traditional), and `，`.
    fn as_segmented(&self) -> Self {
        let mut set = Self::default();
        set.insert('，');
        for c in self.chars() {
            for c in [c, width_char(c), key_char(c)] {
                if is_han(c) {
                    set.insert(c);
                }
            }
        }
        set
    }
}

/// The word segmenter with the whole dictionary, or with the words of some characters only.
struct Segmenter {
    jieba: Jieba,
    /// The characters of the words loaded; `None` for all of them.
    chars: Option<CharSet>,
}

impl Segmenter {
    /// The dictionary's words for which `keep` holds, and one word of frequency of all the
    /// others (so that the total frequency, which every cut's probability is relative to, is
    /// the whole dictionary's).
    fn load(keep: impl Fn(&str) -> bool) -> Jieba {
        let mut jieba = Jieba::empty();
        let mut kept = 0usize;
        for line in DICTIONARY.lines() {
            // The word first: most lines of a restricted load go no further.
            let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
            if word.is_empty() || !keep(word) {
                continue;
            }
            let mut fields = rest.split_ascii_whitespace();
            let frequency = fields
                .next()
                .and_then(|f| f.parse::<usize>().ok())
                .unwrap_or(0);
            jieba.add_word(word, Some(frequency), fields.next());
            kept = kept.saturating_add(frequency);
        }
        let left_out = DICTIONARY_TOTAL.saturating_sub(kept);
        if left_out > 0 {
            jieba.add_word(LEFT_OUT, Some(left_out), None);
        }
        jieba
    }

    fn whole() -> Self {
        Self {
            jieba: Self::load(|_| true),
            chars: None,
        }
    }

    /// The words made of `chars` only (as [`CharSet::as_segmented`] gives them): the
    /// segmenter cuts any text of those characters exactly as the whole dictionary does,
    /// because a cut depends only on the words found in the text, their frequencies and the
    /// total.
    fn of_chars(chars: CharSet) -> Self {
        let jieba = Self::load(|word| word.chars().all(|c| chars.contains(c)));
        Self {
            jieba,
            chars: Some(chars),
        }
    }

    /// Whether this segmenter cuts `text` as the whole dictionary does.
    fn covers(&self, text: &str) -> bool {
        self.chars
            .as_ref()
            .is_none_or(|chars| text.chars().all(|c| chars.contains(c)))
    }
}

/// The segmenter with the whole dictionary, loaded on first use.
fn whole_segmenter() -> &'static Segmenter {
    static WHOLE: OnceLock<Segmenter> = OnceLock::new();
    WHOLE.get_or_init(Segmenter::whole)
}

/// The segmenter of a corpus run, once loaded; while [`load_for_corpus`] loads it, the thread
/// that does.
static CORPUS_SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
static CORPUS_SEGMENTER_LOADING: Mutex<Option<std::thread::JoinHandle<()>>> = Mutex::new(None);

/// The segmenter of a corpus run, waiting for it while it loads; `None` when there is none.
fn corpus_segmenter() -> Option<&'static Segmenter> {
    if let Some(segmenter) = CORPUS_SEGMENTER.get() {
        return Some(segmenter);
    }
    // The lock is held while the thread is joined, so that every caller waits for it.
    let mut loading = CORPUS_SEGMENTER_LOADING
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(thread) = loading.take() {
        // A thread that failed leaves no segmenter: texts are cut with the whole dictionary.
        let _ = thread.join();
    }
    CORPUS_SEGMENTER.get()
}

/// The segmenter to cut `text` with: the corpus run's when it covers the text, else the whole
/// dictionary's.
fn segmenter_for(text: &str) -> &'static Segmenter {
    match corpus_segmenter() {
        Some(corpus) if corpus.covers(text) => corpus,
        _ => whole_segmenter(),
    }
}

/// Loads, on a thread of its own, the segmenter for the measure texts of `plans` (the words
/// of their characters: a fraction of the dictionary), so that it is ready by the time their
/// measures are cut into words. For a corpus run, which knows all its texts up front; the
/// first call of a process counts, and a text its segmenter does not cover is cut with the
/// whole dictionary.
pub fn load_for_corpus(plans: &[Plan]) {
    let mut loading = CORPUS_SEGMENTER_LOADING
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if loading.is_some() || CORPUS_SEGMENTER.get().is_some() {
        return;
    }
    let written = CharSet::of_measure_texts(plans);
    // Without a thread, texts are cut with the whole dictionary.
    *loading = std::thread::Builder::new()
        .name("segmenter".to_owned())
        .spawn(move || {
            CORPUS_SEGMENTER.get_or_init(|| Segmenter::of_chars(written.as_segmented()));
        })
        .ok();
}

/// Content words of masked text: jieba's words of two or more Han characters, without the
/// most generic verbs of plan language. Masked characters break words.
pub fn words(masked: &[char]) -> Vec<String> {
    let text: String = masked
        .iter()
        .map(|&c| if is_han(c) { c } else { '，' })
        .collect();
    segmenter_for(&text)
        .jieba
        .cut(&text, false)
        .into_iter()
        .map(|token| token.word)
        .filter(|word| word.chars().count() >= 2 && word.chars().all(is_han))
        .filter(|word| !is_stop_word(word))
        .map(str::to_owned)
        .collect()
}

/// Synonym groups: each word of a group maps to the group's number.
#[derive(Debug, Default)]
pub struct Synonyms {
    group_of: foldhash::HashMap<String, u32>,
    num_groups: u32,
}

impl Synonyms {
    /// Reads groups, one per line, words separated by spaces; `#` lines are comments. A word
    /// in several groups joins the first.
    pub fn parse(text: &str) -> Self {
        let mut group_of = foldhash::HashMap::default();
        let mut num_groups = 0;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.len() < 2 {
                continue;
            }
            for word in words {
                group_of.entry(word.to_owned()).or_insert(num_groups);
            }
            num_groups += 1;
        }
        Self {
            group_of,
            num_groups,
        }
    }

    /// The shipped groups, read once.
    pub fn bundled() -> &'static Self {
        static SHIPPED: OnceLock<Synonyms> = OnceLock::new();
        SHIPPED.get_or_init(|| Self::parse(SYNONYMS))
    }

    /// The concept a word stands for: `~N` for a synonym group, else the word itself.
    pub fn concept(&self, word: &str) -> String {
        match self.group_of.get(word) {
            Some(group) => format!("~{group}"),
            None => word.to_owned(),
        }
    }

    /// How many groups there are.
    pub fn num_groups(&self) -> u32 {
        self.num_groups
    }

    /// The words of the group a concept (`~N`) names, sorted.
    pub fn members(&self, concept: &str) -> Vec<&str> {
        let Some(group) = concept
            .strip_prefix('~')
            .and_then(|n| n.parse::<u32>().ok())
        else {
            return vec![];
        };
        let mut words: Vec<&str> = self
            .group_of
            .iter()
            .filter(|&(_, g)| *g == group)
            .map(|(w, _)| w.as_str())
            .collect();
        words.sort_unstable();
        words
    }
}

/// The metrics a measure's targets are set in (合格率, 覆盖率, 满意度 …), from the sentences
/// that set them.
pub fn metrics(measure: &Measure) -> Vec<String> {
    static METRIC: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(metric) = METRIC
        .get_or_init(|| {
            Regex::new(r"(\p{Han}{1,4}?(?:率|度|指数|比例|比重|面积|总量|数量|占比))").ok()
        })
        .as_ref()
    else {
        return vec![];
    };
    let mut found: BTreeSet<String> = BTreeSet::new();
    for target in &measure.targets {
        for hit in metric.find_iter(&target.sentence) {
            // Keep the last two characters before the suffix: 产品抽检合格率 → 检合格率 is too
            // specific, 合格率 is the metric.
            let chars: Vec<char> = hit.as_str().chars().collect();
            let keep = chars.len().min(3);
            let key: String = chars
                .get(chars.len() - keep..)
                .unwrap_or(&chars)
                .iter()
                .collect();
            found.insert(key);
        }
    }
    found.into_iter().collect()
}

/// The heading of the section each item sits directly under, by item id.
pub fn section_headings(plan: &Plan) -> HashMap<String, String> {
    fn walk(sections: &[Section], out: &mut HashMap<String, String>) {
        for section in sections {
            for id in &section.item_ids {
                out.insert(id.clone(), section.title.clone());
            }
            walk(&section.children, out);
        }
    }
    let mut out = HashMap::new();
    walk(&plan.sections, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_content_words_of_two_or_more_han_characters() {
        let chars: Vec<char> = "加强质量品牌建设，开展区域品牌创建活动".chars().collect();
        let words = words(&chars);
        assert!(words.contains(&"品牌".to_owned()), "{words:?}");
        assert!(!words.contains(&"加强".to_owned()));
        assert!(words.iter().all(|w| w.chars().count() >= 2));
    }

    /// Texts as [`words`] gives them to the segmenter: the measure texts of the bundled plans
    /// and of a traditional-character plan, as written and as masking folds them.
    fn segmentable_texts(plans: &[Plan]) -> Vec<String> {
        let segmentable = |chars: &mut dyn Iterator<Item = char>| -> String {
            chars.map(|c| if is_han(c) { c } else { '，' }).collect()
        };
        plans
            .iter()
            .flat_map(|plan| &plan.measures)
            .flat_map(|measure| {
                [
                    segmentable(&mut measure.text.chars()),
                    segmentable(&mut measure.text.chars().map(key_char)),
                ]
            })
            .collect()
    }

    /// A plan in traditional characters, which masking folds to simplified ones.
    fn traditional_plan() -> Plan {
        crate::parse::parse_text(
            "臺北市品質發展工作要點\n一、推動標準國際化，強化檢驗檢測機構認證與計量服務。\n\
             二、開展質量提升行動，鼓勵企業導入卓越績效管理模式，擴大優質產品供給。\n",
            "taipei.txt",
        )
        .expect("a plan")
    }

    fn test_plans() -> Vec<Plan> {
        let mut plans = crate::library::bundled_plans();
        plans.push(traditional_plan());
        plans
    }

    fn cuts<'t>(jieba: &Jieba, text: &'t str) -> Vec<&'t str> {
        jieba
            .cut(text, false)
            .into_iter()
            .map(|token| token.word)
            .collect()
    }

    #[test]
    fn the_dictionary_total_is_the_sum_of_its_frequencies() {
        let mut total = 0;
        for line in DICTIONARY.lines() {
            let fields: Vec<&str> = line.split(' ').collect();
            assert_eq!(fields.len(), 3, "word, frequency and tag: {line}");
            total += fields[1].parse::<usize>().expect("a frequency");
        }
        assert_eq!(total, DICTIONARY_TOTAL);
    }

    #[test]
    fn the_dictionary_copy_cuts_as_jieba_rs_own_dictionary() {
        let theirs = Jieba::new();
        let ours = Segmenter::whole();
        for text in segmentable_texts(&test_plans()) {
            assert_eq!(cuts(&ours.jieba, &text), cuts(&theirs, &text), "{text}");
        }
    }

    #[test]
    fn a_corpus_segmenter_cuts_its_texts_as_the_whole_dictionary() {
        let whole = whole_segmenter();
        for plans in [vec![traditional_plan()], test_plans()] {
            let chars = CharSet::of_measure_texts(&plans).as_segmented();
            let corpus = Segmenter::of_chars(chars);
            for text in &segmentable_texts(&plans) {
                assert!(corpus.covers(text), "{text}");
                assert_eq!(
                    cuts(&corpus.jieba, text),
                    cuts(&whole.jieba, text),
                    "{text}"
                );
            }
        }
        let plans = test_plans();
        assert!(segmentable_texts(&plans).len() > 100);
        let corpus = Segmenter::of_chars(CharSet::of_measure_texts(&plans).as_segmented());
        // It holds the words of the corpus's characters only.
        assert!(corpus.jieba.has_word("质量") && !corpus.jieba.has_word("蜻蜓"));
        assert!(!corpus.covers("蜻蜓点水") && whole.covers("蜻蜓点水"));
    }

    #[test]
    fn every_stop_word_is_found_and_no_other_word() {
        for word in STOP_WORDS {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["品牌", "质量品牌", "加", "", "建设工程"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }

    #[test]
    fn synonyms_fold_words_of_one_group() {
        let synonyms = Synonyms::parse("# test\n宣传 宣扬 传播\n监管 监督\n孤词\n");
        assert_eq!(synonyms.concept("宣扬"), synonyms.concept("传播"));
        assert_ne!(synonyms.concept("宣传"), synonyms.concept("监管"));
        assert_eq!(synonyms.concept("孤词"), "孤词");
        assert_eq!(
            synonyms.members(&synonyms.concept("监督")),
            ["监督", "监管"]
        );
        assert_eq!(synonyms.num_groups(), 2);
    }

    #[test]
    fn metrics_come_from_target_sentences() {
        let measure = Measure {
            targets: vec![crate::model::Target {
                kind: crate::model::TargetKind::Percent,
                value: 95.0,
                unit: "%".to_owned(),
                text: "95%以上".to_owned(),
                sentence: "产品质量监督抽查合格率稳定在95%以上，群众满意度达到90分".to_owned(),
            }],
            ..Measure::default()
        };
        let metrics = metrics(&measure);
        assert!(metrics.contains(&"合格率".to_owned()), "{metrics:?}");
        assert!(metrics.contains(&"满意度".to_owned()), "{metrics:?}");
    }
}
