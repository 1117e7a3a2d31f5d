//! The app's state: the loaded plans, which two are compared, the analyst's edits (codebook,
//! manual tags, link decisions and notes) with their undo history, and the view (selection,
//! filters, language). Derived data (alignment, themes, coverage, diffs) is rebuilt when its
//! inputs change, never by the views.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::align::{
    AlignConfig, Aligner, Alignment, CharDiff, Corpus, CoverageMatrix, MatcherModel, MeasureAnchor,
    TraceHit, VersionCarry, carry_work, char_diff, coverage, trace,
};
pub use crate::model::Side;
use crate::model::{LinkDecision, LinkStatus, MeasureRef, Plan, TagEdit};
use crate::report::{AlignmentReport, ReportFormat, alignment_report};
use crate::themes::{
    Codebook, EffectiveTheme, TagOrigin, TagSuggestion, Theme, carry_suggestions, match_key,
};
use crate::workspace::{Opened, PlanEntry, PlanSource, ViewState, Workspace};

use super::aligned_view::SortKey;
use super::i18n::{Lang, Text};

/// The main view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum View {
    /// Two panes with connectors.
    #[default]
    SideBySide,
    /// One row per link and per unmatched measure.
    Aligned,
    /// Theme × plan heat map over every loaded plan.
    Coverage,
    /// The left plan's measures traced across every other loaded plan.
    Cascade,
}

impl View {
    /// The name stored in workspaces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SideBySide => "side_by_side",
            Self::Aligned => "aligned",
            Self::Coverage => "coverage",
            Self::Cascade => "cascade",
        }
    }

    /// The view a stored name stands for (side by side for anything unknown).
    pub fn from_name(name: &str) -> Self {
        match name {
            "aligned" => Self::Aligned,
            "coverage" => Self::Coverage,
            "cascade" => Self::Cascade,
            _ => Self::SideBySide,
        }
    }
}

/// One plan's measures traced across every other loaded plan: the rows of `planalign report
/// --base`, with the analyst's decisions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cascade {
    /// The base plan (library index).
    pub base: usize,
    /// The other plans, in library order.
    pub others: Vec<usize>,
    /// One row per base measure: its counterparts in each other plan, best first.
    pub rows: Vec<crate::report::TraceRow>,
    /// Per other plan, its measures without a counterpart in the base plan.
    pub own: Vec<Vec<String>>,
}

impl Cascade {
    /// Traces plan `base` across every other plan of the aligner.
    pub fn build(aligner: &Aligner<'_>, base: usize, decisions: &[LinkDecision]) -> Self {
        let others: Vec<usize> = (0..aligner.plans().len()).filter(|&i| i != base).collect();
        match crate::report::TraceReport::build(aligner, base, &others, decisions, String::new()) {
            Some(report) => Self {
                base,
                others,
                rows: report.rows,
                own: report.own,
            },
            None => Self::default(),
        }
    }
}

/// What the panes show: a measure passes when it matches every part that is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filter {
    /// Text in the label, title, text or agencies (simplified/traditional and width folded).
    pub text: String,
    /// A theme the measure carries.
    pub theme: Option<String>,
    /// A status one of the measure's links has.
    pub status: Option<LinkStatus>,
    /// Only measures without a counterpart.
    pub unmatched_only: bool,
    /// Only measures offered a tag across an accepted link.
    #[serde(default)]
    pub suggestions_only: bool,
}

impl Filter {
    /// Whether any part is set.
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty()
            || self.theme.is_some()
            || self.status.is_some()
            || self.unmatched_only
            || self.suggestions_only
    }
}

/// The analyst's edits: what undo and redo restore, and what a workspace stores.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edits {
    /// The codebook with new, renamed and recoloured themes.
    pub codebook: Codebook,
    /// Manual tags.
    pub tag_edits: Vec<TagEdit>,
    /// Link decisions and notes.
    pub decisions: Vec<LinkDecision>,
    /// The matcher's settings.
    pub settings: AlignConfig,
    /// A matcher model fitted on this workspace's decisions (the shipped one when `None`).
    pub model: Option<MatcherModel>,
}

/// A message shown for a few seconds in a corner of the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    /// One line.
    pub text: String,
    /// An error (red) or information.
    pub error: bool,
    /// When it was first drawn (egui time, seconds); set by the view.
    pub shown_at: Option<f64>,
}

/// Everything the views read, in four parts: the document (what is saved), its history, what
/// is derived from the document, and the transient state of the interface.
///
/// Only the methods here change the document, and each one brings the derived part up to
/// date (a link decision re-selects links, a tag re-tags, a new pair re-aligns), so no view
/// or command can leave them out of step.
pub struct AppState {
    /// What is saved: plans, sources, the analyst's edits and the pair shown.
    pub doc: Document,
    /// Undo and redo of the analyst's edits.
    pub history: History,
    /// Derived from the document; read with [`AppState::derived`].
    derived: Derived,
    /// Selection, view, filter, messages and open windows.
    pub ui: UiState,
}

/// What a workspace file stores.
pub struct Document {
    /// Loaded plans, in library order.
    pub plans: Vec<Plan>,
    /// Where each loaded plan comes from (parallel to `plans`).
    pub sources: Vec<PlanSource>,
    /// The analyst's edits.
    pub edits: Edits,
    /// Index of the left plan (changed only with [`AppState::show_pair`]).
    left: usize,
    /// Index of the right plan.
    right: usize,
    /// The workspace file the work is saved to, if any.
    pub workspace_path: Option<PathBuf>,
    /// Edits not yet saved to `workspace_path`.
    pub dirty: bool,
    /// Plans of the opened workspace whose files could not be opened (kept in the workspace).
    pub missing_entries: Vec<PlanEntry>,
}

impl Document {
    /// Index of the left plan.
    pub fn left(&self) -> usize {
        self.left
    }

    /// Index of the right plan.
    pub fn right(&self) -> usize {
        self.right
    }
}

