//! `goalsheet template`: the blank official sheet, its checked-in copy, and the command.

use crate::common::*;
use assert_cmd::Command;
use calamine::{Data, Reader};
use goalsheet::address::CellRef;
use goalsheet::grammar::year::FiscalYear;
use goalsheet::layout;
use goalsheet::write::{template_bytes, TemplateOptions};
use goalsheet::Field;

const CHECKED_IN: &str = "templates/組織目標管理シート_令和8年度.xlsx";

fn r8() -> TemplateOptions {
    TemplateOptions { year: FiscalYear { start: 2026 }, department: String::new(), division: String::new(), entries: 5 }
}

fn goalsheet() -> Command {
    let mut cmd = Command::cargo_bin("goalsheet").expect("binary");
    cmd.env("LANG", "C");
    cmd
}

#[test]
fn checked_in_template_is_what_the_tool_writes() {
    reproducible();
    let bytes = template_bytes(&r8()).unwrap();
    let problem = compare_artifact(
        &repo(CHECKED_IN),
        &bytes,
        &format!("cargo run -- template --year 令和8 --force -o {CHECKED_IN}"),
    );
    assert!(problem.is_none(), "{}", problem.unwrap_or_default());
}

#[test]
fn template_has_every_label_the_year_and_blank_entries() {
    let bytes = template_bytes(&r8()).unwrap();
    let mut book = open(&bytes);
    let name = book.sheet_names()[0].clone();
    assert_eq!(name, layout::TITLE);
    let range = book.worksheet_range(&name).unwrap();
    assert_labels(&range, "Ｒ８目標", "Ｒ８結果");
    let year_cell = layout::header_field(Field::FiscalYear).unwrap().value_range.start;
    assert_eq!(text_at(&range, year_cell), "令和8年度");
    for (no, row) in (layout::FIRST_DATA_ROW..layout::FIRST_DATA_ROW + 5).enumerate() {
        for c in &layout::COLUMNS {
            let want = if c.field == Field::No { Data::Float(no as f64 + 1.0) } else { Data::Empty };
            assert_eq!(at(&range, CellRef::new(row, c.col)), want, "{}", CellRef::new(row, c.col));
        }
    }
    let legend_row = layout::FIRST_DATA_ROW + 5;
    assert_eq!(text_at(&range, CellRef::new(legend_row, layout::LEGEND_COL)), layout::LEGEND);
    let mut want = fixed_merges();
    want.insert(legend_merge(legend_row));
    assert_eq!(merges(&mut book, &name), want);
}

#[test]
fn department_division_and_entry_count_are_used() {
    let options = TemplateOptions {
        year: FiscalYear { start: 2025 },
        department: "市民生活部".into(),
        division: "市民協働課".into(),
        entries: 3,
    };
    assert_eq!(options.default_file_name(), "組織目標管理シート_令和7年度.xlsx");
    let bytes = template_bytes(&options).unwrap();
    let mut book = open(&bytes);
    assert_eq!(book.sheet_names(), vec!["市民協働課".to_string()]);
    let range = book.worksheet_range("市民協働課").unwrap();
    assert_labels(&range, "Ｒ７目標", "Ｒ７結果");
    let cell = |f| layout::header_field(f).unwrap().value_range.start;
    assert_eq!(text_at(&range, cell(Field::Department)), "市民生活部");
    assert_eq!(text_at(&range, cell(Field::Division)), "市民協働課");
    assert_eq!(text_at(&range, CellRef::new(layout::FIRST_DATA_ROW + 3, layout::LEGEND_COL)), layout::LEGEND);
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let grade = layout::column_of(Field::Grade).unwrap().col;
    let sqref =
        format!("{}:{}", CellRef::new(layout::FIRST_DATA_ROW, grade), CellRef::new(layout::FIRST_DATA_ROW + 2, grade));
    assert!(sheet.contains(&format!("sqref=\"{sqref}\"")), "validation over {sqref}");
}

#[test]
fn grade_cells_accept_only_the_three_symbols() {
    let bytes = template_bytes(&r8()).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let dv = sheet.split("<dataValidation ").find(|d| d.contains("type=\"list\"")).expect("a list <dataValidation");
    let dv = dv.split("</dataValidation>").next().unwrap();
    assert!(dv.contains("type=\"list\""), "{dv}");
    assert!(dv.contains("\"○,△,×\""), "{dv}");
    assert!(dv.contains("sqref=\"I8:I12\""), "{dv}");
    for attr in ["promptTitle=\"", "prompt=\"", "errorTitle=\"", "error=\""] {
        let value = dv.split(attr).nth(1).and_then(|s| s.split('"').next()).unwrap_or_default();
        assert!(value.chars().any(|c| ('\u{3040}'..='\u{9FFF}').contains(&c)), "{attr} is Japanese: {value:?}");
    }
}

