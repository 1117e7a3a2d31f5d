//! A plan pasted from the clipboard: File › New plan from clipboard (Ctrl+Shift+V) asks the
//! system for the clipboard, the text arrives as a paste and goes through the same parser as a
//! file; the workspace keeps the plan itself with its provenance. Text that holds no plan gives
//! a one-line error and changes nothing.

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
use planalign::app::{Command, Lang, PlanAlignApp, Side};
use planalign::workspace::{self, PlanSource};

/// A plan as copied from a government web page: navigation, a view counter, the 关于印发…的通知
/// wrapper, the plan, a share widget.
const PAGE_COPY: &str = "首页 > 政务公开 > 规划计划
浏览次数：1234  字号：大 中 小
关于印发《西湖区质量提升三年行动方案（2024—2026年）》的通知
各镇人民政府、街道办事处，区政府各部门：
现将《西湖区质量提升三年行动方案（2024—2026年）》印发给你们，请认真贯彻执行。
杭州市西湖区人民政府
2024年3月5日
西湖区质量提升三年行动方案（2024—2026年）
一、总体要求
以推动高质量发展为主题，全面提升质量水平。
二、重点任务
（一）实施质量基础设施提升工程。建设国家级质量标准实验室2家，推进检验检测机构集聚发展。（牵头单位：区市场监管局）
（二）开展制造业质量提升行动。推广先进质量管理方法，培育“品字标”企业20家。（牵头单位：区经信局；配合单位：区科技局）
（三）优化质量发展环境。完善政府质量奖励制度，加大质量品牌宣传力度。（牵头单位：区市场监管局）
三、保障措施
加强组织领导，落实工作责任。
分享到：微信 微博 QQ空间
";

fn paste(harness: &mut Harness<'static, PlanAlignApp>, text: &str) {
    // Ctrl+Shift+V asks for the clipboard; the system answers with a paste event.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::V);
    harness.run_steps(2);
    harness.event(egui::Event::Paste(text.to_owned()));
    harness.run_steps(3);
}

#[test]
fn a_pasted_page_becomes_a_plan_with_its_provenance() {
    let mut harness = harness(Lang::Zh);
    let before = harness.state().state.doc.plans.len();
    paste(&mut harness, PAGE_COPY);

    let state = &harness.state().state;
    assert_eq!(state.doc.plans.len(), before + 1);
    let index = before;
    let plan = &state.doc.plans[index];
    assert_eq!(plan.meta.title, "西湖区质量提升三年行动方案（2024—2026年）");
    assert_eq!(plan.measures.len(), 3);
    assert_eq!(plan.measures[0].lead_units[0].name, "区市场监管局");
    // Page chrome is not a measure and not in any measure's text.
    assert!(plan.measures.iter().all(|m| !m.text.contains("分享到")));
    // Provenance: pasted, when, the sha256 of the text, the text itself.
    assert!(plan.source.file_name.starts_with("pasted-"));
    assert_eq!(
        plan.source.sha256,
        planalign::ingest::sha256_hex(PAGE_COPY.as_bytes())
    );
    assert!(plan.source.imported_at.is_some());
    assert_eq!(plan.source.text, PAGE_COPY);
    match &state.doc.sources[index] {
        PlanSource::Pasted(kept) => assert_eq!(kept.as_ref(), plan),
        other => panic!("the source is {other:?}"),
    }
    // It is shown beside the plan on the left, and the library lists it.
    assert!(state.plan_index(Side::Left) == index || state.plan_index(Side::Right) == index);
    assert!(state.doc.dirty);
    assert!(
        harness
            .get_all_by_label("西湖区质量提升三年行动方案（2024—2026年）")
            .count()
            >= 1
    );

    // The same text pasted again is shown, not added twice.
    paste(&mut harness, PAGE_COPY);
    assert_eq!(harness.state().state.doc.plans.len(), before + 1);
}

