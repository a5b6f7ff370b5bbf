"""Excel exports of cases: the list of cases and the statistics.

Exports leave the system, so they never carry a beneficiary's name, ID number, phone or address — not even
for staff who may see them on screen — nor a deputy's mobile number: titles pass through `privacy.redact`,
and no column holds personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from io import BytesIO
from urllib.parse import quote

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from minsheng.common.export import XLSX, xlsx_response

from .models import Answer, Assignment, Case, Cosigner, Rating
from .privacy import redact
from .stats import KINDS, STATUSES, Stats, StatsRow

EXPORT_LIMIT = 20000
CHUNK = 1000

Sheet = tuple[str, Sequence[str], Iterable[Sequence]]


# --- workbooks of several sheets ---------------------------------------------------------------------------


def _local(value):
    """Excel has no time zones: write local times without one."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def xlsx_sheets_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of several sheets, each as `common.export` makes one: bold header, frozen first row."""
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


def _attachment(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the statistics ------------------------------------------------------------------------------------------


def _stats_headers(stats: Stats, first: str, *, donations: bool = True) -> list[str]:
    headers = [
        first,
        _("Cases"),
        *[str(Case.Status(s).label) for s in STATUSES],
        *[str(Case.Kind(k).label) for k in KINDS],
        _("Parts assigned"),
        _("Parts answered"),
        _("Answer rate (%)"),
        _("Answers due"),
        _("Answered on time"),
        _("On-time answer rate (%)"),
        _("Rated cases"),
        str(Rating.Value.SATISFIED.label),
        str(Rating.Value.MOSTLY_SATISFIED.label),
        str(Rating.Value.DISSATISFIED.label),
        _("Satisfaction rate (%)"),
        _("Not rated"),
        _("Answers"),
        _("Answers after meeting the deputies"),
        _("Meeting rate (%)"),
        _("Answers implemented"),
        _("Implementation rate (%)"),
        *[_("Class %(code)s (%%)") % {"code": code} for code in stats.class_codes],
        _("Overdue"),
        _("Extensions granted"),
    ]
    if donations:
        headers += [_("Wishes realised"), _("Value donated (yuan)")]
    return headers


def _stats_row(stats: Stats, row: StatsRow, *, donations: bool = True) -> list:
    def number(value):
        return None if value is None else float(value)

    values = [
        row.label,
        row.cases,
        *row.statuses(),
        *row.kinds(),
        row.assigned,
        row.answered,
        number(row.answer_rate),
        row.answers_due,
        row.answered_on_time,
        number(row.on_time_rate),
        row.ratings,
        row.by_rating.get(Rating.Value.SATISFIED, 0),
        row.by_rating.get(Rating.Value.MOSTLY_SATISFIED, 0),
        row.by_rating.get(Rating.Value.DISSATISFIED, 0),
        number(row.satisfaction_rate),
        row.unrated,
        row.answers,
        row.answers_met,
        number(row.meeting_rate),
        row.answers_implemented,
        number(row.implemented_rate),
        *[number(share) for share in row.class_shares(stats.class_codes)],
        row.overdue,
        row.extensions,
    ]
    if donations:
        values += [row.wishes_realised, number(row.value_donated)]
    return values


def stats_workbook(stats: Stats) -> bytes:
    """Four sheets: by congress (with the total), by county (with the total), by handling unit, and the
    definitions of the figures (as the page's legend states them). Figures from the summary table say when
    they were taken, on a last line of the first sheet."""
    as_of = []
    if stats.as_of is not None:
        time = timezone.localtime(stats.as_of).strftime("%Y-%m-%d %H:%M")
        as_of = [[_("Figures as of %(time)s, from the statistics summary.") % {"time": time}]]
    return xlsx_sheets_bytes(
        [
            (
                _("By congress"),
                _stats_headers(stats, _("Congress")),
                [*(_stats_row(stats, r) for r in stats.by_congress), _stats_row(stats, stats.total), *as_of],
            ),
            (
                _("By county"),
                _stats_headers(stats, _("County")),
                [*(_stats_row(stats, r) for r in stats.by_county), _stats_row(stats, stats.total)],
            ),
            (
                _("By unit"),
                _stats_headers(stats, _("Handling unit"), donations=False),
                [_stats_row(stats, r, donations=False) for r in stats.by_unit],
            ),
            (_("Definitions"), [_("Figure"), _("How it is counted")], stats.definitions),
        ]
    )


def stats_response(stats: Stats) -> HttpResponse:
    filename = _("case-statistics-%(date)s.xlsx") % {"date": stats.today.isoformat()}
    return _attachment(stats_workbook(stats), filename)


# --- the list of cases -----------------------------------------------------------------------------------


def case_headers() -> list[str]:
    return [
        _("Case number"),
        _("Kind"),
        _("Title"),
        _("Status"),
        _("Congress"),
        _("Lead deputy"),
        _("Co-signers"),
        _("Handling units"),
        _("Filed at"),
        _("Assigned at"),
        _("Answer by"),
        _("Answered at"),
        _("Closed at"),
        _("Answer class"),
        _("Rating"),
        _("Priority supervision"),
        _("Assign by"),
        _("Publish by"),
    ]


def deadline_text(day, provisional: bool) -> str:
    """A working-day deadline as an export shows it: the date, marked when counted on a provisional calendar."""
    if not day:
        return ""
    return f"{day:%Y-%m-%d} ({_('provisional')})" if provisional else f"{day:%Y-%m-%d}"


def _export_queryset(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("congress", "lead_deputy", "beneficiary").prefetch_related(
        Prefetch(
            "cosigner_links",
            queryset=Cosigner.objects.filter(status=Cosigner.Status.CONFIRMED)
            .select_related("deputy")
            .order_by("added_at", "id"),
            to_attr="export_cosigners",
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.exclude(status=Assignment.Status.REMOVED)
            .select_related("unit")
            .order_by("round", "role", "id"),
            to_attr="export_assignments",
        ),
        Prefetch("answers", queryset=Answer.objects.order_by("round", "id"), to_attr="export_answers"),
        Prefetch("ratings", queryset=Rating.objects.order_by("round", "id"), to_attr="export_ratings"),
    )


def case_row(case: Case) -> list:
    """One line of the export: nothing that identifies a beneficiary, no deputy's mobile."""
    current = [a for a in case.export_assignments if a.round == case.round]
    units = "; ".join(f"{a.unit.name} ({a.get_role_display()})" for a in current)
    answers = [a for a in case.export_answers if a.round == case.round]
    classes = "/".join(dict.fromkeys(a.answer_class for a in answers))
    lead_rating = next(
        (r for r in case.export_ratings if r.round == case.round and r.deputy_id == case.lead_deputy_id),
        None,
    )
    return [
        case.number or "",
        case.get_kind_display(),
        redact(case.title, case),
        case.get_status_display(),
        case.congress.name,
        case.lead_deputy.name,
        "、".join(link.deputy.name for link in case.export_cosigners),
        units,
        _local(case.filed_at),
        _local(case.assigned_at),
        case.answer_due or "",
        _local(case.answered_at),
        _local(case.closed_at),
        classes,
        lead_rating.get_value_display() if lead_rating else "",
        _("yes") if case.is_priority else "",
        deadline_text(case.assign_due, case.assign_due_provisional) if not case.assigned_at else "",
        deadline_text(case.publish_due, case.publish_due_provisional) if not case.published_at else "",
    ]


def case_rows(cases: QuerySet[Case], *, limit: int = EXPORT_LIMIT) -> Iterator[list]:
    """The rows of the export, read in chunks (each chunk prefetches its co-signers, units, answers)."""
    for case in _export_queryset(cases[:limit]).iterator(chunk_size=CHUNK):
        yield case_row(case)


def cases_response(cases: QuerySet[Case]) -> HttpResponse:
    filename = _("cases-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx_response(case_headers(), case_rows(cases), filename=filename, title=_("Cases"))
