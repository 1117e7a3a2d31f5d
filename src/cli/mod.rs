//! The command line: argument definitions (clap) and the subcommands that work on files.
//!
//! Every failure is one line on stderr and exit code 2; nothing panics on bad input.

mod show;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::ingest;
use crate::persist;

/// PlanAlign: compare Chinese government plans measure by measure.
#[derive(Debug, Parser)]
#[command(name = "planalign", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand, help is printed.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
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
}

/// Output format of `show`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// The outline with counts and agencies.
    Text,
    /// The `planalign.plan/1` JSON document.
    Json,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        None => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            Ok(())
        }
        Some(Command::Import { files, out_dir }) => import(&files, &out_dir),
        Some(Command::Show { file, format }) => show::show(&file, format),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("planalign: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Imports each file; reports every failure and fails if any did.
fn import(files: &[PathBuf], out_dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(out_dir)
        .map_err(|err| format!("cannot create output folder ({err}): {}", out_dir.display()))?;
    let mut failures = Vec::new();
    for file in files {
        match import_one(file, out_dir) {
            Ok(line) => println!("{line}"),
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
