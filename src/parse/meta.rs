//! Metadata from the text itself: the plan's title line, 文号, issuer, date, jurisdiction,
//! period and kind, using the front matter (covering notice, page metadata tables) and signature.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Date, Period, PlanKind};

use super::issuer;
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
    "中央",
    "总署",
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
    /// Reads `key: | value |` cells, `key：value` lines and rows of several known keys
    /// (发文机关：… 成文日期：…) whose cells the page's spacing no longer separates.
    pub fn from_lines(lines: &[Line]) -> Self {
        let mut pairs = Vec::new();
        for line in lines {
            let row = known_pairs(&line.key);
            if row.len() > 1 {
                pairs.extend(row);
                continue;
            }
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

/// Keys of government pages' metadata tables.
const TABLE_KEYS: &[&str] = &[
    "索引号",
    "主题分类",
    "主题词",
    "发文机关",
    "发布机构",
    "发文单位",
    "发布单位",
    "成文日期",
    "发文日期",
    "印发日期",
    "发布日期",
    "发布时间",
    "生效日期",
    "废止日期",
    "发文字号",
    "文号",
    "标题",
    "名称",
    "公开类型",
    "公开方式",
    "公开属性",
    "有效性",
    "时效性",
    "信息来源",
    "来源",
];

/// `key:value` pairs of a row that starts with a known key and may hold several.
fn known_pairs(key: &str) -> Vec<(String, String)> {
    static KEYS: LazyLock<Option<Regex>> = LazyLock::new(|| {
        let names: Vec<&str> = TABLE_KEYS.to_vec();
        Regex::new(&format!(r"({})\s*:", names.join("|"))).ok()
    });
    let Some(regex) = KEYS.as_ref() else {
        return Vec::new();
    };
    let compacted = compact(key);
    let found: Vec<(usize, usize, String)> = regex
        .captures_iter(&compacted)
        .filter_map(|c| {
            let whole = c.get(0)?;
            Some((whole.start(), whole.end(), c.get(1)?.as_str().to_owned()))
        })
        .collect();
    if found.first().is_none_or(|(start, _, _)| *start != 0) {
        return Vec::new();
    }
    found
        .iter()
        .enumerate()
        .filter_map(|(index, (_, end, name))| {
            let next = found.get(index + 1).map_or(compacted.len(), |f| f.0);
            let value = compacted.get(*end..next)?.trim_matches(['|', ' ']).trim();
            (!value.is_empty()).then(|| (name.clone(), value.to_owned()))
        })
        .collect()
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

/// How a title candidate names the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleSource {
    /// The document's own title line.
    Own,
    /// A covering notice (…关于印发《…》的通知) or a news headline (《…》发布), unwrapped.
    Wrapper,
    /// A sentence that names it (…印发了《…》，…), for want of a title line.
    Sentence,
}

/// The plan's title as found: its text and the lines it takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TitleLine {
    /// Index of the first line of the title.
    pub first: usize,
    /// Index of the last line (a title split by page widgets takes several).
    pub last: usize,
    /// The document's own name: wrappers unwrapped, bracketed tags dropped.
    pub title: String,
    /// Where it came from.
    pub source: TitleSource,
}

/// The plan's own title among `lines[..first_label]`, preferring the plan's title line over a
/// covering notice (…关于印发《…》的通知) or a news headline (《…》发布); a title split across
/// lines by a share widget is joined; for want of any, a sentence's 印发《…》.
pub fn find_title(lines: &[Line], first_label: usize) -> Option<TitleLine> {
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
    let end = first_label.min(lines.len());
    let mut candidates: Vec<TitleLine> = Vec::new();
    for index in 0..end {
        let Some((text, key, last)) = joined_line(lines, index, end) else {
            continue;
        };
        if !is_title_like(&key) || continues_paragraph(index) {
            continue;
        }
        let wrapper = is_notice(&key) || is_headline(&key);
        let title = if wrapper {
            unwrap_title(&text, &key)
        } else {
            own_title(&text, &key)
        };
        if title.chars().count() >= 4 {
            candidates.push(TitleLine {
                first: index,
                last,
                title,
                source: if wrapper {
                    TitleSource::Wrapper
                } else {
                    TitleSource::Own
                },
            });
        }
    }
    let own = candidates
        .iter()
        .rposition(|candidate| candidate.source == TitleSource::Own);
    if let Some(at) = own.or_else(|| candidates.len().checked_sub(1)) {
        return candidates.into_iter().nth(at);
    }
    (0..end).find_map(|index| {
        let line = lines.get(index)?;
        let title = issued_name(&line.text, &line.key)?;
        Some(TitleLine {
            first: index,
            last: index,
            title,
            source: TitleSource::Sentence,
        })
    })
}

/// The line at `index`, joined with the lines that close a 《 it leaves open (page widgets
/// between are skipped): text, key and the index of its last line. `None` for the tail of a
/// title split across lines (上海实施方案》发布), which belongs to the line that opens it.
fn joined_line(lines: &[Line], index: usize, end: usize) -> Option<(String, String, usize)> {
    let line = lines.get(index)?;
    let balance = |key: &str| {
        key.chars().fold(0i32, |depth, c| match c {
            '《' => depth + 1,
            '》' => depth - 1,
            _ => depth,
        })
    };
    let mut depth = balance(&line.key);
    let opens_first =
        line.key.find('《').unwrap_or(usize::MAX) <= line.key.find('》').unwrap_or(usize::MAX);
    if depth < 0 || !opens_first {
        return None;
    }
    let mut text = line.text.clone();
    let mut key = line.key.clone();
    let mut last = index;
    let mut next = index + 1;
    while depth > 0 && next < end && next <= index + 4 {
        let Some(following) = lines.get(next) else {
            break;
        };
        next += 1;
        if is_chrome(&following.key) || following.key.chars().count() <= 2 {
            continue;
        }
        depth += balance(&following.key);
        text.push_str(&following.text);
        key.push_str(&following.key);
        last = next - 1;
    }
    if depth != 0 {
        // Never closed: the line alone, as written.
        return Some((line.text.clone(), line.key.clone(), index));
    }
    Some((text, key, last))
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
    key.contains("印发") || key.contains("转发") || key.ends_with("通知") || key.contains("的通知")
}

/// A news headline about the document: 《…》发布, 《…》正式出台.
fn is_headline(key: &str) -> bool {
    let Some(at) = key.rfind('》') else {
        return false;
    };
    let tail = key.get(at + '》'.len_utf8()..).unwrap_or_default();
    (1..=8).contains(&tail.chars().count())
        && ["发布", "出台", "印发", "公布", "出炉", "解读"]
            .iter()
            .any(|word| tail.contains(word))
}

/// Characters `start..end` (by char index) of `text`.
fn chars_between(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// The document's name inside a wrapper: …关于印发X的通知 → X, …印发《X》 → X, 《X》发布 → X; X
/// loses an outer 《》 and its inner 〈〉 become 《》.
fn unwrap_title(text: &str, key: &str) -> String {
    let key_chars: Vec<char> = key.chars().collect();
    let find = |needle: &str| {
        key.find(needle)
            .map(|at| key.get(..at).unwrap_or_default().chars().count())
    };
    let verb = ["印发", "转发"].iter().filter_map(|verb| find(verb)).min();
    let page_end = site_suffix_start(key);
    let (mut start, mut end) = match verb {
        Some(at) => {
            let mut start = at + 2;
            if key_chars.get(start) == Some(&'了') {
                start += 1;
            }
            (start, page_end)
        }
        None => (0, page_end),
    };
    let inner: String = key_chars
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .collect();
    if verb.is_some() {
        let ending = ["的通知", "的决定", "的函"]
            .iter()
            .filter_map(|ending| inner.rfind(ending))
            .max();
        if let Some(at) = ending {
            end = start + inner.get(..at).unwrap_or_default().chars().count();
        } else if inner.ends_with("通知") {
            end -= 2;
        }
    }
    if verb.is_none() {
        // A headline: the first 《…》.
        if let (Some(open), Some(close)) = (find("《"), key.rfind('》')) {
            let close = key.get(..close).unwrap_or_default().chars().count();
            start = open;
            end = close + 1;
        }
    }
    let unwrapped = chars_between(text, start, end);
    let unwrapped_key = chars_between(key, start, end);
    own_title(&unwrapped, &unwrapped_key)
}

/// A title line's text: a bracketed tag before it (【草案全文】) dropped, a 《》 around all of it
/// removed, inner 〈〉 made 《》.
fn own_title(text: &str, key: &str) -> String {
    let mut start = 0;
    let mut end = site_suffix_start(key);
    if key.starts_with('[') {
        if let Some(close) = key.find(']') {
            let tag_chars = key.get(..close).unwrap_or_default().chars().count();
            if tag_chars <= 10 && tag_chars + 1 < end {
                start = tag_chars + 1;
            }
        }
    }
    let inner_key = chars_between(key, start, end);
    if inner_key.starts_with('《') && inner_key.ends_with('》') {
        let inside = chars_between(&inner_key, 1, inner_key.chars().count() - 1);
        if !inside.contains('《') && !inside.contains('》') {
            start += 1;
            end -= 1;
        }
    }
    chars_between(text, start, end)
        .replace('〈', "《")
        .replace('〉', "》")
        .trim()
        .to_owned()
}

/// Where a page title's site suffix starts (…实施方案_政策文件_杭州市人民政府门户网站), as a char
/// index; the length of `key` when there is none.
fn site_suffix_start(key: &str) -> usize {
    let length = key.chars().count();
    key.find('_')
        .map(|at| key.get(..at).unwrap_or_default().chars().count())
        .filter(|&at| at >= 4)
        .unwrap_or(length)
}

/// The name in a sentence that issues it: …印发了《质量强国建设纲要》，… → 质量强国建设纲要.
fn issued_name(text: &str, key: &str) -> Option<String> {
    let at = key.find("印发")?;
    let after = key.get(at..)?;
    let open = after.find('《')?;
    if after.get(..open)?.chars().count() > 3 {
        return None;
    }
    let close = after.find('》')?;
    let start = key.get(..at + open)?.chars().count() + 1;
    let end = key.get(..at + close)?.chars().count();
    let name_key = chars_between(key, start, end);
    (TITLE_WORDS.iter().any(|word| name_key.contains(word)) && name_key.chars().count() >= 4)
        .then(|| own_title(&chars_between(text, start, end), &name_key))
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

/// A date that is the whole line (a signature or notice date, perhaps in brackets as under a
/// party document's title), not one inside a sentence.
pub fn standalone_date(key: &str) -> Option<Date> {
    let key = key.trim();
    let inner = key
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(key);
    date_match(inner.trim(), true)
}

/// The date of a page's publication stamp: a line that starts with a date followed by a time
/// or the source (2023-02-06 17:30 来源:新华社).
pub fn stamp_date(key: &str) -> Option<Date> {
    static STAMP: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(
            r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日)\s*(\d{1,2}:\d{2}|来源)",
        )
        .ok()
    });
    let found = STAMP.as_ref()?.captures(key.trim())?;
    find_date(found.get(1)?.as_str())
}

