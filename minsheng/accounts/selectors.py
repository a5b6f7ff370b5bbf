"""Reads for the accounts pages and the donor's home, always scoped to the caller."""

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Case, Max, Q, QuerySet, Sum, Value, When
from django.http import Http404

from minsheng.common import clock
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


# --- the donor's home (the other homes are minsheng/insights: they read across apps) ----------------------


def home_donor(actor) -> dict:
    profile = DonorProfile.objects.filter(user=actor).select_related("place", "reviewed_by").first()
    return {"profile": profile}


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
