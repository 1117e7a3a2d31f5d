//! The learned part of the matcher: a logistic regression over a pair's evidence (text, title,
//! words, concepts, themes, agencies, section, metrics, and how the pair stands among each
//! measure's other candidates) whose output is the probability that an analyst would link the
//! pair. Fitted by Newton's method with an L2 penalty on standardised features, so a refit on
//! the same samples gives the same weights.
//!
//! The shipped model is `assets/matcher.ron`, fitted on the reference alignments in
//! `tests/reference/` by `planalign train` (see [`super::learn`]); a workspace may carry one
//! fitted on the analyst's own decisions.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::evidence::{FEATURES, NUM_FEATURES, feature};

/// The model file PlanAlign ships.
const SHIPPED: &str = include_str!("../../assets/matcher.ron");

/// The format version of model files.
pub const MODEL_VERSION: u32 = 1;

/// How one held-out pair of plans did in cross-validation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FoldResult {
    /// The pair held out, `LEFT__RIGHT`.
    pub pair: String,
    /// Precision of the links (right when the reference has them, strong or partial).
    pub precision: f64,
    /// Recall of the strong links of the reference.
    pub recall: f64,
    /// F1 of the two.
    pub f1: f64,
}

/// One bin of a reliability table: pairs whose predicted probability fell in `[low, high)`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReliabilityBin {
    /// Lower edge.
    pub low: f64,
    /// Upper edge.
    pub high: f64,
    /// Pairs in the bin.
    pub count: usize,
    /// Their mean predicted probability.
    pub mean_predicted: f64,
    /// The share of them the reference links.
    pub observed: f64,
}

/// Cross-validated figures of a model: each training pair held out in turn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrossValidation {
    /// One result per held-out pair.
    pub folds: Vec<FoldResult>,
    /// Mean F1 over the folds.
    pub mean_f1: f64,
    /// Expected calibration error over every pair of the held-out plans.
    pub ece_all: f64,
    /// Expected calibration error over the pairs shown as links (p ≥ threshold).
    pub ece_links: f64,
    /// The reliability table over every held-out pair.
    pub reliability: Vec<ReliabilityBin>,
    /// Mean F1 of the same folds fitted on all pairs (in-sample, for comparison).
    pub in_sample_mean_f1: f64,
}

/// A fitted matcher.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatcherModel {
    /// Format version.
    pub version: u32,
    /// The evidence names, in weight order.
    pub features: Vec<String>,
    /// Mean of each feature over the training samples.
    pub mean: Vec<f64>,
    /// Standard deviation of each feature over the training samples.
    pub scale: Vec<f64>,
    /// Weight of each standardised feature (log-odds per standard deviation).
    pub weights: Vec<f64>,
    /// Log-odds of a pair at the mean of every feature.
    pub bias: f64,
    /// Pairs with at least this probability are links.
    pub threshold: f64,
    /// The L2 penalty it was fitted with.
    pub penalty: f64,
    /// What it was fitted on: reference files (`LEFT__RIGHT`) or a workspace's decisions.
    pub training: Vec<String>,
    /// Positive and negative samples it saw.
    pub num_samples: (usize, usize),
    /// Cross-validated figures (leave one training pair out).
    pub cv: CrossValidation,
}

impl Default for MatcherModel {
    fn default() -> Self {
        Self {
            version: MODEL_VERSION,
            features: FEATURES.iter().map(|f| (*f).to_owned()).collect(),
            mean: vec![0.0; NUM_FEATURES],
            scale: vec![1.0; NUM_FEATURES],
            weights: vec![0.0; NUM_FEATURES],
            bias: 0.0,
            threshold: 0.5,
            penalty: 1.0,
            training: Vec::new(),
            num_samples: (0, 0),
            cv: CrossValidation::default(),
        }
    }
}

/// A model file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not RON of a model.
    #[error("malformed matcher model ({0})")]
    Malformed(String),
    /// Written by a newer PlanAlign or for other evidence.
    #[error(
        "matcher model version {found} with features {features} is not the {expected} this build uses"
    )]
    Incompatible {
        /// Version found.
        found: u32,
        /// Version expected.
        expected: u32,
        /// Features found, joined.
        features: String,
    },
}

impl MatcherModel {
    /// Reads and checks a model from RON.
    pub fn from_ron(text: &str) -> Result<Self, ModelError> {
        let model: Self =
            ron::from_str(text).map_err(|err| ModelError::Malformed(err.to_string()))?;
        model.check()?;
        Ok(model)
    }

