//! Versioned RON files for plans: load with a format check, save atomically.
//!
//! A plan file is `(format: 1, plan: (...))`. A file written by a newer PlanAlign is refused
//! with a clear message rather than half-read.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ingest::{self, MAX_FILE_BYTES};
use crate::model::Plan;
use crate::parse::{self, ParseError};

/// The plan file format this build writes and the newest it reads.
pub const PLAN_FORMAT: u32 = 1;

/// Why a plan file could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// The path does not exist.
    #[error("file not found: {0}")]
    NotFound(String),
    /// Reading or writing failed.
    #[error("{action} failed ({source}): {path}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
        /// The path involved.
        path: String,
    },
    /// Over the size limit.
    #[error("file is too large ({num_bytes} bytes; the limit is 20 MB): {path}")]
    TooLarge {
        /// Size of the file.
        num_bytes: u64,
        /// The path.
        path: String,
    },
    /// Not a valid file of its kind.
    #[error("malformed {what} ({reason}): {path}")]
    Malformed {
        /// What the file should be ("plan file", "workspace").
        what: &'static str,
        /// What is wrong, one line.
        reason: String,
        /// The path.
        path: String,
    },
    /// Written by a newer PlanAlign.
    #[error("{what} format {found} is newer than this PlanAlign reads ({supported}): {path}")]
    NewerFormat {
        /// What the file is ("plan file", "workspace").
        what: &'static str,
        /// The newest format this build reads.
        supported: u32,
        /// The format found in the file.
        found: u32,
        /// The path.
        path: String,
    },
    /// Serialising failed.
    #[error("cannot serialise ({0})")]
    Serialise(String),
}

/// Why a plan could not be opened, from RON or from raw text.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// A .ron plan file failed to load.
    #[error(transparent)]
    Persist(#[from] PersistError),
    /// A raw text failed to parse.
    #[error("{}", with_path(source, path))]
    Parse {
        /// What went wrong.
        source: ParseError,
        /// The file, so a message about one of several files says which.
        path: String,
    },
}

/// A parse error's message naming the file last (unless it names it already).
fn with_path(source: &ParseError, path: &str) -> String {
    let message = source.to_string();
    if message.contains(path) {
        message
    } else {
        format!("{message}: {path}")
    }
}

#[derive(Serialize)]
struct PlanDocumentRef<'a> {
    format: u32,
    plan: &'a Plan,
}

#[derive(Deserialize)]
struct PlanDocument {
    format: u32,
    plan: Plan,
}

#[derive(Deserialize)]
struct FormatOnly {
    format: u32,
}

/// Opens a plan: `.ron` files are loaded, anything else is imported as raw text.
pub fn open_plan(path: &Path) -> Result<Plan, OpenError> {
    read_plan_file(path).and_then(|read| read.open(path))
}

/// A plan file read from disk: a loaded `.ron` plan, or a raw text still to parse. Opening
/// many files reads a batch of them before parsing any, so that disk and decoding overlap
/// work that parsing waits for (the gazetteer).
pub enum ReadPlan {
    /// A `.ron` plan, loaded.
    Loaded(Box<Plan>),
    /// A raw text, decoded.
    Text(ingest::DecodedText),
}

/// Reads a plan file ([`open_plan`]'s first half).
pub fn read_plan_file(path: &Path) -> Result<ReadPlan, OpenError> {
    if is_ron(path) {
        Ok(ReadPlan::Loaded(Box::new(load_plan(path)?)))
    } else {
        ingest::read_text_file(path)
            .map(ReadPlan::Text)
            .map_err(|err| parse_failed(err.into(), path))
    }
}

impl ReadPlan {
    /// The plan read from `path` ([`open_plan`]'s second half).
    pub fn open(self, path: &Path) -> Result<Plan, OpenError> {
        match self {
            ReadPlan::Loaded(plan) => Ok(*plan),
            ReadPlan::Text(decoded) => {
                parse::parse_decoded_file(decoded, path).map_err(|err| parse_failed(err, path))
            }
        }
    }
}

fn parse_failed(source: ParseError, path: &Path) -> OpenError {
    OpenError::Parse {
        source,
        path: path.display().to_string(),
    }
}

/// Whether the path names a RON file.
pub fn is_ron(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("ron"))
}

/// Loads a `.ron` plan file.
pub fn load_plan(path: &Path) -> Result<Plan, PersistError> {
    let bytes = read_limited(path)?;
    plan_from_ron_bytes(&bytes, &path.display().to_string())
}

