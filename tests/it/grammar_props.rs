//! Round trips and robustness of the value grammars (`src/grammar/`).
//!
//! What is written by the tool (canonical text, formatted dates, year labels) must read back
//! as the same value; and no text a user can type may panic a parser or produce a span that
//! does not point into the text.

use chrono::{Datelike, NaiveDate};
use goalsheet::grammar::date::{format_date, from_excel_serial, parse_date, to_excel_serial, DateStyle};
use goalsheet::grammar::grade::parse_grade;
use goalsheet::grammar::quantity::{
    halfwidth_numeric, parse_quantity, Annotation, Comparator, Number, Parsed, Quantity, Shape, UNITS,
};
use goalsheet::grammar::year::{parse_fiscal_year, parse_header_year, parse_year_arg};
use goalsheet::layout::{column_label, fiscal_year_text, ColumnLabel};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn units() -> Vec<&'static str> {
    let mut u: Vec<&'static str> = UNITS.iter().map(|(_, n)| *n).collect();
    u.sort_unstable();
    u.dedup();
    u
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (0i64..1_000_000_000_000, 0u32..=4, any::<bool>()).prop_map(|(m, scale, negative)| {
        let d = Decimal::new(m, scale);
        if negative && !d.is_zero() {
            -d
        } else {
            d
        }
    })
}

fn unit() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(proptest::sample::select(units()).prop_map(str::to_string))
}

fn number() -> impl Strategy<Value = Number> {
    (decimal(), unit()).prop_map(|(value, unit)| Number { value, unit, span: 0..0, unit_span: None })
}

fn comparator() -> impl Strategy<Value = Option<Comparator>> {
    proptest::option::of(proptest::sample::select(Comparator::ALL.to_vec()))
}

fn annotation() -> impl Strategy<Value = Annotation> {
    let year = proptest::option::of(prop_oneof![
        (1i32..40).prop_map(|n| format!("R{n}")),
        (1i32..31).prop_map(|n| format!("H{n}年度")),
        Just("前年度".to_string()),
    ]);
    (year, number()).prop_map(|(year, value)| match year {
        Some(year) => Annotation::Reference { year, value, span: 0..0 },
        None => Annotation::Secondary { value, span: 0..0 },
    })
}

fn quantity() -> impl Strategy<Value = Quantity> {
    (number(), comparator(), proptest::collection::vec(annotation(), 0..3)).prop_map(
        |(main, comparator, annotations)| Quantity {
            main,
            shape: Shape::Point,
            comparator: comparator.map(|c| (c, 0..0)),
            annotations,
            fullwidth: Vec::new(),
        },
    )
}

/// An annotation without spans: (year label, value, unit).
type AnnotationEssence = (Option<String>, String, Option<String>);
/// A quantity without spans: (value, unit, comparator, annotations).
type Essence = (String, Option<String>, Option<Comparator>, Vec<AnnotationEssence>);

/// The parts that matter, without spans.
fn essence(q: &Quantity) -> Essence {
    let ann = q
        .annotations
        .iter()
        .map(|a| {
            let year = match a {
                Annotation::Reference { year, .. } => Some(year.clone()),
                Annotation::Secondary { .. } => None,
            };
            let v = a.value();
            (year, v.value.normalize().to_string(), v.unit.clone())
        })
        .collect();
    (q.main.value.normalize().to_string(), q.main.unit.clone(), q.comparator(), ann)
}

/// Full-width forms of digits and of `,` `.` `%` `-` (what people type with the IME on).
fn widen(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | ',' | '.' | '%' | '-' | ':' | '(' | ')' => {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            }
            _ => c,
        })
        .collect()
}

