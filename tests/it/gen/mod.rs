//! Generators of random-but-plausible goal sheets for the property tests (`props_*.rs`).
//!
//! Values look like what municipal staff type: quantities with units, comparators and
//! reference annotations, full-width digits (`１，７００件`), the grade variants (`〇` for `○`,
//! `✕`), era and Western dates, stray spaces (ASCII and ideographic), line breaks in cells.
//! [`Charset::ShiftJis`] restricts every text to characters Shift_JIS can hold (and that the
//! CSV writer does not replace with a lookalike), so a Shift_JIS round trip can be exact.

use goalsheet::model::{Document, Entry, Indicator, Sheet};
use proptest::prelude::*;
use proptest::sample::select;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Anything, including emoji and characters outside Shift_JIS (𠮷).
    Unicode,
    /// Only what Shift_JIS encodes exactly.
    ShiftJis,
}

const WORDS: &[&str] = &[
    "市民",
    "相談",
    "窓口",
    "の",
    "満足度",
    "向上",
    "件数",
    "パスポート",
    "申請",
    "受付",
    "推進",
    "男女共同参画",
    "消費生活",
    "啓発",
    "講座",
    "を",
    "実施",
    "する",
    "。",
    "、",
    "（",
    "）",
    "「",
    "」",
    "業務改善",
    "地域",
    "協働",
    "R5",
    "前年度",
    "比",
    "%",
    "校",
    "回",
    "及び",
    "・",
    "ＤＸ",
    "デジタル化",
    "Ⅰ",
    "①",
    "～",
];

/// Characters outside Shift_JIS or otherwise awkward, mixed in only for [`Charset::Unicode`].
const EXOTIC: &[&str] = &["𠮷", "😀", "🇯🇵", "髙", "﨑", "\u{301C}", "é", "Ω", "\u{200B}", "👨‍👩‍👧"];

const SPACES: &[&str] = &["", "", "", " ", "\u{3000}", "  ", "\n"];

fn pad() -> impl Strategy<Value = (&'static str, &'static str)> {
    (select(SPACES), select(SPACES))
}

/// Free text of a few words, with line breaks and (Unicode only) exotic characters.
pub fn words(cs: Charset, max: usize) -> BoxedStrategy<String> {
    let piece = if cs == Charset::Unicode {
        prop_oneof![8 => select(WORDS), 1 => select(EXOTIC), 1 => Just("\n")].boxed()
    } else {
        prop_oneof![9 => select(WORDS), 1 => Just("\n")].boxed()
    };
    prop::collection::vec(piece, 1..max.max(2)).prop_map(|v| v.concat()).boxed()
}

/// Digits in ASCII or full width (`１２`), as a person might type them.
fn digits(n: u32, wide: bool) -> String {
    let s = n.to_string();
    if wide {
        s.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)).collect()
    } else {
        s
    }
}

/// A target or result: a quantity (`1,700件`, `4.6以上`, `△0.52%\n(R6:87.63%)`,
/// `１回`), a qualitative phrase, or nothing.
pub fn quantity(cs: Charset) -> BoxedStrategy<String> {
    let unit = select(&["", "", "件", "回", "%", "％", "校", "点", "人", "箇所", "千円"][..]);
    let cmp = select(&["", "", "", "以上", "以下", "未満"][..]);
    let num =
        (0u32..50_000, any::<bool>(), 0u32..3, any::<bool>(), any::<bool>()).prop_map(|(n, wide, dec, sep, neg)| {
            let int = if sep && n >= 1000 {
                let s = n.to_string();
                let (a, b) = s.split_at(s.len() - 3);
                format!("{a},{b}")
            } else {
                n.to_string()
            };
            let mut s = if neg { format!("△{int}") } else { int };
            if dec > 0 {
                s.push('.');
                s.push_str(&"5".repeat(dec as usize));
            }
            if wide {
                s = s
                    .chars()
                    .map(|c| match c {
                        '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
                        ',' => '，',
                        '.' => '．',
                        c => c,
                    })
                    .collect();
            }
            s
        });
    let annotation = prop_oneof![
        3 => Just(String::new()),
        1 => (1u32..7, 0u32..999, any::<bool>()).prop_map(|(y, v, wide)| format!("\n（R{}：{}件）", digits(y, wide), v)),
        1 => (0u32..100).prop_map(|v| format!("\n（{v}％）")),
    ];
    let numeric = (num, unit, cmp, annotation, pad()).prop_map(|(n, u, c, a, (l, r))| format!("{l}{n}{u}{c}{a}{r}"));
    prop_oneof![
        6 => numeric,
        2 => words(cs, 4),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// Grades as typed; `✕` (U+2715) only for [`Charset::Unicode`]: Shift_JIS has no such
/// character (the Shift_JIS export reports it instead of writing it).
pub fn grade(cs: Charset) -> BoxedStrategy<String> {
    let all: &'static [&'static str] = &["○", "〇", "◯", "△", "×", "✕", "x", "X", "", "○ "];
    let sjis: &'static [&'static str] = &["○", "〇", "◯", "△", "×", "x", "X", "", "○ "];
    (select(if cs == Charset::Unicode { all } else { sjis }), pad())
        .prop_map(|(g, (l, r))| format!("{l}{g}{r}"))
        .boxed()
}

pub fn date() -> BoxedStrategy<String> {
    let y = 2019i32..2027;
    (y, 1u32..13, 1u32..29, 0u32..5, pad())
        .prop_map(|(y, m, d, style, (l, r))| {
            let reiwa = y - 2018;
            let core = match style {
                0 => format!("R{reiwa}.{m}.{d}"),
                1 => format!("令和{reiwa}年{m}月{d}日"),
                2 => format!("{y}/{m}/{d}"),
                3 => format!("Ｒ{}．{}．{}", digits(reiwa as u32, true), digits(m, true), digits(d, true)),
                _ => String::new(),
            };
            // A leading line break would not survive Excel's date cell anyway; keep pads plain.
            let l = if l == "\n" { "" } else { l };
            let r = if r == "\n" { "" } else { r };
            format!("{l}{core}{r}")
        })
        .boxed()
}

