//! One line per finding, for grep and editors: `file:sheet!cell: severity[CODE] message`.
//!
//! Values read from JSON have no cell; their place is the entry and field instead
//! (`file:sheet!No.2/Ｒ６結果`).

use crate::finding::Finding;
use crate::lang::Lang;
use crate::model::Document;
use crate::render::{field_name, place, severity_word, sheet_name, FileResult, Summary};

/// Every finding as one line, unreadable files as `file: error: …`, then the summary line.
pub fn render(results: &[FileResult], lang: Lang) -> String {
    let mut out = String::new();
    for r in results {
        match &r.outcome {
            Err(e) => {
                let msg = e.message(lang);
                out.push_str(&format!("{}: {}: {msg}\n", r.file, severity_word(crate::finding::Severity::Error, lang)));
            }
            Ok(c) => {
                for f in &c.findings {
                    out.push_str(&line(&c.document, &r.file, f, lang));
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&Summary::of(results).line(lang));
    out.push('\n');
    out
}

/// One finding's line (no newline).
pub fn line(doc: &Document, file: &str, f: &Finding, lang: Lang) -> String {
    let sheet = sheet_name(doc, f.location.sheet_index);
    let p = place(doc, &f.location);
    let at = match p.cell {
        Some(c) => c.to_string(),
        None if p.path.is_empty() => field_name(doc, &f.location, lang),
        None => format!("{}/{}", p.path, field_name(doc, &f.location, lang)),
    };
    let message = f.message.get(lang).replace('\n', " ");
    format!("{file}:{sheet}!{at}: {}[{}] {message}", severity_word(f.severity, lang), f.code)
}
