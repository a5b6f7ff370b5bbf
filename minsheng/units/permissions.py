"""Who sees and changes handling units.

- The list of units, their kinds, places and sub-units is public information (`units.view`).
- A unit's handlers (names and masked mobiles) are shown to the unit's own handlers and to staff who cover
  the unit's congress (`units.view_handlers`).
- Staff add and change units of the congresses they cover; admins everywhere (`units.manage`,
  `units.create`, `units.update`).
"""

from minsheng.accounts.permissions import Role, has_role, staff_covers, staff_scope_prefix
from minsheng.common.permissions import rule


@rule("units.view")
def can_view(actor, unit) -> bool:
    """The list of handling units is public information."""
    return True


@rule("units.view_handlers")
def can_view_handlers(actor, unit) -> bool:
    if unit is None:
        return False
    if has_role(actor, Role.UNIT_HANDLER) and actor.unit_id == unit.pk:
        return True
    return staff_covers(actor, unit.congress)


@rule("units.manage")
def can_manage(actor, congress) -> bool:
    return congress is not None and staff_covers(actor, congress)


@rule("units.create")
def can_create(actor, congress) -> bool:
    """Without a congress: may this person add units anywhere at all (shows the page)? With one: there."""
    if congress is None:
        return staff_scope_prefix(actor) is not None
    return staff_covers(actor, congress)


@rule("units.update")
def can_update(actor, unit) -> bool:
    return unit is not None and staff_covers(actor, unit.congress)
