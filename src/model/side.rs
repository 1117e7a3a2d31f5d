//! Which of the two plans of a pair: the one shared word for panes, diff runs and report columns.

use serde::{Deserialize, Serialize};

/// The left or the right plan of a pair (the left pane, the left column of a report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The left plan (by default the higher-level one).
    Left,
    /// The right plan.
    Right,
}

impl Side {
    /// Both sides, left first.
    pub const BOTH: [Side; 2] = [Side::Left, Side::Right];

    /// The other side.
    pub fn other(self) -> Self {
        match self {
            Self::Left => Self::Right,
            Self::Right => Self::Left,
        }
    }

    /// `left` for the left side, `right` for the right one.
    pub fn pick<T>(self, left: T, right: T) -> T {
        match self {
            Self::Left => left,
            Self::Right => right,
        }
    }

    /// The word saved in session and workspace files: `left` or `right`.
    pub fn key(self) -> &'static str {
        self.pick("left", "right")
    }

    /// The side saved as [`Side::key`], if `key` is one.
    pub fn from_key(key: &str) -> Option<Self> {
        match key {
            "left" => Some(Self::Left),
            "right" => Some(Self::Right),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_and_other_flips() {
        for side in Side::BOTH {
            assert_eq!(Side::from_key(side.key()), Some(side));
            assert_ne!(side.other(), side);
            assert_eq!(side.other().other(), side);
        }
        assert_eq!(Side::from_key("centre"), None);
        assert_eq!(Side::Right.pick(1, 2), 2);
    }
}
