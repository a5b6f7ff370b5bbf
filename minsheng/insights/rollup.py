"""The statistics' summary table: the figures of `stats.py`, kept per (congress, county, unit, year, kind)
by the worker, so that the statistics page sums a few thousand rows instead of aggregating every case,
assignment, answer and rating in scope on each request (docs/BENCHMARKS.md, "Cases").

Writing: `rollup_refresh()` (the job `tasks.refresh_case_stats`, every 10 minutes, and
`tasks.rebuild_case_stats`, nightly; `manage.py rebuild_case_stats`). One transaction, under a lock on the one
`CaseStatsRefresh` row, so a refresh that dies half-way leaves the table as it was and a retry starts afresh;
two refreshes never interleave. An incremental refresh recomputes the congresses whose cases the services
changed (their audit records) since the previous refresh began (less `CHANGE_MARGIN`, for transactions that
committed late); a full one, every congress. The first refresh of a day is always full: "overdue" is counted
for a day (`CaseStatsRefresh.overdue_day`).

Reading: `stats_from_rollup()` answers for staff and admins, with the filters of the page (year of filing,
kind, congress), when the table was refreshed today and within `MAX_AGE`; otherwise it returns None and the
page computes the figures live (`stats.stats_live`). The figures are those of `stats.stats_live` at the time
of the refresh (`tests/test_stats_rollup.py` compares them on random data).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.cases import rules as R
from minsheng.cases.models import Answer, Assignment, Case, Claim, Rating
from minsheng.cases.selectors import congress_ids_under
from minsheng.common import clock
from minsheng.common.models import AuditRecord

from .models import CaseStatsRefresh, CaseStatsRollup
from .stats import (
    ANSWERING_ROLES,
    KINDS,
    RATING_VALUES,
    STATUSES,
    Stats,
    StatsRow,
    _county,
    _county_names,
    _Rows,
    final_rating_counts,
    final_rating_q,
    final_round_parts,
    implemented_classes_by_congress,
    met_before_answer,
    part_counts,
)

CHANGE_MARGIN = dt.timedelta(minutes=10)
MAX_AGE = dt.timedelta(hours=2)
STATE_ID = 1
RATING_FIELDS: dict[str, str] = {
    Rating.Value.SATISFIED: "rated_satisfied",
    Rating.Value.MOSTLY_SATISFIED: "rated_mostly",
    Rating.Value.DISSATISFIED: "rated_dissatisfied",
}
COUNT_FIELDS = [
    "cases",
    *[f"status_{s}" for s in STATUSES],
    "overdue",
    "wishes_realised",
    "answers_due",
    "answered_on_time",
    "answers",
    *RATING_FIELDS.values(),
    "parts_assigned",
    "parts_answered",
    "answers_met",
    "answers_implemented",
    "closed_unrated",
]


@dataclass
class RefreshResult:
    full: bool
    congresses: int  # recomputed (all with cases, for a full refresh)
    rows: int  # written
    seconds: float


# --- writing -------------------------------------------------------------------------------------------------


def _keys(via: str = "") -> dict:
    """The summary table's keys of a case, or of a row pointing at one (`via="case__"`)."""
    return {
        "r_congress": F(f"{via}congress_id"),
        "r_county": _county(via),
        "r_year": ExtractYear(f"{via}filed_at"),
        "r_kind": F(f"{via}kind"),
    }


KEY_NAMES = ("r_congress", "r_county", "r_year", "r_kind")


