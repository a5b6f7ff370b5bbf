"""Statistics of cases per congress, per handling unit and per county, aggregated in the database.

Every figure is read from the cases the actor may see (`cases.selectors.case_scope_for`) that have been filed
(`filed_at` set: a draft is the deputy's notebook, not a case of the congress), narrowed by the filters:
the year of filing, the kind and the congress. A handful of grouped queries per table, whatever the number
of cases.

The figures, precisely (as the offices report them; the page's legend and the export's "Definitions" sheet
say the same, from `definitions()`):

- **cases**: filed cases, counted by status and by kind. Per unit: the cases the unit has (or had) a part
  in, in any round and any role (主办, 协办, 分办), except a part reassigned away.
- A **part assigned** is a first-round assignment that answers the case (the lead unit, or each unit of a
  split handling — 分办 counts one per unit), not reassigned away (the unit it went to instead counts).
- **办复率** (answer rate) = parts answered / parts assigned: the parts with their written answer. A second
  answer after 不满意 does not count again.
- **按时办复率** (on-time answer rate) = answered on time / answers due: *answers due* are the parts assigned
  whose deadline (`answer_due`) has passed or that were answered, *answered on time* those of them whose
  `Answer.on_time` is true (on or before the deadline). The denominator is the answers due, not every part
  assigned, so that a case whose deadline is still ahead counts against no one; once every deadline of the
  year has passed (when the offices report) the two are the same.
- **满意率** (satisfaction rate) = (满意 + 基本满意) / rated cases, from each case's **final rating**: the lead
  deputy's rating of the case's last round (`Case.round`); a co-signer's rating is recorded but not counted,
  and a case handled again after 不满意 counts when its new answer is rated. Per unit: the final ratings of
  the cases the unit answered in that last round.
- **未反馈** (not rated): cases closed because the deputy did not rate the answer by the rating deadline
  (`Case.closed_unrated`). Per unit: those the unit answered in the last round.
- **见面率** (meeting rate) = answers preceded by a meeting with the deputies / answers: an answer whose
  unit recorded, on the same assignment and before answering, a contact of kind 见面 (`MEETING`) or 座谈
  (`FORUM`, a forum with the deputies is met face to face); a phone call does not count (`MET_KINDS`).
- **落实率** (implementation rate) = answers of the classes that count as 落实 / answers: A (resolved) and B
  (being resolved, or planned) by default, `implemented_classes` of the congress's rules (`rules.py`).
- **answer classes**: the share of each class (A–D by default, `rules.DEFAULTS`) among all answers given,
  every round counting (so are 见面率 and 落实率).
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

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.cases import rules as R
from minsheng.cases.models import Answer, Assignment, Case, Claim, ExtensionRequest, HandlingRecord, Rating
from minsheng.cases.selectors import case_scope_for, congress_ids_under
from minsheng.common import clock
from minsheng.congresses.models import Congress
from minsheng.places.models import Place

STATUSES = [s for s in Case.Status.values if s != Case.Status.DRAFT]
KINDS = list(Case.Kind.values)
RATING_VALUES = list(Rating.Value.values)
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SPLIT)
MET_KINDS = (HandlingRecord.Kind.MEETING, HandlingRecord.Kind.FORUM)  # 见面率: met the deputies
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
    assigned: int = 0  # parts assigned (first round, answering, not reassigned away)
    answered: int = 0  # of them, answered
    answers_met: int = 0  # answers preceded by a meeting with the deputies
    answers_implemented: int = 0  # answers of a class that counts as 落实
    unrated: int = 0  # 未反馈: closed, not rated by the deadline
    extensions: int = 0  # 延期 granted

    @property
    def answer_rate(self) -> Decimal | None:
        """办复率."""
        return rate(self.answered, self.assigned)

    @property
    def on_time_rate(self) -> Decimal | None:
        """按时办复率."""
        return rate(self.answered_on_time, self.answers_due)

    @property
    def meeting_rate(self) -> Decimal | None:
        """见面率."""
        return rate(self.answers_met, self.answers)

    @property
    def implemented_rate(self) -> Decimal | None:
        """落实率."""
        return rate(self.answers_implemented, self.answers)

    @property
    def satisfied(self) -> int:
        return self.by_rating.get(Rating.Value.SATISFIED, 0) + self.by_rating.get(
            Rating.Value.MOSTLY_SATISFIED, 0
        )

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 (含基本满意), over the cases with a final rating."""
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
        self.assigned += other.assigned
        self.answered += other.answered
        self.answers_met += other.answers_met
        self.answers_implemented += other.answers_implemented
        self.unrated += other.unrated
        self.extensions += other.extensions
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
    as_of: dt.datetime | None = None  # the time of the summary table's figures; None: computed now

    @property
    def class_labels(self) -> list[tuple[str, str]]:
        rules = R.rules_for(None)
        return [(code, rules.answer_class_label(code)) for code in self.class_codes]

    @property
    def definitions(self) -> list[tuple[str, str]]:
        return definitions()


