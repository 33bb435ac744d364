//! The CSV reader on any bytes: a document or an error, never a panic. A document that reads
//! is written back as UTF-8 and reads again to the same document (nothing lost on a second
//! round); Shift_JIS output, when encodable, reads again without error. The same bytes read
//! as a file named .csv (a goal sheet saved as CSV is read as the sheet) never panic either.
#![no_main]

use goalsheet::convert::csv::{from_bytes, to_bytes, Encoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = goalsheet::read::read_bytes(data, "課.csv");
    let Ok(doc) = from_bytes(data) else { return };
    if let Ok(bytes) = to_bytes(&doc, Encoding::Utf8Bom) {
        let again = from_bytes(&bytes).expect("goalsheet's own UTF-8 CSV reads");
        assert_eq!(again, doc, "UTF-8 round trip");
    }
    if let Ok(bytes) = to_bytes(&doc, Encoding::ShiftJis) {
        from_bytes(&bytes).expect("goalsheet's own Shift_JIS CSV reads");
    }
});
