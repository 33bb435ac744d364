#!/usr/bin/env python3
"""The browser test of dist/goalsheet.html, in headless Chromium driven by selenium.

    python3 web/test/browser.py [--bin target/debug/goalsheet] [--screenshot docs/browser.png]
    python3 web/test/browser.py --bench DIR     # time checking every workbook of DIR
    python3 web/test/browser.py --browser firefox   # the same in firefox-esr + geckodriver

It opens the built page from file://, feeds it samples/ with a broken file and a file over the
size limit, and asserts that the page gives what the CLI gives on the same files: the check
report (`check --format json`), the corrected workbooks (one by one and in the zip), the
department file, why a merge cannot be made, CSV and JSON conversions, a blank template and next
year's sheets, byte for byte. A panic inside the WebAssembly must leave the page working. No
request may leave the page: every request Chromium logs must be the page itself or one of its
blob: URLs, and the page's Content-Security-Policy must never have had to block anything.

Needs chromium, chromium-driver and python3-selenium (Debian packages; .ci/run installs them);
with --browser firefox, firefox-esr and geckodriver (`cargo install geckodriver`) instead.
"""

import argparse
import io
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.firefox.service import Service as FirefoxService

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "dist" / "goalsheet.html"
# Both sides date the workbooks they write alike (the CLI by its environment, the page by its
# URL), so that they can be compared byte for byte.
EPOCH = "1700000000"
BROWSER = "chromium"

# Recorded before the page's own scripts run: anything the page's CSP had to block.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


class Page:
    def __init__(self, downloads: Path, lang: str = "ja", width: int = 1400, height: int = 1000):
        self.downloads = downloads
        self.firefox = BROWSER == "firefox"
        self.profile = None
        if self.firefox:
            self.open_firefox(lang, width, height)
        else:
            self.open_chromium(lang, width, height)
        self.requests = []
        self.d.get(PAGE.as_uri() + "#source-date-epoch=" + EPOCH)
        self.wait(lambda: self.js("return document.readyState") == "complete")
        if self.firefox:  # no hook before the page's scripts: watched from here on
            self.js(WATCH_CSP)

    def open_firefox(self, lang, width, height):
        o = webdriver.FirefoxOptions()
        o.binary_location = shutil.which("firefox-esr") or shutil.which("firefox") or "/usr/bin/firefox-esr"
        o.add_argument("-headless")
        for key, value in {
            "intl.accept_languages": lang,
            "browser.download.folderList": 2,
            "browser.download.dir": str(self.downloads),
            "browser.download.useDownloadDir": True,
            "browser.download.always_ask_before_handling_new_types": False,
            "browser.helperApps.neverAsk.saveToDisk": "application/octet-stream,application/json,text/csv,application/zip,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "browser.download.manager.showWhenStarting": False,
            "network.proxy.type": 0,
        }.items():
            o.set_preference(key, value)
        driver = shutil.which("geckodriver") or "geckodriver"
        # geckodriver's log goes to the temporary folder, not into the checkout.
        log = Path(tempfile.gettempdir()) / "goalsheet-geckodriver.log"
        self.d = webdriver.Firefox(service=FirefoxService(driver, log_path=str(log)), options=o)
        self.d.set_window_size(width, height)

    def open_chromium(self, lang, width, height):
        o = webdriver.ChromeOptions()
        o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        self.profile = tempfile.mkdtemp(prefix="goalsheet-chromium-")
        for flag in [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            f"--user-data-dir={self.profile}", f"--window-size={width},{height}", f"--lang={lang}",
        ]:
            o.add_argument(flag)
        o.add_experimental_option("prefs", {
            "download.default_directory": str(self.downloads),
            "download.prompt_for_download": False,
            "profile.default_content_setting_values.automatic_downloads": 1,
            "intl.accept_languages": lang,
        })
        o.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.d = webdriver.Chrome(service=Service(driver), options=o)
        self.d.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(self.downloads)})
        self.d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_CSP})
        self.d.get_log("performance")  # what the browser's own start page loaded before ours

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def wait(self, cond, timeout=60, what="condition"):
        end = time.time() + timeout
        while time.time() < end:
            v = cond()
            if v:
                return v
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def click(self, element_id):
        self.d.find_element(By.ID, element_id).click()

    def tab(self, name):
        self.d.find_element(By.CSS_SELECTOR, f'.tabs button[data-tab="{name}"]').click()

    def check(self, paths, folder=False):
        """Adds files (or one folder) and waits until the page has checked them all."""
        if folder and self.firefox:  # geckodriver cannot pick a folder: its files, by name
            paths, folder = folder_files(paths[0]), False
        self.js("window.goalsheetChecked = null")
        field = self.d.find_element(By.ID, "folder" if folder else "files")
        field.send_keys("\n".join(str(p) for p in paths))
        return self.wait(lambda: self.js("return window.goalsheetChecked"), 120, "the check")

    def clear(self):
        self.click("clear")

    def download(self, click, name=None, timeout=60):
        """Clicks, then returns the (path of the) file that appeared in the download folder."""
        before = set(os.listdir(self.downloads))
        click()

        def done():
            new = [f for f in set(os.listdir(self.downloads)) - before if not f.endswith(".crdownload")]
            if name:
                new = [f for f in new if f == name]
            return new[0] if new and not any(f.endswith(".crdownload") for f in os.listdir(self.downloads)) else None

        got = self.wait(done, timeout, f"a download {name or ''}")
        path = self.downloads / got
        data = path.read_bytes()
        path.unlink()
        return got, data

    def network(self):
        """Every request the page made, from Chromium's performance log (Firefox: the page's own
        resource timing, which does not see its workers)."""
        if self.firefox:
            return [PAGE.as_uri()] + self.js("return performance.getEntriesByType('resource').map(e => e.name)")
        for entry in self.d.get_log("performance"):
            m = json.loads(entry["message"])["message"]
            if m["method"] == "Network.requestWillBeSent":
                self.requests.append(m["params"]["request"]["url"])
        return self.requests

    def close(self):
        self.d.quit()
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)


