"""撬动社会资金: what the social funds are, counted once (the reconciliation rule, insights README).

A gift is counted from exactly one of two sources:

1. a ledger row (`Contribution`) that is pledged or received (a cancelled one counts nothing), for its amount
   (money) or its stated value (goods); received when its status is `received`;
2. a wish's claim (`cases.Claim`) that holds (live, delivered or confirmed) and that NO counted ledger row
   links, for the claim's amount; received when the claim's delivery is confirmed.

A claim with a counted ledger row is counted through that row only (at most one such row per claim: a unique
constraint), so a claim counts once whether or not staff entered it in the ledger. A withdrawn claim counts
nothing by itself; a ledger row linking it counts as the row says.

`gifts(...)` yields one `Gift` per counted gift of a region (and a period, for the gifts of wishes and
projects; a campaign's own gifts count whenever they were pledged); the ledger's totals and the campaign
dashboard are sums of these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.accounts.models import DonorProfile
from minsheng.cases.models import Case, Claim

from .campaign_models import Contribution


@dataclass(frozen=True)
class Gift:
    source: str  # "ledger" or "claim"
    source_id: int
    area: str  # the place prefix of the area it benefits (a town's 9 digits, a county's 6, a city's 4)
    purpose: str
    form: str
    amount: Decimal
    received: bool
    day: dt.date  # pledged on (a claim: the day it was made)
    campaign_id: int | None
    donor_key: str  # "u<user id>" or "n<name>"
    donor_label: str  # public: never an individual's name
    donor_kind: str


def individual_label() -> str:
    return _("Individual donor")


def public_donor_name(*, kind: str, name: str) -> str:
    """The name a donor is shown by outside the staff's own ledger page: an enterprise's or organisation's
    name; an individual's never (personal data)."""
    if kind == Contribution.DonorKind.INDIVIDUAL or not name:
        return individual_label()
    return name


def counted_contributions() -> QuerySet[Contribution]:
    return Contribution.objects.filter(status__in=Contribution.COUNTED)


def unledgered_claims() -> QuerySet[Claim]:
    """The holding claims of wishes that no counted ledger row links: counted from the claim itself."""
    ledgered = counted_contributions().filter(claim_id=OuterRef("pk"))
    return Claim.objects.filter(status__in=Claim.HOLDING, case__kind=Case.Kind.WISH).exclude(Exists(ledgered))


def _local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def gifts(
    *,
    prefix: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    campaign_id: int | None = None,
    contributions: QuerySet[Contribution] | None = None,
    claims: bool = True,
) -> Iterator[Gift]:
    """The counted gifts of a region (place codes starting with `prefix`). With `campaign_id`: the campaign's
    own gifts (any date) and the gifts of wishes and projects of the region pledged within [date_from,
    date_to]; without: every gift of the region within the dates (when given)."""
    rows = (contributions if contributions is not None else counted_contributions()).filter(
        status__in=Contribution.COUNTED, place__code__startswith=prefix
    )
    dated = Q()
    if date_from:
        dated &= Q(pledged_on__gte=date_from)
    if date_to:
        dated &= Q(pledged_on__lte=date_to)
    if campaign_id is not None:
        rows = rows.filter(Q(campaign_id=campaign_id) | (Q(purpose__in=["wish", "project"]) & dated))
    else:
        rows = rows.filter(dated)
    fields = (
        "id",
        "place__prefix",
        "purpose",
        "form",
        "amount",
        "status",
        "pledged_on",
        "campaign_id",
        "donor_id",
        "donor_kind",
        "donor_name",
        "donor__donor_profile__name",
        "donor__donor_profile__kind",
    )
    for row in rows.values_list(*fields).order_by("id").iterator():
        pk, code, purpose, form, amount, status, day, campaign, donor_id, kind, name, profile_name, pkind = (
            row
        )
        if donor_id:
            kind = pkind or kind
            name = profile_name or name
        yield Gift(
            source="ledger",
            source_id=pk,
            area=code,
            purpose=purpose,
            form=form,
            amount=amount,
            received=status == Contribution.Status.RECEIVED,
            day=day,
            campaign_id=campaign,
            donor_key=f"u{donor_id}" if donor_id else f"n{name}",
            donor_label=public_donor_name(kind=kind, name=name),
            donor_kind=kind,
        )
    if not claims:
        return
    claim_rows = unledgered_claims().filter(case__place__code__startswith=prefix)
    if date_from:
        start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        claim_rows = claim_rows.filter(created_at__gte=start)
    if date_to:
        end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
        claim_rows = claim_rows.filter(created_at__lt=end)
    cfields = (
        "id",
        "case__place__prefix",
        "amount",
        "status",
        "created_at",
        "donor_id",
        "donor__donor_profile__name",
        "donor__donor_profile__kind",
    )
    for pk, code, amount, status, created, donor_id, name, kind in (
        claim_rows.values_list(*cfields).order_by("id").iterator()
    ):
        kind = kind or DonorProfile.Kind.INDIVIDUAL
        yield Gift(
            source="claim",
            source_id=pk,
            area=code,
            purpose=Contribution.Purpose.WISH,
            form=Contribution.Form.MONEY,
            amount=amount,
            received=status == Claim.Status.CONFIRMED,
            day=_local_day(created),
            campaign_id=None,
            donor_key=f"u{donor_id}",
            donor_label=public_donor_name(kind=kind, name=name or ""),
            donor_kind=kind,
        )
