"""Who sees deputies and their personal data.

- Staff see the deputies seated in the congresses they cover; admins all.
- A deputy sees his or her own record; station staff see the deputies attached to their station.
- ID number and mobile are shown unmasked only to staff who cover one of the deputy's seats, to admins,
  and to the deputy; everyone else sees them masked.
"""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers, staff_scope_prefix
from minsheng.common.permissions import rule


def _covers_a_seat(actor, deputy) -> bool:
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return False
    return any(seat.congress.region_prefix.startswith(prefix) for seat in deputy.seats.all())


@rule("deputies.view_list")
def can_view_list(actor, obj) -> bool:
    return staff_scope_prefix(actor) is not None


@rule("deputies.view")
def can_view(actor, deputy) -> bool:
    if deputy is None:
        return False
    if has_role(actor, Role.DEPUTY) and actor.deputy_id == deputy.pk:
        return True
    if (
        has_role(actor, Role.STATION_STAFF)
        and deputy.station_attachments.filter(station_id=actor.station_id).exists()
    ):
        return True
    return _covers_a_seat(actor, deputy)


@rule("deputies.view_personal")
def can_view_personal(actor, deputy) -> bool:
    if deputy is None:
        return False
    if has_role(actor, Role.DEPUTY) and actor.deputy_id == deputy.pk:
        return True
    return _covers_a_seat(actor, deputy)


@rule("deputies.manage")
def can_manage(actor, congress) -> bool:
    """Add deputies and seats to a congress, end seats, import rosters."""
    return congress is not None and staff_covers(actor, congress)


@rule("deputies.export")
def can_export(actor, obj) -> bool:
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
