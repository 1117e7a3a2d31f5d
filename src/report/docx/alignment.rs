//! The alignment report as a Word document: a portrait title block (both plans, the matcher's
//! settings, the summary), the landscape comparison table (one row per link, the character
//! diff as formatting; unmatched measures as rows with an empty side), then theme coverage and
//! targets in portrait.

use docx_rs::{Paragraph, Shading, TableCell};

use crate::align::{Link, char_diff, likelihood_text};
use crate::model::{LinkOrigin, Side};

use super::super::model::{
    AlignmentReport, TargetItem, kind_label, plan_facts, settings_facts, status_label,
};
use super::super::{ReportError, percent};
use super::{
    GAP_FILL, LANDSCAPE_WIDTH, Mark, Orientation, PORTRAIT_WIDTH, Part, cell, document,
    header_cell, header_cells, heading, number_cell, para, run, table, text_cell, title,
};

/// The alignment report as DOCX file bytes.
pub(in super::super) fn alignment_docx(
    report: &AlignmentReport<'_>,
) -> Result<Vec<u8>, ReportError> {
    let subject = format!("{} ↔ {}", report.left.meta.title, report.right.meta.title);
    let parts = vec![
        summary_part(report, &subject),
        comparison_part(report),
        coverage_part(report),
    ];
    document(parts, &short(&subject, 80), &report.generated)
}

/// At most `max` characters of a text, with `…` when cut.
fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// The legend of the diff marks.
fn legend() -> Paragraph {
    Paragraph::new()
        .add_run(run("文字差异 Text difference：", Mark::Muted))
        .add_run(run("仅左侧 left only", Mark::Deleted))
        .add_run(run("　", Mark::Plain))
        .add_run(run("仅右侧 right only", Mark::Inserted))
}

fn summary_part(report: &AlignmentReport<'_>, subject: &str) -> Part {
    let mut part = Part::new(Orientation::Portrait);
    part.push(title("政策对照表 Policy comparison"));
    part.push(para(subject, Mark::Bold).align(docx_rs::AlignmentType::Center));
    let generated = if report.generated.is_empty() {
        String::new()
    } else {
        format!(" · {}", report.generated)
    };
    part.push(
        para(
            &format!("PlanAlign 对齐报告 alignment report{generated}"),
            Mark::Muted,
        )
        .align(docx_rs::AlignmentType::Center),
    );

    part.push(heading(1, "规划 Plans"));
    let widths = [2_400, 3_619, 3_619];
    let rows = plan_facts(report.left)
        .into_iter()
        .zip(plan_facts(report.right))
        .map(|((name, lhs), (_, rhs))| vec![text_cell(name), text_cell(&lhs), text_cell(&rhs)])
        .collect();
    part.push(table(
        &widths,
        header_cells(&["项目 Item", "左 Left", "右 Right"]),
        rows,
    ));

    part.push(heading(1, "匹配设置 Matcher settings"));
    let rows = settings_facts(&report.settings)
        .into_iter()
        .map(|(name, value)| vec![text_cell(name), text_cell(&value)])
        .collect();
    part.push(table(
        &[3_200, PORTRAIT_WIDTH - 3_200],
        header_cells(&["设置 Setting", "值 Value"]),
        rows,
    ));

    part.push(heading(1, "摘要 Summary"));
    let s = &report.summary;
    let pair = |name: &str, lhs: String, rhs: String| {
        vec![text_cell(name), number_cell(&lhs), number_cell(&rhs)]
    };
    let rows = vec![
        pair(
            "措施数 Measures",
            s.measures.0.to_string(),
            s.measures.1.to_string(),
        ),
        pair(
            "已对应 Linked",
            s.linked(Side::Left).to_string(),
            s.linked(Side::Right).to_string(),
        ),
        pair(
            "无对应 Unmatched",
            s.unmatched.0.to_string(),
            s.unmatched.1.to_string(),
        ),
        pair(
            "已对应比例 Share carried over",
            percent(s.linked_share(Side::Left)),
            percent(s.linked_share(Side::Right)),
        ),
    ];
    part.push(table(
        &widths,
        header_cells(&["措施 Measures", "左 Left", "右 Right"]),
        rows,
    ));
    part.push(para("", Mark::Plain));
    let mut rows = vec![vec![
        text_cell("关联 Links"),
        number_cell(&s.links.to_string()),
    ]];
    rows.extend(
        s.by_kind
            .iter()
            .map(|(kind, n)| vec![text_cell(kind_label(*kind)), number_cell(&n.to_string())]),
    );
    rows.extend(s.by_status.iter().map(|(status, n)| {
        vec![
            text_cell(status_label(*status)),
            number_cell(&n.to_string()),
        ]
    }));
    rows.push(vec![
        text_cell("人工 manual"),
        number_cell(&s.manual.to_string()),
    ]);
    part.push(table(
        &[widths[0] + widths[1], widths[2]],
        header_cells(&["关联 Links", "数量 Count"]),
        rows,
    ));
    for (side, name, ids) in [
        (
            Side::Left,
            "左侧无对应措施 Left measures without a counterpart：",
            &report.alignment.unmatched_left,
        ),
        (
            Side::Right,
            "右侧无对应措施 Right measures without a counterpart：",
            &report.alignment.unmatched_right,
        ),
    ] {
        let labels = if ids.is_empty() {
            "无 None".to_owned()
        } else {
            report.labels(side, ids)
        };
        part.push(
            Paragraph::new()
                .add_run(run(name, Mark::Bold))
                .add_run(run(&labels, Mark::Plain)),
        );
    }
    part
}

