//! The aligner's behaviour: decisions survive re-alignment, manual tags feed the matcher,
//! boilerplate and place names do not make matches, batch agrees with pairwise alignment,
//! output is deterministic; coverage and trace.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::support;

use planalign::align::{
    AlignConfig, Aligner, BatchOptions, Link, align_all_pairs, char_diff, coverage, trace,
};
use planalign::library::bundled_plans;
use planalign::model::{LinkDecision, LinkKind, LinkOrigin, LinkStatus, MeasureRef, Plan, TagEdit};
use planalign::parse::parse_text;
use planalign::themes::Codebook;
use support::to_traditional;

fn aligner<'a>(plans: &[&'a Plan], edits: &[TagEdit]) -> Aligner<'a> {
    Aligner::new(plans, &Codebook::bundled(), edits, AlignConfig::default())
}

#[test]
fn decisions_survive_realignment() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let (city, district) = (&plans[0], &plans[1]);
    let first = aligner(&refs, &[]).align(0, 1, &[]);
    let accepted = first.links[0].clone();
    let rejected = first.links[1].clone();
    // A manual link between measures the matcher does not pair.
    let manual_left = city
        .measures
        .iter()
        .find(|m| {
            first
                .links_of(planalign::model::Side::Left, &m.id)
                .next()
                .is_none()
        })
        .unwrap();
    let manual_right = &district.measures[0];
    let decision = |left: &str, right: &str, status, manual, note: &str| LinkDecision {
        left: MeasureRef::new(&city.id, left),
        right: MeasureRef::new(&district.id, right),
        status,
        manual,
        note: note.to_owned(),
    };
    let decisions = vec![
        decision(
            &accepted.left_id,
            &accepted.right_id,
            LinkStatus::Accepted,
            false,
            "same award system",
        ),
        decision(
            &rejected.left_id,
            &rejected.right_id,
            LinkStatus::Rejected,
            false,
            "",
        ),
        decision(
            &manual_left.id,
            &manual_right.id,
            LinkStatus::Accepted,
            true,
            "analyst's link",
        ),
    ];
    // Re-align from scratch, with a different corpus order and manual tags that change scores.
    let reversed: Vec<&Plan> = refs.iter().rev().copied().collect();
    let edits = vec![TagEdit {
        measure: MeasureRef::new(&city.id, &accepted.left_id),
        theme_id: "governance.culture".to_owned(),
        added: true,
        carried_from: None,
    }];
    let again = aligner(&reversed, &edits);
    let (l, r) = (
        again.plan_index(&city.id).unwrap(),
        again.plan_index(&district.id).unwrap(),
    );
    let second = again.align(l, r, &decisions);
    let find = |left: &str, right: &str| {
        second
            .links
            .iter()
            .find(|k| k.left_id == left && k.right_id == right)
            .unwrap_or_else(|| panic!("{left}-{right} lost"))
    };
    let kept = find(&accepted.left_id, &accepted.right_id);
    assert_eq!(kept.status, LinkStatus::Accepted);
    assert_eq!(kept.note, "same award system");
    assert_eq!(
        find(&rejected.left_id, &rejected.right_id).status,
        LinkStatus::Rejected
    );
    let manual = find(&manual_left.id, &manual_right.id);
    assert_eq!(manual.origin, LinkOrigin::Manual);
    assert_eq!(manual.status, LinkStatus::Accepted);
    assert!(!second.unmatched_left.contains(&manual_left.id));
    // Decisions given with the plans the other way round apply too.
    let swapped = again.align(r, l, &decisions);
    assert!(swapped.links.iter().any(|k| k.left_id == manual_right.id
        && k.right_id == manual_left.id
        && k.origin == LinkOrigin::Manual));
}

#[test]
fn a_rejected_only_link_leaves_its_measures_unmatched() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let alignment = aligner(&refs, &[]).align(0, 1, &[]);
    let right_id = alignment
        .links
        .iter()
        .map(|k| k.right_id.clone())
        .find(|id| {
            alignment
                .links_of(planalign::model::Side::Right, id)
                .count()
                == 1
        })
        .unwrap();
    let link = alignment
        .links_of(planalign::model::Side::Right, &right_id)
        .next()
        .unwrap()
        .clone();
    let decisions = vec![LinkDecision {
        left: MeasureRef::new(&plans[0].id, &link.left_id),
        right: MeasureRef::new(&plans[1].id, &right_id),
        status: LinkStatus::Rejected,
        ..LinkDecision::default()
    }];
    let again = aligner(&refs, &[]).align(0, 1, &decisions);
    assert!(again.unmatched_right.contains(&right_id));
}

