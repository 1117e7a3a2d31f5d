//! The codebook: themes grouped by pillar, with their colours and how many measures of the left
//! and right plans carry each; tick a theme to tag the selected measure, filter the panes by a
//! theme, add, rename and recolour themes.

use egui::RichText;

use crate::themes::Theme;

use super::command::Command;
use super::i18n::{Lang, Text};
use super::state::{AppState, Filter, Side};
use super::style;

/// Tags offered across accepted links, every one of every loaded plan: the measure (click to
/// go there), the theme, and take / refuse.
fn suggestions_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let suggestions = &state.derived().suggestions;
    if suggestions.is_empty() {
        return;
    }
    let lang = state.ui.lang;
    egui::CollapsingHeader::new(
        RichText::new(format!(
            "{} ({})",
            lang.tr(Text::Suggestions),
            suggestions.len()
        ))
        .strong(),
    )
    .id_salt("suggestions")
    .default_open(true)
    .show(ui, |ui| {
        for suggestion in suggestions {
            let Some(plan_index) = state
                .doc
                .plans
                .iter()
                .position(|p| p.id == suggestion.target.plan_id)
            else {
                continue;
            };
            let theme = state
                .codebook()
                .theme(&suggestion.theme_id)
                .map_or(suggestion.theme_id.as_str(), |t| lang.theme_name(t));
            let place = state.describe_measure(&suggestion.target);
            let link = ui
                .add(
                    egui::Label::new(RichText::new(&place).small())
                        .wrap()
                        .sense(egui::Sense::click()),
                )
                .on_hover_text(format!(
                    "{}{}",
                    lang.tr(Text::SuggestedFrom),
                    state.describe_measure(&suggestion.from)
                ));
            if link.clicked() {
                commands.push(Command::Reveal {
                    plan_index,
                    measure_id: suggestion.target.measure_id.clone(),
                });
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("＋ {theme}")).small().italics());
                for (take, text) in [
                    (true, Text::TakeSuggestion),
                    (false, Text::RefuseSuggestion),
                ] {
                    if ui.small_button(lang.tr(text)).clicked() {
                        commands.push(Command::DecideSuggestion {
                            target: suggestion.target.clone(),
                            theme_id: suggestion.theme_id.clone(),
                            take,
                        });
                    }
                }
            });
            ui.add_space(4.0);
        }
    });
    ui.separator();
}

/// Draws the codebook panel.
pub fn codebook_panel_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    ui.heading(lang.tr(Text::Codebook));
    let selected = state.ui.selected.as_ref().and_then(|(side, id)| {
        let measure = state.plan(*side)?.measure(id)?;
        Some((*side, measure))
    });
    match selected {
        Some((_, measure)) => ui.label(
            RichText::new(format!(
                "{}：{}{}",
                lang.tr(Text::TagSelected),
                measure.label,
                measure.title
            ))
            .small(),
        ),
        None => ui.label(RichText::new(lang.tr(Text::SelectAMeasure)).small().weak()),
    };
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("codebook")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            suggestions_ui(ui, state, commands);
            for pillar in &state.codebook().pillars {
                let name = match lang {
                    Lang::Zh => &pillar.zh,
                    Lang::En => &pillar.en,
                };
                // Cut a long pillar name short (its full name on hover) rather than widening
                // the panel over the plans.
                let width = (ui.available_width() - ui.spacing().indent - 8.0).max(40.0);
                let title = egui::WidgetText::from(RichText::new(name).strong()).into_galley(
                    ui,
                    Some(egui::TextWrapMode::Truncate),
                    width,
                    egui::TextStyle::Button,
                );
                egui::CollapsingHeader::new(title)
                    .id_salt(("pillar", &pillar.id))
                    .default_open(true)
                    .show(ui, |ui| {
                        for theme in &pillar.themes {
                            theme_row_ui(
                                ui,
                                state,
                                theme,
                                selected.map(|(s, m)| (s, &m.id)),
                                commands,
                            );
                            if state.ui.editing_theme.as_deref() == Some(theme.id.as_str()) {
                                theme_editor_ui(ui, lang, theme, commands);
                            }
                        }
                        if ui
                            .small_button(format!("＋ {}", lang.tr(Text::NewTheme)))
                            .clicked()
                        {
                            commands.push(Command::AddTheme {
                                pillar_id: pillar.id.clone(),
                            });
                        }
                    });
            }
        });
}

