//! The workbook reader, pre-checks included, on any bytes as .xlsx, .xls and .ods: a document
//! or an error, never a panic, an abort or an allocation past libFuzzer's `-rss_limit_mb`.
#![no_main]

use goalsheet::read::read_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The extension only picks the family (all three are workbooks); the content, sniffed,
    // picks the loader. So one read per input, its name varied cheaply.
    let name = ["x.xlsx", "x.xls", "x.ods"][data.len() % 3];
    let _ = read_bytes(data, name);
});
