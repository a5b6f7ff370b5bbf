"""Reads for the accounts pages and the role home pages, always scoped to the caller."""

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Case, Count, Max, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from minsheng.common import clock, workdays
from minsheng.common.permissions import can
from minsheng.common.phones import looks_like_mobile
from minsheng.common.privacy import mask_mobile

from .models import DonorProfile, User
from .permissions import (
    Role,
    donors_in_region_q,
    has_role,
    is_admin,
    staff_scope_prefix,
    users_in_region_q,
)

# --- donors ------------------------------------------------------------------------------------------------


def donor_list_for(actor, *, status: str = "", kind: str = "", q: str = "") -> QuerySet[DonorProfile]:
    """The donors the actor looks after (none for anyone but admins and congress staff), filtered."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return DonorProfile.objects.none()
    donors = DonorProfile.objects.select_related("user", "place", "reviewed_by")
    if prefix:
        donors = donors.filter(donors_in_region_q(prefix))
    if status:
        donors = donors.filter(status=status)
    if kind:
        donors = donors.filter(kind=kind)
    if q := (q or "").strip():
        donors = donors.filter(Q(name__icontains=q) | Q(contact_name__icontains=q) | Q(credit_code=q.upper()))
    return donors.order_by("-created_at", "-id")


def donor_get(actor, donor_id: int) -> DonorProfile:
    """One donor the actor looks after; 404 otherwise (another region's donor is not there for them)."""
    try:
        return donor_list_for(actor).get(pk=donor_id)
    except (DonorProfile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- lock-outs ----------------------------------------------------------------------------------------------


@dataclass
class Lockout:
    username: str
    shown_as: str  # what the page shows: a mobile number typed by someone unknown is masked
    failures: int
    last_attempt: dt.datetime
    unlocks_at: dt.datetime | None
    user: User | None


def lockout_list_for(actor) -> list[Lockout]:
    """Usernames locked out now (failures from one address reached AXES_FAILURE_LIMIT within the cool-off),
    limited to the accounts the actor may release: admins all; congress staff the accounts of their region
    and usernames that belong to nobody. Two queries."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return []
    cooloff = get_cool_off()  # axes reads AXES_COOLOFF_TIME (hours, a timedelta or a callable)
    attempts = AccessAttempt.objects.exclude(username__isnull=True)
    if cooloff is not None:
        attempts = attempts.filter(attempt_time__gte=clock.now() - cooloff)
    rows = (
        attempts.values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by()
    )
    locked: dict[str, dict] = {}
    for row in rows:
        seen = locked.setdefault(row["username"], {"failures": 0, "last": row["last"]})
        seen["failures"] = max(seen["failures"], row["failures"])
        seen["last"] = max(seen["last"], row["last"])
    if not locked:
        return []
    users = User.objects.filter(username__in=locked)
    if prefix:
        users = users.annotate(
            in_scope=Case(When(users_in_region_q(prefix), then=Value(True)), default=Value(False))
        )
    known = {user.username: user for user in users}
    # Staff see the accounts of their region, and usernames that belong to nobody.
    visible = [
        name for name in locked if name not in known or not prefix or getattr(known[name], "in_scope", False)
    ]
    result = [
        Lockout(
            username=name,
            shown_as=mask_mobile(name) if name not in known and looks_like_mobile(name) else name,
            failures=locked[name]["failures"],
            last_attempt=locked[name]["last"],
            unlocks_at=locked[name]["last"] + cooloff if cooloff is not None else None,
            user=known.get(name),
        )
        for name in visible
    ]
    return sorted(result, key=lambda lock: lock.last_attempt, reverse=True)


def lockout_get(actor, username: str) -> Lockout:
    for lock in lockout_list_for(actor):
        if lock.username == username:
            return lock
    raise Http404


def lockout_count_for(actor) -> int:
    return len(lockout_list_for(actor))


# --- the role home pages ------------------------------------------------------------------------------------


def home_congress_staff(actor) -> dict:
    """What a congress's staff see first: their congress, active seats by level in its region, stations,
    units, donors waiting, locked accounts, the latest imports."""
    from minsheng.congresses.models import Congress
    from minsheng.deputies.models import Seat
    from minsheng.imports.models import ImportJob
    from minsheng.stations.models import Station
    from minsheng.units.models import Unit

    congress = actor.congress
    prefix = congress.region_prefix
    seats_by_level = dict(
        Seat.objects.filter(status=Seat.Status.ACTIVE, congress__region_prefix__startswith=prefix)
        .values_list("congress__level")
        .annotate(n=Count("id"))
        .order_by()
    )
    levels = [
        (label, seats_by_level.get(level, 0))
        for level, label in Congress.Level.choices
        if level in seats_by_level or level in Congress.LOCAL_LEVELS
    ]
    stations = Station.objects.filter(congress__region_prefix__startswith=prefix).aggregate(
        total=Count("id"), open=Count("id", filter=Q(is_active=True))
    )
    units = Unit.objects.filter(congress__region_prefix__startswith=prefix, is_active=True).count()
    pending_donors = donor_list_for(actor, status=DonorProfile.Status.PENDING).count()
    imports = list(
        ImportJob.objects.filter(congress__region_prefix__startswith=prefix)
        .select_related("congress", "created_by")
        .order_by("-created_at")[:5]
    )
    return {
        "congress": congress,
        "seats_by_level": levels,
        "seats_total": sum(seats_by_level.values()),
        "stations": stations,
        "units_count": units,
        "pending_donors": pending_donors,
        "locked_count": lockout_count_for(actor),
        "imports": imports,
        **_calendar_notice(actor),
    }


def _calendar_notice(actor) -> dict:
    """From 1 November while next year's holiday schedule is provisional: the homes ask for it."""
    return {
        "calendar_missing": workdays.next_year_needs_schedule(clock.today()),
        "calendar_can_edit": can(actor, "calendar.edit"),
    }


def home_admin(actor) -> dict:
    """The system overview: accounts by role, the size of the data, what waits for someone."""
    from minsheng.common.models import AuditRecord
    from minsheng.congresses.models import Congress
    from minsheng.deputies.models import Deputy, Seat
    from minsheng.imports.models import ImportJob
    from minsheng.stations.models import Station
    from minsheng.units.models import Unit

    by_role = dict(User.objects.filter(is_active=True).values_list("role").annotate(n=Count("id")).order_by())
    return {
        "users_by_role": [(label, by_role.get(role, 0)) for role, label in User.Role.choices],
        "counts": [
            (_("Congresses"), Congress.objects.count()),
            (_("Deputies"), Deputy.objects.count()),
            (_("Seats in office"), Seat.objects.filter(status=Seat.Status.ACTIVE).count()),
            (_("Liaison stations"), Station.objects.count()),
            (_("Handling units"), Unit.objects.count()),
        ],
        "pending_donors": DonorProfile.objects.filter(status=DonorProfile.Status.PENDING).count(),
        "locked_count": lockout_count_for(actor),
        "imports": list(
            ImportJob.objects.select_related("congress", "created_by").order_by("-created_at")[:5]
        ),
        "audit": list(AuditRecord.objects.select_related("actor")[:10]),
        **_calendar_notice(actor),
    }


def home_deputy(actor) -> dict:
    """A deputy's seats (all levels and terms) and the stations he or she is attached to."""
    from minsheng.deputies.models import Seat
    from minsheng.stations.models import StationDeputy

    deputy = actor.deputy
    seats = list(
        Seat.objects.filter(deputy=deputy)
        .select_related("congress", "term")
        .order_by("status", "congress__region_prefix", "-term__number")
    )
    attachments = list(
        StationDeputy.objects.filter(deputy=deputy)
        .select_related("station", "station__place")
        .order_by("station__place__code", "station__name")
    )
    return {"deputy": deputy, "seats": seats, "attachments": attachments}


def home_station_staff(actor) -> dict:
    """A station's staff: their station and the deputies attached to it, each with the active seats."""
    from minsheng.deputies.models import Seat
    from minsheng.stations.models import Station, StationDeputy

    station = Station.objects.select_related("place", "congress").get(pk=actor.station_id)
    attachments = list(
        StationDeputy.objects.filter(station=station)
        .select_related("deputy")
        .prefetch_related(
            Prefetch(
                "deputy__seats",
                queryset=Seat.objects.filter(status=Seat.Status.ACTIVE).select_related("congress"),
                to_attr="active_seats",
            )
        )
        .order_by("deputy__name_sort")
    )
    return {"station": station, "attachments": attachments}


def home_unit_handler(actor) -> dict:
    """A unit's handler: the unit, the body above it, its handlers."""
    from minsheng.units.models import Unit

    unit = Unit.objects.select_related("place", "congress", "parent").get(pk=actor.unit_id)
    handlers = list(User.objects.filter(unit=unit, is_active=True).order_by("display_name", "username"))
    return {"unit": unit, "handlers": handlers}


def home_donor(actor) -> dict:
    profile = DonorProfile.objects.filter(user=actor).select_related("place", "reviewed_by").first()
    return {"profile": profile}


def home_public() -> dict:
    from minsheng.stations.models import Station

    return {"open_stations": Station.objects.filter(is_active=True).count()}


def me_scope(actor) -> dict:
    """The ids an API client needs to know what its token acts for."""
    return {
        "congress": actor.congress_id,
        "unit": actor.unit_id,
        "station": actor.station_id,
        "deputy": actor.deputy_id,
        "region_prefix": staff_scope_prefix(actor),
        "is_admin": is_admin(actor),
        "is_verified_donor": has_role(actor, Role.DONOR)
        and DonorProfile.objects.filter(user=actor, status=DonorProfile.Status.VERIFIED).exists(),
    }
