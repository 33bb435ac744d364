//! `--help` in the run's language.
//!
//! Each help text is written once, in both languages, as `日本語 / English` (the doc comments
//! of the argument structs), so that the two never drift apart; clap adds its own English
//! (`Usage:`, `Options:`, `Print help`, `[default: …]`, `[possible values: …]`). A run speaks
//! one language everywhere, help included: before parsing, [`in_language`] keeps one half of
//! each text and puts what clap would add in that language.

use clap::builder::{Arg, ArgAction, Command, PossibleValue};
use goalsheet::Lang;

/// `cmd` (and its subcommands) with every help text in `lang`.
pub fn in_language(cmd: Command, lang: Lang) -> Command {
    let mut cmd = localized(cmd, lang, true);
    // The `help` subcommand is made when the command is built; only its texts change after.
    cmd.build();
    let about = lang.pick("ヘルプを表示する（goalsheet help check など）", "print help (goalsheet help check …)");
    cmd.mut_subcommand("help", |c| {
        let c = c
            .about(about)
            .mut_args(|a| a.help(lang.pick("ヘルプを表示するコマンド", "the command to print help of")))
            .mut_subcommand("help", |h| h.about(about));
        match lang {
            Lang::Ja => c.help_template(JA_TEMPLATE).subcommand_help_heading("コマンド"),
            Lang::En => c,
        }
    })
}

/// clap's help layout with its `Usage:` in Japanese (the other headings are set by name).
const JA_TEMPLATE: &str = "{before-help}{about-with-newline}\n使い方: {usage}\n\n{all-args}{after-help}";

fn localized(cmd: Command, lang: Lang, root: bool) -> Command {
    let mut cmd = cmd;
    if let Some(about) = cmd.get_about().map(|a| a.to_string()) {
        cmd = cmd.about(half(&about, lang).to_string());
    }
    if let Some(about) = cmd.get_long_about().map(|a| a.to_string()) {
        cmd = cmd.long_about(half(&about, lang).to_string());
    }
    if root && lang == Lang::Ja {
        cmd = cmd.about("組織目標管理シートを検査・修正・統合・変換します");
    }
    cmd = cmd.mut_args(|a| localized_arg(a, lang));
    cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .help(lang.pick("ヘルプを表示する", "print help")),
    );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(lang.pick("バージョンを表示する", "print the version")),
        );
    }
    if lang == Lang::Ja {
        cmd = cmd.help_template(JA_TEMPLATE).subcommand_help_heading("コマンド").mut_args(|a| {
            let heading = if a.is_positional() { "引数" } else { "オプション" };
            a.help_heading(heading)
        });
    }
    cmd.mut_subcommands(|c| localized(c, lang, false))
}

/// One argument's help, and what clap would add to it (its possible values, each with its
/// help in the long form, and its default), in `lang`.
fn localized_arg(arg: Arg, lang: Lang) -> Arg {
    let Some(mut help) = arg.get_help().map(|h| half(&h.to_string(), lang).to_string()) else { return arg };
    // A flag's values (true, false) and default are not shown.
    let takes_values = arg.get_action().takes_values();
    let values: Vec<PossibleValue> =
        arg.get_possible_values().into_iter().filter(|v| takes_values && !v.is_hide_set()).collect();
    let mut long = None;
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        if values.iter().any(|v| v.get_help().is_some()) {
            let mut text = format!("{help}\n\n{}:", lang.pick("指定できる値", "Possible values"));
            for v in &values {
                let value_help = v.get_help().map(|h| half(&h.to_string(), lang).to_string()).unwrap_or_default();
                text.push_str(&format!("\n- {}: {value_help}", v.get_name()));
            }
            long = Some(text);
        }
        help.push_str(&format!(" [{}: {}]", lang.pick("指定できる値", "possible values"), names.join(", ")));
    }
    let defaults: Vec<String> =
        arg.get_default_values().iter().map(|d| d.to_string_lossy().into_owned()).filter(|d| !d.is_empty()).collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() && takes_values {
        let default = format!("[{}: {}]", lang.pick("既定", "default"), defaults.join(", "));
        help.push_str(&format!(" {default}"));
        if let Some(long) = &mut long {
            long.push_str(&format!("\n\n{default}"));
        }
    }
    let arg = arg.help(help);
    // clap asserts these only for an argument that takes values.
    let arg = if takes_values { arg.hide_possible_values(true).hide_default_value(true) } else { arg };
    match long {
        Some(long) => arg.long_help(long),
        None => arg,
    }
}

