#!/usr/bin/env python3
"""Regenerates tests/data/numfmt/cases.csv: (value, format code) pairs and the text LibreOffice
displays for them, the reference of the differential test tests/it/read_numfmt.rs; and
tests/data/numfmt/cases1900.xlsx with LibreOffice's re-save of it as .xls (cases1900.xls), for
tests/it/read_xls.rs (a sheet saved as .xls reads like the .xlsx).

Writes one .xlsx per date system with the python standard library (one cell per case, in
column A, styled with the case's number format), has LibreOffice save each as CSV with
"save cell contents as shown" (filter token 9 = true), and joins the shown text to the cases.

    python3 scripts/numfmt-fixture.py          # needs soffice (LibreOffice) on PATH

Value column: a number, or `'text` for a text cell. Code column: the format code, or `id:N`
for a built-in format id written as numFmtId N without a numFmt element.
"""
import csv
import os
import sys
import tempfile
from xml.sax.saxutils import escape

import fixturekit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "numfmt", "cases.csv")

# Serials: 2019-04-30 43585, 2019-05-01 43586, 2024-05-15 45427, 1989-01-07 32515,
# 1989-01-08 32516, 1926-12-25 9856, 2024-05-15 13:05:09 = 45427.545243…
D = 45427
T = 45427.54524305556  # 13:05:09

CASES = []


def add(values, codes, date1904=False):
    for c in codes:
        for v in values:
            CASES.append((v, c, date1904))


# Municipal sheets' formats (issue 12's examples first).
add([1500000, 1499, 500, -1500000, 0], ['#,##0,"千円"'])
add([318, -318, 0, 1234567], ['[Red][<0]"▲"#,##0;#,##0', '#,##0;"▲"#,##0', '#,##0;"△"#,##0', '[<0]"△"#,##0;#,##0'])
add([12.5, 13.5, -12.5, 0.4, 300], ['0"件"', '#,##0"件"'])
add([-0.0052, 0.0052, 0, 0.12345], ['0.00%;"△"0.00%'])
add([0.85, 0.777, 0.005, -0.3, 1.2345, 0], ['0.0%', '0%', '0.00%'])
add([1.005, 2.675, 1.015, 0.125, -1.005, 1234.5678, 0.001, 1e-7], ['0.00'])
add([2.5, 3.5, -2.5, 0.49999999, 1234567.891], ['0', '#,##0', '#,##0.00'])
add([1500, -1500, 0, 12.3], ['#,##0;-#,##0;"－"', '#,##0_);(#,##0)', '#,##0_);[Red](#,##0)'])
add([42, 1234, 0], ['000000', '00000', '000-0000'])
add([1.5, 12.25, 0.5, -3.75], ['??0.0?', '#.##', '0.0#', '#,###'])
add([12345.678, 0.000123, -1, 0, 6.02e23], ['0.00E+00', '##0.0E+0', '0.0E-00'])
add([0.5, 1.25, 3.3333333, 2, -0.75, 0.142857], ['# ?/?', '# ??/??', '?/?', '# ?/4'])
add([123, -123, 0], [';;;', '0;;', '#,##0;-#,##0;'])
add([1234.5, -1234.5, 0], ['_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)', '* #,##0', '**0', '_-0_-'])
add([5, -5, 0, 1234.5678], ['General', 'General"件"', '"約"General', '0;-0;0;@'])
add(["'abc", "'300件"], ['@', '"項目："@', '0;-0;0;"["@"]"', '#,##0', 'General'])
add([150, 99.5, -20, 0], ['[>=100]"多い"0;[<0]"負"0;"普通"0', '[>=100]0"以上";0', '[=0]"ゼロ";0.0'])
add([1234, -1234], ['"¥"#,##0;"¥"\\-#,##0', '\\▲#,##0', '#,##0"円"', '"$"#,##0.00', '[$¥-411]#,##0'])
add([1234567], ['#,##0,', '#,##0,,"百万"', '0.0,,', '#,'])
add([0.25, 1.5], ['0.0%"増"', '#%'])
add([-0.4, -0.001, 0.4], ['0', '0.00', '#,##0"人"', '0.0"㎡"'])
# Dates and times.
add([D, 43585, 43586, 32515, 32516, 9856, 1, 60, 61, T],
    ['yyyy/m/d', 'yyyy"年"m"月"d"日"', '[$-411]ggge"年"m"月"d"日"', '[$-411]ge.m.d', '[$-411]gge"年"', '[$-411]ggge"年"'])