pub fn fiscal_year() -> BoxedStrategy<String> {
    (select(&["令和6年度", "令和６年度", "R6", "Ｒ６年度", "2024", "令和7年度", " 令和6年度 ", ""][..]))
        .prop_map(str::to_string)
        .boxed()
}

/// `No.` as typed: `3`, `３`, ` 3`, or (when `blank` is allowed) nothing.
pub fn no(i: usize, blank: bool) -> BoxedStrategy<String> {
    let n = (i + 1) as u32;
    let blank_weight = if blank { 1 } else { 0 };
    prop_oneof![6 => Just(n.to_string()), 1 => Just(digits(n, true)), 1 => Just(format!(" {n}")), blank_weight => Just(String::new())]
        .boxed()
}

pub fn indicator(cs: Charset) -> BoxedStrategy<Indicator> {
    (words(cs, 5), words(cs, 3), quantity(cs), quantity(cs), words(cs, 4), words(cs, 8), words(cs, 8), words(cs, 6))
        .prop_map(|(name, plan_ref, target, result, initiative, summary, status, policy)| Indicator {
            name,
            plan_ref,
            target,
            result,
            initiative,
            summary,
            status,
            policy,
            ..Indicator::default()
        })
        .boxed()
}

/// One to `max` entries; `blank_no`: whether `No.` may be left empty.
pub fn entries(cs: Charset, max: usize, blank_no: bool) -> BoxedStrategy<Vec<Entry>> {
    prop::collection::vec((words(cs, 6), grade(cs), prop::collection::vec(indicator(cs), 1..3)), 1..max.max(2))
        .prop_flat_map(move |v| {
            let n = v.len();
            let nos: Vec<_> = (0..n).map(|i| no(i, blank_no)).collect();
            (Just(v), nos)
        })
        .prop_map(|(v, nos)| {
            v.into_iter()
                .zip(nos)
                .map(|((goal, grade, indicators), no)| Entry { no, goal, grade, indicators, ..Entry::default() })
                .collect()
        })
        .boxed()
}

/// A goal sheet of `division` (distinct divisions keep sheet names distinct).
pub fn sheet(cs: Charset, division: &'static str, blank_no: bool) -> BoxedStrategy<Sheet> {
    (fiscal_year(), date(), date(), words(cs, 4), entries(cs, 4, blank_no))
        .prop_map(move |(fiscal_year, created, evaluated, policy_indicators, entries)| Sheet {
            fiscal_year,
            created,
            evaluated,
            department: "市民生活部".into(),
            division: division.into(),
            policy_indicators,
            entries,
            ..Sheet::default()
        })
        .boxed()
}

/// A document of one to three sheets. `blank_no`: whether an entry's `No.` may be empty (the
/// reader cannot tell a one-row entry without `No.` from a continuation row; see
/// docs/hardening.md).
pub fn document(cs: Charset, blank_no: bool) -> BoxedStrategy<Document> {
    (
        sheet(cs, "市民生活課", blank_no),
        prop::option::of(sheet(cs, "広聴相談課", blank_no)),
        prop::option::of(sheet(cs, "消費生活センター", blank_no)),
    )
        .prop_map(|(a, b, c)| Document {
            sheets: [Some(a), b, c].into_iter().flatten().collect(),
            ..Document::default()
        })
        .boxed()
}

/// The values only: provenance (cells, merges, typed cells, sheet names, found labels, text
/// dates) cleared.
pub fn values(mut doc: Document) -> Document {
    use goalsheet::model::{Cells, Merged, Typed};
    doc.source = None;
    for s in &mut doc.sheets {
        (s.cells, s.merged) = (Cells::default(), Merged::default());
        // How a value was stored (a number with its format, a date cell) is provenance too.
        s.typed = Typed::default();
        s.year_labels.clear();
        for x in &mut s.extras {
            x.typed = None;
        }
        s.sheet.clear();
        s.target_label.clear();
        s.result_label.clear();
        // How a date cell was stored (text or date) is provenance, not a value.
        s.text_dates.clear();
        for e in &mut s.entries {
            (e.cells, e.merged, e.typed) = (Cells::default(), Merged::default(), Typed::default());
            for i in &mut e.indicators {
                (i.cells, i.merged, i.typed) = (Cells::default(), Merged::default(), Typed::default());
            }
        }
    }
    doc
}

/// The first place where two documents differ (`sheets[0].entries[1].indicators[0].target:
/// "1件" ≠ "1 件"`), through their JSON form; `None` when they are equal.
pub fn difference(left: &Document, right: &Document) -> Option<String> {
    fn walk(path: &str, a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
        use serde_json::Value::{Array, Object};
        match (a, b) {
            (Object(x), Object(y)) => {
                let keys: std::collections::BTreeSet<_> = x.keys().chain(y.keys()).collect();
                keys.into_iter().find_map(|k| {
                    let null = serde_json::Value::Null;
                    walk(&format!("{path}.{k}"), x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null))
                })
            }
            (Array(x), Array(y)) if x.len() == y.len() => {
                x.iter().zip(y).enumerate().find_map(|(i, (p, q))| walk(&format!("{path}[{i}]"), p, q))
            }
            _ if a == b => None,
            _ => Some(format!("{path}: {a} ≠ {b}")),
        }
    }
    let a = serde_json::to_value(left).ok()?;
    let b = serde_json::to_value(right).ok()?;
    walk("", &a, &b)
}
