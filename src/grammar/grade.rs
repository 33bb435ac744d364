//! Grades in 評価, read against the sheet's legend, and what people type instead.
//!
//! # Legends
//! The legend row below the table defines the grades of a sheet. [`Legend::parse`] reads it:
//!
//! ```text
//! legend = [prefix] item { [sep] item }
//! prefix = [※] [bracket] (凡例 | 評価 | 評価基準 | 評価区分) [bracket] [: | ：]
//! item   = symbol ws* ( (: | ： | = | ＝) ws* word  |  open word close )
//! symbol = 1–4 marks (○ 〇 ◯ ◎ ● △ ▲ ▽ □ ■ ◇ ◆ ☆ ★ × ✕), or one letter S A B C D E
//! word   = 1–20 characters up to the next item
//! sep    = whitespace, 、 ， , / ・ ；
//! ```
//!
//! `○：達成　△：一部未達成　×：未達成`, `◎：予定以上 ○：予定どおり △：やや遅れ`,
//! `★★★《達成!》 ★★《概ね達成》 ★《未達成》`. At least two items; a look-alike symbol in the
//! legend itself (`〇：達成`) stands for the legend's own ○.
//!
//! Each item's meaning comes from its word ([`meaning_of_word`]): 一部 / 概ね / やや … are
//! partly achieved, 未達成 / 遅れ / 未着手 … not achieved, 達成 / 予定どおり / 予定以上 / 順調 …
//! achieved. A word that says none of these takes its meaning from its place: an item above
//! an achieved one (◎ over ○) is achieved, one below a not-achieved one is not achieved;
//! otherwise it has no meaning, and the grade is accepted but not compared with the figures.
//!
//! # Grade cells
//! Surrounding whitespace (including the ideographic space and line breaks) is ignored.
//!
//! - Empty → [`GradeCell::Empty`] (not yet graded).
//! - A symbol of the legend, alone or followed by its own legend word (`○(予定どおり)`,
//!   `★★★《達成!》`): [`GradeCell::Canonical`] when it is ○ △ × with their usual meaning,
//!   [`GradeCell::Defined`] for any other symbol (◎, ★★, or ○ meaning something else).
//!   Without a legend, the legend is `○：達成　△：一部未達成　×：未達成`.
//! - A variant with one clear meaning → [`GradeCell::Variant`], which a fix may normalize,
//!   when the symbol it stands for is in the legend with that meaning:
//!   - achieved: `〇` (U+3007, the kanji zero, the most common slip), `◯` (U+25EF large circle),
//!     `⭕` (U+2B55), `○` followed by a variation selector, the letter `O` `o` `Ｏ` `ｏ`, `達成`;
//!   - partly: `一部未達成`, `一部達成`, `▵` (U+25B5 small white triangle);
//!   - not achieved: `✕` `☓` `✖` `╳` `⨯` `✗` `✘` `x` `X` `ｘ` `Ｘ`, `未達成`;
//!   - ○ △ × followed by a word of the same meaning that is not the legend's own
//!     (`△（一部達成）`, `○（目標達成）`, `×（未達）`).
//! - Anything else → [`GradeCell::Unknown`]: a symbol the legend lacks (× on a sheet whose
//!   legend is ◎ ○ △), a symbol with another item's word (`○(やや遅れ)`), and deliberately `●`
//!   (some offices use it for "done", others as a bullet), `▲` (also the accounting minus
//!   sign), `◎` without a legend that defines it, `-`, `済`, two symbols in one cell. A guess
//!   would silently change an evaluation; these are left for a person.

/// The three grades of the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// ○ 達成
    Achieved,
    /// △ 一部未達成
    Partly,
    /// × 未達成
    NotAchieved,
}

