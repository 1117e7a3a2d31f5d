//! Inputs unlike the seeds: ASCII punctuation, GBK bytes, numbering gaps and restarts,
//! traditional characters, other page chrome, measures broken over many lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use planalign::model::{Date, Level, PlanKind};
use planalign::parse::{parse_bytes, parse_text};

#[test]
fn ascii_punctuation_throughout() {
    let text = "\
XX市2024年质量工作要点
一. 强化质量基础
(一) 加强计量能力建设. 推进产业计量测试中心建设,到2025年建成3个以上. (责任单位: 市市场监管局, 市科委)
(二) 完善标准体系. 开展团体标准培育. (牵头单位: 市市场监管局; 配合单位: 市经信委)
二. 保障措施
(一) 加强组织领导. 各区要落实责任.";
    let plan = parse_text(text, "ascii.txt").unwrap();
    assert_eq!(plan.meta.kind, PlanKind::WorkPoints);
    assert_eq!(plan.meta.jurisdiction.name.as_deref(), Some("XX市"));
    assert_eq!(plan.measures.len(), 2);
    assert_eq!(plan.guarantees.len(), 1);
    let first = &plan.measures[0];
    assert_eq!(first.lead_units.len(), 2);
    assert_eq!(first.lead_units[1].name, "市科委");
    assert!(
        first
            .targets
            .iter()
            .any(|t| t.value == 3.0 && t.unit == "个")
    );
    assert_eq!(plan.measures[1].support_units[0].name, "市经信委");
}

#[test]
fn gbk_copy_parses_like_the_utf8_original() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/raw/jingan-2023-quality-work-points.txt");
    let utf8 = std::fs::read(&path).unwrap();
    let text = String::from_utf8(utf8.clone()).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let from_utf8 = parse_bytes(&utf8, "jingan.txt").unwrap();
    let from_gbk = parse_bytes(&gbk, "jingan.txt").unwrap();
    assert_ne!(from_gbk.source.encoding, "UTF-8");
    assert_eq!(from_gbk.meta, from_utf8.meta);
    assert_eq!(from_gbk.measures, from_utf8.measures);
}

#[test]
fn utf16_copy_parses() {
    let text = "2022年某区质量工作要点\n一、重点任务\n（一）加强质量品牌建设。推动品牌培育。（区市场监管局负责）";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let plan = parse_bytes(&bytes, "utf16.txt").unwrap();
    assert_eq!(plan.measures[0].lead_units[0].name, "区市场监管局");
    assert_eq!(plan.meta.jurisdiction.level, Some(Level::District));
}

#[test]
fn numbering_gaps_and_duplicates_are_warnings_not_failures() {
    let text = "某市质量发展工作要点\n一、任务\n（一）甲项工作。内容。\n（二）乙项工作。内容。\n（四）丁项工作。内容。\n（四）又一个丁。内容。\n（五）戊项工作。内容。";
    let plan = parse_text(text, "gaps.txt").unwrap();
    assert_eq!(plan.measures.len(), 5);
    let codes: Vec<&str> = plan.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"numbering_gap"), "{codes:?}");
    assert!(codes.contains(&"duplicate_ordinal"), "{codes:?}");
    let ids: Vec<&str> = plan.measures.iter().map(|m| m.id.as_str()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids stay unique: {ids:?}");
}

