//! Alignment benchmarks. Goals (release, this 2-core machine): aligning two ~30-measure plans
//! in < 2 ms; `batch` over 200 synthetic plans in < 5 s, growing with similar pairs rather than
//! with the square of the corpus.
//!
//! Run with `cargo bench --bench align` (`-- 50 200 800` picks the corpus sizes).

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    clippy::panic,
    reason = "benchmark harness: a panic is a failed run"
)]

use std::time::{Duration, Instant};

use planalign::align::{AlignConfig, Aligner, align_pairs_streaming};
use planalign::model::{Jurisdiction, Level, Measure, Plan};
use planalign::themes::Codebook;

/// A small deterministic generator (xorshift64*), so every run builds the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Plans built from the seed measures: shuffled, recombined (one measure's first sentences with
/// another's last), jurisdiction names swapped for generated ones.
fn synthetic_corpus(num_plans: usize, seeds: &[Plan]) -> Vec<Plan> {
    let pool: Vec<&Measure> = seeds.iter().flat_map(|p| &p.measures).collect();
    let seed_places: Vec<String> = planalign::align::place_names(&seeds.iter().collect::<Vec<_>>());
    let syllables: Vec<char> = "东南西北安宁平和新华嘉兴江海山河湖林丰泰康永福昌盛清源长宝金"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..num_plans)
        .map(|k| {
            let name: String = (0..2)
                .map(|_| syllables[rng.below(syllables.len())])
                .collect();
            let district = format!("{name}区");
            let num_measures = 15 + rng.below(21);
            let measures = (0..num_measures)
                .map(|i| {
                    let a = pool[rng.below(pool.len())];
                    let mut text = a.text.clone();
                    if rng.below(3) == 0 {
                        let b = pool[rng.below(pool.len())];
                        let head: Vec<&str> = a.text.split_inclusive('。').collect();
                        let tail: Vec<&str> = b.text.split_inclusive('。').collect();
                        text = head[..head.len().div_ceil(2)].concat()
                            + &tail[tail.len() / 2..].concat();
                    }
                    for place in &seed_places {
                        text = text.replace(place.as_str(), &name);
                    }
                    let mut measure = a.clone();
                    measure.id = format!("m{}", i + 1);
                    measure.ordinal = u32::try_from(i + 1).unwrap_or(0);
                    measure.text = text;
                    measure
                })
                .collect();
            let mut plan = Plan {
                id: format!("synthetic-{k:04}"),
                measures,
                ..Plan::default()
            };
            plan.meta.title = format!("2024年{district}质量工作要点");
            plan.meta.jurisdiction = Jurisdiction {
                name: Some(district),
                level: Some(Level::District),
                parent: None,
            };
            plan
        })
        .collect()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let seeds = planalign::library::bundled_plans();
    let codebook = Codebook::bundled();
    let refs: Vec<&Plan> = seeds.iter().collect();

    // Two plans of ~30 measures: Shanghai 2021 (22) and Jiading 2024 (29).
    let (left, right) = (0, 2);
    let build = median(
        (0..20)
            .map(|_| {
                let start = Instant::now();
                let _ = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
                start.elapsed()
            })
            .collect(),
    );
    let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
    let align = median(
        (0..200)
            .map(|_| {
                let start = Instant::now();
                let alignment = aligner.align(left, right, &[]);
                assert!(!alignment.links.is_empty());
                start.elapsed()
            })
            .collect(),
    );
    println!(
        "align {} ({} measures) × {} ({} measures): {:.3} ms median over 200 runs (goal < 2 ms); \
         features for all {} bundled plans: {:.2} ms",
        seeds[left].id,
        seeds[left].measures.len(),
        seeds[right].id,
        seeds[right].measures.len(),
        align.as_secs_f64() * 1e3,
        seeds.len(),
        build.as_secs_f64() * 1e3
    );

    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![50, 200, 800]
    } else {
        sizes
    };
    for num_plans in sizes {
        let corpus = synthetic_corpus(num_plans, &seeds);
        let num_measures: usize = corpus.iter().map(|p| p.measures.len()).sum();
        let refs: Vec<&Plan> = corpus.iter().collect();
        let repeats = if num_plans <= 200 { 3 } else { 1 };
        let mut runs = Vec::new();
        let mut num_links = 0;
        let mut num_pairs = 0;
        for _ in 0..repeats {
            let start = Instant::now();
            let aligner = Aligner::new(&refs, &codebook, &[], AlignConfig::default());
            let features = start.elapsed();
            let members: Vec<usize> = (0..corpus.len()).collect();
            // Streamed as `planalign batch` does: each pair is counted and dropped.
            let (mut links, mut count) = (0usize, 0usize);
            align_pairs_streaming(&aligner, &members, &|_, _| {}, &mut |pair| {
                links += pair.alignment.links.len();
                count += 1;
            });
            runs.push((start.elapsed(), features));
            num_links = links;
            num_pairs = count;
        }
        runs.sort();
        let (total, features) = runs[runs.len() / 2];
        println!(
            "batch {num_plans} plans ({num_measures} measures, {num_pairs} plan pairs): {:.2} s total, \
             median of {repeats} ({:.2} s features, {:.2} s matching), {num_links} links (goal at 200 plans < 5 s)",
            total.as_secs_f64(),
            features.as_secs_f64(),
            (total - features).as_secs_f64()
        );
    }
}
