"""Reads of the social funds ledger, scoped to the caller (congress staff: their region; admins: all)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from minsheng.accounts.permissions import staff_scope_prefix
from minsheng.places.models import Place

from .campaign_models import Contribution
from .funds import gifts, public_donor_name


def contributions_for(actor) -> QuerySet[Contribution]:
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return Contribution.objects.none()
    return Contribution.objects.filter(place__code__startswith=prefix).select_related(
        "place", "campaign", "case", "project", "donor__donor_profile"
    )


def contribution_list(
    actor, *, q: str = "", purpose: str = "", status: str = "", campaign_id: int | None = None
) -> QuerySet[Contribution]:
    rows = contributions_for(actor)
    if q:
        rows = rows.filter(
            Q(donor_name__icontains=q) | Q(donor__donor_profile__name__icontains=q) | Q(goods__icontains=q)
        )
    if purpose:
        rows = rows.filter(purpose=purpose)
    if status:
        rows = rows.filter(status=status)
    if campaign_id:
        rows = rows.filter(campaign_id=campaign_id)
    return rows.order_by("-pledged_on", "-id")


def donor_label(contribution: Contribution, *, staff: bool) -> str:
    """The donor as a page shows it: staff see an individual's name on their own ledger page only."""
    profile = getattr(contribution.donor, "donor_profile", None) if contribution.donor_id else None
    kind = profile.kind if profile else contribution.donor_kind
    name = profile.name if profile else contribution.donor_name
    return name if staff else public_donor_name(kind=kind, name=name)


def ledger_totals(actor, *, campaign_id: int | None = None) -> dict[str, Any]:
    """The totals of the region's counted gifts (ledger rows and the claims no row links, each once): per
    campaign, donor, purpose and county."""
    prefix = staff_scope_prefix(actor)
    if prefix is None:
        return {"total": Decimal("0"), "received": Decimal("0"), "by": {}}
    total = received = Decimal("0")
    by: dict[str, dict[str, Decimal]] = {
        k: defaultdict(Decimal) for k in ("campaign", "donor", "purpose", "county")
    }
    labels: dict[str, str] = {}
    for gift in gifts(prefix=prefix, campaign_id=campaign_id):
        total += gift.amount
        if gift.received:
            received += gift.amount
        by["campaign"][str(gift.campaign_id or "")] += gift.amount
        by["donor"][gift.donor_key] += gift.amount
        labels[gift.donor_key] = gift.donor_label
        by["purpose"][gift.purpose] += gift.amount
        by["county"][gift.area[:6]] += gift.amount
    counties = dict(Place.objects.filter(prefix__in=list(by["county"])).values_list("prefix", "name"))
    purposes = dict(Contribution.Purpose.choices)
    return {
        "total": total,
        "received": received,
        "by_donor": sorted(((labels[k], v) for k, v in by["donor"].items()), key=lambda x: -x[1]),
        "by_purpose": [(str(purposes.get(k, k)), v) for k, v in sorted(by["purpose"].items())],
        "by_county": [(counties.get(k, k), v) for k, v in sorted(by["county"].items())],
        "by_campaign": dict(by["campaign"]),
    }