/// Undo and redo.
#[derive(Default)]
pub struct History {
    /// Earlier edits, most recent last.
    pub undo_stack: Vec<Edits>,
    /// Undone edits, most recent last.
    pub redo_stack: Vec<Edits>,
    /// Consecutive edits with the same key (typing one note) make one undo step.
    pub coalesce_key: Option<String>,
}

/// What the views show that follows from the document and the selection.
#[derive(Default)]
pub struct Derived {
    /// The alignment of left and right.
    pub alignment: Alignment,
    /// Effective themes by plan index, then measure id.
    pub themes: Vec<HashMap<String, Vec<EffectiveTheme>>>,
    /// Theme × plan coverage over every loaded plan.
    pub coverage: CoverageMatrix,
    /// The matcher's features of every loaded plan (kept so a selection is traced and a
    /// decision re-aligned without rebuilding them).
    corpus: Corpus,
    /// The selected measure's best counterparts in every other loaded plan.
    pub trace: Vec<TraceHit>,
    /// Character diffs of the selected measure's links, by (left id, right id).
    pub selected_diffs: HashMap<(String, String), CharDiff>,
    /// The left plan traced across every other loaded plan (built while the Cascade view
    /// shows).
    pub cascade: Cascade,
    /// How many unreviewed links each measure of the shown pair has (cards show it).
    to_review: [HashMap<String, usize>; 2],
    /// Hand tags offered across accepted links, sorted by measure and theme.
    pub suggestions: Vec<TagSuggestion>,
}

/// The transient state of the interface (the parts worth it are saved with the session).
#[derive(Default)]
pub struct UiState {
    /// The selected measure.
    pub selected: Option<(Side, String)>,
    /// The link accept / reject apply to: (left id, right id).
    pub current_link: Option<(String, String)>,
    /// The link "next unreviewed" last went to: the next one comes after it. When the current
    /// link was chosen otherwise, the next one is the first of the current measure's.
    pub review_cursor: Option<(String, String)>,
    /// Cards to scroll into view.
    pub scroll_to: Vec<(Side, String)>,
    /// Frames left to honour `scroll_to` (a few, so it works while layout settles).
    pub scroll_frames_left: u8,
    /// UI language.
    pub lang: Lang,
    /// The main view shown (changed with [`AppState::set_view`]).
    pub view: View,
    /// The plan library panel is collapsed (saved with the session and workspace).
    pub hide_library: bool,
    /// The codebook panel is collapsed (saved with the session and workspace).
    pub hide_codebook: bool,
    /// Sort order of the aligned table.
    pub aligned_sort: SortKey,
    /// What the panes and the aligned table show.
    pub filter: Filter,
    /// The coverage cell whose measures are listed: (theme row, plan column).
    pub coverage_cell: Option<(usize, usize)>,
    /// Messages to show.
    pub toasts: Vec<Toast>,
    /// The theme picker is open.
    pub picker_open: bool,
    /// The help window is open.
    pub help_open: bool,
    /// The theme being edited in the codebook panel.
    pub editing_theme: Option<String>,
    /// Unsaved work autosaved after the opened workspace file was last saved, offered for
    /// recovery.
    pub recovery: Option<Workspace>,
    /// The plan whose provenance window is open.
    pub source_view: Option<usize>,
    /// The app's own path field, open when no native file dialog answered: what for, and the
    /// path it starts with.
    pub path_prompt: Option<(super::command::PathPurpose, String)>,
}

impl AppState {
    /// What follows from the document and the selection.
    pub fn derived(&self) -> &Derived {
        &self.derived
    }

    /// State over `plans`, comparing the first two (or the only one with itself).
    pub fn new(plans: Vec<(PlanSource, Plan)>, lang: Lang) -> Self {
        let (sources, plans): (Vec<PlanSource>, Vec<Plan>) = plans.into_iter().unzip();
        // Two files opened: those two; else the first plan and its most likely counterpart.
        let num_files = sources
            .iter()
            .filter(|s| matches!(s, PlanSource::File(_)))
            .count();
        let (left, right) = if num_files >= 2 {
            order_by_level(&plans, 0, 1)
        } else {
            default_pair(&plans, 0)
        };
        let mut state = Self {
            doc: Document {
                plans,
                sources,
                edits: Edits {
                    codebook: Codebook::bundled(),
                    ..Edits::default()
                },
                left,
                right,
                workspace_path: None,
                dirty: false,
                missing_entries: Vec::new(),
            },
            history: History::default(),
            derived: Derived::default(),
            ui: UiState {
                lang,
                ..UiState::default()
            },
        };
        state.recompute();
        state
    }

