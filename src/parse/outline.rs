//! The numbered outline: labelled lines nested by scheme, broken lines joined, and the leaves
//! classified as measures, goals or guarantees.

use std::collections::HashMap;

use crate::model::{ItemKind, Warning};

use super::text::{Label, Line, Scheme, char_slice, key_of};

/// Titles (or their endings) that mark goals and guiding ideas.
const GOAL_TITLES: &[&str] = &[
    "指导思想",
    "总体目标",
    "主要目标",
    "工作目标",
    "发展目标",
    "基本原则",
    "总体要求",
    "总体思路",
    "预期目标",
    "目标任务",
];

/// Titles (or their endings) that mark guarantees and work requirements.
const GUARANTEE_TITLES: &[&str] = &[
    "保障措施",
    "保障机制",
    "工作要求",
    "组织保障",
    "组织实施",
    "实施保障",
    "保障条件",
    "工作保障",
    "强化保障",
    "有关要求",
    "工作机制",
];

/// A labelled item of the outline with its own paragraphs and children.
#[derive(Clone, Debug)]
pub struct Node {
    /// The label.
    pub label: Label,
    /// The label as written.
    pub label_text: String,
    /// 1-based source line of the label.
    pub line: usize,
    /// Paragraphs of the item's own text (the label line's rest is the first).
    pub paragraphs: Vec<String>,
    /// Nested items.
    pub children: Vec<Node>,
}

impl Node {
    /// The item's own text, paragraphs joined by `\n`.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

/// The text before the first label and the tree of labelled items.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// Paragraphs before the first label.
    pub preamble: Vec<String>,
    /// Top-level items.
    pub roots: Vec<Node>,
}

/// Builds the outline from body lines: a label whose scheme is already open closes back to that
/// level (a sibling); a new scheme opens a deeper level (a child).
pub fn build(lines: &[(Line, Option<Label>)]) -> Outline {
    struct Raw {
        node: Node,
        children: Vec<usize>,
    }
    let mut arena: Vec<Raw> = Vec::new();
    let mut roots: Vec<usize> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut preamble: Vec<String> = Vec::new();
    // Whether the current paragraph is a short heading (a label line with no sentence end).
    let mut heading = false;

    for (line, label) in lines {
        if let Some(label) = label {
            let position = open.iter().position(|&index| {
                arena
                    .get(index)
                    .is_some_and(|raw| raw.node.label.scheme == label.scheme)
            });
            if let Some(position) = position {
                open.truncate(position);
            }
            let parent = open.last().copied();
            let rest = char_slice(&line.text, label.skip_chars, usize::MAX)
                .trim()
                .to_owned();
            heading = is_heading(&rest);
            let index = arena.len();
            arena.push(Raw {
                node: Node {
                    label: *label,
                    label_text: char_slice(&line.text, 0, label.label_chars),
                    line: line.number,
                    paragraphs: if rest.is_empty() {
                        Vec::new()
                    } else {
                        vec![rest]
                    },
                    children: Vec::new(),
                },
                children: Vec::new(),
            });
            match parent.and_then(|p| arena.get_mut(p)) {
                Some(parent_raw) => parent_raw.children.push(index),
                None => roots.push(index),
            }
            open.push(index);
            continue;
        }
        let paragraphs = match open.last().and_then(|&index| arena.get_mut(index)) {
            Some(raw) => &mut raw.node.paragraphs,
            None => &mut preamble,
        };
        push_line(paragraphs, &line.text, heading);
        heading = false;
    }

    fn assemble(arena: &mut Vec<Option<(Node, Vec<usize>)>>, index: usize) -> Option<Node> {
        let (mut node, children) = arena.get_mut(index)?.take()?;
        node.children = children
            .into_iter()
            .filter_map(|child| assemble(arena, child))
            .collect();
        Some(node)
    }
    let mut slots: Vec<Option<(Node, Vec<usize>)>> = arena
        .into_iter()
        .map(|raw| Some((raw.node, raw.children)))
        .collect();
    Outline {
        preamble,
        roots: roots
            .into_iter()
            .filter_map(|root| assemble(&mut slots, root))
            .collect(),
    }
}

