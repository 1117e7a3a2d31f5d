//! One hostile plan text (formula starters, HTML and script, Markdown links, quotes, pipes,
//! newlines, bidi overrides and zero-width characters, control characters and noncharacters
//! that XML forbids, CDATA ends, a 10,000-character measure) through every writer of every
//! report, each checked for what the program that opens it would see.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::io::Read as _;

use calamine::{Data, Reader, Xlsx};
use planalign::align::{AlignConfig, Aligner, coverage};
use planalign::ingest::docx::docx_to_text;
use planalign::library::bundled_plans;
use planalign::model::{LinkDecision, LinkStatus, MeasureRef, Plan};
use planalign::report::{
    AlignmentReport, ReportFormat, TraceReport, alignment_report, coverage_csv, coverage_markdown,
    trace_report,
};
use planalign::themes::Codebook;

const GENERATED: &str = "2026-01-01T00:00:00Z";
const FORMULA_STARTERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
const HIDDEN: [char; 4] = ['\u{202E}', '\u{202C}', '\u{200B}', '\u{2066}'];
/// Text that breaks XML if it gets through: control characters, noncharacters, markup.
const XML_BREAKERS: &str =
    "\u{0}\u{1}\u{8}\u{B}\u{C}\u{1B}\u{1F}\u{7F}\u{FFFE}\u{FFFF} ]]> <![CDATA[ &amp; &#0; <w:p>";

/// The hostile plan: parsed from raw text like any web copy, then given a hostile title,
/// issuer, 文号 and a measure title with a line break.
fn hostile_plan() -> Plan {
    let long = "推进质量提升行动，".repeat(1200);
    let text = format!(
        "质量工作要点\n\n一、主要任务\n\
         （一）=1+1加强质量品牌建设<img src=x onerror=alert(1)>。推进质量品牌建设，开展区域质量品牌创建活动，提升品牌影响力。（责任单位：@SUM(A1)区市场监管局）\n\
         （二）+cmd|' /C calc'!A0推动工程质量提升[点击](javascript:alert(1))。全面提升工程质量水平，加强建设单位首要责任。（责任单位：区建管委）\n\
         （三）-2+3加强质量人才队伍建设<svg onload=alert(1)>。培养质量人才 | 管道 | 竖线，\"引号\" 'single' `code` *强调* _下划线_。（责任单位：区人社局）\n\
         （四）\u{202E}txt.exe 加强\u{200B}食品安全监管。落实食品安全主体责任，强化农产品质量保障。（责任单位：区市场监管局）\n\
         （五）持续推进质量基础设施建设。{long}（责任单位：区市场监管局）\n"
    );
    let mut plan = planalign::parse::parse_bytes(text.as_bytes(), "hostile.txt").unwrap();
    assert_eq!(plan.measures.len(), 5);
    assert!(plan.measures[4].text.chars().count() > 10_000);
    plan.meta.title =
        "=HYPERLINK(\"//evil.example/x\";\"点击查看详情\")<script>alert(1)</script>".to_owned();
    plan.meta.issuer = Some("<svg onload=alert(1)>\u{2066}静安区人民政府".to_owned());
    plan.meta.doc_number = Some("[文号](javascript:alert(1))".to_owned());
    plan.meta.jurisdiction.name = Some("@静安区".to_owned());
    plan.measures[1].title = "-推动工程质量提升\n=第二行".to_owned();
    plan.measures[2].text.push_str(XML_BREAKERS);
    plan.measures[3].title.push_str(XML_BREAKERS);
    plan
}

/// The note an analyst (or a workspace file someone sent) puts on a link.
const NOTE: &str = "=1+1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) | 备注\r\n@第二行";

struct Outputs {
    alignment: Vec<(ReportFormat, Vec<u8>)>,
    trace: Vec<(ReportFormat, Vec<u8>)>,
    coverage_csv: Vec<u8>,
    coverage_md: String,
}

