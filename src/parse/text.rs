//! Line cleaning and the matching key: white space folded, and a 1:1 character map
//! (full-width → ASCII, traditional → simplified) so offsets in the key are offsets in the text.

use super::t2s_table::T2S;

/// A non-empty source line, cleaned, with its matching key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The line as written, trimmed, with white space next to CJK text removed.
    pub text: String,
    /// The same characters mapped for matching: full-width forms to ASCII, U+3000 to space,
    /// traditional characters to simplified. Same number of chars as `text`.
    pub key: String,
    /// 1-based line number in the source.
    pub number: usize,
}

/// Splits text into cleaned, non-empty lines.
pub fn clean_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .enumerate()
        .filter_map(|(index, raw)| {
            let cleaned = clean_line(raw);
            (!cleaned.is_empty()).then(|| Line {
                key: key_of(&cleaned),
                text: cleaned,
                number: index + 1,
            })
        })
        .collect()
}

/// Trims a line, folds white space runs to one space, and drops white space that touches CJK.
pub fn clean_line(raw: &str) -> String {
    let chars: Vec<char> = raw
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && *c != '\u{200b}' && *c != '\u{feff}')
        .collect();
    let mut out = String::with_capacity(raw.len());
    let mut index = 0;
    while let Some(&ch) = chars.get(index) {
        if ch != ' ' {
            out.push(ch);
            index += 1;
            continue;
        }
        let run_end = (index..chars.len())
            .find(|&i| chars.get(i) != Some(&' '))
            .unwrap_or(chars.len());
        let before = out.chars().next_back();
        let after = chars.get(run_end).copied();
        let keep = match (before, after) {
            (Some(b), Some(a)) => !is_cjk(b) && !is_cjk(a),
            _ => false,
        };
        if keep {
            out.push(' ');
        }
        index = run_end;
    }
    out
}

/// True for Han characters, CJK punctuation and full-width forms.
pub fn is_cjk(ch: char) -> bool {
    matches!(ch,
        '\u{2E80}'..='\u{303F}'
        | '\u{3200}'..='\u{32FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '\u{2018}'..='\u{201F}'
        | '\u{2014}' | '\u{2026}' | '\u{00B7}')
}

/// True for Han characters only.
pub fn is_han(ch: char) -> bool {
    matches!(ch,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// The matching key of a string: a 1:1 character map, see [`Line::key`].
pub fn key_of(text: &str) -> String {
    text.chars().map(key_char).collect()
}

/// Maps one character for matching: [`width_char`], then traditional → simplified.
pub fn key_char(ch: char) -> char {
    traditional_to_simplified(width_char(ch))
}

/// Folds full-width forms to ASCII and a few look-alike forms to one.
pub fn width_char(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
        '\u{3000}' => ' ',
        '〇' | '○' | '◯' => '〇',
        '―' | '–' => '-',
        '﹙' => '(',
        '﹚' => ')',
        '【' => '[',
        '】' => ']',
        _ => ch,
    }
}

/// Traditional → simplified, one character for one, from OpenCC's tables (see
/// [`super::t2s_table`]); other characters unchanged.
pub fn traditional_to_simplified(ch: char) -> char {
    /// The common CJK blocks (extension A to the unified ideographs) as a direct table.
    const DENSE: std::ops::Range<u32> = 0x3400..0xA000;
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let code = ch as u32;
    if code < DENSE.start {
        return ch;
    }
    let search = |ch: char| {
        T2S.binary_search_by_key(&ch, |&(traditional, _)| traditional)
            .ok()
            .and_then(|at| T2S.get(at))
            .map_or(ch, |&(_, simplified)| simplified)
    };
    if code >= DENSE.end {
        return search(ch);
    }
    let table = TABLE.get_or_init(|| {
        DENSE
            .clone()
            .map(|code| char::from_u32(code).map_or('\u{0}', search))
            .collect()
    });
    table
        .get((code - DENSE.start) as usize)
        .copied()
        .filter(|&c| c != '\u{0}')
        .unwrap_or(ch)
}

/// How a numbered item is labelled; each scheme is one level of an outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// 第一章 / 第一部分 / 第一节.
    Chapter,
    /// 第一条.
    Article,
    /// 一、
    CnDun,
    /// （一） (一) ㈠
    CnParen,
    /// 1. 1、 1．
    NumDot,
    /// （1） (1) ⑴
    NumParen,
    /// 1)
    NumRParen,
    /// ① ②
    Circled,
}