def _grouped(rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The rows of a grouped query, as plain dicts (for the type checker)."""
    yield from rows


def _compute(congress_ids: list[int] | None, today: dt.date) -> list[CaseStatsRollup]:
    """The rows of the summary table for some congresses (None: all), with the queries of `stats.py`
    grouped by the table's keys. A sum over these rows equals the figure `stats.stats_live` computes
    over the same cases: every count is of rows that belong to one case, and a case to one cell."""
    case_q = Q(filed_at__isnull=False)
    related_q = Q(case__filed_at__isnull=False)
    if congress_ids is not None:
        case_q &= Q(congress_id__in=congress_ids)
        related_q &= Q(case__congress_id__in=congress_ids)
    cells: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))

    def cell(r: dict, unit=None, answer_class: str = "") -> dict:
        # The units' table has no county: a unit's rows are per congress only.
        county = r["r_county"] if unit is None else None
        return cells[(r["r_congress"], county, r["r_year"], r["r_kind"], unit, answer_class)]

    # Cases by status, overdue, wishes realised.
    for r in _grouped(
        Case.objects.filter(case_q)
        .annotate(**_keys())
        .values(*KEY_NAMES)
        .annotate(
            n=Count("id"),
            overdue=Count("id", filter=Q(status=Case.Status.ASSIGNED, answer_due__lt=today)),
            realised=Count("id", filter=Q(kind=Case.Kind.WISH, realised_at__isnull=False)),
            unrated=Count("id", filter=Q(closed_unrated=True)),
            **{f"s_{s}": Count("id", filter=Q(status=s)) for s in STATUSES},
        )
        .order_by()
    ):
        c = cell(r)
        c["cases"] += r["n"]
        c["overdue"] += r["overdue"]
        c["wishes_realised"] += r["realised"]
        c["closed_unrated"] += r["unrated"]
        for s in STATUSES:
            c[f"status_{s}"] += r[f"s_{s}"]

    # 办复率 and 按时办复率: first-round answering parts; for the case and for its unit.
    for r in _grouped(
        Assignment.objects.filter(related_q, round=1, role__in=ANSWERING_ROLES)
        .exclude(status=Assignment.Status.REMOVED)
        .annotate(**_keys("case__"))
        .values(*KEY_NAMES, "unit_id")
        .annotate(**part_counts(today))
        .order_by()
    ):
        for c in (cell(r), cell(r, r["unit_id"])):
            c["parts_assigned"] += r["assigned"]
            c["parts_answered"] += r["answered"]
            c["answers_due"] += r["due"]
            c["answered_on_time"] += r["on_time"]

    # Answer classes, 见面率 and 落实率 (the congress's classes of 落实 as of the refresh), every round counting.
    answer_rows = list(
        _grouped(
            Answer.objects.filter(related_q)
            .annotate(**_keys("case__"), unit=F("assignment__unit_id"))
            .values(*KEY_NAMES, "unit", "answer_class")
            .annotate(n=Count("id"), met=Count("id", filter=met_before_answer()))
            .order_by()
        )
    )
    implemented = (
        implemented_classes_by_congress({r["r_congress"] for r in answer_rows}) if answer_rows else {}
    )
    for r in answer_rows:
        for c in (cell(r, None, r["answer_class"]), cell(r, r["unit"], r["answer_class"])):
            c["answers"] += r["n"]
        for c in (cell(r), cell(r, r["unit"])):
            c["answers_met"] += r["met"]
            if r["answer_class"] in implemented.get(r["r_congress"], ()):
                c["answers_implemented"] += r["n"]

    # 满意率 of the cases: each case's final rating.
    for r in _grouped(
        Rating.objects.filter(related_q, final_rating_q())
        .annotate(**_keys("case__"))
        .values(*KEY_NAMES)
        .annotate(**{v: Count("id", filter=Q(value=v)) for v in RATING_VALUES})
        .order_by()
    ):
        c = cell(r)
        for v in RATING_VALUES:
            c[RATING_FIELDS[v]] += r[v]

    # Value donated: confirmed claims.
    for r in _grouped(
        Claim.objects.filter(related_q, status=Claim.Status.CONFIRMED)
        .annotate(**_keys("case__"))
        .values(*KEY_NAMES)
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        c = cell(r)
        c["value_donated"] = c.get("value_donated", Decimal("0")) + (r["total"] or Decimal("0"))

    # The units' cases (counted once each per status) and their overdue parts.
    parts = Assignment.objects.filter(related_q).exclude(status=Assignment.Status.REMOVED)
    for r in _grouped(
        parts.annotate(**_keys("case__"))
        .values(*KEY_NAMES, "unit_id", "case__status")
        .annotate(
            n=Count("case", distinct=True),
            overdue=Count(
                "id", filter=Q(status__in=Assignment.LIVE, role__in=ANSWERING_ROLES, answer_due__lt=today)
            ),
        )
        .order_by()
    ):
        c = cell(r, r["unit_id"])
        c["cases"] += r["n"]
        c["overdue"] += r["overdue"]
        if r["case__status"] in STATUSES:
            c[f"status_{r['case__status']}"] += r["n"]

    # The units' final ratings and 未反馈: of the cases they answered in the last round.
    for r in _grouped(
        final_round_parts(parts)
        .annotate(**_keys("case__"))
        .values(*KEY_NAMES, "unit_id")
        .annotate(**final_rating_counts())
        .order_by()
    ):
        c = cell(r, r["unit_id"])
        for v in RATING_VALUES:
            c[RATING_FIELDS[v]] += r[v]
        c["closed_unrated"] += r["unrated"]

    return [
        CaseStatsRollup(
            congress_id=congress,
            county=county,
            unit_id=unit,
            year=year,
            kind=kind,
            answer_class=answer_class,
            **values,
        )
        for (congress, county, year, kind, unit, answer_class), values in cells.items()
    ]


def _changed_congresses(since: dt.datetime) -> set[int]:
    """The congresses of the cases the services wrote since then: every write to a case, its parts,
    answers, ratings or claims is a service that leaves an audit record on the case, and the audit trail
    is indexed by time (a scan of `updated_at` of the cases, assignments, ratings and claims read 1.5 GB
    at 1,000,000 cases: 5 s). Rows written around the services (a data repair) wait for the nightly
    rebuild."""
    case_type = ContentType.objects.get_for_model(Case)
    touched = (
        AuditRecord.objects.filter(at__gte=since, target_type=case_type)
        .values_list("target_id", flat=True)
        .distinct()
    )
    ids = [int(pk) for pk in touched if pk.isdigit()]
    if not ids:
        return set()
    return set(Case.objects.filter(pk__in=ids).values_list("congress_id", flat=True).distinct())


def _state_row() -> None:
    try:
        with transaction.atomic():
            CaseStatsRefresh.objects.get_or_create(pk=STATE_ID)
    except IntegrityError:  # another refresh made it first
        pass


def rollup_refresh(*, full: bool = False) -> RefreshResult:
    """Bring the summary table up to date: the changed congresses, or all of them (`full`, or the first
    refresh of a day). Locks the state row for the whole refresh; one transaction."""
    started = time.perf_counter()
    _state_row()
    with transaction.atomic():
        state = CaseStatsRefresh.objects.select_for_update().get(pk=STATE_ID)
        now, today = clock.now(), clock.today()  # after the lock: what committed before is seen
        full = full or state.as_of is None or state.overdue_day != today
        if full or state.as_of is None:
            CaseStatsRollup.objects.all().delete()
            rows = _compute(None, today)
            congresses = len({row.congress_id for row in rows})
        else:
            changed = sorted(_changed_congresses(state.as_of - CHANGE_MARGIN))
            rows = []
            if changed:
                CaseStatsRollup.objects.filter(congress_id__in=changed).delete()
                rows = _compute(changed, today)
            congresses = len(changed)
        CaseStatsRollup.objects.bulk_create(rows, batch_size=2000)
        state.as_of = now
        if full:
            state.overdue_day = today
            state.full_at = now
        state.congresses = congresses
        state.seconds = round(time.perf_counter() - started, 3)
        state.save()
    return RefreshResult(full=full, congresses=congresses, rows=len(rows), seconds=state.seconds)


# --- reading -------------------------------------------------------------------------------------------------


def rollup_as_of(*, today: dt.date | None = None) -> dt.datetime | None:
    """The time of the summary table's figures, or None when it cannot serve today (never refreshed, no
    full refresh today, or older than `MAX_AGE`: the worker is down)."""
    state = CaseStatsRefresh.objects.filter(pk=STATE_ID).first()
    if state is None or state.as_of is None or state.overdue_day != (today or clock.today()):
        return None
    if clock.now() - state.as_of > MAX_AGE:
        return None
    return state.as_of


def _sums() -> dict:
    return {
        **{f: Sum(f) for f in COUNT_FIELDS},
        "value_donated": Sum("value_donated"),
    }


def _fill(row: StatsRow, r: dict) -> None:
    """Add a summed row of the table (without an answer class) to a row of the page."""
    row.cases += r["cases"]
    row.overdue += r["overdue"]
    row.answers_due += r["answers_due"]
    row.answered_on_time += r["answered_on_time"]
    row.assigned += r["parts_assigned"]
    row.answered += r["parts_answered"]
    row.answers_met += r["answers_met"]
    row.answers_implemented += r["answers_implemented"]
    row.unrated += r["closed_unrated"]
    for s in STATUSES:
        row.by_status[s] = row.by_status.get(s, 0) + r[f"status_{s}"]
    for v, name in RATING_FIELDS.items():
        row.by_rating[v] = row.by_rating.get(v, 0) + r[name]
        row.ratings += r[name]


def stats_from_rollup(
    actor, *, year: int | None = None, kind: str = "", congress_id: int | None = None
) -> Stats | None:
    """`stats.stats_live` read from the summary table, or None when the table cannot answer (the actor is
    not staff or an admin, or the table is not fresh)."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return None
    today = clock.today()
    as_of = rollup_as_of(today=today)
    if as_of is None:
        return None
    q = Q()
    if prefix:
        q &= Q(congress_id__in=congress_ids_under(actor, prefix))
    if year:
        q &= Q(year=year)
    if kind:
        q &= Q(kind=kind)
    if congress_id:
        q &= Q(congress_id=congress_id)
    table = CaseStatsRollup.objects.filter(q)

    # Four grouped reads: the figures per (congress, county) and per unit, each row with its kinds as
    # columns, and the answers per class. Grouping by kind and class as well returned 80,000 rows for an
    # admin at 1,000,000 cases, 1.2 s of Python to add up.
    kinds = {f"kind_{k}": Sum("cases", filter=Q(kind=k)) for k in KINDS}  # before "cases" is an aggregate
    cases_table = table.filter(unit__isnull=True)
    units_table = table.filter(unit__isnull=False)
    by_congress, by_county = _Rows(), _Rows(label=_county_names)
    for r in _grouped(
        cases_table.filter(answer_class="")
        .values("congress_id", "congress__name", "county")
        .annotate(**kinds, **_sums())
        .order_by()
    ):
        for row in (by_congress.get(r["congress_id"], r["congress__name"]), by_county.get(r["county"])):
            _fill(row, r)
            for k in KINDS:
                row.by_kind[k] = row.by_kind.get(k, 0) + (r[f"kind_{k}"] or 0)
            row.wishes_realised = (row.wishes_realised or 0) + r["wishes_realised"]
            row.value_donated = (row.value_donated or Decimal("0")) + (r["value_donated"] or Decimal("0"))
    for r in _grouped(
        cases_table.exclude(answer_class="")
        .values("congress_id", "county", "answer_class")
        .annotate(n=Sum("answers"))
        .order_by()
    ):
        for rows, key in ((by_congress, r["congress_id"]), (by_county, r["county"])):
            if key in rows.rows:
                found = rows.rows[key]
                found.by_class[r["answer_class"]] = found.by_class.get(r["answer_class"], 0) + r["n"]
                found.answers += r["n"]

    units: dict[int, StatsRow] = {}
    for r in _grouped(
        units_table.filter(answer_class="")
        .values("unit_id", "unit__name")
        .annotate(**kinds, **_sums())
        .order_by()
    ):
        unit_row = units[r["unit_id"]] = StatsRow(key=r["unit_id"], label=r["unit__name"])
        unit_row.by_status = dict.fromkeys(STATUSES, 0)
        unit_row.by_kind = {k: r[f"kind_{k}"] or 0 for k in KINDS}
        unit_row.wishes_realised = None
        unit_row.value_donated = None
        _fill(unit_row, r)
    for r in _grouped(
        units_table.exclude(answer_class="")
        .values("unit_id", "answer_class")
        .annotate(n=Sum("answers"))
        .order_by()
    ):
        if r["unit_id"] in units:
            found = units[r["unit_id"]]
            found.by_class[r["answer_class"]] = found.by_class.get(r["answer_class"], 0) + r["n"]
            found.answers += r["n"]
    by_unit = sorted((row for row in units.values() if row.cases), key=lambda r: (-r.cases, r.label))

    congresses, counties = by_congress.sorted(), by_county.sorted()
    total = StatsRow(key=None, label=_("Total"))
    for row in congresses:
        total.add(row)
    default_codes = R.rules_for(None).answer_class_codes
    codes = [*default_codes, *sorted(set(total.by_class) - set(default_codes))]
    for row in [total, *congresses, *counties, *by_unit]:
        row.shares = row.class_shares(codes)
    return Stats(
        total=total,
        by_congress=congresses,
        by_county=counties,
        by_unit=by_unit,
        class_codes=codes,
        today=today,
        as_of=as_of,
    )