/// Appends a source line to paragraphs, joining it to the last one when that was broken
/// mid-sentence.
fn push_line(paragraphs: &mut Vec<String>, text: &str, after_heading: bool) {
    let starts_block = text.starts_with(['—', '-', '•', '·', '●', '■', '◆', '※', '▲', '★']);
    match paragraphs.last_mut() {
        Some(last) if !after_heading && !starts_block && !ends_sentence(last) => {
            last.push_str(text);
        }
        _ => paragraphs.push(text.to_owned()),
    }
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().chars().next_back().is_some_and(|last| {
        matches!(
            super::text::key_char(last),
            '。' | '!' | '?' | ';' | ':' | ')' | '…' | '」' | '.'
        )
    })
}

/// A short label line with no sentence punctuation at all is a heading (（二）主要目标); one that
/// stops mid-sentence after punctuation (（一）构建体系。充分发挥市、区两) is a broken line.
fn is_heading(rest: &str) -> bool {
    !rest.is_empty()
        && rest.chars().count() <= 24
        && !key_of(rest).contains(['。', ',', ';', ':', '、', '!', '?'])
}

/// The lead phrase of an item: its heading sentence, else its first clause, else its start.
pub fn lead_phrase(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let first = text.lines().next().unwrap_or_default().trim();
    let strip = |s: &str| {
        s.trim_end_matches(['。', '，', '；', '：', ',', ';', ':', '！', '？', '.'])
            .trim()
            .to_owned()
    };
    let sentence_end = first.find(['。', '！', '？', '!', '?']);
    let sentence = sentence_end.map_or(first, |at| first.get(..at).unwrap_or(first));
    if sentence.chars().count() <= MAX_CHARS {
        return strip(sentence);
    }
    let clause_end = first.find(['，', '；', '：', ',', ';', ':']);
    if let Some(clause) = clause_end.and_then(|at| first.get(..at)) {
        if clause.chars().count() <= MAX_CHARS {
            return strip(clause);
        }
    }
    let head: String = first.chars().take(30).collect();
    format!("{}…", strip(&head))
}

/// A classified leaf of the outline, not yet given an id, agencies or targets.
#[derive(Clone, Debug)]
pub struct RawItem {
    /// Measure, goal or guarantee.
    pub kind: ItemKind,
    /// Label as written.
    pub label_text: String,
    /// The label's number.
    pub ordinal: u32,
    /// Ordinals of the enclosing items.
    pub path: Vec<u32>,
    /// Own text, paragraphs joined by `\n` (agencies still in it).
    pub text: String,
    /// 1-based source line.
    pub line: usize,
}

/// The outline as sections and item slots, with the items in document order.
#[derive(Clone, Debug, Default)]
pub struct Classified {
    /// Every leaf with text, in document order.
    pub items: Vec<RawItem>,
    /// The section tree; `Entry::Item` holds an index into `items`.
    pub entries: Vec<Entry>,
}

/// One entry of the section tree.
#[derive(Clone, Debug)]
pub enum Entry {
    /// A heading with children.
    Section {
        /// Label as written.
        label_text: String,
        /// Its number.
        ordinal: u32,
        /// Heading text.
        title: String,
        /// Text under the heading before its first child.
        intro: String,
        /// Children.
        entries: Vec<Entry>,
    },
    /// An index into [`Classified::items`].
    Item(usize),
}

