//! The filter bar over the panes, and what floats above the views: the theme picker (type to
//! filter, Enter tags with the first match), the shortcuts window and the toasts.

use egui::RichText;

use crate::model::{LinkKind, LinkStatus};

use super::actions::{ACTIONS, keys_text};
use super::command::{Command, PathPurpose};
use super::i18n::Text;
use super::state::{AppState, Filter};
use super::style;

/// How long a toast stays, in seconds.
const TOAST_SECONDS: f64 = 6.0;

/// Search text, theme, link status and unmatched-only over both panes and the aligned table.
pub fn filter_bar_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.ui.lang;
    let filter = &state.ui.filter;
    // Wraps on narrow windows rather than widening the view under the side panels.
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(lang.tr(Text::Search));
        let mut text = filter.text.clone();
        let response = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(220.0))
            .labelled_by(label.id);
        if response.changed() {
            commands.push(Command::SetFilter(Filter {
                text,
                ..filter.clone()
            }));
        }
        let theme_name = filter
            .theme
            .as_ref()
            .and_then(|id| state.codebook().theme(id))
            .map_or(lang.tr(Text::AnyTheme), |t| lang.theme_name(t));
        let label = ui.label(lang.tr(Text::Theme));
        egui::ComboBox::from_id_salt("filter_theme")
            .selected_text(theme_name)
            .height(400.0)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(filter.theme.is_none(), lang.tr(Text::AnyTheme))
                    .clicked()
                {
                    commands.push(Command::SetFilter(Filter {
                        theme: None,
                        ..filter.clone()
                    }));
                }
                for theme in state.codebook().themes() {
                    let chosen = filter.theme.as_deref() == Some(theme.id.as_str());
                    if ui
                        .selectable_label(chosen, lang.theme_name(theme))
                        .clicked()
                    {
                        commands.push(Command::SetFilter(Filter {
                            theme: Some(theme.id.clone()),
                            ..filter.clone()
                        }));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let status_name = filter
            .status
            .map_or(lang.tr(Text::AnyStatus), |s| lang.status(s));
        let label = ui.label(lang.tr(Text::Status));
        egui::ComboBox::from_id_salt("filter_status")
            .selected_text(status_name)
            .show_ui(ui, |ui| {
                let choices = [
                    None,
                    Some(LinkStatus::Unreviewed),
                    Some(LinkStatus::Accepted),
                    Some(LinkStatus::Rejected),
                ];
                for status in choices {
                    let name = status.map_or(lang.tr(Text::AnyStatus), |s| lang.status(s));
                    if ui.selectable_label(filter.status == status, name).clicked() {
                        commands.push(Command::SetFilter(Filter {
                            status,
                            ..filter.clone()
                        }));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let mut unmatched = filter.unmatched_only;
        if ui
            .checkbox(&mut unmatched, lang.tr(Text::UnmatchedOnly))
            .changed()
        {
            commands.push(Command::SetFilter(Filter {
                unmatched_only: unmatched,
                ..filter.clone()
            }));
        }
        let mut suggestions = filter.suggestions_only;
        let offered = state.derived().suggestions.len();
        if ui
            .checkbox(
                &mut suggestions,
                format!("{} ({offered})", lang.tr(Text::SuggestionsOnly)),
            )
            .on_hover_text(lang.tr(Text::SuggestionsHint))
            .changed()
        {
            commands.push(Command::SetFilter(Filter {
                suggestions_only: suggestions,
                ..filter.clone()
            }));
        }
        if filter.is_active() && ui.button(lang.tr(Text::ClearFilter)).clicked() {
            commands.push(Command::SetFilter(Filter::default()));
        }
    });
}

/// What the connectors' colours and shades mean: one sample line per link kind and status.
pub fn legend_ui(ui: &mut egui::Ui, state: &AppState) {
    let lang = state.ui.lang;
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(lang.tr(Text::Legend)).small().weak());
        let samples = [
            (
                LinkKind::NearVerbatim,
                LinkStatus::Accepted,
                lang.kind(LinkKind::NearVerbatim),
            ),
            (
                LinkKind::Refined,
                LinkStatus::Accepted,
                lang.kind(LinkKind::Refined),
            ),
            (
                LinkKind::Related,
                LinkStatus::Accepted,
                lang.kind(LinkKind::Related),
            ),
            (
                LinkKind::Related,
                LinkStatus::Unreviewed,
                lang.status(LinkStatus::Unreviewed),
            ),
            (
                LinkKind::Related,
                LinkStatus::Accepted,
                lang.status(LinkStatus::Accepted),
            ),
            (
                LinkKind::Related,
                LinkStatus::Rejected,
                lang.status(LinkStatus::Rejected),
            ),
        ];
        for (kind, status, name) in samples {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 10.0), egui::Sense::hover());
            let (a, b) = (rect.left_center(), rect.right_center());
            super::link_gutter::paint_connector(
                ui.painter(),
                [a, a.lerp(b, 0.33), a.lerp(b, 0.67), b],
                egui::Stroke::new(3.0, style::link_color(kind, status)),
                status,
            );
            ui.label(egui::RichText::new(name).small());
        }
        ui.label(
            egui::RichText::new(lang.tr(Text::LegendWidth))
                .small()
                .weak(),
        );
    });
}

