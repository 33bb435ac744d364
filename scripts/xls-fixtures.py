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
import tempfile

import fixturekit

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
    fixturekit.write_xlsx(path, 'long', sheet)


def to_xls(xlsx, tmp):
    fixturekit.soffice_convert(xlsx, 'xls', OUT, tmp)


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
