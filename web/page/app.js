// goalsheet's page: files in, jobs run by WebAssembly workers, results shown and downloaded.
// Nothing is sent anywhere: the files are read in this browser only.
"use strict";

const TEXT = {
  ja: {
    tagline: "組織目標管理シートの検査・修正・統合・変換",
    dropTitle: "ここにブックまたはフォルダをドロップ",
    dropHint: ".xlsx .xlsm .xls .ods（CSV・JSON も可）。フォルダは中のブックをすべて読みます。",
    pickFiles: "ファイルを選ぶ",
    pickFolder: "フォルダを選ぶ",
    clear: "クリア",
    privacy: "ファイルはこのパソコンの中だけで処理され、どこにも送信されません。",
    unread: (path, xlsb) => xlsb
      ? `「${path}」は Excel バイナリブック（.xlsb）なので読みません。Excel で開き、「Excel ブック (*.xlsx)」として保存し直してください。`
      : `「${path}」は圧縮ファイルなので、中のブックは読みません。展開してから、展開したフォルダを選んでください。`,
    tabCheck: "検査", tabFix: "修正", tabMerge: "統合", tabConvert: "変換", tabTemplate: "様式",
    stage: "検査の段階", stageAuto: "シートから判断", stagePlan: "作成時", stageEvaluation: "評価時",
    saveReport: "検査結果を JSON で保存",
    noFiles: "ファイルを追加すると検査します。",
    colFile: "ファイル", colState: "状態", colErrors: "エラー", colWarnings: "警告", colInfos: "情報",
    colNote: "備考", colPlace: "場所", colField: "項目", colSeverity: "重大度", colCode: "コード",
    colMessage: "内容・対処", colText: "セルの内容",
    findingsTitle: "指摘事項",
    filterFile: "ファイル", filterSeverity: "重大度", filterCode: "コード", all: "すべて",
    state: { pending: "検査中…", clean: "問題なし", warnings: "警告あり", errors: "エラーあり", unreadable: "読めません", crashed: "内部エラー" },
    severity: { error: "エラー", warning: "警告", info: "情報" },
    summary: (s) => `${s.files} ファイル: エラー ${s.errors} 件・警告 ${s.warnings} 件・情報 ${s.infos} 件` +
      (s.unreadable ? `・読めないファイル ${s.unreadable} 件` : "") +
      (s.fixable ? `（自動修正できるもの ${s.fixable} 件）` : ""),
    took: (ms) => `　${(ms / 1000).toFixed(2)} 秒`,
    shown: (n, all) => `${all} 件中 ${n} 件を表示`,
    progress: (done, all) => `${done} / ${all}`,
    help: "対処", fix: "修正",
    fixSafe: "「修正」で直せます", fixUnsafe: "「修正」で「内容が変わる修正も行う」を選ぶと直せます",
    crashed: (m) => `goalsheet の内部エラーで処理を中断しました（他のファイルの処理は続けます）: ${m}`,
    fixExplain: "読み込んだブックの誤り（〇→○、全角数字、余分な空白など）を直した「NAME.corrected.xlsx」を作ります。元のファイルは変わりません。",
    unsafeFixes: "内容が変わる修正も行う（評価の再計算）",
    runFix: "修正したブックを作る", downloadZip: "すべて ZIP でダウンロード",
    download: "ダウンロード",
    changes: (n, r) => `${n} 件を修正（残りの指摘: エラー ${r.errors} 件・警告 ${r.warnings} 件）`,
    noChanges: "直せる誤りはありませんでした",
    fixSummary: (f) => `${f.files} ファイル: ${f.made} ファイルの修正済みブックを作りました（修正 ${f.changes} 件、残りの指摘 ${f.remaining} 件）` +
      (f.failed ? `。${f.failed} ファイルはエラーで処理できませんでした` : ""),
    colBefore: "修正前", colAfter: "修正後", colKind: "種類",
    mergeExplain: "各課のブックを部のファイル（集計・一覧・各課・検証結果）にまとめます。追加したブックをそのまま使います（修正タブで直したものを使うときは、修正済みのブックを追加し直してください。元のブックと同じフォルダの修正済みブック（.corrected）を両方追加したときは、修正済みのほうを使います）。",
    department: "部", division: "課", year: "年度", asSheets: "シートの記載どおり",
    force: "部・年度が食い違っても統合する",
    runMerge: "部のファイルを作る",
    mergeStopped: "統合できませんでした。部のファイルは作っていません:",
    merged: (r) => `${r.department} ${r.year}: ${r.files} ファイル・${r.divisions} 課、取組 ${r.entries}、指標 ${r.indicators}（○${r.achieved} △${r.partly} ×${r.not_achieved} 未評価 ${r.ungraded}）、エラー ${r.finding_errors} 件・警告 ${r.finding_warnings} 件`,
    note: "注意",
    convertExplain: "読み込んだファイルを CSV（1行に1指標）、JSON または公式様式の Excel ブックに変換します。",
    format: "形式", runConvert: "変換する",
    converted: (r) => `${r.sheets} シート・指標 ${r.indicators} 件`,
    blankTitle: "白紙の様式", nextTitle: "前年度のシートから翌年度のシート",
    nextExplain: "課または部のファイルから、目標・指標・取組を引き継ぎ、目標値・結果・評価を空にした翌年度のシートを作ります。",
    thisYear: "今年度", yearAfter: "翌年度", entries: "取組の数", lastFile: "前年度のファイル", newYear: "新しい年度",
    makeTemplate: "様式を作る", makeNext: "翌年度のシートを作る",
    made: (name) => `「${name}」を作りました`,
    chooseFile: "ファイルを選んでください",
    ruleMeta: (r) => `${r.family}・${r.severity}${r.fix ? "・" + r.fix : ""}`,
    footer: "goalsheet — すべての処理はこのブラウザの中で行われます（オフライン）",
    zipName: "修正済み.zip",
  },
  en: {
    tagline: "Check, fix, merge and convert 組織目標管理シート (goal management sheets)",
    dropTitle: "Drop workbooks or a folder here",
    dropHint: ".xlsx .xlsm .xls .ods (CSV and JSON too). A folder is read with every workbook in it.",
    pickFiles: "Choose files",
    pickFolder: "Choose a folder",
    clear: "Clear",
    privacy: "Files are processed on this PC only and are never sent anywhere.",
    unread: (path, xlsb) => xlsb
      ? `“${path}” is an Excel binary workbook (.xlsb) and is not read: open it in Excel and save it as “Excel Workbook (*.xlsx)”.`
      : `“${path}” is a compressed file: the workbooks in it are not read. Extract it and choose the extracted folder.`,
    tabCheck: "Check", tabFix: "Fix", tabMerge: "Merge", tabConvert: "Convert", tabTemplate: "Templates",
    stage: "Check as", stageAuto: "inferred from the sheet", stagePlan: "plan", stageEvaluation: "evaluation",
    saveReport: "Save the results as JSON",
    noFiles: "Add files to check them.",
    colFile: "File", colState: "State", colErrors: "Errors", colWarnings: "Warnings", colInfos: "Infos",
    colNote: "Note", colPlace: "Place", colField: "Field", colSeverity: "Severity", colCode: "Code",
    colMessage: "Message and help", colText: "Cell text",
    findingsTitle: "Findings",
    filterFile: "File", filterSeverity: "Severity", filterCode: "Code", all: "all",
    state: { pending: "checking…", clean: "clean", warnings: "warnings", errors: "errors", unreadable: "unreadable", crashed: "internal error" },
    severity: { error: "error", warning: "warning", info: "info" },
    summary: (s) => `${s.files} files: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos` +
      (s.unreadable ? `, ${s.unreadable} unreadable` : "") +
      (s.fixable ? ` (${s.fixable} fixable)` : ""),
    took: (ms) => ` in ${(ms / 1000).toFixed(2)} s`,
    shown: (n, all) => `showing ${n} of ${all}`,
    progress: (done, all) => `${done} / ${all}`,
    help: "help", fix: "fix",
    fixSafe: "fixed by Fix", fixUnsafe: "fixed by Fix with “also apply fixes that change the content”",
    crashed: (m) => `goalsheet stopped on an internal error (the other files go on): ${m}`,
    fixExplain: "Makes NAME.corrected.xlsx with the mistakes fixed (〇 → ○, full-width digits, stray spaces …). The original files are not changed.",
    unsafeFixes: "also apply fixes that change the content (recomputed grades)",
    runFix: "Make corrected workbooks", downloadZip: "Download all as a zip",
    download: "Download",
    changes: (n, r) => `${n} changes (remaining: ${r.errors} errors, ${r.warnings} warnings)`,
    noChanges: "nothing to fix",
    fixSummary: (f) => `${f.files} ${f.files === 1 ? "file" : "files"}: ${f.made} corrected ${f.made === 1 ? "workbook" : "workbooks"} made (${f.changes} ${f.changes === 1 ? "change" : "changes"}, ${f.remaining} ${f.remaining === 1 ? "finding" : "findings"} remaining)` +
      (f.failed ? `; ${f.failed} failed` : ""),
    colBefore: "before", colAfter: "after", colKind: "kind",
    mergeExplain: "Merges the divisions' workbooks into the department file (集計, 一覧, each division, 検証結果). The workbooks added are used as they are (to merge those the Fix tab corrected, add the corrected workbooks instead; when a workbook and its corrected copy (.corrected) from one folder are both added, the copy is used).",
    department: "Department", division: "Division", year: "Fiscal year", asSheets: "as the sheets say",
    force: "merge even when department or year disagree",
    runMerge: "Make the department file",
    mergeStopped: "The files cannot be merged; no department file was made:",
    merged: (r) => `${r.department} ${r.year}: ${r.files} files, ${r.divisions} divisions, ${r.entries} entries, ${r.indicators} indicators (○${r.achieved} △${r.partly} ×${r.not_achieved} ungraded ${r.ungraded}), ${r.finding_errors} errors, ${r.finding_warnings} warnings`,
    note: "note",
    convertExplain: "Converts the files to CSV (one row per indicator), JSON, or a workbook in the official layout.",
    format: "Format", runConvert: "Convert",
    converted: (r) => `${r.sheets} sheet(s), ${r.indicators} indicator(s)`,
    blankTitle: "A blank sheet", nextTitle: "Next year's sheets from last year's",
    nextExplain: "From a division's or the department's file: goals, indicators and initiatives carried over; targets, results and grades empty.",
    thisYear: "this year", yearAfter: "the next year", entries: "Entries", lastFile: "Last year's file", newYear: "New year",
    makeTemplate: "Make the sheet", makeNext: "Make next year's sheets",
    made: (name) => `made “${name}”`,
    chooseFile: "choose a file",
    ruleMeta: (r) => `${r.family} · ${r.severity}${r.fix ? " · " + r.fix : ""}`,
    footer: "goalsheet — everything runs inside this browser (offline)",
    zipName: "corrected.zip",
  },
};