/// A line under a title that belongs to the front matter: 文号, a date, a page table row or a
/// page widget.
pub fn is_title_block_line(key: &str) -> bool {
    doc_number_in(key.trim_start_matches(['(', '['])).is_some_and(|_| key.chars().count() <= 24)
        || standalone_date(key).is_some()
        || stamp_date(key).is_some()
        || !known_pairs(key).is_empty()
        || (is_chrome(key) && key.chars().count() <= 40)
        || is_public_note(key)
}

/// （此件公开发布）, （此件主动公开）….
pub fn is_public_note(key: &str) -> bool {
    key.starts_with('(') && key.ends_with(')') && key.contains("此件") && key.chars().count() <= 12
}

/// Where a covering notice that stands in for the title ends: after its date (and a 此件公开发布
/// note), if one comes within a few lines; else at `start`.
pub fn notice_end(lines: &[Line], start: usize, first_label: usize) -> usize {
    let limit = first_label.min(start + 12).min(lines.len());
    let date_at = (start..limit).rev().find(|&index| {
        lines
            .get(index)
            .is_some_and(|line| standalone_date(&line.key).is_some())
    });
    let Some(date_at) = date_at else {
        return start;
    };
    let note = lines
        .get(date_at + 1)
        .is_some_and(|line| date_at + 1 < first_label && is_public_note(&line.key));
    date_at + if note { 2 } else { 1 }
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

/// Whether a short line names an issuing body (or several, as a joint signature writes them).
pub fn is_org_line(key: &str) -> bool {
    let length = key.chars().count();
    (3..=40).contains(&length)
        && key
            .chars()
            .all(|c| is_han(c) || matches!(c, '(' | ')' | ' ' | '、'))
        && ORG_ENDINGS.iter().any(|ending| key.ends_with(ending))
}

/// The issuer as written (organs of a joint issuer separated by a space) and its organs'
/// matching keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Issuer {
    /// E.g. 中共杭州市委 杭州市人民政府.
    pub name: String,
    /// Matching keys of the organs, e.g. [中共杭州市委, 杭州市人民政府].
    pub organ_keys: Vec<String>,
}

