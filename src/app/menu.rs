//! The menu bar: File, Edit, the views, the panels, Matching, Language and Help.

use super::*;

/// The menu bar: File, Edit, the view tabs, Language and Help, all from the command table.
pub(super) fn menu_bar_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let action_button =
        |ui: &mut egui::Ui, commands: &mut Vec<Command>, action: Action, enabled: bool| {
            let Some(entry) = action.entry() else {
                return;
            };
            let keys = actions::keys_text(ui.ctx(), entry);
            let button = egui::Button::new(lang.tr(entry.text)).shortcut_text(keys);
            if ui.add_enabled(enabled, button).clicked() {
                commands.push(action.command());
            }
        };
    ui.menu_button(lang.tr(Text::File), |ui| {
        action_button(ui, commands, Action::Open, true);
        action_button(ui, commands, Action::PastePlan, true);
        action_button(ui, commands, Action::Save, true);
        action_button(ui, commands, Action::SaveAs, true);
        ui.separator();
        action_button(ui, commands, Action::Export, true);
        if ui.button(lang.tr(Text::ExportCodebook)).clicked() {
            commands.push(Command::ExportCodebookDialog);
        }
        if ui.button(lang.tr(Text::ImportCodebook)).clicked() {
            commands.push(Command::ImportCodebookDialog);
        }
        ui.separator();
        action_button(ui, commands, Action::Quit, true);
    });
    ui.menu_button(lang.tr(Text::Edit), |ui| {
        action_button(
            ui,
            commands,
            Action::Undo,
            !state.history.undo_stack.is_empty(),
        );
        action_button(
            ui,
            commands,
            Action::Redo,
            !state.history.redo_stack.is_empty(),
        );
        ui.separator();
        action_button(ui, commands, Action::Next, true);
        action_button(ui, commands, Action::Previous, true);
        action_button(ui, commands, Action::NextUnreviewed, true);
        action_button(
            ui,
            commands,
            Action::Accept,
            state.ui.current_link.is_some(),
        );
        action_button(
            ui,
            commands,
            Action::Reject,
            state.ui.current_link.is_some(),
        );
        action_button(ui, commands, Action::Tag, state.ui.selected.is_some());
    });
    ui.separator();
    for (view, text) in [
        (View::SideBySide, Text::SideBySide),
        (View::Aligned, Text::Aligned),
        (View::Coverage, Text::Coverage),
        (View::Cascade, Text::Cascade),
    ] {
        if ui
            .selectable_label(state.ui.view == view, lang.tr(text))
            .clicked()
        {
            commands.push(Command::SetView(view));
        }
    }
    ui.separator();
    if ui
        .selectable_label(!state.ui.hide_library, lang.tr(Text::LibraryPanel))
        .on_hover_text(lang.tr(Text::TogglePanel))
        .clicked()
    {
        commands.push(Command::ToggleLibrary);
    }
    if ui
        .selectable_label(!state.ui.hide_codebook, lang.tr(Text::CodebookPanel))
        .on_hover_text(lang.tr(Text::TogglePanel))
        .clicked()
    {
        commands.push(Command::ToggleCodebook);
    }
    ui.separator();
    ui.menu_button(lang.tr(Text::Matching), |ui| {
        let mut fold = state.doc.edits.settings.fold_traditional;
        if ui
            .checkbox(&mut fold, lang.tr(Text::FoldTraditional))
            .on_hover_text(lang.tr(Text::FoldTraditionalHint))
            .clicked()
        {
            commands.push(Command::SetFoldTraditional(fold));
        }
        ui.separator();
        let (links, rejected) = state.decision_counts();
        let enough = links + rejected >= crate::align::learn::MIN_DECISIONS
            && links.min(rejected) >= crate::align::learn::MIN_EACH;
        if ui
            .add_enabled(
                enough,
                egui::Button::new(format!(
                    "{} ({links} + {rejected} −)",
                    lang.tr(Text::LearnFromDecisions)
                )),
            )
            .on_hover_text(lang.tr(Text::LearnFromDecisionsHint))
            .on_disabled_hover_text(lang.tr(Text::LearnFromDecisionsHint))
            .clicked()
        {
            commands.push(Command::LearnFromDecisions);
            ui.close();
        }
        if ui
            .add_enabled(
                state.doc.edits.model.is_some(),
                egui::Button::new(lang.tr(Text::UseShippedModel)),
            )
            .clicked()
        {
            commands.push(Command::UseShippedModel);
            ui.close();
        }
    });
    ui.menu_button(lang.tr(Text::Language), |ui| {
        if ui.radio(lang == Lang::Zh, "中文").clicked() {
            commands.push(Command::SetLanguage(Lang::Zh));
        }
        if ui.radio(lang == Lang::En, "English").clicked() {
            commands.push(Command::SetLanguage(Lang::En));
        }
    });
    ui.menu_button(lang.tr(Text::Help), |ui| {
        action_button(ui, commands, Action::Help, true);
    });
}
