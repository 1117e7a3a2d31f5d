//! Reports built from the core data.
//!
//! Two report models, [`AlignmentReport`] (two plans aligned) and [`TraceReport`] (one plan
//! traced across several), plus the coverage matrix, are written by one module per format:
//! [`json`](self::json), Markdown, CSV, HTML, XLSX and DOCX. Each format escapes plan and analyst text
//! in one place, so hostile text from a web page cannot become a formula, a script or a link in
//! the program that opens the report:
//! - CSV: a field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
//!   `'` (OWASP's advice against formula injection);
//! - Markdown: `<`, `>`, `&` become entities and Markdown syntax is backslash-escaped;
//! - HTML: every text is entity-escaped; XLSX: every text is a string cell;
//! - DOCX: every text is a run of text (docx-rs escapes it), without the characters XML 1.0
//!   forbids.
//!
//! Every format also drops bidirectional overrides, zero-width and control characters
//! ([`clean`]), which can hide or reorder what a reader sees.

mod corpus;
mod csv;
mod docx;
mod html;
mod json;
mod markdown;
mod model;
mod trace;
mod xlsx;

use std::borrow::Cow;

pub use self::csv::{coverage_csv, neutralise as csv_neutralise};
pub use corpus::{LinkTable, TableFormat, plans_table, write_neighbours};

/// Theme × plan coverage as a Word document (DOCX bytes); `generated` is the document's
/// creation time (RFC 3339), empty for reproducible output.
pub fn coverage_docx(
    matrix: &crate::align::CoverageMatrix,
    plans: &[&crate::model::Plan],
    codebook: &crate::themes::Codebook,
    generated: &str,
) -> Result<Vec<u8>, ReportError> {
    docx::coverage_docx(matrix, plans, codebook, generated)
}
pub use html::{alignment_html, escape as html_escape};
pub use json::{
    ALIGNMENT_SCHEMA, COVERAGE_SCHEMA, PLAN_SCHEMA, TRACE_SCHEMA, alignment_json, coverage_json,
    item_json, json_bytes, link_json, meta_json, plan_json, plan_summary_json, report_json,
};
pub use markdown::{alignment_markdown, coverage_markdown, escape as markdown_escape};
pub use model::{
    AlignmentReport, CoverageRow, MatcherSettings, Summary, TargetItem, TargetPair, kind_label,
    plan_facts, settings_facts, settings_line, status_label,
};
pub use trace::{TraceCell, TraceReport, TraceRow, build_trace};
pub use xlsx::SHEETS as XLSX_SHEETS;

/// A report that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The workbook writer failed.
    #[error("cannot write XLSX ({0})")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The CSV writer failed.
    #[error("cannot write CSV ({0})")]
    Csv(#[from] ::csv::Error),
    /// The Word document writer failed.
    #[error("cannot write DOCX ({0})")]
    Docx(#[from] docx_rs::DocxError),
    /// The JSON writer failed.
    #[error("cannot write JSON ({0})")]
    Json(#[from] serde_json::Error),
    /// Formatting text failed.
    #[error("cannot format the report ({0})")]
    Fmt(#[from] std::fmt::Error),
    /// The report has nothing to report on.
    #[error("{0}")]
    Empty(&'static str),
}

impl From<ReportError> for String {
    fn from(err: ReportError) -> Self {
        err.to_string()
    }
}

/// The formats a report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// Excel workbook.
    Xlsx,
    /// One self-contained HTML file.
    Html,
    /// Markdown document.
    Markdown,
    /// CSV, UTF-8 with BOM.
    Csv,
    /// JSON document.
    Json,
    /// Word document (opens in Word and WPS).
    Docx,
}

impl ReportFormat {
    /// Every format, in menu order.
    pub const ALL: [Self; 6] = [
        Self::Xlsx,
        Self::Docx,
        Self::Html,
        Self::Markdown,
        Self::Csv,
        Self::Json,
    ];

    /// The format a file name asks for by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Some(Self::Xlsx),
            "html" | "htm" => Some(Self::Html),
            "md" | "markdown" => Some(Self::Markdown),
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Docx => "docx",
        }
    }

    /// The name shown in file dialogs.
    pub fn name(self) -> &'static str {
        match self {
            Self::Xlsx => "Excel",
            Self::Html => "HTML",
            Self::Markdown => "Markdown",
            Self::Csv => "CSV",
            Self::Json => "JSON",
            Self::Docx => "Word",
        }
    }
}

/// The alignment report in a format, as file bytes (the CLI and the app share it).
pub fn alignment_report(
    report: &AlignmentReport<'_>,
    format: ReportFormat,
) -> Result<Vec<u8>, ReportError> {
    match format {
        ReportFormat::Xlsx => xlsx::alignment_xlsx(report),
        ReportFormat::Html => Ok(html::alignment_html(report)?.into_bytes()),
        ReportFormat::Markdown => Ok(markdown::alignment_markdown(report)?.into_bytes()),
        ReportFormat::Csv => self::csv::alignment_csv(report),
        ReportFormat::Json => json_bytes(&json::report_json(report)),
        ReportFormat::Docx => docx::alignment_docx(report),
    }
}

/// The multi-plan trace report in a format, as file bytes.
pub fn trace_report(
    report: &TraceReport<'_>,
    format: ReportFormat,
) -> Result<Vec<u8>, ReportError> {
    match format {
        ReportFormat::Xlsx => xlsx::trace_xlsx(report),
        ReportFormat::Html => Ok(html::trace_html(report)?.into_bytes()),
        ReportFormat::Markdown => Ok(markdown::trace_markdown(report)?.into_bytes()),
        ReportFormat::Csv => self::csv::trace_csv(report),
        ReportFormat::Json => json_bytes(&json::trace_json(report)),
        ReportFormat::Docx => docx::trace_docx(report),
    }
}

/// Whether a character hides or reorders text for a reader: bidirectional embeddings,
/// overrides, isolates and marks; zero-width characters; control characters other than tab
/// and line breaks; and the noncharacters U+FFFE and U+FFFF, which no text holds on purpose
/// and XML forbids.
fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    ) || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Text without the characters that hide or reorder it for a reader (see [`is_hidden`]):
/// every writer cleans what it writes.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_hidden) {
        Cow::Owned(text.chars().filter(|&c| !is_hidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A share 0–1 as a whole percentage, e.g. `91%`.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", 100.0 * share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_drops_bidi_overrides_zero_width_and_controls() {
        assert_eq!(clean("质量\u{202E}txt.exe\u{202C}"), "质量txt.exe");
        assert_eq!(clean("a\u{200B}b\u{FEFF}c\u{0007}d\te\nf"), "abcd\te\nf");
        assert_eq!(clean("a\u{FFFE}b\u{FFFF}c\u{0}"), "abc");
        assert!(matches!(clean("上海市质量工作"), Cow::Borrowed(_)));
    }

    #[test]
    fn formats_follow_extensions() {
        for format in ReportFormat::ALL {
            let path = std::path::PathBuf::from(format!("r.{}", format.extension()));
            assert_eq!(ReportFormat::from_path(&path), Some(format));
        }
        assert_eq!(ReportFormat::from_path(std::path::Path::new("r.txt")), None);
    }
}
