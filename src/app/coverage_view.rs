//! The coverage view: a theme × plan heat map over every loaded plan (rows grouped by pillar);
//! clicking a cell lists its measures, and the selected measure is traced through every other
//! loaded plan.

use egui::{RichText, Sense};

use crate::model::Plan;

use super::command::Command;
use super::i18n::{Lang, Text};
use super::state::AppState;
use super::style;

/// Draws the coverage view.
pub fn coverage_view_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let window_width = ui.ctx().content_rect().width();
    egui::Panel::right("coverage_list")
        .default_size(style::COVERAGE_LIST_WIDTH.min(window_width * 0.25))
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("coverage_list")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    cell_list_ui(ui, state, commands);
                    ui.separator();
                    trace_ui(ui, state, commands);
                });
        });
    egui::ScrollArea::both()
        .id_salt("heatmap")
        .auto_shrink([false, false])
        .show(ui, |ui| heatmap_ui(ui, state, commands));
}

/// A short column name that tells plans apart: jurisdiction, year and kind.
fn plan_short_name(plan: &Plan) -> String {
    plan.short_label()
}

fn heatmap_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let matrix = &state.derived().coverage;
    let max = matrix
        .cells
        .iter()
        .flatten()
        .map(|cell| cell.measure_ids.len())
        .max()
        .unwrap_or(0)
        .max(1);
    egui::Grid::new("heatmap")
        .spacing(egui::vec2(3.0, 3.0))
        .show(ui, |ui| {
            ui.label(RichText::new(lang.tr(Text::Theme)).strong());
            for plan in &state.doc.plans {
                ui.label(RichText::new(plan_short_name(plan)).strong())
                    .on_hover_text(&plan.meta.title);
            }
            ui.end_row();
            for pillar in &state.codebook().pillars {
                let name = match lang {
                    Lang::Zh => &pillar.zh,
                    Lang::En => &pillar.en,
                };
                // Cut short like the theme names, so a long pillar name cannot push the plan
                // columns out of view.
                ui.add_sized(
                    egui::vec2(style::HEAT_LABEL_WIDTH, style::HEAT_CELL.y),
                    egui::Label::new(RichText::new(name).strong().color(style::PILLAR_TEXT))
                        .truncate(),
                )
                .on_hover_text(name);
                ui.end_row();
                for theme in &pillar.themes {
                    let Some(row) = matrix.theme_ids.iter().position(|id| *id == theme.id) else {
                        continue;
                    };
                    // Long names are cut short (in full on hover) so the plan columns fit.
                    let size = egui::vec2(style::HEAT_LABEL_WIDTH, style::HEAT_CELL.y);
                    ui.allocate_ui_with_layout(
                        size,
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| {
                            ui.set_min_size(size);
                            let (swatch, _) =
                                ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
                            ui.painter()
                                .rect_filled(swatch, 2.0, style::chip_fill(theme.rgb()));
                            let name = lang.theme_name(theme);
                            ui.add(egui::Label::new(name).truncate())
                                .on_hover_text(name);
                        },
                    );
                    for (column, plan) in state.doc.plans.iter().enumerate() {
                        let count = matrix.count(row, column);
                        let selected = state.ui.coverage_cell == Some((row, column));
                        let (rect, _) = ui.allocate_exact_size(style::HEAT_CELL, Sense::hover());
                        let response = ui.interact(
                            rect,
                            egui::Id::unique(("heat", row, column)),
                            Sense::click(),
                        );
                        let label = format!(
                            "{} × {}: {count}",
                            lang.theme_name(theme),
                            plan_short_name(plan)
                        );
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                        });
                        let painter = ui.painter();
                        #[expect(clippy::cast_precision_loss, reason = "measure counts are small")]
                        let share = count as f32 / max as f32;
                        painter.rect_filled(rect, 2.0, style::heat(share));
                        if selected {
                            painter.rect_stroke(
                                rect,
                                2.0,
                                egui::Stroke::new(2.0, style::HEAT_SELECTED),
                                egui::StrokeKind::Inside,
                            );
                        }
                        if count > 0 {
                            painter.text(
                                rect.center(),
                                egui::Align2::CENTER_CENTER,
                                count.to_string(),
                                egui::FontId::proportional(12.0),
                                style::heat_text(share),
                            );
                        }
                        if response.on_hover_text(&label).clicked() {
                            commands.push(Command::SelectCoverageCell(
                                (!selected).then_some((row, column)),
                            ));
                        }
                    }
                    ui.end_row();
                }
            }
        });
}

fn cell_list_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    ui.heading(lang.tr(Text::CellMeasures));
    let Some((row, column)) = state.ui.coverage_cell else {
        ui.label(RichText::new(lang.tr(Text::ClickACell)).weak());
        return;
    };
    let (Some(theme_id), Some(plan)) = (
        state.derived().coverage.theme_ids.get(row),
        state.doc.plans.get(column),
    ) else {
        return;
    };
    let theme = state
        .codebook()
        .theme(theme_id)
        .map_or(theme_id.as_str(), |t| lang.theme_name(t));
    ui.label(RichText::new(format!("{theme} · {}", plan_short_name(plan))).strong());
    let ids = state
        .derived()
        .coverage
        .cells
        .get(row)
        .and_then(|cells| cells.get(column))
        .map_or(&[][..], |cell| cell.measure_ids.as_slice());
    for id in ids {
        let Some(measure) = plan.measure(id) else {
            continue;
        };
        if ui
            .link(format!("{}{}", measure.label, measure.title))
            .clicked()
        {
            // Stay in the coverage view: the measure is traced below.
            commands.push(Command::Trace {
                plan_index: column,
                measure_id: id.clone(),
            });
        }
    }
}

fn trace_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    ui.heading(lang.tr(Text::Trace));
    let Some((side, measure_id)) = &state.ui.selected else {
        ui.label(RichText::new(lang.tr(Text::SelectAMeasure)).weak());
        return;
    };
    let Some(measure) = state.plan(*side).and_then(|p| p.measure(measure_id)) else {
        return;
    };
    ui.label(RichText::new(format!("{}{}", measure.label, measure.title)).strong());
    if state.derived().trace.is_empty() {
        ui.label(RichText::new(lang.tr(Text::NoTrace)).weak());
    }
    let mut last_plan: Option<&str> = None;
    for hit in &state.derived().trace {
        let Some(plan_index) = state.doc.plans.iter().position(|p| p.id == hit.plan_id) else {
            continue;
        };
        let Some(plan) = state.doc.plans.get(plan_index) else {
            continue;
        };
        if last_plan != Some(hit.plan_id.as_str()) {
            ui.label(RichText::new(plan_short_name(plan)).small().weak());
            last_plan = Some(&hit.plan_id);
        }
        let Some(other) = plan.measure(&hit.measure_id) else {
            continue;
        };
        if ui
            .link(format!(
                "{}{} ({}, {})",
                other.label,
                other.title,
                lang.likelihood(hit.score),
                lang.kind(hit.kind)
            ))
            .clicked()
        {
            commands.push(Command::Reveal {
                plan_index,
                measure_id: hit.measure_id.clone(),
            });
        }
    }
}
