//! The domain vocabulary: a parsed plan, its metadata, sections, measures, agencies and targets.
//!
//! Everything here is plain data (serde, no behaviour beyond small accessors), so the parser,
//! the aligner, the reports and the app all speak about the same things.

mod agency;
mod link;
mod side;
mod target;

pub use agency::Agency;
pub use link::{LinkDecision, LinkKind, LinkOrigin, LinkStatus, MeasureRef, TagEdit};
pub use side::Side;
pub use target::{Target, TargetKind};

use serde::{Deserialize, Serialize};

use crate::gazetteer::{self, Division, Rank};

/// A parsed plan: metadata, its numbered outline, and the measures, goals and guarantees in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Plan {
    /// Stable identifier, derived from the source file name (e.g. `jingan-2023-quality-work-points`).
    pub id: String,
    /// Title, issuer, 文号, date, jurisdiction, period, kind.
    pub meta: Meta,
    /// Text between the title and the first numbered item (the plan's own introduction).
    pub preamble: String,
    /// The numbered outline as a tree; leaves point at items by id.
    pub sections: Vec<Section>,
    /// The plan's measures (tasks), in document order.
    pub measures: Vec<Measure>,
    /// Guiding ideas and targets (指导思想, 总体目标, 主要目标 …), in document order.
    pub goals: Vec<Measure>,
    /// Guarantees and work requirements (保障措施, 工作要求, 组织保障 …), in document order.
    pub guarantees: Vec<Measure>,
    /// Oddities found while parsing (numbering gaps, duplicate ordinals, missing date …).
    pub warnings: Vec<Warning>,
    /// Where the plan came from: file name, hash, import time, original text.
    pub source: Source,
}

impl Plan {
    /// The measure with this id, if any.
    pub fn measure(&self, measure_id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == measure_id)
    }

    /// Every item of the plan (measures, goals, guarantees) in no particular order.
    pub fn all_items_unsorted(&self) -> impl Iterator<Item = &Measure> {
        self.measures
            .iter()
            .chain(self.goals.iter())
            .chain(self.guarantees.iter())
    }

    /// A label that tells plans apart in a column header: jurisdiction, year and kind, e.g.
    /// `上海市 2021 工作要点`; long official names give way to their short form (宁夏 for
    /// 宁夏回族自治区); the title stands in for an unknown jurisdiction.
    pub fn short_label(&self) -> String {
        let meta = &self.meta;
        let place = meta.jurisdiction.label_name().unwrap_or_else(|| {
            let title: String = meta.title.chars().take(12).collect();
            if title.is_empty() {
                self.id.clone()
            } else {
                title
            }
        });
        // The year a plan is known by: its first year, else the year it was issued, else the
        // year it runs to.
        let year = meta
            .period
            .start
            .or(meta.date.map(|d| d.year))
            .or(meta.period.end);
        match year {
            Some(year) => format!("{place} {year} {}", meta.kind.zh()),
            None => format!("{place} {}", meta.kind.zh()),
        }
    }

    /// A short human label: title with jurisdiction level and measure count.
    pub fn summary_line(&self) -> String {
        format!(
            "{} — {} {}, {} measures",
            self.meta.title,
            self.meta.jurisdiction.name.as_deref().unwrap_or("?"),
            self.meta
                .jurisdiction
                .level
                .map_or("unknown level", Level::as_str),
            self.measures.len()
        )
    }
}

/// Document metadata taken from the text itself (and from page metadata tables).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meta {
    /// The plan's own title line (not the covering notice's).
    pub title: String,
    /// Issuing body, e.g. 上海市人民政府办公厅; `None` when the text does not say.
    pub issuer: Option<String>,
    /// 文号 as written, brackets normalised to 〔〕, e.g. 沪府办发〔2016〕31号.
    pub doc_number: Option<String>,
    /// Issue date.
    pub date: Option<Date>,
    /// Whose plan it is.
    pub jurisdiction: Jurisdiction,
    /// The years the plan covers.
    pub period: Period,
    /// Action plan, work points, opinion …
    pub kind: PlanKind,
    /// The level the document is about when it is not its own: `County` for a national
    /// programme of 质量强县 (the jurisdiction stays national); `None` otherwise.
    pub subject_level: Option<Level>,
}