#[test]
fn manual_tags_feed_the_matcher_and_outweigh_auto_tags() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let plain = aligner(&refs, &[]);
    let (l, r) = (0, 1);
    // Two measures with some text in common but no shared theme: tagging both raises the score.
    let (lm, rm, before) = (0..plans[l].measures.len())
        .flat_map(|a| (0..plans[r].measures.len()).map(move |b| (a, b)))
        .filter_map(|(a, b)| {
            let (score, signals) = plain.score(l, a, r, b)?;
            (signals.text > 0.05 && signals.theme.unwrap_or(0.0) < 0.2).then_some((a, b, score))
        })
        .next()
        .unwrap();
    let edits: Vec<TagEdit> = [(&plans[l], lm), (&plans[r], rm)]
        .into_iter()
        .map(|(plan, m)| TagEdit {
            measure: MeasureRef::new(&plan.id, &plan.measures[m].id),
            theme_id: "environment.ecology".to_owned(),
            added: true,
            carried_from: None,
        })
        .collect();
    let (after, signals) = aligner(&refs, &edits).score(l, lm, r, rm).unwrap();
    assert!(
        after > before,
        "manual tags raise the score: {before} → {after}"
    );
    assert!(signals.theme.unwrap() > 0.2);
}

#[test]
fn boilerplate_and_place_names_do_not_make_matches() {
    let city = parse_text(
        "某市质量工作要点\n一、任务\n（一）持续推进某市食品安全工作。进一步加强某市食品安全监管，全面提升某市高质量发展水平，开展农药兽药残留专项整治。\n（二）持续推进某市品牌建设工作。进一步加强某市质量品牌培育，全面提升某市高质量发展水平，开展中国品牌日宣传活动。",
        "city.txt",
    )
    .unwrap();
    let district = parse_text(
        "某区质量工作要点\n一、任务\n（一）持续推进某区质量工作。进一步加强某区质量工作，全面提升某区高质量发展水平，组织中国品牌日系列宣传活动，培育区域质量品牌。",
        "district.txt",
    )
    .unwrap();
    let mut plans = bundled_plans();
    plans.push(city);
    plans.push(district);
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let (c, d) = (refs.len() - 2, refs.len() - 1);
    let alignment = aligner.align(c, d, &[]);
    let pairs: Vec<(&str, &str)> = alignment
        .links
        .iter()
        .map(|k| (k.left_id.as_str(), k.right_id.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [("m2", "m1")],
        "only the brand measures share substance"
    );
    let (food, _) = aligner.score(c, 0, d, 0).unwrap();
    let (brand, _) = aligner.score(c, 1, d, 0).unwrap();
    assert!(brand > food * 1.5, "brand {brand} vs food {food}");
    for phrase in &alignment.links[0].shared_phrases {
        assert!(
            !phrase.contains("某") && !phrase.contains("持续推进") && !phrase.contains("进一步"),
            "{phrase}"
        );
    }
}

#[test]
fn batch_agrees_with_pairwise_alignment_on_the_bundled_plans() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let members: Vec<usize> = (0..refs.len()).collect();
    let progress = std::sync::atomic::AtomicUsize::new(0);
    let options = BatchOptions {
        min_score: None,
        explain: true,
    };
    let last = std::sync::Mutex::new(planalign::align::Progress::default());
    let pairs = align_all_pairs(&aligner, &members, options, &|now| {
        assert!(now.plan_pairs <= now.plan_pairs_total);
        assert!(now.measures <= now.measures_total);
        progress.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        *last.lock().unwrap() = now;
    });
    assert_eq!(pairs.len(), 10);
    assert!(progress.into_inner() >= 1);
    let measures: usize = refs.iter().map(|p| p.measures.len()).sum();
    assert_eq!(
        *last.lock().unwrap(),
        planalign::align::Progress {
            plan_pairs: 10,
            plan_pairs_total: 10,
            measures,
            measures_total: measures,
        },
        "at the end, every pair of plans is scored and every measure finished"
    );
    let compact = align_all_pairs(&aligner, &members, BatchOptions::default(), &|_| {});
    for (pair, brief) in pairs.iter().zip(&compact) {
        let direct = aligner.align(pair.left, pair.right, &[]);
        let name = format!("{} × {}", refs[pair.left].id, refs[pair.right].id);
        let explained: Vec<Link> = pair
            .links
            .iter()
            .map(|link| *link.explained.clone().unwrap())
            .collect();
        assert_eq!(explained, direct.links, "{name}");
        assert_eq!((brief.left, brief.right), (pair.left, pair.right));
        let ids: Vec<(String, String, f32, LinkKind)> = brief
            .links
            .iter()
            .map(|link| {
                assert!(link.explained.is_none(), "compact unless asked");
                (
                    refs[pair.left].measures[link.pair.left_measure].id.clone(),
                    refs[pair.right].measures[link.pair.right_measure]
                        .id
                        .clone(),
                    link.pair.score,
                    link.pair.kind,
                )
            })
            .collect();
        let direct_ids: Vec<(String, String, f32, LinkKind)> = direct
            .links
            .iter()
            .map(|l| (l.left_id.clone(), l.right_id.clone(), l.score, l.kind))
            .collect();
        assert_eq!(ids, direct_ids, "{name}");
    }
    // A minimum score keeps the links at or above it, and no others.
    let strict = align_all_pairs(
        &aligner,
        &members,
        BatchOptions {
            min_score: Some(0.9),
            explain: false,
        },
        &|_| {},
    );
    for (pair, brief) in strict.iter().zip(&compact) {
        let expected: Vec<_> = brief
            .links
            .iter()
            .filter(|l| l.pair.score >= 0.9)
            .map(|l| l.pair)
            .collect();
        assert_eq!(
            pair.links.iter().map(|l| l.pair).collect::<Vec<_>>(),
            expected
        );
    }
}

