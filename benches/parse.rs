//! Parse benchmark: all bundled raw plans, in process. Goal: < 20 ms for the five seeds (release),
//! < 5 ms for any one file (the seeds and the metadata test texts); and the gazetteer's lookups.
//!
//! Run with `cargo bench --bench parse`.

use std::time::{Duration, Instant};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let texts = read_texts(&root.join("data/raw"));
    bench_seeds(&texts);
    let mut all = texts;
    all.extend(read_texts(&root.join("tests/fixtures/metadata")));
    bench_per_file(&all);
    bench_gazetteer(&all);
}

/// Median of `rounds` timings of `run`.
fn median(rounds: usize, mut run: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Each file parsed alone: the slowest file's median (goal < 5 ms).
fn bench_per_file(texts: &[(String, Vec<u8>)]) {
    let mut slowest = (Duration::ZERO, String::new());
    for (name, bytes) in texts {
        let time = median(50, || {
            let _ = planalign::parse::parse_bytes(bytes, name);
        });
        if time > slowest.0 {
            slowest = (time, name.clone());
        }
    }
    println!(
        "parse one file ({} files): slowest median {:.3} ms ({}) (goal < 5 ms)",
        texts.len(),
        slowest.0.as_secs_f64() * 1e3,
        slowest.1
    );
}

/// Gazetteer lookups: the table read once, every place named in each text, names at a start.
fn bench_gazetteer(texts: &[(String, Vec<u8>)]) {
    // Reading the table and building its indexes happens once per process.
    let load = median(5, || {
        let table = include_str!("../assets/divisions/divisions.tsv");
        let _ = planalign::gazetteer::Gazetteer::from_table(table);
    });
    let gazetteer = planalign::gazetteer::gazetteer();
    let decoded: Vec<String> = texts
        .iter()
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let total_bytes: usize = decoded.iter().map(String::len).sum();
    let mut num_mentions = 0;
    let scan = median(50, || {
        num_mentions = decoded.iter().map(|t| gazetteer.mentions(t).len()).sum();
    });
    let names = [
        "上海市静安区",
        "中共杭州市委",
        "普陀区质量",
        "质量强县",
        "广西壮族自治区人民政府",
    ];
    let lookups = median(50, || {
        for name in names {
            let _ = gazetteer.name_at(name);
        }
    });
    println!(
        "gazetteer: {} divisions read and indexed in {:.2} ms (once); mentions in {} texts ({total_bytes} bytes, {num_mentions} places) median {:.3} ms; {} name lookups median {:.4} ms",
        gazetteer.divisions().len(),
        load.as_secs_f64() * 1e3,
        decoded.len(),
        scan.as_secs_f64() * 1e3,
        names.len(),
        lookups.as_secs_f64() * 1e3,
    );
}

fn read_texts(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut texts: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
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
    texts
}

/// All seeds in one round: median, p90 and min (goal < 20 ms).
fn bench_seeds(texts: &[(String, Vec<u8>)]) {
    let total_bytes: usize = texts.iter().map(|(_, bytes)| bytes.len()).sum();
    // Warm-up, so lazily compiled patterns are not counted.
    for (name, bytes) in texts {
        let _ = planalign::parse::parse_bytes(bytes, name);
    }
    let rounds = 50;
    let mut samples: Vec<Duration> = Vec::with_capacity(rounds);
    let mut num_measures = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        num_measures = 0;
        for (name, bytes) in texts {
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
