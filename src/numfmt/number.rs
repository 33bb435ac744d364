//! Number sections: placeholders, rounding, separators, exponents and fractions.

use super::{Item, Section};

/// Where a number section's parts are, found once when the code is parsed.
#[derive(Debug, Clone, Default)]
pub(super) struct Layout {
    mode: Mode,
    /// Index of the `.` (fixed and exponent) or of the `/` (fraction).
    split: usize,
    /// Digit placeholders before the split (the integer part; for a fraction, the whole-number
    /// part, which excludes the numerator).
    int_count: usize,
    /// Digit placeholders after `.` (before `E`).
    decimals: usize,
    /// Powers of ten to shift by: +2 per `%`, −3 per trailing comma.
    shift: i32,
    group: bool,
    /// Exponent: index of `E`, whether it is `E+`, the digits it shows at least.
    exp_at: usize,
    exp_plus: bool,
    exp_min_digits: usize,
    /// Engineering notation (`##0.0E+0`): the exponent a multiple of `int_count`.
    engineering: bool,
    /// Fraction: where the numerator placeholders start, how many the denominator has, or
    /// the fixed denominator.
    num_start: usize,
    den_digits: usize,
    fixed_den: Option<u32>,
    /// Whether the fraction has a whole-number part.
    whole: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    Fixed,
    Exponent,
    Fraction,
}

/// Turns each comma into a thousands separator (between integer placeholders), a scaling
/// comma (right after a placeholder or another scaling comma, with no integer placeholder
/// after it), or a literal.
pub(super) fn settle_commas(items: &mut [Item]) {
    let end_of_int =
        items.iter().position(|t| matches!(t, Item::Point | Item::Exp(_) | Item::Slash)).unwrap_or(items.len());
    for i in 0..items.len() {
        if items[i] != Item::Group {
            continue;
        }
        let digit_before = items[..i].iter().any(|t| matches!(t, Item::Digit(_)));
        let digit_after_in_int = i < end_of_int && items[i + 1..end_of_int].iter().any(|t| matches!(t, Item::Digit(_)));
        let prev = i.checked_sub(1).map(|p| &items[p]);
        items[i] = if digit_before && digit_after_in_int {
            Item::Group
        } else if matches!(prev, Some(Item::Digit(_) | Item::Scale)) {
            Item::Scale
        } else {
            Item::Lit(",".into())
        };
    }
}

impl Layout {
    /// The layout of a number section's items; `None` for one this engine does not read (two
    /// decimal points, an exponent without digits, a fraction without a denominator).
    pub(super) fn of(items: &[Item]) -> Option<Layout> {
        let mut l = Layout::default();
        let percents = items.iter().filter(|t| **t == Item::Percent).count() as i32;
        let scales = items.iter().filter(|t| **t == Item::Scale).count() as i32;
        l.shift = 2 * percents - 3 * scales;
        l.group = items.contains(&Item::Group);
        if items.iter().filter(|t| **t == Item::Point).count() > 1 {
            return None;
        }
        if let Some(s) = items.iter().position(|t| *t == Item::Slash) {
            l.mode = Mode::Fraction;
            l.split = s;
            // The numerator: the placeholders right before `/`.
            let mut a = s;
            while a > 0 && matches!(items[a - 1], Item::Digit(_)) {
                a -= 1;
            }
            if a == s {
                return None;
            }
            l.num_start = a;
            l.int_count = items[..a].iter().filter(|t| matches!(t, Item::Digit(_))).count();
            l.whole = l.int_count > 0;
            match items.get(s + 1) {
                Some(Item::FixedDen(d)) if *d > 0 => l.fixed_den = Some(*d),
                _ => {
                    l.den_digits = items[s + 1..].iter().take_while(|t| matches!(t, Item::Digit(_))).count();
                    if l.den_digits == 0 {
                        return None;
                    }
                }
            }
            return Some(l);
        }
        let exp = items.iter().position(|t| matches!(t, Item::Exp(_)));
        let point = items.iter().position(|t| *t == Item::Point);
        let mantissa_end = exp.unwrap_or(items.len());
        l.split = point.filter(|&p| p < mantissa_end).unwrap_or(mantissa_end);
        l.int_count = items[..l.split].iter().filter(|t| matches!(t, Item::Digit(_))).count();
        l.decimals =
            items.get(l.split..mantissa_end).unwrap_or_default().iter().filter(|t| matches!(t, Item::Digit(_))).count();
        if let Some(e) = exp {
            l.mode = Mode::Exponent;
            l.exp_at = e;
            l.exp_plus = items[e] == Item::Exp(true);
            let after = &items[e + 1..];
            if !after.iter().any(|t| matches!(t, Item::Digit(_))) {
                return None;
            }
            l.exp_min_digits = after.iter().filter(|t| **t == Item::Digit(b'0')).count();
            let first = items[..l.split].iter().find(|t| matches!(t, Item::Digit(_)));
            l.engineering = l.int_count > 1 && first == Some(&Item::Digit(b'#'));
        }
        Some(l)
    }
}

