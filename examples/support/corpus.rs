//! A deterministic corpus of realistic division workbooks, for benchmarks and batch tests.
//!
//! Every file is one division's 組織目標管理シート in the official layout, written with
//! [`goalsheet::write::workbook_bytes`]: varied departments and divisions, 3–8 entries of 1–3
//! indicators, targets and results as cities write them (`80%`, `1,700件`, `12回`, `4.6以上`,
//! `5件以下`, `（R5：290件）` annotations, qualitative `推進`), plan-stage sheets without results,
//! and the defects real sheets carry at roughly real rates: `〇` typed for `○`, full-width
//! digits, a grade that contradicts the figures, dates that do not exist or fall outside the
//! year. The same seed always gives the same bytes.
//!
//! Shared by `examples/corpus.rs` (write a folder), `examples/bench.rs` and the batch tests
//! (`#[path]`-included from `examples/support/corpus.rs`, so it is not part of the library).
#![allow(dead_code)]

use goalsheet::model::{Document, Entry, Indicator, Sheet};
use std::path::{Path, PathBuf};

/// A tiny PRNG (SplitMix64): enough for varied test data, no dependency, stable across
/// platforms and versions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next_u64() % items.len() as u64) as usize]
    }
}

/// Which departments the divisions belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departments {
    /// Each file a department drawn from a city's list.
    Varied,
    /// Every file of one department (what `merge` takes).
    One(&'static str),
}

/// The department of `--one-department` corpora.
pub const ONE_DEPARTMENT: &str = "市民生活部";

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub files: usize,
    pub seed: u64,
    pub departments: Departments,
}

const DEPARTMENTS: [&str; 16] = [
    "市民生活部",
    "総務部",
    "財務部",
    "福祉部",
    "こども未来部",
    "保健衛生部",
    "環境部",
    "経済部",
    "観光・国際交流部",
    "農林水産部",
    "都市政策部",
    "建築部",
    "土木部",
    "教育委員会事務局",
    "危機管理防災局",
    "文化スポーツ部",
];

const DIVISION_STEMS: [&str; 40] = [
    "市民協働",
    "市民生活",
    "広聴相談",
    "男女共同参画",
    "人事",
    "職員研修",
    "財政",
    "契約",
    "市民税",
    "資産税",
    "収納",
    "福祉総務",
    "障がい福祉",
    "高齢者支援",
    "介護保険",
    "保育",
    "こども家庭",
    "健康増進",
    "保健予防",
    "環境政策",
    "廃棄物対策",
    "商業振興",
    "雇用政策",
    "観光政策",
    "国際交流",
    "農業政策",
    "林業振興",
    "都市計画",
    "住宅政策",
    "建築指導",
    "道路計画",
    "下水道計画",
    "学校支援",
    "生涯学習",
    "文化政策",
    "スポーツ振興",
    "防災",
    "危機対策",
    "情報政策",
    "行政経営",
];

const DIVISION_KINDS: [&str; 3] = ["課", "室", "センター"];

const WARDS: [&str; 8] = ["北区", "東区", "中央区", "江南区", "秋葉区", "南区", "西区", "西蒲区"];

const TOPICS: [&str; 16] = [
    "地域団体の活動と団体運営",
    "市民からの相談対応",
    "窓口サービスの向上",
    "消費者被害の防止",
    "男女共同参画の意識づくり",
    "職員の人材育成",
    "健全な財政運営",
    "子育て家庭への支援",
    "高齢者の地域での暮らし",
    "ごみの減量とリサイクル",
    "中小企業の経営",
    "観光客の受け入れ環境",
    "災害への備え",
    "デジタル化による業務改善",
    "学校と地域の連携",
    "スポーツに親しむ機会",
];

const AIMS: [&str; 8] = [
    "を支援します。",
    "を推進します。",
    "の充実を図ります。",
    "に取り組みます。",
    "の向上を目指します。",
    "を強化します。",
    "の環境を整えます。",
    "の仕組みづくりを進めます。",
];

const INITIATIVES: [&str; 12] = [
    "・出前講座の開催",
    "・相談窓口の運営",
    "・啓発事業",
    "・研修の実施",
    "・補助金の交付",
    "・広報紙による周知",
    "・関係団体との連携会議",
    "・アンケート調査",
    "・オンライン手続きの拡充",
    "・訪問支援",
    "・イベントの開催",
    "・施設の改修",
];

