//! Every view stays usable on small screens: at 1024 × 700, 1366 × 768 and 1920 × 1080 the two
//! panes, the review buttons, the coverage columns and the cascade columns are inside the
//! window (egui_kittest, by AccessKit labels and rectangles).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp, Side, View, install_fonts};
use planalign::library::bundled_entries;

const SIZES: [(f32, f32); 3] = [(1024.0, 700.0), (1366.0, 768.0), (1920.0, 1080.0)];

fn harness_at(size: (f32, f32)) -> Harness<'static, PlanAlignApp> {
    let app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(size.0, size.1))
        .with_context_setup(install_fonts)
        .build_ui_state(|ui, app: &mut PlanAlignApp| app.show(ui), app);
    harness.run();
    harness
}

/// Whether a widget lies wholly inside the window.
fn inside(rect: egui::Rect, size: (f32, f32)) -> bool {
    rect.left() >= -0.5
        && rect.right() <= size.0 + 0.5
        && rect.top() >= -0.5
        && rect.bottom() <= size.1 + 0.5
}

#[test]
fn both_panes_and_the_review_buttons_are_inside_the_window() {
    for size in SIZES {
        let mut harness = harness_at(size);
        let (left_title, right_title, link) = {
            let state = &harness.state().state;
            (
                state.plan(Side::Left).unwrap().meta.title.clone(),
                state.plan(Side::Right).unwrap().meta.title.clone(),
                state.derived().alignment.links[0].clone(),
            )
        };
        harness.state_mut().apply(
            vec![
                Command::SelectMeasure {
                    side: Side::Left,
                    measure_id: link.left_id.clone(),
                },
                Command::SelectLink {
                    left_id: link.left_id.clone(),
                    right_id: link.right_id.clone(),
                },
            ],
            None,
        );
        harness.run_steps(4);
        for title in [&left_title, &right_title] {
            // The pane's heading (the library lists the title too, further left).
            let rect = harness
                .query_all_by_label(title)
                .map(|node| node.rect())
                .max_by(|a, b| a.left().total_cmp(&b.left()))
                .unwrap();
            assert!(
                inside(rect, size),
                "{size:?}: pane title {title} at {rect:?}"
            );
            assert!(
                rect.width() > 120.0,
                "{size:?}: pane {title} is {rect:?} wide"
            );
        }
        for button in ["Accept", "Reject"] {
            let rect = harness.get_by_role_and_label(Role::Button, button).rect();
            assert!(inside(rect, size), "{size:?}: {button} at {rect:?}");
        }
    }
}

#[test]
fn coverage_and_cascade_show_several_plan_columns() {
    for size in SIZES {
        let mut harness = harness_at(size);
        let labels: Vec<String> = harness
            .state()
            .state
            .doc
            .plans
            .iter()
            .map(planalign::model::Plan::short_label)
            .collect();
        for view in [View::Coverage, View::Cascade] {
            harness
                .state_mut()
                .apply(vec![Command::SetView(view)], None);
            harness.run_steps(4);
            let visible = labels
                .iter()
                .filter(|label| {
                    harness
                        .query_all_by_label(label)
                        .any(|node| inside(node.rect(), size))
                })
                .count();
            let wanted = if size.0 < 1100.0 { 2 } else { 3 };
            assert!(
                visible >= wanted,
                "{size:?} {view:?}: {visible} plan columns in view"
            );
        }
    }
}
