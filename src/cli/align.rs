//! `planalign align`, `coverage` and `batch`: plans in, alignment and coverage reports out.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::align::{AlignConfig, Aligner, align_pairs_streaming, coverage};
use crate::library;
use crate::model::Plan;
use crate::persist;
use crate::report;
use crate::themes::Codebook;

use super::{AlignFormat, CoverageFormat, MatchArgs};

/// File endings read as plans when a folder is given.
const PLAN_EXTENSIONS: &[&str] = &["txt", "ron", "text", "md"];

/// Opens plans given as files or folders (every plan file inside, sorted by name).
/// `on_error` decides what a bad file does: `Err` stops, `Ok` skips it.
fn open_plans(
    inputs: &[PathBuf],
    on_error: &mut dyn FnMut(String) -> Result<(), String>,
) -> Result<Vec<Plan>, String> {
    let mut plans: Vec<Plan> = open_plan_files(inputs, on_error)?
        .into_iter()
        .map(|(_, plan)| plan)
        .collect();
    library::dedupe_ids(&mut plans);
    Ok(plans)
}

/// [`open_plans`], each plan with the file it came from.
pub(super) fn open_plan_files(
    inputs: &[PathBuf],
    on_error: &mut dyn FnMut(String) -> Result<(), String>,
) -> Result<Vec<(PathBuf, Plan)>, String> {
    let mut paths = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|err| format!("cannot list folder ({err}): {}", input.display()))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| {
                    path.is_file()
                        && path.extension().is_some_and(|ext| {
                            PLAN_EXTENSIONS
                                .iter()
                                .any(|known| ext.eq_ignore_ascii_case(known))
                        })
                })
                .collect();
            inside.sort();
            paths.extend(inside);
        } else {
            paths.push(input.clone());
        }
    }
    // Files are read, then parsed, in parallel, a batch at a time (so that only a batch's texts
    // wait to be parsed); errors are reported in file order. Parsing raw texts needs the
    // gazetteer, which a thread of its own builds while the first files are read.
    use rayon::prelude::*;
    const FILES_AT_ONCE: usize = 512;
    if paths.iter().any(|path| !persist::is_ron(path)) {
        let _ = std::thread::Builder::new()
            .name("gazetteer".to_owned())
            .spawn(|| {
                crate::gazetteer::gazetteer();
            });
    }
    let mut opened: Vec<Result<Plan, String>> = Vec::with_capacity(paths.len());
    for batch in paths.chunks(FILES_AT_ONCE) {
        let read: Vec<Result<persist::ReadPlan, persist::OpenError>> = batch
            .par_iter()
            .map(|path| persist::read_plan_file(path))
            .collect();
        opened.par_extend(read.into_par_iter().zip(batch).map(|(read, path)| {
            read.and_then(|read| read.open(path))
                .map_err(|err| err.to_string())
        }));
    }
    let mut plans = Vec::with_capacity(paths.len());
    for (path, result) in paths.iter().zip(opened) {
        match result {
            Ok(plan) => plans.push((path.clone(), plan)),
            Err(message) => on_error(message)?,
        }
    }
    Ok(plans)
}

/// Opens plans given as files or folders; the first bad file stops with its error.
pub(super) fn open_plans_strict(inputs: &[PathBuf]) -> Result<Vec<Plan>, String> {
    open_plans(inputs, &mut |message| Err(message))
}

/// Writes to a file (atomically) or to stdout.
pub(super) fn emit(bytes: &[u8], output: Option<&Path>) -> Result<(), String> {
    match output {
        Some(path) => persist::write_atomic(path, bytes).map_err(|err| err.to_string()),
        None => print_out(bytes),
    }
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
pub(super) fn print_out(bytes: &[u8]) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output ({err})"))
        }
        _ => Ok(()),
    }
}

/// Plans to align plus the bundled plans as IDF background (when not among them).
pub(super) fn corpus_with_background(plans: Vec<Plan>) -> (Vec<Plan>, usize) {
    let num_loaded = plans.len();
    let refs: Vec<&Plan> = plans.iter().collect();
    let background = library::background_for(&refs);
    let mut all = plans;
    all.extend(background);
    library::dedupe_ids(&mut all);
    (all, num_loaded)
}

