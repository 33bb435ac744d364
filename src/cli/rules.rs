//! `goalsheet rules` (list every rule) and `goalsheet rule CODE` (explain one).

use super::{out, Global, Outcome};
use goalsheet::finding::Applicability;
use goalsheet::render::severity_word;
use goalsheet::rules::{rule, Rule, RULES};
use goalsheet::{Error, ErrorKind, Lang, Msg};

#[derive(Debug, clap::Args)]
pub struct ListArgs {}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// 規則のコード（例: GS301）または名前 / the rule's code (e.g. GS301) or name
    pub code: String,
}

fn fix_word(r: &Rule, lang: Lang) -> &'static str {
    match r.fix {
        Some(Applicability::Safe) => lang.pick("自動修正（安全）", "safe fix"),
        Some(Applicability::Unsafe) => lang.pick("自動修正（要確認）", "unsafe fix"),
        None => "",
    }
}

/// The list: code, severity, name, fix, one line.
pub fn list_text(lang: Lang) -> String {
    let mut s = String::new();
    let mut family = None;
    for r in RULES {
        if family != Some(r.family) {
            family = Some(r.family);
            if !s.is_empty() {
                s.push('\n');
            }
            s.push_str(&format!("# GS{}xx {}\n", r.family.digit(), r.family.name().get(lang)));
        }
        let fix = fix_word(r, lang);
        let fix = if fix.is_empty() { String::new() } else { format!(" [{fix}]") };
        s.push_str(&format!(
            "{}  {:<7}  {:<30}  {}{fix}\n",
            r.code,
            severity_word(r.severity, Lang::En),
            r.name,
            r.summary.get(lang)
        ));
    }
    s
}

/// The doc as plain text for a terminal: code blocks indented instead of fenced.
fn plain(doc: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// One rule's explanation.
pub fn explain_text(r: &Rule, lang: Lang) -> String {
    let fix = fix_word(r, lang);
    let fix = if fix.is_empty() { String::new() } else { format!(", {fix}") };
    format!(
        "{} {} ({}{fix})\n{}\n\n{}",
        r.code,
        r.name,
        severity_word(r.severity, lang),
        r.summary.get(lang),
        plain(r.doc.get(lang))
    )
}

pub fn list(_args: ListArgs, global: &Global) -> Outcome {
    out(&list_text(global.lang()));
    Outcome::Clean
}

pub fn explain(args: ExplainArgs, global: &Global) -> Outcome {
    let lang = global.lang();
    match rule(&args.code) {
        Some(r) => {
            out(&explain_text(r, lang));
            Outcome::Clean
        }
        None => {
            let e = Error::new(ErrorKind::Usage {
                detail: Msg::new(
                    format!("規則「{}」はありません。goalsheet rules で一覧を表示できます", args.code),
                    format!("no rule “{}”; `goalsheet rules` lists them all", args.code),
                ),
            });
            super::report_error(&e, lang);
            Outcome::Failed
        }
    }
}
