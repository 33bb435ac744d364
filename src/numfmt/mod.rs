//! Number formats: a cell's value rendered as Excel displays it under its format code.
//!
//! [`Format::parse`] reads a format code once (readers cache one [`Format`] per style);
//! [`Format::render`] turns a number into the text Excel shows, or [`Rendered::Unrenderable`]
//! when Excel would show `#####` (a negative date, a value no section's condition accepts) or
//! the code is beyond what this engine reads: the caller then keeps the number and its code
//! and shows it as General, and never writes that text back as if Excel had shown it.
//!
//! What is read, following Excel (ECMA-376 Part 1, 18.8.31, and Excel's behaviour where the
//! standard is silent):
//! - up to four sections `positive;negative;zero;text`, conditions `[<0]`, `[>=100]` (a section
//!   other than the first shows a negative number without its sign, as does every section of a
//!   code with more than one numeric section), colours ignored, `[$¥-411]` currency text;
//! - `0 # ?` placeholders with Excel's rounding: half away from zero on the value's 15
//!   significant digits (`1.005` with `0.00` is `1.01`), thousands separators, trailing commas
//!   scaling by a thousand each, `%`, exponents `0.00E+00` (`##0.0E+0` in steps of three),
//!   fractions `# ?/?`, `# ?/4`, literals (quoted, `\x`, `_x` as a space, `*x` as nothing, as
//!   a text export shows it), `General`, `@`;
//! - dates and times in the 1900 (with its 29 February 1900) and 1904 systems: `y m d h s`,
//!   `AM/PM`, `[h]:mm`, fractions of a second, month and day names, Japanese weekdays `aaa`,
//!   eras `g gg ggg e ee` (`元年` under `[$-ja-JP-x-gannen]` and `[DBNum1]`), and `[DBNum1]`
//!   (kanji), `[DBNum2]` (formal kanji), `[DBNum3]` (full-width digits).
//!
//! Not `ssfmt` (the crate for this on crates.io, 0.1.x when this was written): it has no
//! Japanese eras, `aaa` or `[DBNum]`, the formats Japanese municipal sheets use most.
//! `tests/it/read_numfmt.rs` holds this engine to what LibreOffice displays for 400 pairs.

mod date;
mod number;

use std::fmt::Write as _;

/// A parsed number format code.
#[derive(Debug, Clone)]
pub struct Format {
    /// The code as given.
    code: String,
    /// Numeric sections, in order (at most three).
    numeric: Vec<Section>,
    /// The text section (`@`), if any.
    text: Option<Section>,
    /// Whether any of the first two sections has a condition.
    conditional: bool,
    /// A code this engine does not read: everything renders as [`Rendered::Unrenderable`].
    unsupported: bool,
    /// `General` alone: the fast path.
    general: bool,
}

/// The outcome of rendering a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    /// The text Excel displays.
    Text(String),
    /// Excel would show `#####`, or the code is beyond this engine: show the number as General,
    /// keep the number and the code, and write no text back.
    Unrenderable,
}

