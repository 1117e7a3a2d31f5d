//! Parse benchmark: all bundled raw plans, in process. Goal: < 20 ms for the five seeds (release).
//!
//! Run with `cargo bench --bench parse`.

use std::time::{Duration, Instant};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/raw");
    let mut texts: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
                .filter_map(|path| {
                    let name = path.file_name()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read(&path).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    texts.sort();
    let total_bytes: usize = texts.iter().map(|(_, bytes)| bytes.len()).sum();
    // Warm-up, so lazily compiled patterns are not counted.
    for (name, bytes) in &texts {
        let _ = planalign::parse::parse_bytes(bytes, name);
    }
    let rounds = 50;
    let mut samples: Vec<Duration> = Vec::with_capacity(rounds);
    let mut num_measures = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        num_measures = 0;
        for (name, bytes) in &texts {
            if let Ok(plan) = planalign::parse::parse_bytes(bytes, name) {
                num_measures += plan.measures.len();
            }
        }
        samples.push(start.elapsed());
    }
    samples.sort();
    // Quantile by rank: index = q% of the last index, in integer arithmetic.
    let pick = |percent: usize| {
        let index = (samples.len().saturating_sub(1) * percent + 50) / 100;
        samples.get(index).copied().unwrap_or_default()
    };
    println!(
        "parse {} plans ({total_bytes} bytes, {num_measures} measures): median {:.2} ms, p90 {:.2} ms, min {:.2} ms over {rounds} rounds (goal < 20 ms)",
        texts.len(),
        pick(50).as_secs_f64() * 1e3,
        pick(90).as_secs_f64() * 1e3,
        pick(0).as_secs_f64() * 1e3,
    );
}