/// A calendar date (no time zone; plans are dated by day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    /// Year, e.g. 2016.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// A date if the parts form a real calendar day.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=2200).contains(&year) && (1..=days_in_month).contains(&day)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// ISO form, `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Whose plan: name, administrative level, enclosing jurisdiction and division code.
///
/// A national document's jurisdiction is named 全国 (level national, no code): the word plans
/// use for the whole country (全国质量工作要点), short enough for a column header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Jurisdiction {
    /// E.g. 静安区, 上海市, 全国, 某市 (official names from the gazetteer where known).
    pub name: Option<String>,
    /// Administrative level.
    pub level: Option<Level>,
    /// Enclosing jurisdiction, e.g. 上海市 for 静安区: from the gazetteer when the division is
    /// known, else as the text names it; `None` for a province-level division.
    pub parent: Option<String>,
    /// GB/T 2260 division code, e.g. `310106` for 静安区; `None` when the division is not
    /// known (a placeholder such as 某市, a name left ambiguous, a national document).
    pub code: Option<String>,
}

/// One division of a jurisdiction's chain: its name and, when known, its code.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceStep {
    /// E.g. 上海市.
    pub name: String,
    /// E.g. `310000`.
    pub code: Option<String>,
}

impl Jurisdiction {
    /// The gazetteer's division for [`Self::code`].
    pub fn division(&self) -> Option<&'static Division> {
        gazetteer::gazetteer().by_code_text(self.code.as_deref()?)
    }

    /// The chain from the province down to this jurisdiction, e.g. 上海市 › 静安区 with codes;
    /// from the gazetteer when the code is known, else the parent and name as written.
    pub fn lineage(&self) -> Vec<PlaceStep> {
        if let Some(division) = self.division() {
            return gazetteer::gazetteer()
                .lineage(division.code)
                .into_iter()
                .map(|d| PlaceStep {
                    name: d.name.to_owned(),
                    code: Some(d.code_text()),
                })
                .collect();
        }
        [&self.parent, &self.name]
            .into_iter()
            .flatten()
            .map(|name| PlaceStep {
                name: name.clone(),
                code: None,
            })
            .collect()
    }

    /// The names of [`Self::lineage`], e.g. `["上海市", "静安区"]`.
    pub fn lineage_names(&self) -> Vec<String> {
        self.lineage().into_iter().map(|step| step.name).collect()
    }

    /// The name for a label: a known division's short form when its name is long (宁夏 for
    /// 宁夏回族自治区, 黔东南 for 黔东南苗族侗族自治州), else the name.
    pub fn label_name(&self) -> Option<String> {
        let name = self.name.as_ref()?;
        match self.division() {
            Some(division) if name.chars().count() > 4 => Some(division.short_name().to_owned()),
            _ => Some(name.clone()),
        }
    }
}

/// Administrative level of a jurisdiction or agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 国家 / 国务院.
    National,
    /// 省, 自治区.
    Provincial,
    /// 市 (including province-level municipalities such as Shanghai).
    Municipal,
    /// 区.
    District,
    /// 县, 旗.
    County,
}

impl Level {
    /// The level of a division: provinces and autonomous regions provincial; the four
    /// municipalities (上海市 …) and prefectures municipal; county-level units with 区 in the
    /// name districts, the others (县, 县级市, 旗) counties.
    pub fn of_division(division: &Division) -> Self {
        match division.rank() {
            Rank::Province if division.is_municipality() => Self::Municipal,
            Rank::Province => Self::Provincial,
            Rank::Prefecture => Self::Municipal,
            Rank::County if division.name.ends_with('区') => Self::District,
            Rank::County => Self::County,
        }
    }

    /// Rank for comparing levels: national 0, provincial 1, municipal 2, district and county 3.
    pub fn tier(self) -> u8 {
        match self {
            Self::National => 0,
            Self::Provincial => 1,
            Self::Municipal => 2,
            Self::District | Self::County => 3,
        }
    }

    /// The snake_case name used in JSON and RON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Provincial => "provincial",
            Self::Municipal => "municipal",
            Self::District => "district",
            Self::County => "county",
        }
    }
}

