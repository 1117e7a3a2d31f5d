//! Responsible agencies from the trailing parenthesis of a measure, in all the phrasings plans use:
//! 责任部门：…, 责任部门和单位：…, 牵头单位：…，配合单位：…, （市…、市…负责）, （区…按照职责分工实施）.

use crate::model::{Agency, Level};

use super::text::key_of;

/// Labels that open a list of lead (responsible) agencies.
const LEAD_KEYS: &[&str] = &[
    "责任部门和单位",
    "责任单位和部门",
    "牵头部门和单位",
    "责任部门",
    "责任单位",
    "牵头单位",
    "牵头部门",
    "主责单位",
    "主责部门",
    "负责单位",
    "负责部门",
    "实施单位",
    "责任主体",
];

/// Labels that open a list of cooperating agencies.
const SUPPORT_KEYS: &[&str] = &[
    "配合单位",
    "配合部门",
    "协同单位",
    "协同部门",
    "协办单位",
    "参与单位",
    "参与部门",
];

/// Closing phrases of an agency list, longest first.
const TAIL_PHRASES: &[&str] = &[
    "按照职责分工实施",
    "按照职责分工负责",
    "按照职责分工落实",
    "按职责分工负责",
    "按职责分工落实",
    "按职责分工实施",
    "根据职责分工负责",
    "分工负责",
    "共同负责",
    "分别负责",
    "负责",
    "牵头",
    "落实",
    "等",
];

/// Endings of agency names, to recognise a bare list such as （市经信委、市商务委）.
const AGENCY_ENDINGS: &[&str] = &[
    "局",
    "委",
    "办",
    "部",
    "厅",
    "院",
    "会",
    "政府",
    "中心",
    "公司",
    "单位",
    "小组",
    "办公室",
    "街镇",
    "街道",
    "镇",
    "分局",
    "海关",
    "团委",
    "法院",
    "协会",
    "联合会",
    "工会",
    "妇联",
    "部门",
    "管委会",
    "集团",
    "银行",
    "学校",
    "党校",
    "机构",
    "社团",
];

/// The agencies of a measure and its text without the agency parenthesis.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitSplit {
    /// The text before the parenthesis, trimmed.
    pub text: String,
    /// The parenthesis content as written.
    pub note: Option<String>,
    /// Lead or responsible agencies.
    pub lead_units: Vec<Agency>,
    /// Cooperating agencies.
    pub support_units: Vec<Agency>,
}

/// Splits a trailing agency parenthesis off `text` and parses it. `place_names` are the plan's
/// own place names (静安区, 静安 …), removed when computing agency types.
pub fn split_units(text: &str, place_names: &[String]) -> UnitSplit {
    let no_units = || UnitSplit {
        text: text.trim().to_owned(),
        ..UnitSplit::default()
    };
    let Some((before, inside)) = trailing_parenthesis(text).or_else(|| trailing_unit_lines(text))
    else {
        return no_units();
    };
    if !looks_like_units(&inside) {
        return no_units();
    }
    let (lead_units, support_units) = parse_units(&inside, place_names);
    if lead_units.is_empty() && support_units.is_empty() {
        return no_units();
    }
    UnitSplit {
        text: before.trim_end().to_owned(),
        note: Some(inside.trim().to_owned()),
        lead_units,
        support_units,
    }
}

/// `(before, labelled)` when the text ends with lines of their own that name agencies by a
/// label (`牵头单位：…`, then perhaps `配合单位：…`), the layout of many plans:
///
/// ```text
/// （一）完善质量激励制度。……
/// 牵头单位：区市场监管局
/// 配合单位：区发展改革委
/// ```
fn trailing_unit_lines(text: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = text.trim_end().split('\n').collect();
    let is_unit_line = |line: &str| {
        let key = key_of(line.trim());
        LEAD_KEYS.iter().chain(SUPPORT_KEYS).any(|label| {
            key.strip_prefix(label)
                .is_some_and(|rest| rest.starts_with([':', '：']))
        })
    };
    let first = lines
        .iter()
        .rposition(|line| !is_unit_line(line))
        .map_or(0, |i| i + 1);
    if first == 0 || first >= lines.len() {
        return None;
    }
    let before = lines.get(..first)?.join("\n");
    let labelled: Vec<&str> = lines
        .get(first..)?
        .iter()
        .map(|line| line.trim().trim_end_matches(['。', '；', ';']))
        .collect();
    Some((before, labelled.join("；")))
}

