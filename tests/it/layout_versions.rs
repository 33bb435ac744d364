//! Layout versions: a label renamed for a new fiscal year keeps its former wording for the
//! reader, so earlier years' workbooks read exactly as before, and the writer writes each year's
//! own wording.

use crate::common::{self, repo};
use goalsheet::layout::{self, ColumnLabel, Layout, Wording, YearWords};
use goalsheet::model::{Document, Field};
use goalsheet::read::{read_bytes, read_bytes_with};
use goalsheet::rules::{check_document, CheckOptions};
use std::io::{Cursor, Read, Write};

/// 令和99: a year far enough ahead that no sample is of it.
const FUTURE: i32 = 99;

/// The official layout with 取組指標 renamed 到達度指標 and the result column's 結果 renamed 実績
/// from 令和99 on.
fn renamed() -> Layout {
    let mut l = layout::OFFICIAL;
    let name = l.columns.iter_mut().find(|c| c.field == Field::Name).expect("a Name column");
    name.label =
        ColumnLabel::Fixed(Wording { by_year: &[(1, "取組指標"), (FUTURE, "到達度指標")], variants: &[] });
    l.result_words = YearWords {
        words: Wording { by_year: &[(1, "結果"), (FUTURE, "実績")], variants: &["結果値", "実績値"] },
        ..l.result_words
    };
    l
}

/// A `sample` with every shared string `from` replaced by `to` (how a workbook of the new
/// wording looks).
fn reworded(sample: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(sample)).expect("xlsx is a zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read entry");
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).expect("utf-8");
            assert!(text.contains(&format!(">{from}<")), "{from} is a shared string");
            bytes = text.replace(&format!(">{from}<"), &format!(">{to}<")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).expect("start");
        out.write_all(&bytes).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

fn findings(doc: &Document) -> Vec<String> {
    check_document(doc, &CheckOptions::default()).iter().map(|f| format!("{} {:?}", f.code, f.location)).collect()
}

#[test]
fn a_label_renamed_for_a_future_year_leaves_this_years_samples_reading_clean() {
    let renamed = renamed();
    for p in common::division_samples() {
        let bytes = std::fs::read(&p).expect("sample");
        let name = p.to_string_lossy();
        let official = read_bytes(&bytes, &name).expect("reads");
        let with_rename = read_bytes_with(&bytes, &name, &renamed).expect("reads");
        assert_eq!(with_rename, official, "{name}");
        assert_eq!(findings(&with_rename), findings(&official), "{name}");
    }
}

#[test]
fn a_workbook_in_the_new_wording_reads_with_the_renamed_layout_only() {
    let p = repo("samples/市民協働課.xlsx");
    let bytes = reworded(&std::fs::read(p).expect("sample"), "取組指標", "到達度指標");
    let renamed = read_bytes_with(&bytes, "new.xlsx", &renamed()).expect("reads");
    let before = read_bytes(&std::fs::read(repo("samples/市民協働課.xlsx")).expect("sample"), "new.xlsx").unwrap();
    assert_eq!(renamed.sheets[0].entries, before.sheets[0].entries, "the renamed label is found");
    // The official layout, which knows no 到達度指標, loses the column: the test can fail.
    let official = read_bytes(&bytes, "new.xlsx").expect("reads");
    let names = official.sheets[0].entries.iter().flat_map(|e| &e.indicators).filter(|i| i.name.is_empty());
    assert!(names.count() > 0, "without the new wording the indicator names are lost");
}

#[test]
fn dropping_the_former_wording_breaks_last_years_workbooks() {
    // What the versions prevent: a rename without the old text makes every indicator nameless.
    let mut l = layout::OFFICIAL;
    let name = l.columns.iter_mut().find(|c| c.field == Field::Name).expect("a Name column");
    name.label = ColumnLabel::Fixed(Wording { by_year: &[(FUTURE, "到達度指標")], variants: &[] });
    let p = repo("samples/市民協働課.xlsx");
    let bytes = std::fs::read(&p).expect("sample");
    let doc = read_bytes_with(&bytes, "x.xlsx", &l).expect("reads");
    assert!(findings(&doc).iter().any(|f| f.starts_with("GS1")), "{:?}", findings(&doc));
}

#[test]
fn each_year_is_written_in_its_own_wording() {
    let l = renamed();
    let name = l.columns.iter().find(|c| c.field == Field::Name).expect("a Name column");
    let result = l.columns.iter().find(|c| c.field == Field::Result).expect("a Result column");
    let ColumnLabel::Fixed(w) = name.label else { panic!("fixed") };
    assert_eq!(w.text(Some(6)), "取組指標");
    assert_eq!(w.text(Some(FUTURE)), "到達度指標");
    assert_eq!(w.text(Some(FUTURE + 1)), "到達度指標");
    assert_eq!(w.text(None), "到達度指標", "an unknown year gets the current wording");
    assert_eq!(l.result_words.words.text(Some(6)), "結果");
    assert_eq!(l.result_words.words.text(Some(FUTURE)), "実績");
    // The writer takes its labels from the same function, with the sheet's year.
    assert_eq!(layout::column_label(result.label, Some(6)), "Ｒ６結果");
}

#[test]
fn the_template_of_a_year_uses_that_years_wording() {
    use goalsheet::grammar::year::parse_fiscal_year;
    use goalsheet::write::{template_bytes, TemplateOptions};
    let year = parse_fiscal_year("令和8年度").expect("year");
    let opts = TemplateOptions { year, department: String::new(), division: String::new(), entries: 1 };
    let bytes = template_bytes(&opts).expect("template");
    let strings = common::part(&bytes, "xl/sharedStrings.xml");
    for c in &layout::COLUMNS {
        let want = layout::column_label(c.label, Some(8));
        assert!(strings.contains(&format!(">{want}<")), "{want}");
    }
    for h in &layout::HEADER_FIELDS {
        assert!(strings.contains(&format!(">{}<", h.label.text(Some(8)))), "{}", h.label.current());
    }
}

#[test]
fn the_csv_reader_takes_the_year_words_of_the_workbook_reader() {
    let csv = "部,課,年度,No.,組織目標,指標,Ｒ６目標値,Ｒ６実績,評価\n市民生活部,市民協働課,令和6年度,1,目標A,件数,10件,12件,○\n";
    let doc = goalsheet::convert::csv::from_bytes(csv.as_bytes()).expect("reads");
    let i = &doc.sheets[0].entries[0].indicators[0];
    assert_eq!((i.target.as_str(), i.result.as_str()), ("10件", "12件"));
}