/// `planalign align LEFT RIGHT`.
pub fn align(
    left: &Path,
    right: &Path,
    format: AlignFormat,
    output: Option<&Path>,
    matching: MatchArgs,
) -> Result<(), String> {
    let format = match format {
        AlignFormat::Json => report::ReportFormat::Json,
        AlignFormat::Md => report::ReportFormat::Markdown,
        AlignFormat::Csv => report::ReportFormat::Csv,
    };
    // No time stamp: the same plans give the same bytes.
    let config = matching.apply(AlignConfig::default());
    let bytes = super::report::pair_report(left, right, format, String::new(), config)?;
    emit(&bytes, output)
}

/// `planalign coverage PLAN...`.
pub fn coverage_report(
    inputs: &[PathBuf],
    format: Option<CoverageFormat>,
    output: Option<&Path>,
    matching: MatchArgs,
) -> Result<(), String> {
    let extension = output
        .and_then(Path::extension)
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase());
    let format = format.unwrap_or(match extension.as_deref() {
        Some("docx") => CoverageFormat::Docx,
        Some("csv") => CoverageFormat::Csv,
        Some("json") => CoverageFormat::Json,
        _ => CoverageFormat::Md,
    });
    if format == CoverageFormat::Docx && output.is_none() {
        return Err("a DOCX report needs an output file (-o FILE.docx)".to_owned());
    }
    let plans = open_plans_strict(inputs)?;
    if plans.is_empty() {
        return Err("no plans found in the given paths".to_owned());
    }
    let refs: Vec<&Plan> = plans.iter().collect();
    let codebook = Codebook::bundled();
    let config = matching.apply(AlignConfig::default());
    let aligner = Aligner::new(&refs, &codebook, &[], config);
    let matrix = coverage(&aligner);
    let bytes = match format {
        CoverageFormat::Json => {
            report::json_bytes(&report::coverage_json(&matrix, &refs, &codebook))?
        }
        CoverageFormat::Md => report::coverage_markdown(&matrix, &refs, &codebook)?.into_bytes(),
        CoverageFormat::Csv => report::coverage_csv(&matrix, &refs, &codebook)?,
        CoverageFormat::Docx => {
            report::coverage_docx(&matrix, &refs, &codebook, &crate::ingest::now_rfc3339())?
        }
    };
    emit(&bytes, output)
}

/// Where and how `batch` writes its tables.
pub struct BatchArgs {
    /// The table's file, format and plans table.
    pub tables: super::TableArgs,
    /// What to keep of each link.
    pub options: crate::align::BatchOptions,
}

impl BatchArgs {
    fn format(&self) -> report::TableFormat {
        let csv = match self.tables.format {
            Some(format) => format == super::BatchFormat::Csv,
            None => self
                .tables
                .output
                .as_deref()
                .and_then(Path::extension)
                .is_some_and(|ext| ext.eq_ignore_ascii_case("csv")),
        };
        if csv {
            report::TableFormat::Csv
        } else {
            report::TableFormat::JsonLines
        }
    }

    /// The plans table's path: given, or beside the link table (`links.csv` →
    /// `links.plans.csv`).
    fn plans_path(&self, format: report::TableFormat) -> Option<PathBuf> {
        if let Some(path) = &self.tables.plans {
            return Some(path.clone());
        }
        let output = self.tables.output.as_deref()?;
        let stem = output.file_stem()?.to_string_lossy().into_owned();
        let ext = match format {
            report::TableFormat::Csv => "csv",
            report::TableFormat::JsonLines => "jsonl",
        };
        Some(output.with_file_name(format!("{stem}.plans.{ext}")))
    }
}

/// A file written under a temporary name and renamed into place when complete.
struct PendingFile {
    temp: PathBuf,
    path: PathBuf,
}