const $ = (id) => document.getElementById(id);
const WORKBOOK = /\.(xlsx|xlsm|xls|ods)$/i;
// Found in a folder, not read, but possibly a division's sheet: named under the drop zone, as
// the CLI names them (read::inputs::UNREAD_EXTENSIONS).
const UNREAD = /\.(xlsb|zip|lzh|7z)$/i;
let lang = (navigator.languages && navigator.languages[0] || navigator.language || "").toLowerCase().startsWith("ja") ? "ja" : "en";
const t = () => TEXT[lang];

// ---- the worker pool ------------------------------------------------------------------------

function decodeBase64(text) {
  const bin = atob(text.replace(/\s+/g, ""));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

class Pool {
  constructor(module, size) {
    this.module = module;
    this.url = URL.createObjectURL(new Blob([$("worker-source").textContent], { type: "text/javascript" }));
    this.idle = [];
    this.queue = [];
    this.jobs = new Map();
    this.nextId = 1;
    this.crashes = 0;
    for (let i = 0; i < size; i++) this.spawn();
  }

  spawn() {
    const w = new Worker(this.url);
    w.onmessage = (e) => this.answer(w, e.data);
    w.onerror = (e) => { e.preventDefault(); this.crashed(w, e.message || "worker error"); };
    w.postMessage({ type: "init", module: this.module, sourceDateEpoch });
    this.idle.push(w);
    this.pump();
  }

  run(job, onProgress) {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, onProgress });
      this.pump();
    });
  }

  pump() {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop();
      const task = this.queue.shift();
      w.task = task;
      w.postMessage(task.job);
    }
  }

  answer(w, data) {
    const task = w.task;
    if (!task || data.id !== task.job.id) return;
    if (data.progress !== undefined) {
      if (task.onProgress) task.onProgress(data.progress);
      return;
    }
    if (data.crash !== undefined) return this.crashed(w, data.crash);
    w.task = null;
    this.idle.push(w);
    task.resolve(data.result);
    this.pump();
  }

  // A panic aborts the module for good: the worker is replaced and the job reported.
  crashed(w, message) {
    const task = w.task;
    w.task = null;
    w.terminate();
    this.idle = this.idle.filter((x) => x !== w);
    this.crashes++;
    this.spawn();
    if (task) task.resolve({ crash: message });
  }
}

