"""Excel export of the list of cases (the statistics' export is minsheng/insights/exports.py).

Exports leave the system, so they never carry a beneficiary's name, ID number, phone or address — not even
for staff who may see them on screen — nor a deputy's mobile number: titles pass through `privacy.redact`,
and no column holds personal data.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.common.export import xlsx_response

from .models import Answer, Assignment, Case, Cosigner, Rating
from .privacy import redact

EXPORT_LIMIT = 20000
CHUNK = 1000


def _local(value):
    """Excel has no time zones: write local times without one."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


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
