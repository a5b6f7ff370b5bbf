"""The writes of the social funds ledger (撬动社会资金): enter a gift (认捐), record it received (到账), cancel it.
Insights' own models only; nothing here calls a wing's services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from minsheng.accounts.models import DonorProfile, User
from minsheng.activities.models import Campaign
from minsheng.cases.models import Case, Claim
from minsheng.common import audit, uploads
from minsheng.common import validators as checks
from minsheng.common.errors import Conflict, DomainError
from minsheng.common.permissions import ensure
from minsheng.places.models import Place
from minsheng.projects.models import Project

from .campaign_models import Contribution

MAX_RECEIPT_BYTES = 10 * 1024 * 1024  # a scanned receipt or a photo of it


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None:
        raise DomainError(
            _("Enter the amount, or the value of the goods, in yuan."), field="amount", code="required"
        )
    if amount <= 0:
        raise DomainError(
            _("The amount or value must be more than zero."), field="amount", code="not_positive"
        )
    if amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):  # type: ignore[operator]
        raise DomainError(
            _("Enter an amount in yuan with at most two decimals."), field="amount", code="invalid"
        )
    return amount


def _receipt(upload) -> tuple[object, str]:
    checked = uploads.check_upload(
        upload, accept=uploads.DOCUMENTS, max_bytes=MAX_RECEIPT_BYTES, field="receipt"
    )
    return checked.content, checked.original_name


def _purpose_target(
    *,
    purpose: str,
    campaign: Campaign | None,
    case: Case | None,
    project: Project | None,
    place: Place | None,
) -> Place:
    """The area a gift benefits: the wish's, the project's, or (a campaign's) the place given, by default the
    campaign congress's own."""
    if purpose == Contribution.Purpose.CAMPAIGN:
        if campaign is None:
            raise DomainError(_("Choose the campaign the gift is for."), field="campaign", code="required")
        root = campaign.congress.region_prefix
        place = place or campaign.congress.place
        if place is None or not place.code.startswith(root):
            raise DomainError(
                _("The area must lie within the campaign's region."), field="place", code="outside_campaign"
            )
        return place
    if purpose == Contribution.Purpose.WISH:
        if case is None or case.kind != Case.Kind.WISH:
            raise DomainError(_("Choose the wish the gift is for."), field="case", code="required")
        return case.place
    if purpose == Contribution.Purpose.PROJECT:
        if project is None:
            raise DomainError(_("Choose the project the gift is for."), field="project", code="required")
        # A project without a place benefits its congress's region.
        project_place = project.place or project.congress.place
        if project_place is None:
            raise DomainError(_("Choose the project the gift is for."), field="project", code="required")
        return project_place
    raise DomainError(_("Choose what the gift is for."), field="purpose", code="required")


def _claim_for(*, case: Case | None, claim: Claim | None, donor: User | None) -> Claim | None:
    """The wish's claim the gift is: the one given (it must be of the wish and, with an account, of the donor),
    else the donor's one holding claim of the wish."""
    if case is None:
        if claim is not None:
            raise DomainError(
                _("Only a gift for a wish links a claim."), field="claim", code="claim_not_wish"
            )
        return None
    if claim is not None:
        if claim.case_id != case.pk:
            raise DomainError(
                _("The claim is not a claim of this wish."), field="claim", code="claim_other_wish"
            )
        if donor is not None and claim.donor_id != donor.pk:
            raise DomainError(
                _("The claim was made by another donor."), field="claim", code="claim_other_donor"
            )
        if claim.status not in Claim.HOLDING:
            raise DomainError(_("The claim was withdrawn."), field="claim", code="claim_withdrawn")
        return claim
    if donor is None:
        return None
    holding = list(Claim.objects.filter(case=case, donor=donor, status__in=Claim.HOLDING)[:2])
    return holding[0] if len(holding) == 1 else None


@transaction.atomic
def contribution_record(
    *,
    actor: User,
    purpose: str,
    form: str,
    amount,
    pledged_on: dt.date | None,
    donor: User | None = None,
    donor_kind: str = "",
    donor_name: str = "",
    goods: str = "",
    campaign: Campaign | None = None,
    case: Case | None = None,
    claim: Claim | None = None,
    project: Project | None = None,
    place: Place | None = None,
    note: str = "",
    receipt=None,
) -> Contribution:
    """认捐: enter a gift pledged. A gift for a wish links the wish's claim (the one given, or the donor's
    holding claim) so that it is counted once. Locks the claim's row when it links one."""
    if form not in Contribution.Form.values:
        raise DomainError(_("Choose money or goods."), field="form", code="required")
    value = _amount(amount)
    goods = checks.clean_text(goods, field="goods", model=Contribution)
    if form == Contribution.Form.GOODS and not goods:
        raise DomainError(
            _("Describe the goods given (and enter their value)."), field="goods", code="required"
        )
    if form == Contribution.Form.MONEY:
        goods = ""
    if pledged_on is None:
        raise DomainError(_("Enter the day of the pledge."), field="pledged_on", code="required")
    checks.check_past_date(pledged_on, field="pledged_on")
    if donor is not None:
        profile = DonorProfile.objects.filter(user=donor).first()
        if profile is None or not profile.can_act:
            raise DomainError(
                _("The donor account is not a verified donor."), field="donor", code="not_donor"
            )
        donor_kind, donor_name = profile.kind, ""
    else:
        donor_name = checks.clean_text(
            donor_name,
            field="donor_name",
            required=True,
            model=Contribution,
            message=_("Choose a donor account or enter the giver's name."),
        )
        if donor_kind not in Contribution.DonorKind.values:
            raise DomainError(_("Choose the type of donor."), field="donor_kind", code="required")
    note = checks.clean_text(note, field="note", limit=checks.NOTE)
    if purpose != Contribution.Purpose.CAMPAIGN:
        campaign = None
    if purpose != Contribution.Purpose.WISH:
        case = None
    if purpose != Contribution.Purpose.PROJECT:
        project = None
    target_place = _purpose_target(
        purpose=purpose, campaign=campaign, case=case, project=project, place=place
    )
    ensure(actor, "insights.record_contribution", target_place)
    if claim is not None:
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
    linked = _claim_for(case=case, claim=claim, donor=donor)
    if linked is not None and claim is None:
        linked = Claim.objects.select_for_update().get(pk=linked.pk)
    if (
        linked is not None
        and Contribution.objects.filter(claim=linked, status__in=Contribution.COUNTED).exists()
    ):
        raise Conflict(_("This claim is already in the ledger."), field="claim", code="claim_in_ledger")
    contribution = Contribution(
        donor=donor,
        donor_kind=donor_kind,
        donor_name=donor_name,
        form=form,
        amount=value,
        goods=goods,
        purpose=purpose,
        campaign=campaign,
        case=case,
        claim=linked,
        project=project,
        place=target_place,
        pledged_on=pledged_on,
        note=note,
        created_by=actor,
    )
    if receipt is not None:
        contribution.receipt, contribution.receipt_name = _receipt(receipt)
    try:
        with transaction.atomic():
            contribution.save()
    except IntegrityError:
        raise Conflict(
            _("This claim is already in the ledger."), field="claim", code="claim_in_ledger"
        ) from None
    audit.record(
        actor,
        "contribution.pledged",
        contribution,
        amount=str(value),
        purpose=purpose,
        claim=linked and linked.pk,
    )
    return contribution


@transaction.atomic
def contribution_update(
    *, actor: User, contribution_id: int, amount=None, goods: str | None = None, note: str | None = None
) -> Contribution:
    """Correct a pledged gift's amount or value, goods and note (a received or cancelled one stays as it
    is). Locks the row."""
    contribution = Contribution.objects.select_for_update().select_related("place").get(pk=contribution_id)
    ensure(actor, "insights.edit_contribution", contribution)
    if contribution.status != Contribution.Status.PLEDGED:
        raise Conflict(_("Only a pledged gift can be corrected."), code="not_pledged")
    if amount is not None:
        contribution.amount = _amount(amount)
    if goods is not None:
        contribution.goods = checks.clean_text(goods, field="goods", model=Contribution)
        if contribution.form == Contribution.Form.GOODS and not contribution.goods:
            raise DomainError(
                _("Describe the goods given (and enter their value)."), field="goods", code="required"
            )
    if note is not None:
        contribution.note = checks.clean_text(note, field="note", limit=checks.NOTE)
    contribution.save(update_fields=["amount", "goods", "note", "updated_at"])
    audit.record(actor, "contribution.updated", contribution, amount=str(contribution.amount))
    return contribution


@transaction.atomic
def contribution_receive(
    *, actor: User, contribution_id: int, received_on: dt.date | None, receipt=None
) -> Contribution:
    """到账: the money or goods arrived, on `received_on` (not before the pledge, not in the future), with the
    receipt document. Locks the row; a gift is received once."""
    contribution = Contribution.objects.select_for_update().select_related("place").get(pk=contribution_id)
    ensure(actor, "insights.edit_contribution", contribution)
    if contribution.status == Contribution.Status.RECEIVED:
        raise Conflict(
            _("This gift was already recorded as received on %(date)s.")
            % {"date": formats.date_format(contribution.received_on or contribution.pledged_on)},
            code="already_received",
        )
    contribution.move_to(Contribution.Status.RECEIVED)
    if received_on is None:
        raise DomainError(_("Enter the day it was received."), field="received_on", code="required")
    checks.check_past_date(received_on, field="received_on")
    if received_on < contribution.pledged_on:
        raise DomainError(
            _("It cannot have been received before it was pledged (%(date)s).")
            % {"date": formats.date_format(contribution.pledged_on)},
            field="received_on",
            code="before_pledge",
        )
    if receipt is not None:
        contribution.receipt, contribution.receipt_name = _receipt(receipt)
    contribution.status = Contribution.Status.RECEIVED
    contribution.received_on = received_on
    contribution.save(update_fields=["status", "received_on", "receipt", "receipt_name", "updated_at"])
    audit.record(actor, "contribution.received", contribution, received_on=received_on.isoformat())
    return contribution


@transaction.atomic
def contribution_cancel(*, actor: User, contribution_id: int, reason: str) -> Contribution:
    """A pledge that will not come: it counts no more (a linked claim counts again by itself, if it holds)."""
    contribution = Contribution.objects.select_for_update().select_related("place").get(pk=contribution_id)
    ensure(actor, "insights.edit_contribution", contribution)
    contribution.move_to(Contribution.Status.CANCELLED)
    reason = checks.clean_text(
        reason,
        field="reason",
        required=True,
        limit=checks.NOTE,
        message=_("Say why the pledge is cancelled."),
    )
    contribution.status = Contribution.Status.CANCELLED
    contribution.note = (f"{contribution.note}\n{reason}" if contribution.note else reason)[: checks.NOTE]
    contribution.save(update_fields=["status", "note", "updated_at"])
    audit.record(actor, "contribution.cancelled", contribution, reason=reason)
    return contribution
