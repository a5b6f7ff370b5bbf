"""Who may do what with receptions (接待). The rules keep the names of the old stations rules under the
`activities.` prefix: `activities.receive` (a station), `activities.view_reception`, `activities.edit_reception`,
`activities.view_visitor` (a reception)."""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers, staff_covers_prefix
from minsheng.common.permissions import rule
from minsheng.congresses.models import Congress
from minsheng.deputies.models import Seat


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


# --- Activities (代表活动) ---------------------------------------------------------------------------------
# Who organises: the staff of the organising congress and of the congresses above it (`staff_covers`), admins.
# Who takes part: any deputy with a seat in office in the organising congress or a congress below it (an
# "eligible" deputy) may sign up while the activity is open for sign-up, and may sign in by its QR code (then
# becomes a participant); deputies invited by staff take part whatever their congress.


def _deputy_congress_ids(actor) -> set[int]:
    """The congresses of the actor's seats in office and every congress above them (cached on the actor)."""
    cached = getattr(actor, "_activity_congress_ids", None)
    if cached is not None:
        return cached
    ids: set[int] = set()
    if has_role(actor, Role.DEPUTY) and actor.deputy_id:
        seats = Seat.objects.filter(deputy_id=actor.deputy_id, status=Seat.Status.ACTIVE)
        frontier = set(seats.values_list("congress_id", flat=True))
        while frontier:
            ids |= frontier
            frontier = (
                set(
                    Congress.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                        "parent_id", flat=True
                    )
                )
                - ids
            )
    actor._activity_congress_ids = ids
    return ids


def deputy_is_eligible(actor, activity) -> bool:
    """A deputy whose seat in office is in the activity's organising congress or a congress below it."""
    return activity.congress_id in _deputy_congress_ids(actor)


def _participates(actor, activity) -> bool:
    if not has_role(actor, Role.DEPUTY) or not actor.deputy_id:
        return False
    return activity.participations.filter(deputy_id=actor.deputy_id).exists()


@rule("activities.create_activity")
def can_create_activity(actor, congress) -> bool:
    """Organise an activity (and add a congress's own kinds): the staff of the organising congress and of
    the congresses above it, admins. Without a congress: whether the actor organises at all."""
    if congress is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return staff_covers(actor, congress)


@rule("activities.edit_activity")
def can_edit_activity(actor, activity) -> bool:
    """Edit, hold, cancel, invite, add photos, the report, the cases and suggestions: as
    `activities.create_activity` on the activity's organising congress."""
    return activity is not None and staff_covers(actor, activity.congress)


@rule("activities.take_attendance")
def can_take_attendance(actor, activity) -> bool:
    """Show the sign-in QR code, rotate it, mark attendance and leave: the organisers (as
    `activities.edit_activity`) and the staff of the activity's liaison station."""
    if activity is None:
        return False
    return can_edit_activity(actor, activity) or (
        has_role(actor, Role.STATION_STAFF)
        and activity.station_id is not None
        and actor.station_id == activity.station_id
    )


@rule("activities.view_activity")
def can_view_activity(actor, activity) -> bool:
    """An activity's page: those who take attendance, its participants and the deputies eligible for it."""
    if activity is None:
        return False
    return (
        can_take_attendance(actor, activity)
        or _participates(actor, activity)
        or deputy_is_eligible(actor, activity)
    )


@rule("activities.signup")
def can_signup(actor, activity) -> bool:
    """Sign up for an activity: an eligible deputy, while it is planned and open for sign-up."""
    return (
        activity is not None
        and activity.signup_open
        and activity.status == "planned"
        and has_role(actor, Role.DEPUTY)
        and deputy_is_eligible(actor, activity)
    )


@rule("activities.checkin")
def can_checkin(actor, activity) -> bool:
    """Sign in by the QR code: a deputy invited or signed up, or eligible (who then becomes a participant).
    The time window and the one sign-in are the service's to check (with their own messages)."""
    if activity is None or not has_role(actor, Role.DEPUTY):
        return False
    return _participates(actor, activity) or deputy_is_eligible(actor, activity)


@rule("activities.view_checks")
def can_view_checks(actor, congress) -> bool:
    """The checks on the records (同一事项多人登记, 同一照片, 时间冲突, 未排班接待) and the 回选举单位 check: congress
    staff (their region) and admins."""
    if congress is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return staff_covers(actor, congress)


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


@rule("activities.view_unit_matters")
def can_view_unit_matters(actor, _obj=None) -> bool:
    """The matters stations sent to the actor's unit (承办单位的反映事项): its handlers."""
    return bool(has_role(actor, Role.UNIT_HANDLER) and getattr(actor, "unit_id", None))


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