#[test]
fn empty_date_cells_carry_the_era_format() {
    let bytes = template_bytes(&r8()).unwrap();
    let mut book = open(&bytes);
    let styles = book.worksheet_style(layout::TITLE).unwrap();
    for f in [Field::Created, Field::Evaluated] {
        let cell = layout::header_field(f).unwrap().value_range.start;
        let format = styles.get((cell.row, cell.col)).and_then(|s| s.number_format.as_ref());
        assert_eq!(format.map(|n| n.format_code.as_str()), Some(layout::DATE_FORMAT_SHORT), "{cell}");
    }
}

#[test]
fn one_japanese_font_and_a4_landscape_one_page_wide() {
    let bytes = template_bytes(&r8()).unwrap();
    assert_one_japanese_font(&bytes);
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    for want in
        ["paperSize=\"9\"", "orientation=\"landscape\"", "fitToHeight=\"0\"", "fitToPage=\"1\"", "topLeftCell=\"A8\""]
    {
        assert!(sheet.contains(want), "{want} in the sheet");
    }
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("!$6:$7</definedName>"), "table header repeated on every page");
    assert!(workbook.contains("_xlnm.Print_Area"), "print area");
}

#[test]
fn same_options_give_the_same_bytes() {
    reproducible();
    assert_eq!(template_bytes(&r8()).unwrap(), template_bytes(&r8()).unwrap());
}

#[test]
fn out_of_range_entries_and_years_are_refused() {
    assert!(template_bytes(&TemplateOptions { entries: 0, ..r8() }).is_err());
    assert!(template_bytes(&TemplateOptions { entries: 100_000, ..r8() }).is_err());
    assert!(template_bytes(&TemplateOptions { year: FiscalYear { start: 2000 }, ..r8() }).is_err());
}

