//! The analyst's workspace: which plans are open and where they came from, the codebook as the
//! analyst edited it, manual tags, link decisions with their notes, and the view to reopen on.
//!
//! A workspace file is versioned RON, `(format: 1, workspace: (...))`, saved atomically. Plans
//! are referenced, not copied: a bundled plan by its file name, any other by its path. A plan
//! whose file has gone is reported missing while the rest of the workspace still opens, and the
//! analyst's edits on it are kept in the document.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::align::{AlignConfig, MeasureAnchor, VersionCarry, carry_work};
use crate::model::{LinkDecision, Plan, TagEdit};
use crate::persist::{self, OpenError, PersistError};
use crate::themes::Codebook;

/// The workspace format this build writes and the newest it reads.
pub const WORKSPACE_FORMAT: u32 = 1;

/// The file extension of workspace files.
pub const WORKSPACE_EXTENSION: &str = "planalign";

/// Where a plan of the workspace comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// A plan bundled with PlanAlign, by its raw file name.
    Bundled(String),
    /// A plan file (raw text or .ron) on disk.
    File(PathBuf),
    /// A plan pasted from the clipboard, kept whole (with its original text) as there is no
    /// file to go back to.
    Pasted(Box<Plan>),
}

/// One plan of the workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanEntry {
    /// The plan's id in this workspace (tags and decisions refer to it).
    pub id: String,
    /// Where it comes from.
    pub source: PlanSource,
    /// When the plan was first imported (RFC 3339), kept across reopenings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_at: Option<String>,
    /// sha256 of the plan file's bytes when the workspace was saved, to notice a file that
    /// changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The measures that carry the analyst's work, as they read when the workspace was saved:
    /// if the file changes, the work finds its measures again by their text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<MeasureAnchor>,
}

impl PlanEntry {
    /// An entry with no import record yet.
    pub fn new(id: impl Into<String>, source: PlanSource) -> Self {
        Self {
            id: id.into(),
            source,
            imported_at: None,
            sha256: None,
            anchors: Vec::new(),
        }
    }
}

/// What the app showed when the workspace was saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Id of the left plan.
    pub left: String,
    /// Id of the right plan.
    pub right: String,
    /// The main view (`side_by_side`, `aligned`, `coverage`, `cascade`).
    pub view: String,
    /// UI language (`zh`, `en`).
    pub lang: String,
    /// The plan library panel is collapsed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hide_library: bool,
    /// The codebook panel is collapsed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hide_codebook: bool,
    /// The selected measure: its pane (`left`, `right`) and id; reopened scrolled to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<(String, String)>,
}

/// The analyst's work.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    /// The open plans, in library order.
    pub plans: Vec<PlanEntry>,
    /// The codebook, with the analyst's new, renamed and recoloured themes.
    pub codebook: Codebook,
    /// Themes added to or removed from measures by hand.
    pub tag_edits: Vec<TagEdit>,
    /// Accepted, rejected and manual links, with notes.
    pub decisions: Vec<LinkDecision>,
    /// The matcher's settings (defaults where a file has none).
    pub settings: AlignConfig,
    /// A matcher model fitted on this workspace's decisions (Matching › Learn from my
    /// decisions); the shipped model when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<crate::align::MatcherModel>,
    /// The view to reopen on.
    pub view: ViewState,
}

/// A plan of the workspace that could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub struct MissingPlan {
    /// The entry.
    pub entry: PlanEntry,
    /// Why, one line.
    pub reason: String,
}

/// A workspace with its plans opened.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The document as read.
    pub workspace: Workspace,
    /// The plans that opened, with their entries, in library order.
    pub plans: Vec<(PlanEntry, Plan)>,
    /// The plans that did not.
    pub missing: Vec<MissingPlan>,
    /// The plans whose file has changed since the workspace was saved, in library order. The
    /// work on their measures has followed the measures (see [`PlanEntry::anchors`]).
    pub changed: Vec<ChangedPlan>,
}

/// A plan whose file changed since the workspace was saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangedPlan {
    /// The entry as saved.
    pub entry: PlanEntry,
    /// Labels and titles (or ids) of measures that carry work and are gone from the file;
    /// their work is kept in the workspace and lands on no other measure.
    pub gone_with_work: Vec<String>,
}

