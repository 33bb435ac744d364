//! goalsheet's jobs for the browser page (`dist/goalsheet.html`, built by `web/build.sh`).
//!
//! Every function takes a file's bytes and returns JSON text (and bytes to download), calling
//! the same library functions as the command line, so the page gives the CLI's answers. The
//! page calls them from Web Workers, one job at a time per worker, on one thread (no rayon).
//! A panic cannot be caught on wasm32 (it aborts): the hook hands its message to the worker's
//! `goalsheetPanic`, the call throws, and the page replaces the worker and carries on.

use goalsheet::convert::{csv, json};
use goalsheet::fix::output::corrected_file_name;
use goalsheet::fix::{fix_file_with, FixOptions};
use goalsheet::grammar::year::{parse_year_arg, FiscalYear};
use goalsheet::merge::{department_bytes, merge_documents, MergeOptions};
use goalsheet::render::{self, human, Checked, FileResult, Summary};
use goalsheet::rules::files::{check_across, FileHeaders};
use goalsheet::rules::{check_document, check_workbook, CheckOptions, Stage, RULES};
use goalsheet::write::{template_bytes, workbook_bytes_in, TemplateOptions};
use goalsheet::{Document, Error, ErrorKind, Lang, Msg};
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// Defined by the worker script: keeps the panic message for the report.
    #[wasm_bindgen(js_name = goalsheetPanic)]
    fn report_panic(message: &str);
}

/// Installs the panic hook; called once when a worker starts.
#[wasm_bindgen]
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
}

/// Dates the workbooks the page writes as `SOURCE_DATE_EPOCH` does for the CLI (seconds since
/// 1970, UTC); a negative or non-finite value means the time of writing.
#[wasm_bindgen]
pub fn set_source_date_epoch(seconds: f64) {
    let epoch = (seconds.is_finite() && seconds >= 0.0).then_some(seconds as i64);
    goalsheet::write::set_document_epoch(epoch);
}

/// Panics on purpose: the browser test uses it to prove a panic never leaves the page dead.
#[wasm_bindgen]
pub fn panic_for_test() {
    panic!("goalsheet-web: panic requested by the test");
}

fn lang_of(code: &str) -> Lang {
    if code == "ja" {
        Lang::Ja
    } else {
        Lang::En
    }
}

/// What a job hands back: a JSON description and, when it made a file, the file's bytes.
#[wasm_bindgen]
pub struct Output {
    json: String,
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl Output {
    #[wasm_bindgen(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }

    /// The file (empty when the job made none).
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }
}

fn output(value: Value, bytes: Vec<u8>) -> Output {
    Output { json: value.to_string(), bytes }
}

fn failed(e: &Error, lang: Lang) -> Output {
    output(json!({ "error": e.message(lang) }), Vec::new())
}

fn usage(ja: impl Into<String>, en: impl Into<String>) -> Error {
    Error::new(ErrorKind::Usage { detail: Msg::new(ja, en) })
}

/// The check result of a file refused for its size before it is read, as the CLI reports it
/// (`{report, extras}` as [`check`] gives); `None` when the size is acceptable.
#[wasm_bindgen]
pub fn check_refused(name: &str, size: f64, lang: &str) -> Option<String> {
    let e = goalsheet::read::check_size(size as u64).err()?;
    let result = [FileResult { file: name.to_string(), outcome: Err(e.in_file(name)) }];
    Some(json!({ "report": report(&result, lang_of(lang)), "extras": [] }).to_string())
}

/// Every rule: code, name, severity, whether it fixes, summary and explanation (Markdown).
#[wasm_bindgen]
pub fn rules(lang: &str) -> String {
    let lang = lang_of(lang);
    let list: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "code": r.code,
                "name": r.name,
                "family": r.family.name().get(lang),
                "severity": render::severity_word(r.severity, lang),
                "fix": r.fix.map(|a| goalsheet::fix::applicability_text(a, lang)),
                "summary": r.summary.get(lang),
                "doc": r.doc.get(lang),
            })
        })
        .collect();
    Value::Array(list).to_string()
}

