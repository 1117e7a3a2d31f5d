//! Evidence beyond character bigrams: words (jieba), concepts (words folded into synonym groups,
//! so different wordings of one topic meet), the section heading a measure sits under, and the
//! target metrics it sets (合格率, 覆盖率 …).

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use jieba_rs::Jieba;
use regex::Regex;

use crate::model::{Measure, Plan, Section};
use crate::parse::text::is_han;

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

/// The word segmenter, built once (its dictionary takes a moment to load).
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Loads the word segmenter's dictionary now, on a thread of its own, so that it is ready by
/// the time measures are cut into words (a corpus run calls this before it reads the files).
pub fn load_in_background() {
    std::thread::spawn(|| {
        jieba();
    });
}

/// Content words of masked text: jieba's words of two or more Han characters, without the
/// most generic verbs of plan language. Masked characters break words.
pub fn words(masked: &[char]) -> Vec<String> {
    let text: String = masked
        .iter()
        .map(|&c| if is_han(c) { c } else { '，' })
        .collect();
    jieba()
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
