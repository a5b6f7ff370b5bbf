"""The streaming .xlsx reader on what Excel and WPS write (shared strings, rich text, phonetic guides, date
styles, the 1904 calendar) and on what openpyxl writes (inline strings)."""

import datetime as dt
import zipfile
from io import BytesIO

import pytest

from minsheng.imports import rosters
from minsheng.imports.xlsx import XlsxError, XlsxReader

from .conftest import deputy_row

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def excel_like_workbook(rows_xml: str, strings: list[str], *, date1904: bool = False) -> bytes:
    """A minimal workbook laid out as Excel writes it: shared strings, styles, an absolute sheet target."""
    shared = "".join(strings)
    calendar = ' date1904="1"' if date1904 else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/worksheets/sheet2.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}">'
            f"<workbookPr{calendar}/>"
            '<sheets><sheet name="代表" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId9"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId9" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
        "xl/styles.xml": (
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>'
            '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>',
        "xl/worksheets/sheet2.xml": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not me</t></is></c></row></sheetData></worksheet>',
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


STRINGS = [
    "<si><t>姓名</t></si>",
    "<si><r><t>身份证</t></r><r><rPr><b/></rPr><t>号码</t></r></si>",
    '<si><t>曾丽</t><rPh sb="0" eb="1"><t>ZENG</t></rPh></si>',
    "<si><t>任职开始</t></si>",
]


def test_shared_strings_rich_text_and_phonetic_guides_are_read_as_plain_text():
    rows_xml = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="C3" s="1"><v>44470</v></c><c r="E3" t="str"><f>A3</f><v>曾丽</v></c></row>'
        '<row><c><v>7</v></c><c s="2"><v>44470.5</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c></row>'
    )

    rows = list(XlsxReader(excel_like_workbook(rows_xml, STRINGS)).rows())

    assert rows[0] == (1, ["姓名", "身份证号码", "任职开始"])
    assert rows[1] == (3, ["曾丽", None, dt.datetime(2021, 10, 1), None, "曾丽"])
    assert rows[2] == (4, [7, dt.datetime(2021, 10, 1, 12), True, "#N/A"])


def test_the_1904_calendar_is_respected():
    rows_xml = '<row r="1"><c r="A1" s="2"><v>44470</v></c></row>'

    [(_number, values)] = XlsxReader(excel_like_workbook(rows_xml, [], date1904=True)).rows()

    assert values == [dt.datetime(2025, 10, 2)]


def test_an_excel_like_roster_imports_like_an_openpyxl_one(run_import, taishan_staff, taishan_term):
    row = deputy_row(1)
    strings = [
        f"<si><t>{text}</t></si>"
        for text in ("姓名", "身份证号码", "人大", "届次", row["name"], row["id_number"])
    ]
    rows_xml = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>440781</v></c><c r="D2"><v>17</v></c></row>'
    )
    sheet, rows = rosters.read_roster("deputies", excel_like_workbook(rows_xml, strings))

    assert rows == [
        (2, {"name": row["name"], "id_number": row["id_number"], "congress": "440781", "term": "17"})
    ]


def test_what_openpyxl_writes_is_read_back_exactly():
    data = rosters.write_roster("deputies", [deputy_row(1, start_date=dt.date(2022, 3, 4))])

    [header, (number, values)] = list(XlsxReader(data).rows())

    assert header[1] == [c.header for c in rosters.columns_of("deputies")]
    assert number == 2 and values[3] == deputy_row(1)["id_number"] and values[11] == dt.datetime(2022, 3, 4)


@pytest.mark.parametrize(
    "data",
    [b"not a zip", b"PK\x03\x04broken", excel_like_workbook("", [])[:200]],
)
def test_damaged_files_raise_a_reader_error(data):
    with pytest.raises(XlsxError):
        list(XlsxReader(data).rows())


def test_an_id_number_excel_stored_as_a_number_gets_a_hint(run_import, taishan_staff, taishan_term):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from minsheng.imports.services import import_create, import_execute

    strings = [f"<si><t>{text}</t></si>" for text in ("姓名", "身份证号码", "人大", "届次", "张三")]
    rows_xml = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2"><v>4.40781195001010E+17</v></c><c r="C2"><v>440781</v></c><c r="D2"><v>17</v></c></row>'
    )
    with translation.override("en"):
        job = import_create(
            actor=taishan_staff,
            kind="deputies",
            congress=taishan_staff.congress,
            upload=SimpleUploadedFile("roster.xlsx", excel_like_workbook(rows_xml, strings)),
            enqueue=False,
        )

    job = import_execute(job_id=job.pk)

    [error] = job.errors
    assert error["field"] == "id_number" and "format the column as text" in error["message"]