// `goalsheet.html#source-date-epoch=SECONDS` dates the written workbooks as the CLI's
// SOURCE_DATE_EPOCH does (reproducible outputs; the browser test compares bytes with it).
const epochMatch = /source-date-epoch=(\d+)/.exec(location.hash);
const sourceDateEpoch = epochMatch ? Number(epochMatch[1]) : null;

let pool = null;
const poolReady = WebAssembly.compile(decodeBase64($("wasm-base64").textContent)).then((module) => {
  const size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
  pool = new Pool(module, size);
  return pool;
});

// ---- files ------------------------------------------------------------------------------------

/** Every input: {path, file}. Kept sorted by path as the CLI walks a folder. */
let inputs = [];
/** Paths of files a folder held that are not read ({@link UNREAD}). */
let unread = [];

function comparePaths(a, b) {
  const pa = a.split("/"), pb = b.split("/");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) {
      const ca = Array.from(pa[i]), cb = Array.from(pb[i]);
      for (let j = 0; j < Math.min(ca.length, cb.length); j++) {
        const d = ca[j].codePointAt(0) - cb[j].codePointAt(0);
        if (d) return d;
      }
      return ca.length - cb.length;
    }
  }
  return pa.length - pb.length;
}

// From folders, workbooks only, no hidden or Excel lock files (as `goalsheet check DIR`).
function takenFromFolder(name) {
  return WORKBOOK.test(name) && !name.startsWith(".") && !name.startsWith("~$");
}

