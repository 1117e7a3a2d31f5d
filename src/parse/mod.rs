//! Raw plan text → [`Plan`], in two steps: the text is cut into an outline of labelled items
//! (page chrome dropped, broken lines joined), then the outline becomes a validated plan with
//! metadata, agencies and targets.
//!
//! ```
//! let text = "2023年上海市静安区质量工作要点\n一、夯实基础\n（一）完善质量激励制度。发布实施管理办法。（牵头单位：区市场监管局）";
//! let plan = planalign::parse::parse_text(text, "jingan.txt").unwrap();
//! assert_eq!(plan.meta.jurisdiction.name.as_deref(), Some("静安区"));
//! assert_eq!(plan.measures[0].title, "完善质量激励制度");
//! assert_eq!(plan.measures[0].lead_units[0].agency_type, "市场监管局");
//! ```

mod agencies;
mod issuer;
mod meta;
mod outline;
mod place;
mod t2s_table;
mod targets;
pub mod text;

use std::collections::HashMap;
use std::path::Path;

pub use agencies::agency;
pub use outline::lead_phrase;
pub use targets::find_targets;

use crate::ingest::{self, DecodedText, IngestError};
use crate::model::{ItemKind, Measure, Meta, Plan, Section, Source, Warning};
use outline::{Classified, Entry, RawItem};
use text::{Label, Line, clean_lines, detect_label};

/// Why a text could not become a plan.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// No numbered items (一、 （一） 1. …) anywhere in the text.
    #[error("no numbered items found (expected 一、 / （一） / 1. …)")]
    NoNumberedItems,
    /// Numbered items, but none of them a measure (only goals, guarantees or headings).
    #[error("no measures found: the numbered items are only goals, guarantees or headings")]
    NoMeasures,
    /// Reading or decoding the file failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// Reads, decodes and parses a plan text file.
pub fn parse_file(path: &Path) -> Result<Plan, ParseError> {
    let decoded = ingest::read_text_file(path)?;
    parse_decoded_file(decoded, path)
}

/// Parses a plan text read and decoded from `path`.
pub fn parse_decoded_file(decoded: DecodedText, path: &Path) -> Result<Plan, ParseError> {
    let file_name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_decoded(decoded, &file_name)
}

/// Parses a plan pasted from the clipboard at `pasted_at` (RFC 3339, UTC): the text goes
/// through the same steps as a file's (a copied web page's chrome is dropped). The plan's
/// source is named `pasted-<time>.txt`, with the sha256 of the text as UTF-8 and the time as
/// its import time. A text without a single measure is not a plan.
pub fn parse_pasted(text: &str, pasted_at: &str) -> Result<Plan, ParseError> {
    let stamp: String = pasted_at
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let stamp = match (stamp.get(..8), stamp.get(8..)) {
        (Some(date), Some(time)) if !time.is_empty() => format!("{date}-{time}"),
        _ => stamp,
    };
    let file_name = format!("pasted-{stamp}.txt");
    let mut plan = parse_bytes(text.as_bytes(), &file_name)?;
    if plan.measures.is_empty() {
        return Err(ParseError::NoMeasures);
    }
    plan.source.encoding = "clipboard (UTF-8)".to_owned();
    plan.source.imported_at = Some(pasted_at.to_owned());
    Ok(plan)
}

/// Decodes and parses plan bytes.
pub fn parse_bytes(bytes: &[u8], file_name: &str) -> Result<Plan, ParseError> {
    parse_decoded(ingest::decode(bytes)?, file_name)
}

/// Parses decoded text and records its provenance. A saved web page (by its `.html` / `.htm`
/// name or its first tag) is reduced to its visible text first.
pub fn parse_decoded(mut decoded: DecodedText, file_name: &str) -> Result<Plan, ParseError> {
    let lower_name = file_name.to_ascii_lowercase();
    if lower_name.ends_with(".html")
        || lower_name.ends_with(".htm")
        || ingest::html::looks_like_html(&decoded.text)
    {
        decoded.text = ingest::html::html_to_text(&decoded.text);
        decoded.encoding.push_str(", HTML");
    }
    let mut plan = parse_text(&decoded.text, file_name)?;
    plan.source = Source {
        file_name: file_name.to_owned(),
        sha256: decoded.sha256,
        num_bytes: decoded.num_bytes,
        encoding: decoded.encoding,
        imported_at: None,
        text: decoded.text,
    };
    Ok(plan)
}