/// `(before, inside)` when the text ends with a balanced parenthesis or bracket: （…）, (…),
/// 〔…〕, 【…】 or […].
fn trailing_parenthesis(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.trim_end().chars().collect();
    let last = *chars.last()?;
    let open = match last {
        ')' | '）' => ['(', '（'],
        '〕' => ['〔', '〔'],
        '】' => ['【', '【'],
        ']' => ['[', '['],
        _ => return None,
    };
    let mut depth = 0usize;
    for (index, ch) in chars.iter().enumerate().rev() {
        match ch {
            c if *c == last || (last == '）' && *c == ')') || (last == ')' && *c == '）') => {
                depth += 1;
            }
            c if open.contains(c) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let before: String = chars.get(..index)?.iter().collect();
                    let inside: String = chars.get(index + 1..chars.len() - 1)?.iter().collect();
                    return Some((before, inside));
                }
            }
            _ => {}
        }
    }
    None
}

fn looks_like_units(inside: &str) -> bool {
    let key = key_of(inside.trim());
    if key.chars().count() < 2 {
        return false;
    }
    if LEAD_KEYS
        .iter()
        .chain(SUPPORT_KEYS)
        .any(|k| key.starts_with(k))
    {
        return true;
    }
    if TAIL_PHRASES
        .iter()
        .filter(|p| **p != "等" && **p != "落实")
        .any(|p| key.ends_with(p))
    {
        return true;
    }
    let segments = split_segments(&key);
    !segments.is_empty()
        && segments.iter().all(|segment| {
            let length = segment.chars().count();
            (2..=24).contains(&length) && AGENCY_ENDINGS.iter().any(|e| segment.ends_with(e))
        })
}

/// Text as written plus its key, char for char, so matching on the key cuts the original.
#[derive(Clone, Debug)]
struct Dual {
    text: Vec<char>,
    key: Vec<char>,
}

impl Dual {
    fn new(text: &str) -> Self {
        let text: Vec<char> = text.chars().collect();
        let key = text.iter().map(|c| super::text::key_char(*c)).collect();
        Self { text, key }
    }

    fn slice(&self, start: usize, end: usize) -> Self {
        let end = end.min(self.text.len());
        let start = start.min(end);
        Self {
            text: self.text.get(start..end).unwrap_or_default().to_vec(),
            key: self.key.get(start..end).unwrap_or_default().to_vec(),
        }
    }

    fn key_string(&self) -> String {
        self.key.iter().collect()
    }

    fn text_string(&self) -> String {
        self.text.iter().collect()
    }

    /// Char index of the first occurrence of `needle` in the key.
    fn find(&self, needle: &str) -> Option<usize> {
        let needle: Vec<char> = needle.chars().collect();
        self.key
            .windows(needle.len().max(1))
            .position(|w| w == needle.as_slice())
    }

    fn trim(&self, junk: &[char]) -> Self {
        let start = self
            .key
            .iter()
            .position(|c| !junk.contains(c))
            .unwrap_or(self.key.len());
        let end = self
            .key
            .iter()
            .rposition(|c| !junk.contains(c))
            .map_or(start, |at| at + 1);
        self.slice(start, end)
    }

    fn strip_prefix(&self, prefix: &str) -> Option<Self> {
        let count = prefix.chars().count();
        self.key_string()
            .starts_with(prefix)
            .then(|| self.slice(count, self.key.len()))
    }

    fn strip_suffix(&self, suffix: &str) -> Option<Self> {
        let count = suffix.chars().count();
        self.key_string()
            .ends_with(suffix)
            .then(|| self.slice(0, self.key.len().saturating_sub(count)))
    }

    fn split(&self, separators: &[char]) -> Vec<Self> {
        let mut parts = Vec::new();
        let mut start = 0;
        for (index, ch) in self.key.iter().enumerate() {
            if separators.contains(ch) {
                parts.push(self.slice(start, index));
                start = index + 1;
            }
        }
        parts.push(self.slice(start, self.key.len()));
        parts
    }
}

const JUNK: &[char] = &[':', ',', ';', '、', ' ', '。', '\n', '\t', '\r'];
/// White space, including the line breaks of text joined from broken lines.
const SPACE: &[char] = &[' ', '\n', '\t', '\r'];
const SEPARATORS: &[char] = &['、', ',', ';', '/'];

fn parse_units(inside: &str, place_names: &[String]) -> (Vec<Agency>, Vec<Agency>) {
    let inside = Dual::new(inside.trim());
    let support_at = SUPPORT_KEYS
        .iter()
        .filter_map(|k| inside.find(k).map(|at| (at, k.chars().count())))
        .min();
    let (lead_part, support_part) = match support_at {
        Some((at, key_len)) => (
            inside.slice(0, at),
            inside.slice(at + key_len, inside.key.len()),
        ),
        None => (inside.clone(), inside.slice(0, 0)),
    };
    (
        agencies_of(&lead_part, place_names),
        agencies_of(&support_part, place_names),
    )
}