/// Checks one file. `stage` is `plan`, `evaluation` or empty (inferred per sheet, the default).
///
/// Returns `{report, extras, headers}`: `report` is what `goalsheet check --format json` gives
/// for this file alone (the page joins the files' reports as the CLI does); `extras[i]` has,
/// for finding `i`, the field's name as the terminal shows it and `parts`, the text the
/// terminal shows under the finding as `{text, mark, label}`; `headers` is what the cross-file
/// checks need of the file (for [`across`]), null when it could not be read.
#[wasm_bindgen]
pub fn check(name: &str, bytes: &[u8], lang: &str, stage: &str) -> String {
    let lang = lang_of(lang);
    let opts = check_options(stage);
    // As the command line's `check` reads: the figures of a summary sheet are not formatted.
    let purpose = goalsheet::read::Purpose::Check;
    let outcome = goalsheet::read::read_bytes_for(bytes, name, &goalsheet::layout::OFFICIAL, purpose).map(|document| {
        let mut findings = check_document(&document, &opts);
        goalsheet::fix::mark_held(&document, name, &mut findings);
        Checked { document, findings }
    });
    let result = [FileResult { file: name.to_string(), outcome }];
    let report = report(&result, lang);
    let (extras, headers) = match &result[0].outcome {
        Ok(c) => (extras(&c.document, &c.findings, lang), json!(FileHeaders::of(name, &c.document))),
        Err(_) => (Vec::new(), Value::Null),
    };
    json!({ "report": report, "extras": extras, "headers": headers }).to_string()
}

/// The cross-file checks (GS801–GS803) over the files of one check, as `goalsheet check` runs
/// them after the files' own: `files` is the JSON array of the `headers` [`check`] gave, in
/// input order. Gives `{findings, extras, summary}`: the findings as the CLI's report lists
/// them (after every file's own), their extras as [`check`]'s, and their counts.
#[wasm_bindgen]
pub fn across(files: &str, lang: &str) -> String {
    let lang = lang_of(lang);
    let files: Vec<FileHeaders> = match serde_json::from_str(files) {
        Ok(f) => f,
        Err(e) => return json!({ "error": e.to_string() }).to_string(),
    };
    let results: Vec<FileResult> = check_across(&files)
        .into_iter()
        .map(|(i, findings)| FileResult {
            file: files[i].file.clone(),
            outcome: Ok(Checked { document: files[i].document.clone(), findings }),
        })
        .collect();
    let mut findings = Vec::new();
    let mut extras_all = Vec::new();
    for r in &results {
        if let Ok(c) = &r.outcome {
            findings.extend(c.findings.iter().map(|f| render::json::finding(&c.document, &r.file, f, lang)));
            extras_all.extend(extras(&c.document, &c.findings, lang));
        }
    }
    let mut summary = Summary::of(&results);
    summary.files = 0; // each file is counted by its own check
    json!({ "findings": findings, "extras": extras_all, "summary": summary }).to_string()
}

/// For each finding: the field's name and the cell's text with the problem part marked.
fn extras(document: &Document, findings: &[goalsheet::finding::Finding], lang: Lang) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "field": render::field_name(document, &f.location, lang),
                "parts": parts(&human::highlight(document, f, lang)),
            })
        })
        .collect()
}

/// The report `goalsheet check --format json` writes for these files, as a value.
fn report(results: &[FileResult], lang: Lang) -> Value {
    serde_json::from_str(&render::json::render(results, lang)).unwrap_or_default()
}

fn check_options(stage: &str) -> CheckOptions {
    CheckOptions {
        stage: match stage {
            "plan" => Some(Stage::Plan),
            "evaluation" => Some(Stage::Evaluation),
            _ => None,
        },
    }
}

/// A highlight as consecutive parts, marked or not, so the page never counts bytes.
fn parts(h: &human::Highlight) -> Value {
    let mut marks: Vec<&human::Mark> = h.marks.iter().filter(|m| m.range.start < m.range.end).collect();
    marks.sort_by_key(|m| m.range.start);
    let mut out = Vec::new();
    let mut at = 0;
    for m in marks {
        let (start, end) = (m.range.start.max(at), m.range.end.min(h.text.len()));
        if start >= end || !h.text.is_char_boundary(start) || !h.text.is_char_boundary(end) {
            continue;
        }
        if at < start {
            out.push(json!({ "text": &h.text[at..start], "mark": false }));
        }
        out.push(json!({ "text": &h.text[start..end], "mark": true, "label": m.label }));
        at = end;
    }
    if at < h.text.len() {
        out.push(json!({ "text": &h.text[at..], "mark": false }));
    }
    Value::Array(out)
}

