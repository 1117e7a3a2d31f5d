//! The command line: argument definitions (clap) and the subcommands that work on files.
//!
//! Every failure is one line on stderr and exit code 2; nothing panics on bad input.

mod align;
mod report;
mod show;
mod train;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::align::AlignConfig;
use crate::ingest;
use crate::persist;

/// PlanAlign: compare Chinese government plans measure by measure.
#[derive(Debug, Parser)]
#[command(name = "planalign", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand, the app opens on the bundled plans.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the desktop app on plan files (raw text or .ron) or a workspace (.planalign); with
    /// none, on the last session or the bundled plans.
    Gui {
        /// Plans to open (the first two are shown side by side), or one workspace file.
        files: Vec<PathBuf>,
        /// Save a PNG of the window once it has settled, then exit.
        #[arg(long)]
        screenshot: Option<PathBuf>,
        /// Select this measure ordinal of the left plan at start.
        #[arg(long)]
        select: Option<u32>,
        /// The view to open on.
        #[arg(long, value_enum)]
        view: Option<GuiView>,
        /// Render N frames of two synthetic 500-measure plans, print frame-time percentiles,
        /// the first-frame time and memory, and exit.
        #[arg(long, value_name = "N")]
        bench_frames: Option<u32>,
        /// The window's size in points, `WIDTHxHEIGHT` (default 1600x1000).
        #[arg(long, value_parser = parse_size)]
        size: Option<(f32, f32)>,
        /// Ask for file paths in the app's own field instead of the system file dialog (chosen
        /// automatically on desktops without one).
        #[arg(long)]
        builtin_file_dialog: bool,
        /// Drive the app from a script: read one JSON command per line from standard input
        /// (e.g. `{"SetNote":{"left_id":"m1","right_id":"m2","note":"…"}}`) and print
        /// `applied N` once line N's command is applied and saved in the session journal.
        #[arg(long)]
        commands_stdin: bool,
    },
    /// Parse raw plan texts into RON plan files, one summary line per plan.
    Import {
        /// Raw plan texts (UTF-8, UTF-16, GBK/GB18030, Big5).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder for the .ron files (created if missing).
        #[arg(short = 'o', long = "out", default_value = ".")]
        out_dir: PathBuf,
    },
    /// Print a plan's outline, agencies and targets (raw text or .ron).
    Show {
        /// A raw plan text or a .ron plan file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Align the measures of two plans (raw text or .ron) and explain every link.
    Align {
        /// The left plan (e.g. the city's).
        left: PathBuf,
        /// The right plan (e.g. the district's).
        right: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AlignFormat::Json)]
        format: AlignFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Matcher options.
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Write an alignment report: of a workspace (its two shown plans, with the analyst's tags,
    /// decisions and notes) or of two plans aligned with default settings.
    Report {
        /// One workspace (.planalign), or two plans (raw text or .ron); with --base, the plans
        /// to trace the base plan across.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Trace every measure of this plan (e.g. the city's) across the others.
        #[arg(long, value_name = "PLAN")]
        base: Option<PathBuf>,
        /// Output format (default: from the output file's extension).
        #[arg(long, value_enum)]
        format: Option<ReportFormatArg>,
        /// Write to this file (required for xlsx and docx; else standard output).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Matcher options.
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Move the theme codebook to and from QDA tools as a REFI-QDA codebook (.qdc).
    Codebook {
        /// Export or import.
        #[command(subcommand)]
        action: CodebookAction,
    },
    /// Theme × plan coverage matrix over any number of plans.
    Coverage {
        /// Plans (raw text or .ron) or folders of plans.
        #[arg(required = true)]
        plans: Vec<PathBuf>,
        /// Output format.
        /// Output format (default: by -o's extension, .docx, .csv or .json, else md).
        #[arg(long, value_enum)]
        format: Option<CoverageFormat>,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Matcher options.
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Fit the matcher on reference alignments (LEFT__RIGHT.tsv, named after the plans' ids)
    /// and/or a workspace's decisions; print its leave-one-pair-out figures; write the model.
    Train {
        /// Reference alignments: a header, then `left<TAB>right<TAB>strong|partial<TAB>note` by
        /// measure number.
        references: Vec<PathBuf>,
        /// Plans the references name, besides the bundled ones (files or folders).
        #[arg(long, num_args = 1..)]
        plans: Vec<PathBuf>,
        /// Learn from this workspace's decisions too: accepted and manual links are links,
        /// rejected ones are not.
        #[arg(long)]
        workspace: Option<PathBuf>,
        /// The model file to write.
        #[arg(short = 'o', long = "output", required = true)]
        output: PathBuf,
        /// L2 penalty on the standardised weights.
        #[arg(long, default_value_t = crate::align::learn::DEFAULT_PENALTY)]
        penalty: f64,
    },
    /// Each measure's best matches in the other plans (nearest neighbours), and a plans table.
    Neighbours {
        /// Plans (raw text or .ron) or folders of plans.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// How many neighbours per measure.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Where and how the tables go.
        #[command(flatten)]
        tables: TableArgs,
        /// Only neighbours with at least this probability (0–1).
        #[arg(long, default_value_t = 0.1, value_parser = parse_probability)]
        min_score: f32,
        /// Score every pair of plans, however many (by default, beyond 64 plans only the
        /// plans holding each measure's most similar measures by rare character pairs are
        /// scored).
        #[arg(long)]
        exhaustive: bool,
        /// Matcher options.
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Align every pair of plans: a link table (one row per link) and a plans table.
    Batch {
        /// Plans (raw text or .ron) or folders of plans.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where and how the tables go.
        #[command(flatten)]
        tables: TableArgs,
        /// Only links with at least this probability (0–1; never below the link threshold).
        #[arg(long, value_parser = parse_probability)]
        min_score: Option<f32>,
        /// Explain each link: text similarity, evidence, shared phrases, themes and agencies.
        #[arg(long)]
        explain: bool,
        /// Matcher options.
        #[command(flatten)]
        matching: MatchArgs,
    },
}

/// Where and how `batch` and `neighbours` write their tables.
#[derive(Clone, Debug, Args)]
pub struct TableArgs {
    /// Write the table to this file instead of standard output; the plans table goes beside
    /// it (`links.csv` → `links.plans.csv`).
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Table format; by default from the output's extension (.csv), else JSON lines.
    #[arg(long, value_enum)]
    pub format: Option<BatchFormat>,
    /// Write the plans table here (by default beside the table; none on standard output).
    #[arg(long)]
    pub plans: Option<PathBuf>,
}

/// The table format of `batch`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// CSV, UTF-8 with BOM.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// A probability given on the command line.
fn parse_probability(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("expected a probability from 0 to 1, got {text:?}")),
    }
}

/// Matcher options of align, report, coverage and batch.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct MatchArgs {
    /// Compare traditional characters as written, not as simplified (質量 ≠ 质量).
    #[arg(long)]
    pub keep_traditional: bool,
}

impl MatchArgs {
    /// `config` with these options applied.
    pub fn apply(self, mut config: AlignConfig) -> AlignConfig {
        if self.keep_traditional {
            config.fold_traditional = false;
        }
        config
    }
}

/// The view `gui` opens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GuiView {
    /// Two panes with connectors.
    SideBySide,
    /// One row per link and per unmatched measure.
    Aligned,
    /// Theme × plan heat map.
    Coverage,
    /// The left plan traced across every other plan.
    Cascade,
}

