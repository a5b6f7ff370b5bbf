"""Excel exports: one function so every export has a bold header, frozen first row and sane widths, in one
sheet (`xlsx_bytes`, `xlsx_response`) or several (`xlsx_sheets_bytes`, `xlsx_attachment`).

Exports must never carry a beneficiary's personal data; pass only columns the caller may see."""

from collections.abc import Iterable, Sequence
from io import BytesIO
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[str, Sequence[str], Iterable[Sequence]]  # (title, headers, rows)


def xlsx_sheets_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of one sheet per (title, headers, rows), each with a bold header and a frozen first row."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31])
        ws.append([str(h) for h in headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(str(h)) * 2 + 2 for h in headers]
        for row in rows:
            values = ["" if v is None else v for v in row]
            ws.append(values)
            for i, v in enumerate(values[: len(widths)]):
                widths[i] = min(max(widths[i], len(str(v)) * 2 + 2), 60)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    return xlsx_sheets_bytes([(title, headers, rows)])


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a file named in Chinese: RFC 5987's filename* (UTF-8), which every browser
    keeps, after an ASCII filename for the clients that know only that (the Chinese replaced by "_")."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return (
        f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )


def xlsx_attachment(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook's bytes as a download named `filename` (any characters: RFC 5987)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(
    headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, title: str = "Sheet1"
) -> HttpResponse:
    return xlsx_attachment(xlsx_bytes(headers, rows, title=title), filename=filename)