def definitions() -> list[tuple[str, str]]:
    """The figures' definitions, as the page's legend and the export's sheet state them."""
    implemented = "、".join(R.rules_for(None).implemented_classes)
    return [
        (
            _("Answer rate (办复率)"),
            _(
                "Parts answered ÷ parts assigned. A part is a first-round assignment that answers the case: "
                "the lead unit, or each unit of a split handling; a part reassigned away does not count, the "
                "unit it went to does. A second answer after 不满意 does not count again."
            ),
        ),
        (
            _("On-time answer rate (按时办复率)"),
            _(
                "Parts answered by their deadline ÷ answers due (parts whose deadline has passed, or that "
                "were answered). Once every deadline has passed it is the share of all parts assigned."
            ),
        ),
        (
            _("Satisfaction rate (满意率)"),
            _(
                "Satisfied and mostly satisfied ÷ rated cases, from each case's final rating: the lead "
                "deputy's rating of the last round. Co-signers' ratings are recorded, not counted. Per unit: "
                "the cases the unit answered in that last round."
            ),
        ),
        (
            _("Not rated (未反馈)"),
            _(
                "Cases closed because the deputy did not rate the answer by the rating deadline (one month "
                "after the answer by default). They are not rated cases."
            ),
        ),
        (
            _("Meeting rate (见面率)"),
            _(
                "Answers preceded by a meeting with the deputies ÷ answers: before answering, the unit "
                "recorded a meeting or a forum with the deputies on its part of the case; a phone call does "
                "not count."
            ),
        ),
        (
            _("Implementation rate (落实率)"),
            _(
                "Answers of the classes that count as implemented (%(classes)s by default; each congress's "
                "rules may say otherwise) ÷ answers."
            )
            % {"classes": implemented},
        ),
        (
            _("Extensions granted (延期)"),
            _(
                "Extensions of the answer deadline that staff granted, counted by the unit that asked (a case "
                "may have several). Counted live from the requests, whatever the summary table's age."
            ),
        ),
        (
            _("Answers and classes"),
            _("Every answer given, in every round; the class shares are over them."),
        ),
        (
            _("Cases, year, overdue"),
            _(
                "Only filed cases count; the year is the year of filing. Overdue: cases assigned and not "
                "answered whose deadline is before today."
            ),
        ),
    ]


def implemented_classes_by_congress(congress_ids) -> dict[int, frozenset[str]]:
    """落实: the answer classes each congress counts as implemented (its `CaseRules`, else the defaults)."""
    congresses = Congress.objects.filter(pk__in=list(congress_ids)).select_related("case_rules")
    return {c.pk: frozenset(R.rules_for(c).implemented_classes) for c in congresses}


def met_before_answer() -> Exists:
    """An answer whose assignment recorded a meeting or forum with the deputies before the answer (见面)."""
    return Exists(
        HandlingRecord.objects.filter(
            assignment_id=OuterRef("assignment_id"),
            kind__in=MET_KINDS,
            recorded_at__lte=OuterRef("answered_at"),
        )
    )


def final_rating_q(via: str = "") -> Q:
    """The case's final rating: the lead deputy's, of the case's last round (on Rating: `via=""`)."""
    return Q(**{f"{via}deputy_id": F("case__lead_deputy_id"), f"{via}round": F("case__round")})


# --- the cases the figures are read from -------------------------------------------------------------------


