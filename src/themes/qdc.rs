//! The codebook as a REFI-QDA codebook (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`), so the
//! themes move to and from QDA tools (NVivo, ATLAS.ti, MAXQDA, QualCoder).
//!
//! Pillars become codes that are not codable, themes codable codes under them, with the theme
//! colour. What REFI-QDA has no field for (the English name, PlanAlign's id, keywords and
//! negatives) goes in the code's description after its free text, one `key: value` line each,
//! so an export imports back to the same codebook. A codebook from another tool imports too:
//! top-level codes with children become pillars, codes below them themes (deeper levels
//! flattened), loose top-level codes a pillar of their own, and missing ids, English names and
//! colours are made up. What the other tool wrote is kept for the way back: each code's GUID,
//! its colour (`#ABC` read as `#AABBCC`) and its description.

use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use sha2::{Digest, Sha256};

use super::{Codebook, CodebookError, Pillar, Theme};

/// The REFI-QDA codebook namespace.
pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";

const ID_KEY: &str = "planalign-id";
const EN_KEY: &str = "en";
const KEYWORDS_KEY: &str = "keywords";
const NEGATIVE_KEY: &str = "negative";

/// Colours given to imported themes that have none.
const PALETTE: &[&str] = &[
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1", "#FF9DA7",
    "#9C755F", "#BAB0AC",
];

/// Escapes text for XML content and attribute values; control characters other than tab and
/// newlines, which XML 1.0 does not allow, are dropped.
fn xml_escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    crate::report::html_escape(&allowed)
}

/// Whether text is a GUID as REFI-QDA writes them (`8-4-4-4-12` hex digits).
fn is_guid(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(part, len)| part.len() == len && part.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The GUID of a code: the one another tool gave it, else a stable one made from the id (so
/// re-exports keep the same GUIDs).
fn code_guid(kept: Option<&String>, id: &str) -> String {
    kept.cloned().unwrap_or_else(|| guid(id))
}

/// A description: the free text, then the `key: value` lines.
fn with_fields(free_text: &str, fields: &str) -> String {
    if free_text.is_empty() {
        fields.to_owned()
    } else {
        format!("{free_text}\n{fields}")
    }
}

/// A stable GUID for an id (so re-exports keep the same GUIDs).
fn guid(id: &str) -> String {
    let digest = Sha256::digest(id.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let part = |from: usize, to: usize| hex.get(from..to).unwrap_or("0");
    format!(
        "{}-{}-5{}-8{}-{}",
        part(0, 8),
        part(8, 12),
        part(13, 16),
        part(17, 20),
        part(20, 32)
    )
}

/// The codebook as REFI-QDA codebook XML.
pub fn to_qdc(codebook: &Codebook) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(
        out,
        "<CodeBook xmlns=\"{NAMESPACE}\" origin=\"PlanAlign {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "  <Codes>");
    for pillar in &codebook.pillars {
        let _ = writeln!(
            out,
            "    <Code guid=\"{}\" name=\"{}\" isCodable=\"false\">",
            code_guid(pillar.guid.as_ref(), &pillar.id),
            xml_escape(&pillar.zh)
        );
        let description = with_fields(
            &pillar.description,
            &format!("{EN_KEY}: {}\n{ID_KEY}: {}", pillar.en, pillar.id),
        );
        let _ = writeln!(
            out,
            "      <Description>{}</Description>",
            xml_escape(&description)
        );
        for theme in &pillar.themes {
            let _ = writeln!(
                out,
                "      <Code guid=\"{}\" name=\"{}\" isCodable=\"true\" color=\"{}\">",
                code_guid(theme.guid.as_ref(), &theme.id),
                xml_escape(&theme.zh),
                xml_escape(&theme.color)
            );
            let mut fields = format!("{EN_KEY}: {}\n{ID_KEY}: {}", theme.en, theme.id);
            if !theme.keywords.is_empty() {
                let _ = write!(fields, "\n{KEYWORDS_KEY}: {}", theme.keywords.join("; "));
            }
            if !theme.negative.is_empty() {
                let _ = write!(fields, "\n{NEGATIVE_KEY}: {}", theme.negative.join("; "));
            }
            let _ = writeln!(
                out,
                "        <Description>{}</Description>",
                xml_escape(&with_fields(&theme.description, &fields))
            );
            let _ = writeln!(out, "      </Code>");
        }
        let _ = writeln!(out, "    </Code>");
    }
    let _ = writeln!(out, "  </Codes>");
    let _ = writeln!(out, "</CodeBook>");
    out
}

/// A code as read, with its children.
#[derive(Default)]
struct Code {
    name: String,
    guid: Option<String>,
    color: Option<String>,
    description: String,
    children: Vec<Code>,
}

impl Code {
    /// The value of a `key: value` line of the description.
    fn field(&self, key: &str) -> Option<String> {
        self.description.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            (k.trim() == key).then(|| v.trim().to_owned())
        })
    }

    /// Description lines that are not `key: value` fields.
    fn free_text(&self) -> String {
        self.description
            .lines()
            .filter(|line| {
                !line.split_once(':').is_some_and(|(k, _)| {
                    [ID_KEY, EN_KEY, KEYWORDS_KEY, NEGATIVE_KEY].contains(&k.trim())
                })
            })
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }

    /// This code and every code below it, depth first.
    fn flatten(self) -> Vec<Code> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(mut code) = stack.pop() {
            let children = std::mem::take(&mut code.children);
            out.push(code);
            stack.extend(children.into_iter().rev());
        }
        out
    }
}

