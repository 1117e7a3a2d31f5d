//! `planalign report`: the alignment report of a workspace or of two plans, in any format the
//! report code offers (the same code as the app's File › Export); and `planalign codebook`,
//! the codebook to and from REFI-QDA.

use std::path::{Path, PathBuf};

use crate::align::{AlignConfig, Aligner};
use crate::model::Plan;
use crate::report::{AlignmentReport, ReportFormat, alignment_report};
use crate::themes::Codebook;
use crate::workspace;

use super::align::{corpus_with_background, emit, open_plans_strict};
use super::{CodebookAction, MatchArgs, ReportFormatArg};

/// `planalign report (WORKSPACE | LEFT RIGHT) [--format F] [-o FILE]`.
pub fn report(
    inputs: &[PathBuf],
    base: Option<&Path>,
    format: Option<ReportFormatArg>,
    output: Option<&Path>,
    matching: MatchArgs,
) -> Result<(), String> {
    let format = match format {
        Some(ReportFormatArg::Xlsx) => ReportFormat::Xlsx,
        Some(ReportFormatArg::Html) => ReportFormat::Html,
        Some(ReportFormatArg::Md) => ReportFormat::Markdown,
        Some(ReportFormatArg::Csv) => ReportFormat::Csv,
        Some(ReportFormatArg::Json) => ReportFormat::Json,
        Some(ReportFormatArg::Docx) => ReportFormat::Docx,
        None => output.and_then(ReportFormat::from_path).ok_or(
            "give --format, or an output file ending in .xlsx, .docx, .html, .md, .csv or .json",
        )?,
    };
    if matches!(format, ReportFormat::Xlsx | ReportFormat::Docx) && output.is_none() {
        return Err(format!(
            "an {} report needs an output file (-o FILE.{})",
            format.extension().to_ascii_uppercase(),
            format.extension()
        ));
    }
    let bytes = match (base, inputs) {
        (Some(base), others) => trace_report(base, others, format, matching)?,
        (None, [path]) if workspace::is_workspace_path(path) => {
            workspace_report(path, format, matching)?
        }
        (None, [left, right]) => pair_report(
            left,
            right,
            format,
            crate::ingest::now_rfc3339(),
            matching.apply(AlignConfig::default()),
        )?,
        (None, _) => return Err("give one workspace (.planalign) or two plans".to_owned()),
    };
    emit(&bytes, output)
}

/// The report of a workspace's shown pair, with its tags, decisions, codebook and settings.
fn workspace_report(
    path: &Path,
    format: ReportFormat,
    matching: MatchArgs,
) -> Result<Vec<u8>, String> {
    let opened = workspace::open(path).map_err(|err| err.to_string())?;
    if let Some(gone) = opened.missing.first() {
        return Err(format!(
            "plan {} of the workspace cannot be opened ({})",
            gone.entry.id, gone.reason
        ));
    }
    let work = &opened.workspace;
    let plans: Vec<&Plan> = opened.plans.iter().map(|(_, plan)| plan).collect();
    let position = |id: &str| plans.iter().position(|p| p.id == id);
    let left = position(&work.view.left).unwrap_or(0);
    let right = position(&work.view.right).unwrap_or(usize::from(plans.len() > 1));
    let codebook = if work.codebook.pillars.is_empty() {
        Codebook::bundled()
    } else {
        work.codebook.clone()
    };
    let config = matching.apply(work.settings.clone());
    let aligner = Aligner::new(&plans, &codebook, &work.tag_edits, config);
    let alignment = aligner.align(left, right, &work.decisions);
    let report = AlignmentReport::build(
        &aligner,
        left,
        right,
        &alignment,
        &codebook,
        crate::ingest::now_rfc3339(),
    )
    .ok_or("the workspace has no plans")?
    .with_hand_tags(&work.tag_edits, &plans);
    Ok(alignment_report(&report, format)?)
}

/// The base plan traced across the others, with default settings and the options given.
fn trace_report(
    base: &Path,
    others: &[PathBuf],
    format: ReportFormat,
    matching: MatchArgs,
) -> Result<Vec<u8>, String> {
    let mut files = vec![base.to_path_buf()];
    files.extend(others.iter().cloned());
    let plans = open_plans_strict(&files)?;
    let (all, loaded) = corpus_with_background(plans);
    let refs: Vec<&Plan> = all.iter().collect();
    let others: Vec<usize> = (1..loaded).collect();
    Ok(crate::report::build_trace(
        &refs,
        &Codebook::bundled(),
        0,
        &others,
        crate::ingest::now_rfc3339(),
        matching.apply(AlignConfig::default()),
        |report| crate::report::trace_report(report, format),
    )?)
}

/// The report of two plans aligned with `config`.
pub(super) fn pair_report(
    left: &Path,
    right: &Path,
    format: ReportFormat,
    generated: String,
    config: AlignConfig,
) -> Result<Vec<u8>, String> {
    let plans = open_plans_strict(&[left.to_path_buf(), right.to_path_buf()])?;
    let (all, _) = corpus_with_background(plans);
    let refs: Vec<&Plan> = all.iter().collect();
    let codebook = Codebook::bundled();
    let aligner = Aligner::new(&refs, &codebook, &[], config);
    let alignment = aligner.align(0, 1, &[]);
    let report = AlignmentReport::build(&aligner, 0, 1, &alignment, &codebook, generated)
        .ok_or("two plans are needed")?;
    Ok(alignment_report(&report, format)?)
}

/// `planalign codebook export|import FILE.qdc [--workspace W]`.
pub fn codebook(action: CodebookAction) -> Result<(), String> {
    match action {
        CodebookAction::Export { file, workspace } => {
            let codebook = match &workspace {
                Some(path) => workspace_codebook(path)?,
                None => Codebook::bundled(),
            };
            crate::themes::qdc::save(&file, &codebook)?;
            super::align::print_out(
                format!("{}\n", codebook_summary(&codebook, &file)).as_bytes(),
            )?;
            Ok(())
        }
        CodebookAction::Import { file, workspace } => {
            let codebook = crate::themes::qdc::load(&file)?;
            match workspace {
                Some(path) => {
                    let mut work = workspace::load(&path).map_err(|err| err.to_string())?;
                    work.codebook = codebook;
                    workspace::save(&path, &work).map_err(|err| err.to_string())?;
                    let line = format!("{}\n", codebook_summary(&work.codebook, &path));
                    super::align::print_out(line.as_bytes())?;
                }
                None => {
                    let text =
                        crate::persist::to_pretty_ron(&codebook).map_err(|err| err.to_string())?;
                    super::align::print_out(text.as_bytes())?;
                }
            }
            Ok(())
        }
    }
}

fn workspace_codebook(path: &Path) -> Result<Codebook, String> {
    let work = workspace::load(path).map_err(|err| err.to_string())?;
    Ok(if work.codebook.pillars.is_empty() {
        Codebook::bundled()
    } else {
        work.codebook
    })
}

fn codebook_summary(codebook: &Codebook, path: &Path) -> String {
    format!(
        "{} pillars, {} themes: {}",
        codebook.pillars.len(),
        codebook.themes().count(),
        path.display()
    )
}