impl Grade {
    /// The legend's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Grade::Achieved => "○",
            Grade::Partly => "△",
            Grade::NotAchieved => "×",
        }
    }

    /// The legend's word: `達成`, `一部未達成`, `未達成`.
    pub fn label_ja(self) -> &'static str {
        match self {
            Grade::Achieved => "達成",
            Grade::Partly => "一部未達成",
            Grade::NotAchieved => "未達成",
        }
    }

    /// `achieved`, `partly achieved`, `not achieved`.
    pub fn label_en(self) -> &'static str {
        match self {
            Grade::Achieved => "achieved",
            Grade::Partly => "partly achieved",
            Grade::NotAchieved => "not achieved",
        }
    }

    /// The grade a symbol of the legend stands for (`○`, `△`, `×` exactly).
    pub fn from_symbol(s: &str) -> Option<Grade> {
        match s {
            "○" => Some(Grade::Achieved),
            "△" => Some(Grade::Partly),
            "×" => Some(Grade::NotAchieved),
            _ => None,
        }
    }
}

/// What a grade cell holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeCell {
    /// Nothing (not yet graded).
    Empty,
    /// ○, △ or × with their usual meaning, as the legend defines them (surrounding whitespace
    /// and the symbol's own legend word allowed: `○(予定どおり)`).
    Canonical(Grade),
    /// Another symbol of the sheet's legend (`◎`, `★★★`, or ○ with another meaning), with
    /// the meaning the legend gives it (`None` when the legend's word says nothing clear).
    Defined { symbol: String, meaning: Option<Grade> },
    /// A variant with one clear meaning (〇 ◯ ⭕ O ✕ ☓ ✖ x X ｘ, 達成 / 一部未達成 / 未達成).
    Variant { grade: Grade, found: String },
    /// Anything else.
    Unknown,
}

impl GradeCell {
    /// The grade, whether written canonically, as a legend symbol or as a clear variant.
    pub fn grade(&self) -> Option<Grade> {
        match self {
            GradeCell::Canonical(g) | GradeCell::Variant { grade: g, .. } => Some(*g),
            GradeCell::Defined { meaning, .. } => *meaning,
            GradeCell::Empty | GradeCell::Unknown => None,
        }
    }
}

/// Variants with one clear meaning.
const VARIANTS: &[(&str, Grade)] = &[
    ("〇", Grade::Achieved),
    ("◯", Grade::Achieved),
    ("⭕", Grade::Achieved),
    ("⭕\u{FE0F}", Grade::Achieved),
    ("○\u{FE0F}", Grade::Achieved),
    ("○\u{FE0E}", Grade::Achieved),
    // The letter O typed for the circle (as X for the cross); no legend uses O as a letter grade.
    ("O", Grade::Achieved),
    ("Ｏ", Grade::Achieved),
    ("o", Grade::Achieved),
    ("ｏ", Grade::Achieved),
    ("達成", Grade::Achieved),
    ("一部未達成", Grade::Partly),
    ("一部達成", Grade::Partly),
    ("▵", Grade::Partly),
    ("△\u{FE0F}", Grade::Partly),
    ("✕", Grade::NotAchieved),
    ("☓", Grade::NotAchieved),
    ("✖", Grade::NotAchieved),
    ("✖\u{FE0F}", Grade::NotAchieved),
    ("╳", Grade::NotAchieved),
    ("⨯", Grade::NotAchieved),
    ("✗", Grade::NotAchieved),
    ("✘", Grade::NotAchieved),
    ("x", Grade::NotAchieved),
    ("X", Grade::NotAchieved),
    ("ｘ", Grade::NotAchieved),
    ("Ｘ", Grade::NotAchieved),
    ("未達成", Grade::NotAchieved),
];

/// Reads a grade cell against the default legend `○：達成　△：一部未達成　×：未達成`.
pub fn parse_grade(text: &str) -> GradeCell {
    let t = text.trim();
    if t.is_empty() {
        return GradeCell::Empty;
    }
    if let Some(g) = Grade::from_symbol(t) {
        return GradeCell::Canonical(g);
    }
    match VARIANTS.iter().find(|(v, _)| *v == t) {
        Some((_, grade)) => GradeCell::Variant { grade: *grade, found: t.to_string() },
        None => GradeCell::Unknown,
    }
}

