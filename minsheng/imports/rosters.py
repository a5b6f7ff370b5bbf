"""The roster file formats: which columns each kind of roster has, and reading and writing them as .xlsx.

The column headers are a file format (fixed, in Chinese, never translated); the notes that explain them are
user-facing text and go through gettext. `write_roster` is the one writer (tests, the demo, the benchmark);
`inspect_roster` checks a file's shape at upload; `read_roster` yields its data rows for the import.
"""

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from minsheng.common.errors import DomainError
from minsheng.common.idcard import with_check_digit

from .models import ImportJob
from .xlsx import XlsxError, XlsxReader

Kind = ImportJob.Kind

# How many rows at the top of the sheet may hold a title before the header row.
HEADER_SEARCH_ROWS = 10
# The key under which a row lists its text columns that Excel stored as numbers.
NUMERIC_CELLS = "_numeric_cells"
# The most data rows one file may have (settings.IMPORT_MAX_ROWS overrides): rows are held in memory.
DEFAULT_MAX_ROWS = 200_000
# Cell values that separate the ID numbers in the stations roster's deputies column.
ID_LIST_SEPARATORS = re.compile(r"[;；、\n\r,，]+")


@dataclass(frozen=True)
class Column:
    """One column of a roster: its fixed header, the field it fills and how to fill it in."""

    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    is_date: bool = False
    # The words allowed in the cell (a drop-down list in the template).
    choices: tuple[str, ...] = ()
    # "id_number", "mobile" or "id_list": masked wherever the value is echoed back (error page, report).
    personal: str = ""
    text: bool = False  # stored as text in the template, so Excel keeps leading zeros and long numbers
    note: object = ""
    example: object = ""
    width: int = 14

    @property
    def all_headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


GENDER_WORDS = {"男": "M", "女": "F"}
SEAT_STATUS_WORDS = {"在任": "active", "终止": "ended", "辞职": "resigned"}
STATION_KIND_WORDS = {
    "代表联络站": "station",
    "代表之家": "home",
    "联系点": "contact_point",
}
STATION_KIND_ALIASES = {"联络站": "station", "代表联系点": "contact_point"}
UNIT_KIND_WORDS = {
    "人民政府": "government",
    "政府部门": "department",
    "监察委员会": "supervisory",
    "人民法院": "court",
    "人民检察院": "procuratorate",
    "其他": "other",
}
UNIT_LEVEL_WORDS = {"市": "city", "县": "county", "镇": "township"}
UNIT_LEVEL_ALIASES = {
    "市级": "city",
    "县级": "county",
    "区": "county",
    "镇级": "township",
    "乡镇": "township",
}
NATIONAL_WORDS = ("全国",)

# The example rows of the templates: recognisable, valid, and refused if someone forgets to delete them.
EXAMPLE_ID_NUMBER = with_check_digit("44078119800101001")

