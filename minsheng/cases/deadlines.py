"""When a year's official holiday schedule is entered, the open working-day deadlines of cases that count days of
that year are computed again from their start: 交办 within 5 working days of filing (`Case.assign_due`), 申请调整
within 7 working days of 交办 (`Assignment.reassign_request_due`), publication within 20 working days
(`Case.publish_due`, of the answer). Each change is written to the audit trail (`case.deadline_recomputed`, with the old and new
date) and the people who act on the deadline are told: congress staff for 交办 and publication, the unit's handlers
for 申请调整.

Registered with `minsheng.common.workdays.on_schedule_entered` in the app's ready(); run by the task
`minsheng.common.tasks.deadlines_recompute`. Month deadlines (3/6 months to answer) do not depend on the calendar
and are left alone."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.accounts.models import User
from minsheng.common import audit
from minsheng.common.clock import Deadline
from minsheng.notifications.services import notify

from . import rules as R
from .models import Assignment, Case

BATCH = 2000

FIELD_LABELS = {
    "assign_due": gettext_lazy("assign by"),
    "publish_due": gettext_lazy("publish by"),
    "reassign_request_due": gettext_lazy("reassignment may be asked until"),
}


@dataclass(frozen=True)
class Change:
    case_id: int
    number: str
    field: str
    old: dt.date
    new: Deadline
    recipients: tuple  # ("congress", id) or ("unit", id)


def _year_bounds(year: int) -> tuple[dt.date, dt.datetime]:
    """The first day of `year`, and the first moment of the next year (a start on or after it counts nothing of
    `year`)."""
    tz = timezone.get_current_timezone()
    return dt.date(year, 1, 1), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _assign_candidates(year: int):
    first, next_year = _year_bounds(year)
    return (
        Case.objects.filter(
            status__in=(Case.Status.FILED, Case.Status.ACCEPTED),
            assign_due__gte=first,
            filed_at__lt=next_year,
        )
        .select_related("congress")
        .only("id", "number", "title", "congress", "filed_at", "assign_due", "assign_due_provisional")
    )


def _publish_candidates(year: int):
    first, next_year = _year_bounds(year)
    return (
        Case.objects.filter(
            published_at__isnull=True,
            publish_due__gte=first,
            answered_at__lt=next_year,
        )
        .exclude(status=Case.Status.WITHDRAWN)
        .select_related("congress")
        .only("id", "number", "title", "congress", "answered_at", "publish_due", "publish_due_provisional")
    )


def _reassign_candidates(year: int):
    first, next_year = _year_bounds(year)
    return (
        Assignment.objects.filter(
            status__in=(Assignment.Status.PENDING, Assignment.Status.HANDLING),
            reassign_request_due__gte=first,
            created_at__lt=next_year,
        )
        .select_related("case__congress")
        .only(
            "id",
            "unit_id",
            "created_at",
            "reassign_request_due",
            "reassign_request_due_provisional",
            "case__id",
            "case__number",
            "case__title",
            "case__congress",
        )
    )


# (field, candidates, start of the count, rule, the case of a row, who is told)
KINDS: list[tuple[str, Callable, Callable, Callable, Callable, Callable]] = [
    (
        "assign_due",
        _assign_candidates,
        lambda c: _local_date(c.filed_at),
        R.assign_due,
        lambda c: c,
        lambda c: ("congress", c.congress_id),
    ),
    (
        "publish_due",
        _publish_candidates,
        lambda c: _local_date(c.answered_at),
        R.publish_due,
        lambda c: c,
        lambda c: ("congress", c.congress_id),
    ),
    (
        "reassign_request_due",
        _reassign_candidates,
        lambda a: _local_date(a.created_at),
        R.reassign_request_due,
        lambda a: a.case,
        lambda a: ("unit", a.unit_id),
    ),
]


def _batches(queryset) -> Iterator[list]:
    batch = []
    for row in queryset.order_by("id").iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def recompute_case_deadlines(year: int) -> dict:
    """Compute again every open working-day deadline of cases that counts days of `year`; save and audit the ones
    that changed (their date, or only their provisional mark: confirmed), and tell the people concerned about the
    dates that moved. Returns {"checked": n, "changed": dates moved, "confirmed": same date, no longer
    provisional}."""
    rules_cache: dict[int, R.Rules] = {}
    checked = 0
    changes: list[Change] = []
    for field, candidates, start_of, rule, case_of, recipients_of in KINDS:
        flag = f"{field}_provisional"
        for batch in _batches(candidates(year)):
            changed_rows = []
            for row in batch:
                checked += 1
                case = case_of(row)
                rules = rules_cache.get(case.congress_id)
                if rules is None:
                    rules = rules_cache[case.congress_id] = R.rules_for(case.congress)
                new = rule(start_of(row), rules)
                old = getattr(row, field)
                if new == old and new.provisional == getattr(row, flag):
                    continue
                setattr(row, field, new.date)
                setattr(row, flag, new.provisional)
                change = Change(case.pk, case.number or "", field, old, new, recipients_of(row))
                changed_rows.append((row, change))
                changes.append(change)
            if changed_rows:
                with transaction.atomic():
                    # One UPDATE per new (date, mark): a few dozen per batch, where bulk_update's CASE per row
                    # cost 1.3 ms a row to build at 100,000 rows.
                    model = type(changed_rows[0][0])
                    groups: dict[tuple, list[int]] = defaultdict(list)
                    for row, change in changed_rows:
                        groups[(change.new.date, change.new.provisional)].append(row.pk)
                    for (day, provisional), ids in groups.items():
                        model.objects.filter(pk__in=ids).update(**{field: day, flag: provisional})
                    audit.record_many(
                        None,
                        "case.deadline_recomputed",
                        [
                            (
                                case_of(row),
                                {
                                    "field": field,
                                    "old": str(change.old),
                                    "new": str(change.new),
                                    "provisional": change.new.provisional,
                                    "year": year,
                                },
                            )
                            for row, change in changed_rows
                        ],
                    )
    moved = [c for c in changes if c.new != c.old]
    _notify(moved, year)
    return {"checked": checked, "changed": len(moved), "confirmed": len(changes) - len(moved)}


def _notify(changes: list[Change], year: int) -> None:
    by_scope: dict[tuple, list[Change]] = defaultdict(list)
    for change in changes:
        by_scope[change.recipients].append(change)
    with translation.override(settings.LANGUAGE_CODE):
        for (scope, scope_id), items in by_scope.items():
            if scope == "congress":
                users = User.objects.filter(
                    role=User.Role.CONGRESS_STAFF, congress_id=scope_id, is_active=True
                )
            else:
                users = User.objects.filter(role=User.Role.UNIT_HANDLER, unit_id=scope_id, is_active=True)
            if len(items) == 1:
                c = items[0]
                text = _(
                    "With the official %(year)d holiday schedule, case %(number)s: %(field)s moved from "
                    "%(old)s to %(new)s."
                ) % {
                    "year": year,
                    "number": c.number,
                    "field": FIELD_LABELS[c.field],
                    "old": c.old,
                    "new": c.new,
                }
                link = reverse("cases:detail", args=[c.case_id])
            else:
                text = _(
                    "With the official %(year)d holiday schedule, %(count)d deadlines of your cases moved: "
                    "%(numbers)s."
                ) % {
                    "year": year,
                    "count": len(items),
                    "numbers": "、".join(sorted({c.number for c in items})[:10]),
                }
                link = reverse("cases:list")
            notify(list(users), text=text, link=link, email=True)