#[test]
fn numbering_that_restarts_per_section_gets_path_ids() {
    let text = "某县质量提升行动方案\n一、产品质量\n1.提升食品质量。内容。\n2.提升消费品质量。内容。\n二、服务质量\n1.提升养老服务。内容。\n2.提升旅游服务。内容。";
    let plan = parse_text(text, "restart.txt").unwrap();
    let ids: Vec<&str> = plan.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1.1", "m1.2", "m2.1", "m2.2"]);
    assert_eq!(plan.meta.jurisdiction.level, Some(Level::County));
    assert!(
        !plan
            .warnings
            .iter()
            .any(|w| w.code.starts_with("numbering")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn traditional_characters() {
    let text = "某市質量發展工作要點\n一、主要任務\n（一）加強質量品牌建設。推動企業品牌培育。（責任單位：市市場監管局、市商務委）\n（二）完善質量獎勵制度。（牽頭單位：市市場監管局，配合單位：市財政局）";
    let plan = parse_text(text, "trad.txt").unwrap();
    assert_eq!(plan.meta.kind, PlanKind::WorkPoints);
    assert_eq!(plan.measures.len(), 2);
    assert_eq!(plan.measures[0].lead_units.len(), 2);
    // Names as written; types simplified, so they meet the simplified plans' types.
    assert_eq!(plan.measures[0].lead_units[0].name, "市市場監管局");
    assert_eq!(plan.measures[0].lead_units[0].agency_type, "市场监管局");
    assert_eq!(plan.measures[1].support_units.len(), 1);
    // The original characters are kept for display.
    assert!(plan.measures[0].text.contains("加強質量品牌建設"));
}

#[test]
fn other_page_chrome_is_dropped() {
    let text = "\
首页 > 政务公开 > 规划计划
【字体：大 中 小】 打印本页
发布时间：2024-03-01 来源：区市场监管局 浏览次数：1234
发文字号：某区府办发〔2024〕7号
某区人民政府办公室关于印发《某区质量强区建设实施方案》的通知
各街道办事处，区政府各委、办、局：
现将《某区质量强区建设实施方案》印发给你们，请认真贯彻执行。
某区人民政府办公室
二〇二四年三月一日
某区质量强区建设实施方案
为推进质量强区建设，制定本方案。
一、重点任务
（一）提升产品质量。开展质量提升行动。（责任单位：区市场监管局）
（二）提升服务质量。开展服务质量监测。（责任单位：区商务委）
二、保障措施
（一）加强组织领导。建立工作机制。
扫一扫在手机打开当前页
上一篇：关于开展2024年质量月活动的通知
1. 网站声明
2. 联系我们";
    let plan = parse_text(text, "chrome.txt").unwrap();
    let meta = &plan.meta;
    assert_eq!(meta.title, "某区质量强区建设实施方案");
    assert_eq!(meta.kind, PlanKind::ImplementationPlan);
    assert_eq!(meta.doc_number.as_deref(), Some("某区府办发〔2024〕7号"));
    assert_eq!(meta.issuer.as_deref(), Some("某区人民政府办公室"));
    assert_eq!(
        meta.date,
        Date::new(2024, 3, 1),
        "the notice date, not the page time"
    );
    assert_eq!(meta.jurisdiction.level, Some(Level::District));
    assert_eq!(plan.measures.len(), 2);
    assert_eq!(plan.guarantees.len(), 1);
    assert!(!plan.guarantees[0].text.contains("扫一扫"));
    assert_eq!(plan.preamble, "为推进质量强区建设，制定本方案。");
}

#[test]
fn a_measure_broken_over_many_lines() {
    let text = "某市质量工作要点\n一、任务\n（一）积极构建大质量工作体系。充分发挥市、区两\n级质量工作领导小组协调机制作用，凝聚各部门建设质量强\n国的合力，统筹推进全市、各区质量\n发展工作。（市、区质量工作领导小组办公\n室负责）\n（二）第二项工作。内容。";
    let plan = parse_text(text, "broken.txt").unwrap();
    let first = &plan.measures[0];
    assert_eq!(
        first.text,
        "积极构建大质量工作体系。充分发挥市、区两级质量工作领导小组协调机制作用，凝聚各部门建设质量强国的合力，统筹推进全市、各区质量发展工作。"
    );
    let names: Vec<&str> = first.lead_units.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["市质量工作领导小组办公室", "区质量工作领导小组办公室"]
    );
    assert_eq!(first.title, "积极构建大质量工作体系");
}

#[test]
fn full_width_digits_circled_numbers_and_windows_line_ends() {
    let text = "某市质量工作要点\r\n一、任务\r\n１．第一项工作。内容。\r\n２．第二项工作。\r\n①子项甲。内容。\r\n②子项乙。内容。\r\n";
    let plan = parse_text(text, "mixed.txt").unwrap();
    let labels: Vec<&str> = plan.measures.iter().map(|m| m.label.as_str()).collect();
    // 2. has numbered children, so the circled items are the measures under it.
    assert_eq!(labels, ["１．", "①", "②"]);
    assert_eq!(plan.measures[1].path, [1, 2]);
}

#[test]
fn a_text_without_a_title_line_still_parses() {
    let plan = parse_text("1.加强品牌建设。\n2.完善标准体系。", "untitled-plan.txt").unwrap();
    assert_eq!(plan.meta.title, "untitled-plan");
    assert_eq!(plan.measures.len(), 2);
    assert!(plan.warnings.iter().any(|w| w.code == "missing_title"));
}
