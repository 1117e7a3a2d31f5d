//! The aligned table: one row per link and per unmatched measure, virtualized, sortable by plan
//! order, score, status or theme. Rows are data first ([`aligned_rows`]), pixels second.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::model::LinkStatus;

use super::command::Command;
use super::i18n::Text;
use super::state::{AppState, Side};
use super::style;

/// How the aligned table is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    /// Left plan order, then right plan order; unmatched right measures last.
    #[default]
    PlanOrder,
    /// Highest score first.
    Score,
    /// Unreviewed, accepted, rejected.
    Status,
    /// By the first shared theme.
    Theme,
}

/// One row: a link (both ids and its index) or an unmatched measure on one side.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedRow {
    /// Left measure, if any.
    pub left_id: Option<String>,
    /// Right measure, if any.
    pub right_id: Option<String>,
    /// Index into the alignment's links, for link rows.
    pub link: Option<usize>,
}

/// The rows of the aligned table in the requested order.
pub fn aligned_rows(state: &AppState, sort: SortKey) -> Vec<AlignedRow> {
    let alignment = &state.derived().alignment;
    let mut rows: Vec<AlignedRow> = alignment
        .links
        .iter()
        .enumerate()
        .map(|(index, link)| AlignedRow {
            left_id: Some(link.left_id.clone()),
            right_id: Some(link.right_id.clone()),
            link: Some(index),
        })
        .collect();
    rows.extend(alignment.unmatched_left.iter().map(|id| AlignedRow {
        left_id: Some(id.clone()),
        right_id: None,
        link: None,
    }));
    rows.extend(alignment.unmatched_right.iter().map(|id| AlignedRow {
        left_id: None,
        right_id: Some(id.clone()),
        link: None,
    }));
    let position = |side: Side, id: &Option<String>| {
        let plan = state.plan(side);
        id.as_ref()
            .and_then(|id| plan?.measures.iter().position(|m| &m.id == id))
            .unwrap_or(usize::MAX)
    };
    let plan_order = |row: &AlignedRow| {
        (
            position(Side::Left, &row.left_id),
            position(Side::Right, &row.right_id),
        )
    };
    let link_of = |row: &AlignedRow| row.link.and_then(|i| alignment.links.get(i));
    match sort {
        SortKey::PlanOrder => rows.sort_by_key(plan_order),
        SortKey::Score => rows.sort_by(|a, b| {
            let score = |r: &AlignedRow| link_of(r).map_or(-1.0, |l| l.score);
            score(b)
                .total_cmp(&score(a))
                .then_with(|| plan_order(a).cmp(&plan_order(b)))
        }),
        SortKey::Status => rows.sort_by_key(|r| {
            let status = link_of(r).map_or(3, |l| match l.status {
                LinkStatus::Unreviewed => 0,
                LinkStatus::Accepted => 1,
                LinkStatus::Rejected => 2,
            });
            (status, plan_order(r))
        }),
        SortKey::Theme => rows.sort_by_key(|r| {
            let theme = link_of(r)
                .and_then(|l| l.shared_themes.first().cloned())
                .unwrap_or_else(|| "~".to_owned());
            (theme, plan_order(r))
        }),
    }
    rows
}

/// Draws the aligned table.
pub fn aligned_view_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    ui.horizontal(|ui| {
        ui.label(lang.tr(Text::SortBy));
        for (key, text) in [
            (SortKey::PlanOrder, Text::PlanOrder),
            (SortKey::Score, Text::Score),
            (SortKey::Status, Text::Status),
            (SortKey::Theme, Text::Themes),
        ] {
            if ui
                .selectable_label(state.ui.aligned_sort == key, lang.tr(text))
                .clicked()
            {
                commands.push(Command::SortAligned(key));
            }
        }
    });
    let mut rows = aligned_rows(state, state.ui.aligned_sort);
    if state.ui.filter.is_active() {
        let passes = |side: Side, id: &Option<String>| {
            id.as_ref().is_some_and(|id| state.passes_filter(side, id))
        };
        rows.retain(|row| passes(Side::Left, &row.left_id) || passes(Side::Right, &row.right_id));
    }
    let (Some(left), Some(right)) = (state.plan(Side::Left), state.plan(Side::Right)) else {
        return;
    };
    // On a narrow window the table scrolls sideways rather than losing its last columns.
    egui::ScrollArea::horizontal()
        .id_salt("aligned_sideways")
        .show(ui, |ui| {
            aligned_table_ui(ui, state, &rows, left, right, commands)
        });
}

fn aligned_table_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    rows: &[AlignedRow],
    left: &crate::model::Plan,
    right: &crate::model::Plan,
    commands: &mut Vec<Command>,
) {
    let lang = state.ui.lang;
    let title = |plan: &crate::model::Plan, id: &Option<String>| {
        id.as_ref()
            .and_then(|id| plan.measure(id))
            .map(|m| format!("{}{}", m.label, m.title))
    };
    TableBuilder::new(ui)
        .id_salt("aligned")
        .striped(true)
        .column(Column::remainder().at_least(200.0).clip(true))
        .column(Column::remainder().at_least(200.0).clip(true))
        .column(Column::exact(60.0))
        .column(Column::exact(60.0))
        .column(Column::exact(70.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(22.0, |mut header| {
            for text in [
                Text::Left,
                Text::Right,
                Text::Score,
                Text::Kind,
                Text::Status,
                Text::Themes,
            ] {
                header.col(|ui| {
                    ui.strong(lang.tr(text));
                });
            }
        })
        .body(|body| {
            body.rows(24.0, rows.len(), |mut row| {
                let Some(data) = rows.get(row.index()) else {
                    return;
                };
                let link = data
                    .link
                    .and_then(|i| state.derived().alignment.links.get(i));
                let selected = match &state.ui.selected {
                    Some((Side::Left, id)) => data.left_id.as_ref() == Some(id),
                    Some((Side::Right, id)) => data.right_id.as_ref() == Some(id),
                    None => false,
                };
                row.set_selected(selected);
                for (side, plan, id) in [
                    (Side::Left, left, &data.left_id),
                    (Side::Right, right, &data.right_id),
                ] {
                    row.col(|ui| match title(plan, id) {
                        Some(text) => {
                            if ui.link(text).clicked() {
                                if let Some(measure_id) = id.clone() {
                                    commands.push(Command::SelectMeasure { side, measure_id });
                                }
                                if let (Some(left_id), Some(right_id)) =
                                    (data.left_id.clone(), data.right_id.clone())
                                {
                                    commands.push(Command::SelectLink { left_id, right_id });
                                }
                            }
                        }
                        None => {
                            ui.label(
                                RichText::new(lang.tr(Text::Unmatched)).color(style::UNMATCHED),
                            );
                        }
                    });
                }
                row.col(|ui| {
                    if let Some(link) = link {
                        ui.label(format!("{:.0}%", 100.0 * link.score));
                    }
                });
                row.col(|ui| {
                    if let Some(link) = link {
                        ui.label(lang.kind(link.kind));
                    }
                });
                row.col(|ui| {
                    if let Some(link) = link {
                        ui.label(lang.status(link.status));
                    }
                });
                row.col(|ui| {
                    if let Some(link) = link {
                        let names = lang.theme_names(state.codebook(), &link.shared_themes);
                        ui.label(RichText::new(names).small());
                    }
                });
            });
        });
}