impl Issuer {
    fn of(text: &str) -> Option<Self> {
        let text = text.trim();
        let key = key_of(text);
        let names = issuer::split_organs(text, &key);
        let organ_keys = issuer::split_organs(&key, &key);
        let valid = !names.is_empty()
            && organ_keys
                .iter()
                .all(|organ| is_org_line(organ) || issuer::is_national_organ(organ));
        valid.then(|| Self {
            name: names.join(" "),
            organ_keys,
        })
    }
}

/// Issuer: the notice's signature, the notice title's prefix (X关于印发…, X印发《…》), the plan
/// title's prefix (X关于实施…), the document's closing signature, then the metadata table.
pub fn find_issuer(
    front: &[Line],
    title: &str,
    signature_orgs: &[String],
    table: &MetadataTable,
) -> Option<Issuer> {
    let signed = || {
        front.iter().enumerate().find_map(|(index, line)| {
            standalone_date(&line.key)?;
            let orgs: Vec<&str> = front
                .get(index.saturating_sub(4)..index)?
                .iter()
                .rev()
                .take_while(|org| is_org_line(&org.key))
                .map(|org| org.text.as_str())
                .collect();
            let joined: Vec<&str> = orgs.into_iter().rev().collect();
            Issuer::of(&joined.join(" ")).filter(|_| !joined.is_empty())
        })
    };
    let notice_prefix = || {
        front.iter().find_map(|line| {
            let at = ["关于印发", "关于转发", "印发了《", "印发《"]
                .iter()
                .filter_map(|verb| line.key.find(verb))
                .min()?;
            // Key and text agree char for char, not byte for byte.
            let chars = line.key.get(..at)?.chars().count();
            let prefix: String = line.text.chars().take(chars).collect();
            let prefix = prefix.trim();
            let prefix = prefix
                .rsplit(['》', '号', ',', '，', '。', ':', '：'])
                .next()
                .unwrap_or(prefix);
            Issuer::of(prefix.strip_prefix("近日").unwrap_or(prefix))
        })
    };
    let title_prefix = || {
        let key = key_of(title);
        let at = key.find("关于")?;
        let chars = key.get(..at)?.chars().count();
        Issuer::of(&title.chars().take(chars).collect::<String>())
    };
    signed()
        .or_else(notice_prefix)
        .or_else(title_prefix)
        .or_else(|| Issuer::of(&signature_orgs.join(" ")))
        .or_else(|| {
            table
                .get(&["发文机关", "发布机构", "发文单位", "发布单位"])
                .and_then(Issuer::of)
        })
}

