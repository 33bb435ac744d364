//! Targets and results (Ｒ６目標 / Ｒ６結果): quantities, qualitative values, and the mistakes
//! in between.
//!
//! # Grammar
//! Read after width folding (`１，７００．５％` reads as `1,700.5%`, see [`crate::grammar`]);
//! byte spans always point into the original text. Surrounding whitespace is ignored.
//!
//! ```text
//! quantity   = number [shape] [comparator] { ws annotation } [tail]
//! number     = [sign] digits {magnitude digits} [unit]  (spaces allowed before the unit)
//! sign       = △ | ▲ | - | − (U+2212) | － | +         (△ ▲: Japanese accounting minus)
//! digits     = d{1,3} { "," ddd } [ "." d+ ]  |  d+ [ "." d+ ]
//! magnitude  = 千 | 万 | 億 | 兆 | 百万 | 千万          (`1兆7,319億円`, `36万6千時間`: multiplied out)
//! unit       = a unit of UNITS | any counter word        (`108組織`, `300a`, `15頭`, `m3`)
//!              [ "/" (number | word) ]                  (`1,000kg/10a`, `4万m3/年`)
//! shape      = (→ | ⇒ | ->) number                      (a change: the last value is the value)
//!            | (〜 | ~) number                          (a range `23.4〜30.7%`)
//!            | "/" number                               (a ratio `6戸/15戸`, same unit or none)
//! comparator = 以上 (≥) | 以下 (≤) | 以内 (≤) | 未満 (<) | 超 (>)   (after the number)
//! annotation = "(" [label (":" | ws)] number ")"       (half- or full-width brackets and colon)
//! label      = text before ":" (`R5`, `R5年度`, `前年度`), or an era year without ":" (`R5 290件`)
//! tail       = words or bracketed notes holding no other figure outside brackets
//!              (`4地区実施`, `20集落で開催 (延べ182人参加)`, `300件（見込み）`)
//! ```
//!
//! An annotation with a label is a [`Annotation::Reference`] (`（R5：290件）`); without one it is
//! a [`Annotation::Secondary`] quantity (`（100％）`, the year's increase in `263(4)`).
//!
//! Units come from a table ([`UNITS`]) and are normalized: `％` and `パーセント` → `%`,
//! `か所`/`ヶ所`/`カ所`/`個所` → `箇所`, `ヶ国`/`カ国` → `か国`, `ヶ月`/`カ月`/`箇月` → `か月`,
//! `pt` → `ポイント`, `名` → `人`, `店` → `店舗`, `日間`/`週間`/`分間`/`秒間` → `日`/`週`/`分`/`秒`. A counter word not in the table is a unit as written: Latin letters
//! (with digits after them), up to two kanji, or katakana, never a comparator. Kanji
//! magnitudes are multiplied out, so `42,150千円` is 42,150,000 `円` and compares with
//! `4,215万円`.
//!
//! Besides one quantity from the first character, a cell may hold:
//! - a label before the quantity (`開催回数3回`, `月1人当たり平均 9.8時間`, `年間300件`): the
//!   quantity is the value. Not when the words before it end in an era, `第`, `年` or `月`, or
//!   hold another figure (other than a "per": `1人当たり`), and never from inside brackets;
//! - several labelled quantities separated by blanks, `、` or `・` (`白ネギ80ha アスパラ
//!   42,150千円`): [`Parsed::Several`], compared pairwise when target and result list the same
//!   labels ([`achieved_parsed`]).
//!
//! # Numeric, qualitative or malformed
//! The question is whether the text *is* a quantity with a mistake in it (worth telling the
//! author: [`Parsed::Malformed`]) or words that happen to contain a number (valid, but no
//! numeric check applies: [`Parsed::Qualitative`]). The rule:
//!
//! 1. Text that has no quantity in any of the forms above is **qualitative**: `推進`,
//!    `次期事業者の選定`, `前年より減少率（△0.35％）を鈍化させる（R5：88.15％）`.
//!    Exception: text that starts with a bracket whose content is a quantity annotation
//!    (`（R5：290件）` alone, `(R5：290件` unclosed) is **malformed**: the main value is missing.
//! 2. Once it starts with a number, mistakes *inside the quantity's own vocabulary* are
//!    **malformed**, with the span on the bad part:
//!    - thousands separators out of place (`1,7000件`, `1,,000`, `12,34`), separators in the
//!      decimals, two decimal points (`1.2.3件`), a point with no digits after it (`5.件`),
//!      a number with no digit before the point (`.5`);
//!    - a unit or comparator repeated or misplaced after a complete quantity and standing
//!      alone (`12回回`, `80%%`, `80％以上以上`, `80以上%`);
//!    - brackets: unclosed (`300件（R5：290件`), stray `）`, empty (`300件（）`,
//!      `300件（R5：）`), or a labelled reference whose value is not a number (`（R5：不明）`).
//!
//!    A quantity after a label is never malformed: a label path that does not read is words.
//! 3. A number followed by words holding **another figure** is **qualitative**: the numbers are
//!    part of a sentence (`4地区で3回実施`), and so is a date or deadline (`2025年度までに策定`,
//!    `10月から実施`: a time-point unit followed by words). Guessing which figure counts would
//!    produce confident wrong verdicts; staying silent is the safer failure.
//!
//! # Achievement
//! [`achieved`] compares a result with a target in the target's direction: the target's
//! comparator if written; otherwise higher is better (≥), except a target of 0, which can only
//! mean "at most" (≤). Equal counts as met. Both sides must have the same normalized unit; a
//! unit written on one side only is taken as the other's (target `300a`, result `285`: a
//! reader reads 285a; GS203 asks for the unit). Ranges and ratios: see [`achieved`].
//! Directions are never guessed from indicator names.

use crate::lang::Msg;
use rust_decimal::Decimal;
use std::ops::Range;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

use super::{fold, span_of, trimmed, Folded};

/// `以上` `以下` `以内` `未満` `超`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// 以上 (≥)
    AtLeast,
    /// 以下 (≤)
    AtMost,
    /// 以内 (≤, "within": `30分以内`, `14日以内`)
    Within,
    /// 未満 (<)
    LessThan,
    /// 超 (>)
    MoreThan,
}

impl Comparator {
    /// All five, in the order the grammar tries them.
    pub const ALL: [Comparator; 5] =
        [Comparator::AtLeast, Comparator::AtMost, Comparator::Within, Comparator::LessThan, Comparator::MoreThan];

    /// The word as written after the number.
    pub fn text(self) -> &'static str {
        match self {
            Comparator::AtLeast => "以上",
            Comparator::AtMost => "以下",
            Comparator::Within => "以内",
            Comparator::LessThan => "未満",
            Comparator::MoreThan => "超",
        }
    }

    /// `≥` `≤` `<` `>`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost | Comparator::Within => "≤",
            Comparator::LessThan => "<",
            Comparator::MoreThan => ">",
        }
    }

    /// Whether `value` satisfies "`value` *comparator* `bound`".
    pub fn holds(self, value: Decimal, bound: Decimal) -> bool {
        match self {
            Comparator::AtLeast => value >= bound,
            Comparator::AtMost | Comparator::Within => value <= bound,
            Comparator::LessThan => value < bound,
            Comparator::MoreThan => value > bound,
        }
    }
}

/// A signed exact number with its unit, and where each part sits in the text (byte spans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub value: Decimal,
    /// Normalized unit (`%` for `％`), `None` when there is none.
    pub unit: Option<String>,
    /// The whole number including sign and unit.
    pub span: Range<usize>,
    /// Just the unit.
    pub unit_span: Option<Range<usize>>,
}

impl Number {
    /// Canonical text: `1,700件`, `△0.52%`, `4.6`.
    pub fn to_text(&self) -> String {
        let mut s = format_decimal(self.value);
        if let Some(u) = &self.unit {
            s.push_str(u);
        }
        s
    }
}

/// What a parenthesised annotation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annotation {
    /// `（R5：290件）`: a reference value with its year label.
    Reference { year: String, value: Number, span: Range<usize> },
    /// `（100％）`: a secondary quantity.
    Secondary { value: Number, span: Range<usize> },
}

impl Annotation {
    /// The annotation's number.
    pub fn value(&self) -> &Number {
        match self {
            Annotation::Reference { value, .. } | Annotation::Secondary { value, .. } => value,
        }
    }

    /// The whole annotation, brackets included.
    pub fn span(&self) -> &Range<usize> {
        match self {
            Annotation::Reference { span, .. } | Annotation::Secondary { span, .. } => span,
        }
    }

    /// Canonical text: `（R5：290件）`, `（100%）`.
    pub fn to_text(&self) -> String {
        match self {
            Annotation::Reference { year, value, .. } => format!("（{year}：{}）", value.to_text()),
            Annotation::Secondary { value, .. } => format!("（{}）", value.to_text()),
        }
    }
}

/// What the main number stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// One value (`80%`, or the last of a change `1.2→3.1ha`).
    Point,
    /// `23.4〜30.7%`: from `low` to the main number.
    Range { low: Decimal },
    /// `6戸/15戸`: the main number out of `denominator`.
    Ratio { denominator: Number },
}

/// A numeric target or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub main: Number,
    pub shape: Shape,
    pub comparator: Option<(Comparator, Range<usize>)>,
    pub annotations: Vec<Annotation>,
    /// Spans of full-width digits or symbols (`１`, `％`, `，`) in the numeric parts.
    pub fullwidth: Vec<Range<usize>>,
}

