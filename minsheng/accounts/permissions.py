"""Who is who, and the account rules. Other apps' permissions build on the predicates here."""

from django.db.models import Exists, OuterRef, Q

from minsheng.common.permissions import rule

from .models import User

Role = User.Role


def is_admin(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_admin)


def has_role(actor, *roles: str) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.role in roles)


def staff_covers(actor, congress) -> bool:
    """Congress staff act for their congress and every congress within its region (a city's staff oversee
    the county and town congresses of the city); admins everywhere."""
    if is_admin(actor):
        return True
    return bool(
        has_role(actor, Role.CONGRESS_STAFF) and congress is not None and actor.congress.covers(congress)
    )


def staff_covers_prefix(actor, code: str) -> bool:
    if is_admin(actor):
        return True
    return bool(has_role(actor, Role.CONGRESS_STAFF) and code.startswith(actor.congress.region_prefix))


def staff_scope_prefix(actor) -> str | None:
    """The region prefix an actor oversees as staff ('' = everything), or None if not staff at all."""
    if is_admin(actor):
        return ""
    if has_role(actor, Role.CONGRESS_STAFF):
        return actor.congress.region_prefix
    return None


def is_verified_donor(actor) -> bool:
    if not has_role(actor, Role.DONOR):
        return False
    profile = getattr(actor, "donor_profile", None)
    return bool(profile and profile.can_act)


def users_in_region_q(prefix: str) -> Q:
    """Accounts that belong to a region: staff of a congress in it, handlers of a unit it supervises, staff of
    a station it runs, deputies with a seat in one of its congresses, donors of an area in it. Donors who
    gave no area belong to every region (any congress staff may look after them)."""
    # Through the deputy's seats (`Deputy.seats`): accounts sit below the deputies and do not import them.
    seat_in_region = User.objects.filter(
        pk=OuterRef("pk"), deputy__seats__congress__region_prefix__startswith=prefix
    )
    return (
        Q(congress__region_prefix__startswith=prefix)
        | Q(unit__congress__region_prefix__startswith=prefix)
        | Q(station__congress__region_prefix__startswith=prefix)
        | Q(Exists(seat_in_region))
        | Q(role=Role.DONOR, donor_profile__place__code__startswith=prefix)
        | Q(role=Role.DONOR, donor_profile__place__isnull=True)
    )


def donors_in_region_q(prefix: str) -> Q:
    """Donor profiles a congress's staff look after: those of an area in its region, and those without one."""
    return Q(place__isnull=True) | Q(place__code__startswith=prefix)


def user_in_staff_scope(actor, user) -> bool:
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return False
    if prefix == "":
        return True
    return User.objects.filter(pk=user.pk).filter(users_in_region_q(prefix)).exists()


def donor_in_staff_scope(actor, profile) -> bool:
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return False
    return prefix == "" or profile.place_id is None or profile.place.code.startswith(prefix)


@rule("accounts.manage_donors")
def can_manage_donors(actor, profile) -> bool:
    """See, verify and reject donors: admins all, congress staff those of their region (or of no area)."""
    if profile is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return donor_in_staff_scope(actor, profile)


@rule("accounts.register_donor")
def can_register_donor(actor, obj) -> bool:
    """Anyone without an account registers; staff may register a donor on someone's behalf. Other signed-in
    people already have an account."""
    if not getattr(actor, "is_authenticated", False):
        return True
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("accounts.donor_resubmit")
def can_resubmit_donor(actor, profile) -> bool:
    """A rejected donor corrects the profile and asks again (only their own)."""
    return profile is not None and has_role(actor, Role.DONOR) and profile.user_id == actor.pk


@rule("accounts.view_lockouts")
def can_view_lockouts(actor, obj) -> bool:
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("accounts.lift_lockout")
def can_lift_lockout(actor, user) -> bool:
    """`user` is the locked account, or None when the username belongs to nobody. Admins lift any lock-out;
    congress staff those of accounts in their region and of unknown usernames."""
    if not can_view_lockouts(actor, None):
        return False
    return user is None or user_in_staff_scope(actor, user)


@rule("accounts.create_token")
def can_create_token(actor, user) -> bool:
    return is_admin(actor)


@rule("accounts.donor_act")
def can_act_as_donor(actor, obj) -> bool:
    """Claims and pledges (issue 3) are open only to verified donors."""
    return is_verified_donor(actor)


# --- the divisions (minsheng.places sits below the people and asks these rules by name) ----------------------


@rule("places.view")
def can_view_places(actor, obj) -> bool:
    return True


@rule("places.create")
def can_create_place(actor, parent) -> bool:
    """Staff add places within their congress's region (`parent` is the place above the new one)."""
    return parent is not None and staff_covers_prefix(actor, parent.code)


@rule("places.rename")
def can_rename_place(actor, place) -> bool:
    return place is not None and staff_covers_prefix(actor, place.code)


# --- the working-day calendar (minsheng.common.workdays): the whole installation shares one ---------------------


def _is_city_staff(actor) -> bool:
    return bool(
        has_role(actor, Role.CONGRESS_STAFF)
        and actor.congress is not None
        and actor.congress.level in ("national", "provincial", "city")
    )


@rule("calendar.view")
def can_view_calendar(actor, obj) -> bool:
    """Every signed-in worker may look at the working-day calendar; citizens see deadlines, not the grid."""
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.role != Role.DONOR)


@rule("calendar.edit")
def can_edit_calendar(actor, obj) -> bool:
    """The official holiday schedule is entered by the administrators and by the city congress's staff (the
    office that receives the State Council's notice); county and town staff read it."""
    return is_admin(actor) or _is_city_staff(actor)