impl PendingFile {
    fn create(path: &Path) -> Result<(Self, std::fs::File), String> {
        let temp = path.with_file_name(format!(
            ".{}.{}.tmp",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let file = std::fs::File::create(&temp)
            .map_err(|err| format!("cannot write ({err}): {}", path.display()))?;
        Ok((
            Self {
                temp,
                path: path.to_path_buf(),
            },
            file,
        ))
    }

    fn commit(self) -> Result<(), String> {
        std::fs::rename(&self.temp, &self.path)
            .map_err(|err| format!("cannot write ({err}): {}", self.path.display()))
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// The plans of a corpus run: those that opened and hold measures (first, `num_loaded` of them,
/// with their files), then the bundled plans as IDF background.
struct CorpusRun {
    all: Vec<Plan>,
    num_loaded: usize,
    file_names: Vec<String>,
    failures: usize,
}

impl CorpusRun {
    /// Opens plans from files and folders; a file that does not open, or holds no measures, is
    /// named on stderr and counted, and the run goes on.
    fn open(inputs: &[PathBuf]) -> Result<Self, String> {
        let mut failures = 0usize;
        let mut files: Vec<(PathBuf, Plan)> = Vec::new();
        for (path, plan) in open_plan_files(inputs, &mut |message| {
            eprintln!("planalign: error: {message} (skipped)");
            failures += 1;
            Ok(())
        })? {
            if plan.measures.is_empty() {
                eprintln!(
                    "planalign: error: no numbered measures found (skipped): {}",
                    path.display()
                );
                failures += 1;
            } else {
                files.push((path, plan));
            }
        }
        if files.len() < 2 {
            return Err(format!(
                "a corpus run needs at least two plans with measures; found {}",
                files.len()
            ));
        }
        let file_names: Vec<String> = files
            .iter()
            .map(|(path, _)| path.display().to_string())
            .collect();
        let mut plans: Vec<Plan> = files.into_iter().map(|(_, plan)| plan).collect();
        library::dedupe_ids(&mut plans);
        let (all, num_loaded) = corpus_with_background(plans);
        // The segmenter loads the words of these plans while their measures are masked and
        // tagged, before they are cut into words.
        crate::align::load_segmenter_for_corpus(&all);
        Ok(Self {
            all,
            num_loaded,
            file_names,
            failures,
        })
    }

    /// The plans table, where `args` puts it (beside the main table, or nowhere on stdout).
    fn write_plans_table(
        &self,
        args: &BatchArgs,
        format: report::TableFormat,
    ) -> Result<(), String> {
        let Some(path) = args.plans_path(format) else {
            return Ok(());
        };
        let loaded: Vec<&Plan> = self.all.iter().take(self.num_loaded).collect();
        let bytes = report::plans_table(&loaded, &self.file_names, format)?;
        emit(&bytes, Some(&path))
    }

    /// The run's end: the summary line, and exit code 2 when files were skipped.
    fn finish(&self, summary: &str) -> Result<(), String> {
        eprintln!("planalign: {summary}; {} file(s) skipped", self.failures);
        match self.failures {
            0 => Ok(()),
            count => Err(format!(
                "{count} input file(s) skipped (see above); the tables cover the other plans"
            )),
        }
    }
}

/// A progress bar on stderr: measures finished, and time left (the bar itself runs over pairs
/// of plans, the work, so that the time left is right when early plans have more to do).
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {msg} measures done, {elapsed_precise} (about {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("0");
    bar
}

/// Shows `progress` on `bar`.
fn show_progress(bar: &indicatif::ProgressBar, progress: crate::align::Progress) {
    bar.set_length(progress.plan_pairs_total as u64);
    bar.set_position(progress.plan_pairs as u64);
    bar.set_message(format!("{}/{}", progress.measures, progress.measures_total));
}

/// `planalign neighbours PLAN_OR_DIR... --top K`: each measure's K best matches in the other
/// plans, and the plans table.
pub fn neighbours(
    inputs: &[PathBuf],
    top: usize,
    min_score: f32,
    exhaustive: bool,
    args: &BatchArgs,
    matching: MatchArgs,
) -> Result<(), String> {
    let run = CorpusRun::open(inputs)?;
    let refs: Vec<&Plan> = run.all.iter().collect();
    let config = matching.apply(AlignConfig::default());
    let aligner = Aligner::new(&refs, &Codebook::bundled(), &[], config);
    let members: Vec<usize> = (0..run.num_loaded).collect();
    let bar = progress_bar();
    let search = if exhaustive {
        crate::align::NeighbourSearch::Exhaustive
    } else {
        crate::align::NeighbourSearch::for_corpus(members.len())
    };
    let lists =
        crate::align::nearest_neighbours(&aligner, &members, top, min_score, search, &|progress| {
            show_progress(&bar, progress)
        });
    bar.finish_and_clear();
    let format = args.format();
    run.write_plans_table(args, format)?;
    let mut out: Vec<u8> = Vec::new();
    let rows = report::write_neighbours(&mut out, format, &refs, &members, &lists)?;
    emit(&out, args.tables.output.as_deref())?;
    let result = run.finish(&format!(
        "{rows} neighbours of {} measures in {} plans",
        lists.iter().map(Vec::len).sum::<usize>(),
        run.num_loaded
    ));
    // As in `batch`: the process ends here, and the system takes its memory back at once.
    std::mem::forget(aligner);
    std::mem::forget(lists);
    std::mem::forget(run);
    result
}

/// `planalign batch PLAN_OR_DIR...`: every pair of plans aligned; a link table (one row per
/// link) and a plans table.
pub fn batch(inputs: &[PathBuf], args: &BatchArgs, matching: MatchArgs) -> Result<(), String> {
    let run = CorpusRun::open(inputs)?;
    let num_loaded = run.num_loaded;
    let refs: Vec<&Plan> = run.all.iter().collect();
    let config = matching.apply(AlignConfig::default());
    let aligner = Aligner::new(&refs, &Codebook::bundled(), &[], config);
    let members: Vec<usize> = (0..num_loaded).collect();
    let bar = progress_bar();
    let format = args.format();
    run.write_plans_table(args, format)?;
    // Rows go out as pairs finish (a plan's pairs at a time), so memory stays bounded. The buffer is
    // large enough that a table of tens of megabytes is written in a few hundred calls.
    const BUFFER: usize = 1 << 18;
    let (out, pending): (Box<dyn std::io::Write>, Option<PendingFile>) = match &args.tables.output {
        Some(path) => {
            let (pending, file) = PendingFile::create(path)?;
            (
                Box::new(std::io::BufWriter::with_capacity(BUFFER, file)),
                Some(pending),
            )
        }
        None => (
            Box::new(std::io::BufWriter::with_capacity(BUFFER, std::io::stdout())),
            None,
        ),
    };
    let mut table = report::LinkTable::new(out, format, args.options.explain)?;
    let mut write_error: Option<String> = None;
    let (mut num_pairs, mut num_links) = (0usize, 0usize);
    align_pairs_streaming(
        &aligner,
        &members,
        args.options,
        &|progress| show_progress(&bar, progress),
        &mut |pair| {
            if write_error.is_some() {
                return;
            }
            num_pairs += 1;
            match table.write_pair(&refs, &pair) {
                Ok(rows) => num_links += rows,
                Err(err) => write_error = Some(err.to_string()),
            }
        },
    );
    bar.finish_and_clear();
    let finished = table.finish().map(drop).map_err(|err| err.to_string());
    if let Some(err) = write_error.or(finished.err()) {
        if let Some(pending) = pending {
            pending.discard();
        }
        return Err(err);
    }
    if let Some(pending) = pending {
        pending.commit()?;
    }
    let result = run.finish(&format!(
        "aligned {num_pairs} plan pairs ({num_links} links)"
    ));
    // The command ends here, and the process with it: the system takes its memory back at
    // once, so the features of every measure are not freed one by one.
    std::mem::forget(aligner);
    std::mem::forget(run);
    result
}
