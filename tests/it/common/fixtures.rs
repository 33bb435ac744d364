//! Fixture builders for the reader tests: workbooks are built by the tests themselves, never
//! checked in as binaries.
//!
//! - [`goal_sheet_xlsx`]: the official layout (positions from `goalsheet::layout`) with any
//!   combination of the drifts real workbooks show ([`Drift`]), via rust_xlsxwriter.
//! - [`minimal_xlsx`], [`ods`], [`xls`]: hand-written minimal containers (zip with XML parts,
//!   OLE with BIFF8 records via `cfb`) for formats rust_xlsxwriter cannot write and for
//!   hostile files.

use goalsheet::address::{CellRange, CellRef};
use goalsheet::layout::{self, ColumnLabel, Merge};
use goalsheet::model::Field;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::io::{Cursor, Write};

/// One indicator row.
#[derive(Clone, Debug)]
pub struct Ind {
    pub name: &'static str,
    pub plan_ref: &'static str,
    pub target: &'static str,
    pub result: &'static str,
    pub initiative: &'static str,
    pub summary: &'static str,
    pub status: &'static str,
    pub policy: &'static str,
}

/// One entry.
#[derive(Clone, Debug)]
pub struct Ent {
    pub no: &'static str,
    pub goal: &'static str,
    pub grade: &'static str,
    pub inds: Vec<Ind>,
}

/// A sheet's content.
#[derive(Clone, Debug)]
pub struct Spec {
    pub name: &'static str,
    pub fiscal_year: &'static str,
    pub created: &'static str,
    pub evaluated: &'static str,
    pub department: &'static str,
    pub division: &'static str,
    pub policy_indicators: &'static str,
    pub entries: Vec<Ent>,
}

impl Spec {
    pub fn header(&self, f: Field) -> &'static str {
        match f {
            Field::FiscalYear => self.fiscal_year,
            Field::Created => self.created,
            Field::Evaluated => self.evaluated,
            Field::Department => self.department,
            Field::Division => self.division,
            Field::PolicyIndicators => self.policy_indicators,
            _ => "",
        }
    }
    pub fn indicator_count(&self) -> usize {
        self.entries.iter().map(|e| e.inds.len()).sum()
    }
}

impl Ind {
    pub fn get(&self, f: Field) -> &'static str {
        match f {
            Field::Name => self.name,
            Field::PlanRef => self.plan_ref,
            Field::Target => self.target,
            Field::Result => self.result,
            Field::Initiative => self.initiative,
            Field::Summary => self.summary,
            Field::Status => self.status,
            Field::Policy => self.policy,
            _ => "",
        }
    }
}

impl Ent {
    pub fn get(&self, f: Field) -> &'static str {
        match f {
            Field::No => self.no,
            Field::Goal => self.goal,
            Field::Grade => self.grade,
            _ => "",
        }
    }
}

/// A sheet modelled on 広聴相談課 and 市民協働課 of the seed: three entries with one, three
/// and two indicators; initiative and status shared (merged) in entry 2.
pub fn sample() -> Spec {
    let ind = |name, plan_ref, target, result, initiative, summary, status, policy| Ind {
        name,
        plan_ref,
        target,
        result,
        initiative,
        summary,
        status,
        policy,
    };
    Spec {
        name: "広聴相談課",
        fiscal_year: "令和6年度",
        created: "R6.5.15",
        evaluated: "R7.3.31",
        department: "市民生活部",
        division: "広聴相談課",
        policy_indicators: "・市政への満足度\n・市民の声の反映件数",
        entries: vec![
            Ent {
                no: "1",
                goal: "市民の声を市政に生かします。",
                grade: "○",
                inds: vec![ind(
                    "市民の声の回答率",
                    "政策1-1-①",
                    "80%",
                    "77.7%",
                    "・市民の声の受付",
                    "受け付けた声に回答します。",
                    "目標をおおむね達成しました。",
                    "引き続き取り組みます。",
                )],
            },
            Ent {
                no: "2",
                goal: "相談体制を充実させます。",
                grade: "△",
                inds: vec![
                    ind(
                        "相談件数",
                        "政策1-2-①",
                        "300件\n（R5：290件）",
                        "318件",
                        "・市民相談",
                        "相談を受けます。",
                        "計318件の相談に対応しました。",
                        "継続します。",
                    ),
                    ind(
                        "出前講座",
                        "",
                        "105回\n（100％）",
                        "105回\n（100％）",
                        "・市民相談",
                        "講座を開きます。",
                        "計318件の相談に対応しました。",
                        "継続します。",
                    ),
                    ind(
                        "満足度",
                        "行財3-2-②",
                        "4.6以上",
                        "4.5",
                        "・アンケート",
                        "満足度を測ります。",
                        "計318件の相談に対応しました。",
                        "見直します。",
                    ),
                ],
            },
            Ent {
                no: "3",
                goal: "情報を分かりやすく発信します。",
                grade: "×",
                inds: vec![
                    ind(
                        "発信回数",
                        "政策2-1-①",
                        "1,700件",
                        "1,512件",
                        "・SNS発信",
                        "SNSで発信します。",
                        "目標値の88.9%でした。",
                        "強化します。",
                    ),
                    ind(
                        "苦情件数",
                        "",
                        "0件",
                        "1件",
                        "・SNS発信",
                        "SNSで発信します。",
                        "1件ありました。",
                        "強化します。",
                    ),
                ],
            },
        ],
    }
}

