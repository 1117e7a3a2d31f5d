//! Quantitative targets: percentages, counts, money and deadlines found in plan text.

use serde::{Deserialize, Serialize};

/// What a target measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// A share, e.g. 98%.
    Percent,
    /// A count of things, e.g. 3000家, 10个.
    Count,
    /// An amount of money, e.g. 100万元.
    Money,
    /// A target year, e.g. 到2025年.
    Deadline,
}

/// One quantity with its unit and the sentence it stands in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Percent, count, money or deadline.
    pub kind: TargetKind,
    /// The number (the upper bound of a range such as 1-2个).
    pub value: f64,
    /// Unit as written: `%`, `家`, `万元`, `年` …
    pub unit: String,
    /// The matched text, e.g. `达到98%以上`'s `98%以上`.
    pub text: String,
    /// The sentence the quantity stands in.
    pub sentence: String,
}
