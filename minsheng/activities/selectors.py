"""Reads of receptions (接待): scoped to the caller, the log's rows in three queries, the counts of the duty
record (履职档案), the contact visitor as the reader may see it, and the case page's line (`cases.origins`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from minsheng.accounts.permissions import Role, has_role, staff_scope_prefix
from minsheng.cases.models import Case
from minsheng.cases.origins import Origin
from minsheng.common import clock
from minsheng.common.permissions import can
from minsheng.common.privacy import mask_mobile, mask_name
from minsheng.deputies.models import Deputy
from minsheng.stations.models import Station, StationDeputy
from minsheng.stations.public_blocks import Block as PublicBlock
from minsheng.stations.selectors import area_congress_prefixes
from minsheng.units.models import Unit

from .models import Reception, ReceptionDay, ReceptionMatter


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


def referral_units(station: Station) -> QuerySet[Unit]:
    """The units a matter may be referred to: those supervised by a congress above the station's place or
    within its responsible congress's region (the reception form's picker and its validation)."""
    return (
        Unit.objects.filter(is_active=True)
        .filter(
            Q(congress__region_prefix__in=area_congress_prefixes(station))
            | Q(congress__region_prefix__startswith=station.congress.region_prefix)
        )
        .only("id", "name")
        .order_by("name")
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
        for r in Reception.objects.filter(
            Q(case=case) | Q(pk__in=ReceptionMatter.objects.filter(case=case).values("reception_id"))
        )
        .select_related("station__place")
        .order_by("received_at", "id")
        if can(actor, "activities.view_reception", r)
    ]
    if not receptions:
        return None
    return Origin("activities/_case_origin.html", {"receptions": receptions})


# Reception days (接待日) and matters (反映事项), issue 11 ----------------------------------------------------


def reception_days_for_station(
    station: Station, *, month: dt.date | None = None, include_cancelled: bool = True
) -> QuerySet[ReceptionDay]:
    """A station's reception days (a month's when given), in order, with the deputies on duty (two
    queries)."""
    days = ReceptionDay.objects.filter(station=station)
    if month is not None:
        start = month.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        days = days.filter(day__gte=start, day__lt=end)
    if not include_cancelled:
        days = days.filter(is_cancelled=False)
    return days.prefetch_related(
        Prefetch(
            "deputies", queryset=Deputy.objects.only("id", "name", "name_sort").order_by("name_sort", "id")
        )
    ).order_by("day", "starts_at", "id")


def reception_day_get_for(actor, pk) -> ReceptionDay:
    """A reception day whose station's schedule the actor may read (404 otherwise)."""
    try:
        reception_day = ReceptionDay.objects.select_related("station__place").get(pk=pk)
    except (ReceptionDay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can(actor, "activities.view_days", reception_day.station):
        raise Http404
    return reception_day


def upcoming_reception_days(station: Station, today: dt.date, *, limit: int = 10) -> list[ReceptionDay]:
    """The coming (not cancelled) reception days of a station from today on."""
    return list(reception_days_for_station(station, include_cancelled=False).filter(day__gte=today)[:limit])


def station_public_reception_days(station: Station) -> PublicBlock | None:
    """The public page's block (registered with `stations.public_blocks`): the coming reception days with the
    names of the deputies on duty (public persons); nothing of any visitor."""
    days = upcoming_reception_days(station, clock.today())
    return PublicBlock("activities/_public_reception_days.html", {"days": days})


def duty_days_for_station(station_id: int, today: dt.date) -> dict[str, list[ReceptionDay]]:
    """The station staff's home: today's reception days and the rest of this week's (Monday to Sunday)."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    days = list(
        ReceptionDay.objects.filter(
            station_id=station_id, is_cancelled=False, day__gte=today, day__lte=week_end
        )
        .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("id", "name", "name_sort")))
        .order_by("day", "starts_at")
    )
    return {"today": [d for d in days if d.day == today], "week": [d for d in days if d.day != today]}


def duty_deputy_ids(station: Station, day: dt.date) -> list[int]:
    """The deputies on duty at the station on a day (the reception form ticks them first)."""
    return list(
        ReceptionDay.deputies.through.objects.filter(
            receptionday__station=station, receptionday__day=day, receptionday__is_cancelled=False
        )
        .values_list("deputy_id", flat=True)
        .distinct()
    )


def matter_list(
    actor,
    *,
    station: Station,
    status: str = "",
    overdue: bool | None = None,
    disposal: str = "",
    category: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[ReceptionMatter]:
    """The matters raised at a station's receptions (the queue), oldest answer date first; the caller has
    checked `activities.view_matters`."""
    matters = ReceptionMatter.objects.filter(reception__station=station)
    if status:
        matters = matters.filter(status=status)
    if overdue:
        matters = _overdue(matters, today or clock.today())
    if disposal:
        matters = matters.filter(disposal=disposal)
    if category:
        matters = matters.filter(category=category)
    if date_from:
        matters = matters.filter(reception__received_at__date__gte=date_from)
    if date_to:
        matters = matters.filter(reception__received_at__date__lte=date_to)
    return matters.select_related("reception__station", "reception__case", "referred_to", "case").order_by(
        "-reception__received_at", "position", "id"
    )


def _overdue(matters: QuerySet[ReceptionMatter], today: dt.date) -> QuerySet[ReceptionMatter]:
    return matters.filter(status=ReceptionMatter.Status.OPEN, answer_due__lt=today)


def matters_overdue_for_station(station: Station | int, today: dt.date) -> QuerySet[ReceptionMatter]:
    """The matters of a station's receptions still open after their answer date (not scoped: for the queue,
    the homes and the campaign dashboard)."""
    station_id = station.pk if isinstance(station, Station) else station
    return _overdue(ReceptionMatter.objects.filter(reception__station_id=station_id), today).order_by(
        "answer_due", "id"
    )


def matter_get_for(actor, pk) -> ReceptionMatter:
    """A matter whose reception the actor may read, or which was sent to the actor's unit (404 otherwise)."""
    try:
        matter = ReceptionMatter.objects.select_related("reception__station__place", "referred_to").get(pk=pk)
    except (ReceptionMatter.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not (
        can(actor, "activities.view_reception", matter.reception)
        or can(actor, "activities.answer_matter", matter)
    ):
        raise Http404
    return matter


def matters_for_unit(actor, *, status: str = "") -> QuerySet[ReceptionMatter]:
    """The matters stations sent to the actor's unit (none for anyone else), the earliest answer due first."""
    if not can(actor, "activities.view_unit_matters"):
        return ReceptionMatter.objects.none()
    matters = ReceptionMatter.objects.filter(referred_to_id=actor.unit_id)
    if status in ReceptionMatter.Status.values:
        matters = matters.filter(status=status)
    return matters.select_related("reception__station", "referred_to", "case").order_by(
        F("answer_due").asc(nulls_last=True), "id"
    )


def matter_actions(actor, matter: ReceptionMatter) -> list[str]:
    """What the actor may do now with a matter (the pages' buttons, the API's `available_actions`)."""
    actions = []
    sent_on = matter.disposal in (ReceptionMatter.Disposal.TOWN, ReceptionMatter.Disposal.HIGHER)
    if (
        sent_on
        and matter.status == ReceptionMatter.Status.OPEN
        and can(actor, "activities.answer_matter", matter)
    ):
        actions.append("answer")
    if matter.status == ReceptionMatter.Status.ANSWERED and can(actor, "activities.feedback_matter", matter):
        actions.append("feedback")
    return actions


def reception_matters_of(reception: Reception) -> list[ReceptionMatter]:
    return list(reception.matters.select_related("referred_to", "case").order_by("position", "id"))
