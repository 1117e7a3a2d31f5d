//! Plans that arrive as saved web pages parse to the same measures as their text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use planalign::model::Plan;
use planalign::parse::parse_bytes;

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
