"""Statistics of cases per congress, per handling unit and per county, aggregated in the database.

Every figure is read from the cases the actor may see (`selectors.case_scope_for`) that have been filed
(`filed_at` set: a draft is the deputy's notebook, not a case of the congress), narrowed by the filters:
the year of filing, the kind and the congress. A handful of grouped queries per table, whatever the number
of cases.

The figures, precisely:

- **cases**: filed cases, counted by status and by kind. Per unit: the cases the unit has (or had) a part
  in, in any round and any role (主办, 协办, 分办), except a part reassigned away.
- **办复率** (on-time answer rate) = answered on time / answers due, where
  *answers due* are the first-round assignments that answer the case (lead unit or split handling, not
  reassigned away) whose answer deadline (`answer_due`) has passed (is before today) or that were answered,
  and *answered on time* are those of them whose `Answer.on_time` is true (answered on or before the
  deadline). A second answer after 不满意 does not count again.
- **满意率** (satisfaction rate, 含基本满意) = (满意 + 基本满意) / all ratings, every deputy's rating of every
  round counting once. Per unit: the ratings of the rounds in which the unit answered.
- **answer classes**: the share of each class (A–D by default, `rules.DEFAULTS`) among all answers given,
  every round counting.
- **overdue**: cases still waiting for an answer (status assigned) whose deadline is before today. Per unit:
  its live answering parts past their deadline.
- **wishes realised**: wishes whose confirmed claims cover their value (`realised_at` set); **value donated**:
  the sum of the amounts of confirmed claims (认领/认捐 delivered and confirmed). Not given per unit.

Rates are percentages rounded to one decimal (`Decimal("66.7")`), None when nothing is due or rated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.common import clock

from . import rules as R
from .models import Answer, Assignment, Case, Claim, Rating
from .selectors import case_scope_for

STATUSES = [s for s in Case.Status.values if s != Case.Status.DRAFT]
KINDS = list(Case.Kind.values)
RATING_VALUES = list(Rating.Value.values)
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT)
COUNTY_PREFIX_LENGTH = 6
HUNDRED = Decimal("100")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class StatsRow:
    """The figures of one congress, unit or county (or of everything: the total)."""

    key: object
    label: str
    cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    answers_due: int = 0
    answered_on_time: int = 0
    answers: int = 0
    by_class: dict[str, int] = field(default_factory=dict)
    ratings: int = 0
    by_rating: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    wishes_realised: int | None = 0
    value_donated: Decimal | None = Decimal("0")
    shares: list[Decimal | None] = field(default_factory=list)  # of the classes, in `Stats.class_codes` order

    @property
    def on_time_rate(self) -> Decimal | None:
        """办复率."""
        return rate(self.answered_on_time, self.answers_due)

    @property
    def satisfied(self) -> int:
        return self.by_rating.get(Rating.Value.SATISFIED, 0) + self.by_rating.get(
            Rating.Value.MOSTLY_SATISFIED, 0
        )

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 (含基本满意)."""
        return rate(self.satisfied, self.ratings)

    def class_share(self, code: str) -> Decimal | None:
        return rate(self.by_class.get(code, 0), self.answers)

    def class_shares(self, codes: list[str]) -> list[Decimal | None]:
        return [self.class_share(code) for code in codes]

    def statuses(self) -> list[int]:
        return [self.by_status.get(s, 0) for s in STATUSES]

    def kinds(self) -> list[int]:
        return [self.by_kind.get(k, 0) for k in KINDS]

    def add(self, other: StatsRow) -> None:
        """Add another row's counts (for a total over rows that do not overlap)."""
        self.cases += other.cases
        self.answers_due += other.answers_due
        self.answered_on_time += other.answered_on_time
        self.answers += other.answers
        self.ratings += other.ratings
        self.overdue += other.overdue
        self.wishes_realised = (self.wishes_realised or 0) + (other.wishes_realised or 0)
        self.value_donated = (self.value_donated or Decimal("0")) + (other.value_donated or Decimal("0"))
        for mine, theirs in (
            (self.by_status, other.by_status),
            (self.by_kind, other.by_kind),
            (self.by_class, other.by_class),
            (self.by_rating, other.by_rating),
        ):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value


@dataclass
class Stats:
    total: StatsRow
    by_congress: list[StatsRow]
    by_county: list[StatsRow]
    by_unit: list[StatsRow]
    class_codes: list[str]
    today: dt.date

    @property
    def class_labels(self) -> list[tuple[str, str]]:
        rules = R.rules_for(None)
        return [(code, rules.answer_class_label(code)) for code in self.class_codes]


# --- the cases the figures are read from -------------------------------------------------------------------


def stats_cases_for(
    actor, *, year: int | None = None, kind: str = "", congress_id: int | None = None
) -> QuerySet[Case]:
    """The filed cases the actor may see, filtered by the year of filing, the kind and the congress."""
    cases = case_scope_for(actor).filter(filed_at__isnull=False)
    if year:
        tz = timezone.get_current_timezone()
        start = dt.datetime(year, 1, 1, tzinfo=tz)
        end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
        cases = cases.filter(filed_at__gte=start, filed_at__lt=end)
    if kind:
        cases = cases.filter(kind=kind)
    if congress_id:
        cases = cases.filter(congress_id=congress_id)
    return cases