/// How a built workbook drifts from the official layout.
#[derive(Clone, Debug, Default)]
pub struct Drift {
    /// Rows inserted above everything.
    pub rows_above: u32,
    /// The whole sheet moved right by this many columns.
    pub shift_right: u32,
    /// A blank column inserted after this official column (0-based, A = 0).
    pub blank_col_after: Option<u32>,
    /// `総合計画（実施計\n画）上の位置づけ` and `組織名\n（部）`.
    pub broken_labels: bool,
    /// `R6目標` instead of `Ｒ６目標`.
    pub halfwidth_year: bool,
    /// No merges in the table: continuation rows keep No./goal/grade blank.
    pub unmerged: bool,
    /// This header field's value typed in the cell right after its (empty, merged) value area.
    pub value_after_area: Option<Field>,
    /// This header field's value typed inside its label's merged area.
    pub value_in_label: Option<Field>,
    /// Leave out the legend row (the table then ends at the first blank row).
    pub no_legend: bool,
}

impl Drift {
    /// Every drift at once (the header value one cell off, not hidden in its label area: the
    /// two cannot apply to the same field).
    pub fn all() -> Drift {
        Drift {
            rows_above: 2,
            shift_right: 1,
            blank_col_after: Some(5),
            broken_labels: true,
            halfwidth_year: true,
            unmerged: true,
            value_after_area: Some(Field::PolicyIndicators),
            value_in_label: None,
            no_legend: true,
        }
    }

    pub fn row(&self, r: u32) -> u32 {
        r + self.rows_above
    }
    pub fn col(&self, c: u32) -> u32 {
        c + self.shift_right + u32::from(self.blank_col_after.is_some_and(|b| c > b))
    }
    /// The physical A1 address of an official cell.
    pub fn a1(&self, r: u32, c: u32) -> String {
        CellRef::new(self.row(r), self.col(c)).to_string()
    }
    pub fn range(&self, r: CellRange) -> CellRange {
        CellRange::new(
            CellRef::new(self.row(r.start.row), self.col(r.start.col)),
            CellRef::new(self.row(r.end.row), self.col(r.end.col)),
        )
    }
    /// Official first row of entry `i` (0-based) of `spec`.
    pub fn entry_row(spec: &Spec, i: usize) -> u32 {
        layout::FIRST_DATA_ROW + spec.entries.iter().take(i).map(|e| e.inds.len() as u32).sum::<u32>()
    }
}

fn write_area(ws: &mut Worksheet, d: &Drift, area: CellRange, text: &str, fmt: &Format) {
    let a = d.range(area);
    if a.is_single() {
        ws.write_string_with_format(a.start.row, a.start.col as u16, text, fmt).unwrap();
    } else {
        ws.merge_range(a.start.row, a.start.col as u16, a.end.row, a.end.col as u16, text, fmt).unwrap();
    }
}

fn range(r0: u32, c0: u32, r1: u32, c1: u32) -> CellRange {
    CellRange::new(CellRef::new(r0, c0), CellRef::new(r1, c1))
}

