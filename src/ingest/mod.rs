//! File bytes → text: size and binary checks, BOMs, UTF-8, UTF-16 and GB18030/GBK/Big5 detection;
//! saved web pages reduced to their visible text ([`html`]); Word documents ([`docx`]) and PDFs
//! ([`pdf`]) to their text.
//!
//! ```
//! let text = planalign::ingest::decode("一、总体目标".as_bytes()).unwrap();
//! assert_eq!(text.encoding, "UTF-8");
//! ```

pub mod docx;
pub mod html;
pub mod pdf;

use std::path::Path;

use sha2::{Digest, Sha256};

/// The largest input file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Why a file could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The path does not exist.
    #[error("file not found: {0}")]
    NotFound(String),
    /// The path is a directory, not a file.
    #[error("is a directory, not a file: {0}")]
    IsDirectory(String),
    /// Reading failed.
    #[error("cannot read file ({source}): {path}")]
    Io {
        /// The underlying error.
        source: std::io::Error,
        /// The path that failed.
        path: String,
    },
    /// Over [`MAX_FILE_BYTES`].
    #[error("file is too large ({num_bytes} bytes; the limit is 20 MB)")]
    TooLarge {
        /// Size of the file.
        num_bytes: u64,
    },
    /// Nothing but white space.
    #[error("file is empty")]
    Empty,
    /// Not text in any encoding we read.
    #[error("file is binary, not text")]
    Binary,
    /// A Word document or PDF that cannot be read.
    #[error("unreadable document: {0}")]
    BadDocument(String),
    /// A document whose parts expand past the limit (a zip bomb, or not a plan).
    #[error("the document expands beyond {} MB when unpacked; refused", limit / 1024 / 1024)]
    TooLargeUnzipped {
        /// The limit in bytes.
        limit: u64,
    },
}

/// Decoded text with what was learned about the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedText {
    /// The text, with any BOM removed.
    pub text: String,
    /// Encoding name, e.g. `UTF-8`, `UTF-16LE`, `GBK`.
    pub encoding: String,
    /// sha256 of the original bytes, lower-case hex.
    pub sha256: String,
    /// Size of the original bytes.
    pub num_bytes: usize,
}

/// Reads a file and decodes it, refusing missing, oversized, empty and binary files.
pub fn read_text_file(path: &Path) -> Result<DecodedText, IngestError> {
    let shown = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => IngestError::NotFound(shown.clone()),
        _ => IngestError::Io {
            source: err,
            path: shown.clone(),
        },
    })?;
    if metadata.is_dir() {
        return Err(IngestError::IsDirectory(shown));
    }
    if metadata.len() > MAX_FILE_BYTES as u64 {
        return Err(IngestError::TooLarge {
            num_bytes: metadata.len(),
        });
    }
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        source,
        path: shown,
    })?;
    decode(&bytes)
}

/// Decodes bytes: BOM first, then strict UTF-8, then a statistical guess (GB18030, Big5 …).
pub fn decode(bytes: &[u8]) -> Result<DecodedText, IngestError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge {
            num_bytes: bytes.len() as u64,
        });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(IngestError::BadDocument(
            "a password-protected or old-format (.doc) Office file; save it as .docx without a password"
                .to_owned(),
        ));
    }
    if pdf::looks_like_pdf(bytes) {
        let text = pdf::pdf_to_text(bytes)?;
        return Ok(DecodedText {
            text,
            encoding: "PDF".to_owned(),
            sha256: sha256_hex(bytes),
            num_bytes: bytes.len(),
        });
    }
    if docx::looks_like_zip(bytes) {
        let text = docx::docx_to_text(bytes)?;
        if text.trim().is_empty() {
            return Err(IngestError::Empty);
        }
        return Ok(DecodedText {
            text,
            encoding: "DOCX".to_owned(),
            sha256: sha256_hex(bytes),
            num_bytes: bytes.len(),
        });
    }
    let (text, encoding) = decode_unchecked(bytes)?;
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    if looks_binary(&text) {
        return Err(IngestError::Binary);
    }
    Ok(DecodedText {
        text,
        encoding,
        sha256: sha256_hex(bytes),
        num_bytes: bytes.len(),
    })
}

/// Lower-case hex sha256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The current time as RFC 3339 UTC (`2026-11-22T03:40:00Z`), for import provenance.
pub fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339_from_unix(seconds)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
pub fn rfc3339_from_unix(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

fn decode_unchecked(bytes: &[u8]) -> Result<(String, String), IngestError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(IngestError::Empty);
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors && encoding == encoding_rs::UTF_8 {
            return Err(IngestError::Binary);
        }
        return Ok((text.into_owned(), encoding.name().to_owned()));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok((text.into_owned(), encoding.name().to_owned()));
    }
    if bytes.contains(&0) {
        return Err(IngestError::Binary);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), "UTF-8".to_owned()));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, had_errors) = encoding.decode(bytes);
    if had_errors && replacement_share(&text) > 0.05 {
        return Err(IngestError::Binary);
    }
    Ok((text.into_owned(), encoding.name().to_owned()))
}

/// UTF-16 text saved without a BOM shows as every other byte NUL in mostly-ASCII or CJK text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 8 || bytes.len() % 2 != 0 {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even_zero = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zero = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let (zeros, other, encoding) = if odd_zero > even_zero {
        (odd_zero, even_zero, encoding_rs::UTF_16LE)
    } else {
        (even_zero, odd_zero, encoding_rs::UTF_16BE)
    };
    // Mostly-ASCII UTF-16 has NULs in one lane only; anything else is not this case.
    (zeros * 10 >= pairs * 3 && other == 0).then_some(encoding)
}

fn replacement_share(text: &str) -> f64 {
    let total = text.chars().count().max(1);
    let bad = text.chars().filter(|c| *c == '\u{FFFD}').count();
    bad as f64 / total as f64
}

/// Text with many control characters (other than tab and line breaks) is binary data.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut suspicious = 0usize;
    for ch in text.chars() {
        total += 1;
        let control = ch.is_control() && !matches!(ch, '\n' | '\r' | '\t' | '\u{c}');
        if control || ch == '\u{FFFD}' {
            suspicious += 1;
        }
    }
    suspicious * 20 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_from_unix(1_723_593_600), "2024-08-14T00:00:00Z");
        assert_eq!(
            rfc3339_from_unix(951_782_400 + 3_661),
            "2000-02-29T01:01:01Z"
        );
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("一、目标".as_bytes()).unwrap();
        assert_eq!(plain.text, "一、目标");
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("一、目标".as_bytes());
        let decoded = decode(&with_bom).unwrap();
        assert_eq!(decoded.text, "一、目标");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "（一）加强质量".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap().text, "（一）加强质量");
    }

    #[test]
    fn gbk_is_detected() {
        let text = "一、总体目标\n到2025年，质量整体水平进一步全面提高，人民群众质量获得感明显增强。\n二、主要任务\n（一）加强质量品牌建设。";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.text, text);
        assert_ne!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(matches!(decode(b""), Err(IngestError::Empty)));
        assert!(matches!(decode(b" \n\t "), Err(IngestError::Empty)));
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert!(matches!(decode(&binary), Err(IngestError::Binary)));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
        assert!(matches!(decode(png), Err(IngestError::Binary)));
    }
}
