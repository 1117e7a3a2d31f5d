//! Metadata from the text itself: the plan's title line, 文号, issuer, date, jurisdiction,
//! period and kind, using the front matter (covering notice, page metadata tables) and signature.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Date, Jurisdiction, Level, Period, PlanKind};

use super::text::{Line, cn_digits_value, cn_number_prefix, is_han, key_of};

/// Words that make a line a candidate for the plan's title.
const TITLE_WORDS: &[&str] = &[
    "计划", "方案", "要点", "意见", "纲要", "规划", "决定", "办法", "细则", "通知", "措施", "规定",
    "安排", "条例",
];

/// Endings of an issuing body's name.
const ORG_ENDINGS: &[&str] = &[
    "人民政府",
    "政府",
    "办公厅",
    "办公室",
    "委员会",
    "领导小组",
    "管委会",
    "局",
    "委",
    "厅",
    "部",
    "院",
    "中心",
    "小组",
];

/// Key → value pairs from page metadata tables (索引号 | … | 文号 | …) and `键：值` lines.
#[derive(Clone, Debug, Default)]
pub struct MetadataTable {
    pairs: Vec<(String, String)>,
}

impl MetadataTable {
    /// Reads `key: | value |` cells and `key：value` lines.
    pub fn from_lines(lines: &[Line]) -> Self {
        let mut pairs = Vec::new();
        for line in lines {
            let cells: Vec<String> = line
                .key
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect();
            let mut index = 0;
            while let Some(cell) = cells.get(index) {
                if let Some(name) = cell.strip_suffix(':') {
                    if let Some(value) = cells.get(index + 1) {
                        pairs.push((compact(name), value.trim().to_owned()));
                    }
                    index += 2;
                    continue;
                }
                if let Some((name, value)) = cell.split_once(':') {
                    let name = compact(name);
                    if (2..=6).contains(&name.chars().count()) && !value.trim().is_empty() {
                        pairs.push((name, value.trim().to_owned()));
                    }
                }
                index += 1;
            }
        }
        Self { pairs }
    }

    /// The first value under any of these keys.
    pub fn get(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|name| {
            self.pairs
                .iter()
                .find(|(key, value)| key == name && !value.is_empty())
                .map(|(_, value)| value.as_str())
        })
    }
}

fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether a line looks like chrome around the document rather than its text.
pub fn is_chrome(key: &str) -> bool {
    const WORDS: &[&str] = &[
        "下载",
        "文档",
        "客服",
        "退款",
        "预览",
        "浏览",
        "版权",
        "登录",
        "注册",
        "会员",
        "纠错",
        "错误类",
        "出错页面",
        "当前位置",
        "您的位置",
        "字号",
        "打印",
        "分享",
        "收藏",
        "二维码",
        "公众号",
        "http",
        "www.",
    ];
    key.starts_with("- ")
        || key.contains('>')
        || key.contains('»')
        || WORDS.iter().any(|word| key.contains(word))
}

/// Whether a line marks the end of the document (page chrome or the distribution list follows).
pub fn is_end_marker(key: &str) -> bool {
    const STARTS: &[&str] = &[
        "纠错",
        "相关稿件",
        "相关政策",
        "相关文章",
        "相关链接",
        "相关阅读",
        "相关新闻",
        "相关文件",
        "相关附件",
        "扫描二维码",
        "扫一扫",
        "本文链接",
        "本文关键词",
        "抄送",
        "打印本页",
        "[打印",
        "关闭窗口",
        "[关闭",
        "分享到",
        "责任编辑",
        "上一篇",
        "下一篇",
        "返回顶部",
        "网站地图",
        "版权所有",
        "主办单位",
        "联系我们",
        "您的姓名",
        "附件下载",
        "信息来源",
        "文章来源",
    ];
    let short = key.chars().count() <= 40;
    STARTS.iter().any(|start| key.starts_with(start))
        || (short && (key.ends_with("公众号") || key.ends_with("二维码")))
        || matches!(key, "打印" | "关闭" | "收藏" | "分享" | "返回")
}

