//! The plans bundled with PlanAlign (the five seed texts in `data/raw`, compiled in): the app's
//! starting library, and background text for IDF when only a few plans are loaded.

use crate::model::Plan;
use crate::parse;

/// File name and bytes of each bundled raw plan, in a fixed order.
const BUNDLED: &[(&str, &[u8])] = &[
    (
        "shanghai-2021-quality-work-points.txt",
        include_bytes!("../data/raw/shanghai-2021-quality-work-points.txt"),
    ),
    (
        "jingan-2023-quality-work-points.txt",
        include_bytes!("../data/raw/jingan-2023-quality-work-points.txt"),
    ),
    (
        "jiading-2024-quality-outline-action-plan.txt",
        include_bytes!("../data/raw/jiading-2024-quality-outline-action-plan.txt"),
    ),
    (
        "shanghai-2016-2018-quality-action-plan.txt",
        include_bytes!("../data/raw/shanghai-2016-2018-quality-action-plan.txt"),
    ),
    (
        "city-quality-strong-city-opinion.txt",
        include_bytes!("../data/raw/city-quality-strong-city-opinion.txt"),
    ),
];

/// The bundled plans, parsed (a few milliseconds). A text that fails to parse is skipped; a
/// test guarantees none does.
pub fn bundled_plans() -> Vec<Plan> {
    BUNDLED
        .iter()
        .filter_map(|(name, bytes)| parse::parse_bytes(bytes, name).ok())
        .collect()
}

/// Bundled plans that are not already among `loaded` (same sha256), to widen the IDF corpus.
pub fn background_for(loaded: &[&Plan]) -> Vec<Plan> {
    bundled_plans()
        .into_iter()
        .filter(|plan| !loaded.iter().any(|l| l.source.sha256 == plan.source.sha256))
        .collect()
}

/// Makes plan ids unique by suffixing `-2`, `-3` … to repeats, in order.
pub fn dedupe_ids(plans: &mut [Plan]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for plan in plans {
        let count = seen.entry(plan.id.clone()).or_default();
        *count += 1;
        if *count > 1 {
            plan.id = format!("{}-{count}", plan.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_bundled_plans_parse() {
        let plans = bundled_plans();
        assert_eq!(plans.len(), BUNDLED.len());
        assert_eq!(plans[0].id, "shanghai-2021-quality-work-points");
        assert!(plans.iter().all(|p| !p.measures.is_empty()));
        let background = background_for(&[&plans[0]]);
        assert_eq!(background.len(), BUNDLED.len() - 1);
    }
}
