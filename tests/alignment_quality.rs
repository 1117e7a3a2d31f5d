//! Alignment quality against hand-made reference alignments (tests/reference/LEFT__RIGHT.tsv):
//! precision (a predicted link is right if the reference has it, strong or partial), recall
//! over strong links, F1; beside them a plain character-bigram TF-IDF cosine at its best
//! threshold, so the gain is visible. The shipped model (assets/matcher.ron) is fitted on these
//! references, so its own figures are in-sample; the held-out figures come from leave-one-pair-out
//! cross-validation, and refitting must reproduce the shipped file. Run with `--nocapture` to see
//! the tables.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use planalign::align::{AlignConfig, Aligner};
use planalign::model::Plan;
use planalign::themes::Codebook;

struct Reference {
    left: String,
    right: String,
    strong: BTreeSet<(u32, u32)>,
    all: BTreeSet<(u32, u32)>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reference files, sorted by name.
fn reference_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/reference"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    files
}

fn references() -> Vec<Reference> {
    reference_files()
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let (left, right) = stem.split_once("__").unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut strong = BTreeSet::new();
            let mut all = BTreeSet::new();
            for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
                let cols: Vec<&str> = line.split('\t').collect();
                let pair = (
                    cols[0].trim().parse().unwrap(),
                    cols[1].trim().parse().unwrap(),
                );
                all.insert(pair);
                match cols[2].trim() {
                    "strong" => {
                        strong.insert(pair);
                    }
                    "partial" => {}
                    other => panic!("{}: unknown strength {other}", path.display()),
                }
            }
            Reference {
                left: left.to_owned(),
                right: right.to_owned(),
                strong,
                all,
            }
        })
        .collect()
}

fn seed_plans() -> Vec<Plan> {
    let mut plans: Vec<Plan> = std::fs::read_dir(root().join("data/raw"))
        .unwrap()
        .map(|e| planalign::parse::parse_file(&e.unwrap().path()).unwrap())
        .collect();
    plans.sort_by(|a, b| a.id.cmp(&b.id));
    plans
}

#[derive(Clone, Copy, Debug, Default)]
struct Scores {
    precision: f64,
    recall: f64,
    f1: f64,
    num_predicted: usize,
}

fn evaluate(predicted: &BTreeSet<(u32, u32)>, reference: &Reference) -> Scores {
    let right = predicted.intersection(&reference.all).count();
    let strong_found = predicted.intersection(&reference.strong).count();
    let precision = if predicted.is_empty() {
        0.0
    } else {
        right as f64 / predicted.len() as f64
    };
    let recall = if reference.strong.is_empty() {
        1.0
    } else {
        strong_found as f64 / reference.strong.len() as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        precision,
        recall,
        f1,
        num_predicted: predicted.len(),
    }
}

fn ordinal_of(plan: &Plan) -> HashMap<&str, u32> {
    plan.measures
        .iter()
        .map(|m| (m.id.as_str(), m.ordinal))
        .collect()
}

/// PlanAlign's matcher with its default settings, IDF over all loaded plans.
fn planalign_links(plans: &[Plan], left: &str, right: &str) -> BTreeSet<(u32, u32)> {
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = Aligner::new(&refs, &Codebook::bundled(), &[], AlignConfig::default());
    let (l, r) = (
        aligner.plan_index(left).unwrap(),
        aligner.plan_index(right).unwrap(),
    );
    let alignment = aligner.align(l, r, &[]);
    let (lo, ro) = (ordinal_of(refs[l]), ordinal_of(refs[r]));
    alignment
        .links
        .iter()
        .map(|link| (lo[link.left_id.as_str()], ro[link.right_id.as_str()]))
        .collect()
}