/// Writes one goal sheet into `ws`.
pub fn write_goal_sheet(ws: &mut Worksheet, spec: &Spec, d: &Drift) {
    let f = Format::new().set_text_wrap();
    ws.set_name(spec.name).unwrap();
    write_area(ws, d, layout::TITLE_RANGE, layout::TITLE, &f);
    for h in &layout::HEADER_FIELDS {
        let label =
            if d.broken_labels && h.field == Field::Department { "組織名\n（部）" } else { h.label.current() };
        let value = spec.header(h.field);
        write_area(ws, d, h.label_range, label, &f);
        if d.value_after_area == Some(h.field) {
            write_area(ws, d, h.value_range, "", &f);
            let after = range(
                h.value_range.start.row,
                h.value_range.end.col + 1,
                h.value_range.start.row,
                h.value_range.end.col + 1,
            );
            write_area(ws, d, after, value, &f);
        } else if d.value_in_label == Some(h.field) {
            write_area(ws, d, h.value_range, "", &f);
            let inside = d.range(h.label_range).end;
            ws.write_string(inside.row, inside.col as u16, value).unwrap();
        } else {
            write_area(ws, d, h.value_range, value, &f);
        }
    }
    for g in &layout::GROUP_LABELS {
        write_area(ws, d, g.range, g.label.current(), &f);
    }
    for c in &layout::COLUMNS {
        let spans_both =
            layout::GROUP_LABELS.iter().any(|g| g.range.start.row != g.range.end.row && g.range.start.col == c.col);
        if spans_both {
            continue;
        }
        let text = match c.label {
            ColumnLabel::Fixed(_) if c.field == Field::PlanRef && d.broken_labels => {
                "総合計画（実施計\n画）上の位置づけ".to_string()
            }
            ColumnLabel::Target if d.halfwidth_year => "R6目標".to_string(),
            ColumnLabel::Result if d.halfwidth_year => "R6結果".to_string(),
            l => layout::column_label(l, Some(6)),
        };
        let r = layout::TABLE_SUBHEADER_ROW;
        write_area(ws, d, range(r, c.col, r, c.col), &text, &f);
    }
    let mut row = layout::FIRST_DATA_ROW;
    for e in &spec.entries {
        let k = e.inds.len() as u32;
        for c in &layout::COLUMNS {
            let entry_level = c.merge == Merge::Entry;
            let values: Vec<&str> = if entry_level {
                vec![e.get(c.field); e.inds.len()]
            } else {
                e.inds.iter().map(|i| i.get(c.field)).collect()
            };
            let shared = values.windows(2).all(|w| w[0] == w[1]);
            let merge = !d.unmerged && k > 1 && c.merge != Merge::Never && shared;
            if merge {
                write_area(ws, d, range(row, c.col, row + k - 1, c.col), values[0], &f);
            } else {
                for (i, v) in values.iter().enumerate() {
                    if entry_level && i > 0 {
                        continue;
                    }
                    if !v.is_empty() {
                        write_area(ws, d, range(row + i as u32, c.col, row + i as u32, c.col), v, &f);
                    }
                }
            }
        }
        row += k;
    }
    if !d.no_legend {
        write_area(ws, d, range(row, layout::LEGEND_COL, row, layout::LEGEND_LAST_COL), layout::LEGEND, &f);
    }
}

/// One goal sheet as an .xlsx.
pub fn goal_sheet_xlsx(spec: &Spec, d: &Drift) -> Vec<u8> {
    let mut wb = Workbook::new();
    write_goal_sheet(wb.add_worksheet(), spec, d);
    wb.save_to_buffer().unwrap()
}

/// Writes a zip of `(name, bytes)` parts, deflated (the first part stored if it is `mimetype`).
pub fn zip_parts(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            let method =
                if *name == "mimetype" { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(method)
                .large_file(data.len() > u32::MAX as usize / 2);
            z.start_file(*name, opts).unwrap();
            z.write_all(data).unwrap();
        }
        z.finish().unwrap();
    }
    out.into_inner()
}

