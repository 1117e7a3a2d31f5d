//! The analyst's work in the app, through the real UI (egui_kittest, by AccessKit labels): tag a
//! measure by hand, add a manual link and a note, review by keyboard, undo and redo, the theme
//! picker, filters, the codebook editor, the coverage view, export, workspace save and reopen,
//! and the session restored on the next start.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::common;
use crate::support;

use common::{harness, harness_for};
use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use planalign::app::{AppState, Command, GuiOptions, Lang, PlanAlignApp, Side, Start, View};
use planalign::library::bundled_entries;
use planalign::model::{LinkOrigin, LinkStatus};
use planalign::themes::TagOrigin;
use planalign::workspace::{self, PlanEntry, PlanSource};

/// A fresh folder under the system temp folder.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("planalign-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn select_first_left(harness: &mut Harness<'static, PlanAlignApp>) {
    harness
        .get_by_role_and_label(Role::Button, "（一）积极构建大质量工作体系")
        .click();
    harness.run_steps(10);
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Left, "m1".to_owned()))
    );
}

fn theme_id(state: &AppState, zh: &str) -> String {
    state
        .codebook()
        .themes()
        .find(|t| t.zh == zh)
        .unwrap()
        .id
        .clone()
}

fn carries(state: &AppState, measure_id: &str, theme_id: &str) -> Option<TagOrigin> {
    state
        .themes_of(state.doc.left(), measure_id)
        .iter()
        .find(|t| t.theme_id == theme_id)
        .map(|t| t.origin)
}

#[test]
fn tagging_by_hand_with_undo_and_redo() {
    let mut harness = harness(Lang::Zh);
    select_first_left(&mut harness);
    let green = theme_id(&harness.state().state, "绿色低碳发展");
    assert_eq!(carries(&harness.state().state, "m1", &green), None);

    harness
        .get_by_role_and_label(Role::CheckBox, "绿色低碳发展")
        .click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(carries(state, "m1", &green), Some(TagOrigin::Manual));
    assert_eq!(state.doc.edits.tag_edits.len(), 1);
    assert!(state.doc.dirty);
    // The card marks the hand-made tag.
    harness.get_by_label("✓ 绿色低碳发展");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(carries(&harness.state().state, "m1", &green), None);
    assert!(harness.state().state.doc.edits.tag_edits.is_empty());

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(
        carries(&harness.state().state, "m1", &green),
        Some(TagOrigin::Manual)
    );

    // Removing a suggested theme removes it, and the removal is kept as an edit.
    let auto = harness
        .state()
        .state
        .themes_of(0, "m1")
        .iter()
        .find(|t| t.origin == TagOrigin::Auto)
        .unwrap()
        .theme_id
        .clone();
    let auto_name = harness
        .state()
        .state
        .codebook()
        .theme(&auto)
        .unwrap()
        .zh
        .clone();
    // (Its checkbox may be scrolled out of the codebook panel: use the picker.)
    harness.key_press(Key::T);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "输入以筛选主题")
        .type_text(&auto_name);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let state = &harness.state().state;
    assert_eq!(carries(state, "m1", &auto), None);
    assert!(
        state
            .doc
            .edits
            .tag_edits
            .iter()
            .any(|e| e.theme_id == auto && !e.added)
    );
}

