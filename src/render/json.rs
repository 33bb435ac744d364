//! The JSON report: a stable schema for programs, documented in `docs/check-json.md`.
//! Version 1; fields are only ever added within a version.

use crate::finding::{Applicability, Finding, Severity};
use crate::lang::Lang;
use crate::model::Document;
use crate::render::{place, sheet_name, FileResult, Summary};
use serde::ser::{SerializeMap, SerializeSeq, Serializer as _};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::io::Write;

/// The schema version.
pub const VERSION: u32 = 1;

/// The whole report as pretty-printed JSON (with a final newline).
pub fn render(results: &[FileResult], lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing into a Vec fails only if serde_json does, which it does not for these values.
    let _ = write(&mut out, lang, |sink| {
        for r in results {
            findings_of(r, lang, sink);
        }
        Tail { files: results.iter().map(|r| file(r, lang)).collect(), summary: Summary::of(results) }
    });
    String::from_utf8(out).unwrap_or_default()
}

/// What the report says after its findings: known only once every file is done.
#[derive(Debug, Default)]
pub struct Tail {
    /// One [`file()`] entry per input, in input order.
    pub files: Vec<Value>,
    pub summary: Summary,
}

/// Writes the report to `out` as the findings come, pretty-printed, with a final newline:
/// `produce` hands each finding (made by [`finding`]) to its sink, in order, and returns the
/// [`Tail`]. The findings are serialized straight to `out` (never held all at once), so they
/// come before `files` and `summary`.
pub fn write<W: Write>(
    mut out: W,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(Value)) -> Tail,
) -> std::io::Result<()> {
    let tail = RefCell::new(Tail::default());
    let findings = Findings { produce: RefCell::new(Some(produce)), tail: &tail };
    let mut ser = serde_json::Serializer::pretty(&mut out);
    let mut map = ser.serialize_map(None)?;
    map.serialize_entry("version", &VERSION)?;
    map.serialize_entry("lang", lang_key(lang))?;
    map.serialize_entry("findings", &findings)?;
    let tail = tail.take();
    map.serialize_entry("files", &tail.files)?;
    map.serialize_entry("summary", &tail.summary)?;
    SerializeMap::end(map)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn lang_key(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// The `findings` array, serialized element by element while `produce` runs.
struct Findings<'t, P> {
    produce: RefCell<Option<P>>,
    tail: &'t RefCell<Tail>,
}

impl<P: FnOnce(&mut dyn FnMut(Value)) -> Tail> serde::Serialize for Findings<'_, P> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(produce) = self.produce.borrow_mut().take() else { return s.serialize_seq(Some(0))?.end() };
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let tail = produce(&mut |f| {
            if failed.is_none() {
                failed = seq.serialize_element(&f).err();
            }
        });
        *self.tail.borrow_mut() = tail;
        match failed {
            Some(e) => Err(e),
            None => SerializeSeq::end(seq),
        }
    }
}

/// One entry of the report's `files`: the input and, when it could not be read, why.
pub fn file(r: &FileResult, lang: Lang) -> Value {
    let error = r.outcome.as_ref().err().map(|e| e.message(lang));
    json!({ "file": r.file, "error": error })
}

/// Hands each finding of one file checked to `sink`, made as [`finding`] makes it one at a
/// time: a file's tens of thousands of findings held as JSON values took 400 MB.
pub fn findings_of(r: &FileResult, lang: Lang, sink: &mut dyn FnMut(Value)) {
    if let Ok(c) = &r.outcome {
        for f in &c.findings {
            sink(finding(&c.document, &r.file, f, lang));
        }
    }
}

/// One finding.
pub fn finding(doc: &Document, file: &str, f: &Finding, lang: Lang) -> Value {
    let loc = &f.location;
    let p = place(doc, loc);
    let entry_no =
        loc.entry.and_then(|e| doc.sheets.get(loc.sheet_index)?.entries.get(e)).map(|e| e.no.trim().to_string());
    let fix = f.fix.as_ref().map(|x| {
        let mut fix = json!({
            "applicability": match x.applicability { Applicability::Safe => "safe", Applicability::Unsafe => "unsafe" },
            "message": x.message.get(lang),
            "edits": x.edits.iter().map(|e| json!({
                "cell": e.location.cell(doc).map(|c| c.to_string()),
                "field": e.location.field.key(),
                "before": e.before,
                "after": e.after,
            })).collect::<Vec<_>>(),
        });
        // Why `fix` will not make it (then it is not counted as fixable).
        if let Some(why) = &x.held {
            fix["held"] = json!(why.get(lang));
        }
        fix
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
