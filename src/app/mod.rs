//! The desktop app (eframe/egui): a plan library, two plans side by side with connectors between
//! linked measures, and a detail panel with the character diff. Views read [`AppState`] and
//! push [`Command`]s; [`PlanAlignApp::apply`] is the only code that changes the state.

mod aligned_view;
mod command;
mod detail_panel;
mod fonts;
mod i18n;
mod library_panel;
mod link_gutter;
mod plan_pane;
mod state;
mod style;
mod widgets;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

pub use aligned_view::{AlignedRow, SortKey, aligned_rows};
pub use command::Command;
pub use fonts::install_fonts;
pub use i18n::{Lang, Text};
pub use link_gutter::connector_ends;
pub use state::{AppState, Side, View};

use crate::model::Plan;

/// What `planalign gui` was asked to do besides showing the app.
#[derive(Clone, Debug, Default)]
pub struct GuiOptions {
    /// Save a PNG of the window once it has settled, then exit.
    pub screenshot: Option<PathBuf>,
    /// Select this measure ordinal of the left plan at start.
    pub select: Option<u32>,
    /// The view to open on.
    pub view: View,
}

/// Where a requested screenshot stands.
#[derive(Default)]
struct ScreenshotJob {
    path: Option<PathBuf>,
    frames: u32,
    requested: bool,
    result: Arc<Mutex<Option<Result<(), String>>>>,
}

/// The app.
pub struct PlanAlignApp {
    /// What the views read.
    pub state: AppState,
    screenshot: ScreenshotJob,
}

impl PlanAlignApp {
    /// The app over `plans` (the first two side by side).
    pub fn new(plans: Vec<Plan>, lang: Lang, options: &GuiOptions) -> Self {
        let mut app = Self {
            state: AppState::new(plans, lang),
            screenshot: ScreenshotJob {
                path: options.screenshot.clone(),
                ..ScreenshotJob::default()
            },
        };
        app.state.view = options.view;
        let selected = options.select.and_then(|ordinal| {
            let plan = app.state.plan(Side::Left)?;
            Some(
                plan.measures
                    .iter()
                    .find(|m| m.ordinal == ordinal)?
                    .id
                    .clone(),
            )
        });
        if let Some(measure_id) = selected {
            app.apply(
                vec![Command::SelectMeasure {
                    side: Side::Left,
                    measure_id,
                }],
                None,
            );
        }
        app
    }

