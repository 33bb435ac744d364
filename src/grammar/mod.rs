//! The value grammars of the sheet, each parsed in exactly one place.
//!
//! - [`quantity`]: targets and results (`1,700件`, `4.6以上`, `△0.52%\n(R6:87.63%)`, `推進`).
//! - [`date`]: 作成日 / 評価日 (`R6.5.15`, `令和6年5月15日`, `2024/5/15`, Excel date cells).
//! - [`year`]: fiscal years (`令和6年度`, `R7`, `2025`) and the `Ｒ６目標` table headers.
//! - [`grade`]: 評価 (○ △ × and the variants people type).
//!
//! Width folding is shared: every grammar reads the text through `fold`, which applies
//! Unicode NFKC (via `unicode-normalization`) to the characters where width is the only
//! difference (the full-width forms block `Ｒ６，．％（）：－`, the ideographic space and the
//! era ligatures `㋿ ㍻ ㍼ ㍽`), and leaves everything else alone. Applying NFKC to the whole
//! text would also turn `①` into `1` or `²` into `2`, which are not digits anybody typed as a
//! number. Each folded character remembers the byte span of the original character, so errors
//! and fixes can point into the text as the user wrote it.

pub mod date;
pub mod grade;
pub mod no;
pub mod quantity;
pub mod year;

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// One character of a text after width folding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded {
    /// The folded character (`６` → `6`).
    pub c: char,
    /// Byte span of the original character it came from.
    pub span: Range<usize>,
    /// The original was a full-width form of an ASCII character (`６`, `％`, `，`).
    pub wide: bool,
}

/// Whether `c` is folded by [`fold`].
pub(crate) fn foldable(c: char) -> bool {
    matches!(c as u32, 0xFF01..=0xFFEF | 0x3000 | 0x32FF | 0x337B..=0x337E)
}

/// The text as folded characters with their original byte spans (see the module doc).
pub(crate) fn fold(text: &str) -> Vec<Folded> {
    let mut out = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let span = i..i + c.len_utf8();
        if foldable(c) {
            let wide = matches!(c as u32, 0xFF01..=0xFF5E);
            for f in std::iter::once(c).nfkc() {
                out.push(Folded { c: f, span: span.clone(), wide });
            }
        } else {
            out.push(Folded { c, span, wide: false });
        }
    }
    out
}

/// Whether `c` shows nothing and is not a space or a line break: zero-width characters, text
/// direction marks, Word's line break (U+000B) and other control characters. GS603 reports
/// them in values and its fix removes them; labels and legends are read without them, so a
/// legend with one is the legend before the fix as after it.
pub fn invisible(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\u{200B}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// `text` without its [`invisible`] characters (borrowed when it has none).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(invisible) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !invisible(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// A folded text as a plain string (for grammars that need no spans).
pub(crate) fn fold_str(text: &str) -> String {
    fold(text).into_iter().map(|f| f.c).collect()
}

/// Byte span covering folded characters `from..to` (indices into the folded vector); an empty
/// span at the right place when `from == to`.
/// The range of `chars` without leading and trailing whitespace (`start == end` when blank).
pub(crate) fn trimmed(chars: &[Folded]) -> (usize, usize) {
    let start = chars.iter().position(|f| !f.c.is_whitespace()).unwrap_or(chars.len());
    let end = chars.iter().rposition(|f| !f.c.is_whitespace()).map_or(start, |i| i + 1);
    (start, end)
}

pub(crate) fn span_of(chars: &[Folded], from: usize, to: usize, text_len: usize) -> Range<usize> {
    let start = chars.get(from).map(|f| f.span.start).unwrap_or(text_len);
    if to <= from {
        return start..start;
    }
    let end = chars.get(to - 1).map(|f| f.span.end).unwrap_or(text_len);
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_keeps_original_spans() {
        let f = fold("Ｒ６年");
        let cs: String = f.iter().map(|x| x.c).collect();
        assert_eq!(cs, "R6年");
        assert_eq!(f[0].span, 0..3);
        assert_eq!(f[1].span, 3..6);
        assert!(f[1].wide);
        assert!(!f[2].wide);
    }

    #[test]
    fn fold_leaves_circled_digits_and_kana_alone() {
        assert_eq!(fold_str("①ヶ所〇"), "①ヶ所〇");
        assert_eq!(fold_str("㋿６"), "令和6");
        assert_eq!(fold_str("１，０００．５％"), "1,000.5%");
    }

    #[test]
    fn span_of_covers_multi_char_expansions() {
        let f = fold("㋿6");
        assert_eq!(span_of(&f, 0, 2, 4), 0..3);
        assert_eq!(span_of(&f, 3, 3, 4), 4..4);
    }
}
