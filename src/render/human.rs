//! Human-readable diagnostics with miette: a header naming file, sheet, cell and field, the
//! cell's text as the source with labels pointing inside it, and a help line saying what to
//! write instead.
//!
//! Findings that concern several short cells of a row (grade against targets and results, unit
//! of the result against the target's) show them as one snippet, `E12 目標: 80% | F12 結果:
//! 77.7% | I12 評価: ○`, with a label per part. Separators are ASCII: ○ △ × and box-drawing
//! characters are East-Asian ambiguous width and would shift the labels on Japanese terminals
//! set to wide. miette spans are byte offsets.
//!
//! Fitting the terminal: everything wraps at [`HumanOptions::width`]; a cell line too long for
//! it is clipped around the part the finding is about (`…の9件の業務改善を…`), so the pointer
//! stays under it. Findings are marked `[エラー]` / `[警告]` (`[error]` / `[warning]`), never
//! with miette's `×`, which reads as the grade 未達成 next to a sheet's ○△×. With
//! [`HumanOptions::ascii`] nothing but ASCII is drawn (for consoles that cannot show
//! box-drawing characters).

use crate::finding::{Finding, Location, Severity};
use crate::lang::Lang;
use crate::model::{Document, Field};
use crate::render::{field_name, place, sheet_name, FileResult, Summary};
use crate::rules::common::trimmed_span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, SourceCode,
    ThemeCharacters, ThemeStyles,
};
use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours (only for a terminal).
    pub color: bool,
    /// Wrap width in columns (the terminal's).
    pub width: usize,
    /// ASCII only: no box-drawing characters, for consoles that cannot show them.
    pub ascii: bool,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions { color: false, width: 100, ascii: false }
    }
}

/// The narrowest width drawn; a narrower terminal gets lines wrapped by the terminal itself.
const MIN_WIDTH: usize = 40;

/// Columns taken by the snippet's frame (`  │ `, the gutter with the line number, margins).
const FRAME: usize = 12;

