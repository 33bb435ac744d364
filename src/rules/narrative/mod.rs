//! GS5xx: the narrative 目標達成状況, compared with the grade and the result.
//!
//! Narratives are free text; these rules only act on what is said clearly (「目標を達成しました」,
//! 「計16回開催」, 「目標値の88.9%」) and stay quiet on anything else, because a warning about a
//! figure that was never meant as the result teaches people to ignore warnings.

pub mod narrative_figure_mismatch;
pub mod narrative_grade_contradiction;

use crate::model::{Entry, Field};
use crate::rules::common::shared_from_above;
use std::collections::HashSet;
use std::ops::Range;

/// The narratives of an entry worth reading: one per distinct text (a 目標達成状況 merged over
/// several rows is read once, at its first row).
pub(crate) fn statuses(entry: &Entry) -> Vec<(usize, &str)> {
    let mut out: Vec<(usize, &str)> = Vec::new();
    for (i, ind) in entry.indicators.iter().enumerate() {
        let s = ind.status.as_str();
        if s.trim().is_empty() || shared_from_above(entry, i, Field::Status) && s.trim().is_empty() {
            continue;
        }
        if out.last().is_some_and(|(_, prev)| *prev == s) {
            continue;
        }
        out.push((i, s));
    }
    out
}

/// Whether a character is a digit, half- or full-width.
pub(crate) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// The spans of numbers written in a text (`1,512`, `88.9`, `１６`), without units.
pub(crate) fn number_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let prev_is_num = prev.is_some_and(|p| is_digit(p) || matches!(p, '.' | '．'));
        prev = Some(c);
        if !is_digit(c) || prev_is_num {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(pos, d)) = chars.peek() {
            let next_is_digit = || text.get(pos + d.len_utf8()..).and_then(|r| r.chars().next()).is_some_and(is_digit);
            if is_digit(d) {
                end = pos + d.len_utf8();
            } else if !(matches!(d, ',' | '.' | '，' | '．') && next_is_digit()) {
                break;
            }
            prev = Some(d);
            chars.next();
        }
        out.push(start..end);
    }
    out
}

/// Whether two texts share a word of two or more characters (kanji or katakana), e.g.
/// 「業務改善」 and 「改善実践数」 share 「改善」.
#[cfg(test)]
pub(crate) fn share_word(a: &str, b: &str) -> bool {
    shares_pair(a, &word_pairs(b))
}

fn wordy(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{30A0}'..='\u{30FF}').contains(&c)
}

/// The pairs of adjacent kanji or katakana of `b`: made once for a text that many short ones
/// are compared with (searching the text again for each was its length times theirs).
pub(crate) fn word_pairs(b: &str) -> HashSet<(char, char)> {
    b.chars().zip(b.chars().skip(1)).filter(|&(p, c)| wordy(p) && wordy(c)).collect()
}

/// Whether `a` shares a word of two or more characters with the text of `pairs`
/// ([`word_pairs`]).
pub(crate) fn shares_pair(a: &str, pairs: &HashSet<(char, char)>) -> bool {
    a.chars().zip(a.chars().skip(1)).any(|pair| pairs.contains(&pair))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_text() {
        let t = "前年度より186件減少し、目標値の88.9%でした。計１６回、1,512件";
        let got: Vec<&str> = number_spans(t).into_iter().map(|s| &t[s]).collect();
        assert_eq!(got, vec!["186", "88.9", "１６", "1,512"]);
    }

    #[test]
    fn numbers_next_to_separators_and_points() {
        let cases: [(&str, &[&str]); 8] = [
            ("1.2.3件", &["1.2.3"]),
            ("12,件と3，", &["12", "3"]),
            ("３．５％、4.", &["３．５", "4"]),
            ("1,000,0", &["1,000,0"]),
            (".5と．6", &[]),
            ("R6年5月", &["6", "5"]),
            ("a1b22c333", &["1", "22", "333"]),
            ("", &[]),
        ];
        for (t, want) in cases {
            let got: Vec<&str> = number_spans(t).into_iter().map(|s| &t[s]).collect();
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn shared_words() {
        assert!(share_word("業務改善", "改善実践数"));
        assert!(!share_word("不備事案発生", "内部統制制度の報告件数"));
    }
}