def stats_years_for(actor) -> list[int]:
    """The years in which the actor's cases were filed, newest first (for the year filter)."""
    dates = case_scope_for(actor).filter(filed_at__isnull=False).dates("filed_at", "year", order="DESC")
    years = [d.year for d in dates]
    this_year = clock.today().year
    return years if this_year in years else [this_year, *years]


# --- grouped queries -----------------------------------------------------------------------------------


def _case_counts(cases: QuerySet[Case], key, today: dt.date, *extra: str) -> list[dict]:
    """Cases by status and kind, overdue and realised, per value of `key` (an expression on Case)."""
    aggregates = {
        "n": Count("id"),
        "overdue": Count("id", filter=Q(status=Case.Status.ASSIGNED, answer_due__lt=today)),
        "realised": Count("id", filter=Q(kind=Case.Kind.WISH, realised_at__isnull=False)),
        **{f"s_{s}": Count("id", filter=Q(status=s)) for s in STATUSES},
        **{f"k_{k}": Count("id", filter=Q(kind=k)) for k in KINDS},
    }
    return list(cases.annotate(g=key).values("g", *extra).annotate(**aggregates).order_by())


def _due_counts(cases: QuerySet[Case], key, today: dt.date) -> dict:
    """办复率's denominator and numerator, per value of `key` (an expression on Assignment)."""
    due = (
        Assignment.objects.filter(case__in=cases.values("pk"), round=1, role__in=ANSWERING_ROLES)
        .exclude(status=Assignment.Status.REMOVED)
        .filter(Q(answer_due__lt=today) | Q(status=Assignment.Status.ANSWERED))
    )
    rows = (
        due.annotate(g=key)
        .values("g")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(answer__on_time=True)))
        .order_by()
    )
    return {r["g"]: (r["due"], r["on_time"]) for r in rows}