const POLICIES: [&str; 6] = [
    "引き続き事業を推進します。",
    "実施方法を見直し、参加者の増加を図ります。",
    "関係機関と連携し、取組を拡充します。",
    "利用者の声を踏まえ、改善を進めます。",
    "周知方法を工夫し、認知度の向上に努めます。",
    "次年度は対象を広げて実施します。",
];

/// A unit and its plausible range of targets.
struct Kind {
    unit: &'static str,
    lo: u64,
    hi: u64,
    names: [&'static str; 3],
}

const COUNTED: [Kind; 6] = [
    Kind { unit: "件", lo: 5, hi: 2_000, names: ["相談件数", "申請件数", "業務改善件数"] },
    Kind { unit: "回", lo: 1, hi: 120, names: ["講座開催回数", "啓発活動回数", "会議開催回数"] },
    Kind { unit: "校", lo: 10, hi: 110, names: ["参加校数", "実施校数", "連携校数"] },
    Kind { unit: "人", lo: 20, hi: 5_000, names: ["参加者数", "受講者数", "登録者数"] },
    Kind { unit: "団体", lo: 3, hi: 300, names: ["協働団体数", "登録団体数", "支援団体数"] },
    Kind { unit: "箇所", lo: 2, hi: 80, names: ["整備箇所数", "設置箇所数", "点検箇所数"] },
];

/// `1700` → `1,700`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Half-width digits as full-width (`１回`), the commonest typing defect.
fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c) } else { c })
        .collect()
}

/// One indicator and whether its result met the target (`None`: qualitative, or no result yet).
fn indicator(rng: &mut Rng, evaluated: bool) -> (Indicator, Option<bool>) {
    let mut ind = Indicator {
        plan_ref: if rng.chance(70) {
            format!("政策{}-{}-{}", rng.range(1, 6), rng.range(1, 5), rng.pick(&["①", "②", "③", "④"]))
        } else {
            String::new()
        },
        initiative: rng.pick(&INITIATIVES).to_string(),
        summary: format!(
            "{}について、{}",
            rng.pick(&TOPICS),
            rng.pick(&["関係機関と連携して実施します。", "市報や SNS で周知します。", "対象者に個別に案内します。"])
        ),
        ..Indicator::default()
    };
    let kind = rng.range(0, 99);
    let met;
    if kind < 30 {
        // A percentage, `80%` or `95.0%`; results one decimal.
        ind.name = rng.pick(&["満足度", "達成率", "応答率", "加入率", "参加率"]).to_string();
        let t = rng.range(300, 990);
        ind.target = if rng.chance(50) { format!("{}%", t / 10) } else { format!("{}.{}%", t / 10, t % 10) };
        let target = if ind.target.contains('.') { t as f64 / 10.0 } else { (t / 10) as f64 };
        let r = (target * 10.0) as i64 + rng.range(0, 120) as i64 - 70;
        let r = r.clamp(0, 1000);
        ind.result = format!("{}.{}%", r / 10, r % 10);
        met = Some(r as f64 / 10.0 >= target);
    } else if kind < 75 {
        // A count with a unit, sometimes with last year's figure as an annotation.
        let k = &COUNTED[rng.range(0, COUNTED.len() as u64 - 1) as usize];
        ind.name = rng.pick(&k.names).to_string();
        let t = rng.range(k.lo, k.hi);
        ind.target = format!("{}{}", thousands(t), k.unit);
        if rng.chance(25) {
            ind.target.push_str(&format!("\n（R5：{}{}）", thousands(t * rng.range(85, 100) / 100), k.unit));
        }
        let r = t * rng.range(70, 130) / 100;
        ind.result = format!("{}{}", thousands(r), k.unit);
        met = Some(r >= t);
    } else if kind < 82 {
        // A comparator: `4.6以上` (score) or `5件以下` (at most).
        if rng.chance(50) {
            ind.name = "利用者満足度（5点満点）".to_string();
            let t = rng.range(38, 46);
            ind.target = format!("{}.{}以上", t / 10, t % 10);
            let r = t + rng.range(0, 6) - 3;
            ind.result = format!("{}.{}", r / 10, r % 10);
            met = Some(r >= t);
        } else {
            ind.name = "苦情件数".to_string();
            let t = rng.range(3, 20);
            ind.target = format!("{t}件以下");
            let r = t + rng.range(0, 6) - 3;
            ind.result = format!("{r}件");
            met = Some(r <= t);
        }
    } else if kind < 88 {
        // A score in points.
        ind.name = "研修理解度".to_string();
        let t = rng.range(40, 48);
        ind.target = format!("{}.{}点", t / 10, t % 10);
        let r = t + rng.range(0, 4) - 2;
        ind.result = format!("{}.{}点", r / 10, r % 10);
        met = Some(r >= t);
    } else {
        // Qualitative.
        ind.name = rng.pick(&["事業の推進", "次期計画の策定", "制度の見直し", "システムの更新"]).to_string();
        ind.target = rng.pick(&["推進", "実施", "策定", "次期事業者の選定"]).to_string();
        ind.result = rng.pick(&["推進", "実施", "策定済み", "次期事業者の選定及び契約の締結を達成"]).to_string();
        met = None;
    }
    if !evaluated {
        ind.result.clear();
        return (ind, None);
    }
    ind.status = match met {
        Some(true) => format!("{}は{}となり、目標を達成しました。", ind.name, ind.result.lines().next().unwrap_or("")),
        Some(false) => {
            format!("{}は{}となり、目標には届きませんでした。", ind.name, ind.result.lines().next().unwrap_or(""))
        }
        None => "計画どおり取組を進めました。".to_string(),
    };
    ind.policy = rng.pick(&POLICIES).to_string();
    if rng.chance(4) {
        ind.result = fullwidth(&ind.result);
    }
    (ind, met)
}

