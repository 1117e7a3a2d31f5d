//! The command line on good and bad input: summaries, JSON shape, one-line errors with exit code 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn planalign(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planalign"))
        .args(args)
        .output()
        .unwrap()
}

fn raw(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/raw")
        .join(name)
        .display()
        .to_string()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planalign-cli-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exit code 2, exactly one line on stderr that says `needle`, nothing on stdout.
fn assert_one_line_error(output: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in {stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn help_lists_the_commands() {
    let output = planalign(&["--help"]);
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("import") && stdout.contains("show"),
        "{stdout}"
    );
}

#[test]
fn import_writes_ron_and_prints_summaries() {
    let out = temp_dir("import");
    let output = planalign(&[
        "import",
        &raw("jingan-2023-quality-work-points.txt"),
        &raw("shanghai-2021-quality-work-points.txt"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("2023年上海市静安区质量工作要点")
            && lines[0].contains("district")
            && lines[0].contains("17 measures")
    );
    assert!(lines[1].contains("22 measures"));
    let plan =
        planalign::persist::load_plan(&out.join("jingan-2023-quality-work-points.ron")).unwrap();
    assert_eq!(plan.measures.len(), 17);
    assert!(plan.source.imported_at.is_some());
    assert_eq!(plan.source.sha256.len(), 64);
}

#[test]
fn show_json_has_the_plan_schema() {
    let output = planalign(&[
        "show",
        &raw("shanghai-2016-2018-quality-action-plan.txt"),
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "planalign.plan/1");
    let meta = &json["meta"];
    assert_eq!(meta["doc_number"], "沪府办发〔2016〕31号");
    assert_eq!(meta["date"], "2016-08-10");
    assert_eq!(meta["jurisdiction"]["level"], "municipal");
    assert_eq!(meta["jurisdiction"]["parent"], serde_json::Value::Null);
    assert_eq!(meta["period"]["start"], 2016);
    assert_eq!(meta["kind"], "action_plan");
    let measures = json["measures"].as_array().unwrap();
    assert_eq!(measures.len(), 16);
    for key in [
        "id",
        "ordinal",
        "label",
        "path",
        "title",
        "text",
        "lead_units",
        "support_units",
        "targets",
    ] {
        assert!(measures[0].get(key).is_some(), "measure lacks {key}");
    }
    assert_eq!(measures[0]["lead_units"][0], "市政府法制办");
    assert!(
        json["goals"].is_array() && json["guarantees"].is_array() && json["warnings"].is_array()
    );
}

#[test]
fn show_reads_ron_and_text_alike() {
    let ron = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/plans/jiading-2024-quality-outline-action-plan.ron");
    let from_ron = planalign(&["show", ron.to_str().unwrap()]);
    let from_text = planalign(&["show", &raw("jiading-2024-quality-outline-action-plan.txt")]);
    assert!(from_ron.status.success());
    assert_eq!(from_ron.stdout, from_text.stdout);
    let stdout = String::from_utf8_lossy(&from_ron.stdout);
    assert!(stdout.contains("嘉府办发〔2024〕20号"));
    assert!(stdout.contains("(三十一)开展考核督导"));
}

#[test]
fn bad_inputs_give_one_line_and_exit_code_2() {
    let dir = temp_dir("bad");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n\n").unwrap();
    let binary = dir.join("image.txt");
    std::fs::write(&binary, (0..=255u8).cycle().take(5000).collect::<Vec<u8>>()).unwrap();
    let no_items = dir.join("prose.txt");
    std::fs::write(&no_items, "这是一段没有编号的文字。\n第二段也没有编号。").unwrap();
    let huge = dir.join("huge.txt");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(21 * 1024 * 1024).unwrap();
    let malformed = dir.join("broken.ron");
    std::fs::write(&malformed, "(format: 1, plan: (id: \"x\", meta: (title: 3").unwrap();
    let newer = dir.join("newer.ron");
    std::fs::write(&newer, "(format: 99, plan: ())").unwrap();

    let missing = dir.join("missing.txt");
    assert_one_line_error(
        &planalign(&["show", missing.to_str().unwrap()]),
        "file not found",
    );
    assert_one_line_error(
        &planalign(&["show", empty.to_str().unwrap()]),
        "file is empty",
    );
    assert_one_line_error(&planalign(&["show", binary.to_str().unwrap()]), "binary");
    assert_one_line_error(
        &planalign(&["show", no_items.to_str().unwrap()]),
        "no numbered items",
    );
    assert_one_line_error(&planalign(&["show", huge.to_str().unwrap()]), "too large");
    assert_one_line_error(
        &planalign(&["show", malformed.to_str().unwrap()]),
        "malformed plan file",
    );
    assert_one_line_error(&planalign(&["show", newer.to_str().unwrap()]), "newer");
    assert_one_line_error(&planalign(&["show", dir.to_str().unwrap()]), "directory");
    let output = planalign(&[
        "import",
        empty.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("file is empty"));
}

#[test]
fn import_continues_past_a_bad_file_and_fails_at_the_end() {
    let dir = temp_dir("mixed");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let output = planalign(&[
        "import",
        empty.to_str().unwrap(),
        &raw("jingan-2023-quality-work-points.txt"),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(dir.join("jingan-2023-quality-work-points.ron").exists());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("1 of 2 files failed"), "{stderr}");
}

#[test]
fn unknown_flags_are_usage_errors() {
    let output = planalign(&[
        "show",
        "--format",
        "xml",
        &raw("jingan-2023-quality-work-points.txt"),
    ]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn align_json_has_the_alignment_schema() {
    let output = planalign(&[
        "align",
        &raw("shanghai-2021-quality-work-points.txt"),
        &raw("jingan-2023-quality-work-points.txt"),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "planalign.alignment/1");
    assert_eq!(json["left"]["title"], "2021年上海市质量发展工作要点");
    assert_eq!(json["right"]["jurisdiction"]["level"], "district");
    let links = json["links"].as_array().unwrap();
    assert!(links.len() >= 10);
    for key in [
        "left",
        "right",
        "score",
        "kind",
        "status",
        "origin",
        "shared_themes",
        "shared_phrases",
        "shared_units",
    ] {
        assert!(links[0].get(key).is_some(), "link lacks {key}");
    }
    for key in ["ordinal", "label", "title"] {
        assert!(links[0]["left"].get(key).is_some() && links[0]["right"].get(key).is_some());
    }
    assert_eq!(links[0]["origin"], "auto");
    assert_eq!(links[0]["status"], "unreviewed");
    assert!(
        json["unmatched_left"]
            .as_array()
            .unwrap()
            .iter()
            .all(serde_json::Value::is_u64)
    );
    // Deterministic: the same run gives the same bytes.
    let again = planalign(&[
        "align",
        &raw("shanghai-2021-quality-work-points.txt"),
        &raw("jingan-2023-quality-work-points.txt"),
    ]);
    assert_eq!(output.stdout, again.stdout);
}

#[test]
fn align_writes_markdown_and_csv_files() {
    let dir = temp_dir("align");
    let md = dir.join("report.md");
    let csv = dir.join("report.csv");
    let left = raw("shanghai-2016-2018-quality-action-plan.txt");
    let right = raw("city-quality-strong-city-opinion.txt");
    assert!(
        planalign(&[
            "align",
            &left,
            &right,
            "--format",
            "md",
            "-o",
            md.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(
        planalign(&[
            "align",
            &left,
            &right,
            "--format",
            "csv",
            "-o",
            csv.to_str().unwrap()
        ])
        .status
        .success()
    );
    let md = std::fs::read_to_string(md).unwrap();
    assert!(md.starts_with(
        "# 上海市质量发展三年行动计划(2016-2018年) ↔ 某市人民政府关于实施质量强市战略的意见"
    ));
    assert!(md.contains("| left | right | likelihood |"));
    let csv = std::fs::read(csv).unwrap();
    assert!(
        csv.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 BOM for spreadsheets"
    );
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(
        text.starts_with(
            "left_label,left_title,right_label,right_title,score,likelihood,kind,status"
        )
    );
    assert!(text.lines().count() > 10);
}

#[test]
fn coverage_and_batch() {
    let raw_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/raw");
    let output = planalign(&["coverage", raw_dir.to_str().unwrap()]);
    assert!(output.status.success());
    let md = String::from_utf8_lossy(&output.stdout);
    assert!(md.contains("| pillar | theme |") && md.contains("品牌建设"));
    let output = planalign(&["coverage", raw_dir.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["plans"].as_array().unwrap().len(), 5);

    let dir = temp_dir("batch");
    let out = dir.join("pairs.jsonl");
    let output = planalign(&[
        "batch",
        raw_dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read_lines = |path: &Path| -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let links = read_lines(&out);
    let plans = read_lines(&dir.join("pairs.plans.jsonl"));
    assert_eq!(plans.len(), 5, "one row per plan");
    assert!(
        plans
            .iter()
            .all(|p| p["sha256"].as_str().unwrap().len() == 64)
    );
    assert!(links.len() > 50, "{} links", links.len());
    let plan_ids: Vec<&str> = plans.iter().map(|p| p["plan"].as_str().unwrap()).collect();
    for link in &links {
        assert!(plan_ids.contains(&link["left_plan"].as_str().unwrap()));
        assert!(plan_ids.contains(&link["right_plan"].as_str().unwrap()));
        let score = link["score"].as_f64().unwrap();
        assert!((0.5..=1.0).contains(&score), "{score}");
        assert!(link.get("shared_phrases").is_none(), "compact by default");
    }
    // Explained, as CSV, with a minimum score.
    let csv_out = dir.join("strong.csv");
    let output = planalign(&[
        "batch",
        raw_dir.to_str().unwrap(),
        "-o",
        csv_out.to_str().unwrap(),
        "--explain",
        "--min-score",
        "0.9",
    ]);
    assert!(output.status.success());
    let csv = std::fs::read(&csv_out).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("left_plan,right_plan,left_measure,right_measure,left_label,right_label,left_ordinal,right_ordinal,score,kind,text_similarity,evidence,shared_phrases"));
    let strong = links
        .iter()
        .filter(|l| l["score"].as_f64().unwrap() >= 0.9)
        .count();
    assert_eq!(
        text.lines().count(),
        strong + 1,
        "header and the strong links"
    );
    assert!(dir.join("strong.plans.csv").exists());
    // Bad files in a corpus are skipped, named and counted; the rest is written.
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for name in [
        "shanghai-2021-quality-work-points.txt",
        "jingan-2023-quality-work-points.txt",
    ] {
        std::fs::copy(raw_dir.join(name), corpus.join(name)).unwrap();
    }
    std::fs::write(corpus.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(
        corpus.join("no-measures.txt"),
        "某区关于质量工作的通知\n各单位：请认真做好质量工作。\n",
    )
    .unwrap();
    let corpus_out = dir.join("corpus.jsonl");
    let output = planalign(&[
        "batch",
        corpus.to_str().unwrap(),
        "-o",
        corpus_out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("binary.txt") && stderr.contains("no-measures.txt"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 plan pairs") && stderr.contains("2 file(s) skipped"),
        "{stderr}"
    );
    assert!(
        !read_lines(&corpus_out).is_empty(),
        "the good pair is written"
    );
}

#[test]
fn align_and_batch_refuse_bad_input() {
    let dir = temp_dir("align-bad");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let good = raw("jingan-2023-quality-work-points.txt");
    assert_one_line_error(
        &planalign(&["align", empty.to_str().unwrap(), &good]),
        "file is empty",
    );
    assert_one_line_error(&planalign(&["batch", &good]), "at least two plans");
    assert_one_line_error(
        &planalign(&["coverage", dir.join("nope").to_str().unwrap()]),
        "file not found",
    );
}

#[test]
fn gui_refuses_bad_workspaces_before_opening_a_window() {
    let dir = temp_dir("gui-workspace");
    let newer = dir.join("newer.planalign");
    std::fs::write(&newer, "(format: 9, workspace: ())").unwrap();
    let output = planalign(&["gui", newer.to_str().unwrap()]);
    assert_one_line_error(&output, "workspace format 9 is newer");
    let garbage = dir.join("garbage.planalign");
    std::fs::write(&garbage, "not ron at all").unwrap();
    let output = planalign(&["gui", garbage.to_str().unwrap()]);
    assert_one_line_error(&output, "malformed workspace");
    let output = planalign(&[
        "gui",
        garbage.to_str().unwrap(),
        &raw("jingan-2023-quality-work-points.txt"),
    ]);
    assert_one_line_error(&output, "workspace opens on its own");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn report_writes_every_format_from_two_plans_or_a_workspace() {
    let dir = temp_dir("report");
    let (left, right) = (
        raw("shanghai-2021-quality-work-points.txt"),
        raw("jingan-2023-quality-work-points.txt"),
    );
    for ext in ["xlsx", "docx", "html", "md", "csv", "json"] {
        let out = dir.join(format!("pair.{ext}"));
        let output = planalign(&["report", &left, &right, "-o", out.to_str().unwrap()]);
        assert!(output.status.success(), "{ext}: {output:?}");
        assert!(std::fs::metadata(&out).unwrap().len() > 500, "{ext}");
    }
    // A workspace: its shown pair, with the analyst's decision and note.
    let mut work = planalign::workspace::Workspace {
        plans: planalign::library::bundled_entries()
            .into_iter()
            .map(|(source, plan)| planalign::workspace::PlanEntry::new(plan.id, source))
            .collect(),
        ..Default::default()
    };
    work.view.left = "shanghai-2021-quality-work-points".to_owned();
    work.view.right = "jiading-2024-quality-outline-action-plan".to_owned();
    work.decisions.push(planalign::model::LinkDecision {
        left: planalign::model::MeasureRef::new("shanghai-2021-quality-work-points", "m1"),
        right: planalign::model::MeasureRef::new("jiading-2024-quality-outline-action-plan", "m3"),
        status: planalign::model::LinkStatus::Accepted,
        manual: true,
        note: "分析员备注".to_owned(),
    });
    let path = dir.join("work.planalign");
    planalign::workspace::save(&path, &work).unwrap();
    let output = planalign(&["report", path.to_str().unwrap(), "--format", "md"]);
    assert!(output.status.success(), "{output:?}");
    let markdown = String::from_utf8(output.stdout).unwrap();
    assert!(markdown.contains("嘉定区"), "the workspace's right plan");
    assert!(markdown.contains("分析员备注"), "the analyst's note");
    assert!(markdown.contains("| accepted | manual |"));

    let output = planalign(&["report", &left, &right, "--format", "xlsx"]);
    assert_one_line_error(&output, "needs an output file");
    let output = planalign(&["report", &left, "-o", "x.md"]);
    assert_one_line_error(&output, "one workspace (.planalign) or two plans");
    let output = planalign(&["report", &left, &right, "--format", "docx"]);
    assert_one_line_error(&output, "needs an output file");
    let output = planalign(&["report", &left, &right, "-o", "x.odt"]);
    assert_one_line_error(&output, "give --format");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn codebook_export_and_import_round_trip_through_a_workspace() {
    let dir = temp_dir("codebook");
    let qdc = dir.join("themes.qdc");
    let output = planalign(&["codebook", "export", qdc.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("10 pillars, 32 themes"));
    let work = dir.join("w.planalign");
    planalign::workspace::save(&work, &planalign::workspace::Workspace::default()).unwrap();
    let output = planalign(&[
        "codebook",
        "import",
        qdc.to_str().unwrap(),
        "--workspace",
        work.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        planalign::workspace::load(&work).unwrap().codebook,
        planalign::themes::Codebook::bundled()
    );
    std::fs::write(&qdc, "<CodeBook><Codes><Code name='x'>").unwrap();
    let output = planalign(&["codebook", "import", qdc.to_str().unwrap()]);
    assert_one_line_error(&output, "malformed codebook");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn documents_import_and_bad_documents_give_one_line() {
    let dir = temp_dir("documents");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pdf = fixtures.join("jingan-2023-quality-work-points.pdf");
    let output = planalign(&["import", pdf.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("17 measures"));
    let scanned = fixtures.join("scanned.pdf");
    assert_one_line_error(
        &planalign(&["show", scanned.to_str().unwrap()]),
        "no text layer",
    );
    let locked = dir.join("locked.pdf");
    std::fs::write(&locked, b"%PDF-1.7\ntrailer << /Encrypt 2 0 R >>\n%%EOF\n").unwrap();
    assert_one_line_error(&planalign(&["show", locked.to_str().unwrap()]), "password");
    let truncated = dir.join("cut.docx");
    std::fs::write(&truncated, b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated").unwrap();
    assert_one_line_error(
        &planalign(&["show", truncated.to_str().unwrap()]),
        "Word document",
    );
    let bomb = dir.join("bomb.docx");
    std::fs::write(&bomb, support::zip_bomb()).unwrap();
    assert_one_line_error(
        &planalign(&["show", bomb.to_str().unwrap()]),
        "expands beyond",
    );
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "  \n").unwrap();
    assert_one_line_error(&planalign(&["show", empty.to_str().unwrap()]), "empty");
    // A closed pipe on standard output is not a crash.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_planalign"))
        .args(["show", &raw("jingan-2023-quality-work-points.txt")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn traditional_text_matches_as_simplified_unless_kept_as_written() {
    let dir = temp_dir("traditional");
    let district = dir.join("district-traditional.txt");
    std::fs::write(
        &district,
        "某區質量工作要點\n一、主要任務\n\
         （一）完善質量激勵制度。發布實施區政府質量獎管理辦法，發揮獲獎企業示範引領作用。（區市場監管局負責）\n\
         （二）加強質量品牌建設。開展區域質量品牌創建活動，推動先進製造業和現代服務業品牌建設。（區商務委、區市場監管局負責）\n",
    )
    .unwrap();
    let city = raw("shanghai-2021-quality-work-points.txt");
    let district = district.display().to_string();
    let align = |extra: &[&str]| {
        let mut args = vec!["align", city.as_str(), district.as_str()];
        args.extend_from_slice(extra);
        let output = planalign(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    // Themes are tagged on folded text either way; the text evidence is what the setting
    // changes.
    let total = |json: &serde_json::Value| -> f64 {
        json["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["signals"]["text"].as_f64().unwrap())
            .sum()
    };
    let folded = align(&[]);
    let as_written = align(&["--keep-traditional"]);
    assert_eq!(folded["config"]["fold_traditional"], true);
    assert_eq!(as_written["config"]["fold_traditional"], false);
    // The award measures correspond, and their shared phrase quotes the city plan as written.
    let award = folded["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["right"]["label"] == "（一）")
        .unwrap();
    assert_eq!(award["left"]["label"], "（十三）");
    let phrases = award["shared_phrases"].to_string();
    assert!(phrases.contains("质量激励制度"), "{phrases}");
    assert!(
        total(&folded) > 1.5 * total(&as_written),
        "{} vs {}",
        total(&folded),
        total(&as_written)
    );
}

#[test]
fn neighbours_lists_each_measures_best_matches_in_other_plans() {
    let raw_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/raw");
    let dir = temp_dir("neighbours");
    let out = dir.join("nn.csv");
    let output = planalign(&[
        "neighbours",
        raw_dir.to_str().unwrap(),
        "--top",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "plan,measure,label,ordinal,rank,other_plan,other_measure,other_label,other_ordinal,score"
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert!(rows.len() > 100, "{} rows", rows.len());
    let mut per_measure: std::collections::HashMap<(String, String), Vec<f64>> =
        std::collections::HashMap::new();
    for row in &rows {
        assert_ne!(row[0], row[5], "neighbours are in other plans");
        let score: f64 = row[9].parse().unwrap();
        assert!((0.1..=1.0).contains(&score));
        per_measure
            .entry((row[0].clone(), row[1].clone()))
            .or_default()
            .push(score);
    }
    for scores in per_measure.values() {
        assert!(scores.len() <= 2);
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");
    }
    assert!(dir.join("nn.plans.csv").exists());
}
