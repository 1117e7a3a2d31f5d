//! PDF → text: the text layer in content order (pdf-extract), one visual line per line; the plan
//! parser joins lines broken mid-sentence. A PDF without a text layer (a scan) and a
//! password-protected PDF are clear errors, not empty plans. The extractor is third-party code
//! fed untrusted bytes: a panic inside it becomes an error too.

use super::IngestError;

/// Whether bytes are a PDF.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..1024)
        .unwrap_or(bytes)
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// The text layer of a PDF.
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.windows(8).any(|w| w == b"/Encrypt") {
        return Err(IngestError::BadDocument(
            "a password-protected PDF; remove the password and try again".to_owned(),
        ));
    }
    // Keep a panic inside the extractor from printing a backtrace over the one-line error.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let extracted = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes));
    std::panic::set_hook(hook);
    let text = match extracted {
        Ok(Ok(text)) => text,
        Ok(Err(err)) => {
            return Err(IngestError::BadDocument(format!(
                "unreadable PDF ({})",
                err.to_string().replace('\n', " ")
            )));
        }
        Err(_) => {
            return Err(IngestError::BadDocument(
                "unreadable PDF (the extractor failed on it)".to_owned(),
            ));
        }
    };
    if text.chars().filter(|c| !c.is_whitespace()).count() < 10 {
        return Err(IngestError::BadDocument(
            "the PDF has no text layer (a scan?); run OCR on it first".to_owned(),
        ));
    }
    Ok(join_spaced_cjk(&text))
}

/// Removes the spaces extractors put between a CJK character and a digit or another CJK
/// character (`2023 年` → `2023年`), which written Chinese never has.
pub fn join_spaced_cjk(text: &str) -> String {
    let is_cjk =
        |c: char| matches!(u32::from(c), 0x3000..=0x303F | 0x4E00..=0x9FFF | 0xFF00..=0xFFEF);
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, c) in chars.iter().enumerate() {
        if *c == ' ' {
            let before = chars.get(i.wrapping_sub(1)).copied();
            let after = chars.get(i + 1).copied();
            if let (Some(b), Some(a)) = (before, after) {
                let joins = |x: char| is_cjk(x) || x.is_ascii_digit();
                if joins(b) && joins(a) && (is_cjk(b) || is_cjk(a)) {
                    continue;
                }
            }
        }
        out.push(*c);
    }
    out
}
