//! Tags carried across accepted links: a theme the analyst tagged by hand on one measure is
//! offered to the measure it is linked to, never applied silently. A suggestion is taken as a
//! hand tag that remembers where it came from; a refused one is kept as a removal, so it is
//! not offered again (and the matcher does not suggest the theme there either).

use std::collections::BTreeMap;

use crate::model::{LinkDecision, LinkStatus, MeasureRef, TagEdit};

/// A theme offered to a measure because a measure it is linked to carries it by hand.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TagSuggestion {
    /// The measure the theme is offered to.
    pub target: MeasureRef,
    /// The theme.
    pub theme_id: String,
    /// The measure tagged by hand, at the other end of the accepted link.
    pub from: MeasureRef,
}

/// Whether a decision links its two measures for good: accepted, or made by hand and not
/// rejected since.
pub fn is_accepted(decision: &LinkDecision) -> bool {
    decision.status == LinkStatus::Accepted
        || (decision.manual && decision.status != LinkStatus::Rejected)
}

/// The suggestions of every accepted link, one per measure and theme, sorted.
///
/// For an accepted link, each theme added by hand on one end is offered to the other end
/// unless `carries(other, theme)` already holds or the analyst already decided about that
/// theme there (a hand tag, a removal or a refused suggestion). `tag_edits` hold one edit per
/// measure and theme, the latest.
pub fn carry_suggestions(
    decisions: &[LinkDecision],
    tag_edits: &[TagEdit],
    carries: impl Fn(&MeasureRef, &str) -> bool,
) -> Vec<TagSuggestion> {
    let mut added: BTreeMap<&MeasureRef, Vec<&str>> = BTreeMap::new();
    let mut decided: BTreeMap<(&MeasureRef, &str), ()> = BTreeMap::new();
    for edit in tag_edits {
        decided.insert((&edit.measure, edit.theme_id.as_str()), ());
        if edit.added {
            added.entry(&edit.measure).or_default().push(&edit.theme_id);
        }
    }
    let mut suggestions: BTreeMap<(MeasureRef, String), MeasureRef> = BTreeMap::new();
    for decision in decisions.iter().filter(|d| is_accepted(d)) {
        for (from, target) in [
            (&decision.left, &decision.right),
            (&decision.right, &decision.left),
        ] {
            for theme_id in added.get(from).into_iter().flatten() {
                if decided.contains_key(&(target, *theme_id)) || carries(target, theme_id) {
                    continue;
                }
                suggestions
                    .entry((target.clone(), (*theme_id).to_owned()))
                    .or_insert_with(|| from.clone());
            }
        }
    }
    suggestions
        .into_iter()
        .map(|((target, theme_id), from)| TagSuggestion {
            target,
            theme_id,
            from,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(left: &str, right: &str, status: LinkStatus, manual: bool) -> LinkDecision {
        LinkDecision {
            left: MeasureRef::new("city", left),
            right: MeasureRef::new("district", right),
            status,
            manual,
            note: String::new(),
        }
    }

    fn tag(plan: &str, measure: &str, theme: &str, added: bool) -> TagEdit {
        TagEdit {
            measure: MeasureRef::new(plan, measure),
            theme_id: theme.to_owned(),
            added,
            carried_from: None,
        }
    }

    #[test]
    fn hand_tags_cross_accepted_links_both_ways_and_only_those() {
        let decisions = [
            link("m1", "m1", LinkStatus::Accepted, false),
            link("m2", "m2", LinkStatus::Unreviewed, true),
            link("m3", "m3", LinkStatus::Rejected, false),
            link("m4", "m4", LinkStatus::Unreviewed, false),
        ];
        let edits = [
            tag("city", "m1", "green", true),
            tag("district", "m2", "brand", true),
            tag("city", "m3", "green", true),
            tag("city", "m4", "green", true),
            // A removal does not travel.
            tag("city", "m1", "standards", false),
        ];
        let suggestions = carry_suggestions(&decisions, &edits, |_, _| false);
        let found: Vec<(String, String, String)> = suggestions
            .iter()
            .map(|s| {
                (
                    s.target.plan_id.clone(),
                    s.target.measure_id.clone(),
                    s.theme_id.clone(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("city".into(), "m2".into(), "brand".into()),
                ("district".into(), "m1".into(), "green".into()),
            ]
        );
        assert_eq!(suggestions[1].from, MeasureRef::new("city", "m1"));
    }

    #[test]
    fn nothing_is_offered_where_it_is_carried_or_already_decided() {
        let decisions = [link("m1", "m1", LinkStatus::Accepted, false)];
        let mut edits = vec![tag("city", "m1", "green", true)];
        // Carried already (auto-tagged on the district measure).
        assert!(carry_suggestions(&decisions, &edits, |_, theme| theme == "green").is_empty());
        // Refused: kept as a removal on the target.
        edits.push(tag("district", "m1", "green", false));
        assert!(carry_suggestions(&decisions, &edits, |_, _| false).is_empty());
    }
}