    /// State over an opened workspace: its plans, edits and view; missing plans are reported
    /// in a toast and their edits kept.
    pub fn from_workspace(opened: Opened, path: Option<PathBuf>, fallback_lang: Lang) -> Self {
        let Opened {
            workspace,
            plans,
            missing,
            changed,
        } = opened;
        let lang = match workspace.view.lang.as_str() {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            _ => fallback_lang,
        };
        let entries: Vec<(PlanSource, Plan)> = plans
            .into_iter()
            .map(|(entry, plan)| (entry.source, plan))
            .collect();
        let mut state = Self::new(entries, lang);
        let position = |id: &str| state.doc.plans.iter().position(|p| p.id == id);
        if let Some(left) = position(&workspace.view.left) {
            state.doc.left = left;
        }
        if let Some(right) = position(&workspace.view.right) {
            state.doc.right = right;
        }
        state.ui.view = View::from_name(&workspace.view.view);
        state.ui.hide_library = workspace.view.hide_library;
        state.ui.hide_codebook = workspace.view.hide_codebook;
        if workspace.codebook.pillars.is_empty() {
            state.doc.edits.codebook = Codebook::bundled();
        } else {
            state.doc.edits.codebook = workspace.codebook;
        }
        state.doc.edits.tag_edits = workspace.tag_edits;
        state.doc.edits.decisions = workspace.decisions;
        state.doc.edits.settings = workspace.settings;
        state.doc.edits.model = workspace.model;
        state.doc.workspace_path = path;
        for gone in &missing {
            state.toast_error(format!(
                "{}: {} ({})",
                state.ui.lang.tr(super::i18n::Text::PlanMissing),
                gone.entry.id,
                gone.reason
            ));
        }
        for changed in &changed {
            let text = format!(
                "{}: {}",
                state.ui.lang.tr(Text::PlanChanged),
                changed.entry.id
            );
            if changed.gone_with_work.is_empty() {
                state.toast_info(text);
            } else {
                let gone = changed.gone_with_work.join("、");
                state.toast_error(format!(
                    "{text} ({}: {gone})",
                    state.ui.lang.tr(Text::GoneWithWork)
                ));
            }
        }
        state.doc.missing_entries = missing.into_iter().map(|m| m.entry).collect();
        state.recompute();
        // The selection comes back, and the panes open scrolled to it.
        if let Some((side, id)) = &workspace.view.selected {
            let side = Side::from_key(side).unwrap_or(Side::Left);
            let shown = state
                .plan(side)
                .is_some_and(|plan| plan.measures.iter().any(|m| &m.id == id));
            if shown {
                state.ui.scroll_to = vec![(side, id.clone())];
                state.select(Some((side, id.clone())));
                state.ui.scroll_frames_left = 3;
            }
        }
        state
    }

    /// The workspace document of the current work. Plans that were missing when it was opened
    /// stay in it, so their edits are not lost.
    pub fn to_workspace(&self) -> Workspace {
        let mut plans: Vec<PlanEntry> = self
            .doc
            .plans
            .iter()
            .zip(&self.doc.sources)
            .map(|(plan, source)| PlanEntry {
                imported_at: plan.source.imported_at.clone(),
                sha256: Some(plan.source.sha256.clone()),
                anchors: self
                    .measures_with_work(&plan.id)
                    .into_iter()
                    .filter_map(|id| plan.measure(id).map(MeasureAnchor::of))
                    .collect(),
                ..PlanEntry::new(plan.id.clone(), source.clone())
            })
            .collect();
        plans.extend(self.doc.missing_entries.iter().cloned());
        Workspace {
            plans,
            codebook: self.doc.edits.codebook.clone(),
            tag_edits: self.doc.edits.tag_edits.clone(),
            decisions: self.doc.edits.decisions.clone(),
            settings: self.doc.edits.settings.clone(),
            model: self.doc.edits.model.clone(),
            view: ViewState {
                left: self
                    .plan(Side::Left)
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                right: self
                    .plan(Side::Right)
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                view: self.ui.view.as_str().to_owned(),
                lang: match self.ui.lang {
                    Lang::Zh => "zh",
                    Lang::En => "en",
                }
                .to_owned(),
                hide_library: self.ui.hide_library,
                hide_codebook: self.ui.hide_codebook,
                selected: self
                    .ui
                    .selected
                    .as_ref()
                    .map(|(side, id)| (side.key().to_owned(), id.clone())),
            },
        }
    }

    /// The codebook in use.
    pub fn codebook(&self) -> &Codebook {
        &self.doc.edits.codebook
    }

    /// Shows the plan at `index` on `side` (the two swap when it is already on the other
    /// side) and re-aligns; the selection is cleared. Returns false for an index out of range.
    pub fn show_plan(&mut self, side: Side, index: usize) -> bool {
        let (left, right) = match side {
            Side::Left if index == self.doc.right => (index, self.doc.left),
            Side::Left => (index, self.doc.right),
            Side::Right if index == self.doc.left => (self.doc.right, index),
            Side::Right => (self.doc.left, index),
        };
        self.show_pair(left, right)
    }

    /// Shows plans `left` and `right` side by side and re-aligns; the selection is cleared.
    /// Returns false (and changes nothing) for an index out of range or one plan twice.
    pub fn show_pair(&mut self, left: usize, right: usize) -> bool {
        let count = self.doc.plans.len();
        if left == right || left >= count || right >= count {
            return false;
        }
        self.doc.left = left;
        self.doc.right = right;
        self.ui.selected = None;
        self.realign();
        true
    }

    /// Adds a plan to the library and shows it beside the plan on the left, the higher level
    /// on the left; everything derived is rebuilt. Returns the plan's index.
    pub fn add_plan(&mut self, source: PlanSource, plan: Plan) -> usize {
        self.doc.plans.push(plan);
        self.doc.sources.push(source);
        let added = self.doc.plans.len() - 1;
        let keep = if self.doc.left == added {
            self.doc.right
        } else {
            self.doc.left
        };
        (self.doc.left, self.doc.right) = if keep == added {
            default_pair(&self.doc.plans, added)
        } else {
            order_by_level(&self.doc.plans, keep, added)
        };
        self.ui.selected = None;
        self.doc.dirty = true;
        self.recompute();
        added
    }

    /// Rebuilds everything derived: features of every plan, then the alignment, themes,
    /// coverage and the rest. Needed after the plans, the codebook or the settings changed;
    /// lighter changes go through [`AppState::realign`] or a re-tag.
    pub fn recompute(&mut self) {
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        let aligner = Aligner::new(
            &refs,
            &self.doc.edits.codebook,
            &self.doc.edits.tag_edits,
            self.doc.edits.settings.clone(),
        );
        self.derived.corpus = aligner.into_corpus();
        self.rederive(true);
    }

    /// Re-aligns after a change that leaves every measure's features as they were: a link
    /// decision, a note, another model, another pair. Features are kept (tags, the codebook,
    /// the plans and the settings rebuild them through [`AppState::recompute`]); the
    /// alignment, the cascade, the trace and the diffs are redone.
    pub fn realign(&mut self) {
        if self.features_are_current() {
            self.rederive(false);
        } else {
            self.recompute();
        }
    }

