//! The number-format engine against the text LibreOffice displays (issue 12, point 3).
//!
//! `tests/data/numfmt/cases.csv` holds (value, format code, date system, LibreOffice's text),
//! made by `scripts/numfmt-fixture.py` (LibreOffice's CSV export with "save cell contents as
//! shown"). Every case must render as LibreOffice shows it, except the ones in [`EXCEL`],
//! where LibreOffice and Excel disagree and the engine follows Excel, the reference for users.

use crate::common::repo;
use goalsheet::numfmt::{builtin, Format, Rendered};

/// (value, code, what Excel shows, why LibreOffice shows something else), for cases in the
/// 1900 date system.
pub const EXCEL: &[(&str, &str, &str, &str)] = &[
    // Excel's 1900 date system copies Lotus 1-2-3: serial 1 is 1900-01-01 and serial 60 the
    // 29 February 1900 that never was (Microsoft KB 214326); LibreOffice counts from 1899-12-30.
    ("1", "yyyy/m/d", "1900/1/1", "1900 leap-year bug"),
    ("60", "yyyy/m/d", "1900/2/29", "1900 leap-year bug"),
    ("1", "yyyy\"年\"m\"月\"d\"日\"", "1900年1月1日", "1900 leap-year bug"),
    ("60", "yyyy\"年\"m\"月\"d\"日\"", "1900年2月29日", "1900 leap-year bug"),
    ("1", "[$-411]ggge\"年\"m\"月\"d\"日\"", "明治33年1月1日", "1900 leap-year bug"),
    ("60", "[$-411]ggge\"年\"m\"月\"d\"日\"", "明治33年2月29日", "1900 leap-year bug"),
    ("1", "[$-411]ge.m.d", "M33.1.1", "1900 leap-year bug"),
    ("60", "[$-411]ge.m.d", "M33.2.29", "1900 leap-year bug"),
    ("1", "[$-411]gge\"年\"", "明33年", "1900 leap-year bug"),
    ("1", "[$-411]ggge\"年\"", "明治33年", "1900 leap-year bug"),
    // Excel shows 元年 for year 1 of an era under the `x-gannen` locale tag (Microsoft,
    // "How to display 元年 in Office"); LibreOffice does not know the tag and shows the serial.
    ("45427", "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\"", "令和6年5月15日", "x-gannen unknown to LibreOffice"),
    ("43586", "[$-ja-JP-x-gannen]ggge\"年\"m\"月\"d\"日\"", "令和元年5月1日", "x-gannen unknown to LibreOffice"),
    // Japanese Excel reads `aaa` (weekday) without a locale tag; LibreOffice reads it only
    // under a Japanese locale and took `m`/`d` around it for other tokens.
    ("45427", "m\"月\"d\"日\"(aaa)", "5月15日(水)", "aaa needs [$-411] in LibreOffice"),
    ("43586", "m\"月\"d\"日\"(aaa)", "5月1日(水)", "aaa needs [$-411] in LibreOffice"),
    ("45427.54524305556", "m\"月\"d\"日\"(aaa)", "5月15日(水)", "aaa needs [$-411] in LibreOffice"),
    // Japanese Excel applies [DBNum1] (kanji numerals), [DBNum2] (formal kanji) and [DBNum3]
    // (full-width digits) whatever the locale; LibreOffice only under a Japanese locale.
    ("123", "[DBNum1]General", "百二十三", "DBNum without a Japanese locale"),
    ("1234", "[DBNum1]General", "千二百三十四", "DBNum without a Japanese locale"),
    ("20", "[DBNum1]General", "二十", "DBNum without a Japanese locale"),
    ("123", "[DBNum3]0", "１２３", "DBNum without a Japanese locale"),
    ("1234", "[DBNum3]0", "１２３４", "DBNum without a Japanese locale"),
    ("20", "[DBNum3]0", "２０", "DBNum without a Japanese locale"),
    ("123", "[DBNum1]0\"件\"", "百二十三件", "DBNum without a Japanese locale"),
    ("1234", "[DBNum1]0\"件\"", "千二百三十四件", "DBNum without a Japanese locale"),
    ("20", "[DBNum1]0\"件\"", "二十件", "DBNum without a Japanese locale"),
    ("123", "[DBNum2]General", "壱百弐拾参", "DBNum without a Japanese locale"),
    ("1234", "[DBNum2]General", "壱阡弐百参拾四", "DBNum without a Japanese locale"),
    ("20", "[DBNum2]General", "弐拾", "DBNum without a Japanese locale"),
    // Built-in ids as Japanese Excel defines them (ECMA-376 Part 1, 18.8.30, ja-JP); LibreOffice
    // maps them through the en-US locale.
    ("45427", "id:14", "2024/5/15", "built-in id 14 is yyyy/m/d in Japanese Excel"),
    ("45427", "id:22", "2024/5/15 0:00", "built-in id 22 is yyyy/m/d h:mm in Japanese Excel"),
    ("45427", "id:27", "R6.5.15", "built-in id 27 is [$-411]ge.m.d"),
    ("45427", "id:28", "令和6年5月15日", "built-in id 28 is [$-411]ggge\"年\"m\"月\"d\"日\""),
    ("45427", "id:31", "2024年5月15日", "built-in id 31 is yyyy\"年\"m\"月\"d\"日\""),
    ("45427.54524305556", "id:32", "13時05分", "built-in id 32 is h\"時\"mm\"分\""),
    ("45427.54524305556", "id:33", "13時05分09秒", "built-in id 33 is h\"時\"mm\"分\"ss\"秒\""),
    ("45427", "id:34", "2024年5月", "built-in id 34 is yyyy\"年\"m\"月\""),
    ("45427", "id:35", "5月15日", "built-in id 35 is m\"月\"d\"日\""),
    ("45427", "id:57", "R6.5.15", "built-in id 57 is [$-411]ge.m.d"),
    ("45427", "id:58", "令和6年5月15日", "built-in id 58 is [$-411]ggge\"年\"m\"月\"d\"日\""),
    // Excel rounds the value on its 15 significant digits (1.2345 × 100 = 123.45 → 123.5),
    // as it does for 1.005 under `0.00`; LibreOffice rounded the double 123.44999999999999.
    ("1.2345", "0.0%", "123.5%", "Excel rounds on 15 significant digits"),
    // Excel keeps the sign of a negative number that rounds to zero under a one-section
    // code ("-0"); LibreOffice drops it.
    ("-0.4", "0", "-0", "Excel shows -0"),
    ("-0.001", "0", "-0", "Excel shows -0"),
    ("-0.001", "0.00", "-0.00", "Excel shows -0"),
    ("-0.4", "#,##0\"人\"", "-0人", "Excel shows -0"),
    ("-0.001", "#,##0\"人\"", "-0人", "Excel shows -0"),
    ("-0.001", "0.0\"㎡\"", "-0.0㎡", "Excel shows -0"),
];