/// The division name of file `i`: unique over the corpus (merge takes each division once).
fn division(i: usize) -> String {
    let stems = DIVISION_STEMS.len();
    let kinds = DIVISION_KINDS.len();
    let base = format!("{}{}", DIVISION_STEMS[i % stems], DIVISION_KINDS[(i / stems) % kinds]);
    let round = i / (stems * kinds);
    match round {
        0 => base,
        r if r <= WARDS.len() => format!("{}役所{}", WARDS[r - 1], base),
        r => format!("{}第{}", base, r - WARDS.len() + 1),
    }
}

/// A date as it is typed, in one of the styles seen (`R6.5.15`, `令和6年5月15日`, `2024/5/15`).
fn date_text(rng: &mut Rng, reiwa: u64, month: u64, day: u64) -> String {
    let year = 2018 + reiwa;
    match rng.range(0, 9) {
        0..=5 => format!("R{reiwa}.{month}.{day}"),
        6..=7 => format!("令和{reiwa}年{month}月{day}日"),
        _ => format!("{year}/{month}/{day}"),
    }
}

/// Document number `i` of the corpus.
pub fn document(spec: &Spec, i: usize) -> Document {
    let mut rng = Rng::new(spec.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
    let evaluated = rng.chance(80);
    let department = match spec.departments {
        Departments::One(d) => d.to_string(),
        Departments::Varied => rng.pick(&DEPARTMENTS).to_string(),
    };
    let (month, day) = (rng.range(4, 5), rng.range(1, 28));
    let mut created = date_text(&mut rng, 6, month, day);
    let day = rng.range(15, 31);
    let mut evaluated_on = if evaluated { date_text(&mut rng, 7, 3, day) } else { String::new() };
    if rng.chance(3) {
        // A date that does not exist, or one outside the fiscal year.
        match rng.range(0, 2) {
            0 => created = "R6.4.31".to_string(),
            1 => created = "R5.5.10".to_string(),
            _ if evaluated => evaluated_on = "R7.2.30".to_string(),
            _ => created = "令和6年13月1日".to_string(),
        }
    }
    let maru_typo = rng.chance(15);
    let mut entries = Vec::new();
    for n in 1..=rng.range(3, 8) {
        let mut indicators = Vec::new();
        let mut met = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let (ind, m) = indicator(&mut rng, evaluated);
            indicators.push(ind);
            met.extend(m);
        }
        let grade = if !evaluated {
            String::new()
        } else {
            let achieved = met.iter().filter(|m| **m).count();
            let mut g = if achieved == met.len() {
                "○"
            } else if achieved == 0 {
                "×"
            } else {
                "△"
            };
            if rng.chance(5) {
                // A grade that contradicts the figures.
                g = if g == "○" { "×" } else { "○" };
            }
            if g == "○" && maru_typo {
                g = "〇";
            }
            g.to_string()
        };
        entries.push(Entry {
            no: n.to_string(),
            goal: format!("{}{}", rng.pick(&TOPICS), rng.pick(&AIMS)),
            grade,
            indicators,
            ..Entry::default()
        });
    }
    let sheet = Sheet {
        fiscal_year: "令和6年度".to_string(),
        created,
        evaluated: evaluated_on,
        department,
        division: division(i),
        policy_indicators: format!("・{}\n・{}", rng.pick(&TOPICS), rng.pick(&TOPICS)),
        entries,
        ..Sheet::default()
    };
    Document { sheets: vec![sheet], ..Document::default() }
}