#[derive(Serialize)]
struct DocumentRef<'a> {
    format: u32,
    workspace: &'a Workspace,
}

#[derive(Deserialize)]
struct Document {
    format: u32,
    workspace: Workspace,
}

/// Whether a path names a workspace file (by its extension).
pub fn is_workspace_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(WORKSPACE_EXTENSION))
}

/// The RON text of a workspace document.
pub fn to_ron(workspace: &Workspace) -> Result<String, PersistError> {
    persist::to_pretty_ron(&DocumentRef {
        format: WORKSPACE_FORMAT,
        workspace,
    })
}

/// Reads a workspace document from RON bytes; `shown` names the source in errors.
pub fn from_ron_bytes(bytes: &[u8], shown: &str) -> Result<Workspace, PersistError> {
    let document: Document =
        persist::versioned_from_ron(bytes, shown, "workspace", WORKSPACE_FORMAT)?;
    if document.format == 0 {
        return Err(PersistError::Malformed {
            what: "workspace",
            reason: "format version 0".to_owned(),
            path: shown.to_owned(),
        });
    }
    let workspace = document.workspace;
    workspace
        .codebook
        .validate()
        .map_err(|err| PersistError::Malformed {
            what: "workspace",
            reason: err.to_string(),
            path: shown.to_owned(),
        })?;
    Ok(workspace)
}

/// How many earlier versions a save keeps (`NAME.1.bak` newest … `NAME.3.bak` oldest).
pub const BACKUPS: usize = 3;

/// The path of backup `n` (1 = newest) of a workspace file.
pub fn backup_path(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".{n}.bak"));
    path.with_file_name(name)
}

/// Saves a workspace atomically (temporary file in the same folder, fsync, rename), first
/// rolling the file it replaces into the backups. A crash at any moment leaves the file either
/// the old or the new version.
pub fn save(path: &Path, workspace: &Workspace) -> Result<(), PersistError> {
    let text = to_ron(workspace)?;
    if std::fs::read(path).is_ok_and(|old| old != text.as_bytes()) {
        for n in (1..BACKUPS).rev() {
            let from = backup_path(path, n);
            if from.exists() {
                // A lost backup is not worth failing the save for.
                let _ = std::fs::rename(&from, backup_path(path, n + 1));
            }
        }
        let _ = std::fs::copy(path, backup_path(path, 1));
    }
    persist::write_atomic(path, text.as_bytes())
}

/// Loads a workspace file without opening its plans.
pub fn load(path: &Path) -> Result<Workspace, PersistError> {
    let bytes = persist::read_limited(path)?;
    from_ron_bytes(&bytes, &path.display().to_string())
}

/// Loads a workspace file and opens its plans; plans that fail to open are listed as missing.
pub fn open(path: &Path) -> Result<Opened, PersistError> {
    Ok(open_plans(load(path)?))
}

/// Opens the plans of a workspace document; plans that fail to open are listed as missing.
/// Each plan gets the id the workspace gave it, so tags and decisions keep pointing at it; a
/// plan file that changed since has its work moved to where its measures are now.
pub fn open_plans(mut workspace: Workspace) -> Opened {
    let bundled = crate::library::bundled_plans();
    let mut plans = Vec::new();
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    let entries = workspace.plans.clone();
    for entry in &entries {
        let opened = match &entry.source {
            PlanSource::Bundled(name) => bundled
                .iter()
                .find(|plan| plan.source.file_name == *name)
                .cloned()
                .ok_or_else(|| format!("no bundled plan is called {name}")),
            PlanSource::File(path) => {
                persist::open_plan(path).map_err(|err: OpenError| err.to_string())
            }
            PlanSource::Pasted(plan) => Ok(plan.as_ref().clone()),
        };
        match opened {
            Ok(mut plan) => {
                plan.id.clone_from(&entry.id);
                if plan.source.imported_at.is_none() {
                    plan.source.imported_at.clone_from(&entry.imported_at);
                }
                if entry
                    .sha256
                    .as_ref()
                    .is_some_and(|sha256| *sha256 != plan.source.sha256)
                {
                    changed.push(carry_into_changed(&mut workspace, entry, &plan));
                }
                plans.push((entry.clone(), plan));
            }
            Err(reason) => missing.push(MissingPlan {
                entry: entry.clone(),
                reason,
            }),
        }
    }
    Opened {
        workspace,
        plans,
        missing,
        changed,
    }
}