impl Rendered {
    /// The text, or `v` in General when it cannot be rendered.
    pub fn or_general(self, v: f64) -> String {
        match self {
            Rendered::Text(t) => t,
            Rendered::Unrenderable => general(v),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Section {
    cond: Option<(Cmp, f64)>,
    items: Vec<Item>,
    kind: Kind,
    dbnum: u8,
    /// `[$-ja-JP-x-gannen]`: era year 1 as 元.
    gannen: bool,
    /// Number layout (for [`Kind::Number`]).
    num: number::Layout,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Kind {
    /// Literals only (`"－"`), or nothing (`;;;`).
    #[default]
    Literal,
    Number,
    Date,
    General,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl Cmp {
    fn test(self, v: f64, limit: f64) -> bool {
        match self {
            Cmp::Lt => v < limit,
            Cmp::Le => v <= limit,
            Cmp::Gt => v > limit,
            Cmp::Ge => v >= limit,
            Cmp::Eq => v == limit,
            Cmp::Ne => v != limit,
        }
    }
}

/// One token of a section.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    Lit(String),
    /// `0`, `#` or `?`.
    Digit(u8),
    Point,
    /// A thousands separator (between integer placeholders).
    Group,
    /// A trailing comma: divide by 1000.
    Scale,
    Percent,
    /// `E+` (`true`) or `E-`.
    Exp(bool),
    Slash,
    /// The `4` of `# ?/4`.
    FixedDen(u32),
    At,
    General,
    Date(date::Part),
}

impl Format {
    /// Parses a format code. Never fails: a code beyond this engine renders as
    /// [`Rendered::Unrenderable`].
    pub fn parse(code: &str) -> Format {
        if code.is_empty() || code.eq_ignore_ascii_case("general") {
            let (numeric, text, conditional, unsupported, general) = (Vec::new(), None, false, false, true);
            return Format { code: code.to_string(), numeric, text, conditional, unsupported, general };
        }
        let raw = match system_format(code) {
            Some(shown) => vec![shown],
            None => split_sections(code),
        };
        let mut unsupported = raw.len() > 4;
        let mut sections: Vec<Section> = Vec::with_capacity(raw.len());
        for s in raw.iter().take(4) {
            match parse_section(s) {
                Some(sec) => sections.push(sec),
                None => {
                    unsupported = true;
                    sections.push(Section::default());
                }
            }
        }
        // The text section: the fourth, or the last one when it holds `@`.
        let text =
            if sections.len() == 4 || (sections.len() > 1 && sections.last().is_some_and(|s| s.kind == Kind::Text)) {
                sections.pop()
            } else {
                None
            };
        let (numeric, text) = match (sections.len(), text) {
            (1, None) if sections[0].kind == Kind::Text => (Vec::new(), sections.pop()),
            (_, t) => (sections, t),
        };
        let conditional = numeric.iter().take(2).any(|s| s.cond.is_some());
        let general = !unsupported
            && text.is_none()
            && numeric.len() == 1
            && numeric[0].kind == Kind::General
            && numeric[0].dbnum == 0
            && numeric[0].cond.is_none()
            && numeric[0].items.len() == 1;
        Format { code: code.to_string(), numeric, text, conditional, unsupported, general }
    }

    /// The code this format was parsed from.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Whether the code formats numbers as dates or times (its first section does).
    pub fn is_date(&self) -> bool {
        self.numeric.first().is_some_and(|s| s.kind == Kind::Date)
    }

    /// Whether the code is `General` alone.
    pub fn is_general(&self) -> bool {
        self.general
    }

    /// `v` as Excel displays it; dates count from 1904-01-01 when `date1904`.
    pub fn render(&self, v: f64, date1904: bool) -> Rendered {
        if self.general {
            return Rendered::Text(general(v));
        }
        if self.unsupported || !v.is_finite() {
            return Rendered::Unrenderable;
        }
        if self.numeric.is_empty() {
            // `@` alone: a number shows as General.
            return Rendered::Text(general(v));
        }
        let Some((index, section)) = self.choose(v) else { return Rendered::Unrenderable };
        // With more than one numeric section, a section shows the number without its sign
        // (the negative section carries its own, `▲`, `(…)`), as does any section but the first.
        let signed = v < 0.0 && self.numeric.len() == 1 && index == 0;
        let abs = v.abs();
        match section.kind {
            Kind::Date => {
                if v < 0.0 {
                    return Rendered::Unrenderable;
                }
                match date::render(section, v, date1904) {
                    Some(t) => Rendered::Text(t),
                    None => Rendered::Unrenderable,
                }
            }
            Kind::Number => {
                let body = number::render(section, abs);
                Rendered::Text(finish(section, body, signed))
            }
            Kind::General => {
                let mut out = String::new();
                for item in &section.items {
                    match item {
                        Item::General => out.push_str(&general(abs)),
                        Item::Lit(s) => out.push_str(s),
                        _ => {}
                    }
                }
                Rendered::Text(finish(section, out, signed))
            }
            Kind::Literal | Kind::Text => {
                let mut out = String::new();
                for item in &section.items {
                    if let Item::Lit(s) = item {
                        out.push_str(s);
                    }
                }
                Rendered::Text(finish(section, out, signed))
            }
        }
    }

    /// A text cell as displayed: through the text section (`"項目："@`), else unchanged.
    /// Whether text shows through this format changed (a `@` section with literals):
    /// otherwise [`Format::render_text`] gives the text as it is.
    pub fn has_text_section(&self) -> bool {
        self.text.is_some()
    }

    pub fn render_text(&self, s: &str) -> String {
        let Some(section) = &self.text else { return s.to_string() };
        let mut out = String::new();
        for item in &section.items {
            match item {
                Item::At => out.push_str(s),
                Item::Lit(l) => out.push_str(l),
                _ => {}
            }
        }
        out
    }

    /// The numeric section for `v`, and its index (Excel's choice, conditions first).
    fn choose(&self, v: f64) -> Option<(usize, &Section)> {
        let n = self.numeric.len();
        let pick = |i: usize| self.numeric.get(i).map(|s| (i, s));
        if n == 0 {
            return None;
        }
        if self.conditional {
            let matches = |i: usize| self.numeric.get(i).and_then(|s| s.cond).is_some_and(|(c, l)| c.test(v, l));
            let first_cond = self.numeric[0].cond.is_some();
            let second_cond = self.numeric.get(1).is_some_and(|s| s.cond.is_some());
            if first_cond && matches(0) {
                return pick(0);
            }
            if second_cond && matches(1) {
                return pick(1);
            }
            if !first_cond {
                // `0;[<0]…`: the first section takes what the second does not.
                return pick(0);
            }
            return if second_cond { pick(2) } else { pick(1) };
        }
        match n {
            1 => pick(0),
            2 => pick(if v < 0.0 { 1 } else { 0 }),
            _ => pick(if v > 0.0 {
                0
            } else if v < 0.0 {
                1
            } else {
                2
            }),
        }
    }
}

/// A minus sign in front when `signed`, and `[DBNum]` digits.
fn finish(section: &Section, body: String, signed: bool) -> String {
    let body = if signed { format!("-{body}") } else { body };
    match section.dbnum {
        0 => body,
        n => dbnum(&body, n),
    }
}

/// Splits a code at `;` outside quotes, escapes and brackets.
fn split_sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut bracket = false;
    let mut chars = code.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if !bracket => quoted = !quoted,
            _ if quoted => {}
            '\\' | '_' | '*' if !bracket => {
                chars.next();
            }
            '[' => bracket = true,
            ']' => bracket = false,
            ';' if !bracket => {
                out.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&code[start..]);
    out
}

/// Reads one section; `None` when it holds what this engine does not read.
fn parse_section(s: &str) -> Option<Section> {
    let mut sec = Section::default();
    let mut items: Vec<Item> = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let lit = |items: &mut Vec<Item>, t: &str| match items.last_mut() {
        Some(Item::Lit(l)) => l.push_str(t),
        _ => items.push(Item::Lit(t.to_string())),
    };
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '"' => {
                let mut t = String::new();
                while let Some(&d) = chars.get(i) {
                    i += 1;
                    if d == '"' {
                        break;
                    }
                    t.push(d);
                }
                lit(&mut items, &t);
            }
            '\\' => {
                if let Some(&d) = chars.get(i) {
                    i += 1;
                    lit(&mut items, d.encode_utf8(&mut [0; 4]));
                }
            }
            // `_x`: a space as wide as x; `*x`: x repeated to fill the cell, nothing in text.
            '_' => {
                i += 1;
                lit(&mut items, " ");
            }
            '*' => i += 1,
            '[' => {
                let end = chars[i..].iter().position(|&d| d == ']')? + i;
                let inner: String = chars[i..end].iter().collect();
                i = end + 1;
                bracket(&inner, &mut sec, &mut items)?;
            }
            '0' | '#' | '?' => items.push(Item::Digit(c as u8)),
            '.' => {
                // After seconds, `.0` is a fraction of a second.
                let after_seconds = matches!(last_non_lit(&items), Some(Item::Date(date::Part::Second(_))));
                if after_seconds && chars.get(i) == Some(&'0') {
                    let mut n = 0;
                    while chars.get(i) == Some(&'0') {
                        n += 1;
                        i += 1;
                    }
                    items.push(Item::Date(date::Part::SubSecond(n.min(3))));
                } else {
                    items.push(Item::Point);
                }
            }
            ',' => items.push(Item::Group), // settled below
            '%' => items.push(Item::Percent),
            '/' => {
                items.push(Item::Slash);
                // `# ?/4`: a fixed denominator.
                let n = chars[i..].iter().take_while(|d| d.is_ascii_digit()).count();
                if n > 0 && n <= 6 {
                    let den: String = chars[i..i + n].iter().collect();
                    i += n;
                    items.push(Item::FixedDen(den.parse().ok()?));
                }
            }
            '@' => items.push(Item::At),
            'E' | 'e'
                if matches!(chars.get(i), Some('+' | '-')) && items.iter().any(|t| matches!(t, Item::Digit(_))) =>
            {
                items.push(Item::Exp(chars[i] == '+'));
                i += 1;
            }
            'G' | 'g'
                if chars.get(i..i + 6).is_some_and(|w| w.iter().collect::<String>().eq_ignore_ascii_case("eneral")) =>
            {
                i += 6;
                items.push(Item::General);
            }
            _ => match date::token(&chars, i - 1) {
                Some((part, len)) => {
                    i = i - 1 + len;
                    items.push(Item::Date(part));
                }
                None => lit(&mut items, c.encode_utf8(&mut [0; 4])),
            },
        }
    }
    let has_date = items.iter().any(|t| matches!(t, Item::Date(_)));
    let has_digit = items.iter().any(|t| matches!(t, Item::Digit(_)));
    sec.kind = if has_date {
        Kind::Date
    } else if has_digit {
        Kind::Number
    } else if items.contains(&Item::General) {
        Kind::General
    } else if items.contains(&Item::At) {
        Kind::Text
    } else {
        Kind::Literal
    };
    match sec.kind {
        Kind::Date => {
            // Placeholders and commas mean nothing in a date: keep them as text.
            for t in items.iter_mut() {
                match t {
                    Item::Digit(d) => *t = Item::Lit((*d as char).to_string()),
                    Item::Group => *t = Item::Lit(",".into()),
                    Item::Point => *t = Item::Lit(".".into()),
                    Item::Slash => *t = Item::Lit("/".into()),
                    Item::Percent => *t = Item::Lit("%".into()),
                    Item::FixedDen(d) => *t = Item::Lit(d.to_string()),
                    _ => {}
                }
            }
            date::settle(&mut items);
        }
        Kind::Number => {
            number::settle_commas(&mut items);
            sec.num = number::Layout::of(&items)?;
        }
        _ => {
            for t in items.iter_mut() {
                match t {
                    Item::Group => *t = Item::Lit(",".into()),
                    Item::Point => *t = Item::Lit(".".into()),
                    Item::Slash => *t = Item::Lit("/".into()),
                    Item::Percent => *t = Item::Lit("%".into()),
                    Item::FixedDen(d) => *t = Item::Lit(d.to_string()),
                    _ => {}
                }
            }
        }
    }
    sec.items = items;
    Some(sec)
}

/// What a code that asks for the system's own date or time format shows: `[$-F800]` (or
/// `[$-x-sysdate]`, Excel 365's spelling) is the system's long date, `[$-F400]`
/// (`[$-x-systime]`) its time; the rest of the code is only what another system shows. It is
/// what Japanese Excel writes for 長い日付形式 in the number format list
/// (`[$-F800]dddd, mmmm dd, yyyy`), and on the Japanese Windows these sheets are made on it
/// shows `2024年4月1日`, and the time `18:00:00`.
fn system_format(code: &str) -> Option<&'static str> {
    let lower = code.to_ascii_lowercase();
    let locale = lower.strip_prefix("[$-")?.split(']').next()?;
    match locale {
        "f800" | "x-sysdate" => Some("yyyy\"年\"m\"月\"d\"日\""),
        "f400" | "x-systime" => Some("h:mm:ss"),
        _ => None,
    }
}

