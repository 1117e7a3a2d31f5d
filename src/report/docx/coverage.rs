//! Theme × plan coverage as a Word document: one row per theme (pillar, theme), one column per
//! plan with the number of its measures carrying the theme; landscape when many plans.

use crate::align::CoverageMatrix;
use crate::model::Plan;
use crate::themes::Codebook;

use super::super::ReportError;
use super::{
    LANDSCAPE_WIDTH, Mark, Orientation, PORTRAIT_WIDTH, Part, document, header_cell, header_cells,
    number_cell, para, table, text_cell, title,
};

/// Plans that fit on an upright page.
const PORTRAIT_PLANS: usize = 4;

/// The coverage report as DOCX file bytes.
pub(in super::super) fn coverage_docx(
    matrix: &CoverageMatrix,
    plans: &[&Plan],
    codebook: &Codebook,
    generated: &str,
) -> Result<Vec<u8>, ReportError> {
    let orientation = if plans.len() > PORTRAIT_PLANS {
        Orientation::Landscape
    } else {
        Orientation::Portrait
    };
    let width = match orientation {
        Orientation::Portrait => PORTRAIT_WIDTH,
        Orientation::Landscape => LANDSCAPE_WIDTH,
    };
    let mut part = Part::new(orientation);
    part.push(title("主题覆盖 Theme coverage"));
    part.push(para(
        "每格为该规划中带有该主题的措施数；· 表示没有。 Each cell counts the plan's measures that carry the theme; · none.",
        Mark::Muted,
    ));
    let (pillar_width, theme_width) = (1_500, 2_300);
    let plan_width = width.saturating_sub(pillar_width + theme_width) / plans.len().max(1);
    let mut widths = vec![pillar_width, theme_width];
    widths.extend(std::iter::repeat_n(plan_width, plans.len()));
    let mut header = header_cells(&["支柱 Pillar", "主题 Theme"]);
    header.extend(
        plans
            .iter()
            .map(|plan| header_cell(&plan.short_label(), &plan.meta.title)),
    );
    let rows = matrix
        .theme_ids
        .iter()
        .enumerate()
        .map(|(row, theme_id)| {
            let pillar = codebook.pillar_of(theme_id).map_or("", |p| p.zh.as_str());
            let theme = codebook
                .theme(theme_id)
                .map_or(theme_id.as_str(), |t| t.zh.as_str());
            let mut cells = vec![text_cell(pillar), text_cell(theme)];
            cells.extend(
                (0..plans.len()).map(|column| match matrix.count(row, column) {
                    0 => number_cell("·"),
                    n => number_cell(&n.to_string()),
                }),
            );
            cells
        })
        .collect();
    part.push(table(&widths, header, rows));
    document(vec![part], "主题覆盖 Theme coverage", generated)
}
