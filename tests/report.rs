//! The report writers: the XLSX read back with calamine, HTML escaping and well-formedness,
//! the golden Markdown of the bundled pair, and `planalign report` on good and bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::path::Path;

use calamine::{Reader, Xlsx};
use planalign::align::{AlignConfig, Aligner, Alignment};
use planalign::library::bundled_plans;
use planalign::model::{LinkDecision, LinkStatus, MeasureRef, Plan, Side};
use planalign::report::{
    AlignmentReport, ReportFormat, XLSX_SHEETS, alignment_html, alignment_markdown,
    alignment_report,
};
use planalign::themes::Codebook;

/// A fixed report time, so outputs can be compared.
const GENERATED: &str = "2026-01-01T00:00:00Z";

/// Shanghai 2021 (left) against Jing'an 2023 (right), with every bundled plan as corpus, and
/// the given decisions.
fn with_report<T>(
    plans: &[Plan],
    decisions: &[LinkDecision],
    use_report: impl FnOnce(&AlignmentReport<'_>) -> T,
) -> T {
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let alignment: Alignment = aligner.align(0, 1, decisions);
    let report =
        AlignmentReport::build(&aligner, 0, 1, &alignment, &codebook, GENERATED.to_owned())
            .unwrap();
    use_report(&report)
}

#[test]
fn xlsx_reads_back_with_its_sheets_headers_and_rows() {
    let plans = bundled_plans();
    let (bytes, links, unmatched, coverage, targets) = with_report(&plans, &[], |report| {
        (
            alignment_report(report, ReportFormat::Xlsx).unwrap(),
            report.alignment.links.len(),
            report.alignment.unmatched_left.len() + report.alignment.unmatched_right.len(),
            report.coverage.len(),
            report.targets.len(),
        )
    });
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), XLSX_SHEETS);
    let rows = |workbook: &mut Xlsx<_>, name: &str| {
        let range = workbook.worksheet_range(name).unwrap();
        range
            .rows()
            .map(|row| row.iter().map(ToString::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let link_rows = rows(&mut workbook, "Links");
    assert_eq!(link_rows.len(), links + 1);
    assert_eq!(link_rows[0][0], "左侧编号 Left label");
    assert_eq!(link_rows[0][13], "备注 Note");
    assert!(link_rows[1][0].starts_with('（'), "{:?}", link_rows[1]);
    assert_eq!(rows(&mut workbook, "Unmatched").len(), unmatched + 1);
    assert_eq!(rows(&mut workbook, "Coverage").len(), coverage + 1);
    assert_eq!(rows(&mut workbook, "Targets").len(), targets + 1);
    let summary = rows(&mut workbook, "Summary");
    assert_eq!(summary[1][1], plans[0].meta.title);
    assert_eq!(summary[1][2], plans[1].meta.title);
}

#[test]
fn html_escapes_plan_and_analyst_text_and_is_well_formed() {
    let mut plans = bundled_plans();
    let hostile = "<script>alert(\"x\")</script> & 'quotes' <b>";
    plans[0].measures[0].title = hostile.to_owned();
    plans[0].measures[0].text = format!("{hostile}{}", plans[0].measures[0].text);
    plans[1].meta.title = format!("{hostile} 静安");
    let left_id = plans[0].measures[0].id.clone();
    let right_id = plans[1].measures[0].id.clone();
    let decision = LinkDecision {
        left: MeasureRef::new(&plans[0].id, &left_id),
        right: MeasureRef::new(&plans[1].id, &right_id),
        status: LinkStatus::Accepted,
        manual: true,
        note: "</div><img src=x onerror=alert(1)> & 备注".to_owned(),
    };
    let html = with_report(&plans, &[decision], |r| alignment_html(r).unwrap());
    assert!(!html.contains("<script"), "no raw script tag");
    assert!(!html.contains("<img"), "no raw tag from a note");
    assert!(
        html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;")
    );
    assert!(html.contains("&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt; &amp; 备注"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from the network"
    );
    // Well-formed: every element closes, in order (XHTML-compatible output).
    let mut reader = quick_xml::Reader::from_str(&html);
    reader.config_mut().check_end_names = true;
    let mut depth = 0_i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("not well-formed at {}: {err}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0);
    assert!(
        html.contains("<del>") && html.contains("<ins>"),
        "diffs are highlighted"
    );
}

#[test]
fn golden_markdown_of_the_bundled_pair() {
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/shanghai-2021--jingan-2023.md");
    let markdown = with_report(&bundled_plans(), &[], |r| alignment_markdown(r).unwrap());
    if std::env::var_os("PLANALIGN_UPDATE").is_some() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &markdown).unwrap();
    }
    let expected = std::fs::read_to_string(&golden)
        .expect("golden file missing: run with PLANALIGN_UPDATE=1 to write it");
    assert_eq!(
        markdown, expected,
        "the Markdown report changed; if on purpose, rerun with PLANALIGN_UPDATE=1"
    );
}

#[test]
fn every_format_writes_and_json_carries_the_summary() {
    let mut plans = bundled_plans();
    plans[0].source.imported_at = Some("2026-11-30T08:00:00Z".to_owned());
    with_report(&plans, &[], |report| {
        for format in ReportFormat::ALL {
            let bytes = alignment_report(report, format).unwrap();
            assert!(!bytes.is_empty(), "{format:?}");
        }
        let json: serde_json::Value =
            serde_json::from_slice(&alignment_report(report, ReportFormat::Json).unwrap()).unwrap();
        assert_eq!(json["schema"], "planalign.alignment/1");
        assert_eq!(json["summary"]["links"], report.alignment.links.len());
        assert_eq!(json["generated"], GENERATED);
        assert_eq!(
            json["coverage"].as_array().unwrap().len(),
            report.coverage.len()
        );
        let csv = alignment_report(report, ReportFormat::Csv).unwrap();
        assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
        // Provenance: file, sha256, format and import time of both plans, in every writer
        // that has a header.
        let left = &report.left.source;
        assert_eq!(json["left"]["source"]["sha256"], left.sha256);
        assert_eq!(json["left"]["source"]["encoding"], left.encoding);
        assert_eq!(
            json["left"]["source"]["imported_at"].as_str(),
            left.imported_at.as_deref()
        );
        let imported = left.imported_at.as_deref().unwrap();
        for format in [ReportFormat::Html, ReportFormat::Markdown] {
            let text = String::from_utf8(alignment_report(report, format).unwrap()).unwrap();
            for needle in [left.sha256.as_str(), left.file_name.as_str(), imported] {
                assert!(text.contains(needle), "{format:?} lacks {needle}");
            }
        }
    });
}

#[test]
fn targets_pair_up_under_shared_themes() {
    // The city opinion and Jiading 2024 both set targets.
    let mut plans = bundled_plans();
    plans.swap(0, 4);
    plans.swap(1, 2);
    with_report(&plans, &[], |report| {
        assert!(!report.targets.is_empty());
        for pair in &report.targets {
            assert!(!pair.left.is_empty() && !pair.right.is_empty());
            for (side, items) in [(Side::Left, &pair.left), (Side::Right, &pair.right)] {
                for item in items {
                    let measure = report.measure(side, &item.measure_id).unwrap();
                    assert!(
                        measure.targets.iter().any(|t| t.sentence == item.text),
                        "{item:?}"
                    );
                }
            }
        }
    });
}

#[test]
fn the_base_plan_is_traced_across_the_others() {
    use planalign::report::{TraceReport, trace_report};
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let report = TraceReport::build(&aligner, 0, &[1, 2], &[], GENERATED.to_owned()).unwrap();
    assert_eq!(report.rows.len(), plans[0].measures.len());
    // Each row's counterparts are exactly the pairwise links of that measure.
    for (index, other) in [1_usize, 2].into_iter().enumerate() {
        let alignment = aligner.align(0, other, &[]);
        for row in &report.rows {
            let mut expected: Vec<&str> = alignment
                .links_of(Side::Left, &row.measure_id)
                .map(|l| l.right_id.as_str())
                .collect();
            let mut got: Vec<&str> = row.cells[index]
                .iter()
                .map(|c| c.measure_id.as_str())
                .collect();
            expected.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, expected, "{}", row.measure_id);
        }
        assert_eq!(report.own[index], alignment.unmatched_right);
    }
    let bytes = trace_report(&report, ReportFormat::Xlsx).unwrap();
    let mut workbook = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), ["Summary", "Trace", "Own measures"]);
    let trace = workbook.worksheet_range("Trace").unwrap();
    // Two header rows: each plan's short label, then its title.
    assert_eq!(trace.height(), plans[0].measures.len() + 2);
    let cell = |row: u32, col: u32| trace.get_value((row, col)).unwrap().to_string();
    assert_eq!(cell(0, 0), "上海市 2021 工作要点");
    assert_eq!(cell(1, 0), plans[0].meta.title);
    assert_ne!(cell(0, 1), cell(0, 2));
    let html = String::from_utf8(trace_report(&report, ReportFormat::Html).unwrap()).unwrap();
    assert!(html.contains("嘉定区") && html.contains("静安区"));
    for format in ReportFormat::ALL {
        assert!(!trace_report(&report, format).unwrap().is_empty());
    }
}