    /// Re-derives after the analyst's tags of one measure changed: only that measure is
    /// re-tagged and theme weights redone in the kept features (text features stay); then
    /// themes, coverage and the alignment follow. Equals a full [`AppState::recompute`].
    fn retag(&mut self, plan_index: usize, measure_id: &str) {
        let retagged = self.features_are_current()
            && self.doc.plans.get(plan_index).is_some_and(|plan| {
                plan.measures
                    .iter()
                    .position(|m| m.id == measure_id)
                    .is_some_and(|measure_index| {
                        self.derived.corpus.retag(
                            plan,
                            measure_index,
                            &self.doc.edits.codebook,
                            &self.doc.edits.tag_edits,
                        )
                    })
            });
        if retagged {
            self.rederive(true);
        } else {
            self.recompute();
        }
    }

    /// Whether the kept features are of the loaded plans, in order.
    fn features_are_current(&self) -> bool {
        let corpus = &self.derived.corpus;
        corpus.plan_ids.len() == self.doc.plans.len()
            && corpus
                .plan_ids
                .iter()
                .zip(&self.doc.plans)
                .all(|(id, plan)| *id == plan.id)
    }

    /// Everything derived from the kept features: the alignment, review counts, cascade,
    /// trace and diffs, and, when `themes_changed`, the effective themes and coverage.
    fn rederive(&mut self, themes_changed: bool) {
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        let aligner = self.kept_aligner(&refs);
        let alignment = aligner.align(self.doc.left, self.doc.right, &self.doc.edits.decisions);
        let themes_and_coverage = themes_changed.then(|| {
            let themes: Vec<HashMap<String, Vec<EffectiveTheme>>> = aligner
                .corpus()
                .plans
                .iter()
                .enumerate()
                .map(|(plan_index, features)| {
                    let plan = refs.get(plan_index);
                    features
                        .iter()
                        .filter_map(|f| {
                            let measure = plan?.measures.get(f.measure_index)?;
                            Some((measure.id.clone(), f.themes.clone()))
                        })
                        .collect()
                })
                .collect();
            (themes, coverage(&aligner))
        });
        let cascade = self.cascade_if_shown(&aligner);
        let trace = self.trace_of_selection(&aligner);
        self.derived.alignment = alignment;
        if let Some((themes, coverage)) = themes_and_coverage {
            self.derived.themes = themes;
            self.derived.coverage = coverage;
        }
        self.derived.cascade = cascade;
        self.derived.trace = trace;
        self.count_links_to_review();
        self.refresh_selected_diffs();
        self.refresh_suggestions();
    }

    /// Works out the tags offered across accepted links from the edits and the themes.
    fn refresh_suggestions(&mut self) {
        let plan_index: HashMap<&str, usize> = self
            .doc
            .plans
            .iter()
            .enumerate()
            .map(|(index, plan)| (plan.id.as_str(), index))
            .collect();
        let themes = &self.derived.themes;
        self.derived.suggestions = carry_suggestions(
            &self.doc.edits.decisions,
            &self.doc.edits.tag_edits,
            |target, theme_id| {
                let Some(&index) = plan_index.get(target.plan_id.as_str()) else {
                    // A plan that is not loaded is not offered anything.
                    return true;
                };
                themes
                    .get(index)
                    .and_then(|plan| plan.get(&target.measure_id))
                    .is_some_and(|carried| carried.iter().any(|t| t.theme_id == theme_id))
            },
        );
    }

    /// A measure of a loaded plan as the analyst reads it: the plan's short label, then the
    /// measure's label and title; the bare ids when the plan is not loaded.
    pub fn describe_measure(&self, measure: &MeasureRef) -> String {
        let Some(plan) = self.doc.plans.iter().find(|p| p.id == measure.plan_id) else {
            return format!("{} {}", measure.plan_id, measure.measure_id);
        };
        match plan.measure(&measure.measure_id) {
            Some(m) => format!("{} {}{}", plan.short_label(), m.label, m.title),
            None => format!("{} {}", plan.short_label(), measure.measure_id),
        }
    }

    /// The tags offered to a measure of a loaded plan.
    pub fn suggestions_for(
        &self,
        plan_index: usize,
        measure_id: &str,
    ) -> impl Iterator<Item = &TagSuggestion> {
        let plan_id = self.doc.plans.get(plan_index).map(|p| p.id.as_str());
        self.derived.suggestions.iter().filter(move |s| {
            Some(s.target.plan_id.as_str()) == plan_id && s.target.measure_id == measure_id
        })
    }

    /// Takes (`take`) or refuses a suggested tag (undoable). Taken, it is a hand tag that
    /// remembers the measure it came from; refused, it is kept as a removal, so it is not
    /// offered again.
    pub fn decide_suggestion(&mut self, target: &MeasureRef, theme_id: &str, take: bool) {
        let Some(suggestion) = self
            .derived
            .suggestions
            .iter()
            .find(|s| s.target == *target && s.theme_id == theme_id)
            .cloned()
        else {
            return;
        };
        let Some(plan_index) = self.doc.plans.iter().position(|p| p.id == target.plan_id) else {
            return;
        };
        self.begin_edit(None);
        self.doc
            .edits
            .tag_edits
            .retain(|e| !(e.measure == *target && e.theme_id == theme_id));
        self.doc.edits.tag_edits.push(TagEdit {
            measure: target.clone(),
            theme_id: theme_id.to_owned(),
            added: take,
            carried_from: Some(suggestion.from),
        });
        self.retag(plan_index, &target.measure_id);
    }

    fn cascade_if_shown(&self, aligner: &Aligner<'_>) -> Cascade {
        if self.ui.view == View::Cascade {
            Cascade::build(aligner, self.doc.left, &self.doc.edits.decisions)
        } else {
            Cascade::default()
        }
    }

    /// Switches the main view (the cascade is built when it comes into view).
    pub fn set_view(&mut self, view: View) {
        let was = self.ui.view;
        self.ui.view = view;
        if view == View::Cascade && was != View::Cascade {
            self.realign();
        }
    }

