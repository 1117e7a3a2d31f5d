//! UI flows on the real app state with egui_kittest, by AccessKit role and label: select a
//! measure, follow a link, swap plans, switch the language.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::common;

use common::harness;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use planalign::app::{Lang, PlanAlignApp, Side};

#[test]
fn opens_on_shanghai_2021_beside_jingan_2023() {
    let harness = harness(Lang::Zh);
    let state = &harness.state().state;
    assert_eq!(
        state.plan(Side::Left).unwrap().id,
        "shanghai-2021-quality-work-points"
    );
    assert_eq!(
        state.plan(Side::Right).unwrap().id,
        "jingan-2023-quality-work-points"
    );
    assert!(!state.derived().alignment.links.is_empty());
    assert_eq!(
        state.doc.plans.len(),
        5,
        "the other bundled plans are in the library"
    );
    harness.get_by_label("规划库");
}

#[test]
fn selecting_a_measure_shows_its_links_and_diff() {
    let mut harness = harness(Lang::Zh);
    harness
        .get_by_role_and_label(egui::Role::Button, "（一）积极构建大质量工作体系")
        .click();
    // Selecting scrolls the other pane to the best link: a few frames of animation.
    harness.run_steps(10);
    let (best_id, link_label) = {
        let state = &harness.state().state;
        assert_eq!(state.ui.selected, Some((Side::Left, "m1".to_owned())));
        let best_id = state.linked(Side::Left, "m1")[0].0.clone();
        let best = state.plan(Side::Right).unwrap().measure(&best_id).unwrap();
        (best_id, format!("→ {}{}", best.label, best.title))
    };
    // The detail panel shows the diff and links to the counterpart.
    harness.get_by_label("文字差异");
    harness.get_by_label(&link_label).click();
    harness.run_steps(10);
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Right, best_id))
    );
}

#[test]
fn swapping_and_choosing_plans() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("Swap sides").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(
        state.plan(Side::Left).unwrap().id,
        "jingan-2023-quality-work-points"
    );
    harness.get_by_label("Right · 嘉定区 2024 行动计划").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(
        state.plan(Side::Right).unwrap().id,
        "jiading-2024-quality-outline-action-plan"
    );
    assert_eq!(
        state.derived().alignment.right_plan_id,
        "jiading-2024-quality-outline-action-plan"
    );
}

#[test]
fn switching_the_language() {
    let mut harness = harness(Lang::Zh);
    harness.get_by_label("语言").click();
    harness.run();
    harness.get_by_label("English").click();
    harness.run();
    assert_eq!(harness.state().state.ui.lang, Lang::En);
    harness.get_by_label("Plan library");
}

#[test]
fn accepting_and_rejecting_links_survive_realignment() {
    let mut harness = harness(Lang::En);
    harness
        .get_by_role_and_label(egui::Role::Button, "（一）积极构建大质量工作体系")
        .click();
    harness.run_steps(10);
    let (left_id, right_id) = {
        let link = harness
            .state()
            .state
            .derived()
            .alignment
            .links_of(planalign::model::Side::Left, "m1")
            .next()
            .unwrap()
            .clone();
        (link.left_id, link.right_id)
    };
    harness.get_all_by_label("Accept").next().unwrap().click();
    harness.run_steps(5);
    let status = |harness: &Harness<'_, PlanAlignApp>| {
        let alignment = &harness.state().state.derived().alignment;
        alignment
            .links
            .iter()
            .find(|l| l.left_id == left_id && l.right_id == right_id)
            .map(|l| l.status)
    };
    assert_eq!(
        status(&harness),
        Some(planalign::model::LinkStatus::Accepted)
    );
    harness.get_all_by_label("Reject").next().unwrap().click();
    harness.run_steps(5);
    assert_eq!(
        status(&harness),
        Some(planalign::model::LinkStatus::Rejected)
    );
    // Showing another plan and coming back re-aligns; the verdict stays.
    harness.get_by_label("Right · 嘉定区 2024 行动计划").click();
    harness.run_steps(5);
    harness.get_by_label("Right · 静安区 2023 工作要点").click();
    harness.run_steps(5);
    assert_eq!(
        status(&harness),
        Some(planalign::model::LinkStatus::Rejected)
    );
    assert_eq!(harness.state().state.doc.edits.decisions.len(), 1);
}

#[test]
fn aligned_table_rows_cover_links_and_unmatched_measures() {
    use planalign::app::{SortKey, aligned_rows};
    let harness = harness(Lang::En);
    let state = &harness.state().state;
    let alignment = &state.derived().alignment;
    let rows = aligned_rows(state, SortKey::PlanOrder);
    assert_eq!(
        rows.len(),
        alignment.links.len() + alignment.unmatched_left.len() + alignment.unmatched_right.len()
    );
    let by_score = aligned_rows(state, SortKey::Score);
    let scores: Vec<f32> = by_score
        .iter()
        .filter_map(|r| r.link.map(|i| alignment.links[i].score))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(
        by_score.last().unwrap().link.is_none(),
        "unmatched rows sort last by score"
    );
}

#[test]
fn aligned_view_sorts_and_selects() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("Aligned table").click();
    harness.run();
    assert_eq!(harness.state().state.ui.view, planalign::app::View::Aligned);
    harness
        .get_all_by_label("Likelihood")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(
        harness.state().state.ui.aligned_sort,
        planalign::app::SortKey::Score
    );
    // Plan order puts （一） first; clicking it selects the measure.
    harness.get_by_label("Plan order").click();
    harness.run();
    harness
        .get_all_by_label("（一）积极构建大质量工作体系")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Left, "m1".to_owned()))
    );
}
