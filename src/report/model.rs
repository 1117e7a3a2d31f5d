//! One report model for every format: the two plans with their metadata, the aligner's
//! settings, a summary, the links, the unmatched measures, theme coverage and the targets both
//! plans set under the same theme. Writers only format it.

use std::collections::BTreeMap;

use crate::align::{AlignConfig, Aligner, Alignment, Link};
use crate::model::{LinkKind, LinkOrigin, LinkStatus, Measure, MeasureRef, Plan, Side, TagEdit};
use crate::themes::Codebook;

/// Counts over the links and measures of a pair.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Links by kind: near-verbatim, refined, related.
    pub by_kind: [(LinkKind, usize); 3],
    /// Links by status: accepted, rejected, unreviewed.
    pub by_status: [(LinkStatus, usize); 3],
    /// Links the analyst made.
    pub manual: usize,
    /// Links in all.
    pub links: usize,
    /// Measures of each plan (left, right).
    pub measures: (usize, usize),
    /// Measures without a counterpart (left, right).
    pub unmatched: (usize, usize),
}

impl Summary {
    /// Measures of a side that have a counterpart.
    pub fn linked(&self, side: Side) -> usize {
        let (total, unmatched) = side.pick(
            (self.measures.0, self.unmatched.0),
            (self.measures.1, self.unmatched.1),
        );
        total - unmatched.min(total)
    }

    /// Share of a side's measures that have a counterpart, 0–1.
    pub fn linked_share(&self, side: Side) -> f64 {
        let total = side.pick(self.measures.0, self.measures.1);
        if total == 0 {
            return 0.0;
        }
        #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
        let share = self.linked(side) as f64 / total as f64;
        share
    }
}

/// A theme's measures in each plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverageRow {
    /// The theme id.
    pub theme_id: String,
    /// Measure ids of the left plan carrying it, in plan order.
    pub left: Vec<String>,
    /// Measure ids of the right plan carrying it.
    pub right: Vec<String>,
}

/// One target as written, with the measure that sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetItem {
    /// The measure (or goal) id.
    pub measure_id: String,
    /// The sentence that sets the target.
    pub text: String,
}

/// Targets both plans set under one theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetPair {
    /// The theme id.
    pub theme_id: String,
    /// Left plan targets.
    pub left: Vec<TargetItem>,
    /// Right plan targets.
    pub right: Vec<TargetItem>,
}

/// Everything a report shows about two aligned plans.
#[derive(Clone, Debug)]
pub struct AlignmentReport<'a> {
    /// The left plan.
    pub left: &'a Plan,
    /// The right plan.
    pub right: &'a Plan,
    /// Their alignment.
    pub alignment: &'a Alignment,
    /// The codebook the themes come from.
    pub codebook: &'a Codebook,
    /// When the report was made (RFC 3339); empty for output that must be reproducible.
    pub generated: String,
    /// The matcher's settings.
    pub settings: MatcherSettings,
    /// Counts.
    pub summary: Summary,
    /// Themes carried by a measure of either plan, in codebook order.
    pub coverage: Vec<CoverageRow>,
    /// Themes under which both plans set targets.
    pub targets: Vec<TargetPair>,
    /// Effective theme ids of every measure, by (side, measure id).
    pub measure_themes: BTreeMap<(Side, String), Vec<String>>,
    /// Themes the analyst tagged by hand, by (side, measure id, theme id): where a tag taken
    /// from a suggestion came from (the measure at the other end of an accepted link, as read),
    /// `None` for a tag made by hand on the measure itself.
    pub hand_tags: BTreeMap<(Side, String, String), Option<String>>,
}