/// The index of the plan's own title line among `lines[..first_label]`, preferring the plan's
/// title over the covering notice's (…关于印发《…》的通知).
pub fn find_title_line(lines: &[Line], first_label: usize) -> Option<usize> {
    // A line that carries on a long line without sentence-final punctuation is the middle of
    // a paragraph broken by the page width (PDF text), not a title.
    let continues_paragraph = |index: usize| {
        index
            .checked_sub(1)
            .and_then(|previous| lines.get(previous))
            .is_some_and(|previous| {
                previous.key.chars().count() >= 25
                    && !previous
                        .key
                        .ends_with(['。', '!', '?', ';', ':', '》', ')', '」'])
                    && !is_chrome(&previous.key)
            })
    };
    let candidates: Vec<usize> = (0..first_label.min(lines.len()))
        .filter(|&index| {
            lines
                .get(index)
                .is_some_and(|line| is_title_like(&line.key))
                && !continues_paragraph(index)
        })
        .collect();
    candidates
        .iter()
        .rev()
        .find(|&&index| lines.get(index).is_some_and(|line| !is_notice(&line.key)))
        .or_else(|| candidates.last())
        .copied()
}

/// The title text of a title line: a notice's 《…》 name when the line is the notice.
pub fn title_text(line: &Line) -> String {
    let text = line.text.trim();
    if is_notice(&line.key) {
        if let Some(inner) = outer_book_title(text) {
            return inner;
        }
    }
    text.trim_start_matches('《')
        .trim_end_matches('》')
        .trim()
        .to_owned()
}

/// A line right after the title that only carries its period, e.g. （2016—2018年）.
pub fn is_title_continuation(key: &str) -> bool {
    static PERIOD_ONLY: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"^\(?\d{4}\s*[-—~至到]\s*\d{4}\s*年?\)?$").ok());
    PERIOD_ONLY.as_ref().is_some_and(|re| re.is_match(key))
}

fn is_title_like(key: &str) -> bool {
    let length = key.chars().count();
    (4..=80).contains(&length)
        && !key.ends_with(['。', ',', ';', ':', '!', '?', '、'])
        && !key.contains(':')
        && !key.contains('|')
        && !is_chrome(key)
        && TITLE_WORDS.iter().any(|word| key.contains(word))
}

fn is_notice(key: &str) -> bool {
    key.contains("印发") || key.ends_with("通知") || key.contains("的通知")
}

fn outer_book_title(text: &str) -> Option<String> {
    let start = text.find('《')?;
    let end = text.rfind('》')?;
    let inner = text.get(start + '《'.len_utf8()..end)?;
    let inner = inner.replace(['〈', '〉'], "");
    (!inner.trim().is_empty()).then(|| inner.trim().to_owned())
}

/// 文号 at the start of a front-matter line or in a metadata table, brackets normalised to 〔〕.
pub fn find_doc_number(front: &[Line], table: &MetadataTable) -> Option<String> {
    if let Some(value) = table.get(&["文号", "发文字号", "文件编号", "发文号", "字号"])
    {
        if let Some(number) = doc_number_in(value) {
            return Some(number);
        }
    }
    front
        .iter()
        .find_map(|line| doc_number_in(line.key.trim_start_matches(['(', '['])))
}

fn doc_number_in(key: &str) -> Option<String> {
    static DOC_NUMBER: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(\p{Han}{2,12}?)\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*(\d{1,5})\s*号").ok()
    });
    let regex = DOC_NUMBER.as_ref()?;
    let captures = regex.captures(key.trim())?;
    Some(format!(
        "{}〔{}〕{}号",
        captures.get(1)?.as_str(),
        captures.get(2)?.as_str(),
        captures.get(3)?.as_str()
    ))
}