fn agencies_of(part: &Dual, place_names: &[String]) -> Vec<Agency> {
    let mut part = part.trim(JUNK);
    for key in LEAD_KEYS {
        if let Some(rest) = part.strip_prefix(key) {
            part = rest.trim(JUNK);
            break;
        }
    }
    let mut names: Vec<Dual> = part
        .split(SEPARATORS)
        .iter()
        .map(strip_tail)
        .filter(|segment| !segment.key.is_empty())
        .collect();
    // 市、区市场监管局: a bare level character shares the rest of the next name.
    for index in (0..names.len()).rev() {
        let (Some(current), Some(next)) = (names.get(index), names.get(index + 1)) else {
            continue;
        };
        let next_starts_with_level = next
            .key
            .first()
            .is_some_and(|c| is_level_char(&c.to_string()));
        if is_level_char(&current.key_string()) && next_starts_with_level {
            let mut expanded = current.clone();
            let rest = next.slice(1, next.key.len());
            expanded.text.extend(rest.text);
            expanded.key.extend(rest.key);
            if let Some(slot) = names.get_mut(index) {
                *slot = expanded;
            }
        }
    }
    let mut agencies: Vec<Agency> = Vec::new();
    for name in names {
        let text = name.text_string();
        if agencies.iter().any(|a| a.name == text) {
            continue;
        }
        let mut found = agency(&name.key_string(), place_names);
        found.name = text;
        agencies.push(found);
    }
    agencies
}

