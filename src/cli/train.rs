//! `planalign train`: fit the matcher on reference alignments and/or a workspace's decisions,
//! print its leave-one-pair-out figures, and write the model file.

use std::path::{Path, PathBuf};

use crate::align::learn::{self, PairSamples, Reference};
use crate::align::{AlignConfig, Aligner};
use crate::model::Plan;
use crate::themes::Codebook;

use super::align::open_plans_strict;

/// `planalign train REFERENCE.tsv… [--plans P…] [--workspace W] -o MODEL.ron`.
pub fn train(
    references: &[PathBuf],
    plans: &[PathBuf],
    workspace: Option<&Path>,
    output: &Path,
    penalty: f64,
) -> Result<(), String> {
    if references.is_empty() && workspace.is_none() {
        return Err("give reference files (LEFT__RIGHT.tsv) and/or --workspace".to_owned());
    }
    let references: Vec<Reference> = references
        .iter()
        .map(|path| Reference::load(path))
        .collect::<Result<_, _>>()?;
    let mut all: Vec<Plan> = crate::library::bundled_plans();
    let mut decisions = Vec::new();
    let mut tag_edits = Vec::new();
    let mut codebook = Codebook::bundled();
    if let Some(path) = workspace {
        let opened = crate::workspace::open(path).map_err(|err| err.to_string())?;
        decisions = opened.workspace.decisions.clone();
        tag_edits = opened.workspace.tag_edits.clone();
        if !opened.workspace.codebook.pillars.is_empty() {
            codebook = opened.workspace.codebook.clone();
        }
        for (_, plan) in opened.plans {
            if !all.iter().any(|p| p.id == plan.id) {
                all.push(plan);
            }
        }
    }
    for plan in open_plans_strict(plans)? {
        if !all.iter().any(|p| p.id == plan.id) {
            all.push(plan);
        }
    }
    let refs: Vec<&Plan> = all.iter().collect();
    let aligner = Aligner::new(&refs, &codebook, &tag_edits, AlignConfig::default());
    let mut pairs: Vec<PairSamples> = references
        .iter()
        .map(|reference| learn::reference_samples(&aligner, reference))
        .collect::<Result<_, _>>()?;
    pairs.extend(learn::decision_samples(&aligner, &decisions));
    let positives: usize = pairs
        .iter()
        .map(|p| p.samples.iter().filter(|(_, s)| s.is_some()).count())
        .sum();
    let negatives: usize = pairs.iter().map(|p| p.samples.len()).sum::<usize>() - positives;
    if positives < 5 || negatives < 5 {
        return Err(format!(
            "too few samples to learn from: {positives} links and {negatives} non-links (at least 5 of each)"
        ));
    }
    let model = learn::train(&pairs, penalty);
    eprint!("{}", learn::figures_table(&model));
    crate::persist::write_atomic(output, model.to_ron().as_bytes()).map_err(|err| err.to_string())
}
