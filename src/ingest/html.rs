//! Saved web pages → text: the page's visible text in reading order, one block element per line,
//! without scripts, styles, the head, navigation, forms or comments. Nothing from the page is
//! run or fetched. The plan parser then drops the remaining page chrome (breadcrumbs, share
//! buttons, disclaimers) as it does for copied text.
//!
//! ```
//! let text = planalign::ingest::html::html_to_text(
//!     "<nav>首页 &gt; 通知</nav><script>x()</script><p>一、总体要求</p><p>（一）加强&amp;改进</p>",
//! );
//! assert_eq!(text, "一、总体要求\n（一）加强&改进");
//! ```

/// Elements whose content is never text (their end tag is searched for literally).
const RAW: &[&str] = &[
    "script", "style", "noscript", "template", "textarea", "title",
];

/// Elements skipped with everything inside them.
const SKIPPED: &[&str] = &[
    "head", "nav", "aside", "form", "select", "button", "iframe", "svg", "object", "menu",
];

/// Page furniture skipped unless it sits inside the article itself.
const FURNITURE: &[&str] = &["header", "footer"];

/// Elements that hold the article.
const ARTICLE: &[&str] = &["article", "main"];

/// Elements that end a line.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "br",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
];

/// Elements whose content is kept on the line, separated by a space.
const CELL: &[&str] = &["td", "th"];

/// Whether bytes look like an HTML page (by its start, after white space and a BOM).
pub fn looks_like_html(text: &str) -> bool {
    let start: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || start.starts_with("<head")
        || start.starts_with("<meta")
        || (start.starts_with("<?xml") && start.contains("<html"))
        || (start.starts_with("<!--") && start.contains("<html"))
}

/// A tag as read: its lower-case name, whether it closes, whether it closes itself.
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
}

/// Reads the tag starting at `html[start]` (a `<`); returns it and the index after its `>`.
fn read_tag(html: &str, start: usize) -> Option<(Tag, usize)> {
    let rest = html.get(start + 1..)?;
    let closing = rest.starts_with('/');
    let name_start = usize::from(closing);
    let name: String = rest
        .get(name_start..)?
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    // Find the closing '>' outside quoted attribute values.
    let mut quote: Option<char> = None;
    for (offset, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let inner = rest.get(..offset).unwrap_or("");
                return Some((
                    Tag {
                        name,
                        closing,
                        self_closing: inner.ends_with('/'),
                    },
                    start + 1 + offset + 1,
                ));
            }
            _ => {}
        }
    }
    None
}

/// Decodes an entity starting at `html[start]` (a `&`); returns the text and the index after
/// it, or `None` when it is not an entity (the `&` is then kept as written).
fn read_entity(html: &str, start: usize) -> Option<(String, usize)> {
    let rest = html.get(start + 1..)?;
    let end = rest.char_indices().take(12).find(|(_, c)| *c == ';')?.0;
    let body = rest.get(..end)?;
    let text = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)?.to_string()
    } else {
        match body {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
            "ldquo" => "“",
            "rdquo" => "”",
            "lsquo" => "‘",
            "rsquo" => "’",
            "mdash" => "—",
            "ndash" => "–",
            "hellip" => "…",
            "middot" => "·",
            "times" => "×",
            "divide" => "÷",
            "deg" => "°",
            "plusmn" => "±",
            "permil" => "‰",
            "yen" => "¥",
            "copy" => "©",
            "reg" => "®",
            "laquo" => "«",
            "raquo" => "»",
            "bull" => "•",
            _ => return None,
        }
        .to_owned()
    };
    Some((text, start + 1 + end + 1))
}

