//! Auto-tagging by keywords, and the effective themes of a measure once manual tags override.

use serde::{Deserialize, Serialize};

use super::Codebook;

/// A theme suggested by keywords.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeHit {
    /// The theme.
    pub theme_id: String,
    /// Strength: distinct keywords found, a title keyword counting twice.
    pub strength: u32,
    /// The keywords found, in codebook order.
    pub keywords: Vec<String>,
}

impl ThemeHit {
    /// A single plain keyword hit is weak evidence.
    pub fn is_weak(&self) -> bool {
        self.strength < 2
    }
}

/// Keyword matcher for a codebook: every keyword and negative keyword in one Aho-Corasick
/// automaton, so a measure is scanned once rather than once per keyword.
pub struct Tagger {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: (theme index, is negative).
    patterns: Vec<(usize, bool)>,
    /// Per pattern: the keyword.
    words: Vec<String>,
    theme_ids: Vec<String>,
}

impl Tagger {
    /// Builds the matcher for a codebook.
    pub fn new(codebook: &Codebook) -> Self {
        let mut words: Vec<&str> = Vec::new();
        let mut patterns = Vec::new();
        let mut theme_ids = Vec::new();
        for (index, theme) in codebook.themes().enumerate() {
            theme_ids.push(theme.id.clone());
            for (negative, list) in [(false, &theme.keywords), (true, &theme.negative)] {
                for word in list.iter().filter(|w| !w.is_empty()) {
                    words.push(word.as_str());
                    patterns.push((index, negative));
                }
            }
        }
        Self {
            automaton: aho_corasick::AhoCorasick::new(&words).ok(),
            patterns,
            words: words.into_iter().map(str::to_owned).collect(),
            theme_ids,
        }
    }

    /// Themes suggested by keywords in `title_key` and `text_key` (see [`Codebook::auto_tag`]).
    pub fn tag(&self, title_key: &str, text_key: &str) -> Vec<ThemeHit> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        // Per pattern: 0 not found, 1 in the text, 2 in the title.
        let mut found = vec![0u8; self.patterns.len()];
        for (weight, haystack) in [(2u8, title_key), (1u8, text_key)] {
            for hit in automaton.find_overlapping_iter(haystack) {
                if let Some(slot) = found.get_mut(hit.pattern().as_usize()) {
                    *slot = (*slot).max(weight);
                }
            }
        }
        let mut strength = vec![0u32; self.theme_ids.len()];
        let mut keywords: Vec<Vec<usize>> = vec![Vec::new(); self.theme_ids.len()];
        let mut negated = vec![false; self.theme_ids.len()];
        for (pattern, (&(theme, negative), &weight)) in self.patterns.iter().zip(&found).enumerate()
        {
            if weight == 0 {
                continue;
            }
            if negative {
                if weight == 1 {
                    if let Some(flag) = negated.get_mut(theme) {
                        *flag = true;
                    }
                }
            } else if let (Some(total), Some(list)) =
                (strength.get_mut(theme), keywords.get_mut(theme))
            {
                *total += u32::from(weight);
                list.push(pattern);
            }
        }
        let words = |patterns: &[usize]| -> Vec<String> {
            patterns
                .iter()
                .filter_map(|&p| self.words.get(p).cloned())
                .collect()
        };
        let mut hits: Vec<ThemeHit> = Vec::new();
        for (theme, theme_id) in self.theme_ids.iter().enumerate() {
            let total = strength.get(theme).copied().unwrap_or(0);
            if total == 0 {
                continue;
            }
            let hit = ThemeHit {
                theme_id: theme_id.clone(),
                strength: total,
                keywords: words(keywords.get(theme).map(Vec::as_slice).unwrap_or_default()),
            };
            if !(hit.is_weak() && negated.get(theme).copied().unwrap_or(false)) {
                hits.push(hit);
            }
        }
        hits.sort_by(|a, b| {
            b.strength
                .cmp(&a.strength)
                .then_with(|| a.theme_id.cmp(&b.theme_id))
        });
        hits
    }
}

/// Where a measure's theme comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagOrigin {
    /// Suggested by keywords.
    Auto,
    /// Added by the analyst.
    Manual,
}

/// A theme a measure carries after manual tags have overridden auto tags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectiveTheme {
    /// The theme.
    pub theme_id: String,
    /// Auto or manual.
    pub origin: TagOrigin,
    /// Weight as evidence: manual 1.0, strong auto 0.7, weak auto 0.35.
    pub weight: f32,
}

/// Auto hits, minus themes the analyst removed, plus themes the analyst added (manual wins).
/// Sorted by theme id.
pub fn effective_themes(
    hits: &[ThemeHit],
    added: &[String],
    removed: &[String],
) -> Vec<EffectiveTheme> {
    let mut themes: Vec<EffectiveTheme> = hits
        .iter()
        .filter(|hit| !removed.contains(&hit.theme_id) && !added.contains(&hit.theme_id))
        .map(|hit| EffectiveTheme {
            theme_id: hit.theme_id.clone(),
            origin: TagOrigin::Auto,
            weight: if hit.is_weak() { 0.35 } else { 0.7 },
        })
        .collect();
    themes.extend(added.iter().map(|theme_id| EffectiveTheme {
        theme_id: theme_id.clone(),
        origin: TagOrigin::Manual,
        weight: 1.0,
    }));
    themes.sort_by(|a, b| a.theme_id.cmp(&b.theme_id));
    themes.dedup_by(|a, b| a.theme_id == b.theme_id);
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_tags_override_auto_tags() {
        let hits = vec![
            ThemeHit {
                theme_id: "a.x".into(),
                strength: 3,
                keywords: vec![],
            },
            ThemeHit {
                theme_id: "b.y".into(),
                strength: 1,
                keywords: vec![],
            },
        ];
        let themes = effective_themes(&hits, &["c.z".to_owned()], &["a.x".to_owned()]);
        let summary: Vec<(&str, TagOrigin)> = themes
            .iter()
            .map(|t| (t.theme_id.as_str(), t.origin))
            .collect();
        assert_eq!(
            summary,
            [("b.y", TagOrigin::Auto), ("c.z", TagOrigin::Manual)]
        );
        assert!(themes[1].weight > themes[0].weight);
    }

    #[test]
    fn title_keywords_count_double_and_negatives_cancel_weak_hits() {
        let codebook = Codebook::bundled();
        let hits = codebook.auto_tag("完善质量激励制度", "发布实施政府质量奖管理办法。");
        assert!(
            hits.iter()
                .any(|h| h.theme_id == "governance.policy" && !h.is_weak())
        );
        let all_weak_cancelled = codebook.auto_tag("", "开展世界计量日宣传活动");
        assert!(
            !all_weak_cancelled
                .iter()
                .any(|h| h.theme_id == "infrastructure.metrology")
        );
    }
}