/// Fifteen significant digits as ASCII, kept on the stack: every number a sheet shows passes
/// through [`digits15`], and its three heap strings per number were a fifth of all the
/// allocations of `check` (DHAT, docs/performance.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Digits15([u8; 15]);

impl Digits15 {
    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A number's text formatted on the stack (`{:.14e}` of an `f64` is at most 22 bytes).
struct StackText {
    buf: [u8; 48],
    len: usize,
}

impl StackText {
    fn new() -> StackText {
        StackText { buf: [0; 48], len: 0 }
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The digits of `x` (≥ 0, finite) to 15 significant digits, and where the decimal point
/// goes: `x = 0.d₁d₂…d₁₅ × 10^point`. Zero is all zeros with point 1.
///
/// Every number a sheet shows passes through here. Formatting `{:.14e}` exactly (Grisu, then
/// Dragon when Grisu gives up) was a tenth of `check`'s number formatting, so most numbers
/// take [`digits15_scaled`] and only the rest are formatted exactly ([`digits15_exact`]); a
/// test holds the two to the same digits.
pub(super) fn digits15(x: f64) -> (Digits15, i32) {
    if x == 0.0 {
        return (Digits15([b'0'; 15]), 1);
    }
    if x.fract() == 0.0 && x < 1e15 {
        // Exact: an integer below 10¹⁵ has at most 15 digits.
        let n = x as u64;
        let len = decimal_len(n);
        let mut digits = [b'0'; 15];
        write_decimal(&mut digits[..len], n);
        return (Digits15(digits), len as i32);
    }
    digits15_scaled(x).unwrap_or_else(|| digits15_exact(x))
}

/// Powers of ten that an `f64` holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// `x` scaled by an exact power of ten into [10¹⁴, 10¹⁵) with one correctly rounded
/// multiplication or division, then rounded to an integer: the same 15 digits as exact
/// formatting unless the scaled value lies near a half, where the product's rounding error
/// (at most half a unit in its last place, 1/16 in that range) could tip it. Then, or when no
/// exact power of ten fits, `None`.
fn digits15_scaled(x: f64) -> Option<(Digits15, i32)> {
    // log10 can be off by one next to a power of ten: the range check below corrects it.
    let mut e = x.log10().floor() as i32;
    let mut scaled = 0.0;
    for _ in 0..2 {
        let k = 14 - e;
        let pow = *EXACT_POW10.get(k.unsigned_abs() as usize)?;
        scaled = if k >= 0 { x * pow } else { x / pow };
        if scaled < 1e14 {
            e -= 1;
        } else if scaled >= 1e15 {
            e += 1;
        } else {
            break;
        }
    }
    if !(1e14..1e15).contains(&scaled) {
        return None;
    }
    let frac = scaled - scaled.floor();
    if (frac - 0.5).abs() < 0.125 {
        return None;
    }
    let mut n = scaled.round() as u64;
    let mut point = e + 1;
    if n >= 1_000_000_000_000_000 {
        n /= 10;
        point += 1;
    }
    let mut digits = [b'0'; 15];
    write_decimal(&mut digits, n);
    Some((Digits15(digits), point))
}

/// [`digits15`] by formatting `x` exactly, rounded to 15 significant digits.
fn digits15_exact(x: f64) -> (Digits15, i32) {
    use std::fmt::Write;
    let mut digits = [b'0'; 15];
    let mut text = StackText::new();
    let _ = write!(text, "{x:.14e}");
    let s = text.bytes();
    let e = s.iter().position(|&b| b == b'e').unwrap_or(s.len());
    for (slot, &b) in digits.iter_mut().zip(s[..e].iter().filter(|b| b.is_ascii_digit())) {
        *slot = b;
    }
    let exp = std::str::from_utf8(s.get(e + 1..).unwrap_or_default()).ok().and_then(|t| t.parse::<i32>().ok());
    (Digits15(digits), exp.unwrap_or(0) + 1)
}

/// How many decimal digits `n` has (1 for zero).
fn decimal_len(mut n: u64) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

/// `n`'s decimal digits, right-aligned in `out` (which holds them all).
fn write_decimal(out: &mut [u8], mut n: u64) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// `x × 10^shift` rounded half away from zero to `decimals` places, on its 15 significant
/// digits: the integer digits (without leading zeros, empty for zero) and exactly
/// `decimals` fraction digits.
pub(super) fn round_fixed(x: f64, shift: i32, decimals: usize) -> (String, String) {
    if x == 0.0 {
        return (String::new(), "0".repeat(decimals));
    }
    let (d, point) = digits15(x);
    let mut point = point + shift;
    // Digit values, with room for a carry out of the first.
    let mut digits = [0u8; 16];
    for (slot, b) in digits.iter_mut().zip(d.0) {
        *slot = b - b'0';
    }
    let mut len = 15;
    let keep = point + decimals as i32;
    if keep < 0 {
        return (String::new(), "0".repeat(decimals));
    }
    let keep = keep as usize;
    if keep < len {
        let up = digits[keep] >= 5;
        len = keep;
        if up {
            let mut i = len;
            loop {
                if i == 0 {
                    digits.copy_within(0..len, 1);
                    digits[0] = 1;
                    len += 1;
                    point += 1;
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
    }
    let digits = &digits[..len];
    let at = |i: i64| -> char {
        if i < 0 {
            '0'
        } else {
            digits.get(i as usize).map_or('0', |&d| (b'0' + d) as char)
        }
    };
    let mut int = String::new();
    for c in (0..point.max(0) as i64).map(at) {
        if !(int.is_empty() && c == '0') {
            int.push(c);
        }
    }
    let mut frac = String::with_capacity(decimals);
    frac.extend((point as i64..point as i64 + decimals as i64).map(at));
    (int, frac)
}

/// The integer placeholders among `items` filled with `digits` (right-aligned; extra digits
/// go before the first placeholder), with thousands separators when `group`.
fn fill_int(items: &[Item], digits: &str, group: bool, out: &mut String) {
    let n = items.iter().filter(|t| matches!(t, Item::Digit(_))).count();
    let m = digits.len();
    // Digits shown in all, to place the separators.
    let mut shown = 0usize;
    for (j, t) in items.iter().filter_map(|t| if let Item::Digit(d) = t { Some(*d) } else { None }).enumerate() {
        let pos = n - 1 - j;
        if j == 0 && m > n {
            shown += m - n;
        }
        if pos < m || t == b'0' {
            shown += 1;
        }
    }
    let mut emitted = 0usize;
    let mut push_digit = |c: char, out: &mut String| {
        out.push(c);
        emitted += 1;
        let rest = shown - emitted;
        if group && rest > 0 && rest.is_multiple_of(3) {
            out.push(',');
        }
    };
    let mut j = 0usize;
    for t in items {
        match t {
            Item::Digit(d) => {
                let pos = n - 1 - j;
                if j == 0 && m > n {
                    for c in digits[..m - n].chars() {
                        push_digit(c, out);
                    }
                }
                if pos < m {
                    let c = digits.as_bytes()[m - 1 - pos] as char;
                    push_digit(c, out);
                } else {
                    match d {
                        b'0' => push_digit('0', out),
                        b'?' => out.push(' '),
                        _ => {}
                    }
                }
                j += 1;
            }
            other => push_other(other, out),
        }
    }
    if n == 0 && m > 0 {
        // No integer placeholder (`.00`): the integer digits still show, before the point.
        for c in digits.chars() {
            push_digit(c, out);
        }
    }
}

/// The decimal placeholders filled with `digits`, trailing zeros dropped for `#` and shown
/// as spaces for `?`.
fn fill_decimals(items: &[Item], digits: &str, out: &mut String) {
    let places: Vec<u8> = items.iter().filter_map(|t| if let Item::Digit(d) = t { Some(*d) } else { None }).collect();
    let bytes = digits.as_bytes();
    // Placeholders from `cut` on show a trailing zero as nothing or a space.
    let mut cut = places.len();
    while cut > 0 && bytes.get(cut - 1) == Some(&b'0') && places[cut - 1] != b'0' {
        cut -= 1;
    }
    let mut j = 0usize;
    for t in items {
        match t {
            Item::Digit(d) => {
                if j < cut {
                    out.push(bytes.get(j).map_or('0', |&b| b as char));
                } else if *d == b'?' {
                    out.push(' ');
                }
                j += 1;
            }
            other => push_other(other, out),
        }
    }
}

/// Everything but a digit placeholder.
fn push_other(t: &Item, out: &mut String) {
    match t {
        Item::Lit(s) => out.push_str(s),
        Item::Point => out.push('.'),
        Item::Percent => out.push('%'),
        Item::Slash => out.push('/'),
        Item::FixedDen(d) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{d}");
        }
        Item::General => out.push_str("General"),
        _ => {}
    }
}

/// `abs` (≥ 0) under a number section, without any sign.
pub(super) fn render(section: &Section, abs: f64) -> String {
    let l = &section.num;
    let items = &section.items;
    let mut out = String::new();
    match l.mode {
        Mode::Fixed => {
            let (int, frac) = round_fixed(abs, l.shift, l.decimals);
            fill_int(&items[..l.split], &int, l.group, &mut out);
            if l.split < items.len() {
                out.push('.');
                fill_decimals(&items[l.split + 1..], &frac, &mut out);
            }
        }
        Mode::Exponent => {
            let k = l.int_count.max(1) as i32;
            let (int, frac, e) = if abs == 0.0 {
                (String::new(), "0".repeat(l.decimals), 0)
            } else {
                let e10 = digits15(abs).1 - 1;
                let mut e = if l.engineering { e10.div_euclid(k) * k } else { e10 - (k - 1) };
                let (mut int, mut frac) = round_fixed(abs, -e, l.decimals);
                if int.len() as i32 > k {
                    e += if l.engineering { k } else { 1 };
                    (int, frac) = round_fixed(abs, -e, l.decimals);
                }
                (int, frac, e)
            };
            let mantissa_end = l.exp_at;
            fill_int(&items[..l.split], &int, l.group, &mut out);
            if l.split < mantissa_end {
                out.push('.');
                fill_decimals(&items[l.split + 1..mantissa_end], &frac, &mut out);
            }
            out.push('E');
            if e < 0 {
                out.push('-');
            } else if l.exp_plus {
                out.push('+');
            }
            let digits = format!("{:0>width$}", e.unsigned_abs(), width = l.exp_min_digits);
            fill_int(&items[mantissa_end + 1..], &digits, false, &mut out);
        }
        Mode::Fraction => fraction(section, abs, &mut out),
    }
    out
}

fn round_half_away(x: f64) -> f64 {
    x.round()
}

fn fraction(section: &Section, abs: f64, out: &mut String) {
    let l = &section.num;
    let items = &section.items;
    let (mut whole, f) = if l.whole { (abs.trunc(), abs.fract()) } else { (0.0, abs) };
    let (mut num, den) = match l.fixed_den {
        Some(d) => (round_half_away(f * d as f64), d as f64),
        None => {
            let max = 10f64.powi(l.den_digits.min(4) as i32) - 1.0;
            let (mut best, mut best_err) = ((round_half_away(f), 1.0), f64::INFINITY);
            let mut d = 1.0;
            while d <= max {
                let n = round_half_away(f * d);
                let err = (f - n / d).abs();
                if err < best_err - 1e-12 {
                    (best, best_err) = ((n, d), err);
                }
                d += 1.0;
            }
            best
        }
    };
    if l.whole && num >= den {
        whole += 1.0;
        num = 0.0;
    }
    let int_digits = |v: f64| if v == 0.0 { String::new() } else { format!("{v:.0}") };
    // The whole-number part: everything before the numerator but the literal right before it.
    let whole_end = (0..l.num_start).rev().find(|&i| matches!(items[i], Item::Digit(_))).map_or(0, |i| i + 1);
    if l.whole && num == 0.0 {
        // `2` under `# ?/?`: the number, then spaces as wide as the fraction.
        let digits = if whole == 0.0 { "0".to_string() } else { int_digits(whole) };
        fill_int(&items[..whole_end], &digits, l.group, out);
        let width: usize = items[whole_end..]
            .iter()
            .map(|t| match t {
                Item::Lit(s) => s.chars().count(),
                Item::Digit(_) | Item::Slash => 1,
                _ => 0,
            })
            .sum();
        out.extend(std::iter::repeat_n(' ', width));
        return;
    }
    fill_int(&items[..whole_end], &int_digits(whole), l.group, out);
    for t in &items[whole_end..l.num_start] {
        push_other(t, out);
    }
    let num_text = format!("{num:.0}");
    fill_int(&items[l.num_start..l.split], &num_text, false, out);
    out.push('/');
    let after = &items[l.split + 1..];
    match l.fixed_den {
        Some(d) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{d}");
            for t in after.iter().skip(1) {
                push_other(t, out);
            }
        }
        None => {
            let den_text = format!("{den:.0}");
            let mut shown = den_text.chars();
            let mut placeholders = 0;
            for t in after {
                match t {
                    Item::Digit(d) if placeholders < l.den_digits => {
                        placeholders += 1;
                        match (shown.next(), d) {
                            (Some(c), _) => out.push(c),
                            (None, b'?') => out.push(' '),
                            (None, b'0') => out.push('0'),
                            _ => {}
                        }
                        if placeholders == l.den_digits {
                            out.extend(shown.by_ref());
                        }
                    }
                    other => push_other(other, out),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_on_15_digits() {
        assert_eq!(round_fixed(1.005, 0, 2), ("1".into(), "01".into()));
        assert_eq!(round_fixed(2.675, 0, 2), ("2".into(), "68".into()));
        assert_eq!(round_fixed(0.5, 0, 0), ("1".into(), "".into()));
        assert_eq!(round_fixed(0.4, 0, 0), ("".into(), "".into()));
        assert_eq!(round_fixed(9.99, 0, 1), ("10".into(), "0".into()));
        assert_eq!(round_fixed(0.0052, 2, 2), ("".into(), "52".into()));
        assert_eq!(round_fixed(1_500_000.0, -3, 0), ("1500".into(), "".into()));
        assert_eq!(round_fixed(1e-7, 0, 2), ("".into(), "00".into()));
        assert_eq!(digits15(1e20).1, 21);
    }

    /// The scaled shortcut gives exactly the digits of exact formatting, or steps aside.
    #[test]
    fn scaled_digits_are_the_exact_digits() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut taken = 0;
        let mut values: Vec<f64> = vec![
            1.005,
            2.675,
            0.85,
            0.1,
            0.3,
            12.5,
            318.75,
            0.0052,
            1e-7,
            9.999_999_999_999_95,
            0.999_999_999_999_999_9,
            123_456.789,
            1e22,
            1e-22,
            4.35,
            0.145,
            1_234_567.891_234_5,
        ];
        for _ in 0..200_000 {
            let bits = next();
            // Decimal-looking values (what sheets hold) and arbitrary doubles.
            let cents = (bits % 100_000_000) as f64 / 10f64.powi((bits >> 40) as i32 % 9);
            values.push(cents);
            values.push(f64::from_bits(bits >> 2 | 0x3000_0000_0000_0000));
        }
        for x in values {
            if !x.is_finite() || x <= 0.0 {
                continue;
            }
            if let Some(fast) = digits15_scaled(x) {
                taken += 1;
                assert_eq!(fast, digits15_exact(x), "{x:e}");
            }
        }
        assert!(taken > 200_000, "the shortcut should take most values, took {taken}");
    }
}
