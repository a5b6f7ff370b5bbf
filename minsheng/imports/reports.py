"""The error report of a refused import: one line per error (row, column, value, message), personal values
already masked. Written in the uploader's language (the caller activates it)."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from minsheng.common.export import xlsx_bytes

from .importers import RowError


def error_report_bytes(errors: Iterable[RowError], *, total: int) -> bytes:
    errors = list(errors)
    rows: list[list] = [[e.row, e.column, e.value, e.message] for e in errors]
    if total > len(errors):
        rows.append(["", "", "", _("… and %(n)d more errors not listed.") % {"n": total - len(errors)}])
    return xlsx_bytes([_("Row"), _("Column"), _("Value"), _("Error")], rows, title=str(_("Errors")))


def error_report_filename(job) -> str:
    stem = job.original_name.rsplit(".", 1)[0] or "roster"
    return f"{stem}-{_('errors')}.xlsx"
