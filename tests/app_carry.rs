//! Tags carry across accepted links: a hand tag on one end of an accepted link is offered to
//! the other end (marked on the card and listed in the codebook panel), never applied
//! silently; taken with one key or click, refused and remembered, both undoable; the
//! suggestions filter lists them; reports show taken suggestions as hand tags with their origin.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::common;

use common::harness;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use planalign::app::{AppState, Command, Filter, Lang, PlanAlignApp, Side};
use planalign::model::{LinkStatus, MeasureRef};
use planalign::report::ReportFormat;
use planalign::themes::TagOrigin;

/// The first link of the shown pair, and a theme neither of its measures carries.
fn link_and_free_theme(state: &AppState) -> (String, String, String) {
    let link = &state.derived().alignment.links[0];
    let (left, right) = (state.doc.left(), state.doc.right());
    let carried = |plan: usize, id: &str, theme: &str| {
        state
            .themes_of(plan, id)
            .iter()
            .any(|t| t.theme_id == theme)
    };
    let theme = state
        .codebook()
        .themes()
        .map(|t| t.id.clone())
        .find(|t| !carried(left, &link.left_id, t) && !carried(right, &link.right_id, t))
        .unwrap();
    (link.left_id.clone(), link.right_id.clone(), theme)
}

fn origin(state: &AppState, side: Side, id: &str, theme: &str) -> Option<TagOrigin> {
    state
        .themes_of(state.plan_index(side), id)
        .iter()
        .find(|t| t.theme_id == theme)
        .map(|t| t.origin)
}

/// Tags `side`'s end of the link by hand and accepts the link.
fn tag_and_accept(
    harness: &mut Harness<'static, PlanAlignApp>,
    side: Side,
    left_id: &str,
    right_id: &str,
    theme: &str,
) {
    harness.state_mut().apply(
        vec![
            Command::ToggleTheme {
                side,
                measure_id: side.pick(left_id, right_id).to_owned(),
                theme_id: theme.to_owned(),
            },
            Command::SetLinkStatus {
                left_id: left_id.to_owned(),
                right_id: right_id.to_owned(),
                status: LinkStatus::Accepted,
            },
        ],
        None,
    );
    harness.run();
}