/// What `codebook` does.
#[derive(Debug, Subcommand)]
pub enum CodebookAction {
    /// Write the codebook (the bundled one, or a workspace's) as a REFI-QDA codebook.
    Export {
        /// The .qdc file to write.
        file: PathBuf,
        /// Export this workspace's codebook instead of the bundled one.
        #[arg(long)]
        workspace: Option<PathBuf>,
    },
    /// Read a REFI-QDA codebook into a workspace (replacing its codebook), or print it as RON.
    Import {
        /// The .qdc file to read.
        file: PathBuf,
        /// The workspace whose codebook it replaces (saved atomically).
        #[arg(long)]
        workspace: Option<PathBuf>,
    },
}

/// Output format of `report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Excel workbook: Summary, Links, Unmatched, Coverage, Targets.
    Xlsx,
    /// One self-contained, printable HTML file with character diffs.
    Html,
    /// Markdown.
    Md,
    /// CSV of links and unmatched measures (UTF-8 with BOM).
    Csv,
    /// The `planalign.alignment/1` JSON with summary, coverage and targets.
    Json,
    /// Word document: a comparison table (政策对照表) with the differences marked.
    Docx,
}

/// Output format of `align`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AlignFormat {
    /// The `planalign.alignment/1` JSON document.
    Json,
    /// A Markdown report.
    Md,
    /// CSV, UTF-8 with BOM.
    Csv,
}

