//! The date parser on any text: no panic, error spans are char-boundary slices, and every
//! date that parses is written back by `format_date` to a text that parses to the same date.
#![no_main]

use goalsheet::grammar::date::{format_date, from_excel_serial, parse_date, to_excel_serial, DateStyle};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        // Excel serials from any 8 bytes.
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[..8]);
        let serial = f64::from_le_bytes(b);
        if let Some(d) = from_excel_serial(serial) {
            let back = to_excel_serial(d).expect("a date from a serial has a serial");
            assert_eq!(back, serial.floor(), "{serial} → {d}");
        }
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_date(text) {
        Ok(p) => {
            for style in [p.style, DateStyle::EraShort, DateStyle::EraLong, DateStyle::Western] {
                let written = format_date(p.date, style);
                let again = parse_date(&written).unwrap_or_else(|e| panic!("{text:?} → {written:?} fails: {e:?}"));
                assert_eq!(again.date, p.date, "{text:?} → {written:?}");
            }
        }
        Err(e) => {
            assert!(text.get(e.span.clone()).is_some(), "error span {:?} not a slice of {text:?}", e.span);
        }
    }
});
