//! The plans bundled with PlanAlign (the five seed texts in `data/raw`, compiled in): the app's
//! starting library, and background text for IDF when only a few plans are loaded.

use crate::model::{Jurisdiction, Level, Measure, Plan, Section};
use crate::parse;
use crate::workspace::PlanSource;

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
    use rayon::prelude::*;
    BUNDLED
        .par_iter()
        .filter_map(|(name, bytes)| parse::parse_bytes(bytes, name).ok())
        .collect()
}

/// The bundled plans with their workspace sources.
pub fn bundled_entries() -> Vec<(PlanSource, Plan)> {
    bundled_plans()
        .into_iter()
        .map(|plan| (PlanSource::Bundled(plan.source.file_name.clone()), plan))
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
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

/// Synthetic plans for benchmarks, built from the bundled measures: shuffled, recombined (one
/// measure's first sentences with another's last), place names swapped for generated ones, in
/// sections of ten. Each plan has `measures_each` measures, or 15–35 when `None`.
pub fn synthetic_plans(num_plans: usize, measures_each: Option<usize>) -> Vec<Plan> {
    let seeds = bundled_plans();
    let pool: Vec<&Measure> = seeds.iter().flat_map(|p| &p.measures).collect();
    let seed_places = crate::align::place_names(&seeds.iter().collect::<Vec<_>>());
    let syllables: Vec<char> = "东南西北安宁平和新华嘉兴江海山河湖林丰泰康永福昌盛清源长宝金"
        .chars()
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pick = |rng: &mut Rng| pool.get(rng.below(pool.len())).copied();
    (0..num_plans)
        .map(|k| {
            let name: String = (0..2)
                .filter_map(|_| syllables.get(rng.below(syllables.len())))
                .collect();
            let district = format!("{name}区");
            let num_measures = measures_each.unwrap_or_else(|| 15 + rng.below(21));
            let measures: Vec<Measure> = (0..num_measures)
                .filter_map(|i| {
                    let a = pick(&mut rng)?;
                    let mut text = a.text.clone();
                    if rng.below(3) == 0 {
                        let b = pick(&mut rng)?;
                        let head: Vec<&str> = a.text.split_inclusive('。').collect();
                        let tail: Vec<&str> = b.text.split_inclusive('。').collect();
                        text = head.iter().take(head.len().div_ceil(2)).copied().collect();
                        text.extend(tail.iter().skip(tail.len() / 2).copied());
                    }
                    for place in &seed_places {
                        text = text.replace(place.as_str(), &name);
                    }
                    let mut measure = a.clone();
                    measure.id = format!("m{}", i + 1);
                    measure.label = format!("{}.", i + 1);
                    measure.ordinal = u32::try_from(i + 1).unwrap_or(0);
                    measure.text = text;
                    Some(measure)
                })
                .collect();
            let sections = measures
                .chunks(10)
                .enumerate()
                .map(|(n, chunk)| Section {
                    label: format!("{}、", n + 1),
                    ordinal: u32::try_from(n + 1).unwrap_or(0),
                    title: format!("第{}部分", n + 1),
                    item_ids: chunk.iter().map(|m| m.id.clone()).collect(),
                    ..Section::default()
                })
                .collect();
            let mut plan = Plan {
                id: format!("synthetic-{k:04}"),
                measures,
                sections,
                ..Plan::default()
            };
            plan.meta.title = format!("2024年{district}质量工作要点");
            plan.meta.jurisdiction = Jurisdiction {
                name: Some(district),
                level: Some(Level::District),
                ..Jurisdiction::default()
            };
            plan
        })
        .collect()
}

/// A plan written out as the plain text of a published plan (title, then numbered sections
/// and measures), which the parser reads back: how the synthetic corpora of the benchmarks
/// are put on disk for tools that read text files.
pub fn plan_as_text(plan: &Plan) -> String {
    use crate::ingest::docx::chinese;
    let mut text = format!("{}\n", plan.meta.title);
    let mut number = 0u32;
    let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut write_measure = |text: &mut String, measure: &Measure| {
        number += 1;
        text.push_str(&format!("（{}）{}\n", chinese(number), measure.text));
    };
    for (n, section) in plan.sections.iter().enumerate() {
        text.push_str(&format!(
            "{}、{}\n",
            chinese(u32::try_from(n + 1).unwrap_or(0)),
            section.title
        ));
        for id in &section.item_ids {
            if let Some(measure) = plan.measures.iter().find(|m| &m.id == id) {
                written.insert(measure.id.as_str());
                write_measure(&mut text, measure);
            }
        }
    }
    for measure in plan
        .measures
        .iter()
        .filter(|m| !written.contains(m.id.as_str()))
    {
        write_measure(&mut text, measure);
    }
    text
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

    #[test]
    fn synthetic_plans_are_deterministic_and_sized() {
        let plans = synthetic_plans(2, Some(25));
        assert_eq!(plans, synthetic_plans(2, Some(25)));
        assert!(
            plans
                .iter()
                .all(|p| p.measures.len() == 25 && p.sections.len() == 3)
        );
        let ids: Vec<&str> = plans[0].sections[2]
            .item_ids
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(ids, ["m21", "m22", "m23", "m24", "m25"]);
    }

    #[test]
    fn a_synthetic_plan_written_as_text_reads_back() {
        for plan in synthetic_plans(3, None) {
            let text = plan_as_text(&plan);
            let back = crate::parse::parse_text(&text, "synthetic.txt").unwrap();
            assert_eq!(back.meta.title, plan.meta.title);
            assert_eq!(back.measures.len(), plan.measures.len(), "{text}");
        }
    }
}