fn attribute(
    start: &BytesStart<'_>,
    name: &[u8],
    decoder: quick_xml::encoding::Decoder,
) -> Result<Option<String>, CodebookError> {
    for attr in start.attributes() {
        let attr = attr.map_err(|err| CodebookError::Malformed(err.to_string()))?;
        if attr.key.local_name().as_ref() == name {
            let value = attr
                .decode_and_unescape_value(decoder)
                .map_err(|err| CodebookError::Malformed(err.to_string()))?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}

/// Reads the codes of a REFI-QDA codebook.
fn read_codes(xml: &str) -> Result<Vec<Code>, CodebookError> {
    let malformed = |what: String| CodebookError::Malformed(what);
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut roots: Vec<Code> = Vec::new();
    let mut open: Vec<Code> = Vec::new();
    let mut in_description = false;
    let mut saw_codebook = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|err| malformed(format!("at byte {}: {err}", reader.buffer_position())))?;
        match event {
            Event::Start(start) | Event::Empty(start)
                if start.local_name().as_ref() == b"CodeBook" =>
            {
                saw_codebook = true;
            }
            Event::Start(start) if start.local_name().as_ref() == b"Code" => {
                if open.len() > 64 {
                    return Err(malformed("codes nested too deeply".to_owned()));
                }
                open.push(Code {
                    name: attribute(&start, b"name", reader.decoder())?.unwrap_or_default(),
                    guid: attribute(&start, b"guid", reader.decoder())?,
                    color: attribute(&start, b"color", reader.decoder())?,
                    ..Code::default()
                });
            }
            Event::Empty(start) if start.local_name().as_ref() == b"Code" => {
                let code = Code {
                    name: attribute(&start, b"name", reader.decoder())?.unwrap_or_default(),
                    guid: attribute(&start, b"guid", reader.decoder())?,
                    color: attribute(&start, b"color", reader.decoder())?,
                    ..Code::default()
                };
                match open.last_mut() {
                    Some(parent) => parent.children.push(code),
                    None => roots.push(code),
                }
            }
            Event::End(end) if end.local_name().as_ref() == b"Code" => {
                let code = open
                    .pop()
                    .ok_or_else(|| malformed("unbalanced Code".to_owned()))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(code),
                    None => roots.push(code),
                }
            }
            Event::Start(start) if start.local_name().as_ref() == b"Description" => {
                in_description = true;
            }
            Event::End(end) if end.local_name().as_ref() == b"Description" => {
                in_description = false;
            }
            Event::Text(text) if in_description => {
                let text = text.decode().map_err(|err| malformed(err.to_string()))?;
                let text =
                    quick_xml::escape::unescape(&text).map_err(|err| malformed(err.to_string()))?;
                if let Some(code) = open.last_mut() {
                    code.description.push_str(&text);
                }
            }
            Event::GeneralRef(reference) if in_description => {
                let text = match reference
                    .resolve_char_ref()
                    .map_err(|err| malformed(err.to_string()))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name = reference
                            .decode()
                            .map_err(|err| malformed(err.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| malformed(format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                if let Some(code) = open.last_mut() {
                    code.description.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !open.is_empty() {
        return Err(malformed("a Code element is not closed".to_owned()));
    }
    if !saw_codebook {
        return Err(malformed(
            "no CodeBook element (not a REFI-QDA codebook)".to_owned(),
        ));
    }
    Ok(roots)
}

/// An id made of the name's characters when no PlanAlign id was stored.
fn made_up_id(prefix: Option<&str>, name: &str, taken: &mut Vec<String>) -> String {
    let base = {
        let hex: String = Sha256::digest(name.as_bytes())
            .iter()
            .take(4)
            .map(|b| format!("{b:02x}"))
            .collect();
        match prefix {
            Some(prefix) => format!("{prefix}.imported-{hex}"),
            None => format!("imported-{hex}"),
        }
    };
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

fn split_list(value: Option<String>) -> Vec<String> {
    value
        .map(|v| {
            v.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a REFI-QDA codebook into a validated codebook.
pub fn from_qdc(xml: &str) -> Result<Codebook, CodebookError> {
    let roots = read_codes(xml)?;
    let mut taken: Vec<String> = Vec::new();
    let mut guids: Vec<String> = Vec::new();
    // A code's GUID is kept when it is one and no earlier code has it.
    let mut keep_guid = move |guid: Option<String>| -> Option<String> {
        let guid = guid.filter(|g| is_guid(g) && !guids.contains(g))?;
        guids.push(guid.clone());
        Some(guid)
    };
    let mut loose: Vec<Code> = Vec::new();
    let mut pillars: Vec<Pillar> = Vec::new();
    let mut theme_count = 0_usize;
    let mut make_theme =
        |code: Code,
         pillar_id: &str,
         taken: &mut Vec<String>,
         keep_guid: &mut dyn FnMut(Option<String>) -> Option<String>| {
            let id = match code.field(ID_KEY).filter(|id| !taken.contains(id)) {
                Some(id) => {
                    taken.push(id.clone());
                    id
                }
                None => made_up_id(Some(pillar_id), &code.name, taken),
            };
            let en = code.field(EN_KEY).unwrap_or_else(|| code.name.clone());
            let color = code
                .color
                .as_deref()
                .and_then(super::parse_hex_color)
                .map(|[r, g, b]| format!("#{r:02X}{g:02X}{b:02X}"))
                .unwrap_or_else(|| {
                    PALETTE
                        .get(theme_count % PALETTE.len())
                        .copied()
                        .unwrap_or("#9E9E9E")
                        .to_owned()
                });
            theme_count += 1;
            // A GUID PlanAlign made up from the id is not kept: it is made again on export.
            let kept_guid =
                keep_guid(code.guid.clone()).filter(|g| !g.eq_ignore_ascii_case(&guid(&id)));
            Theme {
                id,
                zh: code.name.clone(),
                en,
                color,
                keywords: split_list(code.field(KEYWORDS_KEY)),
                negative: split_list(code.field(NEGATIVE_KEY)),
                guid: kept_guid,
                description: code.free_text(),
            }
        };
    for root in roots {
        if root.children.is_empty() {
            loose.push(root);
            continue;
        }
        let id = match root.field(ID_KEY).filter(|id| !taken.contains(id)) {
            Some(id) => {
                taken.push(id.clone());
                id
            }
            None => made_up_id(None, &root.name, &mut taken),
        };
        let en = root.field(EN_KEY).unwrap_or_else(|| root.name.clone());
        let zh = root.name.clone();
        let kept_guid =
            keep_guid(root.guid.clone()).filter(|g| !g.eq_ignore_ascii_case(&guid(&id)));
        let description = root.free_text();
        let themes = root
            .children
            .into_iter()
            .flat_map(Code::flatten)
            .map(|code| make_theme(code, &id, &mut taken, &mut keep_guid))
            .collect();
        pillars.push(Pillar {
            id,
            zh,
            en,
            themes,
            guid: kept_guid,
            description,
        });
    }
    if !loose.is_empty() {
        let id = made_up_id(None, "其他 Other", &mut taken);
        let themes = loose
            .into_iter()
            .map(|code| make_theme(code, &id, &mut taken, &mut keep_guid))
            .collect();
        pillars.push(Pillar {
            id,
            zh: "其他".to_owned(),
            en: "Other".to_owned(),
            themes,
            ..Pillar::default()
        });
    }
    let codebook = Codebook {
        version: 1,
        pillars,
    };
    codebook.validate()?;
    Ok(codebook)
}

/// Reads a REFI-QDA codebook file (at most 20 MB, UTF-8 with or without BOM); errors are one
/// line naming the file.
pub fn load(path: &std::path::Path) -> Result<Codebook, String> {
    let bytes = crate::persist::read_limited(path).map_err(|err| err.to_string())?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| format!("not a UTF-8 codebook file: {}", path.display()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    from_qdc(text).map_err(|err| format!("{err}: {}", path.display()))
}

/// Writes the codebook to a REFI-QDA codebook file, atomically.
pub fn save(path: &std::path::Path, codebook: &Codebook) -> Result<(), String> {
    crate::persist::write_atomic(path, to_qdc(codebook).as_bytes()).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_codebook_round_trips() {
        let codebook = Codebook::bundled();
        let xml = to_qdc(&codebook);
        assert!(xml.contains(NAMESPACE));
        assert_eq!(from_qdc(&xml).unwrap(), codebook);
    }

    #[test]
    fn text_that_needs_escaping_round_trips() {
        let mut codebook = Codebook::bundled();
        codebook.pillars[0].themes[0].zh = "质量 & <创新> \"引号\" 'x'".to_owned();
        codebook.pillars[0].themes[0].keywords = vec!["a&b".to_owned(), "<c>".to_owned()];
        assert_eq!(from_qdc(&to_qdc(&codebook)).unwrap(), codebook);
    }

    #[test]
    fn a_foreign_codebook_imports_with_made_up_ids_and_colours() {
        let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="a" name="营商环境" isCodable="true">
      <Code guid="b" name="审批改革" isCodable="true" color="#112233">
        <Description>Approval reform</Description>
        <Code guid="c" name="一网通办" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="d" name="杂项" isCodable="true" color="#abcdef"/>
  </Codes>
</CodeBook>"##;
        let codebook = from_qdc(xml).unwrap();
        assert_eq!(codebook.pillars.len(), 2);
        let names: Vec<&str> = codebook.pillars[0]
            .themes
            .iter()
            .map(|t| t.zh.as_str())
            .collect();
        assert_eq!(names, ["审批改革", "一网通办"]);
        assert_eq!(codebook.pillars[0].themes[0].en, "审批改革");
        assert_eq!(codebook.pillars[0].themes[0].description, "Approval reform");
        assert_eq!(codebook.pillars[0].themes[0].color, "#112233");
        assert_eq!(codebook.pillars[1].themes[0].color, "#ABCDEF");
        assert!(codebook.pillars[0].themes[1].color.starts_with('#'));
    }

    #[test]
    fn another_tools_guids_colours_and_descriptions_survive_a_round_trip() {
        let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo">
  <Codes>
    <Code guid="0F5B1C7E-2D4A-4E8B-9C3D-111111111111" name="营商环境" isCodable="false">
      <Description>Business environment: approvals, permits
second line</Description>
      <Code guid="0F5B1C7E-2D4A-4E8B-9C3D-222222222222" name="审批改革" isCodable="true" color="#ABC">
        <Description>Approval reform</Description>
      </Code>
    </Code>
    <Code guid="0F5B1C7E-2D4A-4E8B-9C3D-333333333333" name="杂项" isCodable="true" color="#abcdef"/>
  </Codes>
</CodeBook>"##;
        let codebook = from_qdc(xml).unwrap();
        let pillar = &codebook.pillars[0];
        assert_eq!(
            pillar.description,
            "Business environment: approvals, permits\nsecond line"
        );
        assert_eq!(pillar.themes[0].color, "#AABBCC");
        let exported = to_qdc(&codebook);
        for guid in ["111111111111", "222222222222", "333333333333"] {
            assert!(
                exported.contains(&format!("0F5B1C7E-2D4A-4E8B-9C3D-{guid}")),
                "{guid}"
            );
        }
        assert!(exported.contains("Business environment: approvals, permits\nsecond line"));
        assert!(exported.contains("<Description>Approval reform\n"));
        assert!(exported.contains("color=\"#AABBCC\""));
        let again = from_qdc(&exported).unwrap();
        assert_eq!(again, codebook);
    }

    #[test]
    fn bad_xml_is_an_error_not_a_panic() {
        for bad in [
            "",
            "<CodeBook><Codes><Code name='x'>",
            "<a/>",
            "<CodeBook><Code></Codes>",
        ] {
            assert!(from_qdc(bad).is_err(), "{bad:?}");
        }
    }
}