pub struct Case {
    pub value: String,
    pub code: String,
    pub date1904: bool,
    pub shown: String,
}

pub fn cases() -> Vec<Case> {
    let path = repo("tests/data/numfmt/cases.csv");
    let mut r = csv::Reader::from_path(&path).expect("the fixture reads");
    r.records()
        .map(|rec| {
            let rec = rec.expect("a fixture row");
            Case {
                value: rec[0].to_string(),
                code: rec[1].to_string(),
                date1904: &rec[2] == "1",
                shown: rec[3].to_string(),
            }
        })
        .collect()
}

/// What the engine shows for a case: a text cell through the text section, a number through
/// the code (`#####` when it cannot be rendered).
fn render(c: &Case) -> String {
    let code = match c.code.strip_prefix("id:") {
        Some(id) => builtin(id.parse().expect("an id")).expect("a built-in id").to_string(),
        None => c.code.clone(),
    };
    let f = Format::parse(&code);
    match c.value.strip_prefix('\'') {
        Some(text) => f.render_text(text),
        None => match f.render(c.value.parse().expect("a number"), c.date1904) {
            Rendered::Text(t) => t,
            Rendered::Unrenderable => "#####".to_string(),
        },
    }
}

#[test]
fn renders_as_libreoffice_shows_or_as_excel_where_they_differ() {
    let cases = cases();
    assert!(cases.len() >= 200, "{} cases", cases.len());
    let mut wrong = Vec::new();
    let mut used = vec![false; EXCEL.len()];
    for c in &cases {
        let ours = render(c);
        let listed = EXCEL.iter().position(|(v, code, ..)| *v == c.value && *code == c.code && !c.date1904);
        let expected = match listed {
            Some(i) => {
                used[i] = true;
                assert_ne!(
                    EXCEL[i].2, c.shown,
                    "{} {}: listed as a difference but LibreOffice agrees",
                    c.value, c.code
                );
                EXCEL[i].2
            }
            None => c.shown.as_str(),
        };
        if ours != expected {
            wrong.push(format!("{:>20} {:<45} ours {:?} expected {:?}", c.value, c.code, ours, expected));
        }
    }
    let unused: Vec<_> =
        EXCEL.iter().zip(&used).filter(|(_, u)| !**u).map(|(e, _)| format!("{} {}", e.0, e.1)).collect();
    assert!(unused.is_empty(), "differences listed for cases not in the fixture: {unused:#?}");
    assert!(wrong.is_empty(), "{} of {} cases differ:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// Every case of issue 12 is in the fixture.
#[test]
fn the_fixture_covers_issue_12() {
    let cases = cases();
    for (value, code) in [
        ("1500000", "#,##0,\"千円\""),
        ("318", "[Red][<0]\"▲\"#,##0;#,##0"),
        ("12.5", "0\"件\""),
        ("-0.0052", "0.00%;\"△\"0.00%"),
        ("12345.678", "0.00E+00"),
        ("1.25", "# ?/?"),
        ("42", "000000"),
        ("0", "#,##0;-#,##0;\"－\""),
        ("123", ";;;"),
        ("-1500", "#,##0_);(#,##0)"),
        ("1.005", "0.00"),
        ("2.675", "0.00"),
        ("45427", "[$-411]ggge\"年\"m\"月\"d\"日\""),
        ("43586", "[DBNum1][$-411]ggge\"年\"m\"月\"d\"日\""),
        ("'abc", "\"項目：\"@"),
    ] {
        assert!(cases.iter().any(|c| c.value == value && c.code == code), "{value} {code}");
    }
}
