//! The quantity parser on any text: no panic, and every span it returns is a valid
//! char-boundary slice of the input (rules and fixes slice the user's text with them).
#![no_main]

use goalsheet::grammar::quantity::{halfwidth_numeric, parse_quantity, Number, Parsed};
use libfuzzer_sys::fuzz_target;
use std::ops::Range;

fn slice_ok(text: &str, span: &Range<usize>, what: &str) {
    assert!(span.start <= span.end, "{what}: reversed span {span:?} in {text:?}");
    assert!(text.get(span.clone()).is_some(), "{what}: span {span:?} is not a char-boundary slice of {text:?}");
}

fn number_ok(text: &str, n: &Number) {
    slice_ok(text, &n.span, "number");
    if let Some(u) = &n.unit_span {
        slice_ok(text, u, "unit");
        assert!(u.start >= n.span.start && u.end <= n.span.end, "unit {u:?} outside number {:?} in {text:?}", n.span);
    }
    let _ = n.to_text();
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_quantity(text) {
        Parsed::Numeric(q) => {
            number_ok(text, &q.main);
            if let Some((_, span)) = &q.comparator {
                slice_ok(text, span, "comparator");
            }
            for a in &q.annotations {
                slice_ok(text, a.span(), "annotation");
                number_ok(text, a.value());
            }
            for w in &q.fullwidth {
                slice_ok(text, w, "full-width");
            }
            // The canonical text is itself a quantity with the same value.
            let canon = q.to_text();
            match parse_quantity(&canon) {
                Parsed::Numeric(c) => assert_eq!(c.main.value, q.main.value, "{text:?} → {canon:?}"),
                other => panic!("canonical text {canon:?} of {text:?} parses as {other:?}"),
            }
        }
        Parsed::Malformed { span, .. } => slice_ok(text, &span, "malformed"),
        // Several labelled values (`白ネギ80ha アスパラ 42,150千円`): each keeps its label.
        Parsed::Several(items) => assert!(items.len() >= 2 && items.iter().all(|i| !i.label.is_empty()), "{text:?}"),
        Parsed::Empty | Parsed::Qualitative => {}
    }
    if let Some(half) = halfwidth_numeric(text) {
        // Folding is idempotent: nothing left to fold.
        assert_eq!(halfwidth_numeric(&half), None, "{text:?} → {half:?}");
    }
});
