//! The edit journal: every change to the analyst's work is appended to `journal.ron` in the
//! session folder, and flushed to disk (fsync), the moment it is applied, so a crash or a
//! SIGKILL between two autosaves loses no edit that was shown.
//!
//! Each line is one [`WorkChange`]: the new value of one part of the work (the decisions, the
//! manual tags, the codebook …), so replaying a line twice does no harm. On start the journal is
//! folded into the session file ([`fold_into_session`]); every autosave writes the session and
//! empties the journal. A line cut short by a kill mid-write is the change whose command had not
//! returned yet; it and anything after it are ignored.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::align::{AlignConfig, MatcherModel};
use crate::model::{LinkDecision, TagEdit};
use crate::persist::PersistError;
use crate::themes::Codebook;
use crate::workspace::{self, PlanEntry, Session, Workspace};

/// The journal file in a session folder.
pub fn journal_path(dir: &Path) -> PathBuf {
    dir.join("journal.ron")
}

/// The new value of one part of the analyst's work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WorkChange {
    /// The open plans.
    Plans(Vec<PlanEntry>),
    /// The codebook.
    Codebook(Codebook),
    /// The manual tags.
    TagEdits(Vec<TagEdit>),
    /// The link decisions and notes.
    Decisions(Vec<LinkDecision>),
    /// The matcher's settings.
    Settings(AlignConfig),
    /// The matcher model fitted on the workspace's decisions, if any.
    Model(Option<Box<MatcherModel>>),
    /// The workspace file the work belongs to, and whether it has unsaved edits.
    File {
        /// The workspace file, if any.
        path: Option<PathBuf>,
        /// Whether the work differs from that file.
        dirty: bool,
    },
}

impl WorkChange {
    /// The changes that turn `before` into `after` (the view is not journaled); every part of
    /// the work when `before` is unknown.
    pub fn between(before: Option<&Session>, after: &Session) -> Vec<Self> {
        let new = &after.workspace;
        let old = before.map(|b| &b.workspace);
        let differs =
            |same: fn(&Workspace, &Workspace) -> bool| old.is_none_or(|old| !same(old, new));
        let mut changes = Vec::new();
        if differs(|a, b| a.plans == b.plans) {
            changes.push(Self::Plans(new.plans.clone()));
        }
        if differs(|a, b| a.codebook == b.codebook) {
            changes.push(Self::Codebook(new.codebook.clone()));
        }
        if differs(|a, b| a.tag_edits == b.tag_edits) {
            changes.push(Self::TagEdits(new.tag_edits.clone()));
        }
        if differs(|a, b| a.decisions == b.decisions) {
            changes.push(Self::Decisions(new.decisions.clone()));
        }
        if differs(|a, b| a.settings == b.settings) {
            changes.push(Self::Settings(new.settings.clone()));
        }
        if differs(|a, b| a.model == b.model) {
            changes.push(Self::Model(new.model.clone().map(Box::new)));
        }
        if before.is_none_or(|b| b.path != after.path || b.dirty != after.dirty) {
            changes.push(Self::File {
                path: after.path.clone(),
                dirty: after.dirty,
            });
        }
        changes
    }

    /// Applies the change to a session.
    pub fn apply(self, session: &mut Session) {
        let work: &mut Workspace = &mut session.workspace;
        match self {
            Self::Plans(plans) => work.plans = plans,
            Self::Codebook(codebook) => work.codebook = codebook,
            Self::TagEdits(tag_edits) => work.tag_edits = tag_edits,
            Self::Decisions(decisions) => work.decisions = decisions,
            Self::Settings(settings) => work.settings = settings,
            Self::Model(model) => work.model = model.map(|m| *m),
            Self::File { path, dirty } => {
                session.path = path;
                session.dirty = dirty;
            }
        }
    }
}

/// The journal of a session folder, open for appending.
#[derive(Debug)]
pub struct Journal {
    file: File,
    path: PathBuf,
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> PersistError {
    let path = path.display().to_string();
    move |source| PersistError::Io {
        action,
        source,
        path,
    }
}

impl Journal {
    /// Opens (creating) the journal of the session folder `dir`.
    pub fn open(dir: &Path) -> Result<Self, PersistError> {
        std::fs::create_dir_all(dir).map_err(io_error("creating the session folder", dir))?;
        let path = journal_path(dir);
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error("opening the journal", &path))?;
        Ok(Self { file, path })
    }

    /// Appends changes, one line each, and waits until they are on disk.
    pub fn append(&mut self, changes: &[WorkChange]) -> Result<(), PersistError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for change in changes {
            let line = ron::to_string(change).map_err(|err| PersistError::Malformed {
                what: "journal entry",
                reason: err.to_string(),
                path: self.path.display().to_string(),
            })?;
            text.push_str(&line);
            text.push('\n');
        }
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(io_error("writing the journal", &self.path))
    }

    /// Empties the journal (its changes are in the session file now).
    pub fn clear(&mut self) -> Result<(), PersistError> {
        self.file
            .set_len(0)
            .and_then(|()| self.file.sync_data())
            .map_err(io_error("emptying the journal", &self.path))
    }
}

/// The changes recorded in the journal of `dir`, up to the first line that does not read (a
/// line cut short by a kill).
pub fn read(dir: &Path) -> Vec<WorkChange> {
    let Ok(bytes) = std::fs::read(journal_path(dir)) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .map(ron::from_str::<WorkChange>)
        .take_while(Result::is_ok)
        .filter_map(Result::ok)
        .collect()
}

/// Folds the journal of `dir` into its session file and empties it; returns how many changes
/// it held. The session is written before the journal is emptied, so a crash here loses
/// nothing either.
pub fn fold_into_session(dir: &Path) -> Result<usize, PersistError> {
    let changes = read(dir);
    if changes.is_empty() {
        return Ok(0);
    }
    let count = changes.len();
    let mut session = workspace::load_session(dir)?.unwrap_or_default();
    for change in changes {
        change.apply(&mut session);
    }
    workspace::save_session(dir, &session)?;
    Journal::open(dir)?.clear()?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkStatus, MeasureRef};

    fn decision(n: usize) -> LinkDecision {
        LinkDecision {
            left: MeasureRef::new("a", format!("m{n}")),
            right: MeasureRef::new("b", format!("m{n}")),
            status: LinkStatus::Accepted,
            manual: false,
            note: format!("第{n}条"),
        }
    }

    #[test]
    fn journaled_changes_fold_into_the_session() {
        let dir = std::env::temp_dir().join(format!("planalign-journal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let base = Session::default();
        workspace::save_session(&dir, &base).unwrap();
        let mut journal = Journal::open(&dir).unwrap();
        let mut now = base.clone();
        for n in 0..3 {
            let before = now.clone();
            now.workspace.decisions.push(decision(n));
            now.dirty = true;
            journal
                .append(&WorkChange::between(Some(&before), &now))
                .unwrap();
        }
        // A line cut short by a kill is ignored.
        std::fs::OpenOptions::new()
            .append(true)
            .open(journal_path(&dir))
            .unwrap()
            .write_all(b"Decisions([(left:(plan_id:\"a\"")
            .unwrap();
        assert_eq!(read(&dir).len(), 4);
        assert_eq!(fold_into_session(&dir).unwrap(), 4);
        let folded = workspace::load_session(&dir).unwrap().unwrap();
        assert_eq!(folded.workspace.decisions, now.workspace.decisions);
        assert!(folded.dirty);
        assert!(read(&dir).is_empty());
        assert_eq!(fold_into_session(&dir).unwrap(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
