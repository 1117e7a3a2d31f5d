//! Links between measures of two plans, and the analyst's decisions about them.

use serde::{Deserialize, Serialize};

/// How closely two linked measures correspond.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// 照搬: the text is carried over nearly word for word.
    NearVerbatim,
    /// 细化: one measure carries the other's substance and adds detail.
    Refined,
    /// 调整: related or adapted commitment.
    #[default]
    Related,
}

impl LinkKind {
    /// The snake_case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NearVerbatim => "near_verbatim",
            Self::Refined => "refined",
            Self::Related => "related",
        }
    }
}

/// Who made a link.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkOrigin {
    /// Suggested by the matcher.
    #[default]
    Auto,
    /// Added by the analyst.
    Manual,
}

impl LinkOrigin {
    /// The snake_case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Manual => "manual",
        }
    }
}

/// The analyst's verdict on a link.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// Not looked at yet.
    #[default]
    Unreviewed,
    /// Confirmed.
    Accepted,
    /// Refused; kept so re-alignment does not suggest it again as new.
    Rejected,
}

impl LinkStatus {
    /// The snake_case name used in JSON and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreviewed => "unreviewed",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

/// One measure of one plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureRef {
    /// The plan's id.
    pub plan_id: String,
    /// The measure's id within the plan.
    pub measure_id: String,
}

impl MeasureRef {
    /// A reference from ids.
    pub fn new(plan_id: impl Into<String>, measure_id: impl Into<String>) -> Self {
        Self {
            plan_id: plan_id.into(),
            measure_id: measure_id.into(),
        }
    }
}

/// The analyst's decision about one pair of measures: survives every re-alignment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinkDecision {
    /// Measure in the left plan.
    pub left: MeasureRef,
    /// Measure in the right plan.
    pub right: MeasureRef,
    /// Accepted or rejected (unreviewed decisions only carry a note or a manual link).
    pub status: LinkStatus,
    /// The analyst made this link (it need not be suggested by the matcher).
    pub manual: bool,
    /// The analyst's note.
    pub note: String,
}

/// A manual tag edit: a theme added to or removed from a measure.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct TagEdit {
    /// The measure.
    pub measure: MeasureRef,
    /// The theme.
    pub theme_id: String,
    /// `true` adds the theme, `false` removes an auto-suggested one.
    pub added: bool,
    /// The measure the tag was carried from across an accepted link, when the analyst took
    /// (or refused) a suggestion rather than tagging by hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<MeasureRef>,
}
