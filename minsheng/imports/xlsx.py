"""A fast, streaming reader of the first sheet of an .xlsx workbook: values only (cached results of formulas),
dates as `datetime`.

openpyxl's read-only mode builds an object per cell and parses inline strings (what openpyxl itself writes)
through its descriptor machinery. This reader walks the sheet's XML with the C parser of the standard
library, about 1.5 times as fast, in constant memory.
Writing stays with openpyxl.
"""

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
# Built-in number formats that show dates, including the ones Chinese Excel numbers 27–36 and 50–58.
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(50, 59)}
COLUMN = re.compile(r"([A-Z]+)")
DIGITS = "0123456789"


class XlsxError(ValueError):
    """The bytes are not a readable .xlsx workbook."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(ref: str) -> int:
    """'A1' → 0, 'AB7' → 27."""
    letters = COLUMN.match(ref)
    if not letters:
        raise XlsxError(f"bad cell reference {ref!r}")
    index = 0
    for ch in letters.group(1):
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _text_of(element) -> str:
    """The text of a shared or inline string: its runs' <t>, without phonetic guides (<rPh>)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for run_child in child:
                if _local(run_child.tag) == "t":
                    parts.append(run_child.text or "")
    return "".join(parts)


def _number(text: str):
    return float(text) if ("." in text or "E" in text or "e" in text) else int(text)


class XlsxReader:
    """`XlsxReader(data).rows()` yields (Excel row number, [cell values]) for the first worksheet."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            self.names = set(self.zip.namelist())
            workbook_path = self._office_document()
            self.sheet_path, shared_path, styles_path, self.epoch = self._workbook(workbook_path)
            self.shared = self._shared_strings(shared_path) if shared_path else []
            self.date_styles = self._date_styles(styles_path) if styles_path else set()
        except XlsxError:
            raise
        except Exception as exc:  # a damaged zip, missing parts, malformed XML
            raise XlsxError(str(exc)) from exc

    # --- the parts of the package ---------------------------------------------------------------------

    def _read_xml_root(self, path: str):
        with self.zip.open(path) as fh:
            for _event, element in iterparse(fh, events=("end",)):
                root = element
        return root

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type suffix, target path within the package) of a part."""
        folder, name = posixpath.split(path)
        rels_path = posixpath.join(folder, "_rels", name + ".rels")
        if rels_path not in self.names:
            return {}
        found = {}
        for rel in self._read_xml_root(rels_path):
            target = rel.get("Target", "")
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return found

    def _office_document(self) -> str:
        for kind, target in self._rels("").values():
            if kind == "officeDocument":
                return target
        if "xl/workbook.xml" in self.names:
            return "xl/workbook.xml"
        raise XlsxError("no workbook part")

    def _workbook(self, path: str):
        root = self._read_xml_root(path)
        rels = self._rels(path)
        sheet_id = None
        epoch = CALENDAR_WINDOWS_1900
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr" and element.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif name == "sheet" and sheet_id is None:
                sheet_id = element.get(f"{{{REL_NS}}}id") or element.get(f"{{{REL_NS_STRICT}}}id")
        if sheet_id not in rels:
            raise XlsxError("no worksheet")
        by_kind = dict(rels.values())
        shared = by_kind.get("sharedStrings")
        styles = by_kind.get("styles")
        return (
            rels[sheet_id][1],
            shared if shared in self.names else None,
            styles if styles in self.names else None,
            epoch,
        )

    def _shared_strings(self, path: str) -> list[str]:
        strings = []
        with self.zip.open(path) as fh:
            for _event, element in iterparse(fh, events=("end",)):
                if _local(element.tag) == "si":
                    strings.append(_text_of(element))
                    element.clear()
        return strings

    def _date_styles(self, path: str) -> set[int]:
        root = self._read_xml_root(path)
        custom: dict[int, str] = {}
        formats: list[int] = []
        for element in root:
            name = _local(element.tag)
            if name == "numFmts":
                for fmt in element:
                    custom[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
            elif name == "cellXfs":
                formats = [int(xf.get("numFmtId", "0")) for xf in element]
        dates = set()
        for index, fmt_id in enumerate(formats):
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
            if fmt_id in DATE_FORMAT_IDS or (code and is_date_format(code) and not _is_time_only(code)):
                dates.add(index)
        return dates

    # --- the rows -------------------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list]]:
        shared, date_styles, epoch = self.shared, self.date_styles, self.epoch
        number = 0
        tags = None
        columns: dict[str, int] = {}  # "AB" → 27
        try:
            with self.zip.open(self.sheet_path) as fh:
                for _event, element in iterparse(fh, events=("end",)):
                    if tags is None:  # the namespace of the sheet, from its first element
                        ns = element.tag[: element.tag.index("}") + 1] if element.tag.startswith("{") else ""
                        tags = (f"{ns}row", f"{ns}c", f"{ns}v", f"{ns}is", f"{ns}t", f"{ns}r")
                        row_tag, cell_tag = tags[0], tags[1]
                    if element.tag != row_tag:
                        continue
                    number = int(element.get("r") or number + 1)
                    values: list = []
                    position = -1
                    for cell in element:
                        if cell.tag != cell_tag:
                            continue
                        ref = cell.get("r")
                        if ref:
                            letters = ref.rstrip(DIGITS)
                            known = columns.get(letters)
                            if known is None:
                                known = columns[letters] = _column_index(ref)
                            position = known
                        else:
                            position += 1
                        value = _value(cell, tags, shared, date_styles, epoch)
                        if value is None:
                            continue
                        if position >= len(values):
                            values.extend([None] * (position + 1 - len(values)))
                        values[position] = value
                    # Rows already read are emptied, so memory stays small (an empty element each).
                    element.clear()
                    yield number, values
        except XlsxError:
            raise
        except Exception as exc:
            raise XlsxError(str(exc)) from exc


def _value(cell, tags, shared, date_styles, epoch):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(tags[3])
        if inline is None:
            return None
        text = inline.find(tags[4])
        if text is not None and len(inline) == 1:  # the common case: one plain <t>
            return text.text or ""
        return _text_of(inline)
    text = cell.findtext(tags[2])
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind == "n":
        value = _number(text)
        if date_styles and int(cell.get("s", "0")) in date_styles:
            try:
                return from_excel(value, epoch)
            except (OverflowError, ValueError):
                return value
        return value
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text.rstrip("Z"))
        except ValueError:
            return text
    return text  # "str" (a formula's text), "e" (an error such as #N/A)


def _is_time_only(code: str) -> bool:
    lowered = code.lower()
    return (
        not any(ch in lowered for ch in ("y", "d")) and "m" in lowered and ("h" in lowered or "s" in lowered)
    )
