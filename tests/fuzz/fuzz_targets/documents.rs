//! Any bytes behind a Word (zip) or PDF signature: the document extractors end in text or an
//! error, never a panic, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = planalign::ingest::decode(bytes);
    for signature in [&b"PK\x03\x04"[..], &b"%PDF-1.7\n"[..]] {
        let mut document = signature.to_vec();
        document.extend_from_slice(bytes);
        let _ = planalign::ingest::decode(&document);
    }
});