/// Fixes one file as `goalsheet fix` does: the corrected workbook (`NAME.corrected.xlsx`, an
/// .xlsx/.xlsm patched in place) and what changed.
#[wasm_bindgen]
pub fn fix(name: &str, bytes: &[u8], lang: &str, unsafe_fixes: bool, stage: &str) -> Output {
    let lang = lang_of(lang);
    let opts = check_options(stage);
    let file = base_name(name);
    // Read as `goalsheet fix` reads: only what the fix needs, the parts handed to the patch.
    let (doc, parts) = match goalsheet::fix::read_for_fix(Path::new(name), bytes, file) {
        Ok(read) => read,
        Err(e) => return failed(&e, lang),
    };
    let written = fix_file_with(bytes, doc, parts, file, FixOptions { unsafe_fixes }, |d| check_workbook(d, &opts))
        .and_then(|f| f.into_bytes(file, lang));
    let (fixed, corrected) = match written {
        Ok(w) => w,
        Err(e) => return failed(&e.in_file(name), lang),
    };
    let changes: Vec<Value> = fixed
        .applied
        .iter()
        .map(|e| {
            json!({
                "sheet": render::sheet_name(&fixed.document, e.location.sheet_index),
                "cell": e.cell.map(|c| c.to_string()),
                "field": lang.pick(e.location.field.label_ja(), e.location.field.label_en()),
                "before": e.before,
                "after": e.after_text(lang),
                "code": e.code,
                "applicability": e.applicability_text(lang),
            })
        })
        .collect();
    // Fixes not made because of what the cell holds, or because there is no cell (the CLI says so too).
    let held: Vec<Value> = fixed
        .held
        .iter()
        .map(|h| {
            json!({
                "sheet": render::sheet_name(&fixed.document, h.location.sheet_index),
                "cell": h.cell.map(|c| c.to_string()),
                "field": lang.pick(h.location.field.label_ja(), h.location.field.label_en()),
                "message": h.hold.message().get(lang),
                "code": h.code,
            })
        })
        .collect();
    let count = |s: goalsheet::finding::Severity| fixed.remaining.iter().filter(|f| f.severity == s).count();
    output(
        json!({
            "output": corrected_file_name(Path::new(file)).to_string_lossy(),
            "changes": changes,
            "held": held,
            "over_budget": fixed.over_budget_message().map(|m| m.get(lang).to_string()),
            "department_file": fixed.department_file_message().map(|m| m.get(lang).to_string()),
            "unhighlighted": fixed.unhighlighted_message().map(|m| m.get(lang).to_string()),
            "remaining": {
                "errors": count(goalsheet::finding::Severity::Error),
                "warnings": count(goalsheet::finding::Severity::Warning),
                "infos": count(goalsheet::finding::Severity::Info),
            },
        }),
        corrected,
    )
}

/// The last part of a path as the page gives it (`folder/name.xlsx`).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Collects the divisions' files for one department file; read as they are added.
#[wasm_bindgen]
#[derive(Default)]
pub struct Merger {
    gathered: goalsheet::merge::Gathered,
    errors: Vec<Error>,
    /// Each file as added, with its modification time (ms since 1970) when the page knows it.
    files: Vec<(String, Option<u128>)>,
}

#[wasm_bindgen]
impl Merger {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Merger {
        Merger::default()
    }

    /// `modified`: the file's `lastModified`, which tells a corrected copy older than its
    /// original (see [`goalsheet::merge::stale_corrected_copy`]).
    pub fn add(&mut self, name: &str, bytes: &[u8], modified: Option<f64>) {
        let modified = modified.filter(|m| m.is_finite() && *m >= 0.0).map(|m| m as u128);
        self.files.push((name.to_string(), modified));
        match goalsheet::read::read_bytes(bytes, name) {
            Ok(d) => self.errors.extend(self.gathered.add(d).map(|e| e.in_file(name))),
            Err(e) => self.errors.push(e),
        }
    }