/// Baseline: plain character-bigram TF-IDF cosine (no masking, no themes, no agencies), IDF
/// over the same plans; every pair at or over the threshold is a link.
fn baseline_scores(plans: &[Plan], left: &str, right: &str) -> Vec<((u32, u32), f64)> {
    let bigrams = |text: &str| -> HashMap<String, f64> {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .collect();
        let mut counts = HashMap::new();
        for w in chars.windows(2) {
            *counts.entry(w.iter().collect::<String>()).or_insert(0.0) += 1.0;
        }
        counts
    };
    let docs: Vec<(String, u32, HashMap<String, f64>)> = plans
        .iter()
        .flat_map(|p| {
            p.measures
                .iter()
                .map(move |m| (p.id.clone(), m.ordinal, bigrams(&m.text)))
        })
        .collect();
    let mut df: HashMap<&str, f64> = HashMap::new();
    for (_, _, counts) in &docs {
        for key in counts.keys() {
            *df.entry(key.as_str()).or_insert(0.0) += 1.0;
        }
    }
    let n = docs.len() as f64;
    let vector = |counts: &HashMap<String, f64>| -> HashMap<String, f64> {
        let mut v: HashMap<String, f64> = counts
            .iter()
            .map(|(k, c)| {
                (
                    k.clone(),
                    c * ((n + 1.0) / (df[k.as_str()] + 1.0)).ln().max(0.0) + 0.0,
                )
            })
            .collect();
        let norm = v.values().map(|x| x * x).sum::<f64>().sqrt().max(1e-12);
        v.values_mut().for_each(|x| *x /= norm);
        v
    };
    let side = |id: &str| -> Vec<(u32, HashMap<String, f64>)> {
        docs.iter()
            .filter(|(p, _, _)| p == id)
            .map(|(_, o, c)| (*o, vector(c)))
            .collect()
    };
    let (lhs, rhs) = (side(left), side(right));
    let mut out = Vec::new();
    for (lo, lv) in &lhs {
        for (ro, rv) in &rhs {
            let dot: f64 = lv
                .iter()
                .filter_map(|(k, x)| rv.get(k).map(|y| x * y))
                .sum();
            out.push(((*lo, *ro), dot));
        }
    }
    out
}

fn best_baseline(scores: &[((u32, u32), f64)], reference: &Reference) -> (f64, Scores) {
    (1..90)
        .map(|t| f64::from(t) / 100.0)
        .map(|threshold| {
            let predicted: BTreeSet<(u32, u32)> = scores
                .iter()
                .filter(|(_, s)| *s >= threshold)
                .map(|(p, _)| *p)
                .collect();
            (threshold, evaluate(&predicted, reference))
        })
        .max_by(|a, b| a.1.f1.total_cmp(&b.1.f1))
        .unwrap()
}

fn baseline_at(scores: &[((u32, u32), f64)], threshold: f64, reference: &Reference) -> Scores {
    let predicted: BTreeSet<(u32, u32)> = scores
        .iter()
        .filter(|(_, s)| *s >= threshold)
        .map(|(p, _)| *p)
        .collect();
    evaluate(&predicted, reference)
}