function unreadInFolder(name) {
  return UNREAD.test(name) && !name.startsWith(".") && !name.startsWith("~$");
}

function addUnread(paths) {
  unread = Array.from(new Set([...unread, ...paths])).sort(comparePaths);
  showUnread();
}

function showUnread() {
  const list = $("unread");
  list.replaceChildren(...unread.map((p) => {
    const li = document.createElement("li");
    li.textContent = t().unread(p, /\.xlsb$/i.test(p));
    return li;
  }));
  list.hidden = unread.length === 0;
}

function addInputs(list) {
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  for (const i of list) if (!i.file.name.startsWith("~$")) byPath.set(i.path, i);
  inputs = Array.from(byPath.values()).sort((a, b) => comparePaths(a.path, b.path));
  $("clear").disabled = inputs.length === 0;
  checkAll();
}

function readEntries(dirEntry) {
  const reader = dirEntry.createReader();
  return new Promise((resolve, reject) => {
    const all = [];
    const next = () => reader.readEntries((batch) => {
      if (!batch.length) return resolve(all);
      all.push(...batch);
      next();
    }, reject);
    next();
  });
}

async function walkEntry(entry, inFolder, out, skipped) {
  if (entry.isFile) {
    if (inFolder && unreadInFolder(entry.name)) skipped.push(entry.fullPath.replace(/^\//, ""));
    if (inFolder && !takenFromFolder(entry.name)) return;
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ""), file });
  } else if (entry.isDirectory) {
    if (inFolder && entry.name.startsWith(".")) return;
    for (const child of await readEntries(entry)) await walkEntry(child, true, out, skipped);
  }
}

function setupInputs() {
  const drop = $("drop");
  $("pick-files").onclick = () => $("files").click();
  $("pick-folder").onclick = () => $("folder").click();
  $("clear").onclick = () => { inputs = []; unread = []; showUnread(); $("clear").disabled = true; checkAll(); };
  $("files").onchange = (e) => {
    addInputs(Array.from(e.target.files, (file) => ({ path: file.name, file })));
    e.target.value = "";
  };
  $("folder").onchange = (e) => {
    const shown = Array.from(e.target.files)
      .filter((file) => !file.webkitRelativePath.split("/").slice(0, -1).some((p) => p.startsWith(".")));
    const list = shown.filter((file) => takenFromFolder(file.name))
      .map((file) => ({ path: file.webkitRelativePath || file.name, file }));
    addUnread(shown.filter((file) => unreadInFolder(file.name)).map((file) => file.webkitRelativePath || file.name));
    addInputs(list);
    e.target.value = "";
  };
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const entries = Array.from(e.dataTransfer.items || [])
      .map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry())
      .filter(Boolean);
    const out = [], skipped = [];
    if (entries.length) {
      for (const entry of entries) await walkEntry(entry, false, out, skipped);
    } else {
      for (const file of e.dataTransfer.files) out.push({ path: file.name, file });
    }
    addUnread(skipped);
    addInputs(out);
  });
}

// ---- progress -----------------------------------------------------------------------------------

function progressStart(total) {
  $("progress-line").hidden = false;
  $("progress").max = Math.max(total, 1);
  progressSet(0, total);
}

function progressSet(done, total) {
  $("progress").value = done;
  $("progress-text").textContent = t().progress(done, total);
}

function progressEnd() {
  $("progress-line").hidden = true;
}

// ---- downloads ----------------------------------------------------------------------------------

const TYPES = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv",
  json: "application/json",
  zip: "application/zip",
};