/// A measure's cell: its label and title in bold, then its text, with the runs only this side
/// has marked.
fn measure_cell(
    report: &AlignmentReport<'_>,
    side: Side,
    id: &str,
    other: Option<&str>,
) -> TableCell {
    let heading = para(&report.label_title(side, id), Mark::Bold);
    let Some(measure) = report.measure(side, id) else {
        return cell(vec![heading]);
    };
    let Some(other) = other else {
        return cell(vec![heading, para(&measure.text, Mark::Plain)]);
    };
    let diff = match side {
        Side::Left => char_diff(&measure.text, other),
        Side::Right => char_diff(other, &measure.text),
    };
    let text = diff
        .side(side)
        .fold(Paragraph::new(), |paragraph, segment| {
            let mark = match segment.only {
                None => Mark::Plain,
                Some(Side::Left) => Mark::Deleted,
                Some(Side::Right) => Mark::Inserted,
            };
            paragraph.add_run(run(&segment.text, mark))
        });
    cell(vec![heading, text])
}

/// The link's cell: kind, likelihood, status, who made it, shared themes and the note.
fn link_cell(report: &AlignmentReport<'_>, link: &Link) -> TableCell {
    let mut paragraphs = vec![
        para(kind_label(link.kind), Mark::Bold),
        para(
            &format!("可能性 likelihood {}", likelihood_text(link.score)),
            Mark::Plain,
        ),
        para(status_label(link.status), Mark::Plain),
    ];
    if link.origin == LinkOrigin::Manual {
        paragraphs.push(para("人工关联 made by hand", Mark::Plain));
    }
    let themes = report.shared_theme_names(link);
    if !themes.is_empty() {
        paragraphs.push(para(
            &format!("共同主题 Shared themes：{themes}"),
            Mark::Muted,
        ));
    }
    if !link.note.is_empty() {
        paragraphs.push(
            Paragraph::new()
                .add_run(run("备注 Note：", Mark::Bold))
                .add_run(run(&link.note, Mark::Plain)),
        );
    }
    cell(paragraphs)
}

/// The cell of a measure without a counterpart.
fn unmatched_cell(report: &AlignmentReport<'_>, side: Side, id: &str) -> TableCell {
    let mut paragraphs = vec![para("无对应 No counterpart", Mark::Bold)];
    let themes = report.measure_theme_names(side, id);
    if !themes.is_empty() {
        paragraphs.push(para(&format!("主题 Themes：{themes}"), Mark::Muted));
    }
    cell(paragraphs)
}