#[test]
fn text_that_holds_no_plan_gives_one_line_and_changes_nothing() {
    let mut harness = harness(Lang::En);
    let plans_before = harness.state().state.doc.plans.clone();
    for text in [
        "Just a sentence someone copied.",
        "首页 > 新闻 > 正文\n今天天气很好。\n分享到：微信",
        // Numbered, but only goals and guarantees: no measure.
        "某区质量工作方案\n一、总体目标\n到2025年质量水平明显提升。\n二、保障措施\n加强组织领导。",
    ] {
        paste(&mut harness, text);
        let state = &harness.state().state;
        assert_eq!(state.doc.plans, plans_before, "{text}");
        assert!(!state.doc.dirty);
        let toast = state.ui.toasts.last().expect("an error toast");
        assert!(toast.error);
        assert!(toast.text.starts_with("pasted text: "), "{}", toast.text);
        assert!(!toast.text.contains('\n'));
        harness
            .state_mut()
            .apply(vec![Command::DismissToasts], None);
    }
}

#[test]
fn the_workspace_keeps_a_pasted_plan_and_the_work_on_it() {
    let dir = std::env::temp_dir().join(format!("planalign-paste-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut harness = harness(Lang::En);
    paste(&mut harness, PAGE_COPY);
    let (index, plan_id) = {
        let state = &harness.state().state;
        let index = state.doc.plans.len() - 1;
        (index, state.doc.plans[index].id.clone())
    };
    let side = if harness.state().state.plan_index(Side::Left) == index {
        Side::Left
    } else {
        Side::Right
    };
    let theme_id = harness
        .state()
        .state
        .codebook()
        .themes()
        .next()
        .unwrap()
        .id
        .clone();
    let path = dir.join("pasted.planalign");
    harness.state_mut().apply(
        vec![
            Command::ToggleTheme {
                side,
                measure_id: "m2".to_owned(),
                theme_id: theme_id.clone(),
            },
            Command::SaveTo(path.clone()),
        ],
        None,
    );
    // Reopened with no file to go back to: the plan comes from the workspace itself.
    let opened = workspace::open(&path).unwrap();
    assert!(opened.missing.is_empty());
    let (entry, plan) = opened
        .plans
        .iter()
        .find(|(entry, _)| entry.id == plan_id)
        .expect("the pasted plan is in the workspace");
    assert!(matches!(entry.source, PlanSource::Pasted(_)));
    assert_eq!(plan.source.text, PAGE_COPY);
    assert_eq!(plan.measures.len(), 3);
    assert!(
        opened
            .workspace
            .tag_edits
            .iter()
            .any(|e| e.measure.plan_id == plan_id
                && e.measure.measure_id == "m2"
                && e.theme_id == theme_id)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_clipboard_without_text_is_said_so() {
    let mut harness = harness(Lang::En);
    let before = harness.state().state.doc.plans.len();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::V);
    harness.run_steps(2);
    std::thread::sleep(std::time::Duration::from_millis(1600));
    harness.run_steps(2);
    let state = &harness.state().state;
    assert_eq!(state.doc.plans.len(), before);
    let toast = state.ui.toasts.last().expect("a toast");
    assert!(toast.error);
    assert_eq!(toast.text, "The clipboard holds no text");
}

#[test]
fn the_file_menu_and_the_library_offer_the_paste() {
    let mut harness = harness(Lang::En);
    harness.get_by_label("New plan from clipboard").click();
    harness.run_steps(2);
    harness.event(egui::Event::Paste(PAGE_COPY.to_owned()));
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .state
            .doc
            .plans
            .iter()
            .any(|p| p.source.text == PAGE_COPY)
    );
    // The File menu has it too, beside the library's button.
    harness.get_by_label("File").click();
    harness.run();
    assert_eq!(
        harness
            .get_all_by_label_contains("New plan from clipboard")
            .count(),
        2
    );
}
