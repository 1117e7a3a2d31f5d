//! Any bytes, as a plan file: decoding (encodings, HTML), parsing, and a RON round trip of
//! whatever parses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for name in ["fuzz.txt", "fuzz.html"] {
        if let Ok(plan) = planalign::parse::parse_bytes(bytes, name) {
            let Ok(ron) = planalign::persist::plan_to_ron(&plan) else {
                panic!("a parsed plan does not serialise");
            };
            let back = planalign::persist::plan_from_ron_bytes(ron.as_bytes(), "fuzz.ron");
            assert_eq!(back.ok().as_ref(), Some(&plan), "RON round trip differs");
        }
    }
});