/// Ids of a plan's measures that tags or link decisions refer to, sorted, without repeats.
pub fn measures_with_work<'a>(
    tag_edits: &'a [TagEdit],
    decisions: &'a [LinkDecision],
    plan_id: &str,
) -> Vec<&'a str> {
    let mut referenced: Vec<&str> = tag_edits
        .iter()
        .map(|e| &e.measure)
        .chain(decisions.iter().flat_map(|d| [&d.left, &d.right]))
        .filter(|m| m.plan_id == plan_id)
        .map(|m| m.measure_id.as_str())
        .collect();
    referenced.sort_unstable();
    referenced.dedup();
    referenced
}

/// Moves the work on a changed plan's measures to the measures' new ids; names the measures
/// with work that are gone.
fn carry_into_changed(workspace: &mut Workspace, entry: &PlanEntry, plan: &Plan) -> ChangedPlan {
    let carry = VersionCarry::from_anchors(&entry.anchors, plan);
    let gone_with_work = measures_with_work(&workspace.tag_edits, &workspace.decisions, &entry.id)
        .into_iter()
        .filter(|id| carry.is_gone(id))
        .map(|id| {
            entry
                .anchors
                .iter()
                .find(|a| a.id == id)
                .map_or_else(|| id.to_owned(), |a| format!("{}{}", a.label, a.title))
        })
        .collect();
    carry_work(
        &mut workspace.tag_edits,
        &mut workspace.decisions,
        &entry.id,
        &carry,
    );
    ChangedPlan {
        entry: entry.clone(),
        gone_with_work,
    }
}

/// The source to record for a plan opened from `path` (absolute when it can be made so).
pub fn file_source(path: &Path) -> PlanSource {
    PlanSource::File(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Where the app keeps its session (the autosaved workspace it reopens on): `$PLANALIGN_HOME`,
/// else the platform's data folder. `None` when no such folder is known.
pub fn session_dir() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("PLANALIGN_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(home));
    }
    if cfg!(windows) {
        return std::env::var_os("APPDATA").map(|dir| PathBuf::from(dir).join("PlanAlign"));
    }
    if cfg!(target_os = "macos") {
        return std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join("Library/Application Support/PlanAlign"));
    }
    std::env::var_os("XDG_DATA_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .map(|dir| dir.join("planalign"))
}

/// The session: the autosaved workspace and the workspace file it belongs to, if any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// The workspace file the analyst saved to or opened, if any.
    pub path: Option<PathBuf>,
    /// Whether the session holds edits not yet saved to `path`.
    pub dirty: bool,
    /// The work itself.
    pub workspace: Workspace,
}

#[derive(Serialize)]
struct SessionDocumentRef<'a> {
    format: u32,
    session: &'a Session,
}

#[derive(Deserialize)]
struct SessionDocument {
    session: Session,
}

/// The session file in `dir`.
pub fn session_path(dir: &Path) -> PathBuf {
    dir.join("session.ron")
}

/// Saves the session atomically, creating its folder.
pub fn save_session(dir: &Path, session: &Session) -> Result<(), PersistError> {
    std::fs::create_dir_all(dir).map_err(|source| PersistError::Io {
        action: "creating the session folder",
        source,
        path: dir.display().to_string(),
    })?;
    let text = persist::to_pretty_ron(&SessionDocumentRef {
        format: WORKSPACE_FORMAT,
        session,
    })?;
    persist::write_atomic(&session_path(dir), text.as_bytes())
}

