//! Reviewing to the end: N visits every unreviewed link exactly once, in plan order, and never
//! skips a link of the measure the analyst selected; the detail panel counts the progress.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp, Side};
use planalign::library::bundled_entries;
use planalign::model::LinkStatus;

fn plan_order(app: &PlanAlignApp) -> Vec<(String, String)> {
    let state = &app.state;
    let position = |side: Side, id: &str| {
        state
            .plan(side)
            .unwrap()
            .measures
            .iter()
            .position(|m| m.id == id)
            .unwrap()
    };
    let mut links: Vec<_> = state
        .derived()
        .alignment
        .links
        .iter()
        .filter(|l| l.status == LinkStatus::Unreviewed)
        .map(|l| {
            (
                position(Side::Left, &l.left_id),
                position(Side::Right, &l.right_id),
                l.left_id.clone(),
                l.right_id.clone(),
            )
        })
        .collect();
    links.sort();
    links.into_iter().map(|(_, _, l, r)| (l, r)).collect()
}

#[test]
fn next_unreviewed_visits_every_link_once_in_plan_order() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let expected = plan_order(&app);
    assert!(expected.len() > 10);
    let mut visited = Vec::new();
    for _ in 0..expected.len() {
        app.apply(vec![Command::NextUnreviewed], None);
        visited.push(app.state.ui.current_link.clone().unwrap());
    }
    assert_eq!(visited, expected);
    // Then it starts over.
    app.apply(vec![Command::NextUnreviewed], None);
    assert_eq!(app.state.ui.current_link.as_ref(), expected.first());

    // Accepting as it goes: each accept counts, and N moves on to the next one.
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let total = app.state.review_progress().1;
    for done in 1..=5 {
        app.apply(
            vec![
                Command::NextUnreviewed,
                Command::DecideCurrent(LinkStatus::Accepted),
            ],
            None,
        );
        assert_eq!(app.state.review_progress(), (done, total));
    }
    assert_eq!(plan_order(&app), expected[5..]);
}

#[test]
fn next_unreviewed_starts_with_the_selected_measures_first_link() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let order = plan_order(&app);
    // A measure with two or more links, selected by hand: its current link is its best one,
    // which need not be its first in plan order.
    let (left_id, first_right) = order
        .iter()
        .find(|(l, _)| order.iter().filter(|(m, _)| m == l).count() >= 2)
        .cloned()
        .unwrap();
    app.apply(
        vec![Command::SelectMeasure {
            side: Side::Left,
            measure_id: left_id.clone(),
        }],
        None,
    );
    app.apply(vec![Command::NextUnreviewed], None);
    assert_eq!(app.state.ui.current_link, Some((left_id, first_right)));
}

#[test]
fn a_decision_realigns_on_kept_features_exactly_as_a_full_rebuild() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let links = app.state.derived().alignment.links.clone();
    app.apply(
        vec![
            Command::SetLinkStatus {
                left_id: links[0].left_id.clone(),
                right_id: links[0].right_id.clone(),
                status: LinkStatus::Rejected,
            },
            Command::AddManualLink {
                left_id: links[1].left_id.clone(),
                right_id: links[0].right_id.clone(),
            },
            Command::ShowPlan {
                side: Side::Right,
                index: 2,
            },
            Command::ShowPlan {
                side: Side::Right,
                index: 1,
            },
        ],
        None,
    );
    let (alignment, cascade, coverage) = (
        app.state.derived().alignment.clone(),
        app.state.derived().cascade.clone(),
        app.state.derived().coverage.clone(),
    );
    assert!(
        alignment
            .links
            .iter()
            .any(|l| l.status == LinkStatus::Rejected)
    );
    app.state.recompute();
    assert_eq!(app.state.derived().alignment, alignment);
    assert_eq!(app.state.derived().cascade, cascade);
    assert_eq!(app.state.derived().coverage, coverage);
}

#[test]
fn a_hand_tag_retags_one_measure_exactly_as_a_full_rebuild() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let left = app.state.doc.left();
    let right = app.state.doc.right();
    let left_id = app.state.doc.plans[left].measures[0].id.clone();
    let right_id = app.state.doc.plans[right].measures[2].id.clone();
    let carried = app.state.themes_of(left, &left_id)[0].theme_id.clone();
    let theme_ids: Vec<String> = app
        .state
        .codebook()
        .themes()
        .map(|t| t.id.clone())
        .collect();
    let added = theme_ids
        .iter()
        .find(|id| {
            !app.state
                .themes_of(right, &right_id)
                .iter()
                .any(|t| &t.theme_id == *id)
        })
        .unwrap()
        .clone();
    app.apply(
        vec![
            // A theme the matcher found, removed; one it did not, added; on either side.
            Command::ToggleTheme {
                side: Side::Left,
                measure_id: left_id.clone(),
                theme_id: carried.clone(),
            },
            Command::ToggleTheme {
                side: Side::Right,
                measure_id: right_id.clone(),
                theme_id: added.clone(),
            },
        ],
        None,
    );
    assert!(
        !app.state
            .themes_of(left, &left_id)
            .iter()
            .any(|t| t.theme_id == carried)
    );
    assert!(
        app.state
            .themes_of(right, &right_id)
            .iter()
            .any(|t| t.theme_id == added)
    );
    let derived = app.state.derived();
    let (alignment, coverage, themes) = (
        derived.alignment.clone(),
        derived.coverage.clone(),
        derived.themes.clone(),
    );
    app.state.recompute();
    assert_eq!(app.state.derived().themes, themes);
    assert_eq!(app.state.derived().coverage, coverage);
    assert_eq!(app.state.derived().alignment, alignment);
}
