//! GS1xx: required fields by stage, and the numbering of entries (No.).

pub mod duplicate_no;
pub mod hidden_row_or_column;
pub mod missing_evaluation_field;
pub mod missing_no;
pub mod missing_plan_field;
pub mod no_out_of_sequence;

use crate::finding::{Finding, Location};
pub(crate) use crate::grammar::no::parse_no;
use crate::lang::Msg;
use crate::model::Field;
use crate::rules::common::{blank, shared_from_above};
use crate::rules::{finding, Rule, SheetCtx};

/// The fields one stage requires, at each level of the sheet.
pub(crate) struct Required {
    pub sheet: &'static [Field],
    pub entry: &'static [Field],
    pub indicator: &'static [Field],
    /// Indicator fields that may be blank on a row when an earlier row of the same entry holds
    /// them (one value for several rows, left unmerged).
    pub may_share: &'static [Field],
}

/// A name made of placeholder marks and a unit word (`○○課`, `〇〇部`, `××センター`): what
/// templates print where the name goes.
fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    let marks = t.chars().take_while(|c| "○〇◯●◎×✕ＸX＊*□■".contains(*c)).count();
    marks >= 2 && t.chars().count() - marks <= 5
}

/// Reports every blank required field as a finding of `rule`, saying what to fill in.
pub(crate) fn report_blank(rule: &Rule, cx: &SheetCtx<'_>, req: &Required, out: &mut Vec<Finding>) {
    let mut report = |loc: Location| {
        let f = loc.field;
        let mut x = finding(
            rule,
            loc,
            Msg::new(format!("「{}」が空欄です", f.label_ja()), format!("{} is empty", f.label_en())),
        );
        x.help =
            Some(Msg::new(format!("「{}」を記入してください", f.label_ja()), format!("fill in the {}", f.label_en())));
        out.push(x);
    };
    let s = cx.sheet;
    // A formula whose value is not known is not blank: GS701 says what to do with it.
    let formula = |t: &crate::model::Typed, f: Field| t.get(f).is_some_and(|t| t.lacks_value());
    let mut placeholders = Vec::new();
    for &f in req.sheet {
        if s.field(f).is_some_and(blank) && !formula(&s.typed, f) {
            report(Location::sheet(cx.index, f));
        }
        // The template's placeholder name left in (`○○課`): as good as empty, and merge would
        // take every such sheet for one division.
        if let Some(text) = s.field(f).filter(|t| matches!(f, Field::Department | Field::Division) && is_placeholder(t))
        {
            let mut x = finding(
                rule,
                Location::sheet(cx.index, f),
                Msg::new(
                    format!("「{}」が様式の仮の名前「{}」のままです", f.label_ja(), text.trim()),
                    format!("the {} is still the form's placeholder “{}”", f.label_en(), text.trim()),
                ),
            );
            x.help = Some(Msg::new(
                format!("正式な「{}」を記入してください", f.label_ja()),
                format!("write the {}'s real name", f.label_en()),
            ));
            placeholders.push(x);
        }
    }
    for (e, entry) in s.entries.iter().enumerate() {
        for &f in req.entry {
            if entry.field(f).is_some_and(blank) && !formula(&entry.typed, f) {
                report(Location::entry(cx.index, e, f));
            }
        }
        for (i, ind) in entry.indicators.iter().enumerate() {
            for &f in req.indicator {
                let empty = ind.field(f).is_some_and(blank) && !formula(&ind.typed, f);
                if empty && !(req.may_share.contains(&f) && shared_from_above(entry, i, f)) {
                    report(Location::indicator(cx.index, e, i, f));
                }
            }
        }
    }
    out.extend(placeholders);
}
