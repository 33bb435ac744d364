//! What a fixed text keeps of the marks on the old text's characters: the fonts of a rich
//! text's runs, which the patch writes back (`patch::rich`), and the struck-through part the
//! reader found (見え消し, [`crate::model::Sheet::struck`]), which the rules read after the
//! fix. Both follow one mapping, so the findings left after a fix are those a check of the
//! corrected workbook gives.

use std::ops::Range;

/// The mark of each character of `new`, given the mark of each character of `old`: with as
/// many characters as before, character by character (full-width digits made half-width);
/// otherwise what both texts start and end with keeps its marks and the changed middle takes
/// the mark of its first character (for an insertion, of the character before it, or after
/// it at the start). `old` is not empty.
pub fn carried<M: Copy>(old: &[(char, M)], new: &[char]) -> Vec<M> {
    if old.len() == new.len() {
        return old.iter().map(|&(_, m)| m).collect();
    }
    let prefix = old.iter().zip(new).take_while(|((a, _), b)| a == *b).count();
    let most = old.len().min(new.len()) - prefix;
    let suffix = old.iter().rev().zip(new.iter().rev()).take(most).take_while(|((a, _), b)| a == *b).count();
    let middle = old
        .get(prefix)
        .filter(|_| prefix < old.len() - suffix)
        .or_else(|| prefix.checked_sub(1).and_then(|p| old.get(p)))
        .or_else(|| old.first())
        .map(|&(_, m)| m);
    let marks_of = |r: Range<usize>| old[r].iter().map(|&(_, m)| m).collect::<Vec<_>>();
    let mut out = marks_of(0..prefix);
    if let Some(middle) = middle {
        out.extend(std::iter::repeat_n(middle, new.len() - prefix - suffix));
    }
    out.extend(marks_of(old.len() - suffix..old.len()));
    out
}

/// The struck-through part of a cell whose text `before` became `after`: all of `after` when
/// all of `before` was struck; else the characters of `after` that carry the mark of the
/// struck part's characters (its first occurrence in `before`), or `struck` as it was when it
/// is not in `before`. `None` when nothing of it is left.
pub fn struck_after(struck: &str, before: &str, after: &str) -> Option<String> {
    if struck == before || struck.trim() == before.trim() {
        return (!after.trim().is_empty()).then(|| after.to_string());
    }
    let Some(at) = before.find(struck).filter(|_| !struck.is_empty()) else { return Some(struck.to_string()) };
    let range = at..at + struck.len();
    let old: Vec<(char, bool)> = before.char_indices().map(|(i, c)| (c, range.contains(&i))).collect();
    let new: Vec<char> = after.chars().collect();
    let text: String = new.iter().zip(carried(&old, &new)).filter(|&(_, s)| s).map(|(c, _)| *c).collect();
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_struck_part_follows_its_characters_through_a_fix() {
        // The whole cell struck: the whole new text.
        assert_eq!(struck_after("〇", "〇", "○").as_deref(), Some("○"));
        // Full-width digits made half-width: character by character.
        assert_eq!(
            struck_after("１,８００件", "１,８００件 １,７００件", "1,800件 1,700件").as_deref(),
            Some("1,800件")
        );
        // A trailing space trimmed: the part keeps its characters.
        assert_eq!(struck_after("旧", "旧 新 ", "旧 新").as_deref(), Some("旧"));
        // An invisible character removed inside the struck part.
        assert_eq!(struck_after("古\u{200B}い", "古\u{200B}い 新しい", "古い 新しい").as_deref(), Some("古い"));
        // Not in the old text: kept as it was.
        assert_eq!(struck_after("別", "旧 新", "旧 新").as_deref(), Some("別"));
        // Nothing of it left.
        assert_eq!(struck_after("\u{200B}", "旧\u{200B}新", "旧新"), None);
    }
}