    /// How many unreviewed links a measure of the shown pair has.
    pub fn links_to_review(&self, side: Side, measure_id: &str) -> usize {
        self.derived
            .to_review
            .get(side_slot(side))
            .and_then(|counts| counts.get(measure_id))
            .copied()
            .unwrap_or(0)
    }

    fn count_links_to_review(&mut self) {
        let mut counts: [HashMap<String, usize>; 2] = Default::default();
        for link in &self.derived.alignment.links {
            if link.status == LinkStatus::Unreviewed {
                for side in Side::BOTH {
                    if let Some(counts) = counts.get_mut(side_slot(side)) {
                        *counts.entry(link.id(side).to_owned()).or_default() += 1;
                    }
                }
            }
        }
        self.derived.to_review = counts;
    }

    /// The matcher over the features kept from the last alignment (nothing is rebuilt).
    fn kept_aligner<'a>(&'a self, refs: &[&'a Plan]) -> Aligner<'a> {
        let aligner = Aligner::with_corpus(
            refs,
            &self.derived.corpus,
            &self.doc.edits.codebook,
            self.doc.edits.settings.clone(),
        );
        match &self.doc.edits.model {
            Some(model) => aligner.with_model(model.clone()),
            None => aligner,
        }
    }

    /// Links of the shown pair the analyst has reviewed (accepted or rejected), and all links.
    pub fn review_progress(&self) -> (usize, usize) {
        let links = &self.derived.alignment.links;
        let reviewed = links
            .iter()
            .filter(|l| l.status != crate::model::LinkStatus::Unreviewed)
            .count();
        (reviewed, links.len())
    }

    /// Decided links and rejected links the matcher could learn from.
    pub fn decision_counts(&self) -> (usize, usize) {
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        crate::align::learn::decision_counts(&self.kept_aligner(&refs), &self.doc.edits.decisions)
    }

    /// Fits a model on the analyst's decisions (undoable); the toast says how it does against
    /// the shipped model on those decisions.
    pub fn learn_from_decisions(&mut self) -> Result<crate::align::learn::Learned, String> {
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        let aligner = self.kept_aligner(&refs);
        let learned = crate::align::learn::learn_from_decisions(
            &aligner,
            &self.doc.edits.decisions,
            MatcherModel::bundled(),
        )?;
        self.begin_edit(None);
        self.doc.edits.model = Some(learned.model.clone());
        self.realign();
        Ok(learned)
    }

    /// Goes back to the shipped model (undoable).
    pub fn use_shipped_model(&mut self) {
        if self.doc.edits.model.is_none() {
            return;
        }
        self.begin_edit(None);
        self.doc.edits.model = None;
        self.realign();
    }

    fn trace_of_selection(&self, aligner: &Aligner<'_>) -> Vec<TraceHit> {
        let Some((side, measure_id)) = &self.ui.selected else {
            return Vec::new();
        };
        let plan_index = self.plan_index(*side);
        let Some(measure_index) = self
            .doc
            .plans
            .get(plan_index)
            .and_then(|plan| plan.measures.iter().position(|m| &m.id == measure_id))
        else {
            return Vec::new();
        };
        trace(aligner, plan_index, measure_index, 3)
    }

    /// Selects a measure (or nothing) and derives the diffs and trace its panels show.
    pub fn select(&mut self, selected: Option<(Side, String)>) {
        self.ui.selected = selected;
        self.ui.current_link = self.ui.selected.as_ref().and_then(|(side, id)| {
            let (best, _) = self.linked(*side, id).into_iter().next()?;
            Some(side.pick((id.clone(), best.clone()), (best, id.clone())))
        });
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        let aligner = self.kept_aligner(&refs);
        self.derived.trace = self.trace_of_selection(&aligner);
        self.refresh_selected_diffs();
    }

    fn refresh_selected_diffs(&mut self) {
        self.derived.selected_diffs.clear();
        let Some((side, measure_id)) = self.ui.selected.clone() else {
            return;
        };
        let (Some(left), Some(right)) = (self.plan(Side::Left), self.plan(Side::Right)) else {
            return;
        };
        let diffs: Vec<((String, String), CharDiff)> = self
            .derived
            .alignment
            .links
            .iter()
            .filter(|link| link.id(side) == measure_id)
            .filter_map(|link| {
                let lhs = left.measure(&link.left_id)?;
                let rhs = right.measure(&link.right_id)?;
                Some((
                    (link.left_id.clone(), link.right_id.clone()),
                    char_diff(&lhs.text, &rhs.text),
                ))
            })
            .collect();
        self.derived.selected_diffs.extend(diffs);
    }

    /// Records the current edits for undo before an edit; `key` merges consecutive edits of
    /// the same thing (typing a note) into one step.
    pub fn begin_edit(&mut self, key: Option<String>) {
        let merge = key.is_some() && key == self.history.coalesce_key;
        if !merge {
            self.history.undo_stack.push(self.doc.edits.clone());
            if self.history.undo_stack.len() > UNDO_LIMIT {
                self.history.undo_stack.remove(0);
            }
        }
        self.history.redo_stack.clear();
        self.history.coalesce_key = key;
        self.doc.dirty = true;
    }

    /// Undoes the last edit; `false` when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(previous) = self.history.undo_stack.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.doc.edits, previous);
        self.history.redo_stack.push(current);
        self.after_history_step();
        true
    }

