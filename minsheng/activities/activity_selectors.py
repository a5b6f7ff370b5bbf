"""Reads of activities (代表活动), scoped to the actor: the organising congresses' staff (their region), the
liaison station's staff (the station's activities), deputies (those they take part in and those they are
eligible for: organised by the congress of one of their seats in office or a congress above it), admins."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from minsheng.accounts.permissions import Role, has_role, is_admin
from minsheng.common.api import DB_INTEGER_MAX
from minsheng.common.permissions import can
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Deputy, Seat, normalize_pinyin_query
from minsheng.places.models import Place

from .models import Activity, ActivityKind, Campaign, Participation
from .permissions import _deputy_congress_ids


def activity_scope_for(actor) -> QuerySet[Activity]:
    activities = Activity.objects.all()
    if is_admin(actor):
        return activities
    if has_role(actor, Role.CONGRESS_STAFF):
        return activities.filter(congress__region_prefix__startswith=actor.congress.region_prefix)
    if has_role(actor, Role.STATION_STAFF) and actor.station_id:
        return activities.filter(station_id=actor.station_id)
    if has_role(actor, Role.DEPUTY) and actor.deputy_id:
        takes_part = Participation.objects.filter(activity=OuterRef("pk"), deputy_id=actor.deputy_id)
        return activities.filter(Q(Exists(takes_part)) | Q(congress_id__in=_deputy_congress_ids(actor)))
    return activities.none()


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def activity_list(
    actor,
    *,
    q: str = "",
    kind: ActivityKind | None = None,
    congress: Congress | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    status: str = "",
) -> QuerySet[Activity]:
    """The activities the actor may see, filtered: words in the title, topic or place; kind; organising
    congress (with the congresses below); dates (the activity's start); status. Newest first."""
    activities = activity_scope_for(actor).select_related("kind", "congress", "place", "station")
    if q:
        activities = activities.filter(
            Q(title__icontains=q) | Q(topic__icontains=q) | Q(location__icontains=q)
        )
    if kind is not None:
        activities = activities.filter(kind=kind)
    if congress is not None:
        activities = activities.filter(congress__region_prefix__startswith=congress.region_prefix)
    if date_from:
        activities = activities.filter(starts_at__gte=_day_start(date_from))
    if date_to:
        activities = activities.filter(starts_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if status:
        activities = activities.filter(status=status)
    return activities.annotate(
        participant_count=Count("participations", distinct=True),
        present_count=Count(
            "participations", filter=Q(participations__status=Participation.Status.PRESENT), distinct=True
        ),
    ).order_by("-starts_at", "-id")


def activity_get_for(actor, pk) -> Activity:
    """The activity if the actor may see it; 404 otherwise (also for an id that is no id: 'next', 2**64)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= DB_INTEGER_MAX:
        raise Http404
    activity = (
        activity_scope_for(actor)
        .select_related("kind", "congress", "place", "station", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def activity_participations(activity: Activity) -> QuerySet[Participation]:
    return activity.participations.select_related("deputy").order_by("deputy__name_sort", "id")


def activity_places(prefix: str) -> QuerySet[Place]:
    """The places an activity of a congress with region `prefix` may be held at: those within its region (the
    province's and the cities' and counties' for a provincial or national organiser, `prefix` "")."""
    if prefix:
        return Place.objects.filter(code__startswith=prefix).order_by("code")
    return Place.objects.filter(level__in=["province", "city", "county"]).order_by("code")


def invitable_deputies(activity: Activity) -> QuerySet[Deputy]:
    """The deputies the activity's page offers to invite: a seat in office in a congress of the organising
    congress's region or above it (a provincial deputy at a city's research), not yet taking part; by pinyin.
    (The API invites any deputy by id.)"""
    above = [c.pk for c in _congresses_above(activity.congress)]
    in_region = Q(seats__congress__region_prefix__startswith=activity.congress.region_prefix)
    return (
        Deputy.objects.filter(Q(seats__congress_id__in=above) | in_region, seats__status=Seat.Status.ACTIVE)
        .exclude(participations__activity=activity)
        .distinct()
        .order_by("name_sort", "id")
    )


FIND_MAX_LENGTH = 50


def _initials_regex(letters: str) -> str:
    """'zl' → the `name_sort` of a name whose syllables start with z, then l (曾丽: 'zeng1li0曾丽'): the
    initials of the first syllables, one letter a syllable."""
    return "^" + "1".join(f"{ch}[a-z]*" for ch in letters) + "[01]"


def deputies_matching(actor, activity: Activity, text: str) -> QuerySet[Deputy]:
    """找代表: the deputies the actor may invite to the activity (`invitable_deputies`; none unless the actor
    may edit it) whose name contains `text` (梁, 秀英), or whose pinyin starts with it or whose pinyin
    initials start with it when it is Latin letters ("liang", "lxy"); every invitable deputy for an empty
    text. By pinyin."""
    if not can(actor, "activities.edit_activity", activity):
        return Deputy.objects.none()
    deputies = invitable_deputies(activity)
    text = (text or "").strip()[:FIND_MAX_LENGTH]
    if not text:
        return deputies
    letters = normalize_pinyin_query(text)
    if letters:
        match = Q(name_pinyin__startswith=letters) | Q(name__icontains=text)
        if len(letters) <= 6:
            match |= Q(name_sort__regex=_initials_regex(letters))
        return deputies.filter(match)
    return deputies.filter(name__contains=text)


def _congresses_above(congress: Congress) -> list[Congress]:
    chain: list[Congress] = []
    current: Congress | None = congress
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


def kinds_for(congress: Congress | None) -> QuerySet[ActivityKind]:
    """The built-in kinds and those the congress and the congresses above it added."""
    kinds = ActivityKind.objects.filter(congress__isnull=True)
    if congress is not None:
        above = []
        current: Congress | None = congress
        while current is not None:
            above.append(current.pk)
            current = current.parent
        kinds = ActivityKind.objects.filter(Q(congress__isnull=True) | Q(congress_id__in=above))
    return kinds.order_by("position", "id")


def participations_for_deputy(
    deputy: Deputy, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Participation]:
    """A deputy's participations in activities that were not cancelled, by the activity's start (not scoped:
    the caller checks the reader). One row per activity, whatever the deputy's seats: the duty record counts
    each activity once."""
    rows = Participation.objects.filter(deputy=deputy).exclude(activity__status=Activity.Status.CANCELLED)
    if date_from:
        rows = rows.filter(activity__starts_at__gte=_day_start(date_from))
    if date_to:
        rows = rows.filter(activity__starts_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return rows.select_related("activity", "activity__kind", "activity__congress").order_by(
        "activity__starts_at", "id"
    )


def open_for_signup(actor) -> QuerySet[Activity]:
    """Activities a deputy may still sign up for: planned, open, eligible, not yet taking part, not over."""
    if not has_role(actor, Role.DEPUTY) or not actor.deputy_id:
        return Activity.objects.none()
    takes_part = Participation.objects.filter(activity=OuterRef("pk"), deputy_id=actor.deputy_id)
    return (
        Activity.objects.filter(
            signup_open=True,
            status=Activity.Status.PLANNED,
            congress_id__in=_deputy_congress_ids(actor),
            ends_at__gt=timezone.now(),
        )
        .exclude(Exists(takes_part))
        .select_related("kind", "congress")
        .order_by("starts_at", "id")
    )


def campaign_choices(congress: Congress | None) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.all()
    if congress is not None:
        campaigns = campaigns.filter(congress__region_prefix__in=_prefixes_above(congress))
    return campaigns.order_by("-starts_on", "id")


def _prefixes_above(congress: Congress) -> list[str]:
    prefixes = []
    current: Congress | None = congress
    while current is not None:
        prefixes.append(current.region_prefix)
        current = current.parent
    return prefixes


def electoral_unit_check(congress: Congress, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """回选举单位: the congress's leading-cadre deputies (`Deputy.is_leading_cadre`, a seat in office in this
    congress) and whether each has been present at a `electoral_unit` activity that started in the period:
    `[{deputy, seat, went, activities}]`, those who have not gone first, then by pinyin. Three queries."""
    seats = list(
        Seat.objects.filter(congress=congress, status=Seat.Status.ACTIVE, deputy__is_leading_cadre=True)
        .select_related("deputy")
        .order_by("deputy__name_sort", "deputy_id")
    )
    present = (
        Participation.objects.filter(
            deputy_id__in=[s.deputy_id for s in seats],
            status=Participation.Status.PRESENT,
            activity__kind__code=ActivityKind.Code.ELECTORAL_UNIT,
            activity__starts_at__gte=_day_start(date_from),
            activity__starts_at__lt=_day_start(date_to + dt.timedelta(days=1)),
        )
        .exclude(activity__status=Activity.Status.CANCELLED)
        .select_related("activity")
        .order_by("activity__starts_at")
    )
    went: dict[int, list[Activity]] = {}
    for participation in present:
        went.setdefault(participation.deputy_id, []).append(participation.activity)
    rows = [
        {"deputy": s.deputy, "seat": s, "went": s.deputy_id in went, "activities": went.get(s.deputy_id, [])}
        for s in seats
    ]
    rows.sort(key=lambda r: bool(r["went"]))  # stable: the pinyin order stays within each group
    return rows
