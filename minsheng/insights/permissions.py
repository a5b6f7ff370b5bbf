"""Who may read and write the duty record (履职档案) and the duty points (履职积分): one rule per action,
asked by the pages, the API and the PDF, enforced by `points_services`.

| rule | object | who |
| --- | --- | --- |
| `insights.view_duty_record` | a deputy | the deputy him/herself; congress staff whose congress covers one of the deputy's seats; admins |
| `insights.view_public_duty_record` | a deputy | everyone (代表法 Art 58): a deputy with at least one seat |
| `insights.refresh_duty_record` | a deputy | as `view_duty_record` |
| `insights.manage_awards` | a deputy | congress staff covering one of the deputy's seats; admins |
| `insights.edit_award` | an award | as `manage_awards` on its deputy, and staff covering the awarding congress |
| `insights.view_points` | a congress | congress staff covering it; deputies with a seat in it; admins |
| `insights.manage_points` | a congress | congress staff covering it; admins (schemes, bulletins) |
| `insights.view_bulletin` | a bulletin | as `view_points` on its congress |
| `insights.contest_points` | a bulletin | a deputy listed in it |
| `insights.decide_contest` | a contest | as `manage_points` on its bulletin's congress |
| `insights.view_campaign_dashboard` | a campaign | admins, staff of its congress and above, staff of a congress inside it (their part) |
| `insights.view_contributions` | a contribution (or none: the ledger) | admins, congress staff of its region |
| `insights.record_contribution` | a place (or none) | admins, congress staff for an area of their region |
| `insights.edit_contribution` | a contribution | as `record_contribution` on its place |
"""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers, staff_covers_prefix
from minsheng.common.permissions import rule
from minsheng.deputies.models import Seat


def _seat_congresses(deputy) -> list:
    cache = getattr(deputy, "_seat_congresses", None)
    if cache is None:
        cache = [s.congress for s in Seat.objects.filter(deputy=deputy).select_related("congress")]
        deputy._seat_congresses = cache
    return cache


def _is_self(actor, deputy) -> bool:
    return has_role(actor, Role.DEPUTY) and deputy is not None and actor.deputy_id == deputy.pk


def _staff_covers_deputy(actor, deputy) -> bool:
    if deputy is None:
        return False
    if is_admin(actor):
        return True
    if not has_role(actor, Role.CONGRESS_STAFF):
        return False
    return any(staff_covers(actor, c) for c in _seat_congresses(deputy))


@rule("insights.view_duty_record")
def can_view_duty_record(actor, deputy) -> bool:
    """The full duty record and its PDF: the deputy, staff whose congress covers one of his or her seats."""
    return _is_self(actor, deputy) or _staff_covers_deputy(actor, deputy)


@rule("insights.view_public_duty_record")
def can_view_public_duty_record(actor, deputy) -> bool:
    """The public duty record: everyone, of every deputy who holds or held a seat."""
    return deputy is not None and bool(_seat_congresses(deputy))


@rule("insights.refresh_duty_record")
def can_refresh_duty_record(actor, deputy) -> bool:
    return can_view_duty_record(actor, deputy)


@rule("insights.manage_awards")
def can_manage_awards(actor, deputy) -> bool:
    return _staff_covers_deputy(actor, deputy)


@rule("insights.edit_award")
def can_edit_award(actor, award) -> bool:
    """Edit an award or withdraw it (with a reason): staff who may record awards for the deputy and who
    cover the congress that gave it (as when it was recorded); admins."""
    if award is None:
        return False
    return can_manage_awards(actor, award.deputy) and staff_covers(actor, award.congress)


@rule("insights.manage_points")
def can_manage_points(actor, congress) -> bool:
    return congress is not None and staff_covers(actor, congress)


@rule("insights.view_points")
def can_view_points(actor, congress) -> bool:
    """A congress's league table and bulletins: its staff (and the staff above), its own deputies."""
    if congress is None:
        return False
    if staff_covers(actor, congress):
        return True
    return (
        has_role(actor, Role.DEPUTY)
        and Seat.objects.filter(congress=congress, deputy_id=actor.deputy_id).exists()
    )


@rule("insights.view_bulletin")
def can_view_bulletin(actor, bulletin) -> bool:
    return bulletin is not None and can_view_points(actor, bulletin.congress)


@rule("insights.contest_points")
def can_contest_points(actor, bulletin) -> bool:
    """Contest an entry (错重漏): a deputy whose points the bulletin lists (the window: the service)."""
    if bulletin is None or not has_role(actor, Role.DEPUTY):
        return False
    return any(row.get("deputy_id") == actor.deputy_id for row in bulletin.rows)


@rule("insights.decide_contest")
def can_decide_contest(actor, contest) -> bool:
    return contest is not None and can_manage_points(actor, contest.bulletin.congress)


# --- the campaign dashboards and the social funds ledger (撬动社会资金) ---


def _staff_inside(actor, congress) -> bool:
    """Congress staff of a congress within `congress`'s region (a county's staff in a city's campaign)."""
    return bool(
        has_role(actor, Role.CONGRESS_STAFF) and congress is not None and congress.covers(actor.congress)
    )


@rule("insights.view_campaign_dashboard")
def can_view_campaign_dashboard(actor, campaign) -> bool:
    """A campaign's dashboard: admins, staff of its congress and of the congresses above it (the whole
    campaign), staff of a congress inside it (their own part of it)."""
    if campaign is None:
        return False
    return staff_covers(actor, campaign.congress) or _staff_inside(actor, campaign.congress)


@rule("insights.view_contributions")
def can_view_contributions(actor, contribution) -> bool:
    """The ledger: admins and congress staff (a contribution: of their region)."""
    if contribution is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return staff_covers_prefix(actor, contribution.place.code)


@rule("insights.record_contribution")
def can_record_contribution(actor, place) -> bool:
    """Enter a gift in the ledger (and edit it, mark it received, cancel it): admins, congress staff for an
    area of their region."""
    if place is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return staff_covers_prefix(actor, place.code)


@rule("insights.edit_contribution")
def can_edit_contribution(actor, contribution) -> bool:
    return contribution is not None and can_record_contribution(actor, contribution.place)
