//! The No. of an entry: a number as people write it in that column (`3`, `３`, `①`, `(3)`,
//! `No.3`). Read by the rules that check numbering and by the reader, which tells a row that
//! starts an entry from one that does not.

use super::fold_str;

/// The number a No. cell holds, if it holds one: `3`, `３`, ` 3 `, `3.`, and the ways of
/// numbering people use for it: `①` (to ㊿), `(3)`, `（３）`, `No.3`, `№3`.
pub fn parse_no(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(n) = circled_number(t) {
        return Some(n);
    }
    // ASCII needs no folding (the common case, asked by three rules for every entry).
    let folded = if t.is_ascii() { std::borrow::Cow::Borrowed(t) } else { std::borrow::Cow::Owned(fold_str(t)) };
    let t = folded.trim();
    let t = ["No.", "NO.", "no.", "No", "NO", "№"].iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t).trim_start();
    let t = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')).unwrap_or(t);
    t.trim_end_matches('.').parse::<u32>().ok()
}

/// Whether a No. marks the form's example row, left in the table (`例`, `記入例`, `（例）`,
/// `記載例`, `例1`).
pub fn is_example(text: &str) -> bool {
    let folded = fold_str(text.trim());
    let t = folded.trim();
    let t = t.strip_prefix(['(', '【', '[']).unwrap_or(t);
    let t = t.strip_suffix([')', '】', ']']).unwrap_or(t);
    let digits_after = |rest: &str| rest.chars().all(|c| c.is_ascii_digit());
    match t.strip_prefix('例') {
        Some(rest) => digits_after(rest),
        None => crate::layout::EXAMPLE_WORDS.contains(&t),
    }
}

/// `①`–`⑳`, `㉑`–`㉟`, `㊱`–`㊿` as 1–50.
fn circled_number(t: &str) -> Option<u32> {
    let mut cs = t.chars();
    let c = cs.next()? as u32;
    if cs.next().is_some() {
        return None;
    }
    match c {
        0x2460..=0x2473 => Some(c - 0x2460 + 1),
        0x3251..=0x325F => Some(c - 0x3251 + 21),
        0x32B1..=0x32BF => Some(c - 0x32B1 + 36),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_no;

    #[test]
    fn numbers_as_people_write_them() {
        for (s, n) in [
            ("3", 3),
            (" ３ ", 3),
            ("3.", 3),
            ("①", 1),
            ("⑳", 20),
            ("㉑", 21),
            ("(3)", 3),
            ("（３）", 3),
            ("No.3", 3),
            ("№4", 4),
        ] {
            assert_eq!(parse_no(s), Some(n), "{s}");
        }
        for s in ["", "二", "2-1", "例", "No.", "※注"] {
            assert_eq!(parse_no(s), None, "{s}");
        }
    }
}