/// The years a plan covers; either end may be unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Period {
    /// First year covered.
    pub start: Option<i32>,
    /// Last year covered (or the target year of 到2025年).
    pub end: Option<i32>,
}

/// The genre of a plan document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 行动计划 / 行动方案: a multi-year action plan.
    ActionPlan,
    /// 工作要点: the year's numbered tasks.
    WorkPoints,
    /// 意见 / 实施意见.
    Opinion,
    /// 实施方案.
    ImplementationPlan,
    /// Anything else (规划, 纲要, 决定 …).
    #[default]
    Other,
}

impl PlanKind {
    /// The snake_case name used in JSON and RON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ActionPlan => "action_plan",
            Self::WorkPoints => "work_points",
            Self::Opinion => "opinion",
            Self::ImplementationPlan => "implementation_plan",
            Self::Other => "other",
        }
    }

    /// The Chinese name of the genre, e.g. 工作要点.
    pub fn zh(self) -> &'static str {
        match self {
            Self::ActionPlan => "行动计划",
            Self::WorkPoints => "工作要点",
            Self::Opinion => "意见",
            Self::ImplementationPlan => "实施方案",
            Self::Other => "规划",
        }
    }
}

/// What a numbered item is: a measure, a goal or a guarantee.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A task of the plan, usually with responsible agencies.
    #[default]
    Measure,
    /// Guiding ideas, overall or main targets.
    Goal,
    /// Guarantees, work requirements, organisational safeguards.
    Guarantee,
}

/// A numbered heading of the outline with its children.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Section {
    /// The label as written, e.g. 二、 or （一）.
    pub label: String,
    /// The number of the label, e.g. 2.
    pub ordinal: u32,
    /// Heading text after the label.
    pub title: String,
    /// Introductory text under the heading, before the first child.
    pub intro: String,
    /// Sub-sections, in document order.
    pub children: Vec<Section>,
    /// Ids of the items directly under this section, in document order.
    pub item_ids: Vec<String>,
}

/// A numbered item of a plan: a measure, or (same shape) a goal or guarantee.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Measure {
    /// Stable id: `m15` for measures (`g`/`s` for goals and guarantees); path-qualified
    /// (`m2.1.3`) when ordinals repeat. Re-importing the same text yields the same ids.
    pub id: String,
    /// Measure, goal or guarantee.
    pub kind: ItemKind,
    /// Label as written, e.g. （十五） or 15.
    pub label: String,
    /// The label's number, e.g. 15.
    pub ordinal: u32,
    /// Ordinals of the enclosing sections, outermost first.
    pub path: Vec<u32>,
    /// Lead phrase: the heading sentence, or the first clause.
    pub title: String,
    /// Full text, joined across broken lines; paragraphs separated by `\n`; without the
    /// trailing agency parenthesis.
    pub text: String,
    /// Lead (or responsible) agencies.
    pub lead_units: Vec<Agency>,
    /// Cooperating agencies (配合单位).
    pub support_units: Vec<Agency>,
    /// The agency parenthesis as written, e.g. `责任部门：市质量技监局`.
    pub units_note: Option<String>,
    /// Quantitative targets in the text.
    pub targets: Vec<Target>,
    /// 1-based line of the label in the source text.
    pub line: usize,
}

/// Something odd the parser noticed; the plan is still usable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Machine-readable code, e.g. `numbering_gap`.
    pub code: String,
    /// One-line human explanation.
    pub message: String,
    /// 1-based source line, when it points at one.
    pub line: Option<usize>,
}

/// Provenance of a plan: the file it came from and its original text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Source {
    /// File name (no directory), e.g. `jingan-2023-quality-work-points.txt`.
    pub file_name: String,
    /// sha256 of the original bytes, lower-case hex.
    pub sha256: String,
    /// Size of the original bytes.
    pub num_bytes: usize,
    /// Encoding the bytes were decoded from, e.g. `UTF-8`, `GBK`.
    pub encoding: String,
    /// Import time, RFC 3339 UTC; `None` for plans parsed in memory.
    pub imported_at: Option<String>,
    /// The decoded original text.
    pub text: String,
}
