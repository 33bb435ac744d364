#!/bin/sh
# Seeds fuzz/corpus/<target>/ (git-ignored). Run from the repository root:
#   sh fuzz/seed.sh
# Workbooks: the six samples plus small fixtures written by the reader's hostile tests
# (official layout as .xlsx/.ods/.xls, far-corner cell, shared-strings count bomb, forged .xls
# dimensions, .ods repeat and space bombs). Texts: values as they appear in real sheets.
set -eu
C=fuzz/corpus
mkdir -p "$C/quantity" "$C/date" "$C/csv" "$C/workbook" "$C/xlsx_fast" "$C/fix" "$C/fix_package"
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
# fix_package seeds: a sample (the first byte: 0, 1, 2 in the target's order), then its content
# types with a comments part and VML declared, workbook, workbook relationships, the sheet's
# relationships, comments, VML drawing and app.xml, NUL between; once as Excel writes them and
# once with SpreadsheetML under the prefix `x:` (the Open XML SDK's way).
SHEET_RELS='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="../comments1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>'
COMMENTS='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>課長</author></authors><commentList><comment ref="E12" authorId="0"><text><r><rPr><b/><sz val="9"/><rFont val="ＭＳ Ｐゴシック"/></rPr><t>課長:</t></r><r><rPr><sz val="9"/></rPr><t xml:space="preserve">
前年度の数字を確認</t></r></text></comment><comment ref="I8" authorId="0"><text><t>評価は記号で</t></text></comment><comment ref="A1" authorId="0"><text><t>様式番号</t></text></comment></commentList></comments>'
VML='<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype><v:shape id="_x0000_s1025" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>5, 15, 11, 2, 7, 15, 15, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>11</x:Row><x:Column>4</x:Column></x:ClientData></v:shape><v:shape id="_x0000_s1026" type="#_x0000_t202" style="position:absolute;margin-left:59.25pt;margin-top:1.5pt;width:108pt;height:59.25pt;z-index:2;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:textbox/><x:ClientData ObjectType="Note"><x:Anchor>9, 15, 7, 2, 11, 15, 11, 4</x:Anchor><x:Row>7</x:Row><x:Column>8</x:Column></x:ClientData></v:shape><v:shape id="_x0000_s1027" type="#_x0000_t202" style="visibility:hidden"><x:ClientData ObjectType="Note"><x:Row>0</x:Row><x:Column>0</x:Column></x:ClientData></v:shape></xml>'
n=0
for f in samples/男女共同参画課.xlsx samples/広聴相談課.xlsx samples/パスポートセンター.xlsx; do
  types=$(unzip -p "$f" '\[Content_Types\].xml' | sed 's#</Types>#<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/><Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/></Types>#')
  for prefixed in 0 1; do
    wb=$(unzip -p "$f" xl/workbook.xml)
    comments=$COMMENTS
    if [ $prefixed = 1 ]; then
      wb=$(printf '%s' "$wb" | sed -e 's#<workbook xmlns="#<x:workbook xmlns:x="#' -e 's#<\([a-zA-Z]\)#<x:\1#g' -e 's#</\([a-zA-Z]\)#</x:\1#g' -e 's#<x:x:#<x:#g' -e 's#</x:x:#</x:#g' -e 's#<x:?xml#<?xml#')
      comments=$(printf '%s' "$COMMENTS" | sed -e 's#<comments xmlns="#<x:comments xmlns:x="#' -e 's#<\([a-zA-Z]\)#<x:\1#g' -e 's#</\([a-zA-Z]\)#</x:\1#g' -e 's#<x:x:#<x:#g' -e 's#</x:x:#</x:#g')
    fi
    { printf "\\$(printf '%03o' $n)"; printf '%s\0' "$types" "$wb"; unzip -p "$f" xl/_rels/workbook.xml.rels; printf '\0%s\0%s\0%s\0' "$SHEET_RELS" "$comments" "$VML"; unzip -p "$f" docProps/app.xml; } > "$C/fix_package/sample$n-$prefixed"
  done
  n=$((n+1))
done
rm -rf "$FIX"
ls "$C"/* | head -100