/// A minimal xlsx with one sheet `Sheet1` of the given `<sheetData>` XML (and optional
/// `xl/sharedStrings.xml`, extra parts).
pub fn minimal_xlsx(sheet_data: &str, shared_strings: Option<&str>, extra: Vec<(&str, Vec<u8>)>) -> Vec<u8> {
    minimal_xlsx_sheet(&format!("<sheetData>{sheet_data}</sheetData>"), shared_strings, extra)
}

/// Like [`minimal_xlsx`], with the whole inside of `<worksheet>` given (e.g. `<mergeCells>`).
pub fn minimal_xlsx_sheet(sheet_inner: &str, shared_strings: Option<&str>, extra: Vec<(&str, Vec<u8>)>) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let mut wbrels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if shared_strings.is_some() {
        wbrels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    wbrels.push_str("</Relationships>");
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_inner}</worksheet>"#
    );
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", ct.as_bytes().to_vec()),
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("xl/workbook.xml", wb.as_bytes().to_vec()),
        ("xl/_rels/workbook.xml.rels", wbrels.into_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
    ];
    if let Some(ss) = shared_strings {
        parts.push(("xl/sharedStrings.xml", ss.as_bytes().to_vec()));
    }
    parts.extend(extra);
    zip_parts(&parts)
}