#[test]
fn a_hand_tag_is_offered_across_an_accepted_link_and_taken_with_one_key() {
    let mut harness = harness(Lang::En);
    let (left_id, right_id, theme) = link_and_free_theme(&harness.state().state);
    // Tagging alone offers nothing: the link is not accepted yet.
    harness.state_mut().apply(
        vec![Command::ToggleTheme {
            side: Side::Left,
            measure_id: left_id.clone(),
            theme_id: theme.clone(),
        }],
        None,
    );
    assert!(harness.state().state.derived().suggestions.is_empty());
    harness.state_mut().apply(
        vec![Command::SetLinkStatus {
            left_id: left_id.clone(),
            right_id: right_id.clone(),
            status: LinkStatus::Accepted,
        }],
        None,
    );
    harness.run();
    let state = &harness.state().state;
    let right_plan = state.plan(Side::Right).unwrap().id.clone();
    let suggestions = &state.derived().suggestions;
    assert_eq!(suggestions.len(), 1);
    assert_eq!(
        suggestions[0].target,
        MeasureRef::new(&right_plan, &right_id)
    );
    assert_eq!(suggestions[0].theme_id, theme);
    // Offered, not applied.
    assert_eq!(origin(state, Side::Right, &right_id, &theme), None);
    let name = state.codebook().theme(&theme).unwrap().en.clone();
    // Marked on the card and listed in the codebook panel.
    harness.get_by_label(&format!("suggested? {name}"));
    harness.get_by_label("Suggested tags (1)");

    // Select the right measure and press Y.
    harness.state_mut().apply(
        vec![Command::SelectMeasure {
            side: Side::Right,
            measure_id: right_id.clone(),
        }],
        None,
    );
    harness.run();
    harness.key_press(Key::Y);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(
        origin(state, Side::Right, &right_id, &theme),
        Some(TagOrigin::Manual)
    );
    assert!(state.derived().suggestions.is_empty());
    let edit = state.doc.edits.tag_edits.last().unwrap();
    assert!(edit.added);
    assert_eq!(
        edit.carried_from,
        Some(MeasureRef::new(
            &state.plan(Side::Left).unwrap().id,
            &left_id
        ))
    );
    // Reports show it as a hand tag with its origin.
    let json = String::from_utf8(state.report_bytes(ReportFormat::Json).unwrap()).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hand = report["hand_tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["side"] == "right" && t["measure_id"] == right_id.as_str())
        .expect("the taken tag is a hand tag in the report");
    assert!(hand["carried_from"].as_str().unwrap().contains(' '));
    // Both ends now carry the theme: the link's shared themes mark it and its origin.
    let markdown = String::from_utf8(state.report_bytes(ReportFormat::Markdown).unwrap()).unwrap();
    let zh = &state.codebook().theme(&theme).unwrap().zh;
    assert!(
        markdown.contains(&format!("{zh}（手工，自 ")),
        "the carried tag is marked in the link's row"
    );

    // Undo brings the suggestion back; redo takes it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(origin(state, Side::Right, &right_id, &theme), None);
    assert_eq!(state.derived().suggestions.len(), 1);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(
        origin(state, Side::Right, &right_id, &theme),
        Some(TagOrigin::Manual)
    );
    assert!(state.derived().suggestions.is_empty());
}

#[test]
fn a_refused_suggestion_is_not_offered_again_and_undo_brings_it_back() {
    let mut harness = harness(Lang::Zh);
    let (left_id, right_id, theme) = link_and_free_theme(&harness.state().state);
    // This time the district (right) end is tagged: the city end is offered the tag.
    tag_and_accept(&mut harness, Side::Right, &left_id, &right_id, &theme);
    let name = {
        let state = &harness.state().state;
        assert_eq!(state.derived().suggestions.len(), 1);
        assert_eq!(state.derived().suggestions[0].target.measure_id, left_id);
        state.codebook().theme(&theme).unwrap().zh.clone()
    };
    harness.get_by_label(&format!("建议? {name}"));
    // Refuse it with the card's ×.
    harness.get_by_label("×").click();
    harness.run();
    let state = &harness.state().state;
    assert!(state.derived().suggestions.is_empty());
    assert_eq!(origin(state, Side::Left, &left_id, &theme), None);
    // Remembered: rejecting and accepting the link again offers nothing.
    harness.state_mut().apply(
        vec![
            Command::SetLinkStatus {
                left_id: left_id.clone(),
                right_id: right_id.clone(),
                status: LinkStatus::Rejected,
            },
            Command::SetLinkStatus {
                left_id: left_id.clone(),
                right_id: right_id.clone(),
                status: LinkStatus::Accepted,
            },
        ],
        None,
    );
    assert!(harness.state().state.derived().suggestions.is_empty());
    // Undo the two decisions and the refusal: offered again.
    for _ in 0..3 {
        harness.state_mut().apply(vec![Command::Undo], None);
    }
    assert_eq!(harness.state().state.derived().suggestions.len(), 1);
}

#[test]
fn the_suggestions_filter_lists_the_measures_offered_a_tag() {
    let mut harness = harness(Lang::En);
    let (left_id, right_id, theme) = link_and_free_theme(&harness.state().state);
    tag_and_accept(&mut harness, Side::Left, &left_id, &right_id, &theme);
    harness.get_by_label("Suggested tags only (1)").click();
    harness.run();
    let state = &harness.state().state;
    assert!(state.ui.filter.suggestions_only);
    assert_eq!(state.visible_measures(Side::Right), vec![right_id.clone()]);
    assert!(state.visible_measures(Side::Left).is_empty());
    harness
        .state_mut()
        .apply(vec![Command::SetFilter(Filter::default())], None);
    assert!(harness.state().state.visible_measures(Side::Left).len() > 1);
}
