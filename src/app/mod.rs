//! The desktop app (eframe/egui): a plan library, two plans side by side with connectors between
//! linked measures, an aligned table, a coverage heat map, the codebook, and a detail panel with
//! the character diff. Views read [`AppState`] and push [`Command`]s; [`PlanAlignApp::apply`] is
//! the only code that changes the state. The analyst's work is autosaved to the session and to
//! workspace files (see [`crate::workspace`]).
//!
//! This module holds the app type, drawing and command handling; file operations are in
//! `files`, the session and journal in `session`, the menu bar in `menu`, moving through
//! measures and links in `navigation`, and screenshots and frame benchmarks in `tooling`.

mod actions;
mod aligned_view;
mod cascade_view;
mod codebook_panel;
mod command;
mod coverage_view;
mod detail_panel;
mod files;
mod fonts;
mod i18n;
mod library_panel;
mod link_gutter;
mod menu;
mod navigation;
mod overlays;
mod plan_pane;
mod session;
mod state;
mod style;
mod tooling;
mod widgets;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use actions::{ACTIONS, Action};
pub use aligned_view::{AlignedRow, SortKey, aligned_rows};
pub use command::{Command, PathPurpose};
pub use fonts::install_fonts;
pub use i18n::{Lang, Text};
pub use link_gutter::connector_ends;
pub use state::{AppState, Edits, Filter, Side, Toast, View};

use crate::journal::{self, Journal, WorkChange};
use crate::model::{LinkStatus, Plan};
use crate::report::ReportFormat;
use crate::workspace::{self, PlanSource, Session};
use files::native_file_dialog_available;
use menu::menu_bar_ui;
use navigation::{next_unreviewed, reveal, select_measure, step_measure};
use session::{AUTOSAVE_DELAY, keep_previous_session, newer_autosave, restore_session};
use tooling::{FrameBench, ScreenshotJob};

/// What `planalign gui` was asked to do besides showing the app.
#[derive(Clone, Debug, Default)]
pub struct GuiOptions {
    /// Save a PNG of the window once it has settled, then exit.
    pub screenshot: Option<PathBuf>,
    /// Select this measure ordinal of the left plan at start.
    pub select: Option<u32>,
    /// The view to open on (else the workspace's, else side by side).
    pub view: Option<View>,
    /// The folder of the session to autosave to (none: nothing is autosaved).
    pub session_dir: Option<PathBuf>,
    /// Render this many frames, print frame-time percentiles and memory, and exit.
    pub bench_frames: Option<u32>,
    /// The window's size in points (default 1600 × 1000).
    pub size: Option<(f32, f32)>,
    /// When the process started (for the first-frame time of `bench_frames`).
    pub launched: Option<Instant>,
    /// Files that could not be opened at start, one message each (shown as toasts).
    pub startup_errors: Vec<String>,
    /// Ask for paths in the app's own field rather than the system's file dialog (also
    /// chosen automatically when the desktop has no file-dialog service).
    pub builtin_file_dialog: bool,
    /// Read commands from standard input, one JSON [`Command`] per line, and print
    /// `applied N` on standard output once line N's command is applied.
    pub commands_stdin: bool,
}

/// What the app opens on.
pub enum Start {
    /// These plans, the first two side by side.
    Plans(Vec<(PlanSource, Plan)>),
    /// A workspace file (already checked to load).
    Workspace(PathBuf, Box<workspace::Opened>),
    /// The last session, or the bundled plans when there is none.
    Session,
}