#[test]
fn matcher_beats_the_bigram_baseline() {
    let plans = seed_plans();
    let references = references();
    assert!(
        references.len() >= 3,
        "reference alignments are in tests/reference"
    );
    let baselines: Vec<Vec<((u32, u32), f64)>> = references
        .iter()
        .map(|r| baseline_scores(&plans, &r.left, &r.right))
        .collect();
    // The baseline's one best threshold over all pairs (as the matcher has one default).
    let (global_threshold, _) = (1..90)
        .map(|t| f64::from(t) / 100.0)
        .map(|t| {
            let mean: f64 = references
                .iter()
                .zip(&baselines)
                .map(|(r, s)| baseline_at(s, t, r).f1)
                .sum::<f64>();
            (t, mean)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    let k = references.len() as f64;
    let (mut ours_sum, mut global_sum, mut oracle_sum) = (0.0, 0.0, 0.0);
    println!(
        "{:<88} {:>4} {:>4} {:>4} {:>3} | {:>4} {:>4} {:>4} (baseline at {global_threshold:.2}) | {:>4} {:>4}",
        "pair", "P", "R", "F1", "n", "P", "R", "F1", "F1*", "thr*"
    );
    for (reference, scores) in references.iter().zip(&baselines) {
        let predicted = planalign_links(&plans, &reference.left, &reference.right);
        let ours = evaluate(&predicted, reference);
        let global = baseline_at(scores, global_threshold, reference);
        let (oracle_threshold, oracle) = best_baseline(scores, reference);
        println!(
            "{:<88} {:>4.2} {:>4.2} {:>4.2} {:>3} | {:>4.2} {:>4.2} {:>4.2}{:>21} | {:>4.2} {:>4.2}",
            format!("{}__{}", reference.left, reference.right),
            ours.precision,
            ours.recall,
            ours.f1,
            ours.num_predicted,
            global.precision,
            global.recall,
            global.f1,
            "",
            oracle.f1,
            oracle_threshold
        );
        ours_sum += ours.f1;
        global_sum += global.f1;
        oracle_sum += oracle.f1;
        assert!(
            ours.f1 >= 0.7,
            "F1 {:.2} too low for {}__{}",
            ours.f1,
            reference.left,
            reference.right
        );
    }
    println!(
        "mean F1 (in-sample: the model is fitted on these pairs): planalign {:.3}; \
         bigram TF-IDF baseline at its best single threshold {:.3}; \
         at a per-pair oracle threshold (F1*) {:.3}",
        ours_sum / k,
        global_sum / k,
        oracle_sum / k
    );
    assert!(
        ours_sum > global_sum,
        "the matcher must beat the baseline at its best single threshold"
    );
}

/// The reference files as the library reads them, sorted by name.
fn library_references() -> Vec<planalign::align::learn::Reference> {
    reference_files()
        .iter()
        .map(|path| planalign::align::learn::Reference::load(path).unwrap())
        .collect()
}

#[test]
fn refitting_on_the_references_reproduces_the_shipped_model_and_holds_out_well() {
    use planalign::align::MatcherModel;
    use planalign::align::learn::{DEFAULT_PENALTY, figures_table, reference_samples, train};
    let plans = planalign::library::bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = Aligner::new(&refs, &Codebook::bundled(), &[], AlignConfig::default());
    let samples: Vec<_> = library_references()
        .iter()
        .map(|r| reference_samples(&aligner, r).unwrap())
        .collect();
    let model = train(&samples, DEFAULT_PENALTY);
    println!("{}", figures_table(&model));
    let shipped = MatcherModel::bundled();
    assert_eq!(model.training, shipped.training);
    assert!((model.threshold - shipped.threshold).abs() < 1e-9);
    for (fitted, kept) in model.weights.iter().zip(&shipped.weights) {
        assert!(
            (fitted - kept).abs() < 1e-6,
            "assets/matcher.ron is stale: run `planalign train tests/reference/*.tsv -o assets/matcher.ron`"
        );
    }
    // Held out: no pair below 0.65, mean at least 0.85, links calibrated within 0.05.
    assert!(model.cv.mean_f1 >= 0.85, "{}", model.cv.mean_f1);
    for fold in &model.cv.folds {
        assert!(fold.f1 >= 0.65, "{}: held-out F1 {:.2}", fold.pair, fold.f1);
    }
    assert!(model.cv.ece_all <= 0.05, "{}", model.cv.ece_all);
    assert!(model.cv.ece_links <= 0.05, "{}", model.cv.ece_links);
}

#[test]
fn reference_files_name_real_measures() {
    let plans = seed_plans();
    for reference in references() {
        for (side, ordinals) in [
            (
                &reference.left,
                reference.all.iter().map(|p| p.0).collect::<Vec<_>>(),
            ),
            (
                &reference.right,
                reference.all.iter().map(|p| p.1).collect(),
            ),
        ] {
            let plan = plans.iter().find(|p| &p.id == side).unwrap();
            for ordinal in ordinals {
                assert!(
                    plan.measures.iter().any(|m| m.ordinal == ordinal),
                    "{side} has no measure {ordinal}"
                );
            }
        }
    }
}
