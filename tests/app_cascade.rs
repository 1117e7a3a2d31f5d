//! The Cascade view: the left plan traced across every other loaded plan, through the real UI
//! (egui_kittest): one column per other plan, gaps marked, a click on a counterpart opens that
//! pair side by side on that link, and File › Export in this view writes the trace report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::common;

use common::harness;
use egui::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use planalign::app::{Command, Lang, Side, View};
use planalign::model::LinkStatus;

#[test]
fn the_cascade_traces_the_left_plan_and_opens_a_pair_on_a_link() {
    let mut harness = harness(Lang::En);
    harness.run();
    let (base, num_plans) = {
        let state = &harness.state().state;
        (state.doc.left(), state.doc.plans.len())
    };
    harness
        .get_by_role_and_label(Role::Button, "Cascade")
        .click();
    harness.run_steps(4);
    let (others, rows, first) = {
        let state = &harness.state().state;
        assert_eq!(state.ui.view, View::Cascade);
        let cascade = &state.derived().cascade;
        assert_eq!(cascade.base, base);
        assert_eq!(
            cascade.others.len(),
            num_plans - 1,
            "every other loaded plan"
        );
        assert!(!cascade.others.contains(&base));
        assert_eq!(cascade.rows.len(), state.doc.plans[base].measures.len());
        // The first counterpart in the last column (not the right pane's plan).
        let column = cascade.others.len() - 1;
        let (row, cell) = cascade
            .rows
            .iter()
            .find_map(|row| row.cells[column].first().map(|cell| (row, cell)))
            .expect("some measure has a counterpart");
        (
            cascade.others.clone(),
            cascade.rows.clone(),
            (
                cascade.others[column],
                row.measure_id.clone(),
                cell.measure_id.clone(),
            ),
        )
    };
    // Gaps are marked, and each column says how many base measures it takes up.
    let gaps = rows
        .iter()
        .flat_map(|row| &row.cells)
        .filter(|cells| cells.is_empty())
        .count();
    assert!(gaps > 0);
    assert_eq!(
        harness
            .query_all_by_label_contains("gap (no counterpart)")
            .count(),
        gaps
    );
    assert_eq!(
        harness.query_all_by_label_contains("taken up").count(),
        others.len()
    );
    // Clicking a counterpart opens the pair side by side, on that link.
    let (other, base_measure, other_measure) = first;
    let other_plan = &harness.state().state.doc.plans[other];
    let label = other_plan
        .measures
        .iter()
        .find(|m| m.id == other_measure)
        .unwrap()
        .label
        .clone();
    let is_counterpart = |node: &egui_kittest::Node<'_>| {
        node.accesskit_node()
            .label()
            .is_some_and(|l| l.starts_with(&label) && l.contains('%'))
    };
    // The last column may lie beyond the window's width: scroll to it as the analyst would.
    harness
        .query_all_by_role(Role::Button)
        .find(|node| is_counterpart(node))
        .expect("the counterpart's button")
        .scroll_to_me();
    harness.run_steps(4);
    harness
        .query_all_by_role(Role::Button)
        .find(|node| is_counterpart(node))
        .unwrap()
        .click();
    harness.run_steps(6);
    let state = &harness.state().state;
    assert_eq!(state.ui.view, View::SideBySide);
    assert_eq!((state.doc.left(), state.doc.right()), (base, other));
    assert_eq!(state.ui.selected, Some((Side::Left, base_measure.clone())));
    assert_eq!(
        state.ui.current_link,
        Some((base_measure.clone(), other_measure.clone()))
    );
    assert!(
        state
            .derived()
            .alignment
            .links
            .iter()
            .any(|l| l.left_id == base_measure && l.right_id == other_measure)
    );
}

#[test]
fn exporting_from_the_cascade_writes_the_trace_report_with_decisions() {
    let dir = std::env::temp_dir().join(format!("planalign-cascade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut harness = harness(Lang::Zh);
    harness.run();
    let link = harness.state().state.derived().alignment.links[0].clone();
    harness.state_mut().apply(
        vec![
            Command::SetLinkStatus {
                left_id: link.left_id.clone(),
                right_id: link.right_id.clone(),
                status: LinkStatus::Accepted,
            },
            Command::SetView(View::Cascade),
            Command::Export(dir.join("cascade.json")),
        ],
        None,
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("cascade.json")).unwrap()).unwrap();
    assert_eq!(json["schema"], "planalign.trace/1", "{json}");
    let state = &harness.state().state;
    assert_eq!(
        json["others"].as_array().unwrap().len(),
        state.doc.plans.len() - 1
    );
    // The accepted link shows as accepted in the cascade.
    let row = state
        .derived()
        .cascade
        .rows
        .iter()
        .find(|r| r.measure_id == link.left_id)
        .unwrap();
    let column = state
        .derived()
        .cascade
        .others
        .iter()
        .position(|&o| o == state.doc.right())
        .unwrap();
    assert!(
        row.cells[column]
            .iter()
            .any(|c| c.measure_id == link.right_id && c.status == LinkStatus::Accepted)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