/// Reads a grade cell against the sheet's legend (the official one when `None`: a sheet
/// with the official legend keeps none of its own, and `△（一部未達成）` reads there as it
/// does under any legend).
pub fn parse_grade_in(text: &str, legend: Option<&Legend>) -> GradeCell {
    let Some(legend) = legend.or_else(official_legend) else { return parse_grade(text) };
    let t = text.trim();
    if t.is_empty() {
        return GradeCell::Empty;
    }
    // A legend symbol, alone or with its own word; the longest symbol first (★★★ before ★).
    let mut by_length: Vec<&LegendItem> = legend.items.iter().collect();
    by_length.sort_by_key(|i| std::cmp::Reverse(i.symbol.len()));
    for item in by_length {
        let Some(rest) = t.strip_prefix(item.symbol.as_str()) else { continue };
        if rest.trim().is_empty() || written_word(rest).is_some_and(|w| same_word(&w, &item.word)) {
            return match Grade::from_symbol(&item.symbol) {
                Some(g) if item.meaning == Some(g) => GradeCell::Canonical(g),
                _ => GradeCell::Defined { symbol: item.symbol.clone(), meaning: item.meaning },
            };
        }
    }
    // ○ △ × with a word of their own meaning that is not the legend's (`△（一部達成）`,
    // `○（目標達成）`): one clear grade, written otherwise than the legend writes it.
    for item in &legend.items {
        let Some(g) = Grade::from_symbol(&item.symbol).filter(|g| item.meaning == Some(*g)) else { continue };
        let Some(rest) = t.strip_prefix(item.symbol.as_str()) else { continue };
        if written_word(rest).and_then(|w| meaning_of_word(&w)) == Some(g) {
            return GradeCell::Variant { grade: g, found: t.to_string() };
        }
    }
    // A look-alike or a word, when the legend has the symbol it stands for with that meaning.
    if let GradeCell::Variant { grade, found } = parse_grade(t) {
        if legend.items.iter().any(|i| i.symbol == grade.symbol() && i.meaning == Some(grade)) {
            return GradeCell::Variant { grade, found };
        }
    }
    GradeCell::Unknown
}

/// [`crate::layout::LEGEND`], read once.
fn official_legend<'a>() -> Option<&'a Legend> {
    static OFFICIAL: std::sync::OnceLock<Option<Legend>> = std::sync::OnceLock::new();
    OFFICIAL.get_or_init(|| Legend::parse(crate::layout::LEGEND)).as_ref()
}

/// The word written after a grade symbol: `(予定どおり)`, `（予定どおり）`, `《達成!》`,
/// `：予定どおり`, ` 予定どおり`.
fn written_word(rest: &str) -> Option<String> {
    let f = super::fold_str(rest);
    let f = f.trim();
    let mut cs = f.chars();
    let first = cs.next()?;
    if let Some(close) = closing(first) {
        let inner = cs.as_str().strip_suffix(close)?;
        return Some(inner.to_string());
    }
    if matches!(first, ':' | '=') {
        return Some(cs.as_str().to_string());
    }
    Some(f.to_string())
}

/// The closing bracket of an opening one (after width folding).
fn closing(open: char) -> Option<char> {
    Some(match open {
        '(' => ')',
        '《' => '》',
        '「' => '」',
        '【' => '】',
        '<' => '>',
        '〈' => '〉',
        '[' => ']',
        '『' => '』',
        _ => return None,
    })
}

/// Words compared as a person reads them: width folded, no whitespace, no trailing `!` or `。`.
fn same_word(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        let f: String = super::fold_str(s).chars().filter(|c| !c.is_whitespace()).collect();
        f.trim_end_matches(['!', '。', '.']).to_string()
    };
    let (a, b) = (key(a), key(b));
    !a.is_empty() && a == b
}