fn comparison_part(report: &AlignmentReport<'_>) -> Part {
    let (left, right, alignment) = (report.left, report.right, report.alignment);
    let mut part = Part::new(Orientation::Landscape);
    part.push(heading(1, "政策对照表 Comparison table"));
    part.push(legend());
    let position = |id: &str| left.measures.iter().position(|m| m.id == id);
    // Links and the left plan's unmatched measures in the left plan's order, then the right
    // plan's unmatched measures in theirs.
    let mut rows: Vec<(Option<usize>, Vec<TableCell>)> = alignment
        .links
        .iter()
        .map(|link| {
            let text_of = |side: Side, id: &str| report.measure(side, id).map(|m| m.text.as_str());
            let cells = vec![
                measure_cell(
                    report,
                    Side::Left,
                    &link.left_id,
                    text_of(Side::Right, &link.right_id),
                ),
                measure_cell(
                    report,
                    Side::Right,
                    &link.right_id,
                    text_of(Side::Left, &link.left_id),
                ),
                link_cell(report, link),
            ];
            (position(&link.left_id), cells)
        })
        .collect();
    rows.extend(alignment.unmatched_left.iter().map(|id| {
        let cells = vec![
            measure_cell(report, Side::Left, id, None),
            cell(Vec::new()),
            unmatched_cell(report, Side::Left, id),
        ];
        (position(id), cells)
    }));
    rows.sort_by_key(|(index, _)| index.unwrap_or(usize::MAX));
    rows.extend(alignment.unmatched_right.iter().map(|id| {
        let cells = vec![
            cell(Vec::new()),
            measure_cell(report, Side::Right, id, None),
            unmatched_cell(report, Side::Right, id),
        ];
        (None, cells)
    }));
    let link_width = 2_570;
    let side_width = (LANDSCAPE_WIDTH - link_width) / 2;
    part.push(table(
        &[side_width, side_width, link_width],
        vec![
            header_cell("左 Left", &left.meta.title),
            header_cell("右 Right", &right.meta.title),
            header_cell(
                "关联 Link",
                "类型 kind · 可能性 likelihood · 状态 status · 备注 note",
            ),
        ],
        rows.into_iter().map(|(_, cells)| cells).collect(),
    ));
    part
}

fn coverage_part(report: &AlignmentReport<'_>) -> Part {
    let mut part = Part::new(Orientation::Portrait);
    part.push(heading(1, "主题覆盖 Theme coverage"));
    part.push(
        Paragraph::new()
            .add_run(run("0", Mark::Bold))
            .add_run(run(
                " 底纹：另一规划有而本规划无 · shaded: the other plan has measures on the theme, this one none",
                Mark::Muted,
            )),
    );
    let widths = [2_400, 3_619, 3_619];
    // A theme the other plan has and this one lacks: the count shaded, as in the HTML report.
    let count_cell = |side: Side, ids: &[String], other: &[String]| {
        let counts = cell(vec![
            Paragraph::new()
                .add_run(run(&format!("{} ", ids.len()), Mark::Bold))
                .add_run(run(&report.labels(side, ids), Mark::Muted)),
        ]);
        if ids.is_empty() && !other.is_empty() {
            counts.shading(Shading::new().fill(GAP_FILL))
        } else {
            counts
        }
    };
    let rows = report
        .coverage
        .iter()
        .map(|row| {
            vec![
                text_cell(&report.theme_name(&row.theme_id)),
                count_cell(Side::Left, &row.left, &row.right),
                count_cell(Side::Right, &row.right, &row.left),
            ]
        })
        .collect();
    part.push(table(
        &widths,
        vec![
            header_cell("主题 Theme", ""),
            header_cell("左 Left", &report.left.meta.title),
            header_cell("右 Right", &report.right.meta.title),
        ],
        rows,
    ));
    part.push(heading(1, "同一主题下的目标 Targets under the same theme"));
    if report.targets.is_empty() {
        part.push(para("无 None.", Mark::Plain));
        return part;
    }
    let lines = |side: Side, items: &[TargetItem]| {
        cell(
            report
                .target_lines(side, items)
                .iter()
                .map(|line| para(line, Mark::Plain))
                .collect(),
        )
    };
    let rows = report
        .targets
        .iter()
        .map(|pair| {
            vec![
                text_cell(&report.theme_name(&pair.theme_id)),
                lines(Side::Left, &pair.left),
                lines(Side::Right, &pair.right),
            ]
        })
        .collect();
    part.push(table(
        &widths,
        header_cells(&[
            "主题 Theme",
            "左侧目标 Left targets",
            "右侧目标 Right targets",
        ]),
        rows,
    ));
    part
}
