//! Word documents (.docx) → text: paragraph text in document order, with Word's automatic list
//! numbering turned back into the labels it displays (一、 （一） 1. ① …), so the plan parser
//! sees what the reader sees. Reading is capped: a document that expands beyond
//! [`MAX_UNZIPPED_BYTES`] is refused (zip bombs), and a truncated or encrypted file is a clear
//! error, not an empty plan.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::{BytesStart, Event};

use super::IngestError;

/// The most a document's parts may expand to, in bytes.
pub const MAX_UNZIPPED_BYTES: u64 = 64 * 1024 * 1024;

/// Whether bytes are a zip archive (as every .docx is).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// One level of a numbering definition.
#[derive(Clone, Debug, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
    /// Restart after this level (1-based) is used; `Some(0)` never restarts.
    restart: Option<u32>,
}

/// Numbering definitions: `w:num` ids (list instances) → their abstract definition and start
/// overrides by level; abstract ids → levels.
#[derive(Debug, Default)]
struct Numbering {
    nums: HashMap<String, (String, HashMap<u32, u32>)>,
    abstracts: HashMap<String, HashMap<u32, Level>>,
}

fn bad(reason: impl std::fmt::Display) -> IngestError {
    IngestError::BadDocument(format!("Word document: {reason}"))
}

fn attr(start: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            let raw = std::str::from_utf8(&a.value).ok()?;
            quick_xml::escape::unescape(raw)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Reads one part of the archive, refusing to expand past the limit.
fn read_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    budget: &mut u64,
) -> Result<Option<String>, IngestError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(why)) => {
            return Err(bad(format!("unsupported or encrypted ({why})")));
        }
        Err(err) => return Err(bad(err)),
    };
    if file.encrypted() {
        return Err(bad("the document is encrypted"));
    }
    let mut bytes = Vec::new();
    file.take(*budget + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| {
            bad(format!(
                "{name} cannot be read ({err}); the file may be truncated"
            ))
        })?;
    let used = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if used > *budget {
        return Err(IngestError::TooLargeUnzipped {
            limit: MAX_UNZIPPED_BYTES,
        });
    }
    *budget -= used;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| bad(format!("{name} is not UTF-8 XML")))
}

fn parse_numbering(xml: &str) -> Result<Numbering, IngestError> {
    let mut numbering = Numbering::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut abstract_id: Option<String> = None;
    let mut num_id: Option<String> = None;
    let mut level: Option<(u32, Level)> = None;
    let mut override_level: Option<u32> = None;
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => abstract_id = attr(&e, b"abstractNumId"),
                b"lvl" => {
                    let ilvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((
                        ilvl,
                        Level {
                            start: 1,
                            ..Level::default()
                        },
                    ));
                }
                b"start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                b"lvlOverride" => {
                    override_level = attr(&e, b"ilvl").and_then(|v| v.parse().ok());
                }
                b"startOverride" => {
                    let start = attr(&e, b"val").and_then(|v| v.parse().ok());
                    if let (Some(num), Some(ilvl), Some(start)) = (&num_id, override_level, start) {
                        numbering
                            .nums
                            .entry(num.clone())
                            .or_default()
                            .1
                            .insert(ilvl, start);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = attr(&e, b"val").unwrap_or_default();
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = attr(&e, b"val").unwrap_or_default();
                    }
                }
                b"lvlRestart" => {
                    if let Some((_, l)) = &mut level {
                        l.restart = attr(&e, b"val").and_then(|v| v.parse().ok());
                    }
                }
                b"num" => num_id = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(num), Some(target)) = (&num_id, attr(&e, b"val")) {
                        numbering.nums.entry(num.clone()).or_default().0 = target;
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"lvl" => {
                    if let (Some(id), Some((ilvl, l))) = (&abstract_id, level.take()) {
                        numbering
                            .abstracts
                            .entry(id.clone())
                            .or_default()
                            .insert(ilvl, l);
                    }
                }
                b"abstractNum" => abstract_id = None,
                b"num" => num_id = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(numbering)
}