/// A sheet's legend: the grades it defines, best first as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legend {
    pub items: Vec<LegendItem>,
}

/// One grade of a legend: `◎：予定以上`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendItem {
    /// The symbol (`◎`, `★★★`, `A`); a look-alike of ○ or × written in the legend is stored
    /// as ○ or ×.
    pub symbol: String,
    /// The word after it, as written (`予定以上`, `達成!`).
    pub word: String,
    /// What the grade means for the figures (see the module documentation).
    pub meaning: Option<Grade>,
}

impl Legend {
    /// Reads a legend row (see the module documentation); `None` when the text is not one.
    pub fn parse(text: &str) -> Option<Legend> {
        // As it shows: GS603's fix of a value elsewhere must not make a legend of it.
        let text = &*super::visible(text);
        if !may_be_legend(text) {
            return None;
        }
        let cs: Vec<char> = super::fold_str(text).chars().collect();
        let mut i = skip_prefix(&cs);
        let mut items: Vec<LegendItem> = Vec::new();
        loop {
            while cs.get(i).is_some_and(|&c| is_separator(c)) {
                i += 1;
            }
            let Some(&c) = cs.get(i) else { break };
            let from = i;
            if is_mark(c) {
                while i < from + 4 && cs.get(i).is_some_and(|&c| is_mark(c)) {
                    i += 1;
                }
            } else if is_letter_symbol(c) {
                i += 1;
            } else {
                return None;
            }
            let symbol = normalize_symbol(&cs[from..i].iter().collect::<String>());
            while cs.get(i).is_some_and(|&c| c == ' ' || c == '\t') {
                i += 1;
            }
            let word: String = match cs.get(i).copied() {
                Some(':' | '=') => {
                    i += 1;
                    while cs.get(i).is_some_and(|c| c.is_whitespace()) {
                        i += 1;
                    }
                    let start = i;
                    while i < cs.len() && !item_starts_at(&cs, i) {
                        i += 1;
                    }
                    cs[start..i].iter().collect::<String>().trim_end_matches(is_separator).to_string()
                }
                Some(open) => {
                    let close = closing(open)?;
                    let end = (i + 1..cs.len()).find(|&j| cs[j] == close)?;
                    let w = cs[i + 1..end].iter().collect();
                    i = end + 1;
                    w
                }
                None => return None,
            };
            let len = word.chars().count();
            if len == 0 || len > 20 {
                return None;
            }
            if !items.iter().any(|it| it.symbol == symbol) {
                items.push(LegendItem { meaning: meaning_of_word(&word), symbol, word });
            }
        }
        if items.len() < 2 {
            return None;
        }
        // A word that says nothing clear takes its meaning from its place on the scale.
        for k in 0..items.len() {
            if items[k].meaning.is_some() {
                continue;
            }
            if items[k + 1..].iter().any(|it| it.meaning == Some(Grade::Achieved)) {
                items[k].meaning = Some(Grade::Achieved);
            } else if items[..k].iter().any(|it| it.meaning == Some(Grade::NotAchieved)) {
                items[k].meaning = Some(Grade::NotAchieved);
            }
        }
        Some(Legend { items })
    }

    /// The item of a symbol.
    pub fn item(&self, symbol: &str) -> Option<&LegendItem> {
        self.items.iter().find(|i| i.symbol == symbol)
    }

    /// The symbols, as a person lists them: `◎ ○ △`.
    pub fn symbols(&self) -> String {
        self.items.iter().map(|i| i.symbol.as_str()).collect::<Vec<_>>().join(" ")
    }

    /// Whether it is the default legend ○ 達成, △ 一部未達成, × 未達成 (whatever the words).
    pub fn is_default(&self) -> bool {
        self.items.len() == 3
            && [Grade::Achieved, Grade::Partly, Grade::NotAchieved]
                .iter()
                .all(|g| self.item(g.symbol()).is_some_and(|i| i.meaning == Some(*g)))
    }
}

