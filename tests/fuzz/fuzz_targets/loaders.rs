//! Any bytes as a saved plan (.ron), a workspace (.planalign) or a REFI-QDA codebook (.qdc).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = planalign::persist::plan_from_ron_bytes(bytes, "fuzz.ron");
    let _ = planalign::workspace::from_ron_bytes(bytes, "fuzz.planalign");
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = planalign::themes::qdc::from_qdc(text);
    }
});