/// The first date in `text`: 2016年8月10日, 2024-08-14, 2024/8/14 or 二〇一三年四月一日.
pub fn find_date(text: &str) -> Option<Date> {
    date_match(&key_of(text), false)
}

/// A date that is the whole line (a signature or notice date), not one inside a sentence.
pub fn standalone_date(key: &str) -> Option<Date> {
    date_match(key.trim(), true)
}

fn date_match(key: &str, whole: bool) -> Option<Date> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日",
            r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})",
            r"([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日",
        ]
        .iter()
        .filter_map(|pattern| Regex::new(pattern).ok())
        .collect()
    });
    for regex in PATTERNS.iter() {
        let Some(captures) = regex.captures(key) else {
            continue;
        };
        let whole_match = captures.get(0)?;
        if whole && (whole_match.start() != 0 || whole_match.end() != key.len()) {
            continue;
        }
        let part = |index: usize| captures.get(index).map(|m| m.as_str()).unwrap_or_default();
        let number = |text: &str| -> Option<u32> {
            text.parse::<u32>().ok().or_else(|| {
                let chars: Vec<char> = text.chars().collect();
                cn_digits_value(text)
                    .filter(|_| chars.len() == 4)
                    .or_else(|| {
                        cn_number_prefix(&chars)
                            .filter(|(_, used)| *used == chars.len())
                            .map(|(value, _)| value)
                    })
            })
        };
        let year = i32::try_from(number(part(1))?).ok()?;
        if let Some(date) = Date::new(year, number(part(2))?, number(part(3))?) {
            return Some(date);
        }
    }
    None
}

/// Whether a short line names an issuing body.
pub fn is_org_line(key: &str) -> bool {
    let length = key.chars().count();
    (3..=30).contains(&length)
        && key.chars().all(|c| is_han(c) || c == '(' || c == ')')
        && ORG_ENDINGS.iter().any(|ending| key.ends_with(ending))
}

/// Issuer: the notice's signature, the notice title's prefix (X关于印发…), the plan title's
/// prefix (X关于实施…), the document's closing signature, then the metadata table.
pub fn find_issuer(
    front: &[Line],
    title: &str,
    signature_org: Option<&str>,
    table: &MetadataTable,
) -> Option<String> {
    let signed = front.windows(2).find_map(|pair| match pair {
        [org, date] if standalone_date(&date.key).is_some() && is_org_line(&org.key) => {
            Some(org.text.clone())
        }
        _ => None,
    });
    let notice_prefix = || {
        front.iter().find_map(|line| {
            let at = line.text.find("关于印发")?;
            let prefix = line.text.get(..at)?.trim();
            let prefix = prefix.rsplit(['》', '号']).next().unwrap_or(prefix);
            is_org_line(&key_of(prefix)).then(|| prefix.to_owned())
        })
    };
    let title_prefix = || {
        let at = title.find("关于")?;
        let prefix = title.get(..at)?.trim();
        is_org_line(&key_of(prefix)).then(|| prefix.to_owned())
    };
    signed
        .or_else(notice_prefix)
        .or_else(title_prefix)
        .or_else(|| signature_org.map(str::to_owned))
        .or_else(|| {
            table
                .get(&["发布机构", "发文机关", "发文单位", "发布单位"])
                .map(str::to_owned)
        })
}

/// Jurisdiction from the first of `sources` that starts with a chain of place names
/// (上海市静安区…), with the parent taken from any source that names one.
pub fn find_jurisdiction(sources: &[&str]) -> Jurisdiction {
    let chains: Vec<Vec<(String, Level)>> = sources.iter().map(|s| place_chain(s)).collect();
    let Some(chain) = chains.iter().find(|chain| !chain.is_empty()) else {
        return Jurisdiction::default();
    };
    let Some((name, level)) = chain.last().cloned() else {
        return Jurisdiction::default();
    };
    let parent = chains.iter().find_map(|chain| {
        let at = chain.iter().position(|(n, _)| *n == name)?;
        at.checked_sub(1)
            .and_then(|p| chain.get(p))
            .map(|(parent, _)| parent.clone())
    });
    Jurisdiction {
        name: Some(name),
        level: Some(level),
        parent,
    }
}