/// Every file's findings (and unreadable files), then the summary line.
pub fn render(results: &[FileResult], lang: Lang, opts: HumanOptions) -> String {
    let mut out = String::new();
    let opts = HumanOptions { width: opts.width.max(MIN_WIDTH), ..opts };
    for r in results {
        match &r.outcome {
            Err(e) => {
                out.push_str(&render_error(&r.file, e, lang, opts));
                out.push('\n');
            }
            Ok(c) => {
                for f in &c.findings {
                    out.push_str(&render_finding(&c.document, &r.file, f, lang, opts));
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&Summary::of(results).line(lang));
    out.push('\n');
    out
}

/// The files of a run with no finding at all, one per line under a heading (for a run over
/// several files, printed before the summary line); empty when there are none.
pub fn clean_files(files: &[String], lang: Lang) -> String {
    if files.is_empty() {
        return String::new();
    }
    let mut out = crate::lang::Msg::new(
        format!("問題のないファイル（{} 件）:\n", files.len()),
        format!("clean file{} ({}):\n", if files.len() == 1 { "" } else { "s" }, files.len()),
    )
    .get(lang)
    .to_string();
    for f in files {
        out.push_str("  ");
        out.push_str(f);
        out.push('\n');
    }
    out
}

fn handler(opts: HumanOptions, lang: Lang) -> GraphicalReportHandler {
    let mut characters = if opts.ascii { ThemeCharacters::ascii() } else { ThemeCharacters::unicode() };
    characters.error = lang.pick("[エラー]", "[error]").into();
    characters.warning = lang.pick("[警告]", "[warning]").into();
    characters.advice = lang.pick("[情報]", "[info]").into();
    let styles = if opts.color { ThemeStyles::ansi() } else { ThemeStyles::none() };
    GraphicalReportHandler::new_themed(GraphicalTheme { characters, styles })
        .with_links(false)
        .without_primary_span_start()
        .with_width(opts.width)
}

/// A file that could not be read.
pub fn render_error(file: &str, e: &crate::Error, lang: Lang, opts: HumanOptions) -> String {
    let mut msg = e.render(lang);
    if e.file.is_none() {
        msg = format!("{file}: {msg}");
    }
    let d = MietteDiagnostic::new(msg).with_severity(miette::Severity::Error);
    let mut s = String::new();
    let _ = handler(opts, lang).render_report(&mut s, &d);
    s
}

/// The text a snippet shows for a value: newlines as spaces (same byte length, so spans stay
/// valid), and a marker for an empty value.
fn shown(value: &str, lang: Lang) -> String {
    if value.trim().is_empty() {
        lang.pick("(空欄)", "(empty)").to_string()
    } else {
        value.replace(['\n', '\r', '\t'], " ")
    }
}

/// Fields short enough to sit side by side on one snippet line.
fn short_field(f: Field) -> bool {
    matches!(
        f,
        Field::No
            | Field::Grade
            | Field::Target
            | Field::Result
            | Field::FiscalYear
            | Field::Created
            | Field::Evaluated
            | Field::TargetLabel
            | Field::ResultLabel
    )
}

/// A source text with labelled spans.
struct Snippet {
    source: String,
    labels: Vec<LabeledSpan>,
}

/// A span kept inside `text` and on character boundaries, so that miette never slices in
/// the middle of a character whatever a rule reported.
fn clamp_in(text: &str, span: &Range<usize>) -> Range<usize> {
    let len = text.len();
    let mut start = span.start.min(len);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, len);
    while end < len && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The one-cell snippet: the cell text itself.
fn single(doc: &Document, f: &Finding, lang: Lang, opts: HumanOptions) -> Snippet {
    let value = f.location.value(doc).unwrap_or_default();
    let label = f.label.as_ref().map(|l| l.get(lang).to_string());
    if value.trim().is_empty() {
        let source = shown(value, lang);
        let len = source.len();
        return Snippet { source, labels: vec![LabeledSpan::new_with_span(label, 0..len)] };
    }
    let span = f.span.clone().map(|s| clamp_in(value, &s)).unwrap_or_else(|| trimmed_span(value));
    let span = if span.is_empty() { clamp_in(value, &(span.start..span.start + 1)) } else { span };
    // Cut to a bounded window first (a cell may hold 32,767 characters), then to the width.
    let (value, span) = clip_around(value, span, opts.ascii);
    let room = opts.width.max(MIN_WIDTH).saturating_sub(FRAME);
    let (source, span) = clip(&value, span, room, opts.ascii);
    let label = label.map(|l| wrap_label(&l, column_in(&source, span.start), opts.width));
    Snippet { source, labels: vec![LabeledSpan::new_with_span(label, span)] }
}

/// The display column of byte `at` within its line of `text`.
fn column_in(text: &str, at: usize) -> usize {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    width_of(&text[start..at])
}

/// A label broken into lines that fit the width, drawn as miette draws it: starting below the
/// span's column, after the gutter and the `╰── ` connector.
fn wrap_label(label: &str, column: usize, width: usize) -> String {
    let room = width.max(MIN_WIDTH).saturating_sub(FRAME.saturating_sub(4) + column + 4).max(16);
    textwrap::wrap(label, textwrap::Options::new(room).break_words(true)).join("\n")
}

fn width_of(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The line of `text` holding `span`, cut to at most `room` columns around the span with an
/// ellipsis where something was left out, when any line of `text` is wider than `room`;
/// otherwise `text` as it is. Returns the text shown and the span within it.
fn clip(text: &str, span: Range<usize>, room: usize, ascii: bool) -> (String, Range<usize>) {
    if text.lines().all(|l| width_of(l) <= room) {
        return (text.to_string(), span);
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.start..].find('\n').map_or(text.len(), |i| span.start + i);
    let line = &text[line_start..line_end];
    let span = (span.start - line_start)..(span.end.min(line_end) - line_start).max(span.start - line_start);
    let dots = if ascii { "..." } else { "…" };
    let room = room.saturating_sub(2 * width_of(dots)).max(1);
    // Grow a window from the span outwards, a character at a time on alternating sides.
    let (mut from, mut to) = (span.start, span.end);
    let mut used = width_of(&line[from..to]);
    loop {
        let before = line[..from].chars().next_back();
        let after = line[to..].chars().next();
        let mut grew = false;
        for (c, left) in [(after, false), (before, true)] {
            let Some(c) = c else { continue };
            let w = c.width().unwrap_or(0);
            if used + w > room {
                continue;
            }
            used += w;
            if left {
                from -= c.len_utf8();
            } else {
                to += c.len_utf8();
            }
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let head = if from > 0 { dots } else { "" };
    let tail = if to < line.len() { dots } else { "" };
    let shown = format!("{head}{}{tail}", &line[from..to]);
    let at = head.len() + span.start - from;
    (shown, at..at + span.len())
}

/// Characters of a cell shown on each side of what a finding points at, and at most of what
/// it points at. A cell may hold 32,767 characters: quoted whole, once per finding, a workbook
/// of such cells made `check` print (and hold) hundreds of megabytes.
const CONTEXT_CHARS: usize = 60;
const SPAN_CHARS: usize = 120;

/// `value` cut to `span` (itself cut to [`SPAN_CHARS`]) and [`CONTEXT_CHARS`] on each side,
/// with an ellipsis where text was left out; the span moved to match.
fn clip_around(value: &str, span: Range<usize>, ascii: bool) -> (String, Range<usize>) {
    let dots = if ascii { "..." } else { "…" };
    let span = clamp_in(value, &span);
    let end = forward(value, span.start, SPAN_CHARS).min(span.end).max(span.start);
    let from = backward(value, span.start, CONTEXT_CHARS);
    let to = forward(value, end, CONTEXT_CHARS);
    let lead = if from > 0 { dots } else { "" };
    let mut out = String::with_capacity(to - from + 6);
    out.push_str(lead);
    out.push_str(&value[from..to]);
    if to < value.len() {
        out.push_str(dots);
    }
    let shift = lead.len();
    (out, span.start - from + shift..end - from + shift)
}

/// The byte offset `n` characters after `at` (or the end).
fn forward(text: &str, at: usize, n: usize) -> usize {
    text[at..].char_indices().nth(n).map(|(i, _)| at + i).unwrap_or(text.len())
}

/// The byte offset `n` characters before `at` (or the start).
fn backward(text: &str, at: usize, n: usize) -> usize {
    match n {
        0 => at,
        _ => text[..at].char_indices().rev().nth(n - 1).map(|(i, _)| i).unwrap_or(0),
    }
}

/// The row snippet: the primary value and its related values, one line per indicator.
fn row(doc: &Document, f: &Finding, lang: Lang, width: usize, ascii: bool) -> Snippet {
    let mut parts: Vec<(Location, Option<String>, Option<Range<usize>>)> = Vec::new();
    parts.push((f.location.clone(), f.label.as_ref().map(|l| l.get(lang).to_string()), f.span.clone()));
    for r in &f.related {
        if !parts.iter().any(|(l, _, _)| *l == r.location) {
            parts.push((r.location.clone(), Some(r.label.get(lang).to_string()), None));
        }
    }
    let rank = |l: &Location| {
        let col = crate::layout::column_of(l.field).map(|c| c.col).unwrap_or(0);
        (l.entry.is_none(), l.indicator.is_none(), l.entry, l.indicator, col)
    };
    parts.sort_by_key(|(l, _, _)| rank(l));
    let mut source = String::new();
    let mut labels = Vec::new();
    let one_line = single_line(f);
    let mut line_key: Option<Option<usize>> = None;
    for (loc, label, span) in parts {
        let key = loc.indicator;
        match line_key {
            None => {}
            Some(k) if one_line || k == key => source.push_str(" | "),
            Some(_) => source.push('\n'),
        }
        line_key = Some(key);
        let p = place(doc, &loc);
        if let Some(c) = p.cell {
            source.push_str(&format!("{c} "));
        }
        let short = lang.pick(loc.field.label_ja(), loc.field.label_en());
        source.push_str(&format!("{short}: "));
        let value = loc.value(doc).unwrap_or_default();
        let text = shown(value, lang);
        let inner = if value.trim().is_empty() {
            0..text.len()
        } else {
            span.map(|s| clamp_in(&text, &s)).filter(|s| !s.is_empty()).unwrap_or_else(|| trimmed_span(&text))
        };
        let (text, inner) = clip_around(&text, inner, ascii);
        let at = source.len();
        source.push_str(&text);
        let column = column_in(&source, at + inner.start);
        let label = label.map(|l| wrap_label(&l, column, width));
        labels.push(LabeledSpan::new_with_span(label, at + inner.start..at + inner.end));
    }
    Snippet { source, labels }
}

/// Whether every part of a row finding belongs on one line (one indicator at most).
fn single_line(f: &Finding) -> bool {
    let mut inds: Vec<usize> = f.related.iter().filter_map(|r| r.location.indicator).collect();
    inds.extend(f.location.indicator);
    inds.sort_unstable();
    inds.dedup();
    inds.len() <= 1
}

/// The header: `市民生活課.xlsx › 市民生活課!F12 Ｒ６結果`.
pub fn header(doc: &Document, file: &str, loc: &Location, lang: Lang) -> String {
    let p = place(doc, loc);
    let sheet = sheet_name(doc, loc.sheet_index);
    let field = field_name(doc, loc, lang);
    match (p.cell, p.path.is_empty()) {
        (Some(c), _) => format!("{file} › {sheet}!{c} {field}"),
        (None, false) => format!("{file} › {sheet} › {} {field}", p.path),
        (None, true) => format!("{file} › {sheet} › {field}"),
    }
}

/// The snippet the terminal shows under a finding: one cell's text, or a row of short values.
fn snippet(doc: &Document, f: &Finding, lang: Lang, opts: HumanOptions) -> Snippet {
    let as_row = !f.related.is_empty()
        && short_field(f.location.field)
        && f.related.iter().all(|r| short_field(r.location.field));
    if as_row {
        row(doc, f, lang, opts.width, opts.ascii)
    } else {
        single(doc, f, lang, opts)
    }
}

/// The text shown under a finding and the parts of it that are marked, for a display other
/// than the terminal's (the browser page) to show the same thing, unclipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    pub text: String,
    /// Byte ranges into `text`, on character boundaries, in the order the terminal lists them.
    pub marks: Vec<Mark>,
}

/// One marked part of a [`Highlight`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: Range<usize>,
    pub label: Option<String>,
}

/// What [`render_finding`] shows of the cell text, with the marked parts (as wide as the
/// text: a page wraps it itself).
pub fn highlight(doc: &Document, f: &Finding, lang: Lang) -> Highlight {
    let s = snippet(doc, f, lang, HumanOptions { width: usize::MAX / 2, ..HumanOptions::default() });
    let marks = s
        .labels
        .iter()
        .map(|l| Mark { range: l.offset()..l.offset() + l.len(), label: l.label().map(str::to_string) })
        .collect();
    Highlight { text: s.source, marks }
}

/// One finding as a miette diagnostic.
pub fn render_finding(doc: &Document, file: &str, f: &Finding, lang: Lang, opts: HumanOptions) -> String {
    let opts = HumanOptions { width: opts.width.max(MIN_WIDTH), ..opts };
    let snippet = snippet(doc, f, lang, opts);
    let severity = match f.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    };
    let mut d = MietteDiagnostic::new(f.message.get(lang))
        .with_code(f.code)
        .with_severity(severity)
        .with_labels(snippet.labels);
    let mut help = f.help.as_ref().map(|h| h.get(lang).to_string()).unwrap_or_default();
    if let Some(fix) = &f.fix {
        // What `fix` will say of it when it holds it.
        let held = fix.held.as_ref().map(|why| why.get(lang).to_string());
        let how = match (held, fix.applicability) {
            (Some(held), _) => held,
            (None, crate::finding::Applicability::Safe) => {
                lang.pick("goalsheet fix で修正できます", "fixable with `goalsheet fix`").to_string()
            }
            (None, crate::finding::Applicability::Unsafe) => lang
                .pick("goalsheet fix --unsafe-fixes で修正できます", "fixable with `goalsheet fix --unsafe-fixes`")
                .to_string(),
        };
        let line = format!(
            "{}: {}{}",
            lang.pick("修正", "fix"),
            fix.message.get(lang),
            lang.pick(format!("（{how}）").as_str(), format!(" ({how})").as_str())
        );
        help = if help.is_empty() { line } else { format!("{help}\n{line}") };
    }
    if !help.is_empty() {
        d = d.with_help(help);
    }
    let mut title = header(doc, file, &f.location, lang);
    if opts.ascii {
        title = title.replace('›', ">");
    }
    let report = WithSource { diagnostic: d, source: NamedSource::new(title, snippet.source) };
    let mut s = String::new();
    let _ = handler(opts, lang).render_report(&mut s, &report);
    s
}

/// A diagnostic with the snippet it points into. `miette::Report::with_source_code` does the
/// same, but making a `Report` asks the global hook for a handler, which looks at the terminal
/// (seven system calls) for every finding, to be thrown away: the handler above draws.
#[derive(Debug)]
struct WithSource {
    diagnostic: MietteDiagnostic,
    source: NamedSource<String>,
}

impl std::fmt::Display for WithSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl std::error::Error for WithSource {}

impl Diagnostic for WithSource {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.diagnostic.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic.help()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diagnostic.labels()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_cell_is_clipped_around_the_span() {
        let value = format!("{}△{}", "あ".repeat(10_000), "い".repeat(10_000));
        let at = value.find('△').unwrap();
        let (text, span) = clip_around(&value, at..at + '△'.len_utf8(), true);
        assert_eq!(&text[span], "△");
        assert!(text.starts_with("...") && text.ends_with("..."), "{text}");
        assert_eq!(text.chars().count(), 3 + CONTEXT_CHARS + 1 + CONTEXT_CHARS + 3);
        // A span over the whole cell is cut too; a short cell is left whole.
        let (text, span) = clip_around(&value, 0..value.len(), true);
        assert_eq!(span.start, 0);
        assert_eq!(text.chars().count(), SPAN_CHARS + CONTEXT_CHARS + 3);
        assert_eq!(clip_around("80%", 0..3, true), ("80%".to_string(), 0..3));
    }
}
