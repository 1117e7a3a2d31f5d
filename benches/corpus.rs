//! Corpus benchmark: `planalign batch` against the TF-IDF script a researcher would write
//! (`benches/tfidf_baseline.py`, scikit-learn), on the same synthetic corpus, in one run. Wall
//! time and peak memory of each come from GNU time (`/usr/bin/time`).
//!
//! Run with `cargo bench --bench corpus` (`-- 200 2000` picks the corpus sizes; `--top 5` times
//! `planalign neighbours` instead of all pairs; `--top 5 --recall` also runs it with
//! `--exhaustive` and reports how many of those neighbours the default candidate search found).
//! The machine's speed drifts within minutes, so with `--repeat N` (3 by default) batch and the
//! script run N times each, one after the other, and the medians are compared. The corpus is
//! written once per size to `target/bench-corpus/N/` from `library::synthetic_plans` (fixed
//! seed), as plain text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "benchmark harness: a panic is a failed run"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Wall seconds and peak resident memory (MB) of a command, from GNU time.
fn measure(program: &str, args: &[&str]) -> Option<(f64, f64, String)> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "@@ %e %M"])
        .arg(program)
        .args(args)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let line = stderr.lines().rev().find(|l| l.starts_with("@@ "))?;
    let mut fields = line.split_whitespace().skip(1);
    let seconds: f64 = fields.next()?.parse().ok()?;
    let kilobytes: f64 = fields.next()?.parse().ok()?;
    if !output.status.success() {
        eprintln!("{program} failed: {stderr}");
        return None;
    }
    let summary = stderr
        .lines()
        .rev()
        .find(|l| !l.starts_with("@@ ") && !l.trim().is_empty())
        .unwrap_or_default()
        .to_owned();
    Some((seconds, kilobytes / 1024.0, summary))
}

fn write_corpus(num_plans: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-corpus")
        .join(num_plans.to_string());
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for plan in planalign::library::synthetic_plans(num_plans, None) {
            let text = planalign::library::plan_as_text(&plan);
            std::fs::write(dir.join(format!("{}.txt", plan.id)), text).unwrap();
        }
        std::fs::write(&done, b"").unwrap();
    }
    dir
}

/// Each measure's neighbours in a `planalign neighbours` CSV: (plan, measure) → [(other plan,
/// other measure, score)].
type Lists = std::collections::HashMap<(String, String), Vec<(String, String, String)>>;

fn read_neighbours(path: &str) -> Lists {
    let mut lists = Lists::new();
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        lists
            .entry((field(0), field(1)))
            .or_default()
            .push((field(5), field(6), field(9)));
    }
    lists
}

/// How much of the exhaustive neighbour lists the candidate search found: the share of
/// (measure, neighbour) pairs, and the share of measures whose list has the same scores.
fn recall(exhaustive: &Lists, found: &Lists) -> (f64, f64) {
    let (mut pairs, mut hits, mut same) = (0usize, 0usize, 0usize);
    for (key, want) in exhaustive {
        let got = found.get(key).map(Vec::as_slice).unwrap_or(&[]);
        pairs += want.len();
        hits += want.iter().filter(|n| got.contains(n)).count();
        let scores = |list: &[(String, String, String)]| {
            let mut s: Vec<String> = list.iter().map(|n| n.2.clone()).collect();
            s.sort();
            s
        };
        if scores(want) == scores(got) {
            same += 1;
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "counts")]
    let share = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    (share(hits, pairs), share(same, exhaustive.len()))
}

/// The median wall time of the runs that worked.
fn median(runs: &[Option<(f64, f64, String)>]) -> Option<f64> {
    let mut seconds = seconds_of(runs);
    seconds.sort_by(f64::total_cmp);
    let n = seconds.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(seconds[n / 2]),
        _ => Some((seconds[n / 2 - 1] + seconds[n / 2]) / 2.0),
    }
}

/// The highest peak memory (MB) of the runs that worked.
fn peak(runs: &[Option<(f64, f64, String)>]) -> f64 {
    runs.iter().flatten().map(|run| run.1).fold(0.0, f64::max)
}

/// The wall times of the runs that worked, in order.
fn seconds_of(runs: &[Option<(f64, f64, String)>]) -> Vec<f64> {
    runs.iter().flatten().map(|run| run.0).collect()
}

