//! Plans that arrive as saved web pages parse to the same measures as their text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use crate::support;

use planalign::model::Plan;
use planalign::parse::parse_bytes;
use support::as_docx;

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/raw");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    seeds
}

/// A page as a government site serves it: head, scripts, navigation, the text in paragraphs
/// (with entities), a share bar and a footer.
fn as_web_page(text: &str) -> String {
    let escape = |line: &str| {
        line.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('“', "&ldquo;")
            .replace('”', "&rdquo;")
    };
    let body: String = text
        .lines()
        .map(|line| format!("<p style=\"text-indent:2em\">{}</p>\n", escape(line)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>页面</title>\
         <script src=\"/js/jquery.js\"></script><style>.a{{b:c}}</style></head>\
         <body><header><div class=\"logo\">政府门户网站</div></header>\
         <nav><a href=\"/\">首页</a> &gt; <a>政务公开</a> &gt; <a>通知公告</a></nav>\
         <div class=\"main\"><div class=\"content\" id=\"zoom\">\n{body}</div>\
         <div class=\"share\"><button>微信</button><button>微博</button></div></div>\
         <footer>主办单位：某市人民政府办公厅 版权所有</footer>\
         <script>var _hmt = _hmt || []; document.write('<p>一、假</p>');</script></body></html>"
    )
}

fn summary(plan: &Plan) -> Vec<(String, String, String)> {
    plan.measures
        .iter()
        .map(|m| (m.label.clone(), m.title.clone(), m.text.clone()))
        .collect()
}

#[test]
fn saved_web_pages_parse_like_their_text() {
    for (name, bytes) in seeds() {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let from_text = parse_bytes(&bytes, &name).unwrap();
        let page = as_web_page(&text);
        let html_name = name.replace(".txt", ".html");
        let from_html = parse_bytes(page.as_bytes(), &html_name).unwrap();
        assert_eq!(summary(&from_html), summary(&from_text), "{name}");
        assert_eq!(from_html.meta.title, from_text.meta.title, "{name}");
        assert!(from_html.source.encoding.contains("HTML"));
        assert_eq!(
            from_html.source.sha256,
            planalign::ingest::sha256_hex(page.as_bytes())
        );
        // The same page saved in GBK, as many government sites still serve it.
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&page);
        if !unmappable {
            let from_gbk = parse_bytes(&gbk, &html_name).unwrap();
            assert_eq!(summary(&from_gbk), summary(&from_text), "{name} (GBK)");
        }
    }
}

fn measures(plan: &Plan) -> Vec<(u32, String, String)> {
    plan.measures
        .iter()
        .map(|m| (m.ordinal, m.title.clone(), m.text.clone()))
        .collect()
}

#[test]
fn word_documents_with_automatic_numbering_parse_like_their_text() {
    for (name, bytes) in seeds() {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let from_text = parse_bytes(&bytes, &name).unwrap();
        let docx = as_docx(&text);
        let from_docx = parse_bytes(&docx, &name.replace(".txt", ".docx")).unwrap();
        assert_eq!(measures(&from_docx), measures(&from_text), "{name}");
        assert_eq!(from_docx.source.encoding, "DOCX");
    }
}

#[test]
fn broken_and_oversized_word_documents_are_clear_errors() {
    use planalign::ingest::IngestError;
    use planalign::parse::ParseError;
    let seed = &seeds()[0].1;
    let docx = as_docx(std::str::from_utf8(seed).unwrap());
    // Truncated.
    let err = parse_bytes(&docx[..docx.len() / 2], "cut.docx").unwrap_err();
    assert!(
        matches!(err, ParseError::Ingest(IngestError::BadDocument(_))),
        "{err}"
    );
    // A zip bomb: a small file whose document unpacks to more than the limit.
    let bomb = support::zip_bomb();
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let err = parse_bytes(&bomb, "bomb.docx").unwrap_err();
    assert!(
        matches!(
            err,
            ParseError::Ingest(IngestError::TooLargeUnzipped { .. })
        ),
        "{err}"
    );
    // An encrypted (OLE) Office file.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0_u8; 512]);
    let err = parse_bytes(&ole, "locked.docx").unwrap_err();
    assert!(err.to_string().contains("password"), "{err}");
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn a_pdf_parses_like_its_text() {
    // Printed to PDF by Chromium from the Jing'an seed: a real text layer with CID fonts.
    let from_pdf = parse_bytes(
        &fixture("jingan-2023-quality-work-points.pdf"),
        "jingan-2023-quality-work-points.pdf",
    )
    .unwrap();
    let (name, bytes) = seeds()
        .into_iter()
        .find(|(name, _)| name.starts_with("jingan"))
        .unwrap();
    let from_text = parse_bytes(&bytes, &name).unwrap();
    assert_eq!(from_pdf.source.encoding, "PDF");
    assert_eq!(from_pdf.meta.title, from_text.meta.title);
    assert_eq!(from_pdf.meta.jurisdiction, from_text.meta.jurisdiction);
    let key = |plan: &Plan| -> Vec<(u32, String, Vec<String>)> {
        plan.measures
            .iter()
            .map(|m| {
                (
                    m.ordinal,
                    planalign::parse::text::key_of(&m.title),
                    m.lead_units.iter().map(|a| a.name.clone()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(key(&from_pdf), key(&from_text));
}

#[test]
fn scanned_and_password_protected_pdfs_are_clear_errors() {
    let err = parse_bytes(&fixture("scanned.pdf"), "scanned.pdf").unwrap_err();
    assert!(err.to_string().contains("no text layer"), "{err}");
    let locked =
        b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF\n";
    let err = parse_bytes(locked, "locked.pdf").unwrap_err();
    assert!(err.to_string().contains("password"), "{err}");
    let err = parse_bytes(b"%PDF-1.4\ngarbage garbage garbage", "broken.pdf").unwrap_err();
    assert!(err.to_string().contains("PDF"), "{err}");
}