add([D, 43586, T], ['[$-411]e', '[$-411]ee', 'yy/mm/dd', 'mmm d, yyyy', 'mmmm', 'mmmmm', 'ddd', 'dddd',
                     '[$-411]aaa', '[$-411]aaaa', 'm"月"d"日"(aaa)', 'yyyy/m/d h:mm', 'h:mm:ss', 'hh:mm AM/PM',
                     'h:mm:ss.00', '[h]:mm', '[mm]:ss', 'yyyy-mm-dd hh:mm:ss', 'd-mmm-yy', 'm/d/yy'])
add([1.75, 0.25, 36.5], ['[h]:mm:ss', 'h"時間"mm"分"'])
add([D, 43586], ['[DBNum1][$-411]ggge"年"m"月"d"日"', '[DBNum3][$-411]ggge"年"m"月"d"日"', '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"'])
add([123, 1234, 20], ['[DBNum1]General', '[DBNum3]0', '[DBNum1]0"件"', '[DBNum2]General'])
for i in [1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 20, 22, 27, 28, 31, 32, 33, 34, 35, 37, 38, 45, 49, 57, 58]:
    add([D if i in (14, 22, 27, 28, 31, 34, 35, 57, 58) else T if i in (20, 32, 33, 45) else -1234.5], [f'id:{i}'])
# The 1904 date system.
add([D - 1462, 0, 1, 43586 - 1462], ['yyyy/m/d', '[$-411]ggge"年"m"月"d"日"', '[$-411]ge.m.d'], date1904=True)


def sheet_xml(cases, styles):
    rows = []
    for i, (v, c, _) in enumerate(cases):
        s = styles[c]
        if isinstance(v, str):
            cell = f'<c r="A{i + 1}" s="{s}" t="inlineStr"><is><t>{escape(v[1:])}</t></is></c>'
        else:
            cell = f'<c r="A{i + 1}" s="{s}"><v>{repr(float(v)) if not float(v).is_integer() else int(v)}</v></c>'
        rows.append(f'<row r="{i + 1}">{cell}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<cols><col min="1" max="1" width="60" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def write_xlsx(path, cases, date1904):
    codes = []
    for _, c, _ in cases:
        if c not in codes:
            codes.append(c)
    styles, numfmts, xfs = {}, [], ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    for c in codes:
        if c.startswith('id:'):
            fid = int(c[3:])
        else:
            fid = 164 + len(numfmts)
            numfmts.append(f'<numFmt numFmtId="{fid}" formatCode="{escape(c, {chr(34): "&quot;"})}"/>')
        styles[c] = len(xfs)
        xfs.append(f'<xf numFmtId="{fid}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
    styles_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  f'<numFmts count="{len(numfmts)}">{"".join(numfmts)}</numFmts>'
                  '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                  '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                  '<borders count="1"><border/></borders>'
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                  f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs></styleSheet>')
    fixturekit.write_xlsx(path, 'cases', sheet_xml(cases, styles), styles_xml, date1904)


def shown(cases, date1904, tmp):
    name = 'cases1904' if date1904 else 'cases1900'
    xlsx = os.path.join(tmp, name + '.xlsx')
    write_xlsx(xlsx, cases, date1904)
    # Tokens: separator ',', quote '"', UTF-8 (76), from line 1, no column formats, default
    # language, quoted fields not as text, detect special numbers, save contents AS SHOWN.
    filt = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false'
    fixturekit.soffice_convert(xlsx, filt, tmp, tmp)
    with open(os.path.join(tmp, name + '.csv'), encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    if not date1904:
        keep = os.path.join(os.path.dirname(OUT), name + '.xlsx')
        with open(xlsx, 'rb') as src, open(keep, 'wb') as dst:
            dst.write(src.read())
        fixturekit.soffice_convert(keep, 'xls', os.path.dirname(OUT), tmp)
    return [(r[0] if r else '') for r in rows] + [''] * (len(cases) - len(rows))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = []
        for system in (False, True):
            part = [c for c in CASES if c[2] == system]
            out += [(v, c, system, s) for (v, c, _), s in zip(part, shown(part, system, tmp))]
    with open(OUT, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['value', 'code', 'date1904', 'libreoffice'])
        for v, c, system, s in out:
            w.writerow([v if isinstance(v, str) else repr(v), c, int(system), s])
    print(f'{len(out)} cases → {os.path.relpath(OUT, ROOT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