fn outputs() -> Outputs {
    let bundled = bundled_plans();
    let plans = [hostile_plan(), bundled[1].clone(), bundled[0].clone()];
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let decisions: Vec<LinkDecision> = plans[0]
        .measures
        .iter()
        .map(|m| LinkDecision {
            left: MeasureRef::new(&plans[0].id, &m.id),
            right: MeasureRef::new(&plans[1].id, &plans[1].measures[0].id),
            status: LinkStatus::Accepted,
            manual: true,
            note: format!("{NOTE}{XML_BREAKERS}"),
        })
        .collect();
    let alignment = aligner.align(0, 1, &decisions);
    assert_eq!(
        alignment
            .links
            .iter()
            .filter(|l| l.note.starts_with(NOTE))
            .count(),
        5
    );
    let report =
        AlignmentReport::build(&aligner, 0, 1, &alignment, &codebook, GENERATED.to_owned())
            .unwrap();
    let alignment_outputs = ReportFormat::ALL
        .iter()
        .map(|&f| (f, alignment_report(&report, f).unwrap()))
        .collect();
    let trace = TraceReport::build(&aligner, 0, &[1, 2], &decisions, GENERATED.to_owned()).unwrap();
    let trace_outputs = ReportFormat::ALL
        .iter()
        .map(|&f| (f, trace_report(&trace, f).unwrap()))
        .collect();
    let matrix = coverage(&aligner);
    Outputs {
        alignment: alignment_outputs,
        trace: trace_outputs,
        coverage_csv: coverage_csv(&matrix, &refs, &codebook).unwrap(),
        coverage_md: coverage_markdown(&matrix, &refs, &codebook).unwrap(),
    }
}

fn of(outputs: &[(ReportFormat, Vec<u8>)], format: ReportFormat) -> &[u8] {
    &outputs.iter().find(|(f, _)| *f == format).unwrap().1
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// What a spreadsheet would evaluate: no field may start with a formula character unless it
/// is neutralised (a leading `'`) or a plain number.
fn assert_csv_safe(bytes: &[u8], what: &str) -> usize {
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{what}: BOM");
    assert!(
        !text(bytes).contains(HIDDEN),
        "{what}: hidden characters dropped"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    let mut fields = 0;
    for record in reader.records() {
        for field in record.unwrap().iter() {
            fields += 1;
            let is_number = field.parse::<f64>().is_ok() && !field.starts_with('+');
            assert!(
                is_number || !field.trim_start().starts_with(FORMULA_STARTERS),
                "{what}: a live formula {field:?}"
            );
        }
    }
    fields
}

#[test]
fn csv_fields_never_start_a_formula() {
    let out = outputs();
    let fields = assert_csv_safe(of(&out.alignment, ReportFormat::Csv), "alignment csv");
    assert!(fields > 100);
    let csv_text = text(of(&out.alignment, ReportFormat::Csv));
    assert!(
        csv_text.contains("'=HYPERLINK("),
        "the plan title is kept, as text"
    );
    assert!(csv_text.contains("'=1+1 <img"), "the note is kept, as text");
    assert!(csv_text.contains("'-推动工程质量提升\n=第二行"));
    assert_csv_safe(of(&out.trace, ReportFormat::Csv), "trace csv");
    assert_csv_safe(&out.coverage_csv, "coverage csv");
}

#[test]
fn alignment_csv_rows_name_both_plans() {
    let out = outputs();
    let bytes = of(&out.alignment, ReportFormat::Csv);
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (left_sha, right_file) = (column("left_sha256"), column("right_file"));
    let expected_sha = hostile_plan().source.sha256;
    assert_eq!(expected_sha.len(), 64);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(
            record.get(right_file),
            Some("jingan-2023-quality-work-points.txt")
        );
        assert_eq!(record.get(left_sha), Some(expected_sha.as_str()));
        rows += 1;
    }
    assert!(rows >= 5);
}

/// What a Markdown renderer would turn into markup: a raw `<` (other than the `<br>` we write)
/// or an unescaped link.
fn assert_markdown_safe(markdown: &str, what: &str) {
    let without_breaks = markdown.replace("<br>", "");
    assert!(!without_breaks.contains('<'), "{what}: a raw <");
    assert!(!without_breaks.contains('>'), "{what}: a raw >");
    for (index, _) in markdown.match_indices("](") {
        assert!(
            markdown[..index].ends_with('\\'),
            "{what}: a live link at {index}"
        );
    }
    assert!(!markdown.contains(HIDDEN), "{what}: hidden characters");
    // Every table row keeps its column count: pipes in text are escaped, line breaks folded.
    let mut columns = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            columns = None;
            continue;
        }
        let count = line.replace("\\|", "").matches('|').count();
        match columns {
            None => columns = Some(count),
            Some(expected) => assert_eq!(count, expected, "{what}: row {line:.80}"),
        }
    }
}

