//! China's administrative divisions (GB/T 2260 codes: provinces, prefectures, counties and
//! districts) with their short forms, from `assets/divisions/divisions.tsv` (generated from the
//! cpca package's adcode table, MIT; see `assets/divisions/make_table.py`).
//!
//! Parents follow from the code: `310106` 静安区 lies in `310000` 上海市 (the placeholder
//! prefecture 市辖区 is not a division of its own), `330106` 西湖区 in `330100` 杭州市 in
//! `330000` 浙江省; a county-level unit directly under its province (仙桃市, `429004`) has the
//! province as parent.
//!
//! ```
//! let gazetteer = planalign::gazetteer::gazetteer();
//! let jingan = gazetteer.named("静安区");
//! assert_eq!(jingan.len(), 1);
//! let names: Vec<&str> = gazetteer.lineage(jingan[0].code).iter().map(|d| d.name).collect();
//! assert_eq!(names, ["上海市", "静安区"]);
//! assert_eq!(gazetteer.named("普陀区").len(), 2); // Shanghai's and Zhoushan's
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// The generated table: `code<TAB>name<TAB>short,short`, `#` comments.
const TABLE: &str = include_str!("../assets/divisions/divisions.tsv");

/// Province-level municipalities: 北京, 天津, 上海, 重庆.
const MUNICIPALITIES: [u32; 4] = [110000, 120000, 310000, 500000];

/// One administrative division.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Division {
    /// GB/T 2260 code, e.g. 310106.
    pub code: u32,
    /// Official name, e.g. 静安区.
    pub name: &'static str,
    /// Short forms, e.g. 静安 (none for names a short form would make a common word).
    pub short_names: Vec<&'static str>,
}

/// Where a division stands in the hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// 省, 自治区, 直辖市, 特别行政区.
    Province,
    /// 地级市, 自治州, 地区, 盟.
    Prefecture,
    /// 区, 县, 县级市, 旗.
    County,
}

impl Division {
    /// Province, prefecture or county level, from the code.
    pub fn rank(&self) -> Rank {
        if self.code % 10000 == 0 {
            Rank::Province
        } else if self.code % 100 == 0 {
            Rank::Prefecture
        } else {
            Rank::County
        }
    }

    /// Whether this is one of the four province-level municipalities (北京市, 上海市 …).
    pub fn is_municipality(&self) -> bool {
        MUNICIPALITIES.contains(&self.code)
    }

    /// The six-digit code as text, e.g. `310106`.
    pub fn code_text(&self) -> String {
        format!("{:06}", self.code)
    }

    /// The shortest short form, or the name when there is none: 浦东 for 浦东新区, 广西 for
    /// 广西壮族自治区.
    pub fn short_name(&self) -> &'static str {
        self.short_names
            .iter()
            .copied()
            .min_by_key(|short| short.chars().count())
            .unwrap_or(self.name)
    }
}

/// A place name found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset where the name starts.
    pub start: usize,
    /// Byte offset just after the name.
    pub end: usize,
    /// Whether the text has a short form (静安), not the full name (静安区).
    pub short: bool,
    /// Every division of that name, by code (two for 普陀区).
    pub codes: Vec<u32>,
}

/// The divisions with indexes by code and by name.
pub struct Gazetteer {
    divisions: Vec<Division>,
    by_code: HashMap<u32, usize>,
    /// Name or short form → (division index, is a short form).
    by_name: HashMap<&'static str, Vec<(usize, bool)>>,
    /// Every key of `by_name`, in the matcher's pattern order.
    patterns: Vec<&'static str>,
    matcher: Option<AhoCorasick>,
    longest_name: usize,
}

/// The gazetteer, read from the embedded table on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::from_table(TABLE));
    &GAZETTEER
}