fn last_non_lit(items: &[Item]) -> Option<&Item> {
    items.iter().rev().find(|t| !matches!(t, Item::Lit(_)))
}

/// `[…]`: a condition, colour, locale, `[DBNumN]` or an elapsed time unit.
fn bracket(inner: &str, sec: &mut Section, items: &mut Vec<Item>) -> Option<()> {
    let lower = inner.to_ascii_lowercase();
    if let Some(rest) = inner.strip_prefix('$') {
        // `[$¥-411]`: the text before `-` is shown; the locale after it.
        let (shown, locale) = rest.split_once('-').unwrap_or((rest, ""));
        if !shown.is_empty() {
            match items.last_mut() {
                Some(Item::Lit(l)) => l.push_str(shown),
                _ => items.push(Item::Lit(shown.to_string())),
            }
        }
        if locale.to_ascii_lowercase().contains("x-gannen") {
            sec.gannen = true;
        }
        // `[$-1B030411]`: Excel's long locale id; its top byte is the numeral system, the
        // kanji and full-width digits of `[DBNum1]`–`[DBNum3]` (LibreOffice saves them so).
        if let Ok(id) = u32::from_str_radix(locale, 16) {
            let dbnum = match id >> 24 {
                0x1B => 1,
                0x1C => 2,
                0x1D => 3,
                _ => 0,
            };
            if sec.dbnum == 0 {
                sec.dbnum = dbnum;
            }
        }
        return Some(());
    }
    if let Some(n) = lower.strip_prefix("dbnum") {
        sec.dbnum = n.parse().ok().filter(|n| (1..=4).contains(n))?;
        return Some(());
    }
    let ops: [(&str, Cmp); 6] =
        [("<=", Cmp::Le), (">=", Cmp::Ge), ("<>", Cmp::Ne), ("<", Cmp::Lt), (">", Cmp::Gt), ("=", Cmp::Eq)];
    for (op, cmp) in ops {
        if let Some(rest) = inner.strip_prefix(op) {
            sec.cond = Some((cmp, rest.trim().parse().ok()?));
            return Some(());
        }
    }
    if !lower.is_empty() && lower.chars().all(|c| c == lower.as_bytes()[0] as char) {
        if let Some(part) = date::elapsed(lower.as_bytes()[0], lower.len()) {
            items.push(Item::Date(part));
            return Some(());
        }
    }
    // A colour (`[Red]`, `[Color10]`, `[赤]`) or anything else in brackets: not shown.
    Some(())
}