/// Output format of `coverage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CoverageFormat {
    /// A Markdown table.
    Md,
    /// CSV, UTF-8 with BOM.
    Csv,
    /// The `planalign.coverage/1` JSON document.
    Json,
    /// A Word document (needs `-o FILE.docx`).
    Docx,
}

/// Output format of `show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// The outline with counts and agencies.
    Text,
    /// The `planalign.plan/1` JSON document.
    Json,
}

/// `WIDTHxHEIGHT` in points, each 400–8000.
fn parse_size(text: &str) -> Result<(f32, f32), String> {
    let (width, height) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected WIDTHxHEIGHT, e.g. 1024x700: {text}"))?;
    let number = |part: &str| -> Result<f32, String> {
        let value: u16 = part
            .trim()
            .parse()
            .map_err(|_| format!("not a size in points: {part}"))?;
        if (400..=8000).contains(&value) {
            Ok(f32::from(value))
        } else {
            Err(format!("a size between 400 and 8000 points: {value}"))
        }
    };
    Ok((number(width)?, number(height)?))
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let launched = std::time::Instant::now();
    let result = match cli.command {
        None => gui(
            &[],
            crate::app::GuiOptions {
                session_dir: crate::workspace::session_dir(),
                ..crate::app::GuiOptions::default()
            },
        ),
        Some(Command::Gui {
            files,
            screenshot,
            select,
            view,
            bench_frames,
            size,
            builtin_file_dialog,
            commands_stdin,
        }) => {
            let view = view.map(|view| match view {
                GuiView::SideBySide => crate::app::View::SideBySide,
                GuiView::Aligned => crate::app::View::Aligned,
                GuiView::Coverage => crate::app::View::Coverage,
                GuiView::Cascade => crate::app::View::Cascade,
            });
            // Screenshots and benchmarks are reproducible: no session is read or written.
            let session_dir = (screenshot.is_none() && bench_frames.is_none())
                .then(crate::workspace::session_dir)
                .flatten();
            gui(
                &files,
                crate::app::GuiOptions {
                    screenshot,
                    select,
                    view,
                    session_dir,
                    bench_frames,
                    launched: Some(launched),
                    startup_errors: Vec::new(),
                    size,
                    builtin_file_dialog,
                    commands_stdin,
                },
            )
        }
        Some(Command::Import { files, out_dir }) => import(&files, &out_dir),
        Some(Command::Show { file, format }) => show::show(&file, format),
        Some(Command::Align {
            left,
            right,
            format,
            output,
            matching,
        }) => align::align(&left, &right, format, output.as_deref(), matching),
        Some(Command::Report {
            inputs,
            base,
            format,
            output,
            matching,
        }) => report::report(
            &inputs,
            base.as_deref(),
            format,
            output.as_deref(),
            matching,
        ),
        Some(Command::Codebook { action }) => report::codebook(action),
        Some(Command::Coverage {
            plans,
            format,
            output,
            matching,
        }) => align::coverage_report(&plans, format, output.as_deref(), matching),
        Some(Command::Neighbours {
            inputs,
            top,
            tables,
            min_score,
            exhaustive,
            matching,
        }) => align::neighbours(
            &inputs,
            top,
            min_score,
            exhaustive,
            &align::BatchArgs {
                tables,
                options: crate::align::BatchOptions::default(),
            },
            matching,
        ),
        Some(Command::Batch {
            inputs,
            tables,
            min_score,
            explain,
            matching,
        }) => align::batch(
            &inputs,
            &align::BatchArgs {
                tables,
                options: crate::align::BatchOptions { min_score, explain },
            },
            matching,
        ),
        Some(Command::Train {
            references,
            plans,
            workspace,
            output,
            penalty,
        }) => train::train(&references, &plans, workspace.as_deref(), &output, penalty),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("planalign: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Opens the app on the given plans or workspace; with none, on the last session (or the
/// bundled plans); for a benchmark, on two synthetic 500-measure plans.
fn gui(files: &[PathBuf], mut options: crate::app::GuiOptions) -> Result<(), String> {
    use crate::app::Start;
    use crate::workspace::{self, PlanSource};
    let start = if options.bench_frames.is_some() {
        Start::Plans(
            crate::library::synthetic_plans(2, Some(500))
                .into_iter()
                .map(|plan| (PlanSource::Bundled(String::new()), plan))
                .collect(),
        )
    } else if files.is_empty() {
        if options.session_dir.is_some() {
            Start::Session
        } else {
            Start::Plans(crate::library::bundled_entries())
        }
    } else if let [path] = files
        && workspace::is_workspace_path(path)
    {
        let opened = workspace::open(path).map_err(|err| err.to_string())?;
        Start::Workspace(path.clone(), Box::new(opened))
    } else {
        if let Some(path) = files.iter().find(|p| workspace::is_workspace_path(p)) {
            return Err(format!(
                "a workspace opens on its own, not with other files: {}",
                path.display()
            ));
        }
        // Good files open; a bad one is a toast naming it, unless no file opens at all.
        let mut errors = Vec::new();
        let opened = align::open_plan_files(files, &mut |message| {
            errors.push(message);
            Ok(())
        })?;
        if opened.is_empty() {
            return Err(errors
                .into_iter()
                .next()
                .unwrap_or_else(|| "no plans to show".to_owned()));
        }
        let (paths, mut plans): (Vec<PathBuf>, Vec<crate::model::Plan>) =
            opened.into_iter().unzip();
        let mut sources: Vec<PlanSource> =
            paths.iter().map(|p| workspace::file_source(p)).collect();
        // The bundled plans stay in the library, after the files (unless a file is one of them).
        for (source, plan) in crate::library::bundled_entries() {
            if !plans.iter().any(|p| p.source.sha256 == plan.source.sha256) {
                sources.push(source);
                plans.push(plan);
            }
        }
        crate::library::dedupe_ids(&mut plans);
        options.startup_errors = errors;
        Start::Plans(sources.into_iter().zip(plans).collect())
    };
    crate::app::run(start, options)
}

/// Imports each file; reports every failure and fails if any did.
fn import(files: &[PathBuf], out_dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|err| format!("cannot create output folder ({err}): {}", out_dir.display()))?;
    let mut failures = Vec::new();
    for file in files {
        match import_one(file, out_dir) {
            Ok(line) => align::print_out(format!("{line}\n").as_bytes())?,
            Err(message) => {
                eprintln!("planalign: error: {message}");
                failures.push(file.display().to_string());
            }
        }
    }
    match failures.len() {
        0 => Ok(()),
        1 if files.len() == 1 => Err("import failed".to_owned()),
        count => Err(format!("{count} of {} files failed to import", files.len())),
    }
}

fn import_one(file: &Path, out_dir: &Path) -> Result<String, String> {
    let mut plan = crate::parse::parse_file(file).map_err(|err| err.to_string())?;
    plan.source.imported_at = Some(ingest::now_rfc3339());
    let target = out_dir.join(format!("{}.ron", plan.id));
    persist::save_plan(&target, &plan).map_err(|err| err.to_string())?;
    let warnings = match plan.warnings.len() {
        0 => String::new(),
        count => format!(", {count} warning(s)"),
    };
    Ok(format!(
        "{}: {} — {} {}, {} measures{warnings}",
        target.display(),
        plan.meta.title,
        plan.meta.jurisdiction.name.as_deref().unwrap_or("?"),
        plan.meta
            .jurisdiction
            .level
            .map_or("unknown level", |level| level.as_str()),
        plan.measures.len(),
    ))
}