/// The links of a batch pair: (left measure, right measure, score bits, kind).
fn batch_links(pair: &planalign::align::BatchPair) -> Vec<(usize, usize, u32, LinkKind)> {
    pair.links
        .iter()
        .map(|l| {
            (
                l.pair.left_measure,
                l.pair.right_measure,
                l.pair.score.to_bits(),
                l.pair.kind,
            )
        })
        .collect()
}

/// The links `Aligner::align` finds for the plans of a batch pair, as [`batch_links`] gives
/// them.
fn direct_links(
    aligner: &Aligner,
    refs: &[&Plan],
    pair: &planalign::align::BatchPair,
) -> Vec<(usize, usize, u32, LinkKind)> {
    let index_of =
        |plan: usize, id: &str| refs[plan].measures.iter().position(|m| m.id == id).unwrap();
    aligner
        .align(pair.left, pair.right, &[])
        .links
        .iter()
        .map(|l| {
            (
                index_of(pair.left, &l.left_id),
                index_of(pair.right, &l.right_id),
                l.score.to_bits(),
                l.kind,
            )
        })
        .collect()
}

#[test]
fn a_batch_of_more_plans_than_it_compares_at_once_hands_on_every_pair_in_order() {
    // Forty small plans: more than a batch run compares ahead of the one it hands on.
    let plans = planalign::library::synthetic_plans(40, Some(3));
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let members: Vec<usize> = (0..refs.len()).collect();
    let progress = std::sync::Mutex::new(Vec::new());
    let pairs = align_all_pairs(&aligner, &members, BatchOptions::default(), &|now| {
        progress.lock().unwrap().push(now);
    });
    let expected: Vec<(usize, usize)> = (0..40)
        .flat_map(|left| (left + 1..40).map(move |right| (left, right)))
        .collect();
    assert_eq!(
        pairs.iter().map(|p| (p.left, p.right)).collect::<Vec<_>>(),
        expected
    );
    let mut num_links = 0;
    for pair in &pairs {
        let batch = batch_links(pair);
        assert_eq!(
            batch,
            direct_links(&aligner, &refs, pair),
            "{} × {}",
            pair.left,
            pair.right
        );
        num_links += batch.len();
    }
    assert!(num_links > 40, "{num_links} links");
    let progress = progress.into_inner().unwrap();
    let last = *progress.last().unwrap();
    assert_eq!(
        (last.plan_pairs, last.measures),
        (last.plan_pairs_total, last.measures_total)
    );
    assert!(progress.windows(2).all(|w| w[0].measures <= w[1].measures));
}