def _class_counts(cases: QuerySet[Case], key) -> dict:
    rows = (
        Answer.objects.filter(case__in=cases.values("pk"))
        .annotate(g=key)
        .values("g", "answer_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict = defaultdict(dict)
    for r in rows:
        counts[r["g"]][r["answer_class"]] = r["n"]
    return counts


def _rating_counts(cases: QuerySet[Case], key) -> dict:
    rows = (
        Rating.objects.filter(case__in=cases.values("pk"))
        .annotate(g=key)
        .values("g")
        .annotate(**{v: Count("id", filter=Q(value=v)) for v in RATING_VALUES})
        .order_by()
    )
    return {r["g"]: {v: r[v] for v in RATING_VALUES} for r in rows}


def _donations(cases: QuerySet[Case], key) -> dict:
    rows = (
        Claim.objects.filter(case__in=cases.values("pk"), status=Claim.Status.CONFIRMED)
        .annotate(g=key)
        .values("g")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["g"]: r["total"] or Decimal("0") for r in rows}


def _fill(row: StatsRow, counts: dict) -> StatsRow:
    row.cases = counts["n"]
    row.overdue = counts["overdue"]
    row.wishes_realised = counts["realised"]
    row.by_status = {s: counts[f"s_{s}"] for s in STATUSES}
    row.by_kind = {k: counts[f"k_{k}"] for k in KINDS}
    return row


def _rows_by_case_key(cases: QuerySet[Case], case_key: str, today: dt.date, labels) -> list[StatsRow]:
    """Rows for a dimension that is a property of the case (its congress, its county)."""
    if case_key == "county":
        on_case = Substr("place__code", 1, COUNTY_PREFIX_LENGTH)
        on_related = Substr("case__place__code", 1, COUNTY_PREFIX_LENGTH)
        on_answer = on_related
        extra: tuple[str, ...] = ()
    else:
        on_case, on_related, on_answer = F("congress_id"), F("case__congress_id"), F("case__congress_id")
        extra = ("congress__name",)
    rows = {}
    for counts in _case_counts(cases, on_case, today, *extra):
        row = StatsRow(key=counts["g"], label=counts.get("congress__name") or "")
        rows[counts["g"]] = _fill(row, counts)
    for key, (due, on_time) in _due_counts(cases, on_related, today).items():
        if key in rows:
            rows[key].answers_due, rows[key].answered_on_time = due, on_time
    for key, by_class in _class_counts(cases, on_answer).items():
        if key in rows:
            rows[key].by_class = by_class
            rows[key].answers = sum(by_class.values())
    for key, by_rating in _rating_counts(cases, on_related).items():
        if key in rows:
            rows[key].by_rating = by_rating
            rows[key].ratings = sum(by_rating.values())
    for key, total in _donations(cases, on_related).items():
        if key in rows:
            rows[key].value_donated = total
    if labels is not None:
        names = labels(list(rows))
        for key, row in rows.items():
            row.label = names.get(key, str(key))
    return sorted(rows.values(), key=lambda r: (-r.cases, str(r.label)))


def _county_names(codes: list[str]) -> dict[str, str]:
    """Names of the county-level places (or the city itself, for cases placed at the city level)."""
    from minsheng.places.models import Place

    return dict(Place.objects.filter(code__in=codes).values_list("code", "name"))


def _rows_by_unit(cases: QuerySet[Case], today: dt.date) -> list[StatsRow]:
    parts = Assignment.objects.filter(case__in=cases.values("pk")).exclude(status=Assignment.Status.REMOVED)
    due_q = Q(round=1, role__in=ANSWERING_ROLES) & (
        Q(answer_due__lt=today) | Q(status=Assignment.Status.ANSWERED)
    )
    aggregates = {
        "n": Count("case", distinct=True),
        "overdue": Count(
            "id", filter=Q(status__in=Assignment.LIVE, role__in=ANSWERING_ROLES, answer_due__lt=today)
        ),
        "due": Count("id", filter=due_q),
        "on_time": Count("id", filter=due_q & Q(answer__on_time=True)),
        **{f"s_{s}": Count("case", distinct=True, filter=Q(case__status=s)) for s in STATUSES},
        **{f"k_{k}": Count("case", distinct=True, filter=Q(case__kind=k)) for k in KINDS},
    }
    rows = {}
    for counts in parts.values("unit_id", "unit__name").annotate(**aggregates).order_by():
        row = StatsRow(key=counts["unit_id"], label=counts["unit__name"])
        _fill(row, {**counts, "realised": None})
        row.answers_due, row.answered_on_time = counts["due"], counts["on_time"]
        row.value_donated = None
        rows[row.key] = row
    for key, by_class in _class_counts(cases, F("assignment__unit_id")).items():
        if key in rows:
            rows[key].by_class = by_class
            rows[key].answers = sum(by_class.values())
    # A rating judges the answers of its round: it counts for every unit that answered in that round.
    rated = (
        parts.filter(role__in=ANSWERING_ROLES, status=Assignment.Status.ANSWERED)
        .values("unit_id")
        .annotate(
            **{
                v: Count("case__ratings", filter=Q(case__ratings__round=F("round"), case__ratings__value=v))
                for v in RATING_VALUES
            }
        )
        .order_by()
    )
    for r in rated:
        if r["unit_id"] in rows:
            rows[r["unit_id"]].by_rating = {v: r[v] for v in RATING_VALUES}
            rows[r["unit_id"]].ratings = sum(r[v] for v in RATING_VALUES)
    return sorted(rows.values(), key=lambda r: (-r.cases, r.label))


def stats_for(
    actor,
    *,
    year: int | None = None,
    kind: str = "",
    congress_id: int | None = None,
    today: dt.date | None = None,
) -> Stats:
    """Every table of the statistics page for the actor (see the module's docstring for the figures)."""
    today = today or clock.today()
    cases = stats_cases_for(actor, year=year, kind=kind, congress_id=congress_id)
    by_congress = _rows_by_case_key(cases, "congress", today, None)
    by_county = _rows_by_case_key(cases, "county", today, _county_names)
    by_unit = _rows_by_unit(cases, today)
    total = StatsRow(key=None, label=_("Total"))
    for row in by_congress:  # every case belongs to exactly one congress
        total.add(row)
    default_codes = R.rules_for(None).answer_class_codes
    codes = [*default_codes, *sorted(set(total.by_class) - set(default_codes))]
    for row in [total, *by_congress, *by_county, *by_unit]:
        row.shares = row.class_shares(codes)
    return Stats(
        total=total,
        by_congress=by_congress,
        by_county=by_county,
        by_unit=by_unit,
        class_codes=codes,
        today=today,
    )


def chart_data(stats: Stats) -> dict:
    """What the page's charts draw, as plain JSON (rendered with json_script, read by cases/stats/stats.js)."""

    def number(value):
        return None if value is None else float(value)

    total = stats.total
    return {
        "status": [
            {"name": str(Case.Status(s).label), "value": total.by_status.get(s, 0)}
            for s in STATUSES
            if total.by_status.get(s, 0)
        ],
        "kind": [{"name": str(Case.Kind(k).label), "value": total.by_kind.get(k, 0)} for k in KINDS],
        "classes": [
            {"name": f"{code} {label}", "value": total.by_class.get(code, 0)}
            for code, label in stats.class_labels
        ],
        "counties": {
            "names": [row.label for row in stats.by_county],
            "cases": [row.cases for row in stats.by_county],
            "overdue": [row.overdue for row in stats.by_county],
            "on_time_rate": [number(row.on_time_rate) for row in stats.by_county],
            "satisfaction_rate": [number(row.satisfaction_rate) for row in stats.by_county],
        },
        "labels": {
            "cases": _("Cases"),
            "overdue": _("Overdue"),
            "on_time_rate": _("On-time answer rate (%)"),
            "satisfaction_rate": _("Satisfaction rate (%)"),
            "rate_axis": _("Rate (%)"),
        },
    }
