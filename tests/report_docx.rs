//! The Word reports read back: the pair report (title block, summary, the comparison table with
//! its diff marks) and the trace report, through the project's own DOCX reader and the parts'
//! XML: A4 sections in portrait and landscape, header rows that repeat, page numbers, CJK fonts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::io::Read as _;

use planalign::align::{AlignConfig, Aligner};
use planalign::ingest::docx::docx_to_text;
use planalign::library::bundled_plans;
use planalign::model::{LinkDecision, LinkStatus, MeasureRef, Plan, Side};
use planalign::report::{
    AlignmentReport, ReportFormat, TraceReport, alignment_report, trace_report,
};
use planalign::themes::Codebook;

const GENERATED: &str = "2026-01-01T00:00:00Z";

/// A part of the package as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|err| panic!("{name}: {err}"))
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// Every part whose name ends in `.xml` or `.rels` is well-formed.
fn assert_well_formed(bytes: &[u8]) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    assert!(names.iter().any(|n| n == "word/document.xml"), "{names:?}");
    for name in names {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = String::new();
        archive
            .by_name(&name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        reader.config_mut().check_end_names = true;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(err) => panic!("{name}: not well-formed: {err}"),
            }
        }
    }
}

/// The section properties of a document, in order: (width, height, landscape).
fn sections(document: &str) -> Vec<(u32, u32, bool)> {
    document
        .split("<w:pgSz ")
        .skip(1)
        .map(|rest| {
            let tag = rest.split("/>").next().unwrap();
            let value = |name: &str| -> u32 {
                tag.split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            (
                value("w:w"),
                value("w:h"),
                tag.contains("w:orient=\"landscape\""),
            )
        })
        .collect()
}

/// What every Word report has: A4 sections, portrait first, one landscape; a repeated header
/// row in every table; a page number in every footer; 宋体 and 黑体 named.
fn assert_layout(bytes: &[u8]) {
    assert_well_formed(bytes);
    let document = part(bytes, "word/document.xml");
    let sections = sections(&document);
    assert_eq!(
        sections,
        [
            (11_906, 16_838, false),
            (16_838, 11_906, true),
            (11_906, 16_838, false)
        ],
        "A4: portrait, landscape, portrait"
    );
    let num_tables = document.matches("<w:tbl>").count();
    assert!(num_tables >= 2);
    assert_eq!(
        document.matches("<w:tblHeader />").count(),
        num_tables,
        "each table's first row repeats"
    );
    assert_eq!(document.matches("<w:footerReference").count(), 3);
    for index in 1..=3 {
        let footer = part(bytes, &format!("word/footer{index}.xml"));
        assert!(footer.contains(">PAGE<") && footer.contains("NUMPAGES"));
    }
    let styles = part(bytes, "word/styles.xml");
    assert!(
        styles.contains("w:eastAsia=\"宋体\"") && styles.contains("w:ascii=\"Times New Roman\"")
    );
    assert!(styles.contains("w:eastAsia=\"黑体\"") && styles.contains("w:ascii=\"Arial\""));
    let fonts = part(bytes, "word/fontTable.xml");
    assert!(fonts.contains("SimSun") && fonts.contains("SimHei"));
}

#[test]
fn the_pair_report_reads_back_as_a_comparison_table() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let first = aligner.align(0, 1, &[]).links[0].clone();
    let decision = LinkDecision {
        left: MeasureRef::new(&plans[0].id, &first.left_id),
        right: MeasureRef::new(&plans[1].id, &first.right_id),
        status: LinkStatus::Accepted,
        manual: false,
        note: "分析员备注 checked".to_owned(),
    };
    let alignment = aligner.align(0, 1, &[decision]);
    let report =
        AlignmentReport::build(&aligner, 0, 1, &alignment, &codebook, GENERATED.to_owned())
            .unwrap();
    let bytes = alignment_report(&report, ReportFormat::Docx).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    assert_layout(&bytes);
    let text = docx_to_text(&bytes).unwrap();
    for plan in [&plans[0], &plans[1]] {
        for needle in [&plan.meta.title, &plan.source.sha256]
            .into_iter()
            .chain(&plan.meta.issuer)
            .chain(&plan.meta.doc_number)
        {
            assert!(text.contains(needle.as_str()), "lacks {needle}");
        }
    }
    for needle in [
        "政策对照表 Comparison table",
        "左 Left",
        "右 Right",
        "关联阈值 Link threshold",
        "已对应比例 Share carried over",
        "分析员备注 checked",
        "无对应 No counterpart",
        GENERATED,
    ] {
        assert!(text.contains(needle), "lacks {needle}");
    }
    for link in &alignment.links {
        assert!(text.contains(&report.label_title(Side::Left, &link.left_id)));
        assert!(text.contains(&report.label_title(Side::Right, &link.right_id)));
    }
    for (side, ids) in [
        (Side::Left, &alignment.unmatched_left),
        (Side::Right, &alignment.unmatched_right),
    ] {
        for id in ids {
            assert!(text.contains(&report.label_title(side, id)), "{id}");
        }
    }
    // The comparison table: a header row, then one row per link and per unmatched measure.
    let document = part(&bytes, "word/document.xml");
    let landscape = document
        .split("w:orient=\"landscape\"")
        .next()
        .unwrap()
        .rsplit("w:orient=\"portrait\"")
        .next()
        .unwrap();
    let num_rows = alignment.links.len()
        + alignment.unmatched_left.len()
        + alignment.unmatched_right.len()
        + 1;
    assert_eq!(landscape.matches("<w:tr>").count(), num_rows);
    // The diff as formatting: struck-through deletions, underlined insertions.
    assert!(
        document.contains("<w:strike />"),
        "deletions struck through"
    );
    assert!(
        document.contains("<w:u w:val=\"single\" />"),
        "insertions underlined"
    );
}