/// Cheap test on the first characters, so that the reader can ask about every table cell.
fn may_be_legend(text: &str) -> bool {
    let t = text.trim_start();
    let Some(c) = t.chars().next() else { return false };
    is_mark(c)
        || is_letter_symbol(c)
        || matches!(c, '※' | '凡' | '評' | '【' | '(' | '（' | '<' | '＜' | '〈' | '[' | '［' | '《')
        || (matches!(c, 'Ａ'..='Ｅ' | 'Ｓ'))
}

/// Marks a legend uses as grade symbols.
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '○' | '〇'
            | '◯'
            | '◎'
            | '●'
            | '△'
            | '▲'
            | '▽'
            | '□'
            | '■'
            | '◇'
            | '◆'
            | '☆'
            | '★'
            | '×'
            | '✕'
    )
}

/// Letters used as grades (S A B C D E), only before `:` or a bracket.
fn is_letter_symbol(c: char) -> bool {
    matches!(c, 'S' | 'A' | 'B' | 'C' | 'D' | 'E')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '、' | ',' | '/' | '・' | ';' | '，')
}

/// Whether the next legend item starts at `i`: a mark, or a letter symbol after a separator
/// and before `:`, `=` or a bracket.
fn item_starts_at(cs: &[char], i: usize) -> bool {
    let Some(&c) = cs.get(i) else { return false };
    if is_mark(c) {
        return true;
    }
    is_letter_symbol(c)
        && i > 0
        && cs.get(i - 1).is_some_and(|&p| is_separator(p))
        && cs.get(i + 1).is_some_and(|&n| matches!(n, ':' | '=') || closing(n).is_some())
}

