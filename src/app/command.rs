//! Everything a view can ask for: views read state and push commands; [`super::PlanAlignApp`]
//! applies them once, at the end of the frame.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::model::{LinkStatus, MeasureRef};

use super::aligned_view::SortKey;
use super::i18n::Lang;
use super::state::{Filter, Side, View};

/// A change the user asked for. Serialisable so a script can drive the app (`planalign gui
/// --commands-stdin`, one JSON command per line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Show a measure of any loaded plan: select it where it is shown, else show its plan on
    /// the right (left if the right pane already shows it) and select it, side by side.
    Reveal {
        /// Index in the library.
        plan_index: usize,
        /// The measure.
        measure_id: String,
    },
    /// Select a measure of any loaded plan (its plan comes to the right pane if not shown) and
    /// trace it, staying in the current view.
    Trace {
        /// Index in the library.
        plan_index: usize,
        /// The measure.
        measure_id: String,
    },
    /// Show two plans side by side (`left` and `right` library indices) on one measure, and on
    /// one of its links when given: how the Cascade view opens a cell.
    OpenPairAt {
        /// The left plan.
        left: usize,
        /// The right plan.
        right: usize,
        /// The measure to select.
        side: Side,
        /// Its id.
        measure_id: String,
        /// The link (left id, right id) to make current.
        link: Option<(String, String)>,
    },
    /// Make a link the one accept / reject apply to.
    SelectLink {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
    },
    /// Select the next (or previous) measure of the selected pane that passes the filter.
    StepMeasure {
        /// `true` for the next one.
        forward: bool,
    },
    /// Select the next unreviewed link after the current one, in left plan order.
    NextUnreviewed,
    /// Accept or reject the current link.
    DecideCurrent(LinkStatus),
    /// Accept or reject a link of the shown pair (unreviewed clears the verdict).
    SetLinkStatus {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
        /// The verdict.
        status: LinkStatus,
    },
    /// Link two measures of the shown plans by hand.
    AddManualLink {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
    },
    /// Remove a link (a manual link is undone; a suggested one is rejected).
    Unlink {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
    },
    /// Set the analyst's note on a link.
    SetNote {
        /// Left measure id.
        left_id: String,
        /// Right measure id.
        right_id: String,
        /// The note.
        note: String,
    },
    /// Add or remove a theme on a measure of a shown plan.
    ToggleTheme {
        /// Which pane.
        side: Side,
        /// The measure.
        measure_id: String,
        /// The theme.
        theme_id: String,
    },
    /// Take (`take`) or refuse a tag offered across an accepted link (undoable).
    DecideSuggestion {
        /// The measure the tag is offered to.
        target: MeasureRef,
        /// The theme.
        theme_id: String,
        /// Take it (a hand tag) or refuse it (not offered again).
        take: bool,
    },
    /// Take or refuse the first tag offered to the selected measure (undoable).
    DecideSelectedSuggestion(bool),
    /// Add a theme to a pillar and start editing it.
    AddTheme {
        /// The pillar.
        pillar_id: String,
    },
    /// Rename and recolour a theme.
    UpdateTheme {
        /// The theme.
        theme_id: String,
        /// Chinese name.
        zh: String,
        /// English name.
        en: String,
        /// `#RRGGBB`.
        color: String,
    },
    /// Open (or close) the editor of a theme in the codebook panel.
    EditTheme(Option<String>),
    /// Set what the panes show.
    SetFilter(Filter),
    /// List the measures of a coverage cell (theme row, plan column).
    SelectCoverageCell(Option<(usize, usize)>),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Open or close the theme picker.
    ThemePicker(bool),
    /// Open or close the help window.
    Help(bool),
    /// Show a view.
    SetView(View),
    /// Collapse or show the plan library panel.
    ToggleLibrary,
    /// Collapse or show the codebook panel.
    ToggleCodebook,
    /// Sort the aligned table.
    SortAligned(SortKey),
    /// Switch the UI language.
    SetLanguage(Lang),
    /// Compare traditional characters as simplified (`true`) or as written (undoable).
    SetFoldTraditional(bool),
    /// Fit the matcher on the analyst's decisions and re-align (undoable).
    LearnFromDecisions,
    /// Go back to the shipped matcher model (undoable).
    UseShippedModel,
    /// Ask for plan files or a workspace with a native dialog.
    OpenDialog,
    /// Ask the system for the clipboard's text; it arrives as a paste and becomes a plan.
    PasteFromClipboard,
    /// Add a plan from pasted text (kept whole in the workspace).
    PastePlan(String),
    /// Open plan files (raw or .ron) into the library, or a workspace file.
    OpenFiles(Vec<PathBuf>),
    /// Save the workspace (asks for a file the first time).
    Save,
    /// Save the workspace to a file chosen in a native dialog.
    SaveAsDialog,
    /// Save the workspace to a file and keep working in it.
    SaveTo(PathBuf),
    /// Ask where to export the alignment report with a native dialog.
    ExportDialog,
    /// Export the alignment report of the shown pair; the format follows the extension
    /// (`.md`, `.csv`, `.json`).
    Export(PathBuf),
    /// Ask where to export the codebook (REFI-QDA .qdc) with a native dialog.
    ExportCodebookDialog,
    /// Export the codebook as a REFI-QDA codebook.
    ExportCodebook(PathBuf),
    /// Ask for a REFI-QDA codebook to import with a native dialog.
    ImportCodebookDialog,
    /// Replace the codebook with a REFI-QDA codebook (undoable).
    ImportCodebook(PathBuf),
    /// Ask for a path in the app's own path field, for when no native file dialog answers.
    AskPath(PathPurpose),
    /// Close the path field.
    CloseAskPath,
    /// Show (or close) where a loaded plan came from, with its original text.
    ShowSource(Option<usize>),
    /// Re-read a plan from its file, keeping the analyst's work on the measures that remain.
    ReloadPlan(usize),
    /// Take (`true`) or discard the autosaved work offered for recovery.
    Recover(bool),
    /// Hide the toasts.
    DismissToasts,
    /// Close the app.
    Quit,
}

/// What a path asked for is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PathPurpose {
    /// Open plan files or a workspace.
    Open,
    /// Save the workspace.
    SaveAs,
    /// Export the alignment report.
    Export,
    /// Export the codebook.
    ExportCodebook,
    /// Import a codebook.
    ImportCodebook,
}

impl PathPurpose {
    /// The command that does it with `path`.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            Self::Open => Command::OpenFiles(vec![path]),
            Self::SaveAs => Command::SaveTo(path),
            Self::Export => Command::Export(path),
            Self::ExportCodebook => Command::ExportCodebook(path),
            Self::ImportCodebook => Command::ImportCodebook(path),
        }
    }
}

impl Command {
    /// Whether the command edits the analyst's work (and so ends a run of note typing).
    pub fn is_note(&self) -> bool {
        matches!(self, Self::SetNote { .. })
    }
}