/// Excel's General: up to 15 significant digits without trailing zeros, scientific from
/// 1E+15 and below 1E-10 (as a cell wide enough for the number shows it).
pub fn general(v: f64) -> String {
    if !v.is_finite() {
        return "#NUM!".to_string();
    }
    if v == 0.0 {
        return "0".to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let (digits, point) = number::digits15(v.abs());
    let digits = digits.as_str().trim_end_matches('0');
    let sign = if v < 0.0 { "-" } else { "" };
    let exp = point - 1;
    if !(-10..15).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let mut out = format!("{sign}{first}");
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let _ = write!(out, "E{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
        return out;
    }
    let mut out = String::from(sign);
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(digits);
    } else if point as usize >= digits.len() {
        out.push_str(digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

/// The code of a built-in number format id, as Japanese Excel defines it (ECMA-376 Part 1,
/// 18.8.30, with the ja-JP ids 27–36 and 50–58; 5–8 and 14, 22 as Excel-ja shows them).
pub fn builtin(id: u32) -> Option<&'static str> {
    const ERA_SHORT: &str = "[$-411]ge.m.d";
    const ERA_LONG: &str = "[$-411]ggge\"年\"m\"月\"d\"日\"";
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"¥\"#,##0;\"¥\"\\-#,##0",
        6 => "\"¥\"#,##0;[Red]\"¥\"\\-#,##0",
        7 => "\"¥\"#,##0.00;\"¥\"\\-#,##0.00",
        8 => "\"¥\"#,##0.00;[Red]\"¥\"\\-#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "yyyy/m/d",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "yyyy/m/d h:mm",
        27 | 36 | 50 | 57 => ERA_SHORT,
        28 | 29 | 54 | 58 => ERA_LONG,
        30 => "m/d/yy",
        31 => "yyyy\"年\"m\"月\"d\"日\"",
        32 => "h\"時\"mm\"分\"",
        33 => "h\"時\"mm\"分\"ss\"秒\"",
        34 | 52 | 55 => "yyyy\"年\"m\"月\"",
        35 | 53 | 56 => "m\"月\"d\"日\"",
        51 => "[$-411]ggge\"年\"m\"月\"",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_(\"$\"* #,##0_);_(\"$\"* (#,##0);_(\"$\"* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_(\"$\"* #,##0.00_);_(\"$\"* (#,##0.00);_(\"$\"* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// The code ECMA-376 Part 1, 18.8.30 gives a built-in id (calamine's
/// `builtin_format_code_by_id`): what [`builtin`] has, but 14, 22, 42 and 44 as written there
/// and no ids the standard leaves to the locale (5–8, 23–36, 50 and above).
pub fn builtin_ecma(id: u32) -> Option<&'static str> {
    match id {
        14 => Some("mm-dd-yy"),
        22 => Some("m/d/yy h:mm"),
        42 => Some("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)"),
        44 => Some("_($* #,##0.00_);_($* (#,##0.00);_($* \"-\"??_);_(@_)"),
        0..=4 | 9..=13 | 15..=21 | 37..=41 | 43 | 45..=49 => builtin(id),
        _ => None,
    }
}

const KANJI: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const DAIJI: [char; 10] = ['〇', '壱', '弐', '参', '四', '伍', '六', '七', '八', '九'];

/// `[DBNum1]` kanji numerals (`15` → 十五), `[DBNum2]` formal ones (壱拾伍), `[DBNum3]`
/// full-width digits (１５), applied to each run of digits in `s`; digits after a decimal
/// point are read one by one.
fn dbnum(s: &str, n: u8) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_digit() {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit() || (chars[i] == ',' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
        {
            i += 1;
        }
        let run: String = chars[start..i].iter().filter(|c| c.is_ascii_digit()).collect();
        let after_point = start > 0 && chars[start - 1] == '.';
        match n {
            3 | 4 => out.extend(run.chars().map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32).unwrap_or(d))),
            _ if after_point || run.len() > 16 => {
                let table = if n == 2 { DAIJI } else { KANJI };
                out.extend(run.bytes().map(|b| table[(b - b'0') as usize]));
            }
            _ => out.push_str(&kanji_number(&run, n == 2)),
        }
    }
    out
}

/// `1234` → 千二百三十四 (formal: 壱阡弐百参拾四).
fn kanji_number(digits: &str, formal: bool) -> String {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return "〇".to_string();
    }
    let (table, small, big): (&[char; 10], [&str; 3], [&str; 4]) = if formal {
        (&DAIJI, ["拾", "百", "阡"], ["", "萬", "億", "兆"])
    } else {
        (&KANJI, ["十", "百", "千"], ["", "万", "億", "兆"])
    };
    let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut out = String::new();
    let groups = d.len().div_ceil(4);
    for g in (0..groups).rev() {
        let mut any = false;
        for p in (0..4).rev() {
            let pos = g * 4 + p;
            if pos >= d.len() {
                continue;
            }
            let digit = d[d.len() - 1 - pos];
            if digit == 0 {
                continue;
            }
            any = true;
            // 十, 百, 千 without a leading 一 (but 一万, and formal 壱拾).
            if !(digit == 1 && p > 0 && !formal) {
                out.push(table[digit as usize]);
            }
            if p > 0 {
                out.push_str(small[p - 1]);
            }
        }
        if any && g > 0 {
            out.push_str(big[g.min(3)]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_ids_in_the_standard_and_in_japanese_excel() {
        // Ids the standard leaves to the locale: Japanese Excel's era dates, not in ECMA's table.
        assert_eq!(builtin(27), Some("[$-411]ge.m.d"));
        assert_eq!(builtin_ecma(27), None);
        assert_eq!((builtin(14), builtin_ecma(14)), (Some("yyyy/m/d"), Some("mm-dd-yy")));
        assert_eq!(builtin_ecma(42), Some("_($* #,##0_);_($* (#,##0);_($* \"-\"_);_(@_)"));
        for id in (0..=4).chain(9..=13).chain(15..=21).chain(37..=41).chain(43..=43).chain(45..=49) {
            assert!(builtin_ecma(id).is_some() && builtin_ecma(id) == builtin(id), "{id}");
        }
        assert_eq!(builtin_ecma(5), None);
        assert_eq!(builtin_ecma(164), None);
    }

    fn t(v: f64, code: &str) -> String {
        match Format::parse(code).render(v, false) {
            Rendered::Text(s) => s,
            Rendered::Unrenderable => "#####".into(),
        }
    }

    #[test]
    fn general_numbers_like_excel() {
        assert_eq!(general(8.0), "8");
        assert_eq!(general(4.7), "4.7");
        assert_eq!(general(-0.35), "-0.35");
        assert_eq!(general(0.1 + 0.2), "0.3");
        assert_eq!(general(1700.0), "1700");
        assert_eq!(general(123456789012345.0), "123456789012345");
        assert_eq!(general(1.5e20), "1.5E+20");
        assert_eq!(general(0.000123), "0.000123");
        assert_eq!(general(-1.5e-12), "-1.5E-12");
    }

    #[test]
    fn issue_12_examples() {
        assert_eq!(t(1_500_000.0, "#,##0,\"千円\""), "1,500千円");
        assert_eq!(t(318.0, "[Red][<0]\"▲\"#,##0;#,##0"), "318");
        assert_eq!(t(-318.0, "[Red][<0]\"▲\"#,##0;#,##0"), "▲318");
        assert_eq!(t(12.5, "0\"件\""), "13件");
        assert_eq!(t(-0.0052, "0.00%;\"△\"0.00%"), "△0.52%");
        assert_eq!(t(1.005, "0.00"), "1.01");
        assert_eq!(t(2.675, "0.00"), "2.68");
        assert_eq!(t(12345.678, "0.00E+00"), "1.23E+04");
        assert_eq!(t(1.25, "# ?/?"), "1 1/4");
        assert_eq!(t(42.0, "000000"), "000042");
        assert_eq!(t(0.0, "#,##0;-#,##0;\"－\""), "－");
        assert_eq!(t(5.0, ";;;"), "");
        assert_eq!(t(-1500.0, "#,##0_);(#,##0)"), "(1,500)");
        assert_eq!(t(1500.0, "#,##0_);(#,##0)"), "1,500 ");
    }

    #[test]
    fn dates_and_eras() {
        assert_eq!(t(45427.0, "[$-411]ggge\"年\"m\"月\"d\"日\""), "令和6年5月15日");
        assert_eq!(t(43586.0, "[$-411]ge.m.d"), "R1.5.1");
        assert_eq!(t(43586.0, "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\""), "令和元年5月1日");
        // 長い日付形式 from Japanese Excel's list, shown as the Japanese system's long date.
        assert_eq!(t(45383.0, "[$-F800]dddd, mmmm dd, yyyy"), "2024年4月1日");
        assert_eq!(t(45747.0, "[$-x-sysdate]dddd, mmmm dd, yyyy"), "2025年3月31日");
        assert_eq!(t(45383.75, "[$-F400]h:mm:ss AM/PM"), "18:00:00");
        assert_eq!(t(45383.0, "[$-411]dddd"), "Monday", "another locale is no system format");
        assert_eq!(t(60.0, "yyyy/m/d"), "1900/2/29");
        assert_eq!(t(45427.54524305556, "yyyy/m/d h:mm:ss"), "2024/5/15 13:05:09");
        assert_eq!(t(-1.0, "yyyy/m/d"), "#####");
        assert!(Format::parse("[$-411]ge.m.d").is_date());
        assert!(!Format::parse("0.00E+00").is_date());
        assert!(!Format::parse("\"年度\"0").is_date());
        let f = Format::parse("yyyy/m/d");
        assert_eq!(f.render(0.0, true), Rendered::Text("1904/1/1".into()));
    }

    #[test]
    fn kanji() {
        assert_eq!(kanji_number("1234", false), "千二百三十四");
        assert_eq!(kanji_number("10015", false), "一万十五");
        assert_eq!(kanji_number("20", true), "弐拾");
        assert_eq!(dbnum("R6.5.15", 3), "R６.５.１５");
        assert_eq!(t(45427.0, "[$-1B030411]ggge\\年m\\月d\\日"), "令和六年五月十五日");
        assert_eq!(t(45427.0, "[$-1D030411]ge.m.d"), "R６.５.１５");
        assert_eq!(t(45427.0, "[$-1030411]ge\\.m\\.d"), "R6.5.15");
    }

    #[test]
    fn text_sections() {
        assert_eq!(Format::parse("\"項目：\"@").render_text("abc"), "項目：abc");
        assert_eq!(Format::parse("0;-0;0;\"[\"@\"]\"").render_text("a"), "[a]");
        assert_eq!(Format::parse("#,##0").render_text("a"), "a");
    }
}