#[test]
fn manual_link_note_and_keyboard_review() {
    let mut harness = harness(Lang::Zh);
    select_first_left(&mut harness);
    let before: Vec<String> = harness
        .state()
        .state
        .linked(Side::Left, "m1")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    // The first such button in view (the right pane is scrolled to the best link).
    harness
        .get_all_by_label("＋ 与所选措施关联")
        .find(|node| node.rect().top() > 100.0 && node.rect().bottom() < 600.0)
        .unwrap()
        .click();
    harness.run_steps(10);
    let state = &harness.state().state;
    let manual = state
        .derived()
        .alignment
        .links
        .iter()
        .find(|l| l.origin == LinkOrigin::Manual)
        .expect("a manual link");
    assert_eq!(manual.left_id, "m1");
    assert!(!before.contains(&manual.right_id));
    assert_eq!(manual.status, LinkStatus::Accepted);
    let manual_right = manual.right_id.clone();

    // Typing a note is one undo step.
    let note = harness
        .get_all_by_role_and_label(Role::TextInput, "备注")
        .next()
        .unwrap();
    note.focus();
    // A focused text field blinks its cursor: step rather than wait to settle.
    harness.run_steps(3);
    harness
        .get_all_by_role_and_label(Role::TextInput, "备注")
        .next()
        .unwrap()
        .type_text("区级细化");
    harness.run_steps(3);
    harness
        .get_all_by_role_and_label(Role::TextInput, "备注")
        .next()
        .unwrap()
        .type_text("了");
    harness.run_steps(3);
    let noted = |state: &AppState| {
        state
            .doc
            .edits
            .decisions
            .iter()
            .find(|d| !d.note.is_empty())
            .map(|d| d.note.clone())
    };
    assert_eq!(noted(&harness.state().state).as_deref(), Some("区级细化了"));
    let steps = harness.state().state.history.undo_stack.len();
    harness.state_mut().apply(vec![Command::Undo], None);
    assert_eq!(harness.state().state.history.undo_stack.len(), steps - 1);
    assert_eq!(noted(&harness.state().state), None);
    harness.state_mut().apply(vec![Command::Redo], None);
    harness.key_press(Key::Escape);
    harness.run_steps(3);

    // Keyboard: N goes to the next unreviewed link, A accepts it, R rejects it.
    harness.key_press(Key::N);
    harness.run();
    let (left_id, right_id) = harness.state().state.ui.current_link.clone().unwrap();
    let status = |harness: &Harness<'_, PlanAlignApp>| {
        harness
            .state()
            .state
            .derived()
            .alignment
            .links
            .iter()
            .find(|l| l.left_id == left_id && l.right_id == right_id)
            .map(|l| l.status)
    };
    assert_eq!(status(&harness), Some(LinkStatus::Unreviewed));
    harness.key_press(Key::A);
    harness.run();
    assert_eq!(status(&harness), Some(LinkStatus::Accepted));
    harness.key_press(Key::R);
    harness.run();
    assert_eq!(status(&harness), Some(LinkStatus::Rejected));

    // Unlinking the manual link rejects it; undo brings it back.
    harness.state_mut().apply(
        vec![Command::Unlink {
            left_id: "m1".to_owned(),
            right_id: manual_right.clone(),
        }],
        None,
    );
    let manual_status = |state: &AppState| {
        state
            .derived()
            .alignment
            .links
            .iter()
            .find(|l| l.left_id == "m1" && l.right_id == manual_right)
            .map(|l| (l.origin, l.status))
    };
    assert_ne!(
        manual_status(&harness.state().state),
        Some((LinkOrigin::Manual, LinkStatus::Accepted))
    );
    harness.state_mut().apply(vec![Command::Undo], None);
    assert_eq!(
        manual_status(&harness.state().state),
        Some((LinkOrigin::Manual, LinkStatus::Accepted))
    );
}

#[test]
fn j_and_k_step_through_measures() {
    let mut harness = harness(Lang::En);
    harness.key_press(Key::J);
    harness.run();
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Left, "m1".to_owned()))
    );
    harness.key_press(Key::J);
    harness.run();
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Left, "m2".to_owned()))
    );
    harness.key_press(Key::K);
    harness.run();
    assert_eq!(
        harness.state().state.ui.selected,
        Some((Side::Left, "m1".to_owned()))
    );
}

#[test]
fn theme_picker_filters_by_typing_and_tags_on_enter() {
    let mut harness = harness(Lang::Zh);
    select_first_left(&mut harness);
    let standard = theme_id(&harness.state().state, "标准化");
    assert_eq!(carries(&harness.state().state, "m1", &standard), None);
    harness.key_press(Key::T);
    harness.run();
    assert!(harness.state().state.ui.picker_open);
    harness
        .get_by_role_and_label(Role::TextInput, "输入以筛选主题")
        .type_text("标准化");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    let state = &harness.state().state;
    assert!(!state.ui.picker_open);
    assert_eq!(carries(state, "m1", &standard), Some(TagOrigin::Manual));
}

#[test]
fn help_lists_every_shortcut() {
    let mut harness = harness(Lang::En);
    harness.key_press(Key::F1);
    harness.run();
    assert!(harness.state().state.ui.help_open);
    for entry in planalign::app::ACTIONS {
        harness
            .get_all_by_label(Lang::En.tr(entry.text))
            .next()
            .unwrap();
    }
    harness.get_by_label("Ctrl+Shift+Z / Ctrl+Y");
}