fn split_segments(text: &str) -> Vec<String> {
    text.split(['、', ',', ';', '，', '；', '/'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn strip_tail(segment: &Dual) -> Dual {
    let mut current = segment.trim(SPACE);
    loop {
        let before = current.key.len();
        for phrase in TAIL_PHRASES {
            if let Some(rest) = current.strip_suffix(phrase) {
                if !rest.key.is_empty() {
                    current = rest.trim(SPACE);
                }
            }
        }
        current = current.trim(&[':', ' ', '。', '\n', '\t', '\r']);
        if current.key.len() == before {
            return current;
        }
    }
}

fn is_level_char(text: &str) -> bool {
    matches!(text, "市" | "区" | "县" | "省" | "镇")
}

/// An agency with its level-free type: 区市场监管局 → (市场监管局, district).
pub fn agency(name: &str, place_names: &[String]) -> Agency {
    let mut rest = name.to_owned();
    for place in place_names {
        if !place.is_empty() && rest != *place {
            rest = rest.replace(place.as_str(), "");
        }
    }
    if rest.is_empty() {
        rest = name.to_owned();
    }
    let mut level = None;
    for (plural, bare) in [
        ("各区县", "区县"),
        ("各区", "区"),
        ("各县", "县"),
        ("各", ""),
    ] {
        if let Some(stripped) = rest.strip_prefix(plural) {
            rest = format!("{bare}{stripped}");
            break;
        }
    }
    if let Some(stripped) = rest.strip_prefix("团") {
        if let Some(tail) = ["市委", "区委", "县委", "省委"]
            .iter()
            .find_map(|committee| stripped.strip_prefix(committee))
        {
            level = level_of(stripped.chars().next());
            rest = format!("团委{tail}");
        }
    }
    let first = rest.chars().next();
    if level.is_none() && !rest.starts_with("市场") && rest.chars().count() > 2 {
        if let Some(found) = level_of(first) {
            level = Some(found);
            rest = rest.chars().skip(1).collect();
        } else if first == Some('镇') {
            rest = rest.chars().skip(1).collect();
        }
    }
    if let Some(after_committee) = rest.strip_prefix('委') {
        rest = format!("党委{after_committee}");
    }
    if let Some(head) = rest.strip_suffix("分局") {
        rest = format!("{head}局");
    }
    Agency {
        name: name.to_owned(),
        agency_type: rest,
        level,
    }
}

fn level_of(first: Option<char>) -> Option<Level> {
    match first? {
        '市' => Some(Level::Municipal),
        '区' => Some(Level::District),
        '县' => Some(Level::County),
        '省' => Some(Level::Provincial),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(units: &[Agency]) -> Vec<&str> {
        units.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn agency_lines_of_their_own_after_the_measure() {
        let split = split_units(
            "完善质量激励制度。发布实施管理办法。\n牵头单位：区市场监管局\n配合单位：区发展改革委、区财政局。",
            &[],
        );
        assert_eq!(split.text, "完善质量激励制度。发布实施管理办法。");
        assert_eq!(names(&split.lead_units), ["区市场监管局"]);
        assert_eq!(names(&split.support_units), ["区发展改革委", "区财政局"]);
        // One line with both labels, and the half-width colon.
        let split = split_units(
            "推进标准化建设。\n责任单位:县市场监管局；配合单位：县住建局",
            &[],
        );
        assert_eq!(split.text, "推进标准化建设。");
        assert_eq!(names(&split.lead_units), ["县市场监管局"]);
        assert_eq!(names(&split.support_units), ["县住建局"]);
        // A label inside the measure's own sentence is not an agency line.
        let split = split_units("明确牵头单位：由区政府指定。\n加强考核。", &[]);
        assert!(split.lead_units.is_empty());
        assert_eq!(split.text, "明确牵头单位：由区政府指定。\n加强考核。");
    }

    #[test]
    fn a_county_plan_with_agency_lines_parses_with_its_agencies() {
        let text = "某县质量提升行动方案\n一、重点任务\n（一）完善质量激励制度。设立县长质量奖。\n牵头单位：县市场监管局\n配合单位：县财政局\n（二）加强标准化建设。推动企业对标达标。\n责任单位：县市场监管局、县工信局\n";
        let plan = crate::parse::parse_text(text, "county.txt").unwrap();
        assert_eq!(plan.measures.len(), 2);
        assert_eq!(names(&plan.measures[0].lead_units), ["县市场监管局"]);
        assert_eq!(names(&plan.measures[0].support_units), ["县财政局"]);
        assert!(
            !plan.measures[0].text.contains("牵头单位"),
            "{}",
            plan.measures[0].text
        );
        assert_eq!(
            names(&plan.measures[1].lead_units),
            ["县市场监管局", "县工信局"]
        );
    }

    #[test]
    fn agency_brackets() {
        let split = split_units("加强质量品牌建设。〔牵头单位：市市场监管局〕", &[]);
        assert_eq!(split.text, "加强质量品牌建设。");
        assert_eq!(names(&split.lead_units), ["市市场监管局"]);
        let split = split_units("加强质量品牌建设。【责任单位：市商务委、市经信委】", &[]);
        assert_eq!(names(&split.lead_units), ["市商务委", "市经信委"]);
    }

    #[test]
    fn lead_and_support() {
        let split = split_units(
            "加强组织保障。（牵头单位：区市场监管局，配合单位：区质量工作领导小组各成员单位）",
            &[],
        );
        assert_eq!(split.text, "加强组织保障。");
        assert_eq!(names(&split.lead_units), ["区市场监管局"]);
        assert_eq!(
            names(&split.support_units),
            ["区质量工作领导小组各成员单位"]
        );
        assert_eq!(split.lead_units[0].agency_type, "市场监管局");
        assert_eq!(split.lead_units[0].level, Some(Level::District));
    }

    #[test]
    fn shared_level_prefix_and_tail_phrases() {
        let split = split_units(
            "工作。（市经济信息化委，市、区市场监管局，市知识产权局负责）",
            &[],
        );
        assert_eq!(
            names(&split.lead_units),
            [
                "市经济信息化委",
                "市市场监管局",
                "区市场监管局",
                "市知识产权局"
            ]
        );
        assert_eq!(
            split.lead_units[1].agency_type,
            split.lead_units[2].agency_type
        );
        let split = split_units("工作。(区商务委、区市场监管局按照职责分工实施)", &[]);
        assert_eq!(names(&split.lead_units), ["区商务委", "区市场监管局"]);
        let split = split_units("工作。（市发展改革委、市市场监管局等负责）", &[]);
        assert_eq!(names(&split.lead_units), ["市发展改革委", "市市场监管局"]);
    }

    #[test]
    fn colon_phrasings_and_place_names() {
        let split = split_units(
            "工作。(责任部门和单位:市质量技监局、市社团局、各相关社会团体和高校)",
            &[],
        );
        assert_eq!(split.lead_units.len(), 3);
        let places = vec!["静安区".to_owned(), "静安".to_owned()];
        let split = split_units(
            "执法。(区市场监管局、公安静安分局按照职责分工实施)",
            &places,
        );
        assert_eq!(split.lead_units[1].agency_type, "公安局");
        assert_eq!(
            agency("团区委", &[]).agency_type,
            agency("团市委", &[]).agency_type
        );
        assert_eq!(agency("区委组织部", &[]).agency_type, "党委组织部");
        assert_eq!(agency("市场监管局", &[]).agency_type, "市场监管局");
    }

    #[test]
    fn non_agency_parentheses_stay_in_text() {
        let split = split_units("推行工程质量潜在缺陷保险(IDI)", &[]);
        assert!(split.lead_units.is_empty());
        assert_eq!(split.text, "推行工程质量潜在缺陷保险(IDI)");
        let split = split_units("参与国家质量技术基础专项（NQI）计划", &[]);
        assert!(split.note.is_none());
    }
}
