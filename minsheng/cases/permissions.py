"""Who may do what with a case. Scoping of lists (selectors) uses the same predicates: a case outside the
actor's view answers 404.

Personal data of a wish's beneficiary (name, ID number, phone, address) is decided here and only here:
`cases.view_beneficiary` (full record) and `cases.view_delivery_contact` (what a claimant needs to deliver).
"""

from minsheng.accounts.permissions import Role, has_role, is_admin, is_verified_donor, staff_covers
from minsheng.common.permissions import rule

from .models import Assignment, Case, Claim


def _is_lead(actor, case) -> bool:
    return has_role(actor, Role.DEPUTY) and actor.deputy_id == case.lead_deputy_id


def _is_deputy_of(actor, case) -> bool:
    if not has_role(actor, Role.DEPUTY):
        return False
    return (
        actor.deputy_id == case.lead_deputy_id
        or case.cosigner_links.filter(deputy_id=actor.deputy_id).exists()
    )


def _is_station_staff_of(actor, case) -> bool:
    return (
        has_role(actor, Role.STATION_STAFF)
        and case.station_id is not None
        and actor.station_id == case.station_id
    )


def _handles(actor, case, *, live_only: bool = False) -> bool:
    if not has_role(actor, Role.UNIT_HANDLER):
        return False
    assignments = case.assignments.filter(unit_id=actor.unit_id)
    if live_only:
        assignments = assignments.filter(status__in=Assignment.LIVE)
    return assignments.exclude(status=Assignment.Status.REMOVED).exists()


def _holds_claim(actor, case) -> bool:
    return has_role(actor, Role.DONOR) and case.claims.filter(donor=actor, status__in=Claim.HOLDING).exists()


@rule("cases.create")
def can_create(actor, obj) -> bool:
    """A deputy records his or her own cases; station staff for the deputies of their station; staff."""
    return has_role(actor, Role.DEPUTY, Role.STATION_STAFF, Role.CONGRESS_STAFF) or is_admin(actor)


@rule("cases.view")
def can_view(actor, case) -> bool:
    if case is None:
        return False
    return (
        staff_covers(actor, case.congress)
        or _is_deputy_of(actor, case)
        or _is_station_staff_of(actor, case)
        or (case.created_by_id == getattr(actor, "pk", None))
        or _handles(actor, case)
        or _holds_claim(actor, case)
    )


@rule("cases.edit")
def can_edit(actor, case) -> bool:
    return case is not None and (
        case.created_by_id == getattr(actor, "pk", None)
        or _is_lead(actor, case)
        or staff_covers(actor, case.congress)
    )


@rule("cases.verify")
def can_verify(actor, case) -> bool:
    return case is not None and (
        _is_station_staff_of(actor, case) or _is_lead(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.file")
def can_file(actor, case) -> bool:
    """The lead deputy files and withdraws; staff may do it on the deputy's behalf (a paper filing)."""
    return case is not None and (_is_lead(actor, case) or staff_covers(actor, case.congress))


@rule("cases.review")
def can_review(actor, case) -> bool:
    """立案, 交办, 重新交办, publishing, the wall, supervision, merging: the congress's staff."""
    return case is not None and staff_covers(actor, case.congress)


@rule("cases.close_unrated")
def can_close_unrated(actor, case) -> bool:
    """未反馈: closing an answered case the deputy did not rate in time, the congress's staff (the state and
    the deadline are the service's: `Case.rating_overdue`)."""
    return case is not None and staff_covers(actor, case.congress)


@rule("cases.handle")
def can_handle(actor, assignment) -> bool:
    """签收, progress, contacts, opinions, answers, reassignment requests: the assigned unit's handlers."""
    return (
        assignment is not None and has_role(actor, Role.UNIT_HANDLER) and actor.unit_id == assignment.unit_id
    )


@rule("cases.rate")
def can_rate(actor, case) -> bool:
    return case is not None and _is_deputy_of(actor, case)


@rule("cases.follow_up")
def can_follow_up(actor, case) -> bool:
    return case is not None and (
        _is_lead(actor, case) or _is_station_staff_of(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.view_beneficiary")
def can_view_beneficiary(actor, case) -> bool:
    """Name, ID number, phone and address in full: who records, verifies, decides and handles the wish."""
    return case is not None and (
        staff_covers(actor, case.congress)
        or _is_lead(actor, case)
        or _is_station_staff_of(actor, case)
        or case.created_by_id == getattr(actor, "pk", None)
        or _handles(actor, case, live_only=True)
    )


@rule("cases.view_delivery_contact")
def can_view_delivery_contact(actor, case) -> bool:
    """Only a donor holding a live claim on the wish, and only after claiming it."""
    return (
        case is not None
        and has_role(actor, Role.DONOR)
        and case.claims.filter(donor=actor, status=Claim.Status.LIVE).exists()
    )


@rule("cases.claim")
def can_claim(actor, case) -> bool:
    return case is not None and is_verified_donor(actor)


@rule("cases.confirm_delivery")
def can_confirm_delivery(actor, case) -> bool:
    return case is not None and (
        _is_station_staff_of(actor, case) or _is_lead(actor, case) or staff_covers(actor, case.congress)
    )


@rule("cases.view_wall")
def can_view_wall(actor, obj) -> bool:
    return True


def is_public_case(case: Case) -> bool:
    return case.published_at is not None or (case.kind == Case.Kind.WISH and case.on_wall_at is not None)


@rule("cases.view_stats")
def can_view_stats(actor, obj) -> bool:
    """The statistics page and its Excel export: congress staff (their region's cases) and admins."""
    return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)


@rule("cases.export")
def can_export(actor, obj) -> bool:
    """The Excel list of one's own cases (scoped like every list; never a beneficiary's identity)."""
    return is_admin(actor) or has_role(
        actor, Role.CONGRESS_STAFF, Role.DEPUTY, Role.STATION_STAFF, Role.UNIT_HANDLER
    )
