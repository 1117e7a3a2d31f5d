//! Character diff of two linked measures, CJK-aware: each Han character is a token, ASCII words
//! are one token, punctuation is a token of its own (a boundary). Long inputs have a deadline;
//! past it the diff is coarser and says so.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::model::Side;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

/// A run of text and the text it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSegment {
    /// The side whose text alone holds the run; `None` when both texts hold it.
    pub only: Option<Side>,
    /// The text of the run.
    pub text: String,
}

/// The diff of two texts, as data for the app's diff view and the reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CharDiff {
    /// Segments in reading order (left-only before right-only where both replace a span).
    pub segments: Vec<DiffSegment>,
    /// Share of tokens in common: 2·equal / (left + right), 0–1.
    pub ratio: f32,
    /// The deadline was reached and the diff is coarser than it could be.
    pub timed_out: bool,
}

impl CharDiff {
    /// The segments of one side (shared runs and that side's own runs), in order.
    pub fn side(&self, side: Side) -> impl Iterator<Item = &DiffSegment> {
        self.segments
            .iter()
            .filter(move |s| s.only.is_none_or(|only| only == side))
    }
}

/// How long a diff may take before it settles for a coarser answer.
pub const DIFF_BUDGET: Duration = Duration::from_millis(100);

/// Diffs two texts token by token.
pub fn char_diff(lhs: &str, rhs: &str) -> CharDiff {
    let lhs_tokens = tokens(lhs);
    let rhs_tokens = tokens(rhs);
    let deadline = Instant::now() + DIFF_BUDGET;
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &lhs_tokens, &rhs_tokens, Some(deadline));
    let timed_out = Instant::now() > deadline;
    let mut segments: Vec<DiffSegment> = Vec::new();
    let mut push = |only: Option<Side>, parts: &[&str]| {
        if parts.is_empty() {
            return;
        }
        let text: String = parts.concat();
        match segments.last_mut() {
            Some(last) if last.only == only => last.text.push_str(&text),
            _ => segments.push(DiffSegment { only, text }),
        }
    };
    let mut equal = 0usize;
    for op in ops {
        let (tag, old, new) = op.as_tag_tuple();
        let old_part = lhs_tokens.get(old.clone()).unwrap_or_default();
        let new_part = rhs_tokens.get(new.clone()).unwrap_or_default();
        match tag {
            DiffTag::Equal => {
                equal += old.len();
                push(None, old_part);
            }
            DiffTag::Delete => push(Some(Side::Left), old_part),
            DiffTag::Insert => push(Some(Side::Right), new_part),
            DiffTag::Replace => {
                push(Some(Side::Left), old_part);
                push(Some(Side::Right), new_part);
            }
        }
    }
    let total = lhs_tokens.len() + rhs_tokens.len();
    CharDiff {
        segments,
        ratio: if total == 0 {
            1.0
        } else {
            (2 * equal) as f32 / total as f32
        },
        timed_out,
    }
}

/// Tokens: a Han character, a run of ASCII letters and digits, or any other single character.
pub fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    for (at, ch) in text.char_indices() {
        if ch.is_ascii_alphanumeric() {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            out.extend(text.get(start..at));
        }
        out.extend(text.get(at..at + ch.len_utf8()));
    }
    if let Some(start) = word_start {
        out.extend(text.get(start..));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_cjk_aware() {
        assert_eq!(
            tokens("推行IDI保险，98%"),
            ["推", "行", "IDI", "保", "险", "，", "98", "%"]
        );
    }

    #[test]
    fn diff_segments_and_ratio() {
        let diff = char_diff("完善市政府质量奖制度", "完善区政府质量奖制度");
        let sides: Vec<(Option<Side>, &str)> = diff
            .segments
            .iter()
            .map(|s| (s.only, s.text.as_str()))
            .collect();
        assert_eq!(
            sides,
            [
                (None, "完善"),
                (Some(Side::Left), "市"),
                (Some(Side::Right), "区"),
                (None, "政府质量奖制度"),
            ]
        );
        assert!((diff.ratio - 0.9).abs() < 1e-6);
        assert!(!diff.timed_out);
        let left: String = diff.side(Side::Left).map(|s| s.text.as_str()).collect();
        assert_eq!(left, "完善市政府质量奖制度");
    }
}
