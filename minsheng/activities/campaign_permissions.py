"""Who may run campaigns (集中履职月): the staff of the organising congress create and edit them; staff of
the congresses within it and above it read them."""

from minsheng.accounts.permissions import Role, has_role, is_admin, staff_covers
from minsheng.common.permissions import rule


@rule("activities.create_campaign")
def can_create_campaign(actor, congress) -> bool:
    """A campaign of a congress: its own staff and admins (congress None: whether the actor may at all)."""
    if is_admin(actor):
        return True
    if not has_role(actor, Role.CONGRESS_STAFF):
        return False
    return congress is None or actor.congress_id == congress.pk


@rule("activities.edit_campaign")
def can_edit_campaign(actor, campaign) -> bool:
    return campaign is not None and can_create_campaign(actor, campaign.congress)


@rule("activities.view_campaign")
def can_view_campaign(actor, campaign) -> bool:
    """Staff of the organising congress, of the congresses above it and of those taking part; admins."""
    if campaign is None:
        return is_admin(actor) or has_role(actor, Role.CONGRESS_STAFF)
    return staff_covers(actor, campaign.congress) or bool(
        has_role(actor, Role.CONGRESS_STAFF) and campaign.congress.covers(actor.congress)
    )
