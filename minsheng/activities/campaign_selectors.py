"""Reads of campaigns (集中履职月), scoped to the caller."""

from django.db.models import QuerySet
from django.http import Http404

from minsheng.accounts.permissions import staff_scope_prefix

from .models import Campaign


def campaigns_for(actor) -> QuerySet[Campaign]:
    """The campaigns an actor may read: of the congresses in the staff's region, and those that include
    the staff's congress."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Campaign.objects.none()
    qs = Campaign.objects.select_related("congress")
    if prefix == "":
        return qs
    above = [prefix[:n] for n in range(0, len(prefix) + 1)]
    return qs.filter(congress__region_prefix__startswith=prefix) | qs.filter(
        congress__region_prefix__in=above
    )


def campaign_get_for(actor, pk) -> Campaign:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**63:
        raise Http404
    campaign = campaigns_for(actor).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign
