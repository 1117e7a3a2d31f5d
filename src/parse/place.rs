//! Whose plan it is: place names in the issuer, title, covering notice and page table matched
//! against the gazetteer, narrowed by the names before them (上海市普陀区), and names that stay
//! ambiguous (two 普陀区) resolved by the 文号 prefix and the places the text names.

use std::collections::BTreeSet;

use crate::gazetteer::{Division, gazetteer};
use crate::model::{Jurisdiction, Level, Warning};

use super::issuer;
use super::text::is_han;

/// Province abbreviations as 文号 start with them (沪府办发, 浙政发 …) → province code.
const PROVINCE_ABBREVIATIONS: &[(char, u32)] = &[
    ('京', 110000),
    ('津', 120000),
    ('冀', 130000),
    ('晋', 140000),
    ('蒙', 150000),
    ('辽', 210000),
    ('吉', 220000),
    ('黑', 230000),
    ('沪', 310000),
    ('苏', 320000),
    ('浙', 330000),
    ('皖', 340000),
    ('闽', 350000),
    ('赣', 360000),
    ('鲁', 370000),
    ('豫', 410000),
    ('鄂', 420000),
    ('湘', 430000),
    ('粤', 440000),
    ('桂', 450000),
    ('琼', 460000),
    ('渝', 500000),
    ('川', 510000),
    ('蜀', 510000),
    ('贵', 520000),
    ('黔', 520000),
    ('云', 530000),
    ('滇', 530000),
    ('藏', 540000),
    ('陕', 610000),
    ('秦', 610000),
    ('甘', 620000),
    ('陇', 620000),
    ('青', 630000),
    ('宁', 640000),
    ('新', 650000),
];

/// Cities' abbreviations in 文号 that are not the first character of their names (甬政办发 is
/// 宁波's) → prefecture code.
const CITY_ABBREVIATIONS: &[(char, u32)] = &[
    ('甬', 330200),
    ('禾', 330400),
    ('婺', 330700),
    ('瓯', 330300),
    ('锡', 320200),
    ('榕', 350100),
    ('鹭', 350200),
    ('穗', 440100),
    ('莞', 441900),
    ('蓉', 510100),
    ('筑', 520100),
    ('邕', 450100),
    ('汴', 410200),
    ('宛', 411300),
    ('并', 140100),
];

/// The name given to a national document's jurisdiction.
pub const NATIONAL: &str = "全国";

/// What a source says about a place, in its matching key form.
#[derive(Clone, Debug, Default)]
pub struct Sources<'a> {
    /// The issuer's organs, in order (中共杭州市委, 杭州市人民政府).
    pub organs: Vec<String>,
    /// The plan's title.
    pub title: &'a str,
    /// Front-matter lines of the covering notice (…关于印发…的通知).
    pub notices: Vec<&'a str>,
    /// Page table values: 名称, 标题, 发文机关 ….
    pub table: Vec<&'a str>,
    /// The 文号.
    pub doc_number: Option<&'a str>,
    /// The whole text, for places that tell two namesakes apart.
    pub text: &'a str,
}

/// One place of a chain: the divisions the name may be, or a name the gazetteer lacks.
#[derive(Clone, Debug)]
enum Step {
    Known { written: String, codes: Vec<u32> },
    Unknown { name: String, level: Level },
}

/// The jurisdiction, and a warning when its name stays ambiguous.
pub fn find_jurisdiction(sources: &Sources<'_>) -> (Jurisdiction, Option<Warning>) {
    let organ_keys: Vec<&str> = sources.organs.iter().map(String::as_str).collect();
    let mut chains: Vec<Vec<Step>> = Vec::new();
    for organ in &organ_keys {
        chains.push(chain(issuer::without_party_prefix(organ), true));
    }
    let title = strip_title_prefix(sources.title);
    let title_chain = chain(title, false);
    let notice_chains: Vec<Vec<Step>> = sources
        .notices
        .iter()
        .map(|notice| chain(issuer::without_party_prefix(strip_doc_number(notice)), true))
        .collect();
    let table_chains: Vec<Vec<Step>> = sources
        .table
        .iter()
        .map(|value| chain(issuer::without_party_prefix(value), true))
        .collect();

    let national_issuer = organ_keys
        .first()
        .is_some_and(|organ| issuer::is_national_organ(organ));
    let national_number = sources.doc_number.is_some_and(is_national_doc_number);
    let chosen: Option<&Vec<Step>> = if national_issuer {
        None
    } else {
        chains.iter().find(|chain| !chain.is_empty())
    };
    let chosen = match chosen {
        Some(chain) => Some(chain.clone()),
        None if national_issuer || national_number => return (national(), None),
        None => std::iter::once(&title_chain)
            .chain(&notice_chains)
            .chain(&table_chains)
            .find(|chain| !chain.is_empty())
            .cloned()
            .or_else(|| mention_in_title(title))
            .or_else(|| province_of_doc_number(sources.doc_number)),
    };
    let Some(chain) = chosen else {
        let national_title = ["国家", "全国", "国务院", "中共中央"]
            .iter()
            .any(|start| title.starts_with(start));
        return if national_title {
            (national(), None)
        } else {
            (Jurisdiction::default(), None)
        };
    };
    let all_chains: Vec<&Vec<Step>> = chains
        .iter()
        .chain(std::iter::once(&title_chain))
        .chain(&notice_chains)
        .chain(&table_chains)
        .collect();
    resolve(&chain, &all_chains, sources)
}

fn national() -> Jurisdiction {
    Jurisdiction {
        name: Some(NATIONAL.to_owned()),
        level: Some(Level::National),
        ..Jurisdiction::default()
    }
}

/// 国办发, 国发, 国市监质发 …: a 文号 of the State Council or a national ministry.
fn is_national_doc_number(number: &str) -> bool {
    number.starts_with('国') && !number.starts_with("国资")
}

/// The title without a leading year (2023年) or a bracketed tag (【草案全文】, [政策解读]).
pub fn strip_title_prefix(key: &str) -> &str {
    let mut rest = key.trim();
    if rest.starts_with('[') {
        if let Some(end) = rest.find(']') {
            if rest.get(..end).is_some_and(|tag| tag.chars().count() <= 10) {
                rest = rest.get(end + 1..).unwrap_or_default().trim_start();
            }
        }
    }
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    if digits == 4 {
        let after = rest.get(4..).unwrap_or_default().trim_start();
        if let Some(after) = after.strip_prefix('年') {
            rest = after.strip_prefix('度').unwrap_or(after);
        }
    }
    rest
}

/// A 文号 at the start of a notice line (沪府办发〔2016〕31号…) is dropped.
fn strip_doc_number(key: &str) -> &str {
    key.find('号')
        .filter(|&at| {
            key.get(..at)
                .is_some_and(|head| head.contains('〔') || head.contains('['))
        })
        .and_then(|at| key.get(at + '号'.len_utf8()..))
        .unwrap_or(key)
}

/// Place names at the start of `key`: 上海市静安区… → [上海市, 静安区], each narrowed to the
/// divisions within the one before. A name the gazetteer lacks is taken after a known place
/// (a district newer than the table), as a placeholder (某市), or, in an organ's name, right
/// before 人民政府 / 政府 / 委 (钱塘区人民政府).
fn chain(key: &str, organ: bool) -> Vec<Step> {
    let g = gazetteer();
    let mut steps: Vec<Step> = Vec::new();
    let mut rest = key.trim();
    loop {
        if let Some((length, found)) = g.name_at(rest) {
            let full: Vec<u32> = found
                .iter()
                .filter(|(_, short)| !short)
                .map(|(d, _)| d.code)
                .collect();
            let mut codes = if full.is_empty() {
                found.iter().map(|(d, _)| d.code).collect()
            } else {
                full
            };
            if let Some(Step::Known { codes: outer, .. }) = steps.last() {
                codes.retain(|&code| outer.iter().any(|&o| o != code && g.is_within(code, o)));
            }
            if codes.is_empty() {
                break;
            }
            steps.push(Step::Known {
                written: rest.get(..length).unwrap_or_default().to_owned(),
                codes,
            });
            rest = rest.get(length..).unwrap_or_default();
            continue;
        }
        let after_known = matches!(steps.last(), Some(Step::Known { .. }));
        let Some((name, level, used)) = unlisted_place_at(rest) else {
            break;
        };
        let after = rest.get(used..).unwrap_or_default();
        let placeholder = name.chars().any(is_placeholder);
        let before_government = organ
            && ["人民政府", "政府", "委", "党委"]
                .iter()
                .any(|word| after.starts_with(word));
        if !(placeholder || after_known || (steps.is_empty() && before_government)) {
            break;
        }
        steps.push(Step::Unknown { name, level });
        rest = after;
    }
    steps
}

fn is_placeholder(c: char) -> bool {
    matches!(c, '某' | 'X' | 'x' | '×' | '*' | '○')
}

/// A place name the gazetteer does not list, by its suffix: 某市, X区, 钱塘区.
fn unlisted_place_at(key: &str) -> Option<(String, Level, usize)> {
    const SUFFIXES: &[(&str, Level)] = &[
        ("自治区", Level::Provincial),
        ("自治州", Level::Municipal),
        ("自治县", Level::County),
        ("新区", Level::District),
        ("省", Level::Provincial),
        ("市", Level::Municipal),
        ("区", Level::District),
        ("县", Level::County),
        ("旗", Level::County),
        ("盟", Level::Municipal),
    ];
    /// Characters of organs and policy words, never of a place name.
    const NOT_IN_NAMES: &str = "委政府局办质量强共党部厅组会院监管工作发展全本各我该";
    let chars: Vec<char> = key.chars().collect();
    for name_len in 1..=4 {
        let name = chars.get(..name_len)?;
        let placeholder = name.iter().all(|c| is_placeholder(*c));
        let han = name
            .iter()
            .all(|c| is_han(*c) && !NOT_IN_NAMES.contains(*c));
        if !(placeholder || han) {
            return None;
        }
        if name_len == 1 && !placeholder {
            continue;
        }
        let after: String = chars.iter().skip(name_len).take(3).collect();
        for (suffix, level) in SUFFIXES {
            if after.starts_with(suffix) {
                let used = name_len + suffix.chars().count();
                let full: String = chars.iter().take(used).collect();
                let bytes = full.len();
                return Some((full, *level, bytes));
            }
        }
    }
    None
}

/// The first place named anywhere in the title outside 《》 (质量强国建设纲要嘉定行动方案):
/// official names before short forms.
fn mention_in_title(title: &str) -> Option<Vec<Step>> {
    let quoted = quoted_ranges(title);
    let mentions: Vec<_> = gazetteer()
        .mentions(title)
        .into_iter()
        .filter(|m| {
            !quoted
                .iter()
                .any(|(start, end)| m.start >= *start && m.end <= *end)
        })
        .collect();
    let mention = mentions
        .iter()
        .find(|m| !m.short)
        .or_else(|| mentions.first())?;
    Some(vec![Step::Known {
        written: title.get(mention.start..mention.end)?.to_owned(),
        codes: mention.codes.clone(),
    }])
}

/// Byte ranges inside 《…》 (outermost), for names of other documents.
fn quoted_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, ch) in text.char_indices() {
        match ch {
            '《' => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
            }
            '》' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    ranges.push((start, at + ch.len_utf8()));
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        ranges.push((start, text.len()));
    }
    ranges
}

/// 沪府发 → 上海市, as a last resort: a 文号 starting with a province's abbreviation and 府,
/// 政 or 委 is that province's.
fn province_of_doc_number(number: Option<&str>) -> Option<Vec<Step>> {
    let mut chars = number?.chars();
    let first = chars.next()?;
    let second = chars.next()?;
    if !matches!(second, '府' | '政' | '委' | '发' | '办') {
        return None;
    }
    let code = PROVINCE_ABBREVIATIONS
        .iter()
        .find(|(abbreviation, _)| *abbreviation == first)?
        .1;
    let division = gazetteer().by_code(code)?;
    Some(vec![Step::Known {
        written: division.name.to_owned(),
        codes: vec![code],
    }])
}

/// The last place of the chosen chain, with its namesakes told apart where the text allows.
fn resolve(
    chain: &[Step],
    all_chains: &[&Vec<Step>],
    sources: &Sources<'_>,
) -> (Jurisdiction, Option<Warning>) {
    let g = gazetteer();
    let Some(last) = chain.last() else {
        return (Jurisdiction::default(), None);
    };
    let (written, mut codes) = match last {
        Step::Unknown { name, level } => {
            let parent = chain.iter().rev().nth(1).and_then(|step| match step {
                Step::Known { codes, .. } if codes.len() == 1 => codes
                    .first()
                    .and_then(|&c| g.by_code(c))
                    .map(|d| d.name.to_owned()),
                Step::Known { written, .. } => Some(written.clone()),
                Step::Unknown { name, .. } => Some(name.clone()),
            });
            let jurisdiction = Jurisdiction {
                name: Some(name.clone()),
                level: Some(*level),
                parent,
                code: None,
            };
            return (jurisdiction, None);
        }
        Step::Known { written, codes } => (written.clone(), codes.clone()),
    };
    if codes.len() > 1 {
        codes = narrow_by_other_chains(&codes, all_chains);
    }
    if codes.len() > 1 {
        codes = narrow_by_doc_number(&codes, sources.doc_number);
    }
    if codes.len() > 1 {
        codes = narrow_by_mentions(&codes, sources.text);
    }
    let divisions: Vec<&Division> = codes.iter().filter_map(|&c| g.by_code(c)).collect();
    match divisions.as_slice() {
        [division] => (of_division(division), None),
        [] => (Jurisdiction::default(), None),
        many => {
            let levels: BTreeSet<Level> = many.iter().map(|d| Level::of_division(d)).collect();
            let names: BTreeSet<&str> = many.iter().map(|d| d.name).collect();
            let name = match names.iter().next() {
                Some(name) if names.len() == 1 => (*name).to_owned(),
                _ => written.clone(),
            };
            let places: Vec<String> = many
                .iter()
                .map(|d| {
                    g.lineage(d.code)
                        .iter()
                        .map(|step| step.name)
                        .collect::<String>()
                })
                .collect();
            let warning = Warning {
                code: "ambiguous_jurisdiction".to_owned(),
                message: format!(
                    "{written} may be any of {}; the text does not say which",
                    places.join(", ")
                ),
                line: None,
            };
            let jurisdiction = Jurisdiction {
                name: Some(name),
                level: (levels.len() == 1)
                    .then(|| levels.first().copied())
                    .flatten(),
                ..Jurisdiction::default()
            };
            (jurisdiction, Some(warning))
        }
    }
}

/// The jurisdiction of a known division: official name, level, parent and code.
pub fn of_division(division: &Division) -> Jurisdiction {
    Jurisdiction {
        name: Some(division.name.to_owned()),
        level: Some(Level::of_division(division)),
        parent: gazetteer()
            .parent(division.code)
            .map(|parent| parent.name.to_owned()),
        code: Some(division.code_text()),
    }
}

/// Keeps the candidates another source places: a chain that names one of them with its parent
/// (上海市普陀区), or names a place one of them lies in.
fn narrow_by_other_chains(codes: &[u32], all_chains: &[&Vec<Step>]) -> Vec<u32> {
    let g = gazetteer();
    let settled: Vec<u32> = all_chains
        .iter()
        .flat_map(|chain| chain.iter())
        .filter_map(|step| match step {
            Step::Known { codes, .. } if codes.len() == 1 => codes.first().copied(),
            _ => None,
        })
        .collect();
    keep_if_narrower(codes, |code| {
        settled
            .iter()
            .any(|&place| place == code || g.is_within(code, place))
    })
}

/// Keeps the candidates in the province or city the 文号 starts with (沪 → 上海市, 甬 → 宁波市),
/// or under the prefecture whose first character it starts with (舟 → 舟山市).
fn narrow_by_doc_number(codes: &[u32], number: Option<&str>) -> Vec<u32> {
    let g = gazetteer();
    let Some(first) = number.and_then(|n| n.chars().next()) else {
        return codes.to_vec();
    };
    let province = PROVINCE_ABBREVIATIONS
        .iter()
        .find(|(abbreviation, _)| *abbreviation == first)
        .map(|(_, code)| *code);
    let city = CITY_ABBREVIATIONS
        .iter()
        .find(|(abbreviation, _)| *abbreviation == first)
        .map(|(_, code)| *code);
    for place in [province, city].into_iter().flatten() {
        let narrowed = keep_if_narrower(codes, |code| g.is_within(code, place));
        if narrowed.len() < codes.len() {
            return narrowed;
        }
    }
    keep_if_narrower(codes, |code| {
        g.lineage(code)
            .iter()
            .filter(|d| d.code != code)
            .any(|d| d.name.starts_with(first))
    })
}

/// Keeps the candidate whose enclosing places the text names most often (上海 in a plan of
/// Shanghai's 普陀区), when one is named more often than the others.
fn narrow_by_mentions(codes: &[u32], text: &str) -> Vec<u32> {
    let g = gazetteer();
    let mentions = g.mentions(text);
    let counts: Vec<usize> = codes
        .iter()
        .map(|&code| {
            let ancestors: Vec<u32> = g
                .lineage(code)
                .iter()
                .map(|d| d.code)
                .filter(|&c| c != code)
                .collect();
            mentions
                .iter()
                .filter(|m| m.codes.iter().any(|c| ancestors.contains(c)))
                .filter(|m| !m.codes.iter().any(|c| codes.contains(c)))
                .count()
        })
        .collect();
    let Some(&best) = counts.iter().max() else {
        return codes.to_vec();
    };
    if best == 0 || counts.iter().filter(|&&count| count == best).count() > 1 {
        return codes.to_vec();
    }
    codes
        .iter()
        .zip(&counts)
        .filter(|&(_, &count)| count == best)
        .map(|(&code, _)| code)
        .collect()
}

/// The codes that pass, if some but not all do; else all of them.
fn keep_if_narrower(codes: &[u32], keep: impl Fn(u32) -> bool) -> Vec<u32> {
    let kept: Vec<u32> = codes.iter().copied().filter(|&code| keep(code)).collect();
    if kept.is_empty() {
        codes.to_vec()
    } else {
        kept
    }
}

