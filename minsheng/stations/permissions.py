from minsheng.accounts.permissions import Role, has_role, staff_covers
from minsheng.common.permissions import rule


@rule("stations.view")
def can_view(actor, station) -> bool:
    """Open stations are public; a closed one only to those who manage it."""
    return station is None or station.is_active or can_manage(actor, station)


@rule("stations.manage")
def can_manage(actor, station) -> bool:
    if station is None:
        return False
    if has_role(actor, Role.STATION_STAFF) and actor.station_id == station.pk:
        return True
    return staff_covers(actor, station.congress)


@rule("stations.create")
def can_create(actor, congress) -> bool:
    return congress is not None and staff_covers(actor, congress)