fn theme_row_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    theme: &Theme,
    selected: Option<(Side, &String)>,
    commands: &mut Vec<Command>,
) {
    let lang = state.ui.lang;
    ui.horizontal(|ui| {
        // Controls on the right first, so a long theme name is cut short rather than
        // running under them.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("…")
                .on_hover_text(lang.tr(Text::Edit))
                .clicked()
            {
                let editing = state.ui.editing_theme.as_deref() == Some(theme.id.as_str());
                commands.push(Command::EditTheme((!editing).then(|| theme.id.clone())));
            }
            let name = lang.theme_name(theme);
            let filtered = state.ui.filter.theme.as_deref() == Some(theme.id.as_str());
            if ui
                .selectable_label(filtered, "▽")
                .on_hover_text(format!("{}：{name}", lang.tr(Text::FilterByTheme)))
                .clicked()
            {
                commands.push(Command::SetFilter(Filter {
                    theme: (!filtered).then(|| theme.id.clone()),
                    ..state.ui.filter.clone()
                }));
            }
            let (left, right) = (
                state.theme_count(state.doc.left(), &theme.id),
                state.theme_count(state.doc.right(), &theme.id),
            );
            ui.label(RichText::new(format!("{left}·{right}")).small().weak())
                .on_hover_text(format!(
                    "{} {left} · {} {right}",
                    lang.tr(Text::Left),
                    lang.tr(Text::Right)
                ));
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                let (swatch, _) =
                    ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(swatch, 2.0, style::chip_fill(theme.rgb()));
                theme_name_ui(ui, state, theme, selected, commands);
            });
        });
    });
}

/// The theme's name: a checkbox tagging the selected measure, or a label without a selection.
fn theme_name_ui(
    ui: &mut egui::Ui,
    state: &AppState,
    theme: &Theme,
    selected: Option<(Side, &String)>,
    commands: &mut Vec<Command>,
) {
    let name = state.ui.lang.theme_name(theme);
    let Some((side, measure_id)) = selected else {
        ui.label(name).on_hover_text(name);
        return;
    };
    let plan_index = state.plan_index(side);
    let mut carried = state
        .themes_of(plan_index, measure_id)
        .iter()
        .any(|t| t.theme_id == theme.id);
    let shown = if state.is_manual_theme(plan_index, measure_id, &theme.id) {
        format!("{name} ✓")
    } else {
        name.to_owned()
    };
    if ui
        .checkbox(&mut carried, shown)
        .on_hover_text(name)
        .changed()
    {
        commands.push(Command::ToggleTheme {
            side,
            measure_id: measure_id.clone(),
            theme_id: theme.id.clone(),
        });
    }
}

/// The names and colour being edited, kept in egui's memory until applied or cancelled.
#[derive(Clone)]
struct Draft {
    zh: String,
    en: String,
    color: [u8; 3],
}

fn theme_editor_ui(ui: &mut egui::Ui, lang: Lang, theme: &Theme, commands: &mut Vec<Command>) {
    let id = ui.make_persistent_id(("theme-draft", &theme.id));
    let mut draft = ui.data_mut(|d| {
        d.get_temp_mut_or_insert_with(id, || Draft {
            zh: theme.zh.clone(),
            en: theme.en.clone(),
            color: theme.rgb(),
        })
        .clone()
    });
    let mut close = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::Grid::new(("theme-editor", &theme.id))
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(lang.tr(Text::NameZh));
                ui.text_edit_singleline(&mut draft.zh).labelled_by(label.id);
                ui.end_row();
                let label = ui.label(lang.tr(Text::NameEn));
                ui.text_edit_singleline(&mut draft.en).labelled_by(label.id);
                ui.end_row();
                ui.label(lang.tr(Text::Colour));
                ui.color_edit_button_srgb(&mut draft.color);
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if ui.button(lang.tr(Text::Apply)).clicked() {
                let [r, g, b] = draft.color;
                commands.push(Command::UpdateTheme {
                    theme_id: theme.id.clone(),
                    zh: draft.zh.clone(),
                    en: draft.en.clone(),
                    color: format!("#{r:02X}{g:02X}{b:02X}"),
                });
                close = true;
            }
            if ui.button(lang.tr(Text::Cancel)).clicked() {
                commands.push(Command::EditTheme(None));
                close = true;
            }
        });
    });
    ui.data_mut(|d| {
        if close {
            d.remove::<Draft>(id);
        } else {
            d.insert_temp(id, draft);
        }
    });
}