/// The level a title's programme is about when it is below the issuer's: 质量强县 in a national
/// document, 质量强市 in a province's.
pub fn subject_level(title: &str, own: Option<Level>) -> Option<Level> {
    let own = own?;
    let quoted = quoted_ranges(title);
    let level = title.match_indices('强').find_map(|(at, _)| {
        if quoted.iter().any(|(start, end)| at >= *start && at < *end) {
            return None;
        }
        let before = title.get(..at)?.chars().next_back()?;
        let after = title.get(at + '强'.len_utf8()..)?.chars().next()?;
        if !is_han(before) {
            return None;
        }
        match after {
            '省' => Some(Level::Provincial),
            '市' => Some(Level::Municipal),
            '区' => Some(Level::District),
            '县' => Some(Level::County),
            _ => None,
        }
    })?;
    (level.tier() > own.tier()).then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jurisdiction(title: &str, organs: &[&str]) -> Jurisdiction {
        let sources = Sources {
            organs: organs.iter().map(|o| (*o).to_owned()).collect(),
            title,
            ..Sources::default()
        };
        find_jurisdiction(&sources).0
    }

    #[test]
    fn places_and_levels() {
        let j = jurisdiction("2023年上海市静安区质量工作要点", &[]);
        assert_eq!(j.name.as_deref(), Some("静安区"));
        assert_eq!(j.parent.as_deref(), Some("上海市"));
        assert_eq!(j.level, Some(Level::District));
        assert_eq!(j.code.as_deref(), Some("310106"));
        let j = jurisdiction(
            "质量强国建设纲要嘉定行动方案",
            &["上海市嘉定区人民政府办公室"],
        );
        assert_eq!(j.name.as_deref(), Some("嘉定区"));
        let j = jurisdiction("质量强国建设纲要嘉定行动方案", &[]);
        assert_eq!(j.name.as_deref(), Some("嘉定区"));
        let j = jurisdiction("某市人民政府关于实施质量强市战略的意见", &["某市人民政府"]);
        assert_eq!(
            (j.name.as_deref(), j.level),
            (Some("某市"), Some(Level::Municipal))
        );
        let j = jurisdiction("浙江省湖州市长兴县质量提升行动方案", &[]);
        assert_eq!(j.name.as_deref(), Some("长兴县"));
        assert_eq!(j.parent.as_deref(), Some("湖州市"));
        assert_eq!(jurisdiction("全市质量工作要点", &[]).name, None);
        let j = jurisdiction(
            "中共杭州市委杭州市人民政府关于开展质量提升行动的实施意见",
            &["中共杭州市委", "杭州市人民政府"],
        );
        assert_eq!(j.name.as_deref(), Some("杭州市"));
        assert_eq!(j.parent.as_deref(), Some("浙江省"));
        assert_eq!(j.level, Some(Level::Municipal));
        let j = jurisdiction("质量强县(区、镇)培育建设工作方案", &["市场监管总局"]);
        assert_eq!(j.name.as_deref(), Some(NATIONAL));
        assert_eq!(j.level, Some(Level::National));
        let j = jurisdiction("上海市质量发展三年行动计划(2016-2018年)", &[]);
        assert_eq!((j.level, j.parent), (Some(Level::Municipal), None));
    }

    #[test]
    fn namesakes_told_apart() {
        let sources = Sources {
            title: "[草案全文]普陀区质量提升三年行动计划(2021-2023年)",
            text: "为贯彻落实《上海市质量提升三年行动计划》，结合本区实际，上海",
            ..Sources::default()
        };
        let (j, warning) = find_jurisdiction(&sources);
        assert_eq!(j.code.as_deref(), Some("310107"));
        assert_eq!(j.parent.as_deref(), Some("上海市"));
        assert!(warning.is_none());
        let sources = Sources {
            title: "普陀区质量提升三年行动计划",
            doc_number: Some("舟普政办发〔2021〕3号"),
            ..Sources::default()
        };
        assert_eq!(
            find_jurisdiction(&sources).0.parent.as_deref(),
            Some("舟山市")
        );
        let sources = Sources {
            title: "鼓楼区质量工作要点",
            ..Sources::default()
        };
        let (j, warning) = find_jurisdiction(&sources);
        assert_eq!(j.name.as_deref(), Some("鼓楼区"));
        assert_eq!(j.code, None);
        assert_eq!(j.level, Some(Level::District));
        assert!(warning.is_some());
    }

    #[test]
    fn subject_levels() {
        assert_eq!(
            subject_level("质量强县(区、镇)培育建设工作方案", Some(Level::National)),
            Some(Level::County)
        );
        assert_eq!(
            subject_level(
                "某市人民政府关于实施质量强市战略的意见",
                Some(Level::Municipal)
            ),
            None
        );
        assert_eq!(
            subject_level(
                "关于贯彻《质量强国建设纲要》的意见",
                Some(Level::Provincial)
            ),
            None
        );
    }
}
