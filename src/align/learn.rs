//! Fitting the matcher: samples from reference alignments (`LEFT__RIGHT.tsv`, strong and
//! partial links by measure ordinal) or from an analyst's decisions (accepted and manual links
//! are positives, rejected ones negatives), leave-one-pair-out cross-validation, the link
//! threshold that maximises held-out F1, and a reliability table of the held-out probabilities.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{LinkDecision, LinkStatus};

use super::Aligner;
use super::evidence::Evidence;
use super::model::{CrossValidation, FoldResult, MatcherModel, ReliabilityBin, fit, fit_near};

/// How strongly a reference links two measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strength {
    /// The same commitment: a link an analyst draws without hesitation.
    Strong,
    /// A real but secondary correspondence.
    Partial,
}

/// A hand-made reference alignment of two plans.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// The left plan's id.
    pub left_id: String,
    /// The right plan's id.
    pub right_id: String,
    /// Links by (left ordinal, right ordinal).
    pub links: BTreeMap<(u32, u32), Strength>,
}

impl Reference {
    /// Reads a reference file: a header line, then `left<TAB>right<TAB>strong|partial<TAB>note`.
    pub fn parse(text: &str, left_id: &str, right_id: &str) -> Result<Self, String> {
        let mut links = BTreeMap::new();
        for (number, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let columns: Vec<&str> = line.split('\t').collect();
            let ordinal = |at: usize| -> Result<u32, String> {
                columns
                    .get(at)
                    .and_then(|c| c.trim().parse().ok())
                    .ok_or_else(|| format!("line {}: not a measure number", number + 1))
            };
            let strength = match columns.get(2).map(|c| c.trim()) {
                Some("strong") => Strength::Strong,
                Some("partial") => Strength::Partial,
                _ => {
                    return Err(format!(
                        "line {}: strength is not strong or partial",
                        number + 1
                    ));
                }
            };
            links.insert((ordinal(0)?, ordinal(1)?), strength);
        }
        Ok(Self {
            left_id: left_id.to_owned(),
            right_id: right_id.to_owned(),
            links,
        })
    }

    /// Reads `LEFT__RIGHT.tsv` (the plan ids come from the file name).
    pub fn load(path: &Path) -> Result<Self, String> {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some((left, right)) = stem.split_once("__") else {
            return Err(format!(
                "a reference file is named LEFT__RIGHT.tsv after its plans' ids: {}",
                path.display()
            ));
        };
        let text = std::fs::read_to_string(path)
            .map_err(|err| format!("cannot read ({err}): {}", path.display()))?;
        Self::parse(&text, left, right).map_err(|err| format!("{err}: {}", path.display()))
    }

    /// `LEFT__RIGHT`.
    pub fn name(&self) -> String {
        format!("{}__{}", self.left_id, self.right_id)
    }
}

/// One pair of plans as samples: the evidence of every measure pair and what the reference
/// (or the analyst) says of it.
#[derive(Clone, Debug)]
pub struct PairSamples {
    /// `LEFT__RIGHT`, or the workspace's pair.
    pub name: String,
    /// Evidence and label of each sample: `Some(strength)` linked, `None` not.
    pub samples: Vec<(Evidence, Option<Strength>)>,
    /// Whether every pair not linked is a negative (a reference) or only those marked (the
    /// analyst's decisions, where only rejected links are negatives).
    pub exhaustive: bool,
}

impl PairSamples {
    fn labelled(&self) -> impl Iterator<Item = ([f32; super::NUM_FEATURES], bool)> + '_ {
        self.samples.iter().map(|(x, s)| (*x, s.is_some()))
    }
}

/// The samples of a reference: every pair of the two plans' measures (found in `aligner` by
/// id), labelled by the reference.
pub fn reference_samples(
    aligner: &Aligner<'_>,
    reference: &Reference,
) -> Result<PairSamples, String> {
    let index = |id: &str| {
        aligner
            .plan_index(id)
            .ok_or_else(|| format!("plan {id} of reference {} is not loaded", reference.name()))
    };
    let (left, right) = (index(&reference.left_id)?, index(&reference.right_id)?);
    let matrix = aligner.pair_matrix(left, right);
    let plans = aligner.plans();
    let (Some(lhs), Some(rhs)) = (plans.get(left), plans.get(right)) else {
        return Err(format!("plans of {} are not loaded", reference.name()));
    };
    let mut samples = Vec::with_capacity(matrix.evidence.len());
    for (l, lm) in lhs.measures.iter().enumerate() {
        for (r, rm) in rhs.measures.iter().enumerate() {
            let Some(x) = matrix.get(l, r) else { continue };
            let label = reference.links.get(&(lm.ordinal, rm.ordinal)).copied();
            samples.push((*x, label));
        }
    }
    Ok(PairSamples {
        name: reference.name(),
        samples,
        exhaustive: true,
    })
}