/// The theme picker for the selected measure: type to filter, click or Enter to toggle.
pub fn theme_picker_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    if !state.ui.picker_open {
        return;
    }
    let lang = state.ui.lang;
    let Some((side, measure_id)) = state.ui.selected.clone() else {
        commands.push(Command::ThemePicker(false));
        return;
    };
    let query_id = egui::Id::unique("theme_picker_query");
    let mut query: String = ctx.data_mut(|d| d.get_temp(query_id).unwrap_or_default());
    let mut open = true;
    let mut chosen: Option<String> = None;
    egui::Window::new(lang.tr(Text::TagTheme))
        .id(egui::Id::unique("theme_picker"))
        .open(&mut open)
        .collapsible(false)
        .default_width(320.0)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0))
        .show(ctx, |ui| {
            let label = ui.label(lang.tr(Text::TypeToFilter));
            let response = ui
                .add(egui::TextEdit::singleline(&mut query).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            response.request_focus();
            let needle = crate::themes::match_key(query.trim()).to_lowercase();
            let matches: Vec<&crate::themes::Theme> = state
                .codebook()
                .themes()
                .filter(|t| {
                    needle.is_empty()
                        || crate::themes::match_key(&t.zh).contains(&needle)
                        || t.en.to_lowercase().contains(&needle)
                        || t.id.contains(&needle)
                })
                .collect();
            let carried = state.themes_of(state.plan_index(side), &measure_id);
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for theme in &matches {
                        let has = carried.iter().any(|t| t.theme_id == theme.id);
                        let text = if has {
                            format!("✔ {}", lang.theme_name(theme))
                        } else {
                            lang.theme_name(theme).to_owned()
                        };
                        if ui.selectable_label(has, text).clicked() {
                            chosen = Some(theme.id.clone());
                        }
                    }
                });
            if ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                chosen = chosen
                    .take()
                    .or_else(|| matches.first().map(|t| t.id.clone()));
            }
        });
    if let Some(theme_id) = chosen {
        commands.push(Command::ToggleTheme {
            side,
            measure_id,
            theme_id,
        });
        commands.push(Command::ThemePicker(false));
        query.clear();
    } else if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::ThemePicker(false));
        query.clear();
    }
    ctx.data_mut(|d| d.insert_temp(query_id, query));
}