COLUMNS: dict[str, tuple[Column, ...]] = {
    Kind.DEPUTIES: (
        Column("name", "姓名", required=True, note=gettext_lazy("The deputy's full name."), example="张三"),
        Column(
            "gender",
            "性别",
            choices=tuple(GENDER_WORDS),
            note=gettext_lazy("男 or 女. May be left empty: the ID number tells; if given it must agree."),
            example="男",
            width=8,
        ),
        Column(
            "ethnicity",
            "民族",
            note=gettext_lazy("E.g. 汉族. Empty: 汉族 for a new deputy."),
            example="汉族",
            width=10,
        ),
        Column(
            "id_number",
            "身份证号码",
            required=True,
            aliases=("身份证号", "公民身份号码"),
            personal="id_number",
            text=True,
            note=gettext_lazy(
                "The 18-character resident ID number; it identifies the person across rosters. Format the "
                "column as text so Excel keeps every digit."
            ),
            example=EXAMPLE_ID_NUMBER,
            width=22,
        ),
        Column(
            "mobile",
            "手机号码",
            aliases=("手机号", "手机"),
            personal="mobile",
            text=True,
            note=gettext_lazy("An 11-digit mainland mobile number."),
            example="13800138000",
            width=14,
        ),
        Column("party", "政治面貌", note=gettext_lazy("E.g. 中共党员, 群众."), example="中共党员", width=12),
        Column(
            "occupation",
            "工作单位及职务",
            aliases=("工作单位和职务",),
            note=gettext_lazy("Work unit and position."),
            example="台山市某某有限公司总经理",
            width=28,
        ),
        Column(
            "congress",
            "人大",
            required=True,
            aliases=("所属人大",),
            text=True,
            note=gettext_lazy(
                "The congress of the seat: the code of its place (440700 for Jiangmen, 440781 for Taishan, "
                "440781111 for 海宴镇), 全国 for the National People's Congress, or the congress's full name."
            ),
            example="440781",
            width=12,
        ),
        Column(
            "term",
            "届次",
            required=True,
            note=gettext_lazy("The number of the term, e.g. 17 or 第十七届. The term must already exist."),
            example="17",
            width=8,
        ),
        Column(
            "delegation",
            "代表团/代表小组",
            aliases=("代表团", "代表小组", "代表团（组）"),
            note=gettext_lazy("The delegation or deputy group."),
            example="台城代表团",
            width=16,
        ),
        Column(
            "constituency",
            "选区/选举单位",
            aliases=("选区", "选举单位"),
            note=gettext_lazy("The constituency or electoral unit."),
            example="第一选区",
            width=16,
        ),
        Column(
            "start_date",
            "任职开始",
            aliases=("任职开始日期", "任职日期"),
            is_date=True,
            note=gettext_lazy(
                "A date cell or YYYY-MM-DD, within the term. Empty: the start of the term for a new seat."
            ),
            example="2021-10-01",
            width=12,
        ),
        Column(
            "status",
            "状态",
            choices=tuple(SEAT_STATUS_WORDS),
            note=gettext_lazy(
                "在任, 终止 or 辞职. Empty: 在任 for a new seat. A seat that has ended cannot be in office again."
            ),
            example="在任",
            width=8,
        ),
    ),
    Kind.STATIONS: (
        Column(
            "name",
            "名称",
            required=True,
            aliases=("站点名称",),
            note=gettext_lazy("The station's name; with the place code it identifies the station."),
            example="（示例）海宴镇人大代表联络站",
            width=26,
        ),
        Column(
            "kind",
            "类型",
            choices=tuple(STATION_KIND_WORDS),
            note=gettext_lazy("代表联络站, 代表之家 or 联系点. Empty: 代表联络站 for a new station."),
            example="代表联络站",
            width=12,
        ),
        Column(
            "place_code",
            "地区代码",
            required=True,
            text=True,
            note=gettext_lazy("The code of the place the station is in (e.g. 440781111 for 海宴镇)."),
            example="440781111",
            width=12,
        ),
        Column(
            "congress",
            "负责人大",
            required=True,
            text=True,
            note=gettext_lazy(
                "The congress whose staff run the station: the code of its place, or its full name. "
                "The station's place must lie in its region."
            ),
            example="440781111",
            width=12,
        ),
        Column(
            "address",
            "地址",
            required=True,
            note=gettext_lazy("The street address."),
            example="海宴镇人民路1号",
            width=26,
        ),
        Column(
            "opening_hours",
            "开放时间",
            note=gettext_lazy("When the station is open."),
            example="周一至周五 9:00-17:00",
            width=20,
        ),
        Column(
            "phone",
            "联系电话",
            text=True,
            note=gettext_lazy("The station's telephone."),
            example="0750-5000000",
        ),
        Column(
            "deputies",
            "进站代表身份证号",
            aliases=("进站代表",),
            personal="id_list",
            text=True,
            note=gettext_lazy(
                "The ID numbers of the deputies attached to the station, separated by ; ； 、 or a new line. "
                "Each must be a deputy on record (import the deputies first). When given, the list replaces "
                "the station's deputies; empty leaves them as they are."
            ),
            example=EXAMPLE_ID_NUMBER,
            width=40,
        ),
    ),
    Kind.UNITS: (
        Column(
            "name",
            "名称",
            required=True,
            aliases=("单位名称",),
            note=gettext_lazy("The unit's full name; it identifies the unit."),
            example="（示例）台山市民政局",
            width=26,
        ),
        Column("short_name", "简称", note=gettext_lazy("A short name."), example="市民政局", width=14),
        Column(
            "kind",
            "类别",
            required=True,
            choices=tuple(UNIT_KIND_WORDS),
            note=gettext_lazy("人民政府, 政府部门, 监察委员会, 人民法院, 人民检察院 or 其他."),
            example="政府部门",
            width=12,
        ),
        Column(
            "level",
            "层级",
            choices=tuple(UNIT_LEVEL_WORDS),
            note=gettext_lazy("市, 县 or 镇. Empty: the level of the unit's place."),
            example="县",
            width=8,
        ),
        Column(
            "place_code",
            "地区代码",
            required=True,
            text=True,
            note=gettext_lazy(
                "The code of the unit's place (e.g. 440781). The congress of that place supervises the unit."
            ),
            example="440781",
            width=12,
        ),
        Column(
            "parent",
            "上级单位",
            note=gettext_lazy(
                "The full name of the parent unit: a unit on record or one listed above this row."
            ),
            example="（示例）台山市人民政府",
            width=26,
        ),
    ),
}