/// The half of a `日本語 / English` text in `lang`; a text with no separator (a name, `JSON`)
/// is the same in both.
fn half(text: &str, lang: Lang) -> &str {
    match split(text) {
        Some((ja, en)) => lang.pick(ja, en),
        None => text,
    }
}

/// `日本語 / English` → (`日本語`, `English`). The separator is the first `/` with a space
/// after it, where what comes before has Japanese and what comes after begins in English.
fn split(text: &str) -> Option<(&str, &str)> {
    text.match_indices("/ ").find_map(|(i, _)| {
        let (ja, en) = (text[..i].trim_end(), text[i + 1..].trim_start());
        let starts_english = en.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '`');
        (has_japanese(ja) && starts_english).then_some((ja, en))
    })
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every help text of the command tree, as the user sees it in `lang`.
    fn texts(cmd: &Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(|a| a.to_string()));
        for a in cmd.get_arguments() {
            out.extend(a.get_help().map(|h| h.to_string()));
            out.extend(a.get_long_help().map(|h| h.to_string()));
        }
        for c in cmd.get_subcommands() {
            texts(c, out);
        }
    }

    #[test]
    fn every_help_text_is_written_in_both_languages() {
        let mut all = Vec::new();
        texts(&super::super::Cli::command(), &mut all);
        // The first is the package's description, which `in_language` replaces in Japanese.
        for t in &all[1..] {
            // A name alone (`JSON (docs/check-json.md)`) needs no translation.
            if has_japanese(t) {
                let (ja, en) = split(t).unwrap_or_else(|| panic!("no ` / English` half: {t}"));
                assert!(!ja.contains(" / ") && !en.contains(" / "), "two separators: {t}");
            }
        }
    }

    #[test]
    fn english_help_has_no_japanese_but_names() {
        let mut all = Vec::new();
        texts(&in_language(super::super::Cli::command(), Lang::En), &mut all);
        // Sheet names and the form's name stay as the sheets spell them.
        let names = ["組織目標管理シート_令和N年度", "組織目標管理シート", "集計"];
        for t in &all {
            let mut rest = t.clone();
            for n in names {
                rest = rest.replace(n, "");
            }
            assert!(!has_japanese(&rest), "Japanese in English help: {t}");
        }
    }

    #[test]
    fn japanese_help_is_japanese() {
        let mut all = Vec::new();
        let cmd = in_language(super::super::Cli::command(), Lang::Ja);
        texts(&cmd, &mut all);
        for t in &all {
            assert!(!t.contains(" / "), "both languages: {t}");
            assert!(has_japanese(t) || t.starts_with("JSON"), "not Japanese: {t}");
        }
        let help = cmd.clone().render_help().to_string();
        for english in ["Usage:", "Options:", "Commands:", "Print help", "Print version", "possible values", "default"]
        {
            assert!(!help.contains(english), "{english} in:\n{help}");
        }
    }

    #[test]
    fn split_finds_the_english_half() {
        assert_eq!(split("出力形式 / output format"), Some(("出力形式", "output format")));
        assert_eq!(
            split("（UTF-8 でない端末では自動）/ draw with ASCII"),
            Some(("（UTF-8 でない端末では自動）", "draw with ASCII"))
        );
        assert_eq!(
            split("出力先（.json .csv .xlsx。- で標準出力） / output file"),
            Some(("出力先（.json .csv .xlsx。- で標準出力）", "output file"))
        );
        assert_eq!(split("JSON (docs/check-json.md)"), None);
    }
}
