"""The duty record (履职档案) of a deputy, built from the wings' data and never typed twice, and its summary
table (`DutySummary`), which the worker keeps so that the record page reads a deputy's few rows.

What counts, and from where (each a *duty item*: one deputy, one kind, one thing, one congress, one day):

* `session` — sessions attended: the data has no attendance register of a congress's sessions; what it knows
  is the electors of the votes (`voting.Elector`) held at a session (`VoteSession.session`), checked in or
  voted (`voting.models.ELECTOR_PRESENT`). A session with several votes counts once. A session without a vote
  is not known, and is not claimed.
* `suggestion_led`, `wish_led`, `micro_project_led` — the cases the deputy leads (`Case.lead_deputy`), filed and
  neither refused nor withdrawn; `suggestion_priority` — those of them that are 重点督办 (`Case.is_priority`).
* `…_cosigned` — the cases the deputy co-signed (`Cosigner`, confirmed), unless he or she also leads them
  (a case both led and co-signed by the same person counts as led).
* `reception` — the receptions (`activities.Reception.deputies`) the deputy received at (one per reception).
* `activity_<code>` — the activities the deputy was present at (`Participation`, status present; the
  activity not cancelled), by the kind's code; training is `training_full` or `training_part`
  (`Participation.in_full`) and the report to voters (述职) is `report`.
* `leave` — the activities the deputy was excused from (请假, with the reason).
* `award` — the awards staff keep (`insights.DutyAward`), not withdrawn.

A deputy is one person with any number of seats: every item is the person's, and belongs to ONE congress (the
case's, the activity's organiser, the reception's station's, the vote's, the award's), so a deputy with seats
at two levels sees each activity, reception and case once. Years are local years of the item's day.

`refresh_duty_summaries(deputy_ids=None, year=None)` rewrites the summary rows of those deputies (all: None)
and that year (all: None); the record page's "refresh" button runs it for one deputy. The worker keeps the
table up to date with `duty_summaries_update()`: every 10 minutes the deputies whose duties changed since
the last run (`changed_deputies`, by the rows' own times; job `tasks.refresh_duty_summaries`), nightly every
deputy (`full=True`, job `tasks.rebuild_duty_summaries`, which also counts deleted rows).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from minsheng.activities.models import Activity, ActivityKind, Participation, Reception
from minsheng.cases.models import Answer, Case, Cosigner, Rating
from minsheng.common import clock
from minsheng.deputies.models import Deputy, Seat
from minsheng.voting.models import ELECTOR_PRESENT, Elector

from .models import DutyAward, DutySummary, DutySummaryRefresh

ACTIVITY_CODES = [c for c in ActivityKind.Code.values if c not in ("training", "report")]

# Every kind of duty, in the order of the record and the points scheme.
KINDS: dict[str, object] = {
    "session": _("Sessions attended (votes at a session)"),
    "suggestion_led": _("Suggestions led"),
    "suggestion_priority": _("Priority-supervised suggestions led (bonus)"),
    "suggestion_cosigned": _("Suggestions co-signed"),
    "wish_led": _("Micro-wishes led"),
    "wish_cosigned": _("Micro-wishes co-signed"),
    "micro_project_led": _("Micro-projects led"),
    "micro_project_cosigned": _("Micro-projects co-signed"),
    "reception": _("Receptions of citizens"),
    **{f"activity_{code}": ActivityKind.Code(code).label for code in ACTIVITY_CODES},
    "training_full": _("Training attended in full"),
    "training_part": _("Training attended in part"),
    "report": _("Reports to voters"),
    "award": _("Awards"),
    "leave": _("Leave from activities"),
}
COUNTED_CASE_Q = Q(filed_at__isnull=False) & ~Q(status__in=[Case.Status.REFUSED, Case.Status.WITHDRAWN])
BATCH = 2000  # deputies per batch of a refresh


@dataclass(frozen=True)
class DutyItem:
    deputy_id: int
    kind: str
    key: tuple  # the thing itself: ("case", id), ("activity", id), ("reception", id), ("session", id), …
    congress_id: int
    region_prefix: str  # of the item's congress
    day: dt.date


def _local_day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _bounds(year: int | None, until: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) in local time of the year (and no later than the end of `until`)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz) if year else None
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz) if year else None
    if until is not None:
        cut = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        end = cut if end is None else min(end, cut)
    return start, end


def _range_q(field: str, start, end, *, dates: bool = False) -> Q:
    q = Q()
    if start is not None:
        q &= Q(**{f"{field}__gte": start.date() if dates else start})
    if end is not None:
        q &= Q(**{f"{field}__lt": end.date() if dates else end})
    return q


def _in(field: str, deputy_ids: list[int] | None) -> Q:
    return Q() if deputy_ids is None else Q(**{f"{field}__in": deputy_ids})


def duty_items(
    deputy_ids: list[int] | None, *, year: int | None = None, until: dt.date | None = None
) -> list[DutyItem]:
    """Every duty item of these deputies (None: all) in the year (None: every year), up to `until` — each
    thing once per deputy (see the module's docstring)."""
    start, end = _bounds(year, until)
    items: list[DutyItem] = []
    led: set[tuple[int, int]] = set()
    for case_id, deputy_id, kind, priority, congress_id, prefix, filed_at in (
        Case.objects.filter(
            COUNTED_CASE_Q, _in("lead_deputy_id", deputy_ids), _range_q("filed_at", start, end)
        )
        .values_list(
            "id",
            "lead_deputy_id",
            "kind",
            "is_priority",
            "congress_id",
            "congress__region_prefix",
            "filed_at",
        )
        .order_by()
    ):
        day = _local_day(filed_at)
        led.add((deputy_id, case_id))
        items.append(DutyItem(deputy_id, f"{kind}_led", ("case", case_id), congress_id, prefix, day))
        if priority and kind == Case.Kind.SUGGESTION:
            items.append(
                DutyItem(deputy_id, "suggestion_priority", ("case", case_id), congress_id, prefix, day)
            )
    for case_id, deputy_id, kind, congress_id, prefix, filed_at in (
        Cosigner.objects.filter(
            _in("deputy_id", deputy_ids),
            _range_q("case__filed_at", start, end),
            Q(case__filed_at__isnull=False),
            status=Cosigner.Status.CONFIRMED,
        )
        .exclude(case__status__in=[Case.Status.REFUSED, Case.Status.WITHDRAWN])
        .values_list(
            "case_id",
            "deputy_id",
            "case__kind",
            "case__congress_id",
            "case__congress__region_prefix",
            "case__filed_at",
        )
        .order_by()
    ):
        if (deputy_id, case_id) in led:
            continue  # led and co-signed by the same person: counted as led
        items.append(
            DutyItem(
                deputy_id, f"{kind}_cosigned", ("case", case_id), congress_id, prefix, _local_day(filed_at)
            )
        )
    through = Reception.deputies.through
    for reception_id, deputy_id, congress_id, prefix, received_at in (
        through.objects.filter(_in("deputy_id", deputy_ids), _range_q("reception__received_at", start, end))
        .values_list(
            "reception_id",
            "deputy_id",
            "reception__station__congress_id",
            "reception__station__congress__region_prefix",
            "reception__received_at",
        )
        .distinct()
        .order_by()
    ):
        items.append(
            DutyItem(
                deputy_id,
                "reception",
                ("reception", reception_id),
                congress_id,
                prefix,
                _local_day(received_at),
            )
        )
    for activity_id, deputy_id, code, status, in_full, congress_id, prefix, starts_at in (
        Participation.objects.filter(
            _in("deputy_id", deputy_ids),
            _range_q("activity__starts_at", start, end),
            status__in=[Participation.Status.PRESENT, Participation.Status.LEAVE],
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .values_list(
            "activity_id",
            "deputy_id",
            "activity__kind__code",
            "status",
            "in_full",
            "activity__congress_id",
            "activity__congress__region_prefix",
            "activity__starts_at",
        )
        .order_by()
    ):
        if status == Participation.Status.LEAVE:
            kind = "leave"
        elif code == ActivityKind.Code.TRAINING:
            kind = "training_full" if in_full else "training_part"
        elif code == ActivityKind.Code.REPORT:
            kind = "report"
        else:
            kind = f"activity_{code}"
        items.append(
            DutyItem(deputy_id, kind, ("activity", activity_id), congress_id, prefix, _local_day(starts_at))
        )
    for deputy_id, session_id, congress_id, prefix, day in (
        Elector.objects.filter(
            ELECTOR_PRESENT,
            _in("deputy_id", deputy_ids),
            _range_q("vote__session__start_date", start, end, dates=True),
        )
        .values_list(
            "deputy_id",
            "vote__session_id",
            "vote__congress_id",
            "vote__congress__region_prefix",
            "vote__session__start_date",
        )
        .distinct()
        .order_by()
    ):
        items.append(DutyItem(deputy_id, "session", ("session", session_id), congress_id, prefix, day))
    for award_id, deputy_id, congress_id, prefix, day in (
        DutyAward.objects.filter(
            _in("deputy_id", deputy_ids),
            _range_q("awarded_on", start, end, dates=True),
            withdrawn_at__isnull=True,
        )
        .values_list("id", "deputy_id", "congress_id", "congress__region_prefix", "awarded_on")
        .order_by()
    ):
        items.append(DutyItem(deputy_id, "award", ("award", award_id), congress_id, prefix, day))
    return _once(items)


def _once(items: Iterable[DutyItem]) -> list[DutyItem]:
    """Each (deputy, kind, thing) once, whatever the queries' joins gave."""
    seen: set[tuple] = set()
    out = []
    for item in items:
        mark = (item.deputy_id, item.kind, item.key)
        if mark not in seen:
            seen.add(mark)
            out.append(item)
    return out


def count_items(items: Iterable[DutyItem]) -> Counter:
    return Counter(item.kind for item in items)


# --- the summary table ----------------------------------------------------------------------------------


def _batches(deputy_ids: list[int] | None) -> Iterator[list[int]]:
    if deputy_ids is not None:
        ids = sorted(set(deputy_ids))
    else:
        ids = list(Deputy.objects.order_by("id").values_list("id", flat=True))
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def refresh_duty_summaries(deputy_ids: list[int] | None = None, year: int | None = None) -> int:
    """Rewrite the duty summary rows of these deputies (None: every deputy) for the year (None: every year),
    from the data as it is now; one transaction per batch of deputies. Returns the number of rows written."""
    written = 0
    for ids in _batches(deputy_ids):
        cells: dict[tuple[int, int, int], Counter] = defaultdict(Counter)
        for item in duty_items(ids, year=year):
            cells[(item.deputy_id, item.day.year, item.congress_id)][item.kind] += 1
        now = clock.now()
        rows = [
            DutySummary(deputy_id=d, year=y, congress_id=c, counts=dict(counts), refreshed_at=now)
            for (d, y, c), counts in cells.items()
        ]
        with transaction.atomic():
            old = DutySummary.objects.filter(deputy_id__in=ids)
            if year is not None:
                old = old.filter(year=year)
            old.delete()
            DutySummary.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


# --- keeping the summary table up to date (the worker) ------------------------------------------------------

STATE_ID = 1
# Changes are looked for from the previous refresh's start less this margin (transactions that committed late).
CHANGE_MARGIN = dt.timedelta(minutes=10)


def changed_deputies(since: dt.datetime) -> set[int]:
    """The deputies whose duty items may have changed since `since`, read off the rows' own times: cases
    changed (their lead deputies and co-signers), co-signings asked or answered, receptions changed (their
    deputies), participations changed or of an activity changed (cancelled, moved), electors checked in or of
    a vote changed, awards given, edited or withdrawn. A row deleted leaves no time: the nightly full rewrite
    counts it."""
    ids: set[int] = set()
    cases = Case.objects.filter(updated_at__gte=since)
    ids.update(cases.exclude(lead_deputy_id=None).values_list("lead_deputy_id", flat=True).order_by())
    ids.update(Cosigner.objects.filter(case__in=cases).values_list("deputy_id", flat=True).order_by())
    ids.update(
        Cosigner.objects.filter(Q(added_at__gte=since) | Q(responded_at__gte=since))
        .values_list("deputy_id", flat=True)
        .order_by()
    )
    ids.update(
        Reception.deputies.through.objects.filter(reception__updated_at__gte=since)
        .values_list("deputy_id", flat=True)
        .order_by()
    )
    ids.update(
        Participation.objects.filter(updated_at__gte=since).values_list("deputy_id", flat=True).order_by()
    )
    ids.update(
        Participation.objects.filter(activity__in=Activity.objects.filter(updated_at__gte=since).values("id"))
        .values_list("deputy_id", flat=True)
        .order_by()
    )
    ids.update(
        Elector.objects.filter(Q(checked_in_at__gte=since) | Q(vote__updated_at__gte=since))
        .exclude(deputy_id=None)
        .values_list("deputy_id", flat=True)
        .order_by()
    )
    ids.update(
        DutyAward.objects.filter(
            Q(created_at__gte=since) | Q(updated_at__gte=since) | Q(withdrawn_at__gte=since)
        )
        .values_list("deputy_id", flat=True)
        .order_by()
    )
    return ids


@dataclass
class DutyRefresh:
    full: bool
    deputies: int  # refreshed (0 on a full rewrite: every one)
    rows: int
    seconds: float


def _state_row() -> None:
    try:
        with transaction.atomic():
            DutySummaryRefresh.objects.get_or_create(pk=STATE_ID)
    except IntegrityError:  # another refresh made it first
        pass


def duty_summaries_update(*, full: bool = False) -> DutyRefresh:
    """Bring the summary table up to date: rewrite the rows of the deputies whose duties changed since the
    previous refresh began (`changed_deputies`), or of every deputy and year (`full`, the nightly job, and
    the first refresh ever). Under a lock on the state row, so two refreshes never interleave; one
    transaction, so a refresh that dies leaves the table as it was."""
    started = time.perf_counter()
    _state_row()
    with transaction.atomic():
        state = DutySummaryRefresh.objects.select_for_update().get(pk=STATE_ID)
        now = clock.now()  # after the lock: what committed before is seen
        full = full or state.as_of is None
        if full:
            deputies = 0
            rows = refresh_duty_summaries(None, None)
            state.full_at = now
        else:
            changed = sorted(changed_deputies(state.as_of - CHANGE_MARGIN))
            deputies = len(changed)
            rows = refresh_duty_summaries(changed, None) if changed else 0
        state.as_of = now
        state.deputies = deputies
        state.seconds = round(time.perf_counter() - started, 3)
        state.save()
    return DutyRefresh(full=full, deputies=deputies, rows=rows, seconds=state.seconds)


def summary_counts(
    deputy: Deputy, *, year: int | None, congress_id: int | None
) -> tuple[Counter, dt.datetime | None]:
    """The deputy's counts per kind from the summary table, and when they were counted (None: no rows yet)."""
    rows = DutySummary.objects.filter(deputy=deputy)
    if year:
        rows = rows.filter(year=year)
    if congress_id:
        rows = rows.filter(congress_id=congress_id)
    total: Counter = Counter()
    as_of = None
    for counts, refreshed_at in rows.values_list("counts", "refreshed_at"):
        total.update(counts)
        as_of = refreshed_at if as_of is None else min(as_of, refreshed_at)
    return total, as_of


def as_int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def record_filters(params) -> dict:
    """?year= (a year between 2000 and next year; else none) and ?congress= (an id)."""
    year = as_int(params.get("year"))
    if year is not None and not 2000 <= year <= clock.today().year + 1:
        year = None
    return {"year": year, "congress_id": as_int(params.get("congress"))}


# --- the record --------------------------------------------------------------------------------------------


LIST_LIMIT = 20  # rows per list on the page (the latest); the counts are of all


def _final(case_ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The latest answer class and the final rating (the lead deputy's, last round) of each case."""
    classes: dict[int, str] = {}
    for case_id, answer_class in (
        Answer.objects.filter(case_id__in=case_ids)
        .order_by("round", "answered_at")
        .values_list("case_id", "answer_class")
    ):
        classes[case_id] = answer_class
    ratings: dict[int, str] = {}
    labels = dict(Rating.Value.choices)
    for case_id, value, deputy_id, lead_id, rnd, case_round in Rating.objects.filter(
        case_id__in=case_ids
    ).values_list("case_id", "value", "deputy_id", "case__lead_deputy_id", "round", "case__round"):
        if deputy_id == lead_id and rnd == case_round:
            ratings[case_id] = str(labels.get(value, value))
    return classes, ratings


def _case_rows(cases, *, public: bool) -> list[dict]:
    cases = list(cases[:LIST_LIMIT])
    classes, ratings = _final([c["id"] for c in cases])
    statuses = dict(Case.Status.choices)
    kinds = dict(Case.Kind.choices)
    rows = []
    for c in cases:
        row = {
            "kind": kinds.get(c["kind"], c["kind"]),
            "congress": c["congress__name"],
            "filed_on": _local_day(c["filed_at"]),
            "status": statuses.get(c["status"], c["status"]),
            "answer_class": classes.get(c["id"], ""),
            "rating": ratings.get(c["id"], ""),
            "is_priority": c["is_priority"],
        }
        if public:
            row["title"] = c["public_summary"]  # never the title: it may name a family
        else:
            row.update(id=c["id"], number=c["number"], title=c["title"])
        rows.append(row)
    return rows


CASE_FIELDS = (
    "id",
    "number",
    "title",
    "public_summary",
    "kind",
    "status",
    "is_priority",
    "filed_at",
    "congress__name",
)


def duty_record(
    deputy: Deputy, *, year: int | None = None, congress_id: int | None = None, public: bool = False
) -> dict:
    """The duty record of a deputy: profile and seats, counts per kind (from the summary table; live when the
    deputy has no summary rows yet), and the lists behind them (the latest `LIST_LIMIT` of each). `public`:
    the version the law requires published — no ID number, mobile or birth date, no case titles (their public
    summaries only), no visitors, no reasons for leave (counts only)."""
    seats = list(
        Seat.objects.filter(deputy=deputy)
        .select_related("congress", "term")
        .order_by("congress__region_prefix", "-term__number")
    )
    counts, as_of = summary_counts(deputy, year=year, congress_id=congress_id)
    live = as_of is None
    if live:
        items = duty_items([deputy.pk], year=year)
        if congress_id:
            items = [i for i in items if i.congress_id == congress_id]
        counts = count_items(items)
    start, end = _bounds(year, None)
    cq = Q(congress_id=congress_id) if congress_id else Q()
    led = (
        Case.objects.filter(COUNTED_CASE_Q, cq, _range_q("filed_at", start, end), lead_deputy=deputy)
        .order_by("-filed_at", "-id")
        .values(*CASE_FIELDS)
    )
    cosigned = (
        Case.objects.filter(
            COUNTED_CASE_Q,
            cq,
            _range_q("filed_at", start, end),
            cosigner_links__deputy=deputy,
            cosigner_links__status=Cosigner.Status.CONFIRMED,
        )
        .exclude(lead_deputy=deputy)
        .order_by("-filed_at", "-id")
        .values(*CASE_FIELDS)
    )
    if public:
        led = led.exclude(public_summary="")
        cosigned = cosigned.exclude(public_summary="")
    receptions = [
        {"day": _local_day(r["received_at"]), "station": r["station__name"], "visitors": r["visitor_count"]}
        for r in Reception.objects.filter(
            _range_q("received_at", start, end),
            Q(station__congress_id=congress_id) if congress_id else Q(),
            deputies=deputy,
        )
        .order_by("-received_at", "-id")
        .values("received_at", "station__name", "visitor_count")[:LIST_LIMIT]
    ]
    parts = (
        Participation.objects.filter(
            _range_q("activity__starts_at", start, end),
            Q(activity__congress_id=congress_id) if congress_id else Q(),
            deputy=deputy,
            status__in=[Participation.Status.PRESENT, Participation.Status.LEAVE],
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .order_by("-activity__starts_at", "-id")
        .values(
            "status",
            "in_full",
            "leave_reason",
            "activity__title",
            "activity__kind__name",
            "activity__kind__code",
            "activity__starts_at",
            "activity__congress__name",
        )[: LIST_LIMIT * 2]
    )
    activities, leave = [], []
    for p in parts:
        row = {
            "day": _local_day(p["activity__starts_at"]),
            "title": p["activity__title"],
            "kind": p["activity__kind__name"],
            "code": p["activity__kind__code"],
            "congress": p["activity__congress__name"],
            "in_full": p["in_full"],
        }
        if p["status"] == Participation.Status.LEAVE:
            if not public:
                leave.append({**row, "reason": p["leave_reason"]})
        else:
            activities.append(row)
    sessions = [
        {
            "session": gettext("%(congress)s, term %(term)s, session %(number)s")
            % {
                "congress": e["vote__congress__name"],
                "term": e["vote__session__term__number"],
                "number": e["vote__session__number"],
            },
            "day": e["vote__session__start_date"],
        }
        for e in Elector.objects.filter(
            ELECTOR_PRESENT,
            _range_q("vote__session__start_date", start, end, dates=True),
            Q(vote__congress_id=congress_id) if congress_id else Q(),
            deputy=deputy,
        )
        .values(
            "vote__session_id",
            "vote__congress__name",
            "vote__session__term__number",
            "vote__session__number",
            "vote__session__start_date",
        )
        .distinct()
        .order_by("-vote__session__start_date")[:LIST_LIMIT]
    ]
    awards = list(
        DutyAward.objects.filter(
            _range_q("awarded_on", start, end, dates=True),
            Q(congress_id=congress_id) if congress_id else Q(),
            deputy=deputy,
            withdrawn_at__isnull=True,
        ).values("id", "title", "awarded_on", "awarded_by")[:LIST_LIMIT]
    )
    return {
        "deputy": deputy,
        "public": public,
        "year": year,
        "congress_id": congress_id,
        "seats": seats,
        "congresses": sorted({s.congress for s in seats}, key=lambda c: c.region_prefix),
        "counts": [{"kind": k, "label": KINDS[k], "count": counts.get(k, 0)} for k in KINDS],
        "count": dict(counts),
        "as_of": as_of,
        "live": live,
        "led": _case_rows(led, public=public),
        "cosigned": _case_rows(cosigned, public=public),
        "receptions": receptions,
        "activities": activities[:LIST_LIMIT],
        "leave": leave[:LIST_LIMIT],
        "sessions": sessions,
        "awards": awards,
    }


# How long a deputy's record is kept in the cache: its key changes whenever the deputy's summary rows are
# rewritten (the worker rewrites them within 10 minutes of a change), so this only bounds the cache's size.
RECORD_SECONDS = 6 * 3600


def record_version(deputy: Deputy) -> str | None:
    """What a cached record of the deputy is valid for, in one query: the number and latest time of the
    deputy's summary rows, of the deputy's seats, and the deputy's own last change (None: no summary rows,
    the record is counted live and not cached)."""

    def latest(model, field: str, agg):
        rows = model.objects.filter(deputy=OuterRef("pk")).order_by().values("deputy")
        return Subquery(rows.annotate(v=agg(field)).values("v")[:1])

    got = (
        Deputy.objects.filter(pk=deputy.pk)
        .annotate(
            v_rows=latest(DutySummary, "id", Count),
            v_counted=latest(DutySummary, "refreshed_at", Max),
            v_seats=latest(Seat, "id", Count),
            v_seated=latest(Seat, "updated_at", Max),
        )
        .values_list("v_rows", "v_counted", "v_seats", "v_seated", "updated_at")
        .first()
    )
    if got is None or not got[0]:
        return None
    rows, counted, seats, seated, changed = got
    stamp = [f"{t.timestamp()}" if t else "-" for t in (counted, seated, changed)]
    return f"{rows}:{seats or 0}:{':'.join(stamp)}"


def duty_record_as_of(
    deputy: Deputy, *, year: int | None = None, congress_id: int | None = None, public: bool = False
) -> dict:
    """`duty_record`, read from the cache while the deputy's summary rows are those it was built from: the
    counts and the lists behind them are then of one moment, the summary's (the page says "as of"); the
    worker's next refresh of the deputy (or the page's "recount") changes the rows and so the key. Per
    language, as the record holds translated labels."""
    version = record_version(deputy)
    if version is None:
        return duty_record(deputy, year=year, congress_id=congress_id, public=public)
    key = (
        f"insights:record:{deputy.pk}:{int(public)}:{year or 0}:{congress_id or 0}:{get_language()}:{version}"
    )
    record = cache.get(key)
    if record is None:
        record = duty_record(deputy, year=year, congress_id=congress_id, public=public)
        cache.set(key, record, RECORD_SECONDS)
    return record
