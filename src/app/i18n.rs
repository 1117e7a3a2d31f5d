//! The app's words in Chinese and English; every label goes through [`Lang::tr`].

use serde::{Deserialize, Serialize};

use crate::model::{LinkKind, LinkStatus};
use crate::themes::{Codebook, Theme};

/// The UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language the system locale asks for (LC_ALL, LC_MESSAGES, LANG); Chinese for zh_*,
    /// English otherwise.
    pub fn from_environment() -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("zh") {
            Self::Zh
        } else {
            Self::En
        }
    }

    /// The text in this language.
    pub fn tr(self, text: Text) -> &'static str {
        let (zh, en) = text.pair();
        match self {
            Self::Zh => zh,
            Self::En => en,
        }
    }

    /// A theme's name in this language.
    pub fn theme_name(self, theme: &Theme) -> &str {
        match self {
            Self::Zh => &theme.zh,
            Self::En => &theme.en,
        }
    }

    /// The names of these theme ids in this language, joined with 、 (unknown ids skipped).
    pub fn theme_names(self, codebook: &Codebook, theme_ids: &[String]) -> String {
        theme_ids
            .iter()
            .filter_map(|id| codebook.theme(id))
            .map(|theme| self.theme_name(theme))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// A link kind's label.
    pub fn kind(self, kind: LinkKind) -> &'static str {
        self.tr(match kind {
            LinkKind::NearVerbatim => Text::NearVerbatim,
            LinkKind::Refined => Text::Refined,
            LinkKind::Related => Text::Related,
        })
    }

    /// A link status's label.
    pub fn status(self, status: LinkStatus) -> &'static str {
        self.tr(match status {
            LinkStatus::Accepted => Text::Accepted,
            LinkStatus::Rejected => Text::Rejected,
            LinkStatus::Unreviewed => Text::Unreviewed,
        })
    }
}

/// Every fixed text of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Menu.
    File,
    /// Menu.
    Language,
    /// Tab.
    SideBySide,
    /// Tab.
    Aligned,
    /// Column / sort key.
    Kind,
    /// Column / sort key.
    Status,
    /// Column / sort key.
    Themes,
    /// Sort key.
    PlanOrder,
    /// Label.
    SortBy,
    /// Panel heading.
    Library,
    /// Role of a plan.
    Left,
    /// Role of a plan.
    Right,
    /// Button.
    Swap,
    /// Counts.
    Measures,
    /// Counts.
    Links,
    /// Marker.
    Unmatched,
    /// Detail heading.
    Detail,
    /// Hint.
    SelectAMeasure,
    /// Label.
    SharedPhrases,
    /// Label.
    SharedThemes,
    /// Label.
    SharedUnits,
    /// Label.
    Score,
    /// Label.
    Diff,
    /// Menu entry.
    Quit,
    /// Link kind.
    NearVerbatim,
    /// Link kind.
    Refined,
    /// Link kind.
    Related,
    /// Heading.
    NoCounterpart,
    /// Button.
    Accept,
    /// Button.
    Reject,
    /// Link status.
    Accepted,
    /// Link status.
    Rejected,
    /// Link status.
    Unreviewed,
}

impl Text {
    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Self::File => ("文件", "File"),
            Self::Language => ("语言", "Language"),
            Self::SideBySide => ("并排", "Side by side"),
            Self::Aligned => ("对齐表", "Aligned table"),
            Self::Kind => ("类型", "Kind"),
            Self::Status => ("状态", "Status"),
            Self::Themes => ("主题", "Themes"),
            Self::PlanOrder => ("原文顺序", "Plan order"),
            Self::SortBy => ("排序", "Sort by"),
            Self::Library => ("规划库", "Plan library"),
            Self::Left => ("左", "Left"),
            Self::Right => ("右", "Right"),
            Self::Swap => ("左右互换", "Swap sides"),
            Self::Measures => ("条措施", "measures"),
            Self::Links => ("条关联", "links"),
            Self::Unmatched => ("无对应", "Unmatched"),
            Self::Detail => ("详情", "Detail"),
            Self::SelectAMeasure => (
                "点击左右任一措施查看关联与差异",
                "Select a measure to see its links and differences",
            ),
            Self::SharedPhrases => ("共同表述", "Shared phrases"),
            Self::SharedThemes => ("共同主题", "Shared themes"),
            Self::SharedUnits => ("共同单位", "Shared agencies"),
            Self::Score => ("相似度", "Score"),
            Self::Diff => ("文字差异", "Text difference"),
            Self::Quit => ("退出", "Quit"),
            Self::NearVerbatim => ("照搬", "near-verbatim"),
            Self::Refined => ("细化", "refined"),
            Self::Related => ("调整", "related"),
            Self::NoCounterpart => ("无对应措施", "No counterpart"),
            Self::Accept => ("接受", "Accept"),
            Self::Reject => ("拒绝", "Reject"),
            Self::Accepted => ("已接受", "accepted"),
            Self::Rejected => ("已拒绝", "rejected"),
            Self::Unreviewed => ("未审核", "unreviewed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_text() {
        for text in [Text::File, Text::Library, Text::Unmatched, Text::Diff] {
            assert!(!Lang::Zh.tr(text).is_empty() && !Lang::En.tr(text).is_empty());
            assert_ne!(Lang::Zh.tr(text), Lang::En.tr(text));
        }
    }
}