/// A numbering label at the start of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label {
    /// The numbering scheme.
    pub scheme: Scheme,
    /// The number.
    pub ordinal: u32,
    /// Characters taken by the label itself (as written, e.g. `（十五）`).
    pub label_chars: usize,
    /// Characters up to the item's text (label plus any separator and white space).
    pub skip_chars: usize,
}

/// Detects a numbering label at the start of a key line.
pub fn detect_label(key: &str) -> Option<Label> {
    let chars: Vec<char> = key.chars().take(16).collect();
    let first = *chars.first()?;
    let label = match first {
        '第' => {
            let (ordinal, used) = cn_number_prefix(chars.get(1..)?)?;
            let rest: String = chars.iter().skip(1 + used).take(2).collect();
            let (scheme, suffix_chars) = if rest.starts_with("部分") {
                (Scheme::Chapter, 2)
            } else if rest.starts_with('章') || rest.starts_with('节') {
                (Scheme::Chapter, 1)
            } else if rest.starts_with('条') {
                (Scheme::Article, 1)
            } else {
                return None;
            };
            let label_chars = 1 + used + suffix_chars;
            Label {
                scheme,
                ordinal,
                label_chars,
                skip_chars: label_chars,
            }
        }
        '(' => {
            let inner = chars.get(1..)?;
            if let Some((ordinal, used)) = cn_number_prefix(inner) {
                (inner.get(used) == Some(&')')).then_some(Label {
                    scheme: Scheme::CnParen,
                    ordinal,
                    label_chars: used + 2,
                    skip_chars: used + 2,
                })?
            } else {
                let (ordinal, used) = digits_prefix(inner)?;
                (inner.get(used) == Some(&')')).then_some(Label {
                    scheme: Scheme::NumParen,
                    ordinal,
                    label_chars: used + 2,
                    skip_chars: used + 2,
                })?
            }
        }
        '\u{3220}'..='\u{3229}' => single(Scheme::CnParen, first as u32 - 0x3220 + 1),
        '\u{2460}'..='\u{2473}' => single(Scheme::Circled, first as u32 - 0x2460 + 1),
        '\u{2474}'..='\u{2487}' => single(Scheme::NumParen, first as u32 - 0x2474 + 1),
        '\u{2488}'..='\u{249B}' => single(Scheme::NumDot, first as u32 - 0x2488 + 1),
        '0'..='9' => {
            let (ordinal, used) = digits_prefix(&chars)?;
            let separator = *chars.get(used)?;
            let next = chars.get(used + 1).copied();
            let scheme = match separator {
                '.' | '、' | ',' if !next.is_some_and(|c| c.is_ascii_digit()) => Scheme::NumDot,
                ')' => Scheme::NumRParen,
                _ => return None,
            };
            Label {
                scheme,
                ordinal,
                label_chars: used + 1,
                skip_chars: used + 1,
            }
        }
        _ => {
            let (ordinal, used) = cn_number_prefix(&chars)?;
            match chars.get(used) {
                Some('、' | '.' | ',') => Label {
                    scheme: Scheme::CnDun,
                    ordinal,
                    label_chars: used + 1,
                    skip_chars: used + 1,
                },
                _ => return None,
            }
        }
    };
    // A separator right after a parenthesised label, e.g. （一）、, belongs to the label.
    let mut label = label;
    if matches!(label.scheme, Scheme::CnParen | Scheme::NumParen)
        && matches!(chars.get(label.skip_chars), Some('、' | '.' | ','))
    {
        label.skip_chars += 1;
    }
    while chars.get(label.skip_chars) == Some(&' ') {
        label.skip_chars += 1;
    }
    (label.ordinal > 0).then_some(label)
}

fn single(scheme: Scheme, ordinal: u32) -> Label {
    Label {
        scheme,
        ordinal,
        label_chars: 1,
        skip_chars: 1,
    }
}

/// Up to three ASCII digits at the start.
fn digits_prefix(chars: &[char]) -> Option<(u32, usize)> {
    let used = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    if used == 0 || used > 3 {
        return None;
    }
    let value = chars
        .iter()
        .take(used)
        .fold(0u32, |acc, c| acc * 10 + c.to_digit(10).unwrap_or(0));
    Some((value, used))
}