/// Paragraph styles that carry numbering: style id → (num id, level).
fn parse_styles(xml: &str) -> Result<HashMap<String, (String, u32)>, IngestError> {
    let mut styles = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut style: Option<String> = None;
    let (mut num, mut ilvl) = (None::<String>, 0_u32);
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    style = attr(&e, b"styleId");
                    num = None;
                    ilvl = 0;
                }
                b"numId" => num = attr(&e, b"val"),
                b"ilvl" => ilvl = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let (Some(id), Some(n)) = (style.take(), num.take()) {
                    styles.insert(id, (n, ilvl));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// A number in Chinese numerals (1–9999), as Word's `chineseCounting` shows it.
pub(crate) fn chinese(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: u32| {
        DIGITS
            .get(usize::try_from(d).unwrap_or(0))
            .copied()
            .unwrap_or("")
    };
    match n {
        0 => "零".to_owned(),
        1..=9 => digit(n).to_owned(),
        10..=19 => format!("十{}", if n % 10 == 0 { "" } else { digit(n % 10) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n % 10 == 0 { "" } else { digit(n % 10) }
        ),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", digit(rest)),
                10..=19 => format!("一{}", chinese(rest)),
                _ => chinese(rest),
            };
            format!("{}百{tail}", digit(n / 100))
        }
        _ => n.to_string(),
    }
}

