//! Two versions of one plan: which measure of the new version each old measure became, so the
//! analyst's tags and decisions follow a measure when a revision inserts, drops or renumbers
//! measures (ids are label numbers, and a shifted number is a different measure).
//!
//! ```
//! use planalign::align::match_versions;
//! use planalign::parse::parse_text;
//! let old = parse_text("某区工作要点\n一、任务\n（一）推进标准化建设。开展标准化试点。\n（二）加强品牌培育。培育区域公用品牌。", "v1.txt").unwrap();
//! let new = parse_text("某区工作要点\n一、任务\n（一）推进数字化转型。建设工业互联网平台。\n（二）推进标准化建设。开展标准化试点。\n（三）加强品牌培育。培育区域公用品牌和老字号品牌。", "v2.txt").unwrap();
//! let map = match_versions(&old, &new);
//! assert_eq!(map["m1"].as_deref(), Some("m2"));
//! assert_eq!(map["m2"].as_deref(), Some("m3"));
//! ```

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::model::{ItemKind, LinkDecision, Measure, MeasureRef, Plan, TagEdit};
use crate::parse::text::{is_han, key_of};

/// A pair scoring below this is not the same measure.
const MIN_SAME: f32 = 0.5;

/// What a workspace remembers of a measure that carries work, so the work can find the
/// measure again in a changed version of the plan file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeasureAnchor {
    /// The measure's id then.
    pub id: String,
    /// Measure, goal or guarantee.
    pub kind: ItemKind,
    /// Label as written, e.g. （十五）.
    pub label: String,
    /// Lead phrase.
    pub title: String,
    /// Full text.
    pub text: String,
}

impl MeasureAnchor {
    /// The anchor of a measure.
    pub fn of(measure: &Measure) -> Self {
        Self {
            id: measure.id.clone(),
            kind: measure.kind,
            label: measure.label.clone(),
            title: measure.title.clone(),
            text: measure.text.clone(),
        }
    }
}

/// Anchors of every measure, goal and guarantee of a plan.
pub fn anchors(plan: &Plan) -> Vec<MeasureAnchor> {
    plan.all_items_unsorted().map(MeasureAnchor::of).collect()
}

/// For every measure of `old` (goals and guarantees too), the id it has in `new`, or `None`
/// when no measure of `new` is the same one. Identical text matches first; then, greedily,
/// the most similar pairs (Dice over Han-character bigrams of title and text, with a bonus for
/// an unchanged title), each measure of either version used once.
pub fn match_versions(old: &Plan, new: &Plan) -> BTreeMap<String, Option<String>> {
    match_anchors(&anchors(old), &anchors(new))
}

