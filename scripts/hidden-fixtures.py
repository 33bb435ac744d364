#!/usr/bin/env python3
"""Regenerates tests/data/hidden/: 広聴相談課 with last year's copy of its sheet kept hidden
(sheet R5, 令和５年度), as divisions keep it, saved by LibreOffice as .xls and .ods (the .xlsx
case is built in the test itself). Read by tests/it/read_drift.rs.

    python3 scripts/hidden-fixtures.py       # needs soffice (LibreOffice) and openpyxl
"""
import os
import tempfile

import openpyxl

import fixturekit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'data', 'hidden')
NAME = '広聴相談課-hidden-r5'


def main():
    os.makedirs(OUT, exist_ok=True)
    wb = openpyxl.load_workbook(os.path.join(ROOT, 'samples', '広聴相談課.xlsx'))
    last_year = wb.copy_worksheet(wb.worksheets[0])
    last_year.title = 'R5'
    last_year['H1'] = '令和５年度'
    last_year.sheet_state = 'hidden'
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = os.path.join(tmp, f'{NAME}.xlsx')
        wb.save(xlsx)
        for to in ('xls', 'ods'):
            fixturekit.soffice_convert(xlsx, to, OUT, tmp)


if __name__ == '__main__':
    main()