/// A counter as a numbering format shows it.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "chineseLegalSimplified"
        | "ideographTraditional"
        | "japaneseCounting"
        | "taiwaneseCounting" => chinese(n),
        "ideographDigital" | "taiwaneseDigital" => n
            .to_string()
            .chars()
            .map(|c| match c {
                '0' => '〇',
                d => chinese(d.to_digit(10).unwrap_or(0))
                    .chars()
                    .next()
                    .unwrap_or(d),
            })
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => {
            char::from_u32(0x2474 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(u32::from(c) - u32::from('0') + 0xFF10).unwrap_or(c))
            .collect(),
        "lowerLetter" | "upperLetter" => {
            let base = if format == "lowerLetter" { b'a' } else { b'A' };
            let index = u8::try_from((n.max(1) - 1) % 26).unwrap_or(0);
            char::from(base + index).to_string()
        }
        "lowerRoman" | "upperRoman" => {
            let roman = roman(n);
            if format == "lowerRoman" {
                roman.to_lowercase()
            } else {
                roman
            }
        }
        "bullet" | "none" => String::new(),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    let mut out = String::new();
    for (value, symbol) in [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

/// Counters of the lists seen so far, by list instance (`w:num` id).
#[derive(Default)]
struct Counters(HashMap<String, Vec<Option<u32>>>);

impl Counters {
    /// Advances the counter of `ilvl` in a list and returns the label Word shows.
    fn label(&mut self, numbering: &Numbering, num_id: &str, ilvl: u32) -> String {
        let Some((abstract_id, overrides)) = numbering.nums.get(num_id) else {
            return String::new();
        };
        let Some(levels) = numbering.abstracts.get(abstract_id) else {
            return String::new();
        };
        let Some(level) = levels.get(&ilvl) else {
            return String::new();
        };
        if level.format == "bullet" {
            return String::new();
        }
        let counters = self
            .0
            .entry(num_id.to_owned())
            .or_insert_with(|| vec![None; 9]);
        let index = usize::try_from(ilvl).unwrap_or(0).min(8);
        let start = overrides.get(&ilvl).copied().unwrap_or(level.start);
        let next = counters
            .get(index)
            .copied()
            .flatten()
            .map_or(start, |n| n + 1);
        if let Some(slot) = counters.get_mut(index) {
            *slot = Some(next);
        }
        // Deeper levels restart, unless they say they never do (lvlRestart 0) or restart only
        // after a level above this one.
        for (deeper, slot) in counters.iter_mut().enumerate().skip(index + 1) {
            let restart = levels
                .get(&u32::try_from(deeper).unwrap_or(0))
                .and_then(|l| l.restart);
            let restarts = match restart {
                Some(0) => false,
                Some(after) => usize::try_from(after).unwrap_or(0) > index,
                None => true,
            };
            if restarts {
                *slot = None;
            }
        }
        let mut label = level.text.clone();
        for k in 0..9_u32 {
            let placeholder = format!("%{}", k + 1);
            if !label.contains(&placeholder) {
                continue;
            }
            let value = counters
                .get(usize::try_from(k).unwrap_or(0))
                .copied()
                .flatten()
                .or_else(|| overrides.get(&k).copied())
                .or_else(|| levels.get(&k).map(|l| l.start))
                .unwrap_or(1);
            let format = levels.get(&k).map_or("decimal", |l| l.format.as_str());
            label = label.replace(&placeholder, &format_number(value, format));
        }
        label
    }
}

/// The text of a .docx file, one paragraph per line, list labels written out.
pub fn docx_to_text(bytes: &[u8]) -> Result<String, IngestError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|err| {
        bad(format!(
            "{err}; the file may be truncated or not a Word document"
        ))
    })?;
    let mut budget = MAX_UNZIPPED_BYTES;
    let document = read_part(&mut archive, "word/document.xml", &mut budget)?
        .ok_or_else(|| bad("no word/document.xml (not a Word document)"))?;
    let numbering = match read_part(&mut archive, "word/numbering.xml", &mut budget)? {
        Some(xml) => parse_numbering(&xml)?,
        None => Numbering::default(),
    };
    let styles = match read_part(&mut archive, "word/styles.xml", &mut budget)? {
        Some(xml) => parse_styles(&xml)?,
        None => HashMap::new(),
    };
    let mut counters = Counters::default();
    let mut lines: Vec<String> = Vec::new();
    let mut reader = quick_xml::Reader::from_str(&document);
    let mut paragraph = String::new();
    let (mut num_id, mut ilvl, mut style) = (None::<String>, None::<u32>, None::<String>);
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(bad)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    paragraph.clear();
                    (num_id, ilvl, style) = (None, None, None);
                }
                b"numId" => num_id = attr(&e, b"val"),
                b"ilvl" => ilvl = attr(&e, b"val").and_then(|v| v.parse().ok()),
                b"pStyle" => style = attr(&e, b"val"),
                b"t" => in_text = true,
                b"tab" => paragraph.push('\t'),
                b"br" | b"cr" => paragraph.push('\n'),
                _ => {}
            },
            Event::Text(text) if in_text => {
                paragraph.push_str(&text.decode().map_err(bad)?);
            }
            Event::GeneralRef(reference) if in_text => {
                if let Some(c) = reference.resolve_char_ref().map_err(bad)? {
                    paragraph.push(c);
                } else {
                    let name = reference.decode().map_err(bad)?;
                    if let Some(text) = quick_xml::escape::resolve_predefined_entity(&name) {
                        paragraph.push_str(text);
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let numbered = num_id
                        .clone()
                        .map(|n| (n, ilvl.unwrap_or(0)))
                        .or_else(|| style.as_ref().and_then(|s| styles.get(s).cloned()));
                    let label = match numbered {
                        Some((n, level)) if n != "0" => counters.label(&numbering, &n, level),
                        _ => String::new(),
                    };
                    let text = paragraph.trim();
                    if !text.is_empty() {
                        lines.push(format!("{label}{text}"));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_word_shows_them() {
        assert_eq!(chinese(1), "一");
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(17), "十七");
        assert_eq!(chinese(20), "二十");
        assert_eq!(chinese(31), "三十一");
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(chinese(110), "一百一十");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(2, "upperLetter"), "B");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        for bytes in [&b"PK\x03\x04garbage"[..], b"", b"hello"] {
            let err = docx_to_text(bytes).unwrap_err();
            assert!(matches!(err, IngestError::BadDocument(_)), "{err}");
        }
    }
}