    /// The model as pretty RON.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new().depth_limit(3);
        ron::ser::to_string_pretty(self, config).unwrap_or_default()
    }

    fn check(&self) -> Result<(), ModelError> {
        let same_features = self.features.len() == NUM_FEATURES
            && self.features.iter().zip(FEATURES).all(|(a, b)| a == b);
        let sizes = [self.mean.len(), self.scale.len(), self.weights.len()];
        if self.version != MODEL_VERSION || !same_features || sizes != [NUM_FEATURES; 3] {
            return Err(ModelError::Incompatible {
                found: self.version,
                expected: MODEL_VERSION,
                features: self.features.join(","),
            });
        }
        Ok(())
    }

    /// The model PlanAlign ships, read once; an unreadable file (caught by a test) degrades to
    /// a model that links nothing.
    pub fn bundled() -> &'static Self {
        static MODEL: OnceLock<MatcherModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            Self::from_ron(SHIPPED).unwrap_or_else(|_| Self {
                bias: -20.0,
                ..Self::default()
            })
        })
    }

    /// Each feature's contribution to the log-odds, relative to an average pair.
    pub fn contributions(&self, x: &[f32; NUM_FEATURES]) -> [f64; NUM_FEATURES] {
        let mut out = [0.0; NUM_FEATURES];
        for (i, slot) in out.iter_mut().enumerate() {
            let (Some(&v), Some(&m), Some(&s), Some(&w)) = (
                x.get(i),
                self.mean.get(i),
                self.scale.get(i),
                self.weights.get(i),
            ) else {
                continue;
            };
            *slot = w * (f64::from(v) - m) / s;
        }
        out
    }

    /// The probability that an analyst would link a pair with this evidence.
    pub fn probability(&self, x: &[f32; NUM_FEATURES]) -> f64 {
        sigmoid(self.log_odds(x))
    }

    /// The log-odds of a pair with evidence `x`: [`MatcherModel::probability`] is its sigmoid.
    pub fn log_odds(&self, x: &[f32; NUM_FEATURES]) -> f64 {
        self.bias + self.contributions(x).iter().sum::<f64>()
    }

    /// The probability of log-odds `z`, as [`MatcherModel::probability`] computes it.
    pub fn probability_of_log_odds(z: f64) -> f64 {
        sigmoid(z)
    }
}

/// A cheap upper bound on a model's log-odds for pairs whose evidence is known except for some
/// features that lie in 0–1: lets a corpus run skip pairs that cannot become links without
/// computing all their evidence.
#[derive(Clone, Debug)]
pub struct LogitBound {
    coefficients: [f64; NUM_FEATURES],
    constant: f64,
    /// The unknown features with what each can add at most.
    slack: Vec<(usize, f64)>,
    /// What each unknown feature adds to the log-odds per unit, in the order of `slack`.
    unknown_coefficients: Vec<f64>,
    /// Far more than the rounding of the log-odds, however they are summed
    /// ([`LogitBound::surely_below`]).
    margin: f64,
}

impl LogitBound {
    /// The bound of `model` with the `unknown` features free in 0–1.
    pub fn new(model: &MatcherModel, unknown: &[usize]) -> Self {
        let mut coefficients = [0.0; NUM_FEATURES];
        let mut constant = model.bias;
        let mut slack = Vec::new();
        let mut unknown_coefficients = Vec::new();
        let mut size = model.bias.abs();
        for (i, slot) in coefficients.iter_mut().enumerate() {
            let (Some(&m), Some(&s), Some(&w)) =
                (model.mean.get(i), model.scale.get(i), model.weights.get(i))
            else {
                continue;
            };
            let a = w / s;
            constant -= a * m;
            // Each term's size: the mean's share, and the feature's within ±6.
            size += (a * m).abs() + 6.0 * a.abs();
            if unknown.contains(&i) {
                slack.push((i, a.max(0.0)));
                unknown_coefficients.push(a);
            } else {
                *slot = a;
            }
        }
        Self {
            coefficients,
            constant,
            slack,
            unknown_coefficients,
            margin: 1e-9 * size + 1e-9,
        }
    }

    /// Whether the log-odds of evidence `x` (all of it known now) are below `cut` for certain,
    /// given `known` = [`LogitBound::known`] of `x`: the model's sum taken term by term in
    /// another order, with a margin far wider than the rounding of either (for evidence within
    /// ±6, as every feature is). `false` when unsure.
    pub fn surely_below(&self, known: f64, x: &[f32; NUM_FEATURES], cut: f64) -> bool {
        let unknown: f64 = self
            .slack
            .iter()
            .zip(&self.unknown_coefficients)
            .map(|(&(feature, _), &a)| a * x.get(feature).map_or(0.0, |&v| f64::from(v)))
            .sum();
        let sum = known + unknown;
        sum.is_finite() && sum + self.margin < cut
    }