impl<'a> AlignmentReport<'a> {
    /// The report of plans `left` and `right` of an aligner, given their alignment.
    pub fn build(
        aligner: &Aligner<'a>,
        left: usize,
        right: usize,
        alignment: &'a Alignment,
        codebook: &'a Codebook,
        generated: String,
    ) -> Option<Self> {
        let plans = aligner.plans();
        let (left_plan, right_plan) = (*plans.get(left)?, *plans.get(right)?);
        let corpus = aligner.corpus();
        let mut measure_themes = BTreeMap::new();
        for (side, index, plan) in [
            (Side::Left, left, left_plan),
            (Side::Right, right, right_plan),
        ] {
            for features in corpus.plans.get(index)? {
                let Some(measure) = plan.measures.get(features.measure_index) else {
                    continue;
                };
                let ids = features.themes.iter().map(|t| t.theme_id.clone()).collect();
                measure_themes.insert((side, measure.id.clone()), ids);
            }
        }
        let carrying = |side: Side, plan: &Plan, theme_id: &str| -> Vec<String> {
            plan.measures
                .iter()
                .filter(|m| {
                    measure_themes
                        .get(&(side, m.id.clone()))
                        .is_some_and(|ids: &Vec<String>| ids.iter().any(|t| t == theme_id))
                })
                .map(|m| m.id.clone())
                .collect()
        };
        let coverage: Vec<CoverageRow> = codebook
            .themes()
            .map(|theme| CoverageRow {
                theme_id: theme.id.clone(),
                left: carrying(Side::Left, left_plan, &theme.id),
                right: carrying(Side::Right, right_plan, &theme.id),
            })
            .filter(|row| !row.left.is_empty() || !row.right.is_empty())
            .collect();
        // Each target sentence goes under the themes its own words suggest; a measure's
        // sentence that suggests none goes under the measure's themes. Goals (主要目标 …)
        // count too: that is where many plans put their figures.
        let tagger = crate::themes::Tagger::new(codebook);
        let target_themes = |side: Side, plan: &Plan| -> Vec<(String, TargetItem)> {
            let mut out = Vec::new();
            for (item, is_goal) in plan
                .measures
                .iter()
                .map(|m| (m, false))
                .chain(plan.goals.iter().map(|g| (g, true)))
            {
                let mut seen: Vec<&str> = Vec::new();
                for target in &item.targets {
                    if seen.contains(&target.sentence.as_str()) {
                        continue;
                    }
                    seen.push(&target.sentence);
                    let key = crate::themes::match_key(&target.sentence);
                    let mut themes: Vec<String> = tagger
                        .tag("", &key)
                        .into_iter()
                        .map(|h| h.theme_id)
                        .collect();
                    if themes.is_empty() && !is_goal {
                        themes = measure_themes
                            .get(&(side, item.id.clone()))
                            .cloned()
                            .unwrap_or_default();
                    }
                    for theme_id in themes {
                        out.push((
                            theme_id,
                            TargetItem {
                                measure_id: item.id.clone(),
                                text: target.sentence.clone(),
                            },
                        ));
                    }
                }
            }
            out
        };
        let (left_targets, right_targets) = (
            target_themes(Side::Left, left_plan),
            target_themes(Side::Right, right_plan),
        );
        let of_theme = |all: &[(String, TargetItem)], theme_id: &str| -> Vec<TargetItem> {
            all.iter()
                .filter(|(t, _)| t == theme_id)
                .map(|(_, item)| item.clone())
                .collect()
        };
        let targets = codebook
            .themes()
            .map(|theme| TargetPair {
                theme_id: theme.id.clone(),
                left: of_theme(&left_targets, &theme.id),
                right: of_theme(&right_targets, &theme.id),
            })
            .filter(|pair| !pair.left.is_empty() && !pair.right.is_empty())
            .collect();
        let links = &alignment.links;
        let count = |pred: &dyn Fn(&Link) -> bool| links.iter().filter(|l| pred(l)).count();
        let summary = Summary {
            by_kind: [LinkKind::NearVerbatim, LinkKind::Refined, LinkKind::Related]
                .map(|kind| (kind, count(&|l| l.kind == kind))),
            by_status: [
                LinkStatus::Accepted,
                LinkStatus::Rejected,
                LinkStatus::Unreviewed,
            ]
            .map(|status| (status, count(&|l| l.status == status))),
            manual: count(&|l| l.origin == LinkOrigin::Manual),
            links: links.len(),
            measures: (left_plan.measures.len(), right_plan.measures.len()),
            unmatched: (
                alignment.unmatched_left.len(),
                alignment.unmatched_right.len(),
            ),
        };
        Some(Self {
            left: left_plan,
            right: right_plan,
            alignment,
            codebook,
            generated,
            settings: MatcherSettings::of(aligner),
            summary,
            coverage,
            targets,
            measure_themes,
            hand_tags: BTreeMap::new(),
        })
    }

