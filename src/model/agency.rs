//! An agency named as responsible for a measure, with its level-free type for comparison.

use serde::{Deserialize, Serialize};

use super::Level;

/// A responsible agency as written, plus a normalised type that drops the level prefix so that
/// 市市场监管局 and 区市场监管局 compare as the same agency type at different levels.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Agency {
    /// Name as written, e.g. 区市场监管局.
    pub name: String,
    /// Level-free type, e.g. 市场监管局.
    pub agency_type: String,
    /// Level from the prefix (市 → municipal, 区 → district …), when there is one.
    pub level: Option<Level>,
}
