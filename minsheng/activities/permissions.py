"""Who may do what with receptions (接待). The rules keep the names of the old stations rules under the
`activities.` prefix: `activities.receive` (a station), `activities.view_reception`, `activities.edit_reception`,
`activities.view_visitor` (a reception)."""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers_prefix
from minsheng.common.permissions import rule


def _is_station_staff_of(actor, station) -> bool:
    return has_role(actor, Role.STATION_STAFF) and actor.station_id == station.pk


def _is_deputy_of(actor, station) -> bool:
    """A deputy attached to the station (one query, asked only of deputies)."""
    return has_role(actor, Role.DEPUTY) and station.attachments.filter(deputy_id=actor.deputy_id).exists()


def _staff_covers_place(actor, station) -> bool:
    return staff_covers_prefix(actor, station.place.code)


@rule("activities.receive")
def can_receive(actor, station) -> bool:
    """Record receptions at a station, edit them, make cases of them and read the station's reception log:
    the station's staff, the deputies attached to it, congress staff covering its place, admins."""
    if station is None:
        return False
    return (
        is_admin(actor)
        or _is_station_staff_of(actor, station)
        or _staff_covers_place(actor, station)
        or _is_deputy_of(actor, station)
    )


def _received(actor, reception) -> bool:
    if not has_role(actor, Role.DEPUTY):
        return False
    if "deputies" in getattr(reception, "_prefetched_objects_cache", {}):  # a list's rows: no query each
        return any(d.pk == actor.deputy_id for d in reception.deputies.all())
    return reception.deputies.filter(pk=actor.deputy_id).exists()


@rule("activities.view_reception")
def can_view_reception(actor, reception) -> bool:
    """A reception: those who may read its station's log, and the deputies who received (even once they are
    no longer attached to the station)."""
    return reception is not None and (can_receive(actor, reception.station) or _received(actor, reception))


@rule("activities.edit_reception")
def can_edit_reception(actor, reception) -> bool:
    """Edit, make a case of, link and unlink: as `activities.receive` on the reception's station."""
    return reception is not None and can_receive(actor, reception.station)


@rule("activities.view_visitor")
def can_view_visitor(actor, reception) -> bool:
    """The contact visitor's name and phone in full: the station's staff, congress staff covering its place,
    admins, the deputies who received the visitor and whoever recorded the reception. Other deputies of the
    station read the log with the contact masked."""
    if reception is None:
        return False
    station = reception.station
    return (
        is_admin(actor)
        or _is_station_staff_of(actor, station)
        or _staff_covers_place(actor, station)
        or reception.recorded_by_id == getattr(actor, "pk", None)
        or _received(actor, reception)
    )


# Reception days (接待日) and the matters of a reception followed to an answer (issue 11) -------------------


def _station_office(actor, station) -> bool:
    """The station's staff, congress staff covering its place, admins: who runs a station's schedule."""
    return is_admin(actor) or _is_station_staff_of(actor, station) or _staff_covers_place(actor, station)


@rule("activities.schedule_days")
def can_schedule_days(actor, station) -> bool:
    """Schedule, change and cancel a station's reception days (接待日): the station's staff, congress staff
    covering its place, admins (not the deputies: they are put on duty)."""
    return station is not None and _station_office(actor, station)


@rule("activities.view_days")
def can_view_days(actor, station) -> bool:
    """The station's schedule page with its Excel/print copy: as `activities.receive` (the public page shows
    the coming days to everyone)."""
    return can_receive(actor, station)


@rule("activities.view_matters")
def can_view_matters(actor, station) -> bool:
    """The station's queue of matters (反映事项) and its export: as `activities.receive`."""
    return can_receive(actor, station)


def _unit_handler_of(actor, matter) -> bool:
    return bool(
        has_role(actor, Role.UNIT_HANDLER)
        and matter.referred_to_id is not None
        and actor.unit_id == matter.referred_to_id
    )


@rule("activities.answer_matter")
def can_answer_matter(actor, matter) -> bool:
    """Record the answer to a matter sent on (办理答复): the station's staff, congress staff covering its place,
    admins, or a handler of the unit it was sent to. (Whether the matter is open is the service's refusal, with
    its reason; `selectors.matter_actions` asks both.)"""
    if matter is None:
        return False
    return _station_office(actor, matter.reception.station) or _unit_handler_of(actor, matter)


@rule("activities.feedback_matter")
def can_feedback_matter(actor, matter) -> bool:
    """Record that the visitor was told the answer (反馈): the station's staff, congress staff covering its
    place, admins (once answered: the service's refusal otherwise)."""
    if matter is None:
        return False
    return _station_office(actor, matter.reception.station)
