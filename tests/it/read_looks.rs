//! What a reviewer cannot see, or should not take as written, read alike from every format:
//! `tests/data/looks/` holds 広聴相談課 with row 14 and column D hidden, the result F9 in
//! white, the target E15 struck through and, in E13, the old figure struck through beside the
//! new (見え消し), as an .xlsx (openpyxl) and its LibreOffice re-saves (made by
//! `scripts/looks-fixtures.py`).

use goalsheet::model::Field;

/// GS106, GS704 and GS705 in `file`: (code, cell, the text a span points at), in reading order.
fn found(file: &str) -> Vec<(String, String, Option<String>)> {
    let path = crate::common::repo("tests/data/looks").join(file);
    let doc = goalsheet::read::read_path(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    let findings = goalsheet::rules::check_document(&doc, &Default::default());
    let mut found: Vec<_> = findings
        .iter()
        .filter(|f| matches!(f.code, "GS106" | "GS704" | "GS705"))
        .map(|f| {
            let cell = f.location.cell(&doc).map(|c| c.to_string()).unwrap_or_default();
            let value = f.location.value(&doc).unwrap_or_default();
            let pointed = f.span.clone().map(|s| value[s].to_string());
            (f.code.to_string(), cell, pointed)
        })
        .collect();
    found.sort_by_key(|(_, cell, _)| (cell[1..].parse::<u32>().unwrap_or(0), cell.clone()));
    found
}

fn expected() -> Vec<(String, String, Option<String>)> {
    [
        ("GS106", "D8", None),
        ("GS704", "F9", None),
        ("GS705", "E13", Some("1,800件")),
        ("GS106", "C14", None),
        ("GS705", "E15", None),
    ]
    .map(|(code, cell, span)| (code.to_string(), cell.to_string(), span.map(str::to_string)))
    .to_vec()
}

#[test]
fn hidden_invisible_and_struck_values_are_found_in_xlsx() {
    assert_eq!(found("広聴相談課-looks.xlsx"), expected());
}

/// The .xls re-save: `Row` and `ColInfo` records hide, `Font` records strike and colour
/// (through each `XF`), and the SST's formatting runs strike part of a string.
#[test]
fn hidden_invisible_and_struck_values_are_found_in_xls() {
    assert_eq!(found("広聴相談課-looks.xls"), expected());
    let doc = goalsheet::read::read_path(&crate::common::repo("tests/data/looks/広聴相談課-looks.xls")).unwrap();
    assert_eq!(doc.sheets[0].entries[2].indicators[0].target, "1,800件 1,700件");
    assert!(doc.sheets[0].entries[0].indicators[1].cells.get(Field::Result).is_some());
}

/// The .ods re-save: `table:visibility` hides rows and columns, automatic styles strike and
/// colour cells, and a struck `text:span` strikes part of a text.
#[test]
fn hidden_invisible_and_struck_values_are_found_in_ods() {
    assert_eq!(found("広聴相談課-looks.ods"), expected());
}

/// Notes (メモ) are read from an .ods and an .xls as from an .xlsx, and are not part of the
/// cell's text: LibreOffice keeps a note inside its cell in an .ods, and a number's or a date's
/// displayed text was read with the note before it (No. `通し番号\n1`, a false GS105); an
/// .xls keeps it in `Note`, `Obj` and `TxO` records, which were not read.
#[test]
fn notes_are_read_apart_from_the_text_in_every_format() {
    for file in ["広聴相談課-looks.xlsx", "広聴相談課-looks.ods", "広聴相談課-looks.xls"] {
        let doc = goalsheet::read::read_path(&crate::common::repo("tests/data/looks").join(file)).unwrap();
        let s = &doc.sheets[0];
        let notes: Vec<(String, &str)> = s.notes.iter().map(|n| (n.cell.to_string(), n.text.as_str())).collect();
        assert_eq!(
            notes,
            [
                ("J1".to_string(), "作成日は4月1日"),
                ("A8".into(), "通し番号"),
                ("I10".into(), "課長確認済み"),
                ("F13".into(), "3月末時点の速報値です\n確定は5月")
            ],
            "{file}"
        );
        assert_eq!((s.entries[0].no.as_str(), s.created.as_str()), ("1", "R6.4.1"), "{file}");
        assert_eq!(s.entries[2].indicators[0].result, "1,512件", "{file}");
    }
}

/// `fix` of an .xls or .ods rewrites it as an .xlsx in the official layout: the division's
/// notes go with their values, and where the fix notes the same cell, the division's text
/// comes first (they were lost, the log saying comments were not carried over).
#[test]
fn fixing_an_xls_or_ods_keeps_the_divisions_notes() {
    for file in ["広聴相談課-looks.xls", "広聴相談課-looks.ods"] {
        let path = crate::common::repo("tests/data/looks").join(file);
        let dir = tempfile::tempdir().unwrap();
        assert_cmd::Command::cargo_bin("goalsheet")
            .unwrap()
            .args(["--lang", "ja", "fix", "--out-dir"])
            .arg(dir.path())
            .arg(&path)
            .assert()
            // Written, with findings left (the result F15 reads empty in the .xls: exit 1).
            .code(predicates::prelude::predicate::in_iter([0, 1]));
        let back = goalsheet::read::read_path(&dir.path().join("広聴相談課-looks.corrected.xlsx")).unwrap();
        let notes: std::collections::HashMap<String, &str> =
            back.sheets[0].notes.iter().map(|n| (n.cell.to_string(), n.text.as_str())).collect();
        assert_eq!(notes.get("J1"), Some(&"作成日は4月1日"), "{file}");
        assert_eq!(notes.get("A8"), Some(&"通し番号"), "{file}");
        assert_eq!(notes.get("F13"), Some(&"3月末時点の速報値です\n確定は5月"), "{file}");
        // I8's grade was fixed (〇 → ○): the fix's note only; I10's too, after the division's.
        assert!(notes.get("I8").is_some_and(|n| n.starts_with("【修正 GS301】")), "{file}: {:?}", notes.get("I8"));
        assert!(
            notes.get("I10").is_some_and(|n| n.starts_with("課長確認済み\n\n【修正 GS301】")),
            "{file}: {:?}",
            notes.get("I10")
        );
    }
}

/// A value its number format shows as nothing (F15's `99校` under `;;;`) reads as it shows,
/// empty, and GS706 says what it holds; in .xlsx and .xls (an .ods gives its text as
/// LibreOffice keeps it).
#[test]
fn a_value_hidden_by_its_format_is_named() {
    for file in ["広聴相談課-looks.xlsx", "広聴相談課-looks.xls"] {
        let doc = goalsheet::read::read_path(&crate::common::repo("tests/data/looks").join(file)).unwrap();
        assert_eq!(doc.sheets[0].entries[3].indicators[0].result, "", "{file}: read as it shows");
        let findings = goalsheet::rules::check_document(&doc, &Default::default());
        let hidden: Vec<_> = findings.iter().filter(|f| f.code == "GS706").collect();
        assert_eq!(hidden.len(), 1, "{file}: {hidden:?}");
        assert_eq!(hidden[0].location.cell(&doc).map(|c| c.to_string()).as_deref(), Some("F15"), "{file}");
        assert!(hidden[0].message.en.contains("holds “99校”"), "{file}: {}", hidden[0].message.en);
    }
}