/// Period: a range in the title (2016-2018年), a single year in the title (2021年…), else the
/// first 到2025年 in the goals and preamble as the end year, with the year of issue as the
/// start when it is not after the end.
pub fn find_period(title: &str, goal_texts: &[&str], issue_year: Option<i32>) -> Period {
    let period = period_in(title, goal_texts);
    match (period.start, period.end, issue_year) {
        (None, Some(end), Some(year)) if year <= end && end - year <= 20 => Period {
            start: Some(year),
            end: Some(end),
        },
        _ => period,
    }
}

fn period_in(title: &str, goal_texts: &[&str]) -> Period {
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

/// A title that names an action (…专项行动, …提升行动（2024—2025年）) rather than a plan of one.
fn has_action_ending(key: &str) -> bool {
    let bare = key.trim_end_matches(|c: char| c.is_ascii_digit() || "()（）年-—~至 ".contains(c));
    bare.ends_with("行动")
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
    } else if key.contains("计划") || has_action_ending(&key) {
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

    fn title_of(text: &str) -> Option<String> {
        let lines = super::super::text::clean_lines(text);
        find_title(&lines, lines.len()).map(|found| found.title)
    }

    #[test]
    fn titles_unwrapped() {
        assert_eq!(
            title_of("杭州市人民政府办公厅关于印发杭州市质量强市建设实施方案的通知_政策文件_杭州市人民政府门户网站").as_deref(),
            Some("杭州市质量强市建设实施方案")
        );
        assert_eq!(
            title_of("中共四川省委办公厅 四川省人民政府办公厅印发《关于深入开展质量提升行动的实施意见》的通知").as_deref(),
            Some("关于深入开展质量提升行动的实施意见")
        );
        assert_eq!(
            title_of("浙江省人民政府关于印发贯彻落实《质量强国建设纲要》实施方案的通知").as_deref(),
            Some("贯彻落实《质量强国建设纲要》实施方案")
        );
        assert_eq!(
            title_of("《质量强国建设纲要\n分享到：微信 微博\n上海实施方案》发布").as_deref(),
            Some("质量强国建设纲要上海实施方案")
        );
        assert_eq!(
            title_of("【草案全文】普陀区质量提升三年行动计划(2021-2023年)").as_deref(),
            Some("普陀区质量提升三年行动计划(2021-2023年)")
        );
        assert_eq!(
            title_of("近日，中共中央、国务院印发了《质量强国建设纲要》，并发出通知。").as_deref(),
            Some("质量强国建设纲要")
        );
        assert_eq!(title_of("上海实施方案》发布"), None);
    }

    #[test]
    fn several_keys_on_one_table_row() {
        let lines = super::super::text::clean_lines(
            "发文机关：\t市场监管总局\t成文日期：\t2024年04月18日\n发文字号：国市监质发〔2024〕97号  发布日期：2024年04月26日",
        );
        let table = MetadataTable::from_lines(&lines);
        assert_eq!(table.get(&["发文机关"]), Some("市场监管总局"));
        assert_eq!(table.get(&["成文日期"]), Some("2024年04月18日"));
        assert_eq!(table.get(&["发文字号"]), Some("国市监质发〔2024〕97号"));
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
        let p = find_period("上海市质量发展三年行动计划(2016-2018年)", &[], Some(2016));
        assert_eq!((p.start, p.end), (Some(2016), Some(2018)));
        let p = find_period("2021年上海市质量发展工作要点", &[], None);
        assert_eq!((p.start, p.end), (Some(2021), Some(2021)));
        let goals = ["到2025年，质量整体水平进一步提高"];
        let p = find_period("质量强国建设纲要嘉定行动方案", &goals, None);
        assert_eq!((p.start, p.end), (None, Some(2025)));
        let p = find_period("质量强国建设纲要嘉定行动方案", &goals, Some(2024));
        assert_eq!((p.start, p.end), (Some(2024), Some(2025)));
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
