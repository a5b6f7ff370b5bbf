from minsheng.accounts.permissions import Role, has_role, staff_covers
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