impl Gazetteer {
    /// Reads `code<TAB>name<TAB>short,short` lines; malformed lines are skipped.
    pub fn from_table(table: &'static str) -> Self {
        let mut divisions: Vec<Division> = table
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut fields = line.split('\t');
                let code = fields.next()?.trim().parse::<u32>().ok()?;
                let name = fields.next()?.trim();
                let short_names = fields
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|short| !short.is_empty())
                    .collect();
                (!name.is_empty()).then_some(Division {
                    code,
                    name,
                    short_names,
                })
            })
            .collect();
        divisions.sort_by_key(|division| division.code);
        divisions.dedup_by_key(|division| division.code);
        let by_code = divisions
            .iter()
            .enumerate()
            .map(|(index, division)| (division.code, index))
            .collect();
        let mut by_name: HashMap<&'static str, Vec<(usize, bool)>> = HashMap::new();
        for (index, division) in divisions.iter().enumerate() {
            by_name
                .entry(division.name)
                .or_default()
                .push((index, false));
            for short in &division.short_names {
                by_name.entry(short).or_default().push((index, true));
            }
        }
        let mut patterns: Vec<&'static str> = by_name.keys().copied().collect();
        patterns.sort_unstable();
        let longest_name = patterns
            .iter()
            .map(|name| name.chars().count())
            .max()
            .unwrap_or(0);
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Self {
            divisions,
            by_code,
            by_name,
            patterns,
            matcher,
            longest_name,
        }
    }

    /// Every division, sorted by code.
    pub fn divisions(&self) -> &[Division] {
        &self.divisions
    }

    /// The division with this code.
    pub fn by_code(&self, code: u32) -> Option<&Division> {
        self.by_code
            .get(&code)
            .and_then(|&index| self.divisions.get(index))
    }

    /// The division with this code written as text (`310106`).
    pub fn by_code_text(&self, code: &str) -> Option<&Division> {
        self.by_code(code.trim().parse().ok()?)
    }

    /// Divisions whose official name is `name`, sorted by code.
    pub fn named(&self, name: &str) -> Vec<&Division> {
        self.lookup(name)
            .into_iter()
            .filter(|(_, short)| !short)
            .map(|(division, _)| division)
            .collect()
    }

    /// Divisions whose name or short form is `name`, with whether it is a short form.
    pub fn lookup(&self, name: &str) -> Vec<(&Division, bool)> {
        self.by_name
            .get(name)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|&(index, short)| Some((self.divisions.get(index)?, short)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The enclosing division: the prefecture, else the province; `None` for a province.
    pub fn parent(&self, code: u32) -> Option<&Division> {
        let division = self.by_code(code)?;
        match division.rank() {
            Rank::Province => None,
            Rank::Prefecture => self.by_code(code / 10000 * 10000),
            Rank::County => self
                .by_code(code / 100 * 100)
                .or_else(|| self.by_code(code / 10000 * 10000)),
        }
    }

    /// The chain from the province down to this division, e.g. [上海市, 静安区]; empty for an
    /// unknown code.
    pub fn lineage(&self, code: u32) -> Vec<&Division> {
        let mut chain: Vec<&Division> = Vec::new();
        let mut current = self.by_code(code);
        while let Some(division) = current {
            chain.push(division);
            current = self.parent(division.code);
        }
        chain.reverse();
        chain
    }

    /// Whether `inner` lies within `outer` (or is it).
    pub fn is_within(&self, inner: u32, outer: u32) -> bool {
        self.lineage(inner).iter().any(|d| d.code == outer)
    }

    /// The longest name or short form at the start of `text`: its length in bytes and its
    /// divisions, full names before short forms.
    pub fn name_at(&self, text: &str) -> Option<(usize, Vec<(&Division, bool)>)> {
        let ends: Vec<usize> = text
            .char_indices()
            .skip(1)
            .map(|(at, _)| at)
            .chain(std::iter::once(text.len()))
            .take(self.longest_name)
            .collect();
        ends.iter().rev().find_map(|&end| {
            let found = self.lookup(text.get(..end)?);
            (!found.is_empty()).then_some((end, found))
        })
    }

    /// Every place name in `text`, left to right, longest first where names overlap.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        matcher
            .find_iter(text)
            .filter_map(|found| {
                let name = self.patterns.get(found.pattern().as_usize())?;
                let entries = self.by_name.get(name)?;
                let short = entries.iter().all(|&(_, short)| short);
                let codes = entries
                    .iter()
                    .filter(|&&(_, is_short)| is_short == short)
                    .filter_map(|&(index, _)| Some(self.divisions.get(index)?.code))
                    .collect();
                Some(Mention {
                    start: found.start(),
                    end: found.end(),
                    short,
                    codes,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(codes: &[&Division]) -> Vec<&'static str> {
        codes.iter().map(|d| d.name).collect()
    }

    #[test]
    fn parents_follow_the_code() {
        let g = gazetteer();
        assert!(g.divisions().len() > 3000);
        let lineage = |name: &str| names(&g.lineage(g.named(name)[0].code));
        assert_eq!(lineage("浦东新区"), ["上海市", "浦东新区"]);
        assert_eq!(lineage("上海市"), ["上海市"]);
        assert_eq!(lineage("长兴县"), ["浙江省", "湖州市", "长兴县"]);
        assert_eq!(lineage("仙桃市"), ["湖北省", "仙桃市"]);
        assert_eq!(lineage("忠县"), ["重庆市", "忠县"]);
        assert_eq!(g.named("杭州市")[0].rank(), Rank::Prefecture);
        assert!(g.named("上海市")[0].is_municipality());
        assert_eq!(g.named("市辖区").len(), 0, "placeholders are not divisions");
    }

    #[test]
    fn short_forms_and_lookups() {
        let g = gazetteer();
        assert_eq!(g.named("广西壮族自治区")[0].short_name(), "广西");
        assert_eq!(g.named("浦东新区")[0].short_name(), "浦东");
        assert_eq!(g.named("黔东南苗族侗族自治州")[0].short_name(), "黔东南");
        assert!(
            g.lookup("和平").is_empty(),
            "a common word is no short form"
        );
        assert!(g.named("鼓楼区").len() >= 4);
        let (length, found) = g.name_at("上海市静安区质量工作要点").unwrap();
        assert_eq!(length, "上海市".len());
        assert_eq!(
            names(&found.iter().map(|(d, _)| *d).collect::<Vec<_>>()),
            ["上海市"]
        );
        assert!(g.name_at("质量强县").is_none());
        let mentions = g.mentions("质量强国建设纲要嘉定行动方案");
        assert_eq!(mentions.len(), 1);
        assert!(mentions[0].short);
        assert_eq!(mentions[0].codes, [310114]);
    }
}
