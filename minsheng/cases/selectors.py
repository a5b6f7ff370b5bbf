"""Reads of cases, always scoped to the caller: what a user may not see does not exist for them (404)."""

import datetime as dt
from decimal import Decimal

from django.db.models import DateField, DecimalField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.common import clock, pagecache
from minsheng.congresses.models import Congress

from . import pages
from .models import Assignment, Case, Claim, Cosigner, SupervisionAction
from .search import filter_by_text

QUEUES = (
    "to_review",
    "to_assign",
    "late_assign",
    "due_soon",
    "overdue",
    "priority",
    "to_publish",
    "to_rate",
    "rating_overdue",
)


# The congresses of a region change only when one is made or removed (a signal bumps pages.CONGRESSES: apps.py), so
# every process keeps a region's list of ids; the queue counts are kept a minute at most (pages.QUEUES, bumped by
# the services: pages.queues_changed), so what only the passing of time changes shows within that.
CONGRESS_IDS_SECONDS = 600
QUEUE_COUNTS_SECONDS = 60


def congress_ids_under(actor, prefix: str) -> list[int]:
    """The ids of the congresses within a region, read once per actor object (one request) and kept in the
    cache until a congress is made or removed.

    Staff scopes filter cases by this list rather than by a join on the congress's region: with the ids in
    the query PostgreSQL combines the case indexes (congress, status; full-text search) and estimates the
    rows right, where the join made it scan every case of the province or run the text search once per
    congress (the cases benchmark, docs/BENCHMARKS.md)."""
    cached = getattr(actor, "_cases_congress_ids", None)
    if cached is None or cached[0] != prefix:
        ids = pagecache.versioned(
            pages.CONGRESSES,
            None,
            lambda: list(
                Congress.objects.filter(region_prefix__startswith=prefix)
                .order_by("id")
                .values_list("id", flat=True)
            ),
            seconds=CONGRESS_IDS_SECONDS,
            part=prefix,
        )
        cached = (prefix, ids)
        actor._cases_congress_ids = cached
    return cached[1]


def case_scope_for(actor) -> QuerySet[Case]:
    """Every case the actor may see (the base of every list, page and API of cases)."""
    cases = Case.objects.all()
    prefix = staff_scope_prefix(actor)
    if prefix is not None:
        return cases if prefix == "" else cases.filter(congress_id__in=congress_ids_under(actor, prefix))
    if has_role(actor, Role.DEPUTY):
        # a co-signer who confirmed, or who is invited and has to decide; not one who declined
        cosigned = Cosigner.objects.filter(case=OuterRef("pk"), deputy_id=actor.deputy_id).exclude(
            status=Cosigner.Status.DECLINED
        )
        return cases.filter(Q(lead_deputy_id=actor.deputy_id) | Q(Exists(cosigned)) | Q(created_by=actor))
    if has_role(actor, Role.STATION_STAFF):
        return cases.filter(Q(station_id=actor.station_id) | Q(created_by=actor))
    if has_role(actor, Role.UNIT_HANDLER):
        assigned = Assignment.objects.filter(case=OuterRef("pk"), unit_id=actor.unit_id).exclude(
            status=Assignment.Status.REMOVED
        )
        return cases.filter(Exists(assigned))
    if has_role(actor, Role.DONOR):
        return cases.filter(Exists(claims_held_by(actor).filter(case=OuterRef("pk"))))
    return cases.none()