impl Quantity {
    /// Canonical text: the main number, its comparator, then each annotation on its own line
    /// (`300件\n（R5：290件）`). Half-width digits, `%` for `％`, `△` for minus, thousands
    /// separators from 1,000 on, decimals as written (`95.0%` stays `95.0%`), kanji
    /// magnitudes multiplied out (`965万人` → `9,650,000人`).
    pub fn to_text(&self) -> String {
        let mut s = match &self.shape {
            Shape::Point => String::new(),
            Shape::Range { low } => format!("{}〜", format_decimal(*low)),
            Shape::Ratio { .. } => String::new(),
        };
        s.push_str(&self.main.to_text());
        if let Shape::Ratio { denominator } = &self.shape {
            s.push('/');
            s.push_str(&denominator.to_text());
        }
        if let Some((c, _)) = &self.comparator {
            s.push_str(c.text());
        }
        for a in &self.annotations {
            s.push('\n');
            s.push_str(&a.to_text());
        }
        s
    }

    /// The comparator, if one was written.
    pub fn comparator(&self) -> Option<Comparator> {
        self.comparator.as_ref().map(|(c, _)| *c)
    }
}

/// What a target or result cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// Nothing.
    Empty,
    /// A quantity.
    Numeric(Quantity),
    /// Two or more labelled quantities in one cell (`白ネギ80ha アスパラ 42,150千円`).
    Several(Vec<Labelled>),
    /// Words (`推進`, `次期事業者の選定`): valid, but numeric checks cannot apply.
    Qualitative,
    /// Looks like a quantity but part of it is wrong.
    Malformed { span: Range<usize>, reason: Msg },
}

/// One value of a cell holding several: its label (`白ネギ`) and quantity (`80ha`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub label: String,
    pub quantity: Quantity,
}

impl Parsed {
    /// The quantity, when numeric.
    pub fn quantity(&self) -> Option<&Quantity> {
        match self {
            Parsed::Numeric(q) => Some(q),
            _ => None,
        }
    }
}

/// Units as written (after width folding) and their normalized form. Longest match wins.
pub const UNITS: &[(&str, &str)] = &[
    ("%", "%"),
    ("パーセント", "%"),
    ("割", "割"),
    ("件", "件"),
    ("回", "回"),
    ("校", "校"),
    ("点", "点"),
    ("人", "人"),
    ("人日", "人日"),
    // 名 is the formal counter for people: `100人` and `120名` count the same thing.
    ("名", "人"),
    ("者", "者"),
    ("箇所", "箇所"),
    ("か所", "箇所"),
    ("ヶ所", "箇所"),
    ("ケ所", "箇所"),
    ("カ所", "箇所"),
    ("ヵ所", "箇所"),
    ("個所", "箇所"),
    ("団体", "団体"),
    ("社", "社"),
    ("日", "日"),
    ("日間", "日"),
    ("時間", "時間"),
    ("分", "分"),
    ("分間", "分"),
    ("秒", "秒"),
    ("秒間", "秒"),
    ("週", "週"),
    ("週間", "週"),
    ("か月", "か月"),
    ("ヶ月", "か月"),
    ("ケ月", "か月"),
    ("カ月", "か月"),
    ("ヵ月", "か月"),
    ("箇月", "か月"),
    ("年", "年"),
    ("年度", "年度"),
    ("月", "月"),
    ("歳", "歳"),
    ("円", "円"),
    ("ポイント", "ポイント"),
    ("pt", "ポイント"),
    ("倍", "倍"),
    ("本", "本"),
    ("冊", "冊"),
    ("台", "台"),
    ("個", "個"),
    ("枚", "枚"),
    ("戸", "戸"),
    ("棟", "棟"),
    ("店舗", "店舗"),
    ("店", "店舗"),
    ("世帯", "世帯"),
    ("施設", "施設"),
    ("事業", "事業"),
    ("事業所", "事業所"),
    ("園", "園"),
    ("地区", "地区"),
    ("地域", "地域"),
    ("講座", "講座"),
    ("種類", "種類"),
    ("項目", "項目"),
    ("分野", "分野"),
    ("路線", "路線"),
    ("便", "便"),
    ("か国", "か国"),
    ("ヶ国", "か国"),
    ("ケ国", "か国"),
    ("カ国", "か国"),
    ("ヵ国", "か国"),
    ("km", "km"),
    ("m", "m"),
    ("kg", "kg"),
    ("t", "t"),
    ("ha", "ha"),
    ("m2", "m2"),
    ("㎡", "m2"),
    ("m3", "m3"),
    ("組織", "組織"),
    ("組合", "組合"),
    ("集落", "集落"),
    ("法人", "法人"),
    ("企業", "企業"),
];

/// The longest text (in characters) read for a label before a quantity or several values.
const MAX_LABELLED_CHARS: usize = 120;

/// Kanji magnitudes that scale the number before them (`965万人`, `1兆7,319億円`), longest
/// first, with their power of ten.
const MAGNITUDES: [(&str, u32); 6] = [("千万", 7), ("百万", 6), ("兆", 12), ("億", 8), ("万", 4), ("千", 3)];

/// Units that name a point in time: a number with one of them followed by words is a date
/// or a deadline (`2025年度までに策定`, `10月から実施`), not a quantity.
const TIME_POINTS: [&str; 4] = ["年", "年度", "月", "日"];

/// Qualitative outcomes a result may say instead of a figure (see [`qualitative_outcome`]).
pub const OUTCOMES: &[&str] = &[
    "中止",
    "延期",
    "休止",
    "廃止",
    "未実施",
    "実施せず",
    "実績なし",
    "該当なし",
    "対象外",
    "なし",
    "集計中",
    "未集計",
    "調査中",
    "算定中",
    "算出中",
    "精査中",
    "確定前",
    "未確定",
    "未公表",
    "公表前",
    "-",
    "−",
    "ー",
    "―",
    "—",
];

/// A unit of [`UNITS`] split for lookup by its first character.
struct UnitEntry {
    first: char,
    /// The written form after its first character.
    rest: &'static str,
    /// The written form's length in characters.
    len: usize,
    normalized: &'static str,
}

/// [`UNITS`] sorted by first character (stably, so the table's order is kept among units that
/// share one): the parser tries only the few units that can match where it stands, instead of
/// the whole table at every position.
fn units_by_first() -> &'static [UnitEntry] {
    static TABLE: OnceLock<Vec<UnitEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<UnitEntry> = UNITS
            .iter()
            .filter_map(|&(written, normalized)| {
                let first = written.chars().next()?;
                let rest = written.get(first.len_utf8()..)?;
                Some(UnitEntry { first, rest, len: written.chars().count(), normalized })
            })
            .collect();
        table.sort_by_key(|u| u.first);
        table
    })
}

/// Parses a target or result.
pub fn parse_quantity(text: &str) -> Parsed {
    // Fast path: a quantity needs a digit, and text starting with a bracket may be a
    // malformed one; anything else is words, decided without folding the whole text.
    // [`parse_folded`] reaches the same verdict (see the tests).
    match text.chars().find(|c| !c.is_whitespace()) {
        None => return Parsed::Empty,
        Some(c) if !may_start_quantity(c) && !text.chars().any(is_digit_any_width) => return Parsed::Qualitative,
        Some(_) => {}
    }
    parse_folded(text)
}

/// `0`–`9` or `０`–`９`.
fn is_digit_any_width(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Whether a text whose first non-blank character is `c` can be anything but words: `c`
/// folds to a digit, a sign, a point or an opening bracket (or to blanks only, left to the
/// full parser).
fn may_start_quantity(c: char) -> bool {
    let first = if super::foldable(c) { std::iter::once(c).nfkc().find(|f| !f.is_whitespace()) } else { Some(c) };
    first.is_none_or(|f| f.is_ascii_digit() || is_sign(f) || f == '.' || f == '(')
}

/// [`parse_quantity`] without the fast path.
fn parse_folded(text: &str) -> Parsed {
    let chars = fold(text);
    let (start, end) = trimmed(&chars);
    if start == end {
        return Parsed::Empty;
    }
    let mut p = P { ch: &chars, pos: start, end, len: text.len(), wide: Vec::new() };
    match p.quantity(Tail::Words) {
        Ok(Some(q)) => return Parsed::Numeric(q),
        Ok(None) => {}
        Err(Bad(span, reason)) => return Parsed::Malformed { span, reason },
    }
    // A label or several values belong to a short cell; a long text is a sentence (and the
    // searches below would cost its length squared).
    if end - start > MAX_LABELLED_CHARS {
        return Parsed::Qualitative;
    }
    if let Some(items) = p.several(start) {
        return Parsed::Several(items);
    }
    match p.labelled(start) {
        Some(q) => Parsed::Numeric(q),
        None => Parsed::Qualitative,
    }
}

/// The qualitative outcome a result states instead of a figure (`中止`, `未実施`, `実績なし`,
/// `集計中` …, see [`OUTCOMES`]), alone or followed by a remark (`中止（雨天のため）`,
/// `未実施のため実績なし`); `None` for anything else.
pub fn qualitative_outcome(text: &str) -> Option<&'static str> {
    let folded = super::fold_str(text);
    let t = folded.trim();
    OUTCOMES.iter().copied().find(|o| {
        t.strip_prefix(o).is_some_and(|rest| {
            rest.trim().is_empty() || rest.starts_with(|c: char| c.is_whitespace() || "(（「【、。・の".contains(c))
        })
    })
}