#[test]
fn the_trace_report_reads_back_with_a_column_per_plan() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let report = TraceReport::build(&aligner, 0, &[1, 2], &[], GENERATED.to_owned()).unwrap();
    let bytes = trace_report(&report, ReportFormat::Docx).unwrap();
    assert_layout(&bytes);
    let text = docx_to_text(&bytes).unwrap();
    for label in report.column_labels() {
        assert!(text.contains(&label), "lacks {label}");
    }
    for plan in report.plans() {
        assert!(text.contains(&plan.meta.title), "lacks {}", plan.meta.title);
    }
    for row in &report.rows {
        assert!(text.contains(&report.base_label(&row.measure_id)));
    }
    assert!(text.contains("跨规划追踪 Trace across plans"));
    assert!(text.contains("自有措施 Measures of their own"));
    // The trace table has one column per plan: three grid columns.
    let document = part(&bytes, "word/document.xml");
    let landscape = document
        .split("w:orient=\"landscape\"")
        .next()
        .unwrap()
        .rsplit("w:orient=\"portrait\"")
        .next()
        .unwrap();
    assert_eq!(landscape.matches("<w:gridCol ").count(), 3);
    assert_eq!(
        landscape.matches("<w:tr>").count(),
        plans[0].measures.len() + 1
    );
}

#[test]
fn the_coverage_report_reads_back_with_a_column_per_plan() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let matrix = planalign::align::coverage(&aligner);
    let bytes = planalign::report::coverage_docx(&matrix, &refs, &codebook, GENERATED).unwrap();
    assert_well_formed(&bytes);
    let document = part(&bytes, "word/document.xml");
    // Five plans: one landscape A4 section, its table's header row repeated.
    assert_eq!(sections(&document), [(16_838, 11_906, true)]);
    assert_eq!(document.matches("<w:tblHeader />").count(), 1);
    let text = docx_to_text(&bytes).unwrap();
    for plan in &plans {
        assert!(text.contains(&plan.short_label()), "{}", plan.short_label());
    }
    // Every theme of the matrix has its row (the row count is checked below).
    for theme_id in &matrix.theme_ids {
        let name = &codebook.theme(theme_id).unwrap().zh;
        assert!(text.contains(name.as_str()), "{name}");
    }
    assert_eq!(
        document.matches("<w:tr>").count() + document.matches("<w:tr ").count(),
        matrix.theme_ids.len() + 1
    );
}