#[test]
fn search_and_unmatched_filters_narrow_the_panes() {
    let mut harness = harness(Lang::Zh);
    let all = harness.state().state.visible_measures(Side::Left).len();
    harness
        .get_by_role_and_label(Role::TextInput, "搜索")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "搜索")
        .type_text("品牌");
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.ui.filter.text, "品牌");
    let shown = state.visible_measures(Side::Left);
    assert!(!shown.is_empty() && shown.len() < all, "{shown:?}");
    let plan = state.plan(Side::Left).unwrap();
    assert!(
        shown
            .iter()
            .all(|id| plan.measure(id).unwrap().text.contains("品牌")
                || plan.measure(id).unwrap().title.contains("品牌"))
    );
    harness.get_by_label("清除筛选").click();
    harness.run();
    harness.get_by_label("仅无对应").click();
    harness.run();
    let state = &harness.state().state;
    let shown = state.visible_measures(Side::Right);
    assert_eq!(shown, state.derived().alignment.unmatched_right);
}

#[test]
fn creating_and_renaming_a_theme_is_undoable() {
    let mut harness = harness(Lang::Zh);
    harness
        .get_all_by_label("＋ 新建主题")
        .next()
        .unwrap()
        .click();
    harness.run();
    let id = harness.state().state.ui.editing_theme.clone().unwrap();
    assert_eq!(
        harness.state().state.codebook().theme(&id).unwrap().zh,
        "新主题1"
    );
    harness
        .get_by_role_and_label(Role::TextInput, "中文名")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "中文名")
        .type_text("夜间经济");
    harness.run();
    harness.get_by_label("确定").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.codebook().theme(&id).unwrap().zh, "新主题1夜间经济");
    assert_eq!(state.ui.editing_theme, None);
    harness.state_mut().apply(vec![Command::Undo], None);
    assert_eq!(
        harness.state().state.codebook().theme(&id).unwrap().zh,
        "新主题1"
    );
    harness.state_mut().apply(vec![Command::Undo], None);
    assert!(harness.state().state.codebook().theme(&id).is_none());
}

#[test]
fn coverage_cells_list_their_measures_and_trace_them_in_place() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("Coverage").click();
    harness.run();
    let (label, row, expected) = {
        let state = &harness.state().state;
        let plan = 3; // Shanghai 2016, on neither side.
        let row = (0..state.derived().coverage.theme_ids.len())
            .find(|&row| state.derived().coverage.count(row, plan) > 0)
            .unwrap();
        let theme = state
            .codebook()
            .theme(&state.derived().coverage.theme_ids[row])
            .unwrap();
        let count = state.derived().coverage.count(row, plan);
        (
            format!("{} × 上海市 2016 行动计划: {count}", theme.en),
            row,
            state.derived().coverage.cells[row][plan].measure_ids[0].clone(),
        )
    };
    harness.get_by_label(&label).scroll_to_me();
    harness.run();
    harness.get_by_label(&label).click();
    harness.run();
    assert_eq!(harness.state().state.ui.coverage_cell, Some((row, 3)));
    let title = {
        let m = harness.state().state.doc.plans[3]
            .measure(&expected)
            .unwrap();
        format!("{}{}", m.label, m.title)
    };
    harness.get_by_label(&title).click();
    harness.run_steps(5);
    let state = &harness.state().state;
    // Coverage stays open and traces the measure picked from the cell.
    assert_eq!(state.ui.view, View::Coverage);
    assert_eq!(state.doc.right(), 3);
    assert_eq!(state.ui.selected, Some((Side::Right, expected)));
    assert!(
        !state.derived().trace.is_empty(),
        "the selected measure is traced"
    );
    assert!(
        state
            .derived()
            .trace
            .iter()
            .all(|hit| hit.plan_id != state.doc.plans[3].id),
        "the trace is of that measure: no hit in its own plan"
    );
}

