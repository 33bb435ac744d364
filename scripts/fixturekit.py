"""What the fixture scripts share: a one-sheet .xlsx written with the python standard library,
and LibreOffice converting a file with a profile of its own (so a running LibreOffice, or the
user's settings, do not interfere).

    import fixturekit            # scripts/ is on sys.path when a script there is run
"""
import subprocess
import zipfile

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml'
_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'


def write_xlsx(path, sheet_name, sheet_xml, styles_xml=None, date1904=None):
    """Writes a workbook of one sheet (`sheet_xml`, the whole worksheet part) named
    `sheet_name`, with `styles_xml` as its styles part when given; `date1904` (True or False)
    writes `<workbookPr>` with the date system, None leaves it out."""
    styles_ct = (f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
                 if styles_xml is not None else '')
    styles_rel = (f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
                  if styles_xml is not None else '')
    pr = '' if date1904 is None else '<workbookPr date1904="1"/>' if date1904 else '<workbookPr/>'
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                   f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
                   f'{styles_ct}</Types>')
        z.writestr('_rels/.rels',
                   f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr('xl/workbook.xml',
                   f'{_XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   f'xmlns:r="{_REL}">'
                   f'{pr}<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels',
                   f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'{styles_rel}</Relationships>')
        if styles_xml is not None:
            z.writestr('xl/styles.xml', styles_xml)
        z.writestr('xl/worksheets/sheet1.xml', sheet_xml)


def soffice_convert(src, to, outdir, tmp):
    """Has LibreOffice convert `src` (`to`: an extension or a filter such as `xls` or
    `csv:Text - txt - csv (StarCalc):…`) into `outdir`, with its profile under `tmp`."""
    subprocess.run(['soffice', '--headless', f'-env:UserInstallation=file://{tmp}/profile',
                    '--convert-to', to, '--outdir', outdir, src], check=True, capture_output=True)
