#!/usr/bin/env python3
"""Regenerates tests/data/looks/: 広聴相談課 with what a reviewer cannot see or should not
take as written, saved by LibreOffice as .xls and .ods (with the .xlsx it was made from):
row 14 hidden, column D hidden, the result F9 in white, the target E15 struck through
as a whole, and in the target E13 the old figure struck through beside the new (見え消し);
notes (メモ) on the No. A8 (a number), the date J1, the result F13 and the grade I10
(〇, which fix corrects); and the result F15 hidden by the number format `;;;`.
Read by tests/it/read_looks.rs.

    python3 scripts/looks-fixtures.py        # needs soffice (LibreOffice) and openpyxl
"""
import copy
import os
import tempfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment

import fixturekit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'data', 'looks')
NAME = '広聴相談課-looks'


def main():
    os.makedirs(OUT, exist_ok=True)
    wb = openpyxl.load_workbook(os.path.join(ROOT, 'samples', '広聴相談課.xlsx'), rich_text=True)
    ws = wb.worksheets[0]
    ws.row_dimensions[14].hidden = True
    ws.column_dimensions['D'].hidden = True
    white = copy.copy(ws['F9'].font)
    white.color = 'FFFFFFFF'
    ws['F9'].font = white
    struck = copy.copy(ws['E15'].font)
    struck.strike = True
    ws['E15'].font = struck
    ws['F15'].number_format = ';;;'
    ws['E13'] = CellRichText([TextBlock(InlineFont(strike=True), '1,800件'), ' 1,700件'])
    ws['A8'].comment = Comment('通し番号', '広聴相談課')
    ws['J1'].comment = Comment('作成日は4月1日', '広聴相談課')
    ws['F13'].comment = Comment('3月末時点の速報値です\n確定は5月', '広聴相談課')
    ws['I10'].comment = Comment('課長確認済み', '広聴相談課')
    xlsx = os.path.join(OUT, f'{NAME}.xlsx')
    wb.save(xlsx)
    with tempfile.TemporaryDirectory() as tmp:
        for to in ('xls', 'ods'):
            fixturekit.soffice_convert(xlsx, to, OUT, tmp)


if __name__ == '__main__':
    main()