function download(name, bytes) {
  const ext = name.split(".").pop().toLowerCase();
  const url = URL.createObjectURL(new Blob([bytes], { type: TYPES[ext] || "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function downloadButton(name, bytes) {
  const b = el("button", { type: "button", className: "link" }, `${t().download}: ${name}`);
  b.onclick = () => download(name, bytes);
  return b;
}

// ---- small DOM helper ------------------------------------------------------------------------

function el(tag, props, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props || {});
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---- check ---------------------------------------------------------------------------------------

/** Per input: {path, state, report, extras, headers}. */
let checked = [];
/** The checks across the files (GS801–GS803), once every file is checked: {findings, extras,
 *  summary}, or {crash}; null before. */
let across = null;
let checkRun = 0;
let checkMs = 0;

function stateOf(result) {
  if (result.crash) return "crashed";
  const r = result.report;
  if (r.files.some((f) => f.error)) return "unreadable";
  if (r.summary.errors) return "errors";
  if (r.summary.warnings) return "warnings";
  return "clean";
}

async function checkAll() {
  const run = ++checkRun;
  const stage = $("stage").value;
  checked = inputs.map((i) => ({ path: i.path, state: "pending" }));
  across = null;
  renderFiles();
  renderFindings();
  setJobButtons();
  if (!inputs.length) return;
  await poolReady;
  const start = performance.now();
  let done = 0;
  progressStart(inputs.length);
  await Promise.all(inputs.map(async (input, n) => {
    const result = await pool.run({ job: "check", name: input.path, file: input.file, lang, stage });
    if (run !== checkRun) return;
    const item = result.crash ? { crash: result.crash } : JSON.parse(result.json);
    item.path = input.path;
    item.state = stateOf(item);
    checked[n] = item;
    updateFileRow(n);
    progressSet(++done, inputs.length);
  }));
  if (run !== checkRun) return;
  // As `goalsheet check` does after the files' own checks: compare the files with each other
  // (department, fiscal year, the same division twice), from what each worker kept of its file.
  const headers = checked.filter((c) => c.headers).map((c) => c.headers);
  if (headers.length) {
    const result = await pool.run({ job: "across", files: JSON.stringify(headers), lang });
    if (run !== checkRun) return;
    across = result.crash ? { crash: result.crash } : JSON.parse(result.json);
    if (across.error) across = { crash: across.error };
  }
  checkMs = performance.now() - start;
  progressEnd();
  renderFiles();
  renderFindings();
  setJobButtons();
  window.goalsheetChecked = { files: inputs.length, ms: checkMs };
}

/** The whole run's report, joined as `goalsheet check --format json` joins its files. */
function joinedReport() {
  const report = { version: 1, lang, files: [], findings: [], summary: { files: 0, unreadable: 0, errors: 0, warnings: 0, infos: 0, fixable: 0, unsafe_fixable: 0 } };
  for (const c of checked) {
    if (!c.report) continue;
    report.version = c.report.version;
    report.lang = c.report.lang;
    report.files.push(...c.report.files);
    report.findings.push(...c.report.findings);
    for (const k of Object.keys(report.summary)) report.summary[k] += c.report.summary[k];
  }
  if (across && across.findings) {
    report.findings.push(...across.findings);
    for (const k of Object.keys(report.summary)) report.summary[k] += across.summary[k];
  }
  return report;
}

function summaryCounts() {
  const s = joinedReport().summary;
  s.files = checked.length;
  s.unreadable += checked.filter((c) => c.state === "crashed").length;
  return s;
}

function renderFiles() {
  const body = $("file-rows");
  body.replaceChildren(...checked.map((_, n) => fileRow(n)));
  $("file-table").hidden = checked.length === 0;
  renderSummary();
}

/** A file's counts and state with the findings across files that point into it. */
function withAcross(c) {
  const s = c.report ? { ...c.report.summary } : null;
  let state = c.state;
  if (s && across && across.findings) {
    for (const f of across.findings) if (f.file === c.path) s[f.severity + "s"]++;
    if (state === "clean" || state === "warnings") state = s.errors ? "errors" : s.warnings ? "warnings" : state;
  }
  return { s, state };
}

function fileRow(n) {
  const c = checked[n];
  const { s, state } = withAcross(c);
  const error = c.crash ? t().crashed(c.crash) : c.report ? (c.report.files.find((f) => f.error) || {}).error || "" : "";
  const tr = el("tr", { className: "state-" + state },
    el("td", { className: "path" }, c.path),
    el("td", {}, el("span", { className: "badge " + state }, t().state[state])),
    el("td", { className: "num" }, s ? String(s.errors) : ""),
    el("td", { className: "num" }, s ? String(s.warnings) : ""),
    el("td", { className: "num" }, s ? String(s.infos) : ""),
    el("td", { className: "note" }, error));
  tr.dataset.path = c.path;
  return tr;
}

function updateFileRow(n) {
  const row = $("file-rows").children[n];
  if (row) row.replaceWith(fileRow(n));
  renderSummary();
}

function renderSummary() {
  const p = $("summary");
  if (!checked.length) {
    p.textContent = t().noFiles;
    $("save-report").disabled = true;
    return;
  }
  const pending = checked.some((c) => c.state === "pending");
  p.textContent = t().summary(summaryCounts()) + (pending || !checkMs ? "" : t().took(checkMs)) +
    (across && across.crash ? "　" + t().crashed(across.crash) : "");
  $("save-report").disabled = pending;
}

/** Every finding with its file's extras, in report order. */
function allFindings() {
  const rows = [];
  for (const c of checked) {
    if (!c.report) continue;
    c.report.findings.forEach((f, i) => rows.push({ f, x: c.extras[i] || { field: f.field, parts: [] } }));
  }
  if (across && across.findings) across.findings.forEach((f, i) => rows.push({ f, x: across.extras[i] }));
  return rows;
}

function fillSelect(select, values, labels) {
  const old = select.value;
  select.replaceChildren(el("option", { value: "" }, t().all),
    ...values.map((v, i) => el("option", { value: v }, labels ? labels[i] : v)));
  select.value = values.includes(old) ? old : "";
}

function renderFindings() {
  const rows = allFindings();
  $("findings-area").hidden = rows.length === 0;
  const files = [...new Set(rows.map((r) => r.f.file))];
  const severities = ["error", "warning", "info"].filter((s) => rows.some((r) => r.f.severity === s));
  const codes = [...new Set(rows.map((r) => r.f.code))].sort();
  fillSelect($("filter-file"), files);
  fillSelect($("filter-severity"), severities, severities.map((s) => t().severity[s]));
  fillSelect($("filter-code"), codes);
  renderFindingRows(rows);
}

function renderFindingRows(rows = allFindings()) {
  const file = $("filter-file").value, sev = $("filter-severity").value, code = $("filter-code").value;
  const shown = rows.filter((r) => (!file || r.f.file === file) && (!sev || r.f.severity === sev) && (!code || r.f.code === code));
  $("finding-rows").replaceChildren(...shown.map(findingRow));
  $("shown-count").textContent = t().shown(shown.length, rows.length);
}

function findingRow({ f, x }) {
  const place = f.cell ? `${f.sheet}!${f.cell}` : f.sheet;
  const codeButton = el("button", { type: "button", className: "code" }, f.code);
  codeButton.onclick = () => showRule(f.code);
  const message = el("td", { className: "message" }, el("div", {}, f.message));
  if (f.help) message.append(el("div", { className: "help" }, `${t().help}: ${f.help}`));
  if (f.fix) {
    // A fix the file's reading says Fix will not make (a formula's cell …) says why instead.
    const how = f.fix.held || (f.fix.applicability === "safe" ? t().fixSafe : t().fixUnsafe);
    message.append(el("div", { className: "fixline" }, `${t().fix}: ${f.fix.message}（${how}）`));
  }
  const text = el("td", {}, el("div", { className: "snippet" },
    ...x.parts.map((p) => (p.mark ? el("mark", { title: p.label || "" }, p.text) : p.text))));
  return el("tr", { className: "sev-" + f.severity },
    el("td", { className: "path" }, f.file),
    el("td", { className: "place" }, place),
    el("td", {}, x.field),
    el("td", {}, el("span", { className: "badge " + f.severity }, t().severity[f.severity])),
    el("td", {}, codeButton),
    message,
    text);
}

// ---- rules -----------------------------------------------------------------------------------

async function showRule(code) {
  await poolReady;
  if (!rulesCache[lang]) {
    const r = await pool.run({ job: "rules", lang });
    rulesCache[lang] = JSON.parse(r.json);
  }
  const rule = rulesCache[lang].find((r) => r.code === code);
  if (!rule) return;
  $("rule-title").textContent = `${rule.code} ${rule.name} — ${rule.summary}`;
  $("rule-meta").textContent = t().ruleMeta(rule);
  $("rule-doc").replaceChildren(...markdown(rule.doc));
  $("rule-dialog").showModal();
}
const rulesCache = {};

/** The rule docs' Markdown: `##` headings, fenced code, paragraphs with `code`. */
function markdown(text) {
  const out = [];
  let para = [], code = null;
  const flush = () => {
    if (para.length) out.push(inline(para.join(" ")));
    para = [];
  };
  for (const line of text.split("\n")) {
    if (code !== null) {
      if (line.startsWith("```")) { out.push(el("pre", {}, code.join("\n"))); code = null; } else code.push(line);
    } else if (line.startsWith("```")) { flush(); code = []; }
    else if (line.startsWith("## ")) { flush(); out.push(el("h3", {}, line.slice(3))); }
    else if (!line.trim()) flush();
    else para.push(line);
  }
  flush();
  return out;
}

function inline(text) {
  const p = el("p");
  text.split(/(`[^`]+`)/).forEach((part) => p.append(part.startsWith("`") && part.endsWith("`") && part.length > 1 ? el("code", {}, part.slice(1, -1)) : part));
  return p;
}

// ---- fix ---------------------------------------------------------------------------------------

let fixedOutputs = [];

async function runFix() {
  await poolReady;
  const list = inputs;
  const area = $("fix-results");
  area.replaceChildren();
  fixedOutputs = [];
  $("fix-zip").disabled = true;
  let done = 0;
  progressStart(list.length);
  const results = await Promise.all(list.map(async (input) => {
    const r = await pool.run({ job: "fix", name: input.path, file: input.file, lang, unsafeFixes: $("unsafe-fixes").checked, stage: $("stage").value });
    progressSet(++done, list.length);
    return { input, r };
  }));
  progressEnd();
  // The totals first, as the command line ends with them: the files that failed are otherwise
  // only cards somewhere in a long list.
  const totals = { files: results.length, made: 0, changes: 0, remaining: 0, failed: 0 };
  for (const { r } of results) {
    const info = r.crash ? null : JSON.parse(r.json);
    if (!info || info.error) { totals.failed++; continue; }
    totals.made++;
    totals.changes += info.changes.length;
    totals.remaining += info.remaining.errors + info.remaining.warnings + info.remaining.infos;
  }
  area.append(el("p", { id: "fix-summary", className: "summary" }, t().fixSummary(totals)));
  for (const { input, r } of results) {
    const card = el("div", { className: "result-card" }, el("h3", {}, input.path));
    if (r.crash) { card.append(el("p", { className: "error" }, t().crashed(r.crash))); area.append(card); continue; }
    const info = JSON.parse(r.json);
    if (info.error) { card.append(el("p", { className: "error" }, info.error)); area.append(card); continue; }
    fixedOutputs.push({ name: uniqueName(info.output), bytes: r.bytes });
    card.append(el("p", {}, downloadButton(info.output, r.bytes), " ",
      el("span", { className: "muted" }, info.changes.length ? t().changes(info.changes.length, info.remaining) : t().noChanges)));
    for (const h of info.held) card.append(el("p", { className: "warn" }, `${h.cell ? `${h.sheet}!${h.cell}` : `${h.sheet} ${h.field}`}: ${h.message} [${h.code}]`));
    if (info.over_budget) card.append(el("p", { className: "warn" }, info.over_budget));
    if (info.department_file) card.append(el("p", { className: "warn" }, info.department_file));
    if (info.unhighlighted) card.append(el("p", { className: "warn" }, info.unhighlighted));
    if (info.changes.length) {
      card.append(el("table", { className: "changes" },
        el("thead", {}, el("tr", {}, ...[t().colPlace, t().colField, t().colBefore, t().colAfter, t().colCode, t().colKind].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...info.changes.map((c) => el("tr", {},
          el("td", { className: "place" }, c.cell ? `${c.sheet}!${c.cell}` : c.sheet),
          el("td", {}, c.field),
          el("td", {}, el("span", { className: "before" }, c.before)),
          el("td", {}, el("span", { className: "after" }, c.after)),
          el("td", {}, c.code),
          el("td", {}, c.applicability))))));
    }
    area.append(card);
  }
  $("fix-zip").disabled = fixedOutputs.length === 0;
}

// Two inputs of the same name in different folders must not overwrite each other in the zip.
function uniqueName(name) {
  let candidate = name, n = 2;
  while (fixedOutputs.some((o) => o.name === candidate)) candidate = name.replace(/(\.[^.]+)$/, ` (${n++})$1`);
  return candidate;
}

async function downloadZip() {
  const r = await pool.run({ job: "zip", files: fixedOutputs });
  const info = JSON.parse(r.json || "{}");
  if (r.crash || info.error) return alert(r.crash || info.error);
  download(t().zipName, r.bytes);
}

// ---- merge -------------------------------------------------------------------------------------

async function runMerge() {
  await poolReady;
  const area = $("merge-result");
  area.replaceChildren();
  const files = inputs.map((i) => ({ name: i.path, file: i.file }));
  progressStart(files.length);
  const r = await pool.run({
    job: "merge", files, lang, department: $("merge-department").value, year: $("merge-year").value, force: $("merge-force").checked,
  }, (done) => progressSet(done, files.length));
  progressEnd();
  if (r.crash) return area.append(el("p", { className: "error" }, t().crashed(r.crash)));
  const info = JSON.parse(r.json);
  if (info.errors.length) {
    area.append(el("div", { className: "result-card stopped" }, el("p", {}, el("strong", {}, t().mergeStopped)),
      el("ul", {}, ...info.errors.map((e) => el("li", { className: "error" }, e)))));
    return;
  }
  const card = el("div", { className: "result-card" }, el("p", {}, downloadButton(info.output, r.bytes)), el("p", {}, t().merged(info)));
  for (const n of info.notes) card.append(el("p", { className: "warn" }, `${t().note}: ${n}`));
  area.append(card);
  download(info.output, r.bytes);
}

// ---- convert -----------------------------------------------------------------------------------

async function runConvert() {
  await poolReady;
  const area = $("convert-results");
  area.replaceChildren();
  const [to, encoding] = $("convert-to").value.split("-");
  let done = 0;
  progressStart(inputs.length);
  const results = await Promise.all(inputs.map(async (input) => {
    const r = await pool.run({ job: "convert", name: input.path, file: input.file, to, encoding: encoding || "", lang });
    progressSet(++done, inputs.length);
    return { input, r };
  }));
  progressEnd();
  for (const { input, r } of results) {
    const card = el("div", { className: "result-card" }, el("h3", {}, input.path));
    const info = r.crash ? { error: t().crashed(r.crash) } : JSON.parse(r.json);
    if (info.error) card.append(el("p", { className: "error" }, info.error));
    else {
      card.append(el("p", {}, downloadButton(info.output, r.bytes), " ", el("span", { className: "muted" }, t().converted(info))));
      for (const n of info.notes) card.append(el("p", { className: "warn" }, `${t().note}: ${n}`));
    }
    area.append(card);
  }
}

// ---- templates ---------------------------------------------------------------------------------

function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

async function showMade(r, target) {
  const info = r.crash ? { error: t().crashed(r.crash) } : JSON.parse(r.json);
  target.className = "result " + (info.error ? "error" : "ok");
  if (info.error) { target.textContent = info.error; return; }
  target.replaceChildren(t().made(info.output), " ", downloadButton(info.output, r.bytes));
  download(info.output, r.bytes);
}

function setupTemplates() {
  $("template-form").onsubmit = async (e) => {
    e.preventDefault();
    await poolReady;
    const r = await pool.run({
      job: "template", year: $("tpl-year").value, department: $("tpl-department").value, division: $("tpl-division").value,
      entries: Number($("tpl-entries").value) || 5, today: today(), lang,
    });
    showMade(r, $("template-result"));
  };
  $("next-form").onsubmit = async (e) => {
    e.preventDefault();
    const file = $("next-file").files[0];
    if (!file) { $("next-result").className = "result error"; $("next-result").textContent = t().chooseFile; return; }
    await poolReady;
    const r = await pool.run({ job: "next", name: file.name, file, year: $("next-year").value, lang });
    showMade(r, $("next-result"));
  };
}

// ---- tabs, language ------------------------------------------------------------------------

function setJobButtons() {
  const none = inputs.length === 0;
  $("run-fix").disabled = none;
  $("run-merge").disabled = none;
  $("run-convert").disabled = none;
}

function setupTabs() {
  for (const b of document.querySelectorAll(".tabs button")) {
    b.onclick = () => {
      for (const x of document.querySelectorAll(".tabs button")) x.classList.toggle("active", x === b);
      for (const s of document.querySelectorAll("section.tab")) s.hidden = s.id !== "tab-" + b.dataset.tab;
    };
  }
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t()[e.dataset.i18n];
  for (const e of document.querySelectorAll("[data-i18n-placeholder]")) e.placeholder = t()[e.dataset.i18nPlaceholder];
  showUnread();
  $("lang-ja").classList.toggle("active", lang === "ja");
  $("lang-en").classList.toggle("active", lang === "en");
}

function setLanguage(l) {
  if (l === lang) return;
  lang = l;
  applyLanguage();
  // Messages come from the library in one language: check again in the new one.
  $("fix-results").replaceChildren();
  $("merge-result").replaceChildren();
  $("convert-results").replaceChildren();
  $("fix-zip").disabled = true;
  checkAll();
}

function setup() {
  applyLanguage();
  setupInputs();
  setupTabs();
  setupTemplates();
  $("lang-ja").onclick = () => setLanguage("ja");
  $("lang-en").onclick = () => setLanguage("en");
  $("stage").onchange = () => checkAll();
  for (const id of ["filter-file", "filter-severity", "filter-code"]) $(id).onchange = () => renderFindingRows();
  $("save-report").onclick = () => download("goalsheet-check.json", new TextEncoder().encode(JSON.stringify(joinedReport(), null, 2) + "\n"));
  $("run-fix").onclick = runFix;
  $("fix-zip").onclick = downloadZip;
  $("run-merge").onclick = runMerge;
  $("run-convert").onclick = runConvert;
  setJobButtons();
  // For the browser test: a panic inside the WebAssembly, to show the page carries on.
  window.goalsheetPanic = async () => (await poolReady).run({ job: "panic" });
}

setup();