    /// The department file as `goalsheet merge` writes it, or every reason it cannot be made
    /// (`{errors: [..]}`). `department` and `year` may be empty (then the sheets decide).
    pub fn finish(self, department: &str, year: &str, force: bool, lang: &str) -> Output {
        let lang = lang_of(lang);
        let stop = |errors: Vec<Error>| {
            let errors: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
            output(json!({ "errors": errors }), Vec::new())
        };
        if !self.errors.is_empty() {
            return stop(self.errors);
        }
        if self.gathered.docs.is_empty() {
            return stop(vec![usage("統合する課のファイルがありません", "no division files to merge")]);
        }
        let files: Vec<(&str, Option<u128>)> = self.files.iter().map(|(n, m)| (n.as_str(), *m)).collect();
        if let Some(e) = goalsheet::merge::stale_corrected_copy(&files) {
            return stop(vec![e]);
        }
        let year = match year.trim() {
            "" => None,
            text => match parse_year_arg(text) {
                Some(y) => Some(y),
                None => return stop(vec![bad_year(text)]),
            },
        };
        let department = Some(department.trim().to_string()).filter(|d| !d.is_empty());
        let files = self.gathered.docs.len();
        let opts = MergeOptions { department, year, force, ..MergeOptions::default() };
        let dept = match merge_documents(self.gathered.docs, &opts) {
            Ok(d) => d,
            Err(e) => return stop(vec![e]),
        };
        let bytes = match department_bytes(&dept, lang) {
            Ok(b) => b,
            Err(e) => return stop(vec![e]),
        };
        let t = dept.totals();
        let name = match dept.year {
            Some(y) => goalsheet::next_year::file_name(&dept.name, y),
            None => format!("{}.xlsx", dept.name.replace(['\\', '/', ':', '*', '?', '"', '<', '>', '|'], "_")),
        };
        let notes: Vec<&str> = dept.notes.iter().map(|n| n.get(lang)).collect();
        output(
            json!({
                "output": name,
                "department": dept.name,
                "year": dept.year_text(),
                "files": files,
                "divisions": dept.divisions.len(),
                "entries": t.entries,
                "indicators": t.indicators,
                "achieved": t.achieved,
                "partly": t.partly,
                "not_achieved": t.not_achieved,
                "ungraded": t.ungraded,
                "share_achieved": t.share_achieved(),
                "errors": [],
                "finding_errors": t.errors,
                "finding_warnings": t.warnings,
                "notes": notes,
            }),
            bytes,
        )
    }
}

fn bad_year(text: &str) -> Error {
    usage(
        format!("年度「{text}」を読めません。2025、R7、令和7 のように入力してください"),
        format!("“{text}” is not a fiscal year; write it as 2025, R7 or 令和7"),
    )
}

/// Converts one file as `goalsheet convert` does; `to` is `json`, `csv` or `xlsx`, `encoding`
/// (CSV only) `utf-8` or `shift_jis`.
#[wasm_bindgen]
pub fn convert(name: &str, bytes: &[u8], to: &str, encoding: &str, lang: &str) -> Output {
    let lang = lang_of(lang);
    let doc = match goalsheet::read::read_bytes(bytes, name) {
        Ok(d) => d,
        Err(e) => return failed(&e, lang),
    };
    let mut notes = Vec::new();
    // As the CLI notes: the columns of a CSV input that were not read.
    if name.to_ascii_lowercase().ends_with(".csv") {
        if let Ok(read) = csv::read(bytes) {
            if !read.ignored_columns.is_empty() {
                let cols = read.ignored_columns.join(lang.pick("、", ", "));
                notes.push(match lang {
                    Lang::Ja => format!("次の列は見出しが分からないため読み込みませんでした: {cols}"),
                    Lang::En => format!("these columns have headers goalsheet does not know and were not read: {cols}"),
                });
            }
        }
    }
    let stem = Path::new(base_name(name)).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let out_name = format!("{stem}.{to}");
    let converted = match to {
        "json" => json::to_string(&doc).map(String::into_bytes),
        "csv" => {
            let enc = if encoding == "shift_jis" { csv::Encoding::ShiftJis } else { csv::Encoding::Utf8Bom };
            if let Some(m) = csv::left_out_message(&doc) {
                notes.push(m.get(lang).to_string());
            }
            csv::encode(&doc, enc)
                .map(|encoded| {
                    for s in &encoded.substitutions {
                        notes.push(match lang {
                            Lang::Ja => format!(
                                "Shift_JIS で表せない「{}」を、Windows で同じに見える「{}」に置き換えました（{}か所）",
                                s.from, s.to, s.cells
                            ),
                            Lang::En => format!(
                                "replaced “{}”, which Shift_JIS cannot hold, with “{}”, which Windows shows for it ({} cell(s))",
                                s.from, s.to, s.cells
                            ),
                        });
                    }
                    encoded.bytes
                })
                .map_err(|e| match e.kind {
                    ErrorKind::UnencodableCells { .. } => e.in_file(name),
                    _ => e,
                })
        }
        "xlsx" => workbook_bytes_in(&doc, lang),
        other => Err(usage(format!("変換先の形式「{other}」はありません"), format!("no output format “{other}”"))),
    };
    let bytes = match converted {
        Ok(b) => b,
        Err(e) if e.file.is_some() => return failed(&e, lang),
        Err(e) => return failed(&e.in_file(&out_name), lang),
    };
    let indicators: usize = doc.sheets.iter().map(|s| s.indicator_count()).sum();
    output(json!({ "output": out_name, "sheets": doc.sheets.len(), "indicators": indicators, "notes": notes }), bytes)
}

