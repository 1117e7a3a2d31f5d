//! Two touches to the package docx-rs writes, where it has no switch: each table's first row
//! marked as a header row that repeats on every page, and 宋体/黑体 in the font table.

/// Marks each table's first row as its header, repeated on every page (`w:tblHeader`).
///
/// [`table`](super::table) makes the header row the one that may not split, so its row properties are
/// `<w:trPr><w:cantSplit />…`; text never holds a raw `<`, so the search only meets markup.
pub(super) fn repeat_header_rows(document: &[u8]) -> Vec<u8> {
    const TABLE: &[u8] = b"<w:tbl>";
    const ROW_PROPERTIES: &[u8] = b"<w:trPr>";
    const HEADER: &[u8] = b"<w:tblHeader />";
    let mut out = Vec::with_capacity(document.len() + 1024);
    let mut rest = document;
    while let Some(start) = find(rest, TABLE) {
        let after_table = start + TABLE.len();
        let Some(properties) = rest
            .get(after_table..)
            .and_then(|tail| find(tail, ROW_PROPERTIES))
            .map(|at| after_table + at + ROW_PROPERTIES.len())
        else {
            break;
        };
        let (head, tail) = rest.split_at(properties.min(rest.len()));
        out.extend_from_slice(head);
        out.extend_from_slice(HEADER);
        rest = tail;
    }
    out.extend_from_slice(rest);
    out
}

/// Adds 宋体 and 黑体 to the font table, with SimSun and SimHei as their alternative names and
/// the GB2312 character set, so Word and WPS find the fonts under either name.
pub(super) fn with_cjk_fonts(font_table: &[u8]) -> Vec<u8> {
    const END: &[u8] = b"</w:fonts>";
    const CJK_FONTS: &str = concat!(
        r#"<w:font w:name="宋体"><w:altName w:val="SimSun" /><w:charset w:val="86" />"#,
        r#"<w:family w:val="auto" /><w:pitch w:val="variable" /></w:font>"#,
        r#"<w:font w:name="黑体"><w:altName w:val="SimHei" /><w:charset w:val="86" />"#,
        r#"<w:family w:val="modern" /><w:pitch w:val="fixed" /></w:font>"#,
    );
    let Some(end) = find(font_table, END) else {
        return font_table.to_vec();
    };
    let (head, tail) = font_table.split_at(end.min(font_table.len()));
    [head, CJK_FONTS.as_bytes(), tail].concat()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_table_repeats() {
        let document = b"<w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr /></w:tr></w:tbl><w:p /><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>";
        let patched = String::from_utf8(repeat_header_rows(document)).unwrap();
        assert_eq!(patched.matches("<w:tblHeader />").count(), 2);
        assert!(patched.starts_with("<w:tbl><w:tr><w:trPr><w:tblHeader /><w:cantSplit />"));
        assert_eq!(repeat_header_rows(b"<w:p />"), b"<w:p />");
    }

    #[test]
    fn the_font_table_names_simsun_and_simhei() {
        let table = String::from_utf8(with_cjk_fonts(b"<w:fonts><w:font /></w:fonts>")).unwrap();
        assert!(table.contains(r#"<w:font w:name="宋体"><w:altName w:val="SimSun" />"#));
        assert!(table.ends_with(r#"<w:altName w:val="SimHei" /><w:charset w:val="86" /><w:family w:val="modern" /><w:pitch w:val="fixed" /></w:font></w:fonts>"#));
    }
}
