//! Moving through the plans: selecting a measure (and scrolling the other pane to its best
//! link), revealing a measure of any plan, stepping through measures and unreviewed links.

use super::*;

/// Selects a measure and scrolls it, and its best link in the other pane, into view.
pub(super) fn select_measure(state: &mut AppState, side: Side, measure_id: String) {
    state.ui.scroll_to = vec![(side, measure_id.clone())];
    state.ui.scroll_to.extend(
        state
            .linked(side, &measure_id)
            .first()
            .map(|(best, _)| (side.other(), best.clone())),
    );
    state.select(Some((side, measure_id)));
    state.ui.scroll_frames_left = 3;
}

/// Shows a measure of any loaded plan side by side and selects it.
pub(super) fn reveal(state: &mut AppState, plan_index: usize, measure_id: String) {
    if plan_index >= state.doc.plans.len() {
        return;
    }
    let side = if plan_index == state.doc.left() {
        Side::Left
    } else if plan_index == state.doc.right() {
        Side::Right
    } else {
        state.show_plan(Side::Right, plan_index);
        Side::Right
    };
    select_measure(state, side, measure_id);
}

/// Selects the next or previous visible measure of the selected pane (the left one at first).
pub(super) fn step_measure(state: &mut AppState, forward: bool) {
    let side = state.ui.selected.as_ref().map_or(Side::Left, |(s, _)| *s);
    let visible = state.visible_measures(side);
    let position = state
        .ui
        .selected
        .as_ref()
        .and_then(|(_, id)| visible.iter().position(|v| v == id));
    let next = match (position, forward) {
        (None, true) => visible.first(),
        (None, false) => visible.last(),
        (Some(p), true) => visible.get(p + 1).or(visible.get(p)),
        (Some(p), false) => visible.get(p.saturating_sub(1)),
    };
    if let Some(id) = next.cloned() {
        select_measure(state, side, id);
    }
}

/// Selects the next unreviewed link after the current one in left, then right plan order
/// (wrapping round), makes it current and shows both ends.
pub(super) fn next_unreviewed(state: &mut AppState) {
    let position = |plan: Option<&Plan>, id: &str| {
        plan.and_then(|p| p.measures.iter().position(|m| m.id == id))
            .unwrap_or(usize::MAX)
    };
    let (left, right) = (state.plan(Side::Left), state.plan(Side::Right));
    let mut order: Vec<(usize, usize, String, String)> = state
        .derived()
        .alignment
        .links
        .iter()
        .filter(|l| l.status == LinkStatus::Unreviewed)
        .map(|l| {
            (
                position(left, &l.left_id),
                position(right, &l.right_id),
                l.left_id.clone(),
                l.right_id.clone(),
            )
        })
        .collect();
    order.sort();
    // After the link N last went to, strictly; from the start of the current measure's links
    // when the analyst moved elsewhere since (so none of that measure's is skipped).
    let current = state
        .ui
        .current_link
        .as_ref()
        .map(|(l, r)| (position(left, l), position(right, r)));
    let continuing =
        state.ui.current_link.is_some() && state.ui.current_link == state.ui.review_cursor;
    let next = order
        .iter()
        .find(|(l, r, ..)| match current {
            None => true,
            Some(c) if continuing => (*l, *r) > c,
            Some((cl, _)) => *l >= cl,
        })
        .or(order.first())
        .cloned();
    if let Some((_, _, left_id, right_id)) = next {
        state.ui.review_cursor = Some((left_id.clone(), right_id.clone()));
        select_measure(state, Side::Left, left_id.clone());
        state.ui.scroll_to = vec![
            (Side::Left, left_id.clone()),
            (Side::Right, right_id.clone()),
        ];
        state.ui.current_link = Some((left_id, right_id));
    }
}