/// The text with the full-width digits and symbols of its numeric parts made half-width
/// (`１，７００件\n（Ｒ５：２９０件）` → `1,700件\n（R5：290件）`); `None` when the text is not
/// numeric or has nothing to change. Brackets, colons and any words are left as they are.
pub fn halfwidth_numeric(text: &str) -> Option<String> {
    let Parsed::Numeric(q) = parse_quantity(text) else { return None };
    if q.fullwidth.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in &q.fullwidth {
        out.push_str(text.get(at..span.start)?);
        out.push_str(&super::fold_str(text.get(span.clone())?));
        at = span.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Whether a result meets a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Achievement {
    pub met: bool,
    /// No comparator was written, so "higher is better" (or "at most" for a target of 0) was assumed.
    pub direction_assumed: bool,
}

/// The direction a target asks for, and whether it was assumed (no comparator written).
pub fn direction(target: &Quantity) -> (Comparator, bool) {
    match target.comparator() {
        Some(c) => (c, false),
        None if target.main.value.is_zero() && target.shape == Shape::Point => (Comparator::AtMost, true),
        None => (Comparator::AtLeast, true),
    }
}

/// Compares a result with a target in the target's direction; `None` when no verdict is
/// possible: units disagree (a unit written on one side only is taken as the other's, as a
/// reader would; GS203 asks for it), ratios of different denominators, a ratio against a plain
/// number, or a range that is partly on each side.
///
/// A range target (`23.4〜30.7%`) is met by a result inside it; a range result is met when all
/// of it meets the target, missed when none of it does. A ratio (`7戸/15戸`) compares its
/// numerators when the denominators agree.
pub fn achieved(target: &Quantity, result: &Quantity) -> Option<Achievement> {
    let same_unit = |a: &Number, b: &Number| a.unit == b.unit || a.unit.is_none() || b.unit.is_none();
    if !same_unit(&target.main, &result.main) {
        return None;
    }
    match (&target.shape, &result.shape) {
        (Shape::Ratio { denominator: t }, Shape::Ratio { denominator: r })
            if t.value != r.value || !same_unit(t, r) =>
        {
            return None
        }
        (Shape::Ratio { .. }, Shape::Ratio { .. }) => {}
        (Shape::Ratio { .. }, _) | (_, Shape::Ratio { .. }) => return None,
        _ => {}
    }
    let (cmp, direction_assumed) = direction(target);
    let meets = |v: Decimal| match target.shape {
        Shape::Range { low } if target.comparator.is_none() => {
            low.min(target.main.value) <= v && v <= low.max(target.main.value)
        }
        _ => cmp.holds(v, target.main.value),
    };
    let assumed = direction_assumed && !matches!(target.shape, Shape::Range { .. });
    let met = match result.shape {
        Shape::Range { low } => match (meets(low), meets(result.main.value)) {
            (true, true) => true,
            (false, false) => false,
            _ => return None,
        },
        _ => meets(result.main.value),
    };
    Some(Achievement { met, direction_assumed: assumed })
}

/// [`achieved`] for parsed cells: two quantities, or two cells of several values listing the
/// same labels (met when every pair is met); `None` otherwise.
pub fn achieved_parsed(target: &Parsed, result: &Parsed) -> Option<Achievement> {
    match (target, result) {
        (Parsed::Numeric(t), Parsed::Numeric(r)) => achieved(t, r),
        (Parsed::Several(ts), Parsed::Several(rs)) if ts.len() == rs.len() => {
            let mut all = Achievement { met: true, direction_assumed: false };
            for t in ts {
                let r = rs.iter().find(|r| same_label(&r.label, &t.label))?;
                let a = achieved(&t.quantity, &r.quantity)?;
                all.met &= a.met;
                all.direction_assumed |= a.direction_assumed;
            }
            Some(all)
        }
        _ => None,
    }
}

/// Labels compared as a person reads them: no whitespace, no trailing `:`.
fn same_label(a: &str, b: &str) -> bool {
    let key = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().trim_end_matches(':').to_string();
    key(a) == key(b)
}

/// Canonical decimal: `△` for minus, thousands separators, the scale kept.
fn format_decimal(value: Decimal) -> String {
    let negative = value.is_sign_negative() && !value.is_zero();
    let plain = value.abs().to_string();
    let (int, frac) = match plain.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (plain.as_str(), None),
    };
    let mut s = String::new();
    if negative {
        s.push('△');
    }
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    if let Some(f) = frac {
        s.push('.');
        s.push_str(f);
    }
    s
}

/// A mistake: where, and what is wrong.
struct Bad(Range<usize>, Msg);

fn bad(span: Range<usize>, ja: impl Into<String>, en: impl Into<String>) -> Bad {
    Bad(span, Msg::new(ja, en))
}

/// Why a number could not be read.
enum NumErr {
    /// There is no number here (words).
    NotNumber,
    /// A number with a mistake in it.
    Bad(Bad),
}

impl From<Bad> for NumErr {
    fn from(b: Bad) -> NumErr {
        NumErr::Bad(b)
    }
}

/// The parser: a cursor over folded characters, collecting full-width spans.
struct P<'a> {
    ch: &'a [Folded],
    pos: usize,
    end: usize,
    len: usize,
    wide: Vec<Range<usize>>,
}

/// What [`P::quantity`] does with words after a quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// A verb or a note ends the text (`4地区実施`, `20集落で開催 (延べ182人参加)`).
    Words,
    /// The quantity ends where words begin (one of several values).
    Stop,
}

/// `value` × 10^`power`, `None` on overflow.
fn scale(value: Decimal, power: u32) -> Option<Decimal> {
    (0..power).try_fold(value, |v, _| v.checked_mul(Decimal::TEN))
}

fn is_kanji(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '々'
}

fn is_katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー'
}

fn is_sign(c: char) -> bool {
    matches!(c, '△' | '▲' | '-' | '−' | '+')
}

fn is_minus(c: char) -> bool {
    matches!(c, '△' | '▲' | '-' | '−')
}