/// Classifies leaves: goals under goal titles, guarantees under guarantee titles (unless their
/// numbering continues the measures'), measures otherwise.
pub fn classify(outline: &Outline) -> Classified {
    let mut state = ClassifyState::default();
    let entries = outline
        .roots
        .iter()
        .map(|node| state.walk(node, &[], Context::Measures))
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect();
    Classified {
        items: state.items,
        entries,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Measures,
    Goals,
    Guarantees,
}

#[derive(Default)]
struct ClassifyState {
    items: Vec<RawItem>,
    last_measure: Option<(Scheme, u32)>,
}

impl ClassifyState {
    fn walk(&mut self, node: &Node, path: &[u32], context: Context) -> Option<Entry> {
        let text = node.text();
        let title = lead_phrase(&text);
        let context = match title_context(&title) {
            Some(own) if context == Context::Measures => own,
            _ => context,
        };
        if !node.children.is_empty() {
            let mut child_path = path.to_vec();
            child_path.push(node.label.ordinal);
            let entries = node
                .children
                .iter()
                .filter_map(|child| self.walk(child, &child_path, context))
                .collect();
            return Some(Entry::Section {
                label_text: node.label_text.clone(),
                ordinal: node.label.ordinal,
                intro: text_after_title(&text, &title),
                title,
                entries,
            });
        }
        if text.trim().is_empty() {
            return None;
        }
        let continues_measures = self.last_measure.is_some_and(|(scheme, ordinal)| {
            scheme == node.label.scheme && node.label.ordinal == ordinal + 1
        });
        // A goal has no agency responsible for it: an item under a goals heading (目标任务 …)
        // that names one is a task.
        let names_agency = || {
            let key = key_of(&text);
            ["牵头单位", "责任单位", "牵头部门", "责任部门"]
                .iter()
                .any(|label| key.contains(label))
        };
        let kind = match context {
            Context::Goals if !names_agency() => ItemKind::Goal,
            Context::Guarantees if !continues_measures => ItemKind::Guarantee,
            _ => ItemKind::Measure,
        };
        if kind == ItemKind::Measure {
            self.last_measure = Some((node.label.scheme, node.label.ordinal));
        }
        self.items.push(RawItem {
            kind,
            label_text: node.label_text.clone(),
            ordinal: node.label.ordinal,
            path: path.to_vec(),
            text,
            line: node.line,
        });
        Some(Entry::Item(self.items.len() - 1))
    }
}

/// The text that follows the lead phrase (a section's introduction under its heading).
fn text_after_title(text: &str, title: &str) -> String {
    text.strip_prefix(title)
        .unwrap_or(text)
        .trim_start_matches([
            '。', '，', '；', '：', ',', ';', ':', '！', '？', '.', '\n', ' ',
        ])
        .to_owned()
}

fn title_context(title: &str) -> Option<Context> {
    let key = key_of(title);
    let key = key.trim_end_matches(['。', '.', ':']);
    if key.chars().count() > 10 {
        return None;
    }
    if GOAL_TITLES.iter().any(|t| key.ends_with(t)) {
        Some(Context::Goals)
    } else if GUARANTEE_TITLES.iter().any(|t| key.ends_with(t)) {
        Some(Context::Guarantees)
    } else {
        None
    }
}

/// Warnings about numbering: gaps, duplicates and numbers out of order, per scheme in document
/// order (numbering may continue across sections or restart at 1).
pub fn numbering_warnings(outline: &Outline) -> Vec<Warning> {
    fn visit(
        node: &Node,
        parent: usize,
        last: &mut HashMap<Scheme, (u32, usize, String)>,
        warnings: &mut Vec<Warning>,
        next_id: &mut usize,
    ) {
        let scheme = node.label.scheme;
        let ordinal = node.label.ordinal;
        if let Some((previous, previous_parent, previous_label)) = last.get(&scheme) {
            let warning = |code: &str, message: String| Warning {
                code: code.to_owned(),
                message,
                line: Some(node.line),
            };
            if ordinal == previous + 1 || ordinal == 1 {
                // Continues or restarts: fine.
            } else if ordinal == *previous && parent == *previous_parent {
                warnings.push(warning(
                    "duplicate_ordinal",
                    format!("{} appears twice", node.label_text),
                ));
            } else if ordinal > previous + 1 {
                warnings.push(warning(
                    "numbering_gap",
                    format!(
                        "{} follows {previous_label}: {} number(s) missing",
                        node.label_text,
                        ordinal - previous - 1
                    ),
                ));
            } else {
                warnings.push(warning(
                    "numbering_out_of_order",
                    format!("{} follows {previous_label}", node.label_text),
                ));
            }
        } else if ordinal != 1 {
            warnings.push(Warning {
                code: "numbering_gap".to_owned(),
                message: format!("numbering starts at {}", node.label_text),
                line: Some(node.line),
            });
        }
        last.insert(scheme, (ordinal, parent, node.label_text.clone()));
        *next_id += 1;
        let own_id = *next_id;
        for child in &node.children {
            visit(child, own_id, last, warnings, next_id);
        }
    }
    let mut last = HashMap::new();
    let mut warnings = Vec::new();
    let mut next_id = 0;
    for root in &outline.roots {
        visit(root, 0, &mut last, &mut warnings, &mut next_id);
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::text::{clean_lines, detect_label};

    fn outline_of(text: &str) -> Outline {
        let lines: Vec<(Line, Option<Label>)> = clean_lines(text)
            .into_iter()
            .map(|line| {
                let label = detect_label(&line.key);
                (line, label)
            })
            .collect();
        build(&lines)
    }

    #[test]
    fn nesting_and_joining() {
        let outline = outline_of(
            "前言。\n一、任务\n（一）产品\n1.全面提升产品质量。\n进一步提升有效供给。\n大力推进传统产业技术改造\n创新，淘汰落后产能。\n2.提升工程质量。\n（二）服务\n3.提升服务质量。",
        );
        assert_eq!(outline.preamble, ["前言。"]);
        assert_eq!(outline.roots.len(), 1);
        let first = &outline.roots[0].children[0].children[0];
        assert_eq!(
            first.paragraphs,
            [
                "全面提升产品质量。",
                "进一步提升有效供给。",
                "大力推进传统产业技术改造创新，淘汰落后产能。"
            ]
        );
        assert_eq!(outline.roots[0].children[1].children[0].label.ordinal, 3);
    }

    #[test]
    fn headings_stay_separate_paragraphs() {
        let outline = outline_of("（二）主要目标\n到2025年，质量整体水平提高。");
        assert_eq!(
            outline.roots[0].paragraphs,
            ["主要目标", "到2025年，质量整体水平提高。"]
        );
    }

    #[test]
    fn goals_guarantees_and_continued_numbering() {
        let outline = outline_of(
            "一、总体目标\n到2025年，水平提高。\n二、主要任务\n（一）加强品牌。内容。\n（二）加强标准。内容。\n三、保障措施\n（一）加强组织领导。内容。\n四、强化组织保障\n（三）狠抓落实。内容。",
        );
        let classified = classify(&outline);
        let kinds: Vec<(ItemKind, u32)> = classified
            .items
            .iter()
            .map(|item| (item.kind, item.ordinal))
            .collect();
        assert_eq!(
            kinds,
            [
                (ItemKind::Goal, 1),
                (ItemKind::Measure, 1),
                (ItemKind::Measure, 2),
                (ItemKind::Guarantee, 1),
                (ItemKind::Measure, 3),
            ]
        );
    }

    #[test]
    fn numbering_oddities_become_warnings() {
        let outline = outline_of("一、甲\n（一）内容。\n（二）内容。\n（四）内容。\n（四）内容。");
        let codes: Vec<String> = numbering_warnings(&outline)
            .into_iter()
            .map(|w| w.code)
            .collect();
        assert_eq!(codes, ["numbering_gap", "duplicate_ordinal"]);
    }

    #[test]
    fn lead_phrases() {
        assert_eq!(
            lead_phrase("加强质量发展制度建设。贯彻落实纲要。"),
            "加强质量发展制度建设"
        );
        assert_eq!(
            lead_phrase(
                "加强质量法治建设，补好质量制度短板，加快开展质量技术基础、质量促进、消费品安全、质量信用等方面的立法研究。"
            ),
            "加强质量法治建设"
        );
    }
}
