//! The session: the journal each edit is made durable in, the autosave, and what a start
//! restores or keeps of the previous session.

use super::*;

/// How long after an edit the session is autosaved.
pub(super) const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

impl PlanAlignApp {
    /// The work and view as the session file stores them.
    pub(super) fn current_session(&self) -> Session {
        Session {
            path: self.state.doc.workspace_path.clone(),
            dirty: self.state.doc.dirty,
            workspace: self.state.to_workspace(),
        }
    }

    /// Appends what changed in the work since the last journal entry or autosave to the
    /// journal, on disk before the frame that shows it.
    pub(super) fn journal_step(&mut self) {
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

    pub(super) fn autosave_step(&mut self, ctx: &egui::Context) {
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
}

/// Unsaved work on the workspace at `path` that the session in `dir` autosaved after the file
/// was last saved, unless it is what the file already holds.
pub(super) fn newer_autosave(
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
pub(super) fn keep_previous_session(dir: &Path) -> Result<Option<PathBuf>, String> {
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
pub(super) fn restore_session(dir: Option<&Path>, lang: Lang) -> Option<AppState> {
    let session = workspace::load_session(dir?).ok()??;
    let opened = workspace::open_plans(session.workspace);
    if opened.plans.is_empty() {
        return None;
    }
    let mut state = AppState::from_workspace(opened, session.path, lang);
    state.doc.dirty = session.dirty;
    Some(state)
}
