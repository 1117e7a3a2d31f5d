//! data/plans must be what our importer makes of data/raw: re-parse every raw text and compare.
//!
//! After a parser change, rewrite them with `PLANALIGN_UPDATE=1 cargo test --test all bundled_plans`
//! (or `planalign import data/raw/*.txt -o data/plans`) and review the diff.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use std::path::{Path, PathBuf};

use planalign::model::Plan;

fn data_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn raw_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir("raw"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    files.sort();
    files
}

/// The plan without its import time, which differs run to run.
fn comparable(mut plan: Plan) -> Plan {
    plan.source.imported_at = None;
    plan
}

#[test]
fn raw_texts_match_the_seeds_byte_for_byte() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        return; // Outside the workplace layout there is nothing to compare with.
    }
    for raw in raw_files() {
        let seed = seeds.join(raw.file_name().unwrap());
        assert_eq!(
            std::fs::read(&raw).unwrap(),
            std::fs::read(&seed).unwrap(),
            "{}",
            raw.display()
        );
    }
}

#[test]
fn bundled_plans_are_in_step_with_the_parser() {
    let update = std::env::var_os("PLANALIGN_UPDATE").is_some();
    let raws = raw_files();
    assert_eq!(raws.len(), 5, "the five seed texts are bundled");
    let mut stale = Vec::new();
    for raw in &raws {
        let parsed = planalign::parse::parse_file(raw).unwrap();
        let ron_path = data_dir("plans").join(format!("{}.ron", parsed.id));
        if update {
            let mut stamped = parsed.clone();
            stamped.source.imported_at = Some(planalign::ingest::now_rfc3339());
            planalign::persist::save_plan(&ron_path, &stamped).unwrap();
            continue;
        }
        let stored = planalign::persist::load_plan(&ron_path).unwrap_or_else(|err| {
            panic!("{err}; run PLANALIGN_UPDATE=1 cargo test --test all bundled_plans")
        });
        assert!(
            stored.source.imported_at.is_some(),
            "{} has no import time",
            ron_path.display()
        );
        if comparable(stored) != comparable(parsed) {
            stale.push(ron_path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "data/plans is out of step with the parser: {stale:?}; run PLANALIGN_UPDATE=1 cargo test --test all bundled_plans"
    );
    let num_ron = std::fs::read_dir(data_dir("plans")).unwrap().count();
    assert_eq!(num_ron, raws.len(), "one .ron per raw text, no leftovers");
}