#[test]
fn batch_agrees_with_pairwise_alignment_on_a_synthetic_corpus_with_a_subset_of_members() {
    // Twelve plans of varied size; the corpus run covers nine of them in scrambled order (the
    // others only weigh terms), so plans are compared with later plans across gaps.
    let plans = planalign::library::synthetic_plans(12, None);
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let members = [11, 0, 3, 2, 7, 5, 9, 8, 4, 3];
    let pairs = align_all_pairs(&aligner, &members, BatchOptions::default(), &|_| {});
    let mut expected = Vec::new();
    let mut sorted: Vec<usize> = members.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for (i, &left) in sorted.iter().enumerate() {
        for &right in &sorted[i + 1..] {
            expected.push((left, right));
        }
    }
    assert_eq!(
        pairs.iter().map(|p| (p.left, p.right)).collect::<Vec<_>>(),
        expected
    );
    let mut num_links = 0;
    let mut kinds = Vec::new();
    for pair in &pairs {
        let batch = batch_links(pair);
        let aligned = direct_links(&aligner, &refs, pair);
        assert_eq!(batch, aligned, "{} × {}", pair.left, pair.right);
        num_links += batch.len();
        kinds.extend(batch.iter().map(|link| link.3));
    }
    assert!(
        num_links > 50,
        "a corpus of recombined measures links: {num_links}"
    );
    for kind in [LinkKind::NearVerbatim, LinkKind::Related] {
        assert!(kinds.contains(&kind), "{kind:?} among {kinds:?}");
    }
}

#[test]
fn batch_agrees_with_pairwise_alignment_under_a_model_with_scrambled_weights() {
    // The batch skips most pairs with a single-precision screen before it scores them; under
    // weights of every sign and size (and a low threshold, so that many pairs sit near the
    // cut), it must still keep exactly the pairs that `align` links.
    let plans = planalign::library::synthetic_plans(8, None);
    let refs: Vec<&Plan> = plans.iter().collect();
    let members: Vec<usize> = (0..refs.len()).collect();
    let mut seed = 11u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        #[expect(clippy::cast_precision_loss, reason = "test values")]
        let unit = (seed >> 11) as f64 / (1u64 << 53) as f64;
        unit
    };
    for round in 0..4 {
        let mut model = planalign::align::MatcherModel::bundled().clone();
        for weight in &mut model.weights {
            *weight = (next() - 0.4) * 8.0 * f64::from(round + 1);
        }
        model.bias = (next() - 0.5) * 6.0;
        model.threshold = 0.05 + 0.3 * next();
        let aligner = aligner(&refs, &[]).with_model(model);
        let pairs = align_all_pairs(&aligner, &members, BatchOptions::default(), &|_| {});
        let mut num_links = 0;
        for pair in &pairs {
            let direct = aligner.align(pair.left, pair.right, &[]);
            let batch: Vec<(String, String, u32, LinkKind)> = pair
                .links
                .iter()
                .map(|l| {
                    (
                        refs[pair.left].measures[l.pair.left_measure].id.clone(),
                        refs[pair.right].measures[l.pair.right_measure].id.clone(),
                        l.pair.score.to_bits(),
                        l.pair.kind,
                    )
                })
                .collect();
            let aligned: Vec<(String, String, u32, LinkKind)> = direct
                .links
                .iter()
                .map(|l| {
                    (
                        l.left_id.clone(),
                        l.right_id.clone(),
                        l.score.to_bits(),
                        l.kind,
                    )
                })
                .collect();
            assert_eq!(
                batch, aligned,
                "round {round}: {} × {}",
                pair.left, pair.right
            );
            num_links += batch.len();
        }
        assert!(
            num_links > 0,
            "round {round}: the scrambled model links something"
        );
    }
}