/// The wall times, `1.23 s, 1.31 s`.
fn listed(runs: &[Option<(f64, f64, String)>]) -> String {
    seconds_of(runs)
        .iter()
        .map(|s| format!("{s:.2} s"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each run's speed-up, `9.1x, 8.7x`.
fn ours_over_theirs(ours: &[f64], theirs: &[f64]) -> String {
    ours.iter()
        .zip(theirs)
        .map(|(o, t)| format!("{:.1}x", t / o))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let top: Option<String> = args
        .iter()
        .position(|a| a == "--top")
        .and_then(|i| args.get(i + 1).cloned());
    let with_recall = args.iter().any(|a| a == "--recall");
    let repeat: Option<String> = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1).cloned());
    let repeats: usize = repeat
        .as_ref()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3)
        .max(1);
    let mut sizes: Vec<usize> = args
        .iter()
        .filter(|a| Some(*a) != top.as_ref() && Some(*a) != repeat.as_ref())
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes.push(200);
    }
    let planalign = env!("CARGO_BIN_EXE_planalign");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/tfidf_baseline.py");
    let out_dir =
        std::env::temp_dir().join(format!("planalign-corpus-bench-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    for num_plans in sizes {
        let corpus = write_corpus(num_plans);
        let corpus = corpus.to_str().unwrap();
        let links = out_dir.join("links.csv");
        let links = links.to_str().unwrap();
        let what = top.as_ref().map_or("batch (all pairs)".to_owned(), |k| {
            format!("neighbours --top {k}")
        });
        let run_ours = || match &top {
            Some(k) => measure(planalign, &["neighbours", corpus, "--top", k, "-o", links]),
            None => measure(planalign, &["batch", corpus, "-o", links]),
        };
        let pairs = out_dir.join("tfidf.csv");
        let pairs = pairs.to_str().unwrap();
        let run_script = || measure("python3", &[script.to_str().unwrap(), corpus, pairs]);
        // Alternately, so that both see the same drift of the machine's speed.
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..if top.is_none() { repeats } else { 1 } {
            ours.push(run_ours());
            if top.is_none() {
                theirs.push(run_script());
            }
        }
        let our_seconds = median(&ours);
        match (our_seconds, ours.iter().flatten().next()) {
            (Some(seconds), Some((_, _, summary))) => println!(
                "{num_plans} plans, planalign {what}: {seconds:.2} s (median of {}: {}), peak \
                 {mb:.0} MB ({summary})",
                ours.len(),
                listed(&ours),
                mb = peak(&ours),
            ),
            _ => println!("{num_plans} plans, planalign {what}: failed"),
        }
        if let (Some(k), true) = (&top, with_recall) {
            let all = out_dir.join("exhaustive.csv");
            let all = all.to_str().unwrap();
            let exhaustive = measure(
                planalign,
                &["neighbours", corpus, "--top", k, "--exhaustive", "-o", all],
            );
            if let Some((seconds, mb, _)) = exhaustive {
                let (pairs, measures) = recall(&read_neighbours(all), &read_neighbours(links));
                println!(
                    "{num_plans} plans, neighbours --top {k} --exhaustive: {seconds:.2} s, peak \
                     {mb:.0} MB; the default search found {:.2}% of its neighbours, and the same \
                     scores for {:.2}% of measures",
                    100.0 * pairs,
                    100.0 * measures
                );
            }
        }
        if top.is_none() {
            match (median(&theirs), theirs.iter().flatten().next()) {
                (Some(seconds), Some((_, _, summary))) => {
                    println!(
                        "{num_plans} plans, TF-IDF script: {seconds:.2} s (median of {}: {}), \
                         peak {mb:.0} MB ({summary})",
                        theirs.len(),
                        listed(&theirs),
                        mb = peak(&theirs),
                    );
                    if let Some(our_median) = our_seconds {
                        println!(
                            "{num_plans} plans: planalign batch is {:.1}x as fast as the script \
                             (medians; run by run: {})",
                            seconds / our_median,
                            ours_over_theirs(&seconds_of(&ours), &seconds_of(&theirs))
                        );
                    }
                }
                _ => println!(
                    "{num_plans} plans, TF-IDF script: could not run (python3 with scikit-learn needed)"
                ),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}