/// The visible text of a page, one block per line, blank lines dropped.
pub fn html_to_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len() / 2);
    let mut i = 0;
    // The element being skipped with its nesting depth.
    let mut skipping: Option<(String, usize)> = None;
    let mut article_depth = 0_usize;
    while i < html.len() {
        let Some(c) = html.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c == '<' {
            if lower.get(i..).is_some_and(|r| r.starts_with("<!--")) {
                i = lower
                    .get(i + 4..)
                    .and_then(|r| r.find("-->"))
                    .map_or(html.len(), |end| i + 4 + end + 3);
                continue;
            }
            if html.get(i + 1..).is_some_and(|r| r.starts_with(['!', '?'])) {
                // <!DOCTYPE …>, <![CDATA[ … ]]>, <?xml …?>: declarations, not text.
                i = html
                    .get(i..)
                    .and_then(|r| r.find('>'))
                    .map_or(html.len(), |end| i + end + 1);
                continue;
            }
            if let Some((tag, after)) = read_tag(html, i) {
                i = after;
                if let Some((name, depth)) = &mut skipping {
                    if tag.name == *name {
                        if tag.closing {
                            *depth -= 1;
                            if *depth == 0 {
                                skipping = None;
                            }
                        } else if !tag.self_closing {
                            *depth += 1;
                        }
                    }
                    continue;
                }
                if tag.closing {
                    if ARTICLE.contains(&tag.name.as_str()) {
                        article_depth = article_depth.saturating_sub(1);
                    }
                } else if RAW.contains(&tag.name.as_str()) && !tag.self_closing {
                    let end_tag = format!("</{}", tag.name);
                    i = lower
                        .get(i..)
                        .and_then(|r| r.find(&end_tag))
                        .and_then(|end| lower.get(i + end..)?.find('>').map(|gt| i + end + gt + 1))
                        .unwrap_or(html.len());
                    continue;
                } else if (SKIPPED.contains(&tag.name.as_str())
                    || (FURNITURE.contains(&tag.name.as_str()) && article_depth == 0))
                    && !tag.self_closing
                {
                    skipping = Some((tag.name, 1));
                    continue;
                } else if ARTICLE.contains(&tag.name.as_str()) {
                    article_depth += 1;
                }
                if BLOCK.contains(&tag.name.as_str()) {
                    out.push('\n');
                } else if CELL.contains(&tag.name.as_str()) && !out.ends_with([' ', '\n']) {
                    out.push(' ');
                }
                continue;
            }
        }
        i += c.len_utf8();
        if skipping.is_some() {
            continue;
        }
        if c == '&' {
            if let Some((text, after)) = read_entity(html, i - 1) {
                out.push_str(&text);
                i = after;
                continue;
            }
        }
        if c.is_ascii_whitespace() {
            if !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.lines()
        .map(|line| line.trim_matches([' ', '\u{a0}', '\u{3000}', '\t']))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_navigation_and_comments_are_dropped() {
        let page = r#"<!DOCTYPE html><html><head><title>标题</title>
            <style>p { color: red }</style><script>var s = "<p>一、假的</p>";</script></head>
            <body><header><a href="/">首页</a></header><nav>首页 &gt; 政务公开</nav>
            <!-- <p>注释</p> --><article><header><h1>2023年某区工作要点</h1></header>
            <div id="zoom"><p>一、总体要求</p><p>（一）加强&nbsp;质量&amp;品牌 &#x4E00;&#20108;</p>
            <table><tr><td>牵头</td><td>区市场监管局</td></tr></table></div></article>
            <footer>版权所有</footer><form><input value="x"><button>搜索</button></form>
            <script>alert("<b>")</script></body></html>"#;
        assert!(looks_like_html(page));
        assert_eq!(
            html_to_text(page),
            "2023年某区工作要点\n一、总体要求\n（一）加强 质量&品牌 一二\n牵头 区市场监管局"
        );
    }

    #[test]
    fn broken_markup_never_loops_or_panics() {
        for page in [
            "<",
            "<p",
            "<!--",
            "<script>",
            "&",
            "&#xZZZ;",
            "&#99999999;",
            "<a href='>",
            "<<p>>",
            "</nav></nav>",
            "<nav><nav>x</nav>",
            "中文<",
            "<p>中&文</p>",
        ] {
            let _ = html_to_text(page);
        }
        assert_eq!(html_to_text("<p>中&文</p>"), "中&文");
        assert_eq!(html_to_text("a<b"), "a<b");
    }
}