fn span_ok(text: &str, span: &std::ops::Range<usize>) -> bool {
    span.start <= span.end && text.get(span.clone()).is_some()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn quantity_round_trips_through_canonical_text(q in quantity()) {
        let text = q.to_text();
        let back = match parse_quantity(&text) {
            Parsed::Numeric(b) => b,
            other => return Err(TestCaseError::fail(format!("{text:?} → {other:?}"))),
        };
        prop_assert_eq!(essence(&back), essence(&q), "{:?}", text);
        prop_assert_eq!(back.main.value, q.main.value);
        prop_assert!(back.fullwidth.is_empty());
        prop_assert_eq!(back.to_text(), text.clone());
        prop_assert!(span_ok(&text, &back.main.span));
        prop_assert_eq!(back.main.span.start, 0);
    }

    #[test]
    fn full_width_reads_the_same_and_folds_back(q in quantity()) {
        let text = q.to_text();
        let wide = widen(&text);
        let back = match parse_quantity(&wide) {
            Parsed::Numeric(b) => b,
            other => return Err(TestCaseError::fail(format!("{wide:?} → {other:?}"))),
        };
        prop_assert_eq!(essence(&back), essence(&q), "{:?}", wide);
        prop_assert!(!back.fullwidth.is_empty());
        for s in &back.fullwidth {
            prop_assert!(span_ok(&wide, s));
        }
        let half = halfwidth_numeric(&wide);
        prop_assert!(half.is_some());
        let half = half.unwrap_or_default();
        match parse_quantity(&half) {
            Parsed::Numeric(h) => {
                prop_assert_eq!(essence(&h), essence(&q));
                prop_assert!(h.fullwidth.is_empty(), "{:?} still has full-width parts", half);
            }
            other => return Err(TestCaseError::fail(format!("{half:?} → {other:?}"))),
        }
        prop_assert_eq!(halfwidth_numeric(&half), None);
    }

    #[test]
    fn date_round_trips_in_every_style(days in 0i64..(173 * 366), s in 0usize..3) {
        let style = [DateStyle::EraShort, DateStyle::EraLong, DateStyle::Western][s];
        let first = NaiveDate::from_ymd_opt(1927, 1, 1).unwrap_or_default();
        let date = first + chrono::Duration::days(days);
        prop_assume!(date.year() <= 2100);
        let text = format_date(date, style);
        let parsed = parse_date(&text);
        prop_assert!(parsed.is_ok(), "{} → {:?}", text, parsed);
        let parsed = parsed.unwrap_or_else(|_| unreachable!());
        prop_assert_eq!(parsed.date, date, "{}", text);
        prop_assert_eq!(parsed.style, style, "{}", text);
        prop_assert_eq!(to_excel_serial(date).and_then(from_excel_serial), Some(date));
    }

    #[test]
    fn fiscal_year_round_trips(reiwa in 1i32..300) {
        for text in [fiscal_year_text(reiwa), format!("R{reiwa}"), format!("Ｒ{reiwa}年度"), format!("{}", reiwa + 2018)] {
            prop_assert_eq!(parse_fiscal_year(&text).map(|y| y.reiwa()), Some(reiwa), "{}", text);
            prop_assert_eq!(parse_year_arg(&text).map(|y| y.reiwa()), Some(reiwa), "{}", text);
        }
        for l in [ColumnLabel::Target, ColumnLabel::Result] {
            let label = column_label(l, Some(reiwa));
            prop_assert_eq!(parse_header_year(&label).map(|y| y.reiwa()), Some(reiwa), "{}", label);
        }
    }

    #[test]
    fn no_text_panics_or_points_outside(text in "\\PC{0,24}") {
        match parse_quantity(&text) {
            Parsed::Malformed { span, reason } => {
                prop_assert!(span_ok(&text, &span), "{:?} {:?}", text, span);
                prop_assert!(!reason.ja.is_empty() && !reason.en.is_empty());
            }
            Parsed::Numeric(q) => {
                prop_assert!(span_ok(&text, &q.main.span));
                for s in &q.fullwidth {
                    prop_assert!(span_ok(&text, s));
                }
            }
            Parsed::Several(items) => {
                prop_assert!(items.len() >= 2);
                for q in items.iter().map(|i| &i.quantity) {
                    prop_assert!(span_ok(&text, &q.main.span));
                }
            }
            Parsed::Empty | Parsed::Qualitative => {}
        }
        if let Err(e) = parse_date(&text) {
            prop_assert!(span_ok(&text, &e.span), "{:?} {:?}", text, e.span);
        }
        let _ = parse_grade(&text);
        let _ = parse_fiscal_year(&text);
        let _ = parse_header_year(&text);
        let _ = halfwidth_numeric(&text);
    }

    #[test]
    fn quantity_like_text_never_panics(text in "[0-9０-９,，.．%％△▲\\-－()（）:：R件回以上下未満超 \n]{0,16}") {
        match parse_quantity(&text) {
            Parsed::Malformed { span, .. } => prop_assert!(span_ok(&text, &span)),
            Parsed::Numeric(q) => {
                for a in &q.annotations {
                    prop_assert!(span_ok(&text, a.span()));
                }
            }
            _ => {}
        }
        if let Err(e) = parse_date(&text) {
            prop_assert!(span_ok(&text, &e.span));
        }
    }

    #[test]
    fn excel_serials_never_panic(x in any::<f64>()) {
        if let Some(d) = from_excel_serial(x) {
            prop_assert!((1900..=9999).contains(&d.year()));
        }
    }
}
