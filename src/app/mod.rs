//! The desktop app (eframe/egui): a plan library, two plans side by side with connectors between
//! linked measures, an aligned table, a coverage heat map, the codebook, and a detail panel with
//! the character diff. Views read [`AppState`] and push [`Command`]s; [`PlanAlignApp::apply`] is
//! the only code that changes the state. The analyst's work is autosaved to the session and to
//! workspace files (see [`crate::workspace`]).

mod actions;
mod aligned_view;
mod cascade_view;
mod codebook_panel;
mod command;
mod coverage_view;
mod detail_panel;
mod fonts;
mod i18n;
mod library_panel;
mod link_gutter;
mod overlays;
mod plan_pane;
mod state;
mod style;
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

/// A file dialog that comes back empty sooner than this was never shown: there is no dialog
/// service on this desktop.
const NO_DIALOG_WITHIN: Duration = Duration::from_millis(250);

/// Whether this desktop can show a system file dialog: elsewhere than Linux and the BSDs
/// always; there, through the desktop portal (on the session bus) or zenity / kdialog.
fn native_file_dialog_available() -> bool {
    if !cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    )) {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        ["zenity", "kdialog"]
            .iter()
            .any(|tool| dir.join(tool).is_file())
    })
}

/// How long after an edit the session is autosaved.
const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

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

/// Where a requested screenshot stands.
#[derive(Default)]
struct ScreenshotJob {
    path: Option<PathBuf>,
    frames: u32,
    requested: bool,
    result: Arc<Mutex<Option<Result<(), String>>>>,
}

/// Frame timings for `--bench-frames`.
struct FrameBench {
    frames: u32,
    launched: Instant,
    first_frame: Option<Duration>,
    times: Vec<Duration>,
    /// Time to apply "next measure" (selection, diffs, trace), measured every 50 frames.
    select_times: Vec<Duration>,
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
                state.recovery = newer_autosave(dir, &path, &state);
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

    /// The work and view as the session file stores them.
    fn current_session(&self) -> Session {
        Session {
            path: self.state.workspace_path.clone(),
            dirty: self.state.dirty,
            workspace: self.state.to_workspace(),
        }
    }

    /// Appends what changed in the work since the last journal entry or autosave to the
    /// journal, on disk before the frame that shows it.
    fn journal_step(&mut self) {
        if self.journal.is_none() {
            return;
        }
        let now = self.current_session();
        let changes = WorkChange::between(self.journaled.as_ref(), &now);
        let Some(journal) = self.journal.as_mut().filter(|_| !changes.is_empty()) else {
            return;
        };
        match journal.append(&changes) {
            Ok(()) => self.journaled = Some(now),
            Err(err) => {
                // Keep trying on the next edit; the autosave still runs.
                self.state.toast_error(err.to_string());
            }
        }
    }