    /// Draws the whole app into `ui` (used by eframe and by UI tests).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        let state = &self.state;
        let lang = state.lang;
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button(lang.tr(Text::File), |ui| {
                    if ui.button(lang.tr(Text::Quit)).clicked() {
                        commands.push(Command::Quit);
                    }
                });
                ui.separator();
                for (view, text) in [
                    (View::SideBySide, Text::SideBySide),
                    (View::Aligned, Text::Aligned),
                ] {
                    if ui
                        .selectable_label(state.view == view, lang.tr(text))
                        .clicked()
                    {
                        commands.push(Command::SetView(view));
                    }
                }
                ui.separator();
                ui.menu_button(lang.tr(Text::Language), |ui| {
                    if ui.radio(lang == Lang::Zh, "中文").clicked() {
                        commands.push(Command::SetLanguage(Lang::Zh));
                    }
                    if ui.radio(lang == Lang::En, "English").clicked() {
                        commands.push(Command::SetLanguage(Lang::En));
                    }
                });
            });
        });
        egui::Panel::left("library")
            .default_size(style::LIBRARY_WIDTH)
            .resizable(true)
            .show(ui, |ui| {
                library_panel::library_panel_ui(ui, state, &mut commands)
            });
        egui::Panel::bottom("detail")
            .default_size(style::DETAIL_HEIGHT)
            .resizable(true)
            .show(ui, |ui| {
                ui.heading(lang.tr(Text::Detail));
                detail_panel::detail_panel_ui(ui, state, &mut commands);
            });
        egui::CentralPanel::default().show(ui, |ui| match state.view {
            View::SideBySide => side_by_side_ui(ui, state, &mut commands),
            View::Aligned => aligned_view::aligned_view_ui(ui, state, &mut commands),
        });
        let ctx = ui.ctx().clone();
        // Scroll requests live a few frames (layout may still be settling), then end.
        self.state.scroll_frames_left = self.state.scroll_frames_left.saturating_sub(1);
        if self.state.scroll_frames_left == 0 {
            self.state.scroll_to.clear();
        }
        self.apply(commands, Some(&ctx));
        self.screenshot_step(&ctx);
    }

    /// Applies commands: the only place the state changes.
    pub fn apply(&mut self, commands: Vec<Command>, ctx: Option<&egui::Context>) {
        let state = &mut self.state;
        for command in commands {
            match command {
                Command::ShowPlan { side, index } if index < state.plans.len() => {
                    match side {
                        Side::Left => state.left = index,
                        Side::Right => state.right = index,
                    }
                    state.selected = None;
                    state.recompute();
                }
                Command::ShowPlan { .. } => {}
                Command::SwapPlans => {
                    std::mem::swap(&mut state.left, &mut state.right);
                    state.selected = None;
                    state.recompute();
                }
                Command::SelectMeasure { side, measure_id } => {
                    let other = if side == Side::Left {
                        Side::Right
                    } else {
                        Side::Left
                    };
                    state.scroll_to = vec![(side, measure_id.clone())];
                    state.scroll_to.extend(
                        state
                            .linked(side, &measure_id)
                            .first()
                            .map(|(best, _)| (other, best.clone())),
                    );
                    state.select(Some((side, measure_id)));
                    state.scroll_frames_left = 3;
                }
                Command::SetLinkStatus {
                    left_id,
                    right_id,
                    status,
                } => {
                    state.set_link_status(&left_id, &right_id, status);
                }
                Command::SetView(view) => state.view = view,
                Command::SortAligned(key) => state.aligned_sort = key,
                Command::SetLanguage(lang) => state.lang = lang,
                Command::Quit => {
                    if let Some(ctx) = ctx {
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
            }
        }
    }

    /// With `--screenshot`: wait for the window to settle, capture it, save a PNG, close.
    fn screenshot_step(&mut self, ctx: &egui::Context) {
        let job = &mut self.screenshot;
        let Some(path) = job.path.clone() else {
            return;
        };
        job.frames += 1;
        ctx.request_repaint();
        if !job.requested && job.frames >= 10 {
            job.requested = true;
            let result = Arc::clone(&job.result);
            ctx.request_screenshot(move |image| {
                let saved = save_png(&path, &image);
                if let Ok(mut slot) = result.lock() {
                    *slot = Some(saved);
                }
            });
        }
        let finished = job.result.lock().ok().and_then(|mut slot| slot.take());
        if let Some(outcome) = finished {
            if let Err(message) = outcome {
                eprintln!("planalign: error: {message}");
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

impl eframe::App for PlanAlignApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}

/// The two panes and the gutter between them.
fn side_by_side_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let full = ui.available_rect_before_wrap();
    let pane_width = ((full.width() - style::GUTTER_WIDTH - style::CARD_MARGIN) / 2.0).max(100.0);
    let left_rect = egui::Rect::from_min_size(full.min, egui::vec2(pane_width, full.height()));
    let gutter = egui::Rect::from_min_size(
        egui::pos2(left_rect.right(), full.top()),
        egui::vec2(style::GUTTER_WIDTH, full.height()),
    );
    let right_rect = egui::Rect::from_min_size(
        egui::pos2(gutter.right(), full.top()),
        egui::vec2(pane_width, full.height()),
    );
    let mut left_cards: HashMap<String, egui::Rect> = HashMap::new();
    let mut right_cards: HashMap<String, egui::Rect> = HashMap::new();
    for (side, rect, cards) in [
        (Side::Left, left_rect, &mut left_cards),
        (Side::Right, right_rect, &mut right_cards),
    ] {
        ui.scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
            ui.set_clip_rect(rect.intersect(ui.clip_rect()));
            plan_pane::plan_pane_ui(ui, state, side, cards, commands);
        });
    }
    // Cards scrolled out of a pane are clipped away with it.
    let visible = |cards: &mut HashMap<String, egui::Rect>, pane: egui::Rect| {
        cards.retain(|_, card| {
            card.center().y > pane.top() + 40.0 && card.center().y < pane.bottom()
        });
    };
    visible(&mut left_cards, left_rect);
    visible(&mut right_cards, right_rect);
    let painter = ui.painter_at(gutter);
    link_gutter::link_gutter_ui(&painter, state, gutter, &left_cards, &right_cards);
    ui.allocate_rect(full, egui::Sense::hover());
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [width, height] = image.size;
    let file = std::fs::File::create(path)
        .map_err(|err| format!("cannot write screenshot ({err}): {}", path.display()))?;
    let mut encoder = png::Encoder::new(
        std::io::BufWriter::new(file),
        u32::try_from(width).unwrap_or(0),
        u32::try_from(height).unwrap_or(0),
    );
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&bytes))
        .map_err(|err| format!("cannot encode screenshot ({err}): {}", path.display()))
}

/// Runs the desktop app over `plans`.
pub fn run(plans: Vec<Plan>, options: GuiOptions) -> Result<(), String> {
    let viewport = egui::ViewportBuilder::default()
        .with_title("PlanAlign")
        .with_inner_size([1600.0, 1000.0]);
    let native = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let lang = Lang::from_environment();
    eframe::run_native(
        "PlanAlign",
        native,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            Ok(Box::new(PlanAlignApp::new(plans, lang, &options)))
        }),
    )
    .map_err(|err| format!("cannot open the window ({err})"))
}