#[test]
fn markdown_leaves_no_markup_live() {
    let out = outputs();
    let markdown = text(of(&out.alignment, ReportFormat::Markdown));
    assert_markdown_safe(markdown, "alignment md");
    assert!(markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(markdown.contains("\\[x\\](javascript:alert(1))"));
    assert_markdown_safe(text(of(&out.trace, ReportFormat::Markdown)), "trace md");
    assert_markdown_safe(&out.coverage_md, "coverage md");
}

fn assert_html_safe(html: &str, what: &str) {
    for tag in ["<script", "<img", "<svg", "javascript:alert(1)\""] {
        assert!(!html.contains(tag), "{what}: {tag}");
    }
    assert!(!html.contains(HIDDEN), "{what}: hidden characters");
    let mut reader = quick_xml::Reader::from_str(html);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(err) => panic!("{what}: not well-formed: {err}"),
        }
    }
}

#[test]
fn html_escapes_everything() {
    let out = outputs();
    let html = text(of(&out.alignment, ReportFormat::Html));
    assert_html_safe(html, "alignment html");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert_html_safe(text(of(&out.trace, ReportFormat::Html)), "trace html");
}

fn sheet_xml(bytes: &[u8], index: usize) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = archive
        .by_name(&format!("xl/worksheets/sheet{index}.xml"))
        .unwrap();
    let mut xml = String::new();
    file.read_to_string(&mut xml).unwrap();
    xml
}

#[test]
fn xlsx_cells_are_strings_never_formulas() {
    let out = outputs();
    for (what, bytes, num_sheets) in [
        ("alignment", of(&out.alignment, ReportFormat::Xlsx), 5),
        ("trace", of(&out.trace, ReportFormat::Xlsx), 3),
    ] {
        for index in 1..=num_sheets {
            let xml = sheet_xml(bytes, index);
            assert!(!xml.contains("<f>"), "{what} sheet {index}: a formula");
        }
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).unwrap();
            for cell in range.used_cells() {
                if let Data::String(value) = cell.2 {
                    assert!(!value.contains(HIDDEN), "{what} {name}: hidden characters");
                }
            }
        }
    }
    let mut workbook = Xlsx::new(std::io::Cursor::new(
        of(&out.alignment, ReportFormat::Xlsx).to_vec(),
    ))
    .unwrap();
    let summary = workbook.worksheet_range("Summary").unwrap();
    assert_eq!(
        summary.get_value((1, 1)),
        Some(&Data::String(
            "=HYPERLINK(\"//evil.example/x\";\"点击查看详情\")<script>alert(1)</script>".to_owned()
        ))
    );
}

#[test]
fn json_is_valid_and_keeps_the_text() {
    let out = outputs();
    for (format, bytes) in [
        (ReportFormat::Json, of(&out.alignment, ReportFormat::Json)),
        (ReportFormat::Json, of(&out.trace, ReportFormat::Json)),
    ] {
        let value: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert!(value.is_object(), "{format:?}");
    }
    let value: serde_json::Value =
        serde_json::from_slice(of(&out.alignment, ReportFormat::Json)).unwrap();
    assert_eq!(
        value["left"]["title"],
        "=HYPERLINK(\"//evil.example/x\";\"点击查看详情\")<script>alert(1)</script>"
    );
}