/// Parses plan text. `file_name` gives the plan id (its stem) and the fallback title.
pub fn parse_text(text: &str, file_name: &str) -> Result<Plan, ParseError> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines = clean_lines(&normalised);
    let labels: Vec<Option<Label>> = lines.iter().map(|line| detect_label(&line.key)).collect();
    let first_label = labels
        .iter()
        .zip(&lines)
        .position(|(label, line)| label.is_some() && !meta::is_chrome(&line.key))
        .ok_or(ParseError::NoNumberedItems)?;
    let mut warnings = Vec::new();

    // Where the document starts: its own title line; everything before is front matter (and
    // the wrapper a title was taken from, when the document has no title line of its own).
    let found_title = meta::find_title(&lines, first_label);
    let (title, front, body_start) = match found_title {
        Some(found) => {
            let mut title = found.title;
            let mut body_start = found.last + 1;
            if let Some(next) = lines.get(body_start).filter(|_| body_start < first_label) {
                if meta::is_title_continuation(&next.key) {
                    title.push_str(&next.text);
                    body_start += 1;
                }
            }
            let mut front: Vec<Line> = match found.source {
                meta::TitleSource::Own => lines.get(..found.first).unwrap_or_default().to_vec(),
                // No title line of its own: the notice (文号, addressees, signature, date)
                // is front matter up to its date.
                meta::TitleSource::Wrapper | meta::TitleSource::Sentence => {
                    let notice_end = meta::notice_end(&lines, body_start, first_label);
                    let front = lines.get(..notice_end).unwrap_or_default().to_vec();
                    body_start = notice_end;
                    front
                }
            };
            // 文号, date, page table rows and widgets right under the title are front matter.
            while body_start < first_label {
                let Some(line) = lines.get(body_start) else {
                    break;
                };
                // A byline (the issuing body on its own line, its date on the next) counts too.
                let byline = meta::is_org_line(&line.key)
                    && body_start + 1 < first_label
                    && lines
                        .get(body_start + 1)
                        .is_some_and(|next| meta::standalone_date(&next.key).is_some());
                if !byline && !meta::is_title_block_line(&line.key) {
                    break;
                }
                front.push(line.clone());
                body_start += 1;
            }
            (title, front, body_start)
        }
        None => {
            warnings.push(Warning {
                code: "missing_title".to_owned(),
                message: "no title line found; using the file name".to_owned(),
                line: None,
            });
            let front = lines.get(..first_label).unwrap_or_default().to_vec();
            (file_stem(file_name), front, first_label)
        }
    };
    let front = front.as_slice();

    // Where it ends: the first end marker (抄送, 纠错, related articles …) after the outline starts.
    let body_end = (first_label..lines.len())
        .find(|&index| {
            lines
                .get(index)
                .is_some_and(|l| meta::is_end_marker(&l.key))
        })
        .unwrap_or(lines.len());
    let mut body: Vec<(Line, Option<Label>)> = lines
        .iter()
        .zip(&labels)
        .take(body_end)
        .skip(body_start)
        .map(|(line, label)| (line.clone(), *label))
        .collect();
    let (signature_orgs, signature_date) = take_signature(&mut body);

    let outline = outline::build(&body);
    warnings.extend(outline::numbering_warnings(&outline));
    let classified = outline::classify(&outline);
    let preamble = outline.preamble.join("\n");

    let table = meta::MetadataTable::from_lines(front);
    let issuer = meta::find_issuer(front, &title, &signature_orgs, &table);
    let date = table
        .get(&["发文日期", "成文日期", "印发日期"])
        .and_then(meta::find_date)
        .or_else(|| {
            front
                .iter()
                .find_map(|line| meta::standalone_date(&line.key))
        })
        .or(signature_date)
        .or_else(|| {
            table
                .get(&["发布日期", "发布时间", "日期"])
                .and_then(meta::find_date)
        })
        .or_else(|| front.iter().find_map(|line| meta::stamp_date(&line.key)));
    if date.is_none() {
        warnings.push(Warning {
            code: "missing_date".to_owned(),
            message: "the text gives no issue date".to_owned(),
            line: None,
        });
    }
    let doc_number = meta::find_doc_number(front, &table);
    let title_key = text::key_of(&title);
    let notice_keys: Vec<&str> = front
        .iter()
        .filter(|line| line.key.contains("关于") || line.key.contains("印发"))
        .map(|line| line.key.as_str())
        .collect();
    let table_keys: Vec<String> = [&["名称", "标题"][..], &["发文机关", "发布机构"][..]]
        .iter()
        .filter_map(|names| table.get(names))
        .map(text::key_of)
        .collect();
    let whole_key: String = lines
        .iter()
        .map(|line| line.key.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let sources = place::Sources {
        organs: issuer
            .as_ref()
            .map(|issuer| issuer.organ_keys.clone())
            .unwrap_or_default(),
        title: &title_key,
        notices: notice_keys,
        table: table_keys.iter().map(String::as_str).collect(),
        doc_number: doc_number.as_deref(),
        text: &whole_key,
    };
    let (jurisdiction, place_warning) = place::find_jurisdiction(&sources);
    warnings.extend(place_warning);
    let subject_level = place::subject_level(&title_key, jurisdiction.level);
    let goal_texts: Vec<&str> = classified
        .items
        .iter()
        .filter(|item| item.kind == ItemKind::Goal)
        .map(|item| item.text.as_str())
        .chain(std::iter::once(preamble.as_str()))
        .collect();
    let meta = Meta {
        period: meta::find_period(&title, &goal_texts, date.map(|d| d.year)),
        kind: meta::find_kind(&title),
        doc_number,
        title,
        issuer: issuer.map(|issuer| issuer.name),
        date,
        jurisdiction,
        subject_level,
    };

    let place_names = place_names(&meta);
    let (items, sections) = finish_items(&classified, &place_names, &mut warnings);
    let mut plan = Plan {
        id: file_stem(file_name),
        meta,
        preamble,
        sections,
        warnings,
        ..Plan::default()
    };
    for item in items {
        match item.kind {
            ItemKind::Measure => plan.measures.push(item),
            ItemKind::Goal => plan.goals.push(item),
            ItemKind::Guarantee => plan.guarantees.push(item),
        }
    }
    if plan.measures.is_empty() {
        plan.warnings.push(Warning {
            code: "no_measures".to_owned(),
            message: "numbered items found, but none is a measure".to_owned(),
            line: None,
        });
    }
    Ok(plan)
}