impl P<'_> {
    fn at(&self, i: usize) -> Option<char> {
        if i < self.end {
            self.ch.get(i).map(|f| f.c)
        } else {
            None
        }
    }
    fn peek(&self) -> Option<char> {
        self.at(self.pos)
    }
    fn span(&self, from: usize, to: usize) -> Range<usize> {
        span_of(self.ch, from, to, self.len)
    }
    /// Byte span from folded index `from` to the end of the trimmed text.
    fn rest_span(&self, from: usize) -> Range<usize> {
        self.span(from, self.end)
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }
    /// Spaces and tabs but not line breaks (inside one number).
    fn skip_inline_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace() && c != '\n' && c != '\r') {
            self.pos += 1;
        }
    }
    fn note_wide(&mut self, from: usize, to: usize) {
        for i in from..to {
            if let Some(f) = self.ch.get(i).filter(|f| f.wide) {
                self.wide.push(f.span.clone());
            }
        }
    }
    /// The recorded full-width spans, sorted, with touching ones merged.
    fn take_wide(&mut self) -> Vec<Range<usize>> {
        let mut spans = std::mem::take(&mut self.wide);
        spans.sort_by_key(|r| r.start);
        let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for s in spans {
            match out.last_mut() {
                Some(last) if last.end >= s.start => last.end = last.end.max(s.end),
                _ => out.push(s),
            }
        }
        out
    }
    /// Whether `s` is at folded index `i`.
    fn matches_at(&self, i: usize, s: &str) -> bool {
        s.chars().enumerate().all(|(k, c)| self.at(i + k) == Some(c))
    }
    /// The longest unit at `i`: (folded length, normalized). Only the units starting with the
    /// character at `i` are tried (see [`units_by_first`]).
    fn unit_at(&self, i: usize) -> Option<(usize, &'static str)> {
        let c = self.at(i)?;
        let table = units_by_first();
        let from = table.partition_point(|u| u.first < c);
        table
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|u| u.first == c)
            .filter(|u| self.matches_at(i + 1, u.rest))
            .map(|u| (u.len, u.normalized))
            .max_by_key(|(l, _)| *l)
    }
    fn comparator_at(&self, i: usize) -> Option<(usize, Comparator)> {
        Comparator::ALL.iter().find(|c| self.matches_at(i, c.text())).map(|c| (c.text().chars().count(), *c))
    }
    /// Whether a number starts at `i`: a digit, or a sign then (spaces and) a digit, or a
    /// point then a digit.
    fn number_starts_at(&self, i: usize) -> bool {
        match self.at(i) {
            Some(c) if c.is_ascii_digit() => true,
            Some('.') => self.at(i + 1).is_some_and(|c| c.is_ascii_digit()),
            Some(c) if is_sign(c) => {
                let mut j = i + 1;
                while self.at(j).is_some_and(|c| c == ' ' || c == '\u{3000}') {
                    j += 1;
                }
                self.at(j).is_some_and(|c| c.is_ascii_digit() || c == '.')
            }
            _ => false,
        }
    }
    /// Whether a lone token ending at `i` stands alone (followed by the end, whitespace, a
    /// bracket, a unit or a comparator), so that it reads as a stray part of the quantity
    /// rather than the start of a word.
    fn stands_alone_at(&self, i: usize) -> bool {
        match self.at(i) {
            None => true,
            Some(c) if c.is_whitespace() || c == '(' || c == ')' => true,
            Some(_) => self.unit_at(i).is_some() || self.comparator_at(i).is_some(),
        }
    }

    /// `Ok(None)`: qualitative. With [`Tail::Words`], words after the quantity (a verb, a
    /// note) are allowed when they hold no figure outside brackets; with [`Tail::Stop`], the
    /// quantity ends where words begin (the cursor is left there).
    fn quantity(&mut self, tail: Tail) -> Result<Option<Quantity>, Bad> {
        if !self.number_starts_at(self.pos) {
            if self.peek() == Some('(') {
                return self.annotation_only();
            }
            return Ok(None);
        }
        let mut main = match self.number() {
            Ok(n) => n,
            Err(NumErr::Bad(b)) => return Err(b),
            Err(NumErr::NotNumber) => return Ok(None),
        };
        let Some(shape) = self.shape(&mut main)? else { return Ok(None) };
        self.skip_inline_ws();
        let comparator = match self.comparator_at(self.pos) {
            Some((l, c)) => {
                let span = self.span(self.pos, self.pos + l);
                self.pos += l;
                self.per_unit_after_comparator(&mut main);
                Some((c, span))
            }
            None => None,
        };
        let mut annotations = Vec::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else { break };
            let here = self.pos;
            if c == '(' {
                match self.annotation()? {
                    Some(a) => annotations.push(a),
                    // A remark in words (`（見込み）`): a note after the quantity.
                    None => {
                        self.pos = here;
                        match self.tail(tail, here, &main) {
                            Some(()) => break,
                            None => return Ok(None),
                        }
                    }
                }
                continue;
            }
            if c == ')' {
                return Err(bad(
                    self.span(here, here + 1),
                    "「）」に対応する「（」がありません。かっこを対にするか、不要な「）」を消してください。",
                    "This `)` has no matching `(`: pair the brackets or delete it.",
                ));
            }
            if let Some((l, cmp)) = self.comparator_at(here) {
                if self.stands_alone_at(here + l) {
                    let span = self.span(here, here + l);
                    return Err(match comparator {
                        Some((first, _)) if annotations.is_empty() => bad(
                            span,
                            format!(
                                "「{}」が重なっています（すでに「{}」があります）。1つにしてください。",
                                cmp.text(),
                                first.text()
                            ),
                            format!("`{}` is repeated (there is already `{}`): keep one.", cmp.text(), first.text()),
                        ),
                        _ => bad(
                            span,
                            format!(
                                "「{}」の位置が正しくありません。数と単位の直後に書いてください（例: 80%{}）。",
                                cmp.text(),
                                cmp.text()
                            ),
                            format!(
                                "`{}` is out of place: write it right after the number and unit (e.g. `80%{}`).",
                                cmp.text(),
                                cmp.text()
                            ),
                        ),
                    });
                }
            }
            if let Some((l, unit)) = self.unit_at(here) {
                if self.stands_alone_at(here + l) {
                    let span = self.span(here, here + l);
                    let found = self
                        .ch
                        .get(here..here + l)
                        .map(|s| s.iter().map(|f| f.c).collect::<String>())
                        .unwrap_or_default();
                    let repeated = comparator.is_none() && annotations.is_empty() && main.unit.as_deref() == Some(unit);
                    return Err(if repeated {
                        bad(
                            span,
                            format!("単位「{found}」が重なっています。1つにしてください。"),
                            format!("The unit `{found}` is repeated: keep one."),
                        )
                    } else {
                        bad(
                            span,
                            format!(
                                "単位「{found}」の位置が正しくありません。数の直後に書いてください（例: 80%以上）。"
                            ),
                            format!(
                                "The unit `{found}` is out of place: write it right after the number (e.g. `80%以上`)."
                            ),
                        )
                    });
                }
            }
            // Words after the quantity: a verb or a note (`4地区実施`), or a sentence.
            match self.tail(tail, here, &main) {
                Some(()) => break,
                None => return Ok(None),
            }
        }
        let fullwidth = self.take_wide();
        Ok(Some(Quantity { main, shape, comparator, annotations, fullwidth }))
    }

    /// Words from `from` after a quantity whose main number is `main`: `Some` when the quantity
    /// stands (the cursor is left at the end of what the quantity takes), `None` when the text
    /// is a sentence.
    fn tail(&mut self, tail: Tail, from: usize, main: &Number) -> Option<()> {
        match tail {
            Tail::Stop => {
                self.pos = from;
                Some(())
            }
            Tail::Words => {
                // `2025年度までに策定`, `10月から`: a date or a deadline, not a count.
                if main.unit.as_deref().is_some_and(|u| TIME_POINTS.contains(&u)) {
                    return None;
                }
                // No other figure outside brackets, brackets paired.
                let mut depth = 0usize;
                for i in from..self.end {
                    match self.at(i)? {
                        '(' => depth += 1,
                        ')' => depth = depth.checked_sub(1)?,
                        c if depth == 0 && c.is_ascii_digit() => return None,
                        _ => {}
                    }
                }
                if depth != 0 {
                    return None;
                }
                self.pos = self.end;
                Some(())
            }
        }
    }

    /// After the first number: a change `1.2→3.1ha` (the last value is the value), a range
    /// `23.4〜30.7%`, a ratio `6戸/15戸` or a unit per something (`1,000kg/10a`, `m3/年`).
    /// `None`: the parts do not fit together (a range of two different units).
    fn shape(&mut self, main: &mut Number) -> Result<Option<Shape>, Bad> {
        let at = self.pos;
        let mut j = at;
        while self.at(j).is_some_and(|c| c == ' ' || c == '\u{3000}') {
            j += 1;
        }
        let arrow = match self.at(j) {
            Some('→' | '⇒') => Some(1),
            Some('-') if self.at(j + 1) == Some('>') => Some(2),
            _ => None,
        };
        let range = matches!(self.at(j), Some('〜' | '~' | '∼'));
        if arrow.is_some() || range {
            let mut k = j + arrow.unwrap_or(1);
            while self.at(k).is_some_and(|c| c == ' ' || c == '\u{3000}') {
                k += 1;
            }
            if !self.number_starts_at(k) {
                return Ok(Some(Shape::Point));
            }
            self.pos = k;
            let mut second = match self.number() {
                Ok(n) => n,
                Err(NumErr::Bad(b)) => return Err(b),
                Err(NumErr::NotNumber) => return Ok(None),
            };
            match (&main.unit, &second.unit) {
                (Some(a), Some(b)) if a != b => return Ok(None),
                (Some(a), None) => second.unit = Some(a.clone()),
                _ => {}
            }
            let low = main.value;
            second.span = main.span.start..second.span.end;
            *main = second;
            return Ok(Some(if range { Shape::Range { low } } else { Shape::Point }));
        }
        if self.at(at) != Some('/') {
            return Ok(Some(Shape::Point));
        }
        if self.number_starts_at(at + 1) {
            self.pos = at + 1;
            let den = match self.number() {
                Ok(n) => n,
                Err(NumErr::Bad(b)) => return Err(b),
                Err(NumErr::NotNumber) => return Ok(None),
            };
            if main.unit.is_none() || main.unit == den.unit {
                main.unit = den.unit.clone();
                return Ok(Some(Shape::Ratio { denominator: den }));
            }
            // `kg/10a`: a unit per an amount of another.
            self.per_unit(main, at);
            return Ok(Some(Shape::Point));
        }
        if let (Some(_), Some(l)) = (&main.unit, self.unit_len_at(at + 1)) {
            self.pos = at + 1 + l;
            self.per_unit(main, at);
        }
        Ok(Some(Shape::Point))
    }

    /// The length of a unit or counter word starting at `i` (the per-unit after a `/`).
    fn unit_len_at(&self, i: usize) -> Option<usize> {
        self.unit_at(i).map(|(l, _)| l).or_else(|| self.counter_at(i))
    }

    /// `3回以上/年`: a per-unit written after the comparator belongs to the unit (`回/年`, as
    /// `3回/年以上` reads).
    fn per_unit_after_comparator(&mut self, main: &mut Number) {
        let at = self.pos;
        if self.at(at) != Some('/') || main.unit.as_deref().is_none_or(|u| u.contains('/')) {
            return;
        }
        let Some(l) = self.unit_len_at(at + 1) else { return };
        let per: String = (at..at + 1 + l).filter_map(|i| self.at(i)).collect();
        if let Some(u) = main.unit.as_mut() {
            u.push_str(&per);
        }
        self.pos = at + 1 + l;
    }

    /// Makes `main`'s unit run from its own unit to the cursor (`kg/10a`), `slash` being the
    /// folded index of `/`.
    fn per_unit(&mut self, main: &mut Number, slash: usize) {
        let per: String = (slash..self.pos).filter_map(|i| self.at(i)).collect();
        if let Some(u) = main.unit.as_mut() {
            u.push_str(&per);
        }
        let end = self.span(slash, self.pos).end;
        main.unit_span = main.unit_span.clone().map(|u| u.start..end);
        main.span = main.span.start..end;
    }

    /// Several labelled quantities (`白ネギ80ha アスパラ 42,150千円`): each a label of words then
    /// a quantity, separated by blanks, `、` or `・`; at least two.
    fn several(&mut self, start: usize) -> Option<Vec<Labelled>> {
        let mut items = Vec::new();
        let mut i = start;
        loop {
            while self.at(i).is_some_and(|c| c.is_whitespace() || matches!(c, '、' | '・' | ',' | '，')) {
                i += 1;
            }
            if i >= self.end {
                break;
            }
            let from = i;
            while i < self.end && !self.number_starts_at(i) {
                let c = self.at(i)?;
                if c.is_ascii_digit() || c == '(' || c == ')' || i - from > 20 {
                    return None;
                }
                i += 1;
            }
            let label: String = (from..i).filter_map(|k| self.at(k)).collect::<String>().trim().to_string();
            if label.is_empty() || i >= self.end {
                return None;
            }
            self.pos = i;
            self.wide.clear();
            let quantity = self.quantity(Tail::Stop).ok()??;
            let after = self.pos;
            let separated = after >= self.end
                || self.at(after - 1).is_some_and(char::is_whitespace)
                || self.at(after).is_some_and(|c| matches!(c, '、' | '・' | ',' | '，'));
            if !separated || after == i {
                return None;
            }
            items.push(Labelled { label, quantity });
            i = after;
        }
        (items.len() >= 2).then_some(items)
    }

    /// One quantity after a label (`開催回数3回`, `月1人当たり平均 9.8時間`, `年間300件`):
    /// the first place a number starts from which the rest reads as a quantity, with words
    /// before it that are not a date or a bracket.
    fn labelled(&mut self, start: usize) -> Option<Quantity> {
        for i in start + 1..self.end {
            let c = self.at(i)?;
            if matches!(c, '(' | ')') {
                return None; // `減少率（△0.35％）を鈍化させる`: a figure inside a sentence
            }
            let prev = self.at(i - 1)?;
            if !self.number_starts_at(i) || prev.is_ascii_alphanumeric() || matches!(prev, '.' | ',') || is_sign(prev) {
                continue;
            }
            // Not a date, an era year, an ordinal or a figure right before (`12月31日`).
            let label: Vec<char> = (start..i).filter_map(|k| self.at(k)).collect();
            let recent = &label[label.len().saturating_sub(3)..];
            let label_text: String = label.iter().collect::<String>();
            let label_text = label_text.trim_end();
            // A figure in the label is a "per" (`月1人当たり`); any other makes a sentence of
            // two figures (`4地区で3回実施`).
            let per = ["当たり", "あたり", "につき"].iter().any(|w| label_text.contains(w));
            if recent.iter().any(char::is_ascii_digit)
                || (label.iter().any(char::is_ascii_digit) && !per)
                || ["令和", "平成", "昭和", "第", "年", "月"].iter().any(|e| label_text.ends_with(e))
            {
                continue;
            }
            self.pos = i;
            self.wide.clear();
            if let Ok(Some(q)) = self.quantity(Tail::Words) {
                return Some(q);
            }
        }
        None
    }

    /// Text that starts with a bracket: malformed when the bracket holds a quantity annotation
    /// (the main value is missing), qualitative when it holds words.
    fn annotation_only(&mut self) -> Result<Option<Quantity>, Bad> {
        let from = self.pos;
        match self.annotation()? {
            None => Ok(None),
            Some(_) => Err(bad(
                self.rest_span(from),
                "かっこの前に値がありません。目標・結果の値を先に書き、参考値はその後にかっこで書いてください（例: 300件（R5：290件））。",
                "The value before the brackets is missing: write the value first, then the reference in brackets (e.g. `300件（R5：290件）`).",
            )),
        }
    }

    /// A bracketed annotation at `(`. `Ok(None)`: a remark in words.
    fn annotation(&mut self) -> Result<Option<Annotation>, Bad> {
        let open = self.pos;
        let close = (open + 1..self.end).find(|&i| self.at(i) == Some(')'));
        let nested = (open + 1..close.unwrap_or(self.end)).find(|&i| self.at(i) == Some('('));
        let Some(close) = close.filter(|_| nested.is_none()) else {
            let stop = nested.unwrap_or(self.end);
            return Err(bad(
                self.span(open, stop),
                "「（」を閉じる「）」がありません。かっこを対にしてください。",
                "This `(` is never closed: add the matching `)`.",
            ));
        };
        let whole = self.span(open, close + 1);
        let empty = |what_ja: &str, what_en: &str| {
            bad(
                whole.clone(),
                format!("かっこの中に{what_ja}値がありません。値を書くか、かっこごと消してください。"),
                format!("The brackets hold no {what_en}value: write the value or delete the brackets."),
            )
        };
        self.pos = open + 1;
        self.skip_ws();
        if self.pos == close {
            return Err(empty("", ""));
        }
        // Label: text before a colon, or an era year followed by whitespace.
        let colon = (self.pos..close).find(|&i| self.at(i) == Some(':'));
        let label = match colon {
            Some(c) => {
                let mut l_end = c;
                while l_end > self.pos && self.at(l_end - 1).is_some_and(char::is_whitespace) {
                    l_end -= 1;
                }
                if l_end == self.pos {
                    return Err(bad(
                        self.span(self.pos, c + 1),
                        "「：」の前に年度がありません（例: （R5：290件））。",
                        "There is no year before `:` (e.g. `（R5：290件）`).",
                    ));
                }
                let from = self.pos;
                self.pos = c + 1;
                Some((from, l_end))
            }
            None => self.era_year_label(close),
        };
        self.skip_ws();
        if self.pos == close {
            return Err(empty("参考", "reference "));
        }
        let value_from = self.pos;
        let number = if self.number_starts_at(self.pos) {
            match self.number() {
                Ok(n) => Some(n),
                Err(NumErr::Bad(b)) => return Err(b),
                Err(NumErr::NotNumber) => None,
            }
        } else {
            None
        };
        self.skip_ws();
        let value = match number {
            Some(n) if self.pos == close => n,
            _ if label.is_some() => {
                return Err(bad(
                    self.span(value_from, close),
                    "参考値が数として読めません（例: （R5：290件））。",
                    "The reference value is not a number (e.g. `（R5：290件）`).",
                ))
            }
            _ => return Ok(None),
        };
        self.pos = close + 1;
        Ok(Some(match label {
            Some((from, to)) => {
                self.note_wide(from, to);
                let year = self.ch.get(from..to).map(|s| s.iter().map(|f| f.c).collect()).unwrap_or_default();
                Annotation::Reference { year, value, span: whole }
            }
            None => Annotation::Secondary { value, span: whole },
        }))
    }

    /// An era year used as a label without a colon (`R5 290件`): the era, digits, an optional
    /// `年度`, then whitespace. Moves past it and returns its folded index range.
    fn era_year_label(&mut self, close: usize) -> Option<(usize, usize)> {
        let from = self.pos;
        let mut i = from;
        let era = ["令和", "平成", "R", "H"].iter().find(|e| self.matches_at(i, e))?;
        i += era.chars().count();
        let digits_from = i;
        while i < close && self.at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == digits_from && self.at(i) == Some('元') {
            i += 1;
        }
        if i == digits_from {
            return None;
        }
        if self.matches_at(i, "年度") {
            i += 2;
        }
        let label_end = i;
        if i == close || self.at(i).is_some_and(char::is_whitespace) {
            self.pos = i;
            Some((from, label_end))
        } else {
            None
        }
    }

    /// `[sign] digits [unit]` at the cursor.
    fn number(&mut self) -> Result<Number, NumErr> {
        let from = self.pos;
        let negative = match self.peek() {
            Some(c) if is_sign(c) => {
                self.pos += 1;
                self.skip_inline_ws();
                is_minus(c)
            }
            _ => false,
        };
        let tok_from = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.') {
            self.pos += 1;
        }
        let tok_to = self.pos;
        if tok_to == tok_from {
            self.pos = from;
            return Err(NumErr::NotNumber);
        }
        let too_large = |p: &Self, to: usize| {
            bad(
                p.span(tok_from, to),
                "数が大きすぎるか、桁が多すぎて読めません。",
                "This number is too large or has too many digits to read.",
            )
        };
        let digits = self.digits(tok_from, tok_to)?;
        let mut magnitude = Decimal::from_str_exact(&digits).map_err(|_| too_large(self, tok_to))?;
        // Kanji magnitudes: `965万`, `1兆7,319億`, `36万6千`, `1万5000`.
        if let Some((l, power)) = self.magnitude_at(self.pos) {
            self.pos += l;
            magnitude = scale(magnitude, power).ok_or_else(|| too_large(self, self.pos))?;
            let mut last = power;
            loop {
                let group_from = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.') {
                    self.pos += 1;
                }
                if self.pos == group_from {
                    break;
                }
                let group = self.digits(group_from, self.pos)?;
                let group = Decimal::from_str_exact(&group).map_err(|_| too_large(self, self.pos))?;
                self.note_wide(group_from, self.pos);
                let power = match self.magnitude_at(self.pos) {
                    Some((l, p)) if p < last => {
                        self.pos += l;
                        p
                    }
                    _ => 0,
                };
                magnitude = scale(group, power)
                    .and_then(|g| magnitude.checked_add(g))
                    .ok_or_else(|| too_large(self, self.pos))?;
                last = power;
                if power == 0 {
                    break;
                }
            }
        }
        let value = if negative && !magnitude.is_zero() { -magnitude } else { magnitude };
        self.note_wide(from, tok_to);
        let before_unit = self.pos;
        self.skip_inline_ws();
        let unit = match self.unit_at(self.pos) {
            Some((l, u)) => Some((l, u.to_string())),
            // Any counter word: `108組織`, `20集落`, `300a`.
            None => {
                self.counter_at(self.pos).map(|l| (l, (self.pos..self.pos + l).filter_map(|i| self.at(i)).collect()))
            }
        };
        let (unit, unit_span) = match unit {
            Some((l, u)) => {
                let span = self.span(self.pos, self.pos + l);
                self.note_wide(self.pos, self.pos + l);
                self.pos += l;
                (Some(u), Some(span))
            }
            None => {
                self.pos = before_unit;
                (None, None)
            }
        };
        Ok(Number { value, unit, span: self.span(from, self.pos), unit_span })
    }

    /// A kanji magnitude at `i`: (folded length, power of ten).
    fn magnitude_at(&self, i: usize) -> Option<(usize, u32)> {
        MAGNITUDES.iter().find(|(m, _)| self.matches_at(i, m)).map(|(m, p)| (m.chars().count(), *p))
    }

    /// A counter word not in [`UNITS`] at `i`: its folded length. Latin letters with digits
    /// after them (`a`, `m3`, `kWh`), up to two kanji (`組織`, `頭`), or katakana (`コース`);
    /// never a comparator (`以上`) or a magnitude.
    fn counter_at(&self, i: usize) -> Option<usize> {
        let c = self.at(i)?;
        let stop = |j: usize| self.comparator_at(j).is_some() || self.magnitude_at(j).is_some();
        if stop(i) {
            return None;
        }
        let mut j = i;
        if c.is_ascii_alphabetic() {
            while j - i < 4 && self.at(j).is_some_and(|c| c.is_ascii_alphabetic()) {
                j += 1;
            }
            while j - i < 5
                && self.at(j).is_some_and(|c| c.is_ascii_digit())
                && !self.at(j + 1).is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
            {
                j += 1;
            }
        } else if is_kanji(c) {
            while j - i < 2 && self.at(j).is_some_and(is_kanji) && !stop(j) {
                j += 1;
            }
        } else if is_katakana(c) {
            while j - i < 6 && self.at(j).is_some_and(is_katakana) {
                j += 1;
            }
        }
        (j > i).then_some(j - i)
    }

    /// Checks a run of digits, `,` and `.` and returns it as plain decimal text.
    fn digits(&self, from: usize, to: usize) -> Result<String, Bad> {
        let mut first_dot = None;
        for i in from..to {
            if self.at(i) == Some('.') {
                if first_dot.is_some() {
                    return Err(bad(
                        self.span(i, to),
                        "小数点「.」が2つ以上あります。数を確かめてください。",
                        "There is more than one decimal point `.`: check the number.",
                    ));
                }
                first_dot = Some(i);
            }
        }
        let int_to = first_dot.unwrap_or(to);
        if int_to == from {
            return Err(bad(
                self.span(from, (from + 1).min(to)),
                "小数点の前に数字がありません（例: .5 ではなく 0.5）。",
                "There is no digit before the decimal point (write `0.5`, not `.5`).",
            ));
        }
        if let Some(d) = first_dot {
            if let Some(c) = (d + 1..to).find(|&i| self.at(i) == Some(',')) {
                return Err(bad(
                    self.span(c, c + 1),
                    "小数点より後に桁区切りの「,」は書けません。",
                    "A thousands separator `,` cannot come after the decimal point.",
                ));
            }
            if d + 1 == to {
                return Err(bad(
                    self.span(d, d + 1),
                    "小数点「.」の後に数字がありません。",
                    "There is no digit after the decimal point `.`.",
                ));
            }
        }
        // Thousands separators: first group 1–3 digits, every later group exactly 3.
        let is_comma = |i: &usize| self.at(*i) == Some(',');
        if (from..int_to).any(|i| is_comma(&i)) {
            let mut group_from = from;
            for (k, c) in (from..int_to).filter(is_comma).chain(std::iter::once(int_to)).enumerate() {
                let len = c - group_from;
                let ok = if k == 0 { (1..=3).contains(&len) } else { len == 3 };
                if !ok {
                    // Point at the separator that is out of place.
                    let at = if k == 0 { c } else { group_from - 1 };
                    return Err(bad(
                        self.span(at, at + 1),
                        "桁区切りの「,」の位置が正しくありません。「,」は右から3桁ごとに入れます（例: 1,700、17,000）。",
                        "This thousands separator `,` is out of place: separators go every three digits from the right (e.g. `1,700`, `17,000`).",
                    ));
                }
                group_from = c + 1;
            }
        }
        let mut out = String::with_capacity(to - from);
        out.extend((from..to).filter_map(|i| self.at(i)).filter(|c| *c != ','));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn num(s: &str) -> Quantity {
        match parse_quantity(s) {
            Parsed::Numeric(q) => q,
            other => panic!("{s:?}: {other:?}"),
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// Asserts `s` is malformed and returns the text its span covers and the reason.
    fn malformed(s: &str) -> (String, Msg) {
        match parse_quantity(s) {
            Parsed::Malformed { span, reason } => (s[span].to_string(), reason),
            other => panic!("{s:?} should be malformed: {other:?}"),
        }
    }

    fn met(t: &str, r: &str) -> Option<Achievement> {
        achieved(&num(t), &num(r))
    }

    #[test]
    fn plain_quantities() {
        let q = num("80%");
        assert_eq!(q.main.value, dec("80"));
        assert_eq!(q.main.unit.as_deref(), Some("%"));
        assert_eq!(q.main.span, 0..3);
        assert_eq!(q.main.unit_span, Some(2..3));
        assert!(q.comparator.is_none() && q.annotations.is_empty() && q.fullwidth.is_empty());

        assert_eq!(num("1,700件").main.value, dec("1700"));
        assert_eq!(num("1,234,567.25円").main.value, dec("1234567.25"));
        assert_eq!(num("4.8点").main.unit.as_deref(), Some("点"));
        assert_eq!(num("8").main.unit, None);
        assert_eq!(num(" 103校 \n").main.value, dec("103"));
        assert_eq!(num("95.0%").main.value, dec("95.0"));
        assert_eq!(num("95.0%").to_text(), "95.0%");
    }

    #[test]
    fn signs_are_minus_in_accounting_notation() {
        for s in ["△0.52%", "▲0.52%", "-0.52%", "−0.52%", "－0.52%", "△ 0.52%"] {
            assert_eq!(num(s).main.value, dec("-0.52"), "{s}");
        }
        assert_eq!(num("+3件").main.value, dec("3"));
        assert_eq!(num("△0.52%").main.span, 0.."△0.52%".len());
    }

    #[test]
    fn units_are_normalized_and_longest_wins() {
        let cases = [
            ("5％", "%"),
            ("5パーセント", "%"),
            ("3か所", "箇所"),
            ("3ヶ所", "箇所"),
            ("3箇所", "箇所"),
            ("2ヵ国", "か国"),
            ("6ヶ月", "か月"),
            ("1.5pt", "ポイント"),
            ("1.5ｐｔ", "ポイント"),
            ("1.5ポイント", "ポイント"),
            ("500円", "円"),
            ("12時間", "時間"),
            ("3日間", "日"),
            ("20km", "km"),
            ("3 件", "件"),
            ("4店舗", "店舗"),
            ("4店", "店舗"),
            ("15名", "人"),
            ("2週間", "週"),
            ("30分間", "分"),
            ("10秒間", "秒"),
            ("6箇月", "か月"),
            ("2事業所", "事業所"),
        ];
        for (s, u) in cases {
            assert_eq!(num(s).main.unit.as_deref(), Some(u), "{s}");
        }
    }

    #[test]
    fn comparators_after_the_number() {
        let q = num("4.6以上");
        assert_eq!(q.comparator(), Some(Comparator::AtLeast));
        assert_eq!(q.comparator.as_ref().map(|c| &"4.6以上"[c.1.clone()]), Some("以上"));
        assert_eq!(num("80%以下").comparator(), Some(Comparator::AtMost));
        assert_eq!(num("30分以内").comparator(), Some(Comparator::Within));
        // A per-unit after the comparator is the unit's.
        let q = num("3回以上/年");
        assert_eq!((q.main.unit.as_deref(), q.comparator()), (Some("回/年"), Some(Comparator::AtLeast)));
        assert_eq!(num("3回/年以上").main.unit.as_deref(), Some("回/年"));
        assert!(met("3回以上/年", "4回/年").is_some_and(|a| a.met));
        assert_eq!(num("30分以内").to_text(), "30分以内", "written as it was");
        assert_eq!(num("3件未満").comparator(), Some(Comparator::LessThan));
        assert_eq!(num("3件超").comparator(), Some(Comparator::MoreThan));
        assert_eq!(num("80 % 以上").comparator(), Some(Comparator::AtLeast));
    }

    #[test]
    fn annotations() {
        let q = num("300件\n（R5：290件）");
        assert_eq!(q.main.value, dec("300"));
        assert_eq!(q.annotations.len(), 1);
        match &q.annotations[0] {
            Annotation::Reference { year, value, span } => {
                assert_eq!(year, "R5");
                assert_eq!(value.value, dec("290"));
                assert_eq!(value.unit.as_deref(), Some("件"));
                assert_eq!(&"300件\n（R5：290件）"[span.clone()], "（R5：290件）");
            }
            other => panic!("{other:?}"),
        }
        assert!(q.fullwidth.is_empty(), "full-width brackets and colon are the convention");

        let q = num("105回\n（100％）");
        match &q.annotations[..] {
            [Annotation::Secondary { value, .. }] => {
                assert_eq!(value.value, dec("100"));
                assert_eq!(value.unit.as_deref(), Some("%"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(q.fullwidth.len(), 1);

        let s = "△0.52%\n(R6:87.63%)";
        let q = num(s);
        assert_eq!(q.main.value, dec("-0.52"));
        assert_eq!(q.main.unit.as_deref(), Some("%"));
        assert!(matches!(&q.annotations[..], [Annotation::Reference { year, value, .. }]
            if year == "R6" && value.value == dec("87.63")));

        let q = num("850件（R4：779件）（91％）");
        assert_eq!(q.annotations.len(), 2);
        assert_eq!(num("300件 (R5年度 : 290件)").annotations[0].value().value, dec("290"));
        assert!(matches!(&num("300件（R5 290件）").annotations[0], Annotation::Reference { year, .. } if year == "R5"));
        assert!(
            matches!(&num("300件（前年度：290件）").annotations[0], Annotation::Reference { year, .. } if year == "前年度")
        );
        assert!(matches!(&num("300件（2023）").annotations[0], Annotation::Secondary { .. }));
    }

    #[test]
    fn words_are_qualitative() {
        for s in [
            "推進",
            "次期事業者の選定",
            "次期事業者の選定及び契約の締結を達成",
            "前年より減少率（△0.35％）を鈍化させる（R5：88.15％）",
            "R6.5.15",
            "令和7年度までに策定",
            "2025年度までに策定",
            "10月から実施",
            "12月31日",
            "第3期計画の策定",
            "-",
            "△",
            "（未定）",
            "H30比で増加",
        ] {
            assert_eq!(parse_quantity(s), Parsed::Qualitative, "{s}");
        }
    }

    #[test]
    fn fast_paths_agree_with_the_full_parser() {
        // Every unit, alone, doubled, after a number and before words, and text starting with
        // each kind of character the fast path tells apart.
        let mut texts: Vec<String> = Vec::new();
        for (written, _) in UNITS {
            for s in [
                format!("12{written}"),
                format!("12 {written}以上"),
                format!("12{written}{written}"),
                format!("5{written}程度"),
                format!("1.5{written}（R5：3{written}）"),
                format!("{written}12"),
            ] {
                texts.push(s);
            }
        }
        for s in [
            "",
            " ",
            "\u{3000}１２件",
            "￣12",
            "　（R5：290件）",
            "(100%)",
            "（見込み）",
            "－5件",
            "▲3",
            "+",
            ".5",
            "．５％",
            "㋿6年",
            "推進",
            " \n 80%",
            "８０％以上",
            "R6",
            "ａ",
            "\u{FFA0}1",
        ] {
            texts.push(s.to_string());
        }
        for t in &texts {
            assert_eq!(parse_quantity(t), parse_folded(t), "{t:?}");
        }
    }

    #[test]
    fn unit_lookup_matches_the_whole_table() {
        // The first-character index finds exactly the longest unit a scan of UNITS finds.
        for (written, normalized) in UNITS {
            for text in [format!("1{written}"), format!("1{written}s"), format!("1{written}{written}")] {
                let chars = fold(&text);
                let p = P { ch: &chars, pos: 0, end: chars.len(), len: text.len(), wide: Vec::new() };
                let scan = UNITS
                    .iter()
                    .filter(|(w, _)| p.matches_at(1, w))
                    .map(|(w, n)| (w.chars().count(), *n))
                    .max_by_key(|(l, _)| *l);
                assert_eq!(p.unit_at(1), scan, "{text}");
                assert!(scan.is_some_and(|(l, n)| l > written.chars().count() || n == *normalized), "{text}");
            }
        }
        let written: std::collections::HashSet<&str> = UNITS.iter().map(|(w, _)| *w).collect();
        assert_eq!(written.len(), UNITS.len(), "each written form once, so the longest match is unique");
    }

    #[test]
    fn empty() {
        assert_eq!(parse_quantity(""), Parsed::Empty);
        assert_eq!(parse_quantity(" \n\u{3000}"), Parsed::Empty);
    }

    #[test]
    fn malformed_numbers_point_at_the_mistake() {
        let (at, why) = malformed("1,7000件");
        assert_eq!(at, ",");
        assert!(why.ja.contains("3桁ごと") && why.en.contains("every three digits"));
        assert_eq!(malformed("1,,000").0, ",");
        assert_eq!(malformed("12,34件").0, ",");
        assert_eq!(malformed("1000,000").0, ",");
        assert_eq!(malformed("１，７０００件").0, "，");
        let (at, why) = malformed("1.2.3件");
        assert_eq!(at, ".3");
        assert!(why.ja.contains("小数点"));
        assert_eq!(malformed("5.件").0, ".");
        assert_eq!(malformed("1.5,0").0, ",");
        assert_eq!(malformed(".5%").0, ".");
        let (_, why) = malformed("99999999999999999999999999999999件");
        assert!(why.en.contains("too large"), "{why:?}");
    }

    #[test]
    fn malformed_repeats_point_at_the_repeat() {
        let (at, why) = malformed("12回回");
        assert_eq!(at, "回");
        assert!(why.ja.contains("重なって"), "{}", why.ja);
        assert_eq!("12回回".find(&at), Some(2), "the first 回 is fine");
        let s = "80%%";
        let Parsed::Malformed { span, .. } = parse_quantity(s) else { panic!() };
        assert_eq!(span, 3..4);
        let s = "80％以上以上";
        let Parsed::Malformed { span, reason } = parse_quantity(s) else { panic!() };
        assert_eq!(&s[span.clone()], "以上");
        assert_eq!(span.start, "80％以上".len());
        assert!(reason.en.contains("repeated"));
        let (at, why) = malformed("80以上%");
        assert_eq!(at, "%");
        assert!(why.en.contains("out of place"));
    }

    #[test]
    fn malformed_brackets() {
        let s = "300件\n（R5：290件";
        let Parsed::Malformed { span, reason } = parse_quantity(s) else { panic!() };
        assert_eq!(&s[span], "（R5：290件");
        assert!(reason.ja.contains("閉じる"));
        let (at, why) = malformed("300件（R5：）");
        assert_eq!(at, "（R5：）");
        assert!(why.ja.contains("値がありません"));
        assert_eq!(malformed("300件（）").0, "（）");
        assert_eq!(malformed("300件）").0, "）");
        assert_eq!(malformed("300件（R5：不明）").0, "不明");
        assert_eq!(malformed("300件（：290件）").0, "：");
        assert_eq!(malformed("300件（R5：1,0000件）").0, ",");
        assert_eq!(malformed("300件（R5：(290件）").0, "（R5：");
        let (at, why) = malformed("(R5：290件");
        assert_eq!(at, "(R5：290件");
        assert!(why.en.contains("never closed"));
        let (at, why) = malformed("（R5：290件）");
        assert_eq!(at, "（R5：290件）");
        assert!(why.en.contains("value before the brackets is missing"));
        assert_eq!(malformed("（100%）").0, "（100%）");
    }

    #[test]
    fn fullwidth_is_recorded_and_made_halfwidth() {
        let s = "１回";
        let q = num(s);
        assert_eq!(q.main.value, dec("1"));
        assert_eq!(q.fullwidth, vec![0..3]);
        assert_eq!(halfwidth_numeric(s).as_deref(), Some("1回"));

        let s = "１，７００．５％以上\n（Ｒ５：２９０％）";
        let q = num(s);
        assert_eq!(q.main.value, dec("1700.5"));
        assert_eq!(q.fullwidth.len(), 3, "number, year label, reference: {:?}", q.fullwidth);
        assert_eq!(halfwidth_numeric(s).as_deref(), Some("1,700.5%以上\n（R5：290%）"));
        assert_eq!(halfwidth_numeric("－５件").as_deref(), Some("-5件"));
        assert_eq!(halfwidth_numeric("０件").as_deref(), Some("0件"));

        assert_eq!(halfwidth_numeric("1回"), None, "nothing to change");
        assert_eq!(halfwidth_numeric("前年より減少率（△0.35％）を鈍化させる"), None, "qualitative");
        assert_eq!(halfwidth_numeric("５回程度"), Some("5回程度".into()), "a note after the quantity stays");
        assert_eq!(halfwidth_numeric("前年より減少率（△０.35％）を鈍化"), None, "qualitative text is left alone");
        assert_eq!(halfwidth_numeric("１,７０００件"), None, "malformed");
    }

    #[test]
    fn canonical_text_round_trips() {
        for s in [
            "80%",
            "1,700件",
            "4.6以上",
            "△0.52%\n（R6：87.63%）",
            "300件\n（R5：290件）",
            "105回\n（100%）",
            "1,234,567.890円未満",
            "0件",
            "8",
        ] {
            let q = num(s);
            assert_eq!(q.to_text(), s);
        }
        assert_eq!(num("１，７００件\n(R5:290件)").to_text(), "1,700件\n（R5：290件）");
        assert_eq!(num("-5％").to_text(), "△5%");
        assert_eq!(num("1700件").to_text(), "1,700件");
    }

    #[test]
    fn achievement_follows_the_target() {
        let yes = |t, r| assert_eq!(met(t, r).map(|a| a.met), Some(true), "{t} → {r}");
        let no = |t, r| assert_eq!(met(t, r).map(|a| a.met), Some(false), "{t} → {r}");
        yes("100件", "100件");
        yes("100件", "101件");
        no("100件", "99件");
        yes("80%以下", "70%");
        yes("3.5%以内", "3.2%");
        yes("30分以内", "30分");
        no("14日以内", "15日");
        no("80%以下", "81%");
        no("5件未満", "5件");
        yes("5件未満", "4件");
        no("5件超", "5件");
        yes("5件超", "6件");
        yes("0件", "0件");
        no("0件", "1件");
        no("△0.35%", "△0.52%");
        yes("△0.35%", "△0.20%");
        assert!(met("100件", "100件").unwrap().direction_assumed);
        assert!(!met("4.6以上", "4.7").unwrap().direction_assumed);
        assert!(met("0件", "0件").unwrap().direction_assumed);
    }

    #[test]
    fn achievement_needs_the_same_unit() {
        assert_eq!(met("80%", "80件"), None);
        assert_eq!(met("1,000千円", "1,000,000件"), None);
        assert!(met("80％", "80%").is_some());
        assert!(met("1,000千円", "1,000,000円").is_some(), "magnitudes are multiplied out");
        assert!(met("3か所", "3ヶ所").is_some());
        assert!(met("100人", "120名").is_some(), "人 and 名 both count people");
        assert_eq!(met("100人", "90名").map(|a| a.met), Some(false));
    }

    #[test]
    fn any_counter_word_is_a_unit() {
        for (s, v, u) in [
            ("108組織", "108", "組織"),
            ("4地区", "4", "地区"),
            ("30ヶ所", "30", "箇所"),
            ("15名", "15", "人"),
            ("16法人", "16", "法人"),
            ("7戸", "7", "戸"),
            ("4組合", "4", "組合"),
            ("20集落", "20", "集落"),
            ("2270店舗", "2270", "店舗"),
            ("47ha", "47", "ha"),
            ("300a", "300", "a"),
            ("296.3km", "296.3", "km"),
            ("1,000kg/10a", "1000", "kg/10a"),
            ("4万m3/年", "40000", "m3/年"),
            ("15頭", "15", "頭"),
            ("3コース", "3", "コース"),
        ] {
            let q = num(s);
            assert_eq!((q.main.value, q.main.unit.as_deref()), (dec(v), Some(u)), "{s}");
            assert_eq!(q.shape, Shape::Point, "{s}");
        }
        // Units still have to agree.
        assert_eq!(met("108組織", "110団体"), None);
        assert_eq!(met("20集落", "18集落").map(|a| a.met), Some(false));
        assert_eq!(met("1,000kg/10a", "1,050kg/10a").map(|a| a.met), Some(true));
        // The comparator is not a unit.
        assert_eq!(num("15頭以上").comparator(), Some(Comparator::AtLeast));
        assert_eq!(num("15頭以上").main.unit.as_deref(), Some("頭"));
    }

    #[test]
    fn kanji_magnitudes_scale_the_number() {
        for (s, v, u) in [
            ("965万人", "9650000", "人"),
            ("784億円", "78400000000", "円"),
            ("1兆7,319億円", "1731900000000", "円"),
            ("36万6千時間", "366000", "時間"),
            ("1万5000人", "15000", "人"),
            ("42,150千円", "42150000", "円"),
            ("3千万円", "30000000", "円"),
            ("1.5億円", "150000000", "円"),
            ("△3万円", "-30000", "円"),
        ] {
            let q = num(s);
            assert_eq!((q.main.value, q.main.unit.as_deref()), (dec(v), Some(u)), "{s}");
        }
        assert_eq!(met("1,000万円", "9,800千円").map(|a| a.met), Some(false));
        assert_eq!(met("965万人", "9,650,000人").map(|a| a.met), Some(true));
    }

    #[test]
    fn a_change_reads_its_last_value() {
        let q = num("1.2→3.1ha");
        assert_eq!((q.main.value, q.main.unit.as_deref()), (dec("3.1"), Some("ha")));
        assert_eq!(num("1.2ha → 3.1").main.unit.as_deref(), Some("ha"));
        assert_eq!(met("3.6ha", "1.2→3.1ha").map(|a| a.met), Some(false));
        assert_eq!(met("3.0ha", "1.2⇒3.1ha").map(|a| a.met), Some(true));
        assert_eq!(parse_quantity("1.2件→3.1ha"), Parsed::Qualitative, "two units");
    }

    #[test]
    fn ranges_and_ratios_compare_in_the_obvious_way() {
        let q = num("23.4〜30.7%");
        assert_eq!(q.shape, Shape::Range { low: dec("23.4") });
        assert_eq!(q.main.value, dec("30.7"));
        assert_eq!(num("23.4～30.7%").shape, Shape::Range { low: dec("23.4") });
        // A range target is met inside it.
        assert_eq!(met("23.4〜30.7%", "25%").map(|a| a.met), Some(true));
        assert_eq!(met("23.4〜30.7%", "31%").map(|a| a.met), Some(false));
        // A range result meets a target when all of it does; partly is no verdict.
        assert_eq!(met("20%", "23.4〜30.7%").map(|a| a.met), Some(true));
        assert_eq!(met("40%", "23.4〜30.7%").map(|a| a.met), Some(false));
        assert_eq!(met("25%", "23.4〜30.7%"), None);

        let q = num("6戸/15戸");
        assert_eq!(q.main.value, dec("6"));
        assert!(matches!(&q.shape, Shape::Ratio { denominator } if denominator.value == dec("15")));
        assert_eq!(met("7戸/15戸", "6戸/15戸").map(|a| a.met), Some(false));
        assert_eq!(met("7戸/15戸", "7戸/15戸").map(|a| a.met), Some(true));
        assert_eq!(met("7/15", "8/15").map(|a| a.met), Some(true));
        assert_eq!(met("7戸/15戸", "7戸/16戸"), None, "denominators must agree");
        assert_eq!(met("7戸/15戸", "7戸"), None);
    }

    #[test]
    fn a_total_with_the_years_increase() {
        let q = num("263(4)");
        assert_eq!(q.main.value, dec("263"));
        assert!(matches!(&q.annotations[..], [Annotation::Secondary { value, .. }] if value.value == dec("4")));
        assert_eq!(met("260", "263(4)").map(|a| a.met), Some(true));
    }

    #[test]
    fn labels_before_and_words_after_leave_the_quantity() {
        for (s, v, u) in [
            ("開催回数3回", "3", Some("回")),
            ("月1人当たり平均 9.8時間", "9.8", Some("時間")),
            ("年間300件", "300", Some("件")),
            ("4地区実施", "4", Some("地区")),
            ("20集落で開催 (延べ182人参加)", "20", Some("集落")),
            ("5回程度", "5", Some("回")),
            ("3校で実施", "3", Some("校")),
            ("300件（R5：290件）を目指す", "300", Some("件")),
            ("300件（見込み）", "300", Some("件")),
            ("目標：80%", "80", Some("%")),
        ] {
            let q = num(s);
            assert_eq!((q.main.value, q.main.unit.as_deref()), (dec(v), u), "{s}");
        }
        assert_eq!(met("開催回数3回", "開催回数2回").map(|a| a.met), Some(false));
        // A second figure outside brackets makes a sentence.
        assert_eq!(parse_quantity("4地区で3回実施"), Parsed::Qualitative);
    }

    #[test]
    fn several_values_compare_pairwise_by_label() {
        let t = parse_quantity("白ネギ80ha アスパラ 42,150千円");
        let Parsed::Several(items) = &t else { panic!("{t:?}") };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label, "白ネギ");
        assert_eq!(items[1].quantity.main.value, dec("42150000"));
        let r = parse_quantity("白ネギ85ha、アスパラ 40,000千円");
        assert_eq!(achieved_parsed(&t, &r).map(|a| a.met), Some(false));
        let r = parse_quantity("白ネギ85ha アスパラ 43,000千円");
        assert_eq!(achieved_parsed(&t, &r).map(|a| a.met), Some(true));
        let other = parse_quantity("玉ねぎ85ha アスパラ 43,000千円");
        assert_eq!(achieved_parsed(&t, &other), None, "different labels: no verdict");
        assert_eq!(achieved_parsed(&t, &parse_quantity("85ha")), None);
    }

    #[test]
    fn no_form_of_real_sheets_is_malformed() {
        for s in [
            "108組織",
            "4地区",
            "30ヶ所",
            "15名",
            "16法人",
            "7戸",
            "4組合",
            "20集落",
            "2270店舗",
            "47ha",
            "300a",
            "296.3km",
            "1,000kg/10a",
            "4万m3/年",
            "965万人",
            "784億円",
            "1兆7,319億円",
            "36万6千時間",
            "1.2→3.1ha",
            "23.4〜30.7%",
            "6戸/15戸",
            "263(4)",
            "開催回数3回",
            "月1人当たり平均 9.8時間",
            "4地区実施",
            "20集落で開催 (延べ182人参加)",
            "白ネギ80ha アスパラ 42,150千円",
            "285",
        ] {
            assert!(
                !matches!(parse_quantity(s), Parsed::Malformed { .. } | Parsed::Qualitative),
                "{s}: {:?}",
                parse_quantity(s)
            );
        }
    }

    #[test]
    fn a_unit_on_one_side_is_taken_as_the_others() {
        assert_eq!(met("300a", "285").map(|a| a.met), Some(false));
        assert_eq!(met("300a", "300").map(|a| a.met), Some(true));
        assert_eq!(met("80", "85%").map(|a| a.met), Some(true));
    }

    #[test]
    fn qualitative_outcomes() {
        for s in ["中止", "未実施", "実績なし", "集計中", " 中止（雨天のため） ", "未実施のため実績なし", "－", "-"]
        {
            assert!(qualitative_outcome(s).is_some(), "{s}");
        }
        for s in ["推進", "abc", "中止せず実施", "なしくずし", "8回", ""] {
            assert_eq!(qualitative_outcome(s), None, "{s}");
        }
    }

    #[test]
    fn seed_table() {
        // target → result → met, as in DOMAIN.md.
        let cases = [
            ("80%", "77.7%", false),
            ("300件\n（R5：290件）", "318件", true),
            ("105回\n（100％）", "105回\n（100％）", true),
            ("1回", "１回", true),
            ("0件", "1件", false),
            ("4.6以上", "4.7", true),
            ("8", "10", true),
            ("1,700件", "1,512件", false),
            ("4.8点", "4.8点", true),
            ("103校", "99校", false),
        ];
        for (t, r, want) in cases {
            assert_eq!(met(t, r).map(|a| a.met), Some(want), "{t} → {r}");
        }
        assert!(!num("１回").fullwidth.is_empty());
        assert_eq!(parse_quantity("推進"), Parsed::Qualitative);
    }

    #[test]
    fn seed_values_are_never_malformed() {
        let doc: crate::model::Document =
            serde_json::from_str(include_str!("../../tests/data/shimin-seikatsu-r6.json")).unwrap();
        let mut seen = 0;
        let mut numeric = 0;
        for sheet in &doc.sheets {
            for entry in &sheet.entries {
                for ind in &entry.indicators {
                    for text in [&ind.target, &ind.result] {
                        let p = parse_quantity(text);
                        assert!(!matches!(p, Parsed::Malformed { .. }), "{text:?}: {p:?}");
                        seen += 1;
                        numeric += usize::from(matches!(p, Parsed::Numeric(_)));
                    }
                }
            }
        }
        assert!(seen >= 50, "{seen}");
        assert_eq!(numeric, seen - 5, "all but 推進×2, 次期事業者…×2 and the 減少率 sentence");
    }
}