/// Offers autosaved work newer than the opened workspace file.
pub fn recovery_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    let Some(work) = &state.ui.recovery else {
        return;
    };
    let lang = state.ui.lang;
    egui::Window::new(lang.tr(Text::RecoverTitle))
        .id(egui::Id::unique("recovery"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            ui.label(lang.tr(Text::RecoverText));
            ui.label(
                RichText::new(format!(
                    "{} {} · {} {}",
                    work.tag_edits.len(),
                    lang.tr(Text::TagEditsCount),
                    work.decisions.len(),
                    lang.tr(Text::DecisionsCount)
                ))
                .weak(),
            );
            ui.horizontal(|ui| {
                if ui.button(lang.tr(Text::Recover)).clicked() {
                    commands.push(Command::Recover(true));
                }
                if ui.button(lang.tr(Text::Discard)).clicked() {
                    commands.push(Command::Recover(false));
                }
            });
        });
}

/// Where a plan came from: file, path, sha256 of the original bytes, encoding, import time, and
/// the original text.
pub fn source_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    let Some(index) = state.ui.source_view else {
        return;
    };
    let (Some(plan), Some(source)) = (state.doc.plans.get(index), state.doc.sources.get(index))
    else {
        return;
    };
    let lang = state.ui.lang;
    let mut open = true;
    egui::Window::new(format!(
        "{} · {}",
        lang.tr(Text::Provenance),
        plan.meta.title
    ))
    .id(egui::Id::unique("provenance"))
    .open(&mut open)
    .default_size(egui::vec2(720.0, 560.0))
    .show(ctx, |ui| {
        let where_from = match source {
            crate::workspace::PlanSource::Bundled(name) => {
                format!("{} ({name})", lang.tr(Text::Bundled))
            }
            crate::workspace::PlanSource::File(path) => path.display().to_string(),
            crate::workspace::PlanSource::Pasted(_) => {
                lang.tr(Text::PastedFromClipboard).to_owned()
            }
        };
        let src = &plan.source;
        egui::Grid::new("provenance_grid")
            .num_columns(2)
            .show(ui, |ui| {
                let division = plan
                    .meta
                    .jurisdiction
                    .lineage()
                    .iter()
                    .map(|step| match &step.code {
                        Some(code) => format!("{} ({code})", step.name),
                        None => step.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" › ");
                for (name, value) in [
                    (
                        Text::Division,
                        if division.is_empty() {
                            "—".to_owned()
                        } else {
                            division
                        },
                    ),
                    (Text::SourceFile, where_from),
                    (Text::Sha256, src.sha256.clone()),
                    (
                        Text::Encoding,
                        format!("{} · {} bytes", src.encoding, src.num_bytes),
                    ),
                    (
                        Text::ImportedAt,
                        src.imported_at.clone().unwrap_or_else(|| "—".to_owned()),
                    ),
                ] {
                    ui.label(RichText::new(lang.tr(name)).strong());
                    ui.label(RichText::new(value).monospace());
                    ui.end_row();
                }
            });
        if matches!(source, crate::workspace::PlanSource::File(_))
            && ui.button(lang.tr(Text::ReloadPlan)).clicked()
        {
            commands.push(Command::ReloadPlan(index));
        }
        ui.separator();
        ui.label(RichText::new(lang.tr(Text::OriginalText)).strong());
        egui::ScrollArea::vertical()
            .id_salt("original_text")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.label(&src.text);
            });
    });
    if !open {
        commands.push(Command::ShowSource(None));
    }
}

/// Every action of the command table with its keys.
pub fn help_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    if !state.ui.help_open {
        return;
    }
    let lang = state.ui.lang;
    let mut open = true;
    egui::Window::new(lang.tr(Text::Shortcuts))
        .id(egui::Id::unique("help"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for entry in ACTIONS {
                    ui.label(lang.tr(entry.text));
                    ui.label(RichText::new(keys_text(ctx, entry)).monospace());
                    ui.end_row();
                }
            });
        });
    if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        commands.push(Command::Help(false));
    }
}

