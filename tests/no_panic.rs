//! Property tests: no input, however odd, panics the decoder, the parser or the RON loader.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test is a test failure"
)]

use proptest::prelude::*;

/// Characters the parser treats specially, to build nasty plan-like strings.
/// Cases per property: the default, or `PLANALIGN_FUZZ_CASES` for long fuzzing runs.
fn cases(default: u32) -> u32 {
    std::env::var("PLANALIGN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn plan_char() -> impl Strategy<Value = char> {
    let special: Vec<char> = "一二十百、（）().．19①第章条。，：:\n\r 　市区某年月日%家号〔〕责任单位负要点|>—\u{feff}\u{0}"
        .chars()
        .collect();
    prop_oneof![9 => proptest::sample::select(special), 1 => any::<char>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1024)))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = planalign::parse::parse_bytes(&bytes, "fuzz.txt");
        let _ = planalign::persist::plan_from_ron_bytes(&bytes, "fuzz.ron");
        let _ = planalign::workspace::from_ron_bytes(&bytes, "fuzz.planalign");
        // The same bytes behind a zip signature go down the Word document path.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = planalign::ingest::decode(&zip);
        // ... and behind a PDF header down the PDF path.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend_from_slice(&bytes);
        let _ = planalign::ingest::decode(&pdf);
    }

    #[test]
    fn ron_like_and_xml_like_text_never_panics(text in "[()\\[\\]{}:,\"a-z0-9 <>/=&;#!?-]{0,400}") {
        let _ = planalign::workspace::from_ron_bytes(text.as_bytes(), "fuzz.planalign");
        let _ = planalign::persist::plan_from_ron_bytes(text.as_bytes(), "fuzz.ron");
        let _ = planalign::themes::qdc::from_qdc(&text);
        let html = planalign::ingest::html::html_to_text(&text);
        let _ = planalign::parse::parse_text(&html, "fuzz.html");
    }

    #[test]
    fn html_like_text_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<p>".to_owned()), Just("</p>".to_owned()), Just("<script>".to_owned()),
            Just("</script>".to_owned()), Just("<nav>".to_owned()), Just("</nav>".to_owned()),
            Just("<!--".to_owned()), Just("-->".to_owned()), Just("&amp;".to_owned()),
            Just("&#x4e00;".to_owned()), Just("<br/>".to_owned()), Just("<a href='".to_owned()),
            Just("（一）".to_owned()), Just("一、".to_owned()), ".{0,12}",
        ],
        0..80,
    )) {
        let page = parts.concat();
        let text = planalign::ingest::html::html_to_text(&page);
        prop_assert!(!text.contains("<script>"));
        let _ = planalign::parse::parse_bytes(page.as_bytes(), "fuzz.html");
    }

    #[test]
    fn mutated_codebook_xml_never_panics(cut in 0usize..40_000, insert in ".{0,20}") {
        let xml = planalign::themes::qdc::to_qdc(&planalign::themes::Codebook::bundled());
        let mut cut = cut.min(xml.len());
        while !xml.is_char_boundary(cut) {
            cut -= 1;
        }
        let (head, tail) = xml.split_at(cut);
        let _ = planalign::themes::qdc::from_qdc(&format!("{head}{insert}{tail}"));
    }

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,600}") {
        let _ = planalign::parse::parse_text(&text, "fuzz.txt");
    }

    #[test]
    fn plan_like_strings_never_panic(chars in proptest::collection::vec(plan_char(), 0..800)) {
        let text: String = chars.into_iter().collect();
        if let Ok(plan) = planalign::parse::parse_text(&text, "fuzz.txt") {
            // Whatever parses also survives a RON round trip.
            let ron = planalign::persist::plan_to_ron(&plan).unwrap();
            let back = planalign::persist::plan_from_ron_bytes(ron.as_bytes(), "x.ron").unwrap();
            prop_assert_eq!(back, plan);
        }
    }
}

proptest! {
    // Each case re-parses a whole seed plan: fewer cases, same reach.
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    #[test]
    fn mutated_seed_never_panics(cut in 0usize..12_000, insert in ".{0,40}") {
        let seed = include_str!("../data/raw/jingan-2023-quality-work-points.txt");
        let mut at = cut.min(seed.len());
        while !seed.is_char_boundary(at) {
            at -= 1;
        }
        let text = format!("{}{insert}{}", &seed[..at], &seed[at..]);
        let plan = planalign::parse::parse_text(&text, "mutated.txt").unwrap();
        prop_assert!(!plan.measures.is_empty());
    }
}
