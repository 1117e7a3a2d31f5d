//! Everything a view can ask for: views read state and push commands; [`super::PlanAlignApp`]
//! applies them once, at the end of the frame.

use crate::model::LinkStatus;

use super::aligned_view::SortKey;
use super::i18n::Lang;
use super::state::{Side, View};

/// A change the user asked for.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum Command {
    /// Show plan `index` on a side.
    ShowPlan {
        /// Which pane.
        side: Side,
        /// Index in the library.
        index: usize,
    },
    /// Swap the left and right plans.
    SwapPlans,
    /// Select a measure (and scroll the other pane to its best link).
    SelectMeasure {
        /// Which pane.
        side: Side,
        /// The measure.
        measure_id: String,
    },
    /// Accept or reject a link of the shown pair (unreviewed clears the verdict).
    SetLinkStatus {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
        /// The verdict.
        status: LinkStatus,
    },
    /// Show a view.
    SetView(View),
    /// Sort the aligned table.
    SortAligned(SortKey),
    /// Switch the UI language.
    SetLanguage(Lang),
    /// Close the app.
    Quit,
}