    /// The report with the analyst's hand tags marked, and where each tag taken from a
    /// suggestion came from; `plans` are the loaded plans the origins are named from.
    #[must_use]
    pub fn with_hand_tags(mut self, tag_edits: &[TagEdit], plans: &[&Plan]) -> Self {
        let describe = |measure: &MeasureRef| -> String {
            let Some(plan) = plans.iter().find(|p| p.id == measure.plan_id) else {
                return format!("{} {}", measure.plan_id, measure.measure_id);
            };
            let label = plan
                .measure(&measure.measure_id)
                .map_or(measure.measure_id.as_str(), |m| m.label.as_str());
            format!("{} {label}", plan.short_label())
        };
        for edit in tag_edits.iter().filter(|e| e.added) {
            for side in Side::BOTH {
                if side.pick(self.left, self.right).id == edit.measure.plan_id {
                    self.hand_tags.insert(
                        (side, edit.measure.measure_id.clone(), edit.theme_id.clone()),
                        edit.carried_from.as_ref().map(describe),
                    );
                }
            }
        }
        self
    }

    /// A measure (or goal) of the plan on `side`.
    pub fn measure(&self, side: Side, id: &str) -> Option<&'a Measure> {
        let plan = side.pick(self.left, self.right);
        plan.measure(id)
            .or_else(|| plan.goals.iter().find(|g| g.id == id))
    }

    /// `label + title` of a measure, or its id when it is not in the plan.
    pub fn label_title(&self, side: Side, id: &str) -> String {
        self.measure(side, id)
            .map_or_else(|| id.to_owned(), |m| format!("{}{}", m.label, m.title))
    }

    /// Theme names (Chinese) of theme ids, joined with 、.
    pub fn theme_names(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| {
                self.codebook
                    .theme(id)
                    .map_or(id.as_str(), |t| t.zh.as_str())
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The themes a link's measures share, as names joined with 、; a theme either measure
    /// carries by hand is marked as [`Self::measure_theme_names`] marks it (the carried end's
    /// origin first).
    pub fn shared_theme_names(&self, link: &Link) -> String {
        link.shared_themes
            .iter()
            .map(|theme_id| {
                let name = self.theme_names(std::slice::from_ref(theme_id));
                let hand = |side: Side| {
                    self.hand_tags
                        .get(&(side, link.id(side).to_owned(), theme_id.clone()))
                };
                match (hand(Side::Left), hand(Side::Right)) {
                    (Some(Some(from)), _) | (_, Some(Some(from))) => {
                        format!("{name}（手工，自 {from}）")
                    }
                    (Some(None), _) | (_, Some(None)) => format!("{name}（手工）"),
                    (None, None) => name,
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    /// A measure's effective themes as names, joined with 、; hand tags are marked (手工), with
    /// where a tag taken from a suggestion came from (手工，自 …).
    pub fn measure_theme_names(&self, side: Side, id: &str) -> String {
        let Some(ids) = self.measure_themes.get(&(side, id.to_owned())) else {
            return String::new();
        };
        ids.iter()
            .map(|theme_id| {
                let name = self.theme_names(std::slice::from_ref(theme_id));
                match self.hand_tags.get(&(side, id.to_owned(), theme_id.clone())) {
                    None => name,
                    Some(None) => format!("{name}（手工）"),
                    Some(Some(from)) => format!("{name}（手工，自 {from}）"),
                }
            })
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The labels of measures, joined with spaces (e.g. `（三） （八）`).
    pub fn labels(&self, side: Side, ids: &[String]) -> String {
        ids.iter()
            .filter_map(|id| self.measure(side, id))
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Target items as lines: the measure's label, then the sentence.
    pub fn target_lines(&self, side: Side, items: &[TargetItem]) -> Vec<String> {
        items
            .iter()
            .map(|item| {
                let label = self
                    .measure(side, &item.measure_id)
                    .map_or("", |m| m.label.as_str());
                format!("{label}{}", item.text)
            })
            .collect()
    }

    /// Whether a theme's name is known; falls back to the id.
    pub fn theme_name(&self, id: &str) -> String {
        self.codebook
            .theme(id)
            .map_or_else(|| id.to_owned(), |t| t.zh.clone())
    }
}

/// A link kind in Chinese and English, for report headings.
pub fn kind_label(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::NearVerbatim => "照搬 near-verbatim",
        LinkKind::Refined => "细化 refined",
        LinkKind::Related => "调整 related",
    }
}

/// A link status in Chinese and English, for report headings.
pub fn status_label(status: LinkStatus) -> &'static str {
    match status {
        LinkStatus::Accepted => "已接受 accepted",
        LinkStatus::Rejected => "已拒绝 rejected",
        LinkStatus::Unreviewed => "未审核 unreviewed",
    }
}

/// What a report says about the matcher that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct MatcherSettings {
    /// The analyst's settings.
    pub config: AlignConfig,
    /// The probability from which a pair is a link.
    pub threshold: f64,
    /// What the model was fitted on.
    pub trained_on: Vec<String>,
    /// Its held-out (leave one pair out) mean F1.
    pub held_out_f1: f64,
}

impl MatcherSettings {
    /// The settings and model of an aligner.
    pub fn of(aligner: &Aligner<'_>) -> Self {
        Self {
            config: aligner.config().clone(),
            threshold: aligner.threshold(),
            trained_on: aligner.model().training.clone(),
            held_out_f1: aligner.model().cv.mean_f1,
        }
    }
}

/// The matcher's settings for a report's header, as (name, value) rows.
pub fn settings_facts(settings: &MatcherSettings) -> Vec<(&'static str, String)> {
    let traditional = if settings.config.fold_traditional {
        "按简体比较 compared as simplified"
    } else {
        "照原样比较 compared as written"
    };
    vec![
        (
            "关联阈值 Link threshold",
            format!("{:.0}%", 100.0 * settings.threshold),
        ),
        (
            "模型 Model",
            format!(
                "{} training pairs, held-out F1 {:.2}",
                settings.trained_on.len(),
                settings.held_out_f1
            ),
        ),
        ("繁体字 Traditional characters", traditional.to_owned()),
    ]
}

/// The matcher's settings in one line: `name value, name value, …`.
pub fn settings_line(settings: &MatcherSettings) -> String {
    settings_facts(settings)
        .into_iter()
        .map(|(name, value)| format!("{name} {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A plan's facts for a report's header, as (name, value) rows; empty when unknown.
pub fn plan_facts(plan: &Plan) -> Vec<(&'static str, String)> {
    let meta = &plan.meta;
    vec![
        ("标题 Title", meta.title.clone()),
        (
            "文号 Document number",
            meta.doc_number.clone().unwrap_or_default(),
        ),
        ("发文机关 Issuer", meta.issuer.clone().unwrap_or_default()),
        (
            "地区 Jurisdiction",
            meta.jurisdiction.name.clone().unwrap_or_default(),
        ),
        ("日期 Date", meta.date.map(|d| d.iso()).unwrap_or_default()),
        ("措施数 Measures", plan.measures.len().to_string()),
        (
            "来源 Source (sha256)",
            format!("{} ({})", plan.source.file_name, plan.source.sha256),
        ),
        ("格式 Format", plan.source.encoding.clone()),
        (
            "导入时间 Imported",
            plan.source.imported_at.clone().unwrap_or_default(),
        ),
    ]
}