#[test]
fn command_writes_the_default_name_and_never_overwrites_silently() {
    let dir = tempfile::tempdir().unwrap();
    goalsheet().current_dir(dir.path()).args(["template", "--division", "市民協働課"]).assert().success();
    let year = FiscalYear::containing(chrono::Local::now().date_naive());
    let path = dir.path().join(format!("組織目標管理シート_{}.xlsx", layout::fiscal_year_text(year.reiwa())));
    let first = std::fs::read(&path).expect("default file name in the current directory");
    assert!(open(&first).sheet_names().contains(&"市民協働課".to_string()));

    // Again: refused, exit 2, the file untouched, told what to do (in both languages).
    for (lang, needle) in [("en", "--force"), ("ja", "既にあります")] {
        goalsheet()
            .current_dir(dir.path())
            .args(["--lang", lang, "template"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
    assert_eq!(std::fs::read(&path).unwrap(), first);

    goalsheet().current_dir(dir.path()).args(["template", "--force", "--entries", "2"]).assert().success();
    assert_ne!(std::fs::read(&path).unwrap(), first, "--force overwrote it");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

#[test]
fn command_output_is_byte_identical_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.xlsx", "b.xlsx"] {
        goalsheet()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", FIXED_EPOCH)
            .args(["template", "--department", "市民生活部", "--entries", "4", "-o", name])
            .assert()
            .success();
    }
    assert_eq!(std::fs::read(dir.path().join("a.xlsx")).unwrap(), std::fs::read(dir.path().join("b.xlsx")).unwrap());
}

/// `dcterms:created` of a written workbook, e.g. `2019-05-01T00:00:00Z`.
fn document_date(path: &std::path::Path) -> String {
    let core = part(&std::fs::read(path).unwrap(), "docProps/core.xml");
    let start = core.find("<dcterms:created").and_then(|i| core[i..].find('>').map(|j| i + j + 1)).expect("created");
    core[start..].split('<').next().unwrap().to_string()
}

#[test]
fn document_date_is_the_time_of_writing_or_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let before = chrono::Utc::now() - chrono::Duration::seconds(2);
    goalsheet()
        .current_dir(dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["template", "-o", "now.xlsx"])
        .assert()
        .success();
    let after = chrono::Utc::now() + chrono::Duration::seconds(2);
    let written: chrono::DateTime<chrono::Utc> =
        document_date(&dir.path().join("now.xlsx")).parse().expect("an RFC 3339 date");
    assert!(before <= written && written <= after, "{written} is not the time of writing ({before} … {after})");

    goalsheet()
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1743465600")
        .args(["template", "-o", "fixed.xlsx"])
        .assert()
        .success();
    assert_eq!(document_date(&dir.path().join("fixed.xlsx")), "2025-04-01T00:00:00Z");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, needle) in [("en", "--year"), ("ja", "年度として読めません")] {
        goalsheet()
            .current_dir(dir.path())
            .args(["--lang", lang, "template", "--year", "来年"])
            .assert()
            .code(2)
            .stderr(predicates::str::contains(needle));
    }
    goalsheet().current_dir(dir.path()).args(["template", "--entries", "0"]).assert().code(2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn every_spelling_of_the_year_gives_the_checked_in_template() {
    reproducible();
    let dir = tempfile::tempdir().unwrap();
    let want = template_bytes(&r8()).unwrap();
    for year in ["令和8", "R8", "2026", "令和８年度"] {
        goalsheet()
            .current_dir(dir.path())
            .args(["template", "--force", "--year", year, "-o", "t.xlsx"])
            .assert()
            .success();
        assert_eq!(std::fs::read(dir.path().join("t.xlsx")).unwrap(), want, "--year {year}");
    }
}

#[test]
fn label_cells_are_shaded_and_input_cells_are_not() {
    let bytes = template_bytes(&r8()).unwrap();
    let mut book = open(&bytes);
    let styles = book.worksheet_style(layout::TITLE).unwrap();
    let gray = format!("{:?}", (layout::LABEL_FILL_RGB >> 16) as u8);
    let shaded = |cell: CellRef| {
        let fill = styles.get((cell.row, cell.col)).and_then(|s| s.fill.clone());
        format!("{fill:?}").contains(&gray)
    };
    let mut labels: Vec<CellRef> = layout::HEADER_FIELDS.iter().map(|h| h.label_range.start).collect();
    labels.extend(layout::GROUP_LABELS.iter().map(|g| g.range.start));
    labels.extend(layout::COLUMNS.iter().map(layout::column_label_cell));
    for cell in labels {
        assert!(shaded(cell), "label {cell} is shaded");
    }
    let mut inputs: Vec<CellRef> = layout::HEADER_FIELDS.iter().map(|h| h.value_range.start).collect();
    inputs.extend(layout::COLUMNS.iter().map(|c| CellRef::new(layout::FIRST_DATA_ROW, c.col)));
    for cell in inputs {
        assert!(!shaded(cell), "input {cell} is not shaded");
    }
}

/// A form to fill in: input messages with the accepted forms on 作成日, 評価日, 目標 and 結果,
/// labels locked under a protection without password, value cells unlocked, blank rows high
/// enough to write in by hand, print setup kept.
#[test]
fn template_is_a_protected_form_with_input_help() {
    let bytes = template_bytes(&r8()).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    let prompt_on = |sqref: &str| -> String {
        let dv = sheet
            .split("<dataValidation ")
            .find(|d| d.contains(&format!("sqref=\"{sqref}\"")))
            .unwrap_or_else(|| panic!("a validation on {sqref}: {sheet}"));
        dv.split("prompt=\"").nth(1).and_then(|p| p.split('"').next()).unwrap_or_default().to_string()
    };
    let cell = |f| layout::header_field(f).unwrap().value_range.start.to_string();
    let created = prompt_on(&cell(Field::Created));
    assert!(created.contains("R8.4.1、令和8年4月1日、2026/4/1"), "{created}");
    assert!(prompt_on(&cell(Field::Evaluated)).contains("R9.3.31"), "the year's last day");
    // Each example the message shows is a form check accepts.
    for example in ["R8.4.1", "令和8年4月1日", "2026/4/1"] {
        assert!(goalsheet::grammar::date::parse_date(example).is_ok(), "{example}");
    }
    let target = prompt_on("E8:E12");
    assert!(target.contains("300件") && target.contains("（R7：290件）"), "{target}");
    assert!(prompt_on("F8:F12").contains("318件"));

    // Protected without a password; rows can still be inserted and resized.
    let protection = sheet.split("<sheetProtection ").nth(1).expect("protected").split("/>").next().unwrap();
    assert!(!protection.contains("password"), "{protection}");
    assert!(protection.contains("insertRows=\"0\"") && protection.contains("formatRows=\"0\""), "{protection}");
    // Value cells unlocked, labels locked: the xfs of their styles.
    let styles = part(&bytes, "xl/styles.xml");
    let xfs: Vec<&str> = styles.split("<cellXfs").nth(1).unwrap().split("<xf ").skip(1).collect();
    let style_of = |a1: &str| -> &str {
        let c = sheet.split(&format!("<c r=\"{a1}\"")).nth(1).unwrap_or_else(|| panic!("{a1} written"));
        let s: usize = c.split("s=\"").nth(1).map_or(0, |s| s.split('"').next().unwrap().parse().unwrap());
        xfs[s]
    };
    for input in ["J1", "J2", "B8", "E8", "F12", "I8"] {
        assert!(style_of(input).contains("locked=\"0\""), "{input} is unlocked: {}", style_of(input));
    }
    for label in ["I1", "A6", "E7"] {
        assert!(!style_of(label).contains("locked=\"0\""), "{label} stays locked");
    }
    // Blank rows high enough to write in; print setup still A4 landscape.
    for row in 8..=12 {
        assert!(sheet.contains(&format!("<row r=\"{row}\" spans=\"1:11\" ht=\"60\" customHeight=\"1\"")), "row {row}");
    }
    assert!(sheet.contains("orientation=\"landscape\"") && sheet.contains("paperSize=\"9\""));
}

#[test]
fn next_years_command_lists_every_file_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = goalsheet()
        .current_dir(dir.path())
        .args(["template", "--from"])
        .arg(repo("samples/市民生活部.xlsx"))
        .args(["--out-dir", "R7"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("(6 files)"), "{stdout}");
    for entry in std::fs::read_dir(dir.path().join("R7")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(stdout.contains(&name), "{name} listed: {stdout}");
    }
}