/// `※`, `【凡例】`, `凡例：`, `（評価基準）` … before the items: where the items start.
fn skip_prefix(cs: &[char]) -> usize {
    const LABELS: [&str; 4] = ["評価基準", "評価区分", "凡例", "評価"];
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while cs.get(*i).is_some_and(|c| c.is_whitespace()) {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    if cs.get(i) == Some(&'※') {
        i += 1;
    }
    let start = i;
    let bracket = cs.get(i).and_then(|&c| closing(c));
    if bracket.is_some() {
        i += 1;
    }
    let at = |i: usize, l: &str| l.chars().enumerate().all(|(k, c)| cs.get(i + k) == Some(&c));
    let Some(label) = LABELS.iter().find(|l| at(i, l)) else { return if bracket.is_some() { start } else { i } };
    i += label.chars().count();
    if let Some(close) = bracket {
        if cs.get(i) != Some(&close) {
            return start;
        }
        i += 1;
    }
    skip_ws(&mut i);
    if matches!(cs.get(i), Some(':' | '=')) {
        i += 1;
    }
    i
}

/// A look-alike symbol written in the legend itself stands for the legend's own one.
fn normalize_symbol(s: &str) -> String {
    match s {
        "〇" | "◯" => "○".to_string(),
        "✕" => "×".to_string(),
        _ => s.to_string(),
    }
}

/// What a legend word says about the figures (see the module documentation).
pub fn meaning_of_word(word: &str) -> Option<Grade> {
    const PARTLY: [&str; 6] = ["一部", "概ね", "おおむね", "やや", "ほぼ", "一定"];
    const NOT: [&str; 9] = ["未達", "遅れ", "未着手", "未実施", "できなかった", "できず", "下回", "不十分", "不可"];
    const ACHIEVED: [&str; 11] = [
        "達成",
        "予定以上",
        "予定どおり",
        "予定通り",
        "計画どおり",
        "計画通り",
        "順調",
        "上回",
        "目標以上",
        "完了",
        "良好",
    ];
    let w: String = super::fold_str(word).chars().filter(|c| !c.is_whitespace()).collect();
    if PARTLY.iter().any(|k| w.contains(k)) {
        Some(Grade::Partly)
    } else if NOT.iter().any(|k| w.contains(k)) {
        Some(Grade::NotAchieved)
    } else if ACHIEVED.iter().any(|k| w.contains(k)) {
        Some(Grade::Achieved)
    } else {
        None
    }
}

/// The grade an entry earns from its indicators: all met → ○, none → ×, some → △; `None`
/// for no indicators.
pub fn from_achievements(met: &[bool]) -> Option<Grade> {
    if met.is_empty() {
        None
    } else if met.iter().all(|m| *m) {
        Some(Grade::Achieved)
    } else if met.iter().any(|m| *m) {
        Some(Grade::Partly)
    } else {
        Some(Grade::NotAchieved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_symbols_with_whitespace() {
        assert_eq!(parse_grade("○"), GradeCell::Canonical(Grade::Achieved));
        assert_eq!(parse_grade(" △\n"), GradeCell::Canonical(Grade::Partly));
        assert_eq!(parse_grade("　×　"), GradeCell::Canonical(Grade::NotAchieved));
        for g in [Grade::Achieved, Grade::Partly, Grade::NotAchieved] {
            assert_eq!(parse_grade(g.symbol()), GradeCell::Canonical(g));
            assert!(crate::layout::GRADES.contains(&g.symbol()));
            assert!(crate::layout::LEGEND.contains(&format!("{}：{}", g.symbol(), g.label_ja())));
        }
    }

    #[test]
    fn empty_is_not_graded() {
        assert_eq!(parse_grade(""), GradeCell::Empty);
        assert_eq!(parse_grade(" \u{3000}\n"), GradeCell::Empty);
    }

    #[test]
    fn variants_keep_what_was_found() {
        let cases = [
            ("〇", Grade::Achieved),
            ("◯", Grade::Achieved),
            ("⭕", Grade::Achieved),
            ("O", Grade::Achieved),
            ("Ｏ", Grade::Achieved),
            ("o", Grade::Achieved),
            ("達成", Grade::Achieved),
            ("一部未達成", Grade::Partly),
            ("一部達成", Grade::Partly),
            ("未達成", Grade::NotAchieved),
            ("✕", Grade::NotAchieved),
            ("☓", Grade::NotAchieved),
            ("✖", Grade::NotAchieved),
            ("╳", Grade::NotAchieved),
            ("x", Grade::NotAchieved),
            ("X", Grade::NotAchieved),
            ("ｘ", Grade::NotAchieved),
            ("Ｘ", Grade::NotAchieved),
        ];
        for (s, g) in cases {
            assert_eq!(parse_grade(s), GradeCell::Variant { grade: g, found: s.to_string() }, "{s}");
        }
        assert_eq!(parse_grade(" 〇\n"), GradeCell::Variant { grade: Grade::Achieved, found: "〇".to_string() });
    }

    #[test]
    fn ambiguous_marks_are_unknown() {
        for s in ["●", "▲", "◎", "-", "済", "○△", "○ ×", "達成?", "a", "1", "良", "◇"] {
            assert_eq!(parse_grade(s), GradeCell::Unknown, "{s}");
            assert_eq!(parse_grade(s).grade(), None);
        }
    }

    #[test]
    fn labels() {
        assert_eq!(Grade::Partly.label_ja(), "一部未達成");
        assert_eq!(Grade::NotAchieved.label_en(), "not achieved");
        assert_eq!(Grade::from_symbol("〇"), None);
    }

    fn legend(s: &str) -> Legend {
        Legend::parse(s).unwrap_or_else(|| panic!("{s:?} should be a legend"))
    }

    fn meanings(l: &Legend) -> Vec<(&str, Option<Grade>)> {
        l.items.iter().map(|i| (i.symbol.as_str(), i.meaning)).collect()
    }

    #[test]
    fn legends_of_several_governments() {
        use Grade::*;
        let l = legend(crate::layout::LEGEND);
        assert_eq!(meanings(&l), vec![("○", Some(Achieved)), ("△", Some(Partly)), ("×", Some(NotAchieved))]);
        assert!(l.is_default());
        assert_eq!(l.items[1].word, "一部未達成");
        let l = legend("◎：予定以上 ○：予定どおり △：やや遅れ");
        assert_eq!(meanings(&l), vec![("◎", Some(Achieved)), ("○", Some(Achieved)), ("△", Some(Partly))]);
        assert!(!l.is_default());
        let l = legend("★★★《達成!》 ★★《概ね達成》 ★《未達成》");
        assert_eq!(meanings(&l), vec![("★★★", Some(Achieved)), ("★★", Some(Partly)), ("★", Some(NotAchieved))]);
        assert_eq!(l.items[0].word, "達成!");
        let l = legend("〇：達成 △：一部未達成 ×：未達成");
        assert!(l.is_default(), "a look-alike in the legend stands for ○");
        let l = legend("【凡例】 A：達成 B：概ね達成 C：未達成");
        assert_eq!(meanings(&l), vec![("A", Some(Achieved)), ("B", Some(Partly)), ("C", Some(NotAchieved))]);
        let l = legend("評価：○：達成、△：一部未達成、×：未達成");
        assert!(l.is_default());
        let l = legend("○:達成△:一部未達成×:未達成");
        assert_eq!(l.items.len(), 3, "no spaces between the items");
        // A word that says nothing clear takes its place on the scale.
        let l = legend("◎：大変よい ○：達成 △：一部未達成 ×：未達成 ●：評価対象外");
        assert_eq!(l.item("◎").unwrap().meaning, Some(Achieved));
        assert_eq!(l.item("●").unwrap().meaning, Some(NotAchieved));
        let l = legend("S：100%以上 A：80%以上");
        assert_eq!(meanings(&l), vec![("S", None), ("A", None)]);
    }

    #[test]
    fn texts_that_are_not_legends() {
        for s in [
            "",
            "○",
            "達成",
            "○：達成",
            "○ 達成した",
            "目標を達成しました。○：達成",
            "A：達成",
            "ABC",
            "○：",
            "○：これはとても長い説明で凡例の語にしては長すぎるものです △：遅れ",
            "推進",
            "(R5：290件)",
            "評価",
        ] {
            assert_eq!(Legend::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn grades_follow_the_legend() {
        use Grade::*;
        let l = legend("◎：予定以上 ○：予定どおり △：やや遅れ");
        let read = |s: &str| parse_grade_in(s, Some(&l));
        assert_eq!(read("◎"), GradeCell::Defined { symbol: "◎".into(), meaning: Some(Achieved) });
        assert_eq!(read("○"), GradeCell::Canonical(Achieved));
        assert_eq!(read("○(予定どおり)"), GradeCell::Canonical(Achieved));
        assert_eq!(read("○（予定どおり）"), GradeCell::Canonical(Achieved));
        assert_eq!(read("◎ 予定以上"), GradeCell::Defined { symbol: "◎".into(), meaning: Some(Achieved) });
        assert_eq!(read("△(やや遅れ)"), GradeCell::Canonical(Partly));
        assert_eq!(read("○(やや遅れ)"), GradeCell::Unknown, "another item's word");
        assert_eq!(read("×"), GradeCell::Unknown, "not in this legend");
        assert_eq!(read("〇"), GradeCell::Variant { grade: Achieved, found: "〇".into() });
        assert_eq!(read("未達成"), GradeCell::Unknown, "× is not in this legend");
        assert_eq!(read(" "), GradeCell::Empty);
        assert_eq!(read("◎○"), GradeCell::Unknown);

        let stars = legend("★★★《達成!》 ★★《概ね達成》 ★《未達成》");
        let read = |s: &str| parse_grade_in(s, Some(&stars));
        assert_eq!(read("★★★《達成!》").grade(), Some(Achieved));
        assert_eq!(read("★★").grade(), Some(Partly));
        assert_eq!(read("★").grade(), Some(NotAchieved));
        assert_eq!(read("○"), GradeCell::Unknown);
        assert_eq!(read("★★★★"), GradeCell::Unknown);

        // A legend where ○ is one step down.
        let l = legend("◎：達成 ○：概ね達成 △：未達成");
        assert_eq!(parse_grade_in("○", Some(&l)), GradeCell::Defined { symbol: "○".into(), meaning: Some(Partly) });
        assert_eq!(parse_grade_in("〇", Some(&l)), GradeCell::Unknown, "no ○ meaning achieved to write instead");

        // The default legend reads as no legend.
        let d = legend(crate::layout::LEGEND);
        for s in ["○", "△", "×", "〇", "✕", "達成", "◎", "●", "済", "", "○△"] {
            assert_eq!(parse_grade_in(s, Some(&d)), parse_grade(s), "{s}");
            assert_eq!(parse_grade_in(s, None), parse_grade(s), "{s}");
        }
        assert_eq!(parse_grade_in("○（達成）", Some(&d)), GradeCell::Canonical(Achieved));
        // A sheet with the official legend keeps none: its grades read the same.
        assert!(official_legend().is_some_and(|o| *o == d));
        for (s, g) in
            [("○（達成）", Achieved), ("△(一部未達成)", Partly), ("× 未達成", NotAchieved), ("○：達成", Achieved)]
        {
            assert_eq!(parse_grade_in(s, None), GradeCell::Canonical(g), "{s}");
        }
        assert_eq!(parse_grade_in("○(一部未達成)", None), GradeCell::Unknown, "another item's word");
        // A word of the symbol's own meaning, not the legend's: the grade, written otherwise.
        for (s, g) in
            [("△（一部達成）", Partly), ("○（目標達成）", Achieved), ("×(未達)", NotAchieved), ("○：完了", Achieved)]
        {
            assert_eq!(parse_grade_in(s, None), GradeCell::Variant { grade: g, found: s.into() }, "{s}");
        }
        assert_eq!(parse_grade_in("○（概ね達成）", None), GradeCell::Unknown, "a word of another meaning");
        assert_eq!(parse_grade_in("○（その他）", None), GradeCell::Unknown, "a word of no clear meaning");
        let l = legend("◎：予定以上 ○：予定どおり △：やや遅れ");
        assert_eq!(
            parse_grade_in("○（順調）", Some(&l)),
            GradeCell::Variant { grade: Achieved, found: "○（順調）".into() }
        );
        assert_eq!(parse_grade_in("◎（順調）", Some(&l)), GradeCell::Unknown, "only ○ △ × are written otherwise");
        assert_eq!(parse_grade_in("△（遅れ）", Some(&l)), GradeCell::Unknown, "遅れ is not achieved, this △ partly");
    }

    #[test]
    fn legend_words() {
        assert_eq!(meaning_of_word("一部未達成"), Some(Grade::Partly));
        assert_eq!(meaning_of_word("やや遅れ"), Some(Grade::Partly));
        assert_eq!(meaning_of_word("大幅な遅れ"), Some(Grade::NotAchieved));
        assert_eq!(meaning_of_word("達成できなかった"), Some(Grade::NotAchieved));
        assert_eq!(meaning_of_word("予定以上"), Some(Grade::Achieved));
        assert_eq!(meaning_of_word("達成!"), Some(Grade::Achieved));
        assert_eq!(meaning_of_word("その他"), None);
    }

    #[test]
    fn grade_from_indicators() {
        assert_eq!(from_achievements(&[]), None);
        assert_eq!(from_achievements(&[true]), Some(Grade::Achieved));
        assert_eq!(from_achievements(&[true, true, true]), Some(Grade::Achieved));
        assert_eq!(from_achievements(&[false]), Some(Grade::NotAchieved));
        assert_eq!(from_achievements(&[false, false]), Some(Grade::NotAchieved));
        assert_eq!(from_achievements(&[true, false]), Some(Grade::Partly));
        assert_eq!(from_achievements(&[false, false, true]), Some(Grade::Partly));
    }
}