def columns_of(kind: str) -> tuple[Column, ...]:
    return COLUMNS[Kind(kind)]


def column_of(kind: str, key: str) -> Column:
    return next(c for c in columns_of(kind) if c.key == key)


def example_row(kind: str) -> dict[str, str]:
    return {c.key: str(c.example) for c in columns_of(kind)}


def normalize_header(value) -> str:
    """'身份证号码*' / ' 代表团／代表小组 ' → the bare header: no spaces, no required marks, ASCII slashes."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\s*＊]", "", text)
    return text.replace("／", "/").replace("(", "（").replace(")", "）")


def _header_lookup(kind: str) -> dict[str, str]:
    return {normalize_header(h): c.key for c in columns_of(kind) for h in c.all_headers}


# --- writing ----------------------------------------------------------------------------------------------


def _cell_value(column: Column, value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (list, tuple)):
        return "；".join(str(v) for v in value)
    return str(value) if column.text else value


def write_roster(kind: str, rows: list[dict]) -> bytes:
    """An .xlsx roster of `kind` ("deputies", "stations" or "units") with the fixed headers and one line per
    dict in `rows` (keyed by the column keys; missing keys are empty cells; dates may be `date` objects;
    the stations' `deputies` may be a list of ID numbers). Written in streaming mode: 150,000 rows are fine."""
    columns = columns_of(kind)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(Kind(kind).label)[:31])
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.append([c.header for c in columns])
    for row in rows:
        ws.append([_cell_value(c, row.get(c.key)) for c in columns])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def template_bytes(kind: str) -> bytes:
    """The blank template of a roster: the headers (required ones bold red, with a note), one example row
    in grey to be deleted, drop-down lists for the fixed words, and a notes sheet explaining every column."""
    columns = columns_of(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = str(Kind(kind).label)[:31]
    ws.append([c.header for c in columns])
    ws.append([_cell_value(c, c.example) for c in columns])
    grey = Font(color="808080", italic=True)
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        header = ws.cell(row=1, column=i)
        header.font = Font(bold=True, color="C00000" if column.required else "000000")
        header.fill = PatternFill("solid", fgColor="F2F2F2")
        header.comment = Comment(str(column.note), "Minsheng")
        ws.column_dimensions[letter].width = column.width
        example = ws.cell(row=2, column=i)
        example.font = grey
        if column.text:
            # Text format for the whole column, so typed ID numbers and codes keep all their digits.
            for r in range(2, 1001):
                ws.cell(row=r, column=i).number_format = "@"
        if column.is_date:
            example.number_format = "yyyy-mm-dd"
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet(_("Notes")[:31])
    notes.append([_("Column"), _("Required"), _("How to fill it in"), _("Example")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append(
            [column.header, _("yes") if column.required else "", str(column.note), str(column.example)]
        )
    notes.append([])
    for line in (
        _("Fill in one row per %(what)s below the header row; the second row is an example: delete it.")
        % {"what": _row_word(kind)},
        _("Keep the headers as they are. Columns may be in any order; other columns are ignored."),
        _("Required columns are in red. An empty optional cell leaves the stored value as it is."),
        _(
            "The whole file is checked first: if any row is wrong nothing is imported, and a report lists "
            "every error by row and column."
        ),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    notes.column_dimensions["D"].width = 24
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_word(kind: str) -> str:
    return {
        Kind.DEPUTIES: _("seat (a deputy with seats in two congresses has two rows)"),
        Kind.STATIONS: _("liaison station"),
        Kind.UNITS: _("handling unit (a parent unit above its sub-units)"),
    }[Kind(kind)]


def template_filename(kind: str) -> str:
    return {
        Kind.DEPUTIES: "代表名册模板.xlsx",
        Kind.STATIONS: "联络站名册模板.xlsx",
        Kind.UNITS: "承办单位名册模板.xlsx",
    }[Kind(kind)]


# --- reading ----------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as trimmed text: 440781.0 → '440781', a date → '2021-10-01', None → ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class Sheet:
    """An opened roster: where its header is, which column holds which field, and its rows."""

    kind: str
    header_row: int
    positions: dict[str, int]  # field key → 0-based column position
    headers: dict[str, str]  # field key → the header as written in the file
    _rows: Iterator[tuple[int, list]]

    def rows(self) -> Iterator[tuple[int, dict]]:
        """(Excel row number, {key: text or date}) for every non-empty data row."""
        date_keys = {c.key for c in columns_of(self.kind) if c.is_date}
        text_keys = {c.key for c in columns_of(self.kind) if c.text}
        positions = list(self.positions.items())
        count = 0
        limit = max_rows()
        try:
            for number, values in self._rows:
                if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                count += 1
                if count > limit:
                    raise _file_error(
                        _("The roster has more than %(n)s rows; split it into several files.")
                        % {"n": f"{limit:,}"},
                        "too_many_rows",
                    )
                row: dict[str, Any] = {}
                for key, pos in positions:
                    value = values[pos] if pos < len(values) else None
                    if key in date_keys and isinstance(value, (dt.date, dt.datetime)):
                        row[key] = value.date() if isinstance(value, dt.datetime) else value
                    else:
                        row[key] = cell_text(value)
                        if isinstance(value, float) and key in text_keys:
                            # Excel keeps 15 digits of a number: an 18-digit ID number typed into a
                            # number cell has lost its last digits. The importer says so.
                            row.setdefault(NUMERIC_CELLS, set()).add(key)
                yield number, row
        except XlsxError:
            raise _file_error(_("The file cannot be read as an Excel .xlsx workbook."), "not_xlsx") from None


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _file_error(message, code: str) -> DomainError:
    return DomainError(message, field="file", code=code)


def open_roster(kind: str, data: bytes) -> Sheet:
    """Open an .xlsx roster and find its header row; raise DomainError (field "file") if the file is not
    an .xlsx workbook, is too big, has no header row or lacks a required column."""
    limit = settings.IMPORT_MAX_FILE_BYTES
    if len(data) > limit:
        raise _file_error(
            _("The file is too big (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{len(data) / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            "too_big",
        )
    if not data:
        raise _file_error(_("The file is empty."), "empty")
    not_xlsx = _file_error(
        _(
            "This is not an Excel .xlsx file. Save the roster as “Excel Workbook (*.xlsx)” and upload it again."
        ),
        "not_xlsx",
    )
    if not zipfile.is_zipfile(BytesIO(data)):
        raise not_xlsx
    try:
        rows = XlsxReader(data).rows()
    except XlsxError:
        raise not_xlsx from None
    lookup = _header_lookup(kind)
    header_row = 0
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    try:
        for number, values in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            found = {}
            for pos, value in enumerate(values):
                key = lookup.get(normalize_header(value))
                if key and key not in found:
                    found[key] = (pos, cell_text(value))
            if len(found) >= 2:
                header_row = number
                positions = {k: p for k, (p, _h) in found.items()}
                headers = {k: h for k, (_p, h) in found.items()}
                break
    except XlsxError:
        raise not_xlsx from None
    if not header_row:
        raise _file_error(
            _(
                "No header row was found in the first sheet. The first row must hold the column headers of "
                "the template (%(headers)s)."
            )
            % {"headers": "、".join(c.header for c in columns_of(kind))},
            "no_header",
        )
    missing = [c.header for c in columns_of(kind) if c.required and c.key not in positions]
    if missing:
        raise _file_error(
            _("Required columns are missing: %(columns)s. Use the headers of the template.")
            % {"columns": "、".join(missing)},
            "missing_columns",
        )
    return Sheet(kind=kind, header_row=header_row, positions=positions, headers=headers, _rows=rows)


def inspect_roster(kind: str, data: bytes) -> Sheet:
    """The upload check: the file opens, has the header and the required columns, and at least one data
    row. Reads only up to the first data row; the rows themselves are checked by the import."""
    sheet = open_roster(kind, data)
    if next(sheet.rows(), None) is None:
        raise _file_error(_("The roster has a header row but no data rows."), "no_rows")
    return sheet


def read_roster(kind: str, data: bytes) -> tuple[Sheet, list[tuple[int, dict]]]:
    """Every data row of a roster, as (Excel row number, {key: value}); raises DomainError as `open_roster`."""
    sheet = open_roster(kind, data)
    return sheet, list(sheet.rows())


def split_id_list(text: str) -> list[str]:
    return [part.strip().replace(" ", "") for part in ID_LIST_SEPARATORS.split(text or "") if part.strip()]
