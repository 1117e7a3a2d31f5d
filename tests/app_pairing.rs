//! Which plans the app shows side by side: never a plan with itself, the higher level on the
//! left, the bundled plans kept in the library; bad files named in their error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::path::PathBuf;

use planalign::app::{Command, GuiOptions, Lang, PlanAlignApp, Side, Start};
use planalign::library::bundled_entries;
use planalign::model::Level;
use planalign::workspace::PlanSource;

fn raw(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/raw")
        .join(name)
}

fn file_entry(name: &str) -> (PlanSource, planalign::model::Plan) {
    let path = raw(name);
    let plan = planalign::persist::open_plan(&path).unwrap();
    (PlanSource::File(path), plan)
}

fn level(app: &PlanAlignApp, side: Side) -> Option<Level> {
    app.state.plan(side).unwrap().meta.jurisdiction.level
}

#[test]
fn one_district_plan_opened_is_shown_beside_its_city_never_with_itself() {
    // `planalign gui jingan.txt`: the file, then the bundled plans.
    let mut plans = vec![file_entry("jingan-2023-quality-work-points.txt")];
    plans.extend(
        bundled_entries()
            .into_iter()
            .filter(|(_, p)| p.id != "jingan-2023-quality-work-points"),
    );
    let app = PlanAlignApp::open(Start::Plans(plans), Lang::En, &GuiOptions::default());
    let state = &app.state;
    assert_ne!(
        state.doc.left(),
        state.doc.right(),
        "never a plan with itself"
    );
    assert_eq!(level(&app, Side::Left), Some(Level::Municipal));
    assert_eq!(
        state.plan(Side::Right).unwrap().id,
        "jingan-2023-quality-work-points"
    );
    assert_eq!(
        state
            .plan(Side::Left)
            .unwrap()
            .meta
            .jurisdiction
            .name
            .as_deref(),
        Some("上海市"),
        "its parent's plan"
    );
    assert!(
        state.doc.plans.len() >= 5,
        "the bundled plans stay in the library"
    );
}

#[test]
fn two_files_are_shown_with_the_higher_level_on_the_left() {
    let mut plans = vec![
        file_entry("jiading-2024-quality-outline-action-plan.txt"),
        file_entry("shanghai-2016-2018-quality-action-plan.txt"),
    ];
    plans.extend(bundled_entries().into_iter().skip(1));
    let app = PlanAlignApp::open(Start::Plans(plans), Lang::En, &GuiOptions::default());
    assert_eq!((app.state.doc.left(), app.state.doc.right()), (1, 0));
}

#[test]
fn a_dropped_city_plan_goes_left_of_a_district_plan() {
    let dir = std::env::temp_dir().join(format!("planalign-pairing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let city = dir.join("city.txt");
    let text = std::fs::read(raw("city-quality-strong-city-opinion.txt")).unwrap();
    std::fs::write(&city, text).unwrap();
    let plans: Vec<_> = bundled_entries()
        .into_iter()
        .filter(|(_, p)| p.meta.jurisdiction.level == Some(Level::District))
        .collect();
    let mut app = PlanAlignApp::open(Start::Plans(plans), Lang::En, &GuiOptions::default());
    app.apply(vec![Command::OpenFiles(vec![city])], None);
    assert_eq!(level(&app, Side::Left), Some(Level::Municipal));
    assert_eq!(level(&app, Side::Right), Some(Level::District));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn files_that_do_not_open_are_toasts_that_name_them() {
    let dir = std::env::temp_dir().join(format!("planalign-bad-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let error = planalign::persist::open_plan(&empty)
        .unwrap_err()
        .to_string();
    assert!(error.ends_with(&empty.display().to_string()), "{error}");
    let options = GuiOptions {
        startup_errors: vec![error.clone()],
        ..GuiOptions::default()
    };
    let app = PlanAlignApp::open(Start::Plans(bundled_entries()), Lang::En, &options);
    assert!(
        app.state
            .ui
            .toasts
            .iter()
            .any(|t| t.error && t.text == error)
    );
    // Dropped files: each bad one named.
    let mut app = PlanAlignApp::open(
        Start::Plans(bundled_entries()),
        Lang::En,
        &GuiOptions::default(),
    );
    let binary = dir.join("binary.txt");
    std::fs::write(&binary, [0u8, 1, 2, 3, 0, 0, 7]).unwrap();
    app.apply(
        vec![Command::OpenFiles(vec![empty.clone(), binary.clone()])],
        None,
    );
    let texts: Vec<&str> = app
        .state
        .ui
        .toasts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert!(texts.iter().any(|t| t.contains("empty.txt")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("binary.txt")), "{texts:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plan_facts_read_as_words_in_either_language() {
    use planalign::model::{Period, PlanKind};
    let to_2025 = Period {
        start: None,
        end: Some(2025),
    };
    assert_eq!(Lang::Zh.period(to_2025), "至2025年");
    assert_eq!(Lang::En.period(to_2025), "to 2025");
    assert_eq!(Lang::Zh.period(Period::default()), "");
    assert_eq!(Lang::Zh.level(Level::District), "区级");
    assert_eq!(Lang::Zh.plan_kind(PlanKind::WorkPoints), "工作要点");
    assert_eq!(Lang::En.plan_kind(PlanKind::WorkPoints), "work points");
    assert_eq!(Lang::En.list_separator(), ", ");
}

#[test]
fn side_panels_collapse_and_the_choice_is_kept_with_the_work() {
    let mut app = PlanAlignApp::new(bundled_entries(), Lang::En, &GuiOptions::default());
    app.apply(
        vec![
            Command::ToggleCodebook,
            Command::ToggleLibrary,
            Command::ToggleLibrary,
        ],
        None,
    );
    assert!(app.state.ui.hide_codebook && !app.state.ui.hide_library);
    let work = app.state.to_workspace();
    assert!(work.view.hide_codebook && !work.view.hide_library);
    let opened = planalign::workspace::open_plans(work);
    let restored = planalign::app::AppState::from_workspace(opened, None, Lang::En);
    assert!(restored.ui.hide_codebook && !restored.ui.hide_library);
}