    /// Draws the whole app into `ui` (used by eframe and by UI tests).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let mut commands = Vec::new();
        let state = &self.state;
        let lang = state.lang;
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| menu_bar_ui(ui, state, &mut commands));
        });
        // The codebook tags the selected measure: the Cascade view has none, so it gets the room.
        // In the Coverage view the heat map lists the themes: on a narrow window it gets the
        // codebook's room too.
        let narrow = ctx.content_rect().width() < 1400.0;
        let mut codebook_shown = !state.hide_codebook
            && state.view != View::Cascade
            && !(narrow && state.view == View::Coverage);
        // Side panels start narrower on small windows and never take more than a share of the
        // window, so the plans in the middle stay usable at 1024 × 700.
        let window_width = ctx.content_rect().width();
        egui::Panel::left("library")
            .default_size(style::LIBRARY_WIDTH.min(window_width * 0.2))
            .size_range(140.0..=(window_width * 0.3).max(160.0))
            .resizable(true)
            .show_collapsible(ui, &mut !state.hide_library, |ui| {
                library_panel::library_panel_ui(ui, state, &mut commands)
            });
        egui::Panel::right("codebook")
            .default_size(style::CODEBOOK_WIDTH.min(window_width * 0.22))
            .size_range(160.0..=(window_width * 0.32).max(180.0))
            .resizable(true)
            .show_collapsible(ui, &mut codebook_shown, |ui| {
                codebook_panel::codebook_panel_ui(ui, state, &mut commands)
            });
        if !matches!(state.view, View::Coverage | View::Cascade) {
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
        egui::CentralPanel::default().show(ui, |ui| match state.view {
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
        // Scroll requests live a few frames (layout may still be settling), then end.
        self.state.scroll_frames_left = self.state.scroll_frames_left.saturating_sub(1);
        if self.state.scroll_frames_left == 0 {
            self.state.scroll_to.clear();
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
                self.state.coalesce_key = None;
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
                if index >= state.plans.len() {
                    return false;
                }
                match side {
                    Side::Left => state.left = index,
                    Side::Right => state.right = index,
                }
                state.selected = None;
                state.realign();
            }
            Command::OpenPairAt {
                left,
                right,
                side,
                measure_id,
                link,
            } => {
                if left == right || left >= state.plans.len() || right >= state.plans.len() {
                    return false;
                }
                state.left = left;
                state.right = right;
                state.selected = None;
                state.realign();
                state.view = View::SideBySide;
                select_measure(state, side, measure_id);
                if let Some((left_id, right_id)) = link {
                    state.scroll_to.retain(|(s, _)| *s == Side::Left);
                    state.scroll_to.push((Side::Right, right_id.clone()));
                    state.scroll_frames_left = state.scroll_frames_left.max(3);
                    state.current_link = Some((left_id, right_id));
                }
            }
            Command::SwapPlans => {
                std::mem::swap(&mut state.left, &mut state.right);
                state.selected = None;
                state.realign();
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
                state.view = View::SideBySide;
            }
            Command::Trace {
                plan_index,
                measure_id,
            } => {
                reveal(state, plan_index, measure_id);
            }
            Command::SelectLink { left_id, right_id } => {
                state.current_link = Some((left_id, right_id));
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
                let Some((left_id, right_id)) = state.current_link.clone() else {
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
                state.current_link = Some((left_id, right_id));
            }
            Command::AddManualLink { left_id, right_id } => {
                state.add_manual_link(&left_id, &right_id);
                state.current_link = Some((left_id, right_id));
                state.select(state.selected.clone());
            }
            Command::Unlink { left_id, right_id } => {
                state.unlink(&left_id, &right_id);
                state.select(state.selected.clone());
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
            Command::AddTheme { pillar_id } => {
                state.editing_theme = state.add_theme(&pillar_id);
            }
            Command::UpdateTheme {
                theme_id,
                zh,
                en,
                color,
            } => {
                if state.update_theme(&theme_id, &zh, &en, &color) {
                    state.editing_theme = None;
                } else {
                    state.toast_error(lang_text(state, Text::InvalidTheme));
                }
            }
            Command::EditTheme(theme_id) => {
                state.editing_theme = theme_id;
                return false;
            }
            Command::SetFilter(filter) => {
                state.filter = filter;
                return false;
            }
            Command::SelectCoverageCell(cell) => {
                state.coverage_cell = cell;
                return false;
            }
            Command::Undo => return state.undo(),
            Command::Redo => return state.redo(),
            Command::ThemePicker(open) => {
                state.picker_open = open && state.selected.is_some();
                return false;
            }
            Command::Help(open) => {
                state.help_open = open;
                return false;
            }
            Command::SetView(view) => state.set_view(view),
            Command::ToggleLibrary => state.hide_library = !state.hide_library,
            Command::ToggleCodebook => state.hide_codebook = !state.hide_codebook,
            Command::SortAligned(key) => {
                state.aligned_sort = key;
                return false;
            }
            Command::SetLanguage(lang) => state.lang = lang,
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
            Command::Save => match state.workspace_path.clone() {
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
                state.path_prompt = None;
                return false;
            }
            Command::ShowSource(index) => {
                state.source_view = index.filter(|i| *i < state.plans.len());
                return false;
            }
            Command::ReloadPlan(index) => return self.reload_plan(index),
            Command::Recover(take) => {
                if take {
                    state.recover();
                } else {
                    state.recovery = None;
                    return false;
                }
            }
            Command::DismissToasts => {
                state.toasts.clear();
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

    /// Opens plan files into the library (shown on the right) and workspace files (replacing
    /// the current work, which is saved first so nothing is lost).
    fn open_files(&mut self, paths: &[PathBuf]) -> bool {
        let mut changed = false;
        for path in paths {
            let is_qdc = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("qdc"));
            if is_qdc {
                changed |= self.import_codebook(path);
            } else if workspace::is_workspace_path(path) {
                changed |= self.open_workspace(path);
            } else {
                changed |= self.add_plan(path);
            }
        }
        changed
    }

    fn add_plan(&mut self, path: &Path) -> bool {
        let state = &mut self.state;
        let mut plan = match crate::persist::open_plan(path) {
            Ok(plan) => plan,
            Err(err) => {
                state.toast_error(err.to_string());
                return false;
            }
        };
        if let Some(index) = state
            .plans
            .iter()
            .position(|p| p.source.sha256 == plan.source.sha256 && !plan.source.sha256.is_empty())
        {
            state.toast_info(format!(
                "{}: {}",
                lang_text(state, Text::AlreadyOpen),
                path.display()
            ));
            if index != state.left {
                state.right = index;
                state.recompute();
            }
            return false;
        }
        stamp_import_time(&mut plan);
        let base = plan.id.clone();
        let mut n = 1;
        while state.plans.iter().any(|p| p.id == plan.id) {
            n += 1;
            plan.id = format!("{base}-{n}");
        }
        state.toast_info(format!(
            "{}: {}",
            lang_text(state, Text::Opened),
            plan.meta.title
        ));
        state.plans.push(plan);
        state.sources.push(workspace::file_source(path));
        // The new plan is shown beside the one on the left, the higher level on the left.
        let added = state.plans.len() - 1;
        let keep = if state.left == added {
            state.right
        } else {
            state.left
        };
        (state.left, state.right) = state::order_by_level(&state.plans, keep, added);
        state.selected = None;
        state.dirty = true;
        state.recompute();
        true
    }

    fn open_workspace(&mut self, path: &Path) -> bool {
        let opened = match workspace::open(path) {
            Ok(opened) => opened,
            Err(err) => {
                self.state.toast_error(err.to_string());
                return false;
            }
        };
        if !self.keep_current_work() {
            return false;
        }
        let lang = self.state.lang;
        self.state = AppState::from_workspace(opened, Some(path.to_path_buf()), lang);
        self.state.recovery = newer_autosave(self.session_dir.as_deref(), path, &self.state);
        self.state.toast_info(format!(
            "{}: {}",
            lang_text(&self.state, Text::Opened),
            path.display()
        ));
        true
    }

    /// Before the work is replaced: unsaved edits go to their workspace file, or to a new file
    /// in the session folder (reported) when the work has none. `false` if that failed.
    fn keep_current_work(&mut self) -> bool {
        if !self.state.dirty {
            return true;
        }
        let target = match &self.state.workspace_path {
            Some(path) => path.clone(),
            None => {
                let dir = self.session_dir.clone().unwrap_or_else(std::env::temp_dir);
                let stamp = crate::ingest::now_rfc3339().replace(':', "-");
                dir.join(format!(
                    "untitled-{stamp}.{}",
                    workspace::WORKSPACE_EXTENSION
                ))
            }
        };
        if let Some(dir) = target.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match workspace::save(&target, &self.state.to_workspace()) {
            Ok(()) => {
                if self.state.workspace_path.is_none() {
                    let text = format!(
                        "{}: {}",
                        lang_text(&self.state, Text::UnsavedBackup),
                        target.display()
                    );
                    self.state.toast_info(text);
                }
                true
            }
            Err(err) => {
                self.state.toast_error(err.to_string());
                false
            }
        }
    }

    fn save_as_dialog(&mut self) {
        let picked = self.pick_paths(PathPurpose::SaveAs, || {
            rfd::FileDialog::new()
                .set_file_name(format!("workspace.{}", workspace::WORKSPACE_EXTENSION))
                .add_filter("PlanAlign", &[workspace::WORKSPACE_EXTENSION])
                .save_file()
                .map(|path| vec![path])
        });
        if let Some(path) = picked.and_then(|paths| paths.into_iter().next()) {
            self.save_to(&path);
        }
    }

    /// Save on a workspace with no file yet: the system dialog asks where; without one, the
    /// work goes straight to a new file in the workspace folder (reported), so Save always
    /// ends with the work in a named file.
    fn save_untitled(&mut self) {
        if !self.builtin_file_dialog {
            self.save_as_dialog();
            if self.state.workspace_path.is_some() || !self.builtin_file_dialog {
                return;
            }
            // The dialog came back at once: there is none. Save by name instead.
            self.state.path_prompt = None;
        }
        let stamp = crate::ingest::now_rfc3339().replace(':', "-");
        let path = self.default_folder().join(format!(
            "workspace-{stamp}.{}",
            workspace::WORKSPACE_EXTENSION
        ));
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        self.save_to(&path);
        if self.state.workspace_path.as_deref() == Some(path.as_path()) {
            let text = format!(
                "{} {}",
                lang_text(&self.state, Text::SavedUntitled),
                path.display()
            );
            self.state.toasts.pop();
            self.state.toast_info(text);
        }
    }

    /// Runs a system file dialog; when the desktop has none (or it came back at once, before
    /// the analyst could choose: no dialog service answered), says so and opens the app's own
    /// path field instead, so a failure never looks like Cancel.
    fn pick_paths(
        &mut self,
        purpose: PathPurpose,
        dialog: impl FnOnce() -> Option<Vec<PathBuf>>,
    ) -> Option<Vec<PathBuf>> {
        if self.builtin_file_dialog {
            self.ask_path(purpose);
            return None;
        }
        let started = Instant::now();
        let picked = dialog();
        if picked.is_none() && started.elapsed() < NO_DIALOG_WITHIN {
            self.builtin_file_dialog = true;
            let text = lang_text(&self.state, Text::NoFileDialog).to_owned();
            self.state.toast_info(text);
            self.ask_path(purpose);
        }
        picked
    }

    /// Opens the app's own path field for `purpose`, filled with a sensible path.
    fn ask_path(&mut self, purpose: PathPurpose) {
        let folder = self.default_folder();
        let name = match purpose {
            PathPurpose::Open | PathPurpose::ImportCodebook => String::new(),
            PathPurpose::SaveAs => format!("workspace.{}", workspace::WORKSPACE_EXTENSION),
            PathPurpose::Export => self.export_name(),
            PathPurpose::ExportCodebook => "codebook.qdc".to_owned(),
        };
        let mut path = folder.join(name).display().to_string();
        if matches!(purpose, PathPurpose::Open | PathPurpose::ImportCodebook)
            && !path.ends_with(std::path::MAIN_SEPARATOR)
        {
            path.push(std::path::MAIN_SEPARATOR);
        }
        self.state.path_prompt = Some((purpose, path));
    }

    /// Where files are suggested: the workspace's folder, else the session folder, else the
    /// working directory.
    fn default_folder(&self) -> PathBuf {
        self.state
            .workspace_path
            .as_deref()
            .and_then(Path::parent)
            .filter(|dir| !dir.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .or_else(|| self.session_dir.clone())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(std::env::temp_dir)
    }

    /// The suggested file name of the shown pair's report.
    fn export_name(&self) -> String {
        match (self.state.plan(Side::Left), self.state.plan(Side::Right)) {
            (Some(l), Some(r)) => format!("{}--{}.xlsx", l.id, r.id),
            _ => "alignment.xlsx".to_owned(),
        }
    }

    /// Saves the workspace to `path` (adding the extension) and keeps working in it.
    fn save_to(&mut self, path: &Path) {
        let path = if workspace::is_workspace_path(path) {
            path.to_path_buf()
        } else {
            let mut name = path.as_os_str().to_owned();
            name.push(".");
            name.push(workspace::WORKSPACE_EXTENSION);
            PathBuf::from(name)
        };
        let state = &mut self.state;
        match workspace::save(&path, &state.to_workspace()) {
            Ok(()) => {
                state.workspace_path = Some(path.clone());
                state.dirty = false;
                state.toast_info(format!(
                    "{}: {}",
                    lang_text(state, Text::Saved),
                    path.display()
                ));
            }
            Err(err) => state.toast_error(err.to_string()),
        }
    }

    /// Writes the alignment report of the shown pair; the format follows the extension.
    fn export(&mut self, path: &Path) {
        let state = &mut self.state;
        let Some(format) = ReportFormat::from_path(path) else {
            state.toast_error(format!(
                "{}: {}",
                lang_text(state, Text::UnknownExport),
                path.display()
            ));
            return;
        };
        let written = state.report_bytes(format).and_then(|bytes| {
            crate::persist::write_atomic(path, &bytes).map_err(|err| err.to_string())
        });
        match written {
            Ok(()) => state.toast_info(format!(
                "{}: {}",
                lang_text(state, Text::Exported),
                path.display()
            )),
            Err(message) => state.toast_error(message),
        }
    }

    /// Re-reads a plan from its file; the analyst's work stays on the measures that remain,
    /// and measures that are gone but carry work are reported (their work is kept).
    fn reload_plan(&mut self, index: usize) -> bool {
        let state = &mut self.state;
        let Some(PlanSource::File(path)) = state.sources.get(index).cloned() else {
            return false;
        };
        let mut plan = match crate::persist::open_plan(&path) {
            Ok(plan) => plan,
            Err(err) => {
                state.toast_error(err.to_string());
                return false;
            }
        };
        stamp_import_time(&mut plan);
        let gone = state.replace_plan(index, plan);
        if gone.is_empty() {
            state.toast_info(format!(
                "{}: {}",
                lang_text(state, Text::Reloaded),
                path.display()
            ));
        } else {
            state.toast_error(format!(
                "{}: {}",
                lang_text(state, Text::GoneWithWork),
                gone.join("、")
            ));
        }
        state.dirty = true;
        true
    }

    fn export_codebook(&mut self, path: &Path) {
        let state = &mut self.state;
        match crate::themes::qdc::save(path, state.codebook()) {
            Ok(()) => state.toast_info(format!(
                "{}: {}",
                lang_text(state, Text::Exported),
                path.display()
            )),
            Err(message) => state.toast_error(message),
        }
    }

    fn import_codebook(&mut self, path: &Path) -> bool {
        let state = &mut self.state;
        match crate::themes::qdc::load(path) {
            Ok(codebook) => {
                state.replace_codebook(codebook);
                state.toast_info(format!(
                    "{}: {}",
                    lang_text(state, Text::Opened),
                    path.display()
                ));
                true
            }
            Err(message) => {
                state.toast_error(message);
                false
            }
        }
    }

    /// Writes the session (work and view) so the next start reopens it.
    pub fn save_session(&mut self) {
        self.session_due = None;
        let Some(dir) = &self.session_dir else {
            return;
        };
        let session = self.current_session();
        if let Err(err) = workspace::save_session(dir, &session) {
            self.state.toast_error(err.to_string());
            return;
        }
        // The session file holds every journaled edit now.
        if let Some(journal) = &mut self.journal
            && let Err(err) = journal.clear()
        {
            self.state.toast_error(err.to_string());
        }
        self.journaled = Some(session);
    }

    fn autosave_step(&mut self, ctx: &egui::Context) {
        let Some(due) = self.session_due else {
            return;
        };
        let now = Instant::now();
        if now >= due {
            self.save_session();
        } else {
            ctx.request_repaint_after(due - now);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let name = self.state.workspace_path.as_ref().map_or_else(
            || lang_text(&self.state, Text::Untitled),
            |path| {
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            },
        );
        let title = format!(
            "{name}{} — PlanAlign",
            if self.state.dirty { " •" } else { "" }
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
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

impl PlanAlignApp {
    /// With `--bench-frames`: time this frame's UI work; after the last frame print the
    /// percentiles and memory, and close.
    fn bench_step(&mut self, ctx: &egui::Context, elapsed: Duration) {
        let Some(bench) = &mut self.bench else {
            return;
        };
        if bench.first_frame.is_none() {
            bench.first_frame = Some(bench.launched.elapsed());
        } else {
            // The first frame lays out every text once; it is reported on its own.
            bench.times.push(elapsed);
        }
        let done = u32::try_from(bench.times.len()).unwrap_or(u32::MAX) >= bench.frames;
        if !done {
            if bench.times.len() % 50 == 49 {
                let started = Instant::now();
                self.apply(vec![Command::StepMeasure { forward: true }], Some(ctx));
                if let Some(bench) = &mut self.bench {
                    bench.select_times.push(started.elapsed());
                }
            }
            ctx.request_repaint();
            return;
        }
        let mut times = bench.times.clone();
        times.sort();
        let at = |q: f64| {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                clippy::cast_precision_loss,
                reason = "an index into a short list"
            )]
            let index = ((times.len() as f64 - 1.0) * q).round() as usize;
            times.get(index).map_or(0.0, |t| t.as_secs_f64() * 1000.0)
        };
        let (left, right) = (
            self.state.plan(Side::Left).map_or(0, |p| p.measures.len()),
            self.state.plan(Side::Right).map_or(0, |p| p.measures.len()),
        );
        println!(
            "frames {} ({left} + {right} measures): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            at(0.5),
            at(0.95),
            at(0.99),
            at(1.0)
        );
        let select_max = bench
            .select_times
            .iter()
            .max()
            .map_or(0.0, |t| t.as_secs_f64() * 1000.0);
        println!(
            "selecting the next measure (diffs, trace): {} times, at most {select_max:.1} ms",
            bench.select_times.len()
        );
        println!(
            "first frame {:.0} ms after launch; memory {}",
            bench.first_frame.unwrap_or_default().as_secs_f64() * 1000.0,
            memory_text()
        );
        self.bench = None;
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

impl eframe::App for PlanAlignApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let started = Instant::now();
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

/// Resident and peak memory from /proc (Linux), else "unknown".
fn memory_text() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|rest| rest.trim().to_owned())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("resident {rss}, peak {peak}"),
        _ => "unknown".to_owned(),
    }
}

/// A UI text in the state's language, owned.
fn lang_text(state: &AppState, text: Text) -> String {
    state.lang.tr(text).to_owned()
}

/// Records now as the import time of a plan read from a file that has none of its own (a saved
/// `.ron` plan keeps the time it was first imported).
fn stamp_import_time(plan: &mut crate::model::Plan) {
    if plan.source.imported_at.is_none() {
        plan.source.imported_at = Some(crate::ingest::now_rfc3339());
    }
}

/// The menu bar: File, Edit, the view tabs, Language and Help, all from the command table.
fn menu_bar_ui(ui: &mut egui::Ui, state: &AppState, commands: &mut Vec<Command>) {
    let lang = state.lang;
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
        action_button(ui, commands, Action::Undo, !state.undo_stack.is_empty());
        action_button(ui, commands, Action::Redo, !state.redo_stack.is_empty());
        ui.separator();
        action_button(ui, commands, Action::Next, true);
        action_button(ui, commands, Action::Previous, true);
        action_button(ui, commands, Action::NextUnreviewed, true);
        action_button(ui, commands, Action::Accept, state.current_link.is_some());
        action_button(ui, commands, Action::Reject, state.current_link.is_some());
        action_button(ui, commands, Action::Tag, state.selected.is_some());
    });
    ui.separator();
    for (view, text) in [
        (View::SideBySide, Text::SideBySide),
        (View::Aligned, Text::Aligned),
        (View::Coverage, Text::Coverage),
        (View::Cascade, Text::Cascade),
    ] {
        if ui
            .selectable_label(state.view == view, lang.tr(text))
            .clicked()
        {
            commands.push(Command::SetView(view));
        }
    }
    ui.separator();
    if ui
        .selectable_label(!state.hide_library, lang.tr(Text::LibraryPanel))
        .on_hover_text(lang.tr(Text::TogglePanel))
        .clicked()
    {
        commands.push(Command::ToggleLibrary);
    }
    if ui
        .selectable_label(!state.hide_codebook, lang.tr(Text::CodebookPanel))
        .on_hover_text(lang.tr(Text::TogglePanel))
        .clicked()
    {
        commands.push(Command::ToggleCodebook);
    }
    ui.separator();
    ui.menu_button(lang.tr(Text::Matching), |ui| {
        let mut fold = state.edits.settings.fold_traditional;
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
                state.edits.model.is_some(),
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

/// Selects a measure and scrolls it, and its best link in the other pane, into view.
fn select_measure(state: &mut AppState, side: Side, measure_id: String) {
    state.scroll_to = vec![(side, measure_id.clone())];
    state.scroll_to.extend(
        state
            .linked(side, &measure_id)
            .first()
            .map(|(best, _)| (side.other(), best.clone())),
    );
    state.select(Some((side, measure_id)));
    state.scroll_frames_left = 3;
}

/// Shows a measure of any loaded plan side by side and selects it.
fn reveal(state: &mut AppState, plan_index: usize, measure_id: String) {
    if plan_index >= state.plans.len() {
        return;
    }
    let side = if plan_index == state.left {
        Side::Left
    } else if plan_index == state.right {
        Side::Right
    } else {
        state.right = plan_index;
        state.selected = None;
        state.realign();
        Side::Right
    };
    select_measure(state, side, measure_id);
}

/// Selects the next or previous visible measure of the selected pane (the left one at first).
fn step_measure(state: &mut AppState, forward: bool) {
    let side = state.selected.as_ref().map_or(Side::Left, |(s, _)| *s);
    let visible = state.visible_measures(side);
    let position = state
        .selected
        .as_ref()
        .and_then(|(_, id)| visible.iter().position(|v| v == id));
    let next = match (position, forward) {
        (None, true) => visible.first(),
        (None, false) => visible.last(),
        (Some(p), true) => visible.get(p + 1).or(visible.get(p)),
        (Some(p), false) => visible.get(p.saturating_sub(1)),
    };
    if let Some(id) = next.cloned() {
        select_measure(state, side, id);
    }
}

/// Selects the next unreviewed link after the current one in left, then right plan order
/// (wrapping round), makes it current and shows both ends.
fn next_unreviewed(state: &mut AppState) {
    let position = |plan: Option<&Plan>, id: &str| {
        plan.and_then(|p| p.measures.iter().position(|m| m.id == id))
            .unwrap_or(usize::MAX)
    };
    let (left, right) = (state.plan(Side::Left), state.plan(Side::Right));
    let mut order: Vec<(usize, usize, String, String)> = state
        .alignment
        .links
        .iter()
        .filter(|l| l.status == LinkStatus::Unreviewed)
        .map(|l| {
            (
                position(left, &l.left_id),
                position(right, &l.right_id),
                l.left_id.clone(),
                l.right_id.clone(),
            )
        })
        .collect();
    order.sort();
    // After the link N last went to, strictly; from the start of the current measure's links
    // when the analyst moved elsewhere since (so none of that measure's is skipped).
    let current = state
        .current_link
        .as_ref()
        .map(|(l, r)| (position(left, l), position(right, r)));
    let continuing = state.current_link.is_some() && state.current_link == state.review_cursor;
    let next = order
        .iter()
        .find(|(l, r, ..)| match current {
            None => true,
            Some(c) if continuing => (*l, *r) > c,
            Some((cl, _)) => *l >= cl,
        })
        .or(order.first())
        .cloned();
    if let Some((_, _, left_id, right_id)) = next {
        state.review_cursor = Some((left_id.clone(), right_id.clone()));
        select_measure(state, Side::Left, left_id.clone());
        state.scroll_to = vec![
            (Side::Left, left_id.clone()),
            (Side::Right, right_id.clone()),
        ];
        state.current_link = Some((left_id, right_id));
    }
}

/// Unsaved work on the workspace at `path` that the session in `dir` autosaved after the file
/// was last saved, unless it is what the file already holds.
fn newer_autosave(
    dir: Option<&Path>,
    path: &Path,
    state: &AppState,
) -> Option<workspace::Workspace> {
    let dir = dir?;
    let session = workspace::load_session(dir).ok()??;
    let same_file = session.path.as_deref().is_some_and(|p| {
        p == path
            || matches!(
                (std::fs::canonicalize(p), std::fs::canonicalize(path)),
                (Ok(a), Ok(b)) if a == b
            )
    });
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let newer = match (modified(&workspace::session_path(dir)), modified(path)) {
        (Some(session_time), Some(file_time)) => session_time > file_time,
        _ => false,
    };
    let current = state.to_workspace();
    let differs = session.workspace.tag_edits != current.tag_edits
        || session.workspace.decisions != current.decisions
        || (session.workspace.codebook != current.codebook
            && !session.workspace.codebook.pillars.is_empty());
    (same_file && session.dirty && newer && differs).then_some(session.workspace)
}

/// Keeps the work of the last session in `dir` in a workspace file of its own when it is not
/// safely in one already (never saved, or with unsaved edits); returns that file.
fn keep_previous_session(dir: &Path) -> Result<Option<PathBuf>, String> {
    let Some(session) = workspace::load_session(dir).map_err(|err| err.to_string())? else {
        return Ok(None);
    };
    let work = &session.workspace;
    let has_work = !work.tag_edits.is_empty()
        || !work.decisions.is_empty()
        || (!work.codebook.pillars.is_empty()
            && work.codebook != crate::themes::Codebook::bundled())
        || work.settings != crate::align::AlignConfig::default();
    let in_a_file = session.path.is_some() && !session.dirty;
    if !has_work || in_a_file {
        return Ok(None);
    }
    let stem = session
        .path
        .as_deref()
        .and_then(Path::file_stem)
        .map_or_else(
            || "untitled".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
    let stamp = crate::ingest::now_rfc3339().replace(':', "-");
    let mut target = dir.join(format!(
        "{stem}-previous-session-{stamp}.{}",
        workspace::WORKSPACE_EXTENSION
    ));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!(
            "{stem}-previous-session-{stamp}-{n}.{}",
            workspace::WORKSPACE_EXTENSION
        ));
        n += 1;
    }
    workspace::save(&target, work).map_err(|err| err.to_string())?;
    Ok(Some(target))
}

/// The state of the last session in `dir`, if there is one whose plans still open.
fn restore_session(dir: Option<&Path>, lang: Lang) -> Option<AppState> {
    let session = workspace::load_session(dir?).ok()??;
    let opened = workspace::open_plans(session.workspace);
    if opened.plans.is_empty() {
        return None;
    }
    let mut state = AppState::from_workspace(opened, session.path, lang);
    state.dirty = session.dirty;
    Some(state)
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
            Ok(Box::new(PlanAlignApp::open(start, lang, &options)))
        }),
    )
    .map_err(|err| format!("cannot open the window ({err})"))
}
