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

use planalign::align::{AlignConfig, Aligner, BatchOptions, align_pairs_streaming};
use planalign::model::Plan;
use planalign::themes::Codebook;

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

    // What the app does after an edit: a link accepted, then a theme tagged by hand (which
    // changes the features), each followed by everything the views read being recomputed.
    let mut app = planalign::app::PlanAlignApp::new(
        planalign::library::bundled_entries(),
        planalign::app::Lang::En,
        &planalign::app::GuiOptions::default(),
    );
    let edit_times: Vec<(Duration, Duration)> = (0..20)
        .map(|i| {
            let link = app.state.derived().alignment.links
                [i % app.state.derived().alignment.links.len()]
            .clone();
            let status = if i % 2 == 0 {
                planalign::model::LinkStatus::Accepted
            } else {
                planalign::model::LinkStatus::Rejected
            };
            let start = Instant::now();
            app.apply(
                vec![planalign::app::Command::SetLinkStatus {
                    left_id: link.left_id.clone(),
                    right_id: link.right_id.clone(),
                    status,
                }],
                None,
            );
            let decision = start.elapsed();
            let start = Instant::now();
            app.apply(
                vec![planalign::app::Command::ToggleTheme {
                    side: planalign::app::Side::Left,
                    measure_id: link.left_id.clone(),
                    theme_id: "environment.ecology".to_owned(),
                }],
                None,
            );
            (decision, start.elapsed())
        })
        .collect();
    println!(
        "app edit on the bundled plans (goal < 50 ms): link decision {:.1} ms, hand tag {:.1} ms (medians of 20)",
        median(edit_times.iter().map(|t| t.0).collect()).as_secs_f64() * 1e3,
        median(edit_times.iter().map(|t| t.1).collect()).as_secs_f64() * 1e3
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
        let corpus = planalign::library::synthetic_plans(num_plans, None);
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
            align_pairs_streaming(
                &aligner,
                &members,
                BatchOptions::default(),
                &|_| {},
                &mut |pair| {
                    links += pair.links.len();
                    count += 1;
                },
            );
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
