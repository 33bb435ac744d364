#!/usr/bin/env python3
"""Regenerates tests/data/xls/: LibreOffice's .xls re-saves of the samples (next to a copy of
each sample .xlsx they were made from), and long-text.xls, a shared string of 4,112
characters with 𠮷 placed so that the CONTINUE record after the first 8,224 bytes of the SST
cuts its surrogate pair. Read by tests/it/read_xls.rs.

    python3 scripts/xls-fixtures.py          # needs soffice (LibreOffice) on PATH
"""
import glob
import os
import shutil
import subprocess
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'data', 'xls')

# The SST's first record holds 8,224 bytes: 8 of counts, 3 of string header, then 4,106
# UTF-16 units and a half; the high surrogate of 𠮷 as unit 4,106 (from 1) is the last whole one.
LONG = 'あ' * 4105 + '𠮷' + 'い' * 5


def long_text_xlsx(path):
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             f'<row r="1"><c r="A1" t="inlineStr"><is><t>{LONG}</t></is></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><t>後</t></is></c></row>'
             '</sheetData></worksheet>')
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr('_rels/.rels',
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr('xl/workbook.xml',
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="long" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels',
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr('xl/worksheets/sheet1.xml', sheet)


def to_xls(xlsx, tmp):
    subprocess.run(['soffice', '--headless', f'-env:UserInstallation=file://{tmp}/profile',
                    '--convert-to', 'xls', '--outdir', OUT, xlsx], check=True, capture_output=True)


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for sample in sorted(glob.glob(os.path.join(ROOT, 'samples', '*.xlsx'))):
            copy = os.path.join(OUT, os.path.basename(sample))
            shutil.copyfile(sample, copy)
            to_xls(copy, tmp)
        src = os.path.join(tmp, 'long-text.xlsx')
        long_text_xlsx(src)
        to_xls(src, tmp)


if __name__ == '__main__':
    main()
