#!/bin/sh
# Seeds fuzz/corpus/<target>/ (git-ignored). Run from the repository root:
#   sh fuzz/seed.sh
# Workbooks: the six samples plus small fixtures written by the reader's hostile tests
# (official layout as .xlsx/.ods/.xls, far-corner cell, shared-strings count bomb, forged .xls
# dimensions, .ods repeat and space bombs). Texts: values as they appear in real sheets.
set -eu
C=fuzz/corpus
mkdir -p "$C/quantity" "$C/date" "$C/csv" "$C/workbook" "$C/xlsx_fast" "$C/fix"
i=0
for v in '80%' '77.7%' '300件
（R5：290件）' '318件' '105回
（100％）' '１回' '0件' '4.6以上' '1,700件' '１，７００件' '4.8点' '103校' '△0.52%
(R6:87.63%)' '前年より減少率（△0.35％）を鈍化させる（R5：88.15％）' '推進' '-3.5千円' '10万人未満' '95.0%' '12ヶ所'; do
  i=$((i+1)); printf '%s' "$v" > "$C/quantity/seed$i"
done
i=0
for v in 'R6.5.15' 'R6.4.1' '令和6年5月15日' '2024/5/15' 'Ｒ６．５．１５' '令和元年5月1日' 'H31.4.30' 'S64.1.7' '2024-05-15' '令和6年5月15日（水）' 'M45.7.29' '大正1年7月30日'; do
  i=$((i+1)); printf '%s' "$v" > "$C/date/seed$i"
done
FIX=$(mktemp -d)
GOALSHEET_FIXTURES="$FIX" cargo test -q --test read_hostile write_hostile_fixtures -- --ignored >/dev/null
# bomb.xlsx and cells.xlsx are megabytes of inflating work per run: not useful as seeds.
rm -f "$FIX/bomb.xlsx" "$FIX/cells.xlsx"
cp "$FIX"/* samples/*.xlsx "$C/workbook/"
# CSV seeds: the samples converted by the binary, in both encodings.
n=0
for f in samples/*.xlsx; do
  n=$((n+1))
  cargo run -q -- convert "$f" -o "$FIX/s$n.csv" --force >/dev/null 2>&1 || true
  cargo run -q -- convert "$f" -o "$FIX/j$n.csv" --encoding shift_jis --force >/dev/null 2>&1 || true
done
cp "$FIX"/*.csv "$C/csv/" 2>/dev/null || true
printf 'No.,組織目標,指標名\n1,"a\nb",c\n' > "$C/csv/tiny.csv"
# xlsx_fast seeds: each sample's worksheet XML, a NUL byte, its shared strings XML.
n=0
for f in samples/*.xlsx; do
  n=$((n+1))
  { unzip -p "$f" xl/worksheets/sheet1.xml; printf '\0'; unzip -p "$f" xl/sharedStrings.xml; } > "$C/xlsx_fast/sample$n"
done
# fix seeds: each sample's worksheet XML, its shared strings and its style sheet, NUL between.
n=0
for f in samples/*.xlsx; do
  n=$((n+1))
  { unzip -p "$f" xl/worksheets/sheet1.xml; printf '\0'; unzip -p "$f" xl/sharedStrings.xml; printf '\0'; unzip -p "$f" xl/styles.xml; } > "$C/fix/sample$n"
done
rm -rf "$FIX"
ls "$C"/* | head -100
