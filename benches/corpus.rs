//! Corpus benchmark: `planalign batch` against the TF-IDF script a researcher would write
//! (`benches/tfidf_baseline.py`, scikit-learn), on the same synthetic corpus, in one run. Wall
//! time and peak memory of each come from GNU time (`/usr/bin/time`).
//!
//! Run with `cargo bench --bench corpus` (`-- 200 2000` picks the corpus sizes; `--top 5` times
//! `planalign neighbours` instead of all pairs). The corpus is written once per size to
//! `target/bench-corpus/N/` from `library::synthetic_plans` (fixed seed), as plain text.

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let top: Option<String> = args
        .iter()
        .position(|a| a == "--top")
        .and_then(|i| args.get(i + 1).cloned());
    let mut sizes: Vec<usize> = args
        .iter()
        .filter(|a| Some(*a) != top.as_ref())
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
        let ours = match &top {
            Some(k) => measure(planalign, &["neighbours", corpus, "--top", k, "-o", links]),
            None => measure(planalign, &["batch", corpus, "-o", links]),
        };
        let what = top.as_ref().map_or("batch (all pairs)".to_owned(), |k| {
            format!("neighbours --top {k}")
        });
        match ours {
            Some((seconds, mb, summary)) => println!(
                "{num_plans} plans, planalign {what}: {seconds:.2} s, peak {mb:.0} MB ({summary})"
            ),
            None => println!("{num_plans} plans, planalign {what}: failed"),
        }
        if top.is_none() {
            let pairs = out_dir.join("tfidf.csv");
            match measure(
                "python3",
                &[script.to_str().unwrap(), corpus, pairs.to_str().unwrap()],
            ) {
                Some((seconds, mb, summary)) => println!(
                    "{num_plans} plans, TF-IDF script: {seconds:.2} s, peak {mb:.0} MB ({summary})"
                ),
                None => println!(
                    "{num_plans} plans, TF-IDF script: could not run (python3 with scikit-learn needed)"
                ),
            }
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}