#[test]
fn alignment_is_deterministic_and_sorted() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let one = aligner(&refs, &[]).align(0, 2, &[]);
    let two = aligner(&refs, &[]).align(0, 2, &[]);
    let json = |a| {
        serde_json::to_string(&planalign::report::alignment_json(a, &plans[0], &plans[2])).unwrap()
    };
    assert_eq!(json(&one), json(&two));
    let position = |plan: &Plan, id: &str| plan.measures.iter().position(|m| m.id == id).unwrap();
    let keys: Vec<(usize, usize)> = one
        .links
        .iter()
        .map(|k| {
            (
                position(&plans[0], &k.left_id),
                position(&plans[2], &k.right_id),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for link in &one.links {
        assert!((0.0..=1.0).contains(&link.score));
        assert!(
            !link.shared_phrases.is_empty(),
            "every auto link is explained by shared text"
        );
    }
}

#[test]
fn coverage_and_trace_across_plans() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let matrix = coverage(&aligner);
    assert_eq!(matrix.plan_ids.len(), plans.len());
    assert_eq!(matrix.theme_ids.len(), Codebook::bundled().themes().count());
    let brand = matrix
        .theme_ids
        .iter()
        .position(|t| t == "enterprise.brand")
        .unwrap();
    for p in 0..plans.len() {
        assert!(
            matrix.count(brand, p) > 0,
            "every seed plan has brand measures"
        );
    }
    // Every measure in a cell carries the theme.
    let cell = &matrix.cells[brand][1];
    assert!(
        cell.measure_ids
            .iter()
            .all(|id| plans[1].measure(id).is_some())
    );
    // The city's brand measure (十六) traced through every other plan.
    let m16 = plans[0]
        .measures
        .iter()
        .position(|m| m.id == "m16")
        .unwrap();
    let hits = trace(&aligner, 0, m16, 2);
    let plan_ids: std::collections::BTreeSet<&str> =
        hits.iter().map(|h| h.plan_id.as_str()).collect();
    assert!(plan_ids.len() >= 3, "{hits:?}");
    assert!(
        hits.iter()
            .any(|h| h.plan_id == plans[1].id && h.measure_id == "m15"),
        "Jing'an (十五) 加强质量品牌建设"
    );
}

#[test]
fn char_diff_of_a_real_link() {
    let plans = bundled_plans();
    let (a, b) = (
        plans[0].measure("m16").unwrap(),
        plans[1].measure("m15").unwrap(),
    );
    let diff = char_diff(&a.text, &b.text);
    assert!(diff.ratio > 0.3 && diff.ratio < 1.0);
    let both: String = diff
        .segments
        .iter()
        .filter(|s| s.only.is_none())
        .map(|s| s.text.as_str())
        .collect();
    assert!(both.contains("中国品牌日"));
}

#[test]
fn a_traditional_copy_aligns_like_the_simplified_one_unless_asked_not_to() {
    let plans = bundled_plans();
    let city = plans
        .iter()
        .find(|p| p.id == "shanghai-2021-quality-work-points")
        .unwrap();
    let district = plans
        .iter()
        .find(|p| p.id == "jingan-2023-quality-work-points")
        .unwrap();
    let traditional_text = to_traditional(&district.source.text);
    assert_ne!(traditional_text, district.source.text);
    let traditional = parse_text(&traditional_text, "jingan-traditional.txt").unwrap();
    assert_eq!(traditional.measures.len(), district.measures.len());

    let pairs = |plan: &Plan, config: AlignConfig| {
        let aligner = Aligner::new(&[plan, city], &Codebook::bundled(), &[], config);
        let alignment = aligner.align(0, 1, &[]);
        let pairs: Vec<(String, String)> = alignment
            .links
            .iter()
            .map(|l| (l.left_id.clone(), l.right_id.clone()))
            .collect();
        (pairs, alignment)
    };
    let (simplified_pairs, _) = pairs(district, AlignConfig::default());
    let (folded_pairs, folded) = pairs(&traditional, AlignConfig::default());
    assert_eq!(folded_pairs, simplified_pairs);
    // Shared phrases quote the (left) plan as written: traditional characters.
    let quoted: String = folded
        .links
        .iter()
        .flat_map(|l| l.shared_phrases.clone())
        .collect();
    assert!(quoted.contains('質'), "{quoted}");
    assert!(!quoted.contains('质'), "{quoted}");

    let as_written = AlignConfig {
        fold_traditional: false,
        ..AlignConfig::default()
    };
    let (_, unfolded) = pairs(&traditional, as_written);
    let total = |alignment: &planalign::align::Alignment| -> f32 {
        alignment.links.iter().map(|l| l.score).sum()
    };
    assert!(
        total(&unfolded) < 0.8 * total(&folded),
        "as written {} vs folded {}",
        total(&unfolded),
        total(&folded)
    );
}

#[test]
fn the_candidate_search_finds_the_neighbours_exhaustive_scoring_finds() {
    use planalign::align::{NeighbourSearch, nearest_neighbours};
    let plans = planalign::library::synthetic_plans(40, None);
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let members: Vec<usize> = (0..refs.len()).collect();
    let (k, floor) = (5, 0.3f32);
    let exhaustive = nearest_neighbours(
        &aligner,
        &members,
        k,
        floor,
        NeighbourSearch::Exhaustive,
        &|_| {},
    );
    let search = NeighbourSearch::Candidates { per_measure: 24 };
    let progress = std::sync::Mutex::new(Vec::new());
    let found = nearest_neighbours(&aligner, &members, k, floor, search, &|now| {
        progress.lock().unwrap().push(now);
    });
    let progress = progress.into_inner().unwrap();
    let last = *progress.last().unwrap();
    let (done, total) = (last.plan_pairs, last.plan_pairs_total);
    assert_eq!(done, total);
    assert_eq!(last.measures, last.measures_total);
    assert_eq!(
        last.measures_total,
        members
            .iter()
            .map(|&m| refs[m].measures.len())
            .sum::<usize>()
    );
    // Measures finish plan by plan, never more than there are, never going back.
    assert!(
        progress
            .windows(2)
            .all(|w| w[0].measures <= w[1].measures && w[1].measures <= w[1].measures_total)
    );
    assert!(
        progress
            .iter()
            .any(|p| 0 < p.measures && p.measures < p.measures_total),
        "measures are counted as plans finish, not only at the end"
    );
    assert!(
        total < 40 * 39 / 2,
        "fewer plan pairs than all of them: {total}"
    );
    let (mut same_pairs, mut all_pairs) = (0, 0);
    for (plan, (want, got)) in exhaustive.iter().zip(&found).enumerate() {
        for (measure, (want, got)) in want.iter().zip(got).enumerate() {
            // Scores are exact, so the lists agree score for score; among equal scores the
            // search may have found other measures than the exhaustive run.
            let scores = |list: &[planalign::align::Neighbour]| {
                list.iter().map(|n| n.score).collect::<Vec<f32>>()
            };
            assert_eq!(scores(got), scores(want), "plan {plan} measure {measure}");
            all_pairs += want.len();
            same_pairs += want.iter().filter(|n| got.contains(n)).count();
        }
    }
    assert!(all_pairs > 500, "{all_pairs}");
    assert!(
        same_pairs * 100 >= all_pairs * 95,
        "{same_pairs} of {all_pairs} neighbours found"
    );
}

#[test]
fn nearest_neighbours_are_the_best_pairs_by_exhaustive_scoring() {
    let plans = bundled_plans();
    let refs: Vec<&Plan> = plans.iter().collect();
    let aligner = aligner(&refs, &[]);
    let members: Vec<usize> = (0..refs.len()).collect();
    let (k, floor) = (3, 0.1f32);
    let lists = planalign::align::nearest_neighbours(
        &aligner,
        &members,
        k,
        floor,
        planalign::align::NeighbourSearch::Exhaustive,
        &|_| {},
    );
    // Every pair's probability, scored with the earlier plan on the left as batch does.
    let mut all: Vec<Vec<Vec<(f32, usize, usize)>>> = refs
        .iter()
        .map(|p| vec![Vec::new(); p.measures.len()])
        .collect();
    for a in 0..refs.len() {
        for b in a + 1..refs.len() {
            let (matrix, probabilities) = aligner.probabilities(a, b);
            for l in 0..matrix.num_left {
                for r in 0..matrix.num_right {
                    let p = probabilities[l * matrix.num_right + r];
                    if p >= floor {
                        all[a][l].push((p, b, r));
                        all[b][r].push((p, a, l));
                    }
                }
            }
        }
    }
    let mut num_neighbours = 0;
    for (plan, per_measure) in lists.iter().enumerate() {
        assert_eq!(per_measure.len(), refs[plan].measures.len());
        for (measure, neighbours) in per_measure.iter().enumerate() {
            let mut expected = all[plan][measure].clone();
            expected.sort_by(|x, y| {
                y.0.total_cmp(&x.0)
                    .then_with(|| (x.1, x.2).cmp(&(y.1, y.2)))
            });
            expected.truncate(k);
            let got: Vec<(f32, usize, usize)> = neighbours
                .iter()
                .map(|n| (n.score, n.plan, n.measure))
                .collect();
            assert_eq!(got, expected, "{} measure {measure}", refs[plan].id);
            num_neighbours += got.len();
        }
    }
    assert!(num_neighbours > 100, "{num_neighbours}");
}