/// Toasts in the bottom-right corner; each goes after a few seconds or on click. Returns the
/// egui time from which the earliest toast should be dropped, so the caller can expire it.
pub fn toasts_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    if state.ui.toasts.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::unique("toasts"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -16.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            for toast in &state.ui.toasts {
                let fill = if toast.error {
                    style::TOAST_ERROR
                } else {
                    style::TOAST_INFO
                };
                let response = egui::Frame::new()
                    .fill(fill)
                    .corner_radius(6.0)
                    .inner_margin(10.0)
                    .show(ui, |ui| {
                        ui.set_max_width(520.0);
                        ui.label(RichText::new(&toast.text).color(egui::Color32::WHITE));
                    })
                    .response
                    .interact(egui::Sense::click());
                if response.clicked() {
                    commands.push(Command::DismissToasts);
                }
            }
        });
    ctx.request_repaint_after(std::time::Duration::from_secs_f64(TOAST_SECONDS));
}

/// Drops toasts shown for longer than their time; stamps new ones with `now`.
pub fn expire_toasts(state: &mut AppState, now: f64) {
    for toast in &mut state.ui.toasts {
        toast.shown_at.get_or_insert(now);
    }
    state
        .ui
        .toasts
        .retain(|t| t.shown_at.is_none_or(|at| now - at < TOAST_SECONDS));
}

/// While files are dragged over the window: say that dropping opens them.
pub fn drop_hint_ui(ctx: &egui::Context, state: &AppState) {
    if ctx.input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    painter.rect_filled(screen, 0.0, style::DROP_SHADE);
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        state.ui.lang.tr(Text::DropToOpen),
        egui::FontId::proportional(24.0),
        egui::Color32::WHITE,
    );
}

/// The app's own path field, for desktops without a system file dialog: the path to open or
/// write, with OK (or Enter) and Cancel.
pub fn path_prompt_ui(ctx: &egui::Context, state: &AppState, commands: &mut Vec<Command>) {
    let text_id = egui::Id::unique("path_prompt_text");
    let Some((purpose, default)) = &state.ui.path_prompt else {
        ctx.data_mut(|d| d.remove::<String>(text_id));
        return;
    };
    let lang = state.ui.lang;
    let title = match purpose {
        PathPurpose::Open => Text::PathOpenTitle,
        PathPurpose::SaveAs => Text::PathSaveTitle,
        PathPurpose::Export => Text::PathExportTitle,
        PathPurpose::ExportCodebook => Text::PathExportCodebookTitle,
        PathPurpose::ImportCodebook => Text::PathImportCodebookTitle,
    };
    let mut text = ctx
        .data_mut(|d| d.get_temp::<String>(text_id))
        .unwrap_or_else(|| default.clone());
    let mut done: Option<bool> = None;
    egui::Window::new(lang.tr(title))
        .id(egui::Id::unique("path_prompt"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ctx, |ui| {
            let label = ui.label(lang.tr(Text::PathPromptText));
            let width = (ctx.content_rect().width() * 0.6).clamp(280.0, 720.0);
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(width)
                        .id(egui::Id::unique("path_prompt_field")),
                )
                .labelled_by(label.id);
            if !field.has_focus() && ctx.data(|d| d.get_temp::<String>(text_id)).is_none() {
                field.request_focus();
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                done = Some(true);
            }
            ui.horizontal(|ui| {
                if ui.button(lang.tr(Text::Ok)).clicked() {
                    done = Some(true);
                }
                if ui.button(lang.tr(Text::Cancel)).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape))
                {
                    done = Some(false);
                }
            });
        });
    match done {
        Some(ok) => {
            ctx.data_mut(|d| d.remove::<String>(text_id));
            commands.push(Command::CloseAskPath);
            let path = text.trim();
            if ok && !path.is_empty() {
                commands.push(purpose.command(std::path::PathBuf::from(path)));
            }
        }
        None => {
            ctx.data_mut(|d| d.insert_temp(text_id, text));
        }
    }
}
