#!/usr/bin/env python3
"""Writes tests/data/patch/openpyxl.xlsx: the sample 広聴相談課 loaded and saved by openpyxl (an
openpyxl-produced package, which fix must patch like any other), with defects to fix and what
openpyxl-made workbooks hold: a note, a formula without cached value, a defined name, a number
format, a hidden column.

    pip install openpyxl==3.1.5 && python3 tests/data/patch/make_openpyxl.py
"""
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

root = Path(__file__).resolve().parents[3]
wb = load_workbook(root / "samples" / "広聴相談課.xlsx")
ws = wb.worksheets[0]
# 〇 (U+3007) or ✕ for the first ○ or × grade, and a full-width digit in the first result ending in 件.
grade = next(c for row in ws.iter_rows() for c in row if c.value in ("○", "×"))
grade.value = {"○": "〇", "△": "△", "×": "✕"}[grade.value]
grade.comment = Comment("前年度も確認済み", "審査担当")
result = next(c for row in ws.iter_rows(min_row=8) for c in row
              if isinstance(c.value, str) and c.value.endswith("件") and c.value[0].isdigit())
result.value = result.value.replace("1", "１", 1) if "1" in result.value else "１" + result.value
ws["N3"] = "=SUM(1,2)"
ws["N4"] = 1500000
ws["N4"].number_format = "#,##0"
ws.column_dimensions["M"].hidden = True
wb.defined_names["評価列"] = DefinedName("評価列", attr_text=f"'{ws.title}'!$I$8:$I$20")
wb.save(root / "tests" / "data" / "patch" / "openpyxl.xlsx")