/// Loads the session in `dir`; `Ok(None)` when there is none yet.
pub fn load_session(dir: &Path) -> Result<Option<Session>, PersistError> {
    let path = session_path(dir);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = persist::read_limited(&path)?;
    let document: SessionDocument = persist::versioned_from_ron(
        &bytes,
        &path.display().to_string(),
        "session",
        WORKSPACE_FORMAT,
    )?;
    Ok(Some(document.session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkStatus, MeasureRef};

    fn sample() -> Workspace {
        Workspace {
            plans: vec![
                PlanEntry::new(
                    "shanghai-2021-quality-work-points",
                    PlanSource::Bundled("shanghai-2021-quality-work-points.txt".to_owned()),
                ),
                PlanEntry {
                    imported_at: Some("2026-11-30T08:00:00Z".to_owned()),
                    sha256: Some("0".repeat(64)),
                    anchors: vec![MeasureAnchor {
                        id: "m1".to_owned(),
                        label: "（一）".to_owned(),
                        title: "加强品牌培育".to_owned(),
                        text: "加强品牌培育。培育区域公用品牌。".to_owned(),
                        ..MeasureAnchor::default()
                    }],
                    ..PlanEntry::new(
                        "gone",
                        PlanSource::File(PathBuf::from("/nonexistent/gone.txt")),
                    )
                },
            ],
            codebook: Codebook::bundled(),
            tag_edits: vec![TagEdit {
                measure: MeasureRef::new("gone", "m1"),
                theme_id: "enterprise.brand".to_owned(),
                added: true,
                carried_from: None,
            }],
            decisions: vec![LinkDecision {
                left: MeasureRef::new("shanghai-2021-quality-work-points", "m1"),
                right: MeasureRef::new("gone", "m2"),
                status: LinkStatus::Accepted,
                manual: true,
                note: "「引号」 & <note>".to_owned(),
            }],
            settings: AlignConfig {
                fold_traditional: false,
                ..AlignConfig::default()
            },
            model: None,
            view: ViewState {
                left: "shanghai-2021-quality-work-points".to_owned(),
                right: "gone".to_owned(),
                view: "aligned".to_owned(),
                lang: "en".to_owned(),
                hide_library: false,
                hide_codebook: true,
                selected: Some(("left".to_owned(), "m2".to_owned())),
            },
        }
    }

    #[test]
    fn round_trip_and_newer_format_refused() {
        let workspace = sample();
        let text = to_ron(&workspace).unwrap();
        assert!(text.starts_with("(\n    format: 1,"));
        assert_eq!(from_ron_bytes(text.as_bytes(), "w").unwrap(), workspace);
        let newer = text.replacen("format: 1", "format: 2", 1);
        let err = from_ron_bytes(newer.as_bytes(), "w").unwrap_err();
        assert!(matches!(err, PersistError::NewerFormat { found: 2, .. }));
        assert!(err.to_string().starts_with("workspace format 2 is newer"));
        let cut = text.get(..text.len() / 3).unwrap();
        assert!(matches!(
            from_ron_bytes(cut.as_bytes(), "w"),
            Err(PersistError::Malformed { .. })
        ));
    }

    #[test]
    fn a_missing_plan_is_reported_and_the_rest_opens_with_its_edits() {
        let opened = open_plans(sample());
        assert_eq!(opened.plans.len(), 1);
        assert_eq!(opened.missing.len(), 1);
        assert_eq!(opened.missing[0].entry.id, "gone");
        assert!(opened.missing[0].reason.contains("gone.txt"));
        assert_eq!(opened.workspace.tag_edits.len(), 1, "edits on it are kept");
    }

    #[test]
    fn saves_roll_backups() {
        let dir = std::env::temp_dir().join(format!("planalign-backups-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("w.planalign");
        let mut work = sample();
        for n in 0..5 {
            work.view.view = format!("v{n}");
            save(&path, &work).unwrap();
        }
        assert_eq!(load(&path).unwrap().view.view, "v4");
        for (n, expected) in [(1, "v3"), (2, "v2"), (3, "v1")] {
            assert_eq!(load(&backup_path(&path, n)).unwrap().view.view, expected);
        }
        assert!(!backup_path(&path, 4).exists());
        // Saving the same content again does not push the backups along.
        save(&path, &work).unwrap();
        assert_eq!(load(&backup_path(&path, 1)).unwrap().view.view, "v3");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn session_round_trip() {
        let dir = std::env::temp_dir().join(format!("planalign-session-{}", std::process::id()));
        assert_eq!(load_session(&dir).unwrap(), None);
        let session = Session {
            path: Some(dir.join("work.planalign")),
            dirty: true,
            workspace: sample(),
        };
        save_session(&dir, &session).unwrap();
        assert_eq!(load_session(&dir).unwrap(), Some(session));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