/// A closing signature (issuer lines, date line, perhaps a 此件公开发布 note) at the end of the
/// body: removed, and returned.
fn take_signature(
    body: &mut Vec<(Line, Option<Label>)>,
) -> (Vec<String>, Option<crate::model::Date>) {
    let note = body
        .last()
        .is_some_and(|(line, label)| label.is_none() && meta::is_public_note(&line.key));
    let date_at = body.len().saturating_sub(if note { 2 } else { 1 });
    let Some(date) = body
        .get(date_at)
        .filter(|(_, label)| label.is_none())
        .and_then(|(line, _)| meta::standalone_date(&line.key))
    else {
        return (Vec::new(), None);
    };
    body.truncate(date_at);
    let mut orgs = Vec::new();
    while orgs.len() < 4 {
        let Some((line, label)) = body.last() else {
            break;
        };
        if label.is_some() || !meta::is_org_line(&line.key) {
            break;
        }
        orgs.push(line.text.clone());
        body.pop();
    }
    orgs.reverse();
    (orgs, Some(date))
}

/// The plan's own place names (静安区, 静安, 上海市, 上海), dropped from agency types.
fn place_names(meta: &Meta) -> Vec<String> {
    let jurisdiction = &meta.jurisdiction;
    let mut names = Vec::new();
    for name in [&jurisdiction.name, &jurisdiction.parent]
        .into_iter()
        .flatten()
    {
        names.push(name.clone());
        let known = crate::gazetteer::gazetteer().lookup(name);
        if let Some((division, _)) = known.iter().find(|(_, short)| !short) {
            names.extend(division.short_names.iter().map(|s| (*s).to_owned()));
            continue;
        }
        let short: String = {
            let mut chars: Vec<char> = name.chars().collect();
            chars.pop();
            chars.into_iter().collect()
        };
        if short.chars().count() >= 2 {
            names.push(short);
        }
    }
    names
}