/// The samples of an analyst's decisions: accepted and manual links are positives, rejected
/// ones negatives; unreviewed pairs are not used.
pub fn decision_samples(aligner: &Aligner<'_>, decisions: &[LinkDecision]) -> Vec<PairSamples> {
    /// Decided measure pairs (left, right, is a link) by plan pair.
    type Marked = BTreeMap<(usize, usize), Vec<(usize, usize, bool)>>;
    let mut by_pair: Marked = BTreeMap::new();
    for decision in decisions {
        let positive = match decision.status {
            LinkStatus::Accepted => true,
            LinkStatus::Rejected => false,
            LinkStatus::Unreviewed if decision.manual => true,
            LinkStatus::Unreviewed => continue,
        };
        let (Some(left), Some(right)) = (
            aligner.plan_index(&decision.left.plan_id),
            aligner.plan_index(&decision.right.plan_id),
        ) else {
            continue;
        };
        let plans = aligner.plans();
        let position = |plan: usize, id: &str| {
            plans
                .get(plan)
                .and_then(|p| p.measures.iter().position(|m| m.id == id))
        };
        let (Some(l), Some(r)) = (
            position(left, &decision.left.measure_id),
            position(right, &decision.right.measure_id),
        ) else {
            continue;
        };
        by_pair
            .entry((left, right))
            .or_default()
            .push((l, r, positive));
    }
    by_pair
        .into_iter()
        .map(|((left, right), marked)| {
            let matrix = aligner.pair_matrix(left, right);
            let samples = marked
                .into_iter()
                .filter_map(|(l, r, positive)| {
                    Some((*matrix.get(l, r)?, positive.then_some(Strength::Strong)))
                })
                .collect();
            let name = |i: usize| {
                aligner
                    .plans()
                    .get(i)
                    .map_or_else(String::new, |p| p.id.clone())
            };
            PairSamples {
                name: format!("{}__{}", name(left), name(right)),
                samples,
                exhaustive: false,
            }
        })
        .collect()
}

/// Scores of predicted links against labels: precision over every labelled link (or, for
/// decisions, over decided pairs), recall over strong ones.
fn fold_result(
    name: &str,
    probabilities: &[f64],
    pairs: &PairSamples,
    threshold: f64,
) -> FoldResult {
    let mut predicted = 0usize;
    let mut right = 0usize;
    let mut strong = 0usize;
    let mut strong_found = 0usize;
    for (p, (_, label)) in probabilities.iter().zip(&pairs.samples) {
        let linked = *p >= threshold;
        if linked {
            predicted += 1;
            if label.is_some() {
                right += 1;
            }
        }
        if *label == Some(Strength::Strong) {
            strong += 1;
            if linked {
                strong_found += 1;
            }
        }
    }
    #[expect(clippy::cast_precision_loss, reason = "counts are small")]
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(right, predicted);
    let recall = if strong == 0 {
        1.0
    } else {
        ratio(strong_found, strong)
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    FoldResult {
        pair: name.to_owned(),
        precision,
        recall,
        f1,
    }
}

/// Expected calibration error and the reliability table of probabilities against labels, in
/// ten equal-width bins.
pub fn reliability(predictions: &[(f64, bool)]) -> (f64, Vec<ReliabilityBin>) {
    let mut bins: Vec<ReliabilityBin> = (0..10)
        .map(|i| ReliabilityBin {
            low: f64::from(i) / 10.0,
            high: f64::from(i + 1) / 10.0,
            ..ReliabilityBin::default()
        })
        .collect();
    for &(p, label) in predictions {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "p is in [0, 1]: the bin index is 0–9"
        )]
        let index = ((p * 10.0).floor() as usize).min(9);
        if let Some(bin) = bins.get_mut(index) {
            bin.count += 1;
            bin.mean_predicted += p;
            bin.observed += if label { 1.0 } else { 0.0 };
        }
    }
    let total = predictions.len().max(1);
    let mut ece = 0.0;
    for bin in &mut bins {
        if bin.count > 0 {
            #[expect(clippy::cast_precision_loss, reason = "counts are small")]
            let count = bin.count as f64;
            bin.mean_predicted /= count;
            bin.observed /= count;
            #[expect(clippy::cast_precision_loss, reason = "counts are small")]
            let weight = count / total as f64;
            ece += weight * (bin.mean_predicted - bin.observed).abs();
        }
    }
    (ece, bins)
}