/// [`match_versions`] over anchors: for every old anchor, the id of the same measure among the
/// new ones, or `None`.
pub fn match_anchors(
    old_items: &[MeasureAnchor],
    new_items: &[MeasureAnchor],
) -> BTreeMap<String, Option<String>> {
    let old_grams: Vec<HashSet<(char, char)>> = old_items.iter().map(bigrams).collect();
    let new_grams: Vec<HashSet<(char, char)>> = new_items.iter().map(bigrams).collect();
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for (i, (lhs, lhs_grams)) in old_items.iter().zip(&old_grams).enumerate() {
        for (j, (rhs, rhs_grams)) in new_items.iter().zip(&new_grams).enumerate() {
            if lhs.kind != rhs.kind {
                continue;
            }
            let score = if lhs.title == rhs.title && lhs.text == rhs.text {
                2.0
            } else {
                let title_bonus = if lhs.title == rhs.title { 0.2 } else { 0.0 };
                dice(lhs_grams, rhs_grams) + title_bonus
            };
            // Among equals, the measure that kept its id.
            let score = score + if lhs.id == rhs.id { 0.001 } else { 0.0 };
            if score >= MIN_SAME {
                pairs.push((score, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken_old = vec![false; old_items.len()];
    let mut taken_new = vec![false; new_items.len()];
    let mut map: BTreeMap<String, Option<String>> =
        old_items.iter().map(|m| (m.id.clone(), None)).collect();
    for (_, i, j) in pairs {
        let (Some(false), Some(false)) = (taken_old.get(i).copied(), taken_new.get(j).copied())
        else {
            continue;
        };
        if let (Some(lhs), Some(rhs)) = (old_items.get(i), new_items.get(j)) {
            map.insert(lhs.id.clone(), Some(rhs.id.clone()));
        }
        if let Some(slot) = taken_old.get_mut(i) {
            *slot = true;
        }
        if let Some(slot) = taken_new.get_mut(j) {
            *slot = true;
        }
    }
    map
}

/// Where the analyst's work on the measures of an old version of a plan goes in the new one.
#[derive(Clone, Debug, Default)]
pub struct VersionCarry {
    map: BTreeMap<String, Option<String>>,
    new_ids: HashSet<String>,
}

impl VersionCarry {
    /// The carry from `old` to `new` ([`match_versions`]).
    pub fn new(old: &Plan, new: &Plan) -> Self {
        Self::from_anchors(&anchors(old), new)
    }

    /// The carry from what was remembered of the old version's measures to `new`.
    pub fn from_anchors(old: &[MeasureAnchor], new: &Plan) -> Self {
        let new_anchors = anchors(new);
        Self {
            map: match_anchors(old, &new_anchors),
            new_ids: new_anchors.into_iter().map(|m| m.id).collect(),
        }
    }

    /// Whether work on `old_id` has no measure to go to in the new version.
    pub fn is_gone(&self, old_id: &str) -> bool {
        match self.map.get(old_id) {
            Some(new_id) => new_id.is_none(),
            None => !self.new_ids.contains(old_id),
        }
    }

    /// The id work on `old_id` moves to: its measure's new id; for a measure that is gone, its
    /// old id, suffixed `~gone` when a different measure of the new version now has that id
    /// (the work is kept, and never lands on the wrong measure).
    pub fn carry(&self, old_id: &str) -> String {
        match self.map.get(old_id) {
            Some(Some(new_id)) => new_id.clone(),
            Some(None) | None if self.new_ids.contains(old_id) => format!("{old_id}~gone"),
            _ => old_id.to_owned(),
        }
    }
}

/// Moves tags and link decisions on measures of plan `plan_id` to the measures' ids in its new
/// version; an edit made twice on one measure after the move keeps the later one.
pub fn carry_work(
    tag_edits: &mut Vec<TagEdit>,
    decisions: &mut Vec<LinkDecision>,
    plan_id: &str,
    carry: &VersionCarry,
) {
    let carry_ref = |measure: &mut MeasureRef| {
        if measure.plan_id == plan_id {
            measure.measure_id = carry.carry(&measure.measure_id);
        }
    };
    for edit in tag_edits.iter_mut() {
        carry_ref(&mut edit.measure);
        if let Some(from) = &mut edit.carried_from {
            carry_ref(from);
        }
    }
    for decision in decisions.iter_mut() {
        carry_ref(&mut decision.left);
        carry_ref(&mut decision.right);
    }
    keep_last_by(tag_edits, |e| (e.measure.clone(), e.theme_id.clone()));
    keep_last_by(decisions, |d| (d.left.clone(), d.right.clone()));
}

/// Drops all but the last of the items that share a key, keeping the order.
fn keep_last_by<T, K: Eq + std::hash::Hash>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let mut seen = HashSet::new();
    let mut kept: Vec<T> = items
        .drain(..)
        .rev()
        .filter(|item| seen.insert(key(item)))
        .collect();
    kept.reverse();
    *items = kept;
}

fn bigrams(measure: &MeasureAnchor) -> HashSet<(char, char)> {
    let chars: Vec<char> = key_of(&format!("{}{}", measure.title, measure.text))
        .chars()
        .filter(|c| is_han(*c))
        .collect();
    chars
        .windows(2)
        .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
        .collect()
}

fn dice(lhs: &HashSet<(char, char)>, rhs: &HashSet<(char, char)>) -> f32 {
    let total = lhs.len() + rhs.len();
    if total == 0 {
        return 0.0;
    }
    let shared = lhs.intersection(rhs).count();
    #[expect(
        clippy::cast_precision_loss,
        reason = "bigram counts of one measure are far below f32's exact range"
    )]
    let ratio = (2 * shared) as f32 / total as f32;
    ratio
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_text;

    fn plan(items: &[&str]) -> Plan {
        let mut text = String::from("某区质量工作要点\n一、重点任务\n");
        for (n, item) in items.iter().enumerate() {
            text.push_str(&format!("{}.{item}\n", n + 1));
        }
        parse_text(&text, "v.txt").unwrap()
    }

    #[test]
    fn renumbered_dropped_and_reworded_measures() {
        let old = plan(&[
            "推进标准化建设。开展标准化试点，培育团体标准。",
            "加强品牌培育。培育区域公用品牌，推动老字号创新发展。",
            "强化质量监管。开展产品质量监督抽查，严厉打击假冒伪劣。",
        ]);
        // (2) is dropped, (3) becomes (2) and is reworded a little, a new (3) is added.
        let new = plan(&[
            "推进标准化建设。开展标准化试点，培育团体标准。",
            "强化质量监管。开展重点产品质量监督抽查，严厉打击假冒伪劣行为。",
            "推进质量基础设施一站式服务。建设服务站点。",
        ]);
        let map = match_versions(&old, &new);
        assert_eq!(map["m1"].as_deref(), Some("m1"));
        assert_eq!(map["m2"], None);
        assert_eq!(map["m3"].as_deref(), Some("m2"));
    }

    #[test]
    fn work_follows_its_measure_and_never_lands_on_another() {
        let old = plan(&[
            "推进标准化建设。开展标准化试点。",
            "加强品牌培育。培育区域公用品牌。",
            "强化质量监管。开展监督抽查。",
        ]);
        let new = plan(&[
            "推进标准化建设。开展标准化试点。",
            "强化质量监管。开展监督抽查。",
        ]);
        let carry = VersionCarry::new(&old, &new);
        let tag = |id: &str| TagEdit {
            measure: MeasureRef::new(&old.id, id),
            theme_id: "enterprise.brand".to_owned(),
            added: true,
            carried_from: None,
        };
        let mut tags = vec![tag("m2"), tag("m3")];
        let mut decisions = vec![LinkDecision {
            left: MeasureRef::new("city", "m9"),
            right: MeasureRef::new(&old.id, "m3"),
            status: crate::model::LinkStatus::Accepted,
            manual: false,
            note: "kept".to_owned(),
        }];
        carry_work(&mut tags, &mut decisions, &old.id, &carry);
        assert!(carry.is_gone("m2") && !carry.is_gone("m3"));
        let ids: Vec<&str> = tags.iter().map(|t| t.measure.measure_id.as_str()).collect();
        // Old (2) is gone, and new m2 is old (3): its work waits under m2~gone.
        assert_eq!(ids, ["m2~gone", "m2"]);
        assert_eq!(decisions[0].right.measure_id, "m2");
        assert_eq!(
            decisions[0].left.measure_id, "m9",
            "other plans are untouched"
        );
    }

    #[test]
    fn the_same_text_maps_to_itself() {
        let old = plan(&[
            "推进标准化建设。开展标准化试点。",
            "加强品牌培育。培育区域公用品牌。",
        ]);
        let map = match_versions(&old, &old);
        assert!(
            map.iter()
                .all(|(old_id, new_id)| new_id.as_ref() == Some(old_id))
        );
    }
}