def stats_cases_for(
    actor, *, year: int | None = None, kind: str = "", congress_id: int | None = None
) -> QuerySet[Case]:
    """The filed cases the actor may see, filtered by the year of filing, the kind and the congress."""
    return Case.objects.filter(_cases_q(actor, year=year, kind=kind, congress_id=congress_id))


def _cases_q(
    actor, *, year: int | None = None, kind: str = "", congress_id: int | None = None, via: str = ""
) -> Q:
    """`stats_cases_for` as a condition on Case (`via=""`) or on a model that points at a case
    (`via="case__"`). Staff and admins (who see statistics) get a plain condition on the case's columns, so
    each table is read with one join to its cases; any other scope goes through `case_scope_for`."""
    prefix = staff_scope_prefix(actor)
    if prefix == "":
        q = Q()
    elif prefix is not None:
        q = Q(**{f"{via}congress_id__in": congress_ids_under(actor, prefix)})
    else:
        q = Q(**{f"{via or 'pk__'}in": case_scope_for(actor).values("pk")})
    q &= Q(**{f"{via}filed_at__isnull": False})
    if year:
        tz = timezone.get_current_timezone()
        start = dt.datetime(year, 1, 1, tzinfo=tz)
        end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
        q &= Q(**{f"{via}filed_at__gte": start, f"{via}filed_at__lt": end})
    if kind:
        q &= Q(**{f"{via}kind": kind})
    if congress_id:
        q &= Q(**{f"{via}congress_id": congress_id})
    return q


def stats_years_for(actor) -> list[int]:
    """The years in which the actor's cases were filed, newest first (for the year filter).

    The first and the last year from the index on `filed_at`, then one look per year between them: a
    DISTINCT over the years of every case read all of a province's cases (400 ms at 1,000,000)."""
    filed = case_scope_for(actor).filter(filed_at__isnull=False)
    bounds = filed.aggregate(first=Min("filed_at"), last=Max("filed_at"))
    years = []
    if bounds["first"] is not None:
        tz = timezone.get_current_timezone()
        first, last = (
            timezone.localtime(bounds["first"], tz).year,
            timezone.localtime(bounds["last"], tz).year,
        )
        for year in range(last, first - 1, -1):
            start, end = dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)
            if year in (first, last) or filed.filter(filed_at__gte=start, filed_at__lt=end).exists():
                years.append(year)
    this_year = clock.today().year
    return years if this_year in years else [this_year, *years]


# --- grouped queries -----------------------------------------------------------------------------------
#
# Each table is read once, grouped by the finest keys the tables of the page need — the case's congress
# and county, and for the units' figures the unit — and the rows per congress, county and unit are sums of
# those groups. At 1,000,000 cases every query reads its whole table for an admin, so the number of passes
# is what the page costs (docs/BENCHMARKS.md, "Cases (issue 3)").


def _county(via: str = ""):
    return Substr(f"{via}place__code", 1, COUNTY_PREFIX_LENGTH)


class _Rows:
    """The rows of one table of the page (per congress, county or unit), made on first use."""

    def __init__(self, label=None):
        self.rows: dict = {}
        self.label = label

    def get(self, key, label: str = "") -> StatsRow:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = StatsRow(key=key, label=label)
        return row

    def sorted(self) -> list[StatsRow]:
        if self.label is not None:
            names = self.label(list(self.rows))
            for key, row in self.rows.items():
                row.label = names.get(key, str(key))
        return sorted(self.rows.values(), key=lambda r: (-r.cases, str(r.label)))


def _add_case_counts(counts: dict, row: StatsRow) -> None:
    row.cases += counts["n"]
    row.overdue += counts["overdue"]
    row.unrated += counts["unrated"]
    row.wishes_realised = (row.wishes_realised or 0) + counts["realised"]
    for s in STATUSES:
        row.by_status[s] = row.by_status.get(s, 0) + counts[f"s_{s}"]
    for k in KINDS:
        row.by_kind[k] = row.by_kind.get(k, 0) + counts[f"k_{k}"]


def _add(mapping: dict, key, value) -> None:
    mapping[key] = mapping.get(key, 0) + value


