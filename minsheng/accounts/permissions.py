"""Who is who, and the account rules. Other apps' permissions build on the predicates here."""

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


@rule("accounts.manage_donors")
def can_manage_donors(actor, obj) -> bool:
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("accounts.lift_lockout")
def can_lift_lockout(actor, obj) -> bool:
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("accounts.donor_act")
def can_act_as_donor(actor, obj) -> bool:
    """Claims and pledges (issue 3) are open only to verified donors."""
    return is_verified_donor(actor)