/// Place names at the very start of a string: 2023年上海市静安区… → [上海市, 静安区].
fn place_chain(source: &str) -> Vec<(String, Level)> {
    static YEAR_PREFIX: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"^\d{4}\s*年(度)?").ok());
    let key = key_of(source.trim());
    let rest = YEAR_PREFIX
        .as_ref()
        .and_then(|re| re.find(&key))
        .map_or(key.as_str(), |m| key.get(m.end()..).unwrap_or_default());
    for national in ["国务院", "国家", "中共中央", "全国"] {
        if rest.starts_with(national) {
            return vec![("国家".to_owned(), Level::National)];
        }
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut chain = Vec::new();
    let mut at = 0;
    while let Some((name, level, used)) = place_at(chars.get(at..).unwrap_or_default()) {
        chain.push((name, level));
        at += used;
    }
    chain
}

fn place_at(chars: &[char]) -> Option<(String, Level, usize)> {
    const SUFFIXES: &[(&str, Level)] = &[
        ("自治区", Level::Provincial),
        ("自治州", Level::Municipal),
        ("自治县", Level::County),
        ("省", Level::Provincial),
        ("市", Level::Municipal),
        ("区", Level::District),
        ("县", Level::County),
        ("旗", Level::County),
        ("州", Level::Municipal),
        ("盟", Level::Municipal),
    ];
    let is_placeholder = |c: char| matches!(c, '某' | 'X' | 'x' | '×' | '*' | '○');
    for name_len in 1..=6 {
        let name = chars.get(..name_len)?;
        let placeholder = name.iter().all(|c| is_placeholder(*c));
        if !(placeholder || (name_len >= 2 && name.iter().all(|c| is_han(*c)))) {
            if name.iter().all(|c| is_han(*c) || is_placeholder(*c)) {
                continue;
            }
            return None;
        }
        let after: String = chars.iter().skip(name_len).take(3).collect();
        for (suffix, level) in SUFFIXES {
            if after.starts_with(suffix) && (name_len <= 4 || *suffix == "自治区") {
                let used = name_len + suffix.chars().count();
                let full: String = chars.iter().take(used).collect();
                return Some((full, *level, used));
            }
        }
    }
    None
}

/// Period: a range in the title (2016-2018年), a single year in the title (2021年…), else the
/// first 到2025年 in the goals and preamble as the end year.
pub fn find_period(title: &str, goal_texts: &[&str]) -> Period {
    static RANGE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"(\d{4})\s*[-—~至到]\s*(\d{4})\s*年?").ok());
    static YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(\d{4})\s*年").ok());
    static BY_YEAR: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"(?:到|至)\s*(\d{4})\s*年").ok());
    let key = key_of(title);
    let year_of = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<i32>().ok());
    if let Some(captures) = RANGE.as_ref().and_then(|re| re.captures(&key)) {
        return Period {
            start: year_of(captures.get(1)),
            end: year_of(captures.get(2)),
        };
    }
    if let Some(captures) = BY_YEAR.as_ref().and_then(|re| re.captures(&key)) {
        return Period {
            start: None,
            end: year_of(captures.get(1)),
        };
    }
    if let Some(captures) = YEAR.as_ref().and_then(|re| re.captures(&key)) {
        let year = year_of(captures.get(1));
        return Period {
            start: year,
            end: year,
        };
    }
    let end = goal_texts.iter().find_map(|text| {
        let key = key_of(text);
        BY_YEAR
            .as_ref()
            .and_then(|re| re.captures(&key))
            .and_then(|c| year_of(c.get(1)))
    });
    Period { start: None, end }
}