/// A blank official sheet for `year` (empty: the fiscal year of `today`, `YYYY-MM-DD`).
#[wasm_bindgen]
pub fn template(year: &str, department: &str, division: &str, entries: u32, today: &str, lang: &str) -> Output {
    let lang = lang_of(lang);
    let year = match year.trim() {
        "" => match chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d") {
            Ok(d) => FiscalYear::containing(d),
            Err(_) => return failed(&bad_year(today), lang),
        },
        text => match parse_year_arg(text) {
            Some(y) => y,
            None => return failed(&bad_year(text), lang),
        },
    };
    let options = TemplateOptions {
        year,
        department: department.trim().to_string(),
        division: division.trim().to_string(),
        entries: entries as usize,
    };
    match template_bytes(&options) {
        Ok(bytes) => output(json!({ "output": options.default_file_name() }), bytes),
        Err(e) => failed(&e, lang),
    }
}

/// Next year's sheets from last year's file (a division's or the department's), as
/// `goalsheet template --from` writes them: one workbook, a sheet per division. `year` empty:
/// the year after the file's.
#[wasm_bindgen]
pub fn next_year(name: &str, bytes: &[u8], year: &str, lang: &str) -> Output {
    use goalsheet::next_year::{default_file_name, document_year, next_year};
    let lang = lang_of(lang);
    let last = match goalsheet::read::read_bytes(bytes, name) {
        Ok(d) => d,
        Err(e) => return failed(&e, lang),
    };
    let year = match year.trim() {
        "" => match document_year(&last) {
            Some(y) => FiscalYear { start: y.start + 1 },
            None => {
                let e = usage(
                    "前年度のファイルの年度が読めません。新しい年度を入力してください（例: 令和7）",
                    "the year of last year's file does not read; enter the new year (e.g. R7)",
                );
                return failed(&e.in_file(name), lang);
            }
        },
        text => match parse_year_arg(text) {
            Some(y) => y,
            None => return failed(&bad_year(text), lang),
        },
    };
    let next = next_year(&last, year);
    let divisions: Vec<&str> = next.sheets.iter().map(|s| s.division.as_str()).collect();
    match goalsheet::write::forms_bytes(&next) {
        Ok(bytes) => output(json!({ "output": default_file_name(&next, year), "divisions": divisions }), bytes),
        Err(e) => failed(&e, lang),
    }
}

/// Puts files into one zip (the page's "download all"), stored as the Deflate of the zip crate.
#[wasm_bindgen]
pub struct Zipper {
    zip: zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
    error: Option<String>,
}

impl Default for Zipper {
    fn default() -> Self {
        Zipper { zip: zip::ZipWriter::new(std::io::Cursor::new(Vec::new())), error: None }
    }
}

#[wasm_bindgen]
impl Zipper {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Zipper {
        Zipper::default()
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let written = self
            .zip
            .start_file(name, options)
            .map_err(|e| e.to_string())
            .and_then(|()| self.zip.write_all(bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            self.error = Some(e);
        }
    }

    /// The zip's bytes; an error (as JSON `{error}`) when a file could not be added.
    pub fn finish(self) -> Output {
        if let Some(e) = self.error {
            return output(json!({ "error": e }), Vec::new());
        }
        match self.zip.finish() {
            Ok(cursor) => output(json!({}), cursor.into_inner()),
            Err(e) => output(json!({ "error": e.to_string() }), Vec::new()),
        }
    }
}