    /// At least the log-odds of any pair with evidence `x` (the unknown features ignored).
    pub fn of(&self, x: &[f32; NUM_FEATURES]) -> f64 {
        self.known(x) + self.slack.iter().map(|(_, most)| most).sum::<f64>()
    }

    /// The log-odds of a pair with evidence `x` with the unknown features at 0: add
    /// [`LogitBound::slack`] of those that may be above 0.
    pub fn known(&self, x: &[f32; NUM_FEATURES]) -> f64 {
        self.constant
            + self
                .coefficients
                .iter()
                .zip(x)
                .map(|(a, &v)| a * f64::from(v))
                .sum::<f64>()
    }

    /// The log-odds of evidence of all zeros.
    pub fn constant(&self) -> f64 {
        self.constant
    }

    /// What each known feature adds to the log-odds per unit (0 for an unknown one).
    pub fn coefficients(&self) -> &[f64; NUM_FEATURES] {
        &self.coefficients
    }

    /// What unknown feature `feature` can add to the log-odds at most (0 for a known one).
    pub fn slack(&self, feature: usize) -> f64 {
        self.slack
            .iter()
            .find(|(unknown, _)| *unknown == feature)
            .map_or(0.0, |(_, most)| *most)
    }
}

/// The log-odds of a probability (±∞ at 0 and 1).
pub fn logit(p: f64) -> f64 {
    if p <= 0.0 {
        f64::NEG_INFINITY
    } else if p >= 1.0 {
        f64::INFINITY
    } else {
        (p / (1.0 - p)).ln()
    }
}

/// A probability as an analyst reads it: the verbal band (Chinese, English) it falls in.
pub fn likelihood_band(probability: f32) -> (&'static str, &'static str) {
    match probability {
        p if p >= 0.9 => ("几乎确定", "almost certain"),
        p if p >= 0.7 => ("很可能", "likely"),
        p if p >= 0.5 => ("可能", "possible"),
        p if p >= 0.3 => ("或许", "uncertain"),
        _ => ("不太可能", "unlikely"),
    }
}

/// A probability for reports: `93% 很可能 likely`.
pub fn likelihood_text(probability: f32) -> String {
    let (zh, en) = likelihood_band(probability);
    format!("{:.0}% {zh} {en}", 100.0 * probability)
}