/// Gives items ids, agencies, targets and titles, and turns the entry tree into sections.
fn finish_items(
    classified: &Classified,
    place_names: &[String],
    warnings: &mut Vec<Warning>,
) -> (Vec<Measure>, Vec<Section>) {
    let ids = item_ids(&classified.items, warnings);
    let items: Vec<Measure> = classified
        .items
        .iter()
        .zip(ids)
        .map(|(raw, id)| {
            let split = agencies::split_units(&raw.text, place_names);
            Measure {
                id,
                kind: raw.kind,
                label: raw.label_text.clone(),
                ordinal: raw.ordinal,
                path: raw.path.clone(),
                title: outline::lead_phrase(&split.text),
                targets: targets::find_targets(&split.text),
                text: split.text,
                lead_units: split.lead_units,
                support_units: split.support_units,
                units_note: split.note,
                line: raw.line,
            }
        })
        .collect();
    let sections = sections_of(&classified.entries, &items);
    (items, sections)
}

/// Ids `m15` / `g1` / `s2`; path-qualified when ordinals repeat within a kind.
fn item_ids(items: &[RawItem], warnings: &mut Vec<Warning>) -> Vec<String> {
    let prefix = |kind: ItemKind| match kind {
        ItemKind::Measure => "m",
        ItemKind::Goal => "g",
        ItemKind::Guarantee => "s",
    };
    let mut ordinal_counts: HashMap<(ItemKind, u32), usize> = HashMap::new();
    for item in items {
        *ordinal_counts.entry((item.kind, item.ordinal)).or_default() += 1;
    }
    let repeats: HashMap<ItemKind, bool> =
        ordinal_counts
            .iter()
            .fold(HashMap::new(), |mut acc, ((kind, _), count)| {
                *acc.entry(*kind).or_default() |= *count > 1;
                acc
            });
    let mut seen: HashMap<String, usize> = HashMap::new();
    items
        .iter()
        .map(|item| {
            let base = if repeats.get(&item.kind).copied().unwrap_or(false) {
                let mut parts: Vec<String> = item.path.iter().map(u32::to_string).collect();
                parts.push(item.ordinal.to_string());
                format!("{}{}", prefix(item.kind), parts.join("."))
            } else {
                format!("{}{}", prefix(item.kind), item.ordinal)
            };
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            if *count == 1 {
                base
            } else {
                warnings.push(Warning {
                    code: "duplicate_id".to_owned(),
                    message: format!("{} is numbered like an earlier item", item.label_text),
                    line: Some(item.line),
                });
                format!("{base}-{count}")
            }
        })
        .collect()
}

fn sections_of(entries: &[Entry], items: &[Measure]) -> Vec<Section> {
    entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Section { .. } => section_of(entry, items),
            // A top-level item with no heading above it keeps its place in an unlabelled section.
            Entry::Item(index) => items.get(*index).map(|item| Section {
                item_ids: vec![item.id.clone()],
                ..Section::default()
            }),
        })
        .collect()
}

fn section_of(entry: &Entry, items: &[Measure]) -> Option<Section> {
    let Entry::Section {
        label_text,
        ordinal,
        title,
        intro,
        entries,
    } = entry
    else {
        return None;
    };
    let mut section = Section {
        label: label_text.clone(),
        ordinal: *ordinal,
        title: title.clone(),
        intro: intro.clone(),
        ..Section::default()
    };
    for child in entries {
        match child {
            Entry::Section { .. } => section.children.extend(section_of(child, items)),
            Entry::Item(index) => section
                .item_ids
                .extend(items.get(*index).map(|item| item.id.clone())),
        }
    }
    Some(section)
}

/// The file name without directory and extension, or `plan`.
pub fn file_stem(file_name: &str) -> String {
    let stem = Path::new(file_name)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.is_empty() {
        "plan".to_owned()
    } else {
        stem
    }
}
