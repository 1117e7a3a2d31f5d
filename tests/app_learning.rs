//! Matching › Learn from my decisions: enabled once enough links are decided, fits a model on
//! them (pulled towards the shipped one), re-aligns, is undoable, and the workspace keeps it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp};
use planalign::library::bundled_entries;
use planalign::model::LinkStatus;

#[test]
fn learning_from_decisions_fits_a_model_that_undo_removes_and_the_workspace_keeps() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    // Too few decisions: an error toast, nothing changes.
    app.apply(vec![Command::LearnFromDecisions], None);
    assert!(app.state.doc.edits.model.is_none());
    assert!(app.state.ui.toasts.iter().any(|t| t.error));

    // An analyst who trusts shared wording: accepts the eight links with the most shared text
    // and rejects the four with the least.
    let mut by_text: Vec<_> = app.state.derived().alignment.links.iter().collect();
    by_text.sort_by(|a, b| b.signals.text.total_cmp(&a.signals.text));
    let mut links: Vec<(String, String)> = by_text
        .iter()
        .map(|l| (l.left_id.clone(), l.right_id.clone()))
        .collect();
    let weakest: Vec<_> = links.split_off(links.len() - 4);
    links.truncate(8);
    links.extend(weakest);
    assert!(links.len() >= 12, "{}", links.len());
    let decide = links
        .iter()
        .enumerate()
        .take(12)
        .map(|(i, (l, r))| Command::SetLinkStatus {
            left_id: l.clone(),
            right_id: r.clone(),
            status: if i < 8 {
                LinkStatus::Accepted
            } else {
                LinkStatus::Rejected
            },
        });
    app.apply(decide.collect(), None);
    assert_eq!(app.state.decision_counts(), (8, 4));

    let before = app.state.derived().alignment.clone();
    app.apply(vec![Command::LearnFromDecisions], None);
    let model = app
        .state
        .doc
        .edits
        .model
        .clone()
        .expect("a model was fitted");

    assert!(model.training[0].contains("8 accepted and 4 rejected"));
    let toast = app.state.ui.toasts.last().unwrap();
    assert!(!toast.error && toast.text.contains("F1"), "{}", toast.text);
    // The rejected links score lower on the whole than before; decisions still win (they
    // stay rejected whatever the model says).
    let score = |alignment: &planalign::align::Alignment, (l, r): &(String, String)| {
        let link = alignment
            .links
            .iter()
            .find(|k| &k.left_id == l && &k.right_id == r)
            .unwrap();
        (link.score, link.status)
    };
    let (mut old_sum, mut new_sum) = (0.0, 0.0);
    for pair in links.iter().skip(8).take(4) {
        let (old, _) = score(&before, pair);
        let (new, status) = score(&app.state.derived().alignment, pair);
        assert_eq!(status, LinkStatus::Rejected);
        old_sum += old;
        new_sum += new;
    }
    assert!(new_sum < old_sum, "{old_sum} → {new_sum}");

    // The workspace keeps the model.
    let dir = std::env::temp_dir().join(format!("planalign-learn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("work.planalign");
    app.apply(vec![Command::SaveTo(path.clone())], None);
    let saved = planalign::workspace::load(&path).unwrap();
    assert_eq!(saved.model.as_ref(), Some(&model));

    // Undo takes it away again, as does "Use the shipped model" after redo.
    app.apply(vec![Command::Undo], None);
    assert!(app.state.doc.edits.model.is_none());
    app.apply(vec![Command::Redo], None);
    assert!(app.state.doc.edits.model.is_some());
    app.apply(vec![Command::UseShippedModel], None);
    assert!(app.state.doc.edits.model.is_none());
    std::fs::remove_dir_all(&dir).unwrap();
}