/// Kind of plan from its title.
pub fn find_kind(title: &str) -> PlanKind {
    let key = key_of(title);
    if key.contains("要点") {
        PlanKind::WorkPoints
    } else if key.contains("实施意见") || key.ends_with("意见") {
        PlanKind::Opinion
    } else if key.contains("行动计划") || key.contains("行动方案") {
        PlanKind::ActionPlan
    } else if key.contains("实施方案") || key.contains("方案") {
        PlanKind::ImplementationPlan
    } else if key.contains("计划") {
        PlanKind::ActionPlan
    } else if key.contains("意见") {
        PlanKind::Opinion
    } else {
        PlanKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_all_forms() {
        let expect = Date::new(2016, 8, 10);
        assert_eq!(find_date("2016年8月10日"), expect);
        assert_eq!(find_date("发文日期：2016-08-10"), expect);
        assert_eq!(find_date("二○一六年八月十日"), expect);
        assert_eq!(find_date("2016年13月40日"), None);
        assert_eq!(standalone_date("2021年1月26日"), Date::new(2021, 1, 26));
        assert_eq!(standalone_date("上海市 2021年1月27日印发"), None);
    }

    #[test]
    fn places_and_levels() {
        let j = find_jurisdiction(&["2023年上海市静安区质量工作要点"]);
        assert_eq!(j.name.as_deref(), Some("静安区"));
        assert_eq!(j.parent.as_deref(), Some("上海市"));
        assert_eq!(j.level, Some(Level::District));
        let j = find_jurisdiction(&["质量强国建设纲要嘉定行动方案", "上海市嘉定区人民政府办公室"]);
        assert_eq!(j.name.as_deref(), Some("嘉定区"));
        let j = find_jurisdiction(&["某市人民政府关于实施质量强市战略的意见"]);
        assert_eq!(
            (j.name.as_deref(), j.level),
            (Some("某市"), Some(Level::Municipal))
        );
        let j = find_jurisdiction(&["浙江省湖州市长兴县质量提升行动方案"]);
        assert_eq!(j.name.as_deref(), Some("长兴县"));
        assert_eq!(j.parent.as_deref(), Some("湖州市"));
        let j = find_jurisdiction(&["全市质量工作要点"]);
        assert_eq!(j.name, None);
    }

    #[test]
    fn doc_numbers_are_normalised() {
        assert_eq!(
            doc_number_in("沪府办发[2016]31号").as_deref(),
            Some("沪府办发〔2016〕31号")
        );
        assert_eq!(
            doc_number_in("嘉府办发(2024)20号").as_deref(),
            Some("嘉府办发〔2024〕20号")
        );
        assert_eq!(doc_number_in("X政发〔201X〕37号"), None);
    }

    #[test]
    fn periods_and_kinds() {
        let p = find_period("上海市质量发展三年行动计划(2016-2018年)", &[]);
        assert_eq!((p.start, p.end), (Some(2016), Some(2018)));
        let p = find_period("2021年上海市质量发展工作要点", &[]);
        assert_eq!((p.start, p.end), (Some(2021), Some(2021)));
        let p = find_period(
            "质量强国建设纲要嘉定行动方案",
            &["到2025年，质量整体水平进一步提高"],
        );
        assert_eq!((p.start, p.end), (None, Some(2025)));
        assert_eq!(
            find_kind("2021年上海市质量发展工作要点"),
            PlanKind::WorkPoints
        );
        assert_eq!(
            find_kind("质量强国建设纲要嘉定行动方案"),
            PlanKind::ActionPlan
        );
        assert_eq!(
            find_kind("某市人民政府关于实施质量强市战略的意见"),
            PlanKind::Opinion
        );
        assert_eq!(
            find_kind("质量强国建设纲要上海实施方案"),
            PlanKind::ImplementationPlan
        );
    }
}
