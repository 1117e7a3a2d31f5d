//! The theme codebook (pillar → theme, loaded from `assets/themes.ron`) and auto-tagging of
//! measures by keyword, with manual tags kept apart and taking precedence.
//!
//! ```
//! let codebook = planalign::themes::Codebook::bundled();
//! let hits = codebook.auto_tag("加强质量品牌建设", "积极开展中国品牌日宣传活动，推进老字号保护。");
//! assert!(hits.iter().any(|hit| hit.theme_id == "enterprise.brand"));
//! ```

mod carry;
pub mod qdc;
mod tagging;

pub use carry::{TagSuggestion, carry_suggestions, is_accepted};
pub use tagging::{EffectiveTheme, TagOrigin, Tagger, ThemeHit, effective_themes};

use serde::{Deserialize, Serialize};

use crate::parse::text::key_of;

/// The codebook this build ships.
const BUNDLED: &str = include_str!("../../assets/themes.ron");

/// Why a codebook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CodebookError {
    /// Not valid RON for a codebook.
    #[error("malformed codebook ({0})")]
    Malformed(String),
    /// Two themes (or pillars) share an id.
    #[error("duplicate theme id in codebook: {0}")]
    DuplicateId(String),
    /// A colour is not `#RRGGBB` (or `#RGB`).
    #[error("theme {theme_id} has an invalid colour {color:?} (expected #RRGGBB)")]
    BadColor {
        /// The theme.
        theme_id: String,
        /// The colour as written.
        color: String,
    },
}

/// A two-level codebook: pillars, each with themes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Codebook {
    /// Format version of the codebook file.
    pub version: u32,
    /// Pillars in display order.
    pub pillars: Vec<Pillar>,
}

/// A pillar (top-level chapter) of the codebook.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pillar {
    /// Stable id, e.g. `economy`.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Themes in display order.
    pub themes: Vec<Theme>,
    /// The GUID a QDA tool gave the code, kept so a round trip returns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// Free text about the pillar (a QDA tool's code description).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A theme: stable id, names, colour and the keywords that suggest it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Theme {
    /// Stable id, `pillar.slug`.
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// `#RRGGBB`.
    pub color: String,
    /// Substrings that suggest the theme.
    pub keywords: Vec<String>,
    /// Substrings that cancel a weak (single-keyword) suggestion.
    pub negative: Vec<String>,
    /// The GUID a QDA tool gave the code, kept so a round trip returns it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    /// Free text about the theme (a QDA tool's code description).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl Theme {
    /// The colour as RGB bytes (grey when malformed).
    pub fn rgb(&self) -> [u8; 3] {
        parse_hex_color(&self.color).unwrap_or([0x99, 0x99, 0x99])
    }
}

impl Codebook {
    /// The codebook bundled with PlanAlign.
    pub fn bundled() -> Self {
        // The bundled file is checked by a test; an unreadable one degrades to an empty codebook.
        Self::from_ron(BUNDLED).unwrap_or_default()
    }

    /// Reads and validates a codebook from RON.
    pub fn from_ron(text: &str) -> Result<Self, CodebookError> {
        let codebook: Self = ron::from_str(text)
            .map_err(|err| CodebookError::Malformed(err.to_string().replace('\n', " ")))?;
        codebook.validate()?;
        Ok(codebook)
    }

    /// Checks ids are unique and colours well-formed.
    pub fn validate(&self) -> Result<(), CodebookError> {
        let mut seen = std::collections::BTreeSet::new();
        for pillar in &self.pillars {
            if !seen.insert(pillar.id.clone()) {
                return Err(CodebookError::DuplicateId(pillar.id.clone()));
            }
            for theme in &pillar.themes {
                if !seen.insert(theme.id.clone()) {
                    return Err(CodebookError::DuplicateId(theme.id.clone()));
                }
                if parse_hex_color(&theme.color).is_none() {
                    return Err(CodebookError::BadColor {
                        theme_id: theme.id.clone(),
                        color: theme.color.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every theme, in codebook order.
    pub fn themes(&self) -> impl Iterator<Item = &Theme> {
        self.pillars.iter().flat_map(|pillar| pillar.themes.iter())
    }

    /// The theme with this id.
    pub fn theme(&self, theme_id: &str) -> Option<&Theme> {
        self.themes().find(|theme| theme.id == theme_id)
    }

    /// The pillar a theme belongs to.
    pub fn pillar_of(&self, theme_id: &str) -> Option<&Pillar> {
        self.pillars
            .iter()
            .find(|pillar| pillar.themes.iter().any(|theme| theme.id == theme_id))
    }

    /// Themes suggested by keywords in a measure's title and text, strongest first.
    ///
    /// Each distinct keyword found counts once; a keyword in the title counts twice. A theme
    /// with a single keyword hit is weak, and a negative keyword cancels a weak suggestion.
    /// (To tag many measures, build a [`Tagger`] once.)
    pub fn auto_tag(&self, title: &str, text: &str) -> Vec<ThemeHit> {
        Tagger::new(self).tag(&match_key(title), &match_key(text))
    }
}

/// The text as keywords are matched against it: key-normalised, quotes and spaces removed.
pub fn match_key(text: &str) -> String {
    key_of(text)
        .chars()
        .filter(|&c| !is_dropped_for_matching(c))
        .collect()
}

/// Quotes, title marks and spaces (of a key): left out when text is matched.
pub fn is_dropped_for_matching(key_char: char) -> bool {
    matches!(
        key_char,
        '“' | '”' | '"' | '\'' | '‘' | '’' | '《' | '》' | '〈' | '〉' | ' ' | '「' | '」'
    )
}

fn parse_hex_color(color: &str) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    if hex.len() == 3 {
        // #ABC is #AABBCC (CSS and the REFI-QDA schema allow it).
        let nibble = |at: usize| u8::from_str_radix(hex.get(at..=at)?, 16).ok();
        return Some([nibble(0)? * 17, nibble(1)? * 17, nibble(2)? * 17]);
    }
    if hex.len() != 6 {
        return None;
    }
    let byte = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_codebook_is_valid_and_two_level() {
        let codebook = Codebook::from_ron(BUNDLED).unwrap();
        assert!(codebook.pillars.len() >= 9);
        assert!(codebook.themes().count() >= 25);
        for theme in codebook.themes() {
            assert!(theme.id.contains('.'), "{}", theme.id);
            assert!(!theme.keywords.is_empty(), "{}", theme.id);
            assert!(!theme.zh.is_empty() && !theme.en.is_empty());
        }
        assert_eq!(
            codebook
                .pillar_of("governance.credit")
                .map(|p| p.id.as_str()),
            Some("governance")
        );
    }

    #[test]
    fn invalid_codebooks_are_refused() {
        assert!(matches!(
            Codebook::from_ron("(version: 1, pillars: ["),
            Err(CodebookError::Malformed(_))
        ));
        let duplicate = r##"(version: 1, pillars: [(id: "a", themes: [(id: "a.x", color: "#112233"), (id: "a.x", color: "#112233")])])"##;
        assert!(matches!(
            Codebook::from_ron(duplicate),
            Err(CodebookError::DuplicateId(_))
        ));
        let bad_color =
            r##"(version: 1, pillars: [(id: "a", themes: [(id: "a.x", color: "red")])])"##;
        assert!(matches!(
            Codebook::from_ron(bad_color),
            Err(CodebookError::BadColor { .. })
        ));
    }
}
