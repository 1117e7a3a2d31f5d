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

pub(super) fn auto_tag(codebook: &Codebook, title_key: &str, text_key: &str) -> Vec<ThemeHit> {
    let mut hits: Vec<ThemeHit> = Vec::new();
    for theme in codebook.themes() {
        let mut strength = 0;
        let mut keywords = Vec::new();
        for keyword in &theme.keywords {
            if keyword.is_empty() {
                continue;
            }
            let in_title = title_key.contains(keyword.as_str());
            if in_title || text_key.contains(keyword.as_str()) {
                strength += if in_title { 2 } else { 1 };
                keywords.push(keyword.clone());
            }
        }
        if strength == 0 {
            continue;
        }
        let hit = ThemeHit {
            theme_id: theme.id.clone(),
            strength,
            keywords,
        };
        let cancelled = hit.is_weak()
            && theme
                .negative
                .iter()
                .any(|negative| !negative.is_empty() && text_key.contains(negative.as_str()));
        if !cancelled {
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