    /// Redoes the last undone edit; `false` when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(next) = self.history.redo_stack.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.doc.edits, next);
        self.history.undo_stack.push(current);
        self.after_history_step();
        true
    }

    fn after_history_step(&mut self) {
        self.history.coalesce_key = None;
        self.doc.dirty = true;
        if self
            .ui
            .editing_theme
            .as_ref()
            .is_some_and(|id| self.doc.edits.codebook.theme(id).is_none())
        {
            self.ui.editing_theme = None;
        }
        self.recompute();
    }

    /// The measure reference of a measure shown on a side.
    fn measure_ref(&self, side: Side, measure_id: &str) -> Option<MeasureRef> {
        Some(MeasureRef::new(&self.plan(side)?.id, measure_id))
    }

    /// The decision about a pair of the shown plans, created (unreviewed) if there is none.
    fn decision_mut(&mut self, left_id: &str, right_id: &str) -> Option<&mut LinkDecision> {
        let left_ref = self.measure_ref(Side::Left, left_id)?;
        let right_ref = self.measure_ref(Side::Right, right_id)?;
        let same_pair = |d: &LinkDecision| {
            (d.left == left_ref && d.right == right_ref)
                || (d.left == right_ref && d.right == left_ref)
        };
        match self.doc.edits.decisions.iter().position(same_pair) {
            Some(index) => self.doc.edits.decisions.get_mut(index),
            None => {
                self.doc.edits.decisions.push(LinkDecision {
                    left: left_ref,
                    right: right_ref,
                    ..LinkDecision::default()
                });
                self.doc.edits.decisions.last_mut()
            }
        }
    }

    /// Whether both measures exist in the shown plans.
    fn pair_exists(&self, left_id: &str, right_id: &str) -> bool {
        self.plan(Side::Left)
            .is_some_and(|p| p.measure(left_id).is_some())
            && self
                .plan(Side::Right)
                .is_some_and(|p| p.measure(right_id).is_some())
    }

    /// Records a verdict on a link between the shown plans (replacing an earlier one).
    pub fn set_link_status(&mut self, left_id: &str, right_id: &str, status: LinkStatus) {
        if !self.pair_exists(left_id, right_id) {
            return;
        }
        self.begin_edit(None);
        if let Some(decision) = self.decision_mut(left_id, right_id) {
            decision.status = status;
        }
        self.realign();
    }

    /// Links two measures of the shown plans by hand (accepted).
    pub fn add_manual_link(&mut self, left_id: &str, right_id: &str) {
        if !self.pair_exists(left_id, right_id) {
            return;
        }
        self.begin_edit(None);
        if let Some(decision) = self.decision_mut(left_id, right_id) {
            decision.manual = true;
            decision.status = LinkStatus::Accepted;
        }
        self.realign();
    }

    /// Removes a link: a manual link stops being manual, and the pair is rejected so the
    /// matcher does not offer it again as new.
    pub fn unlink(&mut self, left_id: &str, right_id: &str) {
        if !self.pair_exists(left_id, right_id) {
            return;
        }
        self.begin_edit(None);
        if let Some(decision) = self.decision_mut(left_id, right_id) {
            decision.manual = false;
            decision.status = LinkStatus::Rejected;
        }
        self.realign();
    }

    /// Sets the analyst's note on a link (typing one note is one undo step).
    pub fn set_note(&mut self, left_id: &str, right_id: &str, note: &str) {
        if !self.pair_exists(left_id, right_id) {
            return;
        }
        self.begin_edit(Some(format!("note {left_id} {right_id}")));
        if let Some(decision) = self.decision_mut(left_id, right_id) {
            note.clone_into(&mut decision.note);
        }
        let link = self
            .derived
            .alignment
            .links
            .iter_mut()
            .find(|l| l.left_id == left_id && l.right_id == right_id);
        match link {
            // A note changes no score: update the link in place rather than re-align per key.
            Some(link) => note.clone_into(&mut link.note),
            None => self.realign(),
        }
    }

    /// The themes a measure of a loaded plan carries.
    pub fn themes_of(&self, plan_index: usize, measure_id: &str) -> &[EffectiveTheme] {
        self.derived
            .themes
            .get(plan_index)
            .and_then(|themes| themes.get(measure_id))
            .map_or(&[], Vec::as_slice)
    }

    /// Compares traditional characters as simplified, or as written (an undoable edit).
    pub fn set_fold_traditional(&mut self, fold: bool) {
        if self.doc.edits.settings.fold_traditional == fold {
            return;
        }
        self.begin_edit(None);
        self.doc.edits.settings.fold_traditional = fold;
        self.recompute();
    }

    /// Adds the theme to a measure by hand, or removes it when the measure carries it.
    pub fn toggle_theme(&mut self, plan_index: usize, measure_id: &str, theme_id: &str) {
        let Some(plan) = self.doc.plans.get(plan_index) else {
            return;
        };
        if plan.measure(measure_id).is_none() || self.doc.edits.codebook.theme(theme_id).is_none() {
            return;
        }
        let reference = MeasureRef::new(&plan.id, measure_id);
        let carried = self
            .themes_of(plan_index, measure_id)
            .iter()
            .any(|t| t.theme_id == theme_id);
        self.begin_edit(None);
        // One edit per measure and theme: the latest says whether it is added or removed (a
        // removal also keeps the matcher from suggesting the theme again).
        self.doc
            .edits
            .tag_edits
            .retain(|e| !(e.measure == reference && e.theme_id == theme_id));
        self.doc.edits.tag_edits.push(TagEdit {
            measure: reference,
            theme_id: theme_id.to_owned(),
            added: !carried,
            carried_from: None,
        });
        self.retag(plan_index, measure_id);
    }

    /// Adds a theme to a pillar with default names and the next free colour; returns its id.
    pub fn add_theme(&mut self, pillar_id: &str) -> Option<String> {
        let used: Vec<String> = self
            .doc
            .edits
            .codebook
            .themes()
            .map(|t| t.id.clone())
            .collect();
        let count = used.len();
        let pillar_index = self
            .doc
            .edits
            .codebook
            .pillars
            .iter()
            .position(|p| p.id == pillar_id)?;
        let id = (1..)
            .map(|n| format!("{pillar_id}.custom-{n}"))
            .find(|id| !used.contains(id))?;
        let n = id.rsplit('-').next().unwrap_or("1").to_owned();
        self.begin_edit(None);
        let pillar = self.doc.edits.codebook.pillars.get_mut(pillar_index)?;
        pillar.themes.push(Theme {
            id: id.clone(),
            zh: format!("新主题{n}"),
            en: format!("New theme {n}"),
            color: NEW_THEME_COLORS
                .get(count % NEW_THEME_COLORS.len())
                .copied()
                .unwrap_or("#9E9E9E")
                .to_owned(),
            ..Theme::default()
        });
        self.recompute();
        Some(id)
    }

    /// Ids of a plan's measures that tags or link decisions refer to, sorted.
    fn measures_with_work(&self, plan_id: &str) -> Vec<&str> {
        crate::workspace::measures_with_work(
            &self.doc.edits.tag_edits,
            &self.doc.edits.decisions,
            plan_id,
        )
    }

    /// Puts a re-read version of plan `index` in its place (same id). Tags, decisions and notes
    /// follow their measures, matched by text when a revision renumbered them (in the undo
    /// history too); returns the labels and ids of measures that carry the analyst's work but
    /// are gone from the new version (their work is kept, not dropped, and lands on no other).
    pub fn replace_plan(&mut self, index: usize, mut plan: Plan) -> Vec<String> {
        let Some(old) = self.doc.plans.get(index) else {
            return Vec::new();
        };
        plan.id.clone_from(&old.id);
        // Work follows its measure into the new version, also when numbering shifted.
        let carry = VersionCarry::new(old, &plan);
        let gone: Vec<String> = self
            .measures_with_work(&plan.id)
            .into_iter()
            .filter(|id| carry.is_gone(id))
            .map(|id| {
                old.measure(id)
                    .map_or_else(|| id.to_owned(), |m| format!("{}{}", m.label, m.title))
            })
            .collect();
        let plan_id = plan.id.clone();
        let snapshots = std::iter::once(&mut self.doc.edits)
            .chain(self.history.undo_stack.iter_mut())
            .chain(self.history.redo_stack.iter_mut());
        for edits in snapshots {
            carry_work(&mut edits.tag_edits, &mut edits.decisions, &plan_id, &carry);
        }
        if let Some(slot) = self.doc.plans.get_mut(index) {
            *slot = plan;
        }
        self.ui.selected = None;
        self.recompute();
        gone
    }

    /// Takes the offered autosaved work: its edits (an undoable step) and its view.
    pub fn recover(&mut self) {
        let Some(work) = self.ui.recovery.take() else {
            return;
        };
        self.begin_edit(None);
        if !work.codebook.pillars.is_empty() {
            self.doc.edits.codebook = work.codebook;
        }
        self.doc.edits.tag_edits = work.tag_edits;
        self.doc.edits.decisions = work.decisions;
        let position = |id: &str| self.doc.plans.iter().position(|p| p.id == id);
        if let (Some(left), Some(right)) = (position(&work.view.left), position(&work.view.right)) {
            self.doc.left = left;
            self.doc.right = right;
        }
        self.ui.view = View::from_name(&work.view.view);
        self.ui.selected = None;
        self.recompute();
    }

    /// Replaces the codebook (an undoable edit); manual tags of themes it lacks stay in the
    /// work and count again if the theme comes back.
    pub fn replace_codebook(&mut self, codebook: Codebook) {
        if codebook == self.doc.edits.codebook {
            return;
        }
        self.begin_edit(None);
        self.doc.edits.codebook = codebook;
        self.ui.editing_theme = None;
        if self
            .ui
            .filter
            .theme
            .as_ref()
            .is_some_and(|id| self.doc.edits.codebook.theme(id).is_none())
        {
            self.ui.filter.theme = None;
        }
        self.recompute();
    }

    /// Renames and recolours a theme; empty names and malformed colours are refused.
    pub fn update_theme(&mut self, theme_id: &str, zh: &str, en: &str, color: &str) -> bool {
        let valid_color = color.len() == 7
            && color.starts_with('#')
            && color.chars().skip(1).all(|c| c.is_ascii_hexdigit());
        if zh.trim().is_empty() || en.trim().is_empty() || !valid_color {
            return false;
        }
        let unchanged = self
            .doc
            .edits
            .codebook
            .theme(theme_id)
            .is_some_and(|t| t.zh == zh.trim() && t.en == en.trim() && t.color == color);
        if unchanged || self.doc.edits.codebook.theme(theme_id).is_none() {
            return unchanged;
        }
        self.begin_edit(None);
        if let Some(theme) = self
            .doc
            .edits
            .codebook
            .pillars
            .iter_mut()
            .flat_map(|p| p.themes.iter_mut())
            .find(|t| t.id == theme_id)
        {
            zh.trim().clone_into(&mut theme.zh);
            en.trim().clone_into(&mut theme.en);
            color.clone_into(&mut theme.color);
        }
        true
    }

    /// The alignment report of the shown pair in a format (the same code as the CLI's).
    pub fn report_bytes(&self, format: ReportFormat) -> Result<Vec<u8>, String> {
        let refs: Vec<&Plan> = self.doc.plans.iter().collect();
        let aligner = self.kept_aligner(&refs);
        if self.ui.view == View::Cascade {
            // The cascade exports as `planalign report --base` writes it, with the decisions.
            let report = crate::report::TraceReport::build(
                &aligner,
                self.derived.cascade.base,
                &self.derived.cascade.others,
                &self.doc.edits.decisions,
                crate::ingest::now_rfc3339(),
            )
            .ok_or("no plans to report on")?;
            return Ok(crate::report::trace_report(&report, format)?);
        }
        let report = AlignmentReport::build(
            &aligner,
            self.doc.left,
            self.doc.right,
            &self.derived.alignment,
            &self.doc.edits.codebook,
            crate::ingest::now_rfc3339(),
        )
        .ok_or("no plans to report on")?
        .with_hand_tags(&self.doc.edits.tag_edits, &refs);
        Ok(alignment_report(&report, format)?)
    }

    /// Shows an error toast.
    pub fn toast_error(&mut self, text: String) {
        self.ui.toasts.push(Toast {
            text,
            error: true,
            shown_at: None,
        });
    }

    /// Shows an information toast.
    pub fn toast_info(&mut self, text: String) {
        self.ui.toasts.push(Toast {
            text,
            error: false,
            shown_at: None,
        });
    }

    /// The plan shown on a side.
    pub fn plan(&self, side: Side) -> Option<&Plan> {
        self.doc.plans.get(self.plan_index(side))
    }

    /// The plan index shown on a side.
    pub fn plan_index(&self, side: Side) -> usize {
        side.pick(self.doc.left, self.doc.right)
    }

    /// Whether a measure on a side has no link that is not rejected.
    pub fn is_unmatched(&self, side: Side, measure_id: &str) -> bool {
        self.derived
            .alignment
            .unmatched(side)
            .iter()
            .any(|id| id == measure_id)
    }

    /// Ids of the measures on the other side linked to a measure, best first.
    pub fn linked(&self, side: Side, measure_id: &str) -> Vec<(String, f32)> {
        let mut linked: Vec<(String, f32)> = self
            .derived
            .alignment
            .links_of(side, measure_id)
            .map(|link| (link.id(side.other()).to_owned(), link.score))
            .collect();
        linked.sort_by(|a, b| b.1.total_cmp(&a.1));
        linked
    }

    /// Whether a measure shown on a side passes the filter.
    pub fn passes_filter(&self, side: Side, measure_id: &str) -> bool {
        let filter = &self.ui.filter;
        if !filter.is_active() {
            return true;
        }
        let Some(measure) = self.plan(side).and_then(|p| p.measure(measure_id)) else {
            return false;
        };
        if filter.unmatched_only && !self.is_unmatched(side, measure_id) {
            return false;
        }
        if filter.suggestions_only
            && self
                .suggestions_for(self.plan_index(side), measure_id)
                .next()
                .is_none()
        {
            return false;
        }
        if let Some(theme) = &filter.theme {
            let themes = self.themes_of(self.plan_index(side), measure_id);
            if !themes.iter().any(|t| &t.theme_id == theme) {
                return false;
            }
        }
        if let Some(status) = filter.status {
            let has = self
                .derived
                .alignment
                .links_of(side, measure_id)
                .any(|link| link.status == status);
            if !has {
                return false;
            }
        }
        let needle = match_key(filter.text.trim());
        if needle.is_empty() {
            return true;
        }
        let units = measure
            .lead_units
            .iter()
            .chain(&measure.support_units)
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        [
            measure.label.as_str(),
            measure.title.as_str(),
            measure.text.as_str(),
            units.as_str(),
        ]
        .iter()
        .any(|field| match_key(field).contains(&needle))
    }

    /// Measures of a side in plan order that pass the filter.
    pub fn visible_measures(&self, side: Side) -> Vec<String> {
        self.plan(side)
            .map(|plan| {
                plan.measures
                    .iter()
                    .filter(|m| self.passes_filter(side, &m.id))
                    .map(|m| m.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many measures of a loaded plan carry a theme.
    pub fn theme_count(&self, plan_index: usize, theme_id: &str) -> usize {
        self.derived
            .coverage
            .theme_ids
            .iter()
            .position(|id| id == theme_id)
            .map_or(0, |row| self.derived.coverage.count(row, plan_index))
    }

    /// Whether a theme on a measure was added by hand.
    pub fn is_manual_theme(&self, plan_index: usize, measure_id: &str, theme_id: &str) -> bool {
        self.themes_of(plan_index, measure_id)
            .iter()
            .any(|t| t.theme_id == theme_id && t.origin == TagOrigin::Manual)
    }
}

/// How many undo steps are kept.
const UNDO_LIMIT: usize = 200;

/// Colours given to new themes in turn.
const NEW_THEME_COLORS: &[&str] = &[
    "#E57373", "#64B5F6", "#81C784", "#FFB74D", "#BA68C8", "#4DB6AC", "#F06292", "#A1887F",
];

/// Rank of a jurisdiction level: lower is higher up (national first); unknown last.
fn level_rank(plan: &Plan) -> u8 {
    match plan.meta.jurisdiction.level {
        Some(crate::model::Level::National) => 0,
        Some(crate::model::Level::Provincial) => 1,
        Some(crate::model::Level::Municipal) => 2,
        Some(crate::model::Level::District) => 3,
        Some(crate::model::Level::County) => 4,
        None => 5,
    }
}

/// The pair to show first: plan `first` and, when there are others, the next plan (the next
/// file opened, or the plan it is most likely compared with: its parent jurisdiction's, else a
/// plan of another level, else the next one); never a plan with itself; the higher level on the
/// left.
pub fn default_pair(plans: &[Plan], first: usize) -> (usize, usize) {
    let Some(anchor) = plans.get(first) else {
        return (0, 0);
    };
    let others: Vec<usize> = (0..plans.len()).filter(|&i| i != first).collect();
    let parent = anchor.meta.jurisdiction.parent.as_deref();
    let partner = others
        .iter()
        .copied()
        .find(|&i| {
            parent.is_some()
                && plans
                    .get(i)
                    .and_then(|p| p.meta.jurisdiction.name.as_deref())
                    == parent
        })
        .or_else(|| {
            others.iter().copied().find(|&i| {
                plans
                    .get(i)
                    .is_some_and(|p| level_rank(p) != level_rank(anchor))
            })
        })
        .or_else(|| others.first().copied());
    let Some(partner) = partner else {
        return (first, first);
    };
    order_by_level(plans, first, partner)
}

/// The two plans with the higher level on the left (as given when equal).
pub fn order_by_level(plans: &[Plan], a: usize, b: usize) -> (usize, usize) {
    let rank = |i: usize| plans.get(i).map_or(5, level_rank);
    if rank(b) < rank(a) { (b, a) } else { (a, b) }
}

/// Where a side's entry sits in a pair of per-side tables.
fn side_slot(side: Side) -> usize {
    side.pick(0, 1)
}