def cli(binary, *args, cwd=None, ok=(0, 1)):
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    r = subprocess.run([str(binary), "--lang", "ja", *map(str, args)], cwd=cwd, capture_output=True, env=env)
    assert r.returncode in ok, f"goalsheet {' '.join(map(str, args))}: exit {r.returncode}\n{r.stderr.decode()}"
    return r


def folder_files(folder: Path):
    """The workbooks the page and `goalsheet check` take from a folder (no hidden or lock files)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") and not p.name.startswith((".", "~$")))


def named(folder: Path, name: str) -> str:
    """A file of `folder` as the page and the CLI name it: with its folder when the folder was
    picked (Chromium), alone when its files were (Firefox)."""
    return name if BROWSER == "firefox" else f"{folder.name}/{name}"


def check_folder(binary, folder: Path, ok=(0, 1)):
    """`goalsheet check --format json` as the page was given `folder` (see `named`)."""
    if BROWSER == "firefox":
        r = cli(binary, "check", *[p.name for p in folder_files(folder)], "--format", "json", cwd=folder, ok=ok)
    else:
        r = cli(binary, "check", folder.name + "/", "--format", "json", cwd=folder.parent, ok=ok)
    return json.loads(r.stdout)


def by_button(page, text_prefix):
    """Clicks the first button whose text starts with `text_prefix`."""
    def click():
        for b in page.d.find_elements(By.CSS_SELECTOR, "button.link"):
            if b.text.endswith(text_prefix):
                b.click()
                return
        raise AssertionError(f"no download button for {text_prefix}")
    return click


def test(binary: Path, screenshot: Path | None):
    work = Path(tempfile.mkdtemp(prefix="goalsheet-web-test-"))
    downloads = work / "downloads"
    downloads.mkdir()
    samples = work / "samples"
    shutil.copytree(ROOT / "samples", samples)
    (samples / "壊れた.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    # A submission mailed as a zip, saved beside the others: not read, and named (as the CLI does).
    with zipfile.ZipFile(samples / "追加提出.zip", "w") as z:
        z.write(ROOT / "samples" / "市民協働課.xlsx", "市民協働課.xlsx")
    big = work / "big" / "大きすぎる.xlsx"
    big.parent.mkdir()
    with open(big, "wb") as f:  # sparse: over the limit without writing 33 MiB
        f.truncate(33 * 1024 * 1024)
    divisions = sorted(p for p in (ROOT / "samples").glob("*.xlsx") if p.name != "市民生活部.xlsx")
    # A folder the cross-file checks object to: samples/ with one division twice (GS803), a
    # sheet of another department (GS801) and one of another fiscal year (GS802).
    across = work / "across"
    shutil.copytree(ROOT / "samples", across)
    shutil.copy(across / "市民協働課.xlsx", across / "市民協働課 - コピー.xlsx")
    cli(binary, "template", "--year", "令和6", "--department", "総務部", "--division", "秘書課", "-o", across / "秘書課.xlsx")
    cli(binary, "template", "--year", "令和5", "--department", "市民生活部", "--division", "地域安全課",
        "-o", across / "地域安全課.xlsx")

    page = Page(downloads)
    failures = 0
    try:
        assert page.js("return document.documentElement.lang") == "ja", "Japanese by default"

        # --- check: the page's report equals the CLI's on the same folder ---------------------
        page.check([ROOT / "samples"], folder=True)
        expected = check_folder(binary, ROOT / "samples")
        _, got = page.download(lambda: page.click("save-report"), "goalsheet-check.json")
        assert json.loads(got) == expected, "check report of samples/ differs from the CLI's"
        if screenshot:
            page.d.set_window_size(1400, 1750)
            page.js("window.scrollTo(0, 0)")
            page.d.save_screenshot(str(screenshot))
            page.d.set_window_size(1400, 1000)
            print(f"screenshot: {screenshot}")
        page.clear()
        # The checks across files (GS801–GS803), as the CLI runs them after each file's own.
        page.check([across], folder=True)
        expected = check_folder(binary, across)
        _, got = page.download(lambda: page.click("save-report"), "goalsheet-check.json")
        report = json.loads(got)
        assert report == expected, "check report of across/ differs from the CLI's:\n" + diff(report, expected)
        found = {(f["file"], f["code"]) for f in expected["findings"] if f["code"].startswith("GS8")}
        assert found == {(named(across, "地域安全課.xlsx"), "GS802"), (named(across, "市民協働課.xlsx"), "GS803"),
                         (named(across, "秘書課.xlsx"), "GS801")}, found
        shown = page.js("""return [...document.querySelectorAll('#finding-rows tr')].map(r =>
            [r.children[0].textContent, r.querySelector('button.code').textContent, r.querySelectorAll('mark').length])""")
        assert len(shown) == len(expected["findings"]), (len(shown), len(expected["findings"]))
        assert all(m > 0 for f, c, m in shown if c == "GS803"), "the duplicate division's cell is marked"
        assert {(f, c) for f, c, _ in shown if c.startswith("GS8")} == found, shown
        badge = page.js("return document.querySelector(`#file-rows tr[data-path='${arguments[0]}'] .badge`).className",
                        named(across, "市民協働課.xlsx"))
        assert badge.split()[1] == "errors", badge
        page.clear()
        # With a broken file among them.
        page.check([samples], folder=True)
        expected = check_folder(binary, samples, ok=(2,))
        _, got = page.download(lambda: page.click("save-report"), "goalsheet-check.json")
        report = json.loads(got)
        assert report == expected, "check report differs from the CLI's:\n" + diff(report, expected)
        assert len(expected["findings"]) > 0 and expected["summary"]["unreadable"] == 1
        rows = page.js("""return [...document.querySelectorAll('#file-rows tr')].map(r =>
            [r.dataset.path, r.querySelector('.badge').className.split(' ')[1], r.querySelector('.note').textContent])""")
        states = {p: (s, note) for p, s, note in rows}
        broken = named(samples, "壊れた.xlsx")
        assert states[broken][0] == "unreadable"
        broken_error = next(f["error"] for f in expected["files"] if f["file"] == broken)
        assert states[broken][1] == broken_error, states[broken]
        assert all(s in ("clean", "warnings", "errors") for p, (s, _) in states.items() if p != broken)
        if not page.firefox:  # (geckodriver is given the folder's workbooks, not the folder)
            notes = page.js("return [...document.querySelectorAll('#unread li')].map(l => l.textContent)")
            assert len(notes) == 1 and named(samples, "追加提出.zip") in notes[0] and "展開" in notes[0], notes
        shown = page.js("return document.querySelectorAll('#finding-rows tr').length")
        assert shown == len(expected["findings"]), (shown, len(expected["findings"]))
        marks = page.js("return document.querySelectorAll('#finding-rows mark').length")
        assert marks >= len(expected["findings"]) // 2, f"cell text highlighted: {marks} marks"
        # Filters: by code, then the rule's explanation.
        code = expected["findings"][0]["code"]
        page.js("const s = document.getElementById('filter-code'); s.value = arguments[0]; s.dispatchEvent(new Event('change'))", code)
        shown = page.js("return document.querySelectorAll('#finding-rows tr').length")
        assert shown == sum(f["code"] == code for f in expected["findings"])
        page.d.find_element(By.CSS_SELECTOR, "#finding-rows button.code").click()
        page.wait(lambda: page.js("return document.getElementById('rule-dialog').open"), 10, "the rule dialog")
        assert page.js("return document.getElementById('rule-title').textContent").startswith(code)
        page.js("document.getElementById('rule-dialog').close()")
        page.js("const s = document.getElementById('filter-code'); s.value = ''; s.dispatchEvent(new Event('change'))")

        # --- fix: each corrected workbook and the zip equal the CLI's ---------------------------
        out = work / "fixed"
        r_fix = cli(binary, "fix", "samples/", "--out-dir", out, cwd=work, ok=(0, 1, 2))
        page.tab("fix")
        page.click("run-fix")
        page.wait(lambda: not page.js("return document.getElementById('fix-zip').disabled"), 60, "the fix")
        errors = page.js("return [...document.querySelectorAll('#fix-results .error')].map(e => e.textContent)")
        assert errors == [broken_error], errors
        # The totals first, with the CLI's counts (its last line: "N ファイル: M ファイルを書き出しました（修正 C 件、残りの指摘 R 件）。…").
        last = r_fix.stdout.decode().strip().splitlines()[-1]
        counts = re.match(r"(\d+) ファイル: (\d+) ファイルを書き出しました（修正 (\d+) 件、残りの指摘 (\d+) 件）。(\d+) ファイルは", last)
        assert counts, last
        files, made, changes, remaining, failed = counts.groups()
        summary = page.js("return document.getElementById('fix-summary').textContent")
        assert summary == (f"{files} ファイル: {made} ファイルの修正済みブックを作りました（修正 {changes} 件、残りの指摘 {remaining} 件）"
                           f"。{failed} ファイルはエラーで処理できませんでした"), summary
        # The department file's card says that its 集計 and 一覧 are not remade (as the CLI does).
        notes = page.js("""return [...document.querySelectorAll('#fix-results .result-card')]
            .filter(c => c.querySelector('h3').textContent.endsWith('市民生活部.xlsx'))
            .map(c => [...c.querySelectorAll('.warn')].map(w => w.textContent).join(' '))""")
        assert len(notes) == 1 and "集計と一覧" in notes[0], notes
        corrected = sorted(p.name for p in out.glob("*.xlsx"))
        assert corrected, "the CLI corrected nothing"
        for name in corrected:
            got_name, data = page.download(by_button(page, name), name)
            assert data == (out / name).read_bytes(), f"{name} differs from the CLI's"
        _, data = page.download(lambda: page.click("fix-zip"), "修正済み.zip")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert sorted(z.namelist()) == corrected, z.namelist()
            for name in corrected:
                assert z.read(name) == (out / name).read_bytes(), f"{name} in the zip differs"

        # --- merge: why not (a broken input), then the department file -------------------------
        r = cli(binary, "merge", "samples/", "-o", work / "dept.xlsx", cwd=work, ok=(2,))
        page.tab("merge")
        page.click("run-merge")
        page.wait(lambda: page.js("return document.querySelector('#merge-result .stopped')"), 60, "the merge refusal")
        why = page.js("return [...document.querySelectorAll('#merge-result li')].map(e => e.textContent)")
        assert why == [broken_error], why
        page.clear()
        page.check(divisions)
        cli(binary, "merge", *[p.name for p in divisions], "-o", work / "部.xlsx", cwd=ROOT / "samples")
        name, data = page.download(lambda: page.click("run-merge"))
        assert data == (work / "部.xlsx").read_bytes(), f"department file {name} differs from the CLI's"
        # A workbook and its corrected copy (fix without --out-dir) merge from the copy, as the
        # CLI merges them; an original saved after its copy stops the merge (File.lastModified).
        pair = work / "pair"
        pair.mkdir()
        shutil.copy(ROOT / "samples" / "広聴相談課.xlsx", pair / "広聴相談課.xlsx")
        cli(binary, "fix", "広聴相談課.xlsx", cwd=pair)
        files = [pair / "広聴相談課.xlsx", pair / "広聴相談課.corrected.xlsx"]
        cli(binary, "merge", *[p.name for p in files], "-o", work / "対.xlsx", cwd=pair)
        page.clear()
        page.check(files)
        _, data = page.download(lambda: page.click("run-merge"))
        assert data == (work / "対.xlsx").read_bytes(), "the department file of a corrected pair differs from the CLI's"
        later = (pair / "広聴相談課.corrected.xlsx").stat().st_mtime + 60
        os.utime(pair / "広聴相談課.xlsx", (later, later))
        cli(binary, "merge", *[p.name for p in files], "-o", work / "対2.xlsx", cwd=pair, ok=(2,))
        page.clear()
        page.check(files)
        page.click("run-merge")
        page.wait(lambda: page.js("return document.querySelector('#merge-result .stopped')"), 60, "the stale copy's refusal")
        why = page.js("return [...document.querySelectorAll('#merge-result li')].map(e => e.textContent)")
        assert len(why) == 1 and "修正したブック" in why[0] and "広聴相談課.corrected.xlsx" in why[0], why

        # --- convert: CSV in Shift_JIS and JSON --------------------------------------------------
        page.clear()
        one = ROOT / "samples" / "市民協働課.xlsx"
        page.check([one])
        page.tab("convert")
        for value, ext, extra in [("csv-shift_jis", "csv", ["--encoding", "shift_jis"]), ("json", "json", [])]:
            target = work / f"converted.{ext}"
            cli(binary, "convert", one.name, "-o", target, "--force", *extra, cwd=one.parent)
            page.js("document.getElementById('convert-to').value = arguments[0]", value)
            page.click("run-convert")
            page.wait(lambda: page.js("return document.querySelector('#convert-results button.link')"), 60, "the conversion")
            _, data = page.download(by_button(page, f"市民協働課.{ext}"), f"市民協働課.{ext}")
            assert data == target.read_bytes(), f"convert to {value} differs from the CLI's"

        # --- templates: blank, and next year's from the department file -------------------------
        page.tab("template")
        cli(binary, "template", "--year", "令和8", "--department", "市民生活部", "--division", "市民協働課",
            "-o", work / "blank.xlsx", "--force")
        page.js("""document.getElementById('tpl-year').value = '令和8';
                   document.getElementById('tpl-department').value = '市民生活部';
                   document.getElementById('tpl-division').value = '市民協働課';""")
        _, data = page.download(lambda: page.d.find_element(By.CSS_SELECTOR, "#template-form button[type=submit]").click())
        assert data == (work / "blank.xlsx").read_bytes(), "blank template differs from the CLI's"
        dept = ROOT / "samples" / "市民生活部.xlsx"
        cli(binary, "template", "--from", dept, "-o", work / "next.xlsx", "--force")
        page.d.find_element(By.ID, "next-file").send_keys(str(dept))
        _, data = page.download(lambda: page.d.find_element(By.CSS_SELECTOR, "#next-form button[type=submit]").click())
        assert data == (work / "next.xlsx").read_bytes(), "next year's sheets differ from the CLI's"

        # --- a file over the size limit is refused, as the CLI refuses it -----------------------
        page.tab("check")
        page.clear()
        page.check([big])
        expected = json.loads(cli(binary, "check", big, "--format", "json", ok=(2,)).stdout)
        note = page.js("return document.querySelector('#file-rows .note').textContent")
        assert page.js("return document.querySelector('#file-rows .badge').classList.contains('unreadable')")
        assert note == expected["files"][0]["error"], (note, expected["files"][0]["error"])

        # --- a panic inside the WebAssembly: reported, and the page carries on -----------------
        crash = page.d.execute_async_script("const done = arguments[0]; window.goalsheetPanic().then(done)")
        assert "panic requested by the test" in crash["crash"], crash
        page.clear()
        page.check([one])
        assert page.js("return document.querySelector('#file-rows .badge').className").split()[1] in ("clean", "warnings", "errors")

        # --- the language switch ----------------------------------------------------------------
        page.click("lang-en")
        page.wait(lambda: page.js("return window.goalsheetChecked"), 60, "the check in English")
        assert page.js("return document.documentElement.lang") == "en"
        assert page.js("return document.querySelector('.tabs button').textContent") == "Check"

        # --- nothing left the page -------------------------------------------------------------
        requests = page.network()
        page_url = PAGE.as_uri()
        others = [u for u in requests if u != page_url and not u.startswith("blob:")]
        assert not others, f"requests other than the page itself: {others}"
        violations = page.js("return window.__cspViolations")
        assert violations == [], f"the CSP blocked: {violations}"
        print(f"browser test passed ({len(requests)} requests, all the page itself or its blob: URLs)")
    except AssertionError:
        failures += 1
        raise
    finally:
        page.close()
        if not failures:
            shutil.rmtree(work, ignore_errors=True)


def diff(a, b):
    for key in ("files", "summary", "version", "lang"):
        if a.get(key) != b.get(key):
            return f"{key}: page {a.get(key)!r}\n       cli  {b.get(key)!r}"
    for i, (x, y) in enumerate(zip(a["findings"], b["findings"])):
        if x != y:
            return f"finding {i}: page {x!r}\n           cli  {y!r}"
    return f"findings: page {len(a['findings'])}, cli {len(b['findings'])}"


def bench(folder: Path, runs: int):
    downloads = Path(tempfile.mkdtemp(prefix="goalsheet-bench-"))
    page = Page(downloads)
    try:
        times = []
        for _ in range(runs):
            page.js("window.goalsheetChecked = null")
            start = time.time()
            got = page.check([folder], folder=True)
            wall = time.time() - start
            times.append((got["ms"] / 1000, wall))
            page.clear()
        for page_s, wall in times:
            print(f"{got['files']} files: checked in {page_s:.2f} s (page's own clock), {wall:.2f} s wall incl. upload")
    finally:
        page.close()
        shutil.rmtree(downloads, ignore_errors=True)


if __name__ == "__main__":
    a = argparse.ArgumentParser()
    a.add_argument("--bin", default=str(ROOT / "target" / "debug" / "goalsheet"))
    a.add_argument("--screenshot", type=Path)
    a.add_argument("--bench", type=Path)
    a.add_argument("--runs", type=int, default=3)
    a.add_argument("--browser", choices=["chromium", "firefox"], default="chromium",
                   help="firefox: firefox-esr driven by geckodriver (on PATH)")
    args = a.parse_args()
    BROWSER = args.browser
    if not PAGE.exists():
        sys.exit(f"{PAGE} is missing: build it with `bash web/build.sh`")
    if args.bench:
        bench(args.bench.resolve(), args.runs)
    else:
        test(Path(args.bin).resolve(), args.screenshot.resolve() if args.screenshot else None)