#[test]
fn xlsx_rows_fit_their_text_and_sheets_print_on_a4() {
    let out = outputs();
    let bytes = of(&out.alignment, ReportFormat::Xlsx);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut workbook_xml = String::new();
    archive
        .by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook_xml)
        .unwrap();
    assert_eq!(
        workbook_xml.matches("_xlnm.Print_Titles").count(),
        5,
        "every sheet repeats its header row"
    );
    for index in 1..=5 {
        let xml = sheet_xml(bytes, index);
        assert!(xml.contains("paperSize=\"9\""), "sheet {index}: A4");
        assert!(
            xml.contains("fitToHeight=\"0\""),
            "sheet {index}: fit to width"
        );
        assert!(xml.contains("<oddHeader>") && xml.contains("<oddFooter>&amp;C&amp;P / &amp;N"));
        assert!(
            xml.contains("customHeight=\"1\""),
            "sheet {index}: row heights"
        );
    }
    // The Links sheet is wide: landscape. Its rows with the 10,000-character measure's long
    // shared phrases grow past one line.
    let links = sheet_xml(bytes, 2);
    assert!(links.contains("orientation=\"landscape\""));
    let heights: Vec<f64> = links
        .split(" ht=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert!(heights.iter().any(|&h| h > 30.0), "{heights:?}");
    assert!(heights.iter().all(|&h| h <= 409.0));
    // Counts are integers and shares percentages.
    let styles = {
        let mut xml = String::new();
        archive
            .by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    };
    assert!(styles.contains("formatCode=\"0%\"") || styles.contains("numFmtId=\"9\""));
}

/// Whether XML 1.0 allows a character.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[test]
fn docx_opens_and_keeps_the_text() {
    let out = outputs();
    for (what, bytes) in [
        ("alignment", of(&out.alignment, ReportFormat::Docx)),
        ("trace", of(&out.trace, ReportFormat::Docx)),
    ] {
        // The package opens and every part is XML that parses, with no forbidden character.
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
        for name in names {
            let mut xml = String::new();
            archive
                .by_name(&name)
                .unwrap()
                .read_to_string(&mut xml)
                .unwrap();
            if let Some(bad) = xml.chars().find(|&c| !is_xml_char(c)) {
                panic!(
                    "{what} {name}: U+{:04X} is not allowed in XML",
                    u32::from(bad)
                );
            }
            assert!(!xml.contains(HIDDEN), "{what} {name}: hidden characters");
            let mut reader = quick_xml::Reader::from_str(&xml);
            reader.config_mut().check_end_names = true;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(err) => panic!("{what} {name}: not well-formed: {err}"),
                }
            }
            if name == "word/document.xml" {
                // Text never becomes markup: the only paragraphs are the writer's own.
                assert!(!xml.contains("<w:p>]]>"), "{what}");
                assert!(
                    xml.contains("&lt;w:p&gt;"),
                    "{what}: the text's tag is escaped"
                );
            }
        }
        // The project's own reader reads it back, with the hostile text as text.
        let text = docx_to_text(bytes).unwrap();
        assert!(
            text.contains(
                "=HYPERLINK(\"//evil.example/x\";\"点击查看详情\")<script>alert(1)</script>"
            ),
            "{what}: the title is kept as text"
        );
        assert!(text.contains("]]> <![CDATA[ &amp; &#0; <w:p>"), "{what}");
        assert!(!text.contains(HIDDEN), "{what}: hidden characters");
        assert!(!text.contains(['\u{0}', '\u{1}', '\u{1B}', '\u{FFFE}', '\u{FFFF}']));
    }
    let text = docx_to_text(of(&out.alignment, ReportFormat::Docx)).unwrap();
    assert!(
        text.contains("<svg onload=alert(1)>静安区人民政府"),
        "the issuer"
    );
    assert!(text.contains("=1+1 <img src=x onerror=alert(1)> [x](javascript:alert(1)) | 备注"));
    assert!(
        text.contains("-推动工程质量提升\n=第二行"),
        "a line break kept"
    );
}
