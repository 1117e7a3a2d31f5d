//! The app's state: the loaded plans, which two are compared, their alignment and the view
//! (selection, language). Derived data (alignment, themes) is rebuilt when its inputs change.

use std::collections::HashMap;

use crate::align::{AlignConfig, Aligner, Alignment, CharDiff, char_diff};
use crate::model::{LinkDecision, LinkStatus, MeasureRef, Plan};
use crate::themes::{Codebook, EffectiveTheme};

use super::i18n::Lang;

/// Which pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The left pane.
    Left,
    /// The right pane.
    Right,
}

/// The main view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    /// Two panes with connectors.
    #[default]
    SideBySide,
    /// One row per link and per unmatched measure.
    Aligned,
}

/// Everything the views read.
pub struct AppState {
    /// Loaded plans, in library order.
    pub plans: Vec<Plan>,
    /// The theme codebook.
    pub codebook: Codebook,
    /// Index of the left plan.
    pub left: usize,
    /// Index of the right plan.
    pub right: usize,
    /// The alignment of left and right (derived).
    pub alignment: Alignment,
    /// Effective themes per (plan index, measure id) (derived).
    pub themes: HashMap<(usize, String), Vec<EffectiveTheme>>,
    /// The selected measure.
    pub selected: Option<(Side, String)>,
    /// Cards to scroll into view.
    pub scroll_to: Vec<(Side, String)>,
    /// Frames left to honour `scroll_to` (a few, so it works while layout settles).
    pub scroll_frames_left: u8,
    /// UI language.
    pub lang: Lang,
    /// The main view shown.
    pub view: View,
    /// Sort order of the aligned table.
    pub aligned_sort: super::aligned_view::SortKey,
    /// The analyst's link decisions (accepted, rejected), fed to every re-alignment.
    pub decisions: Vec<LinkDecision>,
    /// Character diffs of the selected measure's links, by (left id, right id) (derived when
    /// the selection or the alignment changes, not every frame).
    pub selected_diffs: HashMap<(String, String), CharDiff>,
}

impl AppState {
    /// State over `plans`, comparing the first two (or the only one with itself).
    pub fn new(plans: Vec<Plan>, lang: Lang) -> Self {
        let mut state = Self {
            right: usize::from(plans.len() > 1),
            plans,
            codebook: Codebook::bundled(),
            left: 0,
            alignment: Alignment::default(),
            themes: HashMap::new(),
            selected: None,
            scroll_to: Vec::new(),
            scroll_frames_left: 0,
            lang,
            view: View::default(),
            aligned_sort: super::aligned_view::SortKey::default(),
            decisions: Vec::new(),
            selected_diffs: HashMap::new(),
        };
        state.recompute();
        state
    }

    /// Rebuilds the alignment and themes after the plans or the pair changed.
    pub fn recompute(&mut self) {
        let refs: Vec<&Plan> = self.plans.iter().collect();
        let aligner = Aligner::new(&refs, &self.codebook, &[], AlignConfig::default());
        self.alignment = aligner.align(self.left, self.right, &self.decisions);
        self.themes = aligner
            .corpus()
            .plans
            .iter()
            .enumerate()
            .flat_map(|(plan_index, features)| {
                let plan = refs.get(plan_index);
                features.iter().filter_map(move |f| {
                    let measure = plan?.measures.get(f.measure_index)?;
                    Some(((plan_index, measure.id.clone()), f.themes.clone()))
                })
            })
            .collect();
        self.refresh_selected_diffs();
    }

    /// Selects a measure (or nothing) and derives the diffs its detail panel shows.
    pub fn select(&mut self, selected: Option<(Side, String)>) {
        self.selected = selected;
        self.refresh_selected_diffs();
    }

    fn refresh_selected_diffs(&mut self) {
        self.selected_diffs.clear();
        let Some((side, measure_id)) = self.selected.clone() else {
            return;
        };
        let (Some(left), Some(right)) = (self.plan(Side::Left), self.plan(Side::Right)) else {
            return;
        };
        let diffs: Vec<((String, String), CharDiff)> = self
            .alignment
            .links
            .iter()
            .filter(|link| match side {
                Side::Left => link.left_id == measure_id,
                Side::Right => link.right_id == measure_id,
            })
            .filter_map(|link| {
                let lhs = left.measure(&link.left_id)?;
                let rhs = right.measure(&link.right_id)?;
                Some((
                    (link.left_id.clone(), link.right_id.clone()),
                    char_diff(&lhs.text, &rhs.text),
                ))
            })
            .collect();
        self.selected_diffs.extend(diffs);
    }

    /// Records a verdict on a link between the shown plans (replacing an earlier one).
    pub fn set_link_status(&mut self, left_id: &str, right_id: &str, status: LinkStatus) {
        let (Some(left), Some(right)) = (self.plan(Side::Left), self.plan(Side::Right)) else {
            return;
        };
        let left_ref = MeasureRef::new(&left.id, left_id);
        let right_ref = MeasureRef::new(&right.id, right_id);
        let same_pair = |d: &LinkDecision| {
            (d.left == left_ref && d.right == right_ref)
                || (d.left == right_ref && d.right == left_ref)
        };
        match self.decisions.iter_mut().find(|d| same_pair(d)) {
            Some(decision) => decision.status = status,
            None => self.decisions.push(LinkDecision {
                left: left_ref,
                right: right_ref,
                status,
                ..LinkDecision::default()
            }),
        }
        self.recompute();
    }

    /// The plan shown on a side.
    pub fn plan(&self, side: Side) -> Option<&Plan> {
        self.plans.get(match side {
            Side::Left => self.left,
            Side::Right => self.right,
        })
    }

    /// The plan index shown on a side.
    pub fn plan_index(&self, side: Side) -> usize {
        match side {
            Side::Left => self.left,
            Side::Right => self.right,
        }
    }

    /// Whether a measure on a side has no link that is not rejected.
    pub fn is_unmatched(&self, side: Side, measure_id: &str) -> bool {
        let list = match side {
            Side::Left => &self.alignment.unmatched_left,
            Side::Right => &self.alignment.unmatched_right,
        };
        list.iter().any(|id| id == measure_id)
    }

    /// Ids of the measures on the other side linked to a measure, best first.
    pub fn linked(&self, side: Side, measure_id: &str) -> Vec<(String, f32)> {
        let mut linked: Vec<(String, f32)> = self
            .alignment
            .links
            .iter()
            .filter_map(|link| match side {
                Side::Left if link.left_id == measure_id => {
                    Some((link.right_id.clone(), link.score))
                }
                Side::Right if link.right_id == measure_id => {
                    Some((link.left_id.clone(), link.score))
                }
                _ => None,
            })
            .collect();
        linked.sort_by(|a, b| b.1.total_cmp(&a.1));
        linked
    }
}
