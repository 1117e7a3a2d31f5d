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
fn plan_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('一'),
        Just('二'),
        Just('十'),
        Just('百'),
        Just('、'),
        Just('（'),
        Just('）'),
        Just('('),
        Just(')'),
        Just('.'),
        Just('．'),
        Just('1'),
        Just('9'),
        Just('①'),
        Just('第'),
        Just('章'),
        Just('条'),
        Just('。'),
        Just('，'),
        Just('：'),
        Just(':'),
        Just('\n'),
        Just('\r'),
        Just(' '),
        Just('　'),
        Just('市'),
        Just('区'),
        Just('某'),
        Just('年'),
        Just('月'),
        Just('日'),
        Just('%'),
        Just('家'),
        Just('号'),
        Just('〔'),
        Just('〕'),
        Just('责'),
        Just('任'),
        Just('单'),
        Just('位'),
        Just('负'),
        Just('责'),
        Just('|'),
        Just('>'),
        Just('—'),
        Just('\u{feff}'),
        Just('\u{0}'),
        Just('要'),
        Just('点'),
        any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = planalign::parse::parse_bytes(&bytes, "fuzz.txt");
        let _ = planalign::persist::plan_from_ron_bytes(&bytes, "fuzz.ron");
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