/// The name of a piece of evidence (Chinese, English), for explanations.
pub fn evidence_label(name: &str) -> (&'static str, &'static str) {
    match name {
        "text" => ("文字", "text"),
        "title" => ("标题", "title"),
        "words" => ("词语", "words"),
        "concepts" => ("近义表述", "synonyms"),
        "themes" => ("主题", "themes"),
        "agencies" => ("责任单位", "agencies"),
        "section" => ("所在章节", "section"),
        "metrics" => ("目标指标", "target metrics"),
        "row_z" => ("在左侧候选中突出", "stands out for the left measure"),
        "column_z" => ("在右侧候选中突出", "stands out for the right measure"),
        "mutual_best" => ("互为最佳", "each other's best"),
        "margin" => ("领先次优", "lead over the runner-up"),
        "order" => ("位置相近", "same place in the plan"),
        "themes_known" => ("均有主题", "both have themes"),
        _ => ("其他", "other"),
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The evidence whose weight may not be negative: similarities and agreement.
const MONOTONE: [usize; 9] = [
    feature::TEXT,
    feature::TITLE,
    feature::WORDS,
    feature::CONCEPTS,
    feature::THEMES,
    feature::AGENCIES,
    feature::SECTION,
    feature::METRICS,
    feature::MUTUAL_BEST,
];

/// Fits a logistic regression (L2 `penalty` on the standardised weights, not on the bias) by
/// Newton's method; deterministic for the same samples.
pub fn fit(samples: &[([f32; NUM_FEATURES], bool)], penalty: f64) -> MatcherModel {
    fit_near(samples, penalty, None)
}

/// [`fit`], with the penalty pulling the weights towards those of `prior` (in its
/// standardisation) instead of towards zero: a few decisions move the model only where they
/// disagree with it.
pub fn fit_near(
    samples: &[([f32; NUM_FEATURES], bool)],
    penalty: f64,
    prior: Option<&MatcherModel>,
) -> MatcherModel {
    let n = samples.len().max(1);
    #[expect(clippy::cast_precision_loss, reason = "sample counts are small")]
    let nf = n as f64;
    let (mean, scale) = match prior {
        Some(prior) => (prior.mean.clone(), prior.scale.clone()),
        None => {
            let mut mean = vec![0.0; NUM_FEATURES];
            let mut scale = vec![0.0; NUM_FEATURES];
            for (x, _) in samples {
                for (m, v) in mean.iter_mut().zip(x) {
                    *m += f64::from(*v) / nf;
                }
            }
            for (x, _) in samples {
                for ((s, v), m) in scale.iter_mut().zip(x).zip(&mean) {
                    *s += (f64::from(*v) - m).powi(2) / nf;
                }
            }
            for s in &mut scale {
                *s = s.sqrt();
                if *s < 1e-9 {
                    *s = 1.0;
                }
            }
            (mean, scale)
        }
    };
    let centre: Vec<f64> = prior.map_or_else(|| vec![0.0; NUM_FEATURES], |p| p.weights.clone());
    let dims = NUM_FEATURES + 1;
    let rows: Vec<(Vec<f64>, f64)> = samples
        .iter()
        .map(|(x, label)| {
            let mut row: Vec<f64> = x
                .iter()
                .zip(&mean)
                .zip(&scale)
                .map(|((v, m), s)| (f64::from(*v) - m) / s)
                .collect();
            row.push(1.0);
            (row, if *label { 1.0 } else { 0.0 })
        })
        .collect();
    let mut beta: Vec<f64> = centre.clone();
    beta.push(prior.map_or(0.0, |p| p.bias));
    // Similarity evidence may only raise the probability (more shared text never makes a link
    // less likely), so explanations read as analysts expect: a weight that would turn negative
    // is held at zero.
    let mut fixed = [false; NUM_FEATURES];
    for _ in 0..100 {
        let mut gradient = vec![0.0; dims];
        let mut hessian = vec![vec![0.0; dims]; dims];
        for (row, y) in &rows {
            let z: f64 = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = sigmoid(z);
            let w = (p * (1.0 - p)).max(1e-12);
            for (i, a) in row.iter().enumerate() {
                if let Some(g) = gradient.get_mut(i) {
                    *g += (p - y) * a;
                }
                if let Some(h_row) = hessian.get_mut(i) {
                    for (h, b) in h_row.iter_mut().zip(row) {
                        *h += w * a * b;
                    }
                }
            }
        }
        for i in 0..NUM_FEATURES {
            if let (Some(g), Some(b), Some(c)) = (gradient.get_mut(i), beta.get(i), centre.get(i)) {
                *g += penalty * (b - c);
            }
            if let Some(h) = hessian.get_mut(i).and_then(|r| r.get_mut(i)) {
                *h += penalty;
            }
        }
        // The bias is held near the prior's too (weakly without one), so a sample set that
        // one side dominates cannot send it off.
        let bias_centre = prior.map_or(0.0, |p| p.bias);
        let bias_penalty = if prior.is_some() { penalty } else { 1e-3 };
        if let (Some(g), Some(b)) = (gradient.get_mut(NUM_FEATURES), beta.get(NUM_FEATURES)) {
            *g += bias_penalty * (b - bias_centre);
        }
        if let Some(h) = hessian
            .get_mut(NUM_FEATURES)
            .and_then(|r| r.get_mut(NUM_FEATURES))
        {
            *h += bias_penalty;
        }
        // A held weight is let go when the objective would fall by raising it.
        for (i, f) in fixed.iter_mut().enumerate() {
            if *f && gradient.get(i).is_some_and(|g| *g < -1e-9) {
                *f = false;
            }
        }
        for (i, _) in fixed.iter().enumerate().filter(|(_, f)| **f) {
            if let Some(g) = gradient.get_mut(i) {
                *g = 0.0;
            }
            for (j, h_row) in hessian.iter_mut().enumerate() {
                if let Some(h) = h_row.get_mut(i) {
                    *h = if i == j { 1.0 } else { 0.0 };
                }
            }
            if let Some(h_row) = hessian.get_mut(i) {
                for (j, h) in h_row.iter_mut().enumerate() {
                    *h = if i == j { 1.0 } else { 0.0 };
                }
            }
        }
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        // Damped Newton: no coordinate moves more than 2 per step.
        let longest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
        let damping = if longest > 2.0 { 2.0 / longest } else { 1.0 };
        let mut largest: f64 = 0.0;
        for (b, s) in beta.iter_mut().zip(&step) {
            *b -= damping * s;
            largest = largest.max((damping * s).abs());
        }
        for (i, f) in fixed.iter_mut().enumerate() {
            if MONOTONE.contains(&i)
                && let Some(b) = beta.get_mut(i)
                && *b < 0.0
            {
                *b = 0.0;
                *f = true;
                largest = largest.max(1.0);
            }
        }
        if largest < 1e-10 {
            break;
        }
    }
    let bias = beta.pop().unwrap_or(0.0);
    let positives = samples.iter().filter(|(_, y)| *y).count();
    MatcherModel {
        mean,
        scale,
        weights: beta,
        bias,
        penalty,
        num_samples: (positives, samples.len() - positives),
        threshold: prior.map_or(0.5, |p| p.threshold),
        ..MatcherModel::default()
    }
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting; `None` when singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| {
            let vi = a.get(i).and_then(|r| r.get(col)).map_or(0.0, |v| v.abs());
            let vj = a.get(j).and_then(|r| r.get(col)).map_or(0.0, |v| v.abs());
            vi.total_cmp(&vj)
        })?;
        a.swap(col, pivot);
        b.swap(col, pivot);
        let diagonal = *a.get(col)?.get(col)?;
        if diagonal.abs() < 1e-12 {
            return None;
        }
        let pivot_row = a.get(col)?.clone();
        let pivot_b = *b.get(col)?;
        for row in (col + 1)..n {
            let factor = a.get(row)?.get(col)? / diagonal;
            if factor == 0.0 {
                continue;
            }
            for (v, p) in a.get_mut(row)?.iter_mut().zip(&pivot_row).skip(col) {
                *v -= factor * p;
            }
            *b.get_mut(row)? -= factor * pivot_b;
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let mut sum = *b.get(row)?;
        for col in (row + 1)..n {
            sum -= a.get(row)?.get(col)? * x.get(col)?;
        }
        *x.get_mut(row)? = sum / a.get(row)?.get(row)?;
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logit_bound_is_never_below_the_logit() {
        let model = MatcherModel::bundled();
        let unknown = [0usize, 4, 13];
        let bound = LogitBound::new(model, &unknown);
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            #[expect(clippy::cast_precision_loss, reason = "test values")]
            let v = (seed >> 40) as f32 / (1u64 << 24) as f32;
            v
        };
        for _ in 0..2000 {
            let mut x = [0.0f32; NUM_FEATURES];
            for v in &mut x {
                *v = next() * 2.0 - 0.5;
            }
            for &i in &unknown {
                x[i] = next();
            }
            let exact = model.bias + model.contributions(&x).iter().sum::<f64>();
            let mut partial = x;
            for &i in &unknown {
                partial[i] = 0.0;
            }
            assert!(bound.of(&partial) >= exact - 1e-9, "{x:?}");
            // Never sure a pair is below a cut it reaches; sure of one well above it.
            let log_odds = model.log_odds(&x);
            let known = bound.known(&x);
            assert!(!bound.surely_below(known, &x, log_odds), "{x:?}");
            assert!(!bound.surely_below(known, &x, log_odds - 1.0), "{x:?}");
            assert!(bound.surely_below(known, &x, log_odds + 1e-3), "{x:?}");
        }
        assert!((logit(0.5)).abs() < 1e-12);
        assert_eq!(logit(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn fit_separates_and_is_calibrated_on_a_simple_problem() {
        // Label is true when feature 0 is large; the model must find that.
        let mut samples = Vec::new();
        for i in 0..400_u16 {
            let mut x = [0.0f32; NUM_FEATURES];
            x[0] = f32::from(i % 100) / 100.0;
            x[1] = f32::from(i % 7) / 7.0;
            samples.push((x, (i % 100) >= 70 && i % 3 != 0));
        }
        let model = fit(&samples, 1.0);
        assert!(model.weights[0] > 1.0, "{:?}", model.weights);
        assert!(model.weights[1].abs() < 0.5, "{:?}", model.weights);
        let again = fit(&samples, 1.0);
        assert_eq!(model, again, "deterministic");
        let mut low = [0.0f32; NUM_FEATURES];
        low[0] = 0.1;
        let mut high = low;
        high[0] = 0.95;
        assert!(model.probability(&low) < 0.1);
        assert!(model.probability(&high) > 0.5);
    }

    #[test]
    fn the_shipped_model_loads() {
        let model = MatcherModel::from_ron(SHIPPED).unwrap();
        assert_eq!(model.features.len(), NUM_FEATURES);
        assert!(model.threshold > 0.0 && model.threshold < 1.0);
    }

    #[test]
    fn solve_solves() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
    }
}