/// An inline-string cell for [`minimal_xlsx`].
pub fn is_cell(a1: &str, text: &str) -> String {
    format!(r#"<c r="{a1}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// An .ods of one table given as `<table:table-row>` XML.
pub fn ods(table_name: &str, rows_xml: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{table_name}">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_parts(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec()),
        ("content.xml", content.into_bytes()),
    ])
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An ODS string cell (line breaks become paragraphs), optionally spanning.
pub fn ods_cell(text: &str, cols: u32, rows: u32) -> String {
    let span = if cols > 1 || rows > 1 {
        format!(r#" table:number-columns-spanned="{cols}" table:number-rows-spanned="{rows}""#)
    } else {
        String::new()
    };
    if text.is_empty() {
        return format!("<table:table-cell{span}/>");
    }
    let ps: String = text.split('\n').map(|p| format!("<text:p>{}</text:p>", xml_escape(p))).collect();
    format!(r#"<table:table-cell office:value-type="string"{span}>{ps}</table:table-cell>"#)
}

/// The official sheet of `spec` (no drift) as an .ods.
pub fn goal_sheet_ods(spec: &Spec) -> Vec<u8> {
    ods(spec.name, &goal_sheet_ods_rows(spec))
}

/// The official sheet of `spec` (no drift) as ODS rows, built from the same layout positions.
pub fn goal_sheet_ods_rows(spec: &Spec) -> String {
    // Lay the cells out on a grid first, then emit rows with covered cells for merges.
    let grid = official_grid(spec);
    let max_row = grid.keys().map(|k| k.0).max().unwrap_or(0);
    let mut rows = String::new();
    for r in 0..=max_row {
        rows.push_str("<table:table-row>");
        for c in 0..layout::COLUMN_COUNT {
            match grid.get(&(r, c)) {
                Some(GridCell::Value(t, cols, rs)) => rows.push_str(&ods_cell(t, *cols, *rs)),
                Some(GridCell::Covered) => rows.push_str("<table:covered-table-cell/>"),
                None => rows.push_str("<table:table-cell/>"),
            }
        }
        rows.push_str("</table:table-row>");
    }
    rows
}

/// A cell of [`official_grid`].
#[derive(Debug, Clone)]
pub enum GridCell {
    /// Text, columns spanned, rows spanned.
    Value(String, u32, u32),
    Covered,
}

/// The official layout of `spec` as positioned cells (for the ODS and XLS builders).
pub fn official_grid(spec: &Spec) -> std::collections::BTreeMap<(u32, u32), GridCell> {
    let mut g = std::collections::BTreeMap::new();
    let mut put = |area: CellRange, text: &str| {
        for r in area.start.row..=area.end.row {
            for c in area.start.col..=area.end.col {
                g.insert((r, c), GridCell::Covered);
            }
        }
        g.insert(
            (area.start.row, area.start.col),
            GridCell::Value(text.to_string(), area.end.col - area.start.col + 1, area.end.row - area.start.row + 1),
        );
    };
    put(layout::TITLE_RANGE, layout::TITLE);
    for h in &layout::HEADER_FIELDS {
        put(h.label_range, h.label.current());
        put(h.value_range, spec.header(h.field));
    }
    for gl in &layout::GROUP_LABELS {
        put(gl.range, gl.label.current());
    }
    for c in &layout::COLUMNS {
        if layout::GROUP_LABELS.iter().any(|g| g.range.start.row != g.range.end.row && g.range.start.col == c.col) {
            continue;
        }
        let r = layout::TABLE_SUBHEADER_ROW;
        put(range(r, c.col, r, c.col), &layout::column_label(c.label, Some(6)));
    }
    let mut row = layout::FIRST_DATA_ROW;
    for e in &spec.entries {
        let k = e.inds.len() as u32;
        for c in &layout::COLUMNS {
            if c.merge == Merge::Entry {
                put(range(row, c.col, row + k - 1, c.col), e.get(c.field));
            } else {
                for (i, ind) in e.inds.iter().enumerate() {
                    put(range(row + i as u32, c.col, row + i as u32, c.col), ind.get(c.field));
                }
            }
        }
        row += k;
    }
    put(range(row, layout::LEGEND_COL, row, layout::LEGEND_LAST_COL), layout::LEGEND);
    g
}

/// A BIFF8 cell value for [`xls`].
#[derive(Debug, Clone)]
pub enum XlsVal {
    Text(String),
    Number(f64),
    /// A formula of one text constant (`="…"`), with that text as its cached value.
    TextFormula(String),
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = Vec::new();
    d.extend_from_slice(&0x0600u16.to_le_bytes());
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0u8; 12]);
    d
}

/// One sheet of an .xls: name, cells, merged areas.
pub struct XlsSheet {
    pub name: String,
    pub cells: Vec<(u32, u32, XlsVal)>,
    pub merges: Vec<CellRange>,
    /// Written as the sheet's Dimensions record (rows first..last+1, cols first..last+1).
    pub dimensions: Option<(u32, u32, u16, u16)>,
}

/// The BIFF8 workbook stream of `sheets`.
pub fn biff8_stream(sheets: &[XlsSheet]) -> Vec<u8> {
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    // BoundSheet8 records with placeholder offsets, patched below.
    let mut patch = Vec::new();
    for s in sheets {
        let name: Vec<u16> = s.name.encode_utf16().collect();
        let mut d = vec![0u8; 4];
        d.push(0); // visible
        d.push(0); // worksheet
        d.push(name.len() as u8);
        d.push(1); // UTF-16
        for u in name {
            d.extend_from_slice(&u.to_le_bytes());
        }
        patch.push(globals.len() + 4);
        record(&mut globals, 0x0085, &d);
    }
    record(&mut globals, 0x000A, &[]);
    let mut stream = globals;
    for (i, s) in sheets.iter().enumerate() {
        let pos = stream.len() as u32;
        stream[patch[i]..patch[i] + 4].copy_from_slice(&pos.to_le_bytes());
        record(&mut stream, 0x0809, &bof(0x0010));
        let (rf, rl, cf, cl) = s.dimensions.unwrap_or_else(|| {
            let rl = s.cells.iter().map(|c| c.0 + 1).max().unwrap_or(0);
            let cl = s.cells.iter().map(|c| c.1 + 1).max().unwrap_or(0) as u16;
            (0, rl, 0, cl)
        });
        let mut d = Vec::new();
        d.extend_from_slice(&rf.to_le_bytes());
        d.extend_from_slice(&rl.to_le_bytes());
        d.extend_from_slice(&cf.to_le_bytes());
        d.extend_from_slice(&cl.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        record(&mut stream, 0x0200, &d);
        for (r, c, v) in &s.cells {
            let mut d = Vec::new();
            d.extend_from_slice(&(*r as u16).to_le_bytes());
            d.extend_from_slice(&(*c as u16).to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            match v {
                XlsVal::Text(t) => {
                    let u: Vec<u16> = t.encode_utf16().collect();
                    d.extend_from_slice(&(u.len() as u16).to_le_bytes());
                    d.push(1);
                    for x in u {
                        d.extend_from_slice(&x.to_le_bytes());
                    }
                    record(&mut stream, 0x0204, &d);
                }
                XlsVal::Number(n) => {
                    d.extend_from_slice(&n.to_le_bytes());
                    record(&mut stream, 0x0203, &d);
                }
                XlsVal::TextFormula(t) => {
                    let u: Vec<u16> = t.encode_utf16().collect();
                    // The cached value is text (it follows in a STRING record).
                    d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
                    d.extend_from_slice(&0u16.to_le_bytes());
                    d.extend_from_slice(&0u32.to_le_bytes());
                    // ptgStr: a short UTF-16 string.
                    let mut rgce = vec![0x17, u.len() as u8, 1];
                    for x in &u {
                        rgce.extend_from_slice(&x.to_le_bytes());
                    }
                    d.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
                    d.extend_from_slice(&rgce);
                    record(&mut stream, 0x0006, &d);
                    let mut value = Vec::new();
                    value.extend_from_slice(&(u.len() as u16).to_le_bytes());
                    value.push(1);
                    for x in u {
                        value.extend_from_slice(&x.to_le_bytes());
                    }
                    record(&mut stream, 0x0207, &value);
                }
            }
        }
        if !s.merges.is_empty() {
            let mut d = Vec::new();
            d.extend_from_slice(&(s.merges.len() as u16).to_le_bytes());
            for m in &s.merges {
                for v in [m.start.row as u16, m.end.row as u16, m.start.col as u16, m.end.col as u16] {
                    d.extend_from_slice(&v.to_le_bytes());
                }
            }
            record(&mut stream, 0x00E5, &d);
        }
        record(&mut stream, 0x000A, &[]);
    }
    stream
}

/// An .xls whose sheet holds `rows` × `cols` cells that all show one shared string of `len`
/// characters: small on disk (14 bytes a cell), each cell a copy of the string once read.
pub fn xls_shared_string_bomb(len: usize, rows: u16, cols: u16) -> Vec<u8> {
    let mut g = Vec::new();
    record(&mut g, 0x0809, &bof(0x0005));
    let name: Vec<u16> = "課".encode_utf16().collect();
    let mut d = vec![0u8; 4];
    d.extend_from_slice(&[0, 0, name.len() as u8, 1]);
    for u in name {
        d.extend_from_slice(&u.to_le_bytes());
    }
    let patch = g.len() + 4;
    record(&mut g, 0x0085, &d);
    let mut sst = Vec::new();
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&1u32.to_le_bytes());
    sst.extend_from_slice(&(len as u16).to_le_bytes());
    sst.push(0);
    sst.extend(std::iter::repeat_n(b'x', len));
    record(&mut g, 0x00FC, &sst);
    record(&mut g, 0x000A, &[]);
    let mut s = g;
    let pos = s.len() as u32;
    s[patch..patch + 4].copy_from_slice(&pos.to_le_bytes());
    record(&mut s, 0x0809, &bof(0x0010));
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&u32::from(rows).to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&cols.to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    record(&mut s, 0x0200, &dim);
    for r in 0..rows {
        for c in 0..cols {
            let mut d = Vec::new();
            for v in [r, c, 0] {
                d.extend_from_slice(&v.to_le_bytes());
            }
            d.extend_from_slice(&0u32.to_le_bytes());
            record(&mut s, 0x00FD, &d);
        }
    }
    record(&mut s, 0x000A, &[]);
    ole(&[("/Workbook", &s)])
}

/// An OLE compound file with the given streams (`/Workbook`, `/EncryptedPackage` …).
pub fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for (name, data) in streams {
        cf.create_stream(name).unwrap().write_all(data).unwrap();
    }
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

/// An .xls of `sheets`.
pub fn xls(sheets: &[XlsSheet]) -> Vec<u8> {
    ole(&[("/Workbook", &biff8_stream(sheets))])
}

/// The official sheet of `spec` as an .xls sheet.
pub fn goal_sheet_xls_sheet(spec: &Spec) -> XlsSheet {
    let mut cells = Vec::new();
    let mut merges = Vec::new();
    for ((r, c), g) in official_grid(spec) {
        if let GridCell::Value(t, cols, rows) = g {
            if !t.is_empty() {
                cells.push((r, c, XlsVal::Text(t)));
            }
            if cols > 1 || rows > 1 {
                merges.push(range(r, c, r + rows - 1, c + cols - 1));
            }
        }
    }
    XlsSheet { name: spec.name.to_string(), cells, merges, dimensions: None }
}
