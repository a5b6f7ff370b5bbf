"""Excel exports: one function so every export has a bold header, frozen first row and sane widths.

Exports must never carry a beneficiary's personal data; pass only columns the caller may see."""

from collections.abc import Iterable, Sequence
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31]
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


def xlsx_response(
    headers: Sequence[str], rows: Iterable[Sequence], *, filename: str, title: str = "Sheet1"
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(headers, rows, title=title), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
