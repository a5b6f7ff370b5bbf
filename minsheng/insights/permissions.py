"""Who may read the campaign dashboards and keep the social funds ledger (撬动社会资金)."""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers, staff_covers_prefix
from minsheng.common.permissions import rule


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
