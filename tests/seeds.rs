//! Facts about the five bundled plans, verified by reading the texts: metadata, measure ordinals,
//! agencies of a few measures, targets, joined lines and dropped page chrome.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use planalign::model::{Date, Level, Plan, PlanKind, TargetKind};

fn plan(name: &str) -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/raw")
        .join(format!("{name}.txt"));
    planalign::parse::parse_file(&path).unwrap()
}

fn ordinals(plan: &Plan) -> Vec<u32> {
    plan.measures.iter().map(|m| m.ordinal).collect()
}

fn lead_names(plan: &Plan, measure_id: &str) -> Vec<String> {
    plan.measure(measure_id)
        .unwrap()
        .lead_units
        .iter()
        .map(|a| a.name.clone())
        .collect()
}

#[test]
fn shanghai_2016_action_plan() {
    let plan = plan("shanghai-2016-2018-quality-action-plan");
    let meta = &plan.meta;
    assert_eq!(meta.title, "上海市质量发展三年行动计划(2016-2018年)");
    assert_eq!(meta.doc_number.as_deref(), Some("沪府办发〔2016〕31号"));
    assert_eq!(meta.issuer.as_deref(), Some("上海市人民政府办公厅"));
    assert_eq!(meta.date, Date::new(2016, 8, 10));
    assert_eq!(meta.jurisdiction.name.as_deref(), Some("上海市"));
    assert_eq!(meta.jurisdiction.level, Some(Level::Municipal));
    assert_eq!(meta.jurisdiction.parent, None);
    assert_eq!(
        (meta.period.start, meta.period.end),
        (Some(2016), Some(2018))
    );
    assert_eq!(meta.kind, PlanKind::ActionPlan);
    assert_eq!(ordinals(&plan), (1..=16).collect::<Vec<_>>());
    let first = &plan.measures[0];
    assert_eq!(first.label, "1.");
    assert_eq!(first.path, [2, 1]);
    assert_eq!(first.title, "加强质量法治建设");
    assert_eq!(lead_names(&plan, "m1"), ["市政府法制办", "市质量技监局"]);
    assert_eq!(lead_names(&plan, "m13"), ["市食品药品监管局"]);
    assert_eq!(lead_names(&plan, "m14").last().unwrap(), "团市委");
    assert_eq!(plan.goals.len(), 1);
    assert_eq!(plan.goals[0].title, "工作目标");
    assert_eq!(plan.guarantees.len(), 1);
    assert!(
        plan.guarantees[0]
            .text
            .contains("各区县政府、各行业主管部门")
    );
    // The trailing WeChat / related-articles chrome is gone.
    assert!(!plan.guarantees[0].text.contains("公众号"));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn city_opinion_from_another_province() {
    let plan = plan("city-quality-strong-city-opinion");
    let meta = &plan.meta;
    assert_eq!(meta.title, "某市人民政府关于实施质量强市战略的意见");
    assert_eq!(meta.issuer.as_deref(), Some("某市人民政府"));
    assert_eq!(
        meta.doc_number, None,
        "the cited provincial 文号 is not this plan's"
    );
    assert_eq!(meta.date, None);
    assert_eq!(meta.jurisdiction.name.as_deref(), Some("某市"));
    assert_eq!(meta.jurisdiction.level, Some(Level::Municipal));
    assert_eq!(meta.period.end, Some(2022));
    assert_eq!(meta.kind, PlanKind::Opinion);
    assert_eq!(ordinals(&plan), (1..=16).collect::<Vec<_>>());
    assert_eq!(plan.measures[0].title, "全面提升产品质量");
    assert_eq!(plan.measures[0].path, [2, 1]);
    // Body sentences on following lines belong to the measure; broken lines are joined.
    assert!(
        plan.measures[0]
            .text
            .contains("大力推进传统优势产业技术改造创新,淘汰落后产能")
    );
    assert!(
        plan.measure("m11")
            .unwrap()
            .text
            .contains("实施质量责任追究制度")
    );
    assert!(
        plan.measure("m14")
            .unwrap()
            .text
            .contains("推进便民化检验和质量鉴定服务。")
    );
    let money: Vec<f64> = plan
        .measure("m15")
        .unwrap()
        .targets
        .iter()
        .filter(|t| t.kind == TargetKind::Money)
        .map(|t| t.value)
        .collect();
    assert_eq!(money, [100.0, 50.0, 10.0]);
    // 保障措施 restarts (一)(二)(三): guarantees, not measures, and no id clash.
    assert_eq!(plan.guarantees.len(), 3);
    assert_eq!(plan.guarantees[0].title, "加强组织领导");
    assert_eq!(plan.goals.len(), 1);
    assert!(plan.warnings.iter().any(|w| w.code == "missing_date"));
    // The download disclaimer before the title is not part of the plan.
    assert!(!plan.preamble.contains("下载"));
}

#[test]
fn jingan_2023_work_points() {
    let plan = plan("jingan-2023-quality-work-points");
    let meta = &plan.meta;
    assert_eq!(meta.title, "2023年上海市静安区质量工作要点");
    assert_eq!(meta.jurisdiction.name.as_deref(), Some("静安区"));
    assert_eq!(meta.jurisdiction.level, Some(Level::District));
    assert_eq!(meta.jurisdiction.parent.as_deref(), Some("上海市"));
    assert_eq!(
        (meta.period.start, meta.period.end),
        (Some(2023), Some(2023))
    );
    assert_eq!(meta.kind, PlanKind::WorkPoints);
    assert_eq!(meta.issuer, None);
    assert_eq!(meta.date, None);
    assert_eq!(ordinals(&plan), (1..=17).collect::<Vec<_>>());
    let first = plan.measure("m1").unwrap();
    assert_eq!(first.label, "(一)");
    assert_eq!(first.title, "加强质量发展制度建设");
    assert_eq!(lead_names(&plan, "m1"), ["区市场监管局"]);
    assert_eq!(first.support_units[0].name, "区质量工作领导小组各成员单位");
    assert_eq!(lead_names(&plan, "m12"), ["区市场监管局", "公安静安分局"]);
    assert_eq!(lead_names(&plan, "m9"), ["区市场监管局"]);
    let m13 = plan.measure("m13").unwrap();
    assert!(
        m13.targets
            .iter()
            .any(|t| t.kind == TargetKind::Count && t.value == 15.0)
    );
    // The error-report form after the text (纠错 / 1.错误类) is not a measure.
    assert!(!plan.measure("m17").unwrap().text.contains("纠错"));
    assert_eq!(plan.measures.len(), 17);
}

#[test]
fn shanghai_2021_work_points() {
    let plan = plan("shanghai-2021-quality-work-points");
    let meta = &plan.meta;
    assert_eq!(meta.title, "2021年上海市质量发展工作要点");
    assert_eq!(meta.issuer.as_deref(), Some("上海市质量工作领导小组"));
    assert_eq!(meta.date, Date::new(2021, 1, 26));
    assert_eq!(meta.jurisdiction.name.as_deref(), Some("上海市"));
    assert_eq!(
        (meta.period.start, meta.period.end),
        (Some(2021), Some(2021))
    );
    assert_eq!(meta.kind, PlanKind::WorkPoints);
    assert_eq!(ordinals(&plan), (1..=22).collect::<Vec<_>>());
    assert_eq!(plan.measures[21].label, "（二十二）");
    // 市、区质量工作领导小组办公室 names two agencies of one type at two levels.
    assert_eq!(
        lead_names(&plan, "m1"),
        ["市质量工作领导小组办公室", "区质量工作领导小组办公室"]
    );
    let m15 = plan.measure("m15").unwrap();
    assert_eq!(
        lead_names(&plan, "m15"),
        [
            "市经济信息化委",
            "市市场监管局",
            "区市场监管局",
            "市知识产权局"
        ]
    );
    assert_eq!(m15.lead_units[1].agency_type, m15.lead_units[2].agency_type);
    assert_eq!(m15.lead_units[2].level, Some(Level::District));
    // The distribution list (抄送) after the last measure is dropped.
    assert!(!plan.measure("m22").unwrap().text.contains("抄送"));
    let m8 = plan.measure("m8").unwrap();
    assert!(
        m8.targets
            .iter()
            .any(|t| t.kind == TargetKind::Count && t.value == 5.0)
    );
}

#[test]
fn jiading_2024_outline_action_plan() {
    let plan = plan("jiading-2024-quality-outline-action-plan");
    let meta = &plan.meta;
    assert_eq!(meta.title, "质量强国建设纲要嘉定行动方案");
    assert_eq!(meta.doc_number.as_deref(), Some("嘉府办发〔2024〕20号"));
    assert_eq!(meta.issuer.as_deref(), Some("上海市嘉定区人民政府办公室"));
    assert_eq!(meta.date, Date::new(2024, 8, 14));
    assert_eq!(meta.jurisdiction.name.as_deref(), Some("嘉定区"));
    assert_eq!(meta.jurisdiction.parent.as_deref(), Some("上海市"));
    assert_eq!(meta.jurisdiction.level, Some(Level::District));
    assert_eq!(meta.period.end, Some(2025));
    assert_eq!(meta.kind, PlanKind::ActionPlan);
    // (一)(二) are the guiding ideas and targets; (三)–(三十一) are measures.
    assert_eq!(ordinals(&plan), (3..=31).collect::<Vec<_>>());
    let goal_titles: Vec<&str> = plan.goals.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(goal_titles, ["指导思想", "主要目标"]);
    let targets = &plan.goals[1].targets;
    assert!(
        targets
            .iter()
            .any(|t| t.kind == TargetKind::Percent && t.value == 98.0)
    );
    assert!(
        targets
            .iter()
            .any(|t| t.kind == TargetKind::Count && t.value == 3000.0 && t.unit == "家")
    );
    let m27 = plan.measure("m27").unwrap();
    let types: Vec<&str> = m27
        .lead_units
        .iter()
        .map(|a| a.agency_type.as_str())
        .collect();
    assert_eq!(types, ["市场监管局", "海关", "公安局"]);
    assert!(lead_names(&plan, "m31").contains(&"区建设管理委".to_owned()));
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
}

#[test]
fn ids_are_stable_across_reimport() {
    let first = plan("shanghai-2021-quality-work-points");
    let second = plan("shanghai-2021-quality-work-points");
    let ids = |p: &Plan| p.measures.iter().map(|m| m.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    assert_eq!(ids(&first)[0], "m1");
}