def case_get_for(actor, pk: int) -> Case:
    try:
        return case_scope_for(actor).select_related("congress", "lead_deputy", "place", "station").get(pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def apply_queue(
    cases: QuerySet[Case], queue: str, *, today: dt.date | None = None, days: int = 7
) -> QuerySet[Case]:
    today = today or clock.today()
    S = Case.Status
    if queue == "to_review":
        return cases.filter(status=S.FILED)
    if queue == "to_assign":
        return cases.filter(status__in=[S.ACCEPTED, S.DISSATISFIED])
    if queue == "late_assign":
        return cases.filter(status__in=[S.FILED, S.ACCEPTED], assign_due__lt=today)
    if queue == "due_soon":
        return cases.filter(
            status=S.ASSIGNED, answer_due__gte=today, answer_due__lte=today + dt.timedelta(days=days)
        )
    if queue == "overdue":
        return cases.filter(status=S.ASSIGNED, answer_due__lt=today)
    if queue == "priority":
        return cases.filter(is_priority=True, status__in=Case.OPEN_STATUSES)
    if queue == "to_publish":
        return cases.filter(status__in=[S.ANSWERED, S.CLOSED], published_at=None)
    if queue == "to_rate":
        return cases.filter(status=S.ANSWERED)
    if queue == "rating_overdue":  # 未反馈 to close: the deputy did not rate by the deadline
        return cases.filter(status=S.ANSWERED, rating_due__lt=today)
    return cases


def case_list_for(
    actor,
    *,
    kind: str = "",
    status: str = "",
    place_prefix: str = "",
    unit_id: int | None = None,
    deputy_id: int | None = None,
    deputy_name: str = "",
    congress_id: int | None = None,
    filed_from: dt.date | None = None,
    filed_to: dt.date | None = None,
    overdue: bool = False,
    priority: bool = False,
    queue: str = "",
    q: str = "",
) -> QuerySet[Case]:
    """The filtered list of the actor's cases, overdue first then newest, with what a list row shows."""
    cases = case_scope_for(actor)
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if congress_id:
        cases = cases.filter(congress_id=congress_id)
    if place_prefix:
        cases = cases.filter(place__code__startswith=place_prefix)
    if unit_id:
        cases = cases.filter(
            Exists(Assignment.objects.filter(case=OuterRef("pk"), unit_id=unit_id).exclude(status="removed"))
        )
    if deputy_id:
        cosigned = Cosigner.objects.filter(
            case=OuterRef("pk"), deputy_id=deputy_id, status=Cosigner.Status.CONFIRMED
        )
        cases = cases.filter(Q(lead_deputy_id=deputy_id) | Q(Exists(cosigned)))
    if deputy_name:
        cosigned = Cosigner.objects.filter(
            case=OuterRef("pk"), deputy__name=deputy_name, status=Cosigner.Status.CONFIRMED
        )
        cases = cases.filter(Q(lead_deputy__name=deputy_name) | Q(Exists(cosigned)))
    if filed_from:
        cases = cases.filter(filed_at__date__gte=filed_from)
    if filed_to:
        cases = cases.filter(filed_at__date__lte=filed_to)
    if overdue:
        cases = apply_queue(cases, "overdue")
    if priority:
        cases = cases.filter(is_priority=True)
    if queue:
        cases = apply_queue(cases, queue)
    order: tuple = ("answer_due", "-id")
    if q:
        cases = filter_by_text(cases, q)
        # The same order (no answer date last), as an expression no index provides: PostgreSQL then sorts
        # the few matches of the text index instead of walking the answer-date index and segmenting every
        # case's text on the way (250 ms for a common word in a city of 90,000 cases, docs/BENCHMARKS.md).
        order = (Coalesce("answer_due", Value(dt.date.max), output_field=DateField()).asc(), "-id")
    return cases.select_related("congress", "lead_deputy", "place").order_by(*order)


def queue_counts_for(actor, *, today: dt.date | None = None) -> dict[str, int]:
    """How many cases wait in each queue (for the staff's work page): one query per queue, kept per region
    prefix and day until a case of the region changes (`pages.QUEUES`), a minute at most."""
    today = today or clock.today()

    def counts() -> dict[str, int]:
        scope = case_scope_for(actor)
        return {queue: apply_queue(scope, queue, today=today).count() for queue in QUEUES}

    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return counts()
    return pagecache.versioned(
        pages.QUEUES, prefix, counts, seconds=QUEUE_COUNTS_SECONDS, part=today.isoformat()
    )


def unit_inbox_for(actor, *, status: str = "") -> QuerySet[Assignment]:
    """A unit's assignments, the live ones first by due date."""
    if not has_role(actor, Role.UNIT_HANDLER):
        return Assignment.objects.none()
    assignments = Assignment.objects.filter(unit_id=actor.unit_id).exclude(status=Assignment.Status.REMOVED)
    if status:
        assignments = assignments.filter(status=status)
    return assignments.select_related("case", "case__congress", "case__place").order_by("answer_due", "id")


def claims_of(actor) -> QuerySet[Claim]:
    return Claim.objects.filter(donor=actor).select_related("case", "case__place").order_by("-created_at")


def claims_held_by(donor) -> QuerySet[Claim]:
    """The claims a donor holds (live, delivered or confirmed): what lets a donor see a case at all."""
    return Claim.objects.filter(donor=donor, status__in=Claim.HOLDING)


CENT = Decimal("0.01")


def claimed_total(case: Case) -> Decimal:
    """What the claims holding a wish hold: the `claimed_total` a selector annotated (`wall_list`), else the
    case's prefetched claims, else one query."""
    annotated = getattr(case, "claimed_total", None)
    if annotated is not None:
        return Decimal(str(annotated))
    if "claims" in getattr(case, "_prefetched_objects_cache", {}):
        return sum((c.amount for c in case.claims.all() if c.status in Claim.HOLDING), Decimal("0"))
    total = Claim.objects.filter(case=case, status__in=Claim.HOLDING).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def open_amount(case: Case) -> Decimal:
    """What of a wish is still open to claim or pledge (never below zero), to the cent."""
    return max(Decimal("0.00"), (case.amount or Decimal("0")) - claimed_total(case)).quantize(CENT)


WALL_STATES = ("open", "claimed", "realised")


def wall_list(
    *, township_code: str = "", category: str = "", group: str = "", state: str = "open"
) -> QuerySet[Case]:
    """The public wish wall: verified wishes staff put on it, each with `claimed_total` (what claims hold).
    `state`: open (still needs help), claimed (covered by claims, not yet realised), realised; else all."""
    held = (
        Claim.objects.filter(case=OuterRef("pk"), status__in=Claim.HOLDING)
        .values("case")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    wishes = (
        Case.objects.filter(kind=Case.Kind.WISH, on_wall_at__isnull=False, verified_at__isnull=False)
        .exclude(status__in=[Case.Status.WITHDRAWN, Case.Status.REFUSED])
        .annotate(
            claimed_total=Coalesce(
                Subquery(held, output_field=DecimalField(max_digits=12, decimal_places=2)),
                Value(Decimal("0")),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
    )
    if state == "open":
        wishes = wishes.filter(realised_at=None, claimed_total__lt=F("amount"))
    elif state == "claimed":
        wishes = wishes.filter(realised_at=None, claimed_total__gte=F("amount"))
    elif state == "realised":
        wishes = wishes.exclude(realised_at=None)
    if township_code:
        wishes = wishes.filter(place__code__startswith=township_code)
    if category:
        wishes = wishes.filter(category=category)
    if group:
        wishes = wishes.filter(beneficiary__group=group)
    return wishes.select_related("place", "place__parent", "beneficiary").order_by("-on_wall_at", "-id")


def published_list(*, q: str = "", congress_id: int | None = None) -> QuerySet[Case]:
    """Published answers for the public site."""
    cases = Case.objects.filter(published_at__isnull=False)
    if congress_id:
        cases = cases.filter(congress_id=congress_id)
    if q:
        cases = filter_by_text(cases, q)
    return cases.select_related("congress", "place").order_by("-published_at", "-id")


def cosignings_pending_for(actor) -> QuerySet[Case]:
    """联名: the cases a deputy is named on as co-signer and has not yet confirmed or declined."""
    if not has_role(actor, Role.DEPUTY):
        return Case.objects.none()
    invited = Cosigner.objects.filter(
        case=OuterRef("pk"), deputy_id=actor.deputy_id, status=Cosigner.Status.INVITED
    )
    return (
        Case.objects.filter(Exists(invited))
        .select_related("congress", "lead_deputy", "place")
        .order_by("-filed_at", "-id")
    )


def priority_years_for(actor) -> list[int]:
    """The years in which the 主任会议 decided 重点督办 cases within the actor's scope, newest first."""
    dates = SupervisionAction.objects.filter(
        kind=SupervisionAction.Kind.PRIORITY,
        meeting_date__isnull=False,
        case__in=case_scope_for(actor),
    ).dates("meeting_date", "year", order="DESC")
    return [d.year for d in dates]


def priority_list_for(actor, *, year: int) -> QuerySet[SupervisionAction]:
    """重点督办 of a year: each decision of a 主任会议 held that year (its date, name, who proposed it) with its
    case, in the actor's scope (staff: the congresses they cover), by meeting date."""
    return (
        SupervisionAction.objects.filter(
            kind=SupervisionAction.Kind.PRIORITY,
            meeting_date__year=year,
            case__in=case_scope_for(actor),
        )
        .select_related("case", "case__congress", "case__lead_deputy")
        .order_by("meeting_date", "case__congress__region_prefix", "case__number", "id")
    )
