"""Reads of receptions (接待): scoped to the caller, the log's rows in three queries, the counts of the duty
record (履职档案), the contact visitor as the reader may see it, and the case page's line (`cases.origins`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.cases.models import Case
from minsheng.cases.origins import Origin
from minsheng.common.permissions import can
from minsheng.common.privacy import mask_mobile, mask_name
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station, StationDeputy

from .models import Reception


def reception_scope_for(actor) -> QuerySet[Reception]:
    """Every reception the actor may see: staff, those of stations at places in their region; station staff,
    their station's; deputies, those of the stations they are attached to and those they received at."""
    receptions = Reception.objects.all()
    prefix = staff_scope_prefix(actor)
    if prefix is not None:
        return receptions if prefix == "" else receptions.filter(station__place__code__startswith=prefix)
    if has_role(actor, Role.STATION_STAFF):
        return receptions.filter(station_id=actor.station_id)
    if has_role(actor, Role.DEPUTY):
        attached = StationDeputy.objects.filter(deputy_id=actor.deputy_id).values("station_id")
        received = Reception.deputies.through.objects.filter(deputy_id=actor.deputy_id).values("reception_id")
        return receptions.filter(Q(station_id__in=attached) | Q(pk__in=received))
    return receptions.none()


def _with_relations(receptions: QuerySet[Reception]) -> QuerySet[Reception]:
    """What a list shows, in three queries whatever the page size: the rows with their station, unit and
    case, then the deputies' names."""
    return receptions.select_related("station__place", "referred_to").prefetch_related(
        Prefetch(
            "deputies", queryset=Deputy.objects.only("id", "name", "name_sort").order_by("name_sort", "id")
        ),
        Prefetch("case", queryset=Case.objects.only("id", "number", "title", "status")),
    )


def reception_list(
    actor,
    *,
    station: Station | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    deputy: Deputy | int | None = None,
    category: str = "",
    outcome: str = "",
    linked: bool | None = None,
) -> QuerySet[Reception]:
    """Receptions the actor may see, newest first, filtered by station, dates (inclusive), deputy, category,
    outcome and whether they are linked to a case."""
    receptions = reception_scope_for(actor)
    if station is not None:
        receptions = receptions.filter(station=station)
    receptions = _filter(
        receptions,
        date_from=date_from,
        date_to=date_to,
        deputy=deputy,
        category=category,
        outcome=outcome,
        linked=linked,
    )
    return _with_relations(receptions).order_by("-received_at", "-id")


def _filter(receptions, *, date_from=None, date_to=None, deputy=None, category="", outcome="", linked=None):
    if date_from:
        receptions = receptions.filter(received_at__date__gte=date_from)
    if date_to:
        receptions = receptions.filter(received_at__date__lte=date_to)
    if deputy:
        deputy_id = deputy.pk if isinstance(deputy, Deputy) else deputy
        receptions = receptions.filter(
            pk__in=Reception.deputies.through.objects.filter(deputy_id=deputy_id).values("reception_id")
        )
    if category:
        receptions = receptions.filter(category=category)
    if outcome:
        receptions = receptions.filter(outcome=outcome)
    if linked is not None:
        receptions = receptions.filter(case__isnull=not linked)
    return receptions


def reception_get_for(actor, pk) -> Reception:
    """A reception the actor may see (404 otherwise), with its station, deputies, unit and case."""
    try:
        reception = _with_relations(Reception.objects.select_related("station__place")).get(pk=pk)
    except (Reception.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(actor, "activities.view_reception", reception):
        raise Http404
    return reception


def receptions_for_deputy(
    deputy: Deputy | int, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Reception]:
    """The receptions a deputy took part in, newest first, at any station (also one he or she has left): the
    deputy's own list and, later, the duty record (履职档案). Not scoped: the caller has checked the reader."""
    return _with_relations(
        _filter(Reception.objects.all(), date_from=date_from, date_to=date_to, deputy=deputy)
    )


def reception_counts_by_station(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, station_ids: list[int] | None = None
) -> dict[int, dict[str, int]]:
    """{station id: {"receptions", "visitors", "cases"}} over a date range: one query."""
    receptions = _filter(Reception.objects.all(), date_from=date_from, date_to=date_to)
    if station_ids is not None:
        receptions = receptions.filter(station_id__in=station_ids)
    rows = (
        receptions.order_by()
        .values("station_id")
        .annotate(receptions=Count("id"), visitors=Sum("visitor_count"), cases=Count("case_id"))
    )
    return {
        row["station_id"]: {
            "receptions": row["receptions"],
            "visitors": row["visitors"],
            "cases": row["cases"],
        }
        for row in rows
    }


def reception_counts_by_deputy(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, deputy_ids: list[int] | None = None
) -> dict[int, dict[str, int]]:
    """{deputy id: {"receptions", "visitors", "cases"}} over a date range (a reception with two deputies
    counts for each): one query, for the duty record (履职档案)."""
    links = Reception.deputies.through.objects.all()
    if date_from:
        links = links.filter(reception__received_at__date__gte=date_from)
    if date_to:
        links = links.filter(reception__received_at__date__lte=date_to)
    if deputy_ids is not None:
        links = links.filter(deputy_id__in=deputy_ids)
    rows = (
        links.order_by()
        .values("deputy_id")
        .annotate(
            receptions=Count("reception_id"),
            visitors=Sum("reception__visitor_count"),
            cases=Count("reception__case_id"),
        )
    )
    return {
        row["deputy_id"]: {
            "receptions": row["receptions"],
            "visitors": row["visitors"],
            "cases": row["cases"],
        }
        for row in rows
    }


@dataclass
class VisitorContact:
    name: str
    phone: str
    masked: bool


def visitor_contact(actor, reception: Reception) -> VisitorContact:
    """The contact visitor as the actor may see them: in full with `activities.view_visitor`, else masked (the
    only place that decides; exports and public pages never call it)."""
    if can(actor, "activities.view_visitor", reception):
        return VisitorContact(reception.contact_name, reception.contact_phone, masked=False)
    return VisitorContact(
        mask_name(reception.contact_name), mask_mobile(reception.contact_phone), masked=True
    )


def reception_deputy_choices(station: Station) -> QuerySet[Deputy]:
    """Deputies attached to the station, pinyin order: who may be named as having received."""
    return (
        Deputy.objects.filter(station_attachments__station=station)
        .only("id", "name", "name_sort")
        .order_by("name_sort", "id")
    )


def case_reception_origin(actor, case) -> Origin | None:
    """The line on a case's page that says which reception it came from, for those who may read that
    reception (registered with `cases.origins`: the case page needs nothing else of activities)."""
    receptions = [
        r
        for r in Reception.objects.filter(case=case)
        .select_related("station__place")
        .order_by("received_at", "id")
        if can(actor, "activities.view_reception", r)
    ]
    if not receptions:
        return None
    return Origin("activities/_case_origin.html", {"receptions": receptions})
