//! The plan library: every loaded plan with jurisdiction, level, kind, period and measure count;
//! choose the left and right plans, swap them, open more.

use egui::RichText;

use super::command::Command;
use super::i18n::Text;
use super::state::{AppState, Side};

/// Draws the library.
pub fn library_panel_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    ui.heading(lang.tr(Text::Library));
    ui.horizontal_wrapped(|ui| {
        if ui.button(lang.tr(Text::Swap)).clicked() {
            commands.push(Command::SwapPlans);
        }
        if ui.button(lang.tr(Text::Open)).clicked() {
            commands.push(Command::OpenDialog);
        }
        if ui
            .button(lang.tr(Text::PastePlan))
            .on_hover_text(lang.tr(Text::PastePlanHint))
            .clicked()
        {
            commands.push(Command::PasteFromClipboard);
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("library")
        .show(ui, |ui| {
            for (index, plan) in state.doc.plans.iter().enumerate() {
                let meta = &plan.meta;
                ui.label(RichText::new(&meta.title).strong());
                let measures = format!("{} {}", plan.measures.len(), lang.tr(Text::Measures));
                let facts: Vec<String> = [
                    Some(meta.jurisdiction.lineage_names().join(" › ")).filter(|l| !l.is_empty()),
                    meta.jurisdiction.level.map(|l| lang.level(l).to_owned()),
                    Some(lang.plan_kind(meta.kind).to_owned()),
                    Some(lang.period(meta.period)).filter(|p| !p.is_empty()),
                    Some(measures),
                ]
                .into_iter()
                .flatten()
                .collect();
                ui.label(RichText::new(facts.join(" · ")).small().weak());
                ui.horizontal_wrapped(|ui| {
                    if ui
                        .small_button(lang.tr(Text::Provenance))
                        .on_hover_text(&plan.source.file_name)
                        .clicked()
                    {
                        commands.push(Command::ShowSource(Some(index)));
                    }
                    for (side, text) in [(Side::Left, Text::Left), (Side::Right, Text::Right)] {
                        let current = state.plan_index(side) == index;
                        let label = format!("{} · {}", lang.tr(text), plan.short_label());
                        if ui.selectable_label(current, label).clicked() && !current {
                            commands.push(Command::ShowPlan { side, index });
                        }
                    }
                });
                ui.add_space(6.0);
            }
        });
}