#[test]
fn export_writes_reports_that_read_back() {
    let dir = temp_dir("export");
    let mut harness = harness(Lang::En);
    let (num_links, left_title) = {
        let state = &harness.state().state;
        (
            state.derived().alignment.links.len(),
            state.plan(Side::Left).unwrap().meta.title.clone(),
        )
    };
    for name in [
        "report.md",
        "report.csv",
        "report.json",
        "report.docx",
        "report.xyz",
    ] {
        harness
            .state_mut()
            .apply(vec![Command::Export(dir.join(name))], None);
    }
    let markdown = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(markdown.contains(&left_title));
    let csv = std::fs::read(dir.join("report.csv")).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["links"].as_array().unwrap().len(), num_links);
    let docx = std::fs::read(dir.join("report.docx")).unwrap();
    let text = planalign::ingest::docx::docx_to_text(&docx).unwrap();
    assert!(text.contains(&left_title) && text.contains("政策对照表"));
    assert!(!dir.join("report.xyz").exists());
    let toasts = &harness.state().state.ui.toasts;
    assert_eq!(toasts.iter().filter(|t| !t.error).count(), 4);
    assert!(
        toasts
            .iter()
            .any(|t| t.error && t.text.contains("report.xyz"))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn saving_and_reopening_a_workspace_keeps_the_edits() {
    let dir = temp_dir("workspace");
    let mut harness = harness(Lang::Zh);
    select_first_left(&mut harness);
    harness
        .get_by_role_and_label(Role::CheckBox, "绿色低碳发展")
        .click();
    harness.run();
    harness.key_press(Key::A);
    harness.run();
    harness
        .state_mut()
        .apply(vec![Command::SaveTo(dir.join("work"))], None);
    let path = dir.join("work.planalign");
    let (edits, left, right) = {
        let state = &harness.state().state;
        assert!(!state.doc.dirty);
        assert_eq!(state.doc.workspace_path.as_deref(), Some(path.as_path()));
        (state.doc.edits.clone(), state.doc.left(), state.doc.right())
    };
    assert_eq!(edits.decisions.len(), 1);
    assert_eq!(edits.decisions[0].status, LinkStatus::Accepted);

    let opened = workspace::open(&path).unwrap();
    let state = AppState::from_workspace(opened, Some(path.clone()), Lang::En);
    let mut reopened = harness_for(PlanAlignApp::with_state(state, &GuiOptions::default()));
    reopened.run();
    let state = &reopened.state().state;
    assert_eq!(state.doc.edits, edits);
    assert_eq!((state.doc.left(), state.doc.right()), (left, right));
    assert_eq!(state.ui.lang, Lang::Zh, "the workspace keeps its language");
    reopened.get_by_label("✓ 绿色低碳发展");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_session_restores_work_and_view_on_the_next_start() {
    let dir = temp_dir("session");
    let options = GuiOptions {
        session_dir: Some(dir.clone()),
        ..GuiOptions::default()
    };
    let mut app = PlanAlignApp::open(Start::Plans(bundled_entries()), Lang::En, &options);
    app.apply(
        vec![
            Command::ShowPlan {
                side: Side::Right,
                index: 2,
            },
            Command::ToggleTheme {
                side: Side::Left,
                measure_id: "m2".to_owned(),
                theme_id: "environment.ecology".to_owned(),
            },
            Command::SelectMeasure {
                side: Side::Right,
                measure_id: "m5".to_owned(),
            },
            Command::SetView(View::Coverage),
        ],
        None,
    );
    let edits = app.state.doc.edits.clone();
    assert_eq!(edits.tag_edits.len(), 1);
    app.save_session();
    drop(app);
    let restored = PlanAlignApp::open(Start::Session, Lang::Zh, &options);
    let state = &restored.state;
    assert_eq!(state.doc.edits, edits);
    assert_eq!(state.doc.right(), 2);
    assert_eq!(state.ui.view, View::Coverage);
    assert_eq!(
        state.ui.selected,
        Some((Side::Right, "m5".to_owned())),
        "the selection comes back"
    );
    assert!(state.ui.scroll_to.contains(&(Side::Right, "m5".to_owned())));
    assert_eq!(state.ui.lang, Lang::En);
    assert!(state.doc.dirty, "unsaved work stays marked unsaved");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_workspaces_give_a_toast_and_change_nothing_and_missing_plans_are_kept() {
    let dir = temp_dir("bad-workspace");
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    // Newer format and garbage: a toast each, the work is untouched.
    let mut document = workspace::to_ron(&app.state.to_workspace()).unwrap();
    document = document.replacen("format: 1", "format: 7", 1);
    std::fs::write(dir.join("newer.planalign"), document).unwrap();
    std::fs::write(dir.join("garbage.planalign"), "((((").unwrap();
    app.apply(
        vec![Command::OpenFiles(vec![
            dir.join("newer.planalign"),
            dir.join("garbage.planalign"),
            dir.join("absent.txt"),
        ])],
        None,
    );
    assert_eq!(app.state.ui.toasts.iter().filter(|t| t.error).count(), 3);
    assert_eq!(app.state.doc.plans.len(), 5);

    // A workspace whose plan file has gone opens; the plan is reported and kept.
    let mut work = app.state.to_workspace();
    work.plans.push(PlanEntry::new(
        "gone",
        PlanSource::File(dir.join("gone.txt")),
    ));
    work.tag_edits.push(planalign::model::TagEdit {
        measure: planalign::model::MeasureRef::new("gone", "m1"),
        theme_id: "enterprise.brand".to_owned(),
        added: true,
        carried_from: None,
    });
    workspace::save(&dir.join("missing.planalign"), &work).unwrap();
    app.apply(
        vec![Command::OpenFiles(vec![dir.join("missing.planalign")])],
        None,
    );
    let state = &app.state;
    assert_eq!(state.doc.plans.len(), 5);
    assert!(
        state
            .ui
            .toasts
            .iter()
            .any(|t| t.error && t.text.contains("gone"))
    );
    let saved = state.to_workspace();
    assert!(saved.plans.iter().any(|p| p.id == "gone"));
    assert_eq!(
        saved.tag_edits.len(),
        1,
        "edits on the missing plan are kept"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file dropped on the window, as the windowing integration hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|err| err.to_string())
    }
}

#[test]
fn dropping_a_plan_file_adds_it_and_shows_it_on_the_right() {
    let dir = temp_dir("drop");
    let path = dir.join("district.txt");
    std::fs::write(
        &path,
        "2025年某区质量工作要点\n一、重点任务\n（一）推进标准化建设。开展标准化试点。（牵头单位：区市场监管局）\n（二）加强品牌培育。培育区域公用品牌。",
    )
    .unwrap();
    let mut harness = harness(Lang::En);
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.clone())));
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.doc.plans.len(), 6);
    assert_eq!(state.doc.right(), 5);
    assert_eq!(state.plan(Side::Right).unwrap().measures.len(), 2);
    assert_eq!(
        state.to_workspace().plans[5].source,
        PlanSource::File(std::path::absolute(&path).unwrap())
    );
    // The same file again is recognised, not added twice.
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    harness.run();
    assert_eq!(harness.state().state.doc.plans.len(), 6);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_codebook_goes_out_and_back_as_refi_qda_and_import_is_undoable() {
    let dir = temp_dir("qdc");
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    let path = dir.join("codebook.qdc");
    app.apply(vec![Command::ExportCodebook(path.clone())], None);
    let original = app.state.codebook().clone();
    // Another tool renamed a theme.
    let xml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name=\"标准化\"", "name=\"标准化工作\"");
    std::fs::write(&path, xml).unwrap();
    app.apply(vec![Command::OpenFiles(vec![path.clone()])], None);
    let renamed = app
        .state
        .codebook()
        .themes()
        .find(|t| t.zh == "标准化工作")
        .expect("the renamed theme");
    assert_eq!(
        original.theme(&renamed.id).unwrap().zh,
        "标准化",
        "same theme id"
    );
    app.apply(vec![Command::Undo], None);
    assert_eq!(app.state.codebook(), &original);
    std::fs::write(&path, "<not a codebook").unwrap();
    app.apply(vec![Command::ImportCodebook(path)], None);
    assert_eq!(app.state.codebook(), &original);
    assert!(app.state.ui.toasts.iter().any(|t| t.error));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn autosaved_work_newer_than_the_workspace_is_offered_for_recovery() {
    let dir = temp_dir("recovery");
    let options = GuiOptions {
        session_dir: Some(dir.join("session")),
        ..GuiOptions::default()
    };
    let path = dir.join("work.planalign");
    let mut app = PlanAlignApp::open(Start::Plans(bundled_entries()), Lang::En, &options);
    app.apply(vec![Command::SaveTo(path.clone())], None);
    // An edit after the save, autosaved, then the app dies before the next save.
    app.apply(
        vec![Command::ToggleTheme {
            side: Side::Left,
            measure_id: "m3".to_owned(),
            theme_id: "enterprise.brand".to_owned(),
        }],
        None,
    );
    let unsaved = app.state.doc.edits.clone();
    app.save_session();
    drop(app);

    let open = || {
        let opened = workspace::open(&path).unwrap();
        PlanAlignApp::open(
            Start::Workspace(path.clone(), Box::new(opened)),
            Lang::En,
            &options,
        )
    };
    let mut harness = harness_for(open());
    harness.run();
    assert!(harness.state().state.ui.recovery.is_some());
    assert!(harness.state().state.doc.edits.tag_edits.is_empty());
    harness.get_by_label("Recover").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.doc.edits, unsaved);
    assert!(state.ui.recovery.is_none() && state.doc.dirty);

    let mut harness = harness_for(open());
    harness.run();
    harness.get_by_label("Discard").click();
    harness.run();
    let state = &harness.state().state;
    assert!(state.ui.recovery.is_none());
    assert!(
        state.doc.edits.tag_edits.is_empty(),
        "the file's version stays"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A district plan with a measure (一), and (二) when asked.
fn small_plan(with_second: bool) -> String {
    let mut text = String::from(
        "2025年某区质量工作要点\n一、重点任务\n（一）推进标准化建设。开展标准化试点。\n",
    );
    if with_second {
        text.push_str("（二）加强品牌培育。培育区域公用品牌。\n");
    }
    text
}

#[test]
fn provenance_shows_the_source_and_reimport_keeps_the_work() {
    let dir = temp_dir("reimport");
    let path = dir.join("district.txt");
    let text = |with_second: bool| {
        small_plan(with_second) + "（三）强化质量监管。开展产品质量监督抽查。\n"
    };
    std::fs::write(&path, text(true)).unwrap();
    let mut harness = harness(Lang::En);
    harness
        .state_mut()
        .apply(vec![Command::OpenFiles(vec![path.clone()])], None);
    harness.run();
    let index = harness.state().state.doc.right();
    // The provenance window: file, sha256 and the original text.
    harness
        .get_all_by_label("Source")
        .nth(index)
        .unwrap()
        .click();
    harness.run();
    let sha = harness.state().state.doc.plans[index].source.sha256.clone();
    harness.get_by_label(&sha);
    harness.get_by_label(&text(true));

    harness.state_mut().apply(
        vec![
            Command::ToggleTheme {
                side: Side::Right,
                measure_id: "m2".to_owned(),
                theme_id: "environment.ecology".to_owned(),
            },
            Command::ToggleTheme {
                side: Side::Right,
                measure_id: "m3".to_owned(),
                theme_id: "environment.ecology".to_owned(),
            },
        ],
        None,
    );
    std::fs::write(&path, text(false)).unwrap();
    harness.get_by_label("Re-import from the file").click();
    harness.run();
    let state = &harness.state().state;
    assert_eq!(state.doc.plans[index].measures.len(), 2);
    assert_eq!(state.doc.edits.tag_edits.len(), 2, "no work is dropped");
    assert!(
        state
            .ui
            .toasts
            .iter()
            .any(|t| t.error && t.text.contains("（二）加强品牌培育"))
    );
    assert!(
        state
            .themes_of(index, "m3")
            .iter()
            .any(|t| t.theme_id == "environment.ecology"),
        "the remaining measure keeps its tag"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn comparing_traditional_characters_as_written_is_an_undoable_setting_saved_with_the_work() {
    let mut harness = harness(Lang::En);
    assert!(harness.state().state.doc.edits.settings.fold_traditional);
    harness.get_by_label("Matching").click();
    harness.run();
    harness
        .get_by_label("Compare traditional characters as simplified")
        .click();
    harness.run();
    assert!(!harness.state().state.doc.edits.settings.fold_traditional);
    assert!(
        !harness
            .state()
            .state
            .to_workspace()
            .settings
            .fold_traditional
    );
    harness.state_mut().apply(vec![Command::Undo], None);
    assert!(harness.state().state.doc.edits.settings.fold_traditional);
}

#[test]
fn every_bad_plan_file_is_one_toast_and_word_and_pdf_plans_open() {
    let dir = temp_dir("bad-plans");
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    // Some work that must survive.
    let city = app.state.doc.plans[app.state.doc.left()].id.clone();
    app.state
        .toggle_theme(app.state.doc.left(), "m1", "enterprise.brand");
    let edits = app.state.doc.edits.clone();
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/raw/jiading-2024-quality-outline-action-plan.txt"),
    )
    .unwrap();
    let docx = support::as_docx(&seed);
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("empty.txt", b" \n".to_vec()),
        ("binary.txt", (0..=255u8).cycle().take(4096).collect()),
        ("cut.docx", docx[..docx.len() / 2].to_vec()),
        ("bomb.docx", support::zip_bomb()),
        (
            "locked.pdf",
            b"%PDF-1.7\ntrailer << /Encrypt 2 0 R >>\n%%EOF\n".to_vec(),
        ),
        ("broken.ron", b"(format: 1, plan: (id: 3".to_vec()),
        ("newer.ron", b"(format: 99, plan: ())".to_vec()),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in &bad {
        std::fs::write(dir.join(name), bytes).unwrap();
        paths.push(dir.join(name));
    }
    let huge = dir.join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    paths.push(huge);
    app.apply(vec![Command::OpenFiles(paths.clone())], None);
    let errors: Vec<&str> = app
        .state
        .ui
        .toasts
        .iter()
        .filter(|t| t.error)
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(errors.len(), paths.len(), "{errors:#?}");
    assert!(errors.iter().all(|e| !e.contains('\n')), "{errors:#?}");
    assert_eq!(app.state.doc.plans.len(), 5);
    assert_eq!(app.state.doc.edits, edits);
    assert_eq!(app.state.doc.plans[app.state.doc.left()].id, city);

    // The same plan as a Word file and as a PDF opens, on the right.
    std::fs::write(dir.join("jiading.docx"), &docx).unwrap();
    let pdf = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jingan-2023-quality-work-points.pdf");
    app.apply(
        vec![Command::OpenFiles(vec![dir.join("jiading.docx"), pdf])],
        None,
    );
    assert_eq!(app.state.doc.plans.len(), 7);
    let encodings: Vec<&str> = app.state.doc.plans[5..]
        .iter()
        .map(|p| p.source.encoding.as_str())
        .collect();
    assert_eq!(encodings[0], "DOCX");
    assert!(encodings[1].contains("PDF"), "{encodings:?}");
    assert_eq!(app.state.doc.edits, edits);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_workspace_keeps_each_plans_import_time_and_notices_a_changed_file() {
    let dir = temp_dir("import-time");
    let plan_path = dir.join("district.txt");
    let text = small_plan;
    std::fs::write(&plan_path, text(true)).unwrap();
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    app.apply(vec![Command::OpenFiles(vec![plan_path.clone()])], None);
    let index = app.state.doc.right();
    let imported_at = app.state.doc.plans[index].source.imported_at.clone();
    assert!(
        imported_at.is_some(),
        "an opened plan records its import time"
    );
    app.apply(
        vec![Command::ToggleTheme {
            side: Side::Right,
            measure_id: "m2".to_owned(),
            theme_id: "enterprise.brand".to_owned(),
        }],
        None,
    );
    let work_path = dir.join("work.planalign");
    app.apply(vec![Command::SaveTo(work_path.clone())], None);
    let saved = workspace::load(&work_path).unwrap();
    let entry = saved
        .plans
        .iter()
        .find(|p| p.id == app.state.doc.plans[index].id)
        .unwrap();
    assert_eq!(entry.imported_at, imported_at);
    assert_eq!(
        entry.sha256.as_deref(),
        Some(app.state.doc.plans[index].source.sha256.as_str())
    );

    // Reopened unchanged: the same import time, no notice.
    let opened = workspace::open(&work_path).unwrap();
    assert!(opened.changed.is_empty());
    let state = AppState::from_workspace(opened, Some(work_path.clone()), Lang::En);
    let reopened = state.doc.plans.iter().find(|p| p.id == entry.id).unwrap();
    assert_eq!(reopened.source.imported_at, imported_at);
    assert!(state.ui.toasts.is_empty(), "{:?}", state.ui.toasts);

    // The file changed and lost the tagged measure: the analyst is told, the tag is kept.
    std::fs::write(&plan_path, text(false)).unwrap();
    let opened = workspace::open(&work_path).unwrap();
    assert_eq!(opened.changed.len(), 1);
    let state = AppState::from_workspace(opened, Some(work_path.clone()), Lang::En);
    assert!(
        state.ui.toasts.iter().any(|t| t.error
            && t.text.contains(&entry.id)
            && t.text.contains("（二）加强品牌培育")),
        "{:?}",
        state.ui.toasts
    );
    assert_eq!(state.doc.edits.tag_edits.len(), 1);

    // The file was revised and renumbered: the tag finds its measure again by its text.
    std::fs::write(
        &plan_path,
        "2025年某区质量工作要点\n一、重点任务\n（一）加强品牌培育。培育区域公用品牌。\n\
         （二）推进标准化建设。开展标准化试点。\n",
    )
    .unwrap();
    let state = AppState::from_workspace(workspace::open(&work_path).unwrap(), None, Lang::En);
    let moved = &state.doc.edits.tag_edits[0].measure;
    assert_eq!(
        (moved.plan_id.as_str(), moved.measure_id.as_str()),
        (entry.id.as_str(), "m1")
    );
    assert!(
        state.ui.toasts.iter().all(|t| !t.error),
        "{:?}",
        state.ui.toasts
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reimporting_a_renumbered_plan_moves_the_work_with_its_measures() {
    let dir = temp_dir("renumbered");
    let path = dir.join("district.txt");
    let head = "2025年某区质量工作要点\n一、重点任务\n";
    std::fs::write(
        &path,
        format!(
            "{head}（一）推进标准化建设。开展标准化试点，培育团体标准。\n\
             （二）加强品牌培育。培育区域公用品牌，推动老字号创新发展。\n\
             （三）强化质量监管。开展产品质量监督抽查，严厉打击假冒伪劣。\n"
        ),
    )
    .unwrap();
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    app.apply(vec![Command::OpenFiles(vec![path.clone()])], None);
    let index = app.state.doc.right();
    let tag = |measure_id: &str, theme_id: &str| Command::ToggleTheme {
        side: Side::Right,
        measure_id: measure_id.to_owned(),
        theme_id: theme_id.to_owned(),
    };
    app.apply(
        vec![
            tag("m1", "environment.ecology"),
            tag("m2", "enterprise.brand"),
            tag("m3", "infrastructure.metrology"),
        ],
        None,
    );
    // The revision drops (二) and inserts a new (一): old (一) is now (二); (三) is reworded.
    std::fs::write(
        &path,
        format!(
            "{head}（一）推进质量基础设施一站式服务。建设服务站点。\n\
             （二）推进标准化建设。开展标准化试点，培育团体标准。\n\
             （三）强化质量监管。开展重点产品质量监督抽查，严厉打击假冒伪劣行为。\n"
        ),
    )
    .unwrap();
    app.apply(vec![Command::ReloadPlan(index)], None);
    let state = &app.state;
    let manual = |measure_id: &str| -> Vec<String> {
        state
            .themes_of(index, measure_id)
            .iter()
            .filter(|t| t.origin == TagOrigin::Manual)
            .map(|t| t.theme_id.clone())
            .collect()
    };
    assert!(manual("m1").is_empty(), "the new measure has no work");
    assert_eq!(
        manual("m2"),
        ["environment.ecology"],
        "moved with its measure"
    );
    assert_eq!(
        manual("m3"),
        ["infrastructure.metrology"],
        "reworded, the same"
    );
    assert_eq!(state.doc.edits.tag_edits.len(), 3, "no work is dropped");
    assert!(
        state
            .ui
            .toasts
            .iter()
            .any(|t| t.error && t.text.contains("（二）加强品牌培育"))
    );
    // Undo after the re-import still speaks of the new version's ids.
    app.apply(vec![Command::Undo], None);
    assert!(app.state.doc.edits.tag_edits.iter().all(
        |e| e.measure.measure_id != "m1" || e.measure.plan_id != app.state.doc.plans[index].id
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_a_system_file_dialog_paths_are_typed_and_save_always_names_a_file() {
    let dir = temp_dir("no-dialog");
    let options = GuiOptions {
        session_dir: Some(dir.clone()),
        builtin_file_dialog: true,
        ..GuiOptions::default()
    };
    let app = PlanAlignApp::open(Start::Plans(bundled_entries()), Lang::En, &options);
    let mut harness = harness_for(app);
    harness.run();
    // Export: the app's own field opens with a suggested path in the session folder.
    harness.state_mut().apply(vec![Command::ExportDialog], None);
    harness.run();
    let (purpose, suggested) = harness.state().state.ui.path_prompt.clone().unwrap();
    assert_eq!(purpose, planalign::app::PathPurpose::Export);
    assert!(suggested.starts_with(dir.to_str().unwrap()) && suggested.ends_with(".xlsx"));
    harness.get_by_label("Export the alignment report");
    // Type another name and press Enter: the report is written there.
    let target = dir.join("typed.md");
    let field_label = "No system file dialog is available on this desktop. Type the file's path:";
    harness
        .get_by_role_and_label(Role::TextInput, field_label)
        .click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, field_label)
        .type_text(target.to_str().unwrap());
    harness.run();
    harness.key_press(Key::Enter);
    harness.run_steps(4);
    assert!(target.exists(), "the typed path was written");
    assert!(harness.state().state.ui.path_prompt.is_none());
    // Cancel writes nothing.
    harness
        .state_mut()
        .apply(vec![Command::ExportCodebookDialog], None);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(4);
    assert!(harness.state().state.ui.path_prompt.is_none());
    assert!(!dir.join("codebook.qdc").exists());
    // Ctrl+S on untitled work: saved at once to a named file in the session folder.
    harness.state_mut().apply(
        vec![Command::ToggleTheme {
            side: Side::Left,
            measure_id: "m2".to_owned(),
            theme_id: "environment.ecology".to_owned(),
        }],
        None,
    );
    harness.state_mut().apply(vec![Command::Save], None);
    let state = &harness.state().state;
    let saved = state.doc.workspace_path.clone().expect("a named file");
    assert!(
        saved.starts_with(&dir) && saved.exists(),
        "{}",
        saved.display()
    );
    assert!(!state.doc.dirty);
    assert!(
        state
            .ui
            .toasts
            .iter()
            .any(|t| t.text.contains(saved.to_str().unwrap())),
        "the toast says where"
    );
    let reopened = workspace::open(&saved).unwrap();
    assert_eq!(reopened.workspace.tag_edits.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