def _rows_by_congress_and_county(
    actor, filters: dict, today: dt.date
) -> tuple[_Rows, _Rows, dict[tuple, tuple[int, int]], dict[tuple, dict]]:
    """The rows per congress and per county; and, per (congress, county, unit), the answers due and on
    time and the answers by class, which the units' rows need too."""
    cases_q = _cases_q(actor, **filters)
    related_q = _cases_q(actor, **filters, via="case__")
    by_congress, by_county = _Rows(), _Rows(label=_county_names)
    aggregates = {
        "n": Count("id"),
        "overdue": Count("id", filter=Q(status=Case.Status.ASSIGNED, answer_due__lt=today)),
        "realised": Count("id", filter=Q(kind=Case.Kind.WISH, realised_at__isnull=False)),
        "unrated": Count("id", filter=Q(closed_unrated=True)),
        **{f"s_{s}": Count("id", filter=Q(status=s)) for s in STATUSES},
        **{f"k_{k}": Count("id", filter=Q(kind=k)) for k in KINDS},
    }
    groups = (
        Case.objects.filter(cases_q)
        .annotate(county=_county())
        .values("congress_id", "congress__name", "county")
        .annotate(**aggregates)
        .order_by()
    )
    for counts in groups:
        _add_case_counts(counts, by_congress.get(counts["congress_id"], counts["congress__name"]))
        _add_case_counts(counts, by_county.get(counts["county"]))

    # 办复率 and 按时办复率: first-round parts that answer the case (assigned, answered; due, on time).
    due_rows = (
        Assignment.objects.filter(related_q, round=1, role__in=ANSWERING_ROLES)
        .exclude(status=Assignment.Status.REMOVED)
        .annotate(congress=F("case__congress_id"), county=_county("case__"))
        .values("congress", "county", "unit_id")
        .annotate(**part_counts(today))
        .order_by()
    )
    due: dict[tuple, tuple[int, int, int, int]] = {}
    for r in due_rows:
        due[(r["congress"], r["county"], r["unit_id"])] = (
            r["assigned"],
            r["answered"],
            r["due"],
            r["on_time"],
        )
        for rows, key in ((by_congress, r["congress"]), (by_county, r["county"])):
            if key in rows.rows:
                _add_part_counts(rows.rows[key], r)

    # Answer classes, 见面率 and 落实率, every round counting.
    class_rows = list(
        Answer.objects.filter(related_q)
        .annotate(congress=F("case__congress_id"), county=_county("case__"), unit=F("assignment__unit_id"))
        .values("congress", "county", "unit", "answer_class")
        .annotate(n=Count("id"), met=Count("id", filter=met_before_answer()))
        .order_by()
    )
    implemented = implemented_classes_by_congress({r["congress"] for r in class_rows}) if class_rows else {}
    classes: dict[tuple, dict] = defaultdict(dict)
    for r in class_rows:
        done = r["n"] if r["answer_class"] in implemented.get(r["congress"], ()) else 0
        found = classes[(r["congress"], r["county"], r["unit"])]
        _add(found, r["answer_class"], r["n"])
        _add(found, MET, r["met"])
        _add(found, IMPLEMENTED, done)
        for rows, key in ((by_congress, r["congress"]), (by_county, r["county"])):
            if key in rows.rows:
                _add_answers(rows.rows[key], r["answer_class"], r["n"], r["met"], done)

    # 满意率: each case's final rating.
    rating_rows = (
        Rating.objects.filter(related_q, final_rating_q())
        .annotate(congress=F("case__congress_id"), county=_county("case__"))
        .values("congress", "county")
        .annotate(**{v: Count("id", filter=Q(value=v)) for v in RATING_VALUES})
        .order_by()
    )
    for r in rating_rows:
        for rows, key in ((by_congress, r["congress"]), (by_county, r["county"])):
            if key in rows.rows:
                row = rows.rows[key]
                for v in RATING_VALUES:
                    _add(row.by_rating, v, r[v])
                row.ratings += sum(r[v] for v in RATING_VALUES)

    # Value donated: confirmed claims.
    donation_rows = (
        Claim.objects.filter(related_q, status=Claim.Status.CONFIRMED)
        .annotate(congress=F("case__congress_id"), county=_county("case__"))
        .values("congress", "county")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for r in donation_rows:
        for rows, key in ((by_congress, r["congress"]), (by_county, r["county"])):
            if key in rows.rows:
                rows.rows[key].value_donated = (rows.rows[key].value_donated or Decimal("0")) + (
                    r["total"] or Decimal("0")
                )
    return by_congress, by_county, due, classes


# Keys of the per-(congress, county, unit) answer counts beside the classes (not class codes: a code is short).
MET, IMPLEMENTED = "__met__", "__implemented__"


def part_counts(today: dt.date) -> dict:
    """The counts of the first-round answering parts: 办复率's and 按时办复率's."""
    due = Q(answer_due__lt=today) | Q(status=Assignment.Status.ANSWERED)
    return {
        "assigned": Count("id"),
        "answered": Count("id", filter=Q(answer__isnull=False)),
        "due": Count("id", filter=due),
        "on_time": Count("id", filter=due & Q(answer__on_time=True)),
    }


def _add_part_counts(row: StatsRow, r: dict) -> None:
    row.assigned += r["assigned"]
    row.answered += r["answered"]
    row.answers_due += r["due"]
    row.answered_on_time += r["on_time"]


def _add_answers(row: StatsRow, code: str, n: int, met: int, implemented: int) -> None:
    _add(row.by_class, code, n)
    row.answers += n
    row.answers_met += met
    row.answers_implemented += implemented


def _county_names(codes: list[str]) -> dict[str, str]:
    """Names of the county-level places (or the city itself, for cases placed at the city level)."""
    return dict(Place.objects.filter(code__in=codes).values_list("code", "name"))


def _rows_by_unit(actor, filters: dict, today: dt.date, due: dict, classes: dict) -> list[StatsRow]:
    related_q = _cases_q(actor, **filters, via="case__")
    parts = Assignment.objects.filter(related_q).exclude(status=Assignment.Status.REMOVED)
    # The cases of a unit, counted once each, by status and kind: one distinct count per (unit, status,
    # kind); a case has one status and one kind, so the unit's cases are the sum of its groups.
    groups = (
        parts.values("unit_id", "unit__name", "case__status", "case__kind")
        .annotate(
            n=Count("case", distinct=True),
            overdue=Count(
                "id", filter=Q(status__in=Assignment.LIVE, role__in=ANSWERING_ROLES, answer_due__lt=today)
            ),
        )
        .order_by()
    )
    rows: dict = {}
    for g in groups:
        row = rows.get(g["unit_id"])
        if row is None:
            row = rows[g["unit_id"]] = StatsRow(key=g["unit_id"], label=g["unit__name"])
            row.by_status = dict.fromkeys(STATUSES, 0)
            row.by_kind = dict.fromkeys(KINDS, 0)
            row.wishes_realised = None
            row.value_donated = None
        row.cases += g["n"]
        row.overdue += g["overdue"]
        if g["case__status"] in row.by_status:
            row.by_status[g["case__status"]] += g["n"]
        if g["case__kind"] in row.by_kind:
            row.by_kind[g["case__kind"]] += g["n"]
    for (_congress, _county, unit), (n_assigned, n_answered, n_due, n_on_time) in due.items():
        if unit in rows:
            _add_part_counts(
                rows[unit],
                {"assigned": n_assigned, "answered": n_answered, "due": n_due, "on_time": n_on_time},
            )
    for (_congress, _county, unit), by_class in classes.items():
        if unit in rows:
            for code, n in by_class.items():
                if code not in (MET, IMPLEMENTED):
                    _add_answers(rows[unit], code, n, 0, 0)
            rows[unit].answers_met += by_class.get(MET, 0)
            rows[unit].answers_implemented += by_class.get(IMPLEMENTED, 0)
    # A case's final rating judges the answers of its last round: it counts for every unit that answered in it.
    rated = final_round_parts(parts).values("unit_id").annotate(**final_rating_counts()).order_by()
    for r in rated:
        if r["unit_id"] in rows:
            rows[r["unit_id"]].by_rating = {v: r[v] for v in RATING_VALUES}
            rows[r["unit_id"]].ratings = sum(r[v] for v in RATING_VALUES)
            rows[r["unit_id"]].unrated = r["unrated"]
    return sorted(rows.values(), key=lambda r: (-r.cases, r.label))


def final_round_parts(parts: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """The answering parts answered in their case's last round (those its final rating judges)."""
    return parts.filter(role__in=ANSWERING_ROLES, status=Assignment.Status.ANSWERED, round=F("case__round"))


def final_rating_counts() -> dict:
    """Per unit: the final ratings (by value) of the cases of its final-round parts, and those 未反馈."""
    final = Q(case__ratings__round=F("round"), case__ratings__deputy_id=F("case__lead_deputy_id"))
    return {
        **{v: Count("case__ratings", filter=final & Q(case__ratings__value=v)) for v in RATING_VALUES},
        "unrated": Count("id", distinct=True, filter=Q(case__closed_unrated=True)),
    }


def add_extension_counts(
    stats: Stats, actor, *, year: int | None = None, kind: str = "", congress_id: int | None = None
) -> None:
    """延期 granted, per congress, county and unit and in all, of the same cases as the rest of the page. Read
    live in one grouped query: extension requests are few (a few per thousand parts)."""
    q = _cases_q(actor, year=year, kind=kind, congress_id=congress_id, via="assignment__case__")
    grouped = (
        ExtensionRequest.objects.filter(q, decision=ExtensionRequest.Decision.GRANTED)
        .values("assignment__case__congress_id", "assignment__unit_id", county=_county("assignment__case__"))
        .annotate(n=Count("id"))
        .order_by()
    )
    congresses = {row.key: row for row in stats.by_congress}
    counties = {row.key: row for row in stats.by_county}
    units = {row.key: row for row in stats.by_unit}
    stats.total.extensions = 0
    for table in (congresses, counties, units):
        for row in table.values():
            row.extensions = 0
    for g in grouped:
        stats.total.extensions += g["n"]
        for table, key in (
            (congresses, g["assignment__case__congress_id"]),
            (counties, g["county"]),
            (units, g["assignment__unit_id"]),
        ):
            if key in table:
                table[key].extensions += g["n"]


def stats_for(
    actor,
    *,
    year: int | None = None,
    kind: str = "",
    congress_id: int | None = None,
    today: dt.date | None = None,
) -> Stats:
    """Every table of the statistics page for the actor: from the summary table (`rollup.py`) when it can
    answer, else computed now (`stats_live`)."""
    if today is None:
        from .rollup import stats_from_rollup

        figures = stats_from_rollup(actor, year=year, kind=kind, congress_id=congress_id)
        if figures is not None:
            add_extension_counts(figures, actor, year=year, kind=kind, congress_id=congress_id)
            return figures
    return stats_live(actor, year=year, kind=kind, congress_id=congress_id, today=today)


def stats_live(
    actor,
    *,
    year: int | None = None,
    kind: str = "",
    congress_id: int | None = None,
    today: dt.date | None = None,
) -> Stats:
    """Every table of the statistics page for the actor, computed from the cases now (see the module's
    docstring for the figures)."""
    today = today or clock.today()
    filters = {"year": year, "kind": kind, "congress_id": congress_id}
    congresses, counties, due, classes = _rows_by_congress_and_county(actor, filters, today)
    by_congress, by_county = congresses.sorted(), counties.sorted()
    by_unit = _rows_by_unit(actor, filters, today, due, classes)
    total = StatsRow(key=None, label=_("Total"))
    for row in by_congress:  # every case belongs to exactly one congress
        total.add(row)
    default_codes = R.rules_for(None).answer_class_codes
    codes = [*default_codes, *sorted(set(total.by_class) - set(default_codes))]
    for row in [total, *by_congress, *by_county, *by_unit]:
        row.shares = row.class_shares(codes)
    figures = Stats(
        total=total,
        by_congress=by_congress,
        by_county=by_county,
        by_unit=by_unit,
        class_codes=codes,
        today=today,
    )
    add_extension_counts(figures, actor, **filters)
    return figures


def chart_data(stats: Stats) -> dict:
    """What the page's charts draw, as plain JSON (rendered with json_script, read by insights/stats/stats.js)."""

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
