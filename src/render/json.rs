//! The JSON report: a stable schema for programs, documented in `docs/check-json.md`.
//! Version 1; fields are only ever added within a version.

use crate::finding::{Applicability, Finding, Severity};
use crate::lang::Lang;
use crate::model::Document;
use crate::render::{place, sheet_name, FileResult, Summary};
use serde_json::{json, Value};

/// The schema version.
pub const VERSION: u32 = 1;

/// The whole report as pretty-printed JSON (with a final newline).
pub fn render(results: &[FileResult], lang: Lang) -> String {
    let mut s = serde_json::to_string_pretty(&report(results, lang)).unwrap_or_default();
    s.push('\n');
    s
}

/// The whole report as a JSON value.
pub fn report(results: &[FileResult], lang: Lang) -> Value {
    let files: Vec<Value> = results
        .iter()
        .map(|r| {
            let error = r.outcome.as_ref().err().map(|e| e.message(lang));
            json!({ "file": r.file, "error": error })
        })
        .collect();
    let findings: Vec<Value> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|c| (r, c)))
        .flat_map(|(r, c)| c.findings.iter().map(move |f| finding(&c.document, &r.file, f, lang)))
        .collect();
    let s = Summary::of(results);
    json!({
        "version": VERSION,
        "lang": match lang { Lang::Ja => "ja", Lang::En => "en" },
        "files": files,
        "findings": findings,
        "summary": {
            "files": s.files,
            "unreadable": s.unreadable,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "fixable": s.fixable,
            "unsafe_fixable": s.unsafe_fixable,
        },
    })
}

/// One finding.
pub fn finding(doc: &Document, file: &str, f: &Finding, lang: Lang) -> Value {
    let loc = &f.location;
    let p = place(doc, loc);
    let entry_no =
        loc.entry.and_then(|e| doc.sheets.get(loc.sheet_index)?.entries.get(e)).map(|e| e.no.trim().to_string());
    let fix = f.fix.as_ref().map(|x| {
        json!({
            "applicability": match x.applicability { Applicability::Safe => "safe", Applicability::Unsafe => "unsafe" },
            "message": x.message.get(lang),
            "edits": x.edits.iter().map(|e| json!({
                "cell": e.location.cell(doc).map(|c| c.to_string()),
                "field": e.location.field.key(),
                "before": e.before,
                "after": e.after,
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "file": file,
        "sheet": sheet_name(doc, loc.sheet_index),
        "cell": p.cell.map(|c| c.to_string()),
        "field": loc.field.key(),
        "entry": loc.entry,
        "no": entry_no,
        "indicator": loc.indicator,
        "severity": match f.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "info" },
        "code": f.code,
        "message": f.message.get(lang),
        "help": f.help.as_ref().map(|h| h.get(lang)),
        "span": f.span.as_ref().map(|s| json!({"start": s.start, "end": s.end})),
        "fix": fix,
    })
}