/// The penalty the shipped model is fitted with.
pub const DEFAULT_PENALTY: f64 = 5.0;

/// Fits a model on every pair's samples, with figures from leave-one-pair-out
/// cross-validation: each pair is predicted by a model fitted on the others; the threshold is
/// the one that maximises the mean held-out F1. With a single pair, the figures are in-sample.
pub fn train(pairs: &[PairSamples], penalty: f64) -> MatcherModel {
    let all: Vec<_> = pairs.iter().flat_map(PairSamples::labelled).collect();
    let mut model = fit(&all, penalty);
    model.training = pairs.iter().map(|p| p.name.clone()).collect();
    let held_out: Vec<Vec<f64>> = pairs
        .iter()
        .enumerate()
        .map(|(i, pair)| {
            let others: Vec<_> = pairs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .flat_map(|(_, p)| p.labelled())
                .collect();
            let fold = if others.is_empty() {
                model.clone()
            } else {
                fit(&others, penalty)
            };
            pair.samples
                .iter()
                .map(|(x, _)| fold.probability(x))
                .collect()
        })
        .collect();
    let in_sample: Vec<Vec<f64>> = pairs
        .iter()
        .map(|pair| {
            pair.samples
                .iter()
                .map(|(x, _)| model.probability(x))
                .collect()
        })
        .collect();
    let mean_f1 = |predictions: &[Vec<f64>], threshold: f64| {
        let sum: f64 = pairs
            .iter()
            .zip(predictions)
            .map(|(pair, p)| fold_result(&pair.name, p, pair, threshold).f1)
            .sum();
        #[expect(clippy::cast_precision_loss, reason = "a handful of pairs")]
        let mean = sum / pairs.len().max(1) as f64;
        mean
    };
    let threshold = (5..=90)
        .map(|t| f64::from(t) / 100.0)
        .map(|t| (t, mean_f1(&held_out, t)))
        .fold((0.5, f64::MIN), |best, (t, f)| {
            if f > best.1 + 1e-12 { (t, f) } else { best }
        });
    model.threshold = threshold.0;
    let folds: Vec<FoldResult> = pairs
        .iter()
        .zip(&held_out)
        .map(|(pair, p)| fold_result(&pair.name, p, pair, model.threshold))
        .collect();
    let predictions: Vec<(f64, bool)> = pairs
        .iter()
        .zip(&held_out)
        .flat_map(|(pair, p)| {
            p.iter()
                .zip(&pair.samples)
                .map(|(p, (_, s))| (*p, s.is_some()))
        })
        .collect();
    let (ece_all, table) = reliability(&predictions);
    let links: Vec<(f64, bool)> = predictions
        .iter()
        .copied()
        .filter(|(p, _)| *p >= model.threshold)
        .collect();
    let (ece_links, _) = reliability(&links);
    model.cv = CrossValidation {
        mean_f1: threshold.1,
        folds,
        ece_all,
        ece_links,
        reliability: table,
        in_sample_mean_f1: mean_f1(&in_sample, model.threshold),
    };
    model
}

/// The cross-validated figures as a table (for `planalign train` and the quality test).
pub fn figures_table(model: &MatcherModel) -> String {
    let mut out =
        String::from("| held-out pair | P | R (strong) | F1 |\n| --- | ---: | ---: | ---: |\n");
    for fold in &model.cv.folds {
        out.push_str(&format!(
            "| {} | {:.2} | {:.2} | {:.3} |\n",
            fold.pair, fold.precision, fold.recall, fold.f1
        ));
    }
    out.push_str(&format!(
        "\nmean held-out F1 {:.3} (in-sample {:.3}) at threshold {:.2}; ECE {:.3} over all pairs, {:.3} over links\n\n",
        model.cv.mean_f1, model.cv.in_sample_mean_f1, model.threshold, model.cv.ece_all, model.cv.ece_links
    ));
    out.push_str(
        "| p | pairs | mean p | linked by the reference |\n| --- | ---: | ---: | ---: |\n",
    );
    for bin in &model.cv.reliability {
        out.push_str(&format!(
            "| {:.1}–{:.1} | {} | {:.3} | {:.3} |\n",
            bin.low, bin.high, bin.count, bin.mean_predicted, bin.observed
        ));
    }
    out
}