/// The file name of document `i` (sorts in generation order).
pub fn file_name(i: usize) -> String {
    format!("{:05}_{}.xlsx", i, division(i))
}

/// Number formats Japanese municipal workbooks put on figures, for the 実績集計 sheet.
const FORMATS: [&str; 8] = [
    "#,##0\"件\"",
    "0.0%",
    "#,##0,\"千円\"",
    "[Red][<0]\"▲\"#,##0;#,##0",
    "0.00%;\"△\"0.00%",
    "[$-411]ggge\"年\"m\"月\"d\"日\"",
    "#,##0_);(#,##0)",
    "0.0\"人\"",
];

/// Document `i` as a workbook: its goal sheet in the official layout, then a 実績集計 sheet as
/// divisions keep beside it (figures under the number formats of [`FORMATS`], totals as
/// formulas with their cached values), so that reading a corpus file formats numbers too.
pub fn workbook_bytes(spec: &Spec, i: usize) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Formula};
    let doc = document(spec, i);
    let err = |e: goalsheet::Error| e.to_string();
    let xerr = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = goalsheet::write::new_workbook().map_err(err)?;
    let styles = goalsheet::write::Styles::new();
    let mut used = std::collections::HashSet::new();
    for sheet in &doc.sheets {
        let ws = wb.add_worksheet();
        ws.set_name(goalsheet::write::sheet_name(&sheet.division, &mut used)).map_err(xerr)?;
        goalsheet::write::write_sheet(ws, sheet, &styles).map_err(err)?;
    }
    let mut rng = Rng::new(spec.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED);
    let formats: Vec<Format> = FORMATS.iter().map(|code| Format::new().set_num_format(*code)).collect();
    let ws = wb.add_worksheet();
    ws.set_name("実績集計").map_err(xerr)?;
    ws.write_string(0, 0, "項目").map_err(xerr)?;
    let rows = rng.range(8, 20) as u32;
    let mut sums = [0f64; FORMATS.len()];
    for r in 1..=rows {
        ws.write_string(r, 0, rng.pick(&TOPICS)).map_err(xerr)?;
        for (c, format) in formats.iter().enumerate() {
            let n = rng.range(0, 20_000) as f64;
            let v = match c {
                1 => n / 19_997.0,
                2 => n * 250.0,
                3 => n - 10_000.0,
                4 => (n - 10_000.0) / 1_000_000.0,
                5 => 45_383.0 + (n % 365.0),
                7 => n / 8.0,
                _ => n,
            };
            sums[c] += v;
            ws.write_number_with_format(r, c as u16 + 1, v, format).map_err(xerr)?;
        }
    }
    // Totals as Excel saves them: the formula and the value it last computed.
    for (c, format) in formats.iter().enumerate() {
        let col = (b'B' + c as u8) as char;
        let f = Formula::new(format!("=SUM({col}2:{col}{})", rows + 1)).set_result(sums[c].to_string());
        ws.write_formula_with_format(rows + 1, c as u16 + 1, f, format).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// Writes the corpus into `dir` (created if missing) and returns the paths, in order.
pub fn write(spec: &Spec, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut paths = Vec::with_capacity(spec.files);
    for i in 0..spec.files {
        let bytes = workbook_bytes(spec, i).map_err(std::io::Error::other)?;
        let path = dir.join(file_name(i));
        std::fs::write(&path, bytes)?;
        paths.push(path);
    }
    Ok(paths)
}
