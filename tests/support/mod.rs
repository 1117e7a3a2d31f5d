//! Documents the tests build: Word files with automatic numbering, a zip bomb, and
//! simplified text turned traditional. Shared by several test modules.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a panic in a test helper is a test failure"
)]

/// The value of a Chinese numeral up to 99.
pub fn chinese_value(numeral: &str) -> Option<u32> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|i| u32::try_from(i / 3 + 1).unwrap())
    };
    let chars: Vec<char> = numeral.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', c] => Some(10 + digit(*c)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', c] => Some(digit(*a)? * 10 + digit(*c)?),
        _ => None,
    }
}

/// A .docx of a plan text whose 一、 and （一） labels are Word's automatic numbering: two
/// list definitions, a new list instance (with a start override) wherever the text's number
/// is not the next one.
pub fn as_docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let heading = regex::Regex::new(r"^([一二三四五六七八九十]+)、(.*)$").unwrap();
    let item = regex::Regex::new(r"^[（(]([一二三四五六七八九十]+)[）)](.*)$").unwrap();
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    let mut instances = String::new();
    let mut next_id = 1;
    // Per list kind (0 headings, 1 items): the current instance and the number expected next.
    let mut current: [(u32, u32); 2] = [(0, 0), (0, 0)];
    for line in text.lines() {
        let numbered = [(0_usize, &heading), (1, &item)]
            .into_iter()
            .find_map(|(kind, re)| {
                let caps = re.captures(line)?;
                Some((kind, chinese_value(&caps[1])?, caps[2].to_owned()))
            });
        match numbered {
            Some((kind, number, rest)) => {
                let (instance, expected) = &mut current[kind];
                if *instance == 0 || number != *expected {
                    *instance = next_id;
                    next_id += 1;
                    instances.push_str(&format!(
                        "<w:num w:numId=\"{instance}\"><w:abstractNumId w:val=\"{kind}\"/>\
                         <w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{number}\"/></w:lvlOverride></w:num>"
                    ));
                }
                *expected = number + 1;
                body.push_str(&format!(
                    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{instance}\"/></w:numPr></w:pPr>\
                     <w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                    escape(&rest)
                ));
            }
            None => body.push_str(&format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(line)
            )),
        }
    }
    let numbering = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
         <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"%1、\"/></w:lvl></w:abstractNum>\
         <w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
         <w:numFmt w:val=\"chineseCounting\"/><w:lvlText w:val=\"（%1）\"/></w:lvl></w:abstractNum>\
         {instances}</w:numbering>"
    );
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in [
            ("[Content_Types].xml", "<Types/>".to_owned()),
            ("word/document.xml", document),
            ("word/numbering.xml", numbering),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// A small Word file whose document unpacks to more than the importer's limit.
pub fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..=planalign::ingest::docx::MAX_UNZIPPED_BYTES / (1024 * 1024) {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// Simplified text made traditional by inverting the matcher's own folding table.
pub fn to_traditional(text: &str) -> String {
    use planalign::parse::text::traditional_to_simplified;
    let mut inverse = std::collections::HashMap::new();
    for code in 0x4E00u32..=0x9FFF {
        let Some(traditional) = char::from_u32(code) else {
            continue;
        };
        let simplified = traditional_to_simplified(traditional);
        if simplified != traditional {
            inverse.entry(simplified).or_insert(traditional);
        }
    }
    text.chars()
        .map(|ch| inverse.get(&ch).copied().unwrap_or(ch))
        .collect()
}