/// Decided links and non-links needed before a model is fitted on an analyst's decisions.
pub const MIN_DECISIONS: usize = 10;
/// … of which at least this many of each kind.
pub const MIN_EACH: usize = 3;

/// A model fitted on an analyst's decisions, with what it changes.
#[derive(Clone, Debug)]
pub struct Learned {
    /// The model: the base model moved towards the decisions.
    pub model: MatcherModel,
    /// F1 of the base model on the decided pairs.
    pub before_f1: f64,
    /// Cross-validated F1 of the new model on the decided pairs (five folds).
    pub after_f1: f64,
    /// Decided links used.
    pub num_links: usize,
    /// Decided non-links (rejected links) used.
    pub num_rejected: usize,
}

/// Decided pairs usable for learning: (links, rejected).
pub fn decision_counts(aligner: &Aligner<'_>, decisions: &[LinkDecision]) -> (usize, usize) {
    let samples: Vec<(Evidence, Option<Strength>)> = decision_samples(aligner, decisions)
        .into_iter()
        .flat_map(|p| p.samples)
        .collect();
    let links = samples.iter().filter(|(_, s)| s.is_some()).count();
    (links, samples.len() - links)
}

/// Fits a model on the analyst's decisions, starting from (and pulled towards) `base`, and
/// measures it by five-fold cross-validation on the decisions against `base` on the same pairs.
pub fn learn_from_decisions(
    aligner: &Aligner<'_>,
    decisions: &[LinkDecision],
    base: &MatcherModel,
) -> Result<Learned, String> {
    let samples: Vec<([f32; super::NUM_FEATURES], bool)> = decision_samples(aligner, decisions)
        .iter()
        .flat_map(PairSamples::labelled)
        .collect();
    let num_links = samples.iter().filter(|(_, y)| *y).count();
    let num_rejected = samples.len() - num_links;
    if samples.len() < MIN_DECISIONS || num_links < MIN_EACH || num_rejected < MIN_EACH {
        return Err(format!(
            "{num_links} accepted and {num_rejected} rejected links: at least {MIN_DECISIONS} decisions with {MIN_EACH} of each are needed"
        ));
    }
    let penalty = DEFAULT_PENALTY;
    let f1 = |predicted: &[(bool, bool)]| -> f64 {
        let tp = predicted.iter().filter(|(p, y)| *p && *y).count();
        let fp = predicted.iter().filter(|(p, y)| *p && !*y).count();
        let fn_ = predicted.iter().filter(|(p, y)| !*p && *y).count();
        #[expect(clippy::cast_precision_loss, reason = "counts are small")]
        let score = if tp == 0 {
            0.0
        } else {
            2.0 * tp as f64 / (2.0 * tp as f64 + fp as f64 + fn_ as f64)
        };
        score
    };
    let before: Vec<(bool, bool)> = samples
        .iter()
        .map(|(x, y)| (base.probability(x) >= base.threshold, *y))
        .collect();
    let folds = 5;
    let mut after: Vec<(bool, bool)> = Vec::with_capacity(samples.len());
    for fold in 0..folds {
        let training: Vec<_> = samples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| *s)
            .collect();
        let model = fit_near(&training, penalty, Some(base));
        after.extend(
            samples
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds == fold)
                .map(|(_, (x, y))| (model.probability(x) >= model.threshold, *y)),
        );
    }
    let mut model = fit_near(&samples, penalty, Some(base));
    model.training = vec![format!(
        "{num_links} accepted and {num_rejected} rejected links of a workspace, from the shipped model"
    )];
    model.cv = CrossValidation {
        mean_f1: f1(&after),
        ..base.cv.clone()
    };
    Ok(Learned {
        model,
        before_f1: f1(&before),
        after_f1: f1(&after),
        num_links,
        num_rejected,
    })
}
