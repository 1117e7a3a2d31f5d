//! File operations of the app: opening plans and workspaces, saving, exporting reports and
//! codebooks, re-reading a plan, and asking for paths (the system file dialog, or the app's
//! own path field where the desktop has none).

use super::*;

/// A file dialog that comes back empty sooner than this was never shown: there is no dialog
/// service on this desktop.
pub(super) const NO_DIALOG_WITHIN: Duration = Duration::from_millis(250);

/// How long the clipboard may take to answer before it counts as holding no text.
const CLIPBOARD_PATIENCE: Duration = Duration::from_millis(1500);

impl PlanAlignApp {
    /// Opens plan files into the library (shown on the right) and workspace files (replacing
    /// the current work, which is saved first so nothing is lost).
    pub(super) fn open_files(&mut self, paths: &[PathBuf]) -> bool {
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

    pub(super) fn add_plan(&mut self, path: &Path) -> bool {
        let mut plan = match crate::persist::open_plan(path) {
            Ok(plan) => plan,
            Err(err) => {
                self.state.toast_error(err.to_string());
                return false;
            }
        };
        stamp_import_time(&mut plan);
        self.admit_plan(
            plan,
            |_| workspace::file_source(path),
            &path.display().to_string(),
        )
    }

    /// The plan a paste this frame asks for: the clipboard's text after File › New plan from
    /// clipboard, or a paste (Ctrl+V) into the window while no text field has the keyboard.
    /// A clipboard without text is said so after a moment.
    pub(super) fn pasted_plan(&mut self, ctx: &egui::Context) -> Option<Command> {
        let pasted = ctx.input(|input| {
            input.events.iter().find_map(|event| match event {
                egui::Event::Paste(text) => Some(text.clone()),
                _ => None,
            })
        });
        if let Some(text) = pasted
            && (self.paste_requested.is_some() || !ctx.egui_wants_keyboard_input())
        {
            self.paste_requested = None;
            return Some(Command::PastePlan(text));
        }
        if let Some(asked) = self.paste_requested {
            if asked.elapsed() > CLIPBOARD_PATIENCE {
                self.paste_requested = None;
                let text = lang_text(&self.state, Text::ClipboardEmpty);
                self.state.toast_error(text);
            } else {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
        }
        None
    }

    /// Adds text pasted from the clipboard as a plan, kept whole in the workspace. Text that
    /// holds no plan gives a one-line error and changes nothing.
    pub(super) fn paste_plan(&mut self, text: &str) -> bool {
        let pasted_at = crate::ingest::now_rfc3339();
        let plan = match crate::parse::parse_pasted(text, &pasted_at) {
            Ok(plan) => plan,
            Err(err) => {
                let shown = lang_text(&self.state, Text::PastedText);
                self.state.toast_error(format!("{shown}: {err}"));
                return false;
            }
        };
        let shown = format!(
            "{} {pasted_at}",
            lang_text(&self.state, Text::PastedFromClipboard)
        );
        self.admit_plan(
            plan,
            |plan| PlanSource::Pasted(Box::new(plan.clone())),
            &shown,
        )
    }

    /// Adds an opened plan to the library beside the plan on the left, with the source
    /// `source_of` gives for it once it has its id; the same text opened before is shown
    /// instead of added twice.
    fn admit_plan(
        &mut self,
        mut plan: Plan,
        source_of: impl FnOnce(&Plan) -> PlanSource,
        shown: &str,
    ) -> bool {
        let state = &mut self.state;
        if let Some(index) =
            state.doc.plans.iter().position(|p| {
                p.source.sha256 == plan.source.sha256 && !plan.source.sha256.is_empty()
            })
        {
            state.toast_info(format!("{}: {shown}", lang_text(state, Text::AlreadyOpen)));
            if index != state.doc.left() {
                state.show_plan(Side::Right, index);
            }
            return false;
        }
        let base = plan.id.clone();
        let mut n = 1;
        while state.doc.plans.iter().any(|p| p.id == plan.id) {
            n += 1;
            plan.id = format!("{base}-{n}");
        }
        state.toast_info(format!(
            "{}: {}",
            lang_text(state, Text::Opened),
            plan.meta.title
        ));
        state.add_plan(source_of(&plan), plan);
        true
    }

    pub(super) fn open_workspace(&mut self, path: &Path) -> bool {
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
        let lang = self.state.ui.lang;
        self.state = AppState::from_workspace(opened, Some(path.to_path_buf()), lang);
        self.state.ui.recovery = newer_autosave(self.session_dir.as_deref(), path, &self.state);
        self.state.toast_info(format!(
            "{}: {}",
            lang_text(&self.state, Text::Opened),
            path.display()
        ));
        true
    }

    /// Before the work is replaced: unsaved edits go to their workspace file, or to a new file
    /// in the session folder (reported) when the work has none. `false` if that failed.
    pub(super) fn keep_current_work(&mut self) -> bool {
        if !self.state.doc.dirty {
            return true;
        }
        let target = match &self.state.doc.workspace_path {
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
                if self.state.doc.workspace_path.is_none() {
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

    pub(super) fn save_as_dialog(&mut self) {
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
    pub(super) fn save_untitled(&mut self) {
        if !self.builtin_file_dialog {
            self.save_as_dialog();
            if self.state.doc.workspace_path.is_some() || !self.builtin_file_dialog {
                return;
            }
            // The dialog came back at once: there is none. Save by name instead.
            self.state.ui.path_prompt = None;
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
        if self.state.doc.workspace_path.as_deref() == Some(path.as_path()) {
            let text = format!(
                "{} {}",
                lang_text(&self.state, Text::SavedUntitled),
                path.display()
            );
            self.state.ui.toasts.pop();
            self.state.toast_info(text);
        }
    }

    /// Runs a system file dialog; when the desktop has none (or it came back at once, before
    /// the analyst could choose: no dialog service answered), says so and opens the app's own
    /// path field instead, so a failure never looks like Cancel.
    pub(super) fn pick_paths(
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
    pub(super) fn ask_path(&mut self, purpose: PathPurpose) {
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
        self.state.ui.path_prompt = Some((purpose, path));
    }

    /// Where files are suggested: the workspace's folder, else the session folder, else the
    /// working directory.
    pub(super) fn default_folder(&self) -> PathBuf {
        self.state
            .doc
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
    pub(super) fn export_name(&self) -> String {
        match (self.state.plan(Side::Left), self.state.plan(Side::Right)) {
            (Some(l), Some(r)) => format!("{}--{}.xlsx", l.id, r.id),
            _ => "alignment.xlsx".to_owned(),
        }
    }

    /// Saves the workspace to `path` (adding the extension) and keeps working in it.
    pub(super) fn save_to(&mut self, path: &Path) {
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
                state.doc.workspace_path = Some(path.clone());
                state.doc.dirty = false;
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
    pub(super) fn export(&mut self, path: &Path) {
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
    pub(super) fn reload_plan(&mut self, index: usize) -> bool {
        let state = &mut self.state;
        let Some(PlanSource::File(path)) = state.doc.sources.get(index).cloned() else {
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
        state.doc.dirty = true;
        true
    }

    pub(super) fn export_codebook(&mut self, path: &Path) {
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

    pub(super) fn import_codebook(&mut self, path: &Path) -> bool {
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
}

/// Whether this desktop can show a system file dialog: elsewhere than Linux and the BSDs
/// always; there, through the desktop portal (on the session bus) or zenity / kdialog.
pub(super) fn native_file_dialog_available() -> bool {
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

/// Records now as the import time of a plan read from a file that has none of its own (a saved
/// `.ron` plan keeps the time it was first imported).
pub(super) fn stamp_import_time(plan: &mut crate::model::Plan) {
    if plan.source.imported_at.is_none() {
        plan.source.imported_at = Some(crate::ingest::now_rfc3339());
    }
}