/// Reads a whole file of at most 20 MB.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, PersistError> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => PersistError::NotFound(shown.clone()),
        _ => PersistError::Io {
            action: "reading",
            source: err,
            path: shown.clone(),
        },
    })?;
    if metadata.len() > MAX_FILE_BYTES as u64 {
        return Err(PersistError::TooLarge {
            num_bytes: metadata.len(),
            path: shown,
        });
    }
    std::fs::read(path).map_err(|source| PersistError::Io {
        action: "reading",
        source,
        path: shown,
    })
}

/// Reads a plan document from RON bytes; `shown` names the source in errors.
pub fn plan_from_ron_bytes(bytes: &[u8], shown: &str) -> Result<Plan, PersistError> {
    let document: PlanDocument = versioned_from_ron(bytes, shown, "plan file", PLAN_FORMAT)?;
    if document.format == 0 {
        return Err(PersistError::Malformed {
            what: "plan file",
            reason: "format version 0".to_owned(),
            path: shown.to_owned(),
        });
    }
    Ok(document.plan)
}

/// Reads a versioned RON document `(format: N, …)`: a newer `format` than `supported` is
/// refused before the rest is read, so a newer file is never half-understood.
pub fn versioned_from_ron<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    shown: &str,
    what: &'static str,
    supported: u32,
) -> Result<T, PersistError> {
    let malformed = |reason: String| PersistError::Malformed {
        what,
        reason: one_line(&reason),
        path: shown.to_owned(),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| malformed("not UTF-8 text".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Ok(FormatOnly { format }) = ron_options().from_str::<FormatOnly>(text) {
        if format > supported {
            return Err(PersistError::NewerFormat {
                what,
                supported,
                found: format,
                path: shown.to_owned(),
            });
        }
    }
    ron_options()
        .from_str(text)
        .map_err(|err| malformed(err.to_string()))
}

/// Pretty RON text of a document, ending in a newline.
pub fn to_pretty_ron<T: Serialize>(document: &T) -> Result<String, PersistError> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(8)
        .struct_names(false)
        .separate_tuple_members(false);
    ron::ser::to_string_pretty(document, config)
        .map(|mut text| {
            text.push('\n');
            text
        })
        .map_err(|err| PersistError::Serialise(err.to_string()))
}

/// The RON text of a plan document.
pub fn plan_to_ron(plan: &Plan) -> Result<String, PersistError> {
    to_pretty_ron(&PlanDocumentRef {
        format: PLAN_FORMAT,
        plan,
    })
}

/// Saves a plan atomically (temporary file, fsync, rename).
pub fn save_plan(path: &Path, plan: &Plan) -> Result<(), PersistError> {
    write_atomic(path, plan_to_ron(plan)?.as_bytes())
}

/// Writes bytes to `path` via a temporary file in the same folder, fsynced, then renamed over.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    let shown = path.display().to_string();
    let io = |action: &'static str| {
        let shown = shown.clone();
        move |source| PersistError::Io {
            action,
            source,
            path: shown,
        }
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_owned());
    let temp: PathBuf = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temp).map_err(io("creating a temporary file"))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io("writing"));
    drop(file);
    if let Err(err) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(err);
    }
    std::fs::rename(&temp, path).map_err(|err| {
        let _ = std::fs::remove_file(&temp);
        io("renaming")(err)
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

fn ron_options() -> ron::Options {
    ron::Options::default().with_recursion_limit(128)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_version_checks() {
        let plan = parse::parse_text(
            "某市质量工作要点\n一、任务\n（一）加强品牌建设。内容。",
            "x.txt",
        )
        .unwrap();
        let text = plan_to_ron(&plan).unwrap();
        assert!(text.starts_with("(\n    format: 1,"));
        let back = plan_from_ron_bytes(text.as_bytes(), "x.ron").unwrap();
        assert_eq!(back, plan);
        let newer = text.replacen("format: 1", "format: 9", 1);
        assert!(matches!(
            plan_from_ron_bytes(newer.as_bytes(), "x.ron"),
            Err(PersistError::NewerFormat { found: 9, .. })
        ));
        let broken = text.get(..text.len() / 2).unwrap();
        let err = plan_from_ron_bytes(broken.as_bytes(), "x.ron").unwrap_err();
        assert!(matches!(err, PersistError::Malformed { .. }));
        assert!(!err.to_string().contains('\n'));
    }
}
