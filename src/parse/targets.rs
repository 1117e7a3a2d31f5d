//! Quantitative targets in plan text: percentages, counts, money and deadlines, each with its
//! sentence, so targets can be compared across plans.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Target, TargetKind};

use super::text::{is_han, key_of};

struct Pattern {
    kind: TargetKind,
    regex: Regex,
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let specs: [(TargetKind, &str); 4] = [
        (
            TargetKind::Percent,
            r"(?:\d+(?:\.\d+)?\s*[-~至到]\s*)?(\d+(?:\.\d+)?)\s*(%|个百分点)(?:以上|以下|左右)?",
        ),
        (
            TargetKind::Money,
            r"(\d+(?:\.\d+)?)\s*(亿元|万元|千元|元)(?:以上|以下|左右)?",
        ),
        (
            TargetKind::Count,
            r"(?:\d+\s*[-~至到]\s*)?(\d+(?:\.\d+)?)\s*(万人次|万人|万家|万户|万吨|万件|万个|家次|人次|家|个|项|所|种|名|人|座|条|批|户|件|支|套|款|次)(?:以上|以下|左右)?",
        ),
        (
            TargetKind::Deadline,
            r"(?:到|至|于)\s*(\d{4})\s*(年)(?:底|末|前)?",
        ),
    ];
    specs
        .into_iter()
        .filter_map(|(kind, pattern)| {
            Regex::new(pattern)
                .ok()
                .map(|regex| Pattern { kind, regex })
        })
        .collect()
});

/// All targets in `text`, in order of appearance.
pub fn find_targets(text: &str) -> Vec<Target> {
    let key = key_of(text);
    // Every pattern needs a digit (`\d`: any Unicode decimal digit, which is numeric and never
    // a Han character; those are most of the text and skip the numeric table).
    if !key
        .chars()
        .any(|c| c.is_ascii_digit() || (!c.is_ascii() && !is_han(c) && c.is_numeric()))
    {
        return Vec::new();
    }
    // Byte offset in `key` → char index, to cut the original text by characters.
    let char_starts: Vec<usize> = key.char_indices().map(|(at, _)| at).collect();
    let to_char = |byte: usize| char_starts.partition_point(|&start| start < byte);
    let original: Vec<char> = text.chars().collect();
    let mut found: Vec<(usize, usize, Target)> = Vec::new();
    for pattern in PATTERNS.iter() {
        for captures in pattern.regex.captures_iter(&key) {
            let (Some(whole), Some(value), Some(unit)) =
                (captures.get(0), captures.get(1), captures.get(2))
            else {
                continue;
            };
            let (start, end) = (to_char(whole.start()), to_char(whole.end()));
            if found.iter().any(|(s, e, _)| start < *e && *s < end) {
                continue;
            }
            // A number glued to a preceding digit or letter is part of something else (12315).
            if start > 0
                && original
                    .get(start - 1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
            {
                continue;
            }
            let Ok(number) = value.as_str().parse::<f64>() else {
                continue;
            };
            found.push((
                start,
                end,
                Target {
                    kind: pattern.kind,
                    value: number,
                    unit: unit.as_str().to_owned(),
                    text: original
                        .get(start..end)
                        .unwrap_or_default()
                        .iter()
                        .collect(),
                    sentence: sentence_around(&original, start, end),
                },
            ));
        }
    }
    found.sort_by_key(|(start, _, _)| *start);
    found.into_iter().map(|(_, _, target)| target).collect()
}

fn sentence_around(chars: &[char], start: usize, end: usize) -> String {
    let is_break = |c: &char| matches!(c, '。' | '；' | ';' | '！' | '？' | '\n');
    let from = chars
        .get(..start)
        .and_then(|head| head.iter().rposition(is_break))
        .map_or(0, |at| at + 1);
    let to = chars
        .get(end..)
        .and_then(|tail| tail.iter().position(is_break))
        .map_or(chars.len(), |at| end + at + 1);
    let sentence: String = chars.get(from..to).unwrap_or_default().iter().collect();
    sentence
        .trim_start_matches(['—', '-', ' '])
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_values_and_sentences() {
        let text = "到2025年，农产品质量安全例行监测合格率达到98%以上。全区高新技术企业数量达到3000家；一次性奖励100万元。";
        let targets = find_targets(text);
        let summary: Vec<(TargetKind, f64, &str)> = targets
            .iter()
            .map(|t| (t.kind, t.value, t.unit.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (TargetKind::Deadline, 2025.0, "年"),
                (TargetKind::Percent, 98.0, "%"),
                (TargetKind::Count, 3000.0, "家"),
                (TargetKind::Money, 100.0, "万元"),
            ]
        );
        assert_eq!(targets[2].sentence, "全区高新技术企业数量达到3000家；");
        assert_eq!(targets[1].text, "98%以上");
    }

    #[test]
    fn ranges_full_width_and_non_targets() {
        let targets = find_targets(
            "推荐1-2个成熟的区级项目，比例达到４.５％。贯彻12315热线，2021年是开局之年。",
        );
        let values: Vec<f64> = targets.iter().map(|t| t.value).collect();
        assert_eq!(values, [2.0, 4.5]);
    }
}
