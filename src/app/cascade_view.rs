//! The Cascade view: the left plan's measures as rows, one column per other loaded plan with
//! each measure's counterparts there (label, short title, likelihood, review status), empty
//! cells marked as gaps, and below, each plan's own measures (no counterpart in the base plan).
//! Clicking a counterpart opens that pair side by side on that link. File › Export writes the
//! same table as `planalign report --base`.

use egui::{Color32, RichText};

use crate::model::{LinkStatus, Plan};
use crate::report::TraceCell;

use super::command::Command;
use super::i18n::Text;
use super::state::{AppState, Side};
use super::style;

/// Width of the base column and of each plan's column, in points.
const BASE_WIDTH: f32 = 260.0;
const COLUMN_WIDTH: f32 = 210.0;
/// Characters of a title shown in a cell.
const SHORT_TITLE: usize = 16;

/// Draws the Cascade view.
pub fn cascade_view_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let cascade = &state.derived().cascade;
    let Some(base) = state.doc.plans.get(cascade.base) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(lang.tr(Text::CascadeBase)).strong());
        ui.label(RichText::new(base.short_label()).strong())
            .on_hover_text(&base.meta.title);
        ui.label(RichText::new(lang.tr(Text::CascadeHint)).small().weak());
    });
    if cascade.others.is_empty() {
        ui.label(lang.tr(Text::CascadeNeedsPlans));
        return;
    }
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("cascade")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            table_ui(ui, state, base, commands);
            ui.add_space(12.0);
            own_measures_ui(ui, state, commands);
        });
}

/// A title cut to a few characters for a cell.
fn short_title(title: &str) -> String {
    let mut chars = title.chars();
    let head: String = chars.by_ref().take(SHORT_TITLE).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// A fixed-width cell whose text wraps.
fn cell(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.vertical(|ui| {
        ui.set_min_width(width);
        ui.set_max_width(width);
        add(ui);
    });
}

fn table_ui(ui: &mut egui::Ui, state: &AppState, base: &Plan, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let cascade = &state.derived().cascade;
    egui::Grid::new("cascade_table")
        .striped(true)
        .spacing(egui::vec2(8.0, 6.0))
        .show(ui, |ui| {
            cell(ui, BASE_WIDTH, |ui| {
                ui.label(RichText::new(lang.tr(Text::CascadeMeasure)).strong());
            });
            for &other in &cascade.others {
                let Some(plan) = state.doc.plans.get(other) else {
                    continue;
                };
                let taken = cascade
                    .rows
                    .iter()
                    .filter(|row| {
                        row.cells
                            .get(column_of(state, other))
                            .is_some_and(|c| !c.is_empty())
                    })
                    .count();
                cell(ui, COLUMN_WIDTH, |ui| {
                    ui.label(RichText::new(plan.short_label()).strong())
                        .on_hover_text(&plan.meta.title);
                    ui.label(
                        RichText::new(format!(
                            "{} {taken} / {}",
                            lang.tr(Text::CascadeTakenUp),
                            cascade.rows.len()
                        ))
                        .small()
                        .weak(),
                    );
                });
            }
            ui.end_row();
            for row in &cascade.rows {
                let Some(measure) = base.measure(&row.measure_id) else {
                    continue;
                };
                cell(ui, BASE_WIDTH, |ui| {
                    ui.label(format!("{}{}", measure.label, measure.title));
                });
                for (column, cells) in row.cells.iter().enumerate() {
                    let Some(&other) = cascade.others.get(column) else {
                        continue;
                    };
                    cell(ui, COLUMN_WIDTH, |ui| {
                        if cells.is_empty() {
                            ui.label(
                                RichText::new(lang.tr(Text::CascadeGap))
                                    .small()
                                    .color(style::UNMATCHED),
                            );
                        }
                        for counterpart in cells {
                            counterpart_ui(
                                ui,
                                state,
                                other,
                                &row.measure_id,
                                counterpart,
                                commands,
                            );
                        }
                    });
                }
                ui.end_row();
            }
        });
}

/// The column of other plan `other` (library index).
fn column_of(state: &AppState, other: usize) -> usize {
    state
        .derived()
        .cascade
        .others
        .iter()
        .position(|&o| o == other)
        .unwrap_or(usize::MAX)
}

/// One counterpart: `label short title 93% ✓`, a button that opens the pair on the link.
fn counterpart_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    other: usize,
    base_measure: &str,
    counterpart: &TraceCell,
    commands: &mut Vec<Command>,
) {
    let lang = state.ui.lang;
    let Some(measure) = state
        .doc
        .plans
        .get(other)
        .and_then(|plan| plan.measure(&counterpart.measure_id))
    else {
        return;
    };
    let mark = match counterpart.status {
        LinkStatus::Accepted => "✓",
        LinkStatus::Rejected => "×",
        LinkStatus::Unreviewed => "○",
    };
    let text = format!(
        "{}{} {:.0}% {mark}",
        measure.label,
        short_title(&measure.title),
        100.0 * counterpart.score
    );
    let color = style::link_color(counterpart.kind, LinkStatus::Accepted);
    let button = egui::Button::new(RichText::new(text).small().color(Color32::from_gray(20)))
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color))
        .wrap();
    let response = ui.add(button).on_hover_text(format!(
        "{} · {} · {}\n{}",
        lang.kind(counterpart.kind),
        crate::align::likelihood_text(counterpart.score),
        lang.status(counterpart.status),
        measure.title
    ));
    if response.clicked() {
        commands.push(Command::OpenPairAt {
            left: state.derived().cascade.base,
            right: other,
            side: Side::Left,
            measure_id: base_measure.to_owned(),
            link: Some((base_measure.to_owned(), counterpart.measure_id.clone())),
        });
    }
}

/// Each other plan's own measures: no counterpart in the base plan.
fn own_measures_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let cascade = &state.derived().cascade;
    ui.heading(lang.tr(Text::CascadeOwn));
    for (column, own) in cascade.own.iter().enumerate() {
        let Some(&other) = cascade.others.get(column) else {
            continue;
        };
        let Some(plan) = state.doc.plans.get(other) else {
            continue;
        };
        egui::CollapsingHeader::new(format!("{} ({})", plan.short_label(), own.len()))
            .id_salt(("cascade_own", other))
            .default_open(own.len() <= 12)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for id in own {
                        let Some(measure) = plan.measure(id) else {
                            continue;
                        };
                        let text = format!("{}{}", measure.label, short_title(&measure.title));
                        if ui
                            .add(egui::Button::new(RichText::new(text).small()))
                            .on_hover_text(&measure.title)
                            .clicked()
                        {
                            commands.push(Command::OpenPairAt {
                                left: cascade.base,
                                right: other,
                                side: Side::Right,
                                measure_id: id.clone(),
                                link: None,
                            });
                        }
                    }
                });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_for_cells() {
        assert_eq!(short_title("完善质量激励制度"), "完善质量激励制度");
        assert_eq!(
            short_title("推动建筑产业工业化、集成化、绿色化和信息化发展"),
            "推动建筑产业工业化、集成化、绿色…"
        );
    }
}