/// The app.
pub struct PlanAlignApp {
    /// What the views read.
    pub state: AppState,
    screenshot: ScreenshotJob,
    session_dir: Option<PathBuf>,
    session_due: Option<Instant>,
    /// Where each edit is made durable the moment it is applied (with a session folder).
    journal: Option<Journal>,
    /// The work as the session file and the journal together hold it; `None` until the first
    /// journal entry (which then records every part of the work, as the session file may hold
    /// another session's).
    journaled: Option<Session>,
    bench: Option<FrameBench>,
    title: String,
    /// Use the app's own path field instead of the system file dialog.
    builtin_file_dialog: bool,
    /// When the clipboard's text was asked for (File › New plan from clipboard).
    paste_requested: Option<Instant>,
    /// Commands read from standard input (`--commands-stdin`), numbered by line.
    script: Option<std::sync::mpsc::Receiver<(usize, Command)>>,
}

impl PlanAlignApp {
    /// The app over `plans` (the first two side by side).
    pub fn new(plans: Vec<(PlanSource, Plan)>, lang: Lang, options: &GuiOptions) -> Self {
        Self::with_state(AppState::new(plans, lang), options)
    }

    /// The app over a prepared state.
    pub fn with_state(state: AppState, options: &GuiOptions) -> Self {
        let mut app = Self {
            state,
            screenshot: ScreenshotJob {
                path: options.screenshot.clone(),
                ..ScreenshotJob::default()
            },
            session_dir: options.session_dir.clone(),
            builtin_file_dialog: options.builtin_file_dialog || !native_file_dialog_available(),
            session_due: None,
            script: None,
            paste_requested: None,
            journal: None,
            journaled: None,
            bench: options.bench_frames.map(|frames| FrameBench {
                frames,
                launched: options.launched.unwrap_or_else(Instant::now),
                first_frame: None,
                times: Vec::new(),
                select_times: Vec::new(),
            }),
            title: String::new(),
        };
        if let Some(dir) = &app.session_dir {
            match Journal::open(dir) {
                Ok(journal) => app.journal = Some(journal),
                Err(err) => app.state.toast_error(err.to_string()),
            }
        }
        if let Some(view) = options.view {
            app.state.set_view(view);
        }
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

    /// The app on what `start` names; the last session is read from `options.session_dir`.
    ///
    /// Edits the journal holds from a run that ended without saving (a crash, a kill) are first
    /// folded into the session. A start that does not restore the session keeps the work it
    /// holds in a file of its own in the session folder first (a toast says where), so the new
    /// session's autosave cannot overwrite it.
    pub fn open(start: Start, lang: Lang, options: &GuiOptions) -> Self {
        let dir = options.session_dir.as_deref();
        let mut notices: Vec<Result<String, String>> = Vec::new();
        if let Some(dir) = dir
            && let Err(err) = journal::fold_into_session(dir)
        {
            notices.push(Err(err.to_string()));
        }
        let restored = match start {
            Start::Session => Ok(restore_session(dir, lang)),
            other => Err(other),
        };
        // Anything but a restored session starts a new one: keep the old one's work first.
        if !matches!(restored, Ok(Some(_)))
            && let Some(dir) = dir
        {
            match keep_previous_session(dir) {
                Ok(Some(kept)) => notices.push(Ok(format!(
                    "{}: {}",
                    lang.tr(Text::PreviousSessionKept),
                    kept.display()
                ))),
                Ok(None) => {}
                Err(err) => notices.push(Err(err)),
            }
        }
        let state = match restored {
            Ok(Some(state)) => state,
            Ok(None) => AppState::new(crate::library::bundled_entries(), lang),
            Err(Start::Plans(plans)) => AppState::new(plans, lang),
            Err(Start::Workspace(path, opened)) => {
                let mut state = AppState::from_workspace(*opened, Some(path.clone()), lang);
                state.ui.recovery = newer_autosave(dir, &path, &state);
                state
            }
            Err(Start::Session) => AppState::new(crate::library::bundled_entries(), lang),
        };
        let mut app = Self::with_state(state, options);
        notices.extend(options.startup_errors.iter().cloned().map(Err));
        for notice in notices {
            match notice {
                Ok(text) => app.state.toast_info(text),
                Err(text) => app.state.toast_error(text),
            }
        }
        app
    }

    /// Draws the whole app into `ui` (used by eframe and by UI tests).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        let state = &self.state;
        let lang = state.ui.lang;
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| menu_bar_ui(ui, state, &mut commands));
        });
        // The codebook tags the selected measure: the Cascade view has none, so it gets the room.
        // In the Coverage view the heat map lists the themes: on a narrow window it gets the
        // codebook's room too.
        let narrow = ctx.content_rect().width() < 1400.0;
        let mut codebook_shown = !state.ui.hide_codebook
            && state.ui.view != View::Cascade
            && !(narrow && state.ui.view == View::Coverage);
        // Side panels start narrower on small windows and never take more than a share of the
        // window, so the plans in the middle stay usable at 1024 × 700.
        let window_width = ctx.content_rect().width();
        egui::Panel::left("library")
            .default_size(style::LIBRARY_WIDTH.min(window_width * 0.2))
            .size_range(140.0..=(window_width * 0.3).max(160.0))
            .resizable(true)
            .show_collapsible(ui, &mut !state.ui.hide_library, |ui| {
                library_panel::library_panel_ui(ui, state, &mut commands)
            });
        egui::Panel::right("codebook")
            .default_size(style::CODEBOOK_WIDTH.min(window_width * 0.22))
            .size_range(160.0..=(window_width * 0.32).max(180.0))
            .resizable(true)
            .show_collapsible(ui, &mut codebook_shown, |ui| {
                codebook_panel::codebook_panel_ui(ui, state, &mut commands)
            });
        if !matches!(state.ui.view, View::Coverage | View::Cascade) {
            egui::Panel::bottom("detail")
                .default_size(style::DETAIL_HEIGHT)
                .resizable(true)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.heading(lang.tr(Text::Detail));
                        let (reviewed, total) = state.review_progress();
                        ui.label(
                            egui::RichText::new(format!(
                                "{} {reviewed} / {total}",
                                lang.tr(Text::Reviewed)
                            ))
                            .weak(),
                        );
                    });
                    detail_panel::detail_panel_ui(ui, state, &mut commands);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match state.ui.view {
            View::SideBySide => {
                overlays::filter_bar_ui(ui, state, &mut commands);
                overlays::legend_ui(ui, state);
                side_by_side_ui(ui, state, &mut commands);
            }
            View::Aligned => {
                overlays::filter_bar_ui(ui, state, &mut commands);
                aligned_view::aligned_view_ui(ui, state, &mut commands);
            }
            View::Coverage => coverage_view::coverage_view_ui(ui, state, &mut commands),
            View::Cascade => cascade_view::cascade_view_ui(ui, state, &mut commands),
        });
        overlays::theme_picker_ui(&ctx, state, &mut commands);
        overlays::help_ui(&ctx, state, &mut commands);
        overlays::recovery_ui(&ctx, state, &mut commands);
        overlays::source_ui(&ctx, state, &mut commands);
        overlays::path_prompt_ui(&ctx, state, &mut commands);
        overlays::toasts_ui(&ctx, state, &mut commands);
        overlays::drop_hint_ui(&ctx, state);
        commands.extend(actions::shortcut_commands(&ctx));
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(Command::OpenFiles(dropped));
        }
        commands.extend(self.pasted_plan(&ctx));
        // Scroll requests live a few frames (layout may still be settling), then end.
        self.state.ui.scroll_frames_left = self.state.ui.scroll_frames_left.saturating_sub(1);
        if self.state.ui.scroll_frames_left == 0 {
            self.state.ui.scroll_to.clear();
        }
        self.apply(commands, Some(&ctx));
        overlays::expire_toasts(&mut self.state, ctx.input(|i| i.time));
        self.update_title(&ctx);
        self.autosave_step(&ctx);
        self.screenshot_step(&ctx);
    }

    /// Applies commands: the only place the state changes.
    pub fn apply(&mut self, commands: Vec<Command>, ctx: Option<&egui::Context>) {
        let mut changed = false;
        for command in commands {
            if !command.is_note() {
                self.state.history.coalesce_key = None;
            }
            if self.apply_one(command, ctx) && self.session_dir.is_some() {
                changed = true;
                self.session_due
                    .get_or_insert_with(|| Instant::now() + AUTOSAVE_DELAY);
            }
        }
        if changed {
            self.journal_step();
        }
    }

    /// Applies one command; returns whether the session (work or view) changed.
    fn apply_one(&mut self, command: Command, ctx: Option<&egui::Context>) -> bool {
        let state = &mut self.state;
        match command {
            Command::ShowPlan { side, index } => {
                if !state.show_plan(side, index) {
                    return false;
                }
            }
            Command::OpenPairAt {
                left,
                right,
                side,
                measure_id,
                link,
            } => {
                if !state.show_pair(left, right) {
                    return false;
                }
                state.ui.view = View::SideBySide;
                select_measure(state, side, measure_id);
                if let Some((left_id, right_id)) = link {
                    state.ui.scroll_to.retain(|(s, _)| *s == Side::Left);
                    state.ui.scroll_to.push((Side::Right, right_id.clone()));
                    state.ui.scroll_frames_left = state.ui.scroll_frames_left.max(3);
                    state.ui.current_link = Some((left_id, right_id));
                }
            }
            Command::SwapPlans => {
                if !state.show_pair(state.doc.right(), state.doc.left()) {
                    return false;
                }
            }
            Command::SelectMeasure { side, measure_id } => {
                select_measure(state, side, measure_id);
                return false;
            }
            Command::Reveal {
                plan_index,
                measure_id,
            } => {
                reveal(state, plan_index, measure_id);
                state.ui.view = View::SideBySide;
            }
            Command::Trace {
                plan_index,
                measure_id,
            } => {
                reveal(state, plan_index, measure_id);
            }
            Command::SelectLink { left_id, right_id } => {
                state.ui.current_link = Some((left_id, right_id));
                return false;
            }
            Command::StepMeasure { forward } => {
                step_measure(state, forward);
                return false;
            }
            Command::NextUnreviewed => {
                next_unreviewed(state);
                return false;
            }
            Command::DecideCurrent(status) => {
                let Some((left_id, right_id)) = state.ui.current_link.clone() else {
                    return false;
                };
                state.set_link_status(&left_id, &right_id, status);
            }
            Command::SetLinkStatus {
                left_id,
                right_id,
                status,
            } => {
                state.set_link_status(&left_id, &right_id, status);
                state.ui.current_link = Some((left_id, right_id));
            }
            Command::AddManualLink { left_id, right_id } => {
                state.add_manual_link(&left_id, &right_id);
                state.ui.current_link = Some((left_id, right_id));
                state.select(state.ui.selected.clone());
            }
            Command::Unlink { left_id, right_id } => {
                state.unlink(&left_id, &right_id);
                state.select(state.ui.selected.clone());
            }
            Command::SetNote {
                left_id,
                right_id,
                note,
            } => state.set_note(&left_id, &right_id, &note),
            Command::ToggleTheme {
                side,
                measure_id,
                theme_id,
            } => {
                let plan_index = state.plan_index(side);
                state.toggle_theme(plan_index, &measure_id, &theme_id);
            }
            Command::DecideSuggestion {
                target,
                theme_id,
                take,
            } => state.decide_suggestion(&target, &theme_id, take),
            Command::DecideSelectedSuggestion(take) => {
                let Some((side, measure_id)) = &state.ui.selected else {
                    return false;
                };
                let Some(suggestion) = state
                    .suggestions_for(state.plan_index(*side), measure_id)
                    .next()
                    .cloned()
                else {
                    return false;
                };
                state.decide_suggestion(&suggestion.target, &suggestion.theme_id, take);
            }
            Command::AddTheme { pillar_id } => {
                state.ui.editing_theme = state.add_theme(&pillar_id);
            }
            Command::UpdateTheme {
                theme_id,
                zh,
                en,
                color,
            } => {
                if state.update_theme(&theme_id, &zh, &en, &color) {
                    state.ui.editing_theme = None;
                } else {
                    state.toast_error(lang_text(state, Text::InvalidTheme));
                }
            }
            Command::EditTheme(theme_id) => {
                state.ui.editing_theme = theme_id;
                return false;
            }
            Command::SetFilter(filter) => {
                state.ui.filter = filter;
                return false;
            }
            Command::SelectCoverageCell(cell) => {
                state.ui.coverage_cell = cell;
                return false;
            }
            Command::Undo => return state.undo(),
            Command::Redo => return state.redo(),
            Command::ThemePicker(open) => {
                state.ui.picker_open = open && state.ui.selected.is_some();
                return false;
            }
            Command::Help(open) => {
                state.ui.help_open = open;
                return false;
            }
            Command::SetView(view) => state.set_view(view),
            Command::ToggleLibrary => state.ui.hide_library = !state.ui.hide_library,
            Command::ToggleCodebook => state.ui.hide_codebook = !state.ui.hide_codebook,
            Command::SortAligned(key) => {
                state.ui.aligned_sort = key;
                return false;
            }
            Command::SetLanguage(lang) => state.ui.lang = lang,
            Command::SetFoldTraditional(fold) => state.set_fold_traditional(fold),
            Command::LearnFromDecisions => match state.learn_from_decisions() {
                Ok(learned) => {
                    let text = format!(
                        "{}: {} + {} − · F1 {:.2} → {:.2}",
                        lang_text(state, Text::Learned),
                        learned.num_links,
                        learned.num_rejected,
                        learned.before_f1,
                        learned.after_f1
                    );
                    state.toast_info(text);
                }
                Err(message) => state.toast_error(message),
            },
            Command::UseShippedModel => state.use_shipped_model(),
            Command::PasteFromClipboard => {
                if let Some(ctx) = ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestPaste);
                }
                self.paste_requested = Some(Instant::now());
                return false;
            }
            Command::PastePlan(text) => {
                self.paste_requested = None;
                return self.paste_plan(&text);
            }
            Command::OpenDialog => {
                let filter_name = lang_text(state, Text::PlansAndWorkspaces).to_owned();
                let picked = self.pick_paths(PathPurpose::Open, || {
                    rfd::FileDialog::new()
                        .add_filter(
                            filter_name,
                            &[
                                "txt",
                                "text",
                                "html",
                                "htm",
                                "docx",
                                "pdf",
                                "ron",
                                "qdc",
                                workspace::WORKSPACE_EXTENSION,
                            ],
                        )
                        .pick_files()
                });
                if let Some(paths) = picked {
                    return self.open_files(&paths);
                }
                return false;
            }
            Command::OpenFiles(paths) => return self.open_files(&paths),
            Command::Save => match state.doc.workspace_path.clone() {
                Some(path) => self.save_to(&path),
                None => self.save_untitled(),
            },
            Command::SaveAsDialog => self.save_as_dialog(),
            Command::SaveTo(path) => self.save_to(&path),
            Command::ExportDialog => {
                let name = self.export_name();
                let picked = self.pick_paths(PathPurpose::Export, || {
                    ReportFormat::ALL
                        .iter()
                        .fold(
                            rfd::FileDialog::new().set_file_name(name),
                            |dialog, format| {
                                dialog.add_filter(format.name(), &[format.extension()])
                            },
                        )
                        .save_file()
                        .map(|path| vec![path])
                });
                if let Some(path) = picked.and_then(|paths| paths.into_iter().next()) {
                    self.export(&path);
                }
                return false;
            }
            Command::Export(path) => {
                self.export(&path);
                return false;
            }
            Command::ExportCodebookDialog => {
                let picked = self.pick_paths(PathPurpose::ExportCodebook, || {
                    rfd::FileDialog::new()
                        .set_file_name("codebook.qdc")
                        .add_filter("REFI-QDA", &["qdc"])
                        .save_file()
                        .map(|path| vec![path])
                });
                if let Some(path) = picked.and_then(|paths| paths.into_iter().next()) {
                    self.export_codebook(&path);
                }
                return false;
            }
            Command::ExportCodebook(path) => {
                self.export_codebook(&path);
                return false;
            }
            Command::ImportCodebookDialog => {
                let picked = self.pick_paths(PathPurpose::ImportCodebook, || {
                    rfd::FileDialog::new()
                        .add_filter("REFI-QDA", &["qdc"])
                        .pick_file()
                        .map(|path| vec![path])
                });
                return picked
                    .and_then(|paths| paths.into_iter().next())
                    .is_some_and(|path| self.import_codebook(&path));
            }
            Command::ImportCodebook(path) => return self.import_codebook(&path),
            Command::AskPath(purpose) => {
                self.ask_path(purpose);
                return false;
            }
            Command::CloseAskPath => {
                state.ui.path_prompt = None;
                return false;
            }
            Command::ShowSource(index) => {
                state.ui.source_view = index.filter(|i| *i < state.doc.plans.len());
                return false;
            }
            Command::ReloadPlan(index) => return self.reload_plan(index),
            Command::Recover(take) => {
                if take {
                    state.recover();
                } else {
                    state.ui.recovery = None;
                    return false;
                }
            }
            Command::DismissToasts => {
                state.ui.toasts.clear();
                return false;
            }
            Command::Quit => {
                if let Some(ctx) = ctx {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                return false;
            }
        }
        true
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let name = self.state.doc.workspace_path.as_ref().map_or_else(
            || lang_text(&self.state, Text::Untitled),
            |path| {
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            },
        );
        let title = format!(
            "{name}{} — PlanAlign",
            if self.state.doc.dirty { " •" } else { "" }
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

impl PlanAlignApp {}

impl eframe::App for PlanAlignApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
        self.script_step(&ui.ctx().clone());
        self.show(ui);
        let elapsed = started.elapsed();
        self.bench_step(&ui.ctx().clone(), elapsed);
    }

    /// The session is saved on the way out even without new work, so the view (pair,
    /// selection, panels) comes back as it was left.
    fn on_exit(&mut self) {
        if self.session_dir.is_some() {
            self.save_session();
        }
    }

    /// Panel sizes, collapsed headers and scroll positions come back on the next start, for
    /// the analyst's sessions only: screenshots and benchmarks start from the defaults.
    fn persist_egui_memory(&self) -> bool {
        self.session_dir.is_some()
    }
}

/// A UI text in the state's language, owned.
fn lang_text(state: &AppState, text: Text) -> String {
    state.ui.lang.tr(text).to_owned()
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

/// Runs the desktop app on what `start` names.
pub fn run(start: Start, options: GuiOptions) -> Result<(), String> {
    let viewport = egui::ViewportBuilder::default()
        .with_title("PlanAlign")
        .with_inner_size(options.size.map_or([1600.0, 1000.0], |(w, h)| [w, h]))
        .with_drag_and_drop(true);
    // The window's size and place come back too, unless a size was asked for (screenshots).
    let native = eframe::NativeOptions {
        viewport,
        persist_window: options.size.is_none() && options.session_dir.is_some(),
        ..Default::default()
    };
    let lang = Lang::from_environment();
    eframe::run_native(
        "PlanAlign",
        native,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            let mut app = PlanAlignApp::open(start, lang, &options);
            if options.commands_stdin {
                app.script = Some(tooling::read_commands(
                    std::io::stdin(),
                    cc.egui_ctx.clone(),
                ));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| format!("cannot open the window ({err})"))
}