/// A Chinese numeral (一 … 九十九, 一百 …) at the start, with the number of chars it takes.
pub fn cn_number_prefix(chars: &[char]) -> Option<(u32, usize)> {
    let used = chars
        .iter()
        .take_while(|c| cn_digit(**c).is_some() || matches!(c, '十' | '百'))
        .count();
    if used == 0 || used > 6 {
        return None;
    }
    let value = cn_number_value(chars.get(..used)?)?;
    Some((value, used))
}

fn cn_digit(ch: char) -> Option<u32> {
    Some(match ch {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Value of a Chinese numeral written with 十 and 百 (十五 = 15, 二十二 = 22, 一百零三 = 103).
fn cn_number_value(chars: &[char]) -> Option<u32> {
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    for &ch in chars {
        match ch {
            '百' => {
                total += pending.take().unwrap_or(1) * 100;
            }
            '十' => {
                total += pending.take().unwrap_or(1) * 10;
            }
            _ => {
                let digit = cn_digit(ch)?;
                if digit == 0 {
                    continue; // 一百零三: 零 only marks an empty place.
                }
                if pending.is_some() {
                    return None;
                }
                pending = Some(digit);
            }
        }
    }
    total += pending.unwrap_or(0);
    Some(total)
}

/// Digits written as Chinese numerals one by one (二〇一三 = 2013).
pub fn cn_digits_value(text: &str) -> Option<u32> {
    text.chars()
        .try_fold(0u32, |acc, ch| Some(acc * 10 + cn_digit(ch)?))
}

/// Characters `start..end` of a string (by char index).
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_folds_to_simplified_one_for_one() {
        assert!(
            T2S.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for binary search"
        );
        let traditional = "質量強國建設綱要實施意見，啟動計量檢測認證體系";
        let key = key_of(traditional);
        assert_eq!(key, "质量强国建设纲要实施意见,启动计量检测认证体系");
        assert_eq!(key.chars().count(), traditional.chars().count());
        // Simplified text, and characters that are simplified too (著, 么), stay as written.
        assert_eq!(key_of("显著提升什么"), "显著提升什么");
        let as_written: String = "質量，（一）".chars().map(width_char).collect();
        assert_eq!(as_written, "質量,(一)");
    }

    fn label(text: &str) -> Option<(Scheme, u32)> {
        detect_label(&key_of(text)).map(|l| (l.scheme, l.ordinal))
    }

    #[test]
    fn labels_in_all_schemes() {
        assert_eq!(label("一、工作目标"), Some((Scheme::CnDun, 1)));
        assert_eq!(label("（二十二）强化服务"), Some((Scheme::CnParen, 22)));
        assert_eq!(label("(三十一)开展考核"), Some((Scheme::CnParen, 31)));
        assert_eq!(label("15.完善质量激励"), Some((Scheme::NumDot, 15)));
        assert_eq!(label("１、加强"), Some((Scheme::NumDot, 1)));
        assert_eq!(label("3．推进"), Some((Scheme::NumDot, 3)));
        assert_eq!(label("（1）推进"), Some((Scheme::NumParen, 1)));
        assert_eq!(label("②推进"), Some((Scheme::Circled, 2)));
        assert_eq!(label("第三章 保障"), Some((Scheme::Chapter, 3)));
        assert_eq!(label("第十二条 本办法"), Some((Scheme::Article, 12)));
        assert_eq!(label("2021年是开局之年"), None);
        assert_eq!(label("1.5倍以上"), None);
        assert_eq!(label("一是加强"), None);
        assert_eq!(label("十分重要、"), None);
    }

    #[test]
    fn cleaning_folds_space_near_cjk() {
        assert_eq!(clean_line("  2023 年上海市　静安区 "), "2023年上海市静安区");
        assert_eq!(clean_line("NQI  plan 质量"), "NQI plan质量");
        assert_eq!(key_of("（一）２０２５年：９８％"), "(一)2025年:98%");
    }

    #[test]
    fn chinese_numbers() {
        assert_eq!(cn_number_prefix(&['十', '五']), Some((15, 2)));
        assert_eq!(cn_number_prefix(&['二', '十']), Some((20, 2)));
        assert_eq!(cn_number_prefix(&['一', '百', '零', '三']), Some((103, 4)));
        assert_eq!(cn_digits_value("二〇一三"), Some(2013));
    }
}
